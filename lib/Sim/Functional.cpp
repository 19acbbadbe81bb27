//===- Functional.cpp - Executing an sxft program unit by unit ------------===//
//
// Every unit has its own store of blocks, keyed by buffer. Exchanges build
// each destination block from the source blocks that overlap it (any copy,
// preferring the unit's own; all replicas summed for partial sums), and a
// compute on a unit reads only that unit's store and the weight blocks its
// partition places there. A block missing where a step needs it is an
// error: the program moved too little data.
//
//===----------------------------------------------------------------------===//

#include "sxf/Dialect/Sxf/IR/SxfVisitors.h"
#include "sxf/Dialect/SxfTarget/IR/Layout.h"
#include "sxf/Interpreter/GradKernels.h"
#include "sxf/Interpreter/Interpreter.h"
#include "sxf/Interpreter/Kernels.h"
#include "sxf/Sim/Simulator.h"
#include "sxf/Support/CheckedMath.h"
#include "sxf/Tile/ProgramChecks.h"
#include "sxf/Weights/WeightStore.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <map>
#include <set>

using namespace mlir;

namespace sxf {

using target::Layout;

namespace {

/// Rows [r0, r1) and columns [c0, c1) of a row-major 2-D tensor.
Tensor sub(const Tensor &t, int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
  int64_t cols = t.shape[1];
  Tensor out({r1 - r0, c1 - c0});
  for (int64_t r = r0; r < r1; ++r)
    std::copy(t.data.begin() + r * cols + c0, t.data.begin() + r * cols + c1,
              out.data.begin() + (r - r0) * (c1 - c0));
  return out;
}



/// A block of token ids (held as floats, one per row) as an IntTensor of
/// `shape`; an id that is not an integer is an error.
llvm::Expected<IntTensor> idsOf(const Tensor &t, std::vector<int64_t> shape) {
  IntTensor ids;
  ids.shape = std::move(shape);
  ids.data.reserve(t.data.size());
  for (float f : t.data) {
    int64_t id = static_cast<int64_t>(f);
    if (float(id) != f)
      return llvm::createStringError("sparse-sim: token id " +
                                     std::to_string(f) +
                                     " is not an integer");
    ids.data.push_back(id);
  }
  return ids;
}

class Machine {
public:
  Machine(ModuleOp module, target::ProgramOp program)
      : module(module), program(program), units(program.getUnits()),
        store(module) {}

  FailureOr<std::vector<HostValue>> run(const std::vector<HostValue> &inputs);

private:
  LogicalResult exchange(target::ExchangeOp x);
  LogicalResult compute(target::ComputeOp c);
  FailureOr<const Tensor *> weight(Value v);
  /// A 1-D parameter (bias, norm gamma/beta) with its [N] shape.
  FailureOr<const Tensor *> vector(Value v);
  FailureOr<const Tensor *> block(Operation *at, int64_t unit,
                                  StringRef buffer);
  /// Stores `t` as unit `unit`'s block of `buffer`, checking that it has the
  /// extent the buffer's layout gives that block: every stored block then
  /// matches its layout, so later reads index inside it.
  LogicalResult put(Operation *at, int64_t unit, StringRef buffer, Tensor t);
  Layout layoutOf(Attribute sym) {
    std::string error;
    Operation *op =
        SymbolTable::lookupSymbolIn(program, cast<SymbolRefAttr>(sym));
    if (auto b = dyn_cast<target::BufferOp>(op))
      return *target::layoutOf(b, units, error);
    return *target::layoutOf(cast<target::PartitionOp>(op), units, error);
  }
  /// Checks that `unit` holds a block of partition `p` covering what it
  /// uses (rows / columns of the weight).
  LogicalResult holds(Operation *at, target::PartitionOp p, int64_t unit,
                      int64_t r0, int64_t r1, int64_t c0, int64_t c1);

