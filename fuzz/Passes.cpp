//===- Passes.cpp - fuzz sxf passes on mutated models ---------------------===//
//
// The input's first byte chooses a pass (or a short pipeline); the rest is an MLIR module (seeds
// are valid models from test/). A module that parses and verifies is run
// through that pass with the verifier on; diagnostics are dropped.
//
//===----------------------------------------------------------------------===//

#include "FuzzCommon.h"
#include "sxf/InitAll.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

using namespace mlir;

namespace {
// Built at start-up: the lowering writes its weight container into a
// private temporary folder.
std::vector<std::string> pipelines;


MLIRContext &getContext() { return sxf::fuzz::sharedContext(); }

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  sxf::registerAllPasses();
  llvm::SmallString<128> dir;
  if (llvm::sys::fs::createUniqueDirectory("sxf-fuzz-passes", dir)) {
    llvm::errs() << "fuzz-passes: cannot create a temporary folder\n";
    std::abort();
  }
  std::string container = (dir + "/weights.rt.safetensors").str();
  pipelines = {
      "sxf-decompose",
      "sxf-select-format{target=ipu-mk2}",
      "sxf-fuse",
      "sxf-tile{target=" SXF_FUZZ_TOY_TARGET "}",
      "sxf-decompose,sxf-prune{method=magnitude sparsity=0.8},"
      "sxf-eliminate-dead",
      "sxf-decompose,sxf-prune{method=nm n=2 m=4},"
      "sxf-select-format{target=cpu-host}",
      "sxf-decompose,sxf-prune{method=block block=2x2 sparsity=0.5},"
      "sxf-select-format{target=rdu-sn10 value=f16}",
      "sxf-decompose,sxf-select-format{target=cpu-host},sxf-fuse,"
      "sxf-lower-to-emitc{weights=" + container + "}",
      "sxf-decompose,sxf-to-linalg",
      "sxf-cost-report{output=/dev/null},sxf-sparsity-report{output=/dev/null}",
  };
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  const std::string &pipeline = pipelines[data[0] % pipelines.size()];
  MLIRContext &ctx = getContext();
  ScopedDiagnosticHandler drop(&ctx, [](Diagnostic &) { return success(); });
  OwningOpRef<ModuleOp> module =
      sxf::fuzz::parseInput(ctx, data + 1, size - 1);
  if (!module)
    return 0;
  PassManager pm(&ctx, ModuleOp::getOperationName());
  if (failed(parsePassPipeline(pipeline, pm)))
    __builtin_trap(); // the fixed pipelines always parse
  (void)pm.run(*module);
  return 0;
}
