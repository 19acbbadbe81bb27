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
    FailureOr<prune::Method> m = prune::parseMethod(method, err);
    FailureOr<prune::Granularity> g =
        prune::parseGranularity(granularity, err);
    if (failed(m) || failed(g) ||
        (!block.empty() &&
         failed(prune::parseBlock(block, config.blockRows, config.blockCols,
                                  err)))) {
      emitError(module.getLoc()) << "sxf-prune: " << err;
      return signalPassFailure();
    }
    if (scope != "layer" && scope != "global") {
      emitError(module.getLoc()) << "sxf-prune: scope must be layer or global, got '"
                         << scope << "'";
      return signalPassFailure();
    }
    config.method = *m;
    config.granularity = *g;
    config.sparsity = sparsity;
    config.globalScope = scope == "global";
    config.n = n;
    config.m = this->m;
    config.calib = calib;
    config.samples = samples;
    config.seed = seed;
    config.damp = damp;
    config.blocksize = blocksize;
    config.include = weights;
    config.exclude = exclude;
    if (failed(prune::pruneModule(module, config)))
      signalPassFailure();
  }
};
} // namespace
