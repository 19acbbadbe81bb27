//===- PruningTest.cpp - Tests of the pruning algorithms --------*- C++ -*-===//

#include "sxf/Interpreter/Kernels.h"
#include "sxf/Interpreter/GradKernels.h"
#include "sxf/Pruning/FastLinear.h"
#include "sxf/Pruning/Pruning.h"
#include "sxf/Support/Random.h"

#include <Eigen/Dense>

#include "gtest/gtest.h"

#include <cmath>

using namespace sxf;
using namespace sxf::prune;

namespace {

Tensor matrix(int64_t rows, int64_t cols, std::vector<float> data) {
  Tensor t({rows, cols});
  t.data = std::move(data);
  return t;
}

Tensor randomMatrix(int64_t rows, int64_t cols, uint64_t seed) {
  Rng rng(seed);
  Tensor t({rows, cols});
  for (float &v : t.data)
    v = static_cast<float>(rng.normal());
  return t;
}

/// Correlated inputs (a random mixing of a few latent factors plus noise),
/// as real activations are: the regime where OBS beats magnitude.
std::vector<float> randomInputs(int64_t tokens, int64_t cols, uint64_t seed) {
  Rng rng(seed);
  int64_t factors = std::max<int64_t>(2, cols / 4);
  std::vector<double> mix(factors * cols);
  for (double &v : mix)
    v = rng.normal();
  std::vector<float> x(tokens * cols);
  for (int64_t t = 0; t < tokens; ++t) {
    std::vector<double> z(factors);
    for (double &v : z)
      v = rng.normal();
    for (int64_t j = 0; j < cols; ++j) {
      double s = 0.3 * rng.normal();
      for (int64_t f = 0; f < factors; ++f)
        s += z[f] * mix[f * cols + j];
      x[t * cols + j] = static_cast<float>(s * (j % 7 == 0 ? 4.0 : 1.0));
    }
  }
  return x;
}

int64_t zeros(const Tensor &t) {
  int64_t z = 0;
  for (float v : t.data)
    z += v == 0.0f;
  return z;
}

TEST(PruningTest, DropSmallestBreaksTiesByIndex) {
  Mask m = dropSmallest({3, 1, 1, 2, 1}, 2);
  EXPECT_EQ(m, (Mask{1, 0, 0, 1, 1}));
  EXPECT_EQ(dropSmallest({1, 2}, 0), (Mask{1, 1}));
  EXPECT_EQ(dropSmallest({1, 2}, 5), (Mask{0, 0}));
}

TEST(PruningTest, MagnitudeMaskElementByElement) {
  // |w| = 0.5 -3 1 -0.1 | 2 0.2 -4 0.3 ; 50% drops the 4 smallest:
  // 0.1, 0.2, 0.3, 0.5.
  Tensor w = matrix(2, 4, {0.5f, -3, 1, -0.1f, 2, 0.2f, -4, 0.3f});
  EXPECT_EQ(magnitudeMask(w, 0.5), (Mask{0, 1, 1, 0, 1, 0, 1, 0}));
  EXPECT_EQ(magnitudeMask(w, 0.25), (Mask{1, 1, 1, 0, 1, 0, 1, 1}));
  EXPECT_EQ(magnitudeMask(w, 0.0), Mask(8, 1));
}

TEST(PruningTest, NMMaskElementByElement) {
  Tensor w = matrix(2, 8, {1, -5, 2, 0.5f, 9, 8, -7, 6, //
                           0, 0, 0, 1, 3, -3, 3, 2});
  Mask m = nmMask(magnitudeScores(w), 2, 8, 2, 4);
  // Row 0: {1,5,2,.5} keeps 5,2; {9,8,7,6} keeps 9,8.
  // Row 1: {0,0,0,1} keeps index 2 (tie, higher index kept) and 3;
  //        {3,3,3,2} keeps the last two 3s (ties drop lower indices first).
  EXPECT_EQ(m, (Mask{0, 1, 1, 0, 1, 1, 0, 0, //
                     0, 0, 1, 1, 0, 1, 1, 0}));
  Mask m48 = nmMask(magnitudeScores(w), 2, 8, 4, 8);
  EXPECT_EQ(m48, (Mask{0, 0, 0, 0, 1, 1, 1, 1, //
                       0, 0, 0, 0, 1, 1, 1, 1}));
}

TEST(PruningTest, PerRowMask) {
  std::vector<double> s = {4, 3, 2, 1, 1, 2, 3, 4};
  EXPECT_EQ(perRowMask(s, 2, 4, 0.5), (Mask{1, 1, 0, 0, 0, 0, 1, 1}));
}

TEST(PruningTest, BlockMaskByNorm) {
  // 4x4 with 2x2 blocks of norms² 4, 100 | 1, 9: 50% keeps the 100 and 9.
  Tensor w = matrix(4, 4, {1, 1, 5, 5, //
                           1, 1, 5, 5, //
                           0.5f, 0.5f, 1.5f, 1.5f, //
                           0.5f, 0.5f, 1.5f, 1.5f});
  EXPECT_EQ(blockMask(w, 2, 2, 0.5), (Mask{0, 0, 1, 1, 0, 0, 1, 1, //
                                           0, 0, 1, 1, 0, 0, 1, 1}));
}

TEST(PruningTest, WandaScoresUseColumnNorms) {
  Tensor w = matrix(1, 3, {1, -1, 2});
  std::vector<double> s = wandaScores(w, {10, 1, 0.1});
  EXPECT_DOUBLE_EQ(s[0], 10);
  EXPECT_DOUBLE_EQ(s[1], 1);
  EXPECT_DOUBLE_EQ(s[2], 0.2);
}

TEST(PruningTest, HessianIsRunningMeanOfTwoXtX) {
  const int64_t cols = 3;
  std::vector<float> a = {1, 2, 3, 0, 1, 0};   // 2 tokens
  std::vector<float> b = {2, 0, -1};           // 1 token
  HessianAccumulator acc(cols);
  acc.addSample(a.data(), 2);
  acc.addSample(b.data(), 1);
  // H = 2/2 · (Σ over all 3 tokens of x xᵀ).
  std::vector<std::vector<float>> xs = {{1, 2, 3}, {0, 1, 0}, {2, 0, -1}};
  for (int64_t i = 0; i < cols; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      double expected = 0;
      for (auto &x : xs)
        expected += x[i] * x[j];
      EXPECT_NEAR(acc.hessian()[i * cols + j], expected, 1e-9);
    }
  std::vector<double> norms = acc.columnNorms();
  EXPECT_NEAR(norms[0], std::sqrt(5.0), 1e-12);
  EXPECT_NEAR(norms[2], std::sqrt(10.0), 1e-12);
}

/// The row-wise optimum: for a fixed mask, ŵ_S solves H_SS ŵ_S = (H w)_S.
Tensor leastSquares(const Tensor &w, const Mask &mask,
                    const std::vector<double> &h) {
  int64_t rows = w.shape[0], cols = w.shape[1];
  Eigen::Map<const Eigen::Matrix<double, -1, -1, Eigen::RowMajor>> H(
      h.data(), cols, cols);
  Tensor out({rows, cols});
  for (int64_t r = 0; r < rows; ++r) {
    std::vector<int64_t> kept;
    for (int64_t c = 0; c < cols; ++c)
      if (mask[r * cols + c])
        kept.push_back(c);
    Eigen::VectorXd wr(cols);
    for (int64_t c = 0; c < cols; ++c)
      wr(c) = w.data[r * cols + c];
    Eigen::VectorXd rhs = H * wr;
    int64_t k = kept.size();
    Eigen::MatrixXd A(k, k);
    Eigen::VectorXd b(k);
    for (int64_t i = 0; i < k; ++i) {
      b(i) = rhs(kept[i]);
      for (int64_t j = 0; j < k; ++j)
        A(i, j) = H(kept[i], kept[j]);
    }
    Eigen::VectorXd sol = A.ldlt().solve(b);
    for (int64_t i = 0; i < k; ++i)
      out.data[r * cols + kept[i]] = static_cast<float>(sol(i));
  }
  return out;
}

TEST(PruningTest, SparseGPTSingleColumnIsTheExactOBSUpdate) {
  // Removing input 0 from every row: OBS's closed form is the least-squares
  // optimum, and SparseGPT's first column step is exactly OBS.
  const int64_t rows = 5, cols = 9, tokens = 64;
  Tensor w = randomMatrix(rows, cols, 1);
  std::vector<float> x = randomInputs(tokens, cols, 2);
  HessianAccumulator acc(cols);
  acc.addSample(x.data(), tokens);
  Mask keep(rows * cols, 1);
  for (int64_t r = 0; r < rows; ++r)
    keep[r * cols] = 0;
  SparseGPTOptions opts;
  opts.damp = 0.0;
  opts.fixedMask = &keep;
  Tensor pruned = w;
  ASSERT_FALSE(bool(sparseGPT(pruned, acc.hessian(), opts)));
  Tensor best = leastSquares(w, keep, acc.hessian());
  for (int64_t i = 0; i < rows * cols; ++i)
    EXPECT_NEAR(pruned.data[i], best.data[i], 1e-4) << "entry " << i;
}

class SparseGPTRandom : public ::testing::TestWithParam<int> {};

TEST_P(SparseGPTRandom, BeatsMagnitudeAndIsBoundedByLeastSquares) {
  const int seed = GetParam();
  const int64_t rows = 7 + seed, cols = 24 + 4 * seed, tokens = 3 * cols;
  Tensor w = randomMatrix(rows, cols, 100 + seed);
  std::vector<float> x = randomInputs(tokens, cols, 200 + seed);
  HessianAccumulator acc(cols);
  for (int64_t t = 0; t < tokens; t += 16)
    acc.addSample(x.data() + t * cols, std::min<int64_t>(16, tokens - t));
  for (double sparsity : {0.5, 0.7}) {
    SparseGPTOptions opts;
    opts.sparsity = sparsity;
    opts.blocksize = 8; // several lazy blocks
    Tensor sg = w;
    ASSERT_FALSE(bool(sparseGPT(sg, acc.hessian(), opts)));
    Tensor mag = w;
    applyMask(mag, magnitudeMask(w, sparsity));
    // Each block of 8 columns is pruned to the target, so the total is too.
    EXPECT_NEAR(double(zeros(sg)) / sg.numel(), sparsity, 0.02);
    double eSg = reconstructionError(w, sg, acc.hessian());
    double eMag = reconstructionError(w, mag, acc.hessian());
    EXPECT_LE(eSg, eMag) << "sparsity " << sparsity;
    Mask sgMask(sg.numel());
    for (int64_t i = 0; i < sg.numel(); ++i)
      sgMask[i] = sg.data[i] != 0.0f;
    double eLs = reconstructionError(w, leastSquares(w, sgMask, acc.hessian()),
                                     acc.hessian());
    EXPECT_LE(eLs, eSg * (1 + 1e-6) + 1e-9);
  }
  // 2:4: every group of 4 inputs keeps at most 2, and still beats
  // magnitude's 2:4.
  SparseGPTOptions nm;
  nm.n = 2;
  nm.m = 4;
  Tensor sg = w;
  ASSERT_FALSE(bool(sparseGPT(sg, acc.hessian(), nm)));
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t g = 0; g < cols; g += 4) {
      int nz = 0;
      for (int j = 0; j < 4; ++j)
        nz += sg.data[r * cols + g + j] != 0.0f;
      EXPECT_LE(nz, 2);
    }
  Tensor mag = w;
  applyMask(mag, nmMask(magnitudeScores(w), rows, cols, 2, 4));
  EXPECT_LE(reconstructionError(w, sg, acc.hessian()),
            reconstructionError(w, mag, acc.hessian()));
}

