//===- spmm_test.cpp - sxf_rt SpMM kernels against a double reference -----===//
//
// Every format (dense, CSR, BSR of several block shapes, N:M, ELL, sliced
// ELL) in every value type and index width, on odd sizes and random
// densities, with and without each part of the epilogue, against the
// double-precision linear of test_util.h. Edge cases: empty rows, an all-zero
// matrix, a single row, T = 1, fewer rows than threads, strided x / y,
// residual aliasing y, and reductions long enough to show fp32 drift.
//
//===----------------------------------------------------------------------===//

#include "spmm_check.h"
#include "sxf_rt/spmm.h"
#include "test_util.h"

using namespace rt_test;
using sxf_rt::Activation;
using sxf_rt::Epilogue;
using sxf_rt::SpmmOptions;
using sxf_rt::ThreadSplit;

namespace {

const ValueType kValueTypes[] = {ValueType::F32, ValueType::F16,
                                 ValueType::BF16};
const unsigned kIndexBits[] = {8, 16, 32, 64};

/// Sizes exercising full panels, padded panels, narrow panels, partial row
/// groups and register-block remainders.
const Case kShapes[] = {
    {7, 13, 24},  {1, 16, 32},  {64, 20, 40}, {100, 9, 16},
    {37, 33, 48}, {130, 24, 8}, {17, 1, 64},
};

} // namespace

TEST(Spmm, CsrAllTypesAndWidths) {
  uint64_t seed = 1;
  for (const Case &shape : kShapes)
    for (ValueType vt : kValueTypes)
      for (unsigned ib : kIndexBits) {
        if (ib == 8 && shape.C > 256)
          continue;
        Rng rng(seed++);
        double density = 0.05 + 0.6 * rng.uniform();
        auto w = rounded(randomUnstructured(rng, shape.R, shape.C, density),
                         vt);
        EncCsr e = encodeCsr(w, shape.R, shape.C, vt, ib);
        EXPECT_TRUE(check(shape, w, seed,
                          [&](const float *x, int64_t T, float *y,
                              const Epilogue &ep, const SpmmOptions &o) {
                            sxf_rt::spmm(e.view, x, T, y, ep, o);
                          }))
            << name("csr", vt, ib, shape) << " density " << density;
      }
}

TEST(Spmm, BsrBlockShapes) {
  const int64_t shapes[][2] = {{4, 4}, {8, 8}, {16, 16}, {2, 3},
                               {1, 4}, {4, 1}, {5, 2},   {3, 8}};
  uint64_t seed = 100;
  for (auto bs : shapes)
    for (ValueType vt : kValueTypes)
      for (unsigned ib : kIndexBits) {
        Rng rng(seed++);
        int64_t bh = bs[0], bw = bs[1];
        Case cs{int64_t(1 + rng.below(140)), bh * (1 + rng.below(5)),
                bw * (1 + rng.below(7))};
        cs.bias = true;
        double density = 0.1 + 0.8 * rng.uniform();
        auto w = rounded(
            randomBlocked(rng, cs.R, cs.C, bh, bw, density), vt);
        EncBsr e = encodeBsr(w, cs.R, cs.C, bh, bw, vt, ib);
        EXPECT_TRUE(check(cs, w, seed,
                          [&](const float *x, int64_t T, float *y,
                              const Epilogue &ep, const SpmmOptions &o) {
                            sxf_rt::spmm(e.view, x, T, y, ep, o);
                          }))
            << name("bsr", vt, ib, cs) << " block " << bh << "x" << bw;
      }
}

