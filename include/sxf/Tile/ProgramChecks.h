//===- ProgramChecks.h - Whole-program checks of an sxft.program -*- C++ -*-===//
//
// What a mapping must satisfy that no single op can check: no unit holds
// more bytes than its SRAM in any section, every weight is partitioned
// exactly once, and every buffer is produced before it is read. These are
// not part of the verifier (they walk the whole program, and the SRAM
// occupancy analysis is per unit and per step): sxf-tile runs them on the
// program it builds, sparse-sim (simulatePerformance / simulateFunctional)
// before it simulates one. Errors are located at the offending op.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_TILE_PROGRAMCHECKS_H
#define SXF_TILE_PROGRAMCHECKS_H

#include "sxf/Dialect/SxfTarget/IR/Layout.h"
#include "sxf/Dialect/SxfTarget/IR/SxfTarget.h"
#include "sxf/Target/Target.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

#include <cstdint>
#include <vector>

namespace sxf {
namespace target {

/// The kind of program a target runs (an IPU's supersteps, an RDU's
/// pipeline, a CPU's steps): what sxf-tile writes and sparse-sim checks.
ProgramKind programKindOf(TargetKind kind);

/// SRAM held on each unit over a program: partitions for the whole run
/// (off-chip ones for their section's steps), buffers from the first to
/// the last step that uses them (inputs from the start, outputs to the
/// end). Assumes a program that verifies.
struct Occupancy {
  std::vector<int64_t> peak; // per unit, bytes
  int64_t worstUnit = -1, worstBytes = 0, worstSection = 0;
  int64_t unitsOver = 0;              // units whose peak exceeds their SRAM
  mlir::Operation *culprit = nullptr; // the largest holder there then
};
Occupancy computeOccupancy(ProgramOp program);

/// The whole-program checks, in this order: each weight partitioned once
/// (a second partition is the error, with a note at the first), each
/// buffer produced (by a compute or an exchange in an earlier or the same
/// step, or an input) before a compute reads it or an exchange moves it,
/// and no unit over its SRAM (the error is at the largest holder on the
/// worst unit, and says by how many bytes and in which section). Fails at
/// the first problem. Assumes a program that verifies.
mlir::LogicalResult checkProgram(ProgramOp program);

/// The weight a compute of `op` runs over (its partition cuts it): a
/// linear's and its gradients' `w`, an embedding's table; null for other ops.
mlir::Value weightOperandOf(mlir::Operation *op);

/// The token rows a "reduce" compute runs over: the layout of the widest
/// buffer it reads (ids and targets are one column; the first of equals).
Layout reduceRowsLayout(ProgramOp program, ComputeOp c, int64_t units);

/// Whether `program` agrees with the model in `module` (its entry function):
/// every partition cuts a weight the entry holds, in that weight's 2-D view
/// [leading extents, last]; no buffer holds more elements than the entry's
/// largest value; every output buffer has its result's element count; every
/// compute is tagged with an op of the entry (`sxft.op`), its kind is one of
/// that op's (matmul / epilogue: a linear, matmul_t: a linear_grad_input,
/// sddmm: a linear_grad_weight, gather: an embedding, ...), a compute of
/// one of these names the partition of the weight its op reads, and the
/// buffer it writes has the op's result's element count. Both simulation
/// modes run it (performance mode reads only the program, so a program that
/// disagrees with its model would otherwise be timed as if it did).
mlir::LogicalResult checkAgainstModel(mlir::ModuleOp module,
                                      ProgramOp program);

} // namespace target
} // namespace sxf

#endif // SXF_TILE_PROGRAMCHECKS_H
