#!/usr/bin/env bash
# A whole bert-base encoder layer (hidden 768, FFN 3072, 128 tokens) through
# the generated C++: dense vs 90% unstructured (formats chosen by
# sxf-select-format for cpu-host), each compiled against the build's
# libsxf_rt (-O3 -march=native and OpenMP are the library's) and run with
# --repeat; prints a markdown table with the ratio.
# usage: bench/bert_layer.sh [build-dir] [repeat]
set -euo pipefail
BUILD=${1:-build}
REPEAT=${2:-30}
BIN=$BUILD/bin
LIB=$(cd "$BUILD/lib" && pwd)   # libsxf_rt
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
CXX=${CXX:-c++}
"$BIN/sparse-gen" --preset=bert-base --layers=1 --seed=1 -o "$T/bert.mlir" > /dev/null
build() { # name, pipeline options
  "$BIN/sparse-opt" "$T/bert.mlir" --sxf-pipeline="target=cpu-host $2" \
    --sxf-lower-to-emitc="weights=$T/$1.safetensors" -o "$T/$1.low.mlir"
  "$BIN/sparse-translate" --sxf-to-cpp "$T/$1.low.mlir" -o "$T/$1.cpp"
  $CXX -std=c++17 -O2 "$T/$1.cpp" -I "$ROOT/runtime/include" -L "$LIB" -lsxf_rt -Wl,-rpath,"$LIB" \
    -o "$T/$1"
}
build dense "method=none"
build sparse "method=magnitude sparsity=0.9"
run() { "$T/$1" --random-inputs --seed 1 --weights "$T/$1.safetensors" --repeat "$REPEAT" | sed -n 's/forward: \([0-9.]*\) ms.*/\1/p'; }
D=$(run dense); S=$(run sparse)
FORMATS=$(grep -ao '"kind=[a-z]*' "$T/sparse.safetensors" | sed 's/.*kind=//' | sort | uniq -c | tr '\n' ' ' || true)
echo "| bert-base layer, 128 tokens, $(nproc) threads | dense | 90% sparse | dense / sparse |"
echo "|---|---|---|---|"
echo "| forward (median of $REPEAT) | $D ms | $S ms | $(python3 -c "print(f'{$D/$S:.2f}x')") |"
echo "| sparse weight formats | | $FORMATS | |"
