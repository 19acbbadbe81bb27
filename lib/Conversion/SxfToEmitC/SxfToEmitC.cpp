//===- SxfToEmitC.cpp - sxf-lower-to-emitc: conversion patterns -----------===//
//
// The entry function becomes
//
//   extern "C" void sxf_forward(const sxf_rt::Model *model,
//                               void *const *inputs, void *const *outputs,
//                               float *workspace, const int64_t *dims);
//
// a straight line of emitc.call_opaque ops into libsxf_rt (declared in
// runtime/include/sxf_rt/api.h, the one header the program includes), one
// per sxf op, on activations placed in one fp32 workspace. It
// is dialect conversion (applyFullConversion, sxf illegal):
//
//  - SxfToEmitCTypeConverter: an activation tensor becomes the pointer to
//    its first element (`!emitc.ptr<f32>`; token ids `!emitc.ptr<i64>`);
//  - EntryLowering: the entry `func.func` becomes `emitc.func @sxf_forward`
//    with the ABI above; its arguments become `sxf_rt::inputF32/inputIds`
//    pointers into `inputs`;
//  - one pattern per sxf op: the result becomes `sxf_rt::at(workspace,
//    offset)` at the offset the plan gave it, and the op a call with the
//    op's attributes as arguments (weights by name: the runtime looks them
//    up in the container); sxf.weight is erased (its users name it);
//  - ReturnLowering: results are copied to the caller's `outputs`.
//
// Runtime sizes (row counts, element counts, sequence lengths) are products
// of `dims` built with emitc.mul once, in sxf_forward's prologue, and shared
// by every call that needs them. Everything a pattern relies on was checked
// by EmitCPlan::build (EmitCPlan.h), so patterns do not fail; an op without
// a pattern is a legalization error naming it.
//
// After the conversion, `main` (sparse-run's options, sxf_rt::runMain with
// the plan's spec) and, with embed=true, the container as a global array are
// added; other functions and sxft programs are dropped.
//
//===----------------------------------------------------------------------===//

#include "sxf/Conversion/SxfToEmitC/SxfToEmitC.h"
#include "EmitCPlan.h"

#include "sxf/Conversion/Passes.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/SxfTarget/IR/SxfTarget.h"
#include "sxf/Interpreter/Interpreter.h"

#include "sxf_rt/activation.h"

#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/Support/MemoryBuffer.h"

#include <map>

namespace sxf {
#define GEN_PASS_DEF_SXFLOWERTOEMITCPASS
#include "sxf/Conversion/Passes.h.inc"
} // namespace sxf

using namespace mlir;
using namespace sxf;

// Generated code passes the interpreter's activation code, which the runtime
// reads as sxf_rt::Activation: the two enums must agree.
static_assert(int(ref::Activation::None) == int(sxf_rt::Activation::None) &&
                  int(ref::Activation::Relu) == int(sxf_rt::Activation::Relu) &&
                  int(ref::Activation::Gelu) == int(sxf_rt::Activation::Gelu) &&
                  int(ref::Activation::GeluTanh) ==
                      int(sxf_rt::Activation::GeluTanh) &&
                  int(ref::Activation::Silu) == int(sxf_rt::Activation::Silu),
              "runtime and interpreter activation codes differ");

SxfToEmitCTypeConverter::SxfToEmitCTypeConverter(MLIRContext *ctx) {
  // Already-converted values (pointers, sizes) keep their types.
  addConversion([](Type t) { return t; });
  addConversion([ctx](RankedTensorType t) -> Type {
    Type e = t.getElementType();
    if (isa<IntegerType>(e))
      return emitc::PointerType::get(IntegerType::get(ctx, 64));
    if (e.isF32() || e.isF16() || e.isBF16())
      return emitc::PointerType::get(Float32Type::get(ctx));
    return Type();
  });
}

namespace {

/// What the patterns share while the entry is rewritten: the plan, the
/// arguments of sxf_forward, and the runtime sizes built in its prologue.
class EmitCState {
public:
  EmitCState(const EmitCPlan &plan, MLIRContext *ctx) : plan(plan), ctx(ctx) {}

