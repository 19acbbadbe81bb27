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
    // One weight in memory at a time: the header is known from the ops,
    // each weight is loaded, written at its offset and dropped.
    sxf::WeightStore store(module);
    std::map<std::string, WeightOp> written;
    std::vector<WeightOp> skipped;
    for (auto &[name, op] : *weights) {
      if (store.source(op) == sxf::WeightSource::None && allowMissing)
        skipped.push_back(op);
      else
        written.emplace(name, op);
    }
    auto fail = [&](llvm::Error err) {
      emitError(module.getLoc())
          << "sxf-export-weights: " << llvm::toString(std::move(err));
      signalPassFailure();
    };
    llvm::Expected<std::unique_ptr<sxf::SafetensorsWriter>> writer =
        sxf::SafetensorsWriter::create(
            file, sxf::weightSlots(written, dtype),
            {{"producer", "sxf sxf-export-weights"}});
    if (!writer)
      return fail(writer.takeError());
    for (auto &[name, op] : written) {
      FailureOr<sxf::Tensor> t = store.load(op);
      if (failed(t))
        return signalPassFailure();
      if (llvm::Error err = (*writer)->write(name, t->data))
        return fail(std::move(err));
    }
    if (llvm::Error err = (*writer)->commit())
      return fail(std::move(err));
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
