"""How soon a line a watched run writes shows on `nntop watch`'s screen.

    python3 Benchmarks/watch-latency.py [NNTOP_BINARY]

Starts `nntop watch` in tmux (120×40) on a run log with a header, appends
ten `lr` events one by one, and times each from the write until the status
line shows its notice (tmux capture-pane every few milliseconds, so the
times include a capture's own few milliseconds).
"""

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

binary = sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parents[1] / ".build/release/nntop")
header = {"type": "run", "schema": 1, "source": "pytorch", "layers": [[4, 2], [1, 4]], "activations": ["relu", "linear"], "batch": 8, "lr": 0.05}
with tempfile.TemporaryDirectory() as tmp:
    log = Path(tmp) / "log.jsonl"
    log.write_text(json.dumps(header) + "\n")
    socket = f"nntop-latency-{time.time_ns()}"
    tmux = ["tmux", "-L", socket]
    subprocess.run(tmux + ["new-session", "-d", "-x", "120", "-y", "40", f"{binary} watch {log}"], check=True)
    time.sleep(1.5)
    latencies = []
    try:
        for i in range(10):
            to = round(0.01 * (i + 2), 4)
            start = time.monotonic()
            with open(log, "a") as f:
                f.write(json.dumps({"type": "event", "event": "lr", "step": 100 + i, "from": 0.05, "to": to}) + "\n")
            while time.monotonic() - start < 2:
                screen = subprocess.run(tmux + ["capture-pane", "-p"], capture_output=True, text=True).stdout.splitlines()
                if screen and f"→ {to:g}" in screen[-1]:
                    break
            latencies.append((time.monotonic() - start) * 1000)
            time.sleep(0.3)
    finally:
        subprocess.run(tmux + ["kill-server"])
print(f"write → screen, ms: {[round(x) for x in latencies]}; median {statistics.median(latencies):.0f}, worst {max(latencies):.0f}")
