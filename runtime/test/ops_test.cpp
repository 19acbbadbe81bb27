//===- ops_test.cpp - sxf_rt ops against double-precision references ------===//
//
// Layer norm, RMS norm, softmax (last and inner axes), attention (causal or
// not, kv length different from the query length, pruned heads, strided
// q/k/v), embedding (int32/int64 ids, positions, errors), matmul with every
// transpose combination, add with broadcasting, activations. References
// follow lib/Interpreter/Kernels.cpp (double accumulation).
//
//===----------------------------------------------------------------------===//

#include "sxf_rt/ops.h"
#include "test_util.h"

#include <limits>

using namespace rt_test;

namespace {

std::vector<float> layerNormRefAll(const std::vector<float> &x, int64_t rows,
                                   int64_t h, const std::vector<float> &g,
                                   const std::vector<float> &b, float eps) {
  std::vector<float> y = x;
  for (int64_t r = 0; r < rows; ++r)
    layerNormRef(&y[size_t(r * h)], h, g.data(), b.data(), eps);
  return y;
}

std::vector<float> softmaxRef(const std::vector<float> &x, int64_t outer,
                              int64_t len, int64_t inner) {
  std::vector<float> y(x.size());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t in = 0; in < inner; ++in) {
      auto at = [&](int64_t j) { return size_t((o * len + j) * inner + in); };
      double mx = -std::numeric_limits<double>::infinity();
      for (int64_t j = 0; j < len; ++j)
        mx = std::max(mx, double(x[at(j)]));
      double sum = 0;
      for (int64_t j = 0; j < len; ++j)
        sum += std::exp(x[at(j)] - mx);
      for (int64_t j = 0; j < len; ++j)
        y[at(j)] = float(std::exp(x[at(j)] - mx) / sum);
    }
  return y;
}

/// The interpreter's attention on [B, S|T, heads·D] with row strides.
std::vector<float> attentionRef(const float *q, const float *k, const float *v,
                                const sxf_rt::AttentionShape &a) {
  int64_t W = a.heads * a.headDim, D = a.headDim, S = a.seq, T = a.kvSeq;
  int64_t ldq = a.ldq ? a.ldq : W, ldk = a.ldk ? a.ldk : W,
          ldv = a.ldv ? a.ldv : W;
  std::vector<float> y(size_t(a.batch * S * W), 0.0f);
  double scale = 1.0 / std::sqrt(double(D));
  std::vector<double> p(static_cast<size_t>(std::max<int64_t>(T, 1)));
  std::vector<double> acc(static_cast<size_t>(D));
  for (int64_t b = 0; b < a.batch; ++b)
    for (int64_t h = 0; h < a.heads; ++h) {
      if (a.keepHeads && !a.keepHeads[h])
        continue;
      for (int64_t i = 0; i < S; ++i) {
        int64_t visible =
            a.causal ? std::min(T, std::max<int64_t>(i + (T - S) + 1, 0)) : T;
        if (visible == 0)
          continue;
        const float *qi = q + (b * S + i) * ldq + h * D;
        double mx = -std::numeric_limits<double>::infinity();
        for (int64_t j = 0; j < visible; ++j) {
          const float *kj = k + (b * T + j) * ldk + h * D;
          double s = 0;
          for (int64_t d = 0; d < D; ++d)
            s += double(qi[d]) * kj[d];
          p[size_t(j)] = s * scale;
          mx = std::max(mx, p[size_t(j)]);
        }
        double sum = 0;
        for (int64_t j = 0; j < visible; ++j) {
          p[size_t(j)] = std::exp(p[size_t(j)] - mx);
          sum += p[size_t(j)];
        }
        std::fill(acc.begin(), acc.end(), 0.0);
        for (int64_t j = 0; j < visible; ++j) {
          const float *vj = v + (b * T + j) * ldv + h * D;
          for (int64_t d = 0; d < D; ++d)
            acc[size_t(d)] += p[size_t(j)] * vj[d];
        }
        for (int64_t d = 0; d < D; ++d)
          y[size_t((b * S + i) * W + h * D + d)] = float(acc[size_t(d)] / sum);
      }
    }
  return y;
}

} // namespace

