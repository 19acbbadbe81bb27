//===- sxf_rt/activation.h - The activations of sxf, defined once -*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime; dependency-free (standard library only)
// so that the compiler includes it too. The one definition of sxf's
// activations:
//
//   Activation                        the codes (equal to the IR's
//                                     sxf::ActivationKind values; checked by
//                                     static_assert where the compiler maps
//                                     one to the other, lib/Interpreter)
//   referenceActivate(a, x)           the formulas in double precision with
//                                     libm: what the reference interpreter
//                                     computes
//   activate(a, x)                    the same in float with the branch-free
//                                     approximations below (fastExp,
//                                     fastErfc): what the kernels compute,
//                                     within a few ulp of the reference
//                                     (runtime/test checks them on grids)
//
// gelu is the exact form 0.5·x·(1 + erf(x/√2)), gelu_tanh the tanh
// approximation 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))) used by GPT-2,
// silu = x·sigmoid(x) = x / (1 + e^(−x)), relu = max(x, 0) with NaN
// propagating.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_ACTIVATION_H
#define SXF_RT_ACTIVATION_H

#include <cmath>
#include <cstdint>
#include <cstring>

namespace sxf_rt {

/// The activations of sxf, in the order of the IR's ActivationKind.
enum class Activation { None, Relu, Gelu, GeluTanh, Silu };

/// act(x) in double precision with libm: the reference semantics.
inline double referenceActivate(Activation a, double v) {
  switch (a) {
  case Activation::None:
    return v;
  case Activation::Relu:
    return v < 0.0 ? 0.0 : v; // NaN propagates
  case Activation::Gelu:
    return 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0)));
  case Activation::GeluTanh: {
    const double pi = 3.14159265358979323846;
    double inner = std::sqrt(2.0 / pi) * (v + 0.044715 * v * v * v);
    return 0.5 * v * (1.0 + std::tanh(inner));
  }
  case Activation::Silu:
    return v / (1.0 + std::exp(-v));
  }
  return v;
}
/// The same for a float, rounded once to float.
inline float referenceActivate(Activation a, float x) {
  return static_cast<float>(referenceActivate(a, static_cast<double>(x)));
}

/// d act / dx at x, in double precision with libm: what the reverse mode of
/// an activation multiplies the incoming gradient by (sxf.activation_grad).
///   relu'      = 1 for x > 0, else 0 (0 at x = 0, as PyTorch)
///   gelu'      = Φ(x) + x·φ(x), Φ / φ the standard normal cdf / pdf
///   gelu_tanh' = ½(1 + tanh u) + ½x(1 − tanh² u)·√(2/π)(1 + 3·0.044715x²),
///                u = √(2/π)(x + 0.044715x³)
///   silu'      = σ(x)(1 + x(1 − σ(x)))
inline double referenceActivateDerivative(Activation a, double v) {
  const double pi = 3.14159265358979323846;
  switch (a) {
  case Activation::None:
    return 1.0;
  case Activation::Relu:
    return v > 0.0 ? 1.0 : (v != v ? v : 0.0); // NaN propagates
  case Activation::Gelu:
    return 0.5 * (1.0 + std::erf(v / std::sqrt(2.0))) +
           v * std::exp(-0.5 * v * v) / std::sqrt(2.0 * pi);
  case Activation::GeluTanh: {
    double c = std::sqrt(2.0 / pi);
    double t = std::tanh(c * (v + 0.044715 * v * v * v));
    return 0.5 * (1.0 + t) +
           0.5 * v * (1.0 - t * t) * c * (1.0 + 3.0 * 0.044715 * v * v);
  }
  case Activation::Silu: {
    double s = 1.0 / (1.0 + std::exp(-v));
    return s * (1.0 + v * (1.0 - s));
  }
  }
  return 1.0;
}

//===----------------------------------------------------------------------===//
// Bit casts and float approximations
//===----------------------------------------------------------------------===//

