//===- test_util.h - Helpers for the sxf_rt tests ---------------*- C++ -*-===//
//
// Random matrices with controlled structure, an independent encoder for every
// storage layout (written from the layout description in
// include/sxf/Formats/Formats.h, not from the runtime's views), double
// precision references for the kernels, and the comparison used everywhere:
//
//   |got − ref| <= rtol·|ref| + atol elementwise (rtol 1e-5, atol 1e-6: the
//   defaults of `sparse-run --check-against`), and
//   max|got − ref| / max|ref| <= 1e-5 (normwise).
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_TEST_UTIL_H
#define SXF_RT_TEST_UTIL_H

#include "sxf_rt/activation.h"
#include "sxf_rt/formats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace rt_test {

using sxf_rt::ValueType;

/// splitmix64 + Box-Muller: deterministic across platforms.
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
  int64_t below(int64_t n) { return int64_t(next() % uint64_t(n)); }
  double normal() {
    double u1 = uniform(), u2 = uniform();
    if (u1 < 1e-300)
      u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
};

/// Rounds v to what value type t stores.
inline float roundTo(float v, ValueType t) {
  switch (t) {
  case ValueType::F16:
    return sxf_rt::halfToFloat(sxf_rt::floatToHalf(v));
  case ValueType::BF16:
    return sxf_rt::bf16ToFloat(sxf_rt::floatToBf16(v));
  default:
    return v;
  }
}

/// A random nonzero weight value of scale 1/sqrt(cols), never rounding to 0.
inline float weightValue(Rng &rng, int64_t cols) {
  double s = 1.0 / std::sqrt(double(std::max<int64_t>(cols, 1)));
  double v = (rng.uniform() * 1.5 + 0.25) * s;
  return float(rng.uniform() < 0.5 ? -v : v);
}

/// R x C matrix with each entry nonzero with probability `density`.
inline std::vector<float> randomUnstructured(Rng &rng, int64_t R, int64_t C,
                                             double density) {
  std::vector<float> w(static_cast<size_t>(R * C), 0.0f);
  for (auto &v : w)
    if (rng.uniform() < density)
      v = weightValue(rng, C);
  return w;
}

/// Blocks of br x bc, each kept with probability `density`; a kept block is
/// dense except for random zeros with probability `innerZero`.
inline std::vector<float> randomBlocked(Rng &rng, int64_t R, int64_t C,
                                        int64_t br, int64_t bc, double density,
                                        double innerZero = 0.1) {
  std::vector<float> w(static_cast<size_t>(R * C), 0.0f);
  for (int64_t i = 0; i < R / br; ++i)
    for (int64_t j = 0; j < C / bc; ++j)
      if (rng.uniform() < density)
        for (int64_t a = 0; a < br; ++a)
          for (int64_t b = 0; b < bc; ++b)
            if (rng.uniform() >= innerZero)
              w[size_t((i * br + a) * C + j * bc + b)] = weightValue(rng, C);
  return w;
}

/// Every group of m columns holds at most n nonzeros (exactly n with
/// probability `full`, else fewer).
inline std::vector<float> randomNm(Rng &rng, int64_t R, int64_t C, int64_t n,
                                   int64_t m, double full = 0.8) {
  std::vector<float> w(static_cast<size_t>(R * C), 0.0f);
  std::vector<int64_t> perm(static_cast<size_t>(m));
  for (int64_t r = 0; r < R; ++r)
    for (int64_t g = 0; g < C / m; ++g) {
      for (int64_t j = 0; j < m; ++j)
        perm[size_t(j)] = j;
      for (int64_t j = m - 1; j > 0; --j)
        std::swap(perm[size_t(j)], perm[size_t(rng.below(j + 1))]);
      int64_t keep = rng.uniform() < full ? n : rng.below(n + 1);
      for (int64_t j = 0; j < keep; ++j)
        w[size_t(r * C + g * m + perm[size_t(j)])] = weightValue(rng, C);
    }
  return w;
}

inline std::vector<float> randomDense(Rng &rng, int64_t n, double scale = 1.0) {
  std::vector<float> v(static_cast<size_t>(n));
  for (auto &e : v)
    e = float(rng.normal() * scale);
  return v;
}

