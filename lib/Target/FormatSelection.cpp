//===- FormatSelection.cpp - Choosing each weight's storage format -*- C++ -*-===//

#include "sxf/Target/FormatSelection.h"

#include "sxf/Weights/WeightStore.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <map>
#include <set>

using namespace mlir;

namespace sxf {

unsigned indexBitsFor(StorageKind kind, const WeightStats &s,
                      unsigned blockRows, unsigned blockCols, unsigned m) {
  if (kind == StorageKind::nm)
    return m <= 4 ? 2 : m <= 16 ? 4 : 8; // packed in-group indices
  if (kind == StorageKind::dense)
    return 32;
  // The smallest width that holds the largest stored index is the formats
  // library's answer; pointers widen on their own (formats::pointerBits).
  formats::FormatSpec spec = toFormatSpec(
      kind, std::max(1u, blockRows), std::max(1u, blockCols), 0, 0,
      Type(), 32);
  return formats::chooseIndexBits(spec, s.rows, s.cols,
                                  /*storedEntries=*/0);
}

namespace {

double objectiveValue(const LinearCost &c, Objective o) {
  switch (o) {
  case Objective::Latency:
    return c.seconds;
  case Objective::Memory:
    return double(c.bytes.total());
  case Objective::Energy:
    return c.joules;
  }
  return c.seconds;
}

/// Every format that can hold the weight, with its index width.
std::vector<FormatAttr> legalFormats(MLIRContext *ctx, const WeightStats &s,
                                     Type valueType) {
  std::vector<FormatAttr> out;
  auto make = [&](StorageKind k, unsigned br = 0, unsigned bc = 0,
                  unsigned n = 0, unsigned m = 0) {
    unsigned bits = k == StorageKind::dense
                        ? 32
                        : indexBitsFor(k, s, br ? br : 1, bc ? bc : 1, m);
    FormatAttr f = FormatAttr::get(ctx, k, br, bc, n, m, valueType, bits);
    // Never a format the verifier, the tiler or the lowering would refuse.
    if (!formats::shapeProblem(toFormatSpec(f), s.rows, s.cols))
      out.push_back(f);
  };
  make(StorageKind::dense);
  if (s.rows <= 1)
    return out; // a vector is stored dense
  for (StorageKind k : {StorageKind::csr, StorageKind::csc, StorageKind::coo,
                        StorageKind::ell})
    make(k);
  for (const BlockStats &b : s.blocks)
    if (b.divides)
      make(StorageKind::bsr, b.size, b.size);
  for (auto [n, m] : s.nmCompliant)
    make(StorageKind::nm, 0, 0, n, m);
  return out;
}

/// Why the chosen format won, in a sentence for the report.
std::string explain(const WeightChoice &w, Objective o) {
  size_t bestIndex = 0;
  for (size_t i = 1; i < w.candidates.size(); ++i)
    if (objectiveValue(w.candidates[i], o) <
        objectiveValue(w.candidates[bestIndex], o))
      bestIndex = i;
  if (objectiveValue(w.candidates[bestIndex], o) <
      objectiveValue(w.candidates[w.chosen], o))
    return "smallest format, to meet max-bytes or fit the target's SRAM "
           "(the objective alone picks " +
           formatToString(w.candidates[bestIndex].format) + ")";
  const LinearCost &best = w.candidates[w.chosen];
  const LinearCost *second = nullptr;
  for (size_t i = 0; i < w.candidates.size(); ++i)
    if (i != w.chosen &&
        (!second || objectiveValue(w.candidates[i], o) <
                        objectiveValue(*second, o)))
      second = &w.candidates[i];
  std::string what = o == Objective::Latency  ? "time"
                     : o == Objective::Memory ? "bytes"
                                              : "energy";
  std::string bound = best.computeSeconds >= best.memorySeconds
                          ? "compute-bound"
                          : "memory-bound";
  if (!second)
    return "only legal format (" + bound + ")";
  double a = objectiveValue(best, o), b = objectiveValue(*second, o);
  return llvm::formatv("lowest {0} ({1}); next best {2} is {3:F2}x", what,
                       bound, formatToString(second->format),
                       a > 0 ? b / a : 0.0)
      .str();
}

} // namespace

FailureOr<Selection> selectFormats(ModuleOp module, const TargetDesc &target,
                                   const SelectOptions &options) {
  MLIRContext *ctx = module.getContext();
  Type valueType = options.valueType == "f16"    ? Type(Float16Type::get(ctx))
                   : options.valueType == "bf16" ? Type(BFloat16Type::get(ctx))
                                                 : Type(Float32Type::get(ctx));
  FailureOr<std::map<std::string, WeightOp>> weights = collectWeights(module);
  if (failed(weights))
    return failure();
  // Rows of activation each weight multiplies (from its first linear use).
  std::map<std::string, int64_t> tokens;
  module.walk([&](LinearOp lin) {
    auto w = lin.getWeight().getDefiningOp<WeightOp>();
    if (!w)
      return;
    RankedTensorType in = lin.getInput().getType();
    int64_t rows = 1;
    for (int64_t d : in.getShape().drop_back())
      rows *= ShapedType::isDynamic(d) ? 1 : d;
    tokens.try_emplace(w.getName().str(), rows);
  });

  WeightStore store(module);
  Selection sel;
  for (auto &[name, op] : *weights) {
    auto it = tokens.find(name);
    if (it == tokens.end() || op.getResult().getType().getRank() != 2)
      continue; // not a linear weight: nothing to choose
    WeightChoice w;
    w.op = op;
    w.tokens = it->second;
    FailureOr<WeightStats> stats = weightStats(op, store);
    if (failed(stats))
      return failure();
    w.stats = std::move(*stats);
    sel.weights.push_back(std::move(w));
  }

  // Cost every candidate where the weights would live, choose, and redo
  // the choice off-chip when the chosen formats do not fit in SRAM.
  auto choose = [&](WeightHome home) -> LogicalResult {
    sel.home = home;
    sel.totalBytes = 0;
    for (WeightChoice &w : sel.weights) {
      w.candidates.clear();
      for (FormatAttr f : legalFormats(ctx, w.stats, valueType))
        if (std::optional<LinearCost> c =
                costLinear(w.stats, f, target, w.tokens, home))
          w.candidates.push_back(*c);
      if (w.candidates.empty())
        return w.op.emitError() << "sxf-select-format: target '"
                                << target.name
                                << "' supports no format for this weight";
      w.chosen = 0;
      for (size_t i = 1; i < w.candidates.size(); ++i) {
        double a = objectiveValue(w.candidates[i], options.objective);
        double b = objectiveValue(w.candidates[w.chosen], options.objective);
        if (a < b || (a == b && w.candidates[i].bytes.total() <
                                    w.candidates[w.chosen].bytes.total()))
          w.chosen = i;
      }
      sel.totalBytes += w.candidates[w.chosen].bytes.total();
    }
    return success();
  };
  // Moves the weights that save the most bytes per second of added time to
  // their smallest format until all of them take at most `budget` bytes;
  // false when even the smallest formats do not get there.
  auto shrinkTo = [&](int64_t budget) -> bool {
    if (sel.totalBytes <= budget)
      return true;
    struct Move {
      size_t weight, candidate;
      double score;
    };
    std::vector<Move> moves;
    for (size_t i = 0; i < sel.weights.size(); ++i) {
      WeightChoice &w = sel.weights[i];
      size_t smallest = w.chosen;
      for (size_t k = 0; k < w.candidates.size(); ++k)
        if (w.candidates[k].bytes.total() <
            w.candidates[smallest].bytes.total())
          smallest = k;
      int64_t saved = w.candidates[w.chosen].bytes.total() -
                      w.candidates[smallest].bytes.total();
      if (saved <= 0)
        continue;
      double extra = std::max(1e-15, w.candidates[smallest].seconds -
                                         w.candidates[w.chosen].seconds);
      moves.push_back({i, smallest, double(saved) / extra});
    }
    std::sort(moves.begin(), moves.end(),
              [](const Move &a, const Move &b) { return a.score > b.score; });
    for (const Move &m : moves) {
      if (sel.totalBytes <= budget)
        break;
      WeightChoice &w = sel.weights[m.weight];
      sel.totalBytes += w.candidates[m.candidate].bytes.total() -
                        w.candidates[w.chosen].bytes.total();
      w.chosen = m.candidate;
    }
    return sel.totalBytes <= budget;
  };

  // A dataflow target: weights in SRAM when the formats the objective
  // picks fit there, or else in their smallest formats when those fit (a
  // model held on chip beats faster kernels fed from off-chip memory: at
  // 2048 tokens dense f16 products are faster on an IPU than CSR ones, but
  // the dense 13B does not fit a POD16 and the 80%-sparse one does; every
  // weight goes to its smallest format, not just enough of them to squeeze
  // under the SRAM, because the activations need the rest of it); only
  // when even the smallest formats do not fit are they costed off-chip.
  bool onChipTarget = target.kind != TargetKind::Cpu;
  if (failed(choose(onChipTarget ? WeightHome::Sram : WeightHome::Offchip)))
    return failure();
  if (onChipTarget && sel.totalBytes > target.totalSramBytes()) {
    shrinkTo(0);
    if (sel.totalBytes > target.totalSramBytes() &&
        failed(choose(WeightHome::Offchip)))
      return failure();
  }
  if (!onChipTarget && sel.totalBytes <= target.totalSramBytes() &&
      failed(choose(WeightHome::Sram)))
    return failure();

  // A byte budget of the user's.
  if (options.maxBytes >= 0 && !shrinkTo(options.maxBytes))
    return emitError(module.getLoc())
           << "sxf-select-format: the weights need at least "
           << sel.totalBytes << " bytes in their smallest formats, over "
           << "max-bytes=" << options.maxBytes;

  Builder b(ctx);
  // Weights outside linear layers (biases, norms, lookup tables) are stored
  // dense in the selected value type.
  std::set<Operation *> chosen;
  for (WeightChoice &w : sel.weights)
    chosen.insert(w.op);
  for (auto &[name, op] : *weights)
    if (!chosen.count(op))
      op.setFormatAttr(FormatAttr::get(ctx, StorageKind::dense, 0, 0, 0, 0,
                                       valueType, 32));
  for (WeightChoice &w : sel.weights) {
    w.reason = explain(w, options.objective);
    const LinearCost &c = w.candidates[w.chosen];
    w.op.setFormatAttr(c.format);
    w.op->setAttr("sxf.cost",
                  b.getDictionaryAttr({
                      b.getNamedAttr("target", b.getStringAttr(target.name)),
                      b.getNamedAttr("seconds", b.getF64FloatAttr(c.seconds)),
                      b.getNamedAttr("bytes", b.getI64IntegerAttr(
                                                  c.bytes.total())),
                      b.getNamedAttr("joules", b.getF64FloatAttr(c.joules)),
                  }));
  }
  return sel;
}

} // namespace sxf
