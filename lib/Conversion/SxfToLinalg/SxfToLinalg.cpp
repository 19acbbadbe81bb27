//===- SxfToLinalg.cpp - sxf-to-linalg: the exit to MLIR's sparsifier -----===//
//
// Conversion patterns from every sxf op to linalg on tensors (plus tensor,
// arith and math), with the weights of sxf.linear converted to the
// sparse_tensor encoding of their #sxf.format, so that `mlir-opt
// --sparsifier` generates the sparse loops. The pass is the driver:
// sxf-decompose's patterns for the composite layers, a check that names
// every op it cannot convert, then applyPartialConversion with sxf illegal.
//
// Each pattern computes what the reference interpreter's kernel computes
// (lib/Interpreter/Kernels.cpp), in f32 rather than double.
//
//===----------------------------------------------------------------------===//

#include "sxf/Conversion/SxfToLinalg/SxfToLinalg.h"

#include "sxf/Conversion/Passes.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/Support/CheckedMath.h"
#include "sxf/Support/Tensor.h"
#include "sxf/Weights/WeightStore.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

#include <limits>
#include <memory>

namespace sxf {
#define GEN_PASS_DEF_SXFTOLINALGPASS
#include "sxf/Conversion/Passes.h.inc"
} // namespace sxf

using namespace mlir;

//===----------------------------------------------------------------------===//
// Type converter and target
//===----------------------------------------------------------------------===//

sxf::SxfToLinalgTypeConverter::SxfToLinalgTypeConverter() {
  addConversion([](Type t) { return t; });
  addConversion([](RankedTensorType t) -> std::optional<Type> {
    Type e = t.getElementType();
    if (t.hasStaticShape() &&
        (e.isF32() || e.isSignlessInteger(32) || e.isSignlessInteger(64)))
      return t;
    return Type(); // no conversion: ops carrying it stay illegal
  });
}

void sxf::configureSxfToLinalgTarget(ConversionTarget &target) {
  target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect,
                         arith::ArithDialect, math::MathDialect,
                         sparse_tensor::SparseTensorDialect,
                         func::FuncDialect>();
  target.addLegalOp<ModuleOp>();
  target.addIllegalDialect<sxf::SxfDialect>();
}

namespace {

//===----------------------------------------------------------------------===//
// Building blocks: maps, constants and generics
//===----------------------------------------------------------------------===//

using Body = function_ref<Value(OpBuilder &, Location, ValueRange)>;

Value f32Const(OpBuilder &b, Location loc, double v) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(b.getF32Type(), v));
}

Value indexConst(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

RankedTensorType f32Tensor(ArrayRef<int64_t> shape, MLIRContext *ctx) {
  return RankedTensorType::get(shape, Float32Type::get(ctx));
}

/// A tensor of `shape` filled with `v`.
Value filled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, double v) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, b.getF32Type());
  return linalg::FillOp::create(b, loc, f32Const(b, loc, v), ValueRange{empty})
      .getResult(0);
}

Value empty(OpBuilder &b, Location loc, ArrayRef<int64_t> shape) {
  return tensor::EmptyOp::create(b, loc, shape, b.getF32Type());
}

/// (d0, ..., dn-1) -> (d[n-r], ..., d[n-1]): an operand whose shape is a
/// suffix of the iteration space, broadcast over the leading dims.
AffineMap suffixMap(unsigned n, unsigned r, MLIRContext *ctx) {
  SmallVector<AffineExpr> e;
  for (unsigned k = n - r; k < n; ++k)
    e.push_back(getAffineDimExpr(k, ctx));
  return AffineMap::get(n, 0, e, ctx);
}

/// (d0, ..., dn-1) -> the dims but `skip`.
AffineMap dropDimMap(unsigned n, unsigned skip, MLIRContext *ctx) {
  SmallVector<AffineExpr> e;
  for (unsigned k = 0; k < n; ++k)
    if (k != skip)
      e.push_back(getAffineDimExpr(k, ctx));
  return AffineMap::get(n, 0, e, ctx);
}

AffineMap dimsMap(unsigned n, ArrayRef<unsigned> dims, MLIRContext *ctx) {
  SmallVector<AffineExpr> e;
  for (unsigned d : dims)
    e.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(n, 0, e, ctx);
}

/// A linalg.generic with one result, yielding body(inputs..., acc).
Value generic(OpBuilder &b, Location loc, ValueRange ins, Value init,
              ArrayRef<AffineMap> maps, ArrayRef<utils::IteratorType> it,
              Body body) {
  return linalg::GenericOp::create(
             b, loc, init.getType(), ins, ValueRange{init}, maps, it,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, body(nb, nl, args));
             })
      .getResult(0);
}

/// An elementwise generic over `init`'s shape applying `body` to the
/// operands (each of `init`'s shape or a suffix of it, broadcast); the body
/// does not see the accumulator.
Value elementwise(OpBuilder &b, Location loc, ValueRange ins, Value init,
                  Body body) {
  MLIRContext *ctx = b.getContext();
  unsigned n = cast<RankedTensorType>(init.getType()).getRank();
  SmallVector<AffineMap> maps;
  for (Value v : ins)
    maps.push_back(
        suffixMap(n, cast<RankedTensorType>(v.getType()).getRank(), ctx));
  maps.push_back(AffineMap::getMultiDimIdentityMap(n, ctx));
  SmallVector<utils::IteratorType> it(n, utils::IteratorType::parallel);
  return generic(b, loc, ins, init, maps, it,
                 [&](OpBuilder &nb, Location nl, ValueRange a) {
                   return body(nb, nl, a.drop_back());
                 });
}