TEST(Ops, LayerNormMatchesInterpreter) {
  Rng rng(1);
  for (int64_t h : {1, 7, 64, 768, 1000}) {
    int64_t rows = 1 + rng.below(40);
    auto x = randomDense(rng, rows * h, 3.0);
    for (auto &v : x)
      v += 5.0f; // a large mean: the two-pass variance matters
    auto g = randomDense(rng, h), b = randomDense(rng, h);
    auto ref = layerNormRefAll(x, rows, h, g, b, 1e-5f);
    std::vector<float> y(x.size());
    sxf_rt::layerNorm(x.data(), rows, h, g.data(), b.data(), 1e-5f, y.data());
    EXPECT_TRUE(closeTo(y.data(), ref)) << "h=" << h;
    // In place, 3 threads.
    sxf_rt::layerNorm(x.data(), rows, h, g.data(), b.data(), 1e-5f, x.data(),
                      3);
    EXPECT_TRUE(closeTo(x.data(), ref)) << "in place h=" << h;
  }
  // A constant row: variance 0, the result is beta.
  std::vector<float> x(16, 2.5f), g(16, 3.0f), b(16, 0.25f), y(16);
  sxf_rt::layerNorm(x.data(), 1, 16, g.data(), b.data(), 1e-12f, y.data());
  for (float v : y)
    EXPECT_EQ(v, 0.25f);
}

TEST(Ops, RmsNormMatchesInterpreter) {
  Rng rng(2);
  for (int64_t h : {1, 5, 64, 777}) {
    int64_t rows = 1 + rng.below(30);
    auto x = randomDense(rng, rows * h, 2.0);
    auto g = randomDense(rng, h);
    std::vector<float> ref(x.size()), y(x.size());
    for (int64_t r = 0; r < rows; ++r) {
      double ms = 0;
      for (int64_t i = 0; i < h; ++i)
        ms += double(x[size_t(r * h + i)]) * x[size_t(r * h + i)];
      double inv = 1.0 / std::sqrt(ms / double(h) + 1e-6);
      for (int64_t i = 0; i < h; ++i)
        ref[size_t(r * h + i)] = float(x[size_t(r * h + i)] * inv * g[size_t(i)]);
    }
    sxf_rt::rmsNorm(x.data(), rows, h, g.data(), 1e-6f, y.data());
    EXPECT_TRUE(closeTo(y.data(), ref)) << "h=" << h;
  }
}

TEST(Ops, SoftmaxLastAndInnerAxes) {
  Rng rng(3);
  const int64_t shapes[][3] = {{1, 1, 1},   {5, 17, 1}, {3, 512, 1},
                               {2, 9, 4},   {4, 1, 3},  {1, 100, 7},
                               {64, 64, 1}, {2, 3, 130}};
  for (auto s : shapes) {
    auto x = randomDense(rng, s[0] * s[1] * s[2], 4.0);
    x[0] = 80.0f; // a large logit: max subtraction matters
    auto ref = softmaxRef(x, s[0], s[1], s[2]);
    std::vector<float> y(x.size());
    sxf_rt::softmax(x.data(), s[0], s[1], s[2], y.data());
    EXPECT_TRUE(closeTo(y.data(), ref))
        << s[0] << "x" << s[1] << "x" << s[2];
  }
  // -inf logits (masks) get probability 0.
  std::vector<float> x = {1.0f, -std::numeric_limits<float>::infinity(), 2.0f};
  sxf_rt::softmax(x.data(), 1, 3, 1, x.data());
  EXPECT_EQ(x[1], 0.0f);
  EXPECT_NEAR(x[0] + x[2], 1.0f, 1e-6f);
}

TEST(Ops, AttentionMatchesInterpreter) {
  Rng rng(4);
  struct Cfg {
    int64_t batch, seq, kv, heads, dim;
    bool causal;
  };
  const Cfg cfgs[] = {
      {1, 7, 7, 2, 8, false},   {2, 13, 13, 3, 16, true},
      {1, 70, 70, 2, 64, true}, {1, 5, 9, 1, 4, true},   // kv longer
      {1, 9, 5, 2, 4, true},    // kv shorter: early queries see nothing
      {2, 1, 1, 4, 3, false},   {1, 130, 100, 1, 5, false},
      {1, 64, 64, 12, 64, true}, {1, 33, 33, 1, 130, false},
  };
  for (const Cfg &c : cfgs) {
    sxf_rt::AttentionShape a;
    a.batch = c.batch;
    a.seq = c.seq;
    a.kvSeq = c.kv;
    a.heads = c.heads;
    a.headDim = c.dim;
    a.causal = c.causal;
    int64_t W = c.heads * c.dim;
    auto q = randomDense(rng, c.batch * c.seq * W);
    auto k = randomDense(rng, c.batch * c.kv * W);
    auto v = randomDense(rng, c.batch * c.kv * W);
    auto ref = attentionRef(q.data(), k.data(), v.data(), a);
    std::vector<float> y(ref.size(), 99.0f);
    sxf_rt::attention(q.data(), k.data(), v.data(), y.data(), a);
    EXPECT_TRUE(closeTo(y.data(), ref))
        << "B" << c.batch << " S" << c.seq << " T" << c.kv << " H" << c.heads
        << " D" << c.dim << (c.causal ? " causal" : "");
  }
}

