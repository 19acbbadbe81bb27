//===- Kernels.h - Reference fp32 kernels for transformer ops ---*- C++ -*-===//
//
// Straightforward loops, one function per sxf op. These are the numerical
// ground truth of sxf: every pass, the simulator and the emitted C++ are
// checked against them. Clarity wins over speed here; accumulation is in
// double so that the reference is more accurate than anything it checks.
//
// All tensors are row-major. Shape errors are programming errors (the IR
// verifier rejects them first) and are reported by returning an llvm::Error
// so that the interpreter never aborts on bad input.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_INTERPRETER_KERNELS_H
#define SXF_INTERPRETER_KERNELS_H

#include "sxf/Support/Tensor.h"

#include "llvm/Support/Error.h"

#include "sxf_rt/activation.h"

#include <optional>
#include <vector>

namespace sxf {
namespace ref {

/// The activations and their formulas are defined once, in the runtime's
/// dependency-free sxf_rt/activation.h; the interpreter computes
/// sxf_rt::referenceActivate (double precision, libm).
using Activation = ::sxf_rt::Activation;

/// y = act(x) elementwise, by sxf_rt::referenceActivate.
float activate(Activation a, float x);
Tensor activation(const Tensor &x, Activation a);

/// y[..., o] = act(Σ_i x[..., i] · w[o, i] + b[o]). x has rank ≥ 1 with last
/// dim I; w is [O, I]; b (optional) is [O]. Result shape: x.shape[:-1] + [O].
llvm::Expected<Tensor> linear(const Tensor &x, const Tensor &w,
                              const Tensor *b, Activation act);

/// Batched matmul over the trailing two dims with equal leading (batch) dims:
/// y = scale · op(a) · op(b), op = transpose when the flag is set.
llvm::Expected<Tensor> matmul(const Tensor &a, const Tensor &b, bool transA,
                              bool transB, float scale);

/// Softmax along `axis` (negative counts from the end), max-subtracted.
llvm::Expected<Tensor> softmax(const Tensor &x, int64_t axis);

/// Layer norm over the last dim: (x − mean)/√(var + eps)·gamma + beta, with the
/// biased variance (as PyTorch). gamma, beta are [H].
llvm::Expected<Tensor> layerNorm(const Tensor &x, const Tensor &gamma,
                                 const Tensor &beta, float eps);
/// RMS norm over the last dim: x / √(mean(x²) + eps) · gamma.
llvm::Expected<Tensor> rmsNorm(const Tensor &x, const Tensor &gamma, float eps);

/// Elementwise a + b. b's shape must equal a's shape or a suffix of it
/// (broadcast over the leading dims).
llvm::Expected<Tensor> add(const Tensor &a, const Tensor &b);

/// out[b, s, :] = table[ids[b, s], :] (+ positions[positionOffset + s, :]
/// when given). ids is [B, S] (any rank ≥ 1: the result appends H); ids out
/// of [0, V), a negative offset and positionOffset + S > positions rows are
/// errors that name the offending value.
llvm::Expected<Tensor> embedding(const IntTensor &ids, const Tensor &table,
                                 const Tensor *positions,
                                 int64_t positionOffset = 0);

/// The KV-cache append (sxf.kv_append): cache [B, P, D] and update
/// [B, N, D] concatenated along the sequence axis into [B, P + N, D].
llvm::Expected<Tensor> kvAppend(const Tensor &cache, const Tensor &update);

/// Multi-head scaled dot-product attention on already projected q, k, v of
/// shape [B, S, heads·headDim] (k, v may have a different sequence length T).
/// Per head h: softmax(q_h k_hᵀ / √headDim + causal mask) v_h; heads whose
/// keepHeads entry is false contribute zeros. Causal masking lets query i
/// see keys j ≤ i + (T − S). Result [B, S, heads·headDim].
llvm::Expected<Tensor> attention(const Tensor &q, const Tensor &k,
                                 const Tensor &v, int64_t heads,
                                 int64_t headDim, bool causal,
                                 const std::vector<bool> &keepHeads);

} // namespace ref
} // namespace sxf

#endif // SXF_INTERPRETER_KERNELS_H
