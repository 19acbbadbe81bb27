//===- ModelPruner.h - Pruning the weights of an sxf module -----*- C++ -*-===//
//
// Applies a pruning method to the linear-layer weights of a module: selects
// the weights, gathers calibration statistics by running the reference
// interpreter (layer by layer, each layer fed by the already-pruned ones),
// calls the algorithms of Pruning.h and writes the pruned values and their
// #sxf.sparsity back. sxf-prune is a thin pass over pruneModule().
//
// Results go inline (dense_resource blobs) by default. With
// PruneConfig::out they are streamed instead: a safetensors file with every
// weight of the module (the bytes sxf-export-weights would write after an
// inline run) is opened before pruning starts, each pruned weight is written
// to it as soon as it is final and dropped, the others are copied through at
// the end, and the module's sxf.weights_file names the new file. Peak
// memory is then about one layer's weights plus the calibration activations
// (docs/pruning.md, "Pruning beyond memory").
//
//===----------------------------------------------------------------------===//

#ifndef SXF_PRUNING_MODELPRUNER_H
#define SXF_PRUNING_MODELPRUNER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include "sxf/Support/EnumOption.h"
#include "sxf/Support/Tensor.h"

#include <cstdint>
#include <string>

namespace sxf {
namespace prune {

/// A pruning method. None prunes nothing (sxf-pipeline's default; sxf-prune
/// refuses it).
enum class Method { None, Magnitude, Block, NM, Wanda, SparseGPT };
enum class Granularity { Element, Head, Neuron };
/// layer: a threshold per weight; global: one over all selected weights.
enum class Scope { Layer, Global };

struct PruneConfig {
  Method method = Method::Magnitude;
  double sparsity = 0.5;
  /// Whether `sparsity` was given (N:M fixes the density itself: a given
  /// sparsity with n/m is refused rather than ignored).
  bool sparsityGiven = false;
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
  /// Stream the weights to this safetensors file instead of storing pruned
  /// values inline (empty: inline), in element type `outDType`.
  std::string out;
  DType outDType = DType::F32;
};

/// Parses a block shape ("4" or "4x8"); the error says what is wrong.
mlir::LogicalResult parseBlock(llvm::StringRef s, unsigned &rows,
                               unsigned &cols, std::string &error);

/// Checks option combinations (sparsity in [0, 1), n ≤ m, a calibration
/// source for the data-aware methods, ...). Returns "" when valid.
std::string validate(const PruneConfig &config);

/// Prunes `module` in place; diagnoses at the offending op on failure.
mlir::LogicalResult pruneModule(mlir::ModuleOp module,
                                const PruneConfig &config);

} // namespace prune

/// The options' spellings (sxf/Support/EnumOption.h).
template <> struct EnumSpellings<prune::Method> {
  static constexpr std::pair<prune::Method, const char *> table[] = {
      {prune::Method::None, "none"},
      {prune::Method::Magnitude, "magnitude"},
      {prune::Method::Block, "block"},
      {prune::Method::NM, "nm"},
      {prune::Method::Wanda, "wanda"},
      {prune::Method::SparseGPT, "sparsegpt"}};
};
template <> struct EnumSpellings<prune::Granularity> {
  static constexpr std::pair<prune::Granularity, const char *> table[] = {
      {prune::Granularity::Element, "element"},
      {prune::Granularity::Neuron, "neuron"},
      {prune::Granularity::Head, "head"}};
};
template <> struct EnumSpellings<prune::Scope> {
  static constexpr std::pair<prune::Scope, const char *> table[] = {
      {prune::Scope::Layer, "layer"}, {prune::Scope::Global, "global"}};
};
} // namespace sxf

SXF_ENUM_OPTION(sxf::prune::Method)
SXF_ENUM_OPTION(sxf::prune::Granularity)
SXF_ENUM_OPTION(sxf::prune::Scope)

#endif // SXF_PRUNING_MODELPRUNER_H
