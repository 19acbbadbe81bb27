//===- LowerToEmitCPass.cpp - sxf-lower-to-emitc: a thin pass ----*- C++ -*-===//

#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/Lower/LowerToEmitC.h"

#include "mlir/Dialect/EmitC/IR/EmitC.h"

namespace sxf {
#define GEN_PASS_DEF_SXFLOWERTOEMITCPASS
#include "sxf/Dialect/Sxf/Transforms/Passes.h.inc"
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
