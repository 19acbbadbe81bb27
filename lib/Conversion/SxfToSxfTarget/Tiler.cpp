//===- Tiler.cpp - Map an sxf model onto the units of a target ------------===//
//
// The sxf -> sxft lowering of sxf-tile (include/sxf/Conversion/SxfToSxfTarget/
// Tiler.h says what it decides). It is not a dialect conversion in MLIR's
// replace sense, and so not written as conversion patterns: it replaces no
// sxf op. It adds an sxft.program next to the entry function and only tags
// the function's ops with `sxft.op` ids; the program refers to those ops
// (each sxft.compute's `op`) and to their sxf.weights by name (each
// sxft.partition's `weight`), and the functional simulator runs it against
// them (lib/Sim/Functional.cpp).
//
// Two dispatches on the sxf ops, both exhaustive (SxfVisitors.h: adding an
// op to SxfOps.td without a case here fails to compile):
//
//  - Tiler::analyse records every sxf.weight and gives every op the tiler
//    lowers a plan (its sxft.op id, layer, bytes and work on one unit); the
//    ops it refuses (the composite sxf.encoder_layer / sxf.decoder_layer
//    before sxf-decompose, sxf.matmul between activations outside
//    sxf.attention) are located errors there, as is any non-sxf op but the
//    terminator.
//  - Tiler::emitOp opens a step per plan and calls the op's lowering,
//    `Tiler::visitOp(XOp, OpPlan &)`, documented with the sxft ops it
//    produces.
//
// The shared analyses stay in lib/Tile: the per-unit performance model
// (PerfModel.cpp) the grids are chosen with, and the program checks
// (ProgramChecks.cpp) run on the result, which sparse-sim runs too.
//
//===----------------------------------------------------------------------===//

#include "sxf/Conversion/SxfToSxfTarget/Tiler.h"
#include "sxf/Analysis/SparsityStats.h"
#include "sxf/Dialect/Sxf/IR/SxfVisitors.h"
#include "sxf/Dialect/SxfTarget/IR/Layout.h"
#include "sxf/Interpreter/Interpreter.h"
#include "sxf/Partition/Partition.h"
#include "sxf/Tile/PerfModel.h"
#include "sxf/Tile/ProgramChecks.h"
#include "sxf/Weights/WeightStore.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

using namespace mlir;

namespace sxf {


namespace {

/// RDU layout: an op's units must hold its weights and this many times its
/// activations (operands and results), because activation buffers outlive
/// the op that makes them (residual streams, copies in other layouts).
constexpr double kActivationShare = 4.0;

using target::BufferOp;
using target::Layout;
using target::PartitionOp;
using target::StepOp;

/// Creates an op from named attributes (inherent attributes become its
/// properties), with `regions` empty regions.
template <typename OpT>
OpT make(OpBuilder &b, Location loc, ArrayRef<NamedAttribute> attrs,
         unsigned regions = 0) {
  OperationState st(loc, OpT::getOperationName());
  st.addAttributes(attrs);
  for (unsigned k = 0; k < regions; ++k)
    st.addRegion();
  return cast<OpT>(b.create(st));
}

NamedAttribute named(OpBuilder &b, StringRef name, Attribute a) {
  return b.getNamedAttr(name, a);
}

int64_t rowsOf(Value v) { return matrixRows(v); }
int64_t colsOf(Value v) { return matrixCols(v); }

struct WeightInfo {
  WeightOp op;
  WeightStats stats;
  FormatAttr format;
  std::optional<Tensor> values; // measured weights: for per-block counts
  int64_t totalBytes = 0;
  LinearOp linear; // a linear using it: its grid decides the partition
  int64_t users = 0;
  /// Users that are not gradient ops: more than one (a tied embedding
  /// table) keeps a streamed weight resident in every section.
  int64_t forwardUsers = 0;
};

/// Bytes of AdamW state per stored value: m and v in f32, and an f32
/// master copy of values stored narrower.
static int64_t adamwStateBytesPerValue(FormatAttr format) {
  unsigned bits = format.getValueType()
                      ? format.getValueType().getIntOrFloatBitWidth()
                      : 32;
  return 8 + (bits < 32 ? 4 : 0);
}

/// A weight's AdamW state in all: per stored value (every entry of a dense
/// weight).
static int64_t adamwStateBytes(const WeightInfo &w) {
  int64_t stored = w.format.getKind() == StorageKind::dense ? w.stats.numel
                                                            : w.stats.nnz;
  return stored * adamwStateBytesPerValue(w.format);
}

struct OpPlan {
  Operation *op = nullptr;
  std::string layer;
  int64_t first = 0, count = 1, section = 0;
  double work = 0;          // seconds on one unit (RDU allocation)
  int64_t weightBytes = 0;  // of weights first used here
  int64_t activationBytes = 0; // operands and results, fp32
};

/// Token chunks for a step whose streamed buffers hold `rowBytes` per
/// token row on their busiest unit: the fewest slices of `rows` rows whose
/// slice fits `budget` bytes (1 when all rows do, `rows` when not even one
/// row does: the step then streams row by row).
static int64_t chunksFor(int64_t rows, double rowBytes, double budget) {
  if (rows <= 1 || rowBytes <= 0 || double(rows) * rowBytes <= budget)
    return 1;
  if (budget < rowBytes)
    return rows;
  int64_t perChunk = std::max<int64_t>(1, int64_t(budget / rowBytes));
  return std::min(rows, (rows + perChunk - 1) / perChunk);
}

/// Rows of the largest slice when `rows` are streamed in `chunks` slices.
static int64_t chunkRows(int64_t rows, int64_t chunks) {
  return (rows + chunks - 1) / chunks;
}

/// A weight grid: row / column cuts (aligned to the format's granules).
struct Grid {
  std::vector<int64_t> rowCuts, colCuts;
  int64_t tp = 1; // token parts: replicas of the weight, one per part
  double extraPerUnit = 0; // bytes per unit the replicas add
  int64_t gr() const { return rowCuts.size() - 1; }
  int64_t gc() const { return colCuts.size() - 1; }
};

/// Plans and builds the program; the lowering of each planned sxf op is its
/// `visitOp` (SxfVisitors.h: an sxf op without one does not compile).
class Tiler : public SxfOpVisitor<Tiler, LogicalResult, OpPlan &> {
public:
  Tiler(ModuleOp module, const TargetDesc &t, const TileOptions &o)
      : module(module), t(t), opt(o), unit(unitView(t)),
        ctx(module.getContext()), units(t.units), store(module) {}

  FailureOr<TileResult> run();

private:
  friend class SxfOpVisitor<Tiler, LogicalResult, OpPlan &>;

  // Analysis: one plan per op to lower, in program order.
  LogicalResult analyse();
  LogicalResult recordWeight(WeightOp w, double &totalBytes);
  OpPlan &addPlan(Operation *op, std::string &layer);
  double elementwiseWork(Operation *op);
  LogicalResult build(bool streamed, double headroom, double streamShare);
  LogicalResult planRdu(double headroom);

  // Lowering: a step for the op, then its case below.
  LogicalResult emitOp(OpPlan &plan);
  LogicalResult visitOp(LinearOp l, OpPlan &plan);
  LogicalResult finishLinear(LinearOp l, OpPlan &plan, const Layout &yl,
                             BufferOp y);
  LogicalResult visitOp(EmbeddingOp e, OpPlan &plan);
  LogicalResult visitOp(AttentionOp a, OpPlan &plan);
  LogicalResult visitOp(LayerNormOp n, OpPlan &plan);
  LogicalResult visitOp(RmsNormOp n, OpPlan &plan);
  LogicalResult visitOp(SoftmaxOp s, OpPlan &plan);
  LogicalResult visitOp(SplitOp s, OpPlan &plan);
  LogicalResult visitOp(ActivationOp a, OpPlan &plan);
  LogicalResult visitOp(AddOp a, OpPlan &plan);
  LogicalResult visitOp(KvAppendOp k, OpPlan &plan);
  LogicalResult
  visitOp(OneOf<WeightOp, MatmulOp, EncoderLayerOp, DecoderLayerOp> op,
          OpPlan &plan);
  LogicalResult visitOp(LinearGradInputOp g, OpPlan &plan);
  LogicalResult visitOp(LinearGradWeightOp g, OpPlan &plan);
  LogicalResult visitOp(AttentionGradOp a, OpPlan &plan);
  /// Query parts and key/value chunks of an attention (qSide = 2: q and the
  /// output per query row; kvSide = 2: k and v; work = 1) or of its
  /// gradient (3: q, dy, dq; 4: k, v and the partial dk, dv; 3) with
  /// batches x head groups p x hg on `plan`'s units: query parts only for
  /// one sequence — the fastest split whose queries' side fits the stream
  /// budget, else the fastest (keys and values copied to every part); keys
  /// and values streamed in chunks when they do not fit beside the part's
  /// queries. Returns {query parts, chunks}.
  std::pair<int64_t, int64_t> attentionSplit(int64_t B, int64_t H,
                                             int64_t sq, int64_t sk,
                                             int64_t dh, int64_t D,
                                             int64_t p, int64_t hg,
                                             const OpPlan &plan, int qSide,
                                             int kvSide, double work);
  /// The layouts of an attention (or its gradient) on `plan`'s units, from
  /// attentionGrid and attentionSplit (qSide, kvSide, work as there): the
  /// queries' (batches or query parts x head groups) and the keys' and
  /// values' (batches x head groups, a copy per query part: unit first +
  /// r·hg + h holds head group h for query part r).
  struct AttentionLayouts {
    Layout ql, kl;
    int64_t p = 1, hg = 1, qp = 1, chunks = 1;
  };
  AttentionLayouts attentionLayouts(Value query, Value key, int64_t heads,
                                    int64_t headDim, const OpPlan &plan,
                                    int qSide, int kvSide, double work);
  LogicalResult visitOp(OneOf<ActivationGradOp> a, OpPlan &plan);
  LogicalResult visitOp(OneOf<SoftmaxGradOp, ConcatOp, CrossEntropyGradOp> o,
                        OpPlan &plan);
  LogicalResult visitOp(OneOf<ReduceSumOp, LayerNormGradOp, RmsNormGradOp,
                              EmbeddingGradOp, PositionGradOp, CrossEntropyOp>
                            o,
                        OpPlan &plan);
  LogicalResult visitInvalidOp(Operation *op, OpPlan &plan);
  /// The partition of the weight a gradient op reads (made by the forward
  /// linear) and its layout.
  FailureOr<std::pair<PartitionOp, Layout>> gradPartition(Operation *op,
                                                          const OpPlan &plan);
  /// Whether partition `p` is in SRAM where `plan`'s op runs: resident, or
  /// off-chip in the current section (on an RDU, also on the op's units).
  bool usableHere(PartitionOp p, const OpPlan &plan);
  /// A copy of weight `wop`'s partition for `plan`'s op, off-chip in the
  /// current section (a streamed training step: the gradients and the
  /// update of a weight run in later sections, or on an RDU on other units,
  /// than its forward op): cut like the last partition when it fits the
  /// op's units.
  PartitionOp copyPartition(WeightOp wop, const OpPlan &plan);
  /// The output gradient of a linear cut like its weight's rows and
  /// repeated over the weight's column parts: unit (i, j) of the partition
  /// holds dy's columns of row part i.
  Layout gradOutputLayout(int64_t T, const Layout &wl);
  /// Every operand on token rows (an id operand as one column), and every
  /// result on token rows: an sxft.compute "rowwise".
  LogicalResult lowerRows(Operation *op, OpPlan &plan);
  /// With TileOptions::adamw, everything resident: the updates not applied
  /// yet (emitUpdate), all in one step after the last op; records the
  /// results applied (they are then not outputs).
  LogicalResult emitUpdates(std::set<unsigned> &applied);
  /// The entry's gradient results AdamW applies on chip, by result index.
  LogicalResult collectUpdates();
  /// One `update` of result k's weight in the current step (and, for an
  /// off-chip partition, the `store` that writes it back).
  LogicalResult emitUpdate(unsigned k, const OpPlan &plan);
  std::map<unsigned, WeightOp> updateTargets;
  LogicalResult lowerRowwise(Operation *op, OpPlan &plan);
  LogicalResult rowsCompute(Operation *op, int64_t T, const Layout &rl,
                            ArrayRef<Attribute> reads, const OpPlan &plan);
  LogicalResult lowerElementwise(Operation *op, Value x, Value rhs,
                                 OpPlan &plan);

  // Layouts and buffers.
  Layout layout(int64_t rows, int64_t cols, int64_t p, int64_t q,
                int64_t replicas, int64_t first, bool interleave = false,
                bool partial = false, ArrayRef<int64_t> rowCuts = {},
                ArrayRef<int64_t> colCuts = {});
  Layout rowsLayout(int64_t rows, int64_t cols, const OpPlan &plan);
  BufferOp makeBuffer(const Layout &l, Value v, int64_t chunks = 1);
  BufferOp in(Value v, const Layout &want);
  /// v in `want` from its own buffer: a new copy (and exchange) even when an
  /// earlier op left one, so that copy's SRAM is free in between.
  BufferOp inFresh(Value v, const Layout &want);
  /// A streamed copy of v in `want` (chunks > 1), filled slice by slice in
  /// the current step; v's buffer itself when it already has that layout.
  BufferOp inStreamed(Value v, const Layout &want, int64_t chunks);
  /// Token chunks of a linear whose weight is laid out as `wl`, for `T`
  /// tokens: its replicated input and (split-K) partial sums are streamed
  /// when they do not fit the stream budget (chooseGrid and the lowering
  /// both ask here).
  int64_t linearChunks(int64_t T, int64_t maxCols, int64_t maxRows,
                       int64_t gc, int64_t outCols = 0) const {
    double rowBytes = double(kActivationBytes) *
                      double(maxCols + (gc > 1 ? maxRows : 0) + outCols);
    return chunksFor(T, rowBytes, streamBudget);
  }
  /// Whether a linear's result streams to the host in its token chunks:
  /// the entry returns it (once, and nothing else reads it) straight from
  /// the linear's step (no fused norm after it).
  static bool streamsOut(LinearOp l) {
    Value r = l.getResult();
    return !l.getNormGamma() && r.hasOneUse() &&
           isa<func::ReturnOp>(*r.getUsers().begin());
  }
  void setHome(Value v, BufferOp b) { home[v] = b; }
  StepOp newStep(const OpPlan &plan);
  target::ComputeOp compute(target::ComputeKind kind, const Layout &on,
                            PartitionOp part, ArrayRef<Attribute> reads,
                            ArrayRef<Attribute> writes, double flops,
                            Operation *op);

