//===- Passes.h - sxf pass entry points -------------------------*- C++ -*-===//

#ifndef SXF_DIALECT_SXF_TRANSFORMS_PASSES_H
#define SXF_DIALECT_SXF_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"
#include "sxf/Dialect/SxfTarget/IR/SxfTarget.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <memory>

namespace sxf {

#define GEN_PASS_DECL
#include "sxf/Dialect/Sxf/Transforms/Passes.h.inc"

/// Patterns that expand sxf.encoder_layer / sxf.decoder_layer into primitive
/// ops (used by sxf-decompose).
void populateDecomposeLayerPatterns(mlir::RewritePatternSet &patterns);

class WeightStore;

/// Patterns that remove dead FFN neurons and attention heads (used by
/// sxf-eliminate-dead). `store` reads the weights the patterns inspect.
void populateDeadStructurePatterns(mlir::RewritePatternSet &patterns,
                                   WeightStore &store);

struct TargetDesc;

/// Epilogue fusion: activation, bias and residual adds (and, when the
/// target allows, a following layer norm) into sxf.linear; matmul/softmax/
/// matmul into sxf.attention.
void populateEpilogueFusionPatterns(mlir::RewritePatternSet &patterns,
                                    bool fuseLayerNorm);
/// Horizontal fusion of linears sharing an input, when `target`'s cost
/// model says the merged weight costs no more.
void populateHorizontalFusionPatterns(mlir::RewritePatternSet &patterns,
                                      WeightStore &store,
                                      const TargetDesc &target);

/// Registers sxf-pipeline: decompose, prune, eliminate dead structure and
/// select formats, in the order docs/pipeline.md explains.
void registerSxfPipeline();

#define GEN_PASS_REGISTRATION
#include "sxf/Dialect/Sxf/Transforms/Passes.h.inc"

} // namespace sxf

#endif // SXF_DIALECT_SXF_TRANSFORMS_PASSES_H
