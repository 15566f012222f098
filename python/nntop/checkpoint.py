"""nntop's own checkpoints in PyTorch: :func:`load_sequential` rebuilds the
built-in engine's network as an ``nn.Sequential`` that computes what
``nntop predict`` does (standardised inputs in, the output activation's
values out), and :func:`state_tensors` turns a PyTorch ``state_dict`` into
safetensors data."""

from __future__ import annotations

import json
import os
from typing import Mapping

import torch
from torch import nn

from . import safetensors

#: nntop's activation names and their modules (softmax over the classes).
ACTIVATIONS = {
    "sigmoid": lambda: nn.Sigmoid(),
    "tanh": lambda: nn.Tanh(),
    "relu": lambda: nn.ReLU(),
    "leaky-relu": lambda: nn.LeakyReLU(0.01),
    "linear": lambda: nn.Identity(),
    "softmax": lambda: nn.Softmax(dim=1),
}


class Standardize(nn.Module):
    """``(x − mean) / scale`` per feature: the engine's input standardisation."""

    def __init__(self, mean: torch.Tensor, scale: torch.Tensor) -> None:
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("scale", scale)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean) / self.scale


def load_sequential(path: str | os.PathLike[str]) -> nn.Sequential:
    """A checkpoint written by nntop (``--save``, ``s``) as an ``nn.Sequential``:
    ``Standardize``, then per layer ``Linear`` and its activation. Its outputs
    for raw feature rows are the probabilities (or values, for regression,
    before the target's de-standardisation) the engine computes."""
    tensors, metadata = safetensors.read(path)
    if not metadata.get("format", "").startswith("nntop/"):
        raise ValueError(f"{os.fspath(path)}: not an nntop checkpoint (no nntop format in its metadata)")
    architecture = json.loads(metadata["architecture"])
    sizes, activations = architecture["sizes"], architecture["activations"]

    def tensor(name: str, shape: list[int]) -> torch.Tensor:
        t = tensors.get(name)
        if t is None or t.shape != shape:
            raise ValueError(f"{os.fspath(path)}: {name} missing or not of shape {shape}")
        return torch.tensor(t.values.tolist(), dtype=torch.float32).reshape(shape)

    modules: list[nn.Module] = [Standardize(tensor("normalizer.mean", [sizes[0]]), tensor("normalizer.scale", [sizes[0]]))]
    for layer, (inputs, outputs) in enumerate(zip(sizes, sizes[1:])):
        linear = nn.Linear(inputs, outputs)
        with torch.no_grad():
            linear.weight.copy_(tensor(f"layers.{layer}.weight", [outputs, inputs]))  # (out, in)
            linear.bias.copy_(tensor(f"layers.{layer}.bias", [outputs]))
        name = activations[layer]
        if name not in ACTIVATIONS:
            raise ValueError(f"{os.fspath(path)}: unknown activation {name!r}")
        modules += [linear, ACTIVATIONS[name]()]
    return nn.Sequential(*modules).eval()


def plain_name(name: str) -> str:
    """A parameter's name without the wrappers' prefixes (DDP's ``module.``, torch.compile's ``_orig_mod.``)."""
    for prefix in ("module.", "_orig_mod."):
        while name.startswith(prefix):
            name = name[len(prefix) :]
        name = name.replace("." + prefix, ".")
    return name


def state_tensors(state: Mapping[str, torch.Tensor]) -> dict[str, tuple[list[int], bytes]]:
    """A ``state_dict``'s floating-point tensors as F32 safetensors data."""
    out: dict[str, tuple[list[int], bytes]] = {}
    for name, value in state.items():
        if not isinstance(value, torch.Tensor) or not value.is_floating_point():
            continue
        # A copy of its own: its storage holds exactly its values, little-endian on x86 and ARM.
        t = value.detach().to("cpu", torch.float32).contiguous().clone()
        raw = bytes(t.untyped_storage())
        out[plain_name(name)] = (list(t.shape), raw)
    return out

