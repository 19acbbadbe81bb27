//===- Kernels.h - Reference fp32 kernels for transformer ops ---*- C++ -*-===//
//
// Straightforward loops, one function per sxf op (a template over the
// element type: fp32, and fp64 for gradient checks). These are the numerical
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

/// Every kernel is a template over the element type T of its tensors and is
/// instantiated for float (what sxf computes) and double (the interpreter's
/// double-precision mode, Interpreter::runDouble). Accumulation is in double
/// for both. `Opt<T>` marks an optional tensor operand (nullptr when absent;
/// it never takes part in deducing T).
template <class T> struct NonDeduced { using type = T; };
template <class T> using Opt = const typename NonDeduced<BasicTensor<T>>::type *;

/// y = act(x) elementwise, by sxf_rt::referenceActivate.
float activate(Activation a, float x);
template <class T> BasicTensor<T> activation(const BasicTensor<T> &x, Activation a);

/// y[..., o] = act(Σ_i x[..., i] · w[o, i] + b[o]). x has rank ≥ 1 with last
/// dim I; w is [O, I]; b (optional) is [O]. Result shape: x.shape[:-1] + [O].
template <class T>
llvm::Expected<BasicTensor<T>> linear(const BasicTensor<T> &x,
                                      const BasicTensor<T> &w, Opt<T> b,
                                      Activation act);

/// Batched matmul over the trailing two dims with equal leading (batch) dims:
/// y = scale · op(a) · op(b), op = transpose when the flag is set.
template <class T>
llvm::Expected<BasicTensor<T>> matmul(const BasicTensor<T> &a,
                                      const BasicTensor<T> &b, bool transA,
                                      bool transB, float scale);

/// Softmax along `axis` (negative counts from the end), max-subtracted.
template <class T>
llvm::Expected<BasicTensor<T>> softmax(const BasicTensor<T> &x, int64_t axis);

/// Layer norm over the last dim: (x − mean)/√(var + eps)·gamma + beta, with the
/// biased variance (as PyTorch). gamma, beta are [H].
template <class T>
llvm::Expected<BasicTensor<T>> layerNorm(const BasicTensor<T> &x,
                                         const BasicTensor<T> &gamma,
                                         const BasicTensor<T> &beta, float eps);
/// RMS norm over the last dim: x / √(mean(x²) + eps) · gamma.
template <class T>
llvm::Expected<BasicTensor<T>> rmsNorm(const BasicTensor<T> &x,
                                       const BasicTensor<T> &gamma, float eps);

/// Elementwise a + b. b's shape must equal a's shape or a suffix of it
/// (broadcast over the leading dims).
template <class T>
llvm::Expected<BasicTensor<T>> add(const BasicTensor<T> &a,
                                   const BasicTensor<T> &b);

/// out[b, s, :] = table[ids[b, s], :] (+ positions[positionOffset + s, :]
/// when given). ids is [B, S] (any rank ≥ 1: the result appends H); ids out
/// of [0, V), a negative offset and positionOffset + S > positions rows are
/// errors that name the offending value.
template <class T>
llvm::Expected<BasicTensor<T>> embedding(const IntTensor &ids,
                                         const BasicTensor<T> &table,
                                         Opt<T> positions,
                                         int64_t positionOffset = 0);

/// The KV-cache append (sxf.kv_append): cache [B, P, D] and update
/// [B, N, D] concatenated along the sequence axis into [B, P + N, D].
template <class T>
llvm::Expected<BasicTensor<T>> kvAppend(const BasicTensor<T> &cache,
                                        const BasicTensor<T> &update);

/// Multi-head scaled dot-product attention on already projected q, k, v of
/// shape [B, S, heads·headDim] (k, v may have a different sequence length T).
/// Per head h: softmax(q_h k_hᵀ / √headDim + causal mask) v_h; heads whose
/// keepHeads entry is false contribute zeros. Causal masking lets query i
/// see keys j ≤ i + (T − S). Result [B, S, heads·headDim].
template <class T>
llvm::Expected<BasicTensor<T>> attention(const BasicTensor<T> &q,
                                         const BasicTensor<T> &k,
                                         const BasicTensor<T> &v, int64_t heads,
                                         int64_t headDim, bool causal,
                                         const std::vector<bool> &keepHeads);

} // namespace ref
} // namespace sxf

#endif // SXF_INTERPRETER_KERNELS_H
