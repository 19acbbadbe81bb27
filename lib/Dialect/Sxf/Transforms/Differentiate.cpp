//===- Differentiate.cpp - Reverse mode: a training step in the IR -------===//
//
// sxf-differentiate adds @train_step(args..., targets) -> (loss, grads...)
// next to a forward function. The forward body is cloned, composite layers
// are decomposed and fused linear epilogues split (so that every value a
// backward op needs, such as a pre-activation, is an SSA value), the loss is
// appended, and one sweep over the ops in reverse order emits each op's
// reverse rule (one case per sxf op, on the exhaustive visitor: an op added
// to the dialect without a rule here does not compile). docs/training.md
// lists the rules.
//
//===----------------------------------------------------------------------===//

#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/Sxf/IR/SxfVisitors.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/Interpreter/Interpreter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

#include "llvm/ADT/DenseSet.h"

#include <map>

namespace sxf {
#define GEN_PASS_DEF_SXFDIFFERENTIATEPASS
#include "sxf/Dialect/Sxf/Transforms/Passes.h.inc"
} // namespace sxf

using namespace mlir;
using namespace sxf;

namespace {

Block &entryBlock(func::FuncOp f) { return f.getBody().front(); }

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

/// Splits every linear with a fused activation, residual or norm into the
/// plain product followed by sxf.activation, sxf.add and sxf.layer_norm, in
/// linearEpilogue's order, so that the reverse rules see each step's input.
void splitLinearEpilogues(func::FuncOp f) {
  SmallVector<LinearOp> fused;
  f.walk([&](LinearOp l) {
    if (l.getActivation() || l.getResidual() || l.getNormGamma())
      fused.push_back(l);
  });
  for (LinearOp l : fused) {
    OpBuilder b(l);
    Location loc = l.getLoc();
    Value y = LinearOp::create(b, loc, l.getType(), l.getInput(), l.getWeight(),
                               l.getBias(), Value(), Value(), Value(),
                               ActivationKindAttr(), FloatAttr());
    for (LinearStep step : linearEpilogue(l)) {
      switch (step) {
      case LinearStep::Bias:
        break; // in the product
      case LinearStep::Activation:
        y = ActivationOp::create(b, loc, y.getType(), l.getActivationAttr(), y);
        break;
      case LinearStep::Residual:
        y = AddOp::create(b, loc, y.getType(), y, l.getResidual());
        break;
      case LinearStep::Norm:
        y = LayerNormOp::create(b, loc, y.getType(), y, l.getNormGamma(),
                                l.getNormBeta(), l.getNormEpsilonAttr());
        break;
      }
    }
    l.getResult().replaceAllUsesWith(y);
    l.erase();
  }
}

/// The reverse sweep over one function body.
class Differentiator {
public:
  Differentiator(OpBuilder &b) : b(b) {}

  /// Marks the values that depend on a weight: only they get adjoints.
  void findActive(Block &block) {
    for (Operation &op : block) {
      bool any = isa<WeightOp>(op);
      for (Value v : op.getOperands())
        any = any || active.contains(v);
      if (any)
        for (Value r : op.getResults())
          if (isa<FloatType>(typeOf(r).getElementType()))
            active.insert(r);
    }
  }

  void seed(Value v, Value adjoint) { adj[v] = adjoint; }

