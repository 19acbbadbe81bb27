#!/usr/bin/env python3
"""Block-sparse vs dense speed-up of one m x k linear on the IPU model,
compared with PopSparse (Li et al., arXiv 2303.16999).

PopSparse's grid: m = k in {1024, 4096, 8192}, batch n up to 1024, density
1/4 .. 1/64, blocks 1, 4, 8, 16, fp16 and fp32, static and dynamic sparsity.
For each cell this builds a metadata-only sxf.linear with an m x k weight
(block[b, b] sparsity, BSR for b > 1 and CSR for b = 1), tiles it with
sxf-tile and times it with sparse-sim; the dense baseline is the same linear
with a dense weight. Static sparsity runs on TARGET, dynamic on
"TARGET:dynamic" (the description's dynamic_sparse_efficiency; docs/targets.md).

A batch that does not tile (sxf-tile does not split the token dimension of
a linear yet, so at 512 and 1024 tokens the activation blocks outgrow a
tile) is recorded as "does not tile" and left out of the best-over-batch
figure; the batch list is a parameter so the grid can be re-run to 1024.

Prints, per (m, value type, mode), a markdown table of the best speed-up
over the batches that tile and the crossover density (largest density where
sparse wins), then a table of the published points at m = k = 4096, density
1/16. --json FILE also writes every cell.

usage: bench/popsparse_sweep.py [--build build] [--m 1024,4096,8192]
         [--dtype f16,f32] [--mode static,dynamic]
         [--batches 4,16,64,256,512,1024] [--blocks 1,4,8,16]
         [--densities 4,8,16,32,64] [--jobs 2] [--json FILE]
"""
import argparse
import json
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor


def ints(s):
    return [int(x) for x in s.split(",") if x]


ap = argparse.ArgumentParser()
ap.add_argument("--build", default="build")
ap.add_argument("--m", type=ints, default=[1024, 4096, 8192])
ap.add_argument("--dtype", type=lambda s: s.split(","), default=["f16", "f32"])
ap.add_argument("--mode", type=lambda s: s.split(","),
                default=["static", "dynamic"])
ap.add_argument("--batches", type=ints, default=[4, 16, 64, 256, 512, 1024])
ap.add_argument("--blocks", type=ints, default=[1, 4, 8, 16])
ap.add_argument("--densities", type=ints, default=[4, 8, 16, 32, 64],
                help="denominators: 16 means density 1/16")
ap.add_argument("--target", default="ipu-mk2")
ap.add_argument("--jobs", type=int, default=2)
ap.add_argument("--json", default="")
args = ap.parse_args()
sim = os.path.join(args.build, "bin", "sparse-sim")
if not os.path.exists(sim):
    import shutil
    sim = shutil.which("sparse-sim")  # from PATH (the lit suite)
    if not sim:
        ap.error(f"no sparse-sim in {os.path.join(args.build, 'bin')} nor on "
                 "PATH: give --build the build directory (the one holding "
                 "bin/sparse-sim)")

# PopSparse, m = k = 4096, density 1/16, best over batch [V] (ANCHORS.md).
published = {("f16", 1, "static"): 0.7, ("f32", 1, "static"): 1.4,
             ("f16", 16, "static"): 4.9, ("f32", 16, "static"): 5.6,
             ("f16", 1, "dynamic"): 0.4, ("f32", 1, "dynamic"): 0.9,
             ("f16", 16, "dynamic"): 1.9, ("f32", 16, "dynamic"): 3.8}


def model(m, n, dtype, b, den):
    k = m
    if den == 1:
        sp, fmt = "", f"#sxf.format<dense, value = {dtype}>"
    elif b == 1:
        sp = f"sparsity = #sxf.sparsity<unstructured, density = {1 / den}>, "
        fmt = f"#sxf.format<csr, value = {dtype}, index = 16>"
    else:
        sp = f"sparsity = #sxf.sparsity<block[{b}, {b}], density = {1 / den}>, "
        fmt = f"#sxf.format<bsr[{b}, {b}], value = {dtype}, index = 16>"
    return f"""module {{
  func.func @forward(%x: tensor<1x{n}x{k}xf32>) -> tensor<1x{n}x{m}xf32> {{
    %w = sxf.weight "w" {{{sp}format = {fmt}}} : tensor<{m}x{k}xf32>
    %y = sxf.linear %x, %w : (tensor<1x{n}x{k}xf32>, tensor<{m}x{k}xf32>) -> tensor<1x{n}x{m}xf32>
    return %y : tensor<1x{n}x{m}xf32>
  }}
}}
"""


