#!/usr/bin/env python3
"""nntop against the peer MLP trainers, side by side in one run.

Runs the peer benchmark (peers.py: NumPy, PyTorch, JAX, scikit-learn) and
`nntop bench` on the same machine, interleaved case by case: for each of
--repeat rounds, for each workload and thread count, the peers and then nntop
(nntop first in every other case), so both meet the same state of a shared
machine, whose speed drifts by tens of percent from one minute to the next.
With mnist, both also measure fp32 GEMM (peers.py --gemm: NumPy's).

It then prints, for the CPU it names, one markdown table per thread count:
each peer's median samples/s and nntop's; nntop's ratio to the best peer,
the median over rounds of each round's ratio (a paired ratio: drift between
rounds cancels), with the targets of issue 13 checked; nntop's T2 ÷ T1 per
workload, paired the same way; and the matmul FLOP rate of nntop's mnist
workload against NumPy's fp32 GEMM rate measured beside it.

`--isa avx2` measures, on an AVX-512 machine, what an AVX2-only CPU of the
same kind would run: nntop with NNTOP_KERNEL=avx2, and each peer's libraries
held to AVX2 by their own switches (AVX2_CAPS: OpenBLAS's Haswell kernels, the
kind numpy picks on an AVX2 EPYC; MKL and oneDNN at AVX2, which torch and
jax's XLA use for their products; numpy's own loops without AVX-512).

Usage (from the repository root, after `swift build -c release`):
  python3 Benchmarks/compare.py --peers ../shared/bench/peers.py \\
      --python ~/.venvs/mlp-peers/bin/python --threads 1,2 --repeat 2 --json Benchmarks/results.json
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

WORKLOADS = ["tiny", "spirals", "digits", "mnist", "deep"]
PEERS = ["numpy", "torch", "jax", "sklearn"]
# nntop must reach this multiple of the best peer at every thread count (issue 13).
TARGET = {"tiny": 2.0, "spirals": 2.0, "digits": 2.0, "mnist": 1.2, "deep": 2.0}
# mnist's matmul rate as a share of NumPy's fp32 GEMM, per thread count.
GEMM_SHARE = {1: 0.80, 2: 0.75}
# Each peer library's own switch that holds it to AVX2 (and FMA).
AVX2_CAPS = {
    "OPENBLAS_CORETYPE": "Haswell",                                 # numpy's and scipy's OpenBLAS
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",      # numpy's own loops
    "MKL_ENABLE_INSTRUCTIONS": "AVX2",                              # torch's BLAS
    "ATEN_CPU_CAPABILITY": "avx2",                                  # torch's own kernels
    "ONEDNN_MAX_CPU_ISA": "AVX2",                                   # torch's and XLA's oneDNN
    "XLA_FLAGS": "--xla_cpu_max_isa=AVX2",                          # jax's generated code
}


def run(cmd, env=None):
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True, env=env, stdout=sys.stderr)


def cpu_name():
    """The CPU's model name and its widest vector extension, from lscpu."""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "an unnamed CPU"
    fields = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    model = fields.get("Model name", "?").strip()
    flags = fields.get("Flags", "").split()
    isa = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    return "%s (%s, %s CPUs)" % (model, isa, fields.get("CPU(s)", "?").strip())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--peers", required=True, help="path to peers.py")
    ap.add_argument("--python", default=sys.executable, help="python with the peers' packages")
    ap.add_argument("--nntop", default=".build/release/nntop")
    ap.add_argument("--isa", choices=["avx2"], help="hold nntop and the peers to this instruction set (see above)")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--json", help="write all records here")
    args = ap.parse_args()

    records = []
    peer_env = dict(os.environ)
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # see shared/bench/README.md
        peer_env.pop(var, None)
    nntop_env = dict(os.environ)
    nntop_env.pop("NNTOP_KERNEL", None)
    if args.isa:
        peer_env.update(AVX2_CAPS)
        nntop_env["NNTOP_KERNEL"] = args.isa
    thread_counts = [int(v) for v in args.threads.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        case = 0
        for r in range(1, args.repeat + 1):
            for w in WORKLOADS:
                for t in thread_counts:
                    case += 1
                    gemm = ["--gemm"] if w == "mnist" else []
                    common = ["--workload", w, "--threads", str(t), "--seconds", str(args.seconds)] + gemm
                    peers_json = os.path.join(tmp, "peers-%d.json" % case)
                    nntop_json = os.path.join(tmp, "nntop-%d.json" % case)
                    steps = [([args.python, args.peers] + common + ["--json", peers_json], peer_env),
                             ([args.nntop, "bench"] + common + ["--json", nntop_json], nntop_env)]
                    for cmd, env in (steps if case % 2 else steps[::-1]):
                        run(cmd, env=env)
                    for path in (peers_json, nntop_json):
                        for rec in json.load(open(path)):
                            rec["run"] = r
                            records.append(rec)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(records, f, indent=1)

    ok = [x for x in records if x.get("status") == "ok"]
    kernel = next((x["host"].get("kernel") for x in ok if x["peer"] == "nntop" and "host" in x), "?")

    def measured(peer, workload, threads, key, run):
        """The case's values: of one round, or with run None of all."""
        return [x[key] for x in ok if x["peer"] == peer and x["workload"] == workload
                and x["threads"] == threads and run in (None, x["run"]) and x.get(key)]

    def median(peer, workload, threads, key="samples_per_s", run=None):
        vals = measured(peer, workload, threads, key, run)
        return statistics.median(vals) if vals else None

    def paired(ratio_in_run):
        """The median over rounds of a ratio both of whose terms one round measured."""
        vals = [v for v in (ratio_in_run(r) for r in range(1, args.repeat + 1)) if v]
        return statistics.median(vals) if vals else None

    def best_peer_rate(workload, threads, run):
        return max(filter(None, [median(p, workload, threads, run=run) for p in PEERS]), default=None)

    def gemm_rate(peer, threads, run=None):
        """The better of n = 2048 and 512: of one round, or with run None the medians'."""
        return max(filter(None, [median(peer, "gemm-%d" % n, threads, "gflops", run) for n in (2048, 512)]), default=None)

    def over(a, b):
        return a / b if a and b else None

    def fmt(x):
        if x is None:
            return "–"
        return "%.2fM" % (x / 1e6) if x >= 1e6 else "%.1fk" % (x / 1e3) if x >= 1e3 else "%.0f" % x

    held = ", the peers held to AVX2 (%s)" % " ".join("%s=%s" % kv for kv in AVX2_CAPS.items()) if args.isa else ""
    print("On %s, nntop's %s kernels%s; median of %d runs of %g s per case." % (cpu_name(), kernel, held, args.repeat, args.seconds))
    failures = 0
    for t in thread_counts:
        print("\n### %d thread%s (samples/s)\n" % (t, "" if t == 1 else "s"))
        print("| workload | " + " | ".join(PEERS) + " | **nntop** | best peer | nntop ÷ best | target | |")
        print("|---|" + "---|" * (len(PEERS) + 5))
        for w in WORKLOADS:
            peer_rates = {p: median(p, w, t) for p in PEERS}
            mine = median("nntop", w, t)
            best_peer = max((p for p in PEERS if peer_rates[p]), key=lambda p: peer_rates[p], default=None)
            ratio = paired(lambda r: over(median("nntop", w, t, run=r), best_peer_rate(w, t, r)))
            passed = ratio is not None and ratio >= TARGET[w]
            failures += not passed
            print("| %s | %s | **%s** | %s | %s | ≥ %.1f× | %s |" % (
                w, " | ".join(fmt(peer_rates[p]) for p in PEERS), fmt(mine), best_peer or "–",
                "%.2f×" % ratio if ratio else "–", TARGET[w], "✓" if passed else "✗"))
        gemm_median = gemm_rate("numpy-gemm", t)
        mine_gemm = gemm_rate("nntop-gemm", t)
        mnist = median("nntop", "mnist", t)
        mnist_rate = [x for x in ok if x["peer"] == "nntop" and x["workload"] == "mnist"][:1]
        if mnist and gemm_median and mnist_rate:
            flops = mnist_rate[0]["matmul_flops_per_sample"]
            gflops = mnist * flops / 1e9
            share = paired(lambda r: over((median("nntop", "mnist", t, run=r) or 0) * flops / 1e9, gemm_rate("numpy-gemm", t, r)))
            goal = GEMM_SHARE.get(t, GEMM_SHARE[2])
            passed = share is not None and share >= goal
            failures += not passed
            print("\nmnist matmul rate: %.1f GFLOP/s; NumPy's fp32 GEMM beside it: %.1f GFLOP/s (best of n=2048/512); "
                  "paired share %.0f%%, target ≥ %.0f%% %s. nntop's own square GEMM: %s GFLOP/s." % (
                      gflops, gemm_median, 100 * (share or 0), 100 * goal, "✓" if passed else "✗",
                      "%.1f" % mine_gemm if mine_gemm else "–"))
    if len(thread_counts) > 1:
        lo, hi = min(thread_counts), max(thread_counts)
        print("\n### nntop T%d ÷ T%d\n" % (hi, lo))
        print("| workload | T%d | T%d | ratio | |" % (lo, hi))
        print("|---|---|---|---|---|")
        for w in WORKLOADS:
            a, b = median("nntop", w, lo), median("nntop", w, hi)
            ratio = paired(lambda r: over(median("nntop", w, hi, run=r), median("nntop", w, lo, run=r)))
            # tiny (one sample per step) has no work to split: it must only not lose.
            passed = ratio is not None and ratio >= (0.95 if w == "tiny" else 1.0)
            failures += not passed
            print("| %s | %s | %s | %s | %s |" % (w, fmt(a), fmt(b), "%.2f×" % ratio if ratio else "–", "✓" if passed else "✗"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
