//===- InterpreterTest.cpp - Tests of the reference interpreter -*- C++ -*-===//

#include "sxf_test/SxfContextTest.h"
#include "sxf/Interpreter/Interpreter.h"
#include "sxf/InitAll.h"
#include "sxf/ModelGen/ModelGen.h"

#include "sxf/Dialect/Sxf/IR/Sxf.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mlir;

namespace {

class InterpreterTest : public sxf::test::SxfContextTest {};

sxf::HostValue floats(std::vector<int64_t> shape, std::vector<float> data) {
  sxf::Tensor t(std::move(shape));
  t.data = std::move(data);
  return sxf::HostValue::floats(std::move(t));
}

// A 2x3 linear with inline weights and relu, computed by hand:
// x = [[1, 2, 3]], W = [[1, 0, -1], [0.5, 0.5, 0.5]], b = [0.5, -4]
// x·Wᵀ = [1 - 3, 0.5 + 1 + 1.5] = [-2, 3]; + b = [-1.5, -1]; relu = [0, 0]...
// use b = [0.5, 1] instead: [-1.5, 4] -> relu [0, 4].
TEST_F(InterpreterTest, LinearWithInlineWeights) {
  OwningOpRef<ModuleOp> m = parse(R"mlir(
    func.func @forward(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
      %w = sxf.weight "w" {value = dense<[[1.0, 0.0, -1.0], [0.5, 0.5, 0.5]]> : tensor<2x3xf32>} : tensor<2x3xf32>
      %b = sxf.weight "b" {value = dense<[0.5, 1.0]> : tensor<2xf32>} : tensor<2xf32>
      %y = sxf.linear %x, %w, %b activation relu : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
      return %y : tensor<1x2xf32>
    })mlir");
  ASSERT_TRUE(m) << diagnostics;
  sxf::Interpreter interp(*m);
  FailureOr<func::FuncOp> f = interp.entry("");
  ASSERT_TRUE(succeeded(f));
  FailureOr<std::vector<sxf::HostValue>> out =
      interp.run(*f, {floats({1, 3}, {1, 2, 3})});
  ASSERT_TRUE(succeeded(out)) << diagnostics;
  ASSERT_EQ(out->size(), 1u);
  EXPECT_EQ((*out)[0].f.shape, (std::vector<int64_t>{1, 2}));
  EXPECT_FLOAT_EQ((*out)[0].f.data[0], 0.0f);
  EXPECT_FLOAT_EQ((*out)[0].f.data[1], 4.0f);
}

TEST_F(InterpreterTest, MetadataOnlyWeightIsAnError) {
  OwningOpRef<ModuleOp> m = parse(R"mlir(
    func.func @forward(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
      %w = sxf.weight "w" : tensor<2x3xf32>
      %y = sxf.linear %x, %w : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<1x2xf32>
      return %y : tensor<1x2xf32>
    })mlir");
  ASSERT_TRUE(m);
  sxf::Interpreter interp(*m);
  FailureOr<func::FuncOp> f = interp.entry("");
  ASSERT_TRUE(succeeded(f));
  EXPECT_TRUE(failed(interp.run(*f, {floats({1, 3}, {1, 2, 3})})));
  EXPECT_NE(diagnostics.find("weight 'w' has no values"), std::string::npos)
      << diagnostics;
}

TEST_F(InterpreterTest, WrongInputShapeIsAnError) {
  OwningOpRef<ModuleOp> m = parse(R"mlir(
    func.func @forward(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
      return %x : tensor<1x3xf32>
    })mlir");
  ASSERT_TRUE(m);
  sxf::Interpreter interp(*m);
  FailureOr<func::FuncOp> f = interp.entry("");
  ASSERT_TRUE(succeeded(f));
  EXPECT_TRUE(failed(interp.run(*f, {floats({1, 4}, {1, 2, 3, 4})})));
  EXPECT_NE(diagnostics.find("input #0 has shape 1x4"), std::string::npos)
      << diagnostics;
}

TEST_F(InterpreterTest, TokenIdOutOfRangeIsAnError) {
  OwningOpRef<ModuleOp> m = parse(R"mlir(
    func.func @forward(%ids: tensor<1x2xi32>) -> tensor<1x2x2xf32> {
      %t = sxf.weight "t" {value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
      %e = sxf.embedding %ids, %t : (tensor<1x2xi32>, tensor<2x2xf32>) -> tensor<1x2x2xf32>
      return %e : tensor<1x2x2xf32>
    })mlir");
  ASSERT_TRUE(m);
  sxf::Interpreter interp(*m);
  FailureOr<func::FuncOp> f = interp.entry("");
  sxf::IntTensor ids;
  ids.shape = {1, 2};
  ids.data = {1, 7};
  EXPECT_TRUE(failed(interp.run(*f, {sxf::HostValue::ints(ids)})));
  EXPECT_NE(diagnostics.find("7"), std::string::npos) << diagnostics;
}

TEST_F(InterpreterTest, BoundWeightsAreReadAndChangedInPlace) {
  // A metadata-only weight runs once values are bound; changing them in
  // place changes the next run; values of the wrong shape are refused at
  // the sxf.weight.
  OwningOpRef<ModuleOp> m = parse(R"mlir(
    func.func @forward(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
      %w = sxf.weight "w" : tensor<2x3xf32>
      %y = sxf.linear %x, %w : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<1x2xf32>
      return %y : tensor<1x2xf32>
    })mlir");
  ASSERT_TRUE(m);
  sxf::Interpreter interp(*m);
  FailureOr<func::FuncOp> f = interp.entry("");
  ASSERT_TRUE(succeeded(f));
  sxf::Tensor w({2, 3});
  w.data = {1, 0, 0, 0, 0, 1};
  sxf::Tensor &bound = interp.bindWeight("w", w);
  FailureOr<std::vector<sxf::HostValue>> out =
      interp.run(*f, {floats({1, 3}, {1, 2, 3})});
  ASSERT_TRUE(succeeded(out)) << diagnostics;
  EXPECT_EQ((*out)[0].f.data, (std::vector<float>{1, 3}));
  bound.data[1] = 1; // w[0] = [1, 1, 0]
  out = interp.run(*f, {floats({1, 3}, {1, 2, 3})});
  ASSERT_TRUE(succeeded(out)) << diagnostics;
  EXPECT_EQ((*out)[0].f.data, (std::vector<float>{3, 3}));

  interp.bindWeight("w", sxf::Tensor({3, 2}));
  EXPECT_TRUE(failed(interp.run(*f, {floats({1, 3}, {1, 2, 3})})));
  EXPECT_NE(diagnostics.find("the values given for weight 'w' have shape "
                             "3x2, the weight is 'tensor<2x3xf32>'"),
            std::string::npos)
      << diagnostics;
}

/// Records the order in which weights become final and what the cache
/// holds at that moment.
struct DoneRecorder : sxf::LinearObserver {
  explicit DoneRecorder(sxf::Interpreter &interp) : interp(interp) {}
  LogicalResult beforeLinear(sxf::LinearOp, ArrayRef<const sxf::Tensor *>,
                             sxf::Tensor &) override {
    return success();
  }
  LogicalResult weightDone(sxf::WeightOp op, sxf::Tensor &w) override {
    std::string names;
    for (auto &[name, v] : interp.loadedWeights())
      names += name + ",";
    events.push_back(op.getName().str() + "[" + std::to_string(w.numel()) +
                     "] cached:" + names);
    return success();
  }
  sxf::Interpreter &interp;
  std::vector<std::string> events;
};

// Tests that with setReleaseWeights each weight leaves the cache after the
// last op that uses it (w1 after the first linear, w2 after the second, the
// shared w3 only after its second use), that weightDone sees each weight
// once with its values just before that, and that a weight reaching the
// return stays cached.
TEST_F(InterpreterTest, ReleaseWeightsAfterLastUse) {
  OwningOpRef<ModuleOp> m = parse(R"mlir(
    func.func @forward(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<2xf32>) {
      %w1 = sxf.weight "w1" {value = dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
      %w3 = sxf.weight "w3" {value = dense<[[2.0, 0.0], [0.0, 2.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
      %y1 = sxf.linear %x, %w1 : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
      %y2 = sxf.linear %y1, %w3 : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
      %w2 = sxf.weight "w2" {value = dense<[[1.0, 1.0], [1.0, 1.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
      %y3 = sxf.linear %y2, %w2 : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
      %y4 = sxf.linear %y3, %w3 : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
      %b = sxf.weight "b" {value = dense<[1.0, 2.0]> : tensor<2xf32>} : tensor<2xf32>
      return %y4, %b : tensor<1x2xf32>, tensor<2xf32>
    })mlir");
  ASSERT_TRUE(m) << diagnostics;
  sxf::Interpreter interp(*m);
  FailureOr<func::FuncOp> f = interp.entry("");
  ASSERT_TRUE(succeeded(f));
  DoneRecorder rec(interp);
  interp.setReleaseWeights(true);
  auto out = interp.runBatch(*f, {{floats({1, 2}, {1, 2})},
                                  {floats({1, 2}, {3, 4})}},
                             &rec);
  ASSERT_TRUE(succeeded(out)) << diagnostics;
  EXPECT_EQ(rec.events,
            (std::vector<std::string>{"w1[4] cached:w1,w3,",
                                      "w2[4] cached:w2,w3,",
                                      "w3[4] cached:w3,"}));
  // Only the returned weight is left; the results are as without release:
  // x = [1, 2] -> [1, 2] -> [2, 4] -> [6, 6] -> [12, 12]; [3, 4] -> [28, 28].
  ASSERT_EQ(interp.loadedWeights().size(), 1u);
  EXPECT_EQ(interp.loadedWeights().begin()->first, "b");
  EXPECT_FLOAT_EQ((*out)[0][0].f.data[0], 12.0f);
  EXPECT_FLOAT_EQ((*out)[1][0].f.data[1], 28.0f);

  // Without release every weight stays, and weightDone is still called.
  sxf::Interpreter keep(*m);
  DoneRecorder rec2(keep);
  ASSERT_TRUE(succeeded(keep.runBatch(*f, {{floats({1, 2}, {1, 2})}}, &rec2)));
  EXPECT_EQ(rec2.events.size(), 3u);
  EXPECT_EQ(keep.loadedWeights().size(), 4u);
}

/// Runs a generated model in composite and in primitive form and compares.
void expectCompositeMatchesPrimitive(MLIRContext *ctx,
                                     const sxf::ModelConfig &config) {
  sxf::GenOptions composite, primitive;
  composite.seed = primitive.seed = 7;
  primitive.composite = false;
  auto a = sxf::generateModel(ctx, config, composite);
  auto b = sxf::generateModel(ctx, config, primitive);
  ASSERT_TRUE(bool(a) && bool(b));
  sxf::Interpreter ia(**a), ib(**b);
  FailureOr<func::FuncOp> fa = ia.entry(""), fb = ib.entry("");
  ASSERT_TRUE(succeeded(fa) && succeeded(fb));
  auto inputs = ia.randomInputs(*fa, 3);
  ASSERT_TRUE(succeeded(inputs));
  auto ra = ia.run(*fa, *inputs), rb = ib.run(*fb, *inputs);
  ASSERT_TRUE(succeeded(ra) && succeeded(rb));
  const sxf::Tensor &x = (*ra)[0].f, &y = (*rb)[0].f;
  ASSERT_EQ(x.shape, y.shape);
  for (int64_t i = 0; i < x.numel(); ++i)
    ASSERT_NEAR(x.data[i], y.data[i], 1e-5 * std::max(1.0f, std::fabs(y.data[i])))
        << "element " << i;
}

TEST_F(InterpreterTest, DecoderLayerMatchesDecompositionOnOddSizes) {
  sxf::ModelConfig c;
  c.arch = sxf::Arch::Gpt;
  c.layers = 2, c.hidden = 30, c.heads = 3, c.ffn = 37, c.seq = 7,
  c.vocab = 23, c.batch = 2;
  expectCompositeMatchesPrimitive(context.get(), c);
}

TEST_F(InterpreterTest, EncoderLayerMatchesDecompositionOnOddSizes) {
  sxf::ModelConfig c;
  c.arch = sxf::Arch::Bert;
  c.layers = 3, c.hidden = 20, c.heads = 5, c.ffn = 13, c.seq = 5,
  c.vocab = 11, c.batch = 3;
  expectCompositeMatchesPrimitive(context.get(), c);
}

// Ops whose result type follows from their operands build without one
// (InferTypeOpInterface), and each prices itself (CostOpInterface).
TEST_F(InterpreterTest, OpsInferResultTypesAndPriceThemselves) {
  OwningOpRef<ModuleOp> m = parse(R"mlir(
    func.func @forward(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
      %w = sxf.weight "w" : tensor<3x4xf32>
      %g = sxf.weight "g" : tensor<3xf32>
      return %x : tensor<2x4xf32>
    })mlir");
  ASSERT_TRUE(m) << diagnostics;
  auto f = m->lookupSymbol<func::FuncOp>("forward");
  Value x = f.getArgument(0);
  auto weights = llvm::to_vector(f.getOps<sxf::WeightOp>());
  ASSERT_EQ(weights.size(), 2u);
  OpBuilder b(f.getBody().front().getTerminator());
  Location loc = f.getLoc();
  auto lin = sxf::LinearOp::create(
      b, loc, x, weights[0], Value(), Value(), Value(), Value(),
      sxf::ActivationKindAttr::get(context.get(), sxf::ActivationKind::gelu),
      FloatAttr());
  EXPECT_EQ(lin.getType(), RankedTensorType::get({2, 3}, b.getF32Type()));
  auto norm = sxf::RmsNormOp::create(b, loc, lin, weights[1],
                                     b.getF32FloatAttr(1e-6f));
  auto add = sxf::AddOp::create(b, loc, norm, norm);
  auto act = sxf::ActivationOp::create(b, loc, sxf::ActivationKind::silu, add);
  EXPECT_EQ(act.getType(), lin.getType());
  EXPECT_TRUE(succeeded(mlir::verify(*m))) << diagnostics;
  // 2·2·12 for the product, 8 per output element for gelu.
  EXPECT_EQ(lin.getDenseFlops(), 48.0 + 8.0 * 6);
  EXPECT_EQ(cast<sxf::CostOpInterface>(add.getOperation()).getDenseFlops(), 6.0);
  // A weight stored sparse multiplies only its nonzeros.
  EXPECT_EQ(lin.getFlops([](Value) { return 5.0; }), 2.0 * 2 * 5 + 8.0 * 6);
}

} // namespace
