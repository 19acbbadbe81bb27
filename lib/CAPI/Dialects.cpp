//===- Dialects.cpp - C API: sxf's dialects and passes --------------------===//

#include "sxf-c/Dialects.h"
#include "sxf-c/Passes.h"

#include "sxf/Conversion/Passes.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/Dialect/SxfTarget/IR/SxfTarget.h"
#include "sxf/InitAll.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Pass.h"
#include "mlir/CAPI/Registration.h"
#include "mlir/CAPI/Support.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Sxf, sxf, sxf::SxfDialect)
MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(SxfTarget, sxft,
                                      sxf::target::SxfTargetDialect)

void sxfRegisterAllDialects(MlirDialectRegistry registry) {
  sxf::registerAllDialects(*unwrap(registry));
}

MlirStringRef sxfGetVersion(void) {
  return mlirStringRefCreateFromCString(SXF_VERSION_STRING);
}

void sxfRegisterAllPasses(void) { sxf::registerAllPasses(); }

MlirLogicalResult sxfRunPipeline(MlirModule module, MlirStringRef options,
                                 MlirStringCallback onDiagnostic,
                                 void *userData) {
  mlir::ModuleOp m = unwrap(module);
  mlir::MLIRContext *ctx = m.getContext();
  // Every diagnostic of the run (option errors, pass errors) goes to the
  // caller, printed as sparse-opt prints them, location first.
  mlir::ScopedDiagnosticHandler handler(ctx, [&](mlir::Diagnostic &d) {
    if (onDiagnostic) {
      std::string text;
      llvm::raw_string_ostream os(text);
      os << d.getLocation() << ": " << d;
      for (const mlir::Diagnostic &note : d.getNotes())
        os << "\n" << note.getLocation() << ": note: " << note;
      onDiagnostic(mlirStringRefCreate(text.data(), text.size()), userData);
    }
    return mlir::success();
  });
  // The option parser's reason (an unknown option, a value out of its
  // enumeration) goes to the caller with the error, not to stderr.
  auto opts = std::make_unique<sxf::PipelineOptions>();
  std::string reason;
  llvm::raw_string_ostream reasonStream(reason);
  if (failed(opts->parseFromString(unwrap(options), reasonStream))) {
    llvm::StringRef why = llvm::StringRef(reason).trim();
    why.consume_front("<Pass-Options-Parser>");
    why = why.ltrim(": ");
    mlir::emitError(m.getLoc())
        << "sxf-pipeline: cannot parse the options '" << unwrap(options)
        << "'" << (why.empty() ? "" : ": ") << why;
    return mlirLogicalResultFailure();
  }
  std::string problem = sxf::validatePipelineOptions(*opts);
  if (!problem.empty()) {
    mlir::emitError(m.getLoc()) << "sxf-pipeline: " << problem;
    return mlirLogicalResultFailure();
  }
  mlir::PassManager pm(ctx);
  sxf::buildPipeline(pm, *opts);
  return wrap(pm.run(m));
}

// The generated entry points: mlirCreateSxf<Pass>(), mlirRegisterSxf<Pass>()
// and mlirRegisterSxfPasses() / mlirRegisterSxfConversionPasses().
using namespace sxf;
#include "sxf/Conversion/Passes.capi.cpp.inc"
#include "sxf/Dialect/Sxf/Transforms/Passes.capi.cpp.inc"
