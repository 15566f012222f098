"""``nntop watch`` for a Lightning ``Trainer``, with no code in the loop::

    trainer = Trainer(callbacks=[nntop.lightning.Callback(run="runs/mnist")])

Lightning runs forward and backward inside ``optimizer.step(closure)``, so
the gradients are read in ``on_before_optimizer_step`` rather than in the
optimiser's hooks; a stop from the dashboard sets ``trainer.should_stop``.
The training step's logged ``acc`` (or ``accuracy``, ``rmse``) is the metric
curve; ``val_loss`` and ``val_acc`` from ``callback_metrics`` the validation curves.
"""

from __future__ import annotations

import os
from typing import Any, Optional

import lightning.pytorch as pl

from .torch import Monitor


class Callback(pl.Callback):
    """A :class:`~nntop.torch.Monitor` driven by Lightning's hooks."""

    def __init__(self, run: str | os.PathLike[str], **options: Any) -> None:
        self.run = run
        self.options = options
        self.monitor: Optional[Monitor] = None

    def on_train_start(self, trainer: "pl.Trainer", pl_module: "pl.LightningModule") -> None:
        schedulers = [config.scheduler for config in trainer.lr_scheduler_configs]
        self.monitor = Monitor(
            pl_module, trainer.optimizers[0], self.run, schedulers[0] if schedulers else None,
            epochs=trainer.max_epochs if trainer.max_epochs and trainer.max_epochs > 0 else None,
            optimizer_hooks=False, name=self.options.pop("name", type(pl_module).__name__), **self.options,
        )

    def on_before_optimizer_step(self, trainer: "pl.Trainer", pl_module: "pl.LightningModule", optimizer: Any) -> None:
        if self.monitor is not None:
            self.monitor.before_update()

    def on_train_batch_end(self, trainer: "pl.Trainer", pl_module: "pl.LightningModule", outputs: Any, batch: Any, batch_idx: int) -> None:
        if self.monitor is None:
            return
        self.monitor.after_update()
        loss = outputs.get("loss") if isinstance(outputs, dict) else outputs
        metrics = {k: float(v) for k, v in trainer.callback_metrics.items() if k in ("acc", "accuracy", "rmse", "train_acc")}
        if "train_acc" in metrics:
            metrics["acc"] = metrics.pop("train_acc")
        if not self.monitor.step(loss, **metrics):
            trainer.should_stop = True

    def on_train_epoch_end(self, trainer: "pl.Trainer", pl_module: "pl.LightningModule") -> None:
        if self.monitor is None:
            return
        wanted = {"val_loss": "val_loss", "val_acc": "val_acc", "val_accuracy": "val_acc", "train_loss": "loss"}
        metrics = {wanted[k]: float(v) for k, v in trainer.callback_metrics.items() if k in wanted}
        self.monitor.epoch(**metrics)

    def on_train_end(self, trainer: "pl.Trainer", pl_module: "pl.LightningModule") -> None:
        if self.monitor is not None:
            self.monitor.close()

    def on_exception(self, trainer: "pl.Trainer", pl_module: "pl.LightningModule", exception: BaseException) -> None:
        if self.monitor is not None:
            self.monitor.close("interrupted" if isinstance(exception, KeyboardInterrupt) else "failed")