//===----------------------------------------------------------------------===//
// Encoders (independent of the runtime: bit packing written out here)
//===----------------------------------------------------------------------===//

/// A little-endian array of fixed-width unsigned entries (2/4 bits packed
/// LSB-first).
struct Packed {
  std::vector<uint8_t> bytes;
  unsigned bits = 8;
  Packed() = default;
  Packed(int64_t count, unsigned b)
      : bytes(size_t((count * b + 7) / 8), 0), bits(b) {}
  void set(int64_t i, uint64_t v) {
    if (bits < 8) {
      uint64_t pos = uint64_t(i) * bits;
      unsigned mask = (1u << bits) - 1, shift = unsigned(pos % 8);
      bytes[pos / 8] = uint8_t((bytes[pos / 8] & ~(mask << shift)) |
                               ((v & mask) << shift));
      return;
    }
    for (unsigned k = 0; k < bits / 8; ++k)
      bytes[size_t(i) * (bits / 8) + k] = uint8_t(v >> (8 * k));
  }
};

/// Values in a value type.
struct Values {
  std::vector<uint8_t> bytes;
  ValueType type = ValueType::F32;
  Values() = default;
  Values(int64_t count, ValueType t)
      : bytes(size_t(count) * (t == ValueType::F32 ? 4 : 2), 0), type(t) {}
  void set(int64_t i, float v) {
    if (type == ValueType::F32) {
      std::memcpy(&bytes[size_t(i) * 4], &v, 4);
      return;
    }
    uint16_t h = type == ValueType::F16 ? sxf_rt::floatToHalf(v)
                                        : sxf_rt::floatToBf16(v);
    bytes[size_t(i) * 2] = uint8_t(h);
    bytes[size_t(i) * 2 + 1] = uint8_t(h >> 8);
  }
};

inline unsigned ptrBits(unsigned indexBits, int64_t largest) {
  unsigned b = std::max(indexBits, 8u);
  while (b < 64 && largest >= (int64_t(1) << b))
    b *= 2;
  return b;
}

struct EncDense {
  Values values;
  sxf_rt::DenseView view;
};
inline EncDense encodeDense(const std::vector<float> &w, int64_t R, int64_t C,
                            ValueType vt) {
  EncDense e;
  e.values = Values(R * C, vt);
  for (int64_t i = 0; i < R * C; ++i)
    e.values.set(i, w[size_t(i)]);
  e.view = sxf_rt::makeDenseView(R, C, vt, e.values.bytes.data());
  return e;
}

struct EncCsr {
  Values values;
  Packed indices, pointers;
  sxf_rt::CsrView view;
};
inline EncCsr encodeCsr(const std::vector<float> &w, int64_t R, int64_t C,
                        ValueType vt, unsigned ib) {
  EncCsr e;
  int64_t nnz = 0;
  for (float v : w)
    nnz += v != 0.0f;
  e.values = Values(nnz, vt);
  e.indices = Packed(nnz, ib);
  e.pointers = Packed(R + 1, ptrBits(ib, nnz));
  int64_t k = 0;
  for (int64_t r = 0; r < R; ++r) {
    e.pointers.set(r, uint64_t(k));
    for (int64_t c = 0; c < C; ++c)
      if (w[size_t(r * C + c)] != 0.0f) {
        e.values.set(k, w[size_t(r * C + c)]);
        e.indices.set(k++, uint64_t(c));
      }
  }
  e.pointers.set(R, uint64_t(k));
  e.view = sxf_rt::makeCsrView(R, C, nnz, vt, ib, e.values.bytes.data(),
                               e.indices.bytes.data(),
                               e.pointers.bytes.data());
  return e;
}

