#!/usr/bin/env python3
"""Runs spmm_bench and prints a markdown table of sxf vs OpenBLAS vs Eigen.

Usage:
  spmm_table.py [--bench PATH] [--filter REGEX] [--repetitions N]
                [--min-time SECONDS] [--json-out FILE]
  spmm_table.py --input results.json      # format an earlier run

The benchmark binary (bench/runtime/spmm_bench.cpp) names its benchmarks
<impl>/<pattern>/<R>x<C>/<N>, impl in sxf, openblas, eigen (zero-copy
column-major mapping), eigenrm (row-major operands, copies timed) and mlir
(upstream MLIR's --sparsifier on CSR, when the binary was built with it).
For every (weight shape, N, pattern) the table shows the median times,
sxf's rate on stored values, and the speedups of sxf over dense OpenBLAS
sgemm (same shape and N) and over the faster of the two Eigen layouts.
A summary then checks the targets of issue 7 at N = 512.

Python 3 standard library only.
"""

import argparse
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

NAME = re.compile(r"^(?P<impl>[a-z]+)/(?P<pattern>[a-z0-9_]+)/"
                  r"(?P<R>\d+)x(?P<C>\d+)/(?P<N>\d+)")

PATTERN_ORDER = ["dense", "csr_50", "csr_30", "csr_20", "csr_10", "csr_5",
                 "bsr4_20", "bsr4_10", "bsr8_20", "bsr8_10", "bsr16_20",
                 "bsr16_10", "nm2_4", "nm4_8"]

UNIT_TO_MS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}


def run_bench(args):
    cmd = [args.bench, "--benchmark_format=json",
           "--benchmark_repetitions=%d" % args.repetitions,
           "--benchmark_report_aggregates_only=true",
           "--benchmark_min_time=%g" % args.min_time]
    if args.filter:
        cmd.append("--benchmark_filter=" + args.filter)
    print("running: " + " ".join(cmd), file=sys.stderr)
    try:
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                             universal_newlines=True).stdout
    except FileNotFoundError:
        sys.exit("error: benchmark binary '%s' not found (build it as "
                 "described in runtime/README.md, or pass --bench)"
                 % args.bench)
    except subprocess.CalledProcessError as e:
        sys.exit("error: '%s' exited with status %d" % (args.bench,
                                                         e.returncode))
    if not out.strip():
        sys.exit("error: no benchmark matched the filter '%s'" % args.filter)
    if args.json_out:
        with open(args.json_out, "w") as f:
            f.write(out)
    return json.loads(out)


def medians(data):
    """{(impl, pattern, R, C, N): (median ms, counters)} from the JSON."""
    result = {}
    for b in data.get("benchmarks", []):
        if b.get("run_type") == "aggregate" and \
                b.get("aggregate_name") != "median":
            continue
        m = NAME.match(b.get("run_name", b["name"]))
        if not m:
            continue
        ms = b["real_time"] * UNIT_TO_MS[b.get("time_unit", "ns")]
        key = (m["impl"], m["pattern"], int(m["R"]), int(m["C"]), int(m["N"]))
        # Without repetitions there are no aggregates: keep the single run.
        if key not in result or b.get("aggregate_name") == "median":
            result[key] = (ms, b)
    return result


