//===- FormatSelection.h - Choosing each weight's storage format -*- C++ -*-===//
//
// For every weight of a linear layer: enumerate the formats that can hold
// it (dense, CSR, CSC, COO, ELL, BSR with 4/8/16 blocks dividing the shape,
// N:M for the patterns it complies with), with index widths chosen from its
// dimensions, cost each with the target's cost model, and pick the best
// under the objective. sxf-select-format is a thin pass over this.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_TARGET_FORMATSELECTION_H
#define SXF_TARGET_FORMATSELECTION_H

#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Target/CostModel.h"

#include "sxf/Support/EnumOption.h"

#include "mlir/IR/BuiltinOps.h"

#include <vector>

namespace sxf {

enum class Objective { Latency, Memory, Energy };
template <> struct EnumSpellings<Objective> {
  static constexpr std::pair<Objective, const char *> table[] = {
      {Objective::Latency, "latency"},
      {Objective::Memory, "memory"},
      {Objective::Energy, "energy"}};
};

struct SelectOptions {
  Objective objective = Objective::Latency;
  /// Total bytes allowed for the selected weights (< 0: no limit).
  int64_t maxBytes = -1;
  /// Value type weights are stored in ("f32", "f16", "bf16").
  std::string valueType = "f32";
};

struct WeightChoice {
  WeightOp op;
  WeightStats stats;
  int64_t tokens = 0;
  std::vector<LinearCost> candidates; // every legal format, costed
  size_t chosen = 0;
  std::string reason;
};

struct Selection {
  std::vector<WeightChoice> weights;
  WeightHome home = WeightHome::Offchip;
  int64_t totalBytes = 0;
};

/// The index width the selector gives a format for this weight: packed
/// in-group indices for nm (2 bits for M <= 4, 4 for M <= 16, else 8), else
/// the smallest of 8/16/32/64 that holds every index the format stores
/// (formats::chooseIndexBits; pointers widen by themselves).
unsigned indexBitsFor(StorageKind kind, const WeightStats &stats,
                      unsigned blockRows = 1, unsigned blockCols = 1,
                      unsigned m = 0);

/// Chooses formats for every linear weight (measured when values are
/// available, else from #sxf.sparsity) and records them on the ops
/// (`format` and an `sxf.cost` dictionary). Diagnoses on failure (e.g. a
/// max-bytes budget that no choice meets).
mlir::FailureOr<Selection> selectFormats(mlir::ModuleOp module,
                                         const TargetDesc &target,
                                         const SelectOptions &options);

} // namespace sxf

SXF_ENUM_OPTION(sxf::Objective)

#endif // SXF_TARGET_FORMATSELECTION_H
