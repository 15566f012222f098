#!/usr/bin/env bash
# The soak (monkey) test for 10 minutes: Tests/nntopTests/SoakTests.swift
# drives the real dashboard in tmux with seeded random keys, η typing,
# resizes (1×1 up to 300×100) and pauses, then checks that nntop is alive,
# still draws its status line, quits with status 0, and that its resident
# memory at the end is within 10 % of the value after warm-up (the first
# quarter). CI runs the same test for 60 s as part of `swift test`.
#
# Usage (repository root):
#   Benchmarks/soak.sh [SECONDS] [SEED]
# which runs
#   NNTOP_SOAK_SECONDS=600 NNTOP_SOAK_SEED=SEED swift test -c release --filter SoakTests
# and prints the RSS line (warm-up, end, max, a trace) and the log's event counts.
# SEED defaults to the test's own; pass another to explore new sequences.
set -euo pipefail
cd "$(dirname "$0")/.."
export NNTOP_SOAK_SECONDS=${1:-600}
if [ -n "${2:-}" ]; then export NNTOP_SOAK_SEED=$2; fi
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
status=0
swift test -c release --filter SoakTests 2>&1 | tee "$OUT" || status=$?
echo
echo "== soak summary (${NNTOP_SOAK_SECONDS} s) =="
grep '^soak:' "$OUT" | sed -e 's/ trace=/\n      trace=/' || echo "no soak: line (the test did not get to the end; see above)"
exit $status