def fmt_ratio(x):
    return "–" if x is None else "%.2f×" % x


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--bench", default=os.path.join(here, "spmm_bench"),
                   help="benchmark binary (default: spmm_bench beside this "
                        "script)")
    p.add_argument("--input", help="format this JSON instead of running")
    p.add_argument("--filter", default="", help="--benchmark_filter regex")
    p.add_argument("--repetitions", type=int, default=3)
    p.add_argument("--min-time", type=float, default=0.1,
                   help="seconds per repetition (default 0.1)")
    p.add_argument("--json-out", help="also save the raw JSON here")
    args = p.parse_args()

    if args.input:
        with open(args.input) as f:
            data = json.load(f)
    else:
        data = run_bench(args)
    med = medians(data)
    if not med:
        sys.exit("error: no benchmark results matched the expected names")

    ctx = data.get("context", {})
    print("Machine: %s CPUs at %s MHz, %s; %s build" % (
        ctx.get("num_cpus", "?"), ctx.get("mhz_per_cpu", "?"),
        ", ".join("L%d %s %dKiB" % (c["level"], c["type"], c["size"] // 1024)
                  for c in ctx.get("caches", []) if c["type"] != "Instruction"),
        ctx.get("library_build_type", "?")))
    print()
    print("| weight R×C | N | pattern | sxf ms | sxf GFLOP/s | OpenBLAS ms "
          "| vs OpenBLAS | Eigen ms | vs Eigen | MLIR sparsifier ms | vs MLIR |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")

    groups = defaultdict(dict)
    for (impl, pat, R, C, N), v in med.items():
        groups[(R, C, N, pat)][impl] = v
    order = {p: i for i, p in enumerate(PATTERN_ORDER)}
    shapes = []
    for (R, C, N, _) in groups:
        if (R, C, N) not in shapes:
            shapes.append((R, C, N))
    shape_rank = {(768, 768): 0, (3072, 768): 1, (768, 3072): 2}
    shapes.sort(key=lambda s: (shape_rank.get(s[:2], 9), s))

    checks = []
    for (R, C, N) in shapes:
        blas = groups.get((R, C, N, "dense"), {}).get("openblas")
        pats = sorted({k[3] for k in groups if k[:3] == (R, C, N)},
                      key=lambda p: order.get(p, 99))
        for pat in pats:
            g = groups[(R, C, N, pat)]
            sxf = g.get("sxf")
            if not sxf:
                continue
            eig = [g[i][0] for i in ("eigen", "eigenrm") if i in g]
            best_eigen = min(eig) if eig else None
            vs_blas = blas[0] / sxf[0] if blas else None
            vs_eigen = best_eigen / sxf[0] if best_eigen else None
            gflops = sxf[1].get("GFLOPs")
            mlir = g.get("mlir")
            vs_mlir = mlir[0] / sxf[0] if mlir else None
            print("| %d×%d | %d | %s | %.3f | %s | %s | %s | %s | %s | %s | %s |" % (
                R, C, N, pat, sxf[0],
                "%.1f" % (gflops / 1e0) if gflops else "–",
                "%.3f" % blas[0] if blas else "–", fmt_ratio(vs_blas),
                "%.3f" % best_eigen if best_eigen else "–",
                fmt_ratio(vs_eigen),
                "%.3f" % mlir[0] if mlir else "–", fmt_ratio(vs_mlir)))
            if N == 512 and pat != "dense":
                checks.append((R, C, pat, vs_blas, vs_eigen, vs_mlir))

    if checks:
        print()
        print("Targets at N = 512 (issue 7):")
        targets = {"csr_10": 5.0, "bsr4_20": 3.0, "csr_50": 1.0}
        for (R, C, pat, vs_blas, vs_eigen, vs_mlir) in checks:
            notes = []
            if pat in targets and vs_blas is not None:
                ok = vs_blas >= targets[pat]
                notes.append("%s ≥%g× OpenBLAS: %.2f× %s" % (
                    pat, targets[pat], vs_blas, "met" if ok else "MISSED"))
            if vs_eigen is not None and vs_eigen < 1.0:
                notes.append("%s slower than Eigen: %.2f× MISSED" % (
                    pat, vs_eigen))
            if vs_mlir is not None and vs_mlir < 1.0:
                notes.append("%s slower than MLIR's sparsifier: %.2f× MISSED" % (
                    pat, vs_mlir))
            for n in notes:
                print("- %d×%d %s" % (R, C, n))
        slower = [c for c in checks if c[4] is not None and c[4] < 1.0]
        if not slower:
            print("- faster than Eigen at every point")
        if all(c[5] is not None for c in checks if c[2].startswith("csr")) and \
                not [c for c in checks if c[5] is not None and c[5] < 1.0]:
            print("- faster than MLIR's sparsifier at every CSR point")


if __name__ == "__main__":
    main()