def run(cell, tmp):
    """Simulated seconds of a cell (m, n, dtype, block, 1/density, mode), or
    None with the reason when it does not tile."""
    m, n, dtype, b, den, mode = cell
    name = "-".join(map(str, cell))
    path = os.path.join(tmp, name + ".mlir")
    rep = os.path.join(tmp, name + ".json")
    with open(path, "w") as f:
        f.write(model(m, n, dtype, b, den))
    target = args.target + (":dynamic" if mode == "dynamic" else "")
    p = subprocess.run([sim, path, f"--target={target}", f"--report={rep}",
                        "--inputs-on-chip",
                        "--quiet"], capture_output=True, text=True)
    if p.returncode:
        # Only a tiling failure is an expected outcome; anything else is a bug.
        if "sxf-tile" not in p.stderr and "does not fit" not in p.stderr:
            raise SystemExit(f"{name}: {p.stderr}")
        first = p.stderr.strip().splitlines()[0]
        return None, first[first.find("error: ") + 7:] if "error: " in first else first
    with open(rep) as f:
        return json.load(f)["time_s"], ""


cells = []
for m in args.m:
    for dtype in args.dtype:
        for n in args.batches:
            cells.append((m, n, dtype, 1, 1, "static"))  # dense baseline
            for mode in args.mode:
                for b in args.blocks:
                    for den in args.densities:
                        cells.append((m, n, dtype, b, den, mode))

with tempfile.TemporaryDirectory() as tmp:
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        times = dict(zip(cells, pool.map(lambda c: run(c, tmp), cells)))

records = []
summary = {}
for m in args.m:
    for dtype in args.dtype:
        dense = {n: times[(m, n, dtype, 1, 1, "static")] for n in args.batches}
        for mode in args.mode:
            untiled = sorted({n for n in args.batches if dense[n][0] is None} |
                             {n for (mm, n, dt, b, den, md), (t, _) in times.items()
                              if mm == m and dt == dtype and md == mode and t is None})
            print(f"IPU model ({args.target}), {m}x{m} weight, {dtype}, {mode} "
                  "sparsity; speed-up = dense time / sparse time, best over "
                  f"batch n in {[n for n in args.batches if n not in untiled]}"
                  + (f"; does not tile at n = {untiled}" if untiled else "")
                  + "\n")
            print("| block | " + " | ".join(f"d=1/{d}" for d in args.densities)
                  + " | crossover density | PopSparse at 1/16 |")
            print("|---|" + "---|" * (len(args.densities) + 2))
            for b in args.blocks:
                best = []
                for den in args.densities:
                    ups = []
                    for n in args.batches:
                        td, why_d = dense[n]
                        ts, why_s = times[(m, n, dtype, b, den, mode)]
                        up = td / ts if td and ts else None
                        records.append({"m": m, "n": n, "dtype": dtype,
                                        "block": b, "density": f"1/{den}",
                                        "mode": mode, "dense_s": td,
                                        "sparse_s": ts, "speedup": up,
                                        "does_not_tile": why_s or why_d})
                        if up is not None:
                            ups.append(up)
                    best.append(max(ups) if ups else None)
                    if m == 4096 and den == 16:
                        summary[(dtype, b, mode)] = best[-1]
                wins = [den for den, s in zip(args.densities, best)
                        if s is not None and s > 1]
                cross = f"1/{min(wins)}" if wins else "none"
                pub = published.get((dtype, b, mode)) if m == 4096 else None
                print(f"| {b} | " + " | ".join(
                    f"{s:.2f}x" if s is not None else "does not tile"
                    for s in best) + f" | {cross} | {f'{pub}x' if pub else '-'} |")
            print()

if summary:
    print("PopSparse's published points (m = k = 4096, density 1/16, best over "
          "batch) and the model's\n")
    print("| block | type | mode | published | model | model / published |")
    print("|---|---|---|---|---|---|")
    for (dtype, b, mode), pub in published.items():
        s = summary.get((dtype, b, mode))
        if s is None:
            continue
        print(f"| {b} | {dtype} | {mode} | {pub}x | {s:.2f}x | {s / pub:.2f} |")
if args.json:
    with open(args.json, "w") as f:
        json.dump({"cells": records,
                   "published": [{"dtype": d, "block": b, "mode": md,
                                  "published": p,
                                  "model": summary.get((d, b, md))}
                                 for (d, b, md), p in published.items()]},
                  f, indent=1)
