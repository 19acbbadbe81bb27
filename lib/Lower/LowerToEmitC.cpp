//===- LowerToEmitC.cpp - sxf models to EmitC calls of the CPU runtime ----===//
//
// The entry function becomes
//
//   extern "C" void sxf_forward(const sxf_rt::Model *model,
//                               void *const *inputs, void *const *outputs,
//                               float *workspace, const int64_t *dims);
//
// a straight line of emitc.call_opaque ops into runtime/include/sxf_rt/
// model.h, one per sxf op, on activations placed in one fp32 workspace
// (offsets planned here with liveness, so buffers are reused).
//
// Shapes are dynamic in their leading dims: every dim of an entry input but
// the feature dim of a float input (for token ids, all of them) is a runtime
// size, read from `dims`. SymbolicShapes below carries them through the
// entry (every supported op keeps the leading dims of its input and changes
// only the feature dim; attention's sequence lengths and embedding's
// positions come from the seq dim), unifying dims that ops require equal.
// Every activation then holds T × C floats, with T the same product of
// runtime dims (the tokens, B·S) and C static, so the workspace is planned
// per token: offsets and the size are static multiples of T, and any batch
// size fits. Row counts, element counts and sequence lengths of the calls
// are products built with emitc.mul. An entry whose shapes do not fit that
// scheme (activations of different token counts, a dynamic dim meeting a
// fixed one) keeps its static shapes, and the program refuses any other
// (a remark says why). Weights are
// encoded in their #sxf.format by lib/Formats into a safetensors container
// (one U8 array per format array, the format in the metadata) that the
// program loads — from a file, or embedded as a global array. A `main`
// that parses sparse-run's options calls sxf_rt::runMain with a spec of the
// inputs and outputs.
//
//===----------------------------------------------------------------------===//

#include "sxf/Lower/LowerToEmitC.h"
#include "sxf/Analysis/SparsityStats.h"
#include "sxf/Dialect/SxfTarget/IR/SxfTarget.h"
#include "sxf/Formats/Formats.h"
#include "sxf/Interpreter/Inputs.h"
#include "sxf/Interpreter/Interpreter.h"
#include "sxf/Support/Safetensors.h"
#include "sxf/Weights/WeightStore.h"

#include "sxf_rt/common.h"
#include "sxf_rt/names.h"

#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <map>
#include <set>

using namespace mlir;

namespace sxf {

namespace {

int64_t colsOf(Value v) { return matrixCols(v); }

// Generated code passes the interpreter's activation code, which the runtime
// reads as sxf_rt::Activation: the two enums must agree.
static_assert(int(ref::Activation::None) == int(sxf_rt::Activation::None) &&
                  int(ref::Activation::Relu) == int(sxf_rt::Activation::Relu) &&
                  int(ref::Activation::Gelu) == int(sxf_rt::Activation::Gelu) &&
                  int(ref::Activation::GeluTanh) ==
                      int(sxf_rt::Activation::GeluTanh) &&
                  int(ref::Activation::Silu) == int(sxf_rt::Activation::Silu),
              "runtime and interpreter activation codes differ");

/// A size: static, or a product of runtime dims of the entry's inputs,
/// factor × Π dims[k] for k in syms (indices into sxf_forward's `dims`,
/// sorted; repeated for a square).
struct Size {
  int64_t factor = 1;
  SmallVector<int64_t, 4> syms;

  static Size fixed(int64_t n) { return Size{n, {}}; }
  static Size symbol(int64_t k) { return Size{1, {k}}; }
  bool isStatic() const { return syms.empty(); }
  Size operator*(const Size &o) const {
    Size r{factor * o.factor, syms};
    r.syms.append(o.syms.begin(), o.syms.end());
    llvm::sort(r.syms);
    return r;
  }
  bool operator==(const Size &o) const {
    return factor == o.factor && syms == o.syms;
  }
  bool operator!=(const Size &o) const { return !(*this == o); }
};

/// One Size per dim; each dim is static or a single runtime dim.
using SymShape = SmallVector<Size, 4>;

Size product(ArrayRef<Size> dims) {
  Size r;
  for (const Size &d : dims)
    r = r * d;
  return r;
}

/// The shapes of the entry's values in terms of the runtime dims of its
/// inputs (see the file comment). With `dynamic` false every dim is static:
/// the fixed-shape program. infer() returns why the entry cannot have
/// dynamic shapes ("" when it can).
///
///   SymbolicShapes s(func, /*dynamic=*/true);
///   std::string why = s.infer();   // then s.shape(v), s.tokens()
class SymbolicShapes {
public:
  SymbolicShapes(func::FuncOp func, bool dynamic)
      : func(func), dynamic(dynamic) {}

  std::string infer();

