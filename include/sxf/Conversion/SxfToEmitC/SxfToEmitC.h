//===- SxfToEmitC.h - sxf models to runnable C++ via EmitC ------*- C++ -*-===//
//
// Lowers a module's entry function to EmitC calls of the CPU kernel runtime
// (libsxf_rt, declared in runtime/include/sxf_rt/api.h) and writes its
// weights, encoded in their
// #sxf.format, to a safetensors container the program loads. The ABI and
// the container are documented in docs/codegen.md.
//
// The lowering is dialect conversion: one OpConversionPattern per sxf op
// (lib/Conversion/SxfToEmitC/SxfToEmitC.cpp), a type converter from
// activation tensors to `!emitc.ptr<f32>` (token ids: `!emitc.ptr<i64>`),
// and a pattern that turns the entry `func.func` into the `sxf_forward` ABI.
// The patterns share a plan of the whole entry computed first (symbolic
// shapes, workspace offsets, the container; lib/Conversion/SxfToEmitC/
// EmitCPlan.h), which is why they are populated by lowerToEmitC and not
// offered one by one.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_CONVERSION_SXFTOEMITC_SXFTOEMITC_H
#define SXF_CONVERSION_SXFTOEMITC_SXFTOEMITC_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Transforms/DialectConversion.h"

#include <string>

namespace sxf {

struct LowerOptions {
  std::string entry;       // "" = @forward or the only public function
  std::string weightsFile; // the container to write (required)
  bool embed = false;      // also embed the container in the C++ source
};

/// Activation tensors to runtime pointers: a ranked tensor with f32 (or
/// f16/bf16, computed in f32) elements to `!emitc.ptr<f32>`, integer token
/// ids to `!emitc.ptr<i64>`; anything else has no conversion.
class SxfToEmitCTypeConverter : public mlir::TypeConverter {
public:
  explicit SxfToEmitCTypeConverter(mlir::MLIRContext *ctx);
};

/// Replaces the module's entry function by `sxf_forward` and `main` in EmitC
/// (other functions and sxft programs are dropped). Diagnoses unsupported
/// ops, dynamic shapes and metadata-only weights before changing anything.
mlir::LogicalResult lowerToEmitC(mlir::ModuleOp module,
                                 const LowerOptions &options);

} // namespace sxf

#endif // SXF_CONVERSION_SXFTOEMITC_SXFTOEMITC_H