  ModuleOp module;
  target::ProgramOp program;
  int64_t units;
  WeightStore store;
  std::map<Operation *, Tensor> weights; // by WeightOp, 2-D view
  std::map<Operation *, Tensor> vectors; // by WeightOp, 1-D view
  std::vector<std::map<std::string, Tensor>> blocks;
  std::map<int64_t, Operation *> ops; // sxft.op id -> sxf op
  /// Weights by name, and those an `update` changed (their new values, in
  /// the 2-D view).
  std::map<std::string, WeightOp> weightsByName;
  std::map<std::string, Tensor> updated;
};

FailureOr<const Tensor *> Machine::weight(Value v) {
  auto w = v.getDefiningOp<WeightOp>();
  if (!w)
    return emitError(v.getLoc(), "sparse-sim: expected a weight");
  auto it = weights.find(w);
  if (it == weights.end()) {
    FailureOr<Tensor> t = store.loadStored(w);
    if (failed(t))
      return failure();
    int64_t cols = t->shape.empty() ? 1 : t->shape.back();
    t->shape = {t->numel() / std::max<int64_t>(1, cols), cols};
    it = weights.emplace(w, std::move(*t)).first;
  }
  return &it->second;
}

FailureOr<const Tensor *> Machine::vector(Value v) {
  FailureOr<const Tensor *> t = weight(v);
  if (failed(t))
    return failure();
  Operation *w = v.getDefiningOp();
  auto it = vectors.find(w);
  if (it == vectors.end()) {
    Tensor flat = **t;
    flat.shape = {flat.numel()};
    it = vectors.emplace(w, std::move(flat)).first;
  }
  return &it->second;
}

/// Whether rows [r0, r1) of an append's result are cached rows only (a
/// position part before the sequence's new rows).
/// What a unit's block of an sxf.attention or sxf.attention_grad covers:
/// whole sequences of batches x head groups, or a part of one sequence's
/// queries (a query-split attention) next to all of its keys and values —
/// causal, only the first `keys` of them, the ones its queries see (queries
/// [a, b) see keys j <= i + sk - sq: the first b + sk - sq, whose causal
/// offset for the part is then the sequence's, as ref::attention offsets by
/// keys - rows). `valid` is false for any other block.
struct AttentionBlock {
  bool valid = false;
  int64_t nb = 1, rowsQ = 0, sk = 0, keys = 0, width = 0, heads = 0,
          headDim = 0;
  std::vector<bool> keep;
};

template <typename OpT>
static AttentionBlock attentionBlock(OpT a, int64_t r0, int64_t r1,
                                     int64_t c0, int64_t c1) {
  auto qt = cast<RankedTensorType>(a.getQuery().getType());
  auto kt = cast<RankedTensorType>(a.getKey().getType());
  int64_t sq = qt.getDimSize(qt.getRank() - 2);
  AttentionBlock b;
  b.sk = kt.getDimSize(kt.getRank() - 2);
  b.headDim = a.getHeadDim();
  b.width = c1 - c0;
  bool whole = sq > 0 && r0 % sq == 0 && (r1 - r0) % sq == 0;
  bool part = !whole && sq > 0 && r0 / sq == (r1 - 1) / sq;
  b.valid = b.headDim > 0 && sq > 0 && b.sk > 0 && b.width % b.headDim == 0 &&
            c0 % b.headDim == 0 && (whole || part) &&
            c1 / b.headDim <= int64_t(a.getHeads());
  if (!b.valid)
    return b;
  b.nb = whole ? (r1 - r0) / sq : 1;
  b.rowsQ = whole ? sq : r1 - r0;
  b.keys = part && a.getCausal()
               ? std::max<int64_t>(0, (r1 - 1) % sq + 1 + b.sk - sq)
               : b.sk;
  b.heads = b.width / b.headDim;
  b.keep.assign(b.heads, true);
  if (std::optional<ArrayRef<bool>> kh = a.getKeepHeads())
    for (int64_t h = 0; h < b.heads; ++h)
      b.keep[h] = (*kh)[c0 / b.headDim + h];
  return b;
}

/// The unit's query-side and key-side blocks shaped for ref::attention /
/// ref::attentionGrad ([nb, rows, width]; keys cut to those the queries see).
static void shapeAttentionBlocks(const AttentionBlock &b,
                                 ArrayRef<Tensor *> queries,
                                 ArrayRef<Tensor *> keys) {
  for (Tensor *t : queries)
    t->shape = {b.nb, b.rowsQ, b.width};
  for (Tensor *t : keys) {
    t->data.resize(b.nb * b.keys * b.width);
    t->shape = {b.nb, b.keys, b.width};
  }
}

static bool appendWithoutUpdate(KvAppendOp k, int64_t r0, int64_t r1) {
  int64_t P = cast<RankedTensorType>(k.getCache().getType()).getDimSize(1),
          N = cast<RankedTensorType>(k.getUpdate().getType()).getDimSize(1);
  return r1 > r0 && r0 / (P + N) == (r1 - 1) / (P + N) &&
         (r1 - 1) % (P + N) < P;
}

FailureOr<const Tensor *> Machine::block(Operation *at, int64_t unit,
                                         StringRef buffer) {
  auto &m = blocks[unit];
  auto it = m.find(buffer.str());
  if (it == m.end())
    return at->emitError() << "sparse-sim: unit " << unit
                           << " does not hold its block of @" << buffer
                           << " here (nothing computed or exchanged it)";
  return &it->second;
}

LogicalResult Machine::put(Operation *at, int64_t unit, StringRef buffer,
                           Tensor t) {
  Operation *op = SymbolTable::lookupSymbolIn(program, buffer);
  auto b = dyn_cast_or_null<target::BufferOp>(op);
  if (!b)
    return at->emitError() << "sparse-sim: writes @" << buffer
                           << ", which is not a buffer";
  std::string error;
  Layout l = *target::layoutOf(b, units, error);
  std::optional<target::BlockId> id = l.blockOn(unit);
  if (!id)
    return at->emitError() << "sparse-sim: unit " << unit
                           << " holds no block of @" << buffer;
  int64_t rows = l.blockRows(id->i), cols = l.blockCols(id->j);
  if (t.rank() != 2 || t.shape[0] != rows || t.shape[1] != cols ||
      t.numel() != rows * cols)
    return at->emitError() << "sparse-sim: unit " << unit << " makes a "
                           << shapeToString(t.shape) << " block ("
                           << t.numel() << " elements) for its " << rows
                           << "x" << cols << " block of @" << buffer
                           << ": the program's shapes disagree with the model";
  blocks[unit][buffer.str()] = std::move(t);
  return success();
}

LogicalResult Machine::holds(Operation *at, target::PartitionOp p,
                             int64_t unit, int64_t r0, int64_t r1, int64_t c0,
                             int64_t c1) {
  std::string error;
  Layout l = *target::layoutOf(p, units, error);
  std::optional<target::BlockId> b = l.blockOn(unit);
  if (b && l.rowBegin(b->i) <= r0 && r1 <= l.rowEnd(b->i) &&
      l.colBegin(b->j) <= c0 && c1 <= l.colEnd(b->j))
    return success();
  return at->emitError() << "sparse-sim: unit " << unit << " uses rows [" << r0
                         << ", " << r1 << ") cols [" << c0 << ", " << c1
                         << ") of weight '" << p.getWeight()
                         << "' but does not hold them";
}

LogicalResult Machine::exchange(target::ExchangeOp x) {
  Layout src = layoutOf(x.getSourceAttr()), dst = layoutOf(x.getDestAttr());
  StringRef from = x.getSource(), to = x.getDest();
  // Build all destination blocks before storing any (a unit may be both).
  std::vector<std::pair<int64_t, Tensor>> out;
  for (int64_t k = 0; k < dst.replicas; ++k)
    for (int64_t i = 0; i < dst.p; ++i)
      for (int64_t j = 0; j < dst.q; ++j) {
        int64_t u = dst.unitOf(k, i, j);
        int64_t r0 = dst.rowBegin(i), r1 = dst.rowEnd(i);
        int64_t c0 = dst.colBegin(j), c1 = dst.colEnd(j);
        Tensor blk({r1 - r0, c1 - c0}, 0.0f);
        auto [si0, si1] = src.rowPartsOverlapping(r0, r1);
        auto [sj0, sj1] = src.colPartsOverlapping(c0, c1);
        std::optional<target::BlockId> local = src.blockOn(u);
        for (int64_t si = si0; si <= si1; ++si)
          for (int64_t sj = sj0; sj <= sj1; ++sj) {
            std::vector<int64_t> reps;
            if (src.partial) {
              for (int64_t rep = 0; rep < src.replicas; ++rep)
                reps.push_back(rep);
            } else if (local && local->i == si && local->j == sj) {
              reps.push_back(local->replica);
            } else {
              reps.push_back(0);
            }
            for (int64_t rep : reps) {
              FailureOr<const Tensor *> s =
                  block(x, src.unitOf(rep, si, sj), from);
              if (failed(s))
                return failure();
              int64_t a0 = std::max(r0, src.rowBegin(si)),
                      a1 = std::min(r1, src.rowEnd(si));
              int64_t b0 = std::max(c0, src.colBegin(sj)),
                      b1 = std::min(c1, src.colEnd(sj));
              int64_t scols = src.blockCols(sj);
              for (int64_t r = a0; r < a1; ++r)
                for (int64_t c = b0; c < b1; ++c)
                  blk.data[(r - r0) * (c1 - c0) + (c - c0)] +=
                      (*s)->data[(r - src.rowBegin(si)) * scols +
                                 (c - src.colBegin(sj))];
            }
          }
        out.push_back({u, std::move(blk)});
      }
  for (auto &[u, t] : out)
    if (failed(put(x, u, to, std::move(t))))
      return failure();
  return success();
}

LogicalResult Machine::compute(target::ComputeOp c) {
  // The tag, the kind and the partition were checked against the model
  // up front (target::checkAgainstModel).
  Operation *op = ops.at(int64_t(c.getOp()));
  target::ComputeKind kind = c.getKind();
  StringRef kindName = target::stringifyComputeKind(kind);
  auto sym = [](Attribute a) {
    return cast<SymbolRefAttr>(a).getRootReference().getValue();
  };
  auto partitionAt = [&](Attribute a) {
    return dyn_cast_or_null<target::PartitionOp>(
        SymbolTable::lookupSymbolIn(program, cast<SymbolRefAttr>(a)));
  };
  if (kind == target::ComputeKind::update) {
    // One AdamW step (from zero state, step 1) on each block of the
    // weight, on the unit that holds it, with the gradient block there.
    auto p = cast<target::PartitionOp>(
        SymbolTable::lookupSymbolIn(program, c.getPartitionAttr()));
    auto wit = weightsByName.find(p.getWeight().str());
    if (wit == weightsByName.end())
      return c.emitError() << "sparse-sim: no weight '" << p.getWeight()
                           << "' in the entry";
    FailureOr<const Tensor *> w = weight(wit->second.getResult());
    if (failed(w))
      return failure();
    llvm::Expected<training::AdamWOptions> opts =
        target::adamwOptionsOf(program.getAdamwAttr());
    if (!opts)
      return c.emitError() << llvm::toString(opts.takeError());
    opts->applyWeightDecay = adamwDecays(wit->second);
    auto [slot, fresh] = updated.try_emplace(p.getWeight().str(), **w);
    (void)fresh;
    Tensor &next = slot->second;
    Layout gl = layoutOf(c.getReads()[0]);
    if (gl.rows != (*w)->shape[0] || gl.cols != (*w)->shape[1])
      return c.emitError() << "sparse-sim: an update reads a " << gl.rows
                           << "x" << gl.cols << " gradient for weight '"
                           << p.getWeight() << "' of "
                           << shapeToString((*w)->shape);
    int64_t cols = (*w)->shape[1];
    for (int64_t k = 0; k < gl.replicas; ++k)
      for (int64_t i = 0; i < gl.p; ++i)
        for (int64_t j = 0; j < gl.q; ++j) {
          int64_t u = gl.unitOf(k, i, j);
          int64_t r0 = gl.rowBegin(i), r1 = gl.rowEnd(i), c0 = gl.colBegin(j),
                  c1 = gl.colEnd(j);
          if (!p.getBroadcast() && failed(holds(c, p, u, r0, r1, c0, c1)))
            return failure();
          FailureOr<const Tensor *> g = block(c, u, sym(c.getReads()[0]));
          if (failed(g))
            return failure();
          Tensor wb = sub(**w, r0, r1, c0, c1);
          if ((*g)->numel() != wb.numel())
            return c.emitError() << "sparse-sim: unit " << u << " holds a "
                                 << shapeToString((*g)->shape)
                                 << " gradient block for a "
                                 << shapeToString(wb.shape) << " weight block";
          std::vector<float> m(wb.numel(), 0.0f), v(wb.numel(), 0.0f);
          if (llvm::Error e =
                  training::adamwStep(wb.data, (*g)->data, m, v, 1, *opts))
            return c.emitError() << llvm::toString(std::move(e));
          for (int64_t r = r0; r < r1; ++r)
            std::copy(wb.data.begin() + (r - r0) * (c1 - c0),
                      wb.data.begin() + (r - r0 + 1) * (c1 - c0),
                      next.data.begin() + r * cols + c0);
        }
    return success();
  }

  Layout out = layoutOf(c.getWrites()[0]);
  std::string outName = sym(c.getWrites()[0]).str();

  if (kind == target::ComputeKind::matmul ||
      kind == target::ComputeKind::matmul_t ||
      kind == target::ComputeKind::sddmm) {
    // A linear and its gradients, block by block over its weight's
    // partition, every replica (one per token part) on the rows its units
    // hold: unit (i, j) holds the input's columns of column part j (matmul,
    // and the forward input of sddmm) or dy's columns of row part i
    // (matmul_t, sddmm).
    auto p = cast<target::PartitionOp>(
        SymbolTable::lookupSymbolIn(program, c.getPartitionAttr()));
    std::string error;
    Layout wl = *target::layoutOf(p, units, error);
    Value wv = target::weightOperandOf(op);
    FailureOr<const Tensor *> w = weight(wv);
    if (failed(w))
      return failure();
    std::vector<bool> stored;
    if (kind == target::ComputeKind::sddmm) {
      std::vector<bool> nonzero((*w)->numel());
      for (int64_t k = 0; k < (*w)->numel(); ++k)
        nonzero[k] = (*w)->data[k] != 0.0f;
      FailureOr<std::vector<bool>> s = weightStoredPositions(
          wv.getDefiningOp<WeightOp>(), nonzero, (*w)->shape, c);
      if (failed(s))
        return failure();
      stored = std::move(*s);
    }
    int64_t wcols = (*w)->shape[1];
    std::vector<std::pair<int64_t, Tensor>> results;
    for (int64_t k = 0; k < wl.replicas; ++k)
      for (int64_t i = 0; i < wl.p; ++i)
        for (int64_t j = 0; j < wl.q; ++j) {
          int64_t u = wl.unitOf(k, i, j);
          FailureOr<const Tensor *> dy = block(c, u, sym(c.getReads()[0]));
          if (failed(dy))
            return failure();
          if (kind == target::ComputeKind::matmul) {
            const Tensor &x = **dy; // the forward's input block
            if (x.shape[1] != wl.blockCols(j))
              return c.emitError() << "sparse-sim: unit " << u
                                   << " holds an input block of "
                                   << x.shape[1] << " columns for a weight "
                                   << "block of " << wl.blockCols(j);
            llvm::Expected<Tensor> y =
                ref::linear(x, sub(**w, wl.rowBegin(i), wl.rowEnd(i),
                                   wl.colBegin(j), wl.colEnd(j)),
                            nullptr, ref::Activation::None);
            if (!y)
              return c.emitError() << llvm::toString(y.takeError());
            results.push_back({u, std::move(*y)});
            continue;
          }
          if ((*dy)->rank() != 2 || (*dy)->shape[1] != wl.blockRows(i))
            return c.emitError()
                   << "sparse-sim: unit " << u << " holds a "
                   << shapeToString((*dy)->shape)
                   << " block of the output gradient for a weight block of "
                   << wl.blockRows(i) << " rows";
          Tensor wb = sub(**w, wl.rowBegin(i), wl.rowEnd(i), wl.colBegin(j),
                          wl.colEnd(j));
          llvm::Expected<Tensor> y = Tensor();
          if (kind == target::ComputeKind::matmul_t) {
            y = ref::linearGradInput(**dy, wb);
          } else {
            if (c.getReads().size() < 2)
              return c.emitError("sparse-sim: an sddmm reads the output "
                                 "gradient and the forward input");
            FailureOr<const Tensor *> x = block(c, u, sym(c.getReads()[1]));
            if (failed(x))
              return failure();
            if ((*x)->rank() != 2 || (*x)->shape[1] != wl.blockCols(j) ||
                (*x)->shape[0] != (*dy)->shape[0])
              return c.emitError()
                     << "sparse-sim: unit " << u << " holds a "
                     << shapeToString((*x)->shape)
                     << " block of the forward input for a weight block of "
                     << wl.blockCols(j) << " columns and "
                     << (*dy)->shape[0] << " token rows";
            std::vector<bool> mask;
            if (!stored.empty()) {
              mask.reserve(wb.numel());
              for (int64_t r = wl.rowBegin(i); r < wl.rowEnd(i); ++r)
                for (int64_t cc = wl.colBegin(j); cc < wl.colEnd(j); ++cc)
                  mask.push_back(stored[r * wcols + cc]);
            }
            y = ref::linearGradWeight(**dy, **x, mask);
          }
          if (!y)
            return c.emitError() << llvm::toString(y.takeError());
          results.push_back({u, std::move(*y)});
        }
    for (auto &[u, y] : results)
      if (failed(put(c, u, outName, std::move(y))))
        return failure();
    return success();
  }

  if (kind == target::ComputeKind::reduce) {
    // Each token part runs the op on its rows: results shaped like the
    // rows are its block of them, the others whole-result partial sums.
    Layout rl = target::reduceRowsLayout(program, c, units);
    int64_t T = rl.rows;
    for (int64_t i = 0; i < rl.p; ++i)
    for (int64_t j = 0; j < rl.q; ++j) {
      int64_t u = rl.unitOf(0, i, j), r0 = rl.rowBegin(i),
              r1 = rl.rowEnd(i), rows = r1 - r0;
      std::vector<const Tensor *> in;
      std::vector<target::PartitionOp> params;
      for (Attribute a : c.getReads()) {
        if (target::PartitionOp p = partitionAt(a)) {
          params.push_back(p);
          continue;
        }
        FailureOr<const Tensor *> b = block(c, u, sym(a));
        if (failed(b))
          return failure();
        if ((*b)->rank() != 2 || (*b)->shape[0] != rows)
          return c.emitError() << "sparse-sim: unit " << u << " reads a "
                               << shapeToString((*b)->shape) << " block of @"
                               << sym(a) << " to reduce rows [" << r0 << ", "
                               << r1 << ")";
        in.push_back(*b);
      }
      size_t needed = isa<ReduceSumOp, PositionGradOp>(op) ? 1 : 2;
      if (in.size() < needed)
        return c.emitError() << "sparse-sim: a 'reduce' compute of '"
                             << op->getName() << "' reads " << in.size()
                             << " activation buffers, not " << needed;
      auto gamma = [&](Value g) -> FailureOr<const Tensor *> {
        if (params.empty() ||
            failed(holds(c, params[0], u, 0, 1, 0, matrixCols(g))))
          return c.emitError("sparse-sim: a parameter block is missing");
        return vector(g);
      };
      // The op's results on these rows, in order.
      std::vector<Tensor> outs;
      auto fail = [&](llvm::Error e) -> LogicalResult {
        return c.emitError() << llvm::toString(std::move(e));
      };
      auto ids = [&](const Tensor *t) { return idsOf(*t, {rows}); };
      auto normGrad = [&](Value gammaValue, auto kernel) -> LogicalResult {
        FailureOr<const Tensor *> g = gamma(gammaValue);
        if (failed(g))
          return mlir::failure();
        auto y = kernel(**g);
        if (!y)
          return fail(y.takeError());
        for (Tensor &t : *y)
          outs.push_back(std::move(t));
        return success();
      };
      LogicalResult ran = visitSxfOp<LogicalResult>(op, Overloaded{
      [&](ReduceSumOp) -> LogicalResult {
        auto y = ref::reduceSum(*in[0], {in[0]->shape[1]});
        if (!y)
          return fail(y.takeError());
        outs.push_back(std::move(*y));
        return success();
      },
      [&](EmbeddingGradOp e) -> LogicalResult {
        auto t = ids(in[0]);
        if (!t)
          return fail(t.takeError());
        auto y = ref::embeddingGrad(*t, *in[1],
                                    cast<RankedTensorType>(e.getType())
                                        .getDimSize(0));
        if (!y)
          return fail(y.takeError());
        outs.push_back(std::move(*y));
        return success();
      },
      [&](PositionGradOp pg) -> LogicalResult {
        // Whole sequences (sxf-tile cuts position_grad's rows at them).
        auto dt = cast<RankedTensorType>(pg.getDy().getType());
        int64_t S = dt.getRank() >= 2 ? dt.getDimSize(dt.getRank() - 2) : T;
        if (S <= 0 || r0 % S || rows % S)
          return c.emitError() << "sparse-sim: unit " << u << " sums rows ["
                               << r0 << ", " << r1
                               << ") for position_grad, which are not whole "
                                  "sequences of "
                               << S;
        Tensor dy = *in[0];
        dy.shape = {rows / S, S, in[0]->shape[1]};
        auto y = ref::positionGrad(
            dy, cast<RankedTensorType>(pg.getType()).getDimSize(0),
            pg.getPositionOffset());
        if (!y)
          return fail(y.takeError());
        outs.push_back(std::move(*y));
        return success();
      },
      [&](CrossEntropyOp) -> LogicalResult {
        // The mean over these rows, weighted by their share of all rows:
        // the partial sums add up to the mean over all of them.
        auto t = ids(in[1]);
        if (!t)
          return fail(t.takeError());
        auto y = ref::crossEntropy(*in[0], *t);
        if (!y)
          return fail(y.takeError());
        y->data[0] *= float(double(rows) / double(T));
        outs.push_back(std::move(*y));
        return success();
      },
      // A norm gradient: dx on these rows, then the parameters' partial
      // sums (x, gamma, dy as the op's operands).
      [&](LayerNormGradOp n) -> LogicalResult {
        return normGrad(n.getGamma(), [&](const Tensor &g) {
          return ref::layerNormGrad(*in[0], g, *in[1],
                                    n.getEpsilon().convertToFloat());
        });
      },
      [&](RmsNormGradOp n) -> LogicalResult {
        return normGrad(n.getGamma(), [&](const Tensor &g) {
          return ref::rmsNormGrad(*in[0], g, *in[1],
                                  n.getEpsilon().convertToFloat());
        });
      },
      [&](OneOf<WeightOp, LinearOp, SplitOp, MatmulOp, AttentionOp,
                SoftmaxOp, LayerNormOp, RmsNormOp, ActivationOp, AddOp,
                EmbeddingOp, KvAppendOp, LinearGradInputOp,
                LinearGradWeightOp, ActivationGradOp, SoftmaxGradOp,
                AttentionGradOp, ConcatOp, CrossEntropyGradOp, EncoderLayerOp,
                DecoderLayerOp>
              other) -> LogicalResult {
        return c.emitError() << "sparse-sim: no reduce semantics for '"
                             << other->getName() << "'";
      }}, [&](Operation *other) -> LogicalResult {
        return c.emitError() << "sparse-sim: no reduce semantics for '"
                             << other->getName() << "'";
      });
      if (failed(ran))
        return failure();
      if (outs.size() != c.getWrites().size())
        return c.emitError() << "sparse-sim: a 'reduce' compute of '"
                             << op->getName() << "' writes "
                             << c.getWrites().size() << " buffers for its "
                             << outs.size() << " results";
      for (auto [n, t] : llvm::enumerate(outs)) {
        // Shaped as the written block: token rows, or the whole result.
        Layout wlay = layoutOf(c.getWrites()[n]);
        std::optional<target::BlockId> wb = wlay.blockOn(u);
        int64_t cols = wb ? wlay.blockCols(wb->j) : wlay.cols;
        t.shape = {t.numel() / std::max<int64_t>(1, cols), cols};
        if (failed(put(c, u, sym(c.getWrites()[n]), std::move(t))))
          return failure();
      }
    }
    return success();
  }

  // The other kinds run block by block over the written layout.
  for (int64_t k = 0; k < out.replicas; ++k)
    for (int64_t i = 0; i < out.p; ++i)
      for (int64_t j = 0; j < out.q; ++j) {
        int64_t u = out.unitOf(k, i, j);
        int64_t r0 = out.rowBegin(i), r1 = out.rowEnd(i);
        int64_t c0 = out.colBegin(j), c1 = out.colEnd(j);
        std::vector<const Tensor *> in;
        std::vector<target::PartitionOp> params;
        for (Attribute a : c.getReads()) {
          if (target::PartitionOp p = partitionAt(a)) {
            params.push_back(p);
            continue;
          }
          // A position part of an append before the new rows reads no
          // block of them.
          if (kind == target::ComputeKind::append && in.size() == 1 &&
              appendWithoutUpdate(cast<KvAppendOp>(op), r0, r1))
            continue;
          FailureOr<const Tensor *> b = block(c, u, sym(a));
          if (failed(b))
            return failure();
          // Kinds other than gather and append read blocks of the rows
          // they write (an append's cache and new rows are fewer); an
          // attention's keys and values have their own sequence length
          // (checked with the query's below), its query these rows.
          bool ownRows =
              kind == target::ComputeKind::gather ||
              kind == target::ComputeKind::append ||
              (kind == target::ComputeKind::attention && !in.empty());
          if (!ownRows && ((*b)->rank() != 2 || (*b)->shape[0] != r1 - r0))
            return c.emitError()
                   << "sparse-sim: unit " << u << " reads a "
                   << shapeToString((*b)->shape) << " block of @" << sym(a)
                   << " to write rows [" << r0 << ", " << r1 << ") of @"
                   << outName;
          in.push_back(*b);
        }
        // How many activation blocks each kind reads.
        size_t needed = isa<AttentionOp>(op) ? 3
                        : kind == target::ComputeKind::append &&
                                appendWithoutUpdate(cast<KvAppendOp>(op), r0,
                                                    r1)
                            ? 1
                        : isa<AttentionGradOp>(op) ? 4
                        : isa<ConcatOp>(op) ? op->getNumOperands()
                        : isa<AddOp, KvAppendOp, ActivationGradOp,
                              SoftmaxGradOp, CrossEntropyGradOp>(op) ||
                                (kind == target::ComputeKind::epilogue &&
                                 cast<LinearOp>(op).getResidual())
                            ? 2
                            : 1;
        if (in.size() < needed)
          return c.emitError() << "sparse-sim: a '" << kindName << "' compute of '"
                               << op->getName() << "' reads " << in.size()
                               << " activation buffers, not " << needed;
        // Element-wise kinds read their first operand block for block.
        if ((kind == target::ComputeKind::epilogue ||
             (kind == target::ComputeKind::rowwise &&
              !isa<SplitOp, ConcatOp>(op))) &&
            in[0]->numel() != (r1 - r0) * (c1 - c0))
          return c.emitError()
                 << "sparse-sim: unit " << u << " reads a "
                 << shapeToString(in[0]->shape) << " block to write its "
                 << r1 - r0 << "x" << c1 - c0 << " block of @" << outName
                 << ": the program's shapes disagree with the model";
        Tensor result;
        switch (kind) {
        case target::ComputeKind::epilogue: {
          auto l = cast<LinearOp>(op);
          result = *in[0];
          // The steps of linearEpilogue but the norm, a rowwise compute of
          // its own.
          for (LinearStep step : linearEpilogue(l)) {
            switch (step) {
            case LinearStep::Bias: {
              if (params.empty())
                return c.emitError("sparse-sim: an epilogue with a bias reads "
                                   "no bias partition");
              if (failed(holds(c, params[0], u, 0, 1, c0, c1)))
                return failure();
              FailureOr<const Tensor *> b = weight(l.getBias());
              if (failed(b))
                return failure();
              for (int64_t r = 0; r < r1 - r0; ++r)
                for (int64_t cc = c0; cc < c1; ++cc)
                  result.data[r * (c1 - c0) + cc - c0] += (*b)->data[cc];
              break;
            }
            case LinearStep::Activation:
              result =
                  ref::activation(result, refActivation(l.getActivation()));
              break;
            case LinearStep::Residual:
              if (in.size() < 2 || in[1]->numel() != result.numel())
                return c.emitError() << "sparse-sim: unit " << u
                                     << " adds a residual block of another "
                                        "shape";
              for (size_t e = 0; e < result.data.size(); ++e)
                result.data[e] += in[1]->data[e];
              break;
            case LinearStep::Norm:
              break; // its own rowwise compute
            }
          }
          break;
        }
        case target::ComputeKind::gather: {
          auto e = cast<EmbeddingOp>(op);
          auto tp = cast<target::PartitionOp>(
              SymbolTable::lookupSymbolIn(program, c.getPartitionAttr()));
          FailureOr<const Tensor *> table = weight(e.getTable());
          if (failed(table))
            return failure();
          const Tensor *pos = nullptr;
          if (e.getPositions()) {
            FailureOr<const Tensor *> p = weight(e.getPositions());
            if (failed(p))
              return failure();
            pos = *p;
          }
          auto idsType = cast<RankedTensorType>(e.getIds().getType());
          int64_t seq = idsType.getDimSize(idsType.getRank() - 1);
          int64_t V = (*table)->shape[0], D = (*table)->shape[1];
          result = Tensor({r1 - r0, D});
          for (int64_t r = r0; r < r1; ++r) {
            float f = in[0]->data[r - r0];
            int64_t id = static_cast<int64_t>(f);
            if (id < 0 || id >= V || float(id) != f)
              return c.emitError() << "sparse-sim: token id " << f
                                   << " is outside the vocabulary [0, " << V
                                   << ")";
            // The table row comes from the units holding its blocks.
            std::string error;
            Layout tl = *target::layoutOf(tp, units, error);
            auto [ri, ri2] = tl.rowPartsOverlapping(id, id + 1);
            (void)ri2;
            for (int64_t cj = 0; cj < tl.q; ++cj)
              if (failed(holds(c, tp, tl.unitOf(0, ri, cj), id, id + 1,
                               tl.colBegin(cj), tl.colEnd(cj))))
                return failure();
            for (int64_t d = 0; d < D; ++d)
              result.data[(r - r0) * D + d] =
                  (*table)->data[id * D + d] +
                  (pos ? pos->data[(e.getPositionOffset() + r % seq) * D +
                                   d]
                       : 0.0f);
          }
          break;
        }
        case target::ComputeKind::attention: {
          if (auto ag = dyn_cast<AttentionGradOp>(op)) {
            // dq of the block's queries, and their share of dk and dv (a
            // partial sum over query parts, which an exchange adds).
            AttentionBlock b = attentionBlock(ag, r0, r1, c0, c1);
            if (!b.valid || in[0]->numel() != (r1 - r0) * b.width ||
                in[1]->numel() != b.nb * b.sk * b.width ||
                in[2]->numel() != in[1]->numel() ||
                in[3]->numel() != in[0]->numel() ||
                c.getWrites().size() != 3)
              return c.emitError()
                     << "sparse-sim: unit " << u
                     << " runs attention_grad on a " << r1 - r0 << "x"
                     << c1 - c0
                     << " block that is not whole sequences (or a part of "
                        "one sequence's queries) and heads of its query, "
                        "key, value and gradient blocks";
            Tensor q = *in[0], kk = *in[1], v = *in[2], dy = *in[3];
            shapeAttentionBlocks(b, {&q, &dy}, {&kk, &v});
            auto g = ref::attentionGrad(q, kk, v, dy, b.heads, b.headDim,
                                        ag.getCausal(), b.keep);
            if (!g)
              return c.emitError() << llvm::toString(g.takeError());
            for (int n : {1, 2}) {
              Tensor t = std::move((*g)[n]);
              // Keys the part's queries do not see get nothing from it.
              t.data.resize(b.nb * b.sk * b.width, 0.0f);
              t.shape = {b.nb * b.sk, b.width};
              if (failed(put(c, u, sym(c.getWrites()[n]), std::move(t))))
                return failure();
            }
            result = std::move((*g)[0]);
            result.shape = {r1 - r0, b.width};
            break;
          }
          auto a = cast<AttentionOp>(op);
          AttentionBlock b = attentionBlock(a, r0, r1, c0, c1);
          if (!b.valid || in[0]->numel() != (r1 - r0) * b.width ||
              in[1]->numel() != b.nb * b.sk * b.width ||
              in[2]->numel() != in[1]->numel())
            return c.emitError()
                   << "sparse-sim: unit " << u << " runs attention on a "
                   << r1 - r0 << "x" << c1 - c0
                   << " block that is not whole sequences (or a part of one "
                      "sequence's queries) and heads of its query, key and "
                      "value blocks";
          Tensor q = *in[0], kk = *in[1], v = *in[2];
          shapeAttentionBlocks(b, {&q}, {&kk, &v});
          llvm::Expected<Tensor> y = ref::attention(
              q, kk, v, b.heads, b.headDim, a.getCausal(), b.keep);
          if (!y)
            return c.emitError() << llvm::toString(y.takeError());
          result = std::move(*y);
          result.shape = {r1 - r0, b.width};
          break;
        }
        case target::ComputeKind::append: {
          // Whole sequences of the cache and of the new rows, for the same
          // features: the interpreter's kernel on the unit's blocks.
          auto k = cast<KvAppendOp>(op);
          int64_t P = cast<RankedTensorType>(k.getCache().getType())
                          .getDimSize(1),
                  N = cast<RankedTensorType>(k.getUpdate().getType())
                          .getDimSize(1);
          int64_t width = c1 - c0;
          // A position part of one sequence: its cache rows, then (the last
          // part) all the sequence's new rows.
          if ((r1 - r0) % (P + N) || r0 % (P + N)) {
            int64_t a = r0 % (P + N), e = a + (r1 - r0);
            bool last = e == P + N;
            int64_t cached = std::min(e, P) - a;
            if (r0 / (P + N) != (r1 - 1) / (P + N) || a >= P ||
                (!last && e > P) || in[0]->rank() != 2 ||
                in[0]->numel() != cached * width ||
                (last && (in.size() < 2 || in[1]->numel() != N * width)))
              return c.emitError()
                     << "sparse-sim: unit " << u << " writes rows [" << r0
                     << ", " << r1 << ") of @" << outName
                     << ", which are not a position part of one sequence "
                        "whose cache rows (and, last, new rows) it holds";
            Tensor cache = *in[0];
            cache.shape = {1, cached, width};
            Tensor update({1, last ? N : 0, width});
            if (last)
              update.data = in[1]->data;
            llvm::Expected<Tensor> y = ref::kvAppend(cache, update);
            if (!y)
              return c.emitError() << llvm::toString(y.takeError());
            result = std::move(*y);
            result.shape = {r1 - r0, width};
            break;
          }
          if ((r1 - r0) % (P + N) || in[0]->rank() != 2 ||
              in[1]->rank() != 2 ||
              in[0]->numel() != (r1 - r0) / (P + N) * P * width ||
              in[1]->numel() != (r1 - r0) / (P + N) * N * width)
            return c.emitError()
                   << "sparse-sim: unit " << u << " appends a "
                   << shapeToString(in[1]->shape) << " block to a "
                   << shapeToString(in[0]->shape) << " block to write its "
                   << r1 - r0 << "x" << width << " block of @" << outName
                   << ", which is not whole sequences of both";
          int64_t nb = (r1 - r0) / (P + N);
          Tensor cache = *in[0], update = *in[1];
          cache.shape = {nb, P, width};
          update.shape = {nb, N, width};
          llvm::Expected<Tensor> y = ref::kvAppend(cache, update);
          if (!y)
            return c.emitError() << llvm::toString(y.takeError());
          result = std::move(*y);
          break;
        }
        case target::ComputeKind::rowwise: {
          auto param = [&](Value v, size_t k) -> FailureOr<const Tensor *> {
            if (!v)
              return c.emitError() << "sparse-sim: '" << op->getName()
                                   << "' has no norm parameters to run as a "
                                      "rowwise compute";
            if (k >= params.size() ||
                failed(holds(c, params[k], u, 0, 1, 0, matrixCols(v))))
              return c.emitError("sparse-sim: a parameter block is missing");
            return vector(v);
          };
          // One case per sxf op (SxfVisitors.h: a new op without one does
          // not compile); `y` is the block's result, a split writes its own.
          llvm::Expected<Tensor> y = Tensor();
          bool written = false;
          auto noRowwise = [&](Operation *other) -> LogicalResult {
            return c.emitError() << "sparse-sim: no rowwise semantics for '"
                                 << other->getName() << "'";
          };
          LogicalResult ran = visitSxfOp<LogicalResult>(op, Overloaded{
          [&](LayerNormOp ln) -> LogicalResult {
            FailureOr<const Tensor *> g = param(ln.getGamma(), 0);
            if (failed(g))
              return failure();
            FailureOr<const Tensor *> b = param(ln.getBeta(), 1);
            if (failed(b))
              return failure();
            y = ref::layerNorm(*in[0], **g, **b,
                               ln.getEpsilon().convertToFloat());
            return success();
          },
          [&](LinearOp l) -> LogicalResult {
            FailureOr<const Tensor *> g = param(l.getNormGamma(), 0);
            if (failed(g))
              return failure();
            FailureOr<const Tensor *> b = param(l.getNormBeta(), 1);
            if (failed(b))
              return failure();
            float eps = l.getNormEpsilon() ? l.getNormEpsilon()->convertToFloat()
                                           : 1e-5f;
            y = ref::layerNorm(*in[0], **g, **b, eps);
            return success();
          },
          [&](RmsNormOp rn) -> LogicalResult {
            FailureOr<const Tensor *> g = param(rn.getGamma(), 0);
            if (failed(g))
              return failure();
            y = ref::rmsNorm(*in[0], **g, rn.getEpsilon().convertToFloat());
            return success();
          },
          [&](SoftmaxOp) -> LogicalResult {
            y = ref::softmax(*in[0], -1);
            return success();
          },
          [&](ActivationOp act) -> LogicalResult {
            y = ref::activation(*in[0], refActivation(act.getKind()));
            return success();
          },
          [&](AddOp) -> LogicalResult {
            Tensor s = *in[0];
            const Tensor &rhs = *in[1];
            bool same = rhs.numel() == s.numel();
            int64_t rr = same ? 0 : rhs.numel() / std::max<int64_t>(1, c1 - c0);
            int64_t rcols = same ? c1 - c0 : rhs.shape.back();
            if (!same && (rr < 1 || c1 > rcols ||
                          (rr - 1) * rcols + c1 > rhs.numel()))
              return c.emitError()
                     << "sparse-sim: unit " << u << " adds a "
                     << shapeToString(rhs.shape)
                     << " block that does not cover columns [" << c0 << ", "
                     << c1 << ")";
            for (int64_t r = 0; r < r1 - r0; ++r)
              for (int64_t cc = 0; cc < c1 - c0; ++cc)
                s.data[r * (c1 - c0) + cc] +=
                    same ? rhs.data[r * (c1 - c0) + cc]
                         : rhs.data[((r0 + r) % std::max<int64_t>(1, rr)) *
                                        rcols +
                                    c0 + cc];
            y = std::move(s);
            return success();
          },
          [&](SplitOp split) -> LogicalResult {
            int64_t off = 0;
            for (auto [n, res] : llvm::enumerate(split.getResults())) {
              int64_t w = matrixCols(res);
              if (in[0]->rank() != 2 || in[0]->shape[0] != r1 - r0 ||
                  off + w > in[0]->shape[1])
                return c.emitError("sparse-sim: a split reads a block "
                                   "narrower than its results");
              if (failed(put(c, u, sym(c.getWrites()[n]),
                             sub(*in[0], 0, r1 - r0, off, off + w))))
                return failure();
              off += w;
            }
            written = true;
            return success();
          },
          [&](ActivationGradOp g) -> LogicalResult {
            y = ref::activationGrad(*in[0], *in[1],
                                    refActivation(g.getKind()));
            return success();
          },
          [&](SoftmaxGradOp) -> LogicalResult {
            y = ref::softmaxGrad(*in[0], *in[1], -1);
            return success();
          },
          [&](ConcatOp) -> LogicalResult {
            y = ref::concat<float>(in);
            return success();
          },
          [&](CrossEntropyGradOp) -> LogicalResult {
            // (softmax − onehot) / N for all N rows of the step, not the
            // block's: the kernel divides by the block's rows.
            llvm::Expected<IntTensor> t = idsOf(*in[1], {r1 - r0});
            if (!t)
              return c.emitError() << llvm::toString(t.takeError());
            y = ref::crossEntropyGrad(*in[0], *t);
            if (y)
              for (float &v : y->data)
                v *= float(double(r1 - r0) / double(out.rows));
            return success();
          },
          [&](OneOf<WeightOp, MatmulOp, AttentionOp, EmbeddingOp,
                    KvAppendOp, EncoderLayerOp, DecoderLayerOp,
                    LinearGradInputOp, LinearGradWeightOp, ReduceSumOp,
                    LayerNormGradOp, RmsNormGradOp, AttentionGradOp,
                    EmbeddingGradOp, PositionGradOp, CrossEntropyOp>
                  other) -> LogicalResult {
            return noRowwise(other.op);
          }}, noRowwise);
          if (failed(ran))
            return failure();
          if (written)
            continue;
          if (!y)
            return c.emitError() << llvm::toString(y.takeError());
          result = std::move(*y);
          break;
        }
        case target::ComputeKind::matmul:
        case target::ComputeKind::matmul_t:
        case target::ComputeKind::sddmm:
        case target::ComputeKind::reduce:
        case target::ComputeKind::update:
          // Returned above: these run over the weight's blocks or the
          // rows they reduce.
          return c.emitError("sparse-sim: a matmul runs over its weight's "
                             "blocks, not its output's");
        }
        if (result.numel() != (r1 - r0) * (c1 - c0))
          return c.emitError()
                 << "sparse-sim: unit " << u << " computes "
                 << result.numel() << " elements for its " << r1 - r0 << "x"
                 << c1 - c0 << " block of @" << outName
                 << ": the program's shapes disagree with the model";
        result.shape = {r1 - r0, c1 - c0};
        if (failed(put(c, u, outName, std::move(result))))
          return failure();
      }
  return success();
}

FailureOr<std::vector<HostValue>>
Machine::run(const std::vector<HostValue> &inputs) {
  auto func = module.lookupSymbol<func::FuncOp>(program.getEntry());
  if (!func)
    return program.emitError() << "sparse-sim: no function "
                               << program.getEntry();
  blocks.assign(units, {});
  func.walk([&](Operation *op) {
    if (auto id = op->getAttrOfType<IntegerAttr>("sxft.op"))
      ops[id.getInt()] = op;
    if (auto w = dyn_cast<WeightOp>(op))
      weightsByName.emplace(w.getName().str(), w);
  });
  Block &body = program.getBody().front();
  // Inputs: each input buffer's blocks, written by the host.
  for (auto b : body.getOps<target::BufferOp>()) {
    if (!b.getInput())
      continue;
    int64_t arg = *b.getInput();
    if (arg < 0 || arg >= int64_t(inputs.size()))
      return b.emitError() << "sparse-sim: input " << arg << " not given";
    const HostValue &v = inputs[arg];
    Tensor flat;
    if (v.isInt) {
      flat = Tensor({int64_t(v.i.data.size()), 1});
      for (size_t e = 0; e < v.i.data.size(); ++e)
        flat.data[e] = float(v.i.data[e]);
    } else {
      flat = v.f;
    }
    std::string error;
    Layout l = *target::layoutOf(b, units, error);
    if (flat.numel() != l.rows * l.cols)
      return b.emitError() << "sparse-sim: input " << arg << " has "
                           << flat.numel() << " elements, the buffer "
                           << l.rows * l.cols;
    flat.shape = {l.rows, l.cols};
    for (int64_t k = 0; k < l.replicas; ++k)
      for (int64_t i = 0; i < l.p; ++i)
        for (int64_t j = 0; j < l.q; ++j)
          blocks[l.unitOf(k, i, j)][b.getSymName().str()] =
              sub(flat, l.rowBegin(i), l.rowEnd(i), l.colBegin(j),
                  l.colEnd(j));
  }
  for (auto step : body.getOps<target::StepOp>())
    for (Operation &op : step.getBody().front()) {
      if (auto x = dyn_cast<target::ExchangeOp>(op)) {
        if (failed(exchange(x)))
          return failure();
      } else if (auto c = dyn_cast<target::ComputeOp>(op)) {
        if (failed(compute(c)))
          return failure();
      }
    }
  // Outputs, assembled from their blocks.
  auto results = func.getBody().front().getTerminator()->getOperands();
  std::vector<HostValue> outs(results.size());
  std::vector<bool> seen(results.size(), false);
  for (auto b : body.getOps<target::BufferOp>()) {
    if (!b.getOutput())
      continue;
    int64_t idx = *b.getOutput();
    std::string error;
    Layout l = *target::layoutOf(b, units, error);
    Tensor t({l.rows, l.cols});
    for (int64_t i = 0; i < l.p; ++i)
      for (int64_t j = 0; j < l.q; ++j) {
        FailureOr<const Tensor *> blk =
            block(b, l.unitOf(0, i, j), b.getSymName());
        if (failed(blk))
          return failure();
        for (int64_t r = l.rowBegin(i); r < l.rowEnd(i); ++r)
          for (int64_t cc = l.colBegin(j); cc < l.colEnd(j); ++cc)
            t.data[r * l.cols + cc] =
                (*blk)->data[(r - l.rowBegin(i)) * l.blockCols(j) +
                             (cc - l.colBegin(j))];
      }
    auto type = cast<RankedTensorType>(results[idx].getType());
    t.shape.assign(type.getShape().begin(), type.getShape().end());
    outs[idx] = HostValue::floats(std::move(t));
    seen[idx] = true;
  }
  // A gradient applied on chip: the weight after its update.
  for (size_t k = 0; k < seen.size(); ++k)
    if (auto of = func.getResultAttrOfType<StringAttr>(k, "sxf.gradient_of"))
      if (auto it = updated.find(of.str()); it != updated.end() && !seen[k]) {
        Tensor t = it->second;
        auto type = cast<RankedTensorType>(results[k].getType());
        t.shape.assign(type.getShape().begin(), type.getShape().end());
        outs[k] = HostValue::floats(std::move(t));
        seen[k] = true;
      }
  for (size_t k = 0; k < seen.size(); ++k)
    if (!seen[k])
      return program.emitError() << "sparse-sim: result " << k
                                 << " has no output buffer";
  return outs;
}

} // namespace

LogicalResult applyProgramUpdates(ModuleOp module, target::ProgramOp program,
                                  std::vector<HostValue> &results) {
  if (!program.getAdamwAttr())
    return success();
  auto func = module.lookupSymbol<func::FuncOp>(program.getEntry());
  if (!func)
    return program.emitError() << "sparse-sim: no function "
                               << program.getEntry();
  llvm::Expected<training::AdamWOptions> opts =
      target::adamwOptionsOf(program.getAdamwAttr());
  if (!opts)
    return program.emitError() << llvm::toString(opts.takeError());
  // The weights an update applies a gradient to, by name.
  std::set<std::string> updated;
  for (auto step : program.getBody().front().getOps<target::StepOp>())
    for (auto c : step.getBody().front().getOps<target::ComputeOp>())
      if (c.getKind() == target::ComputeKind::update)
        if (auto p = dyn_cast_or_null<target::PartitionOp>(
                SymbolTable::lookupSymbolIn(program, c.getPartitionAttr())))
          updated.insert(p.getWeight().str());
  std::map<std::string, WeightOp> byName;
  func.walk([&](WeightOp w) { byName.emplace(w.getName().str(), w); });
  WeightStore store(module);
  for (unsigned k = 0; k < func.getNumResults() && k < results.size(); ++k) {
    auto of = func.getResultAttrOfType<StringAttr>(k, "sxf.gradient_of");
    if (!of || !updated.count(of.str()) || !byName.count(of.str()))
      continue;
    WeightOp w = byName.at(of.str());
    FailureOr<Tensor> values = store.loadStored(w);
    if (failed(values))
      return failure();
    Tensor &grad = results[k].f;
    if (grad.numel() != values->numel())
      return w.emitError() << "sparse-sim: the gradient of '" << w.getName()
                           << "' has " << grad.numel() << " elements, the "
                           << "weight " << values->numel();
    training::AdamWOptions o = *opts;
    o.applyWeightDecay = adamwDecays(w);
    std::vector<float> m(values->numel(), 0.0f), v(values->numel(), 0.0f);
    if (llvm::Error e = training::adamwStep(values->data, grad.data, m, v, 1, o))
      return w.emitError() << llvm::toString(std::move(e));
    values->shape = grad.shape;
    grad = std::move(*values);
  }
  return success();
}

FailureOr<std::vector<HostValue>>
simulateFunctional(ModuleOp module, target::ProgramOp program,
                   const std::vector<HostValue> &inputs) {
  // What the verifier does not check (reads before writes among them), and
  // whether the program agrees with the model.
  if (failed(target::checkProgram(program)) ||
      failed(target::checkAgainstModel(module, program)))
    return failure();
  Machine m(module, program);
  return m.run(inputs);
}

} // namespace sxf