/// Reduces `x` (rank n) over `axis`: acc = body(x-and-extra..., acc) with
/// the accumulator starting at `initValue`. `extra` operands have x's shape
/// without `axis` (read at the reduced position).
Value reduceAxis(OpBuilder &b, Location loc, Value x, unsigned axis,
                 ValueRange extra, double initValue, Body body) {
  MLIRContext *ctx = b.getContext();
  auto xt = cast<RankedTensorType>(x.getType());
  unsigned n = xt.getRank();
  SmallVector<int64_t> shape;
  for (unsigned k = 0; k < n; ++k)
    if (k != axis)
      shape.push_back(xt.getDimSize(k));
  Value init = filled(b, loc, shape, initValue);
  SmallVector<Value> ins = {x};
  ins.append(extra.begin(), extra.end());
  SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(n, ctx)};
  for (size_t k = 0; k < extra.size() + 1; ++k)
    maps.push_back(dropDimMap(n, axis, ctx));
  SmallVector<utils::IteratorType> it(n, utils::IteratorType::parallel);
  it[axis] = utils::IteratorType::reduction;
  return generic(b, loc, ins, init, maps, it, body);
}

Value activate(OpBuilder &b, Location loc, sxf::ActivationKind k, Value x) {
  auto c = [&](double v) { return f32Const(b, loc, v); };
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

/// Layer normalisation of `x` over its last dim (biased variance), as the
/// interpreter's layerNorm: (x − μ) / √(σ² + eps) · gamma + beta. `beta`
/// may be null; with `rms`, x / √(mean(x²) + eps) · gamma (no beta).
Value normalise(OpBuilder &b, Location loc, Value x, Value gamma, Value beta,
                double eps, bool rms) {
  MLIRContext *ctx = b.getContext();
  auto xt = cast<RankedTensorType>(x.getType());
  unsigned n = xt.getRank();
  double h = static_cast<double>(xt.getDimSize(n - 1));
  auto add = [](OpBuilder &nb, Location nl, Value a, Value c) -> Value {
    return arith::AddFOp::create(nb, nl, a, c);
  };
  // rms: Σ x²; layer norm: Σ x, then Σ (x − μ)².
  Value sum, sumSq;
  if (rms) {
    sumSq = reduceAxis(b, loc, x, n - 1, {}, 0.0,
                       [&](OpBuilder &nb, Location nl, ValueRange a) {
                         return add(nb, nl, a[1],
                                    arith::MulFOp::create(nb, nl, a[0], a[0]));
                       });
  } else {
    sum = reduceAxis(b, loc, x, n - 1, {}, 0.0,
                     [&](OpBuilder &nb, Location nl, ValueRange a) {
                       return add(nb, nl, a[1], a[0]);
                     });
    sumSq = reduceAxis(
        b, loc, x, n - 1, {sum}, 0.0,
        [&](OpBuilder &nb, Location nl, ValueRange a) {
          Value mean = arith::DivFOp::create(nb, nl, a[1], f32Const(nb, nl, h));
          Value d = arith::SubFOp::create(nb, nl, a[0], mean);
          return add(nb, nl, a[2], arith::MulFOp::create(nb, nl, d, d));
        });
  }
  SmallVector<Value> ins = {x};
  SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(n, ctx)};
  if (sum) {
    ins.push_back(sum);
    maps.push_back(dropDimMap(n, n - 1, ctx));
  }
  ins.push_back(sumSq);
  maps.push_back(dropDimMap(n, n - 1, ctx));
  ins.push_back(gamma);
  maps.push_back(suffixMap(n, 1, ctx));
  if (beta) {
    ins.push_back(beta);
    maps.push_back(suffixMap(n, 1, ctx));
  }
  maps.push_back(AffineMap::getMultiDimIdentityMap(n, ctx));
  SmallVector<utils::IteratorType> it(n, utils::IteratorType::parallel);
  bool hasSum = static_cast<bool>(sum), hasBeta = static_cast<bool>(beta);
  return generic(
      b, loc, ins, empty(b, loc, xt.getShape()), maps, it,
      [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        unsigned k = 0;
        Value v = a[k++];
        Value hc = f32Const(nb, nl, h);
        if (hasSum)
          v = arith::SubFOp::create(nb, nl, v,
                                    arith::DivFOp::create(nb, nl, a[k++], hc));
        Value var = arith::DivFOp::create(nb, nl, a[k++], hc);
        Value den = math::SqrtOp::create(
            nb, nl, arith::AddFOp::create(nb, nl, var, f32Const(nb, nl, eps)));
        v = arith::MulFOp::create(nb, nl, arith::DivFOp::create(nb, nl, v, den),
                                  a[k++]);
        if (hasBeta)
          v = arith::AddFOp::create(nb, nl, v, a[k++]);
        return v;
      });
}

