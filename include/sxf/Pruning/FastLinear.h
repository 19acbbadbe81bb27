//===- FastLinear.h - An Eigen GEMM linear for calibration runs -*- C++ -*-===//
//
// Calibration (Wanda, SparseGPT) runs the whole model on many samples; the
// reference linear kernel (double accumulation, plain loops) is the ground
// truth but far too slow for that. This kernel has the same contract as
// ref::linear and uses Eigen's blocked float GEMM. It is checked against the
// reference in unittests/Pruning.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_PRUNING_FASTLINEAR_H
#define SXF_PRUNING_FASTLINEAR_H

#include "sxf/Support/Tensor.h"

#include "llvm/Support/Error.h"

namespace sxf {
namespace prune {

/// y = act(x·Wᵀ + b); `activation` is a ref::Activation value.
llvm::Expected<Tensor> fastLinear(const Tensor &x, const Tensor &w,
                                  const Tensor *b, int activation);

} // namespace prune
} // namespace sxf

#endif // SXF_PRUNING_FASTLINEAR_H
