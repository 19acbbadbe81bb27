//===- ToLinalg.cpp - sxf-to-linalg: the exit to MLIR's sparsifier ---------===//
//
// y = act(x·Wᵀ + b) + residual as linalg.generic ops: the contraction reads
// W as a constant converted to a sparse_tensor encoding (CSR or BSR levels
// from the weight's #sxf.format), so `mlir-opt --sparsifier` generates the
// sparse loops.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/CheckedMath.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/Weights/WeightStore.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"

namespace sxf {
#define GEN_PASS_DEF_SXFTOLINALGPASS
#include "sxf/Dialect/Sxf/Transforms/Passes.h.inc"
} // namespace sxf

using namespace mlir;

namespace {

/// The sparse_tensor encoding of a weight's format (null: dense).
sparse_tensor::SparseTensorEncodingAttr encodingOf(MLIRContext *ctx,
                                                   sxf::FormatAttr f) {
  if (!f)
    return {};
  AffineExpr i = getAffineDimExpr(0, ctx), j = getAffineDimExpr(1, ctx);
  using LT = sparse_tensor::LevelFormat;
  auto dense = sparse_tensor::LevelType(LT::Dense);
  auto compressed = sparse_tensor::LevelType(LT::Compressed);
  if (f.getKind() == sxf::StorageKind::csr) {
    AffineMap map = AffineMap::get(2, 0, {i, j}, ctx);
    return sparse_tensor::SparseTensorEncodingAttr::get(
        ctx, {dense, compressed}, map, AffineMap(), 0, 0);
  }
  if (f.getKind() == sxf::StorageKind::bsr) {
    int64_t br = f.getBlockRows(), bc = f.getBlockCols();
    AffineMap map = AffineMap::get(
        2, 0, {i.floorDiv(br), j.floorDiv(bc), i % br, j % bc}, ctx);
    return sparse_tensor::SparseTensorEncodingAttr::get(
        ctx, {dense, compressed, dense, dense}, map, AffineMap(), 0, 0);
  }
  return {};
}

/// A 2-D elementwise linalg.generic over [T, R] applying `body` to the
/// operands (each [T, R] or a [R] row broadcast).
Value elementwise(OpBuilder &b, Location loc, ArrayRef<Value> ins, Value init,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  MLIRContext *ctx = b.getContext();
  AffineMap id = AffineMap::getMultiDimIdentityMap(2, ctx);
  SmallVector<AffineMap> maps;
  for (Value v : ins)
    maps.push_back(cast<RankedTensorType>(v.getType()).getRank() == 1
                       ? AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx)
                       : id);
  maps.push_back(id);
  SmallVector<utils::IteratorType> it(2, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, init.getType(), ins, ValueRange{init}, maps, it,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl,
                                       body(nb, nl, args.drop_back()));
             })
      .getResult(0);
}

Value activate(OpBuilder &b, Location loc, sxf::ActivationKind k, Value x) {
  Type f32 = b.getF32Type();
  auto c = [&](double v) {
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(f32, v));
  };
  switch (k) {
  case sxf::ActivationKind::none:
    return x;
  case sxf::ActivationKind::relu:
    return arith::MaximumFOp::create(b, loc, x, c(0.0));
  case sxf::ActivationKind::gelu: {
    Value e = math::ErfOp::create(
        b, loc, arith::MulFOp::create(b, loc, x, c(0.7071067811865476)));
    Value h = arith::MulFOp::create(b, loc, x, c(0.5));
    return arith::MulFOp::create(b, loc, h,
                                 arith::AddFOp::create(b, loc, e, c(1.0)));
  }
  case sxf::ActivationKind::gelu_tanh: {
    Value x3 = arith::MulFOp::create(
        b, loc, x, arith::MulFOp::create(b, loc, x, x));
    Value in = arith::MulFOp::create(
        b, loc, c(0.7978845608028654),
        arith::AddFOp::create(b, loc, x,
                              arith::MulFOp::create(b, loc, c(0.044715), x3)));
    Value t = math::TanhOp::create(b, loc, in);
    return arith::MulFOp::create(
        b, loc, arith::MulFOp::create(b, loc, x, c(0.5)),
        arith::AddFOp::create(b, loc, t, c(1.0)));
  }
  case sxf::ActivationKind::silu: {
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
    return arith::DivFOp::create(b, loc, x,
                                 arith::AddFOp::create(b, loc, e, c(1.0)));
  }
  }
  return x;
}

