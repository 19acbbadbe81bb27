#!/usr/bin/env bash
# FLOPs and bytes moved per forward pass before and after sxf-fuse (issue 5),
# for bert-base and gpt2-small (random weights, seq 128) pruned to 50%, 2:4
# and 90% (magnitude), and with 30% of FFN neurons / attention heads removed
# (structured pruning + sxf-eliminate-dead). Formats are chosen for cpu-host
# first. Prints a markdown table; both columns come from the same run.
# Usage: bench/fusion_effect.sh [MODELS...]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${SXF_BUILD_DIR:-build}/bin
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
MODELS=${*:-bert-base gpt2-small}

total() { # report file -> "flops bytes"
  awk '$1 == "total" { print $3, $6 }' "$1"
}
echo "| model | pruning | FFN / heads kept | GFLOPs before | GFLOPs after | MB moved before | MB moved after | bytes saved |"
echo "|---|---|---|---|---|---|---|---|"
for model in $MODELS; do
  "$BIN/sparse-gen" --preset="$model" --seed=1 --primitive -o "$WORK/$model.mlir"
  for spec in "method=magnitude sparsity=0.5" "method=nm n=2 m=4" "method=magnitude sparsity=0.9" \
              "granularity=neuron sparsity=0.3" "granularity=head sparsity=0.3"; do
    "$BIN/sparse-opt" "$WORK/$model.mlir" --sxf-prune="$spec" --sxf-eliminate-dead \
      --sxf-select-format="target=cpu-host" -o "$WORK/sel.mlir"
    "$BIN/sparse-opt" "$WORK/sel.mlir" --sxf-cost-report="output=$WORK/before.txt" -o /dev/null
    "$BIN/sparse-opt" "$WORK/sel.mlir" --sxf-fuse="target=cpu-host" \
      --sxf-cost-report="output=$WORK/after.txt" -o /dev/null
    read -r fb bb < <(total "$WORK/before.txt")
    read -r fa ba < <(total "$WORK/after.txt")
    ffn=$(grep 'sxf.weight "layers.0.ffn.fc1.weight"' "$WORK/sel.mlir" | sed -n 's/.*} : tensor<\([0-9]*\)x.*/\1/p' | head -1)
    heads=$(grep 'sxf.attention' "$WORK/sel.mlir" | head -1 | sed -n 's/.* heads = \([0-9]*\) : i64.*/\1/p')
    printf "| %s | %s | %s / %s | %.2f | %.2f | %.1f | %.1f | %.1f%% |\n" "$model" "$spec" "$ffn" "$heads" \
      "$(echo "$fb / 1000000000" | bc -l)" "$(echo "$fa / 1000000000" | bc -l)" \
      "$(echo "$bb / 1000000" | bc -l)" "$(echo "$ba / 1000000" | bc -l)" \
      "$(echo "100 * ($bb - $ba) / $bb" | bc -l)"
  done
done