  /// The shape of `v` (runtime dims by their representatives).
  SymShape shape(Value v) const {
    SymShape s = shapes.lookup(v);
    for (Size &d : s)
      for (int64_t &k : d.syms)
        k = find(k);
    for (Size &d : s)
      llvm::sort(d.syms);
    return s;
  }
  /// Rows: the product of all dims but the last.
  Size rows(Value v) const {
    SymShape s = shape(v);
    return product(ArrayRef<Size>(s).drop_back());
  }
  Size numel(Value v) const { return product(shape(v)); }
  /// The tokens T every activation of the workspace is a multiple of
  /// (1 for the fixed-shape program).
  const Size &tokens() const { return tokenCount; }
  /// Input dims: flat index into `dims` of dim d of argument k.
  int64_t flatIndex(unsigned arg, int64_t d) const { return base[arg] + d; }
  /// The representative of flat dim k (the smallest flat index it was
  /// unified with).
  int64_t find(int64_t k) const {
    while (parent[k] != k)
      k = parent[k];
    return k;
  }
  /// Whether flat dim k of the inputs is a runtime size.
  bool isDynamic(int64_t k) const { return dynamicDim[k]; }

private:
  /// Makes a and b equal; "" or why they cannot be.
  std::string unify(const Size &a, const Size &b) {
    if (a.isStatic() && b.isStatic())
      return a.factor == b.factor ? "" : "sizes differ";
    if (a.isStatic() || b.isStatic())
      return "a dynamic dim meets the fixed size " +
             std::to_string(a.isStatic() ? a.factor : b.factor);
    int64_t x = find(a.syms[0]), y = find(b.syms[0]);
    if (x != y)
      parent[std::max(x, y)] = std::min(x, y);
    return "";
  }
  std::string unifyShapes(ArrayRef<Size> a, ArrayRef<Size> b) {
    for (auto [x, y] : llvm::zip(a, b))
      if (std::string why = unify(x, y); !why.empty())
        return why;
    return "";
  }
  static std::string describe(Operation *op) {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << "'" << op->getName() << "' at " << op->getLoc();
    return s;
  }

  func::FuncOp func;
  bool dynamic;
  DenseMap<Value, SymShape> shapes;
  SmallVector<int64_t> base, parent;
  SmallVector<bool> dynamicDim;
  Size tokenCount;
};

std::string SymbolicShapes::infer() {
  auto dimsOf = [](Value v) {
    return cast<RankedTensorType>(v.getType()).getShape();
  };
  // The inputs: ids dynamic in every dim, floats in all but the last.
  for (BlockArgument arg : func.getArguments()) {
    auto t = cast<RankedTensorType>(arg.getType());
    bool ids = isa<IntegerType>(t.getElementType());
    base.push_back(parent.size());
    SymShape s;
    for (int64_t d = 0; d < t.getRank(); ++d) {
      bool dyn = dynamic && (ids || d + 1 < t.getRank());
      s.push_back(dyn ? Size::symbol(parent.size())
                      : Size::fixed(t.getDimSize(d)));
      dynamicDim.push_back(dyn);
      parent.push_back(parent.size());
    }
    shapes[arg] = s;
  }
  // The ops: each keeps its input's leading dims.
  for (Operation &op : func.getBody().front()) {
    if (isa<WeightOp, func::ReturnOp>(op))
      continue;
    auto keepLeading = [&](Value in, Value out) -> std::string {
      SymShape s = shapes.lookup(in);
      if (s.empty() || int64_t(s.size()) != int64_t(dimsOf(out).size()))
        return describe(&op) + " changes the rank";
      s.back() = Size::fixed(dimsOf(out).back());
      shapes[out] = s;
      return "";
    };
    std::string why;
    if (auto l = dyn_cast<LinearOp>(op)) {
      why = keepLeading(l.getInput(), l.getResult());
      if (why.empty() && l.getResidual())
        why = unifyShapes(shapes.lookup(l.getResidual()),
                          shapes.lookup(l.getResult()));
    } else if (auto a = dyn_cast<AddOp>(op)) {
      // rhs equals lhs or a suffix of it (broadcast over leading dims).
      SymShape lhs = shapes.lookup(a.getLhs()), rhs = shapes.lookup(a.getRhs());
      if (rhs.size() > lhs.size())
        return describe(&op) + " broadcasts its lhs";
      why = unifyShapes(ArrayRef<Size>(lhs).take_back(rhs.size()), rhs);
      shapes[a.getResult()] = lhs;
    } else if (auto s = dyn_cast<SplitOp>(op)) {
      for (Value r : s.getResults())
        if (why.empty())
          why = keepLeading(s.getInput(), r);
    } else if (auto e = dyn_cast<EmbeddingOp>(op)) {
      SymShape s = shapes.lookup(e.getIds());
      s.push_back(Size::fixed(dimsOf(e.getResult()).back()));
      shapes[e.getResult()] = s;
    } else if (auto a = dyn_cast<AttentionOp>(op)) {
      // q [..., Sq, E], k and v [..., Sk, E]: batch dims equal, Sk of k and
      // v equal; the result has q's shape.
      SymShape q = shapes.lookup(a.getQuery()), k = shapes.lookup(a.getKey()),
               v = shapes.lookup(a.getValue());
      if (q.size() < 2 || k.size() != q.size() || v.size() != q.size())
        return describe(&op) + " has operands of different ranks";
      why = unifyShapes(ArrayRef<Size>(q).drop_back(2),
                        ArrayRef<Size>(k).drop_back(2));
      if (why.empty())
        why = unifyShapes(ArrayRef<Size>(k).drop_back(),
                          ArrayRef<Size>(v).drop_back());
      shapes[a.getResult()] = q;
    } else if (op.getNumOperands() >= 1 && op.getNumResults() == 1) {
      // layer_norm, rms_norm, softmax (last axis), activation.
      why = keepLeading(op.getOperand(0), op.getResult(0));
    }
    if (!why.empty())
      return why.find("' at ") == std::string::npos
                 ? describe(&op) + ": " + why
                 : why;
  }
  // One token count for every activation of the workspace.
  bool first = true;
  for (Operation &op : func.getBody().front()) {
    if (isa<WeightOp, func::ReturnOp>(op))
      continue;
    for (Value r : op.getResults()) {
      Size t = rows(r);
      t.factor = 1; // static factors stay in the per-token size
      if (first)
        tokenCount = t;
      else if (t != tokenCount)
        return describe(&op) + " has a result of another token count than "
                               "the first activation";
      first = false;
    }
  }
  return "";
}

/// The runtime's activation codes (sxf_rt::Activation).
int64_t activationCode(std::optional<ActivationKind> k) {
  return static_cast<int64_t>(refActivation(k));
}

/// The container's record of an encoded weight ("kind=csr value=f32
/// index=16 rows=R cols=C stored=N ..."), written by the shared vocabulary
/// that the runtime's loader parses (sxf_rt/format_kinds.h).
std::string describe(const formats::EncodedMatrix &m) {
  sxf_rt::FormatRecord r;
  r.spec = m.spec;
  r.rows = m.rows;
  r.cols = m.cols;
  r.stored = m.storedValues;
  return sxf_rt::formatRecordString(r);
}

class Lowering {
public:
  Lowering(ModuleOp module, const LowerOptions &opt)
      : module(module), opt(opt), ctx(module.getContext()), store(module) {}

