"""What nntop.torch.Monitor costs a training step, measured side by side:
blocks of steps with the monitor and without it, interleaved (so drift in
the machine's speed hits both alike), on a CPU MLP and a small CNN.

    .build/python/bin/python python/bench/overhead.py [--rounds 30] [--steps 300]

Prints each model's median CPU time per step with and without, and the median of
the rounds' paired ratios (each round's two blocks ran back to back). Each
block starts a new Monitor, so its start-up (header, first heatmap) is
counted once per block, far more often than in a real run.
"""

import argparse
import statistics
import tempfile
import time

import torch
from torch import nn

from nntop.torch import Monitor


def mlp() -> tuple[nn.Module, torch.Tensor, torch.Tensor]:
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    return model, torch.randn(128, 784), torch.randint(0, 10, (128,))


def cnn() -> tuple[nn.Module, torch.Tensor, torch.Tensor]:
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 10),
    )
    return model, torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))


def block(model, optimizer, x, y, steps: int, monitor, settle: int = 5) -> float:
    """CPU seconds per step over `steps` steps, after `settle` untimed ones
    (a new monitor's header and first heatmap come once per run, not per block).
    CPU time of this process, not wall time: other tenants of a shared
    machine do not enter it; the monitor's work all runs on this thread."""
    loss_fn = nn.CrossEntropyLoss()
    start = 0.0
    for i in range(settle + steps):
        if i == settle:
            start = time.process_time()
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        if monitor is not None:
            monitor.step(loss)
        else:
            loss.item()  # the monitor reads the loss: so does the baseline
    return (time.process_time() - start) / steps


def measure(name: str, make, rounds: int, steps: int) -> dict:
    torch.manual_seed(0)
    model, x, y = make()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    block(model, optimizer, x, y, steps, None)  # warm-up
    with_monitor, without = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            order = [True, False] if r % 2 == 0 else [False, True]
            for monitored in order:
                if monitored:
                    mon = Monitor(model, optimizer, run=f"{tmp}/run{r}")
                    with_monitor.append(block(model, optimizer, x, y, steps, mon))
                    mon.close()
                else:
                    without.append(block(model, optimizer, x, y, steps, None))
    a, b = statistics.median(with_monitor), statistics.median(without)
    # Each round's two blocks ran back to back: their ratio cancels the machine's drift.
    paired = statistics.median(w / o for w, o in zip(with_monitor, without))
    return {"model": name, "with_ms": a * 1e3, "without_ms": b * 1e3, "ratio": paired}


def inside(name: str, make, steps: int) -> str:
    """The time spent inside the monitor's own code (its hooks and step()),
    timed call by call, as a share of the whole run: the work it adds, free
    of the noise two separate timings carry."""
    torch.manual_seed(0)
    model, x, y = make()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    spent = [0.0]

    def timed(f):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return f(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start
        return wrapper

    with tempfile.TemporaryDirectory() as tmp:
        original = (Monitor.step, Monitor.before_update, Monitor.after_update, Monitor._forward_hook)
        Monitor.step, Monitor.before_update, Monitor.after_update = timed(Monitor.step), timed(Monitor.before_update), timed(Monitor.after_update)
        Monitor._forward_hook = lambda self, layer: timed(original[3](self, layer))
        try:
            mon = Monitor(model, optimizer, run=f"{tmp}/run")
            start = time.perf_counter()
            block(model, optimizer, x, y, steps, mon, settle=0)
            total = time.perf_counter() - start
            mon.close()
        finally:
            Monitor.step, Monitor.before_update, Monitor.after_update, Monitor._forward_hook = original
    return f"{name}: {spent[0] / total * 100:.2f} % of {steps} steps' time inside the monitor ({spent[0] / steps * 1e6:.0f} µs a step)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {args.threads} thread(s), {args.rounds} rounds of {args.steps} steps each way")
    for name, make in [("MLP 784-256-128-10, batch 128", mlp), ("CNN conv16-conv32-fc, 28×28, batch 64", cnn)]:
        r = measure(name, make, args.rounds, args.steps)
        print(inside(name, make, 3000))
        print(f"{r['model']}: {r['without_ms']:.3f} ms/step without, {r['with_ms']:.3f} ms/step with the monitor; paired median ×{r['ratio']:.4f} ({(r['ratio'] - 1) * 100:+.2f} %)")


if __name__ == "__main__":
    main()
