#!/usr/bin/env bash
# A training step on a dataflow target (docs/training.md, "A training step
# on the dataflow targets"; issue 16): forward, backward and one AdamW update
# of one GPT-13B decoder layer (d = 5120, FFN 20480, 40 heads; a toy
# vocabulary of 8 so that the layer, not the LM head, is measured), 80%
# magnitude-sparse (CSR/CSC f16) and dense (f16), at S = 32, 512 and 2048
# tokens, on ipu-pod16 and rdu-sn10, from sparse-sim's performance model (metadata-only
# weights): sxf-differentiate builds the step, sxf-tile places it with
# optimizer=adamw (the optimizer state, m and v in f32 and an f32 master copy
# of the f16 weights, resident beside each weight block; gradients never
# leave the chip). A configuration that does not tile is a row with
# sxf-tile's error.
# usage: bench/training_step_figures.sh [build-dir] [trace-dir]
#   (prints markdown tables; with trace-dir, writes one Perfetto trace per run)
set -euo pipefail
BUILD=${1:-build}
TRACES=${2:-}
BIN=$BUILD/bin
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

run() { # name seq target value
  local name=$1 seq=$2 target=$3 value=$4
  "$BIN/sparse-gen" --preset=gpt-13b --weights=none --primitive --layers=1 \
    --vocab=8 --seq="$seq" -o "$T/$name.mlir"
  "$BIN/sparse-opt" "$T/$name.mlir" --sxf-prune="method=magnitude sparsity=0.8" \
    --sxf-select-format="target=$target objective=memory value=$value" \
    --sxf-differentiate -o "$T/$name.sparse.mlir"
  "$BIN/sparse-opt" "$T/$name.mlir" \
    --sxf-select-format="target=$target objective=memory value=$value" \
    --sxf-differentiate -o "$T/$name.dense.mlir"
  for v in sparse dense; do
    rm -f "$T/$name.$v.json"
    if "$BIN/sparse-opt" "$T/$name.$v.mlir" \
         --sxf-tile="target=$target entry=train_step optimizer=adamw" \
         -o "$T/$name.$v.t.mlir" 2>"$T/$name.$v.err"; then
      local trace=()
      [ -n "$TRACES" ] && mkdir -p "$TRACES" &&
        trace=(--trace="$TRACES/$name.$v.json")
      "$BIN/sparse-sim" "$T/$name.$v.t.mlir" --target="$target" \
        --entry=train_step --report="$T/$name.$v.json" "${trace[@]}" \
        --quiet 2>>"$T/$name.$v.err" || rm -f "$T/$name.$v.json"
    fi
  done
}

for seq in 32 512 2048; do
  run "ipu$seq" "$seq" ipu-pod16 f16
  run "rdu$seq" "$seq" rdu-sn10 f16
done

/usr/bin/python3 - "$T" <<'PY'
import json, os, sys
t = sys.argv[1]
def load(name):
    p = f"{t}/{name}.json"
    if os.path.exists(p):
        return json.load(open(p))
    err = open(f"{t}/{name}.err").read().strip().splitlines()
    return {"error": next((l for l in err if "error" in l), err[0] if err else "failed")}
print("One GPT-13B decoder layer (d = 5120, FFN 20480, 40 heads, vocabulary 8), one training step")
print("(forward, loss, backward, one AdamW update), f16 weights: ipu-pod16 (16 x 1472 tiles, 624 KiB each; resident when")
print("weights, optimizer state and activations fit, else streamed from its DDR), rdu-sn10 (640 PMUs of 512 KiB; weights and")
print("optimizer state in DDR, loaded section by section)\n")
print("| target | tokens | weights | fits | sections | time | FLOPs | weights + optimizer state | bytes exchanged | bytes off chip | energy | dense / sparse time |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for tgt in ("ipu", "rdu"):
    for seq in (32, 512, 2048):
        r = {v: load(f"{tgt}{seq}.{v}") for v in ("sparse", "dense")}
        for v in ("sparse", "dense"):
            x = r[v]
            label = "80% sparse" if v == "sparse" else "dense"
            name = "ipu-pod16" if tgt == "ipu" else "rdu-sn10"
            if "error" in x:
                print(f"| {name} | {seq} | {label} | — | | {x['error'][:160]} | | | | | | |")
                continue
            ratio = ""
            if v == "sparse" and "error" not in r["dense"]:
                ratio = f"{r['dense']['time_s'] / x['time_s']:.2f}x"
            print(f"| {name} | {seq} | {label} | {'yes' if x['fits_on_chip'] else 'no'} | {x['sections']} | "
                  f"{x['time_s']*1e3:.3f} ms | {x['flops']:.3g} | "
                  f"{x['weight_bytes']/1e9:.2f} + {x['optimizer_state_bytes']/1e9:.2f} GB | {x['bytes_on_chip']/1e9:.2f} GB | "
                  f"{x['bytes_off_chip']/1e9:.3f} GB | {x['energy_j']:.2f} J | {ratio} |")
PY
