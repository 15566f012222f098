"""Commands for every rank of a torch.distributed job, at the same step.

Rank 0 alone reads ``commands.jsonl``; at each *sync point* it hands the
lines it read (often none) to the other ranks through the process group's
key-value store, and every rank parses and applies the same lines in the
same order. So the ranks' states (paused, steps to run, η) never differ,
and they all reach the same sync points. Rank 0 also says whether the next
step is measured (its clock decides), so the ranks' statistics come from
the same steps and can be compared. Sync points come:

- every ``sync_every`` steps (the same K on every rank, in the header);
- while paused, each time rank 0 has read something new.

Waiting is polling ``store.check`` (non-blocking), never a collective nor a
blocking ``get``: a pause longer than the process group's timeout cannot kill
the job. The store's keys are removed by the last rank that read them.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Optional, Protocol

#: The store's keys: ``nntop/{m}/sync/{n}`` holds the m-th monitor's sync point
#: n (JSON: ``{"lines": [...], "sample": bool}``), ``nntop/{m}/read/{n}`` counts
#: the ranks that read it.
PREFIX = "nntop"


@dataclass(frozen=True)
class SyncPoint:
    """What every rank applies at one sync point."""

    #: Rank 0's new lines of ``commands.jsonl``, unparsed.
    lines: list[str]
    #: Whether the step after it is measured.
    sample: bool


class Store(Protocol):
    """The part of ``torch.distributed.Store`` used here."""

    def set(self, key: str, value: bytes) -> None: ...
    def get(self, key: str) -> bytes: ...
    def check(self, keys: list[str]) -> bool: ...
    def add(self, key: str, amount: int) -> int: ...
    def delete_key(self, key: str) -> bool: ...


def detect(sync_every: int) -> Optional["CommandSync"]:
    """The sync of this rank of the initialised default process group, when
    it has more than one rank; None for a single process."""
    try:
        import torch.distributed as dist
        from torch.distributed import distributed_c10d
    except ImportError:
        return None
    if not (dist.is_available() and dist.is_initialized()) or dist.get_world_size() < 2:
        return None
    return CommandSync(dist.get_rank(), dist.get_world_size(), distributed_c10d._get_default_store(), sync_every)


class CommandSync:
    """Hands rank 0's command lines to every rank at sync points."""

    #: Monitors made so far in this process; every rank makes them in the same
    #: order, so the n-th one's keys (``nntop/{n}/…``) are the same on every rank.
    _made = 0

    def __init__(self, rank: int, world_size: int, store: Store, sync_every: int) -> None:
        if sync_every < 1:
            raise ValueError("sync_every must be at least 1")
        CommandSync._made += 1
        self.prefix = f"{PREFIX}/{CommandSync._made}"
        self.rank = rank
        self.world_size = world_size
        self.store = store
        self.sync_every = sync_every
        #: Sync points passed so far; the next one is number ``points + 1``.
        self.points = 0
        #: Rank 0's monitor has closed (its loop ended first, as under
        #: ``join()`` with uneven data): there is no one to wait for.
        self.finished = False
        #: Whether the store can remove keys (a ``FileStore`` cannot).
        self._deletes = True

    def is_sync_step(self, step: int) -> bool:
        return step % self.sync_every == 0

    def _key(self, kind: str, point: int) -> str:
        return f"{self.prefix}/{kind}/{point}"

    def publish(self, point: SyncPoint) -> SyncPoint:
        """Rank 0: the next sync point, stored for the others; returns it."""
        self.points += 1
        self.store.set(self._key("sync", self.points), json.dumps({"lines": point.lines, "sample": point.sample}).encode())
        return point

    def ready(self) -> bool:
        """Another rank: whether rank 0 has stored the next sync point."""
        return self.store.check([self._key("sync", self.points + 1)])

    def close(self) -> None:
        """Rank 0: says it takes no more sync points, so no rank waits for one."""
        if self.rank == 0:
            self.store.set(f"{self.prefix}/closed", b"1")

    def take(self) -> SyncPoint:
        """Another rank: the next sync point (once ``ready()``)."""
        self.points += 1
        key = self._key("sync", self.points)
        point = _point(self.store.get(key))
        if self.store.add(self._key("read", self.points), 1) == self.world_size - 1 and self._deletes:
            # The last reader: no rank needs these keys again.
            try:
                self.store.delete_key(key)
                self.store.delete_key(self._key("read", self.points))
            except (RuntimeError, NotImplementedError):
                self._deletes = False  # a FileStore keeps them: small, and gone with the job
        return point

    def wait(self) -> SyncPoint:
        """Another rank: waits (polling, from 0.5 ms up to 50 ms apart) for the
        next sync point and returns it; an empty one once rank 0 has closed."""
        pause = 0.0005
        while not self.ready():
            if self.finished or self.store.check([f"{self.prefix}/closed"]):
                # Rank 0 stores all its sync points before it closes: one that is
                # not there now never will be.
                if self.ready():
                    break
                self.finished = True
                return SyncPoint([], False)
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        return self.take()


def _point(value: bytes) -> SyncPoint:
    try:
        obj = json.loads(value.decode())
    except (UnicodeDecodeError, ValueError):
        return SyncPoint([], False)
    if not isinstance(obj, dict):
        return SyncPoint([], False)
    lines = obj.get("lines")
    lines = [line for line in lines if isinstance(line, str)] if isinstance(lines, list) else []
    return SyncPoint(lines, obj.get("sample") is True)
