//===- SxfOps.cpp - sxf op verifiers ----------------------------*- C++ -*-===//
//
// Every verifier names the operand and both shapes involved, so that a user
// who wrote an inconsistent model sees exactly which dimension is wrong.
// Dynamic dimensions are accepted and checked by the interpreter at run time.
//
//===----------------------------------------------------------------------===//

#include "sxf/Dialect/Sxf/IR/Sxf.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpImplementation.h"

#include <cmath>

using namespace mlir;
using namespace sxf;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static RankedTensorType tensorTypeOf(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// "64x128" for a type's shape, "?" for dynamic extents.
static std::string shapeStr(RankedTensorType t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(
      t.getShape(), os,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << "?";
        else
          os << d;
      },
      "x");
  if (t.getRank() == 0)
    os << "scalar";
  return s;
}

/// True when two extents cannot be equal (both static and different).
static bool mismatch(int64_t a, int64_t b) {
  return !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b;
}

/// Checks that `v` is a rank-1 tensor of `expected` elements.
static LogicalResult checkVector(Operation *op, Value v, StringRef what,
                                 int64_t expected, StringRef because) {
  RankedTensorType t = tensorTypeOf(v);
  if (t.getRank() != 1)
    return op->emitOpError() << what << " must be rank 1, got tensor of shape "
                             << shapeStr(t);
  if (mismatch(t.getDimSize(0), expected))
    return op->emitOpError()
           << what << " has " << t.getDimSize(0) << " elements but " << because
           << " is " << expected;
  return success();
}

/// Checks that `v` is a 2-D [rows, cols] tensor.
static LogicalResult checkMatrix(Operation *op, Value v, StringRef what,
                                 int64_t rows, int64_t cols) {
  RankedTensorType t = tensorTypeOf(v);
  if (t.getRank() != 2)
    return op->emitOpError() << what << " must be rank 2, got tensor of shape "
                             << shapeStr(t);
  if (mismatch(t.getDimSize(0), rows) || mismatch(t.getDimSize(1), cols))
    return op->emitOpError() << what << " has shape " << shapeStr(t)
                             << " but " << rows << "x" << cols
                             << " is expected";
  return success();
}

/// Checks that `result` has exactly `shape` (dynamic extents match anything).
static LogicalResult checkResultShape(Operation *op, ArrayRef<int64_t> shape) {
  RankedTensorType rt = tensorTypeOf(op->getResult(0));
  bool bad = rt.getRank() != static_cast<int64_t>(shape.size());
  for (int64_t i = 0; !bad && i < rt.getRank(); ++i)
    bad = mismatch(rt.getDimSize(i), shape[i]);
  if (!bad)
    return success();
  RankedTensorType expected =
      RankedTensorType::get(shape, rt.getElementType());
  return op->emitOpError() << "result shape " << shapeStr(rt)
                           << " does not match the expected "
                           << shapeStr(expected);
}

/// Checks that `result`, called `name` in messages, has exactly `shape`
/// (dynamic extents match anything): for ops with several results.
static LogicalResult checkNamedResultShape(Operation *op, Value result,
                                           StringRef name,
                                           ArrayRef<int64_t> shape) {
  RankedTensorType rt = tensorTypeOf(result);
  bool bad = rt.getRank() != static_cast<int64_t>(shape.size());
  for (int64_t i = 0; !bad && i < rt.getRank(); ++i)
    bad = mismatch(rt.getDimSize(i), shape[i]);
  if (!bad)
    return success();
  RankedTensorType expected =
      RankedTensorType::get(shape, rt.getElementType());
  return op->emitOpError() << name << " shape " << shapeStr(rt)
                           << " does not match the expected "
                           << shapeStr(expected);
}

//===----------------------------------------------------------------------===//
// WeightOp
//===----------------------------------------------------------------------===//

