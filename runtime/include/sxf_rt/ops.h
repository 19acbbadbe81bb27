//===- sxf_rt/ops.h - Transformer ops besides the linear layers -*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime (header-only, C++17; OpenMP optional).
// The non-linear-layer ops of the sxf dialect, with the semantics of the
// reference interpreter (lib/Interpreter/Kernels.cpp): same formulas,
// epsilon placement, masking and scale.
//
// Offers (all tensors row-major fp32 unless said otherwise)
//   activation(a, x, y, n)                   y = act(x) (sxf.activation)
//   add(a, n, b, nb, y)                      y[i] = a[i] + b[i mod nb]
//                                            (sxf.add; b a suffix of a)
//   layerNorm(x, rows, h, gamma, beta, eps, y)   over the last dim, biased
//                                            variance, 1/√(var + eps)
//   rmsNorm(x, rows, h, gamma, eps, y)       x / √(mean(x²) + eps) · gamma
//   softmax(x, outer, len, inner, y)         along the middle axis of x
//                                            viewed [outer, len, inner]
//   embedding(ids, idsShape, table, vocab, hidden, positions, posRows, y,
//             &error)                        table[id] (+ positions[s]);
//                                            int32 or int64 ids
//   matmul(a, b, y, batch, m, k, p, transA, transB, scale)
//                                            y = scale · op(a) · op(b)
//   attention(q, k, v, y, AttentionShape)    multi-head scaled dot-product
//                                            attention, causal option,
//                                            pruned heads
//   sliceColumns(src, rows, ld, begin, n, dst)   one piece of sxf.split
//
// Numerics: norms accumulate in double exactly as the interpreter does;
// softmax and attention use fp32 with the fast exp of common.h (relative
// error < 3e-7) and partial sums of at most 128 terms; results agree with
// the interpreter within 1e-5 relative (runtime/test/ops_test.cpp).
// Threads: OpenMP over rows / heads (`threads` = 0: maxThreads()); serial
// without OpenMP. Scratch memory comes from a Workspace (default: the
// calling thread's).
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_OPS_H
#define SXF_RT_OPS_H

#include "sxf_rt/common.h"
#include "sxf_rt/spmm.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace sxf_rt {

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

/// y[i] = act(x[i]) for i < n (x may equal y).
inline void activation(Activation a, const float *x, float *y, int64_t n) {
  if (x != y)
    std::memcpy(y, x, size_t(n) * sizeof(float));
  applyActivation(a, y, n);
}

/// y[i] = a[i] + b[i mod nb] for i < n: b has a's shape or a suffix of it
/// (broadcast over the leading dims). nb must divide n (nb = 0 only with
/// n = 0). y may equal a.
inline void add(const float *a, int64_t n, const float *b, int64_t nb,
                float *y) {
  if (nb <= 0)
    return;
  for (int64_t base = 0; base < n; base += nb) {
    const float *ar = a + base;
    float *yr = y + base;
    int64_t len = std::min(nb, n - base);
    SXF_RT_SIMD
    for (int64_t i = 0; i < len; ++i)
      yr[i] = ar[i] + b[i];
  }
}

/// Copies columns [begin, begin + n) of a rows x ld matrix into dst
/// (rows x n): one result of sxf.split.
inline void sliceColumns(const float *src, int64_t rows, int64_t ld,
                         int64_t begin, int64_t n, float *dst) {
  for (int64_t r = 0; r < rows; ++r)
    std::memcpy(dst + r * n, src + r * ld + begin, size_t(n) * sizeof(float));
}

//===----------------------------------------------------------------------===//
// Normalisation
//===----------------------------------------------------------------------===//

/// Layer norm of each of `rows` rows of h values: (x − μ) / √(σ² + eps) ·
/// gamma + beta with the biased variance, μ and σ² in double (as
/// ref::layerNorm). x may equal y.
inline void layerNorm(const float *x, int64_t rows, int64_t h,
                      const float *gamma, const float *beta, float eps,
                      float *y, int threads = 0) {
  int nt = int(std::max<int64_t>(
      1, std::min<int64_t>(threads > 0 ? threads : maxThreads(),
                           rows * h / 16384)));
  parallelRegion(nt, [&](int tid, int nth) {
    int64_t b, e;
    blockRange(rows, nth, tid, b, e);
    for (int64_t r = b; r < e; ++r)
      layerNormRow(x + r * h, h, gamma, beta, eps, y + r * h);
  });
}

