//===- spmm_bsr.cpp - libsxf_rt: the BSR kernels --------------------------===//
//
// Part of libsxf_rt: spmm.h's kernels for BSR weights, every value
// type and index width, instantiated once (kernels.h).
//
//===----------------------------------------------------------------------===//

#include "kernels.h"

namespace sxf_rt {
namespace lib {

void runSpmm(const BsrView &w, const float *x, int64_t T, float *y,
             const Epilogue &ep) {
  spmm(w, x, T, y, ep);
}

} // namespace lib
} // namespace sxf_rt