  /// One argument of a runtime call: an SSA value (a pointer, a runtime
  /// size) or a constant attribute.
  struct Arg {
    Arg(Value v) : value(v) {}
    Arg(Attribute a) : attr(a) {}
    Value value;
    Attribute attr;
  };

  Attribute str(StringRef s) const {
    std::string quoted = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\')
        quoted += '\\';
      quoted += c;
    }
    return emitc::OpaqueAttr::get(ctx, quoted + "\"");
  }
  Attribute null() const { return emitc::OpaqueAttr::get(ctx, "nullptr"); }
  Attribute i64(int64_t v) const {
    return IntegerAttr::get(IntegerType::get(ctx, 64), v);
  }
  Attribute f32(float v) const {
    return FloatAttr::get(Float32Type::get(ctx), v);
  }
  Attribute operand(unsigned k) const {
    return IntegerAttr::get(IndexType::get(ctx), k);
  }
  /// The name a weight operand is looked up by in the container.
  Attribute weightName(Value v) const {
    return v ? str(v.getDefiningOp<WeightOp>().getName()) : null();
  }
  /// The runtime's activation code (sxf_rt::Activation).
  Attribute activation(std::optional<ActivationKind> k) const {
    return i64(static_cast<int64_t>(refActivation(k)));
  }

  /// A runtime call at the builder's insertion point. With `withModel`, the
  /// model pointer goes first.
  void call(OpBuilder &b, Location loc, StringRef callee, ArrayRef<Arg> args,
            bool withModel = true) const {
    SmallVector<Value> ops;
    SmallVector<Attribute> all;
    auto add = [&](const Arg &a) {
      if (a.value) {
        all.push_back(operand(ops.size()));
        ops.push_back(a.value);
      } else {
        all.push_back(a.attr);
      }
    };
    if (withModel)
      add(model);
    for (const Arg &a : args)
      add(a);
    emitc::CallOpaqueOp::create(b, loc, TypeRange(), callee, ops,
                                b.getArrayAttr(all));
  }

  /// `n` as a call argument: a constant, or the runtime product, built once
  /// in the prologue of sxf_forward (so it dominates every use).
  Arg size(OpBuilder &b, const Size &n) {
    if (n.isStatic())
      return Arg(i64(n.factor));
    auto key = std::make_pair(n.factor, n.syms);
    auto it = sizes.find(key);
    if (it != sizes.end())
      return Arg(it->second);
    Type i64T = IntegerType::get(ctx, 64);
    Value v;
    {
      OpBuilder::InsertionGuard guard(b);
      toPrologue(b);
      Location loc = body->getParentOp()->getLoc();
      if (n.syms.size() == 1 && n.factor == 1) {
        v = emitc::CallOpaqueOp::create(
                b, loc, TypeRange{i64T}, "sxf_rt::dim", ValueRange{dims},
                b.getArrayAttr({operand(0), i64(n.syms[0])}))
                .getResult(0);
      } else {
        // factor × Π dims: the product of the rest, times the last factor.
        Size rest = n, last;
        if (n.factor != 1) {
          rest.factor = 1;
          last = Size::fixed(n.factor);
        } else {
          rest.syms.pop_back();
          last = Size::symbol(n.syms.back());
        }
        auto asValue = [&](const Size &s) -> Value {
          Arg a = size(b, s);
          if (a.value)
            return a.value;
          OpBuilder::InsertionGuard g2(b);
          toPrologue(b);
          Value c = emitc::ConstantOp::create(b, loc, i64T, a.attr);
          prologueEnd = c.getDefiningOp();
          return c;
        };
        Value lhs = asValue(rest), rhs = asValue(last);
        toPrologue(b);
        v = emitc::MulOp::create(b, loc, i64T, lhs, rhs);
      }
      prologueEnd = v.getDefiningOp();
    }
    sizes[key] = v;
    return Arg(v);
  }
  Arg size(OpBuilder &b, Value v) { return size(b, plan.shapes().rows(v)); }
  Arg numel(OpBuilder &b, Value v) { return size(b, plan.shapes().numel(v)); }

