//===- SparsityTest.cpp - Tests of dynamic sparsity -------------*- C++ -*-===//
//
// Patterns and prune-and-regrow updates on transformer-sized weights
// (768x3072, 1000x768) at densities 0.1 and 0.01 with 1x1, 4x4, 8x8 and
// 16x16 blocks: exact counts, the pruned are the smallest, gradient regrowth
// takes the largest, no immediate regrowth, determinism by seed; small
// hand-checked cases for ties and the cap; the prune schedule; encoding with
// the pattern (zero-valued stored entries kept, checked by decode and by the
// runtime's forEachStored) and moving optimizer state to the new pattern.
//
//===----------------------------------------------------------------------===//

#include "sxf/Training/Sparsity.h"
#include "sxf/Support/Random.h"

#include "sxf_rt/formats.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <tuple>
#include <vector>

using namespace sxf;
using namespace sxf::training;
using formats::EncodedMatrix;
using formats::FormatSpec;
using formats::Kind;

namespace {

bool contains(const std::string &s, const std::string &part) {
  return s.find(part) != std::string::npos;
}

template <class T> T must(llvm::Expected<T> x) {
  if (!x) {
    ADD_FAILURE() << llvm::toString(x.takeError());
    return T();
  }
  return std::move(*x);
}

template <class T> std::string errorOf(llvm::Expected<T> x) {
  if (x) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return llvm::toString(x.takeError());
}

/// Block b's L1 norm, computed independently of the library.
double l1(const std::vector<float> &a, const SparsityPattern &p, int64_t b) {
  int64_t br = b / p.gridCols(), bc = b % p.gridCols();
  double s = 0;
  for (int64_t r = br * p.block.rows; r < (br + 1) * p.block.rows; ++r)
    for (int64_t c = bc * p.block.cols; c < (bc + 1) * p.block.cols; ++c)
      s += std::fabs(double(a[size_t(r * p.cols + c)]));
  return s;
}

/// Normal values at the pattern's positions, 0 elsewhere.
std::vector<float> weightsOn(const SparsityPattern &p, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> w(size_t(p.rows * p.cols), 0.0f);
  for (int64_t r = 0; r < p.rows; ++r)
    for (int64_t c = 0; c < p.cols; ++c)
      if (p.isStored(r, c))
        w[size_t(r * p.cols + c)] = float(rng.normal());
  return w;
}

std::vector<float> denseNormal(int64_t n, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> g(static_cast<size_t>(n));
  for (float &x : g)
    x = float(rng.normal());
  return g;
}

FormatSpec specOf(Kind kind, BlockShape block = {}) {
  FormatSpec s;
  s.kind = kind;
  s.indexBits = 32;
  if (kind == Kind::BSR) {
    s.blockRows = unsigned(block.rows);
    s.blockCols = unsigned(block.cols);
  }
  return s;
}

/// Calls f(r, c, k) for every stored position of `m` as the runtime's
/// forEachStored sees it (dense, csr and bsr views).
template <class F> void forEachStoredOf(const EncodedMatrix &m, F &&f) {
  const FormatSpec &s = m.spec;
  switch (s.kind) {
  case Kind::Dense:
    sxf_rt::forEachStored(
        sxf_rt::makeDenseView(m.rows, m.cols, s.valueType, m.values.data()), f);
    return;
  case Kind::CSR:
    sxf_rt::forEachStored(sxf_rt::makeCsrView(m.rows, m.cols, m.storedValues,
                                              s.valueType, s.indexBits,
                                              m.values.data(), m.indices.data(),
                                              m.pointers.data()),
                          f);
    return;
  case Kind::BSR:
    sxf_rt::forEachStored(
        sxf_rt::makeBsrView(m.rows, m.cols, s.blockRows, s.blockCols,
                            m.storedValues / (s.blockRows * s.blockCols),
                            s.valueType, s.indexBits, m.values.data(),
                            m.indices.data(), m.pointers.data()),
        f);
    return;
  default:
    FAIL() << "no view for " << formats::toString(s);
  }
}

//===----------------------------------------------------------------------===//
// Transformer-sized sweeps
//===----------------------------------------------------------------------===//

struct SizeCase {
  int64_t rows, cols;
  double density;
  int64_t block;
};

std::string caseName(const testing::TestParamInfo<SizeCase> &info) {
  const SizeCase &c = info.param;
  return std::to_string(c.rows) + "x" + std::to_string(c.cols) + "_d" +
         std::to_string(int(c.density * 100)) + "_b" + std::to_string(c.block);
}

class SparsitySizes : public testing::TestWithParam<SizeCase> {};

std::vector<SizeCase> sizeCases() {
  std::vector<SizeCase> cases;
  for (auto [rows, cols] :
       {std::pair<int64_t, int64_t>{768, 3072}, {1000, 768}})
    for (double density : {0.1, 0.01})
      for (int64_t block : {1, 4, 8, 16})
        if (rows % block == 0) // 1000 is not a multiple of 16 (tested below)
          cases.push_back({rows, cols, density, block});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Training, SparsitySizes,
                         testing::ValuesIn(sizeCases()), caseName);

TEST_P(SparsitySizes, InitialPatternHasExactlyTheDensity) {
  SizeCase c = GetParam();
  SparsityPattern p =
      must(initialPattern(c.rows, c.cols, {c.block, c.block}, c.density, 3));
  ASSERT_FALSE(bool(validate(p)));
  EXPECT_EQ(p.numBlocks(), (c.rows / c.block) * (c.cols / c.block));
  EXPECT_EQ(p.storedBlocks(), std::llround(c.density * double(p.numBlocks())));
  // Uniform over the grid: each half of the block rows holds about half.
  int64_t top = 0;
  for (int64_t b = 0; b < p.numBlocks() / 2; ++b)
    top += p.blocks[size_t(b)];
  double share = double(top) / double(p.storedBlocks());
  EXPECT_NEAR(share, 0.5, 3.0 / std::sqrt(double(p.storedBlocks())));
  // The element mask agrees with isStored.
  std::vector<uint8_t> mask = p.elementMask();
  int64_t elements = 0;
  for (uint8_t m : mask)
    elements += m;
  EXPECT_EQ(elements, p.storedElements());
}

TEST_P(SparsitySizes, RandomUpdatePrunesTheSmallestAndRegrowsElsewhere) {
  SizeCase c = GetParam();
  SparsityPattern p =
      must(initialPattern(c.rows, c.cols, {c.block, c.block}, c.density, 5));
  const SparsityPattern before = p;
  std::vector<float> w = weightsOn(p, 6);
  const std::vector<float> w0 = w;
  const double fraction = 0.3;
  PatternUpdateResult r =
      must(updatePattern(w, p, fraction, Regrowth::Random, {}, 7));

  int64_t stored = before.storedBlocks();
  int64_t k = std::llround(fraction * double(stored));
  EXPECT_EQ(r.pruned, k);
  EXPECT_EQ(r.regrown, k);
  ASSERT_EQ(int64_t(r.prunedBlocks.size()), k);
  ASSERT_EQ(int64_t(r.regrownBlocks.size()), k);
  EXPECT_EQ(p.storedBlocks(), stored); // the invariant
  ASSERT_FALSE(bool(validate(p)));

  std::vector<uint8_t> pruned(size_t(p.numBlocks()), 0),
      regrown(size_t(p.numBlocks()), 0);
  for (int64_t b : r.prunedBlocks) {
    pruned[size_t(b)] = 1;
    EXPECT_TRUE(before.blocks[size_t(b)]) << "pruned an unstored block " << b;
    EXPECT_FALSE(p.blocks[size_t(b)]) << "pruned block " << b << " regrown";
  }
  for (int64_t b : r.regrownBlocks) {
    regrown[size_t(b)] = 1;
    EXPECT_FALSE(before.blocks[size_t(b)]) << "regrew a stored block " << b;
    EXPECT_TRUE(p.blocks[size_t(b)]);
  }
  // The pruned are the smallest: no kept block is smaller than a pruned one.
  double maxPruned = 0, minKept = INFINITY;
  for (int64_t b = 0; b < p.numBlocks(); ++b) {
    if (!before.blocks[size_t(b)])
      continue;
    if (pruned[size_t(b)])
      maxPruned = std::max(maxPruned, l1(w0, before, b));
    else
      minKept = std::min(minKept, l1(w0, before, b));
  }
  EXPECT_LE(maxPruned, minKept);
  // Values: pruned and regrown blocks are 0, every other value unchanged;
  // only the blocks named changed state.
  for (int64_t b = 0; b < p.numBlocks(); ++b) {
    bool touched = pruned[size_t(b)] || regrown[size_t(b)];
    if (!touched) {
      EXPECT_EQ(p.blocks[size_t(b)], before.blocks[size_t(b)]);
    } else {
      EXPECT_EQ(l1(w, p, b), 0.0) << b;
    }
  }
  int64_t changed = 0;
  for (size_t i = 0; i < w.size(); ++i)
    changed += w[i] != w0[i];
  int64_t prunedNonzeros = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    int64_t row = int64_t(i) / c.cols, col = int64_t(i) % c.cols;
    int64_t b = (row / c.block) * p.gridCols() + col / c.block;
    if (!pruned[size_t(b)]) {
      EXPECT_EQ(w[i], w0[i]) << "value " << i << " changed";
    } else {
      prunedNonzeros += w0[i] != 0.0f;
    }
  }
  EXPECT_EQ(changed, prunedNonzeros);
}