  LogicalResult run();

private:
  LogicalResult checkNames();
  LogicalResult collectWeights();
  void inferShapes();
  LogicalResult planWorkspace();
  LogicalResult emit();
  LogicalResult emitOp(OpBuilder &b, Operation *op);

  /// One argument of a runtime call: an SSA value (a pointer, a runtime
  /// size) or a constant attribute.
  struct Arg {
    Arg(Value v) : value(v) {}
    Arg(Attribute a) : attr(a) {}
    Value value;
    Attribute attr;
  };

  Value ptr(OpBuilder &b, Value v);
  /// `size` as a call argument: a constant, or the runtime product (built
  /// once, at its first use).
  Arg size(OpBuilder &b, Location loc, const Size &size);
  /// The spec's text for the dims of `s` ("?48", "*2", "@0.1", "257").
  std::string specDims(const SymShape &s);
  Attribute str(StringRef s) {
    std::string quoted = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\')
        quoted += '\\';
      quoted += c;
    }
    return emitc::OpaqueAttr::get(ctx, quoted + "\"");
  }
  Attribute null() { return emitc::OpaqueAttr::get(ctx, "nullptr"); }
  Attribute i64(int64_t v) { return IntegerAttr::get(IntegerType::get(ctx, 64), v); }
  Attribute f32(float v) { return FloatAttr::get(Float32Type::get(ctx), v); }
  Attribute operand(unsigned k) { return IntegerAttr::get(IndexType::get(ctx), k); }
  /// A runtime call. With `withModel`, the model pointer goes first.
  void call(OpBuilder &b, Location loc, StringRef callee, ArrayRef<Arg> args,
            bool withModel = true) {
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
      add(modelArg);
    for (const Arg &a : args)
      add(a);
    emitc::CallOpaqueOp::create(b, loc, TypeRange(), callee, ops,
                                b.getArrayAttr(all));
  }

  ModuleOp module;
  LowerOptions opt;
  MLIRContext *ctx;
  WeightStore store;
  func::FuncOp func;
  // Weights: encoded arrays and dense tensors for the container.
  std::vector<std::pair<std::string, std::vector<uint8_t>>> arrays;
  std::vector<std::pair<std::string, Tensor>> denseTensors;
  std::map<std::string, std::string> metadata;
  std::set<std::string> encoded, dense;
  // Shapes (dynamic, or the fixed fallback).
  std::unique_ptr<SymbolicShapes> shapes;
  // Workspace: offsets and size in floats per token (times tokens()).
  DenseMap<Value, int64_t> offsets;
  int64_t workspaceUnits = 0;
  // Emission state.
  Value modelArg, inputsArg, outputsArg, workspaceArg, dimsArg;
  DenseMap<Value, Value> pointers;
  std::map<std::pair<int64_t, SmallVector<int64_t, 4>>, Value> sizes;
};

LogicalResult Lowering::checkNames() {
  // The one rule for user-given names (sxf_rt/names.h): they become tokens
  // of the spec, container keys and file names.
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    std::string name = valueName(func.getArgAttrDict(i), "arg", i);
    std::string why = sxf_rt::tensorNameProblem(name);
    if (!why.empty())
      return emitError(func.getArgument(i).getLoc())
             << "sxf-lower-to-emitc: the name '" << name << "' of argument "
             << i << " " << why;
  }
  for (unsigned i = 0; i < func.getNumResults(); ++i) {
    std::string name = valueName(func.getResultAttrDict(i), "result", i);
    std::string why = sxf_rt::tensorNameProblem(name);
    if (!why.empty())
      return emitError(func.getLoc())
             << "sxf-lower-to-emitc: the name '" << name << "' of result "
             << i << " " << why;
  }
  for (auto w : func.getBody().getOps<WeightOp>()) {
    std::string why = sxf_rt::tensorNameProblem(w.getName().str());
    if (!why.empty())
      return w.emitError() << "sxf-lower-to-emitc: the weight name '"
                           << w.getName() << "' " << why;
  }
  return success();
}

