//===- LowerToEmitC.cpp - sxf models to EmitC calls of the CPU runtime ----===//
//
// The entry function becomes
//
//   extern "C" void sxf_forward(const sxf_rt::Model *model,
//                               void *const *inputs, void *const *outputs,
//                               float *workspace);
//
// a straight line of emitc.call_opaque ops into runtime/include/sxf_rt/
// model.h, one per sxf op, on activations placed in one fp32 workspace
// (offsets planned here with liveness, so buffers are reused). Weights are
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

int64_t rowsOf(Value v) { return matrixRows(v); }
int64_t colsOf(Value v) { return matrixCols(v); }
int64_t numel(Value v) { return rowsOf(v) * colsOf(v); }

// Generated code passes the interpreter's activation code, which the runtime
// reads as sxf_rt::Activation: the two enums must agree.
static_assert(int(ref::Activation::None) == int(sxf_rt::Activation::None) &&
                  int(ref::Activation::Relu) == int(sxf_rt::Activation::Relu) &&
                  int(ref::Activation::Gelu) == int(sxf_rt::Activation::Gelu) &&
                  int(ref::Activation::GeluTanh) ==
                      int(sxf_rt::Activation::GeluTanh) &&
                  int(ref::Activation::Silu) == int(sxf_rt::Activation::Silu),
              "runtime and interpreter activation codes differ");

/// The runtime's activation codes (sxf_rt::Activation).
int64_t activationCode(std::optional<ActivationKind> k) {
  return static_cast<int64_t>(refActivation(k));
}

/// "kind=csr value=f32 index=16 pointer=16 rows=R cols=C stored=N ..."
std::string describe(const formats::EncodedMatrix &m) {
  const formats::FormatSpec &s = m.spec;
  std::string d = std::string("kind=") + formats::kindName(s.kind) +
                  " value=" + formats::valueTypeName(s.valueType) +
                  " index=" + std::to_string(s.indexBits) +
                  " rows=" + std::to_string(m.rows) +
                  " cols=" + std::to_string(m.cols) +
                  " stored=" + std::to_string(m.storedValues);
  if (s.kind == formats::Kind::BSR)
    d += " block=" + std::to_string(s.blockRows) + "x" +
         std::to_string(s.blockCols);
  if (s.kind == formats::Kind::NM)
    d += " nm=" + std::to_string(s.n) + ":" + std::to_string(s.m);
  if (s.kind == formats::Kind::SlicedELL)
    d += " slice=" + std::to_string(s.sliceRows);
  return d;
}

class Lowering {
public:
  Lowering(ModuleOp module, const LowerOptions &opt)
      : module(module), opt(opt), ctx(module.getContext()), store(module) {}

  LogicalResult run();

private:
  LogicalResult collectWeights();
  LogicalResult planWorkspace();
  LogicalResult emit();
  LogicalResult emitOp(OpBuilder &b, Operation *op);