TEST(Spmm, NmPatternsAndPackedIndices) {
  const int64_t nms[][2] = {{2, 4}, {4, 8}, {1, 4}, {3, 5}, {2, 8}, {1, 1}};
  const unsigned widths[] = {2, 4, 8, 16, 32, 64};
  uint64_t seed = 200;
  for (auto nm : nms)
    for (ValueType vt : kValueTypes)
      for (unsigned ib : widths) {
        int64_t n = nm[0], m = nm[1];
        if ((ib == 2 && m > 4) || (ib == 4 && m > 16))
          continue;
        Rng rng(seed++);
        Case cs{int64_t(1 + rng.below(100)), int64_t(1 + rng.below(20)),
                m * (1 + rng.below(9))};
        cs.residual = true;
        auto w = rounded(randomNm(rng, cs.R, cs.C, n, m), vt);
        EncNm e = encodeNm(w, cs.R, cs.C, n, m, vt, ib);
        EXPECT_TRUE(check(cs, w, seed,
                          [&](const float *x, int64_t T, float *y,
                              const Epilogue &ep, const SpmmOptions &o) {
                            sxf_rt::spmm(e.view, x, T, y, ep, o);
                          }))
            << name("nm", vt, ib, cs) << " " << n << ":" << m;
      }
}

TEST(Spmm, Ell) {
  uint64_t seed = 300;
  for (const Case &shape : kShapes)
    for (ValueType vt : kValueTypes)
      for (unsigned ib : kIndexBits) {
        Rng rng(seed++);
        // Rows of very different lengths: padding matters.
        std::vector<float> w(static_cast<size_t>(shape.R * shape.C), 0.0f);
        for (int64_t r = 0; r < shape.R; ++r) {
          double d = rng.uniform() < 0.3 ? 0.0 : rng.uniform();
          for (int64_t c = 0; c < shape.C; ++c)
            if (rng.uniform() < d)
              w[size_t(r * shape.C + c)] = weightValue(rng, shape.C);
        }
        w = rounded(w, vt);
        EncEll e = encodeEll(w, shape.R, shape.C, vt, ib);
        Case cs = shape;
        cs.act = Act::Relu;
        EXPECT_TRUE(check(cs, w, seed,
                          [&](const float *x, int64_t T, float *y,
                              const Epilogue &ep, const SpmmOptions &o) {
                            sxf_rt::spmm(e.view, x, T, y, ep, o);
                          }))
            << name("ell", vt, ib, cs);
      }
}

TEST(Spmm, DenseAllTypes) {
  uint64_t seed = 400;
  for (const Case &shape : kShapes)
    for (ValueType vt : kValueTypes) {
      Rng rng(seed++);
      auto w = rounded(randomUnstructured(rng, shape.R, shape.C, 1.0), vt);
      EncDense e = encodeDense(w, shape.R, shape.C, vt);
      Case cs = shape;
      cs.bias = cs.residual = true;
      EXPECT_TRUE(check(cs, w, seed,
                        [&](const float *x, int64_t T, float *y,
                            const Epilogue &ep, const SpmmOptions &o) {
                          sxf_rt::spmm(e.view, x, T, y, ep, o);
                        }))
          << name("dense", vt, 0, cs);
    }
}

TEST(Spmm, EveryEpilogue) {
  const Act acts[] = {Act::None, Act::Relu, Act::Gelu, Act::GeluTanh,
                      Act::Silu};
  uint64_t seed = 500;
  for (Act act : acts)
    for (int mask = 0; mask < 8; ++mask) {
      Rng rng(seed++);
      Case cs{int64_t(1 + rng.below(90)), 24, 40};
      cs.act = act;
      cs.bias = mask & 1;
      cs.residual = mask & 2;
      cs.norm = mask & 4;
      auto w = randomUnstructured(rng, cs.R, cs.C, 0.3);
      EncCsr csr = encodeCsr(w, cs.R, cs.C, ValueType::F32, 16);
      EncBsr bsr = encodeBsr(w, cs.R, cs.C, 4, 4, ValueType::F32, 8);
      EncDense dense = encodeDense(w, cs.R, cs.C, ValueType::F32);
      EXPECT_TRUE(check(cs, w, seed,
                        [&](const float *x, int64_t T, float *y,
                            const Epilogue &ep, const SpmmOptions &o) {
                          sxf_rt::spmm(csr.view, x, T, y, ep, o);
                        }))
          << "csr act " << int(act) << " mask " << mask;
      EXPECT_TRUE(check(cs, w, seed,
                        [&](const float *x, int64_t T, float *y,
                            const Epilogue &ep, const SpmmOptions &o) {
                          sxf_rt::spmm(bsr.view, x, T, y, ep, o);
                        }))
          << "bsr act " << int(act) << " mask " << mask;
      EXPECT_TRUE(check(cs, w, seed,
                        [&](const float *x, int64_t T, float *y,
                            const Epilogue &ep, const SpmmOptions &o) {
                          sxf_rt::spmm(dense.view, x, T, y, ep, o);
                        }))
          << "dense act " << int(act) << " mask " << mask;
    }
}