LogicalResult Lowering::collectWeights() {
  auto weightOf = [](Value v) { return v.getDefiningOp<WeightOp>(); };
  auto load = [&](WeightOp w) -> FailureOr<Tensor> {
    if (store.source(w) == WeightSource::None)
      return w.emitError() << "sxf-lower-to-emitc: weight '" << w.getName()
                           << "' has no values (metadata only); generated "
                              "code needs them";
    // As stored: an f16/bf16 format rounds, as the interpreter does.
    return store.loadStored(w);
  };
  // Dense fp32 copies: 1-D parameters and gathered tables.
  auto addDense = [&](Value v) -> LogicalResult {
    WeightOp w = weightOf(v);
    if (!w)
      return emitError(v.getLoc(), "sxf-lower-to-emitc: expected a weight");
    if (!dense.insert(w.getName().str()).second)
      return success();
    FailureOr<Tensor> t = load(w);
    if (failed(t))
      return failure();
    denseTensors.push_back({w.getName().str(), std::move(*t)});
    return success();
  };
  auto addEncoded = [&](Value v) -> LogicalResult {
    WeightOp w = weightOf(v);
    if (!w)
      return emitError(v.getLoc(), "sxf-lower-to-emitc: the weight of a "
                                   "linear must be an sxf.weight");
    if (!encoded.insert(w.getName().str()).second)
      return success();
    FailureOr<Tensor> t = load(w);
    if (failed(t))
      return failure();
    // The 2-D view [product of the leading extents, last extent]; no
    // division, so an empty weight (a zero extent) stays well defined.
    int64_t cols = t->shape.back();
    std::vector<int64_t> lead(t->shape.begin(), t->shape.end() - 1);
    t->shape = {shapeNumElements(lead), cols};
    formats::FormatSpec spec;
    if (FormatAttr f = w.getFormatAttr()) {
      spec = toFormatSpec(f);
    } else {
      Type et = cast<RankedTensorType>(w.getType()).getElementType();
      spec.valueType = et.isF16()    ? formats::ValueType::F16
                       : et.isBF16() ? formats::ValueType::BF16
                                     : formats::ValueType::F32;
    }
    if (spec.kind == formats::Kind::CSC || spec.kind == formats::Kind::COO) {
      // The CPU runtime multiplies row-major formats; CSR holds the same
      // entries.
      emitWarning(w.getLoc()) << "sxf-lower-to-emitc: '" << w.getName()
                              << "' is "
                      << formats::kindName(spec.kind)
                      << ", which the CPU runtime has no kernel for; stored "
                         "as CSR";
      spec.kind = formats::Kind::CSR;
      int64_t nnz = 0;
      for (float x : t->data)
        nnz += x != 0.0f;
      spec.indexBits =
          formats::chooseIndexBits(spec, t->shape[0], t->shape[1], nnz);
    }
    llvm::Expected<formats::EncodedMatrix> m = formats::encode(*t, spec);
    if (!m)
      return w.emitError() << "sxf-lower-to-emitc: cannot encode '"
                           << w.getName() << "': "
                           << llvm::toString(m.takeError());
    std::string name = w.getName().str();
    metadata["sxf.format/" + name] = describe(*m);
    arrays.push_back({name + "/values", std::move(m->values)});
    arrays.push_back({name + "/indices", std::move(m->indices)});
    arrays.push_back({name + "/pointers", std::move(m->pointers)});
    return success();
  };

  for (Operation &op : func.getBody().front()) {
    if (isa<WeightOp, func::ReturnOp>(op))
      continue;
    if (isa<EncoderLayerOp, DecoderLayerOp>(op))
      return op.emitError() << "sxf-lower-to-emitc: composite '"
                            << op.getName()
                            << "' must be decomposed first (run sxf-decompose)";
    if (isa<MatmulOp>(op))
      return op.emitError("sxf-lower-to-emitc: a matmul between activations "
                          "is only supported inside sxf.attention (run "
                          "sxf-fuse)");
    if (auto s = dyn_cast<SoftmaxOp>(op)) {
      int64_t rank = cast<RankedTensorType>(s.getType()).getRank();
      if (int64_t(s.getAxis()) != -1 && int64_t(s.getAxis()) != rank - 1)
        return op.emitError(
            "sxf-lower-to-emitc: softmax must be over the last axis");
    }
    for (Value r : op.getResults()) {
      auto t = dyn_cast<RankedTensorType>(r.getType());
      if (!t || !t.hasStaticShape())
        return op.emitError("sxf-lower-to-emitc: needs static tensor shapes");
    }
    LogicalResult ok = success();
    if (auto l = dyn_cast<LinearOp>(op)) {
      ok = addEncoded(l.getWeight());
      if (succeeded(ok) && l.getBias())
        ok = addDense(l.getBias());
      if (succeeded(ok) && l.getNormGamma())
        ok = succeeded(addDense(l.getNormGamma())) &&
                     succeeded(addDense(l.getNormBeta()))
                 ? success()
                 : failure();
      if (succeeded(ok) && weightOf(l.getInput()))
        return op.emitError("sxf-lower-to-emitc: a weight used as an "
                            "activation operand is not supported");
    } else if (auto e = dyn_cast<EmbeddingOp>(op)) {
      ok = addDense(e.getTable());
      if (succeeded(ok) && e.getPositions())
        ok = addDense(e.getPositions());
    } else if (auto n = dyn_cast<LayerNormOp>(op)) {
      ok = succeeded(addDense(n.getGamma())) && succeeded(addDense(n.getBeta()))
               ? success()
               : failure();
    } else if (auto n = dyn_cast<RmsNormOp>(op)) {
      ok = addDense(n.getGamma());
    } else if (!isa<AttentionOp, SoftmaxOp, ActivationOp, AddOp, SplitOp>(op)) {
      return op.emitError() << "sxf-lower-to-emitc: '" << op.getName()
                            << "' is not supported";
    } else {
      for (Value v : op.getOperands())
        if (weightOf(v))
          return op.emitError("sxf-lower-to-emitc: a weight used as an "
                              "activation operand is not supported");
    }
    if (failed(ok))
      return failure();
  }
  return success();
}

