//===- ProgramChecks.cpp - Whole-program checks of an sxft.program ---------===//

#include "sxf/Tile/ProgramChecks.h"
#include "sxf/Tile/PerfModel.h"

#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/SxfTarget/IR/Layout.h"
#include "sxf/Support/CheckedMath.h"
#include "sxf/Support/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include "mlir/IR/Diagnostics.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>

using namespace mlir;

namespace sxf {
namespace target {

ProgramKind programKindOf(TargetKind kind) {
  switch (kind) {
  case TargetKind::Ipu:
    return ProgramKind::ipu;
  case TargetKind::Rdu:
    return ProgramKind::rdu;
  case TargetKind::Cpu:
    return ProgramKind::cpu;
  }
  return ProgramKind::cpu;
}

Occupancy computeOccupancy(ProgramOp program) {
  int64_t units = program.getUnits(), sram = program.getSramPerUnit();
  mlir::Block &body = program.getBody().front();
  // Steps in order, with their sections.
  std::vector<StepOp> steps(body.getOps<StepOp>().begin(),
                            body.getOps<StepOp>().end());
  int64_t numSteps = std::max<size_t>(1, steps.size());
  std::map<int64_t, std::pair<int64_t, int64_t>> sectionSteps;
  for (size_t s = 0; s < steps.size(); ++s) {
    auto [it, fresh] = sectionSteps.try_emplace(steps[s].getSection(), s, s);
    if (!fresh)
      it->second.second = s;
  }
  // Live step range of each buffer.
  std::map<Operation *, std::pair<int64_t, int64_t>> live;
  // Steps that use each partition streamed in pieces (held only there).
  std::map<Operation *, std::set<int64_t>> pieceSteps;
  auto touch = [&](Attribute sym, int64_t s) {
    Operation *b =
        mlir::SymbolTable::lookupSymbolIn(program, cast<SymbolRefAttr>(sym));
    auto p = dyn_cast_or_null<PartitionOp>(b);
    if (p && p.getPieces() > 1)
      pieceSteps[b].insert(s);
    if (!b || !(isa<BufferOp>(b) || (p && p.getBroadcast())))
      return;
    auto [it, fresh] = live.try_emplace(b, s, s);
    if (!fresh) {
      it->second.first = std::min(it->second.first, s);
      it->second.second = std::max(it->second.second, s);
    }
  };
  for (size_t s = 0; s < steps.size(); ++s)
    for (Operation &op : steps[s].getBody().front()) {
      if (auto c = dyn_cast<ComputeOp>(op)) {
        for (Attribute a : c.getReads())
          touch(a, s);
        for (Attribute a : c.getWrites())
          touch(a, s);
        if (c.getPartitionAttr())
          touch(c.getPartitionAttr(), s);
      } else if (auto x = dyn_cast<ExchangeOp>(op)) {
        touch(x.getSourceAttr(), s);
        touch(x.getDestAttr(), s);
      }
    }
  struct Holder {
    Operation *op;
    Layout layout;
    int64_t bytes, from, to;
  };
  std::vector<Holder> holders;
  std::string error;
  for (Operation &op : body) {
    std::optional<Layout> l;
    int64_t from = 0, to = numSteps - 1, bytes = 0;
    if (auto p = dyn_cast<PartitionOp>(op)) {
      l = layoutOf(p, units, error);
      bytes = p.getBytes() + int64_t(p.getStateBytes());
      if (p.getOffchip()) {
        auto it = sectionSteps.find(p.getSection());
        if (it == sectionSteps.end())
          continue; // a section without steps holds nothing
        std::tie(from, to) = it->second;
      }
      if (p.getPieces() > 1) {
        // Streamed through the steps that use it, a slice at a time.
        if (l)
          for (int64_t s : pieceSteps[p])
            holders.push_back({&op, *l, bytes, s, s});
        continue;
      }
      if (l && p.getBroadcast() && l->replicas > 1) {
        // The resident copy spread over the partition's units, every
        // replica whole only while the steps that read it run.
        auto reads = live.find(p);
        if (reads != live.end())
          holders.push_back({&op, *l, bytes, reads->second.first,
                             reads->second.second});
        bytes = (bytes + l->span() - 1) / l->span();
      }
    } else if (auto b = dyn_cast<BufferOp>(op)) {
      l = layoutOf(b, units, error);
      bytes = b.getBytes();
      auto it = live.find(b);
      if (it == live.end() && !b.getInput() && !b.getOutput())
        continue;
      if (it != live.end())
        std::tie(from, to) = it->second;
      else if (b.getOutput())
        from = to = numSteps - 1;
      else
        from = to = 0;
      // An entry argument is written by the host just before its first
      // reader, and an entry result read by it right after the last step
      // that touches it (sparse-sim charges both transfers there): a decode
      // step's KV cache of a later layer holds no SRAM before its layer, nor
      // the updated cache of an earlier one after it.
    } else {
      continue;
    }
    if (l)
      holders.push_back({&op, *l, bytes, from, to});
  }
  std::vector<std::vector<size_t>> starts(numSteps), ends(numSteps);
  for (size_t h = 0; h < holders.size(); ++h) {
    starts[holders[h].from].push_back(h);
    ends[holders[h].to].push_back(h);
  }
  Occupancy occ;
  occ.peak.assign(units, 0);
  std::vector<int64_t> cur(units, 0), worstStep(units, 0);
  auto apply = [&](const Holder &h, int64_t sign) {
    int64_t span = h.layout.span();
    for (int64_t k = 0; k < span; ++k) {
      int64_t u = (h.layout.first + k) % units;
      cur[u] += sign * h.bytes;
    }
  };
  for (int64_t s = 0; s < numSteps; ++s) {
    for (size_t h : starts[s])
      apply(holders[h], +1);
    for (int64_t u = 0; u < units; ++u)
      if (cur[u] > occ.peak[u]) {
        occ.peak[u] = cur[u];
        worstStep[u] = s;
      }
    for (size_t h : ends[s])
      apply(holders[h], -1);
  }
  for (int64_t u = 0; u < units; ++u) {
    if (occ.peak[u] > sram)
      ++occ.unitsOver;
    if (occ.peak[u] > occ.worstBytes) {
      occ.worstBytes = occ.peak[u];
      occ.worstUnit = u;
    }
  }
  if (occ.worstUnit >= 0) {
    int64_t s = worstStep[occ.worstUnit];
    occ.worstSection = steps.empty() ? 0 : steps[s].getSection();
    // The largest holder on the worst unit at its peak.
    int64_t largest = -1;
    for (const Holder &h : holders) {
      int64_t off = ((occ.worstUnit - h.layout.first) % units + units) % units;
      if (s >= h.from && s <= h.to && off < h.layout.span() &&
          h.bytes > largest) {
        occ.culprit = h.op;
        largest = h.bytes;
      }
    }
  }
  return occ;
}

LogicalResult checkProgram(ProgramOp program) {
  Block &body = program.getBody().front();
  SymbolTableCollection symbols;
  // Each weight partitioned once: its entries are held once. A streamed
  // training step loads copies of a weight where its ops run, every one of
  // them off-chip.
  std::map<StringRef, PartitionOp> byWeight;
  int64_t sections = 1;
  for (auto p : body.getOps<PartitionOp>()) {
    auto [it, fresh] = byWeight.try_emplace(p.getWeight(), p);
    if (!fresh && (!p.getOffchip() || !it->second.getOffchip())) {
      InFlightDiagnostic d = p.emitOpError()
                             << "partitions weight '" << p.getWeight()
                             << "' a second time: its entries would be "
                                "held twice (copies of a weight are all "
                                "off-chip, each loaded in its section)";
      d.attachNote(it->second.getLoc()) << "the first partition";
      return d;
    }
    sections = std::max<int64_t>(sections, p.getSection() + 1);
  }

  // A buffer's `bytes` (what the occupancy counts) holds its largest block,
  // or one slice of it when streamed: activations are fp32 in sxft.
  for (auto b : body.getOps<BufferOp>()) {
    std::string error;
    std::optional<Layout> l =
        layoutOf(b, int64_t(program.getUnits()), error);
    if (!l)
      continue; // the verifier reports a malformed layout
    if (std::optional<StringRef> stored = b.getStored()) {
      // A weight gradient at the stored positions of a partition cut alike.
      auto p = dyn_cast_or_null<PartitionOp>(
          mlir::SymbolTable::lookupSymbolIn(program, *stored));
      std::optional<Layout> pl =
          p ? layoutOf(p, int64_t(program.getUnits()), error) : std::nullopt;
      if (!pl || pl->rowCuts != l->rowCuts || pl->colCuts != l->colCuts)
        return b.emitOpError() << "stored = @" << *stored
                               << " is not a partition cut like the buffer";
      // Streamed in pieces: one piece's gradient at a time.
      int64_t pieces = int64_t(p.getPieces());
      int64_t entries = (int64_t(p.getNnz()) + pieces - 1) / pieces;
      int64_t needed = entries * kActivationBytes;
      if (int64_t(b.getBytes()) < needed)
        return b.emitOpError() << "bytes " << int64_t(b.getBytes())
                               << " is less than the largest block"
                               << (pieces > 1 ? " piece" : "") << "'s "
                               << entries << " stored entries need in fp32 ("
                               << needed << " bytes)";
      continue;
    }
    int64_t chunks = std::max<int64_t>(1, int64_t(b.getChunks()));
    int64_t rows = (l->maxBlockRows() + chunks - 1) / chunks;
    int64_t needed = rows * l->maxBlockCols() * kActivationBytes;
    if (int64_t(b.getBytes()) < needed)
      return b.emitOpError()
             << "bytes " << int64_t(b.getBytes())
             << " is less than its largest block"
             << (chunks > 1 ? " slice" : "") << " needs: " << rows << " x "
             << l->maxBlockCols() << " fp32 = " << needed << " bytes";
  }

  // Buffers produced before they are read, step by step.
  std::set<Operation *> written;
  for (auto b : body.getOps<BufferOp>())
    if (b.getInput())
      written.insert(b);
  auto lookup = [&](Operation *from, Attribute sym) {
    return symbols.lookupNearestSymbolFrom(from, cast<SymbolRefAttr>(sym));
  };
  // A streamed buffer (chunks > 1) is only ever held one slice at a time:
  // every step that touches it must run in as many slices (a streamed entry
  // argument or result crosses the host link slice by slice, in the one
  // step that reads or writes it).
  auto checkChunks = [&](Operation *user, StepOp step,
                         Attribute sym) -> LogicalResult {
    auto b = dyn_cast_or_null<BufferOp>(lookup(user, sym));
    if (b && b.getChunks() > 1 && b.getChunks() != step.getChunks())
      return user->emitOpError()
             << "uses buffer " << sym << ", streamed in " << b.getChunks()
             << " chunks, in a step of " << step.getChunks()
             << " chunk(s)";
    return success();
  };
  std::map<Operation *, std::set<Operation *>> hostStreamedSteps;
  for (auto b : body.getOps<BufferOp>())
    if (b.getChunks() > 1 && (b.getInput() || b.getOutput()))
      hostStreamedSteps[b];
  for (auto step : body.getOps<StepOp>()) {
    sections = std::max<int64_t>(sections, step.getSection() + 1);
    for (Operation &op : step.getBody().front()) {
      SmallVector<Attribute> syms;
      if (auto c = dyn_cast<ComputeOp>(op)) {
        syms.append(c.getReads().begin(), c.getReads().end());
        syms.append(c.getWrites().begin(), c.getWrites().end());
      } else if (auto x = dyn_cast<ExchangeOp>(op)) {
        syms = {x.getSourceAttr(), x.getDestAttr()};
      }
      for (Attribute a : syms) {
        if (failed(checkChunks(&op, step, a)))
          return failure();
        auto it = hostStreamedSteps.find(lookup(&op, a));
        if (it != hostStreamedSteps.end())
          it->second.insert(step);
      }
    }
  }
  for (auto &[op, steps] : hostStreamedSteps)
    if (steps.size() != 1) {
      auto b = cast<BufferOp>(op);
      return b.emitOpError()
             << "is an entry " << (b.getInput() ? "argument" : "result")
             << " streamed in " << b.getChunks()
             << " chunks, which the host "
             << (b.getInput() ? "writes" : "reads")
             << " slice by slice during the one step that uses it, but "
             << steps.size() << " steps use it";
    }
  // An off-chip partition is in SRAM only in its section, once an
  // sxft.load there has brought it (streamed in pieces: in each step that
  // loads it); a weight is updated at most once, and an off-chip partition
  // an update changes is written back by one sxft.store in its step.
  std::map<StringRef, ComputeOp> updateOf;
  std::set<Operation *> stored;
  std::set<Operation *> loadedInSection;
  int64_t loadSection = -1;
  for (auto step : body.getOps<StepOp>()) {
    if (int64_t(step.getSection()) != loadSection) {
      loadedInSection.clear();
      loadSection = step.getSection();
    }
    std::set<Operation *> loadedInStep;
    std::map<Operation *, ComputeOp> toStore;
    for (Operation &op : step.getBody().front()) {
      if (auto ld = dyn_cast<LoadOp>(op)) {
        Operation *q = lookup(ld, ld.getPartitionAttr());
        bool fresh = cast<PartitionOp>(q).getPieces() > 1
                         ? loadedInStep.insert(q).second
                         : loadedInSection.insert(q).second;
        if (!fresh)
          return ld.emitOpError()
                 << "loads " << ld.getPartitionAttr() << " a second time in "
                 << (cast<PartitionOp>(q).getPieces() > 1 ? "its step"
                                                          : "its section");
        continue;
      }
      if (auto st = dyn_cast<StoreOp>(op)) {
        Operation *q = lookup(st, st.getPartitionAttr());
        if (!stored.insert(q).second)
          return st.emitOpError()
                 << "stores " << st.getPartitionAttr() << " a second time";
        toStore.erase(q);
        continue;
      }
      auto c = dyn_cast<ComputeOp>(op);
      if (!c)
        continue;
      SmallVector<Attribute> syms(c.getReads().begin(), c.getReads().end());
      if (c.getPartitionAttr())
        syms.push_back(c.getPartitionAttr());
      for (Attribute a : syms) {
        auto q = dyn_cast_or_null<PartitionOp>(lookup(c, a));
        if (!q || !q.getOffchip())
          continue;
        if (q.getPieces() == 1 && q.getSection() != step.getSection())
          return c.emitOpError()
                 << "uses partition @" << q.getSymName()
                 << ", which is off-chip and in SRAM only in section "
                 << q.getSection() << ", not in this step's section "
                 << step.getSection();
        if (!(q.getPieces() > 1 ? loadedInStep : loadedInSection).count(q))
          return c.emitOpError()
                 << "uses off-chip partition @" << q.getSymName()
                 << " before an sxft.load "
                 << (q.getPieces() > 1 ? "in its step (it is streamed in "
                                         "pieces)"
                                       : "in its section")
                 << " has brought it";
      }
      auto p = c.getPartitionAttr()
                   ? dyn_cast_or_null<PartitionOp>(
                         lookup(c, c.getPartitionAttr()))
                   : PartitionOp();
      if (p && c.getKind() == ComputeKind::update) {
        auto [it, fresh] = updateOf.try_emplace(p.getWeight(), c);
        if (!fresh) {
          InFlightDiagnostic d = c.emitOpError()
                                 << "updates weight '" << p.getWeight()
                                 << "' a second time";
          d.attachNote(it->second.getLoc()) << "the first update";
          return d;
        }
        if (p.getOffchip())
          toStore[p] = c;
      }
    }
    if (!toStore.empty()) {
      auto [p, c] = *toStore.begin();
      return c.emitOpError() << "updates off-chip partition @"
                             << cast<PartitionOp>(p).getSymName()
                             << " but no sxft.store after it in its step "
                                "writes it back (the next run would load the "
                                "old weights)";
    }
  }
  for (auto step : body.getOps<StepOp>()) {
    for (Operation &op : step.getBody().front()) {
      if (auto c = dyn_cast<ComputeOp>(op)) {
        for (Attribute a : c.getReads()) {
          Operation *r = lookup(c, a);
          if (isa_and_nonnull<BufferOp>(r) && !written.count(r))
            return c.emitOpError() << "reads buffer " << a
                                   << " before anything has produced it";
        }
        for (Attribute a : c.getWrites())
          if (Operation *w = lookup(c, a))
            written.insert(w);
      } else if (auto x = dyn_cast<ExchangeOp>(op)) {
        Operation *src = lookup(x, x.getSourceAttr());
        if (!written.count(src))
          return x.emitOpError() << "exchanges buffer " << x.getSourceAttr()
                                 << " that no compute has produced";
        if (Operation *dst = lookup(x, x.getDestAttr()))
          written.insert(dst);
      } else if (isa<LoadOp, StoreOp>(op)) {
        // Loads bring weights, which are always there to read; stores
        // write them back.
      }
    }
  }

  // No unit over its SRAM.
  int64_t sram = program.getSramPerUnit();
  Occupancy occ = computeOccupancy(program);
  if (occ.worstBytes > sram && occ.culprit) {
    InFlightDiagnostic d = occ.culprit->emitOpError()
                           << "unit " << occ.worstUnit << " holds "
                           << occ.worstBytes << " bytes";
    if (sections > 1)
      d << " in section " << occ.worstSection;
    d << ", over its " << sram << "-byte SRAM by " << occ.worstBytes - sram;
    if (occ.unitsOver > 1)
      d << " (" << occ.unitsOver << " units are over)";
    return d;
  }
  return success();
}

Layout reduceRowsLayout(ProgramOp program, ComputeOp c, int64_t units) {
  std::optional<Layout> best;
  std::string error;
  for (Attribute a : c.getReads())
    if (auto b = dyn_cast_or_null<BufferOp>(
            mlir::SymbolTable::lookupSymbolIn(program,
                                              cast<SymbolRefAttr>(a))))
      if (std::optional<Layout> l = layoutOf(b, units, error))
        if (!best || l->cols > best->cols)
          best = l;
  // The verifier and checkAgainstModel ran: a reduce reads a buffer.
  return best ? *best : Layout();
}

Value weightOperandOf(Operation *op) {
  if (auto l = dyn_cast<LinearOp>(op))
    return l.getWeight();
  if (auto g = dyn_cast<LinearGradInputOp>(op))
    return g.getW();
  if (auto g = dyn_cast<LinearGradWeightOp>(op))
    return g.getW();
  if (auto e = dyn_cast<EmbeddingOp>(op))
    return e.getTable();
  return Value();
}

LogicalResult checkAgainstModel(ModuleOp module, ProgramOp program) {
  auto func = module.lookupSymbol<func::FuncOp>(program.getEntry());
  if (!func)
    return program.emitError() << "sparse-sim: no function "
                               << program.getEntry() << " in the module";
  int64_t units = program.getUnits();
  int64_t largest = 0;
  auto note = [&](Value v) {
    if (auto t = dyn_cast<RankedTensorType>(v.getType()))
      if (t.hasStaticShape())
        largest = std::max<int64_t>(largest, t.getNumElements());
  };
  std::map<std::string, WeightOp> byName;
  for (BlockArgument a : func.getArguments())
    note(a);
  func.walk([&](Operation *op) {
    for (Value r : op->getResults())
      note(r);
    if (auto w = dyn_cast<WeightOp>(op))
      byName.emplace(w.getName().str(), w);
  });
  std::string error;
  for (Operation &op : program.getBody().front()) {
    if (auto p = dyn_cast<PartitionOp>(op)) {
      auto it = byName.find(p.getWeight().str());
      if (it == byName.end())
        return p.emitError() << "sparse-sim: partition @" << p.getSymName()
                             << " is of weight '" << p.getWeight()
                             << "', which the entry does not hold";
      auto t = cast<RankedTensorType>(it->second.getType());
      // The simulator's 2-D view of a weight: [leading extents, last].
      int64_t cols = t.getRank() ? t.getShape().back() : 1;
      std::optional<int64_t> rows =
          t.getRank() ? checkedElements(t.getShape().drop_back())
                      : std::optional<int64_t>(1);
      ArrayRef<int64_t> shape = p.getShape();
      if (!rows || shape.size() != 2 || shape[0] != *rows ||
          shape[1] != cols)
        return p.emitError() << "sparse-sim: partition @" << p.getSymName()
                             << " cuts a "
                             << shapeToString(std::vector<int64_t>(
                                    shape.begin(), shape.end()))
                             << " weight but '" << p.getWeight() << "' is "
                             << t << " (2-D view [" << (rows ? *rows : -1)
                             << ", " << cols << "])";
    } else if (auto b = dyn_cast<BufferOp>(op)) {
      Layout l = *layoutOf(b, units, error);
      if (l.rows * l.cols > largest)
        return b.emitError() << "sparse-sim: buffer @" << b.getSymName()
                             << " holds " << l.rows * l.cols
                             << " elements, more than the largest value of "
                                "the model ("
                             << largest << ")";
      auto results = func.getBody().front().getTerminator()->getOperands();
      if (std::optional<uint64_t> out = b.getOutput()) {
        if (int64_t(*out) < 0 || int64_t(*out) >= int64_t(results.size()))
          return b.emitError() << "sparse-sim: output " << int64_t(*out)
                               << " does not exist (the entry has "
                               << results.size() << " results)";
        auto rt = dyn_cast<RankedTensorType>(results[*out].getType());
        if (!rt || !rt.hasStaticShape() ||
            rt.getNumElements() != l.rows * l.cols)
          return b.emitError() << "sparse-sim: output buffer @"
                               << b.getSymName() << " holds "
                               << l.rows * l.cols << " elements for result "
                               << int64_t(*out) << " of type "
                               << results[*out].getType();
      }
    }
  }
  // Each compute runs the sxf op it is tagged with, as a kind of that op,
  // over the partition of the weight that op reads.
  std::map<int64_t, Operation *> ops;
  func.walk([&](Operation *op) {
    if (auto id = op->getAttrOfType<IntegerAttr>("sxft.op"))
      ops[id.getInt()] = op;
  });
  // Which result each buffer holds: the one the compute that wrote it makes
  // at that position of its writes (a multi-result op writes its results in
  // order), carried through exchanges.
  std::map<Operation *, std::pair<int64_t, unsigned>> holds;
  for (auto step : program.getBody().front().getOps<StepOp>())
    for (Operation &o : step.getBody().front()) {
      if (auto c = dyn_cast<ComputeOp>(o)) {
        for (auto [n, a] : llvm::enumerate(c.getWrites()))
          if (Operation *b = SymbolTable::lookupSymbolIn(
                  program, cast<SymbolRefAttr>(a)))
            holds[b] = {int64_t(c.getOp()), unsigned(n)};
      } else if (auto x = dyn_cast<ExchangeOp>(o)) {
        auto src = holds.find(
            SymbolTable::lookupSymbolIn(program, x.getSourceAttr()));
        if (src != holds.end())
          if (Operation *d =
                  SymbolTable::lookupSymbolIn(program, x.getDestAttr()))
            holds[d] = src->second;
      }
    }
  for (auto step : program.getBody().front().getOps<StepOp>())
    for (auto c : step.getBody().front().getOps<ComputeOp>()) {
      auto it = ops.find(int64_t(c.getOp()));
      if (it == ops.end())
        return c.emitError() << "sparse-sim: no sxf op is tagged sxft.op = "
                             << int64_t(c.getOp()) << " (re-run sxf-tile)";
      Operation *op = it->second;
      ComputeKind kind = c.getKind();
      StringRef kindName = stringifyComputeKind(kind);
      // The kind decides how the op is read below: it must be a kind of that op
      // (a relabelled step would otherwise read a linear as an attention).
      bool matches = false;
      switch (kind) {
      case ComputeKind::matmul:
      case ComputeKind::epilogue:
        matches = isa<LinearOp>(op);
        break;
      case ComputeKind::gather:
        matches = isa<EmbeddingOp>(op);
        break;
      case ComputeKind::attention:
        matches = isa<AttentionOp, AttentionGradOp>(op);
        break;
      case ComputeKind::matmul_t:
        matches = isa<LinearGradInputOp>(op);
        break;
      case ComputeKind::sddmm:
        matches = isa<LinearGradWeightOp>(op);
        break;
      case ComputeKind::reduce:
        matches = isa<ReduceSumOp, LayerNormGradOp, RmsNormGradOp,
                      EmbeddingGradOp, PositionGradOp, CrossEntropyOp>(op);
        break;
      case ComputeKind::update:
        // Tagged with the op that makes the gradient; the partition is
        // checked below against the weight the entry's result names.
        matches = true;
        break;
      case ComputeKind::append:
        matches = isa<KvAppendOp>(op);
        break;
      case ComputeKind::rowwise:
        matches = isa<LayerNormOp, LinearOp, RmsNormOp, SoftmaxOp, ActivationOp,
                      AddOp, SplitOp, ActivationGradOp, SoftmaxGradOp,
                      LayerNormGradOp, RmsNormGradOp, ConcatOp,
                      CrossEntropyGradOp>(op);
        break;
      }
      if (!matches)
        return c.emitError() << "sparse-sim: a '" << kindName
                             << "' compute cannot run '" << op->getName()
                             << "' (sxft.op = " << int64_t(c.getOp()) << ")";
      if (kind == ComputeKind::update) {
        auto p = dyn_cast_or_null<PartitionOp>(
            c.getPartitionAttr()
                ? SymbolTable::lookupSymbolIn(program, c.getPartitionAttr())
                : nullptr);
        auto g = c.getReads().empty()
                     ? BufferOp()
                     : dyn_cast_or_null<BufferOp>(SymbolTable::lookupSymbolIn(
                           program, cast<SymbolRefAttr>(c.getReads()[0])));
        if (!p || !g || p.getShape() != g.getShape())
          return c.emitError()
                 << "sparse-sim: an 'update' reads a gradient buffer shaped "
                    "like the partition it updates";
        // The gradient it reads is the entry's result naming the weight:
        // the very result of the op that made the buffer.
        Value produced;
        if (auto h = holds.find(g); h != holds.end())
          if (auto d = ops.find(h->second.first);
              d != ops.end() && h->second.second < d->second->getNumResults())
            produced = d->second->getResult(h->second.second);
        bool named = false;
        for (unsigned k = 0; k < func.getNumResults(); ++k)
          if (auto of = func.getResultAttrOfType<StringAttr>(
                  k, "sxf.gradient_of"))
            named |= of.getValue() == p.getWeight() && produced &&
                     func.getBody().front().getTerminator()->getOperand(k) ==
                         produced;
        if (!named)
          return c.emitError() << "sparse-sim: the 'update' of @"
                               << p.getSymName() << " reads what sxft.op = "
                               << int64_t(c.getOp())
                               << " makes, which is not the entry's "
                                  "gradient of '"
                               << p.getWeight() << "'";
        continue;
      }
      if (c.getWrites().empty())
        return c.emitError("sparse-sim: the compute writes no buffer");
      bool onWeight = kind == ComputeKind::matmul ||
                      kind == ComputeKind::matmul_t ||
                      kind == ComputeKind::sddmm ||
                      kind == ComputeKind::gather;
      if (onWeight &&
          !dyn_cast_or_null<PartitionOp>(
              c.getPartitionAttr() ? SymbolTable::lookupSymbolIn(
                                         program, c.getPartitionAttr())
                                   : nullptr))
        return c.emitError() << "sparse-sim: a '" << kindName
                             << "' compute needs the partition of its weight";
      if (onWeight) {
        // The partition must cut the weight the op reads (checked against that
        // weight's shape up front): a compute pointed at another weight's
        // partition would slice this one with the other's cuts.
        auto p = cast<PartitionOp>(
            SymbolTable::lookupSymbolIn(program, c.getPartitionAttr()));
        Value read = weightOperandOf(op);
        auto w = read.getDefiningOp<WeightOp>();
        if (!w || w.getName() != p.getWeight())
          return c.emitError() << "sparse-sim: the compute's partition @"
                               << p.getSymName() << " cuts weight '"
                               << p.getWeight() << "' but '" << op->getName()
                               << "' reads "
                               << (w ? "'" + w.getName().str() + "'"
                                     : std::string("an activation"));
      }
      // What it writes is the op's result (a compute retagged onto another
      // op of the same kind would otherwise run that op's semantics).
      if (op->getNumResults() == 1 && !isa<SplitOp>(op)) {
        auto rt = dyn_cast<RankedTensorType>(op->getResult(0).getType());
        auto out = dyn_cast_or_null<BufferOp>(SymbolTable::lookupSymbolIn(
            program, cast<SymbolRefAttr>(c.getWrites()[0])));
        if (rt && rt.hasStaticShape() && out &&
            out.getShape()[0] * out.getShape()[1] != rt.getNumElements())
          return c.emitError()
                 << "sparse-sim: the compute writes @" << out.getSymName()
                 << " (" << out.getShape()[0] << " x " << out.getShape()[1]
                 << ") but '" << op->getName() << "' (sxft.op = "
                 << int64_t(c.getOp()) << ") produces " << rt;
      }
    }
  return success();
}


} // namespace target
} // namespace sxf
