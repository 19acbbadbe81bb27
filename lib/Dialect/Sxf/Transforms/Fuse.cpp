//===- Fuse.cpp - Epilogue and horizontal fusion ----------------*- C++ -*-===//

#include "sxf/Analysis/SparsityStats.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/Target/TargetAttr.h"
#include "sxf/Target/CostModel.h"
#include "sxf/Target/FormatSelection.h"
#include "sxf/Weights/WeightStore.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

#include <cmath>

namespace sxf {
#define GEN_PASS_DEF_SXFFUSEPASS
#include "sxf/Dialect/Sxf/Transforms/Passes.h.inc"
} // namespace sxf

using namespace mlir;
using namespace sxf;

namespace {

//===----------------------------------------------------------------------===//
// Epilogues
//===----------------------------------------------------------------------===//

/// A linear whose only user is the op being fused into it.
LinearOp soleLinear(Value v) {
  auto l = v.getDefiningOp<LinearOp>();
  return l && v.hasOneUse() ? l : LinearOp();
}

struct FuseActivation : OpRewritePattern<ActivationOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ActivationOp act,
                                PatternRewriter &rewriter) const override {
    LinearOp l = soleLinear(act.getInput());
    if (l && l.getType() != act.getType())
      return rewriter.notifyMatchFailure(act, "types differ");
    if (!l)
      return rewriter.notifyMatchFailure(act, "input is not a linear used "
                                              "only here");
    if (l.getActivation() || l.getResidual() || l.getNormGamma())
      return rewriter.notifyMatchFailure(
          act, "the linear already has an activation, residual or norm");
    rewriter.modifyOpInPlace(l, [&] { l.setActivationAttr(act.getKindAttr()); });
    rewriter.replaceOp(act, l.getResult());
    return success();
  }
};

struct FuseBiasAdd : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    LinearOp l = soleLinear(add.getLhs());
    auto bias = add.getRhs();
    auto bt = cast<RankedTensorType>(bias.getType());
    if (!l || bt.getRank() != 1)
      return rewriter.notifyMatchFailure(add, "not linear + vector");
    // A bias is a parameter: the tiler, the EmitC and linalg lowerings read
    // it as a weight, so a vector computed at run time stays an add.
    if (!bias.getDefiningOp<WeightOp>())
      return rewriter.notifyMatchFailure(add, "the vector is not an "
                                              "sxf.weight");
    if (Operation *def = bias.getDefiningOp())
      if (def->getBlock() == l->getBlock() && !def->isBeforeInBlock(l))
        return rewriter.notifyMatchFailure(add, "the bias is defined after "
                                                "the linear");
    if (add.getType() != l.getType())
      return rewriter.notifyMatchFailure(add, "the add's type differs from "
                                              "the linear's");
    if (l.getBias() || l.getActivation() || l.getResidual() ||
        l.getNormGamma())
      return rewriter.notifyMatchFailure(
          add, "the linear already has a bias, an activation or a residual "
               "(the add would not be its bias)");
    rewriter.modifyOpInPlace(l, [&] { l.getBiasMutable().assign(bias); });
    rewriter.replaceOp(add, l.getResult());
    return success();
  }
};

struct FuseResidualAdd : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    if (add.getLhs().getType() != add.getRhs().getType() ||
        add.getType() != add.getLhs().getType())
      return rewriter.notifyMatchFailure(add, "not a same-type residual add");
    // Either operand may be the linear: x + f(x) or f(x) + x.
    for (auto [mine, other] :
         {std::pair<Value, Value>{add.getLhs(), add.getRhs()},
          {add.getRhs(), add.getLhs()}}) {
      LinearOp l = soleLinear(mine);
      if (!l || l.getResidual() || l.getNormGamma())
        continue;
      // The residual must be available where the linear is.
      if (Operation *def = other.getDefiningOp())
        if (def->getBlock() == l->getBlock() && !def->isBeforeInBlock(l))
          continue;
      Value residual = other;
      rewriter.modifyOpInPlace(l, [&] {
        l.getResidualMutable().assign(residual);
      });
      rewriter.replaceOp(add, l.getResult());
      return success();
    }
    return rewriter.notifyMatchFailure(add, "no operand is a linear used only "
                                            "here without a residual");
  }
};

