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
  std::string key = efficiencyKey(format);
  double efficiency = target.denseEfficiency;
  if (key != "dense") {
    auto it = target.sparseEfficiency.find(key);
    if (it == target.sparseEfficiency.end())
      return std::nullopt;
    efficiency = it->second;
  }
  LinearCost c;
  c.format = format;
  c.bytes = *bytes;
  int64_t stored = format.getKind() == StorageKind::dense
                       ? stats.numel
                       : stats.nnz + bytes->paddingValues;
  c.usefulFlops = linearFlops(double(tokens), double(stats.nnz));
  c.storedFlops = linearFlops(double(tokens), double(stored));
  double rate = target.peak(valueTypeName(format.getValueType())) * efficiency;
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
  c.joules = c.storedFlops * target.joulesPerFlop + movedBytes * perByte;
  return c;
}

} // namespace sxf
