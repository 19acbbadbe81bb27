//===- CostReport.h - FLOPs and bytes moved per op and layer ----*- C++ -*-===//
//
// Walks a model's entry function and counts, per op, the FLOPs it performs
// (sparse weights count their stored values only) and the bytes it moves:
// weights in their #sxf.format (dense f32 without one), activations read and
// written in f32. A fused op does not write the intermediates it fused away
// (a residual add folded into its linear, the score matrix inside an
// attention), so comparing the report before and after sxf-fuse measures
// what fusion saves. Ops are grouped by layer ("layers.N." in the names of
// the weights they use; other ops join the layer of the op before them).
//
//===----------------------------------------------------------------------===//

#ifndef SXF_TARGET_COSTREPORT_H
#define SXF_TARGET_COSTREPORT_H

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace sxf {

struct OpCost {
  mlir::Operation *op = nullptr;
  std::string layer; // "layers.3"; "pre" before the layers, "head" after
  double flops = 0;
  double weightBytes = 0;
  double activationBytes = 0;
  /// Shapes are not all static: the op is not counted.
  bool dynamic = false;
};

struct LayerCost {
  std::string layer;
  int64_t ops = 0;
  int64_t dynamicOps = 0; // ops with dynamic shapes, not counted
  double flops = 0, weightBytes = 0, activationBytes = 0;
};

/// Costs every op of `func`'s body. Fails (diagnosed) when a weight's values
/// cannot be read.
mlir::FailureOr<std::vector<OpCost>> costOps(mlir::ModuleOp module,
                                             llvm::StringRef entry = "");
/// Sums per layer, in program order.
std::vector<LayerCost> byLayer(const std::vector<OpCost> &ops);

} // namespace sxf

#endif // SXF_TARGET_COSTREPORT_H