TEST(Spmm, EdgeCases) {
  Rng rng(600);
  auto runAll = [&](const Case &cs, const std::vector<float> &w,
                    const char *what) {
    EncCsr csr = encodeCsr(w, cs.R, cs.C, ValueType::F32, 32);
    EncEll ell = encodeEll(w, cs.R, cs.C, ValueType::F32, 32);
    EncDense dense = encodeDense(w, cs.R, cs.C, ValueType::F32);
    auto go = [&](auto &view, const char *fmt) {
      EXPECT_TRUE(check(cs, w, 7,
                        [&](const float *x, int64_t T, float *y,
                            const Epilogue &ep, const SpmmOptions &o) {
                          sxf_rt::spmm(view, x, T, y, ep, o);
                        }))
          << what << " " << fmt << " T=" << cs.T << " R=" << cs.R
          << " C=" << cs.C << " threads=" << cs.threads;
    };
    go(csr.view, "csr");
    go(ell.view, "ell");
    go(dense.view, "dense");
    if (cs.R % 4 == 0 && cs.C % 4 == 0) {
      EncBsr bsr = encodeBsr(w, cs.R, cs.C, 4, 4, ValueType::F32, 16);
      go(bsr.view, "bsr4x4");
    }
    if (cs.C % 4 == 0) {
      // Keep at most 2 of 4 for nm.
      std::vector<float> w24 = w;
      for (int64_t r = 0; r < cs.R; ++r)
        for (int64_t g = 0; g < cs.C / 4; ++g) {
          int kept = 0;
          for (int64_t j = 0; j < 4; ++j) {
            float &v = w24[size_t(r * cs.C + g * 4 + j)];
            if (v != 0.0f && ++kept > 2)
              v = 0.0f;
          }
        }
      EncNm nm = encodeNm(w24, cs.R, cs.C, 2, 4, ValueType::F32, 2);
      EXPECT_TRUE(check(cs, w24, 7,
                        [&](const float *x, int64_t T, float *y,
                            const Epilogue &ep, const SpmmOptions &o) {
                          sxf_rt::spmm(nm.view, x, T, y, ep, o);
                        }))
          << what << " nm2:4";
    }
  };
  for (int threads : {1, 2, 3, 8}) {
    // Empty rows among full ones.
    {
      Case cs{33, 20, 16};
      cs.threads = threads;
      cs.bias = cs.residual = true;
      auto w = randomUnstructured(rng, cs.R, cs.C, 0.5);
      for (int64_t r = 0; r < cs.R; r += 3)
        for (int64_t c = 0; c < cs.C; ++c)
          w[size_t(r * cs.C + c)] = 0.0f;
      runAll(cs, w, "empty rows");
    }
    // All-zero matrix: y = act(bias) + residual.
    {
      Case cs{70, 12, 8};
      cs.threads = threads;
      cs.bias = cs.residual = true;
      cs.act = Act::Gelu;
      runAll(cs, std::vector<float>(size_t(cs.R * cs.C), 0.0f), "all zero");
    }
    // A single row, a single token, fewer rows than threads.
    {
      Case cs{5, 1, 24};
      cs.threads = threads;
      runAll(cs, randomUnstructured(rng, 1, 24, 0.7), "single row");
      Case one{1, 12, 20};
      one.threads = threads;
      one.bias = true;
      runAll(one, randomUnstructured(rng, 12, 20, 0.5), "T=1");
      Case tiny{3, 2, 4};
      tiny.threads = threads;
      tiny.norm = true;
      runAll(tiny, randomUnstructured(rng, 2, 4, 1.0), "2 rows");
    }
    // One very dense row among empty ones (partition imbalance).
    {
      Case cs{65, 24, 64};
      cs.threads = threads;
      std::vector<float> w(static_cast<size_t>(cs.R * cs.C), 0.0f);
      for (int64_t c = 0; c < cs.C; ++c)
        w[size_t(5 * cs.C + c)] = weightValue(rng, cs.C);
      w[size_t(20 * cs.C + 3)] = 0.5f;
      runAll(cs, w, "one dense row");
    }
    // Strided x and y (a slice of a wider buffer).
    {
      Case cs{45, 16, 24};
      cs.threads = threads;
      cs.padX = 5;
      cs.padY = 3;
      cs.bias = cs.residual = true;
      runAll(cs, randomUnstructured(rng, cs.R, cs.C, 0.4), "strided");
    }
  }
  // T = 0 and C = 0 do not crash; C = 0 gives the epilogue of zero.
  {
    EncCsr csr = encodeCsr({}, 0, 0, ValueType::F32, 32);
    float y = 3.0f;
    sxf_rt::spmm(csr.view, nullptr, 0, &y);
    EXPECT_EQ(y, 3.0f);
    Case cs{6, 5, 0};
    cs.bias = true;
    runAll(cs, {}, "C=0");
  }
}

