#!/usr/bin/env bash
# Compiles the MLIR-sparsifier SpMM kernels of gen_spmm_kernels.py to an
# object file: mlir-opt --sparsifier (vector length 16 = AVX-512 floats,
# reassociated reductions, no runtime library) -> LLVM IR -> llc -O3 for the
# host CPU. usage: build_kernels.sh OUT_DIR RxC [RxC ...]
set -euo pipefail
OUT=$1; shift
LLVM=/usr/lib/llvm-22/bin
mkdir -p "$OUT"
python3 "$(dirname "$0")/gen_spmm_kernels.py" "$OUT/spmm_kernels.mlir" "$@"
"$LLVM/mlir-opt" "$OUT/spmm_kernels.mlir" \
  --sparsifier="vl=16 enable-runtime-library=false reassociate-fp-reductions=true enable-index-optimizations=true" \
  -o "$OUT/spmm_kernels.llvm.mlir"
"$LLVM/mlir-translate" --mlir-to-llvmir "$OUT/spmm_kernels.llvm.mlir" -o "$OUT/spmm_kernels.ll"
"$LLVM/llc" -O3 -mcpu=native -relocation-model=pic -filetype=obj "$OUT/spmm_kernels.ll" -o "$OUT/spmm_kernels.o"
