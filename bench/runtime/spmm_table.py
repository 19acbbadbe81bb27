#!/usr/bin/env python3
"""Runs the SpMM benchmark against its peers and prints the comparison
tables of docs/codegen.md ("Benchmarks").

Usage:
  spmm_table.py [--bench PATH] [--rounds N] [--min-time S] [--check-bound B]
                [--shapes 768x768,...] [--tokens 128,512]
                [--patterns csr_10,...] [--no-torch] [--python PATH]
                [--json-out FILE]
  spmm_table.py --input FILE          # format an earlier run's JSON

What runs: bench/runtime/spmm_bench.cpp built as spmm_bench (sxf, OpenBLAS,
oneDNN, Eigen, LIBXSMM, the transposes, the FMA peak) and spmm_bench_mlir
beside it (MLIR's sparsifier), plus torch_spmm.py beside this script
(PyTorch CSR). Every implementation runs in its own process (so that no
thread pool spins while another library runs: OpenBLAS's pthreads, GCC's
and LLVM's OpenMP), and the processes are interleaved in rounds, the order
rotated each round, so that the machine's slow drifts hit every
implementation alike. The first round runs with --check: every output is
compared with a double-precision reference; a peer over the bound is
reported and left out of that cell. Times are medians over the rounds.

For each (weight R x C, tokens N, pattern) the tables give sxf's time and
effective GFLOP/s on nonzeros (2·N·nnz / time), the best dense library of
the same run (the faster of oneDNN, weights pre-reordered, and OpenBLAS
sgemm) and sxf's speed-up over it against issue 14's goal, and the best
sparse peer (the fastest of Eigen, LIBXSMM spmdm, MLIR's sparsifier and
PyTorch CSR, each in its fastest variant) with its GFLOP/s and speed-ups;
then every implementation's median, the checks and the noise.

Python 3 standard library only (torch_spmm.py needs PyTorch and NumPy).
"""

import argparse
import datetime
import json
import math
import os
import re
import statistics
import subprocess
import sys
from collections import defaultdict

NAME = re.compile(r"^(?P<impl>[a-z0-9]+)/(?P<pattern>[a-z0-9_]+)/"
                  r"(?P<R>\d+)x(?P<C>\d+)/(?P<N>\d+)")
PEAK = re.compile(r"^peak/(?P<isa>[a-z0-9]+)")

PATTERN_ORDER = ["dense", "csr_50", "csr_20", "csr_10", "csr_5", "bsr4_20",
                 "bsr4_10", "nm2_4", "nm4_8"]
# Issue 14: sxf's speed-up over the best dense library, per pattern.
GOALS = {"csr_5": 12.0, "csr_10": 7.0, "csr_20": 3.8, "csr_50": 1.6,
         "nm2_4": 1.7, "nm4_8": 1.7, "bsr4_20": 4.5, "bsr4_10": 8.0,
         "dense": 0.95}
PEER_GOAL = 2.0  # every cell: ≥ 2× faster than the best sparse peer

DENSE = {"openblas": "OpenBLAS", "onednn": "oneDNN"}
# Sparse peers: family -> {impl: variant label}
PEERS = {
    "Eigen": {"eigen": "Eigen"},
    "LIBXSMM": {"libxsmm": "LIBXSMM", "libxsmmtt": "LIBXSMM (x,y)"},
    "MLIR": {"mlir": "MLIR CSR", "mlirbsr": "MLIR BSR", "mlirnm": "MLIR N:M"},
    "PyTorch": {"torchcsr": "PyTorch CSR"},
}
VARIANT = {impl: label for fam in PEERS.values() for impl, label in fam.items()}
FAMILY = {impl: fam for fam, v in PEERS.items() for impl in v}
# Implementations measured on the dense weight only (sxfkernel: spmm.h's
# built-in dense kernel, which sxf/dense replaces with oneDNN).
DENSE_ONLY = ("onednn", "openblas", "transpose", "torchdense", "sxfkernel")
# The columns of the table of every implementation.
ALL_COLUMNS = ["sxf", "sxfrows", "sxfkernel", "onednn", "openblas", "eigen",
               "libxsmm", "libxsmmtt", "mlir", "mlirbsr", "mlirnm", "torchcsr",
               "torchdense", "transpose"]
COLUMN_TITLE = {"sxf": "sxf", "sxfrows": "sxf, row split",
                "sxfkernel": "sxf kernel", "onednn": "oneDNN",
                "openblas": "OpenBLAS",
                "eigen": "Eigen", "libxsmm": "LIBXSMM",
                "libxsmmtt": "LIBXSMM (x,y)", "mlir": "MLIR CSR",
                "mlirbsr": "MLIR BSR", "mlirnm": "MLIR N:M",
                "torchcsr": "PyTorch CSR", "torchdense": "PyTorch dense",
                "transpose": "transposes"}
