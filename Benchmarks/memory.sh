#!/usr/bin/env bash
# Resident memory of a 10-million-step run with the dashboard open: the
# histories are bounded, so RSS must stay flat. Prints step and RSS every
# second. Usage (repository root, after `swift build -c release`):
# Benchmarks/memory.sh [STEPS]
set -euo pipefail
NNTOP=$(realpath "${NNTOP:-.build/release/nntop}")
STEPS=${1:-10000000}
DIR=$(mktemp -d)
trap 'tmux -L nntop-mem kill-server 2>/dev/null || true; rm -rf "$DIR"' EXIT
# xor: 320 training examples; batch 1 → 320 steps per epoch.
EPOCHS=$(( (STEPS + 319) / 320 ))
tmux -L nntop-mem -f /dev/null new-session -d -x 120 -y 40 -e LANG=C.UTF-8 \
  "cd '$DIR' && sh -c 'echo \$\$ > pid; exec \"\$0\" \"\$@\"' '$NNTOP' --data xor --batch 1 --layers 8 --epochs $EPOCHS --log run.jsonl; sleep 600"
until [ -s "$DIR/pid" ]; do sleep 0.1; done
PID=$(cat "$DIR/pid")
echo "seconds  step        rss_kib"
t=0
while ! grep -q '"event":"finished"' "$DIR/run.jsonl" 2>/dev/null; do
  sleep 1; t=$((t + 1))
  step=$(tmux -L nntop-mem capture-pane -p -t 0 | grep -o 'step [0-9,]*' | tail -1 | tr -d 'step ,')
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")
  printf '%7d  %-10s  %s\n' "$t" "$step" "$rss"
done
tmux -L nntop-mem send-keys -t 0 q
