#!/usr/bin/env bash
# The published-figure reproductions of docs/tiling.md: GPT-13B on an
# IPU-POD16 (Aleph Alpha / Graphcore), a GPT-13B decoder layer on the RDU
# model (SambaNova), PopSparse's block-sparse speed-ups on one IPU, and an
# Onyx-like CGRA from examples/targets/onyx.json against cpu-host.
# usage: bench/tiling_figures.sh [build-dir]   (prints markdown tables)
set -euo pipefail
BUILD=${1:-build}
BIN=$BUILD/bin
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# --- GPT-13B on ipu-pod16, 32 tokens per run ---------------------------------
"$BIN/sparse-gen" --preset=gpt-13b --primitive --seq=32 -o "$T/13b.mlir"
"$BIN/sparse-opt" "$T/13b.mlir" --sxf-prune="method=magnitude sparsity=0.8" \
  --sxf-select-format="target=ipu-pod16 objective=memory value=f16" -o "$T/s.mlir"
"$BIN/sparse-opt" "$T/13b.mlir" \
  --sxf-select-format="target=ipu-pod16 objective=memory value=f16" -o "$T/d.mlir"
for v in s d; do
  /usr/bin/time -f "%e" -o "$T/$v.wall" \
    "$BIN/sparse-sim" "$T/$v.mlir" --target=ipu-pod16 --report="$T/$v.json" --quiet 2>/dev/null
done
python3 - "$T" <<'PY'
import json, sys
t = sys.argv[1]
s, d = (json.load(open(f"{t}/{v}.json")) for v in "sd")
w = {v: open(f"{t}/{v}.wall").read().strip() for v in "sd"}
print("GPT-13B (40 layers, d=5120, vocab 50257), 32 tokens, ipu-pod16 (16 x 1472 tiles, 624 KiB each)\n")
print("| | dense f16 | 80% sparse (CSR/CSC f16, 16-bit indices) | sparse / dense | published |")
print("|---|---|---|---|---|")
row = lambda name, a, b, r="", pub="": print(f"| {name} | {a} | {b} | {r} | {pub} |")
row("fits on chip", d["fits_on_chip"], s["fits_on_chip"], "", "sparse fits on a POD16, dense does not")
row("sections (weight loads)", d["sections"], s["sections"])
row("weight bytes (as placed)", f"{d['weight_bytes']/1e9:.2f} GB", f"{s['weight_bytes']/1e9:.2f} GB",
    f"{s['weight_bytes']/d['weight_bytes']:.1%}", "44%")
row("FLOPs", f"{d['flops']:.3g}", f"{s['flops']:.3g}", f"{s['flops']/d['flops']:.1%}", "20%")
row("peak bytes on a tile", d["peak_unit_bytes"], s["peak_unit_bytes"])
row("bytes exchanged on chip", f"{d['bytes_on_chip']/1e9:.1f} GB", f"{s['bytes_on_chip']/1e9:.1f} GB")
row("bytes off chip", f"{d['bytes_off_chip']/1e9:.2f} GB", f"{s['bytes_off_chip']/1e9:.4f} GB")
row("time", f"{d['time_s']*1e3:.1f} ms", f"{s['time_s']*1e3:.1f} ms", f"{d['time_s']/s['time_s']:.2f}x faster")
row("energy (static + dynamic)", f"{d['energy_j']:.2f} J", f"{s['energy_j']:.2f} J", f"{s['energy_j']/d['energy_j']:.1%}", "62% (38% less)")
row("  static (16 x 60 W [U] x time)", f"{d['energy_static_j']:.2f} J", f"{s['energy_static_j']:.2f} J", f"{s['energy_static_j']/d['energy_static_j']:.1%}")
row("  dynamic (FLOPs, bytes moved)", f"{d['energy_dynamic_j']:.2f} J", f"{s['energy_dynamic_j']:.2f} J", f"{s['energy_dynamic_j']/d['energy_dynamic_j']:.1%}")
row("sparse-sim wall time", f"{w['d']} s", f"{w['s']} s")
PY

# --- a GPT-13B decoder layer on rdu-sn10 -------------------------------------
"$BIN/sparse-gen" --preset=gpt-13b --primitive --seq=32 --layers=1 --vocab=8 -o "$T/l.mlir"
"$BIN/sparse-opt" "$T/l.mlir" --sxf-prune="method=magnitude sparsity=0.8" \
  --sxf-select-format="target=rdu-sn10 value=bf16" -o "$T/ls.mlir"
"$BIN/sparse-opt" "$T/l.mlir" --sxf-select-format="target=rdu-sn10 value=bf16" -o "$T/ld.mlir"
for v in s d; do
  "$BIN/sparse-sim" "$T/l$v.mlir" --target=rdu-sn10 --report="$T/l$v.json" --quiet 2>/dev/null
done
python3 - "$T" <<'PY'
import json, sys
t = sys.argv[1]
r = {v: json.load(open(f"{t}/l{v}.json")) for v in "sd"}
L = {v: [x for x in r[v]["layers"] if x["name"] == "layers.0"][0] for v in "sd"}
print("\nOne GPT-13B decoder layer (d=5120, FFN 20480), 32 tokens, rdu-sn10 (640 PCU/PMU pairs, 320 MB SRAM)\n")
print("| | dense bf16 | 80% sparse bf16 | dense / sparse |")
print("|---|---|---|---|")
print(f"| sections | {r['d']['sections']} | {r['s']['sections']} | |")
print(f"| layer time (weights from DDR) | {L['d']['time_s']*1e3:.3f} ms | {L['s']['time_s']*1e3:.3f} ms | {L['d']['time_s']/L['s']['time_s']:.2f}x |")
print(f"| layer throughput | {32/L['d']['time_s']:.0f} tok/s | {32/L['s']['time_s']:.0f} tok/s | |")
print(f"| weights streamed | {L['d']['bytes_off_chip']/1e6:.0f} MB | {L['s']['bytes_off_chip']/1e6:.0f} MB | {L['d']['bytes_off_chip']/L['s']['bytes_off_chip']:.2f}x |")
print(f"| FLOPs | {L['d']['flops']:.3g} | {L['s']['flops']:.3g} | {L['d']['flops']/L['s']['flops']:.2f}x |")
print(f"| steady-state pipeline (weights resident) | {r['d']['tokens_per_s']:.3g} tok/s | {r['s']['tokens_per_s']:.3g} tok/s | {r['s']['tokens_per_s']/r['d']['tokens_per_s']:.2f}x |")
print(f"| bottleneck stage | {r['d']['bottleneck']} | {r['s']['bottleneck']} | |")
PY

# --- PopSparse: the full grid (m = k in {1024, 4096, 8192}, batches to 1024,
# fp16/fp32, static/dynamic; about a minute on 2 cores) ------------------------
echo
python3 "$(dirname "$0")/popsparse_sweep.py" --build "$BUILD"

# --- an Onyx-like sparse CGRA described in a file, against cpu-host ------------
echo
"$(dirname "$0")/onyx_vs_cpu.sh" "$BUILD"
