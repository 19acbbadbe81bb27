//===- DeadStructure.cpp - Remove pruned neurons and heads ------*- C++ -*-===//
//
// After structured pruning the zeros are still stored and computed. These
// patterns delete them: the FFN neurons whose fc1 row (and bias) or fc2
// column is all zero, and the attention heads a keep mask turned off. The
// model's outputs do not change (test/Transforms/sxf-eliminate-dead.test
// checks it with the reference interpreter).
//
//===----------------------------------------------------------------------===//

#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/Weights/WeightStore.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace sxf {
#define GEN_PASS_DEF_SXFELIMINATEDEADPASS
#include "sxf/Dialect/Sxf/Transforms/Passes.h.inc"
} // namespace sxf

using namespace mlir;
using namespace sxf;

namespace {

/// A weight that only `user` reads, with its values.
struct OwnedWeight {
  WeightOp op;
  Tensor values;
};

FailureOr<OwnedWeight> ownedWeight(Value v, Operation *user,
                                   WeightStore &store,
                                   PatternRewriter &rewriter,
                                   StringRef role) {
  auto op = v.getDefiningOp<WeightOp>();
  if (!op)
    return rewriter.notifyMatchFailure(user, role + " is not an sxf.weight");
  if (!v.hasOneUse())
    return rewriter.notifyMatchFailure(user, role + " weight is shared");
  if (store.source(op) == WeightSource::None)
    return rewriter.notifyMatchFailure(user, role + " weight has no values");
  // Loading diagnoses errors itself; a pattern must not, so check first.
  FailureOr<Tensor> t = store.load(op);
  if (failed(t))
    return rewriter.notifyMatchFailure(user, "cannot load " + role);
  return OwnedWeight{op, std::move(*t)};
}

/// A new weight op with `name` and the given values (stored inline).
Value makeWeight(PatternRewriter &rewriter, Location loc, StringRef name,
                 const Tensor &t) {
  auto type = RankedTensorType::get(t.shape, rewriter.getF32Type());
  auto op = WeightOp::create(rewriter, loc, type, name, ElementsAttr(),
                             SparsityAttr(), FormatAttr());
  setInlineValue(op, t);
  return op;
}

/// Keeps rows `keep` of a matrix (or entries of a vector).
Tensor selectRows(const Tensor &t, ArrayRef<int64_t> keep) {
  int64_t cols = t.rank() == 2 ? t.shape[1] : 1;
  std::vector<int64_t> shape = t.shape;
  shape[0] = keep.size();
  Tensor out(shape);
  for (auto [i, r] : llvm::enumerate(keep))
    std::copy(t.data.begin() + r * cols, t.data.begin() + (r + 1) * cols,
              out.data.begin() + i * cols);
  return out;
}

/// Keeps columns `keep` of a matrix.
Tensor selectCols(const Tensor &t, ArrayRef<int64_t> keep) {
  int64_t rows = t.shape[0], cols = t.shape[1];
  Tensor out({rows, static_cast<int64_t>(keep.size())});
  for (int64_t r = 0; r < rows; ++r)
    for (auto [i, c] : llvm::enumerate(keep))
      out.data[r * keep.size() + i] = t.data[r * cols + c];
  return out;
}

RankedTensorType withLastDim(Type t, int64_t n) {
  auto rt = cast<RankedTensorType>(t);
  SmallVector<int64_t> shape(rt.getShape());
  shape.back() = n;
  return RankedTensorType::get(shape, rt.getElementType());
}

/// fc1 -> [activation] -> fc2 with dead neurons.
struct EliminateDeadNeurons : OpRewritePattern<LinearOp> {
  EliminateDeadNeurons(MLIRContext *ctx, WeightStore &store)
      : OpRewritePattern(ctx), store(store) {}