TEST(Spmm, ResidualMayAliasOutput) {
  EXPECT_TRUE(checkResidualAliasingY(
      32, 48, 0.3, 700,
      [](const std::vector<float> &w, const float *x, int64_t T, float *y,
         const Epilogue &ep) {
        EncCsr e = encodeCsr(w, 32, 48, ValueType::F32, 16);
        sxf_rt::spmm(e.view, x, T, y, ep);
      }));
}

// Transformer-sized reductions: fp32 accumulation must stay within 1e-5 of
// the double reference (what the chunked partial sums are for).
TEST(Spmm, LongReductionsStayAccurate) {
  Rng rng(800);
  const int64_t T = 70, R = 40, C = 3072;
  for (double density : {1.0, 0.5, 0.1}) {
    auto w = randomUnstructured(rng, R, C, density);
    auto x = randomDense(rng, T * C);
    std::vector<float> ref = linearRef(x, T, C, w, R, nullptr, Act::None,
                                       nullptr);
    std::vector<float> y(static_cast<size_t>(T * R));
    EncCsr csr = encodeCsr(w, R, C, ValueType::F32, 16);
    sxf_rt::spmm(csr.view, x.data(), T, y.data());
    EXPECT_TRUE(closeTo(y.data(), ref)) << "csr density " << density;
    EncBsr bsr = encodeBsr(w, R, C, 8, 8, ValueType::F32, 16);
    sxf_rt::spmm(bsr.view, x.data(), T, y.data());
    EXPECT_TRUE(closeTo(y.data(), ref)) << "bsr8 density " << density;
    EncDense dense = encodeDense(w, R, C, ValueType::F32);
    sxf_rt::spmm(dense.view, x.data(), T, y.data());
    EXPECT_TRUE(closeTo(y.data(), ref)) << "dense density " << density;
  }
}

// Typed entry points give the same bits as the dispatcher.
TEST(Spmm, TypedEntryPointsMatchDispatch) {
  Rng rng(900);
  const int64_t T = 50, R = 20, C = 32;
  auto w = randomUnstructured(rng, R, C, 0.4);
  auto x = randomDense(rng, T * C);
  EncCsr e = encodeCsr(w, R, C, ValueType::F16, 16);
  std::vector<float> a(static_cast<size_t>(T * R)), b(size_t(T * R));
  sxf_rt::spmm(e.view, x.data(), T, a.data());
  sxf_rt::spmmTyped<ValueType::F16, 16>(e.view, x.data(), T, b.data());
  EXPECT_EQ(a, b);
}

