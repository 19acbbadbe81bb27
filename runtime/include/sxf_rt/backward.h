//===- backward.h - The products of a linear layer's backward pass -*- C++ -*-===//
//
// For y = x·Wᵀ (+ bias) with W an R x C weight in any storage view
// (formats.h), x T x C row-major and dy = ∂L/∂y T x R row-major:
//
//   dX = dY·W                 spmmTransposed: T x C, written whole
//   dW = (dYᵀ·X) at W's stored positions
//                             sddmm: one value per stored slot, in W's
//                             values order (storedCount(w) floats), so the
//                             gradient (and an optimizer's state) is laid out
//                             like the weight and stays sparse; slots that
//                             are not positions (N:M and ELL padding) get 0
//   dBias = Σ_t dY[t, :]      biasGrad
//
// "Stored position" is formats.h's forEachStored, the rule toDense uses.
// Accumulation is in double, so the results do not depend on the order of
// the tokens. These are the first, scalar single-threaded kernels (the
// training work of issue 16 builds on them; fast ones follow spmm.h's
// panels); runtime/test/backward_test.cpp checks them against a
// double-precision dense reference for every format, value type and index
// width.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_BACKWARD_H
#define SXF_RT_BACKWARD_H

#include "sxf_rt/formats.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace sxf_rt {

/// dX = dY·W: dx[t * ldx + c] = Σ_r dy[t * ldy + r] · W[r, c] for the T
/// tokens; dx is overwritten (columns beyond w.cols of a strided dx are
/// left alone).
template <class View>
inline void spmmTransposed(const View &w, const float *dy, int64_t ldy,
                           int64_t T, float *dx, int64_t ldx) {
  std::vector<double> acc(static_cast<size_t>(T * w.cols), 0.0);
  forEachStored(w, [&](int64_t r, int64_t c, int64_t k) {
    double v = loadValue(w.valueType, w.values, k);
    if (v == 0.0)
      return;
    for (int64_t t = 0; t < T; ++t)
      acc[size_t(t * w.cols + c)] += v * double(dy[t * ldy + r]);
  });
  for (int64_t t = 0; t < T; ++t)
    for (int64_t c = 0; c < w.cols; ++c)
      dx[t * ldx + c] = float(acc[size_t(t * w.cols + c)]);
}

/// dW at W's stored positions (sampled dense-dense product): for every
/// stored (r, c) at value index k, grad[k] = Σ_t dy[t * ldy + r] ·
/// x[t * ldx + c]; grad has storedCount(w) entries, the others are 0.
template <class View>
inline void sddmm(const View &w, const float *dy, int64_t ldy,
                  const float *x, int64_t ldx, int64_t T, float *grad) {
  std::fill(grad, grad + storedCount(w), 0.0f);
  forEachStored(w, [&](int64_t r, int64_t c, int64_t k) {
    double sum = 0.0;
    for (int64_t t = 0; t < T; ++t)
      sum += double(dy[t * ldy + r]) * double(x[t * ldx + c]);
    grad[k] = float(sum);
  });
}

/// dBias = Σ_t dY[t, :] (R floats).
inline void biasGrad(const float *dy, int64_t ldy, int64_t T, int64_t R,
                     float *grad) {
  for (int64_t r = 0; r < R; ++r) {
    double sum = 0.0;
    for (int64_t t = 0; t < T; ++t)
      sum += double(dy[t * ldy + r]);
    grad[r] = float(sum);
  }
}

} // namespace sxf_rt

#endif // SXF_RT_BACKWARD_H
