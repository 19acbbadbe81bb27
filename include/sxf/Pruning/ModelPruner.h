//===- ModelPruner.h - Pruning the weights of an sxf module -----*- C++ -*-===//
//
// Applies a pruning method to the linear-layer weights of a module: selects
// the weights, gathers calibration statistics by running the reference
// interpreter (layer by layer, each layer fed by the already-pruned ones),
// calls the algorithms of Pruning.h and writes the pruned values and their
// #sxf.sparsity back. sxf-prune is a thin pass over pruneModule().
//
//===----------------------------------------------------------------------===//

#ifndef SXF_PRUNING_MODELPRUNER_H
#define SXF_PRUNING_MODELPRUNER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <string>

namespace sxf {
namespace prune {

enum class Method { Magnitude, Block, NM, Wanda, SparseGPT };
enum class Granularity { Element, Head, Neuron };

struct PruneConfig {
  Method method = Method::Magnitude;
  double sparsity = 0.5;
  bool globalScope = false;
  unsigned blockRows = 0, blockCols = 0;
  unsigned n = 0, m = 0;
  /// A .npy of calibration inputs ([samples, ...] token ids), or "random".
  std::string calib;
  int64_t samples = 128;
  uint64_t seed = 0;
  double damp = 0.01;
  int64_t blocksize = 128;
  Granularity granularity = Granularity::Element;
  /// Regexes over weight names; empty include = every linear weight except
  /// embedding tables (tied LM heads) and output heads.
  std::string include, exclude;
};

/// Parses method / granularity / block spellings ("4", "4x8"); the error
/// lists the valid values.
mlir::FailureOr<Method> parseMethod(llvm::StringRef s, std::string &error);
mlir::FailureOr<Granularity> parseGranularity(llvm::StringRef s,
                                              std::string &error);
mlir::LogicalResult parseBlock(llvm::StringRef s, unsigned &rows,
                               unsigned &cols, std::string &error);

/// Checks option combinations (sparsity in [0, 1), n ≤ m, a calibration
/// source for the data-aware methods, ...). Returns "" when valid.
std::string validate(const PruneConfig &config);

/// Prunes `module` in place; diagnoses at the offending op on failure.
mlir::LogicalResult pruneModule(mlir::ModuleOp module,
                                const PruneConfig &config);

} // namespace prune
} // namespace sxf

#endif // SXF_PRUNING_MODELPRUNER_H
