//===- spmm_csr.cpp - libsxf_rt: the CSR and ELL kernels ------------------===//
//
// Part of libsxf_rt: spmm.h's kernels for CSR and ELL weights, every value
// type and index width, instantiated once (kernels.h).
//
//===----------------------------------------------------------------------===//

#include "kernels.h"

namespace sxf_rt {
namespace lib {

void runSpmm(const CsrView &w, const float *x, int64_t T, float *y,
             const Epilogue &ep) {
  spmm(w, x, T, y, ep);
}

void runSpmm(const EllView &w, const float *x, int64_t T, float *y,
             const Epilogue &ep) {
  spmm(w, x, T, y, ep);
}

} // namespace lib
} // namespace sxf_rt
