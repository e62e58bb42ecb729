"""A discounted linear-quadratic regulator with a linear Gaussian policy: exact cost, Q-function and gradient.

System x_{t+1} = A x_t + B a_t + w_t, w_t ~ N(0, W), x_0 ~ N(0, Σ₀); policy a = −K x + ε, ε ~ N(0, Σ);
cost c = xᵀQx + aᵀRa; objective J(K) = E Σ_t γ^t c_t. With M = A − BK and N = BΣBᵀ + W:

    P = Q + KᵀRK + γ MᵀPM                              (value matrix, a discrete Lyapunov equation)
    V(x) = xᵀPx + c₀,   c₀ = (tr(RΣ) + γ tr(PN)) / (1 − γ)
    Q(x, a) = xᵀQx + aᵀRa + γ [(Ax + Ba)ᵀP(Ax + Ba) + tr(PW) + c₀]
    J(K) = tr(P Σ₀) + c₀
    ∇_K J = 2 [(R + γBᵀPB) K − γ BᵀPA] Σ_K,   Σ_K = Σ_t γ^t E[x_t x_tᵀ] = Σ₀ + γN/(1 − γ) + γ M Σ_K Mᵀ

(the gradient follows by differentiating J = tr(P C), C = Σ₀ + γN/(1 − γ), through the Lyapunov equation;
Fazel et al. 2018 give the noiseless case). By the policy-gradient theorem
∇_K J = (1/(1 − γ)) E_{x ~ ρ}[∇_K E_{a ~ π(·|x)} Q(x, a)] with ρ the normalised discounted state distribution,
which is what the action-space estimators sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

__all__ = ["LQR"]


def _lyapunov(m: torch.Tensor, c: torch.Tensor, gamma: float, transpose: bool) -> torch.Tensor:
    """X = C + γ MᵀXM (transpose=True) or X = C + γ M X Mᵀ (False), by vectorisation (small systems)."""
    n = m.shape[0]
    left = m.T if transpose else m
    # vec(L X Lᵀ) = (L ⊗ L) vec(X) for row-major vec
    operator = torch.eye(n * n, dtype=m.dtype) - gamma * torch.kron(left, left)
    return torch.linalg.solve(operator, c.reshape(-1)).reshape(n, n)


def _matmul(v: torch.Tensor, mat: torch.Tensor) -> torch.Tensor:
    """``v @ mat`` for ``v`` ``(..., n)`` as one 2-D product (batched products of tiny matrices are slow)."""
    return (v.reshape(-1, v.shape[-1]) @ mat).reshape((*v.shape[:-1], mat.shape[1]))


def _quadratic(v: torch.Tensor, mat: torch.Tensor) -> torch.Tensor:
    """vᵀ M v over the last dimension."""
    return (_matmul(v, mat) * v).sum(-1)


@dataclass(frozen=True)
class LQR:
    """A discounted LQR (all matrices float64). Build one with :meth:`random`."""

    A: torch.Tensor
    B: torch.Tensor
    Q: torch.Tensor
    R: torch.Tensor
    W: torch.Tensor
    initial: torch.Tensor  # Σ₀
    exploration: torch.Tensor  # Σ, the policy's action covariance (diagonal)
    gamma: float = 0.9

    @property
    def sizes(self) -> tuple[int, int]:
        return self.B.shape[0], self.B.shape[1]

    @classmethod
    def random(cls, states: int, actions: int, generator: torch.Generator, gamma: float = 0.9,
               spectral_radius: float = 0.95, exploration: float = 0.1) -> LQR:
        """A random system whose A has the given spectral radius (so K = 0 has finite cost when γρ² < 1)."""
        a = torch.randn((states, states), generator=generator, dtype=torch.float64)
        a = a * spectral_radius / torch.linalg.eigvals(a).abs().max()
        b = torch.randn((states, actions), generator=generator, dtype=torch.float64) / states**0.5
        eye_s, eye_a = torch.eye(states, dtype=torch.float64), torch.eye(actions, dtype=torch.float64)
        return cls(a, b, eye_s, eye_a, 0.01 * eye_s, eye_s, exploration * eye_a, gamma)

    def _check(self, k: torch.Tensor) -> None:
        n, m = self.sizes
        if k.shape != (m, n):
            raise ValueError(f"K must have shape (actions, states) = {(m, n)}, got {tuple(k.shape)}")
        closed = self.A - self.B @ k
        if float(torch.linalg.eigvals(closed).abs().max()) ** 2 * self.gamma >= 1:
            raise ValueError("K does not stabilise the discounted system (γ·ρ(A − BK)² ≥ 1): its cost is infinite")

    def value_matrix(self, k: torch.Tensor) -> torch.Tensor:
        """P(K), differentiable in K."""
        self._check(k.detach())
        return _lyapunov(self.A - self.B @ k, self.Q + k.T @ self.R @ k, self.gamma, transpose=True)

    def _offset(self, p: torch.Tensor) -> torch.Tensor:
        noise = self.B @ self.exploration @ self.B.T + self.W
        return (torch.trace(self.R @ self.exploration) + self.gamma * torch.trace(p @ noise)) / (1 - self.gamma)

    def cost(self, k: torch.Tensor) -> torch.Tensor:
        """J(K), exact and differentiable."""
        p = self.value_matrix(k)
        return torch.trace(p @ self.initial) + self._offset(p)

    def state_correlation(self, k: torch.Tensor) -> torch.Tensor:
        """Σ_K = Σ_t γ^t E[x_t x_tᵀ]."""
        closed = self.A - self.B @ k
        noise = self.B @ self.exploration @ self.B.T + self.W
        return _lyapunov(closed, self.initial + self.gamma * noise / (1 - self.gamma), self.gamma, transpose=False)

    def gradient(self, k: torch.Tensor) -> torch.Tensor:
        """∇_K J by the closed form above."""
        k = k.detach()
        p = self.value_matrix(k)
        e = (self.R + self.gamma * self.B.T @ p @ self.B) @ k - self.gamma * self.B.T @ p @ self.A
        return 2 * e @ self.state_correlation(k)

    def q_function(self, k: torch.Tensor, x: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
        """Q^K(x, a) for states ``(..., n)`` and actions ``(..., m)`` (broadcast), differentiable in a."""
        p = self.value_matrix(k.detach())
        nxt = _matmul(x, self.A.T) + _matmul(a, self.B.T)
        return _quadratic(x, self.Q) + _quadratic(a, self.R) + self.gamma * (
            _quadratic(nxt, p) + torch.trace(p @ self.W) + self._offset(p))

    def value(self, k: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        """V^K(x) = E_a Q^K(x, a) for states ``(..., n)``."""
        p = self.value_matrix(k.detach())
        return _quadratic(x, p) + self._offset(p)

    def sample_states(self, k: torch.Tensor, count: int, generator: torch.Generator) -> torch.Tensor:
        """``count`` states from the normalised discounted state distribution ρ (time t ~ Geometric(1 − γ))."""
        n, m = self.sizes
        u = torch.rand(count, generator=generator, dtype=torch.float64)
        times = torch.floor(torch.log(u) / torch.log(torch.tensor(self.gamma, dtype=torch.float64))).long()
        x = torch.randn((count, n), generator=generator, dtype=torch.float64) @ torch.linalg.cholesky(self.initial).T
        chol_w = torch.linalg.cholesky(self.W)
        chol_e = torch.linalg.cholesky(self.exploration)
        out = x.clone()
        for t in range(int(times.max()) + 1):
            out = torch.where((times == t).unsqueeze(1), x, out)
            action_noise = torch.randn((count, m), generator=generator, dtype=torch.float64) @ chol_e.T
            state_noise = torch.randn((count, n), generator=generator, dtype=torch.float64) @ chol_w.T
            a = -x @ k.detach().T + action_noise
            x = x @ self.A.T + a @ self.B.T + state_noise
        return out
