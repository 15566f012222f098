#!/usr/bin/env bash
# Two nntop binaries, interleaved: one workload at one thread count, each
# binary's samples/s in N alternating runs, and the median of the per-pair
# ratios (new ÷ base). On a shared machine whose speed drifts from minute to
# minute, a change is only measured this way (BENCHMARKS.md).
#
#   Benchmarks/pairs.sh BASE NEW WORKLOAD THREADS [KERNEL] [PAIRS]
#   Benchmarks/pairs.sh /tmp/nntop-before .build/release/nntop deep 2 avx2 7
#
# KERNEL (avx512, avx2, baseline; default: the CPU's best) is passed as
# NNTOP_KERNEL; PAIRS defaults to 5.
set -euo pipefail

if [[ $# -lt 4 ]]; then
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
base=$1 new=$2 workload=$3 threads=$4 kernel=${5:-} pairs=${6:-5}
for binary in "$base" "$new"; do
  [[ -x $binary ]] || { echo "pairs.sh: $binary is not an executable" >&2; exit 2; }
done

# One run's samples/s, in thousands.
rate() {
  local out
  out=$(env ${kernel:+NNTOP_KERNEL=$kernel} "$1" bench --workload "$workload" --threads "$threads" --seconds 0.7 --warmup 0.2 2>&1) || {
    echo "pairs.sh: $1 bench failed: $out" >&2
    exit 1
  }
  python3 -c '
import re, sys
m = re.search(r"T=\d+ run 1 +([0-9.]+)([kM]) samples/s", sys.stdin.read())
if not m:
    sys.exit("pairs.sh: no samples/s in the output")
print(float(m.group(1)) * (1 if m.group(2) == "k" else 1000))' <<<"$out"
}

rates_base=() rates_new=()
for ((i = 0; i < pairs; i++)); do
  rates_base+=("$(rate "$base")")
  rates_new+=("$(rate "$new")")
done

python3 - "$workload" "$threads" "${kernel:-best}" "${rates_base[*]}" "${rates_new[*]}" <<'EOF'
import statistics, sys
workload, threads, kernel, base, new = sys.argv[1:]
a = [float(x) for x in base.split()]
b = [float(x) for x in new.split()]
ratios = [y / x for x, y in zip(a, b)]
print(f"{workload} T{threads} {kernel}: base {statistics.median(a):.1f}k, new {statistics.median(b):.1f}k samples/s; "
      f"new/base median {statistics.median(ratios):.3f} (range {min(ratios):.3f}-{max(ratios):.3f}, {len(ratios)} pairs)")
EOF
