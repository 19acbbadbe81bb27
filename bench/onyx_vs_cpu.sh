#!/usr/bin/env bash
# A sparse transformer layer on an Onyx-like sparse CGRA described in a file
# (examples/targets/onyx.json, written from docs/targets.md alone) and on
# cpu-host, through the same pipeline: sparse-gen -> sxf-decompose ->
# sxf-prune -> sxf-select-format target=FILE -> sxf-tile target=FILE ->
# sparse-sim. Prints a markdown table next to Onyx's published ratio
# (Koul et al., VLSI 2024: up to 565x better energy-delay product than CPUs
# with sparse libraries, on sparse kernels).
# usage: bench/onyx_vs_cpu.sh [build-dir] [target.json]
set -euo pipefail
BUILD=${1:-build}
ONYX=${2:-$(dirname "$0")/../examples/targets/onyx.json}
BIN=$BUILD/bin
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# One BERT-style encoder layer: hidden 256, 4 heads, FFN 1024, 16 tokens;
# 90% unstructured magnitude pruning; bf16 weights on both targets.
"$BIN/sparse-gen" --preset=tiny --arch=bert --layers=1 --hidden=256 --heads=4 \
  --ffn=1024 --seq=16 --vocab=64 -o "$T/m.mlir"
for tgt in "$ONYX" cpu-host; do
  v=$([ "$tgt" = cpu-host ] && echo cpu || echo onyx)
  "$BIN/sparse-opt" "$T/m.mlir" --sxf-decompose \
    --sxf-prune="method=magnitude sparsity=0.9" \
    --sxf-select-format="target=$tgt value=bf16" \
    --sxf-tile="target=$tgt" -o "$T/$v.mlir"
  "$BIN/sparse-sim" "$T/$v.mlir" --target="$tgt" --report="$T/$v.json" --quiet
done
python3 - "$T" <<'PY'
import json, sys
t = sys.argv[1]
o, c = (json.load(open(f"{t}/{v}.json")) for v in ("onyx", "cpu"))
L = lambda r: [x for x in r["layers"] if x["name"] == "layers.0"][0]
lo, lc = L(o), L(c)
print(f"One 90%-sparse BERT-style encoder layer (hidden 256, FFN 1024, 4 heads, 16 tokens, bf16 weights): "
      f"{o['target']} ({o['units']} units) vs cpu-host\n")
print("| | onyx-like | cpu-host | cpu / onyx | Onyx published (vs CPUs, sparse kernels) |")
print("|---|---|---|---|---|")
row = lambda n, a, b, r="", p="": print(f"| {n} | {a} | {b} | {r} | {p} |")
row("sections (configurations)", o["sections"], c["sections"])
row("reconfiguration", f"{o['reconfigure_s']*1e6:.1f} us", f"{c['reconfigure_s']*1e6:.1f} us")
row("time (whole model)", f"{o['time_s']*1e6:.1f} us", f"{c['time_s']*1e6:.1f} us",
    f"{c['time_s']/o['time_s']:.1f}x", "≈8x faster [U: a split of 565x, not published]")
row("layer time", f"{lo['time_s']*1e6:.1f} us", f"{lc['time_s']*1e6:.1f} us", f"{lc['time_s']/lo['time_s']:.1f}x")
row("energy (static + dynamic)", f"{o['energy_j']*1e6:.2f} uJ", f"{c['energy_j']*1e6:.2f} uJ",
    f"{c['energy_j']/o['energy_j']:.0f}x", "≈70x less [U: a split of 565x, not published]")
row("  static", f"{o['energy_static_j']*1e6:.2f} uJ", f"{c['energy_static_j']*1e6:.2f} uJ")
row("  dynamic", f"{o['energy_dynamic_j']*1e6:.2f} uJ", f"{c['energy_dynamic_j']*1e6:.2f} uJ")
edp = (c["energy_j"] * c["time_s"]) / (o["energy_j"] * o["time_s"])
row("energy-delay product", f"{o['energy_j']*o['time_s']:.3g} Js", f"{c['energy_j']*c['time_s']:.3g} Js",
    f"{edp:.0f}x", "up to 565x [V]")
row("bytes off chip", o["bytes_off_chip"], c["bytes_off_chip"])
row("FLOPs", f"{o['flops']:.3g}", f"{c['flops']:.3g}")
json.dump({"time_ratio": c["time_s"]/o["time_s"], "energy_ratio": c["energy_j"]/o["energy_j"],
           "edp_ratio": edp, "onyx_sections": o["sections"], "onyx_reconfigure_s": o["reconfigure_s"]},
          open(f"{t}/ratios.json", "w"))
PY
if [ -n "${ONYX_RATIOS:-}" ]; then cp "$T/ratios.json" "$ONYX_RATIOS"; fi
