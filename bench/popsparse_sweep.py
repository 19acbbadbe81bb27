#!/usr/bin/env python3
"""Block-sparse vs dense speed-up of one m x k linear on the IPU model,
compared with PopSparse (Li et al., arXiv 2303.16999, static sparsity).

For each block size (1, 4, 8, 16), density (1/4 .. 1/64) and batch n, builds
a metadata-only sxf.linear with an m x k weight (block[b, b] sparsity, BSR
for b > 1 and CSR for b = 1, in fp16 or fp32), tiles it onto ipu-mk2 with
sxf-tile and times it with sparse-sim; the dense model is the same linear
with a dense weight. Prints a markdown table of the best speed-up over the
batches, the crossover density (largest density where sparse wins) and
PopSparse's published figures at density 1/16.

usage: bench/popsparse_sweep.py [--build build] [--m 4096] [--dtype f16]
"""
import argparse
import json
import os
import subprocess
import tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--build", default="build")
ap.add_argument("--m", type=int, default=4096)
ap.add_argument("--dtype", default="f16", choices=["f16", "f32"])
ap.add_argument("--target", default="ipu-mk2")
args = ap.parse_args()
sim = os.path.join(args.build, "bin", "sparse-sim")
if not os.path.exists(sim):
    sim = "sparse-sim"  # from PATH (the lit suite)
m = k = args.m
blocks = [1, 4, 8, 16]
densities = [1 / 4, 1 / 8, 1 / 16, 1 / 32, 1 / 64]
# n = 1024 does not fit: sxf-tile does not split the token dimension of a
# linear and its fp32 activation blocks would exceed a tile (docs/tiling.md).
batches = [4, 16, 64, 256]
# PopSparse, static, m = k = 4096, density 1/16, best over batch [V]
published = {("f16", 1): 0.7, ("f32", 1): 1.4, ("f16", 16): 4.9,
             ("f32", 16): 5.6}


def model(n, b, density, dense):
    if dense:
        sp, fmt = "", f"#sxf.format<dense, value = {args.dtype}>"
    elif b == 1:
        sp = f"sparsity = #sxf.sparsity<unstructured, density = {density}>, "
        fmt = f"#sxf.format<csr, value = {args.dtype}, index = 16>"
    else:
        sp = f"sparsity = #sxf.sparsity<block[{b}, {b}], density = {density}>, "
        fmt = f"#sxf.format<bsr[{b}, {b}], value = {args.dtype}, index = 16>"
    return f"""module {{
  func.func @forward(%x: tensor<1x{n}x{k}xf32>) -> tensor<1x{n}x{m}xf32> {{
    %w = sxf.weight "w" {{{sp}format = {fmt}}} : tensor<{m}x{k}xf32>
    %y = sxf.linear %x, %w : (tensor<1x{n}x{k}xf32>, tensor<{m}x{k}xf32>) -> tensor<1x{n}x{m}xf32>
    return %y : tensor<1x{n}x{m}xf32>
  }}
}}
"""


def seconds(text, tmp):
    path = os.path.join(tmp, "m.mlir")
    rep = os.path.join(tmp, "r.json")
    open(path, "w").write(text)
    p = subprocess.run([sim, path, f"--target={args.target}",
                        f"--report={rep}", "--quiet"], capture_output=True,
                       text=True)
    if p.returncode:
        raise SystemExit(p.stderr)
    return json.load(open(rep))["time_s"]


with tempfile.TemporaryDirectory() as tmp:
    dense = {n: seconds(model(n, 1, 1.0, True), tmp) for n in batches}
    print(f"IPU model ({args.target}), {m}x{k} weight, {args.dtype}, static "
          "sparsity; speed-up = dense time / sparse time, best over batch "
          f"n in {batches}\n")
    print("| block | " + " | ".join(f"d=1/{round(1 / d)}" for d in densities)
          + " | crossover density | PopSparse at 1/16 |")
    print("|---|" + "---|" * (len(densities) + 2))
    for b in blocks:
        best = []
        for d in densities:
            s = max(dense[n] / seconds(model(n, b, d, False), tmp)
                    for n in batches)
            best.append(s)
        wins = [d for d, s in zip(densities, best) if s > 1]
        cross = f"1/{round(1 / max(wins))}" if wins else "none"
        pub = published.get((args.dtype, b))
        print(f"| {b} | " + " | ".join(f"{s:.2f}x" for s in best) +
              f" | {cross} | {f'{pub}x' if pub else '-'} |")
