#!/usr/bin/env bash
# A whole bert-base encoder layer (hidden 768, FFN 3072, 128 tokens, 2
# threads) against its peers, in one run:
#   - sxf's generated C++, dense and 90% unstructured (magnitude; formats
#     chosen by sxf-select-format for cpu-host), each compiled against
#     the build's libsxf_rt (-O3 -march=native and OpenMP are the library's)
#     and run with --repeat;
#   - the layer's six matrix products alone (Q, K, V, O 768x768; FFN 3072x768
#     and 768x3072; 128 tokens) on oneDNN (weights pre-reordered), OpenBLAS
#     and libsxf_rt's dense path (itself oneDNN since prepared.h; the
#     built-in kernel is sxfkernel/dense), from the SpMM benchmark (build/bench/spmm_bench,
#     -DSXF_BUILD_BENCH=ON), each library in its own process;
#   - PyTorch (python3-torch, /usr/bin/python3): the functional dense layer,
#     nn.TransformerEncoderLayer, and the 90%-pruned layer with CSR weights
#     (bench/bert_layer_torch.py).
# "Dense layer on the best BLAS" is sxf's dense program with its six dense
# products replaced by the faster library's: sxf dense − sxf's products +
# the library's products (issue 14's goal: sxf at 90% ≥ 6x faster).
# Prints a markdown table. Peers that are not built or installed are left
# out with a note.
# usage: bench/bert_layer.sh [build-dir] [repeat]
set -euo pipefail
BUILD=${1:-build}
REPEAT=${2:-30}
BIN=$BUILD/bin
LIB=$(cd "$BUILD/lib" && pwd)   # libsxf_rt
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-/usr/bin/python3}
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
run() { OMP_NUM_THREADS=2 "$T/$1" --random-inputs --seed 1 --weights "$T/$1.safetensors" --repeat "$REPEAT" | sed -n 's/forward: \([0-9.]*\) ms.*/\1/p'; }
D=$(run dense); S=$(run sparse)
FORMATS=$(grep -ao '"kind=[a-z]*' "$T/sparse.safetensors" | sed 's/.*kind=//' | sort | uniq -c | tr '\n' ' ' || true)

# The six dense products at 128 tokens: 4 x 768x768 + 3072x768 + 768x3072.
NOTES=()
products() { # impl -> ms (sum of the medians), or nothing
  local exe=$BUILD/bench/spmm_bench
  [ -x "$exe" ] || return 0
  "$exe" --benchmark_filter="^$1/dense/(768x768|3072x768|768x3072)/128/" \
    --benchmark_repetitions="$((REPEAT < 5 ? 5 : REPEAT / 2))" --benchmark_min_time=0.05 \
    --benchmark_report_aggregates_only=true --benchmark_format=json 2>/dev/null |
  "$PY" -c '
import json, sys
unit = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}
med = {}
for b in json.load(sys.stdin).get("benchmarks", []):
    if b.get("aggregate_name") == "median":
        med[b["run_name"].split("/")[2]] = b["real_time"] * unit[b["time_unit"]]
if len(med) == 3:
    print("%.3f" % (4 * med["768x768"] + med["3072x768"] + med["768x3072"]))'
}
if [ -x "$BUILD/bench/spmm_bench" ]; then
  SXFP=$(products sxf); ONEDNN=$(products onednn); BLAS=$(products openblas)
  [ -n "$ONEDNN" ] || NOTES+=("oneDNN: no result from $BUILD/bench/spmm_bench")
else
  SXFP=""; ONEDNN=""; BLAS=""
  NOTES+=("dense products: $BUILD/bench/spmm_bench not built (-DSXF_BUILD_BENCH=ON, ninja sxf-spmm-bench)")
fi
TORCH=""
if "$PY" -c "import torch" 2>/dev/null; then
  TORCH=$("$PY" "$ROOT/bench/bert_layer_torch.py" --tokens 128 --sparsity 0.9 --repeat "$REPEAT")
else
  NOTES+=("PyTorch: not importable by $PY (python3-torch; scripts/setup --bench)")
fi
val() { echo "$TORCH" | sed -n "s/^$1=//p"; }

"$PY" - "$S" "$D" "${SXFP:-}" "${ONEDNN:-}" "${BLAS:-}" "$(val dense_ms)" "$(val encoder_ms)" \
  "$(val csr_ms)" "$(val csr_rel_err)" "$REPEAT" "$FORMATS" "$(nproc)" <<'EOF'
import sys
S, D, sxfp, onednn, blas, tdense, tenc, tcsr, terr, rep, formats, ncpu = sys.argv[1:]
f = lambda v: float(v) if v else None
S, D, sxfp, onednn, blas, tdense, tenc, tcsr = map(f, (S, D, sxfp, onednn, blas, tdense, tenc, tcsr))
rows = [("sxf generated program, 90%% sparse (%s)" % formats.strip(), S),
        ("sxf generated program, dense", D)]
libs = [(n, v) for n, v in (("oneDNN", onednn), ("OpenBLAS", blas)) if v]
if libs and sxfp:
    name, best = min(libs, key=lambda x: x[1])
    est = D - sxfp + best
    rows.append(("dense layer on the best BLAS (sxf dense − sxf's six products %.2f ms + %s's)" % (sxfp, name), est))
for n, v in libs:
    rows.append(("%s: the six dense products alone" % n, v))
if tdense:
    rows.append(("PyTorch dense (functional layer)", tdense))
    rows.append(("PyTorch nn.TransformerEncoderLayer (inference fast path)", tenc))
    rows.append(("PyTorch 90%% CSR weights (check: %s rel. err vs float64)" % terr, tcsr))
print("| bert-base layer, 128 tokens, 2 threads (%s CPUs), median of %s | ms | sxf 90%% is faster by |" % (ncpu, rep))
print("|---|---:|---:|")
for name, v in rows:
    print("| %s | %.2f | %.2fx |" % (name, v, v / S))
if libs and sxfp:
    r = est / S
    print()
    print("Goal (issue 14): sxf at 90%% ≥ 6x faster than the dense layer on the best BLAS: %.2fx, %s" %
          (r, "met" if r >= 6 else "missed"))
EOF
for n in "${NOTES[@]+"${NOTES[@]}"}"; do echo "Note: $n"; done