/// Activations as [T, features] and back: the leading dims collapse into T,
/// a vector (rank 1) gains a leading 1.
struct Rows {
  RankedTensorType type; // the activation's own type (rank >= 1)
  int64_t t;             // the product of the leading extents

  explicit Rows(RankedTensorType type)
      : type(type),
        t(sxf::checkedElements(type.getShape().drop_back()).value_or(0)) {}

  SmallVector<ReassociationIndices> reassociation() const {
    if (type.getRank() == 1)
      return {{0, 1}};
    ReassociationIndices lead;
    for (int64_t k = 0; k + 1 < type.getRank(); ++k)
      lead.push_back(k);
    return {lead, {type.getRank() - 1}};
  }
  Value to(OpBuilder &b, Location loc, Value v) const {
    auto vt = cast<RankedTensorType>(v.getType());
    auto rows = f32Tensor({t, vt.getDimSize(vt.getRank() - 1)}, b.getContext());
    if (type.getRank() == 1)
      return tensor::ExpandShapeOp::create(b, loc, rows, v, reassociation());
    if (type.getRank() != 2)
      return tensor::CollapseShapeOp::create(b, loc, rows, v, reassociation());
    return v;
  }
  Value from(OpBuilder &b, Location loc, Value v, RankedTensorType to) const {
    if (type.getRank() == 1)
      return tensor::CollapseShapeOp::create(b, loc, to, v, reassociation());
    if (type.getRank() != 2)
      return tensor::ExpandShapeOp::create(b, loc, to, v, reassociation());
    return v;
  }
};

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

/// Base of the patterns: refuses an op with a type the converter has no
/// conversion for (the pass reports those before converting).
template <typename Op>
struct SxfPattern : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  using OpAdaptor = typename Op::Adaptor;

  LogicalResult
  matchAndRewrite(Op op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const final {
    if (!this->getTypeConverter()->isLegal(op.getOperation()))
      return rewriter.notifyMatchFailure(op, "a type has no conversion");
    return lower(op, adaptor, rewriter);
  }
  virtual LogicalResult lower(Op op, OpAdaptor adaptor,
                              ConversionPatternRewriter &rewriter) const = 0;
};

//===----------------------------------------------------------------------===//
// sxf.weight
//===----------------------------------------------------------------------===//

/// An sxf.weight becomes an arith.constant of its values as stored; an
/// unused one goes. (sxf.linear converts the constant to the weight's sparse
/// encoding at its use.)
struct WeightLowering : SxfPattern<sxf::WeightOp> {
  WeightLowering(const TypeConverter &tc, MLIRContext *ctx,
                 sxf::WeightStore *store, sxf::PreloadedWeights *preloaded)
      : SxfPattern(tc, ctx), store(store), preloaded(preloaded) {}

  LogicalResult lower(sxf::WeightOp op, OpAdaptor,
                      ConversionPatternRewriter &rewriter) const override {
    if (op->use_empty()) {
      rewriter.eraseOp(op);
      return success();
    }
    sxf::Tensor values;
    auto it = preloaded ? preloaded->find(op.getOperation())
                        : sxf::PreloadedWeights::iterator();
    if (preloaded && it != preloaded->end()) {
      values = std::move(it->second);
      preloaded->erase(it);
    } else {
      sxf::WeightStore *s = store;
      if (!s) {
        // One store per module (it maps the weights file once).
        ModuleOp module = op->getParentOfType<ModuleOp>();
        if (!own || ownModule != module) {
          own = std::make_unique<sxf::WeightStore>(module);
          ownModule = module;
        }
        s = own.get();
      }
      FailureOr<sxf::Tensor> loaded = s->loadStored(op);
      if (failed(loaded))
        return failure();
      values = std::move(*loaded);
    }
    auto type = cast<RankedTensorType>(op.getType());
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, type, DenseElementsAttr::get(type, ArrayRef<float>(values.data)));
    return success();
  }

  sxf::WeightStore *store;
  sxf::PreloadedWeights *preloaded;
  mutable std::unique_ptr<sxf::WeightStore> own;
  mutable ModuleOp ownModule;
};

//===----------------------------------------------------------------------===//
// sxf.linear
//===----------------------------------------------------------------------===//

/// y = norm(act(x·Wᵀ + b) + residual): the contraction over [T, C] rows with
/// the weight in its sparse encoding, then elementwise epilogues.
struct LinearLowering : SxfPattern<sxf::LinearOp> {
  using SxfPattern::SxfPattern;

