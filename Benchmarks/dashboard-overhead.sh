#!/usr/bin/env bash
# Training throughput with the dashboard open (tmux, 120×40) against
# --headless, on digits and on an MNIST-sized network; also the dashboard's
# redraw rate. Prints one line per case. Usage (repository root, after
# `swift build -c release`): Benchmarks/dashboard-overhead.sh [THREADS]
set -euo pipefail
NNTOP=$(realpath "${NNTOP:-.build/release/nntop}")
THREADS=${1:-1}
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
  "$NNTOP" --headless $args --log "$DIR/headless.jsonl" > /dev/null
  local headless; headless=$(rate "$DIR/headless.jsonl")
  rm -f "$DIR/frames.jsonl" "$DIR/dash.jsonl"
  tmux -L nntop-bench -f /dev/null new-session -d -x 120 -y 40 -e LANG=C.UTF-8 -e NO_COLOR= \
    -e NNTOP_FRAME_STATS="$DIR/frames.jsonl" "cd '$DIR' && '$NNTOP' $args --log '$DIR/dash.jsonl'; sleep 60"
  until grep -q '"event":"finished"' "$DIR/dash.jsonl" 2>/dev/null; do sleep 0.2; done
  tmux -L nntop-bench send-keys -t 0 q
  until [ -s "$DIR/frames.jsonl" ]; do sleep 0.1; done
  tmux -L nntop-bench kill-server
  local dashboard fps
  dashboard=$(rate "$DIR/dash.jsonl")
  fps=$(python3 -c "import json; print(json.load(open('$DIR/frames.jsonl'))['fps'])")
  python3 -c "
h, d = $headless, $dashboard
print('%-8s T=%s  headless %9.0f samples/s  dashboard %9.0f samples/s  (%+.1f%%)  %s frames/s' % ('$name', '$THREADS', h, d, 100 * (d - h) / h, '$fps'))"
}

measure digits --data digits --epochs 6000
measure mnist --data "$DIR/train-images-idx3-ubyte" --layers 256,128 --batch 128 --val-split 0.05 --epochs 6