UNIT_TO_MS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}


# --------------------------------------------------------------------------
# Running


def cpu_info():
    info = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if ":" not in line:
                    if info:
                        break
                    continue
                k, v = (s.strip() for s in line.split(":", 1))
                info.setdefault(k, v)
    except OSError:
        pass
    fam = int(info.get("cpu family", "0") or 0)
    uarch = ""
    if info.get("vendor_id") == "AuthenticAMD":
        uarch = {23: "Zen/Zen 2", 25: "Zen 3/Zen 4", 26: "Zen 5"}.get(fam, "")
    flags = info.get("flags", "").split()
    isa = ", ".join(f for f in ("avx512f", "avx2", "fma") if f in flags)
    return {
        "model": info.get("model name", "?"),
        "vendor": info.get("vendor_id", "?"),
        "family": info.get("cpu family", "?"),
        "model_number": info.get("model", "?"),
        "stepping": info.get("stepping", "?"),
        "uarch": uarch,
        "isa": isa,
        "cpus": os.cpu_count(),
    }


def package_versions():
    pkgs = ["libopenblas0-pthread", "libdnnl2", "libxsmm-dev",
            "libeigen3-dev", "mlir-22-tools", "libomp-22-dev",
            "python3-torch", "g++"]
    out = {}
    for p in pkgs:
        try:
            v = subprocess.run(["dpkg-query", "-W", "-f=${Version}", p],
                               stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL,
                               universal_newlines=True).stdout.strip()
        except OSError:
            v = ""
        if v:
            out[p] = v
    return out


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def list_impls(exe):
    try:
        out = subprocess.run([exe, "--benchmark_list_tests"], check=True,
                             stdout=subprocess.PIPE,
                             universal_newlines=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    impls = []
    for line in out.split():
        i = line.split("/", 1)[0]
        if i not in impls and i != "settle":
            impls.append(i)
    return impls


def cell_filter(impl, args):
    if impl == "peak":
        return "^peak/"
    pats = args.patterns.split(",")
    if impl in DENSE_ONLY:
        pats = ["dense"]
    return "^%s/(%s)/(%s)/(%s)(/|$)" % (
        impl, "|".join(pats), "|".join(args.shapes.split(",")),
        "|".join(args.tokens.split(",")))


def run_process(cmd):
    print("  " + " ".join(cmd), file=sys.stderr)
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           universal_newlines=True)
    except OSError as e:
        print("  (%s)" % e, file=sys.stderr)
        return {"benchmarks": [], "context": {"failed": str(e)}}
    if p.returncode != 0:
        print("  (exit status %d)" % p.returncode, file=sys.stderr)
    try:
        return json.loads(p.stdout)
    except ValueError:
        print("  (no JSON on stdout)", file=sys.stderr)
        return {"benchmarks": []}


def collect(args):
    here = os.path.dirname(os.path.abspath(__file__))
    bench = args.bench
    mlir = os.path.join(os.path.dirname(os.path.abspath(bench)),
                        "spmm_bench_mlir")
    if not os.path.exists(bench):
        sys.exit("error: benchmark binary '%s' not found (configure with "
                 "-DSXF_BUILD_BENCH=ON and build sxf-spmm-bench, or pass "
                 "--bench)" % bench)
    procs = []  # (label, command)
    notes = []
    impls = list_impls(bench)
    for i in impls:
        procs.append((i, [bench, "--benchmark_filter=" + cell_filter(i, args)]))
    for want, pkg in (("onednn", "libdnnl-dev"), ("libxsmm", "libxsmm-dev")):
        if want not in impls:
            notes.append("%s: not built in (%s missing when the benchmark "
                         "was configured)" % (want, pkg))
    if os.path.exists(mlir):
        for i in list_impls(mlir):
            procs.append((i, [mlir, "--benchmark_filter=" + cell_filter(i, args)]))
    else:
        notes.append("MLIR sparsifier: spmm_bench_mlir not built (LLVM's "
                     "libomp-22-dev, mlir-opt or llc missing when the "
                     "benchmark was configured)")
    if not args.no_torch:
        procs.append(("torch", [args.python,
                                os.path.join(here, "torch_spmm.py"),
                                "--shapes", args.shapes, "--tokens", args.tokens,
                                "--patterns", args.patterns]))
    context = {"cpu": cpu_info(), "packages": package_versions(),
               "date": datetime.datetime.now().isoformat(timespec="seconds"),
               "rounds": args.rounds, "min_time": args.min_time,
               "nice": os.nice(0), "load_before": loadavg(), "notes": notes,
               "commands": [" ".join(c) for _, c in procs]}
    rounds = []
    for r in range(args.rounds):
        print("round %d of %d (load %s)" % (r + 1, args.rounds, loadavg()),
              file=sys.stderr)
        k = r % len(procs)
        order = procs[k:] + procs[:k]
        results = []
        for label, cmd in order:
            c = list(cmd)
            if label == "torch":
                c += ["--min-time", "%g" % args.min_time]
                if r == 0:
                    c += ["--check", "--check-bound", "%g" % args.check_bound]
            else:
                c += ["--benchmark_format=json",
                      "--benchmark_min_time=%g" % args.min_time]
                if r == 0:
                    c += ["--check", "--check-bound=%g" % args.check_bound]
            data = run_process(c)
            if label == "torch" and r == 0 and not data.get("benchmarks"):
                notes.append("PyTorch: left out (%s cannot run torch_spmm.py: "
                             "python3-torch and python3-numpy, scripts/setup "
                             "--bench)" % args.python)
            if label == "sxf" or label == "peak":
                context.setdefault("bench_context", data.get("context", {}))
            results.extend(data.get("benchmarks", []))
        rounds.append(results)
    context["load_after"] = loadavg()
    return {"context": context, "rounds": rounds}


