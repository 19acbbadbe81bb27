#!/usr/bin/env bash
# Perplexity of a trained causal LM after one-shot pruning, per method and
# sparsity (issue 3). Imports a Hugging Face GPT-2 checkpoint (default: the
# bundled models/fortunes-gpt2), prunes it with each method calibrated on the
# checkpoint's calib_tokens.npy, and evaluates next-token perplexity on its
# held-out eval_tokens.npy with the reference interpreter. Prints a markdown
# table; the dense perplexity is measured in the same run.
# Usage: bench/pruning_accuracy.sh [CHECKPOINT_DIR] [SAMPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:-models/fortunes-gpt2}
SAMPLES=${2:-128}
BIN=${SXF_BUILD_DIR:-build}/bin
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$BIN/sparse-import" "$MODEL" -o "$WORK/model.mlir" 2>/dev/null
"$BIN/sparse-opt" "$WORK/model.mlir" --sxf-decompose -o "$WORK/dec.mlir"

ppl() { # mlir -> perplexity
  "$BIN/sparse-run" "$1" --eval-ppl "$MODEL/eval_tokens.npy" |
    sed -n 's/^perplexity: \([0-9.]*\).*/\1/p'
}
pruned_ppl() { # pass options -> perplexity
  "$BIN/sparse-opt" "$WORK/dec.mlir" --sxf-prune="$1" -o "$WORK/p.mlir"
  ppl "$WORK/p.mlir"
}

DENSE=$(ppl "$WORK/dec.mlir")
CAL="calib=$MODEL/calib_tokens.npy samples=$SAMPLES"
echo "Model: $MODEL ($(grep -o '"n_layer": *[0-9]*' "$MODEL/config.json" | grep -o '[0-9]*$') layers," \
     "width $(grep -o '"n_embd": *[0-9]*' "$MODEL/config.json" | grep -o '[0-9]*$')); dense perplexity $DENSE;" \
     "calibration: $SAMPLES sequences; all linear layers pruned except the tied embedding/LM head."
echo
echo "| sparsity | magnitude | Wanda | SparseGPT |"
echo "|---|---|---|---|"
row() { # label, magnitude opts, wanda opts, sparsegpt opts
  local m w s
  m=$(pruned_ppl "$2"); w=$(pruned_ppl "$3"); s=$(pruned_ppl "$4")
  echo "| $1 | $m | $w | $s |"
}
echo "| dense | $DENSE | $DENSE | $DENSE |"
for sp in 0.5 0.7 0.8; do
  row "$(echo "$sp * 100" | bc | sed 's/\..*//')% unstructured" "method=magnitude sparsity=$sp" \
      "method=wanda sparsity=$sp $CAL" "method=sparsegpt sparsity=$sp $CAL"
done
for nm in "2 4" "4 8"; do
  set -- $nm
  row "$1:$2" "method=nm n=$1 m=$2" "method=wanda n=$1 m=$2 $CAL" "method=sparsegpt n=$1 m=$2 $CAL"
done
echo "| block 4x4, 50% | $(pruned_ppl "method=block block=4 sparsity=0.5") | – | – |"
