//===- Passes.h - sxf conversion passes -------------------------*- C++ -*-===//

#ifndef SXF_CONVERSION_PASSES_H
#define SXF_CONVERSION_PASSES_H

#include "sxf/Conversion/SxfToEmitC/SxfToEmitC.h"
#include "sxf/Conversion/SxfToLinalg/SxfToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/SxfTarget/IR/SxfTarget.h"

namespace sxf {

#define GEN_PASS_DECL
#include "sxf/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "sxf/Conversion/Passes.h.inc"

} // namespace sxf

#endif // SXF_CONVERSION_PASSES_H
