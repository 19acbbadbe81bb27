//===- SelectFormat.cpp - sxf-select-format: a thin pass --------*- C++ -*-===//

#include "sxf/Support/FileOutput.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/Target/TargetAttr.h"
#include "sxf/Target/FormatSelection.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/ToolOutputFile.h"

namespace sxf {
#define GEN_PASS_DEF_SXFSELECTFORMATPASS
#include "sxf/Dialect/Sxf/Transforms/Passes.h.inc"
} // namespace sxf

using namespace mlir;
using namespace sxf;

namespace {
struct SxfSelectFormatPass
    : public sxf::impl::SxfSelectFormatPassBase<SxfSelectFormatPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<TargetDesc> desc =
        resolveTarget(module, target, "cpu-host", "sxf-select-format");
    if (failed(desc))
      return signalPassFailure();
    SelectOptions options;
    options.objective = objective;
    if (maxBytes < -1) {
      emitError(module.getLoc()) << "sxf-select-format: max-bytes must be "
                                    "-1 (no limit) or a byte count, got "
                                 << static_cast<int64_t>(maxBytes);
      return signalPassFailure();
    }
    options.valueType = spellingOf(DType(valueType)).str();
    options.maxBytes = maxBytes;
    FailureOr<Selection> sel = selectFormats(module, *desc, options);
    if (failed(sel))
      return signalPassFailure();
    recordTarget(module, *desc);
    if (!report.empty() && failed(writeReport(*sel, *desc)))
      return signalPassFailure();
  }

  LogicalResult writeReport(const Selection &sel, const TargetDesc &t) {
    std::string err;
    std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(report, &err);
    if (!file)
      return emitError(getOperation().getLoc())
             << "sxf-select-format: cannot open '" << report << "': " << err;
    raw_ostream &os = file->os();
    os << "sxf-select-format: target " << t.name << ", objective "
       << spellingOf(Objective(objective)) << ", weights read from "
       << (sel.home == WeightHome::Sram ? "on-chip SRAM" : "off-chip memory")
       << ", " << sel.totalBytes << " bytes selected\n";
    size_t width = 6;
    for (const WeightChoice &w : sel.weights)
      width = std::max(width, WeightOp(w.op).getName().size());
    os << llvm::left_justify("weight", width)
       << llvm::formatv("  {0,-11} {1,8} {2,-13} {3,-18} {4,12} {5,11}  {6}\n",
                        "shape", "density", "pattern", "format", "bytes",
                        "time (us)", "why");
    for (const WeightChoice &w : sel.weights) {
      const LinearCost &c = w.candidates[w.chosen];
      std::string pattern = stringifySparsityPattern(w.stats.pattern).str();
      os << llvm::left_justify(WeightOp(w.op).getName(), width)
         << llvm::formatv("  {0,-11} {1,8:F4} {2,-13} {3,-18} {4,12} "
                          "{5,11:F3}  {6}\n",
                          shapeToString(w.stats.shape), w.stats.density,
                          pattern, formatToString(c.format), c.bytes.total(),
                          c.seconds * 1e6, w.reason);
    }
    if (llvm::Error e = closeOutput(*file, report))
      return emitError(getOperation().getLoc())
             << "sxf-select-format: " << llvm::toString(std::move(e));
    return success();
  }
};
} // namespace
