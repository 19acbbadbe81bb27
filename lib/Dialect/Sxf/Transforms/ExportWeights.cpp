//===- ExportWeights.cpp - Write the module's weights out -------*- C++ -*-===//

#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/Support/Safetensors.h"
#include "sxf/Weights/WeightStore.h"

#include "mlir/IR/Builders.h"

namespace sxf {
#define GEN_PASS_DEF_SXFEXPORTWEIGHTSPASS
#include "sxf/Dialect/Sxf/Transforms/Passes.h.inc"
} // namespace sxf

using namespace mlir;
using namespace sxf;

namespace {
struct SxfExportWeightsPass
    : public sxf::impl::SxfExportWeightsPassBase<SxfExportWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (file.empty()) {
      emitError(module.getLoc(), "sxf-export-weights: option 'file' is required");
      return signalPassFailure();
    }
    sxf::DType dtype = this->dtype;
    FailureOr<std::map<std::string, WeightOp>> weights =
        sxf::collectWeights(module);
    if (failed(weights))
      return signalPassFailure();
    sxf::WeightStore store(module);
    std::vector<std::pair<std::string, sxf::Tensor>> tensors;
    std::vector<WeightOp> skipped;
    for (auto &[name, op] : *weights) {
      if (store.source(op) == sxf::WeightSource::None && allowMissing) {
        skipped.push_back(op);
        continue;
      }
      FailureOr<sxf::Tensor> t = store.load(op);
      if (failed(t))
        return signalPassFailure();
      tensors.emplace_back(name, std::move(*t));
    }
    std::vector<sxf::SafetensorsWriteEntry> entries;
    for (auto &[name, t] : tensors)
      entries.push_back({name, &t, dtype});
    if (llvm::Error err = sxf::writeSafetensors(
            file, entries, {{"producer", "sxf sxf-export-weights"}})) {
      emitError(module.getLoc()) << "sxf-export-weights: "
                         << llvm::toString(std::move(err));
      return signalPassFailure();
    }
    module->setAttr(kWeightsFileAttrName,
                    StringAttr::get(&getContext(), file));
    module.walk([](WeightOp op) { op.removeValueAttr(); });
    // Weights without values stay metadata-only although the module now
    // names a weights file.
    for (WeightOp op : skipped)
      op->setAttr(kMetadataOnlyAttrName, UnitAttr::get(&getContext()));
  }
};
} // namespace
