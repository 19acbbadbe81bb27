//===- prepared_test.cpp - Dense weights through oneDNN vs the reference --===//
//
// prepared.h: dense weights reordered once for oneDNN's matmul, the product
// run through DenseView::prepared by spmm with sxf's epilogue. Odd sizes
// (1000 x 768, ...), token counts 1, 3, 17, 128 and 512, f32 / f16 / bf16
// values, every activation with every combination of bias, residual and
// layer norm, strided x and y, a residual aliasing y, 1 and 2 threads,
// against test_util.h's double-precision linear (with an absolute
// tolerance for oneDNN's long fp32 sums: oneDnnAtol); and the handle's
// contract (it takes the product or declines having written nothing).
//
//===----------------------------------------------------------------------===//

#include "spmm_check.h"
#include "sxf_rt/prepared.h"
#include "test_util.h"

#include <cmath>
#include <cstdlib>

using namespace rt_test;
using sxf_rt::Activation;
using sxf_rt::Epilogue;
using sxf_rt::SpmmOptions;

namespace {

/// The absolute tolerance of a product through oneDNN over C inputs. oneDNN
/// accumulates each output in one fp32 chain over all C terms (the built-in
/// kernel adds partial sums of 128), so its error grows about as √C: on
/// these random operands (|y| up to ~3) up to 2.4e-6 at C = 768 and 4e-6 at
/// C = 3072, against the 1e-6 that the built-in kernel's tests allow. The
/// relative bounds (1e-5 elementwise and normwise) are unchanged.
double oneDnnAtol(int64_t C) { return 2e-6 * std::sqrt(double(C) / 128.0); }

/// The weight w (R x C, already rounded to vt) encoded and prepared.
struct Prepared {
  EncDense enc;
  std::unique_ptr<sxf_rt::PreparedDense> handle;
  sxf_rt::DenseView view;
  Prepared(const std::vector<float> &w, int64_t R, int64_t C, ValueType vt)
      : enc(encodeDense(w, R, C, vt)) {
    std::string why;
    handle = sxf_rt::prepareDense(enc.view, &why);
    EXPECT_TRUE(handle) << "oneDNN declined a " << R << "x" << C
                        << " weight: " << why;
    view = enc.view;
    view.prepared = handle.get();
  }
  ::testing::AssertionResult check(const Case &cs, uint64_t seed,
                                   const std::vector<float> &w) const {
    return rt_test::check(
        cs, w, seed,
        [&](const float *x, int64_t T, float *y, const Epilogue &ep,
            const SpmmOptions &o) { sxf_rt::spmm(view, x, T, y, ep, o); },
        oneDnnAtol(cs.C));
  }
};

const ValueType kValueTypes[] = {ValueType::F32, ValueType::F16,
                                 ValueType::BF16};

} // namespace

// Transformer-sized odd shapes, every token count the runtime sees, every
// value type, with bias and residual.
TEST(PreparedDense, OddSizesAllTokenCountsAndTypes) {
  const int64_t shapes[][2] = {{1000, 768}, {37, 3072}, {3072, 40}};
  uint64_t seed = 2000;
  for (auto s : shapes)
    for (ValueType vt : kValueTypes) {
      Rng rng(seed++);
      auto w = rounded(randomUnstructured(rng, s[0], s[1], 1.0), vt);
      Prepared p(w, s[0], s[1], vt);
      for (int64_t T : {1, 3, 17, 128, 512}) {
        if (T == 512 && (vt != ValueType::F32 || s[0] != 1000))
          continue; // the double reference is the slow part
        Case cs{T, s[0], s[1]};
        cs.bias = cs.residual = true;
        cs.threads = T % 2 ? 1 : 2;
        EXPECT_TRUE(p.check(cs, seed, w))
            << sxf_rt::valueTypeName(vt) << " " << s[0] << "x" << s[1]
            << " T=" << T;
      }
    }
}