  /// The workspace pointer of activation `v` (tokens × its planned offset),
  /// at the builder's insertion point.
  Value resultPointer(OpBuilder &b, Value v) {
    Size off = plan.shapes().tokens() * Size::fixed(plan.offset(v));
    if (off.factor == 0)
      off = Size::fixed(0);
    Arg o = size(b, off);
    SmallVector<Value> ops = {workspace};
    Attribute offAttr = o.attr;
    if (o.value) {
      ops.push_back(o.value);
      offAttr = operand(1);
    }
    return emitc::CallOpaqueOp::create(
               b, v.getLoc(), TypeRange{emitc::PointerType::get(
                                  Float32Type::get(ctx))},
               "sxf_rt::at", ops, b.getArrayAttr({operand(0), offAttr}))
        .getResult(0);
  }

  const EmitCPlan &plan;
  MLIRContext *ctx;
  // sxf_forward's body and arguments, set by EntryLowering.
  Block *body = nullptr;
  Value model, inputs, outputs, workspace, dims;
  // The last op of the prologue (input pointers, then runtime sizes).
  Operation *prologueEnd = nullptr;

private:
  void toPrologue(OpBuilder &b) const {
    if (prologueEnd)
      b.setInsertionPointAfter(prologueEnd);
    else
      b.setInsertionPointToStart(body);
  }

  std::map<std::pair<int64_t, SmallVector<int64_t, 4>>, Value> sizes;
};

using Arg = EmitCState::Arg;

/// Base of the per-op patterns: the shared state.
template <typename OpT>
struct EmitCPattern : OpConversionPattern<OpT> {
  EmitCPattern(const TypeConverter &tc, MLIRContext *ctx, EmitCState &state)
      : OpConversionPattern<OpT>(tc, ctx), s(state) {}
  EmitCState &s;
};

/// func.func @entry → emitc.func @sxf_forward (the ABI of the file comment).
struct EntryLowering : EmitCPattern<func::FuncOp> {
  using EmitCPattern::EmitCPattern;
  LogicalResult
  matchAndRewrite(func::FuncOp f, OpAdaptor,
                  ConversionPatternRewriter &rw) const override {
    if (f != s.plan.entry())
      return rw.notifyMatchFailure(f, "not the entry");
    MLIRContext *ctx = s.ctx;
    Location loc = f.getLoc();
    auto opaque = [&](StringRef t) { return emitc::OpaqueType::get(ctx, t); };
    Type modelT = emitc::PointerType::get(opaque("const sxf_rt::Model"));
    Type voidPP = emitc::PointerType::get(opaque("void *const"));
    Type f32p = emitc::PointerType::get(Float32Type::get(ctx));
    Type dimsT = emitc::PointerType::get(opaque("const int64_t"));
    SmallVector<Type> abi = {modelT, voidPP, voidPP, f32p, dimsT};
    rw.setInsertionPoint(f);
    auto fn = emitc::FuncOp::create(rw, loc, "sxf_forward",
                                    FunctionType::get(ctx, abi, {}));
    fn.setSpecifiersAttr(rw.getStrArrayAttr({"extern \"C\""}));
    Block *body = rw.createBlock(&fn.getBody(), fn.getBody().end(), abi,
                                 SmallVector<Location>(abi.size(), loc));
    s.body = body;
    s.model = body->getArgument(0);
    s.inputs = body->getArgument(1);
    s.outputs = body->getArgument(2);
    s.workspace = body->getArgument(3);
    s.dims = body->getArgument(4);
    // The inputs: typed pointers into `inputs`.
    SmallVector<Value> args;
    for (BlockArgument arg : f.getArguments()) {
      Type t = getTypeConverter()->convertType(arg.getType());
      bool ids = isa<IntegerType>(
          cast<RankedTensorType>(arg.getType()).getElementType());
      Value p = emitc::CallOpaqueOp::create(
                    rw, arg.getLoc(), TypeRange{t},
                    ids ? "sxf_rt::inputIds" : "sxf_rt::inputF32",
                    ValueRange{s.inputs},
                    rw.getArrayAttr({s.operand(0), s.i64(arg.getArgNumber())}))
                    .getResult(0);
      s.prologueEnd = p.getDefiningOp();
      args.push_back(p);
    }
    rw.inlineBlockBefore(&f.getBody().front(), body, body->end(), args);
    rw.eraseOp(f);
    return success();
  }
};

