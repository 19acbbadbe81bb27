#!/usr/bin/env bash
# Decode with a KV cache (docs/tiling.md, "Decode with a KV cache"): the
# per-token latency and tokens/s of one GPT-13B decode step (one new token,
# batch 1) against a KV cache of P = 128, 512 and 2047 positions, 80%
# magnitude-sparse and dense, on ipu-pod16 (f16 weights) and rdu-sn10 (bf16),
# from sparse-sim's performance model (metadata-only weights). A
# configuration that does not tile is a row with sxf-tile's error. On
# rdu-sn10 the full model's embedding table (larger than all SRAM) streams in
# pieces; the script also runs the same 40 layers with a toy vocabulary of 8,
# which shows what the table costs.
# usage: bench/decode_figures.sh [build-dir]   (prints a markdown table)
set -euo pipefail
BUILD=${1:-build}
BIN=$BUILD/bin
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

run() { # name target value vocab-args past
  local name=$1 target=$2 value=$3 vocab=$4 past=$5
  "$BIN/sparse-gen" --preset=gpt-13b --weights=none $vocab --decode --past="$past" \
    -o "$T/$name.mlir"
  "$BIN/sparse-opt" "$T/$name.mlir" --sxf-prune="method=magnitude sparsity=0.8" \
    --sxf-select-format="target=$target value=$value" -o "$T/$name.sparse.mlir"
  "$BIN/sparse-opt" "$T/$name.mlir" \
    --sxf-select-format="target=$target value=$value" -o "$T/$name.dense.mlir"
  for v in sparse dense; do
    if "$BIN/sparse-sim" "$T/$name.$v.mlir" --target="$target" \
         --report="$T/$name.$v.json" --quiet 2>"$T/$name.$v.err" >/dev/null; then
      :
    else
      rm -f "$T/$name.$v.json"
    fi
  done
}

for past in 128 512 2047; do
  run "ipu$past" ipu-pod16 f16 "" "$past"
  run "rdu$past" rdu-sn10 bf16 "" "$past"
  run "rduv8_$past" rdu-sn10 bf16 "--vocab=8" "$past"
done

python3 - "$T" <<'PY'
import json, os, re, sys
t = sys.argv[1]
print("GPT-13B decode step (1 new token, batch 1) against a KV cache of P positions\n")
print("| target | model | P | weights | fits on chip (sections) | per-token latency | tokens/s | off-chip bytes / token | KV cache (fp32 in sxft) |")
print("|---|---|---|---|---|---|---|---|---|")
for name, target, label in [("ipu", "ipu-pod16", "GPT-13B"),
                            ("rdu", "rdu-sn10", "GPT-13B"),
                            ("rduv8_", "rdu-sn10", "GPT-13B layers, vocabulary 8")]:
    for past in (128, 512, 2047):
        kv = 40 * 2 * past * 5120 * 4
        for v, wl in (("sparse", "80% sparse" + (" f16" if name == "ipu" else " bf16")),
                      ("dense", "dense" + (" f16" if name == "ipu" else " bf16"))):
            base = f"{t}/{name}{past}.{v}"
            if os.path.exists(base + ".json"):
                r = json.load(open(base + ".json"))
                fits = f"{'yes' if r['fits_on_chip'] else 'no'} ({r['sections']})"
                s = r["time_s"]
                print(f"| {target} | {label} | {past} | {wl} | {fits} | {s*1e3:.2f} ms | {1/s:.1f} | "
                      f"{r['bytes_off_chip']/1e9:.2f} GB | {kv/1e6:.0f} MB |")
            else:
                err = open(base + ".err").read()
                m = re.search(r"error: (.*)", err)
                msg = (m.group(1) if m else err.strip().splitlines()[-1]).replace("|", "\\|")
                # A double-backtick span: the message quotes IR in backticks.
                print(f"| {target} | {label} | {past} | {wl} | fails to tile | - | - | - | {kv/1e6:.0f} MB; ``{msg}`` |")
PY
