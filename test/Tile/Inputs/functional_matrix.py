"""Functional simulation of pruned models in every storage format on every
target, each compared with the reference interpreter by sparse-sim itself
(it fails beyond rtol 1e-5). Odd sizes: hidden 36 (3 heads of 12), FFN 60,
vocabulary 41, 7 tokens x 2 sequences. Prints one line per run.

usage: functional_matrix.py WORKDIR TARGET...
"""
import re
import subprocess
import sys

work, targets = sys.argv[1], sys.argv[2:]


def run(*args):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        sys.exit(f"FAILED: {' '.join(args)}")
    return p.stdout


base = f"{work}/base.mlir"
run("sparse-gen", "--preset=tiny", "--arch=gpt", "--hidden=36", "--heads=3",
    "--ffn=60", "--vocab=41", "--seq=7", "--batch=2", "--layers=2",
    "--seed=11", "-o", base)

# (pruning, format of every attention/FFN weight)
cases = [
    ("method=magnitude sparsity=0.7", "#sxf.format<csr, value = f32, index = 8>"),
    ("method=magnitude sparsity=0.7", "#sxf.format<csc, value = f16, index = 8>"),
    ("method=magnitude sparsity=0.7", "#sxf.format<coo, value = f32, index = 16>"),
    ("method=magnitude sparsity=0.7", "#sxf.format<ell, value = bf16, index = 8>"),
    ("method=block sparsity=0.5 block=4", "#sxf.format<bsr[4, 4], value = f32, index = 8>"),
    ("method=nm n=2 m=4", "#sxf.format<nm[2, 4], value = f32, index = 2>"),
    ("method=magnitude sparsity=0.3", "#sxf.format<dense, value = f32>"),
]
layer_weight = re.compile(r'"layers\.\d+\.(attn|ffn)\.\w+\.weight"')
for k, (prune, fmt) in enumerate(cases):
    pruned = f"{work}/pruned{k}.mlir"
    run("sparse-opt", base, "--sxf-decompose", f"--sxf-prune={prune}",
        "-o", pruned)
    text = []
    for line in open(pruned):
        if layer_weight.search(line) and "sxf.weight" in line:
            line = re.sub(r", format = #sxf\.format<[^>]*>", "", line)
            line = line.replace("sxf.weight ", "sxf.weight ", 1)
            line = re.sub(r'(sxf\.weight "[^"]+")( \{)?',
                          lambda m: m.group(1) + " {format = " + fmt +
                          (", " if m.group(2) else "} "), line, count=1)
        text.append(line)
    model = f"{work}/model{k}.mlir"
    open(model, "w").write("".join(text))
    kind = fmt[len("#sxf.format<"):].split(", value")[0]
    for t in targets:
        out = run("sparse-sim", model, f"--target={t}", "--mode=functional",
                  "--random-inputs", f"--seed={k}")
        name = t.rsplit("/", 1)[-1]
        status = "ok" if out.rstrip().endswith(": ok") else "MISMATCH"
        print(f"{kind} on {name}: {status}")
