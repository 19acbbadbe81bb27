//===- backward_test.cpp - sxf_rt backward products against a double reference ===//
//
// sxf_rt/backward.h for every view (dense, CSR, BSR of several block shapes,
// N:M, ELL) in every value type and index width, on odd sizes (tokens 1 to
// 40, widths that are not powers of two), densities from empty rows to
// all-zero and full, against the double-precision dense products:
//   dX = dY·W, and dW = dYᵀ·X sampled at the weight's nonzero positions
//   (scattered back through forEachStored and compared with the masked dense
//   product; padding slots must stay 0), and the bias gradient; and a
//   1000 x 768 weight at 80% and 99% sparsity (CSR bf16, BSR 8x16 f16).
//
//===----------------------------------------------------------------------===//

#include "spmm_check.h"
#include "sxf_rt/backward.h"
#include "test_util.h"

#include <array>
#include <cmath>

using namespace rt_test;

namespace {

const ValueType kValueTypes[] = {ValueType::F32, ValueType::F16,
                                 ValueType::BF16};
const unsigned kIndexBits[] = {8, 16, 32};

/// Checks the three products of one weight view against double-precision
/// dense references on the rounded dense weight `w` (R x C).
template <class View>
::testing::AssertionResult checkBackward(const View &view,
                                         const std::vector<float> &w,
                                         int64_t T, uint64_t seed) {
  const int64_t R = view.rows, C = view.cols;
  Rng rng(seed);
  std::vector<float> x = randomDense(rng, T * C), dy = randomDense(rng, T * R);
  // dX = dY·W.
  std::vector<float> dx(static_cast<size_t>(T * C), 1e30f);
  sxf_rt::spmmTransposed(view, dy.data(), R, T, dx.data(), C);
  std::vector<float> dxRef(static_cast<size_t>(T * C));
  for (int64_t t = 0; t < T; ++t)
    for (int64_t c = 0; c < C; ++c) {
      double s = 0;
      for (int64_t r = 0; r < R; ++r)
        s += double(dy[size_t(t * R + r)]) * double(w[size_t(r * C + c)]);
      dxRef[size_t(t * C + c)] = float(s);
    }
  if (auto ok = closeTo(dx.data(), dxRef, 1e-5, 1e-6); !ok)
    return ok << " (dX)";
  // dW at the stored positions, scattered back into a dense matrix; every
  // slot that is not a position (padding) must be 0.
  int64_t stored = sxf_rt::storedCount(view);
  std::vector<float> grad(static_cast<size_t>(stored), 1e30f);
  sxf_rt::sddmm(view, dy.data(), R, x.data(), C, T, grad.data());
  std::vector<float> scattered(static_cast<size_t>(R * C), 0.0f);
  std::vector<char> visited(static_cast<size_t>(stored), 0);
  sxf_rt::forEachStored(view, [&](int64_t r, int64_t c, int64_t k) {
    scattered[size_t(r * C + c)] = grad[size_t(k)];
    visited[size_t(k)] = 1;
  });
  for (int64_t k = 0; k < stored; ++k)
    if (!visited[size_t(k)] && grad[size_t(k)] != 0.0f)
      return ::testing::AssertionFailure()
             << "padding slot " << k << " has gradient " << grad[size_t(k)];
  std::vector<float> dwRef(static_cast<size_t>(R * C), 0.0f);
  for (int64_t r = 0; r < R; ++r)
    for (int64_t c = 0; c < C; ++c) {
      if (w[size_t(r * C + c)] == 0.0f)
        continue; // only the pattern's positions get a gradient
      double s = 0;
      for (int64_t t = 0; t < T; ++t)
        s += double(dy[size_t(t * R + r)]) * double(x[size_t(t * C + c)]);
      dwRef[size_t(r * C + c)] = float(s);
    }
  // A stored zero (inside a BSR block, or a dense weight's zero) is a
  // position too: compare only where the weight is nonzero, and require
  // every nonzero of the weight to be a visited position.
  for (int64_t i = 0; i < R * C; ++i)
    if (w[size_t(i)] == 0.0f)
      scattered[size_t(i)] = 0.0f;
  if (auto ok = closeTo(scattered.data(), dwRef, 1e-5, 1e-6);
      !ok)
    return ok << " (dW)";
  // The bias gradient.
  std::vector<float> db(static_cast<size_t>(R)), dbRef(static_cast<size_t>(R));
  sxf_rt::biasGrad(dy.data(), R, T, R, db.data());
  for (int64_t r = 0; r < R; ++r) {
    double s = 0;
    for (int64_t t = 0; t < T; ++t)
      s += dy[size_t(t * R + r)];
    dbRef[size_t(r)] = float(s);
  }
  return closeTo(db.data(), dbRef, 1e-5, 1e-6);
}

} // namespace