  LogicalResult lower(sxf::LinearOp l, OpAdaptor adaptor,
                      ConversionPatternRewriter &b) const override {
    MLIRContext *ctx = l.getContext();
    Location loc = l.getLoc();
    auto xt = cast<RankedTensorType>(l.getInput().getType());
    auto yt = cast<RankedTensorType>(l.getResult().getType());
    auto wt = cast<RankedTensorType>(l.getWeight().getType());
    int64_t C = xt.getDimSize(xt.getRank() - 1), R = wt.getDimSize(0);
    Rows rows(xt);
    Value x = rows.to(b, loc, adaptor.getInput());
    // The weight (a constant once sxf.weight is converted) in the sparse
    // encoding of its format. The original operand still names the weight
    // op: the conversion replaces uses only when it commits.
    Value wv = adaptor.getWeight();
    if (auto w = l.getWeight().getDefiningOp<sxf::WeightOp>())
      if (auto enc = encodingOf(ctx, w.getFormatAttr()))
        wv = sparse_tensor::ConvertOp::create(
            b, loc, RankedTensorType::get({R, C}, b.getF32Type(), enc), wv);
    // y = x · Wᵀ.
    AffineExpr t = getAffineDimExpr(0, ctx), r = getAffineDimExpr(1, ctx),
               c = getAffineDimExpr(2, ctx);
    SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {t, c}, ctx),
                                   AffineMap::get(3, 0, {r, c}, ctx),
                                   AffineMap::get(3, 0, {t, r}, ctx)};
    SmallVector<utils::IteratorType> it = {utils::IteratorType::parallel,
                                           utils::IteratorType::parallel,
                                           utils::IteratorType::reduction};
    Value y = generic(b, loc, ValueRange{x, wv}, filled(b, loc, {rows.t, R}, 0),
                      maps, it, [](OpBuilder &nb, Location nl, ValueRange a) {
                        Value m = arith::MulFOp::create(nb, nl, a[0], a[1]);
                        return arith::AddFOp::create(nb, nl, a[2], m);
                      });
    // Epilogues.
    Value bias = adaptor.getBias();
    sxf::ActivationKind act =
        l.getActivation() ? *l.getActivation() : sxf::ActivationKind::none;
    if (bias || act != sxf::ActivationKind::none) {
      SmallVector<Value> ins = {y};
      if (bias)
        ins.push_back(bias);
      bool hasBias = static_cast<bool>(bias);
      y = elementwise(b, loc, ins, y,
                      [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                        Value v = a[0];
                        if (hasBias)
                          v = arith::AddFOp::create(nb, nl, v, a[1]);
                        return activate(nb, nl, act, v);
                      });
    }
    if (Value res = adaptor.getResidual()) {
      res = rows.to(b, loc, res);
      y = elementwise(b, loc, {y, res}, y,
                      [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                        return arith::AddFOp::create(nb, nl, a[0], a[1]);
                      });
    }
    if (Value gamma = adaptor.getNormGamma()) {
      double eps = l.getNormEpsilon() ? l.getNormEpsilon()->convertToDouble()
                                      : 1.0e-5;
      y = normalise(b, loc, y, gamma, adaptor.getNormBeta(), eps,
                    /*rms=*/false);
    }
    b.replaceOp(l, rows.from(b, loc, y, yt));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Normalisation, softmax, elementwise ops
//===----------------------------------------------------------------------===//

struct LayerNormLowering : SxfPattern<sxf::LayerNormOp> {
  using SxfPattern::SxfPattern;
  LogicalResult lower(sxf::LayerNormOp op, OpAdaptor a,
                      ConversionPatternRewriter &b) const override {
    b.replaceOp(op, normalise(b, op.getLoc(), a.getInput(), a.getGamma(),
                              a.getBeta(), op.getEpsilon().convertToDouble(),
                              /*rms=*/false));
    return success();
  }
};

struct RmsNormLowering : SxfPattern<sxf::RmsNormOp> {
  using SxfPattern::SxfPattern;
  LogicalResult lower(sxf::RmsNormOp op, OpAdaptor a,
                      ConversionPatternRewriter &b) const override {
    b.replaceOp(op, normalise(b, op.getLoc(), a.getInput(), a.getGamma(),
                              Value(), op.getEpsilon().convertToDouble(),
                              /*rms=*/true));
    return success();
  }
};

/// y = e^(x − max) / Σ e^(x − max) along the axis: a max reduction, a sum
/// reduction of the exponentials, an elementwise quotient.
struct SoftmaxLowering : SxfPattern<sxf::SoftmaxOp> {
  using SxfPattern::SxfPattern;
  LogicalResult lower(sxf::SoftmaxOp op, OpAdaptor a,
                      ConversionPatternRewriter &b) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    Value x = a.getInput();
    auto xt = cast<RankedTensorType>(x.getType());
    int64_t n = xt.getRank(), axis = op.getAxis();
    if (axis < 0)
      axis += n;
    if (axis < 0 || axis >= n)
      return b.notifyMatchFailure(op, "axis out of range");
    unsigned ax = static_cast<unsigned>(axis);
    Value mx = reduceAxis(b, loc, x, ax, {},
                          -std::numeric_limits<double>::infinity(),
                          [](OpBuilder &nb, Location nl, ValueRange v) {
                            return arith::MaximumFOp::create(nb, nl, v[1],
                                                             v[0]);
                          });
    Value sum = reduceAxis(
        b, loc, x, ax, {mx}, 0.0, [](OpBuilder &nb, Location nl, ValueRange v) {
          Value e = math::ExpOp::create(
              nb, nl, arith::SubFOp::create(nb, nl, v[0], v[1]));
          return arith::AddFOp::create(nb, nl, v[2], e);
        });
    SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(n, ctx),
                                   dropDimMap(n, ax, ctx),
                                   dropDimMap(n, ax, ctx),
                                   AffineMap::getMultiDimIdentityMap(n, ctx)};
    SmallVector<utils::IteratorType> it(n, utils::IteratorType::parallel);
    Value y = generic(b, loc, ValueRange{x, mx, sum},
                      empty(b, loc, xt.getShape()), maps, it,
                      [](OpBuilder &nb, Location nl, ValueRange v) -> Value {
                        Value e = math::ExpOp::create(
                            nb, nl, arith::SubFOp::create(nb, nl, v[0], v[1]));
                        return arith::DivFOp::create(nb, nl, e, v[2]);
                      });
    b.replaceOp(op, y);
    return success();
  }
};

