//===- CostReportPass.cpp - sxf-cost-report: a thin pass --------*- C++ -*-===//

#include "sxf/Support/FileOutput.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/Target/CostReport.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/ToolOutputFile.h"

namespace sxf {
#define GEN_PASS_DEF_SXFCOSTREPORTPASS
#include "sxf/Dialect/Sxf/Transforms/Passes.h.inc"
} // namespace sxf

using namespace mlir;
using namespace sxf;

namespace {
struct SxfCostReportPass
    : public sxf::impl::SxfCostReportPassBase<SxfCostReportPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<std::vector<OpCost>> ops = costOps(module);
    if (failed(ops))
      return signalPassFailure();
    std::vector<LayerCost> layers = byLayer(*ops);
    LayerCost total{"total"};
    for (const LayerCost &l : layers) {
      total.ops += l.ops;
      total.dynamicOps += l.dynamicOps;
      total.flops += l.flops;
      total.weightBytes += l.weightBytes;
      total.activationBytes += l.activationBytes;
    }
    std::string err;
    std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(output, &err);
    if (!file) {
      emitError(module.getLoc())
          << "sxf-cost-report: cannot open '" << output << "': " << err;
      return signalPassFailure();
    }
    raw_ostream &os = file->os();
    os << llvm::formatv("{0,-12} {1,5} {2,16} {3,16} {4,16} {5,16}\n", "layer",
                        "ops", "FLOPs", "weight bytes", "activation bytes",
                        "bytes moved");
    for (const LayerCost &l : layers)
      printRow(os, l);
    printRow(os, total);
    if (total.dynamicOps)
      os << total.dynamicOps
         << " ops with dynamic shapes are not counted (their sizes are "
            "unknown before run time)\n";
    if (llvm::Error e = closeOutput(*file, output)) {
      emitError(module.getLoc())
          << "sxf-cost-report: " << llvm::toString(std::move(e));
      return signalPassFailure();
    }
    if (json.empty())
      return markAllAnalysesPreserved();
    std::unique_ptr<llvm::ToolOutputFile> jf = openOutputFile(json, &err);
    if (!jf) {
      emitError(module.getLoc())
          << "sxf-cost-report: cannot open '" << json << "': " << err;
      return signalPassFailure();
    }
    llvm::json::OStream j(jf->os(), 2);
    auto emit = [&](const LayerCost &l) {
      j.object([&] {
        j.attribute("layer", l.layer);
        j.attribute("ops", l.ops);
        j.attribute("flops", l.flops);
        j.attribute("weight_bytes", l.weightBytes);
        j.attribute("activation_bytes", l.activationBytes);
        j.attribute("bytes_moved", l.weightBytes + l.activationBytes);
        j.attribute("dynamic_ops_not_counted", l.dynamicOps);
      });
    };
    j.object([&] {
      j.attributeArray("layers", [&] {
        for (const LayerCost &l : layers)
          emit(l);
      });
      j.attributeBegin("total");
      emit(total);
      j.attributeEnd();
    });
    jf->os() << "\n";
    if (llvm::Error e = closeOutput(*jf, json)) {
      emitError(module.getLoc())
          << "sxf-cost-report: " << llvm::toString(std::move(e));
      return signalPassFailure();
    }
    markAllAnalysesPreserved();
  }

  static void printRow(raw_ostream &os, const LayerCost &l) {
    os << llvm::formatv("{0,-12} {1,5} {2,16} {3,16} {4,16} {5,16}\n",
                        l.layer, l.ops, int64_t(l.flops),
                        int64_t(l.weightBytes), int64_t(l.activationBytes),
                        int64_t(l.weightBytes + l.activationBytes));
  }
};
} // namespace
