//===- Tiler.h - Map an sxf model onto the units of a target ----*- C++ -*-===//
//
// Builds the sxft.program of a module's entry function on a target:
//
//  - every linear's weight is cut into a grid of blocks (rows balanced by
//    nonzeros with the shared partitioner, aligned to the format's blocks
//    or N:M groups), the grid shape chosen with the per-unit performance
//    model (compute of the largest block against the exchanges that
//    broadcast the input and reduce the partial sums);
//  - activations get layouts: token rows for norms and element-wise ops,
//    batches x heads for attention, feature blocks for linear outputs;
//    exchanges redistribute between them;
//  - IPU and CPU: every op is spread over all units (placements rotate so
//    memory fills evenly) and each step is a bulk-synchronous superstep;
//    RDU: the ops of a section get disjoint unit ranges (at least what
//    their weights need, the rest in proportion to their work) and run as
//    a pipeline;
//  - if the weights do not fit the SRAM left by the activations, the model
//    runs in sections whose weights are streamed from off-chip memory
//    (sxft.load), unless `requireOnChip`, which fails instead; either way
//    the result says by how many bytes and on how many units it is over.
//
// Works from metadata-only weights (their #sxf.sparsity), so 13B models
// are planned without their values.
//
// The lowering from sxf to sxft, but not a conversion that replaces ops: the
// sxf function stays (its ops tagged with `sxft.op` ids) and the program,
// added next to it, refers to its ops and weights. One lowering per sxf op,
// dispatched by the exhaustive SxfOpVisitor (lib/Conversion/SxfToSxfTarget/
// Tiler.cpp); the pass sxf-tile (SxfToSxfTarget.cpp) is a thin driver.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_CONVERSION_SXFTOSXFTARGET_TILER_H
#define SXF_CONVERSION_SXFTOSXFTARGET_TILER_H

#include "sxf/Dialect/SxfTarget/IR/SxfTarget.h"
#include "sxf/Target/Target.h"

#include "mlir/IR/BuiltinOps.h"

#include <optional>
#include <string>

namespace sxf {

struct TileOptions {
  std::string entry;          // "" = @forward or the only public function
  bool requireOnChip = false; // fail instead of streaming weights
  int64_t microbatches = 0;   // RDU pipeline depth (0 = one per stage)
  /// A training step (an entry with sxf.gradient_of results) with AdamW
  /// applied on chip: an `update` compute per gradient on its weight's
  /// partition, the optimizer state resident with it (`state_bytes`), and
  /// the gradients no longer outputs. Unset: the gradients are outputs.
  std::optional<training::AdamWOptions> adamw;
};

struct TileResult {
  target::ProgramOp program;
  /// Whether every weight and activation stays in SRAM for the whole run.
  bool fitsOnChip = true;
  /// When it does not fit: the most loaded unit, its bytes and how many
  /// units are over their SRAM with everything resident.
  int64_t worstUnit = -1, worstBytes = 0, unitsOver = 0;
  /// The largest partition or buffer on that unit, as printed IR.
  std::string worstHolder;
  /// RDU, when the weights would fit but the ops need more units (each its
  /// own) than one pipeline section has: those units (else 0).
  int64_t unitsNeeded = 0;
  int64_t sections = 1;
  /// A training step on an RDU: its weights and optimizer state are kept in
  /// off-chip memory whatever their size (its gradients run on units of
  /// their own, on copies loaded there).
  bool offchipByDesign = false;
};

/// Removes any sxft.program for the entry, builds a new one at the end of
/// `module` and tags the entry's ops with `sxft.op` ids. Diagnoses
/// unsupported ops (composite layers: run sxf-decompose; matmuls between
/// activations: run sxf-fuse), dynamic shapes, and weights larger than the
/// whole chip.
mlir::FailureOr<TileResult> tileModule(mlir::ModuleOp module,
                                       const TargetDesc &target,
                                       const TileOptions &options);


} // namespace sxf

#endif // SXF_CONVERSION_SXFTOSXFTARGET_TILER_H