LogicalResult Lowering::planWorkspace() {
  // First fit over [offset, size) blocks, values freed after their last use
  // (results never alias operands of the same op).
  std::map<int64_t, int64_t> freeBlocks; // offset -> size
  int64_t top = 0;
  auto allocate = [&](int64_t size) {
    for (auto it = freeBlocks.begin(); it != freeBlocks.end(); ++it)
      if (it->second >= size) {
        int64_t off = it->first, rest = it->second - size;
        freeBlocks.erase(it);
        if (rest)
          freeBlocks[off + size] = rest;
        return off;
      }
    int64_t off = top;
    top += size;
    return off;
  };
  auto release = [&](int64_t off, int64_t size) {
    auto [it, fresh] = freeBlocks.emplace(off, size);
    (void)fresh;
    auto next = std::next(it);
    if (next != freeBlocks.end() && it->first + it->second == next->first) {
      it->second += next->second;
      freeBlocks.erase(next);
    }
    if (it != freeBlocks.begin()) {
      auto prev = std::prev(it);
      if (prev->first + prev->second == it->first) {
        prev->second += it->second;
        freeBlocks.erase(it);
      }
    }
  };
  // Last use of each value (the return keeps results alive).
  DenseMap<Value, Operation *> lastUse;
  for (Operation &op : func.getBody().front())
    for (Value v : op.getOperands())
      lastUse[v] = &op;
  // Sizes per token (numel = tokens × units), in blocks of 16 floats, so
  // that every offset is 64-byte aligned whatever the tokens.
  auto units = [&](Value v) {
    Size n = shapes->numel(v);
    assert(n.syms == shapes->tokens().syms && "planned per token");
    return (n.factor + 15) / 16 * 16;
  };
  for (Operation &op : func.getBody().front()) {
    if (isa<WeightOp, func::ReturnOp>(op))
      continue;
    for (Value r : op.getResults())
      offsets[r] = allocate(units(r));
    for (Value v : op.getOperands()) {
      auto it = offsets.find(v);
      if (it != offsets.end() && lastUse[v] == &op && !isa<func::ReturnOp>(op))
        release(it->second, units(v));
    }
  }
  workspaceUnits = top;
  return success();
}

void Lowering::inferShapes() {
  shapes = std::make_unique<SymbolicShapes>(func, /*dynamic=*/true);
  std::string why = shapes->infer();
  if (why.empty())
    return;
  emitRemark(func.getLoc())
      << "sxf-lower-to-emitc: the program keeps the fixed shapes of @"
      << func.getSymName() << " (" << why << ")";
  shapes = std::make_unique<SymbolicShapes>(func, /*dynamic=*/false);
  why = shapes->infer();
  assert(why.empty() && "static shapes always infer");
}

