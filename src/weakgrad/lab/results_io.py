"""Writing lab results: a tidy CSV and a JSON file of the configuration, seed and package versions."""

from __future__ import annotations

import csv
import json
import platform
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import torch

__all__ = ["read_csv", "versions", "write_config", "write_csv"]


def versions() -> dict[str, str]:
    from weakgrad import __version__

    return {"weakgrad": __version__, "torch": torch.__version__, "numpy": np.__version__,
            "python": sys.version.split()[0], "platform": platform.platform()}


def write_csv(records: Sequence[Mapping[str, object]], path: Path) -> Path:
    """One row per record; list-valued fields are JSON-encoded."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = list(records[0]) if records else []
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for record in records:
            writer.writerow({k: json.dumps(v) if isinstance(v, list | tuple) else v for k, v in record.items()})
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with Path(path).open(newline="") as handle:
        return list(csv.DictReader(handle))


def write_config(config: Mapping[str, object], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**config, "versions": versions()}, indent=2, default=str) + "\n")
    return path