TEST(Ops, AttentionPrunedHeadsAndFusedQkv) {
  Rng rng(5);
  const int64_t B = 2, S = 21, H = 4, D = 8, W = H * D;
  // One fused [B, S, 3W] buffer: q, k, v are column slices.
  auto qkv = randomDense(rng, B * S * 3 * W);
  bool keep[H] = {true, false, true, false};
  sxf_rt::AttentionShape a;
  a.batch = B;
  a.seq = a.kvSeq = S;
  a.heads = H;
  a.headDim = D;
  a.causal = true;
  a.keepHeads = keep;
  a.ldq = a.ldk = a.ldv = 3 * W;
  auto ref = attentionRef(qkv.data(), qkv.data() + W, qkv.data() + 2 * W, a);
  std::vector<float> y(ref.size(), 5.0f);
  sxf_rt::attention(qkv.data(), qkv.data() + W, qkv.data() + 2 * W, y.data(),
                    a, 2);
  EXPECT_TRUE(closeTo(y.data(), ref));
  for (int64_t t = 0; t < B * S; ++t)
    for (int64_t d = 0; d < D; ++d)
      EXPECT_EQ(y[size_t(t * W + D + d)], 0.0f); // head 1 pruned
}

TEST(Ops, EmbeddingIdsAndErrors) {
  Rng rng(6);
  const int64_t V = 11, Hd = 6, B = 2, S = 5;
  auto table = randomDense(rng, V * Hd), pos = randomDense(rng, 8 * Hd);
  std::vector<int64_t> ids64(size_t(B * S));
  for (auto &i : ids64)
    i = rng.below(V);
  std::vector<int32_t> ids32(ids64.begin(), ids64.end());
  std::vector<float> ref(size_t(B * S * Hd)), y(ref.size()), y32(ref.size());
  for (int64_t t = 0; t < B * S; ++t)
    for (int64_t i = 0; i < Hd; ++i)
      ref[size_t(t * Hd + i)] = table[size_t(ids64[size_t(t)] * Hd + i)] +
                                pos[size_t((t % S) * Hd + i)];
  std::string err;
  ASSERT_TRUE(sxf_rt::embedding(ids64.data(), {B, S}, table.data(), V, Hd,
                                pos.data(), 8, y.data(), &err))
      << err;
  EXPECT_EQ(y, ref);
  ASSERT_TRUE(sxf_rt::embedding(ids32.data(), {B, S}, table.data(), V, Hd,
                                pos.data(), 8, y32.data(), &err));
  EXPECT_EQ(y32, ref);
  // Without positions.
  ASSERT_TRUE(sxf_rt::embedding(ids64.data(), {B * S}, table.data(), V, Hd,
                                nullptr, 0, y.data(), &err));
  EXPECT_EQ(y[0], table[size_t(ids64[0] * Hd)]);
  // Errors name the offending id and its position, like the interpreter.
  ids64[7] = V;
  EXPECT_FALSE(sxf_rt::embedding(ids64.data(), {B, S}, table.data(), V, Hd,
                                 pos.data(), 8, y.data(), &err));
  EXPECT_EQ(err, "embedding: id 11 at position [1, 2] is out of range [0, 11) "
                 "(table 11x6)");
  ids64[7] = -1;
  EXPECT_FALSE(sxf_rt::embedding(ids64.data(), {B, S}, table.data(), V, Hd,
                                 nullptr, 0, y.data(), &err));
  ids64[7] = 0;
  EXPECT_FALSE(sxf_rt::embedding(ids64.data(), {B, S}, table.data(), V, Hd,
                                 pos.data(), 3, y.data(), &err));
  EXPECT_NE(err.find("positions table has 3 rows but the sequence length is 5"),
            std::string::npos)
      << err;
  // A decode step's positions start at an offset (8 rows: offsets 0..3 fit
  // 5 tokens).
  for (int64_t t = 0; t < B * S; ++t)
    for (int64_t i = 0; i < Hd; ++i)
      ref[size_t(t * Hd + i)] = table[size_t(ids64[size_t(t)] * Hd + i)] +
                                pos[size_t((3 + t % S) * Hd + i)];
  ASSERT_TRUE(sxf_rt::embedding(ids64.data(), {B, S}, table.data(), V, Hd,
                                pos.data(), 8, y.data(), &err, 3))
      << err;
  EXPECT_EQ(y, ref);
  EXPECT_FALSE(sxf_rt::embedding(ids64.data(), {B, S}, table.data(), V, Hd,
                                 pos.data(), 8, y.data(), &err, 4));
  EXPECT_NE(err.find("positions table has 8 rows but position offset 4 + the "
                     "sequence length 5 are needed"),
            std::string::npos)
      << err;
}