INSTANTIATE_TEST_SUITE_P(Seeds, SparseGPTRandom, ::testing::Values(0, 1, 2, 3));

TEST(PruningTest, SparseGPTDeadInputsAreZeroed) {
  // Input 1 never fires: its column is removed even at sparsity 0.
  const int64_t cols = 4, tokens = 10;
  std::vector<float> x(tokens * cols);
  Rng rng(5);
  for (int64_t t = 0; t < tokens; ++t)
    for (int64_t j = 0; j < cols; ++j)
      x[t * cols + j] = j == 1 ? 0.0f : static_cast<float>(rng.normal());
  HessianAccumulator acc(cols);
  acc.addSample(x.data(), tokens);
  Tensor w = randomMatrix(3, cols, 6);
  SparseGPTOptions opts;
  opts.sparsity = 0.0;
  ASSERT_FALSE(bool(sparseGPT(w, acc.hessian(), opts)));
  for (int64_t r = 0; r < 3; ++r)
    EXPECT_EQ(w.data[r * cols + 1], 0.0f);
}

TEST(PruningTest, SparseGPTRejectsBadShapes) {
  Tensor w = randomMatrix(2, 6, 1);
  std::vector<double> h(36, 0.0);
  for (int i = 0; i < 6; ++i)
    h[i * 6 + i] = 1.0;
  SparseGPTOptions opts;
  opts.n = 2;
  opts.m = 4;
  llvm::Error e = sparseGPT(w, h, opts);
  ASSERT_TRUE(bool(e));
  EXPECT_NE(llvm::toString(std::move(e)).find("M = 4 does not divide 6"),
            std::string::npos);
  std::vector<double> wrong(10, 0.0);
  llvm::Error e2 = sparseGPT(w, wrong, SparseGPTOptions());
  ASSERT_TRUE(bool(e2));
  llvm::consumeError(std::move(e2));
}