# --------------------------------------------------------------------------
# Tables


def parse(run):
    """times[(impl, pat, R, C, N)] = [ms per round]; plus nnz (each
    implementation's own weight: PyTorch draws its own), rel_err, errors
    and the FMA peaks."""
    times = defaultdict(list)
    nnz, relerr, errors = {}, {}, {}
    peaks = defaultdict(list)
    for results in run["rounds"]:
        for b in results:
            name = b.get("run_name", b.get("name", ""))
            pm = PEAK.match(name)
            if pm:
                if "GFLOPs" in b:
                    peaks[pm["isa"]].append(b["GFLOPs"] * (
                        1e-9 if b["GFLOPs"] > 1e6 else 1.0))
                continue
            m = NAME.match(name)
            if not m:
                continue
            key = (m["impl"], m["pattern"], int(m["R"]), int(m["C"]), int(m["N"]))
            if b.get("error_occurred"):
                errors[key] = b.get("error_message", "error")
                continue
            if "rel_err" in b:
                relerr[key] = b["rel_err"]
            if "nnz" in b:
                nnz[key] = b["nnz"]
            if "real_time" in b:
                times[key].append(b["real_time"] *
                                  UNIT_TO_MS[b.get("time_unit", "ns")])
    return times, nnz, relerr, errors, peaks


def gflops(n_tok, nz, ms):
    return 2.0 * n_tok * nz / (ms * 1e-3) * 1e-9


def fmt_ms(ms):
    if ms is None:
        return "–"
    return "%.3f" % ms if ms < 10 else "%.2f" % ms if ms < 100 else "%.1f" % ms


def fmt_x(x):
    return "–" if x is None else "%.2f×" % x


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--bench", default=os.path.join(here, "spmm_bench"),
                   help="spmm_bench binary (spmm_bench_mlir is looked for "
                        "beside it)")
    p.add_argument("--input", help="format this JSON instead of running")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--min-time", type=float, default=0.2,
                   help="seconds per benchmark per round (default 0.2)")
    p.add_argument("--check-bound", type=float, default=1e-4,
                   help="largest max |y - ref| / max |ref| a result may have "
                        "(default 1e-4)")
    p.add_argument("--shapes", default="768x768,3072x768,768x3072")
    p.add_argument("--tokens", default="128,512")
    p.add_argument("--patterns", default=",".join(PATTERN_ORDER))
    p.add_argument("--no-torch", action="store_true",
                   help="leave out PyTorch (torch_spmm.py)")
    p.add_argument("--python", default="/usr/bin/python3"
                   if os.path.exists("/usr/bin/python3") else sys.executable,
                   help="the Python with PyTorch and NumPy for torch_spmm.py "
                        "(default /usr/bin/python3, Debian's python3-torch)")
    p.add_argument("--json-out", help="save the raw results here")
    args = p.parse_args()

    if args.input:
        with open(args.input) as f:
            run = json.load(f)
    else:
        run = collect(args)
        if args.json_out:
            with open(args.json_out, "w") as f:
                json.dump(run, f)
    report(run)