TEST(Ops, MatmulAllTransposes) {
  Rng rng(7);
  for (int tA = 0; tA < 2; ++tA)
    for (int tB = 0; tB < 2; ++tB) {
      const int64_t batch = 3, m = 13, k = 70, p = 9;
      auto a = randomDense(rng, batch * m * k), b = randomDense(rng, batch * k * p);
      std::vector<float> ref(size_t(batch * m * p)), y(ref.size());
      for (int64_t n = 0; n < batch; ++n)
        for (int64_t i = 0; i < m; ++i)
          for (int64_t j = 0; j < p; ++j) {
            double s = 0;
            for (int64_t c = 0; c < k; ++c) {
              float av = tA ? a[size_t(n * m * k + c * m + i)]
                            : a[size_t(n * m * k + i * k + c)];
              float bv = tB ? b[size_t(n * k * p + j * k + c)]
                            : b[size_t(n * k * p + c * p + j)];
              s += double(av) * bv;
            }
            ref[size_t(n * m * p + i * p + j)] = float(0.125 * s);
          }
      sxf_rt::matmul(a.data(), b.data(), y.data(), batch, m, k, p, tA, tB,
                     0.125f);
      EXPECT_TRUE(closeTo(y.data(), ref)) << "transA " << tA << " transB " << tB;
    }
}

TEST(Ops, AddBroadcastsSuffix) {
  std::vector<float> a = {1, 2, 3, 4, 5, 6}, b = {10, 20, 30}, y(6);
  sxf_rt::add(a.data(), 6, b.data(), 3, y.data());
  EXPECT_EQ(y, (std::vector<float>{11, 22, 33, 14, 25, 36}));
  sxf_rt::add(a.data(), 6, a.data(), 6, a.data());
  EXPECT_EQ(a, (std::vector<float>{2, 4, 6, 8, 10, 12}));
}

TEST(Ops, SliceColumns) {
  std::vector<float> src = {1, 2, 3, 4, 5, 6, 7, 8}, dst(4);
  sxf_rt::sliceColumns(src.data(), 2, 4, 1, 2, dst.data());
  EXPECT_EQ(dst, (std::vector<float>{2, 3, 6, 7}));
}

// The float activations against the interpreter's double formulas, on a
// dense grid (|err| <= 1e-5·|ref| + 1e-6, as everywhere).
TEST(Ops, ActivationsMatchInterpreter) {
  const Act acts[] = {Act::None, Act::Relu, Act::Gelu, Act::GeluTanh,
                      Act::Silu};
  std::vector<float> x;
  for (float v = -30.0f; v <= 30.0f; v += 0.00371f)
    x.push_back(v);
  x.push_back(0.0f);
  x.push_back(-0.0f);
  x.push_back(1e-20f);
  x.push_back(-1e-20f);
  for (Act a : acts) {
    std::vector<float> ref(x.size()), y(x.size());
    for (size_t i = 0; i < x.size(); ++i)
      ref[i] = actRef(a, x[i]);
    sxf_rt::activation(sxf_rt::Activation(int(a)), x.data(), y.data(),
                       int64_t(x.size()));
    EXPECT_TRUE(closeTo(y.data(), ref)) << "activation " << int(a);
    for (size_t i = 0; i < x.size(); ++i)
      EXPECT_EQ(sxf_rt::activate(sxf_rt::Activation(int(a)), x[i]), y[i]);
  }
  // Non-finite inputs behave as the interpreter's formulas (e.g. gelu(-inf)
  // is -inf·0 = NaN there too).
  float inf = std::numeric_limits<float>::infinity();
  for (Act a : acts)
    for (float v : {inf, -inf, std::nanf("")}) {
      float want = actRef(a, v);
      float got = sxf_rt::activate(sxf_rt::Activation(int(a)), v);
      if (std::isnan(want)) {
        EXPECT_TRUE(std::isnan(got)) << int(a) << " " << v;
      } else {
        EXPECT_EQ(got, want) << int(a) << " " << v;
      }
    }
}

TEST(Ops, FastExpAccuracy) {
  double worst = 0;
  for (float x = -87.0f; x < 88.7f; x += 0.0007f) {
    double r = std::exp(double(x));
    worst = std::max(worst, std::fabs(sxf_rt::fastExp(x) - r) / r);
  }
  EXPECT_LT(worst, 3e-7);
  EXPECT_EQ(sxf_rt::fastExp(-std::numeric_limits<float>::infinity()), 0.0f);
  EXPECT_EQ(sxf_rt::fastExp(100.0f), std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(sxf_rt::fastExp(std::nanf(""))));
}
