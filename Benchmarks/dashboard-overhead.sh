#!/usr/bin/env bash
# Training throughput with the dashboard open (tmux, 120×40) against
# --headless, on digits and on an MNIST-sized network, plus the dashboard's
# redraw rate and per-frame cost. Each case runs REPEAT times (default 5),
# headless and dashboard interleaved; medians are printed, since one run on
# a shared machine can be off by tens of percent. Usage (repository root,
# after `swift build -c release`): Benchmarks/dashboard-overhead.sh [THREADS]
set -euo pipefail
NNTOP=$(realpath "${NNTOP:-.build/release/nntop}")
THREADS=${1:-1}
REPEAT=${REPEAT:-5}
DIR=$(mktemp -d)
trap 'tmux -L nntop-bench kill-server 2>/dev/null || true; rm -rf "$DIR"' EXIT
python3 "$(dirname "$0")/mnist-like.py" "$DIR"

# samples/s over training time, from a run log's summary: steps × batch / time.
rate() { python3 -c "
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
run = next(l for l in lines if l['type'] == 'run')
s = next(l for l in lines if l['type'] == 'summary')
print('%.0f' % (s['steps'] * run['batch'] / s['time']))" "$1"; }

measure() {
  local name=$1; shift
  local args="$* --threads $THREADS --seed 1"
  : > "$DIR/results"
  for _ in $(seq "$REPEAT"); do
    "$NNTOP" --headless $args --log "$DIR/headless.jsonl" > /dev/null
    rm -f "$DIR/frames.jsonl" "$DIR/dash.jsonl"
    tmux -L nntop-bench -f /dev/null new-session -d -x 120 -y 40 -e LANG=C.UTF-8 -e NO_COLOR= \
      -e NNTOP_FRAME_STATS="$DIR/frames.jsonl" "cd '$DIR' && '$NNTOP' $args --log '$DIR/dash.jsonl'; sleep 60"
    until grep -q '"event":"finished"' "$DIR/dash.jsonl" 2>/dev/null; do sleep 0.2; done
    tmux -L nntop-bench send-keys -t 0 q
    until [ -s "$DIR/frames.jsonl" ]; do sleep 0.1; done
    tmux -L nntop-bench kill-server
    echo "$(rate "$DIR/headless.jsonl") $(rate "$DIR/dash.jsonl") $(cat "$DIR/frames.jsonl")" >> "$DIR/results"
  done
  python3 - "$name" "$THREADS" "$DIR/results" <<'PY'
import json, statistics, sys
name, threads, path = sys.argv[1], sys.argv[2], sys.argv[3]
rows = []
for line in open(path):
    h, d, frames = line.split(" ", 2)
    rows.append((float(h), float(d), json.loads(frames)))
h = statistics.median(r[0] for r in rows)
d = statistics.median(r[1] for r in rows)
fps = statistics.median(r[2]["fps"] for r in rows)
render = statistics.median(r[2]["render_ms"] for r in rows)
draw = statistics.median(r[2]["draw_ms"] for r in rows)
pairs = " ".join("%+.1f%%" % (100 * (r[1] - r[0]) / r[0]) for r in rows)
print("%-7s T=%s  headless %9.0f  dashboard %9.0f samples/s  median %+.1f%%  (runs: %s)  %.1f frames/s, %.2f ms render + %.2f ms curses per frame"
      % (name, threads, h, d, 100 * (d - h) / h, pairs, fps, render, draw))
PY
}

measure digits --data digits --epochs 6000
measure mnist --data "$DIR/train-images-idx3-ubyte" --layers 256,128 --batch 128 --val-split 0.05 --epochs 12
