"""nntop.load: a checkpoint of the built-in engine as nn.Sequential,
checked against `nntop predict` on the same rows."""

import csv
import json
import random
import subprocess

import torch

import nntop
from nntop import safetensors


def test_the_sequential_predicts_what_nntop_predict_does(tmp_path, nntop_binary):
    rng = random.Random(1)
    rows = []
    for _ in range(300):
        a, b, c = (rng.uniform(-3, 3) for _ in range(3))
        label = ["low", "mid", "high"][(a + b > 1) + (a + b > -1)]
        rows.append([round(a, 3), round(b * 10, 3), round(c + 5, 3), label])  # unstandardised on purpose
    data = tmp_path / "d.csv"
    with open(data, "w", newline="") as f:
        csv.writer(f).writerows([["a", "b", "c", "label"]] + rows)
    model_path = tmp_path / "m.safetensors"
    subprocess.run(
        [nntop_binary, "--headless", "--data", str(data), "--target", "label", "--epochs", "8", "--layers", "16", "--save", str(model_path)],
        check=True, capture_output=True,
    )
    predicted = subprocess.run(
        [nntop_binary, "predict", "--load", str(model_path), "--data", str(data)], check=True, capture_output=True, text=True
    ).stdout.split()
    model = nntop.load(str(model_path))
    classes = json.loads(safetensors.read(model_path)[1]["encoding"])["classes"]
    with torch.no_grad():
        probabilities = model(torch.tensor([r[:3] for r in rows], dtype=torch.float32))
    assert probabilities.shape == (300, 3)
    assert torch.allclose(probabilities.sum(1), torch.ones(300), atol=1e-5), "softmax outputs"
    ours = [classes[i] for i in probabilities.argmax(1).tolist()]
    assert ours == predicted
    assert isinstance(model[0], nntop.checkpoint.Standardize) and isinstance(model[1], torch.nn.Linear)


def test_a_file_that_is_not_an_nntop_checkpoint_is_refused(tmp_path):
    path = tmp_path / "other.safetensors"
    safetensors.write(path, {"w": ([1], b"\x00\x00\x80\x3f")}, {"format": "pt"})
    try:
        nntop.load(str(path))
    except ValueError as error:
        assert "not an nntop checkpoint" in str(error)
    else:
        raise AssertionError("loaded a foreign file")