TEST(PruningTest, SparseGPTReportsIndefiniteHessian) {
  Tensor w = randomMatrix(2, 2, 1);
  std::vector<double> h = {1, 2, 2, 1}; // eigenvalues 3 and -1
  SparseGPTOptions opts;
  opts.damp = 0.0;
  llvm::Error e = sparseGPT(w, h, opts);
  ASSERT_TRUE(bool(e));
  EXPECT_NE(llvm::toString(std::move(e)).find("not positive definite"),
            std::string::npos);
}

} // namespace

namespace {
TEST(FastLinearTest, MatchesTheReferenceKernel) {
  // Odd sizes, every activation, with and without bias.
  Rng rng(11);
  for (int act = 0; act <= 4; ++act)
    for (bool withBias : {false, true}) {
      Tensor x({3, 5, 13}), w({7, 13}), b({7});
      for (float &v : x.data)
        v = static_cast<float>(rng.normal());
      for (float &v : w.data)
        v = static_cast<float>(rng.normal());
      for (float &v : b.data)
        v = static_cast<float>(rng.normal());
      llvm::Expected<Tensor> fast =
          fastLinear(x, w, withBias ? &b : nullptr, act);
      llvm::Expected<Tensor> ref = sxf::ref::linear(
          x, w, withBias ? &b : nullptr, static_cast<sxf::ref::Activation>(act));
      ASSERT_TRUE(bool(fast) && bool(ref));
      ASSERT_EQ(fast->shape, ref->shape);
      for (int64_t i = 0; i < ref->numel(); ++i)
        EXPECT_NEAR(fast->data[i], ref->data[i],
                    1e-5 * std::max(1.0f, std::fabs(ref->data[i])))
            << "activation " << act << " element " << i;
    }
}

TEST(FastLinearTest, ShapeErrorsComeFromTheReference) {
  Tensor x({2, 3}), w({4, 5});
  llvm::Expected<Tensor> y = fastLinear(x, w, nullptr, 0);
  ASSERT_FALSE(bool(y));
  EXPECT_NE(llvm::toString(y.takeError()).find("does not match"),
            std::string::npos);
}

TEST(FastLinearTest, BackwardProductsMatchTheReferenceKernels) {
  // A 768 -> 1000 linear at 80% zeros over 2 x 7 tokens: dx = dy·W, and dW
  // at a random stored set (and everywhere).
  Rng rng(12);
  Tensor x({2, 7, 768}), w({1000, 768}), dy({2, 7, 1000});
  std::vector<bool> stored(w.data.size());
  for (size_t k = 0; k < stored.size(); ++k) {
    stored[k] = rng.uniform() < 0.2;
    w.data[k] = stored[k] ? static_cast<float>(rng.normal()) : 0.0f;
  }
  for (float &v : x.data)
    v = static_cast<float>(rng.normal());
  for (float &v : dy.data)
    v = static_cast<float>(rng.normal());
  auto close = [](const Tensor &got, const Tensor &want) {
    ASSERT_EQ(got.shape, want.shape);
    for (int64_t i = 0; i < want.numel(); ++i)
      ASSERT_NEAR(got.data[i], want.data[i],
                  1e-4 * std::max(1.0f, std::fabs(want.data[i])))
          << "element " << i;
  };
  llvm::Expected<Tensor> dx = fastLinearGradInput(dy, w);
  llvm::Expected<Tensor> dxRef = sxf::ref::linearGradInput(dy, w);
  ASSERT_TRUE(bool(dx) && bool(dxRef));
  close(*dx, *dxRef);
  for (const std::vector<bool> &mask : {stored, std::vector<bool>()}) {
    llvm::Expected<Tensor> dw = fastLinearGradWeight(dy, x, mask);
    llvm::Expected<Tensor> dwRef = sxf::ref::linearGradWeight(dy, x, mask);
    ASSERT_TRUE(bool(dw) && bool(dwRef));
    close(*dw, *dwRef);
    for (size_t k = 0; k < mask.size(); ++k) {
      if (!mask[k]) {
        ASSERT_EQ(dw->data[k], 0.0f);
      }
    }
  }
  // Malformed operands: the reference's messages.
  llvm::Expected<Tensor> bad = fastLinearGradInput(x, w);
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("out-features"),
            std::string::npos);
  llvm::Expected<Tensor> badMask =
      fastLinearGradWeight(dy, x, std::vector<bool>(5, true));
  ASSERT_FALSE(bool(badMask));
  EXPECT_NE(llvm::toString(badMask.takeError()).find("mask has 5 entries"),
            std::string::npos);
}
} // namespace
