#!/usr/bin/env bash
# GPT-13B at real context lengths (issue 15): the issue's own pipeline —
# sparse-gen --preset=gpt-13b --weights=none --seq=S, sxf-decompose,
# sxf-prune magnitude 0.8 (sparse only), sxf-select-format (latency
# objective), sxf-tile — for S in 32, 128, 512, 2048 on ipu-pod16 (f16) and
# rdu-sn10 (bf16), then sparse-sim (performance mode). Prints a markdown
# table; wall times are this machine's.
# usage: bench/context_figures.sh [build-dir] [seqs]
set -euo pipefail
BUILD=${1:-build}
SEQS=${2:-32 128 512 2048}
BIN=$BUILD/bin
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for S in $SEQS; do
  "$BIN/sparse-gen" --preset=gpt-13b --weights=none --seq="$S" -o "$T/g$S.mlir"
  for tv in ipu-pod16:f16 rdu-sn10:bf16; do
    tgt=${tv%%:*}; val=${tv##*:}
    for v in s d; do
      prune=()
      [ "$v" = s ] && prune=(--sxf-prune="method=magnitude sparsity=0.8")
      base="$T/$tgt-$v-$S"
      "$BIN/sparse-opt" "$T/g$S.mlir" --sxf-decompose "${prune[@]}" \
        --sxf-select-format="target=$tgt value=$val" -o "$base.sel.mlir"
      if /usr/bin/time -f "%e" -o "$base.tilewall" "$BIN/sparse-opt" "$base.sel.mlir" \
           --sxf-tile="target=$tgt" -o "$base.t.mlir" 2>"$base.tile.err"; then
        /usr/bin/time -f "%e" -o "$base.simwall" \
          "$BIN/sparse-sim" "$base.t.mlir" --target="$tgt" --report="$base.json" --quiet 2>/dev/null
      else
        head -c 300 "$base.tile.err" | tr '\n' ' ' > "$base.fail"
      fi
    done
  done
done
python3 - "$T" "$SEQS" <<'PY'
import json, os, sys
t, seqs = sys.argv[1], sys.argv[2].split()
print("GPT-13B (40 layers, d=5120, vocab 50257) by tokens per run; 80% magnitude-pruned (sparse) or not (dense); formats by sxf-select-format (latency objective)\n")
print("| target | tokens | model | plan | sections | time per run | tokens/s | on-chip exchange | off chip | energy | peak tile bytes | sxf-tile wall | sparse-sim wall |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for tgt in ("ipu-pod16", "rdu-sn10"):
    for S in seqs:
        for v, name in (("s", "80% sparse"), ("d", "dense")):
            base = f"{t}/{tgt}-{v}-{S}"
            if os.path.exists(base + ".fail"):
                print(f"| {tgt} | {S} | {name} | error: {open(base + '.fail').read()[:160]} | | | | | | | | | |")
                continue
            r = json.load(open(base + ".json"))
            plan = "on chip" if r["fits_on_chip"] else "streams weights"
            tw = open(base + ".tilewall").read().strip()
            sw = open(base + ".simwall").read().strip()
            print(f"| {tgt} | {S} | {name} | {plan} | {r['sections']} | {r['time_s']*1e3:.1f} ms | "
                  f"{r['tokens_per_s']:.0f} | {r['bytes_on_chip']/1e9:.0f} GB | {r['bytes_off_chip']/1e9:.2f} GB | "
                  f"{r['energy_j']:.2f} J | {r['peak_unit_bytes']} | {tw} s | {sw} s |")
PY