TEST(Backward, CsrEllDenseAllTypesAndWidths) {
  uint64_t seed = 1;
  for (ValueType vt : kValueTypes)
    for (unsigned ib : kIndexBits) {
      Rng rng(seed++);
      int64_t T = 1 + rng.below(40), R = 1 + rng.below(70),
              C = 1 + rng.below(ib == 8 ? 200 : 300);
      for (double density : {0.0, 0.05, 0.3, 1.0}) {
        auto w = rounded(randomUnstructured(rng, R, C, density), vt);
        EncCsr csr = encodeCsr(w, R, C, vt, ib);
        EXPECT_TRUE(checkBackward(csr.view, w, T, seed * 7))
            << "csr " << R << "x" << C << " T " << T << " density "
            << density;
        EncEll ell = encodeEll(w, R, C, vt, ib);
        EXPECT_TRUE(checkBackward(ell.view, w, T, seed * 11))
            << "ell " << R << "x" << C << " T " << T << " density "
            << density;
      }
      auto full = rounded(randomUnstructured(rng, R, C, 1.0), vt);
      EncDense d = encodeDense(full, R, C, vt);
      EXPECT_TRUE(checkBackward(d.view, full, T, seed * 13)) << "dense";
    }
}

TEST(Backward, BsrBlockShapes) {
  uint64_t seed = 100;
  for (auto bs : std::vector<std::array<int64_t, 2>>{
           {1, 1}, {4, 4}, {8, 8}, {16, 16}, {2, 3}, {5, 2}})
    for (ValueType vt : kValueTypes) {
      Rng rng(seed++);
      int64_t bh = bs[0], bw = bs[1];
      int64_t T = 1 + rng.below(24), R = bh * (1 + rng.below(6)),
              C = bw * (1 + rng.below(7));
      auto w = rounded(
          randomBlocked(rng, R, C, bh, bw, 0.1 + 0.8 * rng.uniform()), vt);
      EncBsr e = encodeBsr(w, R, C, bh, bw, vt, 16);
      EXPECT_TRUE(checkBackward(e.view, w, T, seed))
          << "bsr[" << bh << "x" << bw << "] " << R << "x" << C;
    }
}

TEST(Backward, NmPatternsWithPadding) {
  uint64_t seed = 200;
  for (auto nm : std::vector<std::array<int64_t, 2>>{{2, 4}, {4, 8}, {1, 4},
                                                     {3, 7}})
    for (ValueType vt : kValueTypes) {
      Rng rng(seed++);
      int64_t n = nm[0], m = nm[1];
      int64_t T = 1 + rng.below(24), R = 1 + rng.below(40),
              C = m * (1 + rng.below(9));
      // Groups with fewer than n nonzeros are padded: padding gets no
      // gradient.
      auto w = rounded(randomNm(rng, R, C, n, m, 0.6), vt);
      EncNm e = encodeNm(w, R, C, n, m, vt, 8);
      EXPECT_TRUE(checkBackward(e.view, w, T, seed))
          << n << ":" << m << " " << R << "x" << C;
    }
}

TEST(Backward, ToDenseIsTheStoredPositions) {
  // toDense and the gradients share forEachStored: a weight encoded and
  // decoded is itself in every view.
  Rng rng(7);
  int64_t R = 12, C = 24;
  auto w = randomUnstructured(rng, R, C, 0.4);
  std::vector<float> back(static_cast<size_t>(R * C));
  EncCsr csr = encodeCsr(w, R, C, ValueType::F32, 16);
  sxf_rt::toDense(csr.view, back.data());
  EXPECT_EQ(back, w);
  EncEll ell = encodeEll(w, R, C, ValueType::F32, 16);
  sxf_rt::toDense(ell.view, back.data());
  EXPECT_EQ(back, w);
  auto nmw = randomNm(rng, R, C, 2, 4, 0.7);
  EncNm nm = encodeNm(nmw, R, C, 2, 4, ValueType::F32, 8);
  sxf_rt::toDense(nm.view, back.data());
  EXPECT_EQ(back, nmw);
}

TEST(Backward, TransformerSizes) {
  // A 768-wide layer's 1000 x 768 weight at 80% and 99% sparsity, 16 tokens,
  // as CSR (bf16 values, 16-bit indices) and 16x16 BSR.
  Rng rng(31);
  const int64_t T = 16, R = 1000, C = 768;
  for (double density : {0.2, 0.01}) {
    auto w = rounded(randomUnstructured(rng, R, C, density), ValueType::BF16);
    EncCsr csr = encodeCsr(w, R, C, ValueType::BF16, 16);
    EXPECT_TRUE(checkBackward(csr.view, w, T, 5)) << "csr density " << density;
    auto wb = rounded(randomBlocked(rng, R, C, 8, 16, density), ValueType::F16);
    EncBsr bsr = encodeBsr(wb, R, C, 8, 16, ValueType::F16, 16);
    EXPECT_TRUE(checkBackward(bsr.view, wb, T, 6)) << "bsr density " << density;
  }
}