/// RMS norm of each row: x / √(Σ x² / h + eps) · gamma, in double (as
/// ref::rmsNorm). x may equal y.
inline void rmsNorm(const float *x, int64_t rows, int64_t h,
                    const float *gamma, float eps, float *y, int threads = 0) {
  if (h <= 0)
    return;
  int nt = int(std::max<int64_t>(
      1, std::min<int64_t>(threads > 0 ? threads : maxThreads(),
                           rows * h / 16384)));
  parallelRegion(nt, [&](int tid, int nth) {
    int64_t b, e;
    blockRange(rows, nth, tid, b, e);
    for (int64_t r = b; r < e; ++r) {
      const float *xr = x + r * h;
      float *yr = y + r * h;
      double meanSq = 0;
      SXF_RT_PRAGMA_SIMD_REDUCTION(+ : meanSq)
      for (int64_t i = 0; i < h; ++i)
        meanSq += double(xr[i]) * xr[i];
      meanSq /= double(h);
      double inv = 1.0 / std::sqrt(meanSq + double(eps));
      SXF_RT_SIMD
      for (int64_t i = 0; i < h; ++i)
        yr[i] = static_cast<float>(xr[i] * inv * gamma[i]);
    }
  });
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

namespace detail {

/// Softmax of n contiguous values: e^(x − max) / Σ e^(x − max); the sum in
/// double. x may equal y.
inline void softmaxRow(const float *x, int64_t n, float *y) {
  if (n <= 0)
    return;
  float mx = -std::numeric_limits<float>::infinity();
  for (int64_t j = 0; j < n; ++j)
    mx = std::max(mx, x[j]);
  double sum = 0;
  SXF_RT_PRAGMA_SIMD_REDUCTION(+ : sum)
  for (int64_t j = 0; j < n; ++j) {
    float e = fastExp(x[j] - mx);
    y[j] = e;
    sum += e;
  }
  float inv = static_cast<float>(1.0 / sum);
  SXF_RT_SIMD
  for (int64_t j = 0; j < n; ++j)
    y[j] *= inv;
}

} // namespace detail

/// Softmax along the middle axis of x viewed as [outer, len, inner] (the
/// interpreter's softmax(x, axis) with outer = prod(shape[:axis]), len =
/// shape[axis], inner = prod(shape[axis+1:])). x may equal y.
inline void softmax(const float *x, int64_t outer, int64_t len, int64_t inner,
                    float *y, int threads = 0) {
  if (outer <= 0 || len <= 0 || inner <= 0)
    return;
  int nt = int(std::max<int64_t>(
      1, std::min<int64_t>(threads > 0 ? threads : maxThreads(),
                           outer * len * inner / 8192)));
  if (inner == 1) {
    parallelRegion(nt, [&](int tid, int nth) {
      int64_t b, e;
      blockRange(outer, nth, tid, b, e);
      for (int64_t o = b; o < e; ++o)
        detail::softmaxRow(x + o * len, len, y + o * len);
    });
    return;
  }
  // Strided axis: gather each line into a scratch row.
  parallelRegion(nt, [&](int tid, int nth) {
    std::vector<float> line(static_cast<size_t>(len));
    int64_t b, e;
    blockRange(outer * inner, nth, tid, b, e);
    for (int64_t u = b; u < e; ++u) {
      int64_t o = u / inner, in = u % inner;
      const float *xs = x + o * len * inner + in;
      float *ys = y + o * len * inner + in;
      for (int64_t j = 0; j < len; ++j)
        line[size_t(j)] = xs[j * inner];
      detail::softmaxRow(line.data(), len, line.data());
      for (int64_t j = 0; j < len; ++j)
        ys[j * inner] = line[size_t(j)];
    }
  });
}

//===----------------------------------------------------------------------===//
// Embedding
//===----------------------------------------------------------------------===//

/// out[t, :] = table[ids[t], :] (+ positions[positionOffset + t mod seq, :])
/// for the numel(idsShape) ids, seq = idsShape.back() (the interpreter's
/// embedding). Returns false, with the interpreter's message in *error, when
/// an id is outside [0, vocab) or positions has fewer than positionOffset +
/// seq rows (positionRows). Id is int32_t or int64_t.
template <class Id>
inline bool embedding(const Id *ids, const std::vector<int64_t> &idsShape,
                      const float *table, int64_t vocab, int64_t hidden,
                      const float *positions, int64_t positionRows, float *y,
                      std::string *error = nullptr,
                      int64_t positionOffset = 0) {
  auto shapeStr = [](const std::vector<int64_t> &s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i)
      out += (i ? "x" : "") + std::to_string(s[i]);
    return s.empty() ? std::string("scalar") : out;
  };
  if (idsShape.empty()) {
    if (error)
      *error = "embedding: ids must have rank >= 1";
    return false;
  }
  int64_t count = 1;
  for (int64_t d : idsShape)
    count *= d;
  const int64_t seq = idsShape.back();
  if (positions && (positionOffset < 0 || positionRows - positionOffset < seq)) {
    if (error)
      *error = "embedding: positions table has " +
               std::to_string(positionRows) + " rows but " +
               (positionOffset ? "position offset " +
                                     std::to_string(positionOffset) +
                                     " + the sequence length " +
                                     std::to_string(seq) + " are needed"
                               : "the sequence length is " +
                                     std::to_string(seq)) +
               " (ids " + shapeStr(idsShape) + ")";
    return false;
  }
  for (int64_t t = 0; t < count; ++t) {
    int64_t id = static_cast<int64_t>(ids[t]);
    if (id < 0 || id >= vocab) {
      if (error) {
        // "[b, s]": the multi-index of t.
        std::vector<int64_t> index(idsShape.size());
        int64_t flat = t;
        for (size_t d = idsShape.size(); d-- > 0;) {
          index[d] = idsShape[d] ? flat % idsShape[d] : 0;
          flat = idsShape[d] ? flat / idsShape[d] : 0;
        }
        std::string pos = "[";
        for (size_t d = 0; d < index.size(); ++d)
          pos += (d ? ", " : "") + std::to_string(index[d]);
        *error = "embedding: id " + std::to_string(id) + " at position " +
                 pos + "] is out of range [0, " + std::to_string(vocab) +
                 ") (table " + std::to_string(vocab) + "x" +
                 std::to_string(hidden) + ")";
      }
      return false;
    }
  }
  for (int64_t t = 0; t < count; ++t) {
    const float *row = table + static_cast<int64_t>(ids[t]) * hidden;
    float *out = y + t * hidden;
    if (positions) {
      const float *pos = positions + (positionOffset + t % seq) * hidden;
      SXF_RT_SIMD
      for (int64_t i = 0; i < hidden; ++i)
        out[i] = row[i] + pos[i];
    } else {
      std::memcpy(out, row, size_t(hidden) * sizeof(float));
    }
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Matmul
//===----------------------------------------------------------------------===//

/// Batched y[n] = scale · op(a[n]) · op(b[n]) for n < batch, op = transpose
/// when the flag is set: op(a) is m x k, op(b) is k x p, y is m x p
/// (sxf.matmul). Runs as the dense kernel of spmm.h on op(b)ᵀ.
inline void matmul(const float *a, const float *b, float *y, int64_t batch,
                   int64_t m, int64_t k, int64_t p, bool transA, bool transB,
                   float scale, int threads = 0, Workspace *ws = nullptr) {
  Workspace &w = ws ? *ws : Workspace::threadDefault();
  for (int64_t n = 0; n < batch; ++n) {
    const float *an = a + n * m * k, *bn = b + n * k * p;
    float *yn = y + n * m * p;
    // x = op(a) as m x k row-major; W = op(b)ᵀ as p x k row-major.
    const float *x = an;
    if (transA) {
      float *t = w.floats(WorkspaceSlot::kMatmulA, size_t(std::max<int64_t>(1, m * k)));
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < k; ++j)
          t[i * k + j] = an[j * m + i];
      x = t;
    }
    const float *wt = bn;
    if (!transB) {
      float *t = w.floats(WorkspaceSlot::kMatmulB, size_t(std::max<int64_t>(1, p * k)));
      for (int64_t i = 0; i < p; ++i)
        for (int64_t j = 0; j < k; ++j)
          t[i * k + j] = bn[j * p + i];
      wt = t;
    }
    SpmmOptions opt;
    opt.threads = threads;
    opt.workspace = &w;
    if (m * p == 0)
      continue;
    spmm(makeDenseView(p, k, ValueType::F32, wt), x, m, yn, {}, opt);
    if (scale != 1.0f)
      for (int64_t i = 0; i < m * p; ++i)
        yn[i] *= scale;
  }
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

/// Shapes of an attention: q is [batch, seq, heads·headDim] (row stride
/// ldq, default heads·headDim), k and v are [batch, kvSeq, heads·headDim]
/// (ldk, ldv), y is [batch, seq, heads·headDim] (ldy). Strides let q, k, v
/// be column slices of one fused QKV buffer.
struct AttentionShape {
  int64_t batch = 1, seq = 0, kvSeq = 0, heads = 1, headDim = 0;
  bool causal = false;
  const bool *keepHeads = nullptr; // heads entries; false: the head is zero
  int64_t ldq = 0, ldk = 0, ldv = 0, ldy = 0;
};

namespace detail {

/// One head of one batch entry: queries [0, S), keys [0, T). Scratch: Kᵀ is
/// not needed (keys are read in place); vT (D x T), scores (T x 64).
inline void attentionHead(const float *q, int64_t ldq, const float *k,
                          int64_t ldk, const float *v, int64_t ldv, float *y,
                          int64_t ldy, int64_t S, int64_t T, int64_t D,
                          bool causal, float scale, float *qPanel, float *vT,
                          float *scores) {
  constexpr int64_t QB = kMaxPanel; // queries per block
  // vᵀ: D x T, so that the P·V product reads contiguous rows.
  for (int64_t j = 0; j < T; ++j)
    for (int64_t d = 0; d < D; ++d)
      vT[d * T + j] = v[j * ldv + d];
  constexpr int NV = int(QB / kLanes) < 4 ? int(QB / kLanes) : 4;
  for (int64_t q0 = 0; q0 < S; q0 += QB) {
    const int64_t nq = std::min(QB, S - q0);
    // Keys visible to query i: [0, vis(i)), vis non-decreasing in i.
    auto vis = [&](int64_t i) -> int64_t {
      if (!causal)
        return T;
      return std::min(T, std::max<int64_t>(i + (T - S) + 1, 0));
    };
    const int64_t visMax = vis(q0 + nq - 1);
    // qᵀ panel: D x QB (zero padded).
    for (int64_t d = 0; d < D; ++d) {
      for (int64_t t = 0; t < nq; ++t)
        qPanel[d * QB + t] = q[(q0 + t) * ldq + d];
      for (int64_t t = nq; t < QB; ++t)
        qPanel[d * QB + t] = 0.0f;
    }
    // scores[j][t] = (q_t · k_j) · scale, 4 keys at a time.
    int64_t j = 0;
    auto scoreRows = [&](auto sub, int64_t j0) {
      constexpr int SUB = decltype(sub)::value;
      for (int64_t pass = 0; pass < QB; pass += NV * kLanes) {
        VF acc[SUB][NV];
        for (int i = 0; i < SUB; ++i)
          for (int u = 0; u < NV; ++u)
            acc[i][u] = simd::zero();
        for (int64_t d0 = 0; d0 < D; d0 += kChunk) {
          int64_t n = std::min(kChunk, D - d0);
          accumulateColumns<ValueType::F32, SUB, 0, NV>(
              acc, k, j0 * ldk + d0, ldk, n, d0, qPanel, QB, pass);
          flushAcc<SUB, NV>(acc, scores + j0 * QB, QB, pass, d0 == 0);
        }
      }
    };
    for (; j + 4 <= visMax; j += 4)
      scoreRows(std::integral_constant<int, 4>(), j);
    for (; j < visMax; ++j)
      scoreRows(std::integral_constant<int, 1>(), j);
    // Softmax over keys, per query (vectorised across queries): masked
    // entries (j >= vis(i)) get probability 0.
    alignas(64) float mx[QB], sum[QB], part[QB];
    int64_t limit[QB];
    for (int64_t t = 0; t < QB; ++t) {
      mx[t] = -std::numeric_limits<float>::infinity();
      sum[t] = 0.0f;
      limit[t] = t < nq ? vis(q0 + t) : 0;
    }
    for (int64_t jj = 0; jj < visMax; ++jj) {
      float *s = scores + jj * QB;
      SXF_RT_SIMD
      for (int64_t t = 0; t < QB; ++t) {
        float val = s[t] * scale;
        val = jj < limit[t] ? val : -std::numeric_limits<float>::infinity();
        s[t] = val;
        mx[t] = std::max(mx[t], val);
      }
    }
    for (int64_t j0 = 0; j0 < visMax; j0 += kChunk) {
      for (int64_t t = 0; t < QB; ++t)
        part[t] = 0.0f;
      for (int64_t jj = j0; jj < std::min(visMax, j0 + kChunk); ++jj) {
        float *s = scores + jj * QB;
        SXF_RT_SIMD
        for (int64_t t = 0; t < QB; ++t) {
          float e = fastExp(s[t] - mx[t]); // -inf - m -> 0
          e = jj < limit[t] ? e : 0.0f;
          s[t] = e;
          part[t] += e;
        }
      }
      for (int64_t t = 0; t < QB; ++t)
        sum[t] += part[t];
    }
    // out[d][t] = Σ_j v[j][d] · p[j][t], 4 head dims at a time.
    float *outT = qPanel; // reuse: D x QB
    auto outRows = [&](auto sub, int64_t d0) {
      constexpr int SUB = decltype(sub)::value;
      for (int64_t pass = 0; pass < QB; pass += NV * kLanes) {
        VF acc[SUB][NV];
        for (int i = 0; i < SUB; ++i)
          for (int u = 0; u < NV; ++u)
            acc[i][u] = simd::zero();
        bool first = true;
        for (int64_t c0 = 0; c0 < visMax; c0 += kChunk) {
          int64_t n = std::min(kChunk, visMax - c0);
          accumulateColumns<ValueType::F32, SUB, 0, NV>(
              acc, vT, d0 * T + c0, T, n, c0, scores, QB, pass);
          flushAcc<SUB, NV>(acc, outT + d0 * QB, QB, pass, first);
          first = false;
        }
        if (first)
          flushAcc<SUB, NV>(acc, outT + d0 * QB, QB, pass, true);
      }
    };
    int64_t d = 0;
    for (; d + 4 <= D; d += 4)
      outRows(std::integral_constant<int, 4>(), d);
    for (; d < D; ++d)
      outRows(std::integral_constant<int, 1>(), d);
    // y[q0 + t][d] = out[d][t] / sum[t]; queries that see no key are zero.
    for (int64_t t = 0; t < nq; ++t) {
      float *yr = y + (q0 + t) * ldy;
      if (limit[t] == 0) {
        for (int64_t dd = 0; dd < D; ++dd)
          yr[dd] = 0.0f;
        continue;
      }
      float inv = 1.0f / sum[t];
      for (int64_t dd = 0; dd < D; ++dd)
        yr[dd] = outT[dd * QB + t] * inv;
    }
  }
}

} // namespace detail

/// Multi-head scaled dot-product attention (sxf.attention): per batch entry
/// b and head h (columns h·D .. h·D + D − 1), softmax(q_h k_hᵀ / √D + mask)
/// v_h. With `causal`, query i sees keys j <= i + (kvSeq − seq); a query
/// that sees no key, and every head with keepHeads[h] false, gives zeros.
/// Heads run in parallel.
inline void attention(const float *q, const float *k, const float *v,
                      float *y, const AttentionShape &a, int threads = 0,
                      Workspace *ws = nullptr) {
  const int64_t D = a.headDim, W = a.heads * a.headDim;
  const int64_t ldq = a.ldq ? a.ldq : W, ldk = a.ldk ? a.ldk : W,
                ldv = a.ldv ? a.ldv : W, ldy = a.ldy ? a.ldy : W;
  const int64_t S = a.seq, T = a.kvSeq, tasks = a.batch * a.heads;
  if (S <= 0 || D <= 0 || tasks <= 0)
    return;
  const float scale = static_cast<float>(1.0 / std::sqrt(double(D)));
  int64_t nt = threads > 0 ? threads : maxThreads();
  nt = std::max<int64_t>(1, std::min(nt, tasks));
  Workspace &w = ws ? *ws : Workspace::threadDefault();
  const int64_t QB = detail::kMaxPanel;
  // Per thread: qᵀ panel (D x QB), vᵀ (D x T), scores (T x QB); each
  // rounded up to whole 64-byte lines.
  auto lines = [](int64_t n) { return (n + 15) / 16 * 16; };
  const int64_t Tp = std::max<int64_t>(T, 1);
  const int64_t qSize = lines(D * QB), vSize = lines(D * Tp),
                sSize = lines(Tp * QB);
  std::vector<float *> scratch(static_cast<size_t>(nt));
  for (int64_t p = 0; p < nt; ++p)
    scratch[size_t(p)] = w.floats(WorkspaceSlot::kAttention + size_t(p),
                                  size_t(qSize + vSize + sSize));
  parallelRegion(int(nt), [&](int tid, int nth) {
    float *qPanel = scratch[size_t(tid)], *vT = qPanel + qSize,
          *scores = vT + vSize;
    for (int64_t task = tid; task < tasks; task += nth) {
      int64_t b = task / a.heads, h = task % a.heads;
      float *yh = y + b * S * ldy + h * D;
      if ((a.keepHeads && !a.keepHeads[h]) || T <= 0) {
        for (int64_t i = 0; i < S; ++i)
          for (int64_t d = 0; d < D; ++d)
            yh[i * ldy + d] = 0.0f;
        continue;
      }
      detail::attentionHead(q + b * S * ldq + h * D, ldq,
                            k + b * T * ldk + h * D, ldk,
                            v + b * T * ldv + h * D, ldv, yh, ldy, S, T, D,
                            a.causal, scale, qPanel, vT, scores);
    }
  });
}

} // namespace sxf_rt

#endif // SXF_RT_OPS_H