/// Results: copied from the workspace to the caller's buffers.
struct ReturnLowering : EmitCPattern<func::ReturnOp> {
  using EmitCPattern::EmitCPattern;
  LogicalResult
  matchAndRewrite(func::ReturnOp ret, OpAdaptor a,
                  ConversionPatternRewriter &rw) const override {
    Location loc = ret.getLoc();
    Type f32p = emitc::PointerType::get(Float32Type::get(s.ctx));
    for (auto [i, v] : llvm::enumerate(a.getOperands())) {
      Value out =
          emitc::CallOpaqueOp::create(
              rw, loc, TypeRange{f32p}, "sxf_rt::outputF32",
              ValueRange{s.outputs}, rw.getArrayAttr({s.operand(0), s.i64(i)}))
              .getResult(0);
      s.call(rw, loc, "sxf_rt::copy",
             {v, s.numel(rw, ret.getOperand(i)), out}, /*withModel=*/false);
    }
    rw.replaceOpWithNewOp<emitc::ReturnOp>(ret, Value());
    return success();
  }
};

/// sxf.weight: no code; its users pass the weight's name.
struct WeightLowering : EmitCPattern<WeightOp> {
  using EmitCPattern::EmitCPattern;
  LogicalResult
  matchAndRewrite(WeightOp w, OpAdaptor,
                  ConversionPatternRewriter &rw) const override {
    rw.eraseOp(w);
    return success();
  }
};

/// sxf.linear → sxf_rt::linear(model, "weight", x, rows, y, "bias" | nullptr,
/// activation, residual | nullptr, "gamma" | nullptr, "beta" | nullptr, eps).
struct LinearLowering : EmitCPattern<LinearOp> {
  using EmitCPattern::EmitCPattern;
  LogicalResult
  matchAndRewrite(LinearOp l, OpAdaptor a,
                  ConversionPatternRewriter &rw) const override {
    Value y = s.resultPointer(rw, l.getResult());
    Arg residual = a.getResidual() ? Arg(a.getResidual()) : Arg(s.null());
    s.call(rw, l.getLoc(), "sxf_rt::linear",
           {s.weightName(l.getWeight()), a.getInput(),
            s.size(rw, l.getInput()), y, s.weightName(l.getBias()),
            s.activation(l.getActivation()), residual,
            s.weightName(l.getNormGamma()), s.weightName(l.getNormBeta()),
            s.f32(l.getNormEpsilon() ? l.getNormEpsilon()->convertToFloat()
                                     : 1e-5f)});
    rw.replaceOp(l, y);
    return success();
  }
};

/// sxf.layer_norm → sxf_rt::layerNorm(model, "gamma", "beta", x, rows, cols,
/// y, eps).
struct LayerNormLowering : EmitCPattern<LayerNormOp> {
  using EmitCPattern::EmitCPattern;
  LogicalResult
  matchAndRewrite(LayerNormOp n, OpAdaptor a,
                  ConversionPatternRewriter &rw) const override {
    Value y = s.resultPointer(rw, n.getResult());
    s.call(rw, n.getLoc(), "sxf_rt::layerNorm",
           {s.weightName(n.getGamma()), s.weightName(n.getBeta()),
            a.getInput(), s.size(rw, n.getInput()),
            s.i64(matrixCols(n.getInput())), y,
            s.f32(n.getEpsilon().convertToFloat())});
    rw.replaceOp(n, y);
    return success();
  }
};