LogicalResult WeightOp::verify() {
  RankedTensorType type = getResult().getType();
  if (failed(checkTensorName([&] { return emitOpError(); }, getNameAttr(),
                             "weight name")))
    return failure();
  if (!type.hasStaticShape())
    return emitOpError("weight shape must be static, got ")
           << shapeStr(type);
  if (std::optional<ElementsAttr> value = getValue()) {
    auto vt = dyn_cast<RankedTensorType>(value->getType());
    if (!vt || vt.getShape() != type.getShape())
      return emitOpError("inline value of type ")
             << value->getType() << " does not match the weight type " << type;
    if (!isa<FloatType>(vt.getElementType()))
      return emitOpError("inline value must have a float element type, got ")
             << vt.getElementType();
  }
  // Structure attributes only make sense for matrices laid out [out, in].
  auto needMatrix = [&](StringRef what) -> LogicalResult {
    if (type.getRank() != 2)
      return emitOpError() << what << " needs a 2-D weight, got shape "
                           << shapeStr(type);
    return success();
  };
  if (SparsityAttr sp = getSparsityAttr()) {
    if (sp.getPattern() == SparsityPattern::block) {
      if (failed(needMatrix("block sparsity")))
        return failure();
      if (type.getDimSize(0) % sp.getBlockRows() ||
          type.getDimSize(1) % sp.getBlockCols())
        return emitOpError() << "block " << sp.getBlockRows() << "x"
                             << sp.getBlockCols()
                             << " does not divide the weight shape "
                             << shapeStr(type);
    }
    if (sp.getPattern() == SparsityPattern::nm) {
      if (failed(needMatrix("N:M sparsity")))
        return failure();
      if (type.getDimSize(1) % sp.getM())
        return emitOpError() << "M = " << sp.getM()
                             << " of the " << sp.getN() << ":" << sp.getM()
                             << " pattern does not divide the "
                             << type.getDimSize(1) << " input features";
    }
  }
  if (FormatAttr fmt = getFormatAttr()) {
    if (fmt.getKind() != StorageKind::dense &&
        failed(needMatrix((Twine("format '") +
                           stringifyStorageKind(fmt.getKind()) + "'")
                              .str())))
      return failure();
    // Divisibility and index widths: the formats library's one shape rule.
    if (fmt.getKind() != StorageKind::dense)
      if (std::optional<std::string> problem = formats::shapeProblem(
              toFormatSpec(fmt), type.getDimSize(0), type.getDimSize(1)))
        return emitOpError() << "format " << fmt << " cannot hold the "
                             << shapeStr(type) << " weight: " << *problem;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Primitive layers
//===----------------------------------------------------------------------===//

/// The one rule for every normalisation epsilon (layer_norm, rms_norm, a
/// linear op's fused norm, the composite layers): it is added to a variance
/// before a square root, so it must be a finite number above zero. NaN or
/// infinity would turn every output into NaN or zero, and zero divides by
/// zero on a constant row.
static LogicalResult checkNormEpsilon(Operation *op, const APFloat &eps,
                                      StringRef attrName) {
  double v = eps.convertToDouble();
  if (!std::isfinite(v) || v <= 0) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << v;
    return op->emitOpError() << attrName << " must be finite and > 0, got "
                             << text;
  }
  return success();
}

LogicalResult LinearOp::verify() {
  RankedTensorType in = getInput().getType(), w = getWeight().getType();
  if (in.getRank() < 1)
    return emitOpError("input must have rank >= 1");
  if (w.getRank() != 2)
    return emitOpError("weight must be rank 2 [out, in], got shape ")
           << shapeStr(w);
  int64_t inFeatures = in.getDimSize(in.getRank() - 1);
  if (mismatch(inFeatures, w.getDimSize(1)))
    return emitOpError() << "input last dimension " << inFeatures
                         << " does not match the weight's in-features "
                         << w.getDimSize(1) << " (weight " << shapeStr(w)
                         << ")";
  if (getBias() && failed(checkVector(*this, getBias(), "bias",
                                      w.getDimSize(0),
                                      "the weight's out-features")))
    return failure();
  SmallVector<int64_t> shape(in.getShape().drop_back());
  shape.push_back(w.getDimSize(0));
  if (failed(checkResultShape(*this, shape)))
    return failure();
  if (Value r = getResidual())
    if (r.getType() != getResult().getType())
      return emitOpError() << "residual type " << r.getType()
                           << " differs from the result type "
                           << getResult().getType();
  if (static_cast<bool>(getNormGamma()) != static_cast<bool>(getNormBeta()))
    return emitOpError("norm needs both gamma and beta");
  if (getNormGamma()) {
    if (failed(checkVector(*this, getNormGamma(), "norm gamma",
                           w.getDimSize(0), "the out-features")) ||
        failed(checkVector(*this, getNormBeta(), "norm beta",
                           w.getDimSize(0), "the out-features")))
      return failure();
    if (!getNormEpsilon())
      return emitOpError("norm needs a norm_epsilon attribute");
    if (failed(checkNormEpsilon(*this, *getNormEpsilon(), "norm_epsilon")))
      return failure();
  } else if (getNormEpsilon()) {
    return emitOpError("norm_epsilon without norm(gamma, beta)");
  }
  return success();
}

LogicalResult SplitOp::verify() {
  RankedTensorType in = getInput().getType();
  if (in.getRank() < 1)
    return emitOpError("input must have rank >= 1");
  if (getResults().empty())
    return emitOpError("needs at least one result");
  int64_t total = 0;
  bool dynamic = false;
  for (Value r : getResults()) {
    auto rt = cast<RankedTensorType>(r.getType());
    if (rt.getRank() != in.getRank())
      return emitOpError() << "result rank " << rt.getRank()
                           << " differs from the input rank " << in.getRank();
    for (int64_t d = 0; d + 1 < in.getRank(); ++d)
      if (mismatch(rt.getDimSize(d), in.getDimSize(d)))
        return emitOpError() << "result shape " << shapeStr(rt)
                             << " differs from the input " << shapeStr(in)
                             << " outside the last dimension";
    int64_t last = rt.getDimSize(rt.getRank() - 1);
    dynamic |= ShapedType::isDynamic(last);
    total += ShapedType::isDynamic(last) ? 0 : last;
  }
  int64_t inLast = in.getDimSize(in.getRank() - 1);
  if (!dynamic && !ShapedType::isDynamic(inLast) && total != inLast)
    return emitOpError() << "results cover " << total
                         << " of the input's last dimension " << inLast;
  return success();
}

LogicalResult MatmulOp::verify() {
  RankedTensorType a = getLhs().getType(), b = getRhs().getType();
  if (a.getRank() < 2 || b.getRank() < 2)
    return emitOpError("operands must have rank >= 2, got ")
           << shapeStr(a) << " and " << shapeStr(b);
  if (a.getRank() != b.getRank())
    return emitOpError() << "operand ranks differ: " << shapeStr(a) << " and "
                         << shapeStr(b);
  int64_t r = a.getRank();
  for (int64_t i = 0; i < r - 2; ++i)
    if (mismatch(a.getDimSize(i), b.getDimSize(i)))
      return emitOpError() << "batch dimension " << i << " differs: "
                           << shapeStr(a) << " vs " << shapeStr(b);
  int64_t m = getTransposeLhs() ? a.getDimSize(r - 1) : a.getDimSize(r - 2);
  int64_t ka = getTransposeLhs() ? a.getDimSize(r - 2) : a.getDimSize(r - 1);
  int64_t kb = getTransposeRhs() ? b.getDimSize(r - 1) : b.getDimSize(r - 2);
  int64_t n = getTransposeRhs() ? b.getDimSize(r - 2) : b.getDimSize(r - 1);
  if (mismatch(ka, kb))
    return emitOpError() << "contraction dimensions differ: " << ka << " vs "
                         << kb << " (" << shapeStr(a) << " x " << shapeStr(b)
                         << ")";
  SmallVector<int64_t> shape(a.getShape().drop_back(2));
  shape.push_back(m);
  shape.push_back(n);
  return checkResultShape(*this, shape);
}

/// The operand rules of sxf.attention, shared with sxf.attention_grad.
static LogicalResult
verifyAttentionOperands(Operation *op, Value query, Value key, Value value,
                        int64_t heads, int64_t headDim,
                        std::optional<ArrayRef<bool>> keep) {
  RankedTensorType q = tensorTypeOf(query), k = tensorTypeOf(key),
                   v = tensorTypeOf(value);
  for (auto [name, t] : {std::pair<StringRef, RankedTensorType>{"query", q},
                         {"key", k},
                         {"value", v}})
    if (t.getRank() != 3)
      return op->emitOpError()
             << name << " must be rank 3 [batch, seq, hidden], got "
             << shapeStr(t);
  int64_t hidden = q.getDimSize(2);
  if (mismatch(hidden, heads * headDim))
    return op->emitOpError()
           << "heads (" << heads << ") x head_dim (" << headDim
           << ") = " << heads * headDim
           << " does not match the hidden size " << hidden;
  if (k.getShape() != v.getShape())
    return op->emitOpError() << "key shape " << shapeStr(k)
                             << " differs from value shape " << shapeStr(v);
  if (mismatch(k.getDimSize(0), q.getDimSize(0)) ||
      mismatch(k.getDimSize(2), hidden))
    return op->emitOpError() << "key/value shape " << shapeStr(k)
                             << " is incompatible with query shape "
                             << shapeStr(q);
  if (keep && static_cast<int64_t>(keep->size()) != heads)
    return op->emitOpError() << "keep_heads has " << keep->size()
                             << " entries but there are " << heads
                             << " heads";
  return success();
}

LogicalResult AttentionOp::verify() {
  if (failed(verifyAttentionOperands(*this, getQuery(), getKey(), getValue(),
                                     getHeads(), getHeadDim(),
                                     getKeepHeads())))
    return failure();
  return checkResultShape(*this, getQuery().getType().getShape());
}

LogicalResult SoftmaxOp::verify() {
  int64_t rank = getInput().getType().getRank();
  int64_t axis = getAxis();
  if (rank == 0 || axis < -rank || axis >= rank)
    return emitOpError() << "axis " << axis << " is out of range for rank "
                         << rank;
  return success();
}

LogicalResult LayerNormOp::verify() {
  RankedTensorType in = getInput().getType();
  if (in.getRank() < 1)
    return emitOpError("input must have rank >= 1");
  int64_t h = in.getDimSize(in.getRank() - 1);
  if (failed(checkVector(*this, getGamma(), "gamma", h,
                         "the normalised (last) dimension")) ||
      failed(checkVector(*this, getBeta(), "beta", h,
                         "the normalised (last) dimension")))
    return failure();
  if (failed(checkNormEpsilon(*this, getEpsilon(), "epsilon")))
    return failure();
  return checkResultShape(*this, in.getShape());
}

LogicalResult RmsNormOp::verify() {
  RankedTensorType in = getInput().getType();
  if (in.getRank() < 1)
    return emitOpError("input must have rank >= 1");
  int64_t h = in.getDimSize(in.getRank() - 1);
  if (failed(checkVector(*this, getGamma(), "gamma", h,
                         "the normalised (last) dimension")))
    return failure();
  if (failed(checkNormEpsilon(*this, getEpsilon(), "epsilon")))
    return failure();
  return checkResultShape(*this, in.getShape());
}

LogicalResult ActivationOp::verify() {
  if (getKind() == ActivationKind::none)
    return emitOpError("activation kind 'none' is not allowed here");
  return success();
}

LogicalResult AddOp::verify() {
  RankedTensorType a = getLhs().getType(), b = getRhs().getType();
  if (b.getRank() > a.getRank())
    return emitOpError() << "rhs shape " << shapeStr(b)
                         << " has higher rank than lhs shape " << shapeStr(a);
  int64_t off = a.getRank() - b.getRank();
  for (int64_t i = 0; i < b.getRank(); ++i)
    if (mismatch(a.getDimSize(off + i), b.getDimSize(i)))
      return emitOpError() << "rhs shape " << shapeStr(b)
                           << " is neither equal to nor a suffix of lhs shape "
                           << shapeStr(a);
  return checkResultShape(*this, a.getShape());
}

LogicalResult EmbeddingOp::verify() {
  RankedTensorType ids = getIds().getType(), table = getTable().getType();
  if (ids.getRank() < 1)
    return emitOpError("ids must have rank >= 1");
  if (table.getRank() != 2)
    return emitOpError("table must be rank 2 [vocab, hidden], got ")
           << shapeStr(table);
  int64_t hidden = table.getDimSize(1);
  int64_t offset = getPositionOffset();
  if (offset < 0)
    return emitOpError() << "position_offset must not be negative, got "
                         << offset;
  if (offset > 0 && !getPositions())
    return emitOpError() << "position_offset " << offset
                         << " needs a positions table";
  if (Value pos = getPositions()) {
    RankedTensorType pt = tensorTypeOf(pos);
    if (pt.getRank() != 2 || mismatch(pt.getDimSize(1), hidden))
      return emitOpError() << "positions table shape " << shapeStr(pt)
                           << " must be [max_seq, " << hidden << "]";
    int64_t seq = ids.getDimSize(ids.getRank() - 1);
    if (!ShapedType::isDynamic(seq) && !ShapedType::isDynamic(pt.getDimSize(0)) &&
        pt.getDimSize(0) - offset < seq) {
      if (offset == 0)
        return emitOpError() << "positions table has " << pt.getDimSize(0)
                             << " rows but the sequence length is " << seq;
      return emitOpError() << "positions table has " << pt.getDimSize(0)
                           << " rows but position_offset " << offset
                           << " + sequence length " << seq << " = "
                           << offset + seq << " are needed";
    }
  }
  SmallVector<int64_t> shape(ids.getShape());
  shape.push_back(hidden);
  return checkResultShape(*this, shape);
}

LogicalResult KvAppendOp::verify() {
  RankedTensorType c = getCache().getType(), u = getUpdate().getType();
  for (auto [name, t] : {std::pair<StringRef, RankedTensorType>{"cache", c},
                         {"update", u}})
    if (t.getRank() != 3)
      return emitOpError() << name
                           << " must be rank 3 [batch, seq, features], got "
                           << shapeStr(t);
  if (c.getElementType() != u.getElementType())
    return emitOpError() << "cache element type " << c.getElementType()
                         << " differs from update element type "
                         << u.getElementType();
  if (mismatch(c.getDimSize(0), u.getDimSize(0)) ||
      mismatch(c.getDimSize(2), u.getDimSize(2)))
    return emitOpError() << "cache shape " << shapeStr(c)
                         << " and update shape " << shapeStr(u)
                         << " differ in batch or features";
  int64_t p = c.getDimSize(1), n = u.getDimSize(1);
  int64_t seq = ShapedType::isDynamic(p) || ShapedType::isDynamic(n)
                    ? ShapedType::kDynamic
                    : p + n;
  int64_t batch = ShapedType::isDynamic(c.getDimSize(0)) ? u.getDimSize(0)
                                                         : c.getDimSize(0);
  int64_t features = ShapedType::isDynamic(c.getDimSize(2)) ? u.getDimSize(2)
                                                            : c.getDimSize(2);
  return checkResultShape(*this, {batch, seq, features});
}

//===----------------------------------------------------------------------===//
// Training: gradients and loss
//===----------------------------------------------------------------------===//

/// The rules of a weight gradient's dy operand against the [O, I] weight w:
/// dy is [..., O]. Shared by linear_grad_input and linear_grad_weight (and
/// their type inference, which may run before the verifier).
static LogicalResult checkLinearGrad(function_ref<InFlightDiagnostic()> err,
                                     RankedTensorType dy,
                                     RankedTensorType w) {
  if (dy.getRank() < 1)
    return err() << "dy must have rank >= 1";
  if (w.getRank() != 2)
    return err() << "w must be rank 2 [out, in], got shape " << shapeStr(w);
  int64_t out = dy.getDimSize(dy.getRank() - 1);
  if (mismatch(out, w.getDimSize(0)))
    return err() << "dy last dimension " << out
                 << " does not match the weight's out-features "
                 << w.getDimSize(0) << " (weight " << shapeStr(w) << ")";
  return success();
}

LogicalResult LinearGradInputOp::verify() {
  RankedTensorType dy = getDy().getType(), w = getW().getType();
  if (failed(checkLinearGrad([&] { return emitOpError(); }, dy, w)))
    return failure();
  SmallVector<int64_t> shape(dy.getShape().drop_back());
  shape.push_back(w.getDimSize(1));
  return checkResultShape(*this, shape);
}

LogicalResult LinearGradWeightOp::verify() {
  RankedTensorType dy = getDy().getType(), x = getX().getType(),
                   w = getW().getType();
  if (failed(checkLinearGrad([&] { return emitOpError(); }, dy, w)))
    return failure();
  if (x.getRank() != dy.getRank())
    return emitOpError() << "x shape " << shapeStr(x) << " and dy shape "
                         << shapeStr(dy) << " differ in rank";
  for (int64_t d = 0; d + 1 < x.getRank(); ++d)
    if (mismatch(x.getDimSize(d), dy.getDimSize(d)))
      return emitOpError() << "x shape " << shapeStr(x) << " and dy shape "
                           << shapeStr(dy)
                           << " differ outside the last dimension";
  int64_t in = x.getDimSize(x.getRank() - 1);
  if (mismatch(in, w.getDimSize(1)))
    return emitOpError() << "x last dimension " << in
                         << " does not match the weight's in-features "
                         << w.getDimSize(1) << " (weight " << shapeStr(w)
                         << ")";
  if (getType() != w)
    return emitOpError() << "result type " << getType()
                         << " differs from the weight type " << w;
  return success();
}

LogicalResult ReduceSumOp::verify() {
  RankedTensorType in = getInput().getType(), out = getType();
  if (out.getRank() > in.getRank())
    return emitOpError() << "result shape " << shapeStr(out)
                         << " has higher rank than the input shape "
                         << shapeStr(in);
  int64_t off = in.getRank() - out.getRank();
  for (int64_t i = 0; i < out.getRank(); ++i)
    if (mismatch(in.getDimSize(off + i), out.getDimSize(i)))
      return emitOpError() << "result shape " << shapeStr(out)
                           << " is not a suffix of the input shape "
                           << shapeStr(in);
  if (in.getElementType() != out.getElementType())
    return emitOpError() << "result element type " << out.getElementType()
                         << " differs from the input element type "
                         << in.getElementType();
  return success();
}

LogicalResult ActivationGradOp::verify() {
  if (getKind() == ActivationKind::none)
    return emitOpError("activation kind 'none' is not allowed here");
  return success();
}

LogicalResult SoftmaxGradOp::verify() {
  int64_t rank = getY().getType().getRank();
  int64_t axis = getAxis();
  if (rank == 0 || axis < -rank || axis >= rank)
    return emitOpError() << "axis " << axis << " is out of range for rank "
                         << rank;
  return success();
}

/// The operand rules of layer_norm_grad and rms_norm_grad: x [..., H],
/// gamma [H], dy of x's shape, a valid epsilon.
static LogicalResult verifyNormGrad(Operation *op, Value x, Value gamma,
                                    Value dy, const APFloat &epsilon) {
  RankedTensorType in = tensorTypeOf(x), d = tensorTypeOf(dy);
  if (in.getRank() < 1)
    return op->emitOpError("x must have rank >= 1");
  int64_t h = in.getDimSize(in.getRank() - 1);
  if (failed(checkVector(op, gamma, "gamma", h,
                         "the normalised (last) dimension")))
    return failure();
  bool bad = d.getRank() != in.getRank();
  for (int64_t i = 0; !bad && i < in.getRank(); ++i)
    bad = mismatch(d.getDimSize(i), in.getDimSize(i));
  if (bad)
    return op->emitOpError() << "dy shape " << shapeStr(d)
                             << " differs from the x shape " << shapeStr(in);
  if (failed(checkNormEpsilon(op, epsilon, "epsilon")))
    return failure();
  if (failed(checkNamedResultShape(op, op->getResult(0), "dx",
                                   in.getShape())))
    return failure();
  for (OpResult r : op->getResults().drop_front())
    if (failed(checkNamedResultShape(
            op, r, r.getResultNumber() == 1 ? "dgamma" : "dbeta", {h})))
      return failure();
  return success();
}

LogicalResult LayerNormGradOp::verify() {
  return verifyNormGrad(*this, getX(), getGamma(), getDy(), getEpsilon());
}

LogicalResult RmsNormGradOp::verify() {
  return verifyNormGrad(*this, getX(), getGamma(), getDy(), getEpsilon());
}

LogicalResult AttentionGradOp::verify() {
  if (failed(verifyAttentionOperands(*this, getQuery(), getKey(), getValue(),
                                     getHeads(), getHeadDim(),
                                     getKeepHeads())))
    return failure();
  RankedTensorType q = getQuery().getType(), dy = getDy().getType();
  bool bad = dy.getRank() != q.getRank();
  for (int64_t i = 0; !bad && i < q.getRank(); ++i)
    bad = mismatch(dy.getDimSize(i), q.getDimSize(i));
  if (bad)
    return emitOpError() << "dy shape " << shapeStr(dy)
                         << " differs from the attention result shape "
                         << shapeStr(q);
  for (auto [name, r, operand] :
       {std::tuple<StringRef, Value, Value>{"dq", getDq(), getQuery()},
        {"dk", getDk(), getKey()},
        {"dv", getDv(), getValue()}})
    if (failed(checkNamedResultShape(*this, r, name,
                                     tensorTypeOf(operand).getShape())))
      return failure();
  return success();
}

LogicalResult EmbeddingGradOp::verify() {
  RankedTensorType ids = getIds().getType(), dy = getDy().getType(),
                   out = getType();
  if (ids.getRank() < 1)
    return emitOpError("ids must have rank >= 1");
  if (dy.getRank() != ids.getRank() + 1)
    return emitOpError() << "dy shape " << shapeStr(dy)
                         << " must have one dimension more than the ids shape "
                         << shapeStr(ids);
  for (int64_t d = 0; d < ids.getRank(); ++d)
    if (mismatch(ids.getDimSize(d), dy.getDimSize(d)))
      return emitOpError() << "dy shape " << shapeStr(dy)
                           << " does not extend the ids shape "
                           << shapeStr(ids);
  if (out.getRank() != 2)
    return emitOpError("result must be rank 2 [vocab, hidden], got ")
           << shapeStr(out);
  if (ShapedType::isDynamic(out.getDimSize(0)))
    return emitOpError("result vocabulary size must be static, got ")
           << shapeStr(out);
  int64_t hidden = dy.getDimSize(dy.getRank() - 1);
  if (mismatch(out.getDimSize(1), hidden))
    return emitOpError() << "result shape " << shapeStr(out)
                         << " must be [vocab, " << hidden << "]";
  return success();
}

LogicalResult PositionGradOp::verify() {
  RankedTensorType dy = getDy().getType(), out = getType();
  int64_t offset = getPositionOffset();
  if (offset < 0)
    return emitOpError() << "position_offset must not be negative, got "
                         << offset;
  if (dy.getRank() < 2)
    return emitOpError("dy must have rank >= 2 [..., seq, hidden], got ")
           << shapeStr(dy);
  int64_t hidden = dy.getDimSize(dy.getRank() - 1);
  if (out.getRank() != 2 || mismatch(out.getDimSize(1), hidden))
    return emitOpError() << "result shape " << shapeStr(out)
                         << " must be [max_seq, " << hidden << "]";
  int64_t seq = dy.getDimSize(dy.getRank() - 2), rows = out.getDimSize(0);
  if (!ShapedType::isDynamic(seq) && !ShapedType::isDynamic(rows) &&
      rows - offset < seq)
    return emitOpError() << "result has " << rows
                         << " rows but position_offset " << offset
                         << " + sequence length " << seq << " = "
                         << offset + seq << " are needed";
  return success();
}

/// The rules of concat's inputs; the result shape they imply (a dynamic
/// last extent when any input's is). Shared with type inference, which may
/// run before the verifier.
static FailureOr<SmallVector<int64_t>>
concatShape(function_ref<InFlightDiagnostic()> err, TypeRange inputs) {
  if (inputs.empty())
    return err() << "needs at least one input";
  auto first = cast<RankedTensorType>(inputs.front());
  if (first.getRank() < 1)
    return err() << "inputs must have rank >= 1";
  SmallVector<int64_t> shape(first.getShape());
  int64_t last = 0;
  for (Type t : inputs) {
    auto rt = cast<RankedTensorType>(t);
    if (rt.getRank() != first.getRank())
      return err() << "input shape " << shapeStr(rt)
                   << " differs in rank from the first input shape "
                   << shapeStr(first);
    for (int64_t d = 0; d + 1 < rt.getRank(); ++d) {
      if (mismatch(rt.getDimSize(d), shape[d]))
        return err() << "input shape " << shapeStr(rt)
                     << " differs from the first input shape "
                     << shapeStr(first) << " outside the last dimension";
      if (ShapedType::isDynamic(shape[d]))
        shape[d] = rt.getDimSize(d);
    }
    int64_t n = rt.getDimSize(rt.getRank() - 1);
    last = ShapedType::isDynamic(n) || ShapedType::isDynamic(last)
               ? ShapedType::kDynamic
               : last + n;
  }
  shape.back() = last;
  return shape;
}

LogicalResult ConcatOp::verify() {
  FailureOr<SmallVector<int64_t>> shape =
      concatShape([&] { return emitOpError(); }, getInputs().getTypes());
  if (failed(shape))
    return failure();
  return checkResultShape(*this, *shape);
}

/// The rules of cross_entropy and cross_entropy_grad: logits [..., V],
/// targets of logits' shape without its last dimension.
static LogicalResult checkCrossEntropy(function_ref<InFlightDiagnostic()> err,
                                       RankedTensorType logits,
                                       RankedTensorType targets) {
  if (logits.getRank() < 1)
    return err() << "logits must have rank >= 1";
  bool bad = targets.getRank() + 1 != logits.getRank();
  for (int64_t d = 0; !bad && d < targets.getRank(); ++d)
    bad = mismatch(targets.getDimSize(d), logits.getDimSize(d));
  if (bad)
    return err() << "targets shape " << shapeStr(targets)
                 << " is not the logits shape " << shapeStr(logits)
                 << " without its last dimension";
  return success();
}

LogicalResult CrossEntropyOp::verify() {
  if (failed(checkCrossEntropy([&] { return emitOpError(); },
                               getLogits().getType(), getTargets().getType())))
    return failure();
  return checkResultShape(*this, {});
}

LogicalResult CrossEntropyGradOp::verify() {
  if (failed(checkCrossEntropy([&] { return emitOpError(); },
                               getLogits().getType(), getTargets().getType())))
    return failure();
  return checkResultShape(*this, getLogits().getType().getShape());
}

//===----------------------------------------------------------------------===//
// Composite layers
//===----------------------------------------------------------------------===//

namespace {
/// The weights shared by both composite layers.
struct LayerWeights {
  Value wq, bq, wk, bk, wv, bv, wo, bo, g1, b1n, w1, b1, w2, b2, g2, b2n;
};
} // namespace

static LogicalResult verifyLayer(Operation *op, Value input,
                                 const LayerWeights &w, int64_t heads,
                                 const APFloat &epsilon) {
  if (failed(checkNormEpsilon(op, epsilon, "epsilon")))
    return failure();
  RankedTensorType in = tensorTypeOf(input);
  if (in.getRank() != 3)
    return op->emitOpError("input must be rank 3 [batch, seq, hidden], got ")
           << shapeStr(in);
  int64_t h = in.getDimSize(2);
  if (h == 0)
    return op->emitOpError("hidden size must be positive");
  if (!ShapedType::isDynamic(h) && h % heads != 0)
    return op->emitOpError() << heads << " heads do not divide the hidden size "
                             << h;
  for (auto [name, v] : {std::pair<StringRef, Value>{"wq", w.wq},
                         {"wk", w.wk},
                         {"wv", w.wv},
                         {"wo", w.wo}})
    if (failed(checkMatrix(op, v, name, h, h)))
      return failure();
  for (auto [name, v] : {std::pair<StringRef, Value>{"bq", w.bq},
                         {"bk", w.bk},
                         {"bv", w.bv},
                         {"bo", w.bo},
                         {"ln1_gamma", w.g1},
                         {"ln1_beta", w.b1n},
                         {"ln2_gamma", w.g2},
                         {"ln2_beta", w.b2n},
                         {"b2", w.b2}})
    if (failed(checkVector(op, v, name, h, "the hidden size")))
      return failure();
  RankedTensorType w1 = tensorTypeOf(w.w1);
  if (w1.getRank() != 2)
    return op->emitOpError("w1 must be rank 2 [ffn, hidden], got ")
           << shapeStr(w1);
  int64_t f = w1.getDimSize(0);
  if (failed(checkMatrix(op, w.w1, "w1", f, h)) ||
      failed(checkMatrix(op, w.w2, "w2", h, f)) ||
      failed(checkVector(op, w.b1, "b1", f, "the FFN size of w1")))
    return failure();
  return checkResultShape(op, in.getShape());
}

LogicalResult EncoderLayerOp::verify() {
  LayerWeights w{getWq(),       getBq(),      getWk(), getBk(), getWv(),
                 getBv(),       getWo(),      getBo(), getLn1Gamma(),
                 getLn1Beta(),  getW1(),      getB1(), getW2(), getB2(),
                 getLn2Gamma(), getLn2Beta()};
  return verifyLayer(*this, getInput(), w, getHeads(), getEpsilon());
}

LogicalResult DecoderLayerOp::verify() {
  LayerWeights w{getWq(),       getBq(),      getWk(), getBk(), getWv(),
                 getBv(),       getWo(),      getBo(), getLn1Gamma(),
                 getLn1Beta(),  getW1(),      getB1(), getW2(), getB2(),
                 getLn2Gamma(), getLn2Beta()};
  return verifyLayer(*this, getInput(), w, getHeads(), getEpsilon());
}

//===----------------------------------------------------------------------===//
// Result type inference, folders
//===----------------------------------------------------------------------===//

/// The declared result types are compatible with the inferred ones when they
/// have the same ranks and no two static extents differ (dynamic extents
/// are checked at run time, as in the verifiers above). Element types are
/// not part of the rule: the verifiers never constrained them.
static bool compatibleShapes(TypeRange inferred, TypeRange declared) {
  if (inferred.size() != declared.size())
    return false;
  for (auto [a, b] : llvm::zip(inferred, declared)) {
    auto ta = dyn_cast<RankedTensorType>(a), tb = dyn_cast<RankedTensorType>(b);
    if (!ta || !tb) {
      if (a != b)
        return false;
      continue;
    }
    if (ta.getRank() != tb.getRank())
      return false;
    for (int64_t i = 0; i < ta.getRank(); ++i)
      if (mismatch(ta.getDimSize(i), tb.getDimSize(i)))
        return false;
  }
  return true;
}

LogicalResult LinearOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  auto w = cast<RankedTensorType>(adaptor.getWeight().getType());
  // The same words as the verifier, which runs after inference.
  if (in.getRank() < 1)
    return emitOptionalError(loc, "'", getOperationName(),
                             "' op input must have rank >= 1");
  if (w.getRank() != 2)
    return emitOptionalError(loc, "'", getOperationName(),
                             "' op weight must be rank 2 [out, in], got shape ",
                             shapeStr(w));
  SmallVector<int64_t> shape(in.getShape().drop_back());
  shape.push_back(w.getDimSize(0));
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}
bool LinearOp::isCompatibleReturnTypes(TypeRange l, TypeRange r) {
  return compatibleShapes(l, r);
}

