//===- SxfToEmitC.cpp - sxf-lower-to-emitc: the pass ------------*- C++ -*-===//
//
// The pass over lib/Lower/LowerToEmitC.cpp, which does the work.
//
// Not yet conversion patterns (issue 13 item 3): the lowering is a
// whole-function rewrite, not a per-op one. Before any op is emitted it
// infers symbolic shapes over the entry (which leading dims are runtime
// sizes, unified across ops), plans the workspace with liveness (every
// activation's offset, buffers reused once dead) and encodes the weights
// into the container; each op's emission then reads that plan. Patterns
// would need that state as an analysis the patterns share, a TypeConverter
// from tensors to `!emitc.ptr<f32>` at planned offsets, and the function
// signature conversion to the sxf_forward ABI (docs/codegen.md); the per-op
// emission (`Lowering::emitOp`) is the part that would become one
// OpConversionPattern per op.
//
//===----------------------------------------------------------------------===//

#include "sxf/Conversion/Passes.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Lower/LowerToEmitC.h"

#include "mlir/Dialect/EmitC/IR/EmitC.h"

namespace sxf {
#define GEN_PASS_DEF_SXFLOWERTOEMITCPASS
#include "sxf/Conversion/Passes.h.inc"
} // namespace sxf

using namespace mlir;

namespace {
struct SxfLowerToEmitCPass
    : public sxf::impl::SxfLowerToEmitCPassBase<SxfLowerToEmitCPass> {
  using Base::Base;
  void runOnOperation() override {
    sxf::LowerOptions options;
    options.weightsFile = weights;
    options.embed = embed;
    options.entry = entry;
    if (failed(sxf::lowerToEmitC(getOperation(), options)))
      signalPassFailure();
  }
};
} // namespace