inline uint32_t floatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}
inline float bitsFloat(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

/// e^x in float, branch-free (vectorises inside simd loops). Relative error
/// below 3e-7 for x in [-87.3, 88.72]; 0 below -87.3 (results that would be
/// subnormal, and -inf), +inf above 88.7228, NaN propagates.
inline float fastExp(float x) {
  // e^x = 2^n · e^r with n = round(x·log2 e) and |r| <= ln2/2; e^r by its
  // Taylor polynomial to degree 7 (truncation error < 6e-9 on that range).
  const float kLog2e = 1.44269504088896341f;
  const float kLn2Hi = 0.693145751953125f;      // ln 2, top bits (n·hi exact)
  const float kLn2Lo = 1.42860682030941723e-6f; // ln 2 − kLn2Hi
  const float kRound = 12582912.0f;             // 1.5·2^23: round to integer
  const float kLo = -87.3f, kHi = 88.7228f;
  float xc = x < kLo ? kLo : x;
  xc = xc > kHi ? kHi : xc;
  xc = x != x ? 0.0f : xc; // keep the integer conversion below defined
  float t = xc * kLog2e + kRound;
  float n = t - kRound;
  float r = xc - n * kLn2Hi;
  r = r - n * kLn2Lo;
  float p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  // 2^n through the exponent field: n is in [-126, 128]; 2^128 is applied
  // as 2 · 2^127.
  int32_t ni = static_cast<int32_t>(n);
  int32_t e = (ni > 127 ? 127 : ni) + 127;
  float scale = bitsFloat(static_cast<uint32_t>(e) << 23);
  float y = p * (ni > 127 ? 2.0f : 1.0f) * scale;
  y = x < kLo ? 0.0f : y;
  y = x > kHi ? HUGE_VALF : y;
  y = x != x ? x : y;
  return y;
}

/// erfc(z) in float for all z, relative error below ~1e-6 (an exp of a
/// Chebyshev-fitted polynomial in t = 1/(1 + z/2); the fit is the classic
/// erfc approximation with fractional error < 1.2e-7 published in Numerical
/// Recipes, §6.2). erfc(z) for z < 0 is 2 − erfc(−z).
inline float fastErfc(float z) {
  float a = std::fabs(z);
  float t = 1.0f / (1.0f + 0.5f * a);
  float p = 0.17087277f;
  p = p * t - 0.82215223f;
  p = p * t + 1.48851587f;
  p = p * t - 1.13520398f;
  p = p * t + 0.27886807f;
  p = p * t - 0.18628806f;
  p = p * t + 0.09678418f;
  p = p * t + 0.37409196f;
  p = p * t + 1.00002368f;
  p = p * t - 1.26551223f;
  float r = t * fastExp(p - a * a);
  return z < 0.0f ? 2.0f - r : r;
}

/// gelu(x) = 0.5·x·(1 + erf(x/√2)) = 0.5·x·erfc(−x/√2) (no cancellation for
/// negative x).
inline float gelu(float x) {
  return 0.5f * x * fastErfc(-0.70710678118654752f * x);
}

/// gelu_tanh(x) = 0.5·x·(1 + tanh(u)), u = √(2/π)(x + 0.044715x³), computed
/// as x / (1 + e^(−2u)) (1 + tanh(u) = 2 / (1 + e^(−2u))).
inline float geluTanh(float x) {
  float u = 0.79788456080286536f * (x + 0.044715f * x * x * x);
  return x / (1.0f + fastExp(-2.0f * u));
}

/// silu(x) = x·sigmoid(x) = x / (1 + e^(−x)).
inline float silu(float x) { return x / (1.0f + fastExp(-x)); }

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

/// act(x) for one value, in float (the kernels' form of referenceActivate).
inline float activate(Activation a, float x) {
  switch (a) {
  case Activation::None:
    return x;
  case Activation::Relu:
    return x < 0.0f ? 0.0f : x; // NaN propagates
  case Activation::Gelu:
    return gelu(x);
  case Activation::GeluTanh:
    return geluTanh(x);
  case Activation::Silu:
    return silu(x);
  }
  return x;
}

} // namespace sxf_rt

#endif // SXF_RT_ACTIVATION_H
