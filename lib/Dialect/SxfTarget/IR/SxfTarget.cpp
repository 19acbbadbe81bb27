//===- SxfTarget.cpp - The target-level IR (sxft) ---------------*- C++ -*-===//

#include "sxf/Dialect/SxfTarget/IR/SxfTarget.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#include "sxf/Dialect/SxfTarget/IR/Layout.h"
#include "sxf/Support/CheckedMath.h"

#include <map>
#include <set>

using namespace mlir;
using namespace sxf::target;

#include "sxf/Dialect/SxfTarget/IR/SxfTargetOpsDialect.cpp.inc"

RegionKind ProgramOp::getRegionKind(unsigned) { return RegionKind::Graph; }

void SxfTargetDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "sxf/Dialect/SxfTarget/IR/SxfTargetOps.cpp.inc"
      >();
}

/// The most bytes (2^50, 1 PiB) and FLOPs (2^60) one op may declare: sums
/// over a program's ops (occupancy, bytes moved, time, energy) then stay far
/// from int64 overflow, which would turn them negative.
static constexpr int64_t kMaxOpBytes = int64_t(1) << 50;
static constexpr int64_t kMaxOpFlops = int64_t(1) << 60;

static LogicalResult checkBytes(Operation *op, int64_t bytes) {
  if (bytes > kMaxOpBytes)
    return op->emitOpError() << "bytes " << bytes << " is more than the "
                             << kMaxOpBytes << " one op may declare";
  return success();
}

