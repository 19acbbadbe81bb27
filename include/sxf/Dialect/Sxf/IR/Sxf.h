//===- Sxf.h - sxf dialect, attributes and ops ------------------*- C++ -*-===//

#ifndef SXF_DIALECT_SXF_IR_SXF_H
#define SXF_DIALECT_SXF_IR_SXF_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "sxf/Formats/Formats.h"

#include "sxf/Dialect/Sxf/IR/SxfOpsDialect.h.inc"
#include "sxf/Dialect/Sxf/IR/SxfEnums.h.inc"

namespace sxf {
/// The cost formulas of the sxf ops, each written once. The ops'
/// CostOpInterface implementations (SxfOps.cpp), the tiler and the
/// performance model all count with these.

/// FLOPs of x·Wᵀ for `rows` input rows against a weight storing `entries`
/// multiply-accumulate operands (all of them dense, its nonzeros sparse):
/// one multiply and one add each (PopSparse counts 2·m·n·k·density the same
/// way).
inline double linearFlops(double rows, double entries) {
  return 2.0 * rows * entries;
}
/// FLOPs per element of the element-wise and row-wise ops: an activation
/// (erf/tanh/exp and a few multiplies), a layer or RMS normalisation (mean,
/// variance, scale, shift), a softmax (max, exp, sum, divide), an addition.
constexpr double kActivationFlopsPerElement = 8;
constexpr double kNormFlopsPerElement = 8;
constexpr double kSoftmaxFlopsPerElement = 5;
constexpr double kAddFlopsPerElement = 1;
/// FLOPs per element of the training ops: an activation's derivative times
/// dy (the activation's cost and a multiply), a softmax gradient from its
/// output (y·dy, the row sum, a subtract and a multiply), a layer or RMS
/// norm's backward (statistics recomputed, x̂, two row sums, dx, and the
/// dgamma/dbeta accumulation: twice the forward), and a cross-entropy or its
/// gradient (a log-softmax or softmax and one more operation per logit).
constexpr double kActivationGradFlopsPerElement =
    kActivationFlopsPerElement + 1;
constexpr double kSoftmaxGradFlopsPerElement = 4;
constexpr double kNormGradFlopsPerElement = 2 * kNormFlopsPerElement;
constexpr double kCrossEntropyFlopsPerElement = kSoftmaxFlopsPerElement + 1;
/// Multi-head attention over `batches·heads` score matrices of
/// `queries × keys`: QKᵀ and PV at 2·headDim FLOPs per score each, and the
/// softmax at kSoftmaxFlopsPerElement per score.
inline double attentionFlops(double batches, double heads, double queries,
                             double keys, double headDim) {
  double scores = batches * heads * queries * keys;
  return scores * (4.0 * headDim + kSoftmaxFlopsPerElement);
}

/// The backward of attentionFlops: per score, five products of 2·headDim
/// FLOPs each (q·kᵀ recomputed, dy·vᵀ, pᵀ·dy, dS·k, dSᵀ·q), the softmax
/// recomputed and its gradient.
inline double attentionGradFlops(double batches, double heads, double queries,
                                 double keys, double headDim) {
  double scores = batches * heads * queries * keys;
  return scores * (10.0 * headDim + kSoftmaxFlopsPerElement +
                   kSoftmaxGradFlopsPerElement);
}

namespace detail {
/// CostOpInterface's default activation bytes (see SxfInterfaces.td).
double defaultActivationBytes(mlir::Operation *op);
/// All the entries of a (static) tensor value: a weight taken as dense.
double denseEntries(mlir::Value v);
} // namespace detail
} // namespace sxf

#include "sxf/Dialect/Sxf/IR/SxfInterfaces.h.inc"

#define GET_ATTRDEF_CLASSES
#include "sxf/Dialect/Sxf/IR/SxfAttrs.h.inc"

#define GET_OP_CLASSES
#include "sxf/Dialect/Sxf/IR/SxfOps.h.inc"

namespace sxf {
/// The epilogue of `sxf.linear`, step by step, in its one order:
/// y = norm(act(x·Wᵀ + bias) + residual). Every stage that runs or prices a
/// linear walks linearEpilogue(op) and switches over the step (-Wswitch
/// names a stage that misses one).
enum class LinearStep { Bias, Activation, Residual, Norm };
/// The steps `op` has (an `activation none` is no step), in order.
llvm::SmallVector<LinearStep, 4> linearEpilogue(LinearOp op);

/// The formats library's description of an #sxf.format: the one mapping from
/// the IR's storage kinds and parameters to lib/Formats, whose rules
/// (formats::specProblem, formats::shapeProblem, byte counts, encoding)
/// every stage asks.
formats::FormatSpec toFormatSpec(FormatAttr format);
/// The shared vocabulary's kind of a storage kind and back (the enums have
/// the same cases and values, checked at compile time in SxfAttrs.cpp).
formats::Kind toFormatKind(StorageKind kind);
StorageKind toStorageKind(formats::Kind kind);
/// The same from the attribute's parameters (for its verifier). A value
/// type other than f16/bf16 maps to f32.
formats::FormatSpec toFormatSpec(StorageKind kind, unsigned blockRows,
                                 unsigned blockCols, unsigned n, unsigned m,
                                 mlir::Type valueType, unsigned indexBits);

/// Checks a user-given tensor name (a weight's name, the `sxf.name` of an
/// entry argument or result) against the one rule of sxf_rt/names.h;
/// `what` starts the message, e.g. "weight name".
mlir::LogicalResult
checkTensorName(llvm::function_ref<mlir::InFlightDiagnostic()> emitError,
                mlir::Attribute name, llvm::StringRef what);

/// Name of the module attribute that names the safetensors weights file.
constexpr llvm::StringLiteral kWeightsFileAttrName = "sxf.weights_file";
/// Name of the module attribute (#sxf.target) recording the target the
/// module's formats were selected for.
constexpr llvm::StringLiteral kTargetAttrName = "sxf.target";
/// Marks a weight that has no values even though the module names a
/// weights file (written by sxf-export-weights with allow-missing).
constexpr llvm::StringLiteral kMetadataOnlyAttrName = "sxf.metadata_only";
/// A static activation viewed as a matrix: rows = the product of all but the
/// last dimension (tokens), cols = the last dimension (features).
inline int64_t matrixRows(mlir::Value v) {
  auto t = mlir::cast<mlir::RankedTensorType>(v.getType());
  int64_t r = 1;
  for (int64_t k = 0; k + 1 < t.getRank(); ++k)
    r *= t.getDimSize(k);
  return r;
}
inline int64_t matrixCols(mlir::Value v) {
  auto t = mlir::cast<mlir::RankedTensorType>(v.getType());
  return t.getRank() ? t.getDimSize(t.getRank() - 1) : 1;
}

} // namespace sxf

#endif // SXF_DIALECT_SXF_IR_SXF_H