Lowering::Arg Lowering::size(OpBuilder &b, Location loc, const Size &n) {
  if (n.isStatic())
    return Arg(i64(n.factor));
  auto key = std::make_pair(n.factor, n.syms);
  auto it = sizes.find(key);
  if (it != sizes.end())
    return Arg(it->second);
  Type i64T = IntegerType::get(ctx, 64);
  Value v;
  if (n.syms.size() == 1 && n.factor == 1) {
    v = emitc::CallOpaqueOp::create(
            b, loc, TypeRange{i64T}, "sxf_rt::dim", ValueRange{dimsArg},
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
      Arg a = size(b, loc, s);
      if (a.value)
        return a.value;
      return emitc::ConstantOp::create(b, loc, i64T, a.attr);
    };
    Value lhs = asValue(rest), rhs = asValue(last);
    v = emitc::MulOp::create(b, loc, i64T, lhs, rhs);
  }
  sizes[key] = v;
  return Arg(v);
}
Value Lowering::ptr(OpBuilder &b, Value v) {
  auto it = pointers.find(v);
  if (it != pointers.end())
    return it->second;
  Type f32p = emitc::PointerType::get(Float32Type::get(ctx));
  Value p;
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    bool ids = isa<IntegerType>(
        cast<RankedTensorType>(arg.getType()).getElementType());
    Type t = ids ? emitc::PointerType::get(IntegerType::get(ctx, 64)) : f32p;
    p = emitc::CallOpaqueOp::create(
            b, arg.getLoc(), TypeRange{t},
            ids ? "sxf_rt::inputIds" : "sxf_rt::inputF32",
            ValueRange{inputsArg},
            b.getArrayAttr({operand(0), i64(arg.getArgNumber())}))
            .getResult(0);
  } else {
    // Offset: units per token × tokens.
    Size off = shapes->tokens() * Size::fixed(offsets.lookup(v));
    if (off.factor == 0)
      off = Size::fixed(0);
    Arg o = size(b, v.getLoc(), off);
    SmallVector<Value> ops = {workspaceArg};
    Attribute offAttr = o.attr;
    if (o.value) {
      ops.push_back(o.value);
      offAttr = operand(1);
    }
    p = emitc::CallOpaqueOp::create(b, v.getLoc(), TypeRange{f32p},
                                    "sxf_rt::at", ops,
                                    b.getArrayAttr({operand(0), offAttr}))
            .getResult(0);
  }
  pointers[v] = p;
  return p;
}

LogicalResult Lowering::emitOp(OpBuilder &b, Operation *op) {
  Location loc = op->getLoc();
  auto name = [](Value v) { return v.getDefiningOp<WeightOp>().getName(); };
  auto rows = [&](Value v) { return size(b, loc, shapes->rows(v)); };
  auto cols = [&](Value v) { return i64(colsOf(v)); };
  auto numel = [&](Value v) { return size(b, loc, shapes->numel(v)); };
  if (auto l = dyn_cast<LinearOp>(op)) {
    Value x = ptr(b, l.getInput()), y = ptr(b, l.getResult());
    Arg residual = l.getResidual() ? Arg(ptr(b, l.getResidual())) : null();
    call(b, loc, "sxf_rt::linear",
         {str(name(l.getWeight())), x, rows(l.getInput()), y,
          l.getBias() ? str(name(l.getBias())) : null(),
          i64(activationCode(l.getActivation())), residual,
          l.getNormGamma() ? str(name(l.getNormGamma())) : null(),
          l.getNormBeta() ? str(name(l.getNormBeta())) : null(),
          f32(l.getNormEpsilon() ? l.getNormEpsilon()->convertToFloat()
                                 : 1e-5f)});
  } else if (auto n = dyn_cast<LayerNormOp>(op)) {
    Value x = ptr(b, n.getInput()), y = ptr(b, n.getResult());
    call(b, loc, "sxf_rt::layerNorm",
         {str(name(n.getGamma())), str(name(n.getBeta())), x,
          rows(n.getInput()), cols(n.getInput()), y,
          f32(n.getEpsilon().convertToFloat())});
  } else if (auto n = dyn_cast<RmsNormOp>(op)) {
    Value x = ptr(b, n.getInput()), y = ptr(b, n.getResult());
    call(b, loc, "sxf_rt::rmsNorm",
         {str(name(n.getGamma())), x, rows(n.getInput()), cols(n.getInput()),
          y, f32(n.getEpsilon().convertToFloat())});
  } else if (auto s = dyn_cast<SoftmaxOp>(op)) {
    Value x = ptr(b, s.getInput()), y = ptr(b, s.getResult());
    call(b, loc, "sxf_rt::softmax",
         {x, rows(s.getInput()), cols(s.getInput()), y});
  } else if (auto a = dyn_cast<ActivationOp>(op)) {
    Value x = ptr(b, a.getInput()), y = ptr(b, a.getResult());
    call(b, loc, "sxf_rt::activation",
         {x, numel(a.getInput()), i64(activationCode(a.getKind())), y});
  } else if (auto a = dyn_cast<AddOp>(op)) {
    Value x = ptr(b, a.getLhs()), r = ptr(b, a.getRhs()),
          y = ptr(b, a.getResult());
    call(b, loc, "sxf_rt::add",
         {x, numel(a.getLhs()), r, numel(a.getRhs()), y});
  } else if (auto s = dyn_cast<SplitOp>(op)) {
    int64_t off = 0;
    for (Value r : s.getResults()) {
      Value x = ptr(b, s.getInput()), y = ptr(b, r);
      call(b, loc, "sxf_rt::split",
           {x, rows(s.getInput()), cols(s.getInput()), i64(off), cols(r), y});
      off += colsOf(r);
    }
  } else if (auto e = dyn_cast<EmbeddingOp>(op)) {
    // ids [..., S]: batch = the product of the leading dims, seq = S (the
    // runtime checks it against the positions table).
    SymShape ids = shapes->shape(e.getIds());
    Value x = ptr(b, e.getIds()), y = ptr(b, e.getResult());
    call(b, loc, "sxf_rt::embedding",
         {str(name(e.getTable())),
          e.getPositions() ? str(name(e.getPositions())) : null(), x,
          size(b, loc, product(ArrayRef<Size>(ids).drop_back())),
          size(b, loc, ids.back()), y});
  } else if (auto a = dyn_cast<AttentionOp>(op)) {
    // q [..., Sq, E], k and v [..., Sk, E].
    SymShape q = shapes->shape(a.getQuery()), k = shapes->shape(a.getKey());
    std::string keep;
    for (int64_t h = 0; h < int64_t(a.getHeads()); ++h)
      keep += (a.getKeepHeads() && !(*a.getKeepHeads())[h]) ? '0' : '1';
    Value qp = ptr(b, a.getQuery()), kp = ptr(b, a.getKey()),
          vp = ptr(b, a.getValue()), y = ptr(b, a.getResult());
    call(b, loc, "sxf_rt::attention",
         {qp, kp, vp, size(b, loc, product(ArrayRef<Size>(q).drop_back(2))),
          size(b, loc, q[q.size() - 2]), size(b, loc, k[k.size() - 2]),
          i64(a.getHeads()), i64(a.getHeadDim()), i64(a.getCausal() ? 1 : 0),
          str(keep), y});
  }
  return success();
}

