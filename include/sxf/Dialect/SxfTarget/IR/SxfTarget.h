//===- SxfTarget.h - The target-level IR (sxft) -----------------*- C++ -*-===//

#ifndef SXF_DIALECT_SXFTARGET_IR_SXFTARGET_H
#define SXF_DIALECT_SXFTARGET_IR_SXFTARGET_H

#include "sxf/Dialect/Sxf/IR/Sxf.h"

#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/RegionKindInterface.h"
#include "mlir/IR/SymbolTable.h"

#include <vector>

#include "sxf/Dialect/SxfTarget/IR/SxfTargetOpsDialect.h.inc"

#define GET_OP_CLASSES
#include "sxf/Dialect/SxfTarget/IR/SxfTargetOps.h.inc"

namespace sxf {
namespace target {

/// SRAM held on each unit over a program: partitions for the whole run
/// (off-chip ones for their section's steps), buffers from the first to
/// the last step that uses them (inputs from the start, outputs to the
/// end). Assumes valid layouts (the verifier's other checks).
struct Occupancy {
  std::vector<int64_t> peak; // per unit, bytes
  int64_t worstUnit = -1, worstBytes = 0, worstSection = 0;
  int64_t unitsOver = 0;          // units whose peak exceeds their SRAM
  mlir::Operation *culprit = nullptr; // the largest holder there then
};
Occupancy computeOccupancy(ProgramOp program);

} // namespace target
} // namespace sxf

#endif // SXF_DIALECT_SXFTARGET_IR_SXFTARGET_H
