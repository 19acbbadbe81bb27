//===- MlirParse.cpp - fuzz the MLIR parser and the sxf verifiers ---------===//
//
// The input is MLIR text, parsed with the sxf and sxft dialects (and the
// upstream ones sparse-opt registers) and verified. Diagnostics go to a
// handler that drops them: only crashes, sanitizer reports and leaks count.
//
//===----------------------------------------------------------------------===//

#include "FuzzCommon.h"
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

MLIRContext &getContext() { return sxf::fuzz::sharedContext(2000); }

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
