#!/usr/bin/env bash
# Compiles the SpMM kernels of gen_spmm_kernels.py with upstream MLIR's
# sparsifier in its best configuration on this CPU, to one object file
# (OUT_DIR/spmm_kernels.o, plus OUT_DIR/mlir_kernels.inc for spmm_bench.cpp).
#
# `--sparsifier` itself lowers scf.parallel to sequential loops, so the
# pipeline is run by hand: it is buildSparsifier() of
# mlir/lib/Dialect/SparseTensor/Pipelines/SparseTensorPipelines.cpp (LLVM 22)
# with
#   - sparsification-and-bufferization{vl=16 parallelization-strategy=
#     dense-outer-loop}: 16-lane (AVX-512 fp32) vectors, the dense outer
#     (weight-row) loop as scf.parallel;
#   - convert-scf-to-openmp before the loops are lowered, the memref lowering
#     before convert-scf-to-cf, and convert-openmp-to-llvm: the parallel loop
#     becomes an OpenMP worksharing loop (static schedule) run by libomp
#     (libomp-22-dev; threads from OMP_NUM_THREADS);
#   - FMA contraction: the sparsifier drops arith fastmath flags when it
#     vectorises and llc's -fp-contract does not fuse on x86, so every fmul /
#     fadd of the LLVM IR is marked `contract` (the product is an a*b+c chain)
#     and opt -O3 / llc -O3 -mcpu=native fuse them into vfmadd.
# usage: build_kernels.sh OUT_DIR RxC [RxC ...]
set -euo pipefail
OUT=$1; shift
LLVM=${SXF_LLVM_BIN:-/usr/lib/llvm-22/bin}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
python3 "$HERE/gen_spmm_kernels.py" "$OUT/spmm_kernels.mlir" "$OUT/mlir_kernels.inc" "$@"

SPARSIFY="builtin.module(func.func(linalg-generalize-named-ops,linalg-fuse-elementwise-ops),\
sparsification-and-bufferization{vl=16 parallelization-strategy=dense-outer-loop},\
sparse-storage-specifier-to-llvm,func.func(canonicalize))"
LOWER="builtin.module(convert-scf-to-openmp,\
func.func(convert-linalg-to-loops,convert-vector-to-scf,expand-realloc),\
expand-strided-metadata,lower-affine,finalize-memref-to-llvm,func.func(convert-scf-to-cf),\
convert-vector-to-llvm,func.func(arith-expand,convert-math-to-llvm),convert-math-to-libm,\
convert-vector-to-llvm,convert-openmp-to-llvm,convert-to-llvm,reconcile-unrealized-casts)"

"$LLVM/mlir-opt" "$OUT/spmm_kernels.mlir" --pass-pipeline="$SPARSIFY" -o "$OUT/spmm_kernels.sparse.mlir"
if ! grep -q "scf.parallel" "$OUT/spmm_kernels.sparse.mlir"; then
  echo "build_kernels.sh: error: the sparsifier emitted no parallel loop" >&2
  exit 1
fi
"$LLVM/mlir-opt" "$OUT/spmm_kernels.sparse.mlir" --pass-pipeline="$LOWER" -o "$OUT/spmm_kernels.llvm.mlir"
"$LLVM/mlir-translate" --mlir-to-llvmir "$OUT/spmm_kernels.llvm.mlir" -o "$OUT/spmm_kernels.raw.ll"
sed -E 's/= (fmul|fadd) /= \1 contract /' "$OUT/spmm_kernels.raw.ll" > "$OUT/spmm_kernels.ll"
"$LLVM/opt" -O3 -mcpu=native "$OUT/spmm_kernels.ll" -o "$OUT/spmm_kernels.opt.bc"
"$LLVM/llc" -O3 -mcpu=native -relocation-model=pic -filetype=obj "$OUT/spmm_kernels.opt.bc" -o "$OUT/spmm_kernels.o"
FMAS=$("$LLVM/llvm-objdump" -d "$OUT/spmm_kernels.o" | grep -c "vfmadd" || true)
if [ "$FMAS" -eq 0 ]; then
  echo "build_kernels.sh: error: no FMA in the compiled kernels" >&2
  exit 1
fi
if ! grep -q "__kmpc_fork_call" "$OUT/spmm_kernels.ll"; then
  echo "build_kernels.sh: error: the kernels are not OpenMP-parallel" >&2
  exit 1
fi
