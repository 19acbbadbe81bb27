/*===- sxf-c/Passes.h - C API: sxf's passes and pipeline ----------*- C -*-===*\
|*                                                                            *|
|* Registration and creation of every sxf pass, in MLIR's generated C API     *|
|* form (mlir-tblgen -gen-pass-capi-header: mlirCreateSxfSxfPrunePass(),      *|
|* mlirRegisterSxfSxfPrunePass(), ...), and the sxf-pipeline entry built from *|
|* its option string.                                                         *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef SXF_C_PASSES_H
#define SXF_C_PASSES_H

#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/Support.h"

#include "sxf/Dialect/Sxf/Transforms/Passes.capi.h.inc"
#include "sxf/Conversion/Passes.capi.h.inc"

#ifdef __cplusplus
extern "C" {
#endif

/** Registers every sxf pass and sxf-pipeline with the global registry (so
 * mlirParsePassPipeline and mlirOpPassManagerAddPipeline know them): what
 * sparse-opt registers. */
MLIR_CAPI_EXPORTED void sxfRegisterAllPasses(void);

/** Runs sxf-pipeline on `module` with `options` in the pass's syntax, e.g.
 * "target=ipu-mk2 method=magnitude sparsity=0.8" (docs/tools.md lists them;
 * "" takes the defaults). Returns failure on a malformed option string (the
 * message says why: an unknown option, a value not allowed) or when a pass
 * fails; each diagnostic, with its location first ("loc(...)" for a module
 * parsed from a string), goes to `onDiagnostic` when it is not NULL, one
 * call per message. */
MLIR_CAPI_EXPORTED MlirLogicalResult
sxfRunPipeline(MlirModule module, MlirStringRef options,
               MlirStringCallback onDiagnostic, void *userData);

#ifdef __cplusplus
}
#endif

#endif /* SXF_C_PASSES_H */
