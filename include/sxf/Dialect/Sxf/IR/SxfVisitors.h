//===- SxfVisitors.h - exhaustive visitor over the sxf ops ------*- C++ -*-===//
//
// A visitor in CIRCT's style (circt/Dialect/Comb/CombVisitors.h) whose case
// list is the dialect's own op list (GET_OP_LIST of the generated
// SxfOps.cpp.inc): `dispatchSxfOp` calls `visitOp(XOp, args...)` on the
// concrete visitor for every sxf op and `visitInvalidOp` for anything else.
// There is no default `visitOp`, so a stage built on this visitor fails to
// compile when an op is added to SxfOps.td without a case for it: the
// compiler, not a test three tools later, reports the missing case.
//
//   struct Eval : SxfOpVisitor<Eval, LogicalResult> {
//     LogicalResult visitOp(LinearOp op);
//     ...                                  // one per sxf op
//     LogicalResult visitInvalidOp(Operation *op);
//   };
//
// A stage that treats several ops alike writes one overload taking those
// ops (or a template) and says so at the overload.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_DIALECT_SXF_IR_SXFVISITORS_H
#define SXF_DIALECT_SXF_IR_SXFVISITORS_H

#include "sxf/Dialect/Sxf/IR/Sxf.h"

#include "llvm/ADT/TypeSwitch.h"

#include <type_traits>

namespace sxf {

template <typename ConcreteType, typename ResultType = void,
          typename... ExtraArgs>
class SxfOpVisitor {
public:
  /// Calls the concrete visitor's `visitOp` for an sxf op, its
  /// `visitInvalidOp` for any other op.
  ResultType dispatchSxfOp(mlir::Operation *op, ExtraArgs... args) {
    auto *self = static_cast<ConcreteType *>(this);
    return llvm::TypeSwitch<mlir::Operation *, ResultType>(op)
        .template Case<
#define GET_OP_LIST
#include "sxf/Dialect/Sxf/IR/SxfOps.cpp.inc"
            >([&](auto sxfOp) -> ResultType {
              return self->visitOp(sxfOp, args...);
            })
        .Default([&](mlir::Operation *other) -> ResultType {
          return self->visitInvalidOp(other, args...);
        });
  }
};

/// The same with lambdas, for a stage whose cases share many locals:
///
///   visitSxfOp<LogicalResult>(op, Overloaded{
///       [&](LayerNormOp n) { ... },
///       [&](OneOf<MatmulOp, AttentionOp, ...> other) { ... }, // named, not
///       ...},                                                  // defaulted
///       [&](Operation *notSxf) { ... });
///
/// Every sxf op must match one lambda (a generic `auto` lambda would defeat
/// the check and is not to be used here); OneOf<Ops...> groups the ops a
/// stage treats alike, by name, so a new op still fails to compile.
template <typename... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <typename... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

/// Accepts exactly the ops `Ops` (no other op converts to it).
template <typename... Ops>
struct OneOf {
  template <typename Op, typename = std::enable_if_t<
                             (std::is_same_v<Op, Ops> || ...)>>
  OneOf(Op op) : op(op.getOperation()) {}
  mlir::Operation *op;
  mlir::Operation *operator->() const { return op; }
};

template <typename ResultType, typename Cases, typename Invalid>
ResultType visitSxfOp(mlir::Operation *op, Cases &&cases, Invalid &&invalid) {
  return llvm::TypeSwitch<mlir::Operation *, ResultType>(op)
      .template Case<
#define GET_OP_LIST
#include "sxf/Dialect/Sxf/IR/SxfOps.cpp.inc"
          >([&](auto sxfOp) -> ResultType { return cases(sxfOp); })
      .Default([&](mlir::Operation *other) -> ResultType {
        return invalid(other);
      });
}

/// The gradient and loss ops (training, issue 16), for the stages that
/// refuse them all alike: one list, so a new one is added in one place.
using GradientOps =
    OneOf<LinearGradInputOp, LinearGradWeightOp, ReduceSumOp, ActivationGradOp,
          SoftmaxGradOp, LayerNormGradOp, RmsNormGradOp, AttentionGradOp,
          EmbeddingGradOp, PositionGradOp, ConcatOp, CrossEntropyOp,
          CrossEntropyGradOp>;

} // namespace sxf

#endif // SXF_DIALECT_SXF_IR_SXFVISITORS_H
