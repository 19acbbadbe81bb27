//===- GradKernels.h - Reference kernels of the backward ops ----*- C++ -*-===//
//
// The reverse-mode products of the sxf ops (the ops `sxf-differentiate`
// emits: sxf.linear_grad_input, sxf.linear_grad_weight, sxf.reduce_sum,
// sxf.activation_grad, sxf.softmax_grad, sxf.layer_norm_grad,
// sxf.rms_norm_grad, sxf.attention_grad, sxf.embedding_grad,
// sxf.position_grad, sxf.concat) and the cross-entropy loss with its
// gradient. Like Kernels.h these are the numerical ground truth: plain loops,
// double accumulation, templates over the element type instantiated for
// float and double. Each names the forward kernel it differentiates; the
// formulas are in the comments of GradKernels.cpp.
//
// All tensors are row-major; a "row" is one position of the leading dims.
// Shape mismatches are returned as llvm::Error naming the shapes.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_INTERPRETER_GRADKERNELS_H
#define SXF_INTERPRETER_GRADKERNELS_H

#include "sxf/Interpreter/Kernels.h"

#include <array>

namespace sxf {
namespace ref {

/// dx = dy · w for y = x · wᵀ: dy [..., O], w [O, I] -> [..., I]. Entries of
/// w that are zero contribute nothing, so this is the transposed SpMM of a
/// sparse w.
template <class T>
llvm::Expected<BasicTensor<T>> linearGradInput(const BasicTensor<T> &dy,
                                               const BasicTensor<T> &w);

/// dw[o, i] = Σ_r dy[r, o] · x[r, i] where `stored[o·I + i]`, else 0
/// (a sampled dense-dense product, SDDMM): dy [..., O], x [..., I] with equal
/// leading dims -> [O, I]. An empty `stored` means every position.
template <class T>
llvm::Expected<BasicTensor<T>> linearGradWeight(const BasicTensor<T> &dy,
                                                const BasicTensor<T> &x,
                                                const std::vector<bool> &stored);

/// Sums x over its leading dims down to `shape`, which must be a suffix of
/// x's shape (the bias gradient; the gradient of a broadcast add operand).
template <class T>
llvm::Expected<BasicTensor<T>> reduceSum(const BasicTensor<T> &x,
                                         const std::vector<int64_t> &shape);

/// dx = act'(x) · dy elementwise, x the activation's input.
template <class T>
llvm::Expected<BasicTensor<T>> activationGrad(const BasicTensor<T> &x,
                                              const BasicTensor<T> &dy,
                                              Activation a);

/// dx = y ⊙ (dy − Σ_axis y ⊙ dy), y the softmax's output.
template <class T>
llvm::Expected<BasicTensor<T>> softmaxGrad(const BasicTensor<T> &y,
                                           const BasicTensor<T> &dy,
                                           int64_t axis);

/// {dx, dgamma, dbeta} of layerNorm(x, gamma, beta, eps).
template <class T>
llvm::Expected<std::array<BasicTensor<T>, 3>>
layerNormGrad(const BasicTensor<T> &x, const BasicTensor<T> &gamma,
              const BasicTensor<T> &dy, float eps);

/// {dx, dgamma} of rmsNorm(x, gamma, eps).
template <class T>
llvm::Expected<std::array<BasicTensor<T>, 2>>
rmsNormGrad(const BasicTensor<T> &x, const BasicTensor<T> &gamma,
            const BasicTensor<T> &dy, float eps);

/// {dq, dk, dv} of attention(q, k, v, heads, headDim, causal, keepHeads)
/// for the result gradient dy (shaped like q).
template <class T>
llvm::Expected<std::array<BasicTensor<T>, 3>>
attentionGrad(const BasicTensor<T> &q, const BasicTensor<T> &k,
              const BasicTensor<T> &v, const BasicTensor<T> &dy, int64_t heads,
              int64_t headDim, bool causal, const std::vector<bool> &keepHeads);

/// The table gradient of embedding: [vocab, H] where row ids[t] accumulates
/// dy[t, :]. ids [...], dy [..., H]; ids out of [0, vocab) are errors.
template <class T>
llvm::Expected<BasicTensor<T>> embeddingGrad(const IntTensor &ids,
                                             const BasicTensor<T> &dy,
                                             int64_t vocab);

/// The positions-table gradient of embedding: [rows, H] where row
/// offset + s accumulates dy[..., s, :] over the batch dims.
template <class T>
llvm::Expected<BasicTensor<T>> positionGrad(const BasicTensor<T> &dy,
                                            int64_t rows, int64_t offset);

/// Concatenation along the last dim (the inverse of sxf.split).
template <class T>
llvm::Expected<BasicTensor<T>>
concat(const std::vector<const BasicTensor<T> *> &parts);

/// Mean over all positions of −log softmax(logits)[target]: logits
/// [..., V], targets [...] (ids in [0, V)); a rank-0 result.
template <class T>
llvm::Expected<BasicTensor<T>> crossEntropy(const BasicTensor<T> &logits,
                                            const IntTensor &targets);

/// d crossEntropy / d logits = (softmax(logits) − onehot(target)) / N, N
/// the number of positions.
template <class T>
llvm::Expected<BasicTensor<T>> crossEntropyGrad(const BasicTensor<T> &logits,
                                                const IntTensor &targets);

} // namespace ref
} // namespace sxf

#endif // SXF_INTERPRETER_GRADKERNELS_H