  // Weights.
  Grid chooseGrid(WeightInfo &w, int64_t tokens, int64_t available);
  FailureOr<PartitionOp> weightPartition(WeightOp w, const OpPlan &plan);
  FailureOr<PartitionOp> paramPartition(Value param, const Layout &like,
                                        bool replicate);
  PartitionOp makePartition(WeightInfo &w, const Grid &g, int64_t first,
                            int64_t replicas);

  ModuleOp module;
  const TargetDesc &t;
  TileOptions opt;
  TargetDesc unit;
  MLIRContext *ctx;
  int64_t units;
  WeightStore store;
  func::FuncOp func;
  std::map<Operation *, WeightInfo> weights;
  std::vector<OpPlan> plans;
  int64_t tokens = 1;
  /// The entry is a training step (it has gradient ops).
  bool training = false;
  /// Build state: a weight gradient exchanges the forward input into its
  /// layout again instead of keeping the forward linear's copy alive (the
  /// retry when a training step's activations do not fit).
  bool refetchInputs = false;
  double avgResidentPerUnit = 0;
  /// RDU: the units the ops need in one pipeline section (each op runs on
  /// units of its own), from the last planRdu.
  int64_t rduUnitsNeeded = 0;

  // Build state.
  target::ProgramOp program;
  /// Declarations go before the first step.
  void setDeclPoint(OpBuilder &b) {
    Block &body = program.getBody().front();
    auto steps = body.getOps<StepOp>();
    if (steps.empty())
      b.setInsertionPointToEnd(&body);
    else
      b.setInsertionPoint(*steps.begin());
  }
  int64_t lastSpan = 0;
  StepOp step;
  int64_t stepIndex = 0, section = 0, cursor = 0, bufferCount = 0;
  bool streamedBuild = false;
  double weightBudget = 0;
  /// Bytes per unit a step's streamed buffers may take at once (the SRAM
  /// the weights leave, times the share of this build attempt).
  double streamBudget = INFINITY;
  double sectionWeightsPerUnit = 0; // current section, streaming
  /// Bytes per unit the replicas of token-split weights may add (a quarter
  /// of the share of what the weights leave), and what they add so far.
  double replicaBudget = 0, replicaExtraPerUnit = 0;
  DenseMap<Value, BufferOp> home;
  std::map<std::string, BufferOp> copies;
  /// The last partition of each weight (its copies, off-chip, are in
  /// earlier sections or on other units).
  std::map<Operation *, PartitionOp> partitions;
  int64_t partitionCount = 0;
  DenseMap<Value, int64_t> valueIds;
};

Layout Tiler::layout(int64_t rows, int64_t cols, int64_t p, int64_t q,
                     int64_t replicas, int64_t first, bool interleave,
                     bool partial, ArrayRef<int64_t> rowCuts,
                     ArrayRef<int64_t> colCuts) {
  std::string error;
  std::optional<Layout> l =
      target::makeLayout(rows, cols, p, q, replicas, first % units, units,
                         interleave, partial, rowCuts, colCuts, error);
  assert(l && "tiler built an invalid layout");
  return *l;
}

Layout Tiler::rowsLayout(int64_t rows, int64_t cols, const OpPlan &plan) {
  return layout(rows, cols, std::min(rows, plan.count), 1, 1, plan.first);
}

static std::string layoutKey(const Layout &l) {
  std::string k = std::to_string(l.p) + "x" + std::to_string(l.q) + "r" +
                  std::to_string(l.replicas) + "@" + std::to_string(l.first) +
                  (l.interleave ? "i" : "") + (l.partial ? "s" : "") + ":";
  for (int64_t c : l.rowCuts)
    k += std::to_string(c) + ",";
  k += ":";
  for (int64_t c : l.colCuts)
    k += std::to_string(c) + ",";
  return k;
}

static bool sameLayout(const Layout &a, const Layout &b) {
  return layoutKey(a) == layoutKey(b) && a.rows == b.rows && a.cols == b.cols;
}

static void setCuts(Operation *op, const Layout &l) {
  Builder b(op->getContext());
  if (l.rowCuts != target::evenCuts(l.rows, l.p))
    op->setAttr("row_cuts", b.getDenseI64ArrayAttr(l.rowCuts));
  if (l.colCuts != target::evenCuts(l.cols, l.q))
    op->setAttr("col_cuts", b.getDenseI64ArrayAttr(l.colCuts));
}

BufferOp Tiler::makeBuffer(const Layout &l, Value v, int64_t chunks) {
  OpBuilder b(ctx);
  setDeclPoint(b);
  int64_t id = valueIds.count(v) ? valueIds[v] : -1;
  std::string name = "v" + std::to_string(id) + "_" +
                     std::to_string(bufferCount++);
  int64_t bytes = chunkRows(l.maxBlockRows(), chunks) * l.maxBlockCols() *
                  kActivationBytes;
  SmallVector<NamedAttribute> attrs = {
      named(b, "sym_name", b.getStringAttr(name)),
      named(b, "shape", b.getDenseI64ArrayAttr({l.rows, l.cols})),
      named(b, "grid", b.getDenseI64ArrayAttr({l.p, l.q})),
      named(b, "first", b.getI64IntegerAttr(l.first)),
      named(b, "bytes", b.getI64IntegerAttr(bytes))};
  if (l.replicas != 1)
    attrs.push_back(named(b, "replicas", b.getI64IntegerAttr(l.replicas)));
  if (l.interleave)
    attrs.push_back(named(b, "interleave", b.getUnitAttr()));
  if (l.partial)
    attrs.push_back(named(b, "partial", b.getUnitAttr()));
  if (chunks > 1)
    attrs.push_back(named(b, "chunks", b.getI64IntegerAttr(chunks)));
  auto buf = make<BufferOp>(b, v.getLoc(), attrs);
  setCuts(buf, l);
  return buf;
}

static void exchange(OpBuilder &b, Location loc, BufferOp from, BufferOp to,
                     int64_t bytes) {
  make<target::ExchangeOp>(
      b, loc,
      {named(b, "source", FlatSymbolRefAttr::get(from.getSymNameAttr())),
       named(b, "dest", FlatSymbolRefAttr::get(to.getSymNameAttr())),
       named(b, "bytes", b.getI64IntegerAttr(bytes))});
}

BufferOp Tiler::in(Value v, const Layout &want) {
  auto it = home.find(v);
  if (it == home.end()) {
    // An entry argument: the host writes it in the layout its first user
    // wants.
    BufferOp b = makeBuffer(want, v);
    b->setAttr("input", OpBuilder(ctx).getI64IntegerAttr(
                            cast<BlockArgument>(v).getArgNumber()));
    home[v] = b;
    return b;
  }
  std::string error;
  Layout have = *target::layoutOf(it->second, units, error);
  if (sameLayout(have, want))
    return it->second;
  std::string key = std::to_string(valueIds[v]) + "|" + layoutKey(want);
  auto c = copies.find(key);
  if (c != copies.end())
    return c->second;
  BufferOp dst = makeBuffer(want, v);
  int64_t moved = target::exchangeElements(have, want) * kActivationBytes;
  OpBuilder b = OpBuilder::atBlockEnd(&step.getBody().front());
  exchange(b, v.getLoc(), it->second, dst, moved);
  copies[key] = dst;
  return dst;
}

BufferOp Tiler::inFresh(Value v, const Layout &want) {
  auto it = home.find(v);
  std::string error;
  if (it == home.end() ||
      sameLayout(*target::layoutOf(it->second, units, error), want))
    return in(v, want);
  Layout have = *target::layoutOf(it->second, units, error);
  BufferOp dst = makeBuffer(want, v);
  OpBuilder b = OpBuilder::atBlockEnd(&step.getBody().front());
  exchange(b, v.getLoc(), it->second, dst,
           target::exchangeElements(have, want) * kActivationBytes);
  return dst;
}

BufferOp Tiler::inStreamed(Value v, const Layout &want, int64_t chunks) {
  if (chunks <= 1)
    return in(v, want);
  auto it = home.find(v);
  std::string error;
  if (it != home.end() &&
      sameLayout(*target::layoutOf(it->second, units, error), want))
    return it->second;
  if (it == home.end()) {
    // An entry argument: the host writes it in `want`, whole, or slice by
    // slice as the step runs when this is its only reader.
    BufferOp src = in(v, want);
    if (v.hasOneUse()) {
      int64_t bytes = chunkRows(want.maxBlockRows(), chunks) *
                      want.maxBlockCols() * kActivationBytes;
      src.setChunks(chunks);
      src.setBytes(bytes);
      step.setChunks(chunks);
    }
    return src;
  }
  BufferOp src = it->second;
  Layout have = *target::layoutOf(src, units, error);
  BufferOp dst = makeBuffer(want, v, chunks);
  OpBuilder b = OpBuilder::atBlockEnd(&step.getBody().front());
  exchange(b, v.getLoc(), src, dst,
           target::exchangeElements(have, want) * kActivationBytes);
  step.setChunks(chunks);
  return dst;
}

StepOp Tiler::newStep(const OpPlan &plan) {
  OpBuilder b = OpBuilder::atBlockEnd(&program.getBody().front());
  SmallVector<NamedAttribute> attrs = {
      named(b, "index", b.getI64IntegerAttr(stepIndex++))};
  if (section)
    attrs.push_back(named(b, "section", b.getI64IntegerAttr(section)));
  if (!plan.layer.empty())
    attrs.push_back(named(b, "layer", b.getStringAttr(plan.layer)));
  step = make<StepOp>(b, plan.op->getLoc(), attrs, 1);
  step.getBody().emplaceBlock();
  return step;
}

target::ComputeOp Tiler::compute(target::ComputeKind kind, const Layout &on,
                                 PartitionOp part, ArrayRef<Attribute> reads,
                                 ArrayRef<Attribute> writes, double flops,
                                 Operation *op) {
  OpBuilder b = OpBuilder::atBlockEnd(&step.getBody().front());
  SmallVector<NamedAttribute> attrs = {
      named(b, "kind", target::ComputeKindAttr::get(b.getContext(), kind)),
      named(b, "unit", b.getI64IntegerAttr(on.first)),
      named(b, "span", b.getI64IntegerAttr(on.span())),
      named(b, "reads", b.getArrayAttr(reads)),
      named(b, "writes", b.getArrayAttr(writes)),
      named(b, "flops",
            b.getI64IntegerAttr(static_cast<int64_t>(std::llround(flops)))),
      named(b, "op", op->getAttr("sxft.op"))};
  if (part)
    attrs.push_back(named(b, "partition",
                          FlatSymbolRefAttr::get(part.getSymNameAttr())));
  return make<target::ComputeOp>(b, op->getLoc(), attrs);
}

static Attribute ref(Operation *symbolOp) {
  return FlatSymbolRefAttr::get(
      cast<StringAttr>(symbolOp->getAttr(SymbolTable::getSymbolAttrName())));
}

/// Row / column granules a format needs kept whole in a block.
static std::pair<int64_t, int64_t> granules(FormatAttr f) {
  if (!f)
    return {1, 1};
  if (f.getKind() == StorageKind::bsr)
    return {f.getBlockRows(), f.getBlockCols()};
  if (f.getKind() == StorageKind::nm)
    return {1, f.getM()};
  return {1, 1};
}

Grid Tiler::chooseGrid(WeightInfo &w, int64_t tokens, int64_t available) {
  auto [gRows, gCols] = granules(w.format);
  int64_t R = w.stats.rows, C = w.stats.cols;
  int64_t rg = R / gRows, cg = C / gCols;
  // Work of each row granule (nonzeros): measured, or an even spread.
  std::vector<int64_t> work(rg, 0);
  if (w.format.getKind() == StorageKind::dense) {
    // A dense block stores and multiplies every entry: even row parts.
    std::fill(work.begin(), work.end(), gRows * C);
  } else if (w.values) {
    const float *d = w.values->data.data();
    for (int64_t r = 0; r < R; ++r) {
      int64_t n = 0;
      for (int64_t c = 0; c < C; ++c)
        n += d[r * C + c] != 0.0f;
      work[r / gRows] += n;
    }
  } else {
    std::fill(work.begin(), work.end(),
              std::max<int64_t>(1, std::llround(w.stats.density * gRows * C)));
  }
  // The input: an entry argument the host writes in the layout the linear
  // wants (sparse-sim charges its bytes once, whatever the replication), held
  // whole; any other value is exchanged into that layout and streamed.
  Value input = w.linear.getInput();
  bool hostInput = isa<BlockArgument>(input) && !home.count(input);
  // The host streams it in token chunks when the linear is its only reader
  // (another reader would need it whole later).
  bool hostStreams = hostInput && input.hasOneUse();
  Grid best;
  double bestSeconds = INFINITY, bestBytes = INFINITY;
  bool bestFits = false, bestFull = false;
  // One candidate: gr row parts of gc column parts, repeated over tp token
  // parts (each replica of the weight multiplies 1/tp of the tokens; only
  // with gc = 1, where it replaces the split-K reduction).
  auto consider = [&](int64_t gr, int64_t gc, int64_t tp) {
    std::vector<int64_t> cuts = balancedRowSplit(work, gr);
    Grid g;
    g.tp = tp;
    g.rowCuts = cuts;
    // Drop empty parts (all work in fewer ranges than asked).
    g.rowCuts.erase(std::unique(g.rowCuts.begin(), g.rowCuts.end()),
                    g.rowCuts.end());
    for (int64_t &c : g.rowCuts)
      c *= gRows;
    g.colCuts = target::evenCuts(cg, gc);
    for (int64_t &c : g.colCuts)
      c *= gCols;
    int64_t maxRows = 0, maxCols = 0;
    int64_t maxWork = maxPartWork(work, cuts);
    for (int64_t i = 0; i < g.gr(); ++i)
      maxRows = std::max(maxRows, g.rowCuts[i + 1] - g.rowCuts[i]);
    for (int64_t j = 0; j < g.gc(); ++j)
      maxCols = std::max(maxCols, g.colCuts[j + 1] - g.colCuts[j]);
    int64_t nnz = std::llround(double(maxWork) * double(maxCols) / double(C));
    WeightStats bs = blockStats(w.stats, maxRows, maxCols, nnz);
    std::optional<int64_t> blockB = blockBytes(bs, w.format);
    if (!blockB)
      return; // the format cannot hold a block of this grid
    // Tokens of the busiest token part; they stream through the block in
    // chunks when the replicated input and partial sums of all of them do
    // not fit beside the weights.
    int64_t partTokens = chunkRows(tokens, tp);
    int64_t outCols = (maxRows + g.gc() - 1) / g.gc();
    bool outStreams = streamsOut(w.linear);
    int64_t chunks = linearChunks(partTokens, maxCols, maxRows, g.gc(),
                                  outStreams ? outCols : 0);
    std::optional<WorkCost> mm =
        matmulCost(unit, bs, w.format, chunkRows(partTokens, chunks));
    double seconds = mm ? mm->seconds * double(chunks) : INFINITY;
    seconds += double(chunks - 1) * t.syncSeconds;
    // Broadcasting the input to every row part (unless the host writes
    // it), reducing the column parts' partial sums.
    if (!hostInput)
      seconds += exchangeSeconds(
          t, double(kActivationBytes) * tokens * C * g.gr(),
          double(kActivationBytes) * partTokens * maxCols);
    if (g.gc() > 1)
      seconds += exchangeSeconds(
          t, double(kActivationBytes) * tokens * R * g.gc(),
          // reduce-scatter: a unit receives a 1/gc slice of its row part
          // from each of the gc column parts
          double(kActivationBytes) * tokens * maxRows);
    // The block, the output's features on this unit for its tokens, the
    // input (one chunk of it when streamed) and the partial sums of one
    // chunk.
    int64_t inRows = hostInput && !hostStreams ? partTokens
                                               : chunkRows(partTokens, chunks);
    int64_t outRows = outStreams ? chunkRows(partTokens, chunks) : partTokens;
    double perUnit =
        double(*blockB) +
        double(kActivationBytes) * outRows * double(outCols) +
        double(kActivationBytes) * inRows * double(maxCols) +
        (g.gc() > 1 ? double(kActivationBytes) *
                          chunkRows(partTokens, chunks) * double(maxRows)
                    : 0.0);
    // Other weights on the same units: on an RDU the op has its units to
    // itself; elsewhere every op spreads over every unit, and the replicas
    // of all token-split weights share a quarter of what the weights leave
    // (the rest is for activations).
    double others = t.kind == TargetKind::Rdu
                        ? 0.0
                        : avgResidentPerUnit + replicaExtraPerUnit;
    if (tp > 1 && t.kind != TargetKind::Rdu) {
      g.extraPerUnit =
          std::max(0.0, double(*blockB) * double(g.gr() * tp) -
                            double(w.totalBytes)) /
          double(units);
      if (replicaExtraPerUnit + g.extraPerUnit > replicaBudget)
        return;
    }
    // Against the SRAM left by the current headroom (all of it when
    // everything is resident; less as streaming retries leave room for
    // activations that outlive their op).
    bool fits = others + perUnit <= weightBudget;
    // Prefer grids that fit, then grids over every available unit (SRAM
    // then fills evenly: every weight puts one block on every unit; a
    // token split has no room for another replica), then the fastest.
    bool full = tp == 1 ? g.gr() * g.gc() == available
                        : g.gr() * (tp + 1) > available;
    // Replicating a weight costs SRAM its other users (and a later
    // section's weights) could have had: it must save 10%.
    if (tp > 1)
      seconds *= 1.1;
    auto key = std::make_tuple(fits, fits && full, -seconds, -perUnit);
    auto bestKey = std::make_tuple(bestFits, bestFits && bestFull,
                                   -bestSeconds, -bestBytes);
    if (best.rowCuts.empty() ||
        (fits || bestFits ? key > bestKey : perUnit < bestBytes)) {
      best = g;
      bestSeconds = seconds;
      bestBytes = perUnit;
      bestFits = fits;
      bestFull = full;
    }
  };
  for (int64_t gc = 1; gc <= std::min(cg, available); gc *= 2) {
    int64_t gr = std::min(rg, available / gc);
    if (gr < 1)
      break;
    consider(gr, gc, 1);
  }
  // Token parts with replicated weights: no partial sums to reduce, at the
  // price of tp copies of the weight (resident weights only, and not a
  // weight another op reads too, such as a tied embedding table).
  if (!streamedBuild && w.users <= 1)
    for (int64_t tp = 2; tp <= std::min(tokens, available); tp *= 2) {
      int64_t gr = std::min(rg, available / tp);
      // As many token parts as the units hold.
      consider(gr, 1, std::min(tokens, available / gr));
    }
  if (best.rowCuts.empty()) {
    // No split holds blocks in the format (estimates of a block's widest
    // row can exceed what the format stores): the whole weight on one unit,
    // which analyse() checked the format holds.
    best.rowCuts = {0, R};
    best.colCuts = {0, C};
  }
  return best;
}

PartitionOp Tiler::makePartition(WeightInfo &w, const Grid &g, int64_t first,
                                 int64_t replicas) {
  Layout l = layout(w.stats.rows, w.stats.cols, g.gr(), g.gc(), replicas,
                    first, false, false, g.rowCuts, g.colCuts);
  // Largest block: stored entries counted exactly for measured weights.
  int64_t maxNnz = 0, maxBytes = 0;
  auto consider = [&](int64_t rows, int64_t cols, int64_t nnz) {
    WeightStats bs = blockStats(w.stats, rows, cols, nnz);
    maxNnz = std::max(maxNnz, nnz);
    // The whole weight fits its format (checked in analyse), and so does
    // every block of a format-aligned grid.
    maxBytes = std::max(maxBytes, blockBytes(bs, w.format).value_or(0));
  };
  if (w.values && w.values->numel() == w.stats.numel) {
    const float *d = w.values->data.data();
    for (int64_t i = 0; i < l.p; ++i)
      for (int64_t j = 0; j < l.q; ++j) {
        int64_t nnz = 0;
        for (int64_t r = l.rowBegin(i); r < l.rowEnd(i); ++r)
          for (int64_t c = l.colBegin(j); c < l.colEnd(j); ++c)
            nnz += d[r * w.stats.cols + c] != 0.0f;
        consider(l.blockRows(i), l.blockCols(j), nnz);
      }
  } else {
    // An even spread: the largest block is the densest.
    int64_t rows = l.maxBlockRows(), cols = l.maxBlockCols();
    consider(rows, cols,
             std::llround(w.stats.density * double(rows) * double(cols)));
  }
  OpBuilder b(ctx);
  setDeclPoint(b);
  std::string name = "w" + std::to_string(partitionCount++);
  SmallVector<NamedAttribute> attrs = {
      named(b, "sym_name", b.getStringAttr(name)),
      named(b, "weight", w.op.getNameAttr()),
      named(b, "shape", b.getDenseI64ArrayAttr({l.rows, l.cols})),
      named(b, "grid", b.getDenseI64ArrayAttr({l.p, l.q})),
      named(b, "first", b.getI64IntegerAttr(l.first)),
      named(b, "bytes", b.getI64IntegerAttr(maxBytes)),
      named(b, "nnz", b.getI64IntegerAttr(maxNnz)),
      named(b, "format", w.format)};
  if (replicas != 1)
    attrs.push_back(named(b, "replicas", b.getI64IntegerAttr(replicas)));
  if (streamedBuild)
    attrs.push_back(named(b, "offchip", b.getUnitAttr()));
  if (section)
    attrs.push_back(named(b, "section", b.getI64IntegerAttr(section)));
  auto p = make<PartitionOp>(b, w.op.getLoc(), attrs);
  setCuts(p, l);
  lastSpan = l.span();
  partitions[w.op] = p;
  // Streaming, a block larger than a unit's budget (a weight larger than
  // its units' SRAM, such as a 13B model's embedding table on an RDU) is
  // streamed through its steps in slices of its rows, each at most half the
  // budget.
  int64_t pieces = 1;
  if (streamedBuild && maxBytes > weightBudget) {
    int64_t rows = std::max<int64_t>(1, l.maxBlockRows());
    pieces = std::min<int64_t>(
        rows, int64_t(std::ceil(double(maxBytes) / (weightBudget / 2))));
  }
  if (pieces > 1) {
    p.setPieces(pieces);
    p.setBytes((maxBytes + pieces - 1) / pieces);
  } else if (streamedBuild && w.forwardUsers > 1) {
    p.setOffchip(false); // shared weights stay resident in every section
  }
  return p;
}

FailureOr<PartitionOp> Tiler::weightPartition(WeightOp wop,
                                              const OpPlan &plan) {
  auto it = partitions.find(wop);
  if (it != partitions.end())
    return it->second;
  WeightInfo &w = weights.at(wop);
  Grid g;
  if (w.linear) {
    g = chooseGrid(w, rowsOf(w.linear.getInput()), plan.count);
  } else {
    // Gathered rows only (an embedding table): split the rows evenly, and
    // the columns too when there are fewer rows than units (a positions
    // table of 2048 rows on 23,552 tiles would otherwise put 10 KB on 2048
    // of them and nothing on the rest).
    int64_t parts = std::min(w.stats.rows, plan.count);
    int64_t colParts = std::max<int64_t>(
        1, std::min(w.stats.cols, plan.count / std::max<int64_t>(1, parts)));
    g.rowCuts = target::evenCuts(w.stats.rows, parts);
    g.colCuts = target::evenCuts(w.stats.cols, colParts);
  }
  replicaExtraPerUnit += g.extraPerUnit;
  return makePartition(w, g, plan.first, g.tp);
}

FailureOr<PartitionOp> Tiler::paramPartition(Value param, const Layout &like,
                                             bool replicate) {
  auto wop = param.getDefiningOp<WeightOp>();
  if (!wop)
    return emitError(param.getLoc())
           << "sxf-tile: a bias or norm parameter must be an sxf.weight";
  WeightInfo &w = weights.at(wop);
  Grid g;
  int64_t replicas = 1;
  if (replicate) {
    g.rowCuts = {0, 1};
    g.colCuts = {0, w.stats.numel};
    replicas = like.span();
  } else {
    // Cut like the features, one copy per token part of `like`.
    g.rowCuts = {0, 1};
    g.colCuts = like.colCuts;
    replicas = like.p;
  }
  auto it = partitions.find(wop);
  if (it != partitions.end()) {
    std::string error;
    Layout have = *target::layoutOf(it->second, units, error);
    bool same = have.first == like.first % units &&
                have.q == int64_t(g.colCuts.size() - 1) &&
                have.replicas == replicas;
    bool here = !it->second.getOffchip() || it->second.getSection() == section;
    if (same && here)
      return it->second;
    // Off-chip (a streamed training step: the gradient reads gamma in a
    // later section or, on an RDU, on other units): a copy loaded there.
    if (!it->second.getOffchip())
      return emitError(param.getLoc())
             << "sxf-tile: parameter '" << wop.getName()
             << "' is shared by ops that need it on different units; "
                "give each op its own copy";
  }
  WeightInfo copy = w;
  copy.stats = blockStats(w.stats, 1, w.stats.numel, w.stats.nnz);
  copy.stats.shape = {1, w.stats.numel};
  PartitionOp p = makePartition(copy, g, like.first, replicas);
  if (it != partitions.end()) {
    p.setOffchip(true);
    p.setSection(section);
  }
  // One resident copy; the replicas exist only while their op runs (a
  // norm over thousands of token-row units would otherwise keep thousands
  // of copies of gamma and beta for the whole run).
  if (replicas > 1)
    p.setBroadcast(true);
  partitions[wop] = p;
  return p;
}

/// Fails at `op` unless every operand an sxf.weight defines is one
/// `mayBeWeight` accepts (a weight read as an activation has no layout).
static LogicalResult
checkWeightOperands(Operation *op,
                    llvm::function_ref<bool(OpOperand &)> mayBeWeight) {
  for (OpOperand &use : op->getOpOperands())
    if (use.get().getDefiningOp<WeightOp>() && !mayBeWeight(use))
      return op->emitError("sxf-tile: a weight used as an activation "
                           "operand is not supported");
  return success();
}

static bool noWeightOperands(OpOperand &) { return false; }

/// Operands after the first (gamma, beta; an embedding's table and
/// positions) may be weights.
static bool weightsAfterFirst(OpOperand &use) {
  return use.getOperandNumber() > 0;
}

OpPlan &Tiler::addPlan(Operation *op, std::string &layer) {
  OpPlan plan;
  plan.op = op;
  OpBuilder b(ctx);
  op->setAttr("sxft.op", b.getI64IntegerAttr(plans.size()));
  for (Value v : op->getOperands())
    if (auto w = v.getDefiningOp<WeightOp>()) {
      StringRef n = w.getName();
      if (n.starts_with("layers.")) {
        size_t dot = n.find('.', 7);
        layer = n.substr(0, dot).str();
      } else {
        layer = n.split('.').first.str();
      }
      WeightInfo &info = weights.at(w);
      bool gradient = isa<LinearGradInputOp, LinearGradWeightOp,
                          LayerNormGradOp, RmsNormGradOp>(op);
      if (!gradient)
        ++info.forwardUsers;
      // A linear's gradients, streamed or on an RDU, run on a copy of its
      // weight (and the weight gradient's update on the copy's state).
      if (info.users++ == 0 || isa<LinearGradInputOp>(op))
        plan.weightBytes += info.totalBytes;
      if (isa<LinearGradWeightOp>(op))
        plan.weightBytes +=
            info.totalBytes + (opt.adamw ? adamwStateBytes(info) : 0);
    }
  plan.layer = layer;
  for (Value v : op->getOperands())
    if (!v.getDefiningOp<WeightOp>())
      plan.activationBytes += rowsOf(v) * colsOf(v) * kActivationBytes;
  for (Value v : op->getResults())
    plan.activationBytes += rowsOf(v) * colsOf(v) * kActivationBytes;
  plans.push_back(plan);
  return plans.back();
}

/// Work on one unit of an op that streams its result once (norms,
/// element-wise ops, gathers), for laying RDU stages out.
double Tiler::elementwiseWork(Operation *op) {
  Value r = op->getResult(0);
  return elementwiseCost(unit, rowsOf(r) * colsOf(r),
                         kActivationFlopsPerElement)
      .seconds;
}

LogicalResult Tiler::recordWeight(WeightOp w, double &totalBytes) {
  FailureOr<WeightStats> s = weightStats(w, store);
  if (failed(s))
    return failure();
  WeightInfo info;
  info.op = w;
  info.stats = std::move(*s);
  info.format = w.getFormatAttr();
  if (!info.format) {
    Type et = cast<RankedTensorType>(w.getType()).getElementType();
    info.format = FormatAttr::get(ctx, StorageKind::dense, 0, 0, 0, 0,
                                  et.isF16() || et.isBF16()
                                      ? et
                                      : Float32Type::get(ctx),
                                  32);
  }
  if (info.stats.measured) {
    FailureOr<Tensor> v = store.load(w);
    if (failed(v))
      return failure();
    info.values = std::move(*v);
  }
  std::optional<int64_t> bytes = blockBytes(info.stats, info.format);
  if (!bytes)
    return w.emitError() << "sxf-tile: format "
                         << formatToString(info.format)
                         << " cannot hold weight '" << w.getName() << "'";
  info.totalBytes = *bytes;
  totalBytes += double(info.totalBytes);
  weights.emplace(w, std::move(info));
  return success();
}

LogicalResult Tiler::analyse() {
  Interpreter interp(module);
  FailureOr<func::FuncOp> f = interp.entry(opt.entry);
  if (failed(f))
    return failure();
  func = *f;
  int64_t id = 0;
  for (BlockArgument a : func.getArguments())
    valueIds[a] = id++;
  std::string layer = "input";
  double totalBytes = 0;
  for (Operation &op : func.getBody().front()) {
    for (Value r : op.getResults()) {
      auto rt = dyn_cast<RankedTensorType>(r.getType());
      if (!rt || !rt.hasStaticShape())
        return op.emitError("sxf-tile: needs static tensor shapes");
      // Layouts cut a value into at least one non-empty block per unit
      // range; an empty value has none (and nothing to place).
      if (rt.getNumElements() == 0) {
        InFlightDiagnostic d = op.emitError("sxf-tile: ");
        if (auto w = dyn_cast<WeightOp>(op))
          d << "weight '" << w.getName() << "'";
        else
          d << "result " << cast<OpResult>(r).getResultNumber() << " of '"
            << op.getName() << "'";
        return d << " has a zero dimension (" << rt
                 << "); a target cannot place an empty tensor (remove it "
                    "from the model)";
      }
      valueIds[r] = id++;
    }
    // One case per sxf op (SxfVisitors.h: a new op without one does not
    // compile): a weight is recorded, every op the tiler lowers gets a plan
    // (its sxft.op id, layer, bytes and work on one unit), the ones it
    // refuses are located errors.
    LogicalResult admitted = visitSxfOp<LogicalResult>(&op, Overloaded{
        [&](WeightOp w) -> LogicalResult {
          return recordWeight(w, totalBytes);
        },
        [&](LinearOp l) -> LogicalResult {
          // The weight, bias and norm parameters may be weights.
          if (failed(checkWeightOperands(l, [&](OpOperand &use) {
                return use.get() != l.getInput() &&
                       use.get() != l.getResidual();
              })))
            return failure();
          OpPlan &plan = addPlan(l, layer);
          WeightInfo &w = weights.at(l.getWeight().getDefiningOp<WeightOp>());
          // The first linear reading a weight decides its grid.
          if (!w.linear)
            w.linear = l;
          tokens = std::max(tokens, rowsOf(l.getInput()));
          if (std::optional<WorkCost> c =
                  matmulCost(unit, w.stats, w.format, rowsOf(l.getInput())))
            plan.work = c->seconds;
          return success();
        },
        [&](AttentionOp a) -> LogicalResult {
          if (failed(checkWeightOperands(a, noWeightOperands)))
            return failure();
          OpPlan &plan = addPlan(a, layer);
          auto qt = cast<RankedTensorType>(a.getQuery().getType());
          auto kt = cast<RankedTensorType>(a.getKey().getType());
          int64_t batches =
              rowsOf(a.getQuery()) / qt.getDimSize(qt.getRank() - 2);
          plan.work = attentionCost(unit, batches, a.getHeads(),
                                    qt.getDimSize(qt.getRank() - 2),
                                    kt.getDimSize(kt.getRank() - 2),
                                    a.getHeadDim())
                          .seconds;
          return success();
        },
        [&](OneOf<EmbeddingOp, LayerNormOp, RmsNormOp> o) -> LogicalResult {
          if (failed(checkWeightOperands(o.op, weightsAfterFirst)))
            return failure();
          addPlan(o.op, layer).work = elementwiseWork(o.op);
          return success();
        },
        [&](SoftmaxOp s) -> LogicalResult {
          int64_t rank = cast<RankedTensorType>(s.getType()).getRank();
          if (int64_t(s.getAxis()) != -1 && int64_t(s.getAxis()) != rank - 1)
            return s.emitError("sxf-tile: softmax must be over the last axis");
          if (failed(checkWeightOperands(s, noWeightOperands)))
            return failure();
          addPlan(s, layer).work = elementwiseWork(s);
          return success();
        },
        [&](OneOf<ActivationOp, AddOp, SplitOp> o) -> LogicalResult {
          if (failed(checkWeightOperands(o.op, noWeightOperands)))
            return failure();
          addPlan(o.op, layer).work = elementwiseWork(o.op);
          return success();
        },
        [&](KvAppendOp k) -> LogicalResult {
          if (failed(checkWeightOperands(k, noWeightOperands)))
            return failure();
          // The cache is an entry argument or a value: it must not be
          // empty (a layout has a block per unit range).
          if (cast<RankedTensorType>(k.getCache().getType())
                  .getNumElements() == 0)
            return k.emitError("sxf-tile: the KV cache of 'sxf.kv_append' "
                               "is empty; a target cannot place an empty "
                               "tensor (run the prefill form instead)");
          if (cast<RankedTensorType>(k.getUpdate().getType())
                  .getNumElements() == 0)
            return k.emitError("sxf-tile: the new rows of 'sxf.kv_append' "
                               "are empty; a target cannot place an empty "
                               "tensor");
          addPlan(k, layer).work = elementwiseWork(k);
          return success();
        },
        [&](OneOf<EncoderLayerOp, DecoderLayerOp> o) -> LogicalResult {
          return o->emitError() << "sxf-tile: composite '" << o->getName()
                                << "' must be decomposed first (run "
                                   "sxf-decompose)";
        },
        [&](MatmulOp m) -> LogicalResult {
          return m.emitError("sxf-tile: a matmul between activations is only "
                             "supported inside sxf.attention (run sxf-fuse)");
        },
        [&](OneOf<LinearGradInputOp, LinearGradWeightOp> o)
            -> LogicalResult {
          // They run on the partition of the weight the forward linear
          // placed; the weight is their only weight operand.
          Value wv = target::weightOperandOf(o.op);
          auto wop = wv.getDefiningOp<WeightOp>();
          if (!wop)
            return o->emitError() << "sxf-tile: the weight of '"
                                  << o->getName()
                                  << "' must be an sxf.weight";
          if (failed(checkWeightOperands(
                  o.op, [&](OpOperand &use) { return use.get() == wv; })))
            return failure();
          WeightInfo &w = weights.at(wop);
          if (!w.linear)
            return o->emitError()
                   << "sxf-tile: '" << o->getName() << "' reads weight '"
                   << wop.getName()
                   << "', which no sxf.linear before it multiplies (a "
                      "gradient runs on its forward linear's partition)";
          OpPlan &plan = addPlan(o.op, layer);
          training = true;
          if (std::optional<WorkCost> c = matmulCost(
                  unit, w.stats, w.format, rowsOf(o->getOperand(0))))
            plan.work = c->seconds;
          return success();
        },
        [&](AttentionGradOp a) -> LogicalResult {
          if (failed(checkWeightOperands(a, noWeightOperands)))
            return failure();
          OpPlan &plan = addPlan(a, layer);
          training = true;
          auto qt = cast<RankedTensorType>(a.getQuery().getType());
          auto kt = cast<RankedTensorType>(a.getKey().getType());
          int64_t batches =
              rowsOf(a.getQuery()) / qt.getDimSize(qt.getRank() - 2);
          // Forward and backward: about three times the forward's work.
          plan.work = 3.0 * attentionCost(unit, batches, a.getHeads(),
                                          qt.getDimSize(qt.getRank() - 2),
                                          kt.getDimSize(kt.getRank() - 2),
                                          a.getHeadDim())
                                .seconds;
          return success();
        },
        [&](SoftmaxGradOp s) -> LogicalResult {
          int64_t rank = cast<RankedTensorType>(s.getType()).getRank();
          if (int64_t(s.getAxis()) != -1 && int64_t(s.getAxis()) != rank - 1)
            return s.emitError(
                "sxf-tile: softmax_grad must be over the last axis");
          if (failed(checkWeightOperands(s, noWeightOperands)))
            return failure();
          addPlan(s, layer).work = elementwiseWork(s);
          training = true;
          return success();
        },
        [&](ReduceSumOp r) -> LogicalResult {
          auto in = cast<RankedTensorType>(r.getInput().getType());
          auto out = cast<RankedTensorType>(r.getType());
          if (in.getRank() < 2 || out.getRank() != 1)
            return r.emitError() << "sxf-tile: only a reduce_sum over the "
                                    "leading dimensions to the last one is "
                                    "tiled, not "
                                 << in << " -> " << out;
          if (failed(checkWeightOperands(r, noWeightOperands)))
            return failure();
          addPlan(r, layer).work = elementwiseWork(r);
          training = true;
          return success();
        },
        [&](OneOf<LayerNormGradOp, RmsNormGradOp> o) -> LogicalResult {
          // gamma (operand 1) may be a weight.
          if (failed(checkWeightOperands(o.op, [](OpOperand &use) {
                return use.getOperandNumber() == 1;
              })))
            return failure();
          addPlan(o.op, layer).work = elementwiseWork(o.op);
          training = true;
          return success();
        },
        [&](OneOf<ActivationGradOp, EmbeddingGradOp, PositionGradOp, ConcatOp,
                  CrossEntropyOp, CrossEntropyGradOp>
                o) -> LogicalResult {
          if (failed(checkWeightOperands(o.op, noWeightOperands)))
            return failure();
          addPlan(o.op, layer).work =
              isa<CrossEntropyOp>(o.op) ? 0.0 : elementwiseWork(o.op);
          training = true;
          return success();
        }},
        [&](Operation *other) -> LogicalResult {
          // The terminator: the program's outputs are made by build().
          if (isa<func::ReturnOp>(other))
            return success();
          return other->emitError() << "sxf-tile: '" << other->getName()
                                    << "' is not supported";
        });
    if (failed(admitted))
      return failure();
  }
  // A tied LM head computes on the embedding table's partition, which the
  // embedding (its first user) places on its own units: on an RDU those
  // units must also hold the head's activations.
  for (OpPlan &plan : plans)
    if (auto e = dyn_cast<EmbeddingOp>(plan.op))
      if (auto tw = e.getTable().getDefiningOp<WeightOp>())
        if (LinearOp head = weights.at(tw).linear)
          plan.activationBytes +=
              (rowsOf(head.getInput()) * colsOf(head.getInput()) +
               rowsOf(head.getResult()) * colsOf(head.getResult())) *
              kActivationBytes;
  if (opt.adamw && !training)
    return emitError(func.getLoc())
           << "sxf-tile: optimizer=adamw needs a training step (an entry "
              "with gradient results: run sxf-differentiate and tile "
              "entry=train_step)";
  avgResidentPerUnit = totalBytes / double(units);
  // A weight larger than all SRAM streams through its op in pieces from
  // off-chip memory, which must hold it (0: host-attached, not bounded).
  for (auto &[op, w] : weights)
    if (w.totalBytes > t.totalSramBytes() &&
        ((t.offchipBytes > 0 && w.totalBytes > t.offchipBytes) ||
         opt.requireOnChip))
      return w.op.emitError()
             << "sxf-tile: weight '" << w.op.getName() << "' needs "
             << w.totalBytes << " bytes, more than the "
             << t.totalSramBytes() << " bytes of SRAM of all " << units
             << " units of " << t.name
             << (opt.requireOnChip
                     ? " (--sxf-require-on-chip)"
                     : ", and more than its " +
                           std::to_string(t.offchipBytes) +
                           " bytes of off-chip memory");
  return success();
}

//===----------------------------------------------------------------------===//
// The lowerings: one per sxf op, dispatched by SxfOpVisitor from emitOp.
// Each runs in the step emitOp opened for its op and adds its sxft ops
// there (computes, exchanges) and in the declarations before the first step
// (buffers, partitions). `in(v, layout)` is how an op reads an activation:
// the buffer where v already is when the layout matches, else a new buffer
// filled by an sxft.exchange (or, for an entry argument, a buffer the host
// writes, marked `input`).
//===----------------------------------------------------------------------===//

static SmallVector<Attribute> readsOf(std::initializer_list<Operation *> ops) {
  SmallVector<Attribute> out;
  for (Operation *o : ops)
    if (o)
      out.push_back(ref(o));
  return out;
}

LogicalResult Tiler::emitOp(OpPlan &plan) {
  newStep(plan);
  return dispatchSxfOp(plan.op, plan);
}

/// sxf.linear: an sxft.partition of the weight in the grid chooseGrid picks
/// (row parts balanced by nonzeros, column parts even); the input in a
/// buffer replicated over the row parts and cut like the weight's columns;
/// an sxft.compute "matmul" over the partition. With one column part it
/// writes the output buffer (feature blocks); with several it writes an
/// interleaved `partial` buffer and a second step reduce-scatters it into
/// the output with an sxft.exchange. A bias (an sxft.partition cut like the
/// output's features), residual or activation adds an sxft.compute
/// "epilogue" in place; a fused norm adds a step with an sxft.compute
/// "rowwise" on token rows reading gamma and beta as replicated partitions.
/// When the input and partial sums of all tokens do not fit beside the
/// weights (linearChunks), the step streams the tokens through the weight
/// in chunks: the replicated input and the partial buffer get `chunks`, and
/// the reduce-scatter and epilogue run in the same (chunked) step.
LogicalResult Tiler::visitOp(LinearOp l, OpPlan &plan) {
  Operation *op = l;
  int64_t T = rowsOf(l.getInput()), C = colsOf(l.getInput()),
          R = colsOf(l.getResult());
  FailureOr<PartitionOp> part =
      weightPartition(l.getWeight().getDefiningOp<WeightOp>(), plan);
  if (failed(part))
    return failure();
  std::string error;
  Layout wl = *target::layoutOf(*part, units, error);
  int64_t gr = wl.p, gc = wl.q, tp = wl.replicas;
  if (tp > 1) {
    // Token parts (chooseGrid: only without column parts): replica k of
    // the weight multiplies token rows k of the input, which every row
    // part of that replica holds whole, and writes those rows of the
    // output, one feature block per row part, with no partial sums.
    std::vector<int64_t> tokenCuts = target::evenCuts(T, tp);
    bool outStreams = streamsOut(l);
    int64_t chunks = linearChunks(chunkRows(T, tp), wl.maxBlockCols(),
                                  wl.maxBlockRows(), 1,
                                  outStreams ? wl.maxBlockRows() : 0);
    Layout xin = layout(T, C, tp, 1, gr, wl.first, true, false, tokenCuts);
    BufferOp x = inStreamed(l.getInput(), xin, chunks);
    Layout yl = layout(T, R, tp, gr, 1, wl.first, false, false, tokenCuts,
                       wl.rowCuts);
    WeightInfo &w = weights.at(l.getWeight().getDefiningOp<WeightOp>());
    BufferOp y = makeBuffer(yl, l.getResult(), outStreams ? chunks : 1);
    if (chunks > 1)
      step.setChunks(chunks);
    compute(target::ComputeKind::matmul, wl, *part, readsOf({x}),
            readsOf({y}), linearFlops(double(T), double(w.stats.nnz)), op);
    return finishLinear(l, plan, yl, y);
  }
  bool outStreams = streamsOut(l);
  int64_t chunks =
      linearChunks(T, wl.maxBlockCols(), wl.maxBlockRows(), gc,
                   outStreams ? (wl.maxBlockRows() + gc - 1) / gc : 0);
  Layout xin = layout(T, C, 1, gc, gr, wl.first, false, false, {}, wl.colCuts);
  BufferOp x = inStreamed(l.getInput(), xin, chunks);
  // The output: with column parts, a reduce-scatter — each row part's
  // features are cut again into (up to) gc pieces, one per unit of the
  // row part, so every unit sums a slice instead of one unit summing all.
  std::vector<int64_t> outCuts = {0};
  for (int64_t i = 0; i < gr; ++i) {
    int64_t lo = wl.rowCuts[i], len = wl.rowCuts[i + 1] - lo;
    int64_t pieces = std::min(gc, len);
    for (int64_t k = 1; k <= pieces; ++k)
      outCuts.push_back(lo + (k * len) / pieces);
  }
  Layout yl = layout(T, R, 1, int64_t(outCuts.size()) - 1, 1, wl.first,
                     false, false, {}, outCuts);
  WeightInfo &w = weights.at(l.getWeight().getDefiningOp<WeightOp>());
  double mmFlops = linearFlops(double(T), double(w.stats.nnz));
  BufferOp y;
  // A result streamed to the host (streamsOut) is written chunk by chunk.
  int64_t outChunks = outStreams ? chunks : 1;
  if (gc == 1) {
    y = makeBuffer(yl, l.getResult(), outChunks);
    if (chunks > 1)
      step.setChunks(chunks);
    compute(target::ComputeKind::matmul, wl, *part, readsOf({x}), readsOf({y}), mmFlops, op);
  } else {
    Layout pl = layout(T, R, 1, gr, gc, wl.first, true, true, {}, wl.rowCuts);
    BufferOp partial = makeBuffer(pl, l.getResult(), chunks);
    if (chunks > 1)
      step.setChunks(chunks);
    compute(target::ComputeKind::matmul, wl, *part, readsOf({x}), readsOf({partial}), mmFlops,
            op);
    // Streamed partial sums are reduced chunk by chunk in the same step.
    if (chunks == 1)
      newStep(plan);
    y = makeBuffer(yl, l.getResult(), outChunks);
    OpBuilder b = OpBuilder::atBlockEnd(&step.getBody().front());
    exchange(b, l.getLoc(), partial, y,
             target::exchangeElements(pl, yl) * kActivationBytes);
  }
  return finishLinear(l, plan, yl, y);
}

/// The rest of a linear once its output y (laid out as yl) holds the
/// product: the epilogue (bias cut like the output's features and repeated
/// over its token parts, residual, activation) in place, then a fused norm.
LogicalResult Tiler::finishLinear(LinearOp l, OpPlan &plan, const Layout &yl,
                                  BufferOp y) {
  Operation *op = l;
  int64_t T = rowsOf(l.getInput()), R = colsOf(l.getResult());
  bool act = l.getActivation() && *l.getActivation() != ActivationKind::none;
  if (l.getBias() || l.getResidual() || act) {
    SmallVector<Attribute> reads = readsOf({y});
    if (l.getBias()) {
      FailureOr<PartitionOp> bp = paramPartition(l.getBias(), yl, false);
      if (failed(bp))
        return failure();
      reads.push_back(ref(*bp));
    }
    if (l.getResidual())
      reads.push_back(ref(in(l.getResidual(), yl)));
    compute(target::ComputeKind::epilogue, yl, {}, reads, readsOf({y}), l.getEpilogueFlops(),
            op);
  }
  setHome(l.getResult(), y);
  if (l.getNormGamma()) {
    newStep(plan);
    Layout rl = rowsLayout(T, R, plan);
    BufferOp yr = in(l.getResult(), rl);
    FailureOr<PartitionOp> g = paramPartition(l.getNormGamma(), rl, true);
    FailureOr<PartitionOp> bt = paramPartition(l.getNormBeta(), rl, true);
    if (failed(g) || failed(bt))
      return failure();
    BufferOp out = makeBuffer(rl, l.getResult());
    compute(target::ComputeKind::rowwise, rl, {}, readsOf({yr, *g, *bt}), readsOf({out}),
            l.getNormFlops(), op);
    setHome(l.getResult(), out);
  }
  return success();
}

/// sxf.embedding: an sxft.partition of the table (rows split evenly over
/// the op's units, or the grid of a linear that reads the same weight: a
/// tied LM head) and of the positions table, the ids in a one-column buffer
/// on token rows, and an sxft.compute "gather" over the table's partition
/// writing the result on token rows (reading the positions' partition when
/// there is one).
LogicalResult Tiler::visitOp(EmbeddingOp e, OpPlan &plan) {
  int64_t T = rowsOf(e.getResult()), D = colsOf(e.getResult());
  FailureOr<PartitionOp> tp =
      weightPartition(e.getTable().getDefiningOp<WeightOp>(), plan);
  if (failed(tp))
    return failure();
  PartitionOp pp;
  if (e.getPositions()) {
    FailureOr<PartitionOp> p =
        weightPartition(e.getPositions().getDefiningOp<WeightOp>(), plan);
    if (failed(p))
      return failure();
    pp = *p;
  }
  Layout rl = rowsLayout(T, D, plan);
  Layout il = layout(T, 1, rl.p, 1, 1, rl.first);
  BufferOp ids = in(e.getIds(), il);
  BufferOp out = makeBuffer(rl, e.getResult());
  compute(target::ComputeKind::gather, rl, *tp, readsOf({ids, pp}),
          readsOf({out}), pp ? double(T * D) : 0.0, e);
  setHome(e.getResult(), out);
  return success();
}

/// The batch parts and head groups of an attention (or its gradient) of B
/// sequences and H heads over `count` units: min(B, count) batch parts, and
/// the most head groups (a divisor of H) that still fit beside them.
static std::pair<int64_t, int64_t> attentionGrid(int64_t B, int64_t H,
                                                 int64_t count) {
  int64_t p = std::min(B, count), hg = 1;
  for (int64_t h = 1; h <= H; ++h)
    if (H % h == 0 && p * h <= count)
      hg = h;
  return {p, hg};
}

/// sxf.attention: query, key and value in buffers laid out batches x head
/// groups (as many of each as the op's units allow), and one sxft.compute
/// "attention" writing the result in the query's layout. A single sequence
/// (batch 1) with units to spare is also split along its queries: each of
/// `qp` query parts of a head group holds its queries and a copy of the
/// group's keys and values, `qp` chosen with the performance model (the
/// copies cost exchange, the parts save compute). Keys and values that do
/// not fit beside the weights are streamed past the queries in chunks
/// (softmax kept online), the step and their buffers marked `chunks`.
std::pair<int64_t, int64_t>
Tiler::attentionSplit(int64_t B, int64_t H, int64_t sq, int64_t sk,
                      int64_t dh, int64_t D, int64_t p, int64_t hg,
                      const OpPlan &plan, int qSide, int kvSide,
                      double work) {
  int64_t width = D / hg; // columns of one head group
  // Per unit: its queries (and what it writes per query row, held whole),
  // its keys and values (streamed in chunks when they do not fit the
  // stream budget).
  auto plan1 = [&](int64_t qp) {
    int64_t rowsQ = chunkRows(chunkRows(B, p) * sq, qp);
    double qBytes =
        double(qSide) * kActivationBytes * double(rowsQ) * double(width);
    double kvRow = double(kvSide) * kActivationBytes * double(width);
    int64_t kvRows = chunkRows(B, p) * sk;
    int64_t chunks = chunksFor(kvRows, kvRow, streamBudget - qBytes);
    double seconds =
        work * attentionCost(unit, chunkRows(B, p), hg > 0 ? H / hg : H,
                             chunkRows(sq, qp), sk, dh)
                   .seconds;
    // Keys and values copied to every query part (the first copy is the
    // exchange an unsplit attention makes too; a gradient also sums the
    // parts' dk and dv).
    double kvBytes = double(kvSide) * kActivationBytes * double(B * sk) *
                     double(D) * double(qp);
    seconds += exchangeSeconds(t, kvBytes, kvRow * double(kvRows));
    seconds += double(chunks - 1) * t.syncSeconds;
    // The queries' side is held whole: it must fit the stream budget.
    return std::make_tuple(qBytes <= streamBudget, seconds, chunks);
  };
  int64_t qp = 1;
  auto [bestFits, bestSeconds, chunks] = plan1(1);
  if (B == 1)
    for (int64_t k = 2; k <= sq && k * hg <= plan.count; k *= 2) {
      auto [fits, sec, ch] = plan1(k);
      if (std::make_tuple(fits, -sec) > std::make_tuple(bestFits, -bestSeconds)) {
        bestFits = fits;
        bestSeconds = sec;
        chunks = ch;
        qp = k;
      }
    }
  return {qp, chunks};
}

Tiler::AttentionLayouts
Tiler::attentionLayouts(Value query, Value key, int64_t heads,
                        int64_t headDim, const OpPlan &plan, int qSide,
                        int kvSide, double work) {
  auto qt = cast<RankedTensorType>(query.getType());
  auto kt = cast<RankedTensorType>(key.getType());
  int64_t sq = qt.getDimSize(qt.getRank() - 2),
          sk = kt.getDimSize(kt.getRank() - 2);
  int64_t B = rowsOf(query) / sq, D = colsOf(query);
  AttentionLayouts a;
  std::tie(a.p, a.hg) = attentionGrid(B, heads, plan.count);
  std::tie(a.qp, a.chunks) = attentionSplit(B, heads, sq, sk, headDim, D, a.p,
                                            a.hg, plan, qSide, kvSide, work);
  std::vector<int64_t> bc = target::evenCuts(B, a.p), qc, kc(bc);
  if (a.qp > 1) {
    qc = target::evenCuts(sq, a.qp);
  } else {
    qc = bc;
    for (size_t k = 0; k < bc.size(); ++k)
      qc[k] = bc[k] * sq;
  }
  for (size_t k = 0; k < bc.size(); ++k)
    kc[k] = bc[k] * sk;
  a.ql = layout(B * sq, D, int64_t(qc.size()) - 1, a.hg, 1, plan.first,
                false, false, qc);
  a.kl = layout(B * sk, D, a.p, a.hg, a.qp, plan.first, false, false, kc);
  return a;
}

LogicalResult Tiler::visitOp(AttentionOp a, OpPlan &plan) {
  auto [ql, kl, p, hg, qp, chunks] =
      attentionLayouts(a.getQuery(), a.getKey(), a.getHeads(),
                       a.getHeadDim(), plan, /*qSide=*/2, /*kvSide=*/2,
                       /*work=*/1);
  BufferOp q = in(a.getQuery(), ql);
  BufferOp k = inStreamed(a.getKey(), kl, chunks),
           v = inStreamed(a.getValue(), kl, chunks);
  BufferOp out = makeBuffer(ql, a.getResult());
  compute(target::ComputeKind::attention, ql, {}, readsOf({q, k, v}),
          readsOf({out}), a.getDenseFlops(), a);
  setHome(a.getResult(), out);
  return success();
}

/// Every result of `op` on token rows (T of them) and one sxft.compute
/// "rowwise" over `rl` reading `reads` and writing them.
LogicalResult Tiler::rowsCompute(Operation *op, int64_t T, const Layout &rl,
                                 ArrayRef<Attribute> reads,
                                 const OpPlan &plan) {
  SmallVector<Attribute> writes;
  for (Value r : op->getResults()) {
    BufferOp out = makeBuffer(rowsLayout(T, colsOf(r), plan), r);
    writes.push_back(ref(out));
    setHome(r, out);
  }
  compute(target::ComputeKind::rowwise, rl, {}, reads, writes,
          cast<CostOpInterface>(op).getDenseFlops(), op);
  return success();
}

/// A row-wise op (norms, softmax, split): the first operand on token rows,
/// every further operand (gamma, beta) an sxft.partition replicated on each
/// of the op's units, one token-row buffer per result, and one sxft.compute
/// "rowwise" reading them all.
LogicalResult Tiler::lowerRowwise(Operation *op, OpPlan &plan) {
  Value x = op->getOperand(0);
  int64_t T = rowsOf(x), N = colsOf(x);
  Layout rl = rowsLayout(T, N, plan);
  SmallVector<Attribute> reads = readsOf({in(x, rl)});
  for (unsigned k = 1; k < op->getNumOperands(); ++k) {
    FailureOr<PartitionOp> p = paramPartition(op->getOperand(k), rl, true);
    if (failed(p))
      return failure();
    reads.push_back(ref(*p));
  }
  return rowsCompute(op, T, rl, reads, plan);
}

/// sxf.layer_norm: lowerRowwise (an sxft.compute "rowwise" on token rows;
/// gamma and beta replicated partitions).
LogicalResult Tiler::visitOp(LayerNormOp n, OpPlan &plan) {
  return lowerRowwise(n, plan);
}

/// sxf.rms_norm: lowerRowwise (an sxft.compute "rowwise" on token rows;
/// gamma a replicated partition).
LogicalResult Tiler::visitOp(RmsNormOp n, OpPlan &plan) {
  return lowerRowwise(n, plan);
}

/// sxf.softmax (over the last axis, which analyse checked): lowerRowwise
/// (an sxft.compute "rowwise" on token rows).
LogicalResult Tiler::visitOp(SoftmaxOp s, OpPlan &plan) {
  return lowerRowwise(s, plan);
}

/// sxf.split: lowerRowwise (an sxft.compute "rowwise" on token rows writing
/// one token-row buffer per result).
LogicalResult Tiler::visitOp(SplitOp s, OpPlan &plan) {
  return lowerRowwise(s, plan);
}

/// An element-wise op runs where its first operand `x` already is (token
/// rows for an entry argument): a buffer in that layout for the result and
/// an sxft.compute "rowwise" reading x and, for an add, `rhs` — in x's
/// layout when it has x's shape, else (a broadcast suffix) replicated on
/// every unit of x's layout.
LogicalResult Tiler::lowerElementwise(Operation *op, Value x, Value rhs,
                                      OpPlan &plan) {
  std::string error;
  Layout xl = home.count(x) ? *target::layoutOf(home[x], units, error)
                            : rowsLayout(rowsOf(x), colsOf(x), plan);
  SmallVector<Attribute> reads = readsOf({in(x, xl)});
  if (rhs) {
    if (rowsOf(rhs) == xl.rows && colsOf(rhs) == xl.cols) {
      reads.push_back(ref(in(rhs, xl)));
    } else {
      Layout rep = layout(rowsOf(rhs), colsOf(rhs), 1, 1, xl.span(), xl.first);
      reads.push_back(ref(in(rhs, rep)));
    }
  }
  BufferOp out = makeBuffer(xl, op->getResult(0));
  compute(target::ComputeKind::rowwise, xl, {}, reads, readsOf({out}),
          cast<CostOpInterface>(op).getDenseFlops(), op);
  setHome(op->getResult(0), out);
  return success();
}

/// sxf.activation: lowerElementwise on its input.
LogicalResult Tiler::visitOp(ActivationOp a, OpPlan &plan) {
  return lowerElementwise(a, a.getInput(), Value(), plan);
}

/// sxf.add: lowerElementwise on lhs, reading rhs (broadcast if a suffix).
LogicalResult Tiler::visitOp(AddOp a, OpPlan &plan) {
  return lowerElementwise(a, a.getLhs(), a.getRhs(), plan);
}

/// sxf.kv_append: the cache, the new rows and the result in buffers cut
/// into the same batch groups (whole sequences) and feature groups — the
/// head groups of the sxf.attention that reads the result when there is
/// one — and an sxft.compute "append" in which every unit appends its block
/// of new rows to its block of the cache. A single sequence is also cut by
/// positions (the units of the last part append the new rows; the others
/// copy their cache rows).
LogicalResult Tiler::visitOp(KvAppendOp k, OpPlan &plan) {
  auto ct = cast<RankedTensorType>(k.getCache().getType());
  auto ut = cast<RankedTensorType>(k.getUpdate().getType());
  int64_t B = ct.getDimSize(0), P = ct.getDimSize(1), N = ut.getDimSize(1),
          D = ct.getDimSize(2);
  int64_t p = std::min(B, plan.count), groups = 1;
  // Feature groups: the head groups of the attention reading the result,
  // else one.
  int64_t heads = 1;
  for (Operation *user : k.getResult().getUsers())
    if (auto a = dyn_cast<AttentionOp>(user))
      heads = a.getHeads();
  for (int64_t h = 1; h <= heads; ++h)
    if (heads % h == 0 && p * h <= plan.count)
      groups = h;
  std::vector<int64_t> bc = target::evenCuts(B, p), cc(bc), uc(bc), oc(bc);
  for (size_t i = 0; i < bc.size(); ++i) {
    cc[i] = bc[i] * P;
    uc[i] = bc[i] * N;
    oc[i] = bc[i] * (P + N);
  }
  // One sequence (decode at batch 1): its positions are cut too, over the
  // op's units, so no unit holds a head group's whole cache (at P = 2047 that
  // is 1 MB in fp32); the new rows go to the last position part's units, and
  // the attention streams the result past its queries.
  int64_t parts = B == 1 ? std::min(P, std::max<int64_t>(1, plan.count / groups))
                         : 1;
  int64_t updateFirst = plan.first;
  if (parts > 1) {
    cc = target::evenCuts(P, parts);
    oc = cc;
    oc.back() = P + N;
    updateFirst = plan.first + (parts - 1) * groups;
  }
  int64_t rowParts = int64_t(cc.size()) - 1;
  Layout cl = layout(B * P, D, rowParts, groups, 1, plan.first, false, false,
                     cc);
  Layout ul = layout(B * N, D, p, groups, 1, updateFirst, false, false, uc);
  Layout ol = layout(B * (P + N), D, rowParts, groups, 1, plan.first, false,
                     false, oc);
  BufferOp cache = in(k.getCache(), cl), update = in(k.getUpdate(), ul);
  BufferOp out = makeBuffer(ol, k.getResult());
  compute(target::ComputeKind::append, ol, {}, readsOf({cache, update}),
          readsOf({out}), 0.0, k);
  setHome(k.getResult(), out);
  return success();
}

//===----------------------------------------------------------------------===//
// The training step (sxf-differentiate's ops). The gradients of a linear run
// on its weight's partition, where the forward placed it: the transposed
// product (`matmul_t`) sums over the weight's row parts instead of its
// column parts, and the weight gradient (`sddmm`) is local to each block —
// a unit holds its block's rows of dy and columns of the forward input, and
// writes its block's stored positions. Row-local gradients are `rowwise` on
// token rows; sums over token rows (bias, norm parameters, tables, the loss)
// are `reduce`: each token part writes a whole-result partial sum and an
// exchange adds them.
//===----------------------------------------------------------------------===//

bool Tiler::usableHere(PartitionOp p, const OpPlan &plan) {
  if (!p.getOffchip())
    return true;
  if (p.getSection() != section && p.getPieces() == 1)
    return false;
  if (t.kind != TargetKind::Rdu)
    return true;
  std::string error;
  Layout l = *target::layoutOf(p, units, error);
  int64_t offset = ((l.first - plan.first) % units + units) % units;
  return offset + l.span() <= plan.count;
}

PartitionOp Tiler::copyPartition(WeightOp wop, const OpPlan &plan) {
  PartitionOp old = partitions.at(wop);
  std::string error;
  Layout ol = *target::layoutOf(old, units, error);
  WeightInfo w = weights.at(wop);
  // A bias or norm parameter is partitioned as a row (paramPartition).
  if (ol.rows == 1 && w.stats.rows != 1) {
    w.stats = blockStats(w.stats, 1, w.stats.numel, w.stats.nnz);
    w.stats.shape = {1, w.stats.numel};
  }
  Grid g;
  if (ol.p * ol.q <= plan.count) {
    g.rowCuts = ol.rowCuts;
    g.colCuts = ol.colCuts;
  } else if (w.linear && ol.rows == w.stats.rows) {
    g = chooseGrid(w, rowsOf(w.linear.getInput()), plan.count);
    g.tp = 1;
  } else {
    g.rowCuts = target::evenCuts(w.stats.rows,
                                 std::min(w.stats.rows, plan.count));
    g.colCuts = {0, w.stats.cols};
  }
  PartitionOp p = makePartition(w, g, plan.first, 1);
  // Only the weight's own partitions are shared between sections: a copy
  // is loaded where it is used.
  p.setOffchip(true);
  p.setSection(section);
  // The copy AdamW updates holds the optimizer state too: streamed in
  // pieces (each piece's gradient computed, applied and written back in
  // turn) when both do not fit.
  if (opt.adamw && isa<LinearGradWeightOp>(plan.op)) {
    int64_t pieces = p.getPieces();
    double whole = double(p.getBytes()) * double(pieces) +
                   double(p.getNnz()) * adamwStateBytesPerValue(w.format);
    if (whole > weightBudget) {
      std::string error;
      int64_t rows = std::max<int64_t>(
          1, target::layoutOf(p, units, error)->maxBlockRows());
      int64_t more = std::min<int64_t>(
          rows, int64_t(std::ceil(whole / (weightBudget / 2))));
      if (more > pieces) {
        p.setBytes((int64_t(p.getBytes()) * pieces + more - 1) / more);
        p.setPieces(more);
      }
    }
  }
  partitions[wop] = p;
  return p;
}

FailureOr<std::pair<PartitionOp, Layout>>
Tiler::gradPartition(Operation *op, const OpPlan &plan) {
  auto wop = target::weightOperandOf(op).getDefiningOp<WeightOp>();
  FailureOr<PartitionOp> part = weightPartition(wop, plan);
  if (failed(part))
    return failure();
  if (!usableHere(*part, plan))
    part = copyPartition(wop, plan);
  std::string error;
  Layout wl = *target::layoutOf(*part, units, error);
  // A weight with gradient ops has more than one user, and chooseGrid
  // replicates only weights with one.
  if (wl.replicas != 1)
    return op->emitError() << "sxf-tile: internal error: the partition of '"
                           << wop.getName()
                           << "' is replicated over token parts";
  return std::make_pair(*part, wl);
}

Layout Tiler::gradOutputLayout(int64_t T, const Layout &wl) {
  // Block (replica j, 0, i) on unit first + i·q + j: the unit of weight
  // block (i, j).
  return layout(T, wl.rows, 1, wl.p, wl.q, wl.first, /*interleave=*/true,
                false, {}, wl.rowCuts);
}

/// sxf.linear_grad_input: dy cut like the weight's rows and repeated over
/// its column parts (gradOutputLayout), an sxft.compute "matmul_t" over the
/// weight's partition. With one row part it writes dx cut like the
/// weight's columns; with several it writes a `partial` buffer (one
/// summand per row part) and a second step reduce-scatters it into dx, each
/// column part cut again into (up to) as many pieces as there are row parts.
LogicalResult Tiler::visitOp(LinearGradInputOp g, OpPlan &plan) {
  auto pw = gradPartition(g, plan);
  if (failed(pw))
    return failure();
  auto [part, wl] = *pw;
  int64_t T = rowsOf(g.getDy()), C = colsOf(g.getResult());
  // Token chunks, as the forward product's (linearChunks) with the roles of
  // the weight's rows and columns exchanged: dy's block and the partial sums
  // over row parts stream when they do not fit.
  int64_t chunks = linearChunks(T, wl.maxBlockRows(), wl.maxBlockCols(), wl.p);
  BufferOp dy = inStreamed(g.getDy(), gradOutputLayout(T, wl), chunks);
  if (chunks > 1)
    step.setChunks(chunks);
  WeightInfo &w = weights.at(g.getW().getDefiningOp<WeightOp>());
  double flops = linearFlops(double(T), double(w.stats.nnz));
  if (wl.p == 1) {
    Layout xl = layout(T, C, 1, wl.q, 1, wl.first, false, false, {},
                       wl.colCuts);
    BufferOp dx = makeBuffer(xl, g.getResult());
    compute(target::ComputeKind::matmul_t, wl, part, readsOf({dy}),
            readsOf({dx}), flops, g);
    setHome(g.getResult(), dx);
    return success();
  }
  Layout pl = layout(T, C, 1, wl.q, wl.p, wl.first, false, /*partial=*/true,
                     {}, wl.colCuts);
  BufferOp partial = makeBuffer(pl, g.getResult(), chunks);
  compute(target::ComputeKind::matmul_t, wl, part, readsOf({dy}),
          readsOf({partial}), flops, g);
  // Streamed partial sums are reduced chunk by chunk in the same step.
  if (chunks == 1)
    newStep(plan);
  std::vector<int64_t> outCuts = {0};
  for (int64_t j = 0; j < wl.q; ++j) {
    int64_t lo = wl.colCuts[j], len = wl.colCuts[j + 1] - lo;
    int64_t pieces = std::min(wl.p, len);
    for (int64_t k = 1; k <= pieces; ++k)
      outCuts.push_back(lo + (k * len) / pieces);
  }
  Layout xl = layout(T, C, 1, int64_t(outCuts.size()) - 1, 1, wl.first,
                     false, false, {}, outCuts);
  BufferOp dx = makeBuffer(xl, g.getResult());
  OpBuilder b = OpBuilder::atBlockEnd(&step.getBody().front());
  exchange(b, g.getLoc(), partial, dx,
           target::exchangeElements(pl, xl) * kActivationBytes);
  setHome(g.getResult(), dx);
  return success();
}

/// sxf.linear_grad_weight: dy as for linear_grad_input, the forward input x
/// as the forward linear read it (cut like the weight's columns, repeated
/// over its row parts: usually the buffer the forward step filled), and an
/// sxft.compute "sddmm" over the weight's partition writing a buffer cut
/// exactly like the partition, whose blocks hold the stored positions' values
/// (its bytes are the largest block's stored entries).
LogicalResult Tiler::visitOp(LinearGradWeightOp g, OpPlan &plan) {
  auto pw = gradPartition(g, plan);
  if (failed(pw))
    return failure();
  auto [part, wl] = *pw;
  int64_t T = rowsOf(g.getDy()), C = colsOf(g.getX());
  // Token chunks: the weight gradient sums over tokens, so dy's and x's
  // blocks stream through the block a slice of tokens at a time when they
  // do not fit.
  int64_t chunks = chunksFor(
      T, double(kActivationBytes) * double(wl.maxBlockRows() + wl.maxBlockCols()),
      streamBudget);
  BufferOp dy = inStreamed(g.getDy(), gradOutputLayout(T, wl), chunks);
  Layout xl = layout(T, C, 1, wl.q, wl.p, wl.first, false, false, {},
                     wl.colCuts);
  BufferOp x = chunks > 1      ? inStreamed(g.getX(), xl, chunks)
               : refetchInputs ? inFresh(g.getX(), xl)
                               : in(g.getX(), xl);
  if (chunks > 1)
    step.setChunks(chunks);
  Layout gl = layout(wl.rows, wl.cols, wl.p, wl.q, 1, wl.first, false, false,
                     wl.rowCuts, wl.colCuts);
  BufferOp dw = makeBuffer(gl, g.getResult());
  // Streamed in pieces, a piece's gradient at a time.
  int64_t pieces = int64_t(part.getPieces());
  dw.setBytes((int64_t(part.getNnz()) + pieces - 1) / pieces *
              kActivationBytes);
  dw.setStoredAttr(FlatSymbolRefAttr::get(part.getSymNameAttr()));
  WeightInfo &w = weights.at(g.getW().getDefiningOp<WeightOp>());
  compute(target::ComputeKind::sddmm, wl, part, readsOf({dy, x}),
          readsOf({dw}), linearFlops(double(T), double(w.stats.nnz)), g);
  setHome(g.getResult(), dw);
  return success();
}

/// sxf.attention_grad: as sxf.attention (batches x head groups; one
/// sequence also cut into query parts, each with a copy of the keys and
/// values, streamed in chunks when they do not fit): q, k, v and dy in the
/// query's / key's layouts, one sxft.compute "attention" writing dq (per
/// query part) and dk, dv — with query parts, as `partial` buffers (each
/// part's queries' share) that an sxft.exchange sums.
LogicalResult Tiler::visitOp(AttentionGradOp a, OpPlan &plan) {
  // As the forward's, with q, dy, dq per query row and k, v and the partial
  // dk, dv per key row.
  auto [ql, kl, p, hg, qp, chunks] =
      attentionLayouts(a.getQuery(), a.getKey(), a.getHeads(),
                       a.getHeadDim(), plan, /*qSide=*/3, /*kvSide=*/4,
                       /*work=*/3);
  SmallVector<Attribute> reads = readsOf(
      {in(a.getQuery(), ql), inStreamed(a.getKey(), kl, chunks),
       inStreamed(a.getValue(), kl, chunks), in(a.getDy(), ql)});
  if (chunks > 1)
    step.setChunks(chunks);
  // dq per query part; dk and dv partial sums over the query parts (each
  // part's queries' share), streamed with the keys and summed by an
  // exchange (in the same step, slice by slice, when streamed).
  Layout pl = layout(kl.rows, kl.cols, kl.p, kl.q, kl.replicas, kl.first,
                     false, /*partial=*/true, kl.rowCuts);
  // The sums reduce-scattered over the query parts' units (one sequence:
  // its keys cut into as many parts).
  int64_t keyParts = std::min(qp, kl.rows);
  Layout dl = qp > 1 ? layout(kl.rows, kl.cols, keyParts, hg, 1, plan.first,
                              false, false,
                              target::evenCuts(kl.rows, keyParts))
                     : kl;
  SmallVector<Attribute> writes;
  SmallVector<BufferOp> sums;
  for (auto [n, r] : llvm::enumerate(a.getResults())) {
    BufferOp out;
    if (n == 0) {
      out = makeBuffer(ql, r);
    } else if (qp == 1) {
      out = makeBuffer(kl, r); // read whole by the ops after it
    } else {
      out = makeBuffer(pl, r, chunks);
      sums.push_back(out);
    }
    writes.push_back(ref(out));
    if (n == 0 || qp == 1)
      setHome(r, out);
  }
  compute(target::ComputeKind::attention, ql, {}, reads, writes,
          a.getDenseFlops(), a);
  if (sums.empty())
    return success();
  if (chunks == 1)
    newStep(plan);
  OpBuilder b = OpBuilder::atBlockEnd(&step.getBody().front());
  for (auto [n, r] : llvm::enumerate(a.getResults().drop_front())) {
    BufferOp out = makeBuffer(dl, r);
    exchange(b, a.getLoc(), sums[n], out,
             target::exchangeElements(pl, dl) * kActivationBytes);
    setHome(r, out);
  }
  return success();
}

/// sxf.activation_grad: lowerElementwise on x, reading dy in x's layout.
LogicalResult Tiler::visitOp(OneOf<ActivationGradOp> a, OpPlan &plan) {
  auto g = cast<ActivationGradOp>(a.op);
  return lowerElementwise(g, g.getX(), g.getDy(), plan);
}

LogicalResult Tiler::lowerRows(Operation *op, OpPlan &plan) {
  int64_t T = rowsOf(op->getResult(0));
  Layout rl = rowsLayout(T, colsOf(op->getResult(0)), plan);
  SmallVector<Attribute> reads;
  for (auto [k, v] : llvm::enumerate(op->getOperands())) {
    bool ids = isa<IntegerType>(getElementTypeOrSelf(v.getType()));
    int64_t rows = ids ? cast<RankedTensorType>(v.getType()).getNumElements()
                       : rowsOf(v);
    if (rows != T)
      return op->emitError() << "sxf-tile: operand #" << k << " of '"
                             << op->getName() << "' has " << rows
                             << " token rows, the result " << T;
    reads.push_back(ref(in(v, layout(T, ids ? 1 : colsOf(v), rl.p, 1, 1,
                                     rl.first, false, false, rl.rowCuts))));
  }
  return rowsCompute(op, T, rl, reads, plan);
}

/// sxf.softmax_grad (last axis), sxf.concat, sxf.cross_entropy_grad:
/// lowerRows (every operand and the result on token rows).
LogicalResult
Tiler::visitOp(OneOf<SoftmaxGradOp, ConcatOp, CrossEntropyGradOp> o,
               OpPlan &plan) {
  return lowerRows(o.op, plan);
}

/// The sums over token rows: the token-row operands (the first, and dy of a
/// norm gradient; ids and targets as one column) on token rows — cut at
/// whole sequences for sxf.position_grad — gamma a replicated partition;
/// one sxft.compute "reduce" writing each result shaped like the token
/// rows on token rows and every other result as a `partial` buffer (one
/// whole-result summand per token part); a second step adds the summands
/// into a buffer spread over the op's units.
LogicalResult
Tiler::visitOp(OneOf<ReduceSumOp, LayerNormGradOp, RmsNormGradOp,
                     EmbeddingGradOp, PositionGradOp, CrossEntropyOp>
                   o,
               OpPlan &plan) {
  Operation *op = o.op;
  // The token-row operand that sets the rows: dy of a table or norm
  // gradient, else the first.
  Value rowsValue = op->getOperand(0);
  if (auto e = dyn_cast<EmbeddingGradOp>(op))
    rowsValue = e.getDy();
  int64_t T = rowsOf(rowsValue);
  // A norm gradient runs on the units of its forward norm, whose gamma
  // partition (replicated over those units) it reads, while that is in
  // SRAM (else on its own units, with a copy of gamma).
  int64_t first = plan.first;
  if (isa<LayerNormGradOp, RmsNormGradOp>(op) && t.kind != TargetKind::Rdu)
    if (auto gw = op->getOperand(1).getDefiningOp<WeightOp>())
      if (auto it = partitions.find(gw);
          it != partitions.end() && usableHere(it->second, plan)) {
        std::string error;
        first = target::layoutOf(it->second, units, error)->first;
      }
  int64_t parts = std::min(T, plan.count);
  std::vector<int64_t> cuts = target::evenCuts(T, parts);
  if (auto pg = dyn_cast<PositionGradOp>(op)) {
    auto dt = cast<RankedTensorType>(pg.getDy().getType());
    int64_t S = dt.getRank() >= 2 ? dt.getDimSize(dt.getRank() - 2) : T;
    int64_t B = T / std::max<int64_t>(1, S);
    cuts = target::evenCuts(B, std::min(B, plan.count));
    for (int64_t &c : cuts)
      c *= S;
    parts = int64_t(cuts.size()) - 1;
  }
  // Sums of columns are independent: ops without a row-wide result (all
  // but the norm gradients and the loss) also cut the columns, so that a
  // few long sequences still spread over the units.
  int64_t N = colsOf(rowsValue);
  int64_t q = isa<LayerNormGradOp, RmsNormGradOp, CrossEntropyOp>(op)
                  ? 1
                  : std::max<int64_t>(1, std::min(N, plan.count / parts));
  SmallVector<Attribute> reads;
  Layout rl = layout(T, N, parts, q, 1, first, false, false, cuts);
  for (auto [k, v] : llvm::enumerate(op->getOperands())) {
    if (isa<LayerNormGradOp, RmsNormGradOp>(op) && k == 1) {
      FailureOr<PartitionOp> g = paramPartition(v, rl, true);
      if (failed(g))
        return failure();
      reads.push_back(ref(*g));
      continue;
    }
    bool ids = isa<IntegerType>(getElementTypeOrSelf(v.getType()));
    int64_t rows = ids ? cast<RankedTensorType>(v.getType()).getNumElements()
                       : rowsOf(v);
    if (rows != T)
      return op->emitError() << "sxf-tile: operand #" << k << " of '"
                             << op->getName() << "' has " << rows
                             << " token rows, its gradient " << T;
    // Ids and targets: one column, repeated over the column parts.
    Layout vl = ids ? layout(T, 1, parts, 1, q, first, /*interleave=*/true,
                             false, cuts)
                    : layout(T, colsOf(v), parts, q, 1, first, false, false,
                             cuts, rl.colCuts);
    reads.push_back(ref(in(v, vl)));
  }
  SmallVector<Attribute> writes;
  SmallVector<std::pair<BufferOp, Value>> sums;
  for (Value r : op->getResults()) {
    if (rowsOf(r) == T && r.getType() == rowsValue.getType()) {
      BufferOp out = makeBuffer(rl, r);
      writes.push_back(ref(out));
      setHome(r, out);
      continue;
    }
    Layout pl = q > 1 ? layout(rowsOf(r), colsOf(r), 1, q, parts, first,
                               false, /*partial=*/true, {}, rl.colCuts)
                      : layout(rowsOf(r), colsOf(r), 1, 1, parts, first,
                               false, /*partial=*/true);
    BufferOp partial = makeBuffer(pl, r);
    writes.push_back(ref(partial));
    sums.push_back({partial, r});
  }
  compute(target::ComputeKind::reduce, rl, {}, reads, writes,
          cast<CostOpInterface>(op).getDenseFlops(), op);
  newStep(plan);
  for (auto [partial, r] : sums) {
    int64_t R = rowsOf(r), C = colsOf(r);
    int64_t p = std::min(R, plan.count);
    int64_t q = std::max<int64_t>(1, std::min(C, plan.count / p));
    Layout sl = layout(R, C, p, q, 1, first);
    BufferOp out = makeBuffer(sl, r);
    std::string error;
    Layout pl = *target::layoutOf(partial, units, error);
    OpBuilder b = OpBuilder::atBlockEnd(&step.getBody().front());
    exchange(b, op->getLoc(), partial, out,
             target::exchangeElements(pl, sl) * kActivationBytes);
    setHome(r, out);
  }
  return success();
}

/// AdamW's arithmetic per stored value (the formulas of
/// include/sxf/Training/Optimizer.h: decay, both moments, their bias
/// corrections, the square root, the quotient and the step), an estimate
/// for pricing.
constexpr double kAdamwFlopsPerValue = 16;

LogicalResult Tiler::collectUpdates() {
  updateTargets.clear();
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  std::map<std::string, WeightOp> byName;
  for (auto &[op, w] : weights)
    byName.emplace(w.op.getName().str(), w.op);
  for (auto [k, v] : llvm::enumerate(ret.getOperands())) {
    auto of = func.getResultAttrOfType<StringAttr>(k, "sxf.gradient_of");
    if (!of)
      continue;
    auto it = byName.find(of.str());
    if (it == byName.end())
      return ret.emitError() << "sxf-tile: result #" << k
                             << " is the gradient of '" << of.getValue()
                             << "', which the entry does not hold";
    Operation *def = v.getDefiningOp();
    if (!def || llvm::none_of(plans, [&](const OpPlan &p) {
          return p.op == def;
        }))
      return ret.emitError() << "sxf-tile: result #" << k
                             << " (the gradient of '" << of.getValue()
                             << "') is not computed by a tiled op";
    updateTargets[unsigned(k)] = it->second;
  }
  return success();
}

LogicalResult Tiler::emitUpdate(unsigned k, const OpPlan &plan) {
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  Value v = ret.getOperand(k);
  WeightOp wop = updateTargets.at(k);
  auto pit = partitions.find(wop);
  if (pit == partitions.end())
    return ret.emitError() << "sxf-tile: weight '" << wop.getName()
                           << "' has no partition (no tiled op reads it): "
                              "its gradient cannot be applied on chip";
  PartitionOp p = pit->second;
  if (!usableHere(p, plan))
    p = copyPartition(wop, plan);
  std::string error;
  Layout pl = *target::layoutOf(p, units, error);
  // One copy of a broadcast parameter is resident (and updated); every
  // replica of a weight split over token parts is updated alike.
  Layout want = p.getBroadcast()
                    ? layout(pl.rows, pl.cols, pl.p, pl.q, 1, pl.first,
                             false, false, pl.rowCuts, pl.colCuts)
                    : pl;
  BufferOp g = in(v, want);
  WeightInfo &w = weights.at(wop);
  double stored = w.format.getKind() == StorageKind::dense
                      ? double(w.stats.numel)
                      : double(w.stats.nnz);
  compute(target::ComputeKind::update, want, p, readsOf({g}), {},
          kAdamwFlopsPerValue * stored * double(want.replicas),
          v.getDefiningOp());
  // With the largest block (one piece of it when streamed in pieces).
  int64_t pieces = int64_t(p.getPieces());
  p.setStateBytes((int64_t(p.getNnz()) + pieces - 1) / pieces *
                  adamwStateBytesPerValue(w.format));
  if (p.getOffchip()) {
    // The new values and state go back to off-chip memory for the next run.
    OpBuilder b = OpBuilder::atBlockEnd(&step.getBody().front());
    make<target::StoreOp>(
        b, p.getLoc(),
        {named(b, "partition", FlatSymbolRefAttr::get(p.getSymNameAttr())),
         named(b, "bytes", b.getI64IntegerAttr(w.totalBytes * want.replicas +
                                               adamwStateBytes(w)))});
  }
  return success();
}

LogicalResult Tiler::emitUpdates(std::set<unsigned> &applied) {
  // All of them in one step after the last op (everything resident).
  bool opened = false;
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  for (auto &[k, wop] : updateTargets) {
    if (applied.count(k))
      continue;
    Operation *def = ret.getOperand(k).getDefiningOp();
    OpPlan &plan = *llvm::find_if(plans, [&](const OpPlan &p) {
      return p.op == def;
    });
    if (!opened) {
      newStep(plan);
      opened = true;
    }
    if (failed(emitUpdate(k, plan)))
      return failure();
    applied.insert(k);
  }
  return success();
}

/// Ops analyse() never plans: sxf.weight is a declaration (the ops that
/// read it make its partitions), and composite layers and matmuls between
/// activations are refused there with a located error. Reaching a lowering
/// for one is a bug in the tiler, diagnosed rather than skipped.
LogicalResult
Tiler::visitOp(OneOf<WeightOp, MatmulOp, EncoderLayerOp, DecoderLayerOp> op,
               OpPlan &) {
  return op->emitError() << "sxf-tile: internal error: '" << op->getName()
                         << "' has no plan to lower";
}


LogicalResult Tiler::visitInvalidOp(Operation *op, OpPlan &) {
  return op->emitError() << "sxf-tile: internal error: '" << op->getName()
                         << "' is not an sxf op and has no lowering";
}

LogicalResult Tiler::planRdu(double headroom) {
  // Pack consecutive ops into sections whose weights fit, then give each
  // op its SRAM share plus the spare units in proportion to its work, so
  // pipeline stages take similar time.
  double sram = double(t.sramPerUnitBytes);
  std::vector<int64_t> need(plans.size());
  for (size_t k = 0; k < plans.size(); ++k)
    // More headroom gives an op more units, up to a section of its own.
    need[k] = std::clamp<int64_t>(
        std::ceil(headroom *
                  double(plans[k].weightBytes +
                         kActivationShare * plans[k].activationBytes) /
                  sram),
        1, units);
  rduUnitsNeeded = 0;
  for (int64_t n : need)
    rduUnitsNeeded += n;
  size_t begin = 0;
  int64_t s = 0;
  while (begin < plans.size()) {
    size_t end = begin;
    int64_t used = 0;
    while (end < plans.size() && used + need[end] <= units)
      used += need[end++];
    if (end == begin)
      return plans[begin].op->emitError()
             << "sxf-tile: the weights of this op need " << need[begin]
             << " units' SRAM; " << t.name << " has " << units;
    double work = 0;
    for (size_t k = begin; k < end; ++k)
      work += plans[k].work;
    // A training step keeps activations for its backward sections where
    // they were made: its sections start at rotating units, so that the
    // first units of every section do not hold all of them.
    int64_t spare = units - used,
            first = training ? (s * (units / 8 + 1)) % units : 0;
    for (size_t k = begin; k < end; ++k) {
      int64_t extra =
          work > 0 ? int64_t(std::floor(double(spare) * plans[k].work / work))
                   : 0;
      plans[k].count = need[k] + extra;
      plans[k].first = first;
      plans[k].section = s;
      first += plans[k].count;
    }
    begin = end;
    ++s;
  }
  return success();
}

LogicalResult Tiler::build(bool streamed, double headroom,
                           double streamShare) {
  for (auto p : llvm::make_early_inc_range(
           module.getOps<target::ProgramOp>()))
    if (p.getEntry() == func.getSymName())
      p.erase();
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  target::ProgramKind kind = target::programKindOf(t.kind);
  program = make<target::ProgramOp>(
      b, func.getLoc(),
      {named(b, "entry", FlatSymbolRefAttr::get(func.getSymNameAttr())),
       named(b, "target", b.getStringAttr(t.name)),
       named(b, "kind", target::ProgramKindAttr::get(b.getContext(), kind)),
       named(b, "units", b.getI64IntegerAttr(units)),
       named(b, "sram_per_unit", b.getI64IntegerAttr(t.sramPerUnitBytes)),
       named(b, "tokens", b.getI64IntegerAttr(tokens))},
      1);
  Block *body = &program.getBody().emplaceBlock();
  step = {};
  stepIndex = section = cursor = bufferCount = 0;
  home.clear();
  copies.clear();
  partitions.clear();
  partitionCount = 0;
  streamedBuild = streamed;
  weightBudget = double(t.sramPerUnitBytes) / headroom;
  // What the weights leave on a unit, half of a share of it for streamed
  // buffers (the other half for activations held whole):
  // everything resident, the SRAM beyond the average unit's share of all
  // weights; streaming, the SRAM beyond the section budget; on an RDU (an
  // op's units hold its own weights, sized by planRdu) half of the budget.
  // Never less than 1/64 of the SRAM, so a full chip still streams rather
  // than fails.
  double sram = double(t.sramPerUnitBytes);
  double leftByWeights = t.kind == TargetKind::Rdu ? weightBudget / 2
                         : streamed                ? sram - weightBudget
                                    : weightBudget - avgResidentPerUnit;
  streamBudget = std::max(sram / 64.0, leftByWeights * streamShare / 2);
  replicaBudget = std::max(0.0, leftByWeights * streamShare / 4);
  replicaExtraPerUnit = 0;
  sectionWeightsPerUnit = 0;
  // AdamW on chip: the gradients it applies are not outputs. Streamed, each
  // weight is updated (and written back) as soon as nothing reads it any
  // more and its gradient is complete, in that op's section; resident, all
  // in one last step.
  std::set<unsigned> applied;
  std::map<size_t, std::vector<unsigned>> updatesAfter;
  if (opt.adamw) {
    program.setAdamwAttr(target::adamwDictionary(ctx, *opt.adamw));
    if (failed(collectUpdates()))
      return failure();
    auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
    if (streamedBuild)
      for (auto &[k, wop] : updateTargets) {
        size_t last = 0;
        for (size_t i = 0; i < plans.size(); ++i)
          if (plans[i].op == ret.getOperand(k).getDefiningOp() ||
              llvm::is_contained(plans[i].op->getOperands(), wop.getResult()))
            last = i;
        updatesAfter[last].push_back(k);
      }
  }
  for (size_t index = 0; index < plans.size(); ++index) {
    OpPlan &plan = plans[index];
    if (t.kind == TargetKind::Rdu) {
      section = plan.section;
    } else {
      plan.first = cursor;
      plan.count = units;
      // Streaming: a new section when this op's weights, spread over every
      // unit, would pass the budget.
      double add = double(plan.weightBytes) / double(units);
      if (streamedBuild && stepIndex > 0 &&
          sectionWeightsPerUnit + add > weightBudget) {
        ++section;
        sectionWeightsPerUnit = 0;
      }
      sectionWeightsPerUnit += add;
    }
    lastSpan = 0;
    if (failed(emitOp(plan)))
      return failure();
    if (auto u = updatesAfter.find(index); u != updatesAfter.end()) {
      // A weight streamed in pieces is updated in its gradient's step,
      // piece by piece; otherwise the updates take a step of their own.
      bool fused = isa<LinearGradWeightOp>(plan.op) &&
                   llvm::all_of(u->second, [&](unsigned k) {
                     auto p = partitions.find(updateTargets.at(k));
                     return p != partitions.end() &&
                            p->second.getPieces() > 1;
                   });
      if (!fused)
        newStep(plan);
      for (unsigned k : u->second) {
        if (failed(emitUpdate(k, plan)))
          return failure();
        applied.insert(k);
      }
    }
    // Rotate where the next op's weights start so SRAM fills evenly.
    cursor = (cursor + lastSpan) % units;
  }
  if (opt.adamw && failed(emitUpdates(applied)))
    return failure();
  // Outputs.
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    if (applied.count(i))
      continue;
    BufferOp hb = home.count(v) ? home[v] : BufferOp();
    if (!hb)
      return ret.emitError("sxf-tile: returns a value that is not computed");
    if (hb.getOutput() || hb.getInput()) {
      std::string error;
      Layout l = *target::layoutOf(hb, units, error);
      BufferOp copy = makeBuffer(l, v);
      OpBuilder sb = OpBuilder::atBlockEnd(&step.getBody().front());
      exchange(sb, ret.getLoc(), hb, copy, 0);
      hb = copy;
    }
    hb->setAttr("output", b.getI64IntegerAttr(i));
  }
  // Loads: each off-chip partition at the first step that uses it.
  std::map<StringRef, Operation *> weightOf;
  for (auto p : body->getOps<target::PartitionOp>())
    for (auto &[op, w] : weights)
      if (w.op.getName() == p.getWeight())
        weightOf[p.getSymName()] = op;
  std::set<StringRef> loaded;
  for (StepOp s : body->getOps<StepOp>()) {
    SmallVector<target::PartitionOp> uses;
    std::set<StringRef> here, updatedHere;
    for (auto c : s.getBody().front().getOps<target::ComputeOp>()) {
      if (c.getKind() == target::ComputeKind::update)
        updatedHere.insert(c.getPartitionAttr().getValue());
      SmallVector<Attribute> syms(c.getReads().begin(), c.getReads().end());
      if (c.getPartitionAttr())
        syms.push_back(c.getPartitionAttr());
      for (Attribute a : syms)
        if (auto p = dyn_cast_or_null<target::PartitionOp>(
                SymbolTable::lookupSymbolIn(program, cast<SymbolRefAttr>(a))))
          // Once per section, or, streamed in pieces, at every step.
          if (p.getOffchip() &&
              (p.getPieces() > 1 ? here.insert(p.getSymName()).second
                                 : loaded.insert(p.getSymName()).second))
            uses.push_back(p);
    }
    OpBuilder lb = OpBuilder::atBlockBegin(&s.getBody().front());
    for (target::PartitionOp p : uses) {
      std::string error;
      Layout l = *target::layoutOf(p, units, error);
      const WeightInfo &w = weights.at(weightOf[p.getSymName()]);
      // The copy an update changes comes with its optimizer state (loaded
      // once for its section, or, streamed in pieces, in the update's step).
      bool state = p.getStateBytes() &&
                   (p.getPieces() == 1 || updatedHere.count(p.getSymName()));
      int64_t bytes = w.totalBytes * (p.getBroadcast() ? 1 : l.replicas) +
                      (state ? adamwStateBytes(w) : 0);
      make<target::LoadOp>(
          lb, p.getLoc(),
          {named(lb, "partition", FlatSymbolRefAttr::get(p.getSymNameAttr())),
           named(lb, "bytes", lb.getI64IntegerAttr(bytes))});
    }
  }
  if (t.kind == TargetKind::Rdu) {
    int64_t deepest = 0;
    std::map<int64_t, int64_t> perSection;
    for (StepOp s : body->getOps<StepOp>())
      deepest = std::max(deepest, ++perSection[int64_t(s.getSection())]);
    int64_t m = opt.microbatches > 0 ? opt.microbatches : deepest;
    program.setMicrobatches(std::max<int64_t>(1, std::min(m, tokens)));
  }
  return success();
}

/// A partition or buffer as one line of IR, for diagnostics ("" for none).
static std::string printHolder(Operation *op) {
  std::string text;
  if (op) {
    llvm::raw_string_ostream os(text);
    OpPrintingFlags flags;
    op->print(os, flags.useLocalScope().assumeVerified());
  }
  // Row and column cuts of thousands of parts would make the message a
  // line of tens of kilobytes: the op's head says what it is.
  constexpr size_t kMaxHolder = 240;
  if (text.size() > kMaxHolder)
    text = text.substr(0, kMaxHolder) + " ...";
  return text;
}

FailureOr<TileResult> Tiler::run() {
  if (failed(analyse()))
    return failure();
  TileResult result;
  auto finish = [&](bool fits) -> FailureOr<TileResult> {
    result.program = program;
    result.fitsOnChip = fits;
    result.offchipByDesign = t.kind == TargetKind::Rdu && training;
    int64_t sections = 1;
    for (StepOp s : program.getBody().front().getOps<StepOp>())
      sections = std::max<int64_t>(sections, int64_t(s.getSection()) + 1);
    result.sections = sections;
    if (failed(mlir::verify(program)) || failed(target::checkProgram(program)))
      return failure();
    return result;
  };
  auto over = [&](const target::Occupancy &occ) {
    return occ.worstBytes > t.sramPerUnitBytes;
  };
  bool rdu = t.kind == TargetKind::Rdu;
  // Everything resident: one section. Not a training step on an RDU: its
  // gradients run on units of their own, each with a copy of its weight
  // loaded from off-chip memory, where the master weights and the optimizer
  // state live (resident copies would go stale after the update).
  bool residentTried = false;
  if (rdu && training && opt.requireOnChip)
    return emitError(func.getLoc())
           << "sxf-tile: a training step on an RDU target (" << t.name
           << ") keeps its weights and optimizer state in off-chip memory "
              "(its gradients run on units of their own, on copies loaded "
              "there); --sxf-require-on-chip cannot hold";
  if (!(rdu && training) && (!rdu || succeeded(planRdu(1.0)))) {
    bool single = true;
    for (const OpPlan &p : plans)
      single &= p.section == 0;
    // A training step that does not fit keeping the forward linears'
    // input copies for the weight gradients is tried again exchanging
    // them anew.
    for (bool refetch : {false, true}) {
    if (refetch && (!training || !residentTried))
      break;
    refetchInputs = refetch;
    if (single) {
      residentTried = true;
      // Everything resident, with less and less of the SRAM the weights
      // leave given to streamed activations (more token chunks) while the
      // worst unit is over because of activations.
      for (double share : {1.0, 0.5, 0.25, 0.125, 0.0625}) {
        if (failed(build(false, 1.0, share)))
          return failure();
        target::Occupancy occ = target::computeOccupancy(program);
        if (!over(occ))
          return finish(true);
        if (share == 1.0) {
          result.worstUnit = occ.worstUnit;
          result.worstBytes = occ.worstBytes;
          result.unitsOver = occ.unitsOver;
          result.worstHolder = printHolder(occ.culprit);
        }
        // Weights, not activations, and more over than halving the stream
        // budget frees: chunking cannot help.
        double excess = double(occ.worstBytes - t.sramPerUnitBytes);
        if (!occ.culprit ||
            (isa<PartitionOp>(occ.culprit) && excess > streamBudget / 2) ||
            avgResidentPerUnit > double(t.sramPerUnitBytes))
          break;
      }
    }
    }
  }
  if (!residentTried) {
    int64_t total = 0;
    for (auto &[op, w] : weights)
      total += w.totalBytes;
    result.worstBytes = total;
    result.unitsOver = units;
    // The weights may fit while the ops do not: an RDU section gives every
    // op units of its own.
    if (rdu && total <= t.totalSramBytes())
      result.unitsNeeded = rduUnitsNeeded;
  }
  bool require = opt.requireOnChip;
  if (require) {
    InFlightDiagnostic d = emitError(func.getLoc())
                           << "sxf-tile: the model does not fit on-chip on "
                           << t.name << ": ";
    if (residentTried)
      d << "unit " << result.worstUnit << " needs " << result.worstBytes
        << " bytes, over its " << t.sramPerUnitBytes << "-byte SRAM by "
        << result.worstBytes - t.sramPerUnitBytes << "; "
        << result.unitsOver << " of " << units << " units are over"
        << (result.worstHolder.empty()
                ? ""
                : "; the largest thing there is `" + result.worstHolder +
                      "`");
    else if (result.unitsNeeded)
      d << "its " << plans.size() << " ops need " << result.unitsNeeded
        << " units of their own in one pipeline section, the target has "
        << units;
    else
      d << "its weights need " << result.worstBytes << " bytes, the "
        << units << " units hold " << t.totalSramBytes();
    d << " (without --sxf-require-on-chip, weights"
      << (training ? " and optimizer state" : "")
      << " are streamed from off-chip memory)";
    if (program)
      program.erase();
    return failure();
  }
  // Stream: sections whose weights fit, with growing headroom for the
  // activations until every unit fits — from off-chip memory that holds
  // them (offchip_bytes = 0: host-attached, not bounded).
  double allWeights = 0;
  for (auto &[op, w] : weights)
    allWeights += double(w.totalBytes);
  if (t.offchipBytes > 0 && allWeights > double(t.offchipBytes)) {
    if (program)
      program.erase();
    return emitError(func.getLoc())
           << "sxf-tile: the model does not fit on-chip on " << t.name
           << " and its weights (" << int64_t(allWeights)
           << " bytes) cannot stream from off-chip memory, which holds "
           << t.offchipBytes << " bytes";
  }
  for (double headroom = 1.25; headroom < 64; headroom *= 1.5) {
    if (rdu && failed(planRdu(headroom)))
      return failure();
    if (failed(build(true, headroom, 1.0)))
      return failure();
    target::Occupancy occ = target::computeOccupancy(program);
    if (!over(occ))
      return finish(false);
  }
  target::Occupancy occ = target::computeOccupancy(program);
  std::string largest = printHolder(occ.culprit);
  bool activation = isa_and_nonnull<BufferOp>(occ.culprit);
  program.erase(); // (and the culprit with it)
  return emitError(func.getLoc())
         << "sxf-tile: even streaming weights section by section, unit "
         << occ.worstUnit << " needs " << occ.worstBytes << " bytes of its "
         << t.sramPerUnitBytes << "; the largest thing there is `" << largest
         << "`" << (activation
                        ? (training
                               ? " (an activation: a training step keeps "
                                 "activations for its backward pass in SRAM, "
                                 "and spilling them to off-chip memory is not "
                                 "modelled; fewer tokens per step or a target "
                                 "with more SRAM per unit would fit)"
                               : " (an activation: fewer tokens per run, a "
                                 "shorter KV cache or a target with more SRAM "
                                 "per unit would fit)")
                        : "");
}

} // namespace

FailureOr<TileResult> tileModule(ModuleOp module, const TargetDesc &target,
                                 const TileOptions &options) {
  module.getContext()->getOrLoadDialect<target::SxfTargetDialect>();
  Tiler tiler(module, target, options);
  return tiler.run();
}

} // namespace sxf
