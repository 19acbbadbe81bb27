//===- spmm_check.h - One SpMM product against the reference ---*- C++ -*-===//
//
// The checks of spmm_test.cpp and prepared_test.cpp: check() runs a product
// on random x (optionally strided, with a poisoned padding), bias, residual
// and layer-norm parameters, checks that nothing is written into y's
// padding and compares y with test_util.h's double-precision linearRef;
// checkResidualAliasingY() runs one whose residual is y itself.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_TEST_SPMM_CHECK_H
#define SXF_RT_TEST_SPMM_CHECK_H

#include "sxf_rt/spmm.h"
#include "test_util.h"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace rt_test {

/// Rounds a dense matrix to the value type (what the kernels see).
inline std::vector<float> rounded(std::vector<float> w, ValueType vt) {
  for (auto &v : w)
    v = roundTo(v, vt);
  return w;
}

/// A product to check: runs `kernel` on x (T x C) into y and compares with
/// the reference on the rounded dense weight `w` (closeTo, rtol 1e-5,
/// absolute tolerance `atol`).
struct Case {
  int64_t T, R, C;
  bool bias = false, residual = false, norm = false;
  Act act = Act::None;
  int threads = 0;
  int64_t padX = 0, padY = 0; // extra row stride of x and y
};

inline ::testing::AssertionResult
check(const Case &cs, const std::vector<float> &w, uint64_t seed,
      const std::function<void(const float *, int64_t, float *,
                               const sxf_rt::Epilogue &, const sxf_rt::SpmmOptions &)> &run,
      double atol = 1e-6) {
  Rng rng(seed);
  const int64_t T = cs.T, R = cs.R, C = cs.C;
  const int64_t ldx = C + cs.padX, ldy = R + cs.padY;
  std::vector<float> x = randomDense(rng, T * C);
  std::vector<float> xs(static_cast<size_t>(T * ldx), 1e30f); // padding must be ignored
  for (int64_t t = 0; t < T; ++t)
    std::copy(x.begin() + t * C, x.begin() + (t + 1) * C,
              xs.begin() + t * ldx);
  std::vector<float> bias = randomDense(rng, R, 0.5);
  std::vector<float> res = randomDense(rng, T * R);
  std::vector<float> gamma = randomDense(rng, R), beta = randomDense(rng, R);
  std::vector<float> ref =
      linearRef(x, T, C, w, R, cs.bias ? bias.data() : nullptr, cs.act,
                cs.residual ? res.data() : nullptr,
                cs.norm ? gamma.data() : nullptr, beta.data(), 1e-5f);
  std::vector<float> y(static_cast<size_t>(std::max<int64_t>(T * ldy, 1)), -7.0f);
  std::vector<float> resStrided(static_cast<size_t>(std::max<int64_t>(T * ldy, 1)));
  for (int64_t t = 0; t < T; ++t)
    std::copy(res.begin() + t * R, res.begin() + (t + 1) * R,
              resStrided.begin() + t * ldy);
  sxf_rt::Epilogue ep;
  ep.bias = cs.bias ? bias.data() : nullptr;
  ep.activation = sxf_rt::Activation(int(cs.act));
  ep.residual = cs.residual ? resStrided.data() : nullptr;
  ep.ldResidual = ldy;
  if (cs.norm) {
    ep.normGamma = gamma.data();
    ep.normBeta = beta.data();
  }
  sxf_rt::SpmmOptions opt;
  opt.ldx = ldx;
  opt.ldy = ldy;
  opt.threads = cs.threads;
  run(xs.data(), T, y.data(), ep, opt);
  std::vector<float> got(static_cast<size_t>(T * R));
  for (int64_t t = 0; t < T; ++t) {
    std::copy(y.begin() + t * ldy, y.begin() + t * ldy + R,
              got.begin() + t * R);
    for (int64_t i = R; i < ldy; ++i)
      if (y[size_t(t * ldy + i)] != -7.0f)
        return ::testing::AssertionFailure()
               << "wrote into the padding of y at row " << t;
  }
  return closeTo(got.data(), ref, 1e-5, atol);
}

inline std::string name(const char *fmt, ValueType vt, unsigned ib,
                 const Case &cs) {
  return std::string(fmt) + " " + sxf_rt::valueTypeName(vt) + "/i" +
         std::to_string(ib) + " T=" + std::to_string(cs.T) +
         " R=" + std::to_string(cs.R) + " C=" + std::to_string(cs.C) +
         " threads=" + std::to_string(cs.threads);
}

/// y = silu(x·Wᵀ) + y for 77 tokens: the residual is y itself. `run(w, x,
/// T, y, ep)` computes the product of the weight w (R x C, random at
/// `density`) with that epilogue; compared like check().
inline ::testing::AssertionResult checkResidualAliasingY(
    int64_t R, int64_t C, double density, uint64_t seed,
    const std::function<void(const std::vector<float> &, const float *,
                             int64_t, float *, const sxf_rt::Epilogue &)> &run,
    double atol = 1e-6) {
  Rng rng(seed);
  const int64_t T = 77;
  auto w = randomUnstructured(rng, R, C, density);
  auto x = randomDense(rng, T * C);
  auto y = randomDense(rng, T * R);
  std::vector<float> ref = linearRef(x, T, C, w, R, nullptr, Act::Silu,
                                     y.data());
  sxf_rt::Epilogue ep;
  ep.activation = sxf_rt::Activation::Silu;
  ep.residual = y.data();
  run(w, x.data(), T, y.data(), ep);
  return closeTo(y.data(), ref, 1e-5, atol);
}

} // namespace rt_test

#endif // SXF_RT_TEST_SPMM_CHECK_H
