#!/usr/bin/env bash
# Counts heap allocations (malloc, calloc, realloc, posix_memalign) made by
# `nntop bench` on each workload, for a short and a four-times-longer run,
# with gdb breakpoints. If a training step allocated, the longer run would
# make hundreds of thousands more; equal counts mean the steps allocate
# nothing (set-up and reporting account for what there is).
# Usage (repository root, after `swift build -c release`): Benchmarks/allocations.sh
set -euo pipefail
NNTOP=$(realpath "${NNTOP:-.build/release/nntop}")
SCRIPT=$(mktemp)
trap 'rm -f "$SCRIPT"' EXIT
# Stop at main (libc loaded), then count every allocation without stopping.
cat > "$SCRIPT" <<'GDB'
set pagination off
set confirm off
start
break malloc
break calloc
break realloc
break posix_memalign
commands 2-5
silent
continue
end
continue
info breakpoints
GDB
count() {
  gdb -q -batch -nx -x "$SCRIPT" --args "$NNTOP" bench --workload "$1" --threads "$2" --seconds "$3" --warmup 0.05 2>/dev/null |
    awk '/breakpoint already hit/ {n += $4} END {print n + 0}'
}
for threads in ${THREADS:-1 2}; do
  for w in ${WORKLOADS:-tiny spirals digits mnist deep}; do
    short=$(count "$w" "$threads" 0.25)
    long=$(count "$w" "$threads" 1)
    printf '%-8s T=%s  allocations: %7s in a 0.25 s run, %7s in a 1 s run\n' "$w" "$threads" "$short" "$long"
  done
done
