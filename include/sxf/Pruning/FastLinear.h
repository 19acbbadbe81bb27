//===- FastLinear.h - An Eigen GEMM linear for calibration runs -*- C++ -*-===//
//
// Calibration (Wanda, SparseGPT) runs the whole model on many samples; the
// reference linear kernel (double accumulation, plain loops) is the ground
// truth but far too slow for that. This kernel has the same contract as
// ref::linear and uses Eigen's blocked float GEMM; so do the two backward
// products of a linear (the training step's sxf.linear_grad_input and
// sxf.linear_grad_weight). They are checked against the reference in
// unittests/Pruning.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_PRUNING_FASTLINEAR_H
#define SXF_PRUNING_FASTLINEAR_H

#include "sxf/Support/Tensor.h"

#include "llvm/Support/Error.h"

#include <vector>

namespace sxf {
namespace prune {

/// y = act(x·Wᵀ + b); `activation` is a ref::Activation value.
llvm::Expected<Tensor> fastLinear(const Tensor &x, const Tensor &w,
                                  const Tensor *b, int activation);

/// dx = dy·W (the contract of ref::linearGradInput), by Eigen's GEMM.
llvm::Expected<Tensor> fastLinearGradInput(const Tensor &dy, const Tensor &w);

/// dW = dyᵀ·x kept at the `stored` positions (the contract of
/// ref::linearGradWeight), by Eigen's GEMM then the mask: dense work for a
/// sparse weight, the reference's result.
llvm::Expected<Tensor> fastLinearGradWeight(const Tensor &dy, const Tensor &x,
                                            const std::vector<bool> &stored);

} // namespace prune
} // namespace sxf

#endif // SXF_PRUNING_FASTLINEAR_H