  LogicalResult matchAndRewrite(LinearOp fc2,
                                PatternRewriter &rewriter) const override {
    Value hidden = fc2.getInput();
    ActivationOp act = hidden.getDefiningOp<ActivationOp>();
    Value pre = act ? act.getInput() : hidden;
    auto fc1 = pre.getDefiningOp<LinearOp>();
    if (fc1 && (fc1.getResidual() || fc1.getNormGamma()))
      return rewriter.notifyMatchFailure(fc2, "fc1 has a residual or norm "
                                              "epilogue");
    if (!fc1)
      return rewriter.notifyMatchFailure(fc2, "input is not produced by a "
                                              "linear (run sxf-decompose "
                                              "first)");
    if (!pre.hasOneUse() || (act && !hidden.hasOneUse()))
      return rewriter.notifyMatchFailure(fc2, "hidden activations are "
                                              "shared");
    // All sxf activations map 0 to 0, so a zero pre-activation stays zero.
    FailureOr<OwnedWeight> w1 =
        ownedWeight(fc1.getWeight(), fc1, store, rewriter, "fc1");
    FailureOr<OwnedWeight> w2 =
        ownedWeight(fc2.getWeight(), fc2, store, rewriter, "fc2");
    if (failed(w1) || failed(w2))
      return failure();
    std::optional<OwnedWeight> b1;
    if (fc1.getBias()) {
      FailureOr<OwnedWeight> b =
          ownedWeight(fc1.getBias(), fc1, store, rewriter, "fc1 bias");
      if (failed(b))
        return failure();
      b1 = std::move(*b);
    }
    const Tensor &a = w1->values, &c = w2->values;
    if (a.rank() != 2 || c.rank() != 2 || c.shape[1] != a.shape[0] ||
        (b1 && b1->values.numel() != a.shape[0]))
      return rewriter.notifyMatchFailure(
          fc2, "fc2's in-features do not match fc1's out-features");
    int64_t neurons = a.shape[0], in = a.shape[1], out = c.shape[0];
    SmallVector<int64_t> keep;
    for (int64_t f = 0; f < neurons; ++f) {
      bool rowZero = true, colZero = true;
      for (int64_t k = 0; k < in && rowZero; ++k)
        rowZero = a.data[f * in + k] == 0.0f;
      if (b1)
        rowZero = rowZero && b1->values.data[f] == 0.0f;
      for (int64_t r = 0; r < out && colZero; ++r)
        colZero = c.data[r * neurons + f] == 0.0f;
      if (!rowZero && !colZero)
        keep.push_back(f);
    }
    if (static_cast<int64_t>(keep.size()) == neurons)
      return rewriter.notifyMatchFailure(fc2, "no dead neuron");
    if (keep.empty())
      keep.push_back(0); // keep one (zero) neuron: tensors stay non-empty
    Location loc = fc2.getLoc();
    rewriter.setInsertionPoint(fc1);
    Value nw1 = makeWeight(rewriter, w1->op.getLoc(), w1->op.getName(),
                           selectRows(a, keep));
    Value nb1;
    if (b1)
      nb1 = makeWeight(rewriter, b1->op.getLoc(), b1->op.getName(),
                       selectRows(b1->values, keep));
    Value nw2 = makeWeight(rewriter, w2->op.getLoc(), w2->op.getName(),
                           selectCols(c, keep));
    Value h = LinearOp::create(
        rewriter, fc1.getLoc(),
        withLastDim(fc1.getType(), keep.size()), fc1.getInput(), nw1, nb1,
        fc1.getResidual(), Value(), Value(), fc1.getActivationAttr(),
        FloatAttr());
    if (act)
      h = ActivationOp::create(rewriter, act.getLoc(), h.getType(),
                               act.getKindAttr(), h);
    rewriter.setInsertionPoint(fc2);
    Value y = LinearOp::create(rewriter, loc, fc2.getType(), h, nw2,
                               fc2.getBias(), fc2.getResidual(),
                               fc2.getNormGamma(), fc2.getNormBeta(),
                               fc2.getActivationAttr(),
                               fc2.getNormEpsilonAttr());
    rewriter.replaceOp(fc2, y);
    if (act)
      rewriter.eraseOp(act);
    rewriter.eraseOp(fc1);
    for (WeightOp old : {w1->op, w2->op})
      rewriter.eraseOp(old);
    if (b1)
      rewriter.eraseOp(b1->op);
    return success();
  }

  WeightStore &store;
};

/// q, k, v -> attention (with heads switched off) -> o. Anchored on the
/// output projection so that every op it erases comes before it.
struct EliminateDeadHeads : OpRewritePattern<LinearOp> {
  EliminateDeadHeads(MLIRContext *ctx, WeightStore &store)
      : OpRewritePattern(ctx), store(store) {}