TEST_P(SparsitySizes, GradientRegrowthTakesTheLargest) {
  SizeCase c = GetParam();
  SparsityPattern p =
      must(initialPattern(c.rows, c.cols, {c.block, c.block}, c.density, 8));
  const SparsityPattern before = p;
  std::vector<float> w = weightsOn(p, 9);
  std::vector<float> g = denseNormal(c.rows * c.cols, 10);
  // Make the just-pruned blocks the most attractive by gradient: they must
  // still not come back at once.
  SparsityPattern probeP = before;
  std::vector<float> probeW = w;
  PatternUpdateResult probe =
      must(updatePattern(probeW, probeP, 0.5, Regrowth::Random, {}, 1));
  for (int64_t b : probe.prunedBlocks) {
    int64_t br = b / p.gridCols(), bc = b % p.gridCols();
    for (int64_t r = 0; r < c.block; ++r)
      for (int64_t q = 0; q < c.block; ++q)
        g[size_t((br * c.block + r) * c.cols + bc * c.block + q)] = 1e6f;
  }
  PatternUpdateResult r =
      must(updatePattern(w, p, 0.5, Regrowth::Gradient, g, 0));
  int64_t k = std::llround(0.5 * double(before.storedBlocks()));
  ASSERT_EQ(r.regrown, k);
  EXPECT_EQ(r.prunedBlocks, probe.prunedBlocks); // pruning ignores the mode
  EXPECT_EQ(p.storedBlocks(), before.storedBlocks());
  std::vector<uint8_t> regrown(size_t(p.numBlocks()), 0);
  double minRegrown = INFINITY;
  for (int64_t b : r.regrownBlocks) {
    regrown[size_t(b)] = 1;
    EXPECT_FALSE(before.blocks[size_t(b)]) << "regrew a pruned block " << b;
    minRegrown = std::min(minRegrown, l1(g, p, b));
  }
  double maxOther = 0;
  for (int64_t b = 0; b < p.numBlocks(); ++b)
    if (!before.blocks[size_t(b)] && !regrown[size_t(b)])
      maxOther = std::max(maxOther, l1(g, p, b));
  EXPECT_GE(minRegrown, maxOther);
}

