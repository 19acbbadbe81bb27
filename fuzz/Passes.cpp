//===- Passes.cpp - fuzz sxf passes on mutated models ---------------------===//
//
// The input's first byte chooses a pass; the rest is an MLIR module (seeds
// are valid models from test/). A module that parses and verifies is run
// through that pass with the verifier on; diagnostics are dropped.
//
//===----------------------------------------------------------------------===//

#include "sxf/InitAll.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

using namespace mlir;

namespace {
const char *const pipelines[] = {
    "sxf-decompose",
    "sxf-select-format{target=ipu-mk2}",
    "sxf-fuse",
    "sxf-tile{target=" SXF_FUZZ_TOY_TARGET "}",
};
constexpr unsigned numPipelines = sizeof(pipelines) / sizeof(pipelines[0]);

std::unique_ptr<MLIRContext> context;
unsigned uses = 0;

MLIRContext &getContext() {
  if (!context || ++uses > 1000) {
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

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  sxf::registerAllPasses();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  const char *pipeline = pipelines[data[0] % numPipelines];
  MLIRContext &ctx = getContext();
  ScopedDiagnosticHandler drop(&ctx, [](Diagnostic &) { return success(); });
  ParserConfig config(&ctx);
  // A NUL-terminated copy: MLIR's lexer relies on one after the buffer.
  std::string text(reinterpret_cast<const char *>(data + 1), size - 1);
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(text, config, "fuzz.mlir");
  if (!module)
    return 0;
  PassManager pm(&ctx, ModuleOp::getOperationName());
  if (failed(parsePassPipeline(pipeline, pm)))
    __builtin_trap(); // the fixed pipelines always parse
  (void)pm.run(*module);
  return 0;
}
