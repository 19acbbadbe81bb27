//===- LowerToEmitC.h - sxf models to runnable C++ via EmitC -----*- C++ -*-===//
//
// Lowers a module's entry function to EmitC calls of the CPU kernel runtime
// (runtime/include/sxf_rt/model.h) and writes its weights, encoded in their
// #sxf.format, to a safetensors container the program loads. The ABI and
// the container are documented in docs/codegen.md.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_LOWER_LOWERTOEMITC_H
#define SXF_LOWER_LOWERTOEMITC_H

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace sxf {

struct LowerOptions {
  std::string entry;       // "" = @forward or the only public function
  std::string weightsFile; // the container to write (required)
  bool embed = false;      // also embed the container in the C++ source
};

/// Replaces the module's functions by `sxf_forward` and `main` in EmitC.
/// Diagnoses unsupported ops, dynamic shapes and metadata-only weights.
mlir::LogicalResult lowerToEmitC(mlir::ModuleOp module,
                                 const LowerOptions &options);

} // namespace sxf

#endif // SXF_LOWER_LOWERTOEMITC_H