TEST_P(SparsitySizes, DeterministicBySeed) {
  SizeCase c = GetParam();
  BlockShape b{c.block, c.block};
  SparsityPattern p1 = must(initialPattern(c.rows, c.cols, b, c.density, 21));
  SparsityPattern p2 = must(initialPattern(c.rows, c.cols, b, c.density, 21));
  SparsityPattern p3 = must(initialPattern(c.rows, c.cols, b, c.density, 22));
  EXPECT_EQ(p1.blocks, p2.blocks);
  EXPECT_NE(p1.blocks, p3.blocks);
  std::vector<float> w1 = weightsOn(p1, 1), w2 = w1, w3 = w1;
  SparsityPattern q = p1;
  PatternUpdateResult r1 =
      must(updatePattern(w1, p1, 0.5, Regrowth::Random, {}, 99));
  PatternUpdateResult r2 =
      must(updatePattern(w2, p2, 0.5, Regrowth::Random, {}, 99));
  PatternUpdateResult r3 =
      must(updatePattern(w3, q, 0.5, Regrowth::Random, {}, 100));
  EXPECT_EQ(p1.blocks, p2.blocks);
  EXPECT_EQ(w1, w2);
  EXPECT_EQ(r1.regrownBlocks, r2.regrownBlocks);
  EXPECT_EQ(r1.prunedBlocks, r3.prunedBlocks); // pruning is not random
  EXPECT_NE(r1.regrownBlocks, r3.regrownBlocks);
}

