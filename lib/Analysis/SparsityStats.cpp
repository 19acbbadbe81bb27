//===- SparsityStats.cpp - Measuring and costing weight sparsity -*- C++ -*-===//

#include "sxf/Analysis/SparsityStats.h"

#include "sxf/Formats/Formats.h"
#include "sxf/Weights/WeightStore.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace sxf;

namespace sxf {

/// Views a shape as a matrix [prod(shape[:-1]), shape[-1]].
static void matrixView(WeightStats &s) {
  s.numel = shapeNumElements(s.shape);
  s.cols = s.shape.empty() ? 1 : s.shape.back();
  s.rows = s.cols == 0 ? 0 : s.numel / s.cols;
}

/// Chooses the pattern that describes the measured structure best: dense,
/// then the coarsest full-block structure, then N:M, else unstructured.
static void classify(WeightStats &s) {
  if (s.nnz == s.numel) {
    s.pattern = SparsityPattern::dense;
    return;
  }
  for (auto it = s.blocks.rbegin(); it != s.blocks.rend(); ++it) {
    if (it->divides && it->fill >= kBlockFillThreshold) {
      s.pattern = SparsityPattern::block;
      s.patternBlock = it->size;
      return;
    }
  }
  for (auto [n, m] : s.nmCompliant) {
    // Compliance alone is not a pattern: a 10%-dense weight is trivially
    // 4:8 compliant. Report N:M when the weight fills it (as N:M pruning
    // does).
    if (s.density < kNMFillThreshold * double(n) / m)
      continue;
    s.pattern = SparsityPattern::nm;
    s.patternN = n;
    s.patternM = m;
    return;
  }
  s.pattern = SparsityPattern::unstructured;
}

WeightStats measureWeight(const Tensor &t) {
  WeightStats s;
  s.shape = t.shape;
  s.measured = true;
  matrixView(s);
  for (int64_t r = 0; r < s.rows; ++r) {
    int64_t rowNnz = 0;
    for (int64_t c = 0; c < s.cols; ++c)
      rowNnz += t.data[r * s.cols + c] != 0.0f;
    s.nnz += rowNnz;
    s.maxRowNnz = std::max(s.maxRowNnz, rowNnz);
  }
  s.density = s.numel ? double(s.nnz) / s.numel : 1.0;
  for (unsigned m : kMeasuredGroupSizes) {
    if (s.cols == 0 || s.cols % m != 0)
      continue;
    int64_t most = 0;
    for (int64_t r = 0; r < s.rows; ++r)
      for (int64_t g = 0; g < s.cols; g += m) {
        int64_t count = 0;
        for (unsigned j = 0; j < m; ++j)
          count += t.data[r * s.cols + g + j] != 0.0f;
        most = std::max(most, count);
      }
    s.maxGroupNnz[m] = most;
  }
  for (auto [n, m] : kDetectedNM) {
    auto it = s.maxGroupNnz.find(m);
    if (it != s.maxGroupNnz.end() && it->second <= n)
      s.nmCompliant.push_back({n, m});
  }
  for (unsigned b : kDetectedBlockSizes) {
    BlockStats bs;
    bs.size = b;
    bs.divides = s.rows % b == 0 && s.cols % b == 0;
    if (bs.divides) {
      for (int64_t br = 0; br < s.rows; br += b)
        for (int64_t bc = 0; bc < s.cols; bc += b) {
          bool any = false;
          for (unsigned i = 0; !any && i < b; ++i)
            for (unsigned j = 0; !any && j < b; ++j)
              any = t.data[(br + i) * s.cols + bc + j] != 0.0f;
          bs.nonzeroBlocks += any;
        }
      // Rounding must not leave fewer blocks than can hold the nonzeros.
      bs.nonzeroBlocks = std::max<int64_t>(
          bs.nonzeroBlocks, (s.nnz + int64_t(b) * b - 1) / (int64_t(b) * b));
      bs.fill = bs.nonzeroBlocks
                    ? double(s.nnz) / (double(bs.nonzeroBlocks) * b * b)
                    : 0.0;
    }
    s.blocks.push_back(bs);
  }
  classify(s);
  return s;
}

WeightStats statsFromAttr(ArrayRef<int64_t> shape, SparsityAttr attr) {
  WeightStats s;
  s.shape.assign(shape.begin(), shape.end());
  matrixView(s);
  double density = attr ? attr.getDensityValue() : 1.0;
  s.density = density;
  s.nnz = static_cast<int64_t>(std::llround(density * double(s.numel)));
  // Widest row of an even random spread: mean + 3 standard deviations of a
  // Binomial(cols, density) row count (ELL pads every row to it).
  double mean = density * double(s.cols);
  s.maxRowNnz = std::min<int64_t>(
      s.cols, static_cast<int64_t>(std::ceil(
                  mean + 3.0 * std::sqrt(mean * (1.0 - density)))));
  // No row holds more than all the nonzeros, and some row holds at least
  // their mean (a single-row block holds them all).
  s.maxRowNnz = std::min(s.maxRowNnz, s.nnz);
  if (s.rows > 0)
    s.maxRowNnz = std::max(s.maxRowNnz, (s.nnz + s.rows - 1) / s.rows);
  SparsityPattern pattern = attr ? attr.getPattern() : SparsityPattern::dense;
  s.pattern = pattern;
  if (pattern == SparsityPattern::nm) {
    s.patternN = attr.getN();
    s.patternM = attr.getM();
    s.nmCompliant.push_back({attr.getN(), attr.getM()});
    s.maxGroupNnz[attr.getM()] = attr.getN();
    // A row keeps at most N of each group of M, and no more than all the
    // nonzeros (a sparser-than-N:M weight, e.g. all zero, is still N:M).
    int64_t perRow = s.cols / attr.getM() * attr.getN();
    s.nnz = std::min(s.nnz, s.rows * perRow);
    s.maxRowNnz = std::min(perRow, std::max(s.maxRowNnz, s.rows > 0
                                      ? (s.nnz + s.rows - 1) / s.rows
                                      : int64_t(0)));
    s.maxRowNnz = std::min(s.maxRowNnz, s.nnz);
  }
  for (unsigned b : kDetectedBlockSizes) {
    BlockStats bs;
    bs.size = b;
    bs.divides = s.rows % b == 0 && s.cols % b == 0;
    if (bs.divides) {
      int64_t total = (s.rows / b) * (s.cols / b);
      if (pattern == SparsityPattern::dense) {
        bs.nonzeroBlocks = total;
      } else if (pattern == SparsityPattern::block &&
                 b % attr.getBlockRows() == 0 &&
                 b % attr.getBlockCols() == 0 && b >= attr.getBlockRows()) {
        // A coarser block holds a kept finer block with probability
        // 1 - (1 - d)^k, k finer blocks per coarse block.
        double k = double(b * b) / (attr.getBlockRows() * attr.getBlockCols());
        bs.nonzeroBlocks = static_cast<int64_t>(
            std::llround(total * (1.0 - std::pow(1.0 - density, k))));
      } else {
        // Unstructured: a block is empty with probability (1 - d)^(b²).
        bs.nonzeroBlocks = static_cast<int64_t>(std::llround(
            total * (1.0 - std::pow(1.0 - density, double(b) * b))));
      }
      // Rounding must not leave fewer blocks than can hold the nonzeros.
      bs.nonzeroBlocks = std::max<int64_t>(
          bs.nonzeroBlocks, (s.nnz + int64_t(b) * b - 1) / (int64_t(b) * b));
      bs.fill = bs.nonzeroBlocks
                    ? double(s.nnz) / (double(bs.nonzeroBlocks) * b * b)
                    : 0.0;
    }
    s.blocks.push_back(bs);
  }
  if (pattern == SparsityPattern::block)
    s.patternBlock = attr.getBlockRows();
  return s;
}

FailureOr<WeightStats> weightStats(WeightOp op, WeightStore &store) {
  if (store.source(op) == WeightSource::None)
    return statsFromAttr(op.getResult().getType().getShape(),
                         op.getSparsityAttr());
  FailureOr<Tensor> t = store.load(op);
  if (failed(t))
    return failure();
  return measureWeight(*t);
}

SparsityAttr toSparsityAttr(MLIRContext *ctx, const WeightStats &s) {
  switch (s.pattern) {
  case SparsityPattern::dense:
    return SparsityAttr::get(ctx, SparsityPattern::dense, s.density);
  case SparsityPattern::block:
    return SparsityAttr::get(ctx, SparsityPattern::block, s.density,
                             s.patternBlock, s.patternBlock);
  case SparsityPattern::nm:
    return SparsityAttr::get(ctx, SparsityPattern::nm, s.density, 0, 0,
                             s.patternN, s.patternM);
  case SparsityPattern::unstructured:
    break;
  }
  return SparsityAttr::get(ctx, SparsityPattern::unstructured, s.density);
}

static int64_t bitsToBytes(int64_t count, unsigned bits) {
  return (count * bits + 7) / 8;
}

unsigned pointerBits(unsigned indexBits, int64_t largestPointer) {
  return formats::pointerBits(indexBits, largestPointer);
}

int64_t denseBytes(const WeightStats &s, unsigned valueBits) {
  return bitsToBytes(s.numel, valueBits);
}


std::optional<FormatBytes> formatBytes(const WeightStats &s,
                                       FormatAttr format) {
  // The byte formulas live in the formats library (lib/Formats), which also
  // encodes the arrays for real; this only supplies the counts.
  formats::FormatSpec spec = toFormatSpec(format);
  if (format.getKind() == StorageKind::nm && s.numel > 0) {
    // N:M must hold the weight: it needs a compliant pattern (or a dense
    // weight with n == m).
    bool compliant = s.pattern == SparsityPattern::dense
                         ? format.getN() == format.getM()
                         : false;
    auto measured = s.maxGroupNnz.find(format.getM());
    if (measured != s.maxGroupNnz.end())
      compliant = measured->second <= int64_t(format.getN());
    for (auto [cn, cm] : s.nmCompliant)
      compliant |= cm == format.getM() && cn <= format.getN();
    if (!compliant)
      return std::nullopt;
  }
  formats::MatrixCounts counts;
  counts.rows = s.rows;
  counts.cols = s.cols;
  counts.nnz = s.nnz;
  counts.maxRowNnz = s.maxRowNnz;
  if (format.getKind() == StorageKind::bsr &&
      format.getBlockRows() == format.getBlockCols())
    for (const BlockStats &b : s.blocks)
      if (b.size == format.getBlockRows() && b.divides)
        counts.nonzeroBlocks = b.nonzeroBlocks;
  std::optional<formats::ByteBreakdown> b =
      formats::estimateBytes(counts, spec);
  if (!b)
    return std::nullopt;
  FormatBytes out;
  out.values = b->values;
  out.indices = b->indices;
  out.pointers = b->pointers;
  out.paddingValues = b->paddingValues;
  return out;
}

FormatAttr defaultReportFormat(MLIRContext *ctx, const WeightStats &s) {
  Type f32 = Float32Type::get(ctx);
  if (s.nnz == s.numel)
    return FormatAttr::get(ctx, StorageKind::dense, 0, 0, 0, 0, f32, 32);
  return FormatAttr::get(ctx, StorageKind::csr, 0, 0, 0, 0, f32, 32);
}

std::string formatToString(FormatAttr f) {
  return sxf_rt::formatToString(toFormatSpec(f));
}

} // namespace sxf
