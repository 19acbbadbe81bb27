//===- FuzzCommon.h - What the MLIR fuzz targets share ----------*- C++ -*-===//
//
// One MLIR context for many inputs, and parsing as the tools do.
//
// The fuzz targets parse their input as the tools do: a copy that ends in a
// newline and a NUL, with no resource blob MLIR would mis-allocate
// (sxf/Support/SourceInput.h explains both), through
// a SourceMgr, with the verifier after parsing unless told otherwise.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_FUZZ_FUZZCOMMON_H
#define SXF_FUZZ_FUZZCOMMON_H

#include "sxf/InitAll.h"
#include "sxf/Support/SourceInput.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/SourceMgr.h"

#include <cstddef>
#include <cstdint>
#include <memory>

namespace sxf::fuzz {

/// One context with every sxf dialect loaded, shared by many inputs
/// (building one per input would dominate the time) and replaced every
/// `uses` inputs so that uniqued attributes and types from earlier inputs do
/// not accumulate without bound.
inline mlir::MLIRContext &sharedContext(unsigned uses = 1000) {
  static std::unique_ptr<mlir::MLIRContext> context;
  static unsigned used = 0;
  if (!context || ++used > uses) {
    mlir::DialectRegistry registry;
    registerAllDialects(registry);
    context = std::make_unique<mlir::MLIRContext>(
        registry, mlir::MLIRContext::Threading::DISABLED);
    context->loadAllAvailableDialects();
    used = 0;
  }
  return *context;
}

inline mlir::OwningOpRef<mlir::ModuleOp>
parseInput(mlir::MLIRContext &ctx, const uint8_t *data, size_t size,
           bool verifyAfterParse = true) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  if (!resourceBlobProblem(text).empty())
    return {}; // the tools refuse it before MLIR's parser sees it
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      mlirSourceBuffer(text, "fuzz.mlir"),
      llvm::SMLoc());
  mlir::ParserConfig config(&ctx, verifyAfterParse);
  return mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, config);
}

} // namespace sxf::fuzz

#endif // SXF_FUZZ_FUZZCOMMON_H
