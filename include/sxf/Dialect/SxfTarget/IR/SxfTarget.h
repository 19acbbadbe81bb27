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

#endif // SXF_DIALECT_SXFTARGET_IR_SXFTARGET_H