  Value ptr(OpBuilder &b, Value v);
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
  /// A runtime call; `args` refer to `operands` with operand(k). With
  /// `withModel`, the model pointer goes first (operand indices shift).
  void call(OpBuilder &b, Location loc, StringRef callee, ValueRange operands,
            ArrayRef<Attribute> args, bool withModel = true) {
    SmallVector<Value> ops;
    SmallVector<Attribute> all;
    if (withModel) {
      ops.push_back(modelArg);
      all.push_back(operand(0));
    }
    ops.append(operands.begin(), operands.end());
    for (Attribute a : args) {
      auto idx = dyn_cast<IntegerAttr>(a);
      if (withModel && idx && isa<IndexType>(idx.getType()))
        all.push_back(operand(idx.getInt() + 1));
      else
        all.push_back(a);
    }
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
  // Workspace.
  DenseMap<Value, int64_t> offsets;
  int64_t workspaceFloats = 0;
  // Emission state.
  Value modelArg, inputsArg, outputsArg, workspaceArg;
  DenseMap<Value, Value> pointers;
};

LogicalResult Lowering::collectWeights() {
  auto weightOf = [](Value v) { return v.getDefiningOp<WeightOp>(); };
  auto load = [&](WeightOp w) -> FailureOr<Tensor> {
    if (store.source(w) == WeightSource::None)
      return w.emitError() << "sxf-lower-to-emitc: weight '" << w.getName()
                           << "' has no values (metadata only); generated "
                              "code needs them";
    return store.load(w);
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
    int64_t cols = t->shape.back();
    t->shape = {t->numel() / cols, cols};
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
  // Align blocks to 16 floats (64 bytes) for the vector kernels.
  auto rounded = [](int64_t n) { return (n + 15) / 16 * 16; };
  for (Operation &op : func.getBody().front()) {
    if (isa<WeightOp, func::ReturnOp>(op))
      continue;
    for (Value r : op.getResults())
      offsets[r] = allocate(rounded(numel(r)));
    for (Value v : op.getOperands()) {
      auto it = offsets.find(v);
      if (it != offsets.end() && lastUse[v] == &op && !isa<func::ReturnOp>(op))
        release(it->second, rounded(numel(v)));
    }
  }
  workspaceFloats = top;
  return success();
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
    p = emitc::CallOpaqueOp::create(b, 
             arg.getLoc(), TypeRange{t},
             ids ? "sxf_rt::inputIds" : "sxf_rt::inputF32",
             ValueRange{inputsArg},
             b.getArrayAttr({operand(0), i64(arg.getArgNumber())}))
            .getResult(0);
  } else {
    p = emitc::CallOpaqueOp::create(b, 
             v.getLoc(), TypeRange{f32p}, "sxf_rt::at",
             ValueRange{workspaceArg},
             b.getArrayAttr({operand(0), i64(offsets.lookup(v))}))
            .getResult(0);
  }
  pointers[v] = p;
  return p;
}

LogicalResult Lowering::emitOp(OpBuilder &b, Operation *op) {
  Location loc = op->getLoc();
  auto name = [](Value v) { return v.getDefiningOp<WeightOp>().getName(); };
  if (auto l = dyn_cast<LinearOp>(op)) {
    SmallVector<Value> ops = {ptr(b, l.getInput()), ptr(b, l.getResult())};
    Attribute residual = null();
    if (l.getResidual()) {
      ops.push_back(ptr(b, l.getResidual()));
      residual = operand(2);
    }
    call(b, loc, "sxf_rt::linear", ops,
         {str(name(l.getWeight())), operand(0), i64(rowsOf(l.getInput())),
          operand(1),
          l.getBias() ? str(name(l.getBias())) : null(),
          i64(activationCode(l.getActivation())), residual,
          l.getNormGamma() ? str(name(l.getNormGamma())) : null(),
          l.getNormBeta() ? str(name(l.getNormBeta())) : null(),
          f32(l.getNormEpsilon() ? l.getNormEpsilon()->convertToFloat()
                                 : 1e-5f)});
  } else if (auto n = dyn_cast<LayerNormOp>(op)) {
    call(b, loc, "sxf_rt::layerNorm",
         {ptr(b, n.getInput()), ptr(b, n.getResult())},
         {str(name(n.getGamma())), str(name(n.getBeta())), operand(0),
          i64(rowsOf(n.getInput())), i64(colsOf(n.getInput())),
          operand(1), f32(n.getEpsilon().convertToFloat())});
  } else if (auto n = dyn_cast<RmsNormOp>(op)) {
    call(b, loc, "sxf_rt::rmsNorm",
         {ptr(b, n.getInput()), ptr(b, n.getResult())},
         {str(name(n.getGamma())), operand(0), i64(rowsOf(n.getInput())),
          i64(colsOf(n.getInput())), operand(1),
          f32(n.getEpsilon().convertToFloat())});
  } else if (auto s = dyn_cast<SoftmaxOp>(op)) {
    call(b, loc, "sxf_rt::softmax", {ptr(b, s.getInput()), ptr(b, s.getResult())},
         {operand(0), i64(rowsOf(s.getInput())), i64(colsOf(s.getInput())),
          operand(1)});
  } else if (auto a = dyn_cast<ActivationOp>(op)) {
    call(b, loc, "sxf_rt::activation",
         {ptr(b, a.getInput()), ptr(b, a.getResult())},
         {operand(0), i64(numel(a.getInput())),
          i64(activationCode(a.getKind())), operand(1)});
  } else if (auto a = dyn_cast<AddOp>(op)) {
    call(b, loc, "sxf_rt::add",
         {ptr(b, a.getLhs()), ptr(b, a.getRhs()), ptr(b, a.getResult())},
         {operand(0), i64(numel(a.getLhs())), operand(1),
          i64(numel(a.getRhs())), operand(2)});
  } else if (auto s = dyn_cast<SplitOp>(op)) {
    int64_t off = 0;
    for (Value r : s.getResults()) {
      call(b, loc, "sxf_rt::split", {ptr(b, s.getInput()), ptr(b, r)},
           {operand(0), i64(rowsOf(s.getInput())), i64(colsOf(s.getInput())),
            i64(off), i64(colsOf(r)), operand(1)});
      off += colsOf(r);
    }
  } else if (auto e = dyn_cast<EmbeddingOp>(op)) {
    auto ids = cast<RankedTensorType>(e.getIds().getType());
    int64_t seq = ids.getDimSize(ids.getRank() - 1);
    call(b, loc, "sxf_rt::embedding", {ptr(b, e.getIds()), ptr(b, e.getResult())},
         {str(name(e.getTable())),
          e.getPositions() ? str(name(e.getPositions())) : null(), operand(0),
          i64(numel(e.getIds()) / seq), i64(seq), operand(1)});
  } else if (auto a = dyn_cast<AttentionOp>(op)) {
    auto qt = cast<RankedTensorType>(a.getQuery().getType());
    auto kt = cast<RankedTensorType>(a.getKey().getType());
    int64_t sq = qt.getDimSize(qt.getRank() - 2),
            sk = kt.getDimSize(kt.getRank() - 2);
    std::string keep;
    for (int64_t h = 0; h < int64_t(a.getHeads()); ++h)
      keep += (a.getKeepHeads() && !(*a.getKeepHeads())[h]) ? '0' : '1';
    call(b, loc, "sxf_rt::attention",
         {ptr(b, a.getQuery()), ptr(b, a.getKey()), ptr(b, a.getValue()),
          ptr(b, a.getResult())},
         {operand(0), operand(1), operand(2), i64(rowsOf(a.getQuery()) / sq),
          i64(sq), i64(sk), i64(a.getHeads()), i64(a.getHeadDim()),
          i64(a.getCausal() ? 1 : 0), str(keep), operand(3)});
  }
  return success();
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
  auto fn = emitc::FuncOp::create(b, 
      loc, "sxf_forward",
      FunctionType::get(ctx, {modelT, voidPP, voidPP, f32p}, {}));
  fn.setSpecifiersAttr(b.getStrArrayAttr({"extern \"C\""}));
  Block *body = fn.addEntryBlock();
  modelArg = body->getArgument(0);
  inputsArg = body->getArgument(1);
  outputsArg = body->getArgument(2);
  workspaceArg = body->getArgument(3);
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
    call(fb, loc, "sxf_rt::copy", {ptr(fb, v), out},
         {operand(0), i64(numel(v)), operand(1)}, /*withModel=*/false);
  }
  emitc::ReturnOp::create(fb, loc, Value());

