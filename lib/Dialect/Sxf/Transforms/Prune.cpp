//===- Prune.cpp - sxf-prune: a thin pass over ModelPruner ------*- C++ -*-===//

#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/Pruning/ModelPruner.h"

namespace sxf {
#define GEN_PASS_DEF_SXFPRUNEPASS
#include "sxf/Dialect/Sxf/Transforms/Passes.h.inc"
} // namespace sxf

using namespace mlir;
using namespace sxf;

namespace {
struct SxfPrunePass : public sxf::impl::SxfPrunePassBase<SxfPrunePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    prune::PruneConfig config;
    std::string err;
    if (!block.empty() &&
        failed(prune::parseBlock(block, config.blockRows, config.blockCols,
                                 err))) {
      emitError(module.getLoc()) << "sxf-prune: " << err;
      return signalPassFailure();
    }
    config.method = method;
    config.granularity = granularity;
    config.globalScope = scope == prune::Scope::Global;
    config.sparsity = sparsity;
    config.sparsityGiven = sparsity.getNumOccurrences() > 0;
    config.n = n;
    config.m = this->m;
    config.calib = calib;
    config.samples = samples;
    config.seed = seed;
    config.damp = damp;
    config.blocksize = blocksize;
    config.include = weights;
    config.exclude = exclude;
    // An out= that names nothing (an unset shell variable) would silently
    // keep every pruned weight inline; out-dtype= alone would be ignored.
    if (out.getNumOccurrences() > 0 && out.empty()) {
      emitError(module.getLoc())
          << "sxf-prune: out= names no file (give out=FILE.safetensors, or "
             "leave out= away to keep the pruned values in the IR)";
      return signalPassFailure();
    }
    if (outDType.getNumOccurrences() > 0 && out.empty()) {
      emitError(module.getLoc())
          << "sxf-prune: out-dtype= applies to out=FILE, which is not given "
             "(for --sxf-weights-out, sxf-export-weights has dtype=)";
      return signalPassFailure();
    }
    config.out = out;
    config.outDType = outDType;
    if (failed(prune::pruneModule(module, config)))
      signalPassFailure();
  }
};
} // namespace