/// The inference of the training ops: the verifiers' words where the
/// operands do not determine a result (inference may run before the
/// verifier, from a builder).
static auto inferError(std::optional<Location> loc, StringRef opName) {
  return [loc, opName]() -> InFlightDiagnostic {
    InFlightDiagnostic d =
        loc ? mlir::emitError(*loc) : InFlightDiagnostic();
    if (loc)
      d << "'" << opName << "' op ";
    return d;
  };
}

LogicalResult
LinearGradInputOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &types) {
  auto dy = cast<RankedTensorType>(adaptor.getDy().getType());
  auto w = cast<RankedTensorType>(adaptor.getW().getType());
  if (failed(checkLinearGrad(inferError(loc, getOperationName()), dy, w)))
    return failure();
  SmallVector<int64_t> shape(dy.getShape().drop_back());
  shape.push_back(w.getDimSize(1));
  types.push_back(RankedTensorType::get(shape, dy.getElementType()));
  return success();
}
bool LinearGradInputOp::isCompatibleReturnTypes(TypeRange l, TypeRange r) {
  return compatibleShapes(l, r);
}

/// dw has exactly w's type (the verifier checks equality).
LogicalResult LinearGradWeightOp::inferReturnTypes(
    MLIRContext *, std::optional<Location>, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getW().getType());
  return success();
}
bool LinearGradWeightOp::isCompatibleReturnTypes(TypeRange l, TypeRange r) {
  return compatibleShapes(l, r);
}

