//===- Decompose.cpp - Expand composite layers into primitives -*- C++ -*-===//
//
// sxf.encoder_layer (BERT, post-norm) and sxf.decoder_layer (GPT-2, pre-norm,
// causal) are defined as compositions of primitive ops; these patterns spell
// the definitions out. The reference interpreter executes both forms, and a
// lit test checks that it gives the same outputs before and after.
//
//===----------------------------------------------------------------------===//

#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace sxf {
#define GEN_PASS_DEF_SXFDECOMPOSEPASS
#include "sxf/Dialect/Sxf/Transforms/Passes.h.inc"
} // namespace sxf

using namespace mlir;
using namespace sxf;

namespace {

/// Emits the primitive ops of one layer; holds the common operands.
class LayerBuilder {
public:
  LayerBuilder(PatternRewriter &rewriter, Location loc, Value input)
      : rewriter(rewriter), loc(loc),
        type(cast<RankedTensorType>(input.getType())) {}

  /// Same leading dims as the layer input, last dim `features`.
  RankedTensorType withLastDim(int64_t features) const {
    SmallVector<int64_t> shape(type.getShape());
    shape.back() = features;
    return RankedTensorType::get(shape, type.getElementType());
  }

  Value linear(Value x, Value w, Value b,
               ActivationKind act = ActivationKind::none) {
    int64_t out = cast<RankedTensorType>(w.getType()).getDimSize(0);
    ActivationKindAttr actAttr =
        act == ActivationKind::none
            ? ActivationKindAttr()
            : ActivationKindAttr::get(rewriter.getContext(), act);
    return LinearOp::create(rewriter, loc, withLastDim(out), x, w, b, Value(),
                            Value(), Value(), actAttr, FloatAttr());
  }

  Value layerNorm(Value x, Value g, Value b, FloatAttr eps) {
    return LayerNormOp::create(rewriter, loc, x.getType(), x, g, b, eps);
  }

  Value add(Value a, Value b) {
    return AddOp::create(rewriter, loc, a.getType(), a, b);
  }

  Value attention(Value x, Value wq, Value bq, Value wk, Value bk, Value wv,
                  Value bv, Value wo, Value bo, int64_t heads, bool causal) {
    Value q = linear(x, wq, bq), k = linear(x, wk, bk), v = linear(x, wv, bv);
    int64_t hidden = type.getDimSize(2);
    Value a = AttentionOp::create(
        rewriter, loc, q.getType(), q, k, v,
        rewriter.getI64IntegerAttr(heads),
        rewriter.getI64IntegerAttr(hidden / heads),
        causal ? rewriter.getUnitAttr() : UnitAttr(), DenseBoolArrayAttr());
    return linear(a, wo, bo);
  }

private:
  PatternRewriter &rewriter;
  Location loc;
  RankedTensorType type;
};

struct DecomposeEncoderLayer : OpRewritePattern<EncoderLayerOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(EncoderLayerOp op,
                                PatternRewriter &rewriter) const override {
    if (ShapedType::isDynamic(op.getInput().getType().getDimSize(2)))
      return rewriter.notifyMatchFailure(op, "hidden size must be static");
    if (op.getType() != op.getInput().getType())
      return rewriter.notifyMatchFailure(op, "result type differs from the "
                                             "input type");
    LayerBuilder b(rewriter, op.getLoc(), op.getInput());
    Value x = op.getInput();
    Value attn = b.attention(x, op.getWq(), op.getBq(), op.getWk(), op.getBk(),
                             op.getWv(), op.getBv(), op.getWo(), op.getBo(),
                             op.getHeads(), /*causal=*/false);
    Value h = b.layerNorm(b.add(x, attn), op.getLn1Gamma(), op.getLn1Beta(),
                          op.getEpsilonAttr());
    Value f = b.linear(b.linear(h, op.getW1(), op.getB1(), op.getActivation()),
                       op.getW2(), op.getB2());
    Value out = b.layerNorm(b.add(h, f), op.getLn2Gamma(), op.getLn2Beta(),
                            op.getEpsilonAttr());
    rewriter.replaceOp(op, out);
    return success();
  }
};

struct DecomposeDecoderLayer : OpRewritePattern<DecoderLayerOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DecoderLayerOp op,
                                PatternRewriter &rewriter) const override {
    if (ShapedType::isDynamic(op.getInput().getType().getDimSize(2)))
      return rewriter.notifyMatchFailure(op, "hidden size must be static");
    if (op.getType() != op.getInput().getType())
      return rewriter.notifyMatchFailure(op, "result type differs from the "
                                             "input type");
    LayerBuilder b(rewriter, op.getLoc(), op.getInput());
    Value x = op.getInput();
    Value a = b.layerNorm(x, op.getLn1Gamma(), op.getLn1Beta(),
                          op.getEpsilonAttr());
    Value attn = b.attention(a, op.getWq(), op.getBq(), op.getWk(), op.getBk(),
                             op.getWv(), op.getBv(), op.getWo(), op.getBo(),
                             op.getHeads(), /*causal=*/true);
    Value h = b.add(x, attn);
    Value n = b.layerNorm(h, op.getLn2Gamma(), op.getLn2Beta(),
                          op.getEpsilonAttr());
    Value f = b.linear(b.linear(n, op.getW1(), op.getB1(), op.getActivation()),
                       op.getW2(), op.getB2());
    rewriter.replaceOp(op, b.add(h, f));
    return success();
  }
};

struct SxfDecomposePass
    : public sxf::impl::SxfDecomposePassBase<SxfDecomposePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateDecomposeLayerPatterns(patterns);
    // The walk driver rewrites each layer once and, unlike the greedy driver,
    // leaves unused weights alone (they are still part of the model).
    walkAndApplyPatterns(getOperation(), std::move(patterns));
    // Composite layers that could not be expanded are an error: later passes
    // rely on seeing every weight use.
    WalkResult result = getOperation().walk([](Operation *op) {
      if (isa<EncoderLayerOp, DecoderLayerOp>(op)) {
        op->emitError("could not be decomposed (the hidden size must be "
                      "static and the result type equal to the input "
                      "type)");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace

void sxf::populateDecomposeLayerPatterns(RewritePatternSet &patterns) {
  patterns.add<DecomposeEncoderLayer, DecomposeDecoderLayer>(
      patterns.getContext());
}