LogicalResult ProgramOp::verifyRegions() {
  int64_t units = int64_t(getUnits()), sram = int64_t(getSramPerUnit());
  if (units <= 0 || sram <= 0)
    return emitOpError("needs positive units and sram_per_unit");
  // Analyses keep state per unit: the count is bounded before anything is
  // allocated from it.
  if (units > kMaxUnits)
    return emitOpError() << "declares " << units << " units, more than the "
                         << kMaxUnits << " sxf supports";
  if (int64_t(getTokens()) <= 0 || int64_t(getMicrobatches()) <= 0)
    return emitOpError("needs positive tokens and microbatches");
  if (getKind() != "ipu" && getKind() != "rdu" && getKind() != "cpu")
    return emitOpError() << "kind '" << getKind()
                         << "' is not one of ipu, rdu, cpu";
  std::string error;
  std::map<std::string, PartitionOp> byWeight;
  std::map<Operation *, Layout> layouts;
  int64_t sections = 1;
  for (Operation &op : getBody().front()) {
    if (auto p = dyn_cast<PartitionOp>(op)) {
      std::optional<Layout> l = layoutOf(p, units, error);
      if (!l)
        return p.emitOpError() << error;
      if (int64_t(p.getBytes()) < 0 || int64_t(p.getNnz()) < 0 || int64_t(p.getSection()) < 0)
        return p.emitOpError("bytes, nnz and section must be non-negative");
      if (failed(checkBytes(p, int64_t(p.getBytes()))))
        return failure();
      auto [it, fresh] = byWeight.try_emplace(p.getWeight().str(), p);
      if (!fresh) {
        InFlightDiagnostic d = p.emitOpError()
                               << "partitions weight '" << p.getWeight()
                               << "' a second time: its entries would be "
                                  "held twice";
        d.attachNote(it->second.getLoc()) << "the first partition";
        return d;
      }
      layouts.emplace(p, *l);
      sections = std::max<int64_t>(sections, int64_t(p.getSection()) + 1);
    } else if (auto b = dyn_cast<BufferOp>(op)) {
      std::optional<Layout> l = layoutOf(b, units, error);
      if (!l)
        return b.emitOpError() << error;
      if (int64_t(b.getBytes()) < 0)
        return b.emitOpError("bytes must be non-negative");
      if (failed(checkBytes(b, int64_t(b.getBytes()))))
        return failure();
      layouts.emplace(b, *l);
    } else if (!isa<StepOp>(op)) {
      return op.emitOpError("is not allowed directly in an sxft.program");
    }
  }

  // Steps: operands known and produced before they are read; computes on
  // the units of their weight blocks.
  std::set<Operation *> written;
  for (auto b : getBody().front().getOps<BufferOp>())
    if (b.getInput())
      written.insert(b);
  int64_t lastIndex = -1, lastSection = 0;
  static const std::set<std::string> kinds = {"matmul", "epilogue", "rowwise",
                                              "attention", "gather"};
  for (auto step : getBody().front().getOps<StepOp>()) {
    if (static_cast<int64_t>(int64_t(step.getIndex())) <= lastIndex)
      return step.emitOpError("steps must have increasing indices");
    int64_t section = int64_t(step.getSection());
    if (section < lastSection)
      return step.emitOpError("sections must not decrease from step to step");
    lastIndex = int64_t(step.getIndex());
    lastSection = section;
    sections = std::max(sections, section + 1);
    for (Operation &op : step.getBody().front()) {
      if (auto c = dyn_cast<ComputeOp>(op)) {
        if (!kinds.count(c.getKind().str()))
          return c.emitOpError()
                 << "kind '" << c.getKind()
                 << "' is not one of matmul, epilogue, rowwise, attention, "
                    "gather";
        if (int64_t(c.getUnit()) < 0 || int64_t(c.getUnit()) >= units)
          return c.emitOpError() << "unit " << int64_t(c.getUnit())
                                 << " does not exist (the target has "
                                 << units << " units)";
        if (int64_t(c.getFlops()) < 0)
          return c.emitOpError("flops must be non-negative");
        if (int64_t(c.getFlops()) > kMaxOpFlops)
          return c.emitOpError() << "flops " << int64_t(c.getFlops())
                                 << " is more than the " << kMaxOpFlops
                                 << " one op may declare";
        if (int64_t(c.getSpan()) <= 0 || int64_t(c.getSpan()) > units)
          return c.emitOpError() << "span " << int64_t(c.getSpan())
                                 << " is not between 1 and " << units;
        if (c.getPartitionAttr()) {
          auto p = dyn_cast_or_null<PartitionOp>(
              mlir::SymbolTable::lookupSymbolIn(*this, c.getPartitionAttr()));
          if (!p)
            return c.emitOpError()
                   << "unknown partition " << c.getPartitionAttr();
          const Layout &l = layouts.at(p);
          if (c.getKind() == "matmul" &&
              (int64_t(c.getUnit()) != l.first || int64_t(c.getSpan()) != l.blocks()))
            return c.emitOpError()
                   << "runs on units " << int64_t(c.getUnit()) << " span "
                   << int64_t(c.getSpan()) << " but the blocks of "
                   << c.getPartitionAttr() << " are on units " << l.first
                   << " span " << l.blocks();
        } else if (c.getKind() == "matmul" || c.getKind() == "gather") {
          return c.emitOpError() << "'" << c.getKind()
                                 << "' needs a weight partition";
        }
        for (Attribute a : c.getReads()) {
          Operation *r =
              mlir::SymbolTable::lookupSymbolIn(*this, cast<SymbolRefAttr>(a));
          if (!r || !isa<BufferOp, PartitionOp>(r))
            return c.emitOpError() << "reads unknown buffer " << a;
          if (isa<BufferOp>(r)) {
            if (!written.count(r))
              return c.emitOpError() << "reads buffer " << a
                                     << " before anything has produced it";
          }
        }
        for (Attribute a : c.getWrites()) {
          auto b = dyn_cast_or_null<BufferOp>(
              mlir::SymbolTable::lookupSymbolIn(*this, cast<SymbolRefAttr>(a)));
          if (!b)
            return c.emitOpError() << "writes unknown buffer " << a;
          written.insert(b);
        }
      } else if (auto x = dyn_cast<ExchangeOp>(op)) {
        auto src = dyn_cast_or_null<BufferOp>(
            mlir::SymbolTable::lookupSymbolIn(*this, x.getSourceAttr()));
        auto dst = dyn_cast_or_null<BufferOp>(
            mlir::SymbolTable::lookupSymbolIn(*this, x.getDestAttr()));
        if (!src || !dst)
          return x.emitOpError() << "exchanges unknown buffer "
                                 << (src ? x.getDestAttr()
                                         : x.getSourceAttr());
        if (!written.count(src))
          return x.emitOpError() << "exchanges buffer " << x.getSourceAttr()
                                 << " that no compute has produced";
        if (src.getShape() != dst.getShape())
          return x.emitOpError() << "redistributes " << x.getSourceAttr()
                                 << " into " << x.getDestAttr()
                                 << ", a buffer of another shape";
        if (dst.getPartial())
          return x.emitOpError() << "cannot exchange into the partial-sum "
                                    "buffer "
                                 << x.getDestAttr();
        if (int64_t(x.getBytes()) < 0)
          return x.emitOpError("bytes must be non-negative");
        if (failed(checkBytes(x, int64_t(x.getBytes()))))
          return failure();
        written.insert(dst);
      } else if (auto ld = dyn_cast<LoadOp>(op)) {
        auto p = dyn_cast_or_null<PartitionOp>(
            mlir::SymbolTable::lookupSymbolIn(*this, ld.getPartitionAttr()));
        if (!p)
          return ld.emitOpError()
                 << "loads unknown partition " << ld.getPartitionAttr();
        if (!p.getOffchip() || int64_t(p.getSection()) != section)
          return ld.emitOpError()
                 << "loads " << ld.getPartitionAttr()
                 << ", which is not an off-chip partition of section "
                 << section;
        if (int64_t(ld.getBytes()) < 0)
          return ld.emitOpError("bytes must be non-negative");
        if (failed(checkBytes(ld, int64_t(ld.getBytes()))))
          return failure();
      } else {
        return op.emitOpError("is not allowed in an sxft.step");
      }
    }
  }

  Occupancy occ = computeOccupancy(*this);
  if (occ.worstBytes > sram) {
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

namespace sxf {
namespace target {

Occupancy computeOccupancy(ProgramOp program) {
  int64_t units = int64_t(program.getUnits()), sram = int64_t(program.getSramPerUnit());
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
  auto touch = [&](Attribute sym, int64_t s) {
    Operation *b =
        mlir::SymbolTable::lookupSymbolIn(program, cast<SymbolRefAttr>(sym));
    if (!b || !isa<BufferOp>(b))
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
      bytes = int64_t(p.getBytes());
      if (p.getOffchip()) {
        auto it = sectionSteps.find(int64_t(p.getSection()));
        if (it == sectionSteps.end())
          continue; // a section without steps holds nothing
        std::tie(from, to) = it->second;
      }
    } else if (auto b = dyn_cast<BufferOp>(op)) {
      l = layoutOf(b, units, error);
      bytes = int64_t(b.getBytes());
      auto it = live.find(b);
      if (it == live.end() && !b.getInput() && !b.getOutput())
        continue;
      if (it != live.end())
        std::tie(from, to) = it->second;
      else
        from = to = 0;
      if (b.getInput())
        from = 0;
      if (b.getOutput())
        to = numSteps - 1;
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

} // namespace target
} // namespace sxf

#define GET_OP_CLASSES
#include "sxf/Dialect/SxfTarget/IR/SxfTargetOps.cpp.inc"