// Every activation with every subset of {bias, residual, layer norm}, the
// epilogue that spmm applies after oneDNN's product.
TEST(PreparedDense, EveryEpilogue) {
  const Act acts[] = {Act::None, Act::Relu, Act::Gelu, Act::GeluTanh,
                      Act::Silu};
  uint64_t seed = 2100;
  Rng wrng(seed);
  const int64_t R = 1000, C = 768;
  auto w = randomUnstructured(wrng, R, C, 1.0);
  Prepared p(w, R, C, ValueType::F32);
  for (Act act : acts)
    for (int mask = 0; mask < 8; ++mask) {
      Rng rng(++seed);
      const int64_t tokens[] = {1, 3, 17, 128};
      Case cs{tokens[rng.below(4)], R, C};
      cs.act = act;
      cs.bias = mask & 1;
      cs.residual = mask & 2;
      cs.norm = mask & 4;
      cs.threads = 2;
      EXPECT_TRUE(p.check(cs, seed, w))
          << "act " << int(act) << " mask " << mask << " T=" << cs.T;
    }
}

// Strided x and y (the padding of y must stay untouched) on small and
// large shapes.
TEST(PreparedDense, StridedOperands) {
  uint64_t seed = 2200;
  const Case cases[] = {{17, 1000, 768}, {5, 24, 40}, {130, 9, 16}};
  for (Case cs : cases) {
    Rng rng(seed++);
    auto w = randomUnstructured(rng, cs.R, cs.C, 1.0);
    Prepared p(w, cs.R, cs.C, ValueType::F32);
    cs.padX = 5;
    cs.padY = 3;
    cs.bias = cs.residual = cs.norm = true;
    cs.act = Act::Gelu;
    EXPECT_TRUE(p.check(cs, seed, w)) << cs.R << "x" << cs.C << " T=" << cs.T;
  }
}

// y = act(x·Wᵀ) + y: the residual is y itself, which the product
// overwrites; spmm saves it first.
TEST(PreparedDense, ResidualMayAliasOutput) {
  const int64_t R = 1000, C = 768;
  EXPECT_TRUE(checkResidualAliasingY(
      R, C, 1.0, 2300,
      [&](const std::vector<float> &w, const float *x, int64_t T, float *y,
          const Epilogue &ep) {
        Prepared p(w, R, C, ValueType::F32);
        sxf_rt::spmm(p.view, x, T, y, ep);
      },
      oneDnnAtol(C)));
}

// The handle's own contract: it computes the plain product x·Wᵀ when it
// takes it, and writes nothing when it declines.
TEST(PreparedDense, ProductTakesOrDeclinesCleanly) {
  Rng rng(2400);
  const int64_t R = 1000, C = 768;
  auto w = randomUnstructured(rng, R, C, 1.0);
  Prepared p(w, R, C, ValueType::F32);
  for (int64_t T : {1, 3, 17, 128, 512}) {
    auto x = randomDense(rng, T * C);
    std::vector<float> y(size_t(T * R), -7.0f);
    if (p.handle->product(x.data(), C, T, y.data(), R, 2))
      EXPECT_TRUE(closeTo(y.data(),
                          linearRef(x, T, C, w, R, nullptr, Act::None,
                                    nullptr),
                          1e-5, oneDnnAtol(C)))
          << "T=" << T;
    else
      EXPECT_EQ(y, std::vector<float>(size_t(T * R), -7.0f)) << "T=" << T;
  }
}

// SXF_RT_NO_ONEDNN turns the preparation off (and says so); an empty weight
// is declined with its reason.
TEST(PreparedDense, DeclinesWithAReason) {
  std::vector<float> w(12, 1.0f);
  EncDense e = encodeDense(w, 3, 4, ValueType::F32);
  std::string why;
  ASSERT_EQ(setenv("SXF_RT_NO_ONEDNN", "1", 1), 0);
  EXPECT_FALSE(sxf_rt::prepareDense(e.view, &why));
  EXPECT_EQ(why, "SXF_RT_NO_ONEDNN is set");
  ASSERT_EQ(unsetenv("SXF_RT_NO_ONEDNN"), 0);
  EXPECT_TRUE(sxf_rt::prepareDense(e.view, &why));
  sxf_rt::DenseView empty = sxf_rt::makeDenseView(0, 4, ValueType::F32,
                                                  w.data());
  EXPECT_FALSE(sxf_rt::prepareDense(empty, &why));
  EXPECT_EQ(why, "the weight is empty");
}