/// dx like x, then dgamma (and dbeta) like gamma.
LogicalResult LayerNormGradOp::inferReturnTypes(
    MLIRContext *, std::optional<Location>, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  Type g = adaptor.getGamma().getType();
  types.append({adaptor.getX().getType(), g, g});
  return success();
}
bool LayerNormGradOp::isCompatibleReturnTypes(TypeRange l, TypeRange r) {
  return compatibleShapes(l, r);
}
LogicalResult RmsNormGradOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location>,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &types) {
  types.append({adaptor.getX().getType(), adaptor.getGamma().getType()});
  return success();
}
bool RmsNormGradOp::isCompatibleReturnTypes(TypeRange l, TypeRange r) {
  return compatibleShapes(l, r);
}

/// dq, dk, dv like query, key, value.
LogicalResult AttentionGradOp::inferReturnTypes(
    MLIRContext *, std::optional<Location>, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  types.append({adaptor.getQuery().getType(), adaptor.getKey().getType(),
                adaptor.getValue().getType()});
  return success();
}
bool AttentionGradOp::isCompatibleReturnTypes(TypeRange l, TypeRange r) {
  return compatibleShapes(l, r);
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  TypeRange inputs = adaptor.getInputs().getTypes();
  FailureOr<SmallVector<int64_t>> shape =
      concatShape(inferError(loc, getOperationName()), inputs);
  if (failed(shape))
    return failure();
  types.push_back(RankedTensorType::get(
      *shape, cast<RankedTensorType>(inputs.front()).getElementType()));
  return success();
}
bool ConcatOp::isCompatibleReturnTypes(TypeRange l, TypeRange r) {
  return compatibleShapes(l, r);
}

