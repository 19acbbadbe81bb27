//===- PerfModel.h - Per-unit time of the pieces of a tiled program -*- C++ -*-===//
//
// What one unit of a target takes for each kind of work in an sxft program.
// The tiler uses it to choose grids and to lay RDU stages out; the
// simulator uses it to time a program; both read every number from the
// TargetDesc (a unit gets 1/units of the chip's peak FLOP/s, SRAM bandwidth
// and exchange bandwidth). Weight blocks are costed by the shared roofline
// of CostModel.h, so the per-unit figures and the whole-chip format
// selection agree.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_TILE_PERFMODEL_H
#define SXF_TILE_PERFMODEL_H

#include "sxf/Analysis/SparsityStats.h"
#include "sxf/Target/Target.h"

#include <cstdint>
#include <optional>

namespace sxf {

/// Bytes of one activation element everywhere in sxft (fp32).
constexpr int64_t kActivationBytes = 4;

struct WorkCost {
  double seconds = 0;
  double flops = 0;     // useful FLOPs
  double sramBytes = 0; // bytes read and written in the unit's SRAM
};

/// The target seen from one of its units.
TargetDesc unitView(const TargetDesc &t);

/// Statistics of a `rows` x `cols` block holding `nnz` stored entries of a
/// weight whose structure is `pattern` (block / N:M parameters kept).
WeightStats blockStats(const WeightStats &weight, int64_t rows, int64_t cols,
                       int64_t nnz);

/// One unit multiplying `tokens` rows by a weight block in `format`.
/// std::nullopt when the format cannot hold the block or the target does
/// not support it.
std::optional<WorkCost> matmulCost(const TargetDesc &unit,
                                   const WeightStats &block, FormatAttr format,
                                   int64_t tokens);

/// Seconds of fp32 work on one unit: `flops` at its dense rate against
/// `bytes` of its SRAM traffic, whichever takes longer.
double roofline(const TargetDesc &unit, double flops, double bytes);

/// One unit doing `flopsPerElement` on `elements` fp32 values read once and
/// written once (norms, softmax, activations, adds, epilogues).
WorkCost elementwiseCost(const TargetDesc &unit, int64_t elements,
                         double flopsPerElement);

/// One unit computing `heads` attention heads of `batches` sequences.
WorkCost attentionCost(const TargetDesc &unit, int64_t batches, int64_t heads,
                       int64_t queries, int64_t keys, int64_t headDim);

/// An exchange moving `totalBytes` in all, at most `maxUnitBytes` into one
/// unit: limited by the chip's exchange bandwidth and by each unit's share.
double exchangeSeconds(const TargetDesc &t, double totalBytes,
                       double maxUnitBytes);

/// Streaming `bytes` from off-chip memory.
double offchipSeconds(const TargetDesc &t, double bytes);

/// Bytes of a weight block in `format`, or std::nullopt when the format
/// cannot hold it. An empty encoding (no nonzeros in a sparse format) is
/// valid and takes 0 bytes.
std::optional<int64_t> blockBytes(const WeightStats &block, FormatAttr format);

} // namespace sxf

#endif // SXF_TILE_PERFMODEL_H
