//===- mlir_spmm.h - Calling the MLIR-sparsifier SpMM kernels ---*- C++ -*-===//
//
// The C interface of the kernels build_kernels.sh compiles with upstream
// MLIR's --sparsifier: memref descriptors for the CSR arrays (32-bit
// positions and coordinates, f32 values), x [T, C] and y [T, R] (updated in
// place; the caller zeroes it). Used by the runtime benchmark as the
// "upstream sparsifier" baseline.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_BENCH_MLIR_SPMM_H
#define SXF_BENCH_MLIR_SPMM_H

#include <cstdint>
#include <cstdlib>

namespace mlir_bench {

template <typename T, int N> struct MemRef {
  T *allocated;
  T *aligned;
  int64_t offset;
  int64_t sizes[N];
  int64_t strides[N];
};

template <typename T> MemRef<T, 1> vec(T *p, int64_t n) {
  return {p, p, 0, {n}, {1}};
}
template <typename T> MemRef<T, 2> mat(T *p, int64_t rows, int64_t cols) {
  return {p, p, 0, {rows, cols}, {cols, 1}};
}

using Kernel = void (*)(MemRef<float, 2> *, MemRef<int32_t, 1> *,
                        MemRef<int32_t, 1> *, MemRef<float, 1> *,
                        MemRef<float, 2> *, MemRef<float, 2> *);

/// y += x · Wᵀ through `kernel`; false if the kernel did not write y in
/// place (then its result buffer is freed and the output is lost).
inline bool spmm(Kernel kernel, int32_t *pos, int64_t rows, int32_t *crd,
                 float *val, int64_t nnz, float *x, int64_t T, int64_t C,
                 float *y) {
  MemRef<float, 2> result{};
  MemRef<int32_t, 1> p = vec(pos, rows + 1), c = vec(crd, nnz);
  MemRef<float, 1> v = vec(val, nnz);
  MemRef<float, 2> xm = mat(x, T, C), ym = mat(y, T, rows);
  kernel(&result, &p, &c, &v, &xm, &ym);
  if (result.aligned != y) {
    std::free(result.allocated);
    return false;
  }
  return true;
}

} // namespace mlir_bench

extern "C" {
void _mlir_ciface_spmm_768x768(mlir_bench::MemRef<float, 2> *,
                               mlir_bench::MemRef<int32_t, 1> *,
                               mlir_bench::MemRef<int32_t, 1> *,
                               mlir_bench::MemRef<float, 1> *,
                               mlir_bench::MemRef<float, 2> *,
                               mlir_bench::MemRef<float, 2> *);
void _mlir_ciface_spmm_3072x768(mlir_bench::MemRef<float, 2> *,
                                mlir_bench::MemRef<int32_t, 1> *,
                                mlir_bench::MemRef<int32_t, 1> *,
                                mlir_bench::MemRef<float, 1> *,
                                mlir_bench::MemRef<float, 2> *,
                                mlir_bench::MemRef<float, 2> *);
void _mlir_ciface_spmm_768x3072(mlir_bench::MemRef<float, 2> *,
                                mlir_bench::MemRef<int32_t, 1> *,
                                mlir_bench::MemRef<int32_t, 1> *,
                                mlir_bench::MemRef<float, 1> *,
                                mlir_bench::MemRef<float, 2> *,
                                mlir_bench::MemRef<float, 2> *);
}

#endif // SXF_BENCH_MLIR_SPMM_H
