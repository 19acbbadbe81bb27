//===- CostModel.h - Time, bytes and energy of a weight's format -*- C++ -*-===//
//
// The one cost model of sxf: format selection, fusion and tiling all ask it
// what a linear layer costs on a target when its weight is stored one way.
// It is a roofline: time = max(compute, memory), where compute is the FLOPs
// the format stores (padding included) at the target's peak times the
// format's sustained efficiency, and memory is the weight's bytes (plus the
// activations) over the bandwidth of wherever the weight lives (on-chip
// SRAM when the model fits there, else off-chip memory). Every number comes
// from the TargetDesc.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_TARGET_COSTMODEL_H
#define SXF_TARGET_COSTMODEL_H

#include "sxf/Analysis/SparsityStats.h"
#include "sxf/Target/Target.h"

#include <optional>
#include <string>

namespace sxf {

/// Where weights are read from during a forward pass.
enum class WeightHome { Sram, Offchip };

struct LinearCost {
  FormatAttr format;
  FormatBytes bytes;
  double usefulFlops = 0; // 2 · tokens · nnz
  double storedFlops = 0; // 2 · tokens · stored values (padding included)
  double computeSeconds = 0;
  double memorySeconds = 0;
  double seconds = 0;
  double joules = 0;
};

/// The efficiency key of a format in TargetDesc::sparseEfficiency ("csr",
/// "bsr4", ...); "dense" for dense.
std::string efficiencyKey(FormatAttr format);

/// Input columns (of stats.cols) that at least one stored entry of a weight
/// with `stats` in `format` multiplies, for an even spread of its nonzeros:
/// all of them for a dense weight or a tall sparse one, about
/// cols · density for a sparse block one granule (a row, or a BSR block row)
/// tall. What a kernel reads of each input row.
double touchedInputColumns(const WeightStats &stats, FormatAttr format);

/// Costs a linear layer whose weight has `stats`, stored as `format`, on
/// `target`, for `tokens` input rows. std::nullopt when the format cannot
/// hold the weight or the target does not support it.
std::optional<LinearCost> costLinear(const WeightStats &stats,
                                     FormatAttr format,
                                     const TargetDesc &target, int64_t tokens,
                                     WeightHome home);

} // namespace sxf

#endif // SXF_TARGET_COSTMODEL_H
