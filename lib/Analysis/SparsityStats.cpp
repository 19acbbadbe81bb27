//===- SparsityStats.cpp - Measuring and costing weight sparsity -*- C++ -*-===//

#include "sxf/Analysis/SparsityStats.h"

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
  for (auto [n, m] : kDetectedNM) {
    if (s.cols % m != 0)
      continue;
    bool ok = true;
    for (int64_t r = 0; ok && r < s.rows; ++r)
      for (int64_t g = 0; ok && g < s.cols; g += m) {
        unsigned count = 0;
        for (unsigned j = 0; j < m; ++j)
          count += t.data[r * s.cols + g + j] != 0.0f;
        ok = count <= n;
      }
    if (ok)
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
  SparsityPattern pattern = attr ? attr.getPattern() : SparsityPattern::dense;
  s.pattern = pattern;
  if (pattern == SparsityPattern::nm) {
    s.patternN = attr.getN();
    s.patternM = attr.getM();
    s.nmCompliant.push_back({attr.getN(), attr.getM()});
    s.maxRowNnz = s.cols / attr.getM() * attr.getN();
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
  unsigned bits = std::max(indexBits, 8u);
  while (bits < 64 && largestPointer >= (int64_t(1) << bits))
    bits *= 2;
  return bits;
}

int64_t denseBytes(const WeightStats &s, unsigned valueBits) {
  return bitsToBytes(s.numel, valueBits);
}

std::optional<FormatBytes> formatBytes(const WeightStats &s,
                                       FormatAttr format) {
  unsigned vb = format.getValueType().getIntOrFloatBitWidth();
  unsigned ib = format.getIndexBits();
  FormatBytes out;
  switch (format.getKind()) {
  case StorageKind::dense:
    out.values = denseBytes(s, vb);
    out.paddingValues = s.numel - s.nnz;
    return out;
  case StorageKind::csr:
    out.values = bitsToBytes(s.nnz, vb);
    out.indices = bitsToBytes(s.nnz, ib);
    out.pointers = bitsToBytes(s.rows + 1, pointerBits(ib, s.nnz));
    return out;
  case StorageKind::csc:
    out.values = bitsToBytes(s.nnz, vb);
    out.indices = bitsToBytes(s.nnz, ib);
    out.pointers = bitsToBytes(s.cols + 1, pointerBits(ib, s.nnz));
    return out;
  case StorageKind::coo:
    out.values = bitsToBytes(s.nnz, vb);
    out.indices = bitsToBytes(2 * s.nnz, ib);
    return out;
  case StorageKind::bsr: {
    unsigned br = format.getBlockRows(), bc = format.getBlockCols();
    if (s.rows % br || s.cols % bc)
      return std::nullopt;
    int64_t blocks = -1;
    for (const BlockStats &b : s.blocks)
      if (b.size == br && br == bc && b.divides)
        blocks = b.nonzeroBlocks;
    if (blocks < 0) // block shape not among the measured ones: upper bound
      blocks = std::min<int64_t>(s.nnz, (s.rows / br) * (s.cols / bc));
    int64_t stored = blocks * br * bc;
    out.values = bitsToBytes(stored, vb);
    out.paddingValues = stored - s.nnz;
    out.indices = bitsToBytes(blocks, ib);
    out.pointers = bitsToBytes(s.rows / br + 1, pointerBits(ib, blocks));
    return out;
  }
  case StorageKind::nm: {
    unsigned n = format.getN(), m = format.getM();
    if (s.cols % m)
      return std::nullopt;
    bool compliant = false;
    for (auto [cn, cm] : s.nmCompliant)
      compliant |= cm == m && cn <= n;
    if (!compliant && s.pattern != SparsityPattern::dense)
      return std::nullopt;
    if (s.pattern == SparsityPattern::dense && n != m)
      return std::nullopt;
    int64_t stored = s.rows * (s.cols / m) * n;
    out.values = bitsToBytes(stored, vb);
    out.paddingValues = stored - s.nnz;
    out.indices = bitsToBytes(stored, ib);
    return out;
  }
  case StorageKind::ell: {
    int64_t stored = s.rows * s.maxRowNnz;
    out.values = bitsToBytes(stored, vb);
    out.paddingValues = stored - s.nnz;
    out.indices = bitsToBytes(stored, ib);
    return out;
  }
  }
  return std::nullopt;
}

FormatAttr defaultReportFormat(MLIRContext *ctx, const WeightStats &s) {
  Type f32 = Float32Type::get(ctx);
  if (s.nnz == s.numel)
    return FormatAttr::get(ctx, StorageKind::dense, 0, 0, 0, 0, f32, 32);
  return FormatAttr::get(ctx, StorageKind::csr, 0, 0, 0, 0, f32, 32);
}

std::string formatToString(FormatAttr f) {
  std::string out;
  llvm::raw_string_ostream os(out);
  os << stringifyStorageKind(f.getKind());
  if (f.getKind() == StorageKind::bsr)
    os << "[" << f.getBlockRows() << "x" << f.getBlockCols() << "]";
  if (f.getKind() == StorageKind::nm)
    os << "[" << f.getN() << ":" << f.getM() << "]";
  os << " " << f.getValueType();
  if (f.getKind() != StorageKind::dense)
    os << "/i" << f.getIndexBits();
  return out;
}

} // namespace sxf
