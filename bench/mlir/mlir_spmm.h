//===- mlir_spmm.h - Calling the MLIR-sparsifier SpMM kernels ---*- C++ -*-===//
//
// The C interface of the kernels build_kernels.sh compiles with upstream
// MLIR's sparsifier (gen_spmm_kernels.py): memref descriptors for the sparse
// weight's arrays, xT [C, T] and yT [R, T] (row-major, updated in place; the
// caller zeroes yT). The generated mlir_kernels.inc declares the functions
// and lists them in kMlirKernels[]. Used by the runtime benchmark
// (bench/runtime/spmm_bench.cpp) as the upstream-sparsifier peer.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_BENCH_MLIR_SPMM_H
#define SXF_BENCH_MLIR_SPMM_H

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace mlir_bench {

template <typename T, int N> struct MemRef {
  T *allocated;
  T *aligned;
  int64_t offset;
  int64_t sizes[N];
  int64_t strides[N];
};
using F1 = MemRef<float, 1>;
using F2 = MemRef<float, 2>;
using I1 = MemRef<int32_t, 1>;
using B1 = MemRef<int8_t, 1>;

template <typename T> MemRef<T, 1> vec(T *p, int64_t n) {
  return {p, p, 0, {n}, {1}};
}
template <typename T> MemRef<T, 2> mat(T *p, int64_t rows, int64_t cols) {
  return {p, p, 0, {rows, cols}, {cols, 1}};
}

/// One compiled kernel: format "csr", "bsr4", "nm24" or "nm48", weight shape
/// R x C, and its C-interface function.
struct KernelEntry {
  const char *format;
  int64_t R, C;
  void *fn;
};

using PosCrdKernel = void (*)(F2 *, I1 *, I1 *, F1 *, F2 *, F2 *);
using NmKernel = void (*)(F2 *, B1 *, F1 *, F2 *, F2 *);

/// The sparse weight's arrays as the kernels take them: positions and
/// coordinates (csr, bsr4; 32-bit) or 8-bit in-group coordinates (nm), and
/// the values.
struct SparseArgs {
  int32_t *pos = nullptr;
  int64_t npos = 0;
  int32_t *crd = nullptr;
  int64_t ncrd = 0;
  int8_t *nmcrd = nullptr;
  int64_t nnmcrd = 0;
  float *val = nullptr;
  int64_t nval = 0;
};

/// yT += W · xT through `k` (xT: C x T, yT: R x T); false if the kernel did
/// not write yT in place (then its result buffer is freed and the output is
/// lost).
inline bool spmm(const KernelEntry &k, const SparseArgs &a, float *xT,
                 int64_t T, float *yT) {
  F2 result{};
  F1 v = vec(a.val, a.nval);
  F2 xm = mat(xT, k.C, T), ym = mat(yT, k.R, T);
  if (std::strncmp(k.format, "nm", 2) == 0) {
    B1 c = vec(a.nmcrd, a.nnmcrd);
    reinterpret_cast<NmKernel>(k.fn)(&result, &c, &v, &xm, &ym);
  } else {
    I1 p = vec(a.pos, a.npos), c = vec(a.crd, a.ncrd);
    reinterpret_cast<PosCrdKernel>(k.fn)(&result, &p, &c, &v, &xm, &ym);
  }
  if (result.aligned != yT) {
    std::free(result.allocated);
    return false;
  }
  return true;
}

} // namespace mlir_bench

#endif // SXF_BENCH_MLIR_SPMM_H