// The pattern survives encoding even where a stored value is 0.0 (the
// regrown blocks): decode gives the values back and the runtime's
// forEachStored visits exactly the pattern; optimizer state follows it.
TEST_P(SparsitySizes, EncodeWithPatternKeepsRegrownZeros) {
  SizeCase c = GetParam();
  BlockShape b{c.block, c.block};
  SparsityPattern p = must(initialPattern(c.rows, c.cols, b, c.density, 31));
  std::vector<float> w = weightsOn(p, 32);
  SparsityPattern before = p;
  PatternUpdateResult r =
      must(updatePattern(w, p, 0.25, Regrowth::Random, {}, 33));
  ASSERT_GT(r.regrown, 0);
  FormatSpec spec = specOf(c.block == 1 ? Kind::CSR : Kind::BSR, b);
  EncodedMatrix m = must(encodeWithPattern(w, p, spec));
  EXPECT_EQ(m.storedValues, p.storedElements());
  int64_t nonzeros = 0;
  for (float x : w)
    nonzeros += x != 0.0f;
  EXPECT_EQ(m.storedValues - nonzeros, r.regrown * c.block * c.block)
      << "the regrown zeros are stored";
  Tensor back = must(formats::decode(m));
  EXPECT_EQ(back.data, w);
  int64_t visited = 0;
  bool allInPattern = true, valuesMatch = true;
  forEachStoredOf(m, [&](int64_t row, int64_t col, int64_t k) {
    ++visited;
    allInPattern &= p.isStored(row, col);
    valuesMatch &= sxf_rt::loadValue(m.spec.valueType, m.values.data(), k) ==
                   w[size_t(row * c.cols + col)];
  });
  EXPECT_EQ(visited, p.storedElements());
  EXPECT_TRUE(allInPattern);
  EXPECT_TRUE(valuesMatch);

  // State laid out like the old values (1, 2, 3, ... in stored order) moves
  // to the new stored order: kept positions keep theirs, regrown get 0.
  EncodedMatrix oldLayout = must(encodeWithPattern(w, before, spec));
  std::vector<float> state(size_t(oldLayout.storedValues));
  for (size_t i = 0; i < state.size(); ++i)
    state[i] = float(i + 1);
  std::vector<float> atPosition(size_t(c.rows * c.cols), 0.0f);
  forEachStoredOf(oldLayout, [&](int64_t row, int64_t col, int64_t k) {
    atPosition[size_t(row * c.cols + col)] = state[size_t(k)];
  });
  std::vector<float> moved = must(remapStored(before, p, spec, state));
  ASSERT_EQ(int64_t(moved.size()), m.storedValues);
  int64_t mismatches = 0, zeros = 0;
  forEachStoredOf(m, [&](int64_t row, int64_t col, int64_t k) {
    float expect =
        before.isStored(row, col) ? atPosition[size_t(row * c.cols + col)] : 0;
    mismatches += moved[size_t(k)] != expect;
    zeros += moved[size_t(k)] == 0.0f;
  });
  EXPECT_EQ(mismatches, 0);
  EXPECT_EQ(zeros, r.regrown * c.block * c.block);
}