struct ActivationLowering : SxfPattern<sxf::ActivationOp> {
  using SxfPattern::SxfPattern;
  LogicalResult lower(sxf::ActivationOp op, OpAdaptor a,
                      ConversionPatternRewriter &b) const override {
    auto xt = cast<RankedTensorType>(a.getInput().getType());
    sxf::ActivationKind k = op.getKind();
    b.replaceOp(op, elementwise(b, op.getLoc(), {a.getInput()},
                                empty(b, op.getLoc(), xt.getShape()),
                                [&](OpBuilder &nb, Location nl, ValueRange v) {
                                  return activate(nb, nl, k, v[0]);
                                }));
    return success();
  }
};

/// lhs + rhs, rhs broadcast over lhs's leading dims when its shape is a
/// suffix of lhs's.
struct AddLowering : SxfPattern<sxf::AddOp> {
  using SxfPattern::SxfPattern;
  LogicalResult lower(sxf::AddOp op, OpAdaptor a,
                      ConversionPatternRewriter &b) const override {
    auto lt = cast<RankedTensorType>(a.getLhs().getType());
    auto rt = cast<RankedTensorType>(a.getRhs().getType());
    if (rt.getRank() > lt.getRank() ||
        rt.getShape() != lt.getShape().take_back(rt.getRank()))
      return b.notifyMatchFailure(op, "rhs is not a suffix of lhs");
    b.replaceOp(op, elementwise(b, op.getLoc(), {a.getLhs(), a.getRhs()},
                                empty(b, op.getLoc(), lt.getShape()),
                                [](OpBuilder &nb, Location nl, ValueRange v) {
                                  return arith::AddFOp::create(nb, nl, v[0],
                                                               v[1]);
                                }));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// sxf.matmul, sxf.split, sxf.embedding
//===----------------------------------------------------------------------===//

/// scale · op(lhs) · op(rhs) over the trailing two dims: a contraction with
/// loops (batch..., m, p, k), then the scale.
struct MatmulLowering : SxfPattern<sxf::MatmulOp> {
  using SxfPattern::SxfPattern;
  LogicalResult lower(sxf::MatmulOp op, OpAdaptor a,
                      ConversionPatternRewriter &b) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto yt = cast<RankedTensorType>(op.getResult().getType());
    unsigned n = yt.getRank();
    if (n < 2 || cast<RankedTensorType>(a.getLhs().getType()).getRank() != n ||
        cast<RankedTensorType>(a.getRhs().getType()).getRank() != n)
      return b.notifyMatchFailure(op, "operand ranks");
    unsigned batch = n - 2, m = batch, p = batch + 1, k = batch + 2;
    SmallVector<unsigned> lhs, rhs, out;
    for (unsigned d = 0; d < batch; ++d) {
      lhs.push_back(d);
      rhs.push_back(d);
      out.push_back(d);
    }
    lhs.append(op.getTransposeLhs() ? SmallVector<unsigned>{k, m}
                                    : SmallVector<unsigned>{m, k});
    rhs.append(op.getTransposeRhs() ? SmallVector<unsigned>{p, k}
                                    : SmallVector<unsigned>{k, p});
    out.append({m, p});
    SmallVector<AffineMap> maps = {dimsMap(n + 1, lhs, ctx),
                                   dimsMap(n + 1, rhs, ctx),
                                   dimsMap(n + 1, out, ctx)};
    SmallVector<utils::IteratorType> it(n + 1, utils::IteratorType::parallel);
    it[k] = utils::IteratorType::reduction;
    Value y = generic(b, loc, ValueRange{a.getLhs(), a.getRhs()},
                      filled(b, loc, yt.getShape(), 0.0), maps, it,
                      [](OpBuilder &nb, Location nl, ValueRange v) {
                        Value m = arith::MulFOp::create(nb, nl, v[0], v[1]);
                        return arith::AddFOp::create(nb, nl, v[2], m);
                      });
    if (std::optional<APFloat> scale = op.getScale()) {
      double s = scale->convertToDouble();
      y = elementwise(b, loc, {y}, y,
                      [&](OpBuilder &nb, Location nl, ValueRange v) -> Value {
                        return arith::MulFOp::create(nb, nl, v[0],
                                                     f32Const(nb, nl, s));
                      });
    }
    b.replaceOp(op, y);
    return success();
  }
};

/// Consecutive pieces of the last dim: one tensor.extract_slice each.
struct SplitLowering : SxfPattern<sxf::SplitOp> {
  using SxfPattern::SxfPattern;
  LogicalResult lower(sxf::SplitOp op, OpAdaptor a,
                      ConversionPatternRewriter &b) const override {
    Location loc = op.getLoc();
    auto xt = cast<RankedTensorType>(a.getInput().getType());
    int64_t n = xt.getRank(), offset = 0;
    SmallVector<Value> pieces;
    for (Value r : op.getResults()) {
      auto rt = cast<RankedTensorType>(r.getType());
      SmallVector<OpFoldResult> offsets(n, b.getIndexAttr(0)), sizes,
          strides(n, b.getIndexAttr(1));
      offsets[n - 1] = b.getIndexAttr(offset);
      for (int64_t d : rt.getShape())
        sizes.push_back(b.getIndexAttr(d));
      pieces.push_back(tensor::ExtractSliceOp::create(
          b, loc, rt, a.getInput(), offsets, sizes, strides));
      offset += rt.getDimSize(n - 1);
    }
    b.replaceOp(op, pieces);
    return success();
  }
};

/// y[.., s, h] = table[ids[.., s], h] (+ positions[offset + s, h]): a generic over the
/// result that reads the id and gathers with tensor.extract. Ids are not
/// range-checked (the interpreter reports one out of range).
struct EmbeddingLowering : SxfPattern<sxf::EmbeddingOp> {
  using SxfPattern::SxfPattern;
  LogicalResult lower(sxf::EmbeddingOp op, OpAdaptor a,
                      ConversionPatternRewriter &b) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto it0 = cast<RankedTensorType>(a.getIds().getType());
    auto yt = cast<RankedTensorType>(op.getResult().getType());
    unsigned r = it0.getRank(), n = r + 1;
    if (r < 1 || yt.getRank() != n)
      return b.notifyMatchFailure(op, "ranks");
    int64_t seq = it0.getDimSize(r - 1), hidden = yt.getDimSize(r);
    SmallVector<Value> ins = {a.getIds()};
    SmallVector<AffineMap> maps = {dropDimMap(n, r, ctx)};
    Value positions = a.getPositions();
    if (positions) {
      // Rows [position_offset, position_offset + seq), read at (s, h).
      SmallVector<OpFoldResult> offsets = {b.getIndexAttr(
                                               op.getPositionOffset()),
                                           b.getIndexAttr(0)},
          sizes = {b.getIndexAttr(seq), b.getIndexAttr(hidden)},
          strides(2, b.getIndexAttr(1));
      ins.push_back(tensor::ExtractSliceOp::create(
          b, loc, f32Tensor({seq, hidden}, ctx), positions, offsets, sizes,
          strides));
      maps.push_back(dimsMap(n, {r - 1, r}, ctx));
    }
    maps.push_back(AffineMap::getMultiDimIdentityMap(n, ctx));
    SmallVector<utils::IteratorType> it(n, utils::IteratorType::parallel);
    Value table = a.getTable();
    bool hasPositions = static_cast<bool>(positions);
    Value y = generic(
        b, loc, ins, empty(b, loc, yt.getShape()), maps, it,
        [&](OpBuilder &nb, Location nl, ValueRange v) -> Value {
          Value id = arith::IndexCastOp::create(nb, nl, nb.getIndexType(), v[0]);
          Value h = linalg::IndexOp::create(nb, nl, r);
          Value e = tensor::ExtractOp::create(nb, nl, table, ValueRange{id, h});
          if (hasPositions)
            e = arith::AddFOp::create(nb, nl, e, v[1]);
          return e;
        });
    b.replaceOp(op, y);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// sxf.kv_append
//===----------------------------------------------------------------------===//

/// The cache and the new rows inserted at sequence offsets 0 and P of an
/// empty [B, P + N, D] tensor.
struct KvAppendLowering : SxfPattern<sxf::KvAppendOp> {
  using SxfPattern::SxfPattern;
  LogicalResult lower(sxf::KvAppendOp op, OpAdaptor a,
                      ConversionPatternRewriter &b) const override {
    Location loc = op.getLoc();
    auto ct = cast<RankedTensorType>(a.getCache().getType());
    auto ut = cast<RankedTensorType>(a.getUpdate().getType());
    auto yt = cast<RankedTensorType>(op.getResult().getType());
    Value y = empty(b, loc, yt.getShape());
    SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
    auto insert = [&](Value part, RankedTensorType t, int64_t at) {
      SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0),
                                           b.getIndexAttr(at),
                                           b.getIndexAttr(0)};
      SmallVector<OpFoldResult> sizes;
      for (int64_t d : t.getShape())
        sizes.push_back(b.getIndexAttr(d));
      y = tensor::InsertSliceOp::create(b, loc, part, y, offsets, sizes,
                                        strides);
    };
    insert(a.getCache(), ct, 0);
    insert(a.getUpdate(), ut, ct.getDimSize(1));
    b.replaceOp(op, y);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// sxf.attention
//===----------------------------------------------------------------------===//

/// Per batch b, head h, query i and key j (q, k, v viewed as [B, S|T, H, D]):
///   s = q·k / √D;  m = max over visible j;  e = visible ? e^(s − m) : 0;
///   l = Σ_j e;  y = l > 0 ? Σ_j e·v / l : 0 (0 also for a pruned head).
/// Key j is visible to query i unless causal and j − i > T − S.
struct AttentionLowering : SxfPattern<sxf::AttentionOp> {
  using SxfPattern::SxfPattern;
  LogicalResult lower(sxf::AttentionOp op, OpAdaptor a,
                      ConversionPatternRewriter &b) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto qt = cast<RankedTensorType>(a.getQuery().getType());
    auto kt = cast<RankedTensorType>(a.getKey().getType());
    int64_t H = op.getHeads(), D = op.getHeadDim();
    if (qt.getRank() != 3 || kt.getRank() != 3 ||
        qt.getDimSize(2) != H * D || kt.getDimSize(2) != H * D)
      return b.notifyMatchFailure(op, "shapes");
    int64_t B = qt.getDimSize(0), S = qt.getDimSize(1), T = kt.getDimSize(1);
    bool causal = op.getCausal();
    SmallVector<bool> keep;
    if (auto k = op.getKeepHeads())
      keep.assign(k->begin(), k->end());
    bool anyPruned = llvm::is_contained(keep, false);
    double scale = 1.0 / std::sqrt(static_cast<double>(D));
    auto heads = [&](Value v, int64_t len) -> Value {
      return tensor::ExpandShapeOp::create(
          b, loc, f32Tensor({B, len, H, D}, ctx), v,
          SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
    };
    Value q = heads(a.getQuery(), S), k = heads(a.getKey(), T),
          v = heads(a.getValue(), T);
    using IT = utils::IteratorType;
    auto P = IT::parallel, Rd = IT::reduction;
    // Scores [B, H, S, T]: loops (b, h, i, j, d).
    Value s = generic(b, loc, ValueRange{q, k},
                      filled(b, loc, {B, H, S, T}, 0.0),
                      {dimsMap(5, {0, 2, 1, 4}, ctx),
                       dimsMap(5, {0, 3, 1, 4}, ctx),
                       dimsMap(5, {0, 1, 2, 3}, ctx)},
                      {P, P, P, P, Rd},
                      [](OpBuilder &nb, Location nl, ValueRange x) {
                        Value m = arith::MulFOp::create(nb, nl, x[0], x[1]);
                        return arith::AddFOp::create(nb, nl, x[2], m);
                      });
    // visible(i, j) inside a generic whose loops 2 and 3 are i and j.
    auto visible = [&](OpBuilder &nb, Location nl) -> Value {
      if (!causal)
        return Value();
      Value i = linalg::IndexOp::create(nb, nl, 2);
      Value j = linalg::IndexOp::create(nb, nl, 3);
      Value d = arith::SubIOp::create(nb, nl, j, i);
      return arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::sle, d,
                                   indexConst(nb, nl, T - S));
    };
    double ninf = -std::numeric_limits<double>::infinity();
    // m [B, H, S] = max over visible j of s·scale: loops (b, h, i, j).
    Value m = generic(
        b, loc, ValueRange{s}, filled(b, loc, {B, H, S}, ninf),
        {dimsMap(4, {0, 1, 2, 3}, ctx), dimsMap(4, {0, 1, 2}, ctx)},
        {P, P, P, Rd}, [&](OpBuilder &nb, Location nl, ValueRange x) -> Value {
          Value sc = arith::MulFOp::create(nb, nl, x[0], f32Const(nb, nl, scale));
          if (Value vis = visible(nb, nl))
            sc = arith::SelectOp::create(nb, nl, vis, sc, f32Const(nb, nl, ninf));
          return arith::MaximumFOp::create(nb, nl, x[1], sc);
        });
    // e [B, H, S, T] = visible ? e^(s·scale − m) : 0.
    Value e = generic(
        b, loc, ValueRange{s, m}, empty(b, loc, {B, H, S, T}),
        {dimsMap(4, {0, 1, 2, 3}, ctx), dimsMap(4, {0, 1, 2}, ctx),
         dimsMap(4, {0, 1, 2, 3}, ctx)},
        {P, P, P, P}, [&](OpBuilder &nb, Location nl, ValueRange x) -> Value {
          Value sc = arith::MulFOp::create(nb, nl, x[0], f32Const(nb, nl, scale));
          Value ex = math::ExpOp::create(
              nb, nl, arith::SubFOp::create(nb, nl, sc, x[1]));
          if (Value vis = visible(nb, nl))
            ex = arith::SelectOp::create(nb, nl, vis, ex, f32Const(nb, nl, 0.0));
          return ex;
        });
    // l [B, H, S] = Σ_j e.
    Value l = generic(
        b, loc, ValueRange{e}, filled(b, loc, {B, H, S}, 0.0),
        {dimsMap(4, {0, 1, 2, 3}, ctx), dimsMap(4, {0, 1, 2}, ctx)},
        {P, P, P, Rd}, [](OpBuilder &nb, Location nl, ValueRange x) {
          return arith::AddFOp::create(nb, nl, x[1], x[0]);
        });
    // o [B, S, H, D] = Σ_j e·v: loops (b, i, h, d, j).
    Value o = generic(b, loc, ValueRange{e, v},
                      filled(b, loc, {B, S, H, D}, 0.0),
                      {dimsMap(5, {0, 2, 1, 4}, ctx),
                       dimsMap(5, {0, 4, 2, 3}, ctx),
                       dimsMap(5, {0, 1, 2, 3}, ctx)},
                      {P, P, P, P, Rd},
                      [](OpBuilder &nb, Location nl, ValueRange x) {
                        Value m = arith::MulFOp::create(nb, nl, x[0], x[1]);
                        return arith::AddFOp::create(nb, nl, x[2], m);
                      });
    // y = l > 0 (and the head kept) ? o / l : 0: loops (b, i, h, d).
    SmallVector<Value> ins = {o, l};
    SmallVector<AffineMap> maps = {dimsMap(4, {0, 1, 2, 3}, ctx),
                                   dimsMap(4, {0, 2, 1}, ctx)};
    if (anyPruned) {
      auto keepType = RankedTensorType::get({H}, b.getI1Type());
      ins.push_back(arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(keepType, ArrayRef<bool>(keep))));
      maps.push_back(dimsMap(4, {2}, ctx));
    }
    maps.push_back(dimsMap(4, {0, 1, 2, 3}, ctx));
    Value y = generic(
        b, loc, ins, empty(b, loc, {B, S, H, D}), maps, {P, P, P, P},
        [&](OpBuilder &nb, Location nl, ValueRange x) -> Value {
          Value zero = f32Const(nb, nl, 0.0);
          Value q = arith::DivFOp::create(nb, nl, x[0], x[1]);
          Value ok = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OGT,
                                           x[1], zero);
          if (anyPruned)
            ok = arith::AndIOp::create(nb, nl, ok, x[2]);
          return arith::SelectOp::create(nb, nl, ok, q, zero);
        });
    b.replaceOp(op, tensor::CollapseShapeOp::create(
                        b, loc, op.getResult().getType(), y,
                        SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}}));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct SxfToLinalgPass
    : public sxf::impl::SxfToLinalgPassBase<SxfToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    // Composite layers first, with sxf-decompose's patterns (which create
    // sxf ops, converted below).
    {
      RewritePatternSet decompose(ctx);
      sxf::populateDecomposeLayerPatterns(decompose);
      walkAndApplyPatterns(module, std::move(decompose));
    }
    // Every op that cannot be converted, each with its own error, before
    // anything changes; and the weights' values, read once.
    sxf::SxfToLinalgTypeConverter converter;
    sxf::WeightStore store(module);
    sxf::PreloadedWeights preloaded;
    bool ok = true;
    module.walk([&](Operation *op) {
      if (!isa_and_present<sxf::SxfDialect>(op->getDialect()))
        return;
      if (isa<sxf::EncoderLayerOp, sxf::DecoderLayerOp>(op)) {
        op->emitError("sxf-to-linalg: could not be decomposed (the hidden "
                      "size must be static and the result type equal to "
                      "the input type)");
        ok = false;
        return;
      }
      if (isa<sxf::LinearGradInputOp, sxf::LinearGradWeightOp,
              sxf::ReduceSumOp, sxf::ActivationGradOp, sxf::SoftmaxGradOp,
              sxf::LayerNormGradOp, sxf::RmsNormGradOp, sxf::AttentionGradOp,
              sxf::EmbeddingGradOp, sxf::PositionGradOp, sxf::ConcatOp,
              sxf::CrossEntropyOp, sxf::CrossEntropyGradOp>(op)) {
        op->emitError() << "sxf-to-linalg: '" << op->getName()
                        << "': training ops are not lowered to linalg yet "
                           "(issue 16)";
        ok = false;
        return;
      }
      if (!converter.isLegal(op)) {
        op->emitError("sxf-to-linalg: needs static f32 activations");
        ok = false;
        return;
      }
      if (auto w = dyn_cast<sxf::WeightOp>(op)) {
        if (w->use_empty())
          return;
        FailureOr<sxf::Tensor> values = store.loadStored(w);
        if (failed(values))
          ok = false;
        else
          preloaded.emplace(op, std::move(*values));
      }
    });
    if (!ok)
      return signalPassFailure();

    ConversionTarget target(*ctx);
    sxf::configureSxfToLinalgTarget(target);
    RewritePatternSet patterns(ctx);
    sxf::populateSxfToLinalgConversionPatterns(converter, patterns, &store,
                                               &preloaded);
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      return signalPassFailure();
    dropSxfAttributes(module);
  }

  /// Upstream tools cannot parse the sxf dialect: discardable attributes
  /// whose value holds an sxf attribute (the module's `sxf.target`) go.
  /// Plain ones (`sxf.name`, `sxf.weights_file`) stay.
  static void dropSxfAttributes(ModuleOp module) {
    auto holdsSxf = [](Attribute a) {
      bool found = false;
      a.walk([&](Attribute s) {
        if (isa<sxf::SxfDialect>(s.getDialect()))
          found = true;
      });
      return found;
    };
    module->walk([&](Operation *op) {
      SmallVector<StringAttr> drop;
      for (NamedAttribute na : op->getDiscardableAttrs())
        if (holdsSxf(na.getValue()))
          drop.push_back(na.getName());
      for (StringAttr name : drop)
        op->removeDiscardableAttr(name);
    });
  }
};

} // namespace

void sxf::populateSxfToLinalgConversionPatterns(TypeConverter &typeConverter,
                                                RewritePatternSet &patterns,
                                                WeightStore *store,
                                                PreloadedWeights *preloaded) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<WeightLowering>(typeConverter, ctx, store, preloaded);
  patterns.add<LinearLowering, LayerNormLowering, RmsNormLowering,
               SoftmaxLowering, ActivationLowering, AddLowering,
               MatmulLowering, SplitLowering, EmbeddingLowering,
               KvAppendLowering, AttentionLowering>(typeConverter, ctx);
  populateDecomposeLayerPatterns(patterns);
}
