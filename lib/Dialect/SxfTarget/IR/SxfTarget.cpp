//===- SxfTarget.cpp - The target-level IR (sxft) ---------------*- C++ -*-===//

#include "sxf/Dialect/SxfTarget/IR/SxfTarget.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#include "sxf/Dialect/SxfTarget/IR/Layout.h"

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

static bool isInSpan(int64_t unit, int64_t first, int64_t span,
                     int64_t units) {
  int64_t off = ((unit - first) % units + units) % units;
  return off < span;
}

LogicalResult ProgramOp::verifyRegions() {
  int64_t units = getUnits(), sram = getSramPerUnit();
  if (units <= 0 || sram <= 0)
    return emitOpError("needs positive units and sram_per_unit");
  if (getTokens() <= 0 || getMicrobatches() <= 0)
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
      if (p.getBytes() < 0 || p.getNnz() < 0 || p.getSection() < 0)
        return p.emitOpError("bytes, nnz and section must be non-negative");
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
      sections = std::max<int64_t>(sections, p.getSection() + 1);
    } else if (auto b = dyn_cast<BufferOp>(op)) {
      std::optional<Layout> l = layoutOf(b, units, error);
      if (!l)
        return b.emitOpError() << error;
      if (b.getBytes() < 0)
        return b.emitOpError("bytes must be non-negative");
      layouts.emplace(b, *l);
    } else if (!isa<StepOp>(op)) {
      return op.emitOpError("is not allowed directly in an sxft.program");
    }
  }

  // Steps: operands known and produced before they are read; computes on
  // the units of their weight blocks. Records each buffer's live sections.
  std::set<Operation *> written;
  for (auto b : getBody().front().getOps<BufferOp>())
    if (b.getInput())
      written.insert(b);
  std::map<Operation *, std::pair<int64_t, int64_t>> live;
  auto touch = [&](Operation *b, int64_t section) {
    auto [it, fresh] = live.try_emplace(b, section, section);
    if (!fresh) {
      it->second.first = std::min(it->second.first, section);
      it->second.second = std::max(it->second.second, section);
    }
  };
  int64_t lastIndex = -1, lastSection = 0;
  static const std::set<std::string> kinds = {"matmul", "epilogue", "rowwise",
                                              "attention", "gather"};
  for (auto step : getBody().front().getOps<StepOp>()) {
    if (static_cast<int64_t>(step.getIndex()) <= lastIndex)
      return step.emitOpError("steps must have increasing indices");
    int64_t section = step.getSection();
    if (section < lastSection)
      return step.emitOpError("sections must not decrease from step to step");
    lastIndex = step.getIndex();
    lastSection = section;
    sections = std::max(sections, section + 1);
    for (Operation &op : step.getBody().front()) {
      if (auto c = dyn_cast<ComputeOp>(op)) {
        if (!kinds.count(c.getKind().str()))
          return c.emitOpError()
                 << "kind '" << c.getKind()
                 << "' is not one of matmul, epilogue, rowwise, attention, "
                    "gather";
        if (c.getUnit() < 0 || c.getUnit() >= units)
          return c.emitOpError() << "unit " << c.getUnit()
                                 << " does not exist (the target has "
                                 << units << " units)";
        if (c.getSpan() <= 0 || c.getSpan() > units)
          return c.emitOpError() << "span " << c.getSpan()
                                 << " is not between 1 and " << units;
        if (c.getPartitionAttr()) {
          auto p = dyn_cast_or_null<PartitionOp>(
              mlir::SymbolTable::lookupSymbolIn(*this, c.getPartitionAttr()));
          if (!p)
            return c.emitOpError()
                   << "unknown partition " << c.getPartitionAttr();
          const Layout &l = layouts.at(p);
          if (c.getKind() == "matmul" &&
              (c.getUnit() != l.first || c.getSpan() != l.blocks()))
            return c.emitOpError()
                   << "runs on units " << c.getUnit() << " span "
                   << c.getSpan() << " but the blocks of "
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
            touch(r, section);
          }
        }
        for (Attribute a : c.getWrites()) {
          auto b = dyn_cast_or_null<BufferOp>(
              mlir::SymbolTable::lookupSymbolIn(*this, cast<SymbolRefAttr>(a)));
          if (!b)
            return c.emitOpError() << "writes unknown buffer " << a;
          written.insert(b);
          touch(b, section);
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
        if (x.getBytes() < 0)
          return x.emitOpError("bytes must be non-negative");
        written.insert(dst);
        touch(src, section);
        touch(dst, section);
      } else if (auto ld = dyn_cast<LoadOp>(op)) {
        auto p = dyn_cast_or_null<PartitionOp>(
            mlir::SymbolTable::lookupSymbolIn(*this, ld.getPartitionAttr()));
        if (!p)
          return ld.emitOpError()
                 << "loads unknown partition " << ld.getPartitionAttr();
        if (!p.getOffchip() || p.getSection() != section)
          return ld.emitOpError()
                 << "loads " << ld.getPartitionAttr()
                 << ", which is not an off-chip partition of section "
                 << section;
      } else {
        return op.emitOpError("is not allowed in an sxft.step");
      }
    }
  }

  // SRAM: per section, everything resident on each unit. Partitions are
  // resident in every section unless off-chip (then in theirs); buffers
  // from the first to the last section that uses them (inputs from the
  // start, outputs to the end).
  std::vector<std::vector<int64_t>> diff(sections,
                                         std::vector<int64_t>(units + 1, 0));
  auto add = [&](std::vector<int64_t> &d, const Layout &l, int64_t bytes) {
    int64_t a = l.first, span = l.span();
    if (a + span <= units) {
      d[a] += bytes;
      d[a + span] -= bytes;
    } else {
      d[a] += bytes;
      d[units] -= bytes;
      d[0] += bytes;
      d[a + span - units] -= bytes;
    }
  };
  std::vector<std::pair<Operation *, std::pair<int64_t, int64_t>>> holders;
  for (Operation &op : getBody().front()) {
    std::pair<int64_t, int64_t> range;
    int64_t bytes;
    if (auto p = dyn_cast<PartitionOp>(op)) {
      range = p.getOffchip()
                  ? std::make_pair<int64_t, int64_t>(p.getSection(),
                                                     p.getSection())
                  : std::make_pair<int64_t, int64_t>(0, sections - 1);
      bytes = p.getBytes();
    } else if (auto b = dyn_cast<BufferOp>(op)) {
      auto it = live.find(b);
      if (it == live.end() && !b.getInput())
        continue;
      range = it == live.end() ? std::make_pair<int64_t, int64_t>(0, 0)
                               : it->second;
      if (b.getInput())
        range.first = 0;
      if (b.getOutput())
        range.second = sections - 1;
      bytes = b.getBytes();
    } else {
      continue;
    }
    for (int64_t s = range.first; s <= range.second; ++s)
      add(diff[s], layouts.at(&op), bytes);
    holders.push_back({&op, range});
  }
  for (int64_t s = 0; s < sections; ++s) {
    int64_t held = 0, worstUnit = -1, worst = 0, over = 0;
    for (int64_t u = 0; u < units; ++u) {
      held += diff[s][u];
      if (held > sram) {
        ++over;
        if (held > worst) {
          worst = held;
          worstUnit = u;
        }
      }
    }
    if (worstUnit < 0)
      continue;
    Operation *culprit = nullptr;
    for (auto &[op, range] : holders) {
      const Layout &l = layouts.at(op);
      if (s >= range.first && s <= range.second &&
          isInSpan(worstUnit, l.first, l.span(), units)) {
        culprit = op;
        break;
      }
    }
    InFlightDiagnostic d = culprit->emitOpError()
                           << "unit " << worstUnit << " holds " << worst
                           << " bytes";
    if (sections > 1)
      d << " in section " << s;
    d << ", over its " << sram << "-byte SRAM by " << worst - sram;
    if (over > 1)
      d << " (" << over << " units are over)";
    return d;
  }
  return success();
}

#define GET_OP_CLASSES
#include "sxf/Dialect/SxfTarget/IR/SxfTargetOps.cpp.inc"
