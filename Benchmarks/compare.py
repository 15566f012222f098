#!/usr/bin/env python3
"""nntop against the peer MLP trainers, side by side in one run.

Runs the peer benchmark (peers.py: NumPy, PyTorch, JAX, scikit-learn) and
`nntop bench` on the same machine, interleaved (peers, nntop, peers, nntop,
... for --repeat rounds), then prints one markdown table per thread count:
each peer's median samples/s, nntop's, and nntop's ratio to the best peer,
with the targets of BENCHMARKS.md checked. Also compares the matmul FLOP
rate of nntop's mnist workload with NumPy's fp32 GEMM rate (peers.py --gemm).

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
# nntop must reach this multiple of the best peer (issue 4's targets).
TARGET = {"tiny": 2.0, "spirals": 2.0, "digits": 2.0, "mnist": 1.0, "deep": 2.0}
GEMM_SHARE = 0.70


def run(cmd, env=None):
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True, env=env, stdout=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--peers", required=True, help="path to peers.py")
    ap.add_argument("--python", default=sys.executable, help="python with the peers' packages")
    ap.add_argument("--nntop", default=".build/release/nntop")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--json", help="write all records here")
    args = ap.parse_args()

    records = []
    peer_env = dict(os.environ)
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # see shared/bench/README.md
        peer_env.pop(var, None)
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(1, args.repeat + 1):
            peers_json = os.path.join(tmp, "peers-%d.json" % r)
            run([args.python, args.peers, "--threads", args.threads, "--gemm", "--seconds", str(args.seconds),
                 "--json", peers_json], env=peer_env)
            nntop_json = os.path.join(tmp, "nntop-%d.json" % r)
            run([args.nntop, "bench", "--threads", args.threads, "--seconds", str(args.seconds), "--gemm",
                 "--json", nntop_json])
            for path in (peers_json, nntop_json):
                for rec in json.load(open(path)):
                    rec["run"] = r
                    records.append(rec)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(records, f, indent=1)

    ok = [x for x in records if x.get("status") == "ok"]

    def median(peer, workload, threads, key="samples_per_s"):
        vals = [x[key] for x in ok if x["peer"] == peer and x["workload"] == workload
                and x["threads"] == threads and x.get(key)]
        return statistics.median(vals) if vals else None

    def fmt(x):
        if x is None:
            return "–"
        return "%.2fM" % (x / 1e6) if x >= 1e6 else "%.1fk" % (x / 1e3) if x >= 1e3 else "%.0f" % x

    failures = 0
    for t in [int(v) for v in args.threads.split(",")]:
        print("\n### %d thread%s (median of %d runs, samples/s)\n" % (t, "" if t == 1 else "s", args.repeat))
        print("| workload | " + " | ".join(PEERS) + " | **nntop** | best peer | nntop ÷ best | target | |")
        print("|---|" + "---|" * (len(PEERS) + 5))
        for w in WORKLOADS:
            peer_rates = {p: median(p, w, t) for p in PEERS}
            mine = median("nntop", w, t)
            best_peer = max((p for p in PEERS if peer_rates[p]), key=lambda p: peer_rates[p], default=None)
            best = peer_rates.get(best_peer) if best_peer else None
            ratio = mine / best if mine and best else None
            passed = ratio is not None and ratio >= TARGET[w]
            failures += not passed
            print("| %s | %s | **%s** | %s | %s | ≥ %.0f× | %s |" % (
                w, " | ".join(fmt(peer_rates[p]) for p in PEERS), fmt(mine), best_peer or "–",
                "%.2f×" % ratio if ratio else "–", TARGET[w], "✓" if passed else "✗"))
        numpy_gemm = max(filter(None, [median("numpy-gemm", "gemm-%d" % n, t, "gflops") for n in (2048, 512)]), default=None)
        mine_gemm = max(filter(None, [median("nntop-gemm", "gemm-%d" % n, t, "gflops") for n in (2048, 512)]), default=None)
        mnist = median("nntop", "mnist", t)
        mnist_rate = [x for x in ok if x["peer"] == "nntop" and x["workload"] == "mnist"][:1]
        if mnist and numpy_gemm and mnist_rate:
            gflops = mnist * mnist_rate[0]["matmul_flops_per_sample"] / 1e9
            share = gflops / numpy_gemm
            passed = share >= GEMM_SHARE
            failures += not passed
            print("\nmnist matmul rate: %.1f GFLOP/s = %.0f%% of NumPy's fp32 GEMM (%.1f GFLOP/s, best of n=2048/512); "
                  "target ≥ %.0f%% %s. nntop's own square GEMM: %s GFLOP/s." % (
                      gflops, 100 * share, numpy_gemm, 100 * GEMM_SHARE, "✓" if passed else "✗",
                      "%.1f" % mine_gemm if mine_gemm else "–"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