/// sxf.rms_norm → sxf_rt::rmsNorm(model, "gamma", x, rows, cols, y, eps).
struct RmsNormLowering : EmitCPattern<RmsNormOp> {
  using EmitCPattern::EmitCPattern;
  LogicalResult
  matchAndRewrite(RmsNormOp n, OpAdaptor a,
                  ConversionPatternRewriter &rw) const override {
    Value y = s.resultPointer(rw, n.getResult());
    s.call(rw, n.getLoc(), "sxf_rt::rmsNorm",
           {s.weightName(n.getGamma()), a.getInput(),
            s.size(rw, n.getInput()), s.i64(matrixCols(n.getInput())), y,
            s.f32(n.getEpsilon().convertToFloat())});
    rw.replaceOp(n, y);
    return success();
  }
};

/// sxf.softmax (last axis) → sxf_rt::softmax(model, x, rows, cols, y).
struct SoftmaxLowering : EmitCPattern<SoftmaxOp> {
  using EmitCPattern::EmitCPattern;
  LogicalResult
  matchAndRewrite(SoftmaxOp sm, OpAdaptor a,
                  ConversionPatternRewriter &rw) const override {
    Value y = s.resultPointer(rw, sm.getResult());
    s.call(rw, sm.getLoc(), "sxf_rt::softmax",
           {a.getInput(), s.size(rw, sm.getInput()),
            s.i64(matrixCols(sm.getInput())), y});
    rw.replaceOp(sm, y);
    return success();
  }
};

/// sxf.activation → sxf_rt::activation(model, x, numel, code, y).
struct ActivationLowering : EmitCPattern<ActivationOp> {
  using EmitCPattern::EmitCPattern;
  LogicalResult
  matchAndRewrite(ActivationOp act, OpAdaptor a,
                  ConversionPatternRewriter &rw) const override {
    Value y = s.resultPointer(rw, act.getResult());
    s.call(rw, act.getLoc(), "sxf_rt::activation",
           {a.getInput(), s.numel(rw, act.getInput()),
            s.activation(act.getKind()), y});
    rw.replaceOp(act, y);
    return success();
  }
};

/// sxf.add → sxf_rt::add(model, lhs, numel, rhs, numel, y) (rhs broadcast
/// over the leading dims when smaller).
struct AddLowering : EmitCPattern<AddOp> {
  using EmitCPattern::EmitCPattern;
  LogicalResult
  matchAndRewrite(AddOp add, OpAdaptor a,
                  ConversionPatternRewriter &rw) const override {
    Value y = s.resultPointer(rw, add.getResult());
    s.call(rw, add.getLoc(), "sxf_rt::add",
           {a.getLhs(), s.numel(rw, add.getLhs()), a.getRhs(),
            s.numel(rw, add.getRhs()), y});
    rw.replaceOp(add, y);
    return success();
  }
};

/// sxf.split → one sxf_rt::split(model, x, rows, cols, offset, width, y) per
/// result.
struct SplitLowering : EmitCPattern<SplitOp> {
  using EmitCPattern::EmitCPattern;
  LogicalResult
  matchAndRewrite(SplitOp split, OpAdaptor a,
                  ConversionPatternRewriter &rw) const override {
    SmallVector<Value> ys;
    int64_t off = 0;
    for (Value r : split.getResults()) {
      Value y = s.resultPointer(rw, r);
      s.call(rw, split.getLoc(), "sxf_rt::split",
             {a.getInput(), s.size(rw, split.getInput()),
              s.i64(matrixCols(split.getInput())), s.i64(off),
              s.i64(matrixCols(r)), y});
      off += matrixCols(r);
      ys.push_back(y);
    }
    rw.replaceOp(split, ys);
    return success();
  }
};

/// sxf.embedding → sxf_rt::embedding(model, "table", "positions" | nullptr,
/// ids, batch, seq, y): ids [..., S], batch the product of the leading dims
/// (the runtime checks S against the positions table).
struct EmbeddingLowering : EmitCPattern<EmbeddingOp> {
  using EmitCPattern::EmitCPattern;
  LogicalResult
  matchAndRewrite(EmbeddingOp e, OpAdaptor a,
                  ConversionPatternRewriter &rw) const override {
    SymShape ids = s.plan.shapes().shape(e.getIds());
    Value y = s.resultPointer(rw, e.getResult());
    if (int64_t offset = e.getPositionOffset())
      s.call(rw, e.getLoc(), "sxf_rt::embedding_at",
             {s.weightName(e.getTable()), s.weightName(e.getPositions()),
              a.getIds(),
              s.size(rw, product(ArrayRef<Size>(ids).drop_back())),
              s.size(rw, ids.back()), s.i64(offset), y});
    else
      s.call(rw, e.getLoc(), "sxf_rt::embedding",
             {s.weightName(e.getTable()), s.weightName(e.getPositions()),
              a.getIds(),
              s.size(rw, product(ArrayRef<Size>(ids).drop_back())),
              s.size(rw, ids.back()), y});
    rw.replaceOp(e, y);
    return success();
  }
};

