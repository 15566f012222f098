"""A real two-rank DistributedDataParallel job (``torchrun``, CPU, gloo)
steered through its run directory: every command takes effect at the same
step on both ranks, a pause outlasts the process group's timeout, and stop
ends both ranks cleanly."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_monitor import command, wait_for

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "train_ddp.py"
TIMEOUT = 5  # the process group's timeout, in seconds


def records(path: Path, kind: str) -> list[dict]:
    """The complete lines of a log another process is writing."""
    if not path.exists():
        return []
    text = path.read_text()
    complete = text[: text.rfind("\n") + 1]
    return [r for r in map(json.loads, complete.splitlines()) if r["type"] == kind]


def acknowledged(run: Path, ident: int) -> list[dict]:
    """Each rank's event for command ``ident``, once both ranks logged it."""
    found = [[e for e in records(run / log, "event") if e.get("command_id") == ident] for log in ("log.jsonl", "log.rank1.jsonl")]
    return [f[0] for f in found] if all(found) else []


def last_step(run: Path, log: str) -> int:
    return max((s["step"] for s in records(run / log, "sample")), default=0)


@pytest.fixture
def job(run_dir: Path, tmp_path: Path):
    torchrun = Path(sys.executable).with_name("torchrun")
    process = subprocess.Popen(
        [str(torchrun), "--standalone", "--nproc_per_node=2", str(EXAMPLE), "--run-dir", str(run_dir), "--timeout", str(TIMEOUT),
         "--sync-every", "4", "--step-seconds", "0.005", "--report", str(tmp_path / "report")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    yield process, tmp_path / "report"
    if process.poll() is None:
        process.kill()
    process.wait()


def test_two_ranks_pause_past_the_timeout_step_change_eta_and_stop_together(run_dir: Path, job):
    process, report = job
    wait_for(lambda: last_step(run_dir, "log.jsonl") > 20 and last_step(run_dir, "log.rank1.jsonl") > 20, timeout=60)
    headers = [records(run_dir / log, "run")[0] for log in ("log.jsonl", "log.rank1.jsonl")]
    assert [(h["rank"], h["world_size"], h["sync_every"]) for h in headers] == [(0, 2, 4), (1, 2, 4)]

    command(run_dir, id=1, command="pause")
    pauses = wait_for(lambda: acknowledged(run_dir, 1))
    assert pauses[0]["event"] == pauses[1]["event"] == "pause"
    assert pauses[0]["step"] == pauses[1]["step"] and pauses[0]["step"] % 4 == 0, "taken at the same sync step"
    paused_at = pauses[0]["step"]
    # Twice the process group's timeout: a collective would have failed by now.
    time.sleep(2 * TIMEOUT + 0.5)
    assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
    assert last_step(run_dir, "log.jsonl") <= paused_at and last_step(run_dir, "log.rank1.jsonl") <= paused_at

    command(run_dir, id=2, command="step", count=3)
    wait_for(lambda: acknowledged(run_dir, 2))
    # Three steps more on each rank, each measured, then paused again.
    wait_for(lambda: last_step(run_dir, "log.jsonl") == paused_at + 3 and last_step(run_dir, "log.rank1.jsonl") == paused_at + 3)

    command(run_dir, id=3, command="set-lr", lr=0.01)
    command(run_dir, id=4, command="resume")
    changes, resumes = wait_for(lambda: acknowledged(run_dir, 3)), wait_for(lambda: acknowledged(run_dir, 4))
    assert [c["to"] for c in changes] == [0.01, 0.01]
    assert changes[0]["step"] == changes[1]["step"] == resumes[0]["step"] == resumes[1]["step"] == paused_at + 3
    wait_for(lambda: last_step(run_dir, "log.rank1.jsonl") > paused_at + 20)

    command(run_dir, id=5, command="stop")
    stops = wait_for(lambda: acknowledged(run_dir, 5))
    assert stops[0]["step"] == stops[1]["step"]
    assert process.wait(timeout=30) == 0
    for log in ("log.jsonl", "log.rank1.jsonl"):
        (summary,) = records(run_dir / log, "summary")
        assert summary["ending"] == "quit" and summary["steps"] == stops[0]["step"]
    # The ranks measured the same steps (rank 0's clock, handed on), so their statistics compare.
    measured = [[s["step"] for s in records(run_dir / log, "sample") if s["layers"]] for log in ("log.jsonl", "log.rank1.jsonl")]
    assert measured[0] == measured[1] and len(measured[0]) > 5
    ranks = [json.loads(Path(f"{report}.rank{r}.json").read_text()) for r in (0, 1)]
    # Each rank's own optimiser took the new η, and the ranks' weights still agree.
    assert [r["lr"] for r in ranks] == [[0.01], [0.01]]
    assert ranks[0]["steps"] == ranks[1]["steps"] == stops[0]["step"]
    assert ranks[0]["parameters"] == pytest.approx(ranks[1]["parameters"], rel=1e-6, abs=1e-7)


class FakeStore:
    """A dict standing in for the process group's store; ``deletes=False`` behaves as a FileStore."""

    def __init__(self, deletes: bool = True) -> None:
        self.values: dict[str, bytes] = {}
        self.deletes = deletes

    def set(self, key: str, value: bytes) -> None:
        self.values[key] = value

    def get(self, key: str) -> bytes:
        return self.values[key]

    def check(self, keys: list[str]) -> bool:
        return all(k in self.values for k in keys)

    def add(self, key: str, amount: int) -> int:
        value = int(self.values.get(key, b"0")) + amount
        self.values[key] = str(value).encode()
        return value

    def delete_key(self, key: str) -> bool:
        if not self.deletes:
            raise RuntimeError("deleteKey not implemented for FileStore")
        return self.values.pop(key, None) is not None


def test_sync_points_reach_every_rank_and_the_last_reader_cleans_up():
    from nntop.distributed import CommandSync, SyncPoint

    store = FakeStore()
    zero, one, two = (CommandSync(r, 3, store, 4) for r in range(3))
    # The three share one monitor's keys only if made in the same order on every rank: here, one process.
    one.prefix = two.prefix = zero.prefix
    zero.publish(SyncPoint(['{"id":1,"command":"pause"}'], True))
    assert one.wait() == SyncPoint(['{"id":1,"command":"pause"}'], True)
    assert f"{zero.prefix}/sync/1" in store.values, "one rank has not read it yet"
    assert two.wait().sample is True
    # The last reader removed the sync point and its counter.
    assert f"{zero.prefix}/sync/1" not in store.values and f"{zero.prefix}/read/1" not in store.values


def test_a_file_store_that_cannot_delete_and_rank_zero_closing_end_no_ranks_loop():
    from nntop.distributed import CommandSync, SyncPoint

    store = FakeStore(deletes=False)
    zero, one = CommandSync(0, 2, store, 4), CommandSync(1, 2, store, 4)
    one.prefix = zero.prefix
    zero.publish(SyncPoint([], False))
    assert one.wait() == SyncPoint([], False)  # the failed delete_key is not raised
    # Rank 0's last sync point (a stop), then it closes: the point is still taken.
    zero.publish(SyncPoint(['{"id":9,"command":"stop"}'], False))
    zero.close()
    assert one.wait().lines == ['{"id":9,"command":"stop"}']
    started = time.monotonic()
    assert one.wait() == SyncPoint([], False) and one.finished
    assert time.monotonic() - started < 1, "rank 0 closed: nothing to wait for"