  /// Emits the reverse rule of `op` if one of its results has an adjoint.
  LogicalResult reverse(Operation *op) {
    bool any = false;
    for (Value r : op->getResults())
      any = any || adj.count(r);
    if (!any)
      return success();
    loc = op->getLoc();
    return visitSxfOp<LogicalResult>(op, Overloaded{
        [&](WeightOp w) -> LogicalResult {
          Value g = adj[w.getResult()];
          std::string name = w.getName().str();
          auto [it, inserted] = grads.try_emplace(name, g);
          if (!inserted)
            it->second = AddOp::create(b, loc, g.getType(), it->second, g);
          return success();
        },
        [&](LinearOp l) -> LogicalResult {
          if (l.getActivation() || l.getResidual() || l.getNormGamma())
            return l.emitError("sxf-differentiate: fused epilogue left "
                               "after splitting");
          Value dy = adj[l.getResult()];
          Value x = l.getInput(), w = l.getWeight(), bias = l.getBias();
          if (active.contains(x))
            accumulate(x, LinearGradInputOp::create(b, loc, TypeRange{typeOf(x)},
                                                    ValueRange{dy, w})
                              ->getResult(0));
          if (active.contains(w))
            accumulate(w, LinearGradWeightOp::create(
                              b, loc, TypeRange{typeOf(w)},
                              ValueRange{dy, x, w})
                              ->getResult(0));
          if (bias && active.contains(bias))
            accumulate(bias, ReduceSumOp::create(b, loc, TypeRange{typeOf(bias)},
                                                 ValueRange{dy})
                                 ->getResult(0));
          return success();
        },
        [&](MatmulOp m) -> LogicalResult {
          // y = s·op(a)·op(b): d op(a) = s·dy·op(b)ᵀ, d op(b) = s·op(a)ᵀ·dy,
          // transposed back for a transposed operand.
          Value dy = adj[m.getResult()], a = m.getLhs(), bv = m.getRhs();
          bool ta = m.getTransposeLhs(), tb = m.getTransposeRhs();
          auto mm = [&](Type t, Value l, Value r, bool tl, bool tr) {
            return MatmulOp::create(b, loc, t, l, r,
                                    tl ? b.getUnitAttr() : UnitAttr(),
                                    tr ? b.getUnitAttr() : UnitAttr(),
                                    m.getScaleAttr())
                .getResult();
          };
          if (active.contains(a))
            accumulate(a, ta ? mm(a.getType(), bv, dy, tb, true)
                             : mm(a.getType(), dy, bv, false, !tb));
          if (active.contains(bv))
            accumulate(bv, tb ? mm(bv.getType(), dy, a, true, ta)
                              : mm(bv.getType(), a, dy, !ta, false));
          return success();
        },
        [&](AttentionOp a) -> LogicalResult {
          Value q = a.getQuery(), k = a.getKey(), v = a.getValue();
          Operation *g = AttentionGradOp::create(
              b, loc, TypeRange{typeOf(q), typeOf(k), typeOf(v)},
              ValueRange{q, k, v, adj[a.getResult()]}, a->getAttrs());
          accumulate(q, g->getResult(0));
          accumulate(k, g->getResult(1));
          accumulate(v, g->getResult(2));
          return success();
        },
        [&](SoftmaxOp s) -> LogicalResult {
          accumulate(s.getInput(),
                     SoftmaxGradOp::create(b, loc, TypeRange{s.getType()},
                                           ValueRange{s.getResult(),
                                                      adj[s.getResult()]},
                                           s->getAttrs())
                         ->getResult(0));
          return success();
        },
        [&](LayerNormOp n) -> LogicalResult {
          Value x = n.getInput(), g = n.getGamma(), beta = n.getBeta();
          Operation *d = LayerNormGradOp::create(
              b, loc, TypeRange{typeOf(x), typeOf(g), typeOf(beta)},
              ValueRange{x, g, adj[n.getResult()]}, n->getAttrs());
          accumulate(x, d->getResult(0));
          accumulate(g, d->getResult(1));
          accumulate(beta, d->getResult(2));
          return success();
        },
        [&](RmsNormOp n) -> LogicalResult {
          Value x = n.getInput(), g = n.getGamma();
          Operation *d = RmsNormGradOp::create(
              b, loc, TypeRange{typeOf(x), typeOf(g)},
              ValueRange{x, g, adj[n.getResult()]}, n->getAttrs());
          accumulate(x, d->getResult(0));
          accumulate(g, d->getResult(1));
          return success();
        },
        [&](ActivationOp a) -> LogicalResult {
          accumulate(a.getInput(),
                     ActivationGradOp::create(
                         b, loc, TypeRange{typeOf(a.getInput())},
                         ValueRange{a.getInput(), adj[a.getResult()]},
                         a->getAttrs())
                         ->getResult(0));
          return success();
        },
        [&](AddOp a) -> LogicalResult {
          Value dy = adj[a.getResult()];
          accumulate(a.getLhs(), dy);
          Value rhs = a.getRhs();
          if (active.contains(rhs))
            accumulate(rhs, typeOf(rhs) == typeOf(dy)
                                ? dy
                                : ReduceSumOp::create(b, loc,
                                                      TypeRange{typeOf(rhs)},
                                                      ValueRange{dy})
                                      ->getResult(0));
          return success();
        },
        [&](EmbeddingOp e) -> LogicalResult {
          Value dy = adj[e.getResult()];
          if (active.contains(e.getTable()))
            accumulate(e.getTable(),
                       EmbeddingGradOp::create(b, loc,
                                               TypeRange{typeOf(e.getTable())},
                                               ValueRange{e.getIds(), dy})
                           ->getResult(0));
          if (Value pos = e.getPositions(); pos && active.contains(pos))
            accumulate(pos, PositionGradOp::create(
                                b, loc, TypeRange{typeOf(pos)}, ValueRange{dy},
                                {b.getNamedAttr("position_offset",
                                                e.getPositionOffsetAttr())})
                                ->getResult(0));
          return success();
        },
        [&](SplitOp s) -> LogicalResult {
          SmallVector<Value> parts;
          for (Value r : s.getResults()) {
            auto it = adj.find(r);
            if (it == adj.end())
              return s.emitError("sxf-differentiate: a piece of this split "
                                 "does not reach the loss; differentiate "
                                 "after removing it (sxf-eliminate-dead)");
            parts.push_back(it->second);
          }
          accumulate(s.getInput(),
                     ConcatOp::create(b, loc, TypeRange{typeOf(s.getInput())},
                                      ValueRange(parts))
                         ->getResult(0));
          return success();
        },
        [&](KvAppendOp k) -> LogicalResult {
          return k.emitError("sxf-differentiate: sxf.kv_append has no "
                             "reverse rule (a training step has no KV cache; "
                             "differentiate the prefill function)");
        },
        [&](OneOf<EncoderLayerOp, DecoderLayerOp> layer) -> LogicalResult {
          return layer->emitError("sxf-differentiate: composite layer left "
                                  "after decomposition");
        },
        [&](GradientOps
                backward) -> LogicalResult {
          return backward->emitError("sxf-differentiate: the forward "
                                     "function already holds a backward op; "
                                     "there are no second derivatives");
        }},
        [&](Operation *other) -> LogicalResult {
          return other->emitError() << "sxf-differentiate: no reverse rule "
                                       "for '"
                                    << other->getName() << "'";
        });
  }

