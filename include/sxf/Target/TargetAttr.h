//===- TargetAttr.h - The target a module records ---------------*- C++ -*-===//
//
// #sxf.target (the module attribute `sxf.target`) holds a whole target
// description in the fields of the target JSON schema. These functions are
// the one conversion between it and TargetDesc (through the JSON reader, so
// the attribute is checked by exactly the rules a .json file is) and the
// one rule every pass and tool uses to decide which target applies:
//
//   an explicit option (target=NAME|FILE, --target) > the module's
//   #sxf.target > the caller's documented default.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_TARGET_TARGETATTR_H
#define SXF_TARGET_TARGETATTR_H

#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Target/Target.h"

#include "mlir/IR/BuiltinOps.h"

namespace sxf {

/// The attribute recording `target` (every field targetToJson writes).
TargetAttr targetToAttr(mlir::MLIRContext *ctx, const TargetDesc &target);

/// The description `attr` records; errors name the attribute and the field.
llvm::Expected<TargetDesc> targetFromAttr(TargetAttr attr);

/// The module's recorded target, if any.
TargetAttr recordedTarget(mlir::ModuleOp module);

/// Records `target` on `module` as `sxf.target`.
void recordTarget(mlir::ModuleOp module, const TargetDesc &target);

/// The target a pass or tool uses: `option` when not empty (a preset or a
/// .json path), else the module's #sxf.target, else `fallback` (a preset).
/// Errors are diagnosed at the module, prefixed with `who` ("sxf-tile").
mlir::FailureOr<TargetDesc> resolveTarget(mlir::ModuleOp module,
                                          llvm::StringRef option,
                                          llvm::StringRef fallback,
                                          llvm::StringRef who);

} // namespace sxf

#endif // SXF_TARGET_TARGETATTR_H
