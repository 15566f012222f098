"""What nntop.torch.Monitor costs a DistributedDataParallel step, measured
side by side under torchrun: blocks of steps with the monitor (its hooks,
its sampled statistics, and the ranks' sync every 16 steps through the
store) and without it, interleaved, on the CPU MLP of overhead.py.

    .build/python/bin/torchrun --standalone --nproc_per_node=2 python/bench/ddp_overhead.py [--rounds 15] [--steps 200]

Rank 0 prints the median wall time per step with and without, and the median
of the rounds' paired ratios. Wall time: a DDP step waits for the slowest rank.
"""

import argparse
import statistics
import tempfile
import time

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from nntop.torch import Monitor


def block(model, optimizer, x, y, steps: int, monitor) -> float:
    loss_fn = nn.CrossEntropyLoss()
    dist.barrier()
    start = time.perf_counter()
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        if monitor is not None:
            monitor.step(loss)
    dist.barrier()
    return (time.perf_counter() - start) / steps


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--steps", type=int, default=200)
    args = parser.parse_args()
    dist.init_process_group("gloo")
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = DistributedDataParallel(nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.randn(128, 784), torch.randint(0, 10, (128,))
    block(model, optimizer, x, y, 20, None)  # warm up
    plain, monitored, ratios = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        for r in range(args.rounds):
            without = block(model, optimizer, x, y, args.steps, None)
            monitor = Monitor(model, optimizer, run=f"{folder}/run{r}")
            with_monitor = block(model, optimizer, x, y, args.steps, monitor)
            monitor.close()
            plain.append(without)
            monitored.append(with_monitor)
            ratios.append(with_monitor / without)
    if dist.get_rank() == 0:
        print(f"ranks {dist.get_world_size()}, {args.rounds} rounds of {args.steps} steps, torch {torch.__version__}")
        print(f"without the monitor: {statistics.median(plain) * 1e3:.3f} ms/step (median)")
        print(f"with the monitor:    {statistics.median(monitored) * 1e3:.3f} ms/step (median)")
        print(f"paired ratio, median: {statistics.median(ratios):.4f} (min {min(ratios):.4f}, max {max(ratios):.4f})")
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