/// layer_norm(linear(...)) -> linear(...) norm(gamma, beta), when the
/// target can normalise in the linear's epilogue (its description's
/// `fuse_layer_norm`). BERT's post-norm layers end this way.
struct FuseLayerNorm : OpRewritePattern<LayerNormOp> {
  FuseLayerNorm(MLIRContext *ctx, bool allowed)
      : OpRewritePattern(ctx), allowed(allowed) {}
  LogicalResult matchAndRewrite(LayerNormOp ln,
                                PatternRewriter &rewriter) const override {
    if (!allowed)
      return rewriter.notifyMatchFailure(
          ln, "the target cannot normalise in a linear's epilogue");
    LinearOp l = soleLinear(ln.getInput());
    if (l && l.getType() != ln.getType())
      return rewriter.notifyMatchFailure(ln, "types differ");
    if (!l || l.getNormGamma())
      return rewriter.notifyMatchFailure(ln, "input is not a linear used "
                                             "only here (fuse residual adds "
                                             "first)");
    Value gamma = ln.getGamma(), beta = ln.getBeta();
    for (Value v : {gamma, beta})
      if (Operation *def = v.getDefiningOp())
        if (def->getBlock() == l->getBlock() && !def->isBeforeInBlock(l))
          return rewriter.notifyMatchFailure(ln, "gamma/beta defined after "
                                                 "the linear");
    rewriter.modifyOpInPlace(l, [&] {
      l.getNormGammaMutable().assign(gamma);
      l.getNormBetaMutable().assign(beta);
      l.setNormEpsilonAttr(ln.getEpsilonAttr());
    });
    rewriter.replaceOp(ln, l.getResult());
    return success();
  }
  bool allowed;
};

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

