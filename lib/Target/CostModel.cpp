//===- CostModel.cpp - Time, bytes and energy of a weight's format -*- C++ -*-===//

#include "sxf/Target/CostModel.h"

#include <algorithm>

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
  // through the same memory.
  double activationBytes =
      4.0 * double(tokens) * double(stats.cols + stats.rows);
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
