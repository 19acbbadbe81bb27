//===- OptimizerTest.cpp - Tests of AdamW, the schedule, clipping -*- C++
//-*-===//
//
// AdamW against a double-precision reference written from the paper's
// Algorithm 2 (PyTorch's parameterisation) over several steps, with and
// without decay; a first step worked by hand; the hyper-parameter refusals;
// the learning-rate schedule at its landmarks and edge cases; clipping by
// global norm.
//
//===----------------------------------------------------------------------===//

#include "sxf/Training/Optimizer.h"
#include "sxf/Support/Random.h"

#include "gtest/gtest.h"

#include <cmath>
#include <string>
#include <vector>

using namespace sxf;
using namespace sxf::training;

namespace {

bool contains(const std::string &s, const std::string &part) {
  return s.find(part) != std::string::npos;
}

std::string errorOf(llvm::Error e) {
  EXPECT_TRUE(bool(e));
  return llvm::toString(std::move(e));
}

//===----------------------------------------------------------------------===//
// AdamW
//===----------------------------------------------------------------------===//

/// The reference: everything in double, no rounding, the decay applied
/// before the Adam step as torch.optim.AdamW does.
struct ReferenceAdamW {
  std::vector<double> p, m, v;
  void step(const std::vector<double> &g, int t, const AdamWOptions &o) {
    for (size_t i = 0; i < p.size(); ++i) {
      if (o.applyWeightDecay)
        p[i] -= o.lr * o.weightDecay * p[i];
      m[i] = o.beta1 * m[i] + (1 - o.beta1) * g[i];
      v[i] = o.beta2 * v[i] + (1 - o.beta2) * g[i] * g[i];
      double mHat = m[i] / (1 - std::pow(o.beta1, t));
      double vHat = v[i] / (1 - std::pow(o.beta2, t));
      p[i] -= o.lr * mHat / (std::sqrt(vHat) + o.eps);
    }
  }
};

TEST(OptimizerTest, FirstStepByHand) {
  // t = 1: m-hat = g, v-hat = g^2, so the step is lr * g / (|g| + eps).
  std::vector<float> p = {1.0f, -2.0f, 0.5f}, g = {0.5f, -0.25f, 0.0f};
  std::vector<float> m(3, 0.0f), v(3, 0.0f);
  AdamWOptions o;
  o.lr = 0.1;
  o.weightDecay = 0.01;
  ASSERT_FALSE(bool(adamwStep(p, g, m, v, 1, o)));
  // 1 * (1 - 0.001) - 0.1 * 0.5 / (0.5 + 1e-8)
  EXPECT_NEAR(p[0], 0.999 - 0.1 * 0.5 / (0.5 + 1e-8), 1e-7);
  EXPECT_NEAR(p[1], -2.0 * 0.999 + 0.1 * 0.25 / (0.25 + 1e-8), 1e-7);
  EXPECT_FLOAT_EQ(p[2], 0.5f * 0.999f); // zero gradient: decay only
  EXPECT_FLOAT_EQ(m[0], 0.05f);         // (1 - 0.9) * 0.5
  EXPECT_FLOAT_EQ(v[0], 0.00025f);      // (1 - 0.999) * 0.25
  EXPECT_FLOAT_EQ(m[1], -0.025f);

  // Without decay a zero gradient leaves the parameter alone.
  std::vector<float> q = {0.5f}, h = {0.0f}, mq = {0.0f}, vq = {0.0f};
  o.applyWeightDecay = false;
  ASSERT_FALSE(bool(adamwStep(q, h, mq, vq, 1, o)));
  EXPECT_EQ(q[0], 0.5f);
}

TEST(OptimizerTest, MatchesDoubleReferenceOverSteps) {
  for (bool decay : {true, false}) {
    AdamWOptions o;
    o.lr = 3e-3;
    o.weightDecay = 0.1;
    o.applyWeightDecay = decay;
    const size_t n = 257;
    Rng rng(7);
    std::vector<float> p(n), m(n, 0.0f), v(n, 0.0f);
    ReferenceAdamW ref;
    ref.p.resize(n);
    ref.m.assign(n, 0.0);
    ref.v.assign(n, 0.0);
    for (size_t i = 0; i < n; ++i)
      ref.p[i] = p[i] = float(rng.normal());
    for (int t = 1; t <= 8; ++t) {
      // A learning rate that changes per step, as a schedule gives it.
      o.lr = 3e-3 * t / 8.0;
      std::vector<float> g(n);
      std::vector<double> gd(n);
      for (size_t i = 0; i < n; ++i)
        gd[i] = g[i] = float(rng.normal() * (i % 5 == 0 ? 1e-3 : 1.0));
      ASSERT_FALSE(bool(adamwStep(p, g, m, v, t, o)));
      ref.step(gd, t, o);
    }
    for (size_t i = 0; i < n; ++i) {
      EXPECT_NEAR(p[i], ref.p[i], 2e-6 * (1 + std::fabs(ref.p[i]))) << i;
      EXPECT_NEAR(m[i], ref.m[i], 1e-6 * (1 + std::fabs(ref.m[i]))) << i;
      EXPECT_NEAR(v[i], ref.v[i], 1e-6 * (1e-6 + std::fabs(ref.v[i]))) << i;
    }
  }
}

TEST(OptimizerTest, BiasCorrectionAtLaterSteps) {
  // A constant gradient g: m_t = (1 - b1^t) g and v_t = (1 - b2^t) g^2, so
  // with bias correction every step moves lr * g / (|g| + eps), whatever t.
  AdamWOptions o;
  o.lr = 0.01;
  o.applyWeightDecay = false;
  std::vector<float> p = {0.0f}, g = {2.0f}, m = {0.0f}, v = {0.0f};
  for (int t = 1; t <= 20; ++t) {
    ASSERT_FALSE(bool(adamwStep(p, g, m, v, t, o)));
    EXPECT_NEAR(p[0], -0.01 * t, 1e-6) << "step " << t;
  }
  EXPECT_NEAR(m[0], (1 - std::pow(0.9, 20)) * 2.0, 1e-6);
  EXPECT_NEAR(v[0], (1 - std::pow(0.999, 20)) * 4.0, 1e-6);
}

TEST(OptimizerTest, RefusesBadHyperParametersAndArrays) {
  std::vector<float> p(4, 1.0f), g(4, 1.0f), m(4, 0.0f), v(4, 0.0f);
  auto refuse = [&](AdamWOptions o, const std::string &expect) {
    EXPECT_TRUE(contains(errorOf(validate(o)), expect)) << expect;
    std::string msg = errorOf(adamwStep(p, g, m, v, 1, o));
    EXPECT_TRUE(contains(msg, expect)) << msg;
    EXPECT_EQ(p[0], 1.0f); // nothing touched
  };
  AdamWOptions o;
  o.lr = -1e-3;
  refuse(o, "AdamW: lr = -0.001 is not a finite value >= 0");
  o = AdamWOptions();
  o.lr = std::nan("");
  refuse(o, "AdamW: lr = ");
  o = AdamWOptions();
  o.beta1 = 1.0;
  refuse(o, "AdamW: beta1 = 1 is outside [0, 1)");
  o = AdamWOptions();
  o.beta2 = -0.5;
  refuse(o, "AdamW: beta2 = -0.5 is outside [0, 1)");
  o = AdamWOptions();
  o.eps = 0;
  refuse(o, "AdamW: eps = 0 is not a finite value > 0");
  o = AdamWOptions();
  o.weightDecay = -0.01;
  refuse(o, "AdamW: weight decay = -0.01 is not a finite value >= 0");
  EXPECT_FALSE(bool(validate(AdamWOptions())));

  std::string msg = errorOf(adamwStep(p, g, m, v, 0, AdamWOptions()));
  EXPECT_TRUE(contains(msg, "step = 0 is not >= 1")) << msg;
  std::vector<float> shortV(3, 0.0f);
  msg = errorOf(adamwStep(p, g, m, shortV, 1, AdamWOptions()));
  EXPECT_TRUE(contains(msg, "array lengths differ: 4 parameters, 4 "
                            "gradients, 4 first and 3 second moments"))
      << msg;
  EXPECT_EQ(p[0], 1.0f);
}

//===----------------------------------------------------------------------===//
// Schedule
//===----------------------------------------------------------------------===//

TEST(OptimizerTest, ScheduleLandmarks) {
  LrSchedule s{/*peakLr=*/1e-3, /*warmupSteps=*/100, /*totalSteps=*/1100,
               /*minLrRatio=*/0.1};
  ASSERT_FALSE(bool(validate(s)));
  EXPECT_EQ(learningRate(s, 0), 0.0);             // warm-up start
  EXPECT_DOUBLE_EQ(learningRate(s, 1), 1e-5);     // first step
  EXPECT_DOUBLE_EQ(learningRate(s, 50), 5e-4);    // half-way up
  EXPECT_DOUBLE_EQ(learningRate(s, 100), 1e-3);   // warm-up end = peak
  EXPECT_DOUBLE_EQ(learningRate(s, 600), 5.5e-4); // mid decay: (peak+floor)/2
  EXPECT_DOUBLE_EQ(learningRate(s, 1100), 1e-4);  // end = floor
  EXPECT_DOUBLE_EQ(learningRate(s, 5000), 1e-4);  // past the end
  // A quarter into the decay: floor + (peak - floor) * (1 + cos(pi/4)) / 2.
  EXPECT_DOUBLE_EQ(learningRate(s, 350),
                   1e-4 + 9e-4 * (1 + std::cos(M_PI / 4)) / 2);
  // Monotone: up during warm-up, down after.
  for (int64_t t = 1; t < 1200; ++t) {
    if (t <= 100) {
      EXPECT_LT(learningRate(s, t - 1), learningRate(s, t)) << t;
    } else {
      EXPECT_GE(learningRate(s, t - 1) + 1e-18, learningRate(s, t)) << t;
    }
  }
}

TEST(OptimizerTest, ScheduleEdgeCases) {
  // No warm-up: peak from step 0, cosine to 0 at totalSteps.
  LrSchedule noWarmup{2e-3, 0, 10, 0.0};
  EXPECT_EQ(learningRate(noWarmup, 0), 2e-3);
  EXPECT_DOUBLE_EQ(learningRate(noWarmup, 5), 1e-3);
  EXPECT_NEAR(learningRate(noWarmup, 10), 0.0, 1e-18);
  // totalSteps <= warmupSteps: warm up, then hold the peak.
  LrSchedule hold{1e-3, 10, 5, 0.5};
  EXPECT_DOUBLE_EQ(learningRate(hold, 5), 5e-4);
  EXPECT_EQ(learningRate(hold, 10), 1e-3);
  EXPECT_EQ(learningRate(hold, 1000), 1e-3);
  LrSchedule constant{1e-3, 0, 0, 0.0};
  EXPECT_EQ(learningRate(constant, 0), 1e-3);
  EXPECT_EQ(learningRate(constant, 123), 1e-3);
  // Negative steps read as step 0.
  EXPECT_EQ(learningRate(hold, -3), 0.0);

  auto refused = [](LrSchedule s, const std::string &expect) {
    std::string msg = errorOf(validate(s));
    EXPECT_TRUE(contains(msg, expect)) << msg;
  };
  refused({-1.0, 0, 0, 0.0}, "peakLr = -1 is not a finite value >= 0");
  refused({1e-3, -1, 0, 0.0}, "warmupSteps = -1 is negative");
  refused({1e-3, 0, -5, 0.0}, "totalSteps = -5 is negative");
  refused({1e-3, 0, 10, 1.5}, "minLrRatio = 1.5 is outside [0, 1]");
}

//===----------------------------------------------------------------------===//
// Clipping
//===----------------------------------------------------------------------===//

TEST(OptimizerTest, ClipByGlobalNorm) {
  std::vector<float> a = {3.0f, 0.0f}, b = {4.0f};
  llvm::Expected<double> n = clipGradNorm({a, b}, 10.0);
  ASSERT_TRUE(bool(n));
  EXPECT_DOUBLE_EQ(*n, 5.0);
  EXPECT_EQ(a[0], 3.0f); // under the limit: untouched
  EXPECT_EQ(b[0], 4.0f);

  n = clipGradNorm({a, b}, 1.0);
  ASSERT_TRUE(bool(n));
  EXPECT_DOUBLE_EQ(*n, 5.0); // the norm before clipping
  EXPECT_NEAR(a[0], 0.6, 1e-6);
  EXPECT_NEAR(b[0], 0.8, 1e-6);
  EXPECT_NEAR(std::hypot(a[0], b[0]), 1.0, 1e-6);

  std::vector<float> c = {1.0f, std::nanf("")};
  n = clipGradNorm({c}, 1.0);
  ASSERT_TRUE(bool(n));
  EXPECT_TRUE(std::isnan(*n));
  EXPECT_EQ(c[0], 1.0f); // left alone: the caller skips the step

  n = clipGradNorm({a}, 0.0);
  ASSERT_FALSE(bool(n));
  std::string msg = llvm::toString(n.takeError());
  EXPECT_TRUE(contains(msg, "maxNorm = 0 is not a finite value > 0")) << msg;
}

} // namespace