  /// Each weight's gradient, by name.
  std::map<std::string, Value> grads;

private:
  void accumulate(Value v, Value g) {
    if (!active.contains(v))
      return;
    auto it = adj.find(v);
    if (it == adj.end())
      adj[v] = g;
    else
      it->second = AddOp::create(b, loc, g.getType(), it->second, g);
  }

  OpBuilder &b;
  Location loc = UnknownLoc::get(b.getContext());
  llvm::DenseSet<Value> active;
  llvm::DenseMap<Value, Value> adj;
};

} // namespace

FailureOr<func::FuncOp> sxf::buildTrainingStep(ModuleOp module,
                                               StringRef entry,
                                               StringRef name) {
  FailureOr<func::FuncOp> forward = lookupEntryFunction(module, entry);
  if (failed(forward))
    return failure();
  if (name.empty()) {
    emitError(forward->getLoc())
        << "sxf-differentiate: the training step needs a name";
    return failure();
  }
  if (Operation *taken = module.lookupSymbol(name)) {
    taken->emitError() << "sxf-differentiate: a symbol named '" << name
                       << "' already exists; choose another with name=...";
    return failure();
  }
  if (!forward->getBody().hasOneBlock()) {
    forward->emitError("sxf-differentiate: the forward function must have "
                       "one block");
    return failure();
  }
  FunctionType fty = forward->getFunctionType();
  auto logitsType = fty.getNumResults() == 1
                        ? dyn_cast<RankedTensorType>(fty.getResult(0))
                        : RankedTensorType();
  if (!logitsType || logitsType.getRank() < 1 ||
      !isa<FloatType>(logitsType.getElementType())) {
    forward->emitError()
        << "sxf-differentiate: the forward function must return one "
           "float tensor of rank >= 1 (the logits, vocabulary last), not "
        << fty.getResults();
    return failure();
  }

  // The loss reads the result as logits: it must come from a linear layer
  // (an LM or classification head), not from hidden states.
  Operation *head =
      entryBlock(*forward).getTerminator()->getOperand(0).getDefiningOp();
  if (!isa_and_nonnull<LinearOp>(head)) {
    forward->emitError()
        << "sxf-differentiate: the forward function's result is not "
           "produced by an sxf.linear (a head whose outputs are the "
           "logits); the loss is the cross-entropy over its last "
           "dimension, so a model returning hidden states (sparse-gen's "
           "BERT has no head) cannot be trained this way";
    return failure();
  }

  // The training step: a clone with the targets appended.
  func::FuncOp step = forward->clone();
  step.setName(name);
  step.setPublic();
  module.insert(std::next(Block::iterator(*forward)), step);
  MLIRContext *ctx = module.getContext();
  auto targetsType = RankedTensorType::get(
      logitsType.getShape().drop_back(), IntegerType::get(ctx, 64));
  Block &body = step.getBody().front();
  if (failed(step.insertArgument(
          fty.getNumInputs(), targetsType,
          DictionaryAttr::get(ctx, {NamedAttribute(
                                       StringAttr::get(ctx, "sxf.name"),
                                       StringAttr::get(ctx, "targets"))}),
          step.getLoc()))) {
    step.erase();
    return failure();
  }
  Value targets = body.getArgument(fty.getNumInputs());
  {
    RewritePatternSet patterns(ctx);
    populateDecomposeLayerPatterns(patterns);
    walkAndApplyPatterns(step, std::move(patterns));
  }
  splitLinearEpilogues(step);

  auto ret = cast<func::ReturnOp>(body.getTerminator());
  Value logits = ret.getOperand(0);
  SmallVector<Operation *> ops;
  for (Operation &op : body.without_terminator())
    ops.push_back(&op);

  OpBuilder b(ret);
  Location loc = step.getLoc();
  Value loss = CrossEntropyOp::create(
                   b, loc,
                   TypeRange{RankedTensorType::get({}, Float32Type::get(ctx))},
                   ValueRange{logits, targets})
                   ->getResult(0);
  Value dlogits = CrossEntropyGradOp::create(b, loc, TypeRange{logitsType},
                                             ValueRange{logits, targets})
                      ->getResult(0);
  Differentiator diff(b);
  diff.findActive(body);
  diff.seed(logits, dlogits);
  for (Operation *op : llvm::reverse(ops))
    if (failed(diff.reverse(op))) {
      step.erase();
      return failure();
    }

  // Gradients in the order the forward function first uses the weights.
  std::vector<std::string> order;
  for (Operation *op : ops)
    if (auto w = dyn_cast<WeightOp>(op))
      if (diff.grads.count(w.getName().str()) &&
          llvm::find(order, w.getName().str()) == order.end())
        order.push_back(w.getName().str());
  SmallVector<Value> results = {loss};
  SmallVector<Type> types = {loss.getType()};
  for (const std::string &w : order) {
    results.push_back(diff.grads[w]);
    types.push_back(diff.grads[w].getType());
  }
  func::ReturnOp::create(b, ret.getLoc(), results);
  ret.erase();
  step.setFunctionType(
      FunctionType::get(ctx, step.getArgumentTypes(), types));
  step.removeResAttrsAttr();
  // Names for the tools (`<output-dir>/<name>.npy`): "loss" and
  // "grad.<weight>"; sxf.gradient_of names the weight for programs.
  step.setResultAttr(0, "sxf.name", StringAttr::get(ctx, "loss"));
  for (auto [i, w] : llvm::enumerate(order)) {
    step.setResultAttr(i + 1, "sxf.name", StringAttr::get(ctx, "grad." + w));
    step.setResultAttr(i + 1, "sxf.gradient_of", StringAttr::get(ctx, w));
  }
  return step;
}

namespace {

struct SxfDifferentiatePass
    : sxf::impl::SxfDifferentiatePassBase<SxfDifferentiatePass> {
  using SxfDifferentiatePassBase::SxfDifferentiatePassBase;

  void runOnOperation() override {
    if (failed(buildTrainingStep(getOperation(), entry, name)))
      signalPassFailure();
  }
};

} // namespace
