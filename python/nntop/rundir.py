"""The run directory a watched run shares with ``nntop watch``.

::

    RUN/
      log.jsonl          the run log (rank 0, or the only process)
      log.rank{R}.jsonl  the other ranks' logs
      commands.jsonl     appended by ``nntop watch``: one JSON command a line
      checkpoints/       written on ``s``: step-S.safetensors (+ .optim.pt)

The directory is created ``0700``: the commands it holds steer the process.
"""

from __future__ import annotations

import os
from pathlib import Path

LOG = "log.jsonl"
COMMANDS = "commands.jsonl"
CHECKPOINTS = "checkpoints"


def log_name(rank: int = 0) -> str:
    """``log.jsonl`` for rank 0, ``log.rank{R}.jsonl`` for the others."""
    return LOG if rank == 0 else f"log.rank{rank}.jsonl"


def make(run: str | os.PathLike[str]) -> Path:
    """Creates the run directory (and its parents) owner-only, or checks an
    existing one is a directory; returns its path."""
    path = Path(run)
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(f"{path}: not a directory (nntop's run directory)")
    existed = path.exists()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not existed:
        os.chmod(path, 0o700)  # mkdir's mode is cut by the umask
    return path


def inside(run: Path, name: str) -> Path:
    """``run/name``, refusing a name that leads out of the run directory."""
    target = (run / name).resolve()
    root = run.resolve()
    if target != root and root not in target.parents:
        raise ValueError(f"{name}: outside the run directory")
    return target
