"""A small PyTorch run to watch: an MLP on synthetic spirals, with the
three lines of ``nntop.torch.Monitor``.

    python train_mlp.py --run runs/spirals        # then: nntop watch runs/spirals
"""

import argparse
import math
import os

import torch
from torch import nn

from nntop.torch import Monitor


def spirals(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    k = torch.arange(n) % 3
    r = torch.rand(n, generator=g)
    t = 4 * r + k * (2 * math.pi / 3) + 0.2 * torch.randn(n, generator=g)
    x = torch.stack([r * torch.cos(t), r * torch.sin(t)], dim=1)
    return x, k


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--run", required=True)
    parser.add_argument("--epochs", type=int, default=0, help="0: until stopped")
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--scheduler", choices=["none", "step", "onecycle"], default="none")
    parser.add_argument("--steps-file", help="write the optimiser's step count here after every step")
    args = parser.parse_args()

    torch.manual_seed(0)
    x, y = spirals(1200, seed=1)
    model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    scheduler = None
    if args.scheduler == "step":
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1000, gamma=0.5)
    elif args.scheduler == "onecycle":
        scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, total_steps=10_000_000)
    loss_fn = nn.CrossEntropyLoss()
    mon = Monitor(model, optimizer, run=args.run, scheduler=scheduler, epochs=args.epochs or None, name="spirals")
    steps = 0
    epoch = 0
    with mon:
        while args.epochs == 0 or epoch < args.epochs:
            order = torch.randperm(len(x))
            for start in range(0, len(x), 32):
                batch = order[start : start + 32]
                optimizer.zero_grad()
                out = model(x[batch])
                loss = loss_fn(out, y[batch])
                loss.backward()
                optimizer.step()
                if scheduler is not None:
                    scheduler.step()
                steps += 1
                if args.steps_file:  # written whole, then renamed: a reader never sees half of it
                    with open(args.steps_file + ".tmp", "w") as f:
                        f.write(f"{steps} {optimizer.param_groups[0]['lr']!r}\n")
                    os.replace(args.steps_file + ".tmp", args.steps_file)
                acc = (out.argmax(1) == y[batch]).float().mean().item()
                if not mon.step(loss, acc=acc):
                    return
            epoch += 1
            with torch.no_grad():
                mon.epoch(val_loss=loss_fn(model(x[:200]), y[:200]).item(), val_acc=(model(x[:200]).argmax(1) == y[:200]).float().mean().item())


if __name__ == "__main__":
    main()