struct SxfToLinalgPass
    : public sxf::impl::SxfToLinalgPassBase<SxfToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    sxf::WeightStore store(module);
    SmallVector<sxf::LinearOp> linears;
    module.walk([&](sxf::LinearOp l) { linears.push_back(l); });
    for (sxf::LinearOp l : linears)
      if (failed(lower(l, store)))
        return signalPassFailure();
    // Weights nothing uses any more.
    SmallVector<sxf::WeightOp> dead;
    module.walk([&](sxf::WeightOp w) {
      if (w->use_empty())
        dead.push_back(w);
    });
    for (sxf::WeightOp w : dead)
      w.erase();
  }

  LogicalResult lower(sxf::LinearOp l, sxf::WeightStore &store) {
    if (l.getNormGamma()) {
      l.emitRemark("sxf-to-linalg: a linear with a layer-norm epilogue is "
                   "left in sxf");
      return success();
    }
    auto w = l.getWeight().getDefiningOp<sxf::WeightOp>();
    if (!w)
      return l.emitError("sxf-to-linalg: the weight must be an sxf.weight");
    auto xt = cast<RankedTensorType>(l.getInput().getType());
    auto yt = cast<RankedTensorType>(l.getResult().getType());
    auto wt = cast<RankedTensorType>(w.getType());
    if (!xt.hasStaticShape() || !xt.getElementType().isF32() ||
        !yt.getElementType().isF32())
      return l.emitError("sxf-to-linalg: needs static f32 activations");
    FailureOr<sxf::Tensor> values = store.loadStored(w);
    if (failed(values))
      return failure();
    MLIRContext *ctx = l.getContext();
    OpBuilder b(l);
    Location loc = l.getLoc();
    int64_t C = xt.getDimSize(xt.getRank() - 1), R = wt.getDimSize(0);
    // The leading extents' product, without dividing by C (0 for an empty
    // input feature dimension).
    int64_t T = sxf::checkedElements(xt.getShape().drop_back()).value_or(0);
    Type f32 = b.getF32Type();
    // Activations as [T, features]: the leading dimensions collapse into
    // T, or a vector (rank 1) gains a leading 1; `fromRows` undoes it.
    SmallVector<ReassociationIndices> collapse;
    if (xt.getRank() == 1) {
      collapse = {{0, 1}};
    } else if (xt.getRank() != 2) {
      ReassociationIndices lead;
      for (int64_t k = 0; k + 1 < xt.getRank(); ++k)
        lead.push_back(k);
      collapse = {lead, {xt.getRank() - 1}};
    }
    auto toRows = [&](Value v, int64_t n) -> Value {
      auto type = RankedTensorType::get({T, n}, f32);
      if (xt.getRank() == 1)
        return tensor::ExpandShapeOp::create(b, loc, type, v, collapse);
      if (xt.getRank() != 2)
        return tensor::CollapseShapeOp::create(b, loc, type, v, collapse);
      return v;
    };
    auto fromRows = [&](Value v) -> Value {
      if (xt.getRank() == 1)
        return tensor::CollapseShapeOp::create(b, loc, yt, v, collapse);
      if (xt.getRank() != 2)
        return tensor::ExpandShapeOp::create(b, loc, yt, v, collapse);
      return v;
    };
    Value x = toRows(l.getInput(), C);
    // The weight: a constant, converted to its sparse encoding.
    auto denseType = RankedTensorType::get({R, C}, f32);
    Value wv = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(denseType, ArrayRef<float>(values->data)));
    if (auto enc = encodingOf(ctx, w.getFormatAttr()))
      wv = sparse_tensor::ConvertOp::create(
          b, loc, RankedTensorType::get({R, C}, f32, enc), wv);
    // y = x · Wᵀ.
    auto yType = RankedTensorType::get({T, R}, f32);
    Value zero = arith::ConstantOp::create(b, loc, b.getFloatAttr(f32, 0.0));
    Value init = linalg::FillOp::create(
                     b, loc, zero,
                     ValueRange{tensor::EmptyOp::create(b, loc, yType.getShape(),
                                                        f32)})
                     .getResult(0);
    AffineExpr t = getAffineDimExpr(0, ctx), r = getAffineDimExpr(1, ctx),
               c = getAffineDimExpr(2, ctx);
    SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {t, c}, ctx),
                                   AffineMap::get(3, 0, {r, c}, ctx),
                                   AffineMap::get(3, 0, {t, r}, ctx)};
    SmallVector<utils::IteratorType> it = {utils::IteratorType::parallel,
                                           utils::IteratorType::parallel,
                                           utils::IteratorType::reduction};
    Value y = linalg::GenericOp::create(
                  b, loc, yType, ValueRange{x, wv}, ValueRange{init}, maps, it,
                  [&](OpBuilder &nb, Location nl, ValueRange a) {
                    Value m = arith::MulFOp::create(nb, nl, a[0], a[1]);
                    linalg::YieldOp::create(
                        nb, nl,
                        ValueRange{arith::AddFOp::create(nb, nl, a[2], m)});
                  })
                  .getResult(0);
    // Epilogues.
    SmallVector<Value> extra;
    if (Value bias = l.getBias()) {
      auto bw = bias.getDefiningOp<sxf::WeightOp>();
      if (!bw)
        return l.emitError("sxf-to-linalg: the bias must be an sxf.weight");
      FailureOr<sxf::Tensor> bv = store.loadStored(bw);
      if (failed(bv))
        return failure();
      extra.push_back(arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(RankedTensorType::get({R}, f32),
                                 ArrayRef<float>(bv->data))));
    }
    sxf::ActivationKind act =
        l.getActivation() ? *l.getActivation() : sxf::ActivationKind::none;
    if (!extra.empty() || act != sxf::ActivationKind::none) {
      SmallVector<Value> ins = {y};
      ins.append(extra);
      bool hasBias = !extra.empty();
      y = elementwise(b, loc, ins, y,
                      [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                        Value v = a[0];
                        if (hasBias)
                          v = arith::AddFOp::create(nb, nl, v, a[1]);
                        return activate(nb, nl, act, v);
                      });
    }
    if (Value res = l.getResidual()) {
      res = toRows(res, R);
      y = elementwise(b, loc, {y, res}, y,
                      [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                        return arith::AddFOp::create(nb, nl, a[0], a[1]);
                      });
    }
    y = fromRows(y);
    l.getResult().replaceAllUsesWith(y);
    l.erase();
    return success();
  }
};

} // namespace
