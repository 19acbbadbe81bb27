/*===- sxf-c/Simulator.h - C API: the reference simulator ---------*- C -*-===*\
|*                                                                            *|
|* sparse-sim's performance mode: tile `module` onto a dataflow target and   *|
|* time it, returning the JSON report sparse-sim --report writes             *|
|* (docs/tools.md: cycles, seconds, bytes, energy, per step and per layer).  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef SXF_C_SIMULATOR_H
#define SXF_C_SIMULATOR_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Tiles the entry of `module` (its @forward, or its only public function)
 * onto `target` (a preset such as "ipu-mk2", or a target description .json
 * path; docs/targets.md) with sxf-tile, unless the module already holds a
 * tiled program, and simulates its performance. The JSON report goes to
 * `onReport` in one call; diagnostics (an unknown target, an op sxf-tile
 * cannot map) to `onDiagnostic` when not NULL. The module is modified (the
 * sxft.program is added). */
MLIR_CAPI_EXPORTED MlirLogicalResult
sxfSimulatePerformance(MlirModule module, MlirStringRef target,
                       MlirStringCallback onReport,
                       MlirStringCallback onDiagnostic, void *userData);

#ifdef __cplusplus
}
#endif

#endif /* SXF_C_SIMULATOR_H */