  // The spec runMain parses: inputs, outputs, workspace, weights.
  std::string spec;
  for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
    auto t = cast<RankedTensorType>(arg.getType());
    bool ids = isa<IntegerType>(t.getElementType());
    int64_t vocab = 2;
    for (Operation *user : arg.getUsers())
      if (auto e = dyn_cast<EmbeddingOp>(user))
        if (e.getIds() == arg)
          vocab = e.getTable().getType().getDimSize(0);
    spec += "in " + valueName(func.getArgAttrDict(i), "arg", i) +
            (ids ? " ids " : " f32 ");
    for (int64_t k = 0; k < t.getRank(); ++k)
      spec += (k ? "x" : "") + std::to_string(t.getDimSize(k));
    if (ids)
      spec += " " + std::to_string(vocab);
    spec += ";";
  }
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    auto t = cast<RankedTensorType>(v.getType());
    spec += "out " + valueName(func.getResultAttrDict(i), "result", i) + " f32 ";
    for (int64_t k = 0; k < t.getRank(); ++k)
      spec += (k ? "x" : "") + std::to_string(t.getDimSize(k));
    spec += ";";
  }
  spec += "workspace " + std::to_string(workspaceFloats) + ";";
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
  if (failed(collectWeights()) || failed(planWorkspace()))
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