struct EncBsr {
  Values values;
  Packed indices, pointers;
  sxf_rt::BsrView view;
};
inline EncBsr encodeBsr(const std::vector<float> &w, int64_t R, int64_t C,
                        int64_t bh, int64_t bw, ValueType vt, unsigned ib) {
  EncBsr e;
  std::vector<int64_t> cols, start;
  for (int64_t br = 0; br < R / bh; ++br) {
    start.push_back(int64_t(cols.size()));
    for (int64_t bc = 0; bc < C / bw; ++bc) {
      bool any = false;
      for (int64_t i = 0; i < bh && !any; ++i)
        for (int64_t j = 0; j < bw && !any; ++j)
          any = w[size_t((br * bh + i) * C + bc * bw + j)] != 0.0f;
      if (any)
        cols.push_back(bc);
    }
  }
  int64_t blocks = int64_t(cols.size());
  start.push_back(blocks);
  e.values = Values(blocks * bh * bw, vt);
  e.indices = Packed(blocks, ib);
  e.pointers = Packed(R / bh + 1, ptrBits(ib, blocks));
  for (int64_t br = 0; br <= R / bh; ++br)
    e.pointers.set(br, uint64_t(start[size_t(br)]));
  for (int64_t br = 0; br < R / bh; ++br)
    for (int64_t k = start[size_t(br)]; k < start[size_t(br) + 1]; ++k) {
      e.indices.set(k, uint64_t(cols[size_t(k)]));
      for (int64_t i = 0; i < bh; ++i)
        for (int64_t j = 0; j < bw; ++j)
          e.values.set((k * bh + i) * bw + j,
                       w[size_t((br * bh + i) * C + cols[size_t(k)] * bw + j)]);
    }
  e.view = sxf_rt::makeBsrView(R, C, bh, bw, blocks, vt, ib,
                               e.values.bytes.data(), e.indices.bytes.data(),
                               e.pointers.bytes.data());
  return e;
}

struct EncNm {
  Values values;
  Packed indices;
  sxf_rt::NmView view;
};
inline EncNm encodeNm(const std::vector<float> &w, int64_t R, int64_t C,
                      int64_t n, int64_t m, ValueType vt, unsigned ib) {
  EncNm e;
  int64_t stored = R * (C / m) * n;
  e.values = Values(stored, vt);
  e.indices = Packed(stored, ib);
  int64_t k = 0;
  std::vector<bool> keep(static_cast<size_t>(m));
  for (int64_t r = 0; r < R; ++r)
    for (int64_t g = 0; g < C / m; ++g) {
      int64_t count = 0;
      for (int64_t j = 0; j < m; ++j) {
        keep[size_t(j)] = w[size_t(r * C + g * m + j)] != 0.0f;
        count += keep[size_t(j)];
      }
      // Pad with the lowest unused positions.
      for (int64_t j = 0; j < m && count < n; ++j)
        if (!keep[size_t(j)]) {
          keep[size_t(j)] = true;
          ++count;
        }
      for (int64_t j = 0; j < m; ++j)
        if (keep[size_t(j)]) {
          e.values.set(k, w[size_t(r * C + g * m + j)]);
          e.indices.set(k++, uint64_t(j));
        }
    }
  e.view = sxf_rt::makeNmView(R, C, n, m, vt, ib, e.values.bytes.data(),
                              e.indices.bytes.data());
  return e;
}

/// Writes rows [first, first + count) as ELL rows of `width` at `base`.
inline void writeEll(const std::vector<float> &w, int64_t C, int64_t first,
                     int64_t count, int64_t width, int64_t base, Values &vals,
                     Packed &idx) {
  for (int64_t r = first; r < first + count; ++r) {
    int64_t k = base + (r - first) * width, j = 0;
    for (int64_t c = 0; c < C; ++c)
      if (w[size_t(r * C + c)] != 0.0f) {
        vals.set(k + j, w[size_t(r * C + c)]);
        idx.set(k + j++, uint64_t(c));
      }
  }
}

inline int64_t rowNnz(const std::vector<float> &w, int64_t C, int64_t r) {
  int64_t n = 0;
  for (int64_t c = 0; c < C; ++c)
    n += w[size_t(r * C + c)] != 0.0f;
  return n;
}

