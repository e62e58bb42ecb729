"""Explicit randomness: every draw comes from a ``torch.Generator`` passed in.

Nothing here reads or advances torch's global RNG. Where torch can only sample from the
global RNG (``Distribution.sample`` of some families), :func:`forked_rng` runs the call on a
forked global state seeded from the generator, so the caller's global RNG is untouched and
the same generator seed always gives the same numbers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch

__all__ = ["check_generator", "forked_rng", "standard_gamma", "uniform"]

_TINY = torch.finfo(torch.float64).tiny


def check_generator(generator: object) -> torch.Generator:
    """Return ``generator`` if it is a ``torch.Generator``; otherwise raise a ``TypeError``."""
    if not isinstance(generator, torch.Generator):
        raise TypeError(
            "generator must be a torch.Generator (e.g. torch.Generator().manual_seed(0)); "
            f"got {type(generator).__name__}. weakgrad never uses torch's global RNG."
        )
    return generator


@contextlib.contextmanager
def forked_rng(generator: torch.Generator) -> Iterator[None]:
    """Run the body on torch's global CPU RNG, forked and seeded from ``generator``.

    The global RNG state is restored on exit; one 63-bit integer is drawn from ``generator``.
    """
    seed = int(torch.randint(0, 2**62, (), generator=generator))
    cpu = torch.default_generator
    state = cpu.get_state()
    try:
        cpu.manual_seed(seed)  # the CPU generator only: torch.manual_seed would also reseed CUDA and not restore it
        yield
    finally:
        cpu.set_state(state)


def uniform(shape: torch.Size | tuple[int, ...], generator: torch.Generator,
            dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """U(0, 1) draws in the open interval (0, 1), safe to pass to ``log``."""
    u = torch.rand(shape, generator=generator, dtype=dtype)
    return u.clamp_(min=torch.finfo(dtype).tiny, max=1.0 - torch.finfo(dtype).eps)


def standard_gamma(concentration: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Gamma(concentration, rate 1) draws shaped like ``concentration``."""
    try:
        return torch._standard_gamma(concentration, generator=generator)
    except TypeError:  # older torch: no generator argument
        with forked_rng(generator):
            return torch._standard_gamma(concentration)
