//===- TrainingOpsTest.cpp - The gradient and loss ops' builders, costs ---===//
//
// What sxf-differentiate relies on: the training ops whose result types
// follow from their operands build without them (InferTypeOpInterface), and
// every training op prices itself with the formulas of its description
// (CostOpInterface).
//
//===----------------------------------------------------------------------===//

#include "sxf_test/SxfContextTest.h"
#include "sxf/InitAll.h"

#include "sxf/Dialect/Sxf/IR/Sxf.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

using namespace mlir;

namespace {

class TrainingOpsTest : public sxf::test::SxfContextTest {
protected:
  RankedTensorType f32(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, Float32Type::get(context.get()));
  }

  static double flops(Operation *op, double entries) {
    return cast<sxf::CostOpInterface>(op).getFlops(
        [&](Value) { return entries; });
  }

};

TEST_F(TrainingOpsTest, BuildWithoutResultTypesAndPriceThemselves) {
  // Two sequences of 3 tokens, hidden 8 = 2 heads of 4, FFN 12, vocab 10.
  OwningOpRef<ModuleOp> m = parse(R"mlir(
    func.func @forward(%x: tensor<2x3x8xf32>, %dh: tensor<2x3x12xf32>,
                       %logits: tensor<2x3x10xf32>, %t: tensor<2x3xi64>) {
      %w = sxf.weight "w" {format = #sxf.format<csr>} : tensor<12x8xf32>
      %g = sxf.weight "g" : tensor<8xf32>
      return
    })mlir");
  ASSERT_TRUE(m) << diagnostics;
  auto f = m->lookupSymbol<func::FuncOp>("forward");
  Value x = f.getArgument(0), dh = f.getArgument(1),
        logits = f.getArgument(2), t = f.getArgument(3);
  auto weights = llvm::to_vector(f.getOps<sxf::WeightOp>());
  ASSERT_EQ(weights.size(), 2u);
  Value w = weights[0], g = weights[1];
  OpBuilder b(f.getBody().front().getTerminator());
  Location loc = f.getLoc();

  // linear: 6 rows; dense 12·8 entries, or 20 stored ones.
  auto dx = sxf::LinearGradInputOp::create(b, loc, dh, w);
  EXPECT_EQ(dx.getType(), f32({2, 3, 8}));
  EXPECT_EQ(dx.getDenseFlops(), 2.0 * 6 * 96);
  EXPECT_EQ(flops(dx, 20), 2.0 * 6 * 20);
  auto dw = sxf::LinearGradWeightOp::create(b, loc, dh, x, w);
  EXPECT_EQ(dw.getType(), w.getType());
  EXPECT_EQ(flops(dw, 20), 2.0 * 6 * 20);
  auto db = sxf::ReduceSumOp::create(b, loc, f32({12}), dh);
  EXPECT_EQ(db.getDenseFlops(), 72.0);

  auto da = sxf::ActivationGradOp::create(b, loc, sxf::ActivationKind::gelu,
                                          dh, dh);
  EXPECT_EQ(da.getType(), dh.getType());
  EXPECT_EQ(da.getDenseFlops(), 9.0 * 72);
  auto ds = sxf::SoftmaxGradOp::create(b, loc, x, x, -1);
  EXPECT_EQ(ds.getType(), x.getType());
  EXPECT_EQ(ds.getDenseFlops(), 4.0 * 48);

  auto ln = sxf::LayerNormGradOp::create(b, loc, x, g, x,
                                         b.getF32FloatAttr(1e-5f));
  EXPECT_EQ(ln.getDx().getType(), x.getType());
  EXPECT_EQ(ln.getDgamma().getType(), g.getType());
  EXPECT_EQ(ln.getDbeta().getType(), g.getType());
  EXPECT_EQ(ln.getDenseFlops(), 16.0 * 48);
  auto rms = sxf::RmsNormGradOp::create(b, loc, x, g, x,
                                        b.getF32FloatAttr(1e-6f));
  EXPECT_EQ(rms->getNumResults(), 2u);
  EXPECT_EQ(rms.getDgamma().getType(), g.getType());

  auto att = sxf::AttentionGradOp::create(
      b, loc, x, x, x, x, b.getI64IntegerAttr(2), b.getI64IntegerAttr(4),
      b.getUnitAttr(), DenseBoolArrayAttr());
  EXPECT_EQ(att.getDq().getType(), x.getType());
  EXPECT_EQ(att.getDv().getType(), x.getType());
  // 2 batches · 2 heads · 3 queries · 3 keys = 36 scores, each
  // 10·head_dim + softmax (5) + its gradient (4).
  EXPECT_EQ(att.getDenseFlops(), 36.0 * (10 * 4 + 5 + 4));

  auto cat = sxf::ConcatOp::create(
      b, loc, ValueRange{att.getDq(), att.getDk(), att.getDv()});
  EXPECT_EQ(cat.getType(), f32({2, 3, 24}));
  EXPECT_EQ(cat.getDenseFlops(), 0.0);

  auto emb = sxf::EmbeddingGradOp::create(b, loc, f32({10, 8}), t, x);
  EXPECT_EQ(emb.getDenseFlops(), 48.0);
  auto pos = sxf::PositionGradOp::create(b, loc, f32({5, 8}), x, 2);
  EXPECT_EQ(pos.getDenseFlops(), 48.0);

  auto loss = sxf::CrossEntropyOp::create(b, loc, logits, t);
  EXPECT_EQ(loss.getType(), f32({}));
  EXPECT_EQ(loss.getDenseFlops(), 6.0 * 60);
  auto dl = sxf::CrossEntropyGradOp::create(b, loc, logits, t);
  EXPECT_EQ(dl.getType(), logits.getType());
  EXPECT_EQ(dl.getDenseFlops(), 6.0 * 60);

  EXPECT_TRUE(succeeded(mlir::verify(*m))) << diagnostics;
}

// Inference runs before the verifier: operands it cannot use are the
// verifier's located error, not a crash.
TEST_F(TrainingOpsTest, InferenceReportsBadOperands) {
  OwningOpRef<ModuleOp> m = parse(R"mlir(
    func.func @forward(%dy: tensor<2x3x8xf32>, %v: tensor<8xf32>) {
      return
    })mlir");
  ASSERT_TRUE(m) << diagnostics;
  auto f = m->lookupSymbol<func::FuncOp>("forward");
  SmallVector<Type> types;
  sxf::LinearGradInputOp::Adaptor bad(
      ValueRange{f.getArgument(0), f.getArgument(1)});
  EXPECT_TRUE(failed(sxf::LinearGradInputOp::inferReturnTypes(
      context.get(), f.getLoc(), bad, types)));
  EXPECT_NE(diagnostics.find("'sxf.linear_grad_input' op w must be rank 2 "
                             "[out, in], got shape 8"),
            std::string::npos)
      << diagnostics;
  diagnostics.clear();
  sxf::ConcatOp::Adaptor none(ValueRange{});
  EXPECT_TRUE(failed(
      sxf::ConcatOp::inferReturnTypes(context.get(), f.getLoc(), none, types)));
  EXPECT_NE(diagnostics.find("'sxf.concat' op needs at least one input"),
            std::string::npos)
      << diagnostics;
  // Without a location there is nothing to report, and no crash.
  EXPECT_TRUE(failed(sxf::ConcatOp::inferReturnTypes(
      context.get(), std::nullopt, none, types)));
}

} // namespace