TEST_P(SparsitySizes, GatherAndScatterFollowTheStoredOrder) {
  // gatherStored gives the values in the format's stored order (checked
  // against forEachStored, the runtime's one rule) and scatterStored puts
  // them back, zeroing every position outside the pattern.
  SizeCase c = GetParam();
  BlockShape b{c.block, c.block};
  SparsityPattern p = must(initialPattern(c.rows, c.cols, b, c.density, 41));
  std::vector<float> w = weightsOn(p, 42);
  w[1] = 7.0f; // off-pattern garbage must not reach the stored values
  FormatSpec spec = specOf(c.block == 1 ? Kind::CSR : Kind::BSR, b);
  std::vector<float> stored = must(gatherStored(w, p, spec));
  ASSERT_EQ(int64_t(stored.size()), p.storedElements());
  EncodedMatrix m = must(encodeWithPattern(w, p, spec));
  int64_t mismatches = 0;
  forEachStoredOf(m, [&](int64_t row, int64_t col, int64_t k) {
    mismatches += stored[size_t(k)] != w[size_t(row * c.cols + col)];
  });
  EXPECT_EQ(mismatches, 0);
  for (float &x : stored)
    x += 1.0f;
  std::vector<float> back(w.size(), -1.0f);
  ASSERT_FALSE(bool(scatterStored(stored, p, spec, back)));
  int64_t wrong = 0;
  for (int64_t r = 0; r < c.rows; ++r)
    for (int64_t col = 0; col < c.cols; ++col) {
      size_t i = size_t(r * c.cols + col);
      float expect = p.isStored(r, col) ? w[i] + 1.0f : 0.0f;
      wrong += back[i] != expect;
    }
  EXPECT_EQ(wrong, 0);
  EXPECT_NE(errorOf(gatherStored(std::vector<float>(3), p, spec)), "");
  std::vector<float> small(3);
  llvm::Error e = scatterStored(stored, p, spec, small);
  EXPECT_TRUE(bool(e));
  llvm::consumeError(std::move(e));
  e = scatterStored(std::vector<float>(2), p, spec, back);
  ASSERT_TRUE(bool(e));
  EXPECT_NE(llvm::toString(std::move(e)).find("the pattern stores"),
            std::string::npos);
}

//===----------------------------------------------------------------------===//
// Small cases by hand
//===----------------------------------------------------------------------===//

SparsityPattern pattern4x4(std::vector<uint8_t> blocks) {
  SparsityPattern p;
  p.rows = p.cols = 4;
  p.blocks = std::move(blocks);
  return p;
}

