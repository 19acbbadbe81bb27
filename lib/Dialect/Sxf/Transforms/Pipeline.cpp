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

namespace {
struct PipelineOptions : public PassPipelineOptions<PipelineOptions> {
  Option<std::string> target{*this, "target",
                             llvm::cl::desc("Target preset or .json"),
                             llvm::cl::init("cpu-host")};
  Option<std::string> method{*this, "method",
                             llvm::cl::desc("Pruning method (or 'none')"),
                             llvm::cl::init("none")};
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
  Option<std::string> granularity{
      *this, "granularity", llvm::cl::desc("element, neuron or head"),
      llvm::cl::init("element")};
  Option<std::string> objective{*this, "objective",
                                llvm::cl::desc("latency, memory or energy"),
                                llvm::cl::init("latency")};
  Option<std::string> value{*this, "value",
                            llvm::cl::desc("Stored value type"),
                            llvm::cl::init("f32")};
};
} // namespace

static void buildPipeline(OpPassManager &pm, const PipelineOptions &o) {
        pm.addPass(createSxfDecomposePass());
        if (o.method != "none") {
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
  // Registered by hand (not PassPipelineRegistration) to reject pruning
  // options that method=none would otherwise ignore silently.
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
        if (o.method == "none" &&
            (o.sparsity.getNumOccurrences() || o.n || o.m ||
             !o.block.empty() || !o.calib.empty() ||
             o.granularity != "element"))
          return errorHandler("sxf-pipeline: pruning options were given but "
                              "method=none; name a method (magnitude, block, "
                              "nm, wanda, sparsegpt)");
        buildPipeline(pm, o);
        return success();
      },
      [](function_ref<void(const mlir::detail::PassOptions &)> optHandler) {
        optHandler(PipelineOptions());
      });
}
