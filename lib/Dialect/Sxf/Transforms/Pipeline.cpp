//===- Pipeline.cpp - sxf-pipeline, the whole flow in one place -*- C++ -*-===//
//
// The one place that orders sxf's passes (docs/pipeline.md):
//
//   sxf-decompose       composite layers hide their linear layers
//   sxf-prune           zero weights (structure included)
//   sxf-eliminate-dead  delete the neurons/heads pruning killed, so that
//   sxf-select-format   costs and chooses formats for what actually remains
//
//   sxf-fuse            merges siblings whose formats agree (so after
//                       selection) and folds epilogues into linears
//
//===----------------------------------------------------------------------===//

#include "sxf/Dialect/Sxf/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace sxf;

std::string sxf::validatePipelineOptions(const PipelineOptions &o) {
  if (o.method == prune::Method::None &&
      (o.sparsity.getNumOccurrences() || o.n || o.m || !o.block.empty() ||
       !o.calib.empty() || o.samples.getNumOccurrences() ||
       o.granularity != prune::Granularity::Element))
    return "pruning options were given but method=none; name a method "
           "(magnitude, block, nm, wanda, sparsegpt)";
  if (o.method == prune::Method::None)
    return "";
  // The pruning options by sxf-prune's own rules (prune::validate), before
  // any pass runs; only here is it known whether sparsity= was given.
  prune::PruneConfig c;
  std::string err;
  if (!o.block.empty() &&
      failed(prune::parseBlock(o.block, c.blockRows, c.blockCols, err)))
    return err;
  c.method = o.method;
  c.sparsity = o.sparsity;
  c.sparsityGiven = o.sparsity.getNumOccurrences() > 0;
  c.n = o.n;
  c.m = o.m;
  c.calib = o.calib;
  c.samples = o.samples;
  c.granularity = o.granularity;
  return prune::validate(c);
}

void sxf::buildPipeline(OpPassManager &pm, const PipelineOptions &o) {
  pm.addPass(createSxfDecomposePass());
  if (o.method != prune::Method::None) {
    SxfPrunePassOptions prune;
    prune.method = o.method;
    prune.sparsity = o.sparsity;
    prune.n = o.n;
    prune.m = o.m;
    prune.block = o.block;
    prune.calib = o.calib;
    prune.samples = o.samples;
    prune.granularity = o.granularity;
    pm.addPass(createSxfPrunePass(prune));
  }
  pm.addPass(createSxfEliminateDeadPass());
  SxfSelectFormatPassOptions select;
  select.target = o.target;
  select.objective = o.objective;
  select.valueType = o.value;
  pm.addPass(createSxfSelectFormatPass(select));
  SxfFusePassOptions fuse;
  fuse.target = o.target;
  pm.addPass(createSxfFusePass(fuse));
}

void sxf::registerSxfPipeline() {
  // registerPassPipeline rather than PassPipelineRegistration<> (which is
  // the same registration with a builder that cannot fail): combinations
  // of options are refused here, with an error, before any pass runs.
  registerPassPipeline(
      "sxf-pipeline",
      "Decompose, prune, eliminate dead structure, select formats, fuse",
      [](OpPassManager &pm, StringRef optionsStr,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        PipelineOptions o;
        // parseFromString prints an unknown key to its stream and fails;
        // route it through errorHandler so that it becomes an "error:".
        // (A bad value, "sparsity=abc", is reported by llvm::cl itself as
        // "sparse-opt: error: for the --sparsity option: ...".)
        std::string why;
        llvm::raw_string_ostream whyStream(why);
        if (failed(o.parseFromString(optionsStr, whyStream))) {
          StringRef msg = StringRef(why).trim();
          msg.consume_front("<Pass-Options-Parser>: ");
          if (msg.empty())
            return failure(); // llvm::cl has said what was wrong
          return errorHandler("sxf-pipeline: " + msg);
        }
        std::string bad = validatePipelineOptions(o);
        if (!bad.empty())
          return errorHandler("sxf-pipeline: " + bad);
        buildPipeline(pm, o);
        return success();
      },
      [](function_ref<void(const mlir::detail::PassOptions &)> optHandler) {
        optHandler(PipelineOptions());
      });
}