TEST(SparsityTest, TiesGoToTheLowerIndexAndPrunedAreNotRegrown) {
  // Stored: 0 1 2 3 5 6, all |w| = 1.
  SparsityPattern p =
      pattern4x4({1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  std::vector<float> w = {1, -1, 1, -1, 0, 1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  std::vector<float> g(16, 2.0f); // every block ties by gradient too
  PatternUpdateResult r =
      must(updatePattern(w, p, 0.5, Regrowth::Gradient, g, 0));
  EXPECT_EQ(r.prunedBlocks, (std::vector<int64_t>{0, 1, 2}));
  // The lowest unstored blocks, not the just-pruned 0, 1, 2.
  EXPECT_EQ(r.regrownBlocks, (std::vector<int64_t>{4, 7, 8}));
  EXPECT_EQ(p.blocks, (std::vector<uint8_t>{0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0,
                                            0, 0, 0, 0}));
  EXPECT_EQ(w, (std::vector<float>{0, 0, 0, -1, 0, 1, -1, 0, 0, 0, 0, 0, 0, 0,
                                   0, 0}));

  // 4x4 blocks of a 8x8 weight: block L1 decides, not single values.
  SparsityPattern q;
  q.rows = q.cols = 8;
  q.block = {4, 4};
  q.blocks = {1, 1, 0, 0};
  std::vector<float> v(64, 0.0f);
  v[0] = 10;                      // block 0: one large value, L1 10
  for (int64_t r = 0; r < 4; ++r) // block 1: sixteen 0.7s, L1 11.2
    for (int64_t c = 4; c < 8; ++c)
      v[size_t(r * 8 + c)] = 0.7f;
  PatternUpdateResult rq =
      must(updatePattern(v, q, 0.5, Regrowth::Random, {}, 4));
  EXPECT_EQ(rq.prunedBlocks, (std::vector<int64_t>{0}));
  EXPECT_EQ(v[0], 0.0f);
  EXPECT_EQ(q.storedBlocks(), 2);
}

TEST(SparsityTest, RegrowthIsCappedByTheUnstoredBlocks) {
  SparsityPattern p = must(initialPattern(10, 10, {1, 1}, 0.9, 1));
  ASSERT_EQ(p.storedBlocks(), 90);
  std::vector<float> w = weightsOn(p, 2);
  PatternUpdateResult r =
      must(updatePattern(w, p, 0.5, Regrowth::Random, {}, 3));
  EXPECT_EQ(r.pruned, 10); // round(0.5 * 90) = 45, but only 10 are free
  EXPECT_EQ(p.storedBlocks(), 90);
  // Static sparsity: a zero fraction changes nothing.
  SparsityPattern same = p;
  std::vector<float> w0 = w;
  r = must(updatePattern(w, p, 0.0, Regrowth::Random, {}, 3));
  EXPECT_EQ(r.pruned, 0);
  EXPECT_EQ(p.blocks, same.blocks);
  EXPECT_EQ(w, w0);
  // Density 1: nothing to regrow into.
  SparsityPattern full = must(initialPattern(8, 8, {4, 4}, 1.0, 1));
  std::vector<float> wf(64, 1.0f);
  EXPECT_EQ(must(updatePattern(wf, full, 0.5, Regrowth::Random, {}, 1)).pruned,
            0);
}

TEST(SparsityTest, RefusesBadShapesFractionsAndInputs) {
  // Blocks must divide the shape: 1000 is not a multiple of 16.
  std::string msg = errorOf(initialPattern(1000, 768, {16, 16}, 0.1, 1));
  EXPECT_TRUE(contains(msg, "block 16x16 does not divide the weight shape "
                            "1000x768"))
      << msg;
  msg = errorOf(initialPattern(768, 3072, {0, 4}, 0.1, 1));
  EXPECT_TRUE(contains(msg, "block 0x4 is not positive")) << msg;
  msg = errorOf(initialPattern(0, 3072, {1, 1}, 0.1, 1));
  EXPECT_TRUE(contains(msg, "weight shape 0x3072 is not positive")) << msg;
  for (double d : {0.0, -0.1, 1.5, double(NAN)}) {
    msg = errorOf(initialPattern(64, 64, {4, 4}, d, 1));
    EXPECT_TRUE(contains(msg, "is outside (0, 1]")) << msg;
  }

  SparsityPattern p = must(initialPattern(64, 64, {8, 8}, 0.25, 1));
  const SparsityPattern before = p;
  std::vector<float> w = weightsOn(p, 2);
  const std::vector<float> w0 = w;
  for (double f : {-0.1, 1.5, double(NAN)}) {
    msg = errorOf(updatePattern(w, p, f, Regrowth::Random, {}, 1));
    EXPECT_TRUE(contains(msg, "is outside [0, 1]")) << msg;
  }
  msg = errorOf(updatePattern(w, p, 0.5, Regrowth::Gradient, {}, 1));
  EXPECT_TRUE(contains(msg, "gradient regrowth needs the dense gradient of "
                            "the 64x64 weight, got 0 values"))
      << msg;
  std::vector<float> shortW(100);
  msg = errorOf(updatePattern(shortW, p, 0.5, Regrowth::Random, {}, 1));
  EXPECT_TRUE(contains(msg, "100 values for a 64x64 weight")) << msg;
  // A non-finite norm fails without changing anything.
  for (int64_t i = 0; i < 64 * 64; ++i)
    if (p.isStored(i / 64, i % 64)) {
      w[size_t(i)] = NAN;
      break;
    }
  msg = errorOf(updatePattern(w, p, 0.5, Regrowth::Random, {}, 1));
  EXPECT_TRUE(contains(msg, "has a non-finite value norm")) << msg;
  EXPECT_EQ(p.blocks, before.blocks);
  std::vector<float> g(64 * 64, INFINITY);
  w = w0;
  msg = errorOf(updatePattern(w, p, 0.5, Regrowth::Gradient, g, 1));
  EXPECT_TRUE(contains(msg, "has a non-finite gradient norm")) << msg;
  EXPECT_EQ(p.blocks, before.blocks);
  EXPECT_EQ(w, w0);
  // Malformed patterns.
  SparsityPattern bad = p;
  bad.blocks[3] = 2;
  msg = errorOf(updatePattern(w, bad, 0.5, Regrowth::Random, {}, 1));
  EXPECT_TRUE(contains(msg, "block entry 3 is 2, not 0 or 1")) << msg;
  bad.blocks.pop_back();
  msg = errorOf(updatePattern(w, bad, 0.5, Regrowth::Random, {}, 1));
  EXPECT_TRUE(contains(msg, "63 block entries for a 8x8 block grid")) << msg;
}

//===----------------------------------------------------------------------===//
// The schedule
//===----------------------------------------------------------------------===//

TEST(SparsityTest, GraphcoreScheduleIsTheDefault) {
  DynamicSparsityConfig c;
  EXPECT_EQ(c.sparsity, 0.9);
  EXPECT_EQ(c.initialPruneRatio, 0.5);
  EXPECT_EQ(c.numUpdates, 160);
  EXPECT_EQ(c.decay, PruneDecay::Cosine);
  EXPECT_EQ(c.regrowth, Regrowth::Random);
  ASSERT_FALSE(bool(validate(c)));
  EXPECT_DOUBLE_EQ(must(pruneFraction(c, 0)), 0.5);
  EXPECT_DOUBLE_EQ(must(pruneFraction(c, 80)), 0.25);
  EXPECT_DOUBLE_EQ(must(pruneFraction(c, 40)),
                   0.5 * (1 + std::cos(M_PI / 4)) / 2);
  for (int64_t i = 0; i < 160; ++i) {
    double expect = 0.5 * (1 + std::cos(M_PI * double(i) / 160.0)) / 2;
    EXPECT_DOUBLE_EQ(must(pruneFraction(c, i)), expect) << i;
  }
  EXPECT_GT(must(pruneFraction(c, 159)), 0.0);
  EXPECT_LT(must(pruneFraction(c, 159)), 1e-4);
  EXPECT_EQ(must(pruneFraction(c, 160)), 0.0);
  EXPECT_EQ(must(pruneFraction(c, 1000)), 0.0);

  DynamicSparsityConfig constant;
  constant.decay = PruneDecay::Constant;
  constant.initialPruneRatio = 0.3;
  EXPECT_EQ(must(pruneFraction(constant, 0)), 0.3);
  EXPECT_EQ(must(pruneFraction(constant, 159)), 0.3);

  std::string msg = errorOf(pruneFraction(c, -1));
  EXPECT_TRUE(contains(msg, "update index -1 is negative")) << msg;
  DynamicSparsityConfig bad;
  bad.sparsity = 1.0;
  msg = errorOf(pruneFraction(bad, 0));
  EXPECT_TRUE(contains(msg, "sparsity 1 is outside [0, 1)")) << msg;
  bad = DynamicSparsityConfig();
  bad.initialPruneRatio = 1.5;
  msg = errorOf(pruneFraction(bad, 0));
  EXPECT_TRUE(contains(msg, "initialPruneRatio 1.5 is outside [0, 1]")) << msg;
  bad = DynamicSparsityConfig();
  bad.numUpdates = 0;
  msg = errorOf(pruneFraction(bad, 0));
  EXPECT_TRUE(contains(msg, "numUpdates 0 is not >= 1")) << msg;
}

//===----------------------------------------------------------------------===//
// Storage in other formats
//===----------------------------------------------------------------------===//

TEST(SparsityTest, EncodeAndRemapInEveryFormatThatKeepsZeros) {
  SparsityPattern p = must(initialPattern(64, 96, {4, 4}, 0.2, 41));
  std::vector<float> w = weightsOn(p, 42);
  SparsityPattern before = p;
  must(updatePattern(w, p, 0.5, Regrowth::Random, {}, 43));
  for (Kind kind : {Kind::Dense, Kind::CSR, Kind::CSC, Kind::COO, Kind::BSR}) {
    FormatSpec spec = specOf(kind, {4, 4});
    SCOPED_TRACE(formats::toString(spec));
    EncodedMatrix m = must(encodeWithPattern(w, p, spec));
    EXPECT_EQ(must(formats::decode(m)).data, w);
    int64_t expectStored =
        kind == Kind::Dense ? int64_t(w.size()) : p.storedElements();
    EXPECT_EQ(m.storedValues, expectStored);
    // State in the old stored order: its decode at kept positions survives.
    EncodedMatrix oldM = must(encodeWithPattern(w, before, spec));
    std::vector<float> state(size_t(oldM.storedValues));
    for (size_t i = 0; i < state.size(); ++i)
      state[i] = float(i + 1);
    std::vector<float> moved = must(remapStored(before, p, spec, state));
    ASSERT_EQ(int64_t(moved.size()), m.storedValues);
    EncodedMatrix oldState = oldM, newState = m;
    std::memcpy(oldState.values.data(), state.data(), state.size() * 4);
    std::memcpy(newState.values.data(), moved.data(), moved.size() * 4);
    std::vector<float> od = must(formats::decode(oldState)).data;
    std::vector<float> nd = must(formats::decode(newState)).data;
    for (int64_t i = 0; i < 64 * 96; ++i) {
      int64_t r = i / 96, c = i % 96;
      float expect =
          p.isStored(r, c) && before.isStored(r, c) ? od[size_t(i)] : 0.0f;
      ASSERT_EQ(nd[size_t(i)], expect) << r << "," << c;
    }
  }
  // nm and ell cannot keep a stored zero.
  FormatSpec ell = specOf(Kind::ELL);
  std::string msg = errorOf(encodeWithPattern(w, p, ell));
  EXPECT_TRUE(contains(msg, "a stored 0.0 would read as padding")) << msg;
  msg = errorOf(remapStored(before, p, ell, {}));
  EXPECT_TRUE(contains(msg, "a stored 0.0 would read as padding")) << msg;
  msg =
      errorOf(encodeWithPattern(std::vector<float>(10), p, specOf(Kind::CSR)));
  EXPECT_TRUE(contains(msg, "10 values for a 64x96 weight")) << msg;
  msg =
      errorOf(remapStored(before, p, specOf(Kind::CSR), std::vector<float>(3)));
  EXPECT_TRUE(contains(msg, "3 values, but the old pattern stores")) << msg;
}

} // namespace