def report(run):
    ctx = run["context"]
    times, nnz, relerr, errors, peaks = parse(run)
    # A peer that failed its check is left out of its cell (its later,
    # unchecked rounds are not used).
    med = {k: statistics.median(v) for k, v in times.items()
           if v and k not in errors}
    cpu = ctx.get("cpu", {})
    peak = {isa: statistics.median(v) for isa, v in peaks.items() if v}
    best_peak = max(peak.values()) if peak else None
    bctx = ctx.get("bench_context", {})
    caches = ", ".join("L%d %s %d KiB" % (c["level"], c["type"], c["size"] // 1024)
                       for c in bctx.get("caches", [])
                       if c.get("type") != "Instruction")
    print("CPU: %s (%s family %s model %s stepping %s%s), %s CPUs; %s; %s" % (
        cpu.get("model", "?"), cpu.get("vendor", "?"), cpu.get("family", "?"),
        cpu.get("model_number", "?"), cpu.get("stepping", "?"),
        ": " + cpu["uarch"] if cpu.get("uarch") else "", cpu.get("cpus", "?"),
        cpu.get("isa", ""), caches or "caches ?"))
    if peak:
        print("Measured fp32 FMA peak, 2 threads (median of %d rounds): %s" % (
            len(run["rounds"]), ", ".join(
                "%s %.0f GFLOP/s" % ("AVX-512" if isa == "avx512" else
                                     "AVX2" if isa == "avx2" else isa, v)
                for isa, v in sorted(peak.items()))))
    pk = ctx.get("packages", {})
    if pk:
        print("Packages: " + ", ".join("%s %s" % kv for kv in sorted(pk.items())))
    print("Run: %s, %d rounds interleaved (one process per implementation), "
          "min time %g s per benchmark per round, nice %s, load average %s "
          "before / %s after" % (
              ctx.get("date", "?"), len(run["rounds"]), ctx.get("min_time", 0),
              ctx.get("nice", 0), ctx.get("load_before", "?"),
              ctx.get("load_after", "?")))
    for n in ctx.get("notes", []):
        print("Note: " + n)
    print()

    cells = sorted({k[1:] for k in med} | {k[1:] for k in errors},
                   key=lambda c: ({(768, 768): 0, (3072, 768): 1,
                                   (768, 3072): 2}.get((c[1], c[2]), 9),
                                  c[3], PATTERN_ORDER.index(c[0])
                                  if c[0] in PATTERN_ORDER else 99))
    cells = [c for c in cells if ("sxf",) + c in med or
             ("sxf",) + c in errors]

    # Summary table.
    print("| W R×C | N | pattern | sxf ms | sxf GFLOP/s (% peak) | best dense, ms "
          "(GFLOP/s) | sxf vs dense | goal | | best sparse peer, ms (GFLOP/s) "
          "| peer vs dense | sxf vs peer (≥ 2×) |")
    print("|---|---:|---|---:|---:|---|---:|---:|---|---|---:|---:|")
    met = miss = pmet = pmiss = 0
    shortfalls = []
    peer_ratio = defaultdict(list)
    for cell in cells:
        pat, R, C, N = cell
        nz = nnz.get(("sxf",) + cell, R * C)
        sxf = med.get(("sxf",) + cell)
        dense = [(med[(d, "dense", R, C, N)], DENSE[d]) for d in DENSE
                 if (d, "dense", R, C, N) in med]
        best_dense = min(dense) if dense else None
        peers = []
        for impl in VARIANT:
            k = (impl,) + cell
            if k in med:
                peers.append((med[k], VARIANT[impl], impl,
                              nnz.get(k, nz)))
        best_fam = {}
        for ms, label, impl, _ in peers:
            fam = FAMILY[impl]
            if fam not in best_fam or ms < best_fam[fam][0]:
                best_fam[fam] = (ms, label)
        for fam, (ms, _) in best_fam.items():
            if sxf:
                peer_ratio[fam].append(ms / sxf)
        best_peer = min(peers) if peers else None
        vs_dense = best_dense[0] / sxf if sxf and best_dense else None
        goal = GOALS.get(pat)
        ok = vs_dense is not None and goal is not None and vs_dense >= goal
        if vs_dense is not None and goal is not None:
            if ok:
                met += 1
            else:
                miss += 1
                shortfalls.append((cell, vs_dense, goal))
        vs_peer = best_peer[0] / sxf if sxf and best_peer else None
        if vs_peer is not None:
            if vs_peer >= PEER_GOAL:
                pmet += 1
            else:
                pmiss += 1
        sxf_g = gflops(N, nz, sxf) if sxf else None
        print("| %d×%d | %d | %s | %s | %s | %s | %s | ≥ %g× | %s | %s | %s | %s |" % (
            R, C, N, pat, fmt_ms(sxf),
            "%.0f (%.0f%%)" % (sxf_g, 100 * sxf_g / best_peak)
            if sxf_g and best_peak else ("%.0f" % sxf_g if sxf_g else "–"),
            "%s %s (%.0f)" % (best_dense[1], fmt_ms(best_dense[0]),
                              gflops(N, R * C, best_dense[0]))
            if best_dense else "–",
            fmt_x(vs_dense), goal if goal else 0,
            "met" if ok else "**missed**" if vs_dense is not None else "",
            "%s %s (%.0f)" % (best_peer[1], fmt_ms(best_peer[0]),
                              gflops(N, best_peer[3], best_peer[0]))
            if best_peer else "–",
            fmt_x(best_dense[0] / best_peer[0]) if best_peer and best_dense else "–",
            (fmt_x(vs_peer) + ("" if vs_peer >= PEER_GOAL else " **missed**"))
            if vs_peer is not None else "–"))
    print()
    print("Goals vs the best dense library: %d met, %d missed; ≥ 2× the best "
          "sparse peer: %d met, %d missed (of the cells with a sparse peer)." % (
              met, miss, pmet, pmiss))
    if peer_ratio:
        print("Geometric mean of peer time / sxf time over the cells: " + ", ".join(
            "%s %.2f× (%d cells)" % (fam, math.exp(statistics.mean(
                math.log(x) for x in v)), len(v))
            for fam, v in sorted(peer_ratio.items())))
    rows_ratio = [med[("sxfrows",) + c] / med[("sxf",) + c] for c in cells
                  if ("sxfrows",) + c in med and ("sxf",) + c in med]
    if rows_ratio:
        print("sxf's threads splitting output rows instead (ThreadSplit::Rows) "
              "/ sxf's default: geometric mean %.2f×, range %.2f–%.2f× (%d cells)"
              % (math.exp(statistics.mean(math.log(x) for x in rows_ratio)),
                 min(rows_ratio), max(rows_ratio), len(rows_ratio)))
    print()

    # Every implementation.
    cols = [c for c in ALL_COLUMNS if any(k[0] == c for k in med) or
            any(k[0] == c for k in errors)]
    print("All implementations, median ms (dense libraries and the "
          "transposes on the dense weight of the shape; FAIL: over the "
          "check bound):")
    print()
    print("| W R×C | N | pattern | nnz | " + " | ".join(COLUMN_TITLE[c] for c in cols) + " |")
    print("|---|---:|---|---:|" + "---:|" * len(cols))
    for cell in cells:
        pat, R, C, N = cell
        row = []
        for c in cols:
            k = (c, "dense" if c in DENSE_ONLY else pat, R, C, N)
            if c in DENSE_ONLY and pat != "dense":
                row.append("")
            elif k in errors:
                row.append("FAIL")
            else:
                row.append(fmt_ms(med.get(k)))
        print("| %d×%d | %d | %s | %d | %s |" % (R, C, N, pat,
                                                 nnz.get(("sxf",) + cell, R * C),
                                                 " | ".join(row)))
    print()

    # Checks.
    print("Checks (first round, every output against a double-precision "
          "reference; max |y − ref| / max |ref|):")
    worst = defaultdict(float)
    for k, e in relerr.items():
        worst[k[0]] = max(worst[k[0]], e)
    print("- worst per implementation: " + ", ".join(
        "%s %.1e" % (COLUMN_TITLE.get(i, i), e) for i, e in sorted(worst.items())))
    if errors:
        for k, msg in sorted(errors.items()):
            print("- FAILED %s/%s/%dx%d/%d: %s" % (k + (msg,)))
    else:
        print("- no implementation failed its check")

    # Noise.
    spreads = defaultdict(list)
    for k, v in times.items():
        if len(v) >= 2:
            spreads[k[0]].append((max(v) - min(v)) / statistics.median(v))
    if spreads:
        print()
        print("Noise: (max − min) / median of each benchmark over the rounds, "
              "median (worst) per implementation: " + ", ".join(
                  "%s %.0f%% (%.0f%%)" % (COLUMN_TITLE.get(i, i),
                                           100 * statistics.median(s),
                                           100 * max(s))
                  for i, s in sorted(spreads.items())))
    if shortfalls:
        print()
        print("Missed goals vs dense (sxf speed-up / goal): " + "; ".join(
            "%s %d×%d N=%d %.2f×/%g×" % (c[0], c[1], c[2], c[3], r, g)
            for c, r, g in shortfalls))


if __name__ == "__main__":
    main()
