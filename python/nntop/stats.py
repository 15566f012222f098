"""Per-layer statistics of a PyTorch model, measured on sampled steps only:
the same quantities nntop's own engine records (``LayerStatistics`` on the
Swift side), so the same Swift code judges them.

A *layer* is every module with a ``weight`` parameter (Linear, Conv*,
Embedding, norms…). Its activation is the activation module that follows it
in the model's module order (``nn.ReLU`` after ``nn.Linear`` in a
``Sequential``), or ``linear`` when none does (``F.relu`` in ``forward`` is
invisible here): dead and saturated units are judged only where it is known.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Optional

import torch
from torch import nn

#: Module classes that are activations, by the family the verdicts use.
RECTIFIERS = (nn.ReLU, nn.ReLU6, nn.LeakyReLU, nn.PReLU, nn.RReLU, nn.ELU, nn.SELU, nn.CELU, nn.GELU, nn.SiLU, nn.Mish)
SQUASHING = (nn.Sigmoid, nn.Tanh, nn.Hardtanh, nn.Hardsigmoid, nn.Softsign)

#: σ' below this share of its maximum counts as saturated (as in the engine).
SATURATION = 0.05

#: Activation statistics look at the first examples of the batch, up to this many values.
ACTIVATION_BUDGET = 1 << 16

#: The heatmap's largest picture: weights are average-pooled down to this.
HEATMAP_SIDE = 64


@dataclass
class Layer:
    """One module with a weight, and what was measured of it this sample."""

    name: str
    module: nn.Module
    activation: Optional[nn.Module]
    #: ``(out, in)``: W as a matrix (a conv kernel's in × kh × kw as its inputs).
    shape: tuple[int, int]
    forward: dict[str, float] = field(default_factory=dict)
    grad_norm: float = math.nan
    bias_grad_norm: float = math.nan
    update_ratio: float = math.nan
    weight_norm: float = math.nan
    before: Optional[torch.Tensor] = None

    @property
    def activation_name(self) -> str:
        return type(self.activation).__name__.lower() if self.activation is not None else "linear"

    @property
    def weight(self) -> torch.Tensor:
        return self.module.weight  # type: ignore[return-value]

    @property
    def bias(self) -> Optional[torch.Tensor]:
        bias = getattr(self.module, "bias", None)
        return bias if isinstance(bias, torch.Tensor) else None

    def clear(self) -> None:
        self.forward = {}
        self.grad_norm = self.bias_grad_norm = self.update_ratio = self.weight_norm = math.nan
        self.before = None


def unwrapped(model: nn.Module) -> nn.Module:
    """The model inside DDP's (or DataParallel's) and torch.compile's wrappers."""
    while True:
        if isinstance(model, (nn.parallel.DistributedDataParallel, nn.DataParallel)):
            model = model.module
        elif isinstance(getattr(model, "_orig_mod", None), nn.Module):
            model = model._orig_mod  # type: ignore[assignment]
        else:
            return model


def find_layers(model: nn.Module) -> list[Layer]:
    """The model's modules with a weight, in module order, each with the activation after it."""
    leaves = [(name, m) for name, m in unwrapped(model).named_modules() if not any(True for _ in m.children())]
    layers: list[Layer] = []
    seen: set[int] = set()
    for i, (name, module) in enumerate(leaves):
        weight = getattr(module, "weight", None)
        if not isinstance(weight, nn.Parameter) or id(module) in seen:
            continue
        seen.add(id(module))
        following = leaves[i + 1][1] if i + 1 < len(leaves) else None
        activation = following if isinstance(following, RECTIFIERS + SQUASHING) else None
        shape = (weight.shape[0], max(1, weight[0].numel())) if weight.dim() >= 1 else (1, 1)
        layers.append(Layer(name or type(module).__name__, module, activation, (int(shape[0]), int(shape[1]))))
    return layers


