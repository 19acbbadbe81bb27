//===- EmitCPlan.cpp - the plan sxf-lower-to-emitc's patterns share -------===//
//
// Shapes are dynamic in their leading dims: every dim of an entry input but
// the feature dim of a float input (for token ids, all of them) is a runtime
// size, read from `dims`. SymbolicShapes carries them through the entry
// (every supported op keeps the leading dims of its input and changes only
// the feature dim; attention's sequence lengths and embedding's positions
// come from the seq dim), unifying dims that ops require equal. Every
// activation then holds T × C floats, with T the same product of runtime
// dims (the tokens, B·S) and C static, so the workspace is planned per
// token: offsets and the size are static multiples of T, and any batch size
// fits. An entry whose shapes do not fit that scheme (activations of
// different token counts, a dynamic dim meeting a fixed one) keeps its
// static shapes, and the program refuses any other (a remark says why).
// Weights are encoded in their #sxf.format by lib/Formats into a safetensors
// container (one U8 array per format array, the format in the metadata)
// that the program loads — from a file, or embedded as a global array.
//
// Both per-op dispatches here (shape inference and validation with weight
// collection) are exhaustive visitors (SxfVisitors.h): a new sxf op without
// a case does not compile.
//
//===----------------------------------------------------------------------===//

#include "EmitCPlan.h"

#include "sxf/Analysis/SparsityStats.h"
#include "sxf/Dialect/Sxf/IR/SxfVisitors.h"
#include "sxf/Formats/Formats.h"
#include "sxf/Interpreter/Inputs.h"
#include "sxf/Interpreter/Interpreter.h"
#include "sxf/Support/Safetensors.h"
#include "sxf/Weights/WeightStore.h"

#include "sxf_rt/format_kinds.h"
#include "sxf_rt/names.h"

#include <set>

using namespace mlir;

namespace sxf {

Size Size::operator*(const Size &o) const {
  Size r{factor * o.factor, syms};
  r.syms.append(o.syms.begin(), o.syms.end());
  llvm::sort(r.syms);
  return r;
}

Size product(ArrayRef<Size> dims) {
  Size r;
  for (const Size &d : dims)
    r = r * d;
  return r;
}

namespace {
std::string describe(Operation *op) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "'" << op->getName() << "' at " << op->getLoc();
  return s;
}

ArrayRef<int64_t> dimsOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
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
} // namespace

//===----------------------------------------------------------------------===//
// SymbolicShapes
//===----------------------------------------------------------------------===//

SymShape SymbolicShapes::shape(Value v) const {
  SymShape s = shapes.lookup(v);
  for (Size &d : s)
    for (int64_t &k : d.syms)
      k = find(k);
  for (Size &d : s)
    llvm::sort(d.syms);
  return s;
}

Size SymbolicShapes::rows(Value v) const {
  SymShape s = shape(v);
  return product(ArrayRef<Size>(s).drop_back());
}