/// The loss is a scalar of the logits' element type.
LogicalResult CrossEntropyOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location>,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  types.push_back(RankedTensorType::get(
      {}, cast<RankedTensorType>(adaptor.getLogits().getType())
              .getElementType()));
  return success();
}
bool CrossEntropyOp::isCompatibleReturnTypes(TypeRange l, TypeRange r) {
  return compatibleShapes(l, r);
}

LogicalResult CrossEntropyGradOp::inferReturnTypes(
    MLIRContext *, std::optional<Location>, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getLogits().getType());
  return success();
}
bool CrossEntropyGradOp::isCompatibleReturnTypes(TypeRange l, TypeRange r) {
  return compatibleShapes(l, r);
}

/// The ops whose result has the type of their first operand (softmax and
/// activation: generated from SameOperandsAndResultType).
#define SXF_RESULT_IS_OPERAND(OP, GETTER)                                      \
  LogicalResult OP::inferReturnTypes(MLIRContext *, std::optional<Location>,   \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &types) {           \
    types.push_back(adaptor.GETTER().getType());                               \
    return success();                                                          \
  }                                                                            \
  bool OP::isCompatibleReturnTypes(TypeRange l, TypeRange r) {                 \
    return compatibleShapes(l, r);                                             \
  }
SXF_RESULT_IS_OPERAND(LayerNormOp, getInput)
SXF_RESULT_IS_OPERAND(RmsNormOp, getInput)
SXF_RESULT_IS_OPERAND(AddOp, getLhs)
#undef SXF_RESULT_IS_OPERAND