@torch.no_grad()
def measure_output(layer: Layer, output: Any) -> None:
    """Activation mean and std, dead and saturated fractions, non-finite count, from the layer's output."""
    if not isinstance(output, torch.Tensor) or not output.is_floating_point() or output.numel() == 0:
        return
    z = output.detach()
    if z.dim() >= 2 and z.shape[0] > 1:
        # A slice of the batch, at most ACTIVATION_BUDGET values (at least one
        # example): a conv layer's activations are large, and every example
        # of a sampled step is not needed to see dead or saturated units.
        examples = max(1, min(z.shape[0], ACTIVATION_BUDGET // max(1, z[0].numel())))
        z = z[:examples]
    z = z.float()
    a = layer.activation(z) if layer.activation is not None else z
    nonfinite = int((~torch.isfinite(z)).sum())
    stats = {"act_mean": float(a.mean()), "act_std": float(a.std()) if a.numel() > 1 else 0.0, "nonfinite": float(nonfinite)}
    # A conv or batch norm's units are its channels, (B, C, H, W); any other
    # layer's (Linear, Embedding, LayerNorm on (B, T, features)) its last dimension.
    channels = isinstance(layer.module, (nn.modules.conv._ConvNd, nn.modules.batchnorm._NormBase, nn.GroupNorm)) and z.dim() >= 3
    unit_dim = 1 if channels else z.dim() - 1
    if isinstance(layer.activation, RECTIFIERS) and z.dim() >= 2:
        fired = (z > 0).movedim(unit_dim, 0).reshape(z.shape[unit_dim], -1).any(dim=1)
        stats["dead"] = 1.0 - float(fired.float().mean())
    if isinstance(layer.activation, nn.Sigmoid):
        stats["saturated"] = float((a * (1 - a) < SATURATION * 0.25).float().mean())
    elif isinstance(layer.activation, (nn.Tanh, nn.Hardtanh)):
        stats["saturated"] = float((1 - a * a < SATURATION).float().mean())
    layer.forward = stats


def norms(tensors: list[torch.Tensor]) -> list[float]:
    """The 2-norm of each tensor (one fused call)."""
    if not tensors:
        return []
    return [float(n) for n in torch._foreach_norm([t.detach().float() for t in tensors])]


@torch.no_grad()
def before_update(layers: list[Layer]) -> None:
    """Gradient norms, and a copy of the weights to diff after the update."""
    gradient_norms(layers)
    for layer in layers:
        layer.before = layer.weight.detach().clone()


@torch.no_grad()
def gradient_norms(layers: list[Layer]) -> None:
    """‖∂J/∂W‖ and ‖∂J/∂b‖ of each layer's current gradients."""
    with_grad = [layer for layer in layers if layer.weight.grad is not None]
    for layer, n in zip(with_grad, norms([layer.weight.grad for layer in with_grad])):  # type: ignore[misc]
        layer.grad_norm = n
    with_bias = [layer for layer in layers if layer.bias is not None and layer.bias.grad is not None]
    for layer, n in zip(with_bias, norms([layer.bias.grad for layer in with_bias])):  # type: ignore[misc, union-attr]
        layer.bias_grad_norm = n


@torch.no_grad()
def after_update(layers: list[Layer]) -> None:
    """‖ΔW‖/‖W‖ of the update just applied, exact for any optimiser (the weights are diffed)."""
    changed = [layer for layer in layers if layer.before is not None]
    if not changed:
        return
    deltas = torch._foreach_sub([layer.weight.detach() for layer in changed], [layer.before for layer in changed])  # type: ignore[misc]
    for layer, delta, weight in zip(changed, norms(deltas), norms([layer.weight for layer in changed])):
        layer.update_ratio = delta / weight if weight > 0 else (0.0 if delta == 0 else math.inf)
        layer.weight_norm = weight
        layer.before = None


def record(index: int, layer: Layer) -> dict[str, Any]:
    """The layer's entry in a ``sample`` line (the engine's field names)."""
    # ‖W‖ as after_update measured it for the update ratio, else now.
    weight_norm = layer.weight_norm if not math.isnan(layer.weight_norm) else norms([layer.weight])[0]
    f = layer.forward

    def number(v: float) -> Optional[float]:
        return v if math.isfinite(v) else None

    nonfinite = f.get("nonfinite", 0) > 0 or not math.isfinite(weight_norm) or (layer.grad_norm == math.inf)
    return {
        "name": layer.name,
        "shape": [layer.shape[0], layer.shape[1]],
        "grad_norm": number(layer.grad_norm),
        "bias_grad_norm": number(layer.bias_grad_norm),
        "weight_norm": number(weight_norm),
        "update_ratio": number(layer.update_ratio),
        "act_mean": number(f.get("act_mean", math.nan)),
        "act_std": number(f.get("act_std", math.nan)),
        "dead": f.get("dead", 0.0),
        "saturated": f.get("saturated", 0.0),
        "nonfinite": bool(nonfinite),
        "nonfinite_count": int(f.get("nonfinite", 0)),
    }


@torch.no_grad()
def heatmap(layer: Layer) -> dict[str, Any]:
    """The layer's weights as a matrix, average-pooled to at most 64×64, for a ``weights`` line."""
    w = layer.weight.detach().float().reshape(layer.shape[0], -1)
    rows, cols = w.shape
    pooled = rows > HEATMAP_SIDE or cols > HEATMAP_SIDE
    if pooled:
        w = torch.nn.functional.adaptive_avg_pool2d(w[None, None], (min(rows, HEATMAP_SIDE), min(cols, HEATMAP_SIDE)))[0, 0]
    entry: dict[str, Any] = {"w": four_digits(w)}
    bias = layer.bias
    if pooled:
        entry["b"] = []  # a pooled picture has no units to give biases to
    elif bias is None or bias.numel() != rows:
        entry["b"] = [0.0] * rows
    else:
        entry["b"] = four_digits(bias.detach())
    if pooled:
        entry["shape"] = [int(w.shape[0]), int(w.shape[1])]
    return entry


@torch.no_grad()
def four_digits(values: torch.Tensor) -> list[Optional[float]]:
    """Each value to 4 significant digits (what a heatmap can show), rounded
    in one vectorised pass rather than formatted one by one: an integer
    divided by an exact power of ten is the double nearest the decimal, which
    JSON then writes short. NaN and infinities become None (null)."""
    v = values.detach().double().flatten()
    finite = torch.isfinite(v)
    exponent = torch.floor(torch.log10(v.abs().clamp_min(1e-300)))
    small = exponent <= 3
    scale = torch.pow(10.0, torch.where(small, 3 - exponent, exponent - 3))
    rounded = torch.where(small, torch.round(v * scale) / scale, torch.round(v / scale) * scale)
    rounded = torch.where(v == 0, torch.zeros_like(v), rounded)
    return [x if ok else None for x, ok in zip(rounded.tolist(), finite.tolist())]