/// sxf.kv_append → sxf_rt::kv_append(model, cache, update, B, P, N, D, y):
/// static shapes (SymbolicShapes keeps them for an entry with an append).
struct KvAppendLowering : EmitCPattern<KvAppendOp> {
  using EmitCPattern::EmitCPattern;
  LogicalResult
  matchAndRewrite(KvAppendOp k, OpAdaptor a,
                  ConversionPatternRewriter &rw) const override {
    SymShape c = s.plan.shapes().shape(k.getCache()),
             u = s.plan.shapes().shape(k.getUpdate());
    Value y = s.resultPointer(rw, k.getResult());
    s.call(rw, k.getLoc(), "sxf_rt::kv_append",
           {a.getCache(), a.getUpdate(), s.size(rw, c[0]), s.size(rw, c[1]),
            s.size(rw, u[1]), s.size(rw, c[2]), y});
    rw.replaceOp(k, y);
    return success();
  }
};

/// sxf.attention → sxf_rt::attention(model, q, k, v, batch, Sq, Sk, heads,
/// head_dim, causal, "keep mask", y): q [..., Sq, E], k and v [..., Sk, E].
struct AttentionLowering : EmitCPattern<AttentionOp> {
  using EmitCPattern::EmitCPattern;
  LogicalResult
  matchAndRewrite(AttentionOp at, OpAdaptor a,
                  ConversionPatternRewriter &rw) const override {
    SymShape q = s.plan.shapes().shape(at.getQuery()),
             k = s.plan.shapes().shape(at.getKey());
    std::string keep;
    for (int64_t h = 0; h < int64_t(at.getHeads()); ++h)
      keep += (at.getKeepHeads() && !(*at.getKeepHeads())[h]) ? '0' : '1';
    Value y = s.resultPointer(rw, at.getResult());
    s.call(rw, at.getLoc(), "sxf_rt::attention",
           {a.getQuery(), a.getKey(), a.getValue(),
            s.size(rw, product(ArrayRef<Size>(q).drop_back(2))),
            s.size(rw, q[q.size() - 2]), s.size(rw, k[k.size() - 2]),
            s.i64(at.getHeads()), s.i64(at.getHeadDim()),
            s.i64(at.getCausal() ? 1 : 0), s.str(keep), y});
    rw.replaceOp(at, y);
    return success();
  }
};

// sxf.matmul, sxf.encoder_layer and sxf.decoder_layer have no pattern: the
// CPU runtime has no kernel for them (EmitCPlan::build says so, with the pass
// that removes them).

void populateSxfToEmitCPatterns(const TypeConverter &converter,
                                RewritePatternSet &patterns,
                                EmitCState &state) {
  patterns.add<EntryLowering, ReturnLowering, WeightLowering, LinearLowering,
               LayerNormLowering, RmsNormLowering, SoftmaxLowering,
               ActivationLowering, AddLowering, SplitLowering,
               EmbeddingLowering, KvAppendLowering, AttentionLowering>(
      converter, patterns.getContext(), state);
}