std::string Lowering::specDims(const SymShape &s) {
  std::string out;
  for (auto [k, d] : llvm::enumerate(s)) {
    out += k ? "x" : "";
    if (d.isStatic()) {
      out += std::to_string(d.factor);
      continue;
    }
    // A runtime dim: by its representative, input dim (arg, j).
    int64_t flat = d.syms[0];
    unsigned arg = 0;
    while (arg + 1 < func.getNumArguments() &&
           shapes->flatIndex(arg + 1, 0) <= flat)
      ++arg;
    out += "@" + std::to_string(arg) + "." +
           std::to_string(flat - shapes->flatIndex(arg, 0));
  }
  return out;
}

LogicalResult Lowering::emit() {
  OpBuilder b(ctx);
  b.setInsertionPointToEnd(module.getBody());
  Location loc = func.getLoc();
  emitc::IncludeOp::create(b, loc, "sxf_rt/harness.h", /*isStandard=*/false);
  auto opaque = [&](StringRef s) { return emitc::OpaqueType::get(ctx, s); };
  Type modelT = emitc::PointerType::get(opaque("const sxf_rt::Model"));
  Type voidPP = emitc::PointerType::get(opaque("void *const"));
  Type f32p = emitc::PointerType::get(Float32Type::get(ctx));
  Type dimsT = emitc::PointerType::get(opaque("const int64_t"));
  auto fn = emitc::FuncOp::create(
      b, loc, "sxf_forward",
      FunctionType::get(ctx, {modelT, voidPP, voidPP, f32p, dimsT}, {}));
  fn.setSpecifiersAttr(b.getStrArrayAttr({"extern \"C\""}));
  Block *body = fn.addEntryBlock();
  modelArg = body->getArgument(0);
  inputsArg = body->getArgument(1);
  outputsArg = body->getArgument(2);
  workspaceArg = body->getArgument(3);
  dimsArg = body->getArgument(4);
  OpBuilder fb = OpBuilder::atBlockEnd(body);
  for (Operation &op : func.getBody().front()) {
    if (isa<WeightOp, func::ReturnOp>(op))
      continue;
    if (failed(emitOp(fb, &op)))
      return failure();
  }
  // Results: copied from the workspace to the caller's buffers.
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    if (isa<BlockArgument>(v) &&
        isa<IntegerType>(cast<RankedTensorType>(v.getType()).getElementType()))
      return ret.emitError("sxf-lower-to-emitc: integer results are not "
                           "supported");
    Value out = emitc::CallOpaqueOp::create(fb, 
                      loc, TypeRange{f32p}, "sxf_rt::outputF32",
                      ValueRange{outputsArg},
                      b.getArrayAttr({operand(0), i64(i)}))
                    .getResult(0);
    Value x = ptr(fb, v);
    call(fb, loc, "sxf_rt::copy", {x, size(fb, loc, shapes->numel(v)), out},
         /*withModel=*/false);
  }
  emitc::ReturnOp::create(fb, loc, Value());

  // The spec runMain parses (harness.h): inputs, outputs, workspace,
  // weights. A runtime dim of an input is "?MAX" (any size up to the IR's,
  // e.g. a sequence bounded by a positions table), "*DEFAULT" for the batch
  // (the first of two or more; the workspace grows with it), or "@K.D" when
  // an op made it equal to an earlier one.
  std::string spec;
  for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
    auto t = cast<RankedTensorType>(arg.getType());
    bool ids = isa<IntegerType>(t.getElementType());
    int64_t vocab = 2;
    for (Operation *user : arg.getUsers())
      if (auto e = dyn_cast<EmbeddingOp>(user))
        if (e.getIds() == arg)
          vocab = e.getTable().getType().getDimSize(0);
    int64_t dynamicDims = 0;
    for (int64_t d = 0; d < t.getRank(); ++d)
      dynamicDims += shapes->isDynamic(shapes->flatIndex(i, d));
    SymShape dims;
    std::string text;
    for (int64_t d = 0; d < t.getRank(); ++d) {
      int64_t flat = shapes->flatIndex(i, d);
      text += d ? "x" : "";
      if (!shapes->isDynamic(flat))
        text += std::to_string(t.getDimSize(d));
      else if (shapes->find(flat) != flat)
        text += specDims({Size::symbol(shapes->find(flat))});
      else
        text += (d == 0 && dynamicDims >= 2 ? "*" : "?") +
                std::to_string(t.getDimSize(d));
    }
    spec += "in " + valueName(func.getArgAttrDict(i), "arg", i) +
            (ids ? " ids " : " f32 ") + text;
    if (ids)
      spec += " " + std::to_string(vocab);
    spec += ";";
  }
  for (auto [i, v] : llvm::enumerate(ret.getOperands()))
    spec += "out " + valueName(func.getResultAttrDict(i), "result", i) +
            " f32 " + specDims(shapes->shape(v)) + ";";
  spec += "workspace " + std::to_string(workspaceUnits);
  if (!shapes->tokens().isStatic()) {
    SymShape t;
    for (int64_t k : shapes->tokens().syms)
      t.push_back(Size::symbol(k));
    spec += " per " + specDims(t);
  }
  spec += ";";
  if (!opt.embed)
    spec += "weights " + opt.weightsFile + ";";

  Attribute blob = null();
  int64_t blobSize = 0;
  if (opt.embed) {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
        llvm::MemoryBuffer::getFile(opt.weightsFile);
    if (!buf)
      return emitError(loc) << "sxf-lower-to-emitc: cannot read back '"
                            << opt.weightsFile << "'";
    StringRef bytes = (*buf)->getBuffer();
    blobSize = bytes.size();
    SmallVector<uint8_t> data(bytes.bytes_begin(), bytes.bytes_end());
    auto type = emitc::ArrayType::get({blobSize}, IntegerType::get(ctx, 8, IntegerType::Unsigned));
    auto init = DenseElementsAttr::get(
        RankedTensorType::get({blobSize},
                              IntegerType::get(ctx, 8, IntegerType::Unsigned)),
        ArrayRef<uint8_t>(data));
    auto g = emitc::GlobalOp::create(b, loc, "sxf_weights_blob", type, init);
    g.setStaticSpecifier(true);
    g.setConstSpecifier(true);
    blob = emitc::OpaqueAttr::get(ctx, "sxf_weights_blob");
  }
  Type charPP = emitc::PointerType::get(emitc::PointerType::get(opaque("char")));
  auto mainFn = emitc::FuncOp::create(b, 
      loc, "main",
      FunctionType::get(ctx, {IntegerType::get(ctx, 32), charPP},
                        {IntegerType::get(ctx, 32)}));
  Block *mb = mainFn.addEntryBlock();
  OpBuilder mbb = OpBuilder::atBlockEnd(mb);
  Value r = emitc::CallOpaqueOp::create(mbb, 
                   loc, TypeRange{IntegerType::get(ctx, 32)}, "sxf_rt::runMain",
                   ValueRange{mb->getArgument(0), mb->getArgument(1)},
                   b.getArrayAttr({operand(0), operand(1),
                                   emitc::OpaqueAttr::get(ctx, "sxf_forward"),
                                   str(spec), blob, i64(blobSize)}))
                .getResult(0);
  emitc::ReturnOp::create(mbb, loc, r);
  return success();
}