std::string SymbolicShapes::unify(const Size &a, const Size &b) {
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

std::string SymbolicShapes::unifyShapes(ArrayRef<Size> a, ArrayRef<Size> b) {
  for (auto [x, y] : llvm::zip(a, b))
    if (std::string why = unify(x, y); !why.empty())
      return why;
  return "";
}

std::string SymbolicShapes::inferOp(Operation *op) {
  auto keepLeading = [&](Value in, Value out) -> std::string {
    SymShape s = shapes.lookup(in);
    if (s.empty() || int64_t(s.size()) != int64_t(dimsOf(out).size()))
      return describe(op) + " changes the rank";
    s.back() = Size::fixed(dimsOf(out).back());
    shapes[out] = s;
    return "";
  };
  return visitSxfOp<std::string>(
      op,
      Overloaded{
          [&](WeightOp) -> std::string { return ""; },
          [&](LinearOp l) -> std::string {
            std::string why = keepLeading(l.getInput(), l.getResult());
            if (why.empty() && l.getResidual())
              why = unifyShapes(shapes.lookup(l.getResidual()),
                                shapes.lookup(l.getResult()));
            return why;
          },
          [&](AddOp a) -> std::string {
            // rhs equals lhs or a suffix of it (broadcast over leading dims).
            SymShape lhs = shapes.lookup(a.getLhs()),
                     rhs = shapes.lookup(a.getRhs());
            if (rhs.size() > lhs.size())
              return describe(op) + " broadcasts its lhs";
            shapes[a.getResult()] = lhs;
            return unifyShapes(ArrayRef<Size>(lhs).take_back(rhs.size()), rhs);
          },
          [&](SplitOp s) -> std::string {
            for (Value r : s.getResults())
              if (std::string why = keepLeading(s.getInput(), r); !why.empty())
                return why;
            return "";
          },
          [&](EmbeddingOp e) -> std::string {
            SymShape s = shapes.lookup(e.getIds());
            s.push_back(Size::fixed(dimsOf(e.getResult()).back()));
            shapes[e.getResult()] = s;
            return "";
          },
          [&](AttentionOp a) -> std::string {
            // q [..., Sq, E], k and v [..., Sk, E]: batch dims equal, Sk of
            // k and v equal; the result has q's shape.
            SymShape q = shapes.lookup(a.getQuery()),
                     k = shapes.lookup(a.getKey()),
                     v = shapes.lookup(a.getValue());
            if (q.size() < 2 || k.size() != q.size() || v.size() != q.size())
              return describe(op) + " has operands of different ranks";
            shapes[a.getResult()] = q;
            std::string why = unifyShapes(ArrayRef<Size>(q).drop_back(2),
                                          ArrayRef<Size>(k).drop_back(2));
            if (why.empty())
              why = unifyShapes(ArrayRef<Size>(k).drop_back(),
                                ArrayRef<Size>(v).drop_back());
            return why;
          },
          // Row-wise over the last axis: the leading dims stay.
          [&](OneOf<LayerNormOp, RmsNormOp, SoftmaxOp, ActivationOp> o)
              -> std::string {
            return keepLeading(o->getOperand(0), o->getResult(0));
          },
          [&](KvAppendOp k) -> std::string {
            // [B, P, D] ++ [B, N, D] -> [B, P + N, D]: a sum of sequence
            // lengths, which a per-token workspace cannot hold; with fixed
            // shapes the result's are its type's.
            SymShape c = shapes.lookup(k.getCache()),
                     u = shapes.lookup(k.getUpdate());
            if (c.size() != 3 || u.size() != 3)
              return describe(op) + " has operands of rank other than 3";
            for (const Size &d : llvm::concat<const Size>(c, u))
              if (!d.isStatic())
                return "appends along the sequence (P + N rows)";
            SymShape r;
            for (int64_t d : dimsOf(k.getResult()))
              r.push_back(Size::fixed(d));
            shapes[k.getResult()] = r;
            return unifyShapes({c[0], c[2]}, {u[0], u[2]});
          },
          // Refused by EmitCPlan::collectWeights before shapes are inferred.
          [&](OneOf<MatmulOp, EncoderLayerOp, DecoderLayerOp> o)
              -> std::string {
            return describe(o.op) + " has no CPU runtime kernel";
          },
          [&](GradientOps o)
              -> std::string {
            return describe(o.op) + " has no CPU runtime kernel";
          }},
      [&](Operation *) -> std::string { return ""; }); // func.return
}

std::string SymbolicShapes::infer() {
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
    std::string why = inferOp(&op);
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

//===----------------------------------------------------------------------===//
// EmitCPlan
//===----------------------------------------------------------------------===//

LogicalResult EmitCPlan::checkNames() {
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

LogicalResult EmitCPlan::collectWeights(ModuleOp module) {
  WeightStore store(module);
  std::set<std::string> encoded, dense;
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
      emitWarning(w.getLoc())
          << "sxf-lower-to-emitc: '" << w.getName() << "' is "
          << formats::kindName(spec.kind)
          << ", which the CPU runtime has no kernel for; stored as CSR";
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
                           << w.getName()
                           << "': " << llvm::toString(m.takeError());
    std::string name = w.getName().str();
    metadata["sxf.format/" + name] = describe(*m);
    arrays.push_back({name + "/values", std::move(m->values)});
    arrays.push_back({name + "/indices", std::move(m->indices)});
    arrays.push_back({name + "/pointers", std::move(m->pointers)});
    return success();
  };
  // Activations live in the workspace; weights only in the container.
  auto notAWeight = [&](Operation *op, Value v) -> LogicalResult {
    if (weightOf(v))
      return op->emitError("sxf-lower-to-emitc: a weight used as an "
                           "activation operand is not supported");
    return success();
  };
  auto noWeightOperand = [&](Operation *op) -> LogicalResult {
    for (Value v : op->getOperands())
      if (failed(notAWeight(op, v)))
        return failure();
    return success();
  };

  for (Operation &op : func.getBody().front()) {
    if (!isa<WeightOp, func::ReturnOp>(op))
      for (Value r : op.getResults()) {
        auto t = dyn_cast<RankedTensorType>(r.getType());
        if (!t || !t.hasStaticShape())
          return op.emitError(
              "sxf-lower-to-emitc: needs static tensor shapes");
      }
    // One case per sxf op: what the CPU runtime needs of it, or why it has
    // no kernel.
    LogicalResult ok = visitSxfOp<LogicalResult>(
        &op,
        Overloaded{
            [&](WeightOp) { return success(); },
            [&](OneOf<EncoderLayerOp, DecoderLayerOp> o) -> LogicalResult {
              return o->emitError()
                     << "sxf-lower-to-emitc: composite '" << o->getName()
                     << "' must be decomposed first (run sxf-decompose)";
            },
            [&](MatmulOp m) -> LogicalResult {
              return m.emitError(
                  "sxf-lower-to-emitc: a matmul between activations is only "
                  "supported inside sxf.attention (run sxf-fuse)");
            },
            [&](GradientOps o)
                -> LogicalResult {
              return o->emitError()
                     << "sxf-lower-to-emitc: '" << o->getName()
                     << "': training ops are not lowered to C++ yet "
                        "(issue 16)";
            },
            [&](SoftmaxOp s) -> LogicalResult {
              int64_t rank = cast<RankedTensorType>(s.getType()).getRank();
              if (int64_t(s.getAxis()) != -1 &&
                  int64_t(s.getAxis()) != rank - 1)
                return s.emitError(
                    "sxf-lower-to-emitc: softmax must be over the last axis");
              return noWeightOperand(s);
            },
            [&](LinearOp l) -> LogicalResult {
              if (failed(addEncoded(l.getWeight())) ||
                  (l.getBias() && failed(addDense(l.getBias()))) ||
                  (l.getNormGamma() && (failed(addDense(l.getNormGamma())) ||
                                        failed(addDense(l.getNormBeta())))))
                return failure();
              if (failed(notAWeight(l, l.getInput())))
                return failure();
              return l.getResidual() ? notAWeight(l, l.getResidual())
                                     : success();
            },
            [&](EmbeddingOp e) -> LogicalResult {
              if (failed(addDense(e.getTable())) ||
                  (e.getPositions() && failed(addDense(e.getPositions()))))
                return failure();
              return notAWeight(e, e.getIds());
            },
            [&](LayerNormOp n) -> LogicalResult {
              if (failed(addDense(n.getGamma())) ||
                  failed(addDense(n.getBeta())))
                return failure();
              return notAWeight(n, n.getInput());
            },
            [&](RmsNormOp n) -> LogicalResult {
              if (failed(addDense(n.getGamma())))
                return failure();
              return notAWeight(n, n.getInput());
            },
            [&](OneOf<AttentionOp, ActivationOp, AddOp, SplitOp,
                      KvAppendOp> o) {
              return noWeightOperand(o.op);
            }},
        [&](Operation *other) -> LogicalResult {
          if (auto ret = dyn_cast<func::ReturnOp>(other)) {
            // Outputs are f32: token ids passed straight through are not.
            for (Value v : ret.getOperands())
              if (weightOf(v))
                return ret.emitError("sxf-lower-to-emitc: a weight returned "
                                     "as a result is not supported");
            for (Value v : ret.getOperands())
              if (isa<IntegerType>(
                      cast<RankedTensorType>(v.getType()).getElementType()))
                return ret.emitError("sxf-lower-to-emitc: integer results "
                                     "are not supported");
            return success();
          }
          return other->emitError() << "sxf-lower-to-emitc: '"
                                    << other->getName()
                                    << "' is not supported";
        });
    if (failed(ok))
      return failure();
  }
  return success();
}

void EmitCPlan::planWorkspace() {
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
    Size n = symbolic->numel(v);
    assert(n.syms == symbolic->tokens().syms && "planned per token");
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
}

void EmitCPlan::inferShapes() {
  symbolic = std::make_unique<SymbolicShapes>(func, /*dynamic=*/true);
  std::string why = symbolic->infer();
  if (why.empty())
    return;
  emitRemark(func.getLoc())
      << "sxf-lower-to-emitc: the program keeps the fixed shapes of @"
      << func.getSymName() << " (" << why << ")";
  symbolic = std::make_unique<SymbolicShapes>(func, /*dynamic=*/false);
  why = symbolic->infer();
  assert(why.empty() && "static shapes always infer");
}

std::string EmitCPlan::specDims(const SymShape &s) {
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
           symbolic->flatIndex(arg + 1, 0) <= flat)
      ++arg;
    out += "@" + std::to_string(arg) + "." +
           std::to_string(flat - symbolic->flatIndex(arg, 0));
  }
  return out;
}

