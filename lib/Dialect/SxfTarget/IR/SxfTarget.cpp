//===- SxfTarget.cpp - The target-level IR (sxft) ---------------*- C++ -*-===//

#include "sxf/Dialect/SxfTarget/IR/SxfTarget.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

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

/// Checks a unit id against the program's unit count.
static LogicalResult checkUnit(Operation *op, int64_t unit, int64_t units) {
  if (unit < 0 || unit >= units)
    return op->emitOpError() << "unit " << unit
                             << " does not exist (the target has " << units
                             << " units)";
  return success();
}

LogicalResult ProgramOp::verifyRegions() {
  int64_t units = getUnits(), sram = getSramPerUnit();
  if (units <= 0 || sram <= 0)
    return emitOpError("needs positive units and sram_per_unit");
  std::map<int64_t, int64_t> held; // unit -> bytes
  std::map<int64_t, Operation *> firstOnUnit;
  struct Rect {
    int64_t r0, r1, c0, c1;
    mutable SliceOp op;
  };
  std::map<std::string, std::vector<Rect>> slices;
  std::map<std::string, SmallVector<int64_t>> shapes;
  for (Operation &op : getBody().front()) {
    if (auto s = dyn_cast<SliceOp>(op)) {
      if (failed(checkUnit(s, s.getUnit(), units)))
        return failure();
      ArrayRef<int64_t> shape = s.getShape(), rows = s.getRows(),
                        cols = s.getCols();
      if (shape.size() != 2 || rows.size() != 2 || cols.size() != 2)
        return s.emitOpError("shape, rows and cols take two numbers each");
      if (rows[0] < 0 || rows[0] >= rows[1] || rows[1] > shape[0] ||
          cols[0] < 0 || cols[0] >= cols[1] || cols[1] > shape[1])
        return s.emitOpError() << "rows [" << rows[0] << ", " << rows[1]
                               << "] and cols [" << cols[0] << ", " << cols[1]
                               << "] are not a non-empty part of the "
                               << shape[0] << "x" << shape[1] << " weight";
      if (s.getBytes() < 0)
        return s.emitOpError("bytes must be non-negative");
      auto [it, fresh] = shapes.try_emplace(s.getWeight().str(),
                                            SmallVector<int64_t>(shape));
      if (!fresh && ArrayRef<int64_t>(it->second) != shape)
        return s.emitOpError() << "weight '" << s.getWeight()
                               << "' is sliced with two different shapes";
      slices[s.getWeight().str()].push_back(
          {rows[0], rows[1], cols[0], cols[1], s});
      held[s.getUnit()] += s.getBytes();
      firstOnUnit.try_emplace(s.getUnit(), s);
    } else if (auto b = dyn_cast<BufferOp>(op)) {
      if (failed(checkUnit(b, b.getUnit(), units)))
        return failure();
      if (b.getBytes() < 0)
        return b.emitOpError("bytes must be non-negative");
      held[b.getUnit()] += b.getBytes();
      firstOnUnit.try_emplace(b.getUnit(), b);
    } else if (!isa<StepOp>(op)) {
      return op.emitOpError("is not allowed directly in an sxft.program");
    }
  }
  for (auto [unit, bytes] : held)
    if (bytes > sram)
      return firstOnUnit[unit]->emitOpError()
             << "unit " << unit << " holds " << bytes << " bytes, over its "
             << sram << "-byte SRAM by " << bytes - sram;
  // Each weight's slices must tile it: no overlap, full coverage.
  for (auto &[name, rects] : slices) {
    ArrayRef<int64_t> shape = shapes[name];
    int64_t area = 0;
    for (size_t i = 0; i < rects.size(); ++i) {
      const Rect &a = rects[i];
      area += (a.r1 - a.r0) * (a.c1 - a.c0);
      for (size_t j = 0; j < i; ++j) {
        const Rect &b = rects[j];
        if (a.r0 < b.r1 && b.r0 < a.r1 && a.c0 < b.c1 && b.c0 < a.c1) {
          InFlightDiagnostic d = a.op.emitOpError()
                                 << "overlaps another slice of weight '"
                                 << name << "'";
          d.attachNote(b.op.getLoc()) << "the other slice";
          return d;
        }
      }
    }
    if (area != shape[0] * shape[1])
      return rects.front().op.emitOpError()
             << "the slices of weight '" << name << "' cover " << area
             << " of its " << shape[0] * shape[1] << " entries";
  }
  // Steps: computes on existing units reading/writing known symbols; every
  // exchanged buffer written by a compute in this or an earlier step.
  std::set<std::string> written;
  int64_t lastIndex = -1;
  for (auto step : getBody().front().getOps<StepOp>()) {
    if (static_cast<int64_t>(step.getIndex()) <= lastIndex)
      return step.emitOpError("steps must have increasing indices");
    lastIndex = step.getIndex();
    for (Operation &op : step.getBody().front()) {
      if (auto c = dyn_cast<ComputeOp>(op)) {
        if (failed(checkUnit(c, c.getUnit(), units)))
          return failure();
        if (c.getSliceAttr()) {
          auto s = dyn_cast_or_null<SliceOp>(
              mlir::SymbolTable::lookupSymbolIn(*this, c.getSliceAttr()));
          if (!s)
            return c.emitOpError() << "unknown slice " << c.getSliceAttr();
          if (s.getUnit() != c.getUnit())
            return c.emitOpError()
                   << "runs on unit " << c.getUnit() << " but slice "
                   << c.getSliceAttr() << " is on unit " << s.getUnit();
        }
        for (Attribute a : c.getReads())
          if (!mlir::SymbolTable::lookupSymbolIn(*this, cast<SymbolRefAttr>(a)))
            return c.emitOpError() << "reads unknown buffer " << a;
        for (Attribute a : c.getWrites()) {
          auto b = dyn_cast_or_null<BufferOp>(
              mlir::SymbolTable::lookupSymbolIn(*this, cast<SymbolRefAttr>(a)));
          if (!b)
            return c.emitOpError() << "writes unknown buffer " << a;
          written.insert(b.getSymName().str());
        }
      } else if (auto x = dyn_cast<ExchangeOp>(op)) {
        if (failed(checkUnit(x, x.getFrom(), units)))
          return failure();
        for (int64_t u : x.getTo())
          if (failed(checkUnit(x, u, units)))
            return failure();
        auto b = dyn_cast_or_null<BufferOp>(
            mlir::SymbolTable::lookupSymbolIn(*this, x.getBufferAttr()));
        if (!b)
          return x.emitOpError() << "exchanges unknown buffer "
                                 << x.getBufferAttr();
        if (!written.count(b.getSymName().str()))
          return x.emitOpError() << "exchanges buffer " << x.getBufferAttr()
                                 << " that no compute has produced";
        if (b.getUnit() != x.getFrom())
          return x.emitOpError() << "sends buffer " << x.getBufferAttr()
                                 << " from unit " << x.getFrom()
                                 << " but it lives on unit " << b.getUnit();
      } else {
        return op.emitOpError("is not allowed in an sxft.step");
      }
    }
  }
  return success();
}

#define GET_OP_CLASSES
#include "sxf/Dialect/SxfTarget/IR/SxfTargetOps.cpp.inc"
