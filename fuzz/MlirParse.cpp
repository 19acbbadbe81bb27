//===- MlirParse.cpp - fuzz the MLIR parser and the sxf verifiers ---------===//
//
// The input is MLIR text, parsed with the sxf and sxft dialects (and the
// upstream ones sparse-opt registers) and verified. Diagnostics go to a
// handler that drops them: only crashes, sanitizer reports and leaks count.
//
//===----------------------------------------------------------------------===//

#include "ParseInput.h"
#include "sxf/InitAll.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

using namespace mlir;

namespace {
// One context for many inputs (building one per input would dominate the
// time); replaced now and then so that uniqued attributes and types from
// earlier inputs do not accumulate without bound.
std::unique_ptr<MLIRContext> context;
unsigned uses = 0;

MLIRContext &getContext() {
  if (!context || ++uses > 2000) {
    DialectRegistry registry;
    sxf::registerAllDialects(registry);
    context = std::make_unique<MLIRContext>(registry,
                                            MLIRContext::Threading::DISABLED);
    context->loadAllAvailableDialects();
    uses = 0;
  }
  return *context;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext &ctx = getContext();
  ScopedDiagnosticHandler drop(&ctx, [](Diagnostic &) { return success(); });
  OwningOpRef<ModuleOp> module =
      sxf::fuzz::parseInput(ctx, data, size, /*verifyAfterParse=*/false);
  if (module)
    (void)verify(*module);
  return 0;
}
