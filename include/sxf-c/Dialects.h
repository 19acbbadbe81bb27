/*===- sxf-c/Dialects.h - C API: sxf's dialects -------------------*- C -*-===*\
|*                                                                            *|
|* The sxf (`sxf`) and target-level (`sxft`) dialects for MLIR's C API, in    *|
|* its conventions (mlir-c/IR.h): handles are MlirDialectHandle, registration *|
|* goes through an MlirDialectRegistry. Link SXF::CAPI (docs/embedding.md).   *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef SXF_C_DIALECTS_H
#define SXF_C_DIALECTS_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/* mlirGetDialectHandle__sxf__() and mlirGetDialectHandle__sxft__(). */
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Sxf, sxf);
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(SxfTarget, sxft);

/** Adds sxf, sxft and the upstream dialects sxf's IR and passes use (func,
 * arith, tensor, linalg, sparse_tensor, emitc, math) to `registry`: what
 * sparse-opt registers. */
MLIR_CAPI_EXPORTED void sxfRegisterAllDialects(MlirDialectRegistry registry);

/** The version of the sxf libraries, e.g. "0.16.0". */
MLIR_CAPI_EXPORTED MlirStringRef sxfGetVersion(void);

#ifdef __cplusplus
}
#endif

#endif /* SXF_C_DIALECTS_H */
