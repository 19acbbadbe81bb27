//===- Sparsity.cpp - Dynamic sparsity: patterns, prune and regrow --------===//
//
// Block scores are L1 norms accumulated in double; selections are total
// orders (score, then block index), so results do not depend on the
// standard library's sort. Randomness is sxf::Rng (splitmix64), the same
// stream on every platform. Storage goes through formats::encode / decode
// with an explicit pattern: the layout rules stay in lib/Formats.
//
//===----------------------------------------------------------------------===//

#include "sxf/Training/Sparsity.h"
#include "Errors.h"
#include "sxf/Support/Random.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <sstream>

using namespace sxf;
using namespace sxf::training;
using llvm::Twine;

using namespace sxf::training::detail;

static std::string shapeString(int64_t rows, int64_t cols) {
  return std::to_string(rows) + "x" + std::to_string(cols);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

int64_t SparsityPattern::storedBlocks() const {
  int64_t n = 0;
  for (uint8_t b : blocks)
    n += b != 0;
  return n;
}

std::vector<uint8_t> SparsityPattern::elementMask() const {
  std::vector<uint8_t> mask(size_t(rows * cols), 0);
  int64_t gc = gridCols();
  for (int64_t r = 0; r < rows; ++r) {
    const uint8_t *blockRow = blocks.data() + (r / block.rows) * gc;
    uint8_t *out = mask.data() + r * cols;
    for (int64_t c = 0; c < cols; ++c)
      out[c] = blockRow[c / block.cols];
  }
  return mask;
}

llvm::Error sxf::training::checkBlockShape(int64_t rows, int64_t cols,
                                           BlockShape block) {
  if (rows <= 0 || cols <= 0)
    return fail(Twine("sparsity pattern: the weight shape ") +
                shapeString(rows, cols) + " is not positive");
  if (block.rows <= 0 || block.cols <= 0)
    return fail(Twine("sparsity pattern: block ") +
                shapeString(block.rows, block.cols) + " is not positive");
  if (rows % block.rows || cols % block.cols)
    return fail(Twine("sparsity pattern: block ") +
                shapeString(block.rows, block.cols) +
                " does not divide the weight shape " + shapeString(rows, cols));
  return llvm::Error::success();
}

llvm::Error sxf::training::validate(const SparsityPattern &p) {
  if (llvm::Error e = checkBlockShape(p.rows, p.cols, p.block))
    return e;
  if (static_cast<int64_t>(p.blocks.size()) != p.numBlocks())
    return fail(Twine("sparsity pattern: ") + Twine(uint64_t(p.blocks.size())) +
                " block entries for a " +
                shapeString(p.gridRows(), p.gridCols()) + " block grid");
  for (size_t i = 0; i < p.blocks.size(); ++i)
    if (p.blocks[i] > 1)
      return fail(Twine("sparsity pattern: block entry ") + Twine(uint64_t(i)) +
                  " is " + Twine(unsigned(p.blocks[i])) + ", not 0 or 1");
  return llvm::Error::success();
}

/// Fisher-Yates on the first k entries of `items`: afterwards items[0, k)
/// is a uniform random k-subset (in random order).
static void sampleInPlace(std::vector<int64_t> &items, int64_t k, Rng &rng) {
  int64_t n = static_cast<int64_t>(items.size());
  for (int64_t i = 0; i < k; ++i) {
    int64_t j = i + rng.below(n - i);
    std::swap(items[size_t(i)], items[size_t(j)]);
  }
}

llvm::Expected<SparsityPattern>
sxf::training::initialPattern(int64_t rows, int64_t cols, BlockShape block,
                              double density, uint64_t seed) {
  if (llvm::Error e = checkBlockShape(rows, cols, block))
    return std::move(e);
  if (!(density > 0 && density <= 1))
    return fail(Twine("initial pattern: density ") + num(density) +
                " is outside (0, 1]");
  SparsityPattern p;
  p.rows = rows;
  p.cols = cols;
  p.block = block;
  int64_t n = p.numBlocks();
  int64_t k = std::min<int64_t>(std::llround(density * double(n)), n);
  p.blocks.assign(size_t(n), 0);
  std::vector<int64_t> all(static_cast<size_t>(n));
  std::iota(all.begin(), all.end(), 0);
  Rng rng(seed);
  sampleInPlace(all, k, rng);
  for (int64_t i = 0; i < k; ++i)
    p.blocks[size_t(all[size_t(i)])] = 1;
  return p;
}

//===----------------------------------------------------------------------===//
// Pattern updates
//===----------------------------------------------------------------------===//

/// The L1 norm of block b of the rows x cols row-major `data`.
static double blockL1(llvm::ArrayRef<float> data, const SparsityPattern &p,
                      int64_t b) {
  int64_t gc = p.gridCols(), bh = p.block.rows, bw = p.block.cols;
  int64_t r0 = (b / gc) * bh, c0 = (b % gc) * bw;
  double sum = 0.0;
  for (int64_t i = 0; i < bh; ++i) {
    const float *row = data.data() + (r0 + i) * p.cols + c0;
    for (int64_t j = 0; j < bw; ++j)
      sum += std::fabs(double(row[j]));
  }
  return sum;
}

/// The scores of `candidates` (block L1 norms of `data`), failing on a
/// non-finite one.
static llvm::Expected<std::vector<double>>
scoreBlocks(llvm::ArrayRef<float> data, const SparsityPattern &p,
            llvm::ArrayRef<int64_t> candidates, const char *what) {
  std::vector<double> scores(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    scores[i] = blockL1(data, p, candidates[i]);
    if (!std::isfinite(scores[i])) {
      int64_t b = candidates[i];
      return fail(Twine("pattern update: block (") + Twine(b / p.gridCols()) +
                  ", " + Twine(b % p.gridCols()) + ") has a non-finite " +
                  what + " norm");
    }
  }
  return scores;
}

/// The k candidates with the smallest (largest when `largest`) score, ties
/// to the lower block index; ascending block indices.
static std::vector<int64_t> selectBlocks(llvm::ArrayRef<int64_t> candidates,
                                         llvm::ArrayRef<double> scores,
                                         int64_t k, bool largest) {
  std::vector<size_t> order(candidates.size());
  std::iota(order.begin(), order.end(), size_t(0));
  auto before = [&](size_t a, size_t b) {
    if (scores[a] != scores[b])
      return largest ? scores[a] > scores[b] : scores[a] < scores[b];
    return candidates[a] < candidates[b];
  };
  std::nth_element(order.begin(), order.begin() + k, order.end(), before);
  std::vector<int64_t> chosen(static_cast<size_t>(k));
  for (int64_t i = 0; i < k; ++i)
    chosen[size_t(i)] = candidates[order[size_t(i)]];
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

/// Sets block b of `values` to 0.
static void zeroBlock(llvm::MutableArrayRef<float> values,
                      const SparsityPattern &p, int64_t b) {
  int64_t gc = p.gridCols(), bh = p.block.rows, bw = p.block.cols;
  int64_t r0 = (b / gc) * bh, c0 = (b % gc) * bw;
  for (int64_t i = 0; i < bh; ++i)
    std::fill_n(values.data() + (r0 + i) * p.cols + c0, bw, 0.0f);
}

llvm::Expected<PatternUpdateResult> sxf::training::updatePattern(
    llvm::MutableArrayRef<float> values, SparsityPattern &pattern,
    double pruneFraction, Regrowth regrowth,
    llvm::ArrayRef<float> denseGradient, uint64_t seed) {
  if (llvm::Error e = validate(pattern))
    return std::move(e);
  int64_t numel = pattern.rows * pattern.cols;
  if (static_cast<int64_t>(values.size()) != numel)
    return fail(Twine("pattern update: ") + Twine(uint64_t(values.size())) +
                " values for a " + shapeString(pattern.rows, pattern.cols) +
                " weight");
  if (!(pruneFraction >= 0 && pruneFraction <= 1))
    return fail(Twine("pattern update: prune fraction ") + num(pruneFraction) +
                " is outside [0, 1]");
  if (regrowth == Regrowth::Gradient &&
      static_cast<int64_t>(denseGradient.size()) != numel)
    return fail(Twine("pattern update: gradient regrowth needs the dense "
                      "gradient of the ") +
                shapeString(pattern.rows, pattern.cols) + " weight, got " +
                Twine(uint64_t(denseGradient.size())) + " values");

  std::vector<int64_t> stored, unstored;
  for (int64_t b = 0, n = pattern.numBlocks(); b < n; ++b)
    (pattern.blocks[size_t(b)] ? stored : unstored).push_back(b);
  int64_t k =
      std::min<int64_t>(std::llround(pruneFraction * double(stored.size())),
                        static_cast<int64_t>(unstored.size()));

  PatternUpdateResult result;
  if (k == 0)
    return result;

  // Choose both sides before changing anything, so that a failure leaves
  // the weight and the pattern as they were.
  llvm::Expected<std::vector<double>> pruneScores =
      scoreBlocks(values, pattern, stored, "value");
  if (!pruneScores)
    return pruneScores.takeError();
  result.prunedBlocks = selectBlocks(stored, *pruneScores, k, false);
  if (regrowth == Regrowth::Gradient) {
    llvm::Expected<std::vector<double>> growScores =
        scoreBlocks(denseGradient, pattern, unstored, "gradient");
    if (!growScores)
      return growScores.takeError();
    result.regrownBlocks = selectBlocks(unstored, *growScores, k, true);
  } else {
    Rng rng(seed);
    sampleInPlace(unstored, k, rng);
    result.regrownBlocks.assign(unstored.begin(), unstored.begin() + k);
    std::sort(result.regrownBlocks.begin(), result.regrownBlocks.end());
  }

  for (int64_t b : result.prunedBlocks) {
    pattern.blocks[size_t(b)] = 0;
    zeroBlock(values, pattern, b);
  }
  for (int64_t b : result.regrownBlocks) {
    pattern.blocks[size_t(b)] = 1;
    zeroBlock(values, pattern, b);
  }
  result.pruned = result.regrown = k;
  return result;
}

//===----------------------------------------------------------------------===//
// The schedule of updates
//===----------------------------------------------------------------------===//

llvm::Error sxf::training::validate(const DynamicSparsityConfig &c) {
  if (!(c.sparsity >= 0 && c.sparsity < 1))
    return fail(Twine("dynamic sparsity: sparsity ") + num(c.sparsity) +
                " is outside [0, 1)");
  if (!(c.initialPruneRatio >= 0 && c.initialPruneRatio <= 1))
    return fail(Twine("dynamic sparsity: initialPruneRatio ") +
                num(c.initialPruneRatio) + " is outside [0, 1]");
  if (c.numUpdates < 1)
    return fail(Twine("dynamic sparsity: numUpdates ") + Twine(c.numUpdates) +
                " is not >= 1");
  if (c.block.rows <= 0 || c.block.cols <= 0)
    return fail(Twine("dynamic sparsity: block ") +
                shapeString(c.block.rows, c.block.cols) + " is not positive");
  return llvm::Error::success();
}

llvm::Expected<double>
sxf::training::pruneFraction(const DynamicSparsityConfig &c, int64_t index) {
  if (llvm::Error e = validate(c))
    return std::move(e);
  if (index < 0)
    return fail(Twine("dynamic sparsity: update index ") + Twine(index) +
                " is negative");
  if (c.decay == PruneDecay::Constant)
    return c.initialPruneRatio;
  if (index >= c.numUpdates)
    return 0.0;
  return c.initialPruneRatio * 0.5 *
         (1.0 + std::cos(M_PI * double(index) / double(c.numUpdates)));
}

//===----------------------------------------------------------------------===//
// Storage
//===----------------------------------------------------------------------===//

/// `values` (rows*cols, row-major) as a [rows, cols] tensor.
static Tensor asTensor(llvm::ArrayRef<float> values, const SparsityPattern &p) {
  Tensor t({p.rows, p.cols});
  std::copy(values.begin(), values.end(), t.data.begin());
  return t;
}

llvm::Expected<formats::EncodedMatrix>
sxf::training::encodeWithPattern(llvm::ArrayRef<float> values,
                                 const SparsityPattern &pattern,
                                 const formats::FormatSpec &spec) {
  if (llvm::Error e = validate(pattern))
    return std::move(e);
  if (static_cast<int64_t>(values.size()) != pattern.rows * pattern.cols)
    return fail(Twine("encode with pattern: ") +
                Twine(uint64_t(values.size())) + " values for a " +
                shapeString(pattern.rows, pattern.cols) + " weight");
  return formats::encode(asTensor(values, pattern), spec,
                         pattern.elementMask());
}

/// The stored values of `m` (f32) as floats.
static std::vector<float> f32Values(const formats::EncodedMatrix &m) {
  std::vector<float> out(size_t(m.storedValues));
  if (!out.empty())
    std::memcpy(out.data(), m.values.data(), out.size() * sizeof(float));
  return out;
}

/// scatterStored with the error's wording given (remapStored's errors
/// speak of the old pattern).
static llvm::Error scatterInto(llvm::ArrayRef<float> stored,
                               const sxf::training::SparsityPattern &pattern,
                               const formats::FormatSpec &spec,
                               llvm::MutableArrayRef<float> values,
                               const char *what, const char *which) {
  if (llvm::Error e = sxf::training::validate(pattern))
    return e;
  if (static_cast<int64_t>(values.size()) != pattern.rows * pattern.cols)
    return fail(Twine(what) + ": " + Twine(uint64_t(values.size())) +
                " values for a " + shapeString(pattern.rows, pattern.cols) +
                " weight");
  formats::FormatSpec f32 = spec;
  f32.valueType = formats::ValueType::F32;
  // The pattern's layout (indices, pointers) with `stored` as its values:
  // decoding puts every slot at its position.
  std::vector<uint8_t> mask = pattern.elementMask();
  Tensor zeros({pattern.rows, pattern.cols});
  llvm::Expected<formats::EncodedMatrix> layout =
      formats::encode(zeros, f32, mask);
  if (!layout)
    return layout.takeError();
  if (static_cast<int64_t>(stored.size()) != layout->storedValues)
    return fail(Twine(what) + ": " + Twine(uint64_t(stored.size())) +
                " values, but " + which + " stores " +
                Twine(layout->storedValues) + " in " + formats::toString(f32));
  if (!stored.empty())
    std::memcpy(layout->values.data(), stored.data(),
                stored.size() * sizeof(float));
  llvm::Expected<Tensor> dense = formats::decode(*layout);
  if (!dense)
    return dense.takeError();
  for (size_t i = 0; i < mask.size(); ++i)
    values[i] = mask[i] ? dense->data[i] : 0.0f;
  return llvm::Error::success();
}

llvm::Expected<std::vector<float>> sxf::training::remapStored(
    const SparsityPattern &from, const SparsityPattern &to,
    const formats::FormatSpec &spec, llvm::ArrayRef<float> old) {
  if (llvm::Error e = validate(from))
    return std::move(e);
  if (llvm::Error e = validate(to))
    return std::move(e);
  if (from.rows != to.rows || from.cols != to.cols)
    return fail(Twine("remap stored: patterns of ") +
                shapeString(from.rows, from.cols) + " and " +
                shapeString(to.rows, to.cols) + " weights");
  // Every old slot at its position (only the old pattern's positions carry
  // state, not the rest of a bsr block), then the new pattern's slots.
  std::vector<float> dense(size_t(from.rows * from.cols));
  if (llvm::Error e =
          scatterInto(old, from, spec, dense, "remap stored", "the old pattern"))
    return std::move(e);
  return gatherStored(dense, to, spec);
}

llvm::Expected<std::vector<float>>
sxf::training::gatherStored(llvm::ArrayRef<float> values,
                            const SparsityPattern &pattern,
                            const formats::FormatSpec &spec) {
  formats::FormatSpec f32 = spec;
  f32.valueType = formats::ValueType::F32;
  llvm::Expected<formats::EncodedMatrix> m =
      encodeWithPattern(values, pattern, f32);
  if (!m)
    return m.takeError();
  return f32Values(*m);
}

llvm::Error sxf::training::scatterStored(llvm::ArrayRef<float> stored,
                                         const SparsityPattern &pattern,
                                         const formats::FormatSpec &spec,
                                         llvm::MutableArrayRef<float> values) {
  return scatterInto(stored, pattern, spec, values, "scatter stored",
                     "the pattern");
}
