//===- SxfTarget.h - The target-level IR (sxft) -----------------*- C++ -*-===//

#ifndef SXF_DIALECT_SXFTARGET_IR_SXFTARGET_H
#define SXF_DIALECT_SXFTARGET_IR_SXFTARGET_H

#include "sxf/Dialect/Sxf/IR/Sxf.h"

#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/RegionKindInterface.h"
#include "mlir/IR/SymbolTable.h"

#include "sxf/Dialect/SxfTarget/IR/SxfTargetOpsDialect.h.inc"
#include "sxf/Dialect/SxfTarget/IR/SxfTargetEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "sxf/Dialect/SxfTarget/IR/SxfTargetAttrs.h.inc"

#define GET_OP_CLASSES
#include "sxf/Dialect/SxfTarget/IR/SxfTargetOps.h.inc"

#include "sxf/Training/Optimizer.h"

namespace sxf {
namespace target {

/// The AdamW hyper-parameters of a program's `adamw` dictionary (`lr`,
/// `beta1`, `beta2`, `eps`, `weight_decay`, each an f64): an error naming
/// a missing or non-float key, or training::validate's for a value out of
/// its range. `applyWeightDecay` is left true (the caller decides per weight:
/// adamwDecays).
llvm::Expected<training::AdamWOptions> adamwOptionsOf(mlir::DictionaryAttr d);

/// The dictionary adamwOptionsOf reads.
mlir::DictionaryAttr adamwDictionary(mlir::MLIRContext *ctx,
                                     const training::AdamWOptions &o);

} // namespace target
} // namespace sxf

#endif // SXF_DIALECT_SXFTARGET_IR_SXFTARGET_H