/// True when `v` is an sxf.weight whose inline value is all zeros.
static bool isZeroWeight(Value v) {
  auto w = v.getDefiningOp<WeightOp>();
  if (!w || !w.getValue())
    return false;
  auto dense = dyn_cast<DenseElementsAttr>(*w.getValue());
  if (!dense || !isa<FloatType>(dense.getElementType()))
    return false;
  if (dense.isSplat())
    return dense.getSplatValue<APFloat>().isZero();
  return llvm::all_of(dense.getValues<APFloat>(),
                      [](const APFloat &f) { return f.isZero(); });
}

/// `activation none` is no activation: drop the attribute (in place).
OpFoldResult LinearOp::fold(FoldAdaptor) {
  if (getActivation() && *getActivation() == ActivationKind::none) {
    removeActivationAttr();
    return getResult();
  }
  return {};
}

/// One piece that is the whole input is the input.
LogicalResult SplitOp::fold(FoldAdaptor, SmallVectorImpl<OpFoldResult> &out) {
  if (getNumResults() != 1 || getResult(0).getType() != getInput().getType())
    return failure();
  out.push_back(getInput());
  return success();
}

/// A concat of one piece of the result's type is that piece.
OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getType())
    return getInputs().front();
  return {};
}

/// x + 0 = x, for an inline all-zero weight of the result's type or
/// broadcast over it (the result has the type of lhs).
OpFoldResult AddOp::fold(FoldAdaptor) {
  if (getLhs().getType() == getType() && isZeroWeight(getRhs()))
    return getLhs();
  return {};
}

