//===- SxfToSxfTarget.cpp - sxf-tile: the pass over the tiler -*- C++ -*-===//
//
// The pass resolves the target and options and calls tileModule (Tiler.cpp,
// which does the work); it warns when the model does not fit on-chip.
//
//===----------------------------------------------------------------------===//

#include "sxf/Conversion/Passes.h"
#include "sxf/Conversion/SxfToSxfTarget/Tiler.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Target/TargetAttr.h"

namespace sxf {
#define GEN_PASS_DEF_SXFTILEPASS
#include "sxf/Conversion/Passes.h.inc"
} // namespace sxf

using namespace mlir;
using namespace sxf;

namespace {
struct SxfTilePass : public sxf::impl::SxfTilePassBase<SxfTilePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<TargetDesc> desc =
        resolveTarget(module, target, "ipu-mk2", "sxf-tile");
    if (failed(desc))
      return signalPassFailure();
    if (microbatches < 0) {
      emitError(module.getLoc())
          << "sxf-tile: microbatches must be 0 (one per stage) or positive, "
             "got "
          << static_cast<int64_t>(microbatches);
      return signalPassFailure();
    }
    TileOptions options;
    if (optimizer == "adamw") {
      training::AdamWOptions a;
      a.lr = lr;
      a.weightDecay = weightDecay;
      if (llvm::Error e = training::validate(a)) {
        emitError(module.getLoc())
            << "sxf-tile: " << llvm::toString(std::move(e));
        return signalPassFailure();
      }
      options.adamw = a;
    } else if (optimizer != "none") {
      emitError(module.getLoc())
          << "sxf-tile: optimizer must be none or adamw, got '"
          << std::string(optimizer) << "'";
      return signalPassFailure();
    } else if (lr.hasValue() || weightDecay.hasValue()) {
      emitError(module.getLoc())
          << "sxf-tile: " << (lr.hasValue() ? "lr" : "weight-decay")
          << " is an option of optimizer=adamw (the step returns the "
             "gradients with optimizer=none)";
      return signalPassFailure();
    }
    options.entry = entry;
    options.requireOnChip = requireOnChip;
    options.microbatches = microbatches;
    FailureOr<TileResult> r = tileModule(module, *desc, options);
    if (failed(r))
      return signalPassFailure();
    if (r->offchipByDesign) {
      mlir::emitRemark(r->program.getLoc())
          << "sxf-tile: a training step on " << desc->name
          << " keeps its weights and optimizer state in off-chip memory (its "
             "gradients run on units of their own, on copies loaded there): "
          << r->sections << (r->sections == 1 ? " section" : " sections");
    } else if (!r->fitsOnChip) {
      // At the program's location, not on the op: a diagnostic on an op
      // carries the whole op ("see current operation"), here the program.
      InFlightDiagnostic d = mlir::emitWarning(r->program.getLoc())
                             << "sxf-tile: the model does not fit on-chip on "
                             << desc->name << ": ";
      if (r->worstUnit >= 0)
        d << "unit " << r->worstUnit << " would hold " << r->worstBytes
          << " bytes, over its " << desc->sramPerUnitBytes
          << "-byte SRAM by " << r->worstBytes - desc->sramPerUnitBytes
          << " (" << r->unitsOver << " of " << desc->units
          << " units over)"
          << (r->worstHolder.empty() ? ""
                                     : "; the largest thing there is `" +
                                           r->worstHolder + "`");
      else if (r->unitsNeeded)
        d << "its ops need " << r->unitsNeeded
          << " units of their own in one pipeline section, the target has "
          << desc->units;
      else
        d << "its weights need " << r->worstBytes << " bytes, the units hold "
          << desc->totalSramBytes();
      d << "; weights are streamed from off-chip memory in " << r->sections
        << (r->sections == 1 ? " section" : " sections");
    }
  }
};
} // namespace
