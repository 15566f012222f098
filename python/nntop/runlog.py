"""The run log a watched run writes: JSON Lines, the same records nntop's
own engine writes (the Swift side's codec is the reference: ``RunEvents``,
``Records/*+JSON.swift``). Each line is written whole and flushed, so a
reader never sees half a record and a killed process leaves complete lines.

A write that fails (a full disk) warns once on stderr and training goes on
without the log: the run matters more than its record.
"""

from __future__ import annotations

import json
import math
import os
import sys
from typing import Any, Iterable, Mapping, Optional, Sequence

SCHEMA = 1


def finite(value: Optional[float]) -> Optional[float]:
    """A number, or None (JSON null) for NaN, infinity or None."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def compact(value: float) -> Optional[float]:
    """A float to 4 significant digits (weights: what a heatmap can show)."""
    if not math.isfinite(value):
        return None
    return float(f"{value:.4g}")


class Bucket:
    """The losses (or metrics) of the steps since the last sample: mean, min, max, count."""

    __slots__ = ("total", "low", "high", "count")

    def __init__(self) -> None:
        self.total = 0.0
        self.low = math.inf
        self.high = -math.inf
        self.count = 0

    def add(self, value: float) -> None:
        if not math.isfinite(value):
            return
        self.total += value
        self.low = min(self.low, value)
        self.high = max(self.high, value)
        self.count += 1

    def json(self) -> Optional[list[Any]]:
        if self.count == 0:
            return None
        return [self.total / self.count, self.low, self.high, self.count]


class RunLog:
    """Appends records to a run log, one flushed line each."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self.failed = False
        # Line-buffered text: each record reaches the file as one write(2).
        self._file = open(self.path, "a", encoding="utf-8", buffering=1)
        os.chmod(self.path, 0o600)

    def write(self, record: Mapping[str, Any]) -> bool:
        """Writes one record; False (after one warning) once writing failed."""
        if self.failed:
            return False
        try:
            self._file.write(json.dumps(record, separators=(",", ":"), allow_nan=False) + "\n")
            self._file.flush()
            return True
        except (OSError, ValueError) as error:
            self.failed = True
            print(f"nntop: {self.path}: cannot write the run log ({error}); training goes on without it", file=sys.stderr)
            return False

    def close(self) -> None:
        try:
            self._file.close()
        except OSError:
            pass

    # The records, in the field names of DESIGN.md's run log.

    def header(
        self,
        *,
        data: str,
        network: str,
        layer_names: Sequence[str],
        shapes: Sequence[tuple[int, int]],
        activations: Sequence[str],
        task: str,
        batch: int,
        lr: float,
        epochs: Optional[int],
        settings: Mapping[str, Any],
    ) -> None:
        record: dict[str, Any] = {
            "type": "run",
            "schema": SCHEMA,
            "source": "pytorch",
            "mode": "watched",
            "data": data,
            "network": network,
            "layers": [[out, inp] for out, inp in shapes],
            "activations": list(activations),
            "task": task,
            "classes": [],
            "train": 0,
            "epochs": epochs,
            "batch": batch,
            "lr": finite(lr),
            "loss_fn": None,
            "layer_names": list(layer_names),
        }
        record.update(settings)
        self.write(record)

    def sample(
        self,
        *,
        step: int,
        epoch: int,
        progress: float,
        time: float,
        lr: float,
        loss: Bucket,
        metric: Bucket,
        layers: Iterable[Mapping[str, Any]],
    ) -> None:
        losses = loss.json()
        if losses is None:
            return
        self.write(
            {
                "type": "sample",
                "step": step,
                "epoch": epoch,
                "epoch_progress": round(progress, 4),
                "time": round(time, 4),
                "lr": finite(lr),
                "loss": losses,
                "metric": metric.json() or losses,
                "layers": list(layers),
            }
        )

    def weights(self, *, step: int, layers: Iterable[Mapping[str, Any]]) -> None:
        self.write({"type": "weights", "step": step, "layers": list(layers)})

    def epoch(self, *, epoch: int, step: int, time: float, lr: float, metrics: Mapping[str, float]) -> None:
        record: dict[str, Any] = {"type": "epoch", "epoch": epoch, "step": step, "time": round(time, 4), "lr": finite(lr)}
        for key, value in metrics.items():
            record[key] = finite(value)
        record.setdefault("loss", None)
        self.write(record)

    def event(self, name: str, step: int, command_id: Optional[int] = None, **fields: Any) -> None:
        record: dict[str, Any] = {"type": "event", "event": name, "step": step}
        if command_id is not None:
            record["command_id"] = command_id
        record.update({k: (finite(v) if isinstance(v, float) else v) for k, v in fields.items()})
        self.write(record)

    def summary(self, *, ending: str, epochs: int, steps: int, time: float, loss: Optional[float]) -> None:
        self.write(
            {"type": "summary", "ending": ending, "epochs": epochs, "steps": steps, "time": round(time, 4), "loss": finite(loss)}
        )
