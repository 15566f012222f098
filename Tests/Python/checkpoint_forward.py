"""Applies an nntop checkpoint with NumPy alone, as someone outside nntop would.

Usage: checkpoint_forward.py MODEL.safetensors DATA.csv

Loads the file with the `safetensors` package, checks every tensor is fp32
with the shape the metadata promises, standardises the CSV's feature columns
(found by the names stored in the checkpoint), runs the forward pass
Z = W·A + b layer by layer and prints one prediction per row in
`nntop predict`'s format: the class name, or the values in the target's units.
"""
import csv
import json
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file


def activate(name, z):
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "leaky-relu":
        return np.where(z > 0, z, 0.01 * z)
    if name == "linear":
        return z
    if name == "softmax":
        e = np.exp(z - z.max(axis=0, keepdims=True))
        return e / e.sum(axis=0, keepdims=True)
    raise SystemExit(f"unknown activation {name}")


def main():
    model_path, csv_path = sys.argv[1], sys.argv[2]
    tensors = load_file(model_path)
    with safe_open(model_path, framework="np") as f:
        meta = f.metadata()
    arch = json.loads(meta["architecture"])
    encoding = json.loads(meta["encoding"])
    features = json.loads(meta["features"])
    sizes, activations = arch["sizes"], arch["activations"]
    for name, t in tensors.items():
        assert t.dtype == np.float32, f"{name} is {t.dtype}"
    layers = []
    for l in range(len(sizes) - 1):
        w, b = tensors[f"layers.{l}.weight"], tensors[f"layers.{l}.bias"]
        assert w.shape == (sizes[l + 1], sizes[l]), (l, w.shape)
        assert b.shape == (sizes[l + 1],), (l, b.shape)
        layers.append((w, b, activations[l]))
    mean, scale = tensors["normalizer.mean"], tensors["normalizer.scale"]
    assert mean.shape == scale.shape == (sizes[0],)

    with open(csv_path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], [r for r in rows[1:] if r]
    columns = [header.index(name) for name in features]
    x = np.array([[float(r[c]) for c in columns] for r in body], dtype=np.float32)
    a = ((x - mean) / scale).T  # (features, examples): one column per example
    for w, b, act in layers:
        a = activate(act, w @ a + b[:, None])

    kind = encoding["kind"]
    for j in range(a.shape[1]):
        if kind == "binary":
            print(encoding["classes"][1 if a[0, j] >= 0.5 else 0])
        elif kind == "one-hot":
            print(encoding["classes"][int(np.argmax(a[:, j]))])
        else:
            values = a[:, j] * np.array(encoding["scale"]) + np.array(encoding["mean"])
            print(",".join("%.6g" % v for v in values))


main()
