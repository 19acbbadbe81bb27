//===- SxfPlugin.cpp - sxf as a plugin of a stock mlir-opt ----------------===//
//
// SxfPlugin.so lets a stock mlir-opt (Debian's mlir-opt-22, built against the
// same libMLIR.so) parse sxf IR and run sxf passes:
//
//   mlir-opt-22 --load-dialect-plugin=P/lib/SxfPlugin.so \
//               --load-pass-plugin=P/lib/SxfPlugin.so model.mlir \
//               --sxf-decompose --sxf-prune="sparsity=0.8"
//
// Both entry points are the ones sparse-opt uses (sxf/InitAll.h), so the
// plugin and the tool accept the same IR and passes (docs/embedding.md).
//
//===----------------------------------------------------------------------===//

#include "sxf/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"

#ifndef SXF_VERSION_STRING
#define SXF_VERSION_STRING "unknown"
#endif

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "sxf", SXF_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            sxf::registerAllDialects(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "sxf", SXF_VERSION_STRING,
          []() { sxf::registerAllPasses(); }};
}
