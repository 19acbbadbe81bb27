//===- PerfModel.cpp - Per-unit time of the pieces of a tiled program -----===//

#include "sxf/Tile/PerfModel.h"
#include "sxf/Target/CostModel.h"

#include <algorithm>
#include <cmath>

namespace sxf {

TargetDesc unitView(const TargetDesc &t) {
  TargetDesc u = t;
  double n = double(std::max<int64_t>(1, t.units));
  u.units = 1;
  for (auto &[type, flops] : u.peakFlops)
    flops /= n;
  u.sramBandwidth /= n;
  u.exchangeBandwidth /= n;
  return u;
}

WeightStats blockStats(const WeightStats &weight, int64_t rows, int64_t cols,
                       int64_t nnz) {
  WeightStats s;
  s.shape = {rows, cols};
  s.rows = rows;
  s.cols = cols;
  s.numel = rows * cols;
  s.nnz = std::min(nnz, s.numel);
  s.density = s.numel ? double(s.nnz) / double(s.numel) : 0.0;
  s.measured = false;
  s.pattern = weight.pattern;
  s.patternBlock = weight.patternBlock;
  s.patternN = weight.patternN;
  s.patternM = weight.patternM;
  // Widest row (ELL pads to it): an even spread's mean + 3 standard
  // deviations over the block's columns, or the weight's widest row scaled
  // to them if that is wider.
  double mean = s.density * double(cols);
  int64_t spread = static_cast<int64_t>(
      std::ceil(mean + 3.0 * std::sqrt(mean * (1.0 - s.density))));
  int64_t scaled = weight.cols
                       ? (weight.maxRowNnz * cols + weight.cols - 1) /
                             weight.cols
                       : 0;
  s.maxRowNnz = std::min<int64_t>({cols, std::max(spread, scaled), s.nnz});
  if (rows > 0)
    s.maxRowNnz = std::max(s.maxRowNnz, (s.nnz + rows - 1) / rows);
  s.nmCompliant = weight.nmCompliant;
  for (auto [m, n] : weight.maxGroupNnz)
    if (cols % m == 0)
      s.maxGroupNnz[m] = n;
  // A row of whole groups of M holds at most maxGroupNnz[M] per group (N
  // for an N:M compliant weight): the spread estimate must not exceed it.
  for (auto [n, m] : s.nmCompliant)
    if (m > 0 && cols % m == 0)
      s.maxRowNnz = std::min<int64_t>(s.maxRowNnz, cols / m * n);
  for (auto [m, n] : s.maxGroupNnz)
    if (m > 0)
      s.maxRowNnz = std::min<int64_t>(s.maxRowNnz, cols / m * n);
  if (rows > 0)
    s.nnz = std::min(s.nnz, rows * s.maxRowNnz);
  for (const BlockStats &wb : weight.blocks) {
    BlockStats b = wb;
    b.divides = rows % wb.size == 0 && cols % wb.size == 0;
    if (b.divides && weight.numel > 0) {
      // The weight's nonzero blocks, in proportion to the block's share of
      // its nonzeros.
      double share = weight.nnz ? double(s.nnz) / double(weight.nnz) : 0.0;
      int64_t total = (rows / wb.size) * (cols / wb.size);
      b.nonzeroBlocks = std::min<int64_t>(
          total, static_cast<int64_t>(std::ceil(share * wb.nonzeroBlocks)));
    }
    s.blocks.push_back(b);
  }
  return s;
}

std::optional<WorkCost> matmulCost(const TargetDesc &unit,
                                   const WeightStats &block, FormatAttr format,
                                   int64_t tokens) {
  std::optional<LinearCost> c =
      costLinear(block, format, unit, tokens, WeightHome::Sram);
  if (!c)
    return std::nullopt;
  WorkCost w;
  w.seconds = c->seconds;
  w.flops = c->usefulFlops;
  w.sramBytes = double(c->bytes.total()) +
                double(kActivationBytes) * double(tokens) *
                    double(block.rows + block.cols);
  return w;
}

double roofline(const TargetDesc &unit, double flops, double bytes) {
  double rate = unit.peak("f32") * unit.dense("f32");
  double compute = rate > 0 ? flops / rate : 0.0;
  double memory = unit.sramBandwidth > 0 ? bytes / unit.sramBandwidth : 0.0;
  return std::max(compute, memory);
}

WorkCost elementwiseCost(const TargetDesc &unit, int64_t elements,
                         double flopsPerElement) {
  WorkCost w;
  w.flops = double(elements) * flopsPerElement;
  w.sramBytes = 2.0 * double(kActivationBytes) * double(elements);
  w.seconds = roofline(unit, w.flops, w.sramBytes);
  return w;
}

WorkCost attentionCost(const TargetDesc &unit, int64_t batches, int64_t heads,
                       int64_t queries, int64_t keys, int64_t headDim) {
  WorkCost w;
  w.flops = attentionFlops(double(batches), double(heads), double(queries),
                           double(keys), double(headDim));
  w.sramBytes = double(kActivationBytes) * double(batches) * double(heads) *
                double(headDim) * double(2 * queries + 2 * keys);
  w.seconds = roofline(unit, w.flops, w.sramBytes);
  return w;
}

double exchangeSeconds(const TargetDesc &t, double totalBytes,
                       double maxUnitBytes) {
  if (t.exchangeBandwidth <= 0 || totalBytes <= 0)
    return 0.0;
  double perUnit = t.unitExchangeBandwidth > 0
                       ? t.unitExchangeBandwidth
                       : t.exchangeBandwidth /
                             double(std::max<int64_t>(1, t.units));
  return std::max(totalBytes / t.exchangeBandwidth, maxUnitBytes / perUnit);
}

double offchipSeconds(const TargetDesc &t, double bytes) {
  return t.offchipBandwidth > 0 ? bytes / t.offchipBandwidth : 0.0;
}

std::optional<int64_t> blockBytes(const WeightStats &block,
                                  FormatAttr format) {
  std::optional<FormatBytes> b = formatBytes(block, format);
  if (!b)
    return std::nullopt;
  return b->total();
}

} // namespace sxf
