"""A DistributedDataParallel run to watch: the spirals MLP on every rank,
each on its own shard, with the same three lines of ``nntop.torch.Monitor``.

    torchrun --nproc_per_node=2 train_ddp.py --run-dir runs/ddp    # then: nntop watch runs/ddp

On CPU it uses gloo. Every rank writes its own log (``log.jsonl`` for rank 0,
``log.rank1.jsonl`` …); rank 0 reads the dashboard's commands and the ranks
apply them at the same step.
"""

import argparse
import datetime
import json
import math
import os
import time

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from nntop.torch import Monitor


def spirals(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    k = torch.arange(n) % 3
    r = torch.rand(n, generator=g)
    t = 4 * r + k * (2 * math.pi / 3) + 0.2 * torch.randn(n, generator=g)
    return torch.stack([r * torch.cos(t), r * torch.sin(t)], dim=1), k


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--run-dir", required=True)
    parser.add_argument("--epochs", type=int, default=0, help="0: until stopped")
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--timeout", type=float, default=1800, help="the process group's timeout, in seconds")
    parser.add_argument("--sync-every", type=int, default=16)
    parser.add_argument("--step-seconds", type=float, default=0.0, help="sleep this long every step (a slower model)")
    parser.add_argument("--report", help="write each rank's final state to REPORT.rank{R}.json")
    args = parser.parse_args()

    dist.init_process_group("gloo", timeout=datetime.timedelta(seconds=args.timeout))
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(0)  # the same initial weights on every rank
    x, y = spirals(1200, seed=1)
    x, y = x[rank::world], y[rank::world]  # this rank's shard
    model = DistributedDataParallel(nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 3)))
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    mon = Monitor(model, optimizer, run=args.run_dir, epochs=args.epochs or None, name="spirals (DDP)", sync_every=args.sync_every)
    epoch = 0
    with mon:
        generator = torch.Generator().manual_seed(rank)
        while args.epochs == 0 or epoch < args.epochs:
            order = torch.randperm(len(x), generator=generator)
            for start in range(0, len(x), 32):
                batch = order[start : start + 32]
                optimizer.zero_grad()
                out = model(x[batch])
                loss = loss_fn(out, y[batch])
                loss.backward()
                optimizer.step()
                if args.step_seconds:
                    time.sleep(args.step_seconds)
                if not mon.step(loss, acc=(out.argmax(1) == y[batch]).float().mean().item()):
                    break
            if mon.stopping:
                break
            epoch += 1
            mon.epoch()
    if args.report:
        flat = torch.cat([p.detach().flatten() for p in model.parameters()])
        report = {
            "rank": rank,
            "steps": mon.step_count,
            "lr": [group["lr"] for group in optimizer.param_groups],
            "parameters": [float(v) for v in flat[:64]],
            "parameter_sum": float(flat.double().sum()),
        }
        with open(f"{args.report}.rank{rank}.json", "w") as out:
            json.dump(report, out)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
