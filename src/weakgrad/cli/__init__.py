"""The ``weakgrad`` command line: a thin shell over the library (``compare``, ``figure``, ``bench``, ``rl``)."""

from __future__ import annotations

import sys

from weakgrad.cli import bench_commands, lab_commands, rl_commands  # noqa: F401  (register the commands)
from weakgrad.cli.common import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: run the app; bad input exits with status 2 and a one-line message."""
    sys.exit(app())
