//===- Simulator.cpp - C API: the reference simulator ---------------------===//

#include "sxf-c/Simulator.h"

#include "sxf/Dialect/SxfTarget/IR/SxfTarget.h"
#include "sxf/Sim/Simulator.h"
#include "sxf/Target/Target.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "mlir/IR/Diagnostics.h"

MlirLogicalResult sxfSimulatePerformance(MlirModule module,
                                         MlirStringRef target,
                                         MlirStringCallback onReport,
                                         MlirStringCallback onDiagnostic,
                                         void *userData) {
  mlir::ModuleOp m = unwrap(module);
  mlir::MLIRContext *ctx = m.getContext();
  auto say = [&](const std::string &text) {
    if (onDiagnostic)
      onDiagnostic(mlirStringRefCreate(text.data(), text.size()), userData);
  };
  mlir::ScopedDiagnosticHandler handler(ctx, [&](mlir::Diagnostic &d) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << d.getLocation() << ": " << d;
    say(text);
    return mlir::success();
  });
  llvm::Expected<sxf::TargetDesc> desc = sxf::loadTarget(unwrap(target));
  if (!desc) {
    say("sxfSimulatePerformance: target '" + unwrap(target).str() +
        "': " + llvm::toString(desc.takeError()));
    return mlirLogicalResultFailure();
  }
  // A program already tiled for this target, else sxf-tile's (as sparse-sim).
  mlir::FailureOr<sxf::target::ProgramOp> program =
      sxf::programFor(m, *desc, sxf::TileOptions());
  if (failed(program))
    return mlirLogicalResultFailure();
  mlir::FailureOr<sxf::SimReport> report =
      sxf::simulatePerformance(*program, *desc);
  if (failed(report))
    return mlirLogicalResultFailure();
  std::string json;
  llvm::raw_string_ostream os(json);
  sxf::writeReportJson(*report, os);
  if (onReport)
    onReport(mlirStringRefCreate(json.data(), json.size()), userData);
  return mlirLogicalResultSuccess();
}