/// `main` (sparse-run's options, sxf_rt::runMain with the plan's spec), the
/// runtime include (sxf_rt/api.h: declarations only; the program links
/// libsxf_rt) and, with embed=true, the container as a global array.
LogicalResult emitEntryPoint(ModuleOp module, const EmitCPlan &plan,
                             const EmitCState &s) {
  MLIRContext *ctx = module.getContext();
  Location loc = plan.location();
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  emitc::IncludeOp::create(b, loc, "sxf_rt/api.h", /*isStandard=*/false);
  b.setInsertionPointToEnd(module.getBody());
  Attribute blob = s.null();
  int64_t blobSize = 0;
  if (plan.options().embed) {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
        llvm::MemoryBuffer::getFile(plan.options().weightsFile);
    if (!buf)
      return emitError(loc) << "sxf-lower-to-emitc: cannot read back '"
                            << plan.options().weightsFile << "'";
    StringRef bytes = (*buf)->getBuffer();
    blobSize = bytes.size();
    SmallVector<uint8_t> data(bytes.bytes_begin(), bytes.bytes_end());
    Type u8 = IntegerType::get(ctx, 8, IntegerType::Unsigned);
    auto type = emitc::ArrayType::get({blobSize}, u8);
    auto init = DenseElementsAttr::get(RankedTensorType::get({blobSize}, u8),
                                       ArrayRef<uint8_t>(data));
    auto g = emitc::GlobalOp::create(b, loc, "sxf_weights_blob", type, init);
    g.setStaticSpecifier(true);
    g.setConstSpecifier(true);
    blob = emitc::OpaqueAttr::get(ctx, "sxf_weights_blob");
  }
  Type charPP = emitc::PointerType::get(
      emitc::PointerType::get(emitc::OpaqueType::get(ctx, "char")));
  Type i32 = IntegerType::get(ctx, 32);
  auto mainFn = emitc::FuncOp::create(
      b, loc, "main", FunctionType::get(ctx, {i32, charPP}, {i32}));
  Block *mb = mainFn.addEntryBlock();
  OpBuilder mbb = OpBuilder::atBlockEnd(mb);
  Value r = emitc::CallOpaqueOp::create(
                mbb, loc, TypeRange{i32}, "sxf_rt::runMain",
                ValueRange{mb->getArgument(0), mb->getArgument(1)},
                b.getArrayAttr({s.operand(0), s.operand(1),
                                emitc::OpaqueAttr::get(ctx, "sxf_forward"),
                                s.str(plan.spec()), blob, s.i64(blobSize)}))
                .getResult(0);
  emitc::ReturnOp::create(mbb, loc, r);
  return success();
}

struct SxfLowerToEmitCPass
    : public sxf::impl::SxfLowerToEmitCPassBase<SxfLowerToEmitCPass> {
  using Base::Base;
  void runOnOperation() override {
    LowerOptions options;
    options.weightsFile = weights;
    options.embed = embed;
    options.entry = entry;
    if (failed(lowerToEmitC(getOperation(), options)))
      signalPassFailure();
  }
};

} // namespace

LogicalResult sxf::lowerToEmitC(ModuleOp module, const LowerOptions &options) {
  MLIRContext *ctx = module.getContext();
  ctx->getOrLoadDialect<emitc::EmitCDialect>();
  FailureOr<std::unique_ptr<EmitCPlan>> plan = EmitCPlan::build(module, options);
  if (failed(plan))
    return failure();
  func::FuncOp entry = (*plan)->entry();
  EmitCState state(**plan, ctx);
  SxfToEmitCTypeConverter converter(ctx);
  RewritePatternSet patterns(ctx);
  populateSxfToEmitCPatterns(converter, patterns, state);
  ConversionTarget target(*ctx);
  target.addLegalDialect<emitc::EmitCDialect>();
  target.addIllegalDialect<SxfDialect>();
  target.addIllegalOp<func::FuncOp, func::ReturnOp>();
  if (failed(applyFullConversion(ArrayRef<Operation *>{entry}, target,
                                 std::move(patterns))))
    return failure();
  if (failed(emitEntryPoint(module, **plan, state)))
    return failure();
  // The emitted module holds only EmitC: drop the sxf functions.
  for (auto f : llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
    f.erase();
  for (auto p :
       llvm::make_early_inc_range(module.getOps<target::ProgramOp>()))
    p.erase();
  for (NamedAttribute a : llvm::make_early_inc_range(module->getAttrs()))
    if (a.getName().getValue().starts_with("sxf."))
      module->removeAttr(a.getName());
  return success();
}
