//===- GradKernelsTest.cpp - Backward kernels vs finite differences -------===//
//
// Every reverse-mode reference kernel (GradKernels.h) against central finite
// differences of its forward kernel (Kernels.h), both in double precision, on
// odd sizes: the loss is L = Σ c ⊙ f(inputs) for a random c, so the incoming
// gradient is c and every entry of every input is checked.
//
//===----------------------------------------------------------------------===//

#include "sxf/Interpreter/GradKernels.h"
#include "sxf/Support/Random.h"

#include "gtest/gtest.h"

#include <cmath>
#include <functional>

using namespace sxf;
using namespace sxf::ref;

namespace {

TensorD randomTensor(std::vector<int64_t> shape, uint64_t seed,
                     double scale = 1.0) {
  Rng rng(seed);
  TensorD t(std::move(shape));
  for (double &v : t.data)
    v = rng.normal() * scale;
  return t;
}

double weighted(const TensorD &c, const TensorD &y) {
  EXPECT_EQ(c.shape, y.shape);
  double s = 0;
  for (int64_t k = 0; k < y.numel(); ++k)
    s += c.data[k] * y.data[k];
  return s;
}

/// Checks `grad` (d loss / d p) against central differences of `loss`,
/// which reads p, at every entry of p.
void expectGradient(const char *what, TensorD &p, const TensorD &grad,
                    const std::function<double()> &loss) {
  ASSERT_EQ(p.shape, grad.shape) << what;
  const double h = 1e-5;
  for (int64_t k = 0; k < p.numel(); ++k) {
    double keep = p.data[k];
    p.data[k] = keep + h;
    double up = loss();
    p.data[k] = keep - h;
    double down = loss();
    p.data[k] = keep;
    double fd = (up - down) / (2 * h);
    ASSERT_NEAR(grad.data[k], fd, 1e-7 + 1e-6 * std::fabs(fd))
        << what << " entry " << k;
  }
}

template <class E> auto value(E expected) {
  EXPECT_TRUE(static_cast<bool>(expected))
      << llvm::toString(expected.takeError());
  return std::move(*expected);
}

TEST(GradKernels, LinearInputWeightAndBias) {
  // x [2, 3, 7], w [5, 7] with zeros (a sparse weight), b [5].
  TensorD x = randomTensor({2, 3, 7}, 1), w = randomTensor({5, 7}, 2),
          b = randomTensor({5}, 3), c = randomTensor({2, 3, 5}, 4);
  std::vector<bool> stored(35);
  for (int64_t k = 0; k < 35; ++k) {
    stored[k] = k % 3 != 0;
    if (!stored[k])
      w.data[k] = 0.0;
  }
  auto loss = [&] {
    return weighted(c, value(linear(x, w, &b, Activation::None)));
  };
  expectGradient("dx", x, value(linearGradInput(c, w)), loss);
  expectGradient("db", b, value(reduceSum(c, {5})), loss);
  TensorD dw = value(linearGradWeight(c, x, stored));
  TensorD dwAll = value(linearGradWeight(c, x, {}));
  for (int64_t k = 0; k < 35; ++k) {
    if (stored[k])
      EXPECT_EQ(dw.data[k], dwAll.data[k]);
    else
      EXPECT_EQ(dw.data[k], 0.0) << "gradient outside the stored positions";
  }
  expectGradient("dw (all positions)", w, dwAll, loss);
}

TEST(GradKernels, Activations) {
  for (Activation a : {Activation::None, Activation::Gelu,
                       Activation::GeluTanh, Activation::Silu,
                       Activation::Relu}) {
    TensorD x = randomTensor({3, 11}, 5), c = randomTensor({3, 11}, 6);
    // Keep relu's inputs away from its kink.
    for (double &v : x.data)
      if (std::fabs(v) < 1e-3)
        v = 0.5;
    auto loss = [&] { return weighted(c, activation(x, a)); };
    expectGradient("activation", x, value(activationGrad(x, c, a)), loss);
  }
}

TEST(GradKernels, SoftmaxAlongEachAxis) {
  for (int64_t axis : {-1, 0, 1}) {
    TensorD x = randomTensor({3, 5, 4}, 7), c = randomTensor({3, 5, 4}, 8);
    auto loss = [&] { return weighted(c, value(softmax(x, axis))); };
    TensorD y = value(softmax(x, axis));
    expectGradient("softmax", x, value(softmaxGrad(y, c, axis)), loss);
  }
}

TEST(GradKernels, LayerNormAndRmsNorm) {
  TensorD x = randomTensor({2, 3, 13}, 9), g = randomTensor({13}, 10),
          b = randomTensor({13}, 11), c = randomTensor({2, 3, 13}, 12);
  auto ln = [&] { return weighted(c, value(layerNorm(x, g, b, 1e-5f))); };
  std::array<TensorD, 3> d = value(layerNormGrad(x, g, c, 1e-5f));
  expectGradient("layer_norm dx", x, d[0], ln);
  expectGradient("layer_norm dgamma", g, d[1], ln);
  expectGradient("layer_norm dbeta", b, d[2], ln);
  auto rms = [&] { return weighted(c, value(rmsNorm(x, g, 1e-5f))); };
  std::array<TensorD, 2> r = value(rmsNormGrad(x, g, c, 1e-5f));
  expectGradient("rms_norm dx", x, r[0], rms);
  expectGradient("rms_norm dgamma", g, r[1], rms);
}

TEST(GradKernels, AttentionCausalLongerKeysAndPrunedHeads) {
  // 3 heads of 5; 4 queries over 6 keys (causal: query i sees i + 2 keys).
  for (bool causal : {false, true}) {
    TensorD q = randomTensor({2, 4, 15}, 13), k = randomTensor({2, 6, 15}, 14),
            v = randomTensor({2, 6, 15}, 15), c = randomTensor({2, 4, 15}, 16);
    std::vector<bool> keep = {true, false, true};
    auto loss = [&] {
      return weighted(c, value(attention(q, k, v, 3, 5, causal, keep)));
    };
    std::array<TensorD, 3> d =
        value(attentionGrad(q, k, v, c, 3, 5, causal, keep));
    expectGradient("dq", q, d[0], loss);
    expectGradient("dk", k, d[1], loss);
    expectGradient("dv", v, d[2], loss);
  }
}

TEST(GradKernels, EmbeddingTableAndPositions) {
  IntTensor ids;
  ids.shape = {2, 5};
  ids.data = {0, 3, 3, 6, 1, 2, 2, 0, 6, 5};
  TensorD table = randomTensor({7, 9}, 17), pos = randomTensor({8, 9}, 18),
          c = randomTensor({2, 5, 9}, 19);
  auto loss = [&] { return weighted(c, value(embedding(ids, table, &pos, 2))); };
  expectGradient("dtable", table, value(embeddingGrad(ids, c, 7)), loss);
  expectGradient("dpositions", pos, value(positionGrad(c, 8, 2)), loss);
  IntTensor bad = ids;
  bad.data[4] = 7;
  llvm::Expected<TensorD> e = embeddingGrad(bad, c, 7);
  ASSERT_FALSE(static_cast<bool>(e));
  EXPECT_NE(llvm::toString(e.takeError()).find("id 7 at position [0, 4]"),
            std::string::npos);
}

TEST(GradKernels, CrossEntropyAndItsGradient) {
  IntTensor targets;
  targets.shape = {2, 3};
  targets.data = {0, 10, 4, 4, 2, 9};
  TensorD logits = randomTensor({2, 3, 11}, 20, 3.0);
  auto loss = [&] { return value(crossEntropy(logits, targets)).data[0]; };
  expectGradient("dlogits", logits, value(crossEntropyGrad(logits, targets)),
                 loss);
  // The mean of −log p over uniform logits is log V.
  TensorD flat({2, 3, 11}, 0.25);
  EXPECT_NEAR(value(crossEntropy(flat, targets)).data[0], std::log(11.0),
              1e-12);
  IntTensor bad = targets;
  bad.data[1] = 11;
  llvm::Expected<TensorD> e = crossEntropy(logits, bad);
  ASSERT_FALSE(static_cast<bool>(e));
  EXPECT_NE(llvm::toString(e.takeError()).find("target 11 at position [0, 1]"),
            std::string::npos);
}

TEST(GradKernels, ConcatIsTheInverseOfSplit) {
  TensorD a = randomTensor({2, 3, 4}, 21), b = randomTensor({2, 3, 1}, 22);
  TensorD y = value(concat<double>({&a, &b}));
  ASSERT_EQ(y.shape, (std::vector<int64_t>{2, 3, 5}));
  for (int64_t r = 0; r < 6; ++r) {
    for (int64_t i = 0; i < 4; ++i)
      EXPECT_EQ(y.data[r * 5 + i], a.data[r * 4 + i]);
    EXPECT_EQ(y.data[r * 5 + 4], b.data[r]);
  }
  TensorD wrong = randomTensor({2, 4, 1}, 23);
  EXPECT_FALSE(static_cast<bool>(concat<double>({&a, &wrong})));
  llvm::consumeError(concat<double>({&a, &wrong}).takeError());
}

TEST(GradKernels, TransformerSizedLinearInFloat) {
  // 768 -> 1000 at 80% zeros, fp32: the backward products against the
  // double-precision kernels on the same values.
  Rng rng(24);
  Tensor x({3, 768}), w({1000, 768}), dy({3, 1000});
  for (float &v : x.data)
    v = static_cast<float>(rng.normal());
  for (float &v : dy.data)
    v = static_cast<float>(rng.normal());
  std::vector<bool> stored(w.numel());
  for (int64_t k = 0; k < w.numel(); ++k) {
    stored[k] = rng.uniform() < 0.2;
    w.data[k] = stored[k] ? static_cast<float>(rng.normal()) : 0.0f;
  }
  Tensor dx = value(linearGradInput(dy, w));
  TensorD dxD = value(linearGradInput(convertTensor<double>(dy),
                                      convertTensor<double>(w)));
  for (int64_t k = 0; k < dx.numel(); ++k)
    ASSERT_NEAR(dx.data[k], dxD.data[k], 1e-5 * (1 + std::fabs(dxD.data[k])));
  Tensor dw = value(linearGradWeight(dy, x, stored));
  for (int64_t k = 0; k < dw.numel(); ++k)
    if (!stored[k])
      ASSERT_EQ(dw.data[k], 0.0f);
}

} // namespace