  LogicalResult matchAndRewrite(LinearOp o,
                                PatternRewriter &rewriter) const override {
    auto attn = o.getInput().getDefiningOp<AttentionOp>();
    if (!attn)
      return rewriter.notifyMatchFailure(o, "input is not an attention");
    std::optional<ArrayRef<bool>> keepMask = attn.getKeepHeads();
    if (!keepMask || llvm::all_of(*keepMask, [](bool b) { return b; }))
      return rewriter.notifyMatchFailure(attn, "no head is switched off");
    SmallVector<LinearOp> proj;
    for (Value v : {attn.getQuery(), attn.getKey(), attn.getValue()}) {
      auto l = v.getDefiningOp<LinearOp>();
      if (!l || !v.hasOneUse() || l.getResidual() || l.getNormGamma())
        return rewriter.notifyMatchFailure(
            attn, "q, k and v must each come from their own linear");
      proj.push_back(l);
    }
    if (!attn.getResult().hasOneUse())
      return rewriter.notifyMatchFailure(attn, "attention output is shared");
    int64_t d = attn.getHeadDim();
    SmallVector<int64_t> keepHeads, keepRows;
    for (auto [h, keep] : llvm::enumerate(*keepMask))
      if (keep) {
        keepHeads.push_back(h);
        for (int64_t j = 0; j < d; ++j)
          keepRows.push_back(h * d + j);
      }
    if (keepHeads.empty())
      return rewriter.notifyMatchFailure(attn, "every head is off");
    SmallVector<OwnedWeight> weights, biases;
    for (LinearOp l : proj) {
      FailureOr<OwnedWeight> w =
          ownedWeight(l.getWeight(), l, store, rewriter, "projection");
      if (failed(w))
        return failure();
      weights.push_back(std::move(*w));
    }
    FailureOr<OwnedWeight> wo =
        ownedWeight(o.getWeight(), o, store, rewriter, "output projection");
    if (failed(wo))
      return failure();
    for (LinearOp l : proj)
      if (l.getBias()) {
        FailureOr<OwnedWeight> b =
            ownedWeight(l.getBias(), l, store, rewriter, "projection bias");
        if (failed(b))
          return failure();
        biases.push_back(std::move(*b));
      }
    int64_t width = static_cast<int64_t>(keepMask->size()) * d;
    for (OwnedWeight &w : weights)
      if (w.values.rank() != 2 || w.values.shape[0] != width)
        return rewriter.notifyMatchFailure(attn, "projection rows do not "
                                                 "match heads x head_dim");
    if (wo->values.rank() != 2 || wo->values.shape[1] != width)
      return rewriter.notifyMatchFailure(attn, "output projection columns do "
                                               "not match heads x head_dim");
    for (OwnedWeight &b : biases)
      if (b.values.numel() != width)
        return rewriter.notifyMatchFailure(attn, "bias size does not match "
                                                 "heads x head_dim");
    if (!biases.empty() && biases.size() != 3)
      return rewriter.notifyMatchFailure(attn, "q, k and v must all have "
                                               "biases or none");
    int64_t hidden = keepRows.size();
    SmallVector<Value> newProj;
    for (auto [i, l] : llvm::enumerate(proj)) {
      rewriter.setInsertionPoint(l);
      Value w = makeWeight(rewriter, weights[i].op.getLoc(),
                           weights[i].op.getName(),
                           selectRows(weights[i].values, keepRows));
      Value b;
      if (!biases.empty())
        b = makeWeight(rewriter, biases[i].op.getLoc(),
                       biases[i].op.getName(),
                       selectRows(biases[i].values, keepRows));
      newProj.push_back(LinearOp::create(rewriter, l.getLoc(),
                                         withLastDim(l.getType(), hidden),
                                         l.getInput(), w, b, Value(),
                                         Value(), Value(),
                                         l.getActivationAttr(), FloatAttr()));
    }
    rewriter.setInsertionPoint(attn);
    Value a = AttentionOp::create(
        rewriter, attn.getLoc(), newProj[0].getType(), newProj[0], newProj[1],
        newProj[2], rewriter.getI64IntegerAttr(keepHeads.size()),
        attn.getHeadDimAttr(), attn.getCausalAttr(), DenseBoolArrayAttr());
    rewriter.setInsertionPoint(o);
    Value nwo = makeWeight(rewriter, wo->op.getLoc(), wo->op.getName(),
                           selectCols(wo->values, keepRows));
    Value y = LinearOp::create(rewriter, o.getLoc(), o.getType(), a, nwo,
                               o.getBias(), o.getResidual(), o.getNormGamma(),
                               o.getNormBeta(), o.getActivationAttr(),
                               o.getNormEpsilonAttr());
    rewriter.replaceOp(o, y);
    rewriter.eraseOp(attn);
    for (LinearOp l : proj)
      rewriter.eraseOp(l);
    for (OwnedWeight &w : weights)
      rewriter.eraseOp(w.op);
    for (OwnedWeight &b : biases)
      rewriter.eraseOp(b.op);
    rewriter.eraseOp(wo->op);
    return success();
  }

  WeightStore &store;
};

struct SxfEliminateDeadPass
    : public sxf::impl::SxfEliminateDeadPassBase<SxfEliminateDeadPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    WeightStore store(module);
    RewritePatternSet patterns(&getContext());
    populateDeadStructurePatterns(patterns, store);
    // One walk suffices (each layer is rewritten once, at its last op), and
    // unlike the greedy driver the walk leaves unused weights alone.
    walkAndApplyPatterns(module, std::move(patterns));
  }
};

} // namespace

void sxf::populateDeadStructurePatterns(RewritePatternSet &patterns,
                                        WeightStore &store) {
  patterns.add<EliminateDeadNeurons, EliminateDeadHeads>(
      patterns.getContext(), store);
}