struct EncEll {
  Values values;
  Packed indices;
  sxf_rt::EllView view;
};
inline EncEll encodeEll(const std::vector<float> &w, int64_t R, int64_t C,
                        ValueType vt, unsigned ib) {
  EncEll e;
  int64_t width = 0;
  for (int64_t r = 0; r < R; ++r)
    width = std::max(width, rowNnz(w, C, r));
  e.values = Values(R * width, vt);
  e.indices = Packed(R * width, ib);
  writeEll(w, C, 0, R, width, 0, e.values, e.indices);
  e.view = sxf_rt::makeEllView(R, C, width, vt, ib, e.values.bytes.data(),
                               e.indices.bytes.data());
  return e;
}

//===----------------------------------------------------------------------===//
// References
//===----------------------------------------------------------------------===//

using Act = sxf_rt::Activation;

/// The interpreter's activate(): sxf_rt/activation.h's reference formulas
/// (double math on the float input).
inline float actRef(Act a, float x) { return sxf_rt::referenceActivate(a, x); }

inline void layerNormRef(float *row, int64_t h, const float *g, const float *b,
                         float eps) {
  double mean = 0;
  for (int64_t i = 0; i < h; ++i)
    mean += row[i];
  mean /= double(h);
  double var = 0;
  for (int64_t i = 0; i < h; ++i)
    var += (row[i] - mean) * (row[i] - mean);
  var /= double(h);
  double inv = 1.0 / std::sqrt(var + double(eps));
  for (int64_t i = 0; i < h; ++i)
    row[i] = float((row[i] - mean) * inv * g[i] + b[i]);
}

/// y = norm(act(x·Wᵀ + b) + residual), double accumulation (the
/// interpreter's linear followed by its add and layer norm).
inline std::vector<float>
linearRef(const std::vector<float> &x, int64_t T, int64_t C,
          const std::vector<float> &w, int64_t R, const float *bias, Act act,
          const float *residual, const float *gamma = nullptr,
          const float *beta = nullptr, float eps = 1e-5f) {
  std::vector<float> y(static_cast<size_t>(T * R));
  for (int64_t t = 0; t < T; ++t)
    for (int64_t r = 0; r < R; ++r) {
      double acc = 0;
      for (int64_t c = 0; c < C; ++c)
        acc += double(x[size_t(t * C + c)]) * w[size_t(r * C + c)];
      if (bias)
        acc += bias[r];
      float v = actRef(act, float(acc));
      if (residual)
        v = v + residual[t * R + r];
      y[size_t(t * R + r)] = v;
    }
  if (gamma)
    for (int64_t t = 0; t < T; ++t)
      layerNormRef(&y[size_t(t * R)], R, gamma, beta, eps);
  return y;
}

/// Elementwise allclose plus the normwise bound; reports the worst element.
inline ::testing::AssertionResult closeTo(const float *got,
                                          const std::vector<float> &ref,
                                          double rtol = 1e-5,
                                          double atol = 1e-6) {
  double maxAbsRef = 0, maxErr = 0;
  size_t worst = 0;
  double worstExcess = -1;
  for (size_t i = 0; i < ref.size(); ++i) {
    double r = ref[i], g = got[i];
    if (std::isnan(r) != std::isnan(g))
      return ::testing::AssertionFailure()
             << "NaN mismatch at " << i << ": got " << g << ", want " << r;
    if (std::isnan(r))
      continue;
    double err = std::fabs(g - r);
    maxAbsRef = std::max(maxAbsRef, std::fabs(r));
    maxErr = std::max(maxErr, err);
    double excess = err - (rtol * std::fabs(r) + atol);
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (worstExcess > 0)
    return ::testing::AssertionFailure()
           << "element " << worst << ": got " << got[worst] << ", want "
           << ref[worst] << " (|err| " << std::fabs(got[worst] - ref[worst])
           << " > " << rtol << "*|ref| + " << atol << ")";
  if (maxAbsRef > 0 && maxErr / maxAbsRef > rtol)
    return ::testing::AssertionFailure()
           << "normwise relative error " << maxErr / maxAbsRef << " > " << rtol;
  return ::testing::AssertionSuccess();
}

} // namespace rt_test

#endif // SXF_RT_TEST_UTIL_H
