//===- Passes.h - sxf pass entry points -------------------------*- C++ -*-===//

#ifndef SXF_DIALECT_SXF_TRANSFORMS_PASSES_H
#define SXF_DIALECT_SXF_TRANSFORMS_PASSES_H

#include "sxf/Pruning/ModelPruner.h"
#include "sxf/Support/DTypeOption.h"
#include "sxf/Target/FormatSelection.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
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

/// sxf-pipeline's options (`--sxf-pipeline="target=... method=..."`).
struct PipelineOptions : public mlir::PassPipelineOptions<PipelineOptions> {
  Option<std::string> target{
      *this, "target",
      llvm::cl::desc("Target preset or .json (default: the module's "
                     "#sxf.target, else cpu-host)"),
      llvm::cl::init("")};
  Option<prune::Method> method{
      *this, "method",
      llvm::cl::desc("Pruning method: none, magnitude, block, nm, wanda or "
                     "sparsegpt"),
      llvm::cl::init(prune::Method::None)};
  Option<double> sparsity{*this, "sparsity", llvm::cl::desc("Sparsity"),
                          llvm::cl::init(0.5)};
  Option<unsigned> n{*this, "n", llvm::cl::desc("N of N:M"),
                     llvm::cl::init(0)};
  Option<unsigned> m{*this, "m", llvm::cl::desc("M of N:M"),
                     llvm::cl::init(0)};
  Option<std::string> block{*this, "block",
                            llvm::cl::desc("Block shape for method=block"),
                            llvm::cl::init("")};
  Option<std::string> calib{*this, "calib",
                            llvm::cl::desc("Calibration inputs"),
                            llvm::cl::init("")};
  Option<int64_t> samples{*this, "samples",
                          llvm::cl::desc("Calibration samples"),
                          llvm::cl::init(128)};
  Option<prune::Granularity> granularity{
      *this, "granularity", llvm::cl::desc("element, neuron or head"),
      llvm::cl::init(prune::Granularity::Element)};
  Option<Objective> objective{*this, "objective",
                              llvm::cl::desc("latency, memory or energy"),
                              llvm::cl::init(Objective::Latency)};
  Option<DType> value{*this, "value",
                      llvm::cl::desc("Stored value type: f32, f16 or bf16"),
                      llvm::cl::init(DType::F32)};
};

/// Checks sxf-pipeline's option combinations that no single pass can see
/// (pruning options given with method=none). Returns "" when valid.
std::string validatePipelineOptions(const PipelineOptions &options);

/// Appends sxf-pipeline to `pm`: decompose, prune (unless method=none),
/// eliminate dead structure, select formats, fuse — the order
/// docs/pipeline.md explains. The passes check their own options when they
/// run; call validatePipelineOptions first to refuse combinations early.
void buildPipeline(mlir::OpPassManager &pm, const PipelineOptions &options);

/// Registers sxf-pipeline (buildPipeline behind validatePipelineOptions).
void registerSxfPipeline();

/// What sxf-differentiate does, as a library call: adds the training step
/// @`name`(args..., targets) -> (loss, grad.<weight>...) after the forward
/// function `entry` (empty: lookupEntryFunction's default) and returns it.
/// docs/training.md gives the step's contract (argument and result names,
/// the gradient order, what is refused). On failure the module is unchanged
/// and a located error has been emitted.
mlir::FailureOr<mlir::func::FuncOp>
buildTrainingStep(mlir::ModuleOp module, llvm::StringRef entry,
                  llvm::StringRef name);

#define GEN_PASS_REGISTRATION
#include "sxf/Dialect/Sxf/Transforms/Passes.h.inc"

} // namespace sxf

#endif // SXF_DIALECT_SXF_TRANSFORMS_PASSES_H
