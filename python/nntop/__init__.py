"""nntop for PyTorch: make a training run watchable and steerable from the
``nntop`` terminal dashboard.

- :class:`nntop.torch.Monitor` — three lines in a training loop.
- :class:`nntop.lightning.Callback` — the same for a Lightning ``Trainer``.
- :func:`nntop.load` — a model trained by nntop's own engine, as ``nn.Sequential``.

The run directory, the run log and the commands file are described in
``nntop.rundir``; this package uses the standard library only (torch is
imported by the modules that need it).
"""

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["load", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    import torch


def load(path: str) -> "torch.nn.Sequential":
    """A checkpoint of nntop's built-in engine as an ``nn.Sequential`` (input
    standardisation first, then each layer and its activation): see
    :func:`nntop.checkpoint.load_sequential`."""
    from .checkpoint import load_sequential

    return load_sequential(path)


def __getattr__(name: str) -> Any:  # lazy submodules: ``nntop.torch`` imports torch
    if name in ("torch", "lightning", "checkpoint", "rundir", "runlog", "commands", "safetensors"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(name)