LogicalResult Lowering::run() {
  Interpreter interp(module);
  FailureOr<func::FuncOp> f = interp.entry(opt.entry);
  if (failed(f))
    return failure();
  func = *f;
  if (opt.weightsFile.empty())
    return emitError(module.getLoc(),
                     "sxf-lower-to-emitc: give weights=FILE (the container "
                     "the program loads its encoded weights from)");
  if (failed(checkNames()) || failed(collectWeights()))
    return failure();
  inferShapes();
  if (failed(planWorkspace()))
    return failure();
  // The container: encoded arrays and dense tensors, formats in metadata.
  std::vector<SafetensorsWriteEntry> entries;
  for (auto &[name, bytes] : arrays) {
    SafetensorsWriteEntry e;
    e.name = name;
    e.raw = &bytes;
    entries.push_back(e);
  }
  for (auto &[name, t] : denseTensors) {
    SafetensorsWriteEntry e;
    e.name = name;
    e.tensor = &t;
    entries.push_back(e);
  }
  metadata["sxf.container"] = "sxf_rt weights v1";
  if (llvm::Error e = writeSafetensors(opt.weightsFile, entries, metadata))
    return emitError(module.getLoc())
           << "sxf-lower-to-emitc: " << llvm::toString(std::move(e));
  if (failed(emit()))
    return failure();
  // The emitted module holds only EmitC: drop the sxf functions.
  for (auto f : llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
    f.erase();
  for (auto p : llvm::make_early_inc_range(
           module.getOps<target::ProgramOp>()))
    p.erase();
  for (NamedAttribute a : llvm::make_early_inc_range(module->getAttrs()))
    if (a.getName().getValue().starts_with("sxf."))
      module->removeAttr(a.getName());
  return success();
}

} // namespace

LogicalResult lowerToEmitC(ModuleOp module, const LowerOptions &options) {
  module.getContext()->getOrLoadDialect<emitc::EmitCDialect>();
  Lowering l(module, options);
  return l.run();
}

} // namespace sxf
