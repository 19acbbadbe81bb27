//===- kernels.h - libsxf_rt: the SpMM instances, one file per format -----===//
//
// Private to libsxf_rt. spmm.h's dispatching spmm(view, ...) instantiates
// every value type x index width of a format; the library compiles each
// format's instances in a file of its own (spmm_csr.cpp: CSR and ELL,
// spmm_bsr.cpp, spmm_nm.cpp; dense in model.cpp) so that they build in
// parallel, and `linear` (model.cpp) calls them through these functions.
// Not exported: the library's interface is api.h.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_SRC_KERNELS_H
#define SXF_RT_SRC_KERNELS_H

#include "sxf_rt/formats.h"
#include "sxf_rt/spmm.h"

#include <cstdint>

namespace sxf_rt {
namespace lib {

void runSpmm(const DenseView &w, const float *x, int64_t T, float *y,
             const Epilogue &ep);
void runSpmm(const CsrView &w, const float *x, int64_t T, float *y,
             const Epilogue &ep);
void runSpmm(const EllView &w, const float *x, int64_t T, float *y,
             const Epilogue &ep);
void runSpmm(const BsrView &w, const float *x, int64_t T, float *y,
             const Epilogue &ep);
void runSpmm(const NmView &w, const float *x, int64_t T, float *y,
             const Epilogue &ep);

} // namespace lib
} // namespace sxf_rt

#endif // SXF_RT_SRC_KERNELS_H
