"""Watch and steer a PyTorch training loop from ``nntop watch``.

::

    mon = Monitor(model, optimizer, run="runs/mnist")
    for x, y in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        if not mon.step(loss):   # False once the dashboard asked to stop
            break
    mon.close()

The monitor never slows training much nor puts it at risk: statistics are
taken on sampled steps only (about four a second), the commands file is
looked at every 50 ms at most, there is nothing to connect to or wait for,
and a failed log write warns once and training goes on.

Under torch.distributed (``torchrun``) the same lines do: each rank writes
its own log, and the ranks take the commands together (``nntop.distributed``).
"""

from __future__ import annotations

import math
import os
import socket
import time
from types import TracebackType
from typing import Any, Optional

import torch
from torch import nn

from . import checkpoint, distributed, rundir, safetensors, stats
from .commands import Command, CommandReader, parse
from .runlog import Bucket, RunLog

#: Schedulers that set η from scratch every step: a hand-set η cannot last.
OVERWRITING_SCHEDULERS = ("OneCycleLR", "CyclicLR")


class Monitor:
    """Records a training run for ``nntop watch`` and applies its commands.

    Args:
        model: the model being trained (hooks go on its modules with a weight;
            register the monitor *before* ``torch.compile``).
        optimizer: its optimiser; η changes scale every param group.
        run: the run directory (created 0700): ``log.jsonl``, ``commands.jsonl``, ``checkpoints/``.
        scheduler: the LR scheduler, if any: an η change rescales its base
            values so the change lasts (refused for OneCycleLR and CyclicLR).
        epochs: the epochs the run will train, if known (shown as ``epoch 3/10``).
        sample_seconds: about how often statistics are taken.
        sample_every: take them every this many steps too.
        weights_seconds: about how often the weights (heatmaps) are written.
        optimizer_hooks: measure gradients and updates in the optimiser's step
            hooks; ``False`` when the caller does (the Lightning callback).
        name: what the run trains on, for the dashboard's status line.
        rank: this process's rank, when not the default process group's
            (found by itself under ``torchrun``: rank R writes ``log.rank{R}.jsonl``).
        sync_every: under torch.distributed, the ranks take the dashboard's
            commands together every this many steps (rank 0 reads them and
            hands them on through the process group's store).
    """

    def __init__(
        self,
        model: nn.Module,
        optimizer: torch.optim.Optimizer,
        run: str | os.PathLike[str],
        scheduler: Any = None,
        *,
        epochs: Optional[int] = None,
        sample_seconds: float = 0.25,
        sample_every: Optional[int] = None,
        weights_seconds: float = 2.0,
        optimizer_hooks: bool = True,
        name: Optional[str] = None,
        rank: Optional[int] = None,
        sync_every: int = 16,
    ) -> None:
        self.model = model
        self.optimizer = optimizer
        self.scheduler = scheduler
        self.epochs = epochs
        self.sample_seconds = sample_seconds
        self.sample_every = sample_every
        self.weights_seconds = weights_seconds
        #: The model's class inside DDP's and torch.compile's wrappers.
        self._model_name = type(stats.unwrapped(model)).__name__
        self.name = name or self._model_name
        self.run = rundir.make(run)
        #: Under torch.distributed: how the ranks take commands together.
        self.sync = distributed.detect(sync_every)
        self.rank = rank if rank is not None else (self.sync.rank if self.sync else 0)
        self.log = RunLog(self.run / rundir.log_name(self.rank))
        self.commands = CommandReader(self.run / rundir.COMMANDS)
        self.layers = stats.find_layers(model)
        #: Mini-batch steps done (``step()`` calls), and epochs (``epoch()`` calls).
        self.step_count = 0
        self.epoch_count = 0
        self.stopping = False
        self.paused = False
        self._steps_left = 0
        self._measuring = True  # the first step is measured
        self._loss, self._metric = Bucket(), Bucket()
        self._last_loss: Optional[float] = None
        self._started = time.monotonic()
        self._paused_seconds = 0.0
        self._last_sample = (-math.inf, 0)
        self._last_weights = -math.inf
        self._last_poll = -math.inf
        self._header_written = False
        self._batch: Optional[int] = None
        self._task: Optional[str] = None
        self._closed = False
        #: Steps of the first epoch (known after it), and the step the current one began at.
        self._steps_per_epoch: Optional[int] = None
        self._epoch_start = 0
        self._hooks = [layer.module.register_forward_hook(self._forward_hook(layer)) for layer in self.layers]
        if optimizer_hooks:
            self._hooks.append(optimizer.register_step_pre_hook(lambda *_: self.before_update()))
            self._hooks.append(optimizer.register_step_post_hook(lambda *_: self.after_update()))

    # -- measuring ---------------------------------------------------------

    def _forward_hook(self, layer: stats.Layer) -> Any:
        def hook(module: nn.Module, args: Any, output: Any) -> None:
            if not self._measuring:
                return
            if self._batch is None and args and isinstance(args[0], torch.Tensor) and args[0].dim() > 0:
                self._batch = int(args[0].shape[0])
            stats.measure_output(layer, output)

        return hook

    def before_update(self) -> None:
        """Gradients are ready, the update is next (the optimiser's pre-step hook)."""
        if self._measuring:
            stats.before_update(self.layers)

    def after_update(self) -> None:
        """The update was applied (the optimiser's post-step hook)."""
        if self._measuring:
            stats.after_update(self.layers)

    @property
    def training_time(self) -> float:
        """Seconds of training, pauses left out."""
        return time.monotonic() - self._started - self._paused_seconds

    @property
    def epoch_progress(self) -> float:
        """How far the current epoch is (0 until the first epoch's length is known)."""
        if not self._steps_per_epoch:
            return 0.0
        return min((self.step_count - self._epoch_start) / self._steps_per_epoch, 0.999)

    @property
    def learning_rate(self) -> float:
        return float(self.optimizer.param_groups[0]["lr"])

    # -- the loop ------------------------------------------------------------

    def step(self, loss: Any = None, **metrics: float) -> bool:
        """Called once per mini-batch, after ``optimizer.step()``: records the
        loss (and ``acc``/``accuracy`` or ``rmse``), takes statistics on sampled
        steps, applies the dashboard's commands; a pause waits here. Returns
        False once the dashboard asked the run to stop."""
        if self._closed:
            return not self.stopping
        self.step_count += 1
        value = float(loss.detach()) if isinstance(loss, torch.Tensor) else (float(loss) if loss is not None else math.nan)
        self._last_loss = value
        self._loss.add(value)
        metric = next((metrics[k] for k in ("acc", "accuracy", "rmse") if k in metrics), None)
        if self._task is None:
            self._task = "classification" if ("acc" in metrics or "accuracy" in metrics) else "regression"
        self._metric.add(float(metric) if metric is not None else value)
        if not self._header_written:
            self._write_header()
        now = time.monotonic()
        if self._measuring:
            self._write_sample(now)
        # The decision is for the coming step, the (step_count + 1)-th. Under
        # torch.distributed the clock's part is rank 0's, handed on at sync
        # points, so every rank measures the same steps.
        due = now - self._last_sample[0] >= self.sample_seconds
        self._measuring = (due and self.sync is None) or (
            self.sample_every is not None and self.step_count + 1 - self._last_sample[1] >= self.sample_every
        )
        self._obey(now, due)
        return not self.stopping

    def epoch(self, **metrics: float) -> None:
        """Called at the end of an epoch with its metrics (``val_loss``, ``val_acc``, …)."""
        self.epoch_count += 1
        if self._steps_per_epoch is None and self.step_count > 0:
            self._steps_per_epoch = self.step_count
        self._epoch_start = self.step_count
        self.log.epoch(epoch=self.epoch_count, step=self.step_count, time=self.training_time, lr=self.learning_rate, metrics=metrics)

    def close(self, ending: Optional[str] = None) -> None:
        """Writes the summary (``completed``, or ``quit`` when stopped from the
        dashboard) and removes the hooks; the run directory stays."""
        if self._closed:
            return
        self._closed = True
        for handle in self._hooks:
            handle.remove()
        if self.sync is not None:
            try:
                self.sync.close()
            except RuntimeError:
                pass  # the process group is gone already: no rank is left to wait
        if not self._header_written:
            self._write_header()
        # The steps since the last sample: their losses, without statistics.
        self.log.sample(
            step=self.step_count, epoch=self.epoch_count, progress=self.epoch_progress, time=self.training_time,
            lr=self.learning_rate, loss=self._loss, metric=self._metric, layers=[],
        )
        self.log.summary(
            ending=ending or ("quit" if self.stopping else "completed"),
            epochs=self.epoch_count,
            steps=self.step_count,
            time=self.training_time,
            loss=self._last_loss,
        )
        self.log.close()

    def __enter__(self) -> "Monitor":
        return self

    def __exit__(self, kind: Optional[type], error: Optional[BaseException], trace: Optional[TracebackType]) -> None:
        self.close(None if kind is None else ("interrupted" if issubclass(kind, KeyboardInterrupt) else "failed"))

    # -- the log -------------------------------------------------------------

    def _write_header(self) -> None:
        self._header_written = True
        shapes = [layer.shape for layer in self.layers] or [(1, 1)]
        self.log.header(
            data=self.name,
            network=f"{self._model_name}: {len(self.layers)} layers, {sum(p.numel() for p in self.model.parameters()):,} parameters",
            layer_names=[layer.name for layer in self.layers] or ["model"],
            shapes=shapes,
            activations=[layer.activation_name for layer in self.layers] or ["linear"],
            task=self._task or "regression",
            batch=self._batch or 0,
            lr=self.learning_rate,
            epochs=self.epochs,
            settings={
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "optimizer": type(self.optimizer).__name__,
                "scheduler": type(self.scheduler).__name__ if self.scheduler is not None else None,
                "torch": torch.__version__,
                **(
                    {"rank": self.rank, "world_size": self.sync.world_size, "sync_every": self.sync.sync_every}
                    if self.sync is not None
                    else {}
                ),
            },
        )

    def _write_sample(self, now: float) -> None:
        self._last_sample = (now, self.step_count)
        if not self.layers:
            return
        if all(math.isnan(layer.grad_norm) for layer in self.layers):
            stats.gradient_norms(self.layers)  # no optimiser hook fired: the gradients as they are now
        records = [stats.record(i, layer) for i, layer in enumerate(self.layers)]
        self.log.sample(
            step=self.step_count, epoch=self.epoch_count, progress=self.epoch_progress, time=self.training_time,
            lr=self.learning_rate, loss=self._loss, metric=self._metric, layers=records,
        )
        self._loss, self._metric = Bucket(), Bucket()
        for layer in self.layers:
            layer.clear()
        if now - self._last_weights >= self.weights_seconds:
            self._last_weights = now
            self.log.weights(step=self.step_count, layers=[stats.heatmap(layer) for layer in self.layers])

    # -- commands --------------------------------------------------------------

    def _obey(self, now: float, sample_due: bool = False) -> None:
        if self.sync is None and now - self._last_poll >= 0.05:
            self._last_poll = now
            self._apply_lines(self.commands.read_lines())
        elif self.sync is not None and self.sync.is_sync_step(self.step_count):
            point = self._next_sync_point(wait=True, sample=sample_due)
            self._measuring = self._measuring or point.sample
            self._apply_lines(point.lines)
        if self.paused and self._steps_left == 0 and not self.stopping:
            # Paused: wait here, reading commands, until resumed, stepped or stopped.
            waited = time.monotonic()
            while self.paused and self._steps_left == 0 and not self.stopping:
                if self.sync is None or self.sync.rank == 0:
                    time.sleep(0.05)
                self._apply_lines(self._next_sync_point(wait=False).lines if self.sync else self.commands.read_lines())
                if self.sync is not None and self.sync.finished:
                    self.paused = False  # rank 0 ended (interrupted): no one is left to resume this rank
            self._paused_seconds += time.monotonic() - waited
            self._last_poll = time.monotonic()
        if self.paused and self._steps_left > 0:
            self._steps_left -= 1
            self._measuring = True  # a single step is always measured

    def _next_sync_point(self, wait: bool, sample: bool = False) -> distributed.SyncPoint:
        """What every rank applies at this sync point: rank 0's new commands
        and whether to measure the next step (stored for the others), or, on
        another rank, what rank 0 stored. ``wait=False`` (paused): rank 0
        makes a sync point only when it read something; the others wait for it."""
        assert self.sync is not None
        if self.sync.rank != 0:
            return self.sync.wait()
        lines = self.commands.read_lines()
        return self.sync.publish(distributed.SyncPoint(lines, sample)) if lines or wait else distributed.SyncPoint([], False)

    def _apply_lines(self, lines: list[str]) -> None:
        for line in lines:
            self._apply(parse(line))

    def _apply(self, command: Command) -> None:
        step, ident = self.step_count, command.id
        if command.problem is not None:
            self.log.event("refused", step, ident, command=command.name, reason=command.problem)
        elif command.name == "pause":
            if not self.paused:
                self.paused, self._steps_left = True, 0
                self.log.event("pause", step, ident)
        elif command.name == "resume":
            self.paused, self._steps_left = False, 0
            self.log.event("resume", step, ident)
        elif command.name == "step":
            self.paused = True
            self._steps_left += command.count
            self.log.event("step", step, ident, count=command.count)
        elif command.name in ("set-lr", "scale-lr"):
            old = self.learning_rate
            factor = command.factor if command.name == "scale-lr" else (command.lr or old) / old if old > 0 else math.nan
            refusal = self._scale_learning_rate(factor)  # type: ignore[arg-type]
            if refusal:
                self.log.event("refused", step, ident, command=command.name, reason=refusal)
            else:
                self.log.event("lr", step, ident, **{"from": old, "to": self.learning_rate})
        elif command.name == "save":
            if self.rank != 0:
                return  # the ranks hold the same weights: rank 0 saves them
            try:
                path = self.save()
                self.log.event("save", step, ident, path=path, ok=True)
            except (OSError, ValueError, RuntimeError) as error:
                self.log.event("save", step, ident, path=f"{rundir.CHECKPOINTS}/step-{step}.safetensors", ok=False, error=str(error))
        elif command.name == "stop":
            self.stopping = True
            self.paused = False
            self.log.event("stop", step, ident)

    def _scale_learning_rate(self, factor: float) -> Optional[str]:
        """Scales every param group's η (keeping their ratios) and the
        scheduler's base values; the reason, when it cannot be done."""
        if not (factor > 0 and math.isfinite(factor)):
            return "η must stay a positive number"
        kind = type(self.scheduler).__name__ if self.scheduler is not None else None
        if kind in OVERWRITING_SCHEDULERS:
            return f"{kind} sets η every step: change its max_lr in the script instead"
        for group in self.optimizer.param_groups:
            group["lr"] = float(group["lr"]) * factor
            if "initial_lr" in group:
                group["initial_lr"] = float(group["initial_lr"]) * factor
        if self.scheduler is not None and hasattr(self.scheduler, "base_lrs"):
            self.scheduler.base_lrs = [b * factor for b in self.scheduler.base_lrs]
        if self.scheduler is not None and hasattr(self.scheduler, "_last_lr"):
            self.scheduler._last_lr = [float(g["lr"]) for g in self.optimizer.param_groups]
        return None

    def save(self) -> str:
        """Writes ``checkpoints/step-S.safetensors`` (the model's weights) and
        ``step-S.optim.pt`` (the optimiser's state) inside the run directory;
        returns the first's path relative to it."""
        folder = rundir.inside(self.run, rundir.CHECKPOINTS)
        folder.mkdir(mode=0o700, exist_ok=True)
        name = f"step-{self.step_count}"
        weights = rundir.inside(self.run, f"{rundir.CHECKPOINTS}/{name}.safetensors")
        metadata = {"format": "pytorch/nntop-watch", "step": str(self.step_count), "model": self._model_name}
        safetensors.write(weights, checkpoint.state_tensors(self.model.state_dict()), metadata)
        torch.save(self.optimizer.state_dict(), rundir.inside(self.run, f"{rundir.CHECKPOINTS}/{name}.optim.pt"))
        return f"{rundir.CHECKPOINTS}/{name}.safetensors"