//===----------------------------------------------------------------------===//
// CostOpInterface: each op's FLOP count, from the formulas of Sxf.h
//===----------------------------------------------------------------------===//

/// Elements of a static tensor (0 for a dynamic or unranked one; callers
/// exclude dynamic ops before pricing).
static double elementsOf(Type t) {
  auto rt = dyn_cast<RankedTensorType>(t);
  if (!rt || !rt.hasStaticShape())
    return 0;
  return double(rt.getNumElements());
}

double sxf::detail::denseEntries(Value v) { return elementsOf(v.getType()); }

double sxf::detail::defaultActivationBytes(Operation *op) {
  double bytes = 0;
  for (Value v : op->getOperands())
    if (!v.getDefiningOp<WeightOp>())
      bytes += 4.0 * elementsOf(v.getType());
  for (Value r : op->getResults())
    bytes += 4.0 * elementsOf(r.getType());
  return bytes;
}

SmallVector<LinearStep, 4> sxf::linearEpilogue(LinearOp op) {
  SmallVector<LinearStep, 4> steps;
  if (op.getBias())
    steps.push_back(LinearStep::Bias);
  if (op.getActivation() && *op.getActivation() != ActivationKind::none)
    steps.push_back(LinearStep::Activation);
  if (op.getResidual())
    steps.push_back(LinearStep::Residual);
  if (op.getNormGamma())
    steps.push_back(LinearStep::Norm);
  return steps;
}

/// FLOPs per output element of one epilogue step.
static double stepFlopsPerElement(LinearStep step) {
  switch (step) {
  case LinearStep::Bias:
  case LinearStep::Residual:
    return kAddFlopsPerElement;
  case LinearStep::Activation:
    return kActivationFlopsPerElement;
  case LinearStep::Norm:
    return kNormFlopsPerElement;
  }
  llvm_unreachable("unknown linear epilogue step");
}

