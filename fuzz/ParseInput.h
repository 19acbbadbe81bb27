//===- ParseInput.h - MLIR text from a fuzzer input -------------*- C++ -*-===//
//
// The fuzz targets parse their input as the tools do: a copy that ends in a
// newline and a NUL (sxf/Support/SourceInput.h explains why both), through
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
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      mlirSourceBuffer(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.mlir"),
      llvm::SMLoc());
  mlir::ParserConfig config(&ctx, verifyAfterParse);
  return mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, config);
}

} // namespace sxf::fuzz

#endif // SXF_FUZZ_PARSEINPUT_H