LogicalResult EmitCPlan::writeContainer(ModuleOp module) {
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
  return success();
}

std::string EmitCPlan::buildSpec() {
  // The spec runMain parses (harness.h): inputs, outputs, workspace,
  // weights. A runtime dim of an input is "?MAX" (any size up to the IR's,
  // e.g. a sequence bounded by a positions table), "*DEFAULT" for the batch
  // (the first of two or more; the workspace grows with it), or "@K.D" when
  // an op made it equal to an earlier one.
  const SymbolicShapes &shapes = *symbolic;
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
      dynamicDims += shapes.isDynamic(shapes.flatIndex(i, d));
    std::string text;
    for (int64_t d = 0; d < t.getRank(); ++d) {
      int64_t flat = shapes.flatIndex(i, d);
      text += d ? "x" : "";
      if (!shapes.isDynamic(flat))
        text += std::to_string(t.getDimSize(d));
      else if (shapes.find(flat) != flat)
        text += specDims({Size::symbol(shapes.find(flat))});
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
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  for (auto [i, v] : llvm::enumerate(ret.getOperands()))
    spec += "out " + valueName(func.getResultAttrDict(i), "result", i) +
            " f32 " + specDims(shapes.shape(v)) + ";";
  spec += "workspace " + std::to_string(workspaceUnits);
  if (!shapes.tokens().isStatic()) {
    SymShape t;
    for (int64_t k : shapes.tokens().syms)
      t.push_back(Size::symbol(k));
    spec += " per " + specDims(t);
  }
  spec += ";";
  if (!opt.embed)
    spec += "weights " + opt.weightsFile + ";";
  return spec;
}

FailureOr<std::unique_ptr<EmitCPlan>>
EmitCPlan::build(ModuleOp module, const LowerOptions &options) {
  Interpreter interp(module);
  FailureOr<func::FuncOp> f = interp.entry(options.entry);
  if (failed(f))
    return failure();
  if (options.weightsFile.empty())
    return emitError(module.getLoc(),
                     "sxf-lower-to-emitc: give weights=FILE (the container "
                     "the program loads its encoded weights from)");
  std::unique_ptr<EmitCPlan> plan(new EmitCPlan(*f, options));
  if (failed(plan->checkNames()) || failed(plan->collectWeights(module)))
    return failure();
  plan->inferShapes();
  plan->planWorkspace();
  plan->specText = plan->buildSpec();
  if (failed(plan->writeContainer(module)))
    return failure();
  return plan;
}

} // namespace sxf