double LinearOp::getEpilogueFlops() {
  double perElement = 0;
  for (LinearStep step : linearEpilogue(*this))
    if (step != LinearStep::Norm)
      perElement += stepFlopsPerElement(step);
  return perElement * elementsOf(getType());
}

double LinearOp::getNormFlops() {
  return getNormGamma()
             ? stepFlopsPerElement(LinearStep::Norm) * elementsOf(getType())
             : 0;
}

double LinearOp::getFlops(function_ref<double(Value)> weightEntries) {
  // Tokens: the activation's matrix view (no division, so a weight with zero
  // in-features costs 0, not NaN).
  return linearFlops(double(matrixRows(getInput())),
                     weightEntries(getWeight())) +
         getEpilogueFlops() + getNormFlops();
}

double SplitOp::getFlops(function_ref<double(Value)>) { return 0; }
double SplitOp::getActivationBytes() { return 0; } // a view: nothing moves

double MatmulOp::getFlops(function_ref<double(Value)>) {
  auto a = tensorTypeOf(getLhs());
  double k = getTransposeLhs() ? a.getDimSize(a.getRank() - 2)
                               : a.getDimSize(a.getRank() - 1);
  return linearFlops(elementsOf(getType()), k);
}

double AttentionOp::getFlops(function_ref<double(Value)>) {
  auto q = tensorTypeOf(getQuery()), k = tensorTypeOf(getKey());
  double queries = q.getDimSize(q.getRank() - 2),
         keys = k.getDimSize(k.getRank() - 2);
  double batches = queries > 0 ? double(matrixRows(getQuery())) / queries : 0;
  return attentionFlops(batches, double(getHeads()), queries, keys,
                        double(getHeadDim()));
}

double SoftmaxOp::getFlops(function_ref<double(Value)>) {
  return kSoftmaxFlopsPerElement * elementsOf(getType());
}

double LayerNormOp::getFlops(function_ref<double(Value)>) {
  return kNormFlopsPerElement * elementsOf(getType());
}

double RmsNormOp::getFlops(function_ref<double(Value)>) {
  return kNormFlopsPerElement * elementsOf(getType());
}

double ActivationOp::getFlops(function_ref<double(Value)>) {
  return kActivationFlopsPerElement * elementsOf(getType());
}

double AddOp::getFlops(function_ref<double(Value)>) {
  return kAddFlopsPerElement * elementsOf(getType());
}

double EmbeddingOp::getFlops(function_ref<double(Value)>) {
  // A gather: no arithmetic but the position add; its cost is the bytes it
  // moves.
  return getPositions() ? kAddFlopsPerElement * elementsOf(getType()) : 0;
}

double KvAppendOp::getFlops(function_ref<double(Value)>) {
  // A copy: its cost is the bytes it moves.
  return 0;
}

double LinearGradInputOp::getFlops(function_ref<double(Value)> weightEntries) {
  // dy·W over the weight's multiplied entries, as sxf.linear's x·Wᵀ.
  return linearFlops(double(matrixRows(getDy())), weightEntries(getW()));
}

double LinearGradWeightOp::getFlops(function_ref<double(Value)> weightEntries) {
  // One dot product over the rows per stored entry of w (SDDMM).
  return linearFlops(double(matrixRows(getDy())), weightEntries(getW()));
}

double ReduceSumOp::getFlops(function_ref<double(Value)>) {
  return kAddFlopsPerElement * elementsOf(getInput().getType());
}

double ActivationGradOp::getFlops(function_ref<double(Value)>) {
  return kActivationGradFlopsPerElement * elementsOf(getType());
}

double SoftmaxGradOp::getFlops(function_ref<double(Value)>) {
  return kSoftmaxGradFlopsPerElement * elementsOf(getType());
}

double LayerNormGradOp::getFlops(function_ref<double(Value)>) {
  return kNormGradFlopsPerElement * elementsOf(getX().getType());
}

double RmsNormGradOp::getFlops(function_ref<double(Value)>) {
  return kNormGradFlopsPerElement * elementsOf(getX().getType());
}

double AttentionGradOp::getFlops(function_ref<double(Value)>) {
  auto q = tensorTypeOf(getQuery()), k = tensorTypeOf(getKey());
  double queries = q.getDimSize(q.getRank() - 2),
         keys = k.getDimSize(k.getRank() - 2);
  double batches = queries > 0 ? double(matrixRows(getQuery())) / queries : 0;
  return attentionGradFlops(batches, double(getHeads()), queries, keys,
                            double(getHeadDim()));
}

double EmbeddingGradOp::getFlops(function_ref<double(Value)>) {
  // A scatter-add: one add per element of dy.
  return kAddFlopsPerElement * elementsOf(getDy().getType());
}

double PositionGradOp::getFlops(function_ref<double(Value)>) {
  return kAddFlopsPerElement * elementsOf(getDy().getType());
}

double ConcatOp::getFlops(function_ref<double(Value)>) {
  // A copy: its cost is the bytes it moves.
  return 0;
}

double CrossEntropyOp::getFlops(function_ref<double(Value)>) {
  return kCrossEntropyFlopsPerElement * elementsOf(getLogits().getType());
}

double CrossEntropyGradOp::getFlops(function_ref<double(Value)>) {
  return kCrossEntropyFlopsPerElement * elementsOf(getLogits().getType());
}

#include "sxf/Dialect/Sxf/IR/SxfInterfaces.cpp.inc"

/// Every sxf op prices itself, but for the weight (data, no work) and the
/// composite layers (priced after sxf-decompose): a new op without Sxf_Cost in
/// SxfOps.td fails here, at compile time.
template <typename Op>
static constexpr bool isPricedOrExempt() {
  return Op::template hasTrait<CostOpInterface::Trait>() ||
         llvm::is_one_of<Op, WeightOp, EncoderLayerOp, DecoderLayerOp>::value;
}
template <typename... Ops>
static constexpr bool allPricedOrExempt() {
  return (isPricedOrExempt<Ops>() && ...);
}
static_assert(allPricedOrExempt<
#define GET_OP_LIST
#include "sxf/Dialect/Sxf/IR/SxfOps.cpp.inc"
                  >(),
              "an sxf op lacks CostOpInterface (Sxf_Cost in SxfOps.td)");

#define GET_OP_CLASSES
#include "sxf/Dialect/Sxf/IR/SxfOps.cpp.inc"
