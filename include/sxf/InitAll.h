//===- InitAll.h - Register every sxf dialect and pass ----------*- C++ -*-===//
//
// The one entry point that every sxf tool, and any program embedding sxf,
// calls to make the sxf dialect, the upstream dialects it works with and all
// sxf passes available.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_INITALL_H
#define SXF_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace sxf {
/// Adds the sxf dialect and the upstream dialects sxf uses (func, arith,
/// tensor, linalg, sparse_tensor, emitc) to `registry`.
void registerAllDialects(mlir::DialectRegistry &registry);
/// Registers every sxf pass (and pipeline) with the global pass registry.
void registerAllPasses();
} // namespace sxf

#endif // SXF_INITALL_H
