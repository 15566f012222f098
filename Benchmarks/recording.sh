#!/usr/bin/env bash
# What recording a run costs: wall time of a headless digits run without
# outputs, with --log, and with --log and --tensorboard (medians of N runs),
# and the sizes of what they write.
#   Benchmarks/recording.sh [epochs=600] [runs=5]
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-600}
runs=${2:-5}
swift build -c release >/dev/null
bin=.build/release/nntop
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
time_run() {
  for _ in $(seq "$runs"); do
    local t0 t1
    rm -rf "$out/tb"
    t0=$(date +%s.%N)
    "$bin" --headless --data digits --epochs "$epochs" "$@" >/dev/null
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
  done | median
}
plain=$(time_run)
logged=$(time_run --log "$out/run.jsonl")
both=$(time_run --log "$out/run.jsonl" --tensorboard "$out/tb")
printf 'digits, %s epochs, median of %s runs (wall seconds)\n' "$epochs" "$runs"
printf '  plain            %.3f\n' "$plain"
printf '  --log            %.3f  (%+.1f%%)\n' "$logged" "$(echo "100 * ($logged / $plain - 1)" | bc -l)"
printf '  --log + --tb     %.3f  (%+.1f%%)\n' "$both" "$(echo "100 * ($both / $plain - 1)" | bc -l)"
printf '  log %s bytes: %s samples, %s weights, %s epochs\n' "$(wc -c < "$out/run.jsonl")" \
  "$(grep -c '"type":"sample"' "$out/run.jsonl")" "$(grep -c '"type":"weights"' "$out/run.jsonl")" "$(grep -c '"type":"epoch"' "$out/run.jsonl")"
printf '  tensorboard %s bytes\n' "$(cat "$out"/tb/* | wc -c)"  # the last run's file
