//===- CostModel.cpp - Time, bytes and energy of a weight's format -*- C++ -*-===//

#include "sxf/Target/CostModel.h"

#include <algorithm>
#include <cmath>

using namespace sxf;

namespace sxf {

std::string efficiencyKey(FormatAttr f) {
  return sxf_rt::efficiencyKey(toFormatSpec(f));
}

static std::string valueTypeName(mlir::Type t) {
  if (t.isF16())
    return "f16";
  if (t.isBF16())
    return "bf16";
  return "f32";
}

double touchedInputColumns(const WeightStats &stats, FormatAttr format) {
  double cols = double(stats.cols);
  if (format.getKind() == StorageKind::dense || stats.rows <= 0 ||
      stats.density >= 1.0)
    return cols;
  // Rows of stored granules: a block pattern stores (and reads the input
  // for) whole blocks; a column is untouched when every granule row misses
  // it, each independently with probability 1 - density (an even spread).
  int64_t granule =
      format.getKind() == StorageKind::bsr ? std::max<int64_t>(1, format.getBlockRows()) : 1;
  double granuleRows = std::ceil(double(stats.rows) / double(granule));
  return cols * (1.0 - std::pow(1.0 - stats.density, granuleRows));
}

std::optional<LinearCost> costLinear(const WeightStats &stats,
                                     FormatAttr format,
                                     const TargetDesc &target, int64_t tokens,
                                     WeightHome home) {
  std::optional<FormatBytes> bytes = formatBytes(stats, format);
  if (!bytes)
    return std::nullopt;
  // The efficiency tables are per value type (the IPU's fp16 and fp32
  // sparse kernels differ; docs/targets.md): the weight's type picks one.
  std::string key = efficiencyKey(format);
  std::string valueType = valueTypeName(format.getValueType());
  double efficiency = target.dense(valueType);
  if (key != "dense") {
    std::optional<double> e = target.sparse(valueType, key);
    if (!e)
      return std::nullopt;
    efficiency = *e;
  }
  LinearCost c;
  c.format = format;
  c.bytes = *bytes;
  int64_t stored = format.getKind() == StorageKind::dense
                       ? stats.numel
                       : stats.nnz + bytes->paddingValues;
  c.usefulFlops = linearFlops(double(tokens), double(stats.nnz));
  c.storedFlops = linearFlops(double(tokens), double(stored));
  double rate = target.peak(valueType) * efficiency;
  c.computeSeconds = rate > 0 ? c.storedFlops / rate : 0.0;
  // Weights are read once per forward; activations (fp32 in and out) move
  // through the same memory: every output row, and the input columns that
  // some stored entry multiplies (a sparse block of few rows touches few).
  double activationBytes =
      4.0 * double(tokens) * (touchedInputColumns(stats, format) + stats.rows);
  double bandwidth = home == WeightHome::Sram ? target.sramBandwidth
                                              : target.offchipBandwidth;
  double movedBytes = double(bytes->total()) + activationBytes;
  c.memorySeconds = bandwidth > 0 ? movedBytes / bandwidth : 0.0;
  c.seconds = std::max(c.computeSeconds, c.memorySeconds);
  double perByte = home == WeightHome::Sram ? target.joulesPerSramByte
                                            : target.joulesPerOffchipByte;
  // The layer holds the whole target for its time: static power is charged
  // for it, so a faster format also saves static energy.
  c.joules = c.storedFlops * target.joulesPerFlop + movedBytes * perByte +
             target.staticWatts * c.seconds;
  return c;
}

} // namespace sxf