// At a transformer's size: a 768 x 1000 CSR weight at 95% sparsity with a
// band of empty rows, 512 tokens (eight panels: the token split on 2 and 4
// threads) and 3 tokens (the row split), bias + GELU + residual + layer
// norm; every split agrees bitwise and with the double reference.
TEST(Spmm, ThreadSplitsAtTransformerSize) {
  Rng rng(2024);
  const int64_t R = 768, C = 1000;
  auto w = randomUnstructured(rng, R, C, 0.05);
  for (int64_t r = 100; r < 164; ++r) // empty rows
    std::fill(w.begin() + r * C, w.begin() + (r + 1) * C, 0.0f);
  EncCsr e = encodeCsr(w, R, C, ValueType::F32, 16);
  std::vector<float> bias = randomDense(rng, R, 0.5);
  std::vector<float> gamma = randomDense(rng, R), beta = randomDense(rng, R);
  for (int64_t T : {3, 512}) {
    auto x = randomDense(rng, T * C);
    auto res = randomDense(rng, T * R);
    Epilogue ep;
    ep.bias = bias.data();
    ep.activation = Activation::Gelu;
    ep.residual = res.data();
    ep.normGamma = gamma.data();
    ep.normBeta = beta.data();
    std::vector<float> ref = linearRef(x, T, C, w, R, bias.data(), Act::Gelu,
                                       res.data(), gamma.data(), beta.data());
    std::vector<float> first;
    for (ThreadSplit split :
         {ThreadSplit::Auto, ThreadSplit::Rows, ThreadSplit::Tokens})
      for (int threads : {1, 2, 4}) {
        std::vector<float> y(static_cast<size_t>(T * R));
        SpmmOptions o;
        o.threads = threads;
        o.split = split;
        sxf_rt::spmm(e.view, x.data(), T, y.data(), ep, o);
        EXPECT_TRUE(closeTo(y.data(), ref))
            << "T=" << T << " threads=" << threads << " split=" << int(split);
        if (first.empty())
          first = y;
        else
          EXPECT_EQ(first, y)
              << "T=" << T << " threads=" << threads << " split=" << int(split);
      }
  }
}

// Results do not depend on the thread count, whether the threads split the
// output rows (few token panels) or take whole token panels (many): each row
// of each token is computed the same way. Covers both splits, the layer-norm
// epilogue (per token in the panel split, after a barrier in the row split)
// and BSR's multi-row units.
TEST(Spmm, DeterministicAcrossThreads) {
  Rng rng(1000);
  const int64_t R = 64, C = 96;
  auto w = randomUnstructured(rng, R, C, 0.2);
  EncCsr e = encodeCsr(w, R, C, ValueType::F32, 8);
  EncBsr b = encodeBsr(randomBlocked(rng, R, C, 4, 4, 0.3), R, C, 4, 4,
                       ValueType::F32, 16);
  std::vector<float> gamma = randomDense(rng, R), beta = randomDense(rng, R);
  for (int64_t T : {1, 17, 64, 130, 256, 300, 512}) {
    auto x = randomDense(rng, T * C);
    auto res = randomDense(rng, T * R);
    for (bool norm : {false, true}) {
      Epilogue ep;
      ep.residual = res.data();
      if (norm) {
        ep.normGamma = gamma.data();
        ep.normBeta = beta.data();
      }
      auto run = [&](auto &view, int threads, ThreadSplit split) {
        std::vector<float> y(static_cast<size_t>(T * R));
        SpmmOptions o;
        o.threads = threads;
        o.split = split;
        sxf_rt::spmm(view, x.data(), T, y.data(), ep, o);
        return y;
      };
      std::vector<float> csr1 = run(e.view, 1, ThreadSplit::Auto),
                         bsr1 = run(b.view, 1, ThreadSplit::Auto);
      for (ThreadSplit split :
           {ThreadSplit::Auto, ThreadSplit::Rows, ThreadSplit::Tokens})
        for (int threads : {2, 3, 4}) {
          EXPECT_EQ(csr1, run(e.view, threads, split))
              << "CSR T=" << T << " threads=" << threads << " norm=" << norm
              << " split=" << int(split);
          EXPECT_EQ(bsr1, run(b.view, threads, split))
              << "BSR T=" << T << " threads=" << threads << " norm=" << norm
              << " split=" << int(split);
        }
    }
  }
}