/// matmul(q, kᵀ, scale = 1/√d) -> softmax(last axis) -> matmul(·, v) on
/// [batch, seq, d] tensors is single-head attention: one sxf.attention, so
/// the score matrix need not be materialised (off-chip) between the ops.
struct FuseAttention : OpRewritePattern<MatmulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatmulOp pv,
                                PatternRewriter &rewriter) const override {
    auto sm = pv.getLhs().getDefiningOp<SoftmaxOp>();
    if (!sm || pv.getTransposeLhs() || pv.getTransposeRhs() ||
        pv.getScale() || !pv.getLhs().hasOneUse())
      return rewriter.notifyMatchFailure(pv, "not softmax(scores) · v");
    int64_t rank = cast<RankedTensorType>(sm.getType()).getRank();
    int64_t axis = static_cast<int64_t>(sm.getAxis());
    if (axis != -1 && axis != rank - 1)
      return rewriter.notifyMatchFailure(pv, "softmax is not over the keys");
    auto qk = sm.getInput().getDefiningOp<MatmulOp>();
    if (!qk || qk.getTransposeLhs() || !qk.getTransposeRhs() ||
        !sm.getInput().hasOneUse())
      return rewriter.notifyMatchFailure(pv, "scores are not q · kᵀ");
    auto q = cast<RankedTensorType>(qk.getLhs().getType());
    auto v = cast<RankedTensorType>(pv.getRhs().getType());
    auto k = cast<RankedTensorType>(qk.getRhs().getType());
    if (q.getRank() != 3 || v.getRank() != 3 || !q.hasStaticShape() ||
        !k.hasStaticShape() || !v.hasStaticShape() || k != v ||
        q.getDimSize(2) != v.getDimSize(2) || pv.getType() != q)
      return rewriter.notifyMatchFailure(
          pv, "needs [batch, seq, d] operands with equal q and v widths");
    int64_t d = q.getDimSize(2);
    float scale = qk.getScale() ? qk.getScale()->convertToFloat() : 1.0f;
    if (std::fabs(scale * std::sqrt(float(d)) - 1.0f) > 1e-6f)
      return rewriter.notifyMatchFailure(pv, "scale is not 1/sqrt(d)");
    Value a = AttentionOp::create(
        rewriter, pv.getLoc(), pv.getType(), qk.getLhs(), qk.getRhs(),
        pv.getRhs(), rewriter.getI64IntegerAttr(1),
        rewriter.getI64IntegerAttr(d), UnitAttr(), DenseBoolArrayAttr());
    rewriter.replaceOp(pv, a);
    rewriter.eraseOp(sm);
    rewriter.eraseOp(qk);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Horizontal fusion
//===----------------------------------------------------------------------===//

/// Linears that read `input`, can be merged with `first` and are later in
/// the block than it.
struct HorizontalFusion : OpRewritePattern<LinearOp> {
  HorizontalFusion(MLIRContext *ctx, WeightStore &store,
                   const TargetDesc &target)
      : OpRewritePattern(ctx), store(store), target(target) {}

  static bool sameFormat(FormatAttr a, FormatAttr b) {
    if (!a || !b)
      return !a && !b;
    return a.getKind() == b.getKind() && a.getBlockRows() == b.getBlockRows() &&
           a.getBlockCols() == b.getBlockCols() && a.getN() == b.getN() &&
           a.getM() == b.getM() && a.getValueType() == b.getValueType();
  }

  LogicalResult matchAndRewrite(LinearOp last,
                                PatternRewriter &rewriter) const override {
    // Anchor on the last sibling so every erased op precedes the anchor.
    SmallVector<LinearOp> group;
    for (Operation *u : last.getInput().getUsers())
      if (auto l = dyn_cast<LinearOp>(u))
        if (l.getInput() == last.getInput() && l->getBlock() == last->getBlock())
          group.push_back(l);
    if (group.size() < 2)
      return rewriter.notifyMatchFailure(last, "no sibling linear");
    for (LinearOp l : group)
      if (!l.getType().hasStaticShape())
        return rewriter.notifyMatchFailure(l, "dynamic output shape");
    llvm::sort(group, [](LinearOp a, LinearOp b) {
      return a->isBeforeInBlock(b);
    });
    if (group.back() != last)
      return rewriter.notifyMatchFailure(last, "not the last sibling");
    LinearOp first = group.front();
    SmallVector<WeightOp> weights, biases;
    bool withBias = static_cast<bool>(first.getBias());
    for (LinearOp l : group) {
      auto w = l.getWeight().getDefiningOp<WeightOp>();
      if (!w || !l.getWeight().hasOneUse())
        return rewriter.notifyMatchFailure(l, "weight is not an sxf.weight "
                                              "used only here");
      if (l.getResidual() || l.getNormGamma() ||
          l.getActivationAttr() != first.getActivationAttr())
        return rewriter.notifyMatchFailure(
            l, "siblings differ in epilogue (run sxf-fuse's horizontal "
               "fusion before epilogue fusion)");
      if (static_cast<bool>(l.getBias()) != withBias)
        return rewriter.notifyMatchFailure(l, "some siblings have a bias");
      if (!sameFormat(w.getFormatAttr(),
                      group.front()
                          .getWeight()
                          .getDefiningOp<WeightOp>()
                          .getFormatAttr()))
        return rewriter.notifyMatchFailure(
            l, "sibling weights have different formats; merging would break "
               "them (run sxf-select-format with the same policy first)");
      if (store.source(w) == WeightSource::None)
        return rewriter.notifyMatchFailure(l, "weight has no values");
      weights.push_back(w);
      if (withBias) {
        auto b = l.getBias().getDefiningOp<WeightOp>();
        if (!b || !l.getBias().hasOneUse() ||
            store.source(b) == WeightSource::None)
          return rewriter.notifyMatchFailure(l, "bias is not an owned weight "
                                                "with values");
        biases.push_back(b);
      }
    }
    // Concatenate along the output features.
    std::vector<Tensor> parts;
    int64_t rows = 0, cols = -1;
    for (WeightOp w : weights) {
      FailureOr<Tensor> t = store.load(w);
      if (failed(t))
        return rewriter.notifyMatchFailure(w, "cannot load the weight");
      rows += t->shape[0];
      cols = t->shape[1];
      parts.push_back(std::move(*t));
    }
    Tensor merged({rows, cols});
    int64_t offset = 0;
    for (const Tensor &t : parts) {
      std::copy(t.data.begin(), t.data.end(), merged.data.begin() + offset);
      offset += t.numel();
    }
    // The cost model decides: the merged weight in the parts' format must
    // cost no more than the parts, and must be able to hold the data.
    FormatAttr fmt = weights.front().getFormatAttr();
    if (fmt) {
      WeightStats mergedStats = measureWeight(merged);
      std::optional<LinearCost> together =
          costLinear(mergedStats, fmt, target, 1, WeightHome::Offchip);
      if (!together)
        return rewriter.notifyMatchFailure(
            last, "the merged weight cannot be stored as " +
                      formatToString(fmt));
      double apart = 0;
      for (const Tensor &t : parts)
        if (std::optional<LinearCost> c =
                costLinear(measureWeight(t), fmt, target, 1,
                           WeightHome::Offchip))
          apart += c->seconds;
      if (together->seconds > apart * (1 + 1e-9))
        return rewriter.notifyMatchFailure(
            last, "the merged weight would cost more on " + target.name);
    }
    // Everything that can fail is read before the IR changes: a pattern
    // that has rewritten must succeed.
    Tensor b({withBias ? rows : 0});
    std::string bname;
    // The biases' values as stored (rounded to an f16/bf16 format), and
    // their common format: the merged bias computes exactly what the parts
    // did (f32 holds rounded values exactly when the formats differ).
    FormatAttr bfmt;
    if (withBias) {
      int64_t at = 0;
      bfmt = biases.front().getFormatAttr();
      for (WeightOp bw : biases)
        if (bw.getFormatAttr() != bfmt)
          bfmt = FormatAttr();
      for (WeightOp bw : biases) {
        FailureOr<Tensor> t = store.loadStored(bw);
        if (failed(t))
          return rewriter.notifyMatchFailure(bw, "cannot load the bias");
        std::copy(t->data.begin(), t->data.end(), b.data.begin() + at);
        at += t->numel();
        bname += (bname.empty() ? "" : "+") + bw.getName().str();
      }
    }
    std::string name;
    for (WeightOp w : weights)
      name += (name.empty() ? "" : "+") + w.getName().str();
    rewriter.setInsertionPoint(first);
    auto type = RankedTensorType::get({rows, cols}, rewriter.getF32Type());
    auto mw = WeightOp::create(rewriter, first.getLoc(), type, name,
                               ElementsAttr(), SparsityAttr(), fmt);
    setInlineValue(mw, merged);
    Value mb;
    if (withBias) {
      auto bop = WeightOp::create(rewriter, first.getLoc(),
                                  RankedTensorType::get({rows},
                                                        rewriter.getF32Type()),
                                  bname, ElementsAttr(), SparsityAttr(),
                                  bfmt);
      setInlineValue(bop, b);
      mb = bop;
    }
    auto outType = cast<RankedTensorType>(first.getType());
    SmallVector<int64_t> shape(outType.getShape());
    shape.back() = rows;
    Value y = LinearOp::create(
        rewriter, first.getLoc(),
        RankedTensorType::get(shape, outType.getElementType()),
        first.getInput(), mw, mb, Value(), Value(), Value(),
        first.getActivationAttr(), FloatAttr());
    SmallVector<Type> pieceTypes;
    for (LinearOp l : group)
      pieceTypes.push_back(l.getType());
    auto split = SplitOp::create(rewriter, first.getLoc(), pieceTypes, y);
    for (auto [l, piece] : llvm::zip(group, split.getResults()))
      rewriter.replaceOp(l, piece);
    for (WeightOp w : weights)
      rewriter.eraseOp(w);
    for (WeightOp b : biases)
      rewriter.eraseOp(b);
    return success();
  }

  WeightStore &store;
  const TargetDesc &target;
};

struct SxfFusePass : public sxf::impl::SxfFusePassBase<SxfFusePass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<TargetDesc> desc =
        resolveTarget(module, target, "cpu-host", "sxf-fuse");
    if (failed(desc))
      return signalPassFailure();
    WeightStore store(module);
    // Horizontal first: siblings must still have equal epilogues.
    if (horizontal) {
      RewritePatternSet patterns(&getContext());
      populateHorizontalFusionPatterns(patterns, store, *desc);
      walkAndApplyPatterns(module, std::move(patterns));
    }
    if (epilogue) {
      RewritePatternSet patterns(&getContext());
      populateEpilogueFusionPatterns(patterns, desc->fuseLayerNorm);
      walkAndApplyPatterns(module, std::move(patterns));
    }
  }
};

} // namespace

void sxf::populateEpilogueFusionPatterns(RewritePatternSet &patterns,
                                         bool fuseLayerNorm) {
  patterns.add<FuseActivation, FuseBiasAdd, FuseResidualAdd, FuseAttention>(
      patterns.getContext());
  patterns.add<FuseLayerNorm>(patterns.getContext(), fuseLayerNorm);
}

void sxf::populateHorizontalFusionPatterns(RewritePatternSet &patterns,
                                           WeightStore &store,
                                           const TargetDesc &target) {
  patterns.add<HorizontalFusion>(patterns.getContext(), store, target);
}
