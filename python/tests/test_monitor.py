"""nntop.torch.Monitor against PyTorch itself: the statistics it logs are
recomputed here independently, and its commands are checked on the real
optimiser and training loop."""

import json
import math
import os
import threading
import time
from pathlib import Path

import pytest
import torch
from torch import nn

from nntop.torch import Monitor


def lines(path: Path, kind: str | None = None) -> list[dict]:
    records = [json.loads(line) for line in path.read_text().splitlines() if line]
    return [r for r in records if kind is None or r["type"] == kind]


def command(run: Path, **fields) -> None:
    fd = os.open(run / "commands.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.write(fd, (json.dumps(fields) + "\n").encode())
    os.close(fd)


def wait_for(predicate, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError("timed out waiting")


def test_run_dir_is_owner_only_and_the_header_describes_the_model(run_dir):
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    mon = Monitor(model, torch.optim.SGD(model.parameters(), lr=0.1), run=run_dir)
    mon.step(torch.tensor(1.0), acc=0.5)
    mon.close()
    assert (run_dir.stat().st_mode & 0o777) == 0o700
    header = lines(run_dir / "log.jsonl", "run")[0]
    assert header["schema"] == 1 and header["source"] == "pytorch" and header["pid"] == os.getpid()
    assert header["layers"] == [[8, 4], [3, 8]] and header["activations"] == ["relu", "linear"]
    assert header["layer_names"] == ["0", "2"] and header["task"] == "classification"
    assert lines(run_dir / "log.jsonl", "summary")[0]["ending"] == "completed"


def test_gradient_and_update_statistics_match_pytorch(run_dir):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(5, 16), nn.Tanh(), nn.Linear(16, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    mon = Monitor(model, optimizer, run=run_dir, sample_every=1, sample_seconds=1e9)
    x, y = torch.randn(64, 5), torch.randn(64, 2)
    expected = []
    for _ in range(5):
        optimizer.zero_grad()
        out = model(x)
        loss = nn.functional.mse_loss(out, y)
        loss.backward()
        grads = [model[0].weight.grad.norm().item(), model[2].weight.grad.norm().item()]
        before = [model[0].weight.detach().clone(), model[2].weight.detach().clone()]
        with torch.no_grad():
            hidden = torch.tanh(model[0](x))
        optimizer.step()
        ratios = [(model[i].weight - b).norm().item() / model[i].weight.norm().item() for i, b in zip((0, 2), before)]
        expected.append((loss.item(), grads, ratios, hidden.mean().item(), hidden.std().item()))
        mon.step(loss)
    mon.close()
    samples = [s for s in lines(run_dir / "log.jsonl", "sample") if s["layers"]]
    assert len(samples) == 5
    for sample, (loss, grads, ratios, mean, std) in zip(samples, expected):
        assert sample["loss"][0] == pytest.approx(loss, rel=1e-6) and sample["loss"][3] == 1
        for layer, g, r in zip(sample["layers"], grads, ratios):
            assert layer["grad_norm"] == pytest.approx(g, rel=1e-5)
            assert layer["update_ratio"] == pytest.approx(r, rel=1e-4)  # exact for Adam: the weights are diffed
        assert sample["layers"][0]["act_mean"] == pytest.approx(mean, abs=1e-6)
        assert sample["layers"][0]["act_std"] == pytest.approx(std, rel=1e-5)


def test_dead_and_saturated_units_are_counted(run_dir):
    dead = nn.Linear(3, 4)
    squash = nn.Linear(3, 4)
    with torch.no_grad():
        for layer in (dead, squash):
            layer.weight.zero_()
        dead.bias.copy_(torch.tensor([1.0, -1.0, 1.0, -1.0]))  # units 2 and 4 never fire
        squash.bias.copy_(torch.tensor([10.0, 0.0, -10.0, 0.0]))  # units 1 and 3 sit where σ' ≈ 0
    model = nn.ModuleDict({"a": nn.Sequential(dead, nn.ReLU()), "b": nn.Sequential(squash, nn.Sigmoid())})
    optimizer = torch.optim.SGD(model.parameters(), lr=0.0)
    mon = Monitor(model, optimizer, run=run_dir)
    x = torch.randn(32, 3)
    model["a"](x), model["b"](x)
    mon.step(torch.tensor(0.5))
    mon.close()
    layers = lines(run_dir / "log.jsonl", "sample")[0]["layers"]
    assert layers[0]["dead"] == 0.5 and layers[0]["saturated"] == 0
    assert layers[1]["saturated"] == 0.5 and layers[1]["dead"] == 0


def train_in_thread(run: Path, scheduler_kind: str = "none", groups: bool = False):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
    params = [{"params": model[0].parameters(), "lr": 0.1}, {"params": model[2].parameters(), "lr": 0.01}] if groups else model.parameters()
    optimizer = torch.optim.SGD(params, lr=0.1)
    scheduler = None
    if scheduler_kind == "lambda":
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)
    elif scheduler_kind == "onecycle":
        scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=10**7)
    mon = Monitor(model, optimizer, run=run, scheduler=scheduler)
    state = {"steps": 0, "returned": None, "optimizer": optimizer, "monitor": mon}
    x, y = torch.randn(256, 2), torch.randn(256, 1)

    def loop():
        while True:
            optimizer.zero_grad()
            loss = nn.functional.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            state["steps"] += 1
            if not mon.step(loss):
                state["returned"] = False
                break
        mon.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return thread, state


def events(run: Path, name: str) -> list[dict]:
    return [e for e in lines(run / "log.jsonl", "event") if e["event"] == name]


def test_pause_blocks_the_loop_step_runs_one_and_stop_ends_it(run_dir):
    thread, state = train_in_thread(run_dir)
    wait_for(lambda: state["steps"] > 20)
    command(run_dir, id=1, command="pause")
    paused = wait_for(lambda: events(run_dir, "pause"))[0]
    assert paused["command_id"] == 1
    # Blocked inside mon.step after step S: the loop's counter is S.
    assert wait_for(lambda: state["steps"] == paused["step"] or None, timeout=2)
    command(run_dir, id=2, command="step", count=1)
    wait_for(lambda: events(run_dir, "step"))
    # Exactly one more step, measured, then blocked again: a sample at S+1 and the counter at S+1.
    sample = wait_for(lambda: [s for s in lines(run_dir / "log.jsonl", "sample") if s["step"] == paused["step"] + 1])
    assert sample[0]["layers"], "a single step is measured"
    assert state["steps"] == paused["step"] + 1
    command(run_dir, id=3, command="resume")
    wait_for(lambda: state["steps"] > paused["step"] + 10)
    command(run_dir, id=4, command="stop")
    thread.join(timeout=20)
    assert not thread.is_alive() and state["returned"] is False
    assert events(run_dir, "stop")[0]["command_id"] == 4
    assert lines(run_dir / "log.jsonl", "summary")[0]["ending"] == "quit"


def test_eta_scales_every_group_and_lasts_under_a_scheduler(run_dir):
    thread, state = train_in_thread(run_dir, scheduler_kind="lambda", groups=True)
    wait_for(lambda: state["steps"] > 5)
    command(run_dir, id=1, command="scale-lr", factor=2)
    ack = wait_for(lambda: events(run_dir, "lr"))[0]
    assert ack["command_id"] == 1 and ack["from"] == pytest.approx(0.1) and ack["to"] == pytest.approx(0.2)
    # LambdaLR sets η = base × λ every step: it still says 0.2 and 0.02 many steps later.
    at = state["steps"]
    wait_for(lambda: state["steps"] > at + 20)
    assert [g["lr"] for g in state["optimizer"].param_groups] == pytest.approx([0.2, 0.02])
    command(run_dir, id=2, command="set-lr", lr=0.05)
    wait_for(lambda: len(events(run_dir, "lr")) == 2)
    assert [g["lr"] for g in state["optimizer"].param_groups] == pytest.approx([0.05, 0.005])
    command(run_dir, id=3, command="set-lr", lr="fast")
    command(run_dir, id=4, command="launch")
    refused = wait_for(lambda: len(events(run_dir, "refused")) == 2 and events(run_dir, "refused"))
    assert [(r["command_id"], r["reason"]) for r in refused] == [(3, "lr must be a positive number"), (4, "unknown command 'launch'")]
    command(run_dir, id=5, command="stop")
    thread.join(timeout=20)


def test_eta_is_refused_where_the_scheduler_overwrites_it(run_dir):
    thread, state = train_in_thread(run_dir, scheduler_kind="onecycle")
    wait_for(lambda: state["steps"] > 5)
    command(run_dir, id=1, command="scale-lr", factor=2)
    refused = wait_for(lambda: events(run_dir, "refused"))[0]
    assert refused["command"] == "scale-lr" and "OneCycleLR sets η every step" in refused["reason"]
    command(run_dir, id=2, command="stop")
    thread.join(timeout=20)


def test_save_writes_a_loadable_checkpoint_inside_the_run_dir(run_dir):
    safetensors_torch = pytest.importorskip("safetensors.torch")
    thread, state = train_in_thread(run_dir)
    wait_for(lambda: state["steps"] > 5)
    command(run_dir, id=1, command="pause")
    wait_for(lambda: events(run_dir, "pause"))
    command(run_dir, id=2, command="save")
    saved = wait_for(lambda: events(run_dir, "save"))[0]
    assert saved["ok"] and saved["path"].startswith("checkpoints/step-")
    tensors = safetensors_torch.load_file(run_dir / saved["path"])
    model = state["monitor"].model
    assert set(tensors) == {"0.weight", "0.bias", "2.weight", "2.bias"}
    assert torch.equal(tensors["0.weight"], model[0].weight.detach())
    assert (run_dir / saved["path"].replace(".safetensors", ".optim.pt")).exists()
    command(run_dir, id=3, command="stop")
    thread.join(timeout=20)


def test_a_failed_log_write_warns_once_and_training_goes_on(run_dir, capsys):
    model = nn.Linear(2, 1)
    mon = Monitor(model, torch.optim.SGD(model.parameters(), lr=0.1), run=run_dir)
    mon.log._file.close()
    mon.log._file = open("/dev/full", "w", buffering=1)
    for _ in range(3):
        model(torch.randn(4, 2)).sum().backward()
        assert mon.step(torch.tensor(1.0))
    mon.close()
    assert capsys.readouterr().err.count("cannot write the run log") == 1


def test_hooks_registered_before_compiling_still_measure(run_dir):
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    mon = Monitor(model, optimizer, run=run_dir, sample_every=1, sample_seconds=1e9)
    compiled = torch.compile(model, backend="eager")
    x = torch.randn(16, 4)
    for _ in range(3):
        optimizer.zero_grad()
        loss = compiled(x).pow(2).mean()
        loss.backward()
        optimizer.step()
        mon.step(loss)
    mon.close()
    samples = [s for s in lines(run_dir / "log.jsonl", "sample") if s["layers"]]
    assert len(samples) == 3 and all(s["layers"][0]["act_std"] is not None for s in samples)


def test_units_are_channels_for_convolutions_and_features_for_sequences(run_dir):
    conv = nn.Conv2d(1, 4, 1)
    embed = nn.Embedding(10, 6)
    with torch.no_grad():
        conv.weight.zero_()
        conv.bias.copy_(torch.tensor([1.0, -1.0, -1.0, -1.0]))  # channels 2-4 never fire
        embed.weight.copy_(torch.tensor([[1.0, -1, -1, -1, -1, -1]]).repeat(10, 1))  # features 2-6 never positive
    model = nn.ModuleDict({"c": nn.Sequential(conv, nn.ReLU()), "e": nn.Sequential(embed, nn.ReLU())})
    mon = Monitor(model, torch.optim.SGD(model.parameters(), lr=0.0), run=run_dir)
    model["c"](torch.randn(2, 1, 5, 5)), model["e"](torch.randint(0, 10, (3, 7)))
    mon.step(torch.tensor(0.1))
    mon.close()
    layers = lines(run_dir / "log.jsonl", "sample")[0]["layers"]
    assert layers[0]["dead"] == 0.75 and layers[0]["shape"] == [4, 1]
    assert layers[1]["dead"] == pytest.approx(5 / 6) and layers[1]["shape"] == [10, 6]


def test_save_refuses_a_checkpoints_folder_that_leads_out_of_the_run_dir(run_dir, tmp_path):
    model = nn.Linear(2, 1)
    mon = Monitor(model, torch.optim.SGD(model.parameters(), lr=0.1), run=run_dir)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (run_dir / "checkpoints").symlink_to(outside)
    command(run_dir, id=1, command="save")
    model(torch.randn(4, 2)).sum().backward()
    mon.step(torch.tensor(1.0))
    mon.close()
    saved = events(run_dir, "save")[0]
    assert saved["ok"] is False and "outside the run directory" in saved["error"]
    assert list(outside.iterdir()) == []
