//===- ParseInput.h - MLIR text from a fuzzer input -------------*- C++ -*-===//
//
// The fuzz targets parse their input as the tools do: a copy that ends in a
// newline and a NUL, with no resource blob MLIR would mis-allocate
// (sxf/Support/SourceInput.h explains both), through
// a SourceMgr, with the verifier after parsing unless told otherwise.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_FUZZ_PARSEINPUT_H
#define SXF_FUZZ_PARSEINPUT_H

#include "sxf/Support/SourceInput.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/SourceMgr.h"

#include <cstddef>
#include <cstdint>

namespace sxf::fuzz {

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

#endif // SXF_FUZZ_PARSEINPUT_H
