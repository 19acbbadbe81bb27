//===- sxf_rt/spmm.h - Sparse weight x dense activation products -*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime (header-only, C++17; OpenMP optional).
// The kernels of sxf.linear: for a weight W viewed in one of the storage
// formats of formats.h,
//
//     y[t, r] = norm( act( Σ_c x[t, c] · W[r, c] + bias[r] ) + residual[t, r] )
//
// i.e. y = x · Wᵀ with the epilogue of sxf.linear in the interpreter's order
// (bias, activation, residual add, then an optional layer norm of each row
// of y over its R entries).
//
// Offers
//   struct Epilogue      bias, activation, residual, layer norm
//   struct SpmmOptions   leading dimensions, threads, thread split, workspace
//   spmm(const DenseView|CsrView|BsrView|NmView|EllView &w,
//        const float *x, int64_t tokens, float *y,
//        const Epilogue &ep = {}, const SpmmOptions &opt = {})
//   spmmTyped<V, IndexBits>(view, ...)   the dispatch targets, to instantiate
//                                        one value type / index width only
//   class PreparedDense  a dense weight prepared for a faster product
//                        (libsxf_rt: oneDNN, prepared.h); spmm(DenseView)
//                        runs through DenseView::prepared when set
//
// Layout: W is R x C (R = out_features, C = in_features, PyTorch layout), x
// is T x C row-major (row stride opt.ldx, default C), y is T x R row-major
// (row stride opt.ldy, default R; y may not alias x), residual is T x R
// (row stride ep.ldResidual, default R) and may alias y. bias, norm gamma and
// beta are R floats.
//
// Method: x is first transposed into token panels (xᵀ restricted to 64
// tokens — 32 when C x 64 floats would exceed SXF_RT_PANEL_BYTES — C x 64
// floats, contiguous, meant to stay in L2), so that each stored weight
// w[r][c] updates 64 outputs y[t0:t0+64][r] with vector FMAs on panel row c.
// CSR / ELL run four rows in lock-step over their entries, N:M
// four rows in lock-step over the groups (a group's panel rows are loaded
// once for all), BSR and dense keep a block row's (or 4 rows')
// accumulators in registers so that every panel load feeds all of them.
// Accumulation is in fp32, in partial sums of at most 128 terms added in
// order, which keeps the error well inside 1e-5 relative of the
// interpreter's double accumulation for transformer-sized reductions; a
// row's summation order never depends on the thread count. A group of 16
// rows x 64 tokens is then transposed back into y (16x16 register tiles)
// with the epilogue.
//
// Threads: OpenMP (opt.threads, default omp_get_max_threads()). When the
// token panels divide evenly among the threads (or there are at least four
// per thread), each thread takes whole panels: it packs its own panels, runs
// every row on them and finishes its own tokens of y, so no thread reads
// what another packed and no barrier is needed (the weight is only read;
// its bytes are 1/32 or less of the panel bytes a product loads per stored
// entry). Otherwise (few tokens, e.g. decoding) output rows are split by
// balancedRowSplit on per-row work (stored entries + a constant per row), so
// irregular rows do not serialise a layer. Both give bitwise the same y.
// Small products use fewer threads. Without OpenMP everything runs on the
// caller's thread.
//
// Numerics: results match the reference interpreter (double accumulation)
// to about 1e-6 relative for fp32 (runtime/test checks |y − ref| <= 1e-5·|ref|
// + 1e-6 elementwise and 1e-5 normwise). Stored zeros of W are not
// multiplied (as in any sparse kernel), so non-finite inputs may propagate
// differently from a dense product.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_SPMM_H
#define SXF_RT_SPMM_H

#include "sxf_rt/common.h"
#include "sxf_rt/formats.h"
#include "sxf_rt/partition.h"

#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

/// Bytes a token panel (C x width floats) may take; the panel width halves
/// (64 -> 32 tokens) until it fits. Tuned for 1 MiB of L2 per core.
#ifndef SXF_RT_PANEL_BYTES
#define SXF_RT_PANEL_BYTES (512 * 1024)
#endif
/// Widest token panel in floats (a power of two, at least 16).
#ifndef SXF_RT_MAX_PANEL
#define SXF_RT_MAX_PANEL 64
#endif

namespace sxf_rt {

/// What follows the product, in this order: y = act(x·Wᵀ + bias) +
/// residual, then an optional layer norm of each row of y.
struct Epilogue {
  const float *bias = nullptr; // [R], or none
  Activation activation = Activation::None;
  const float *residual = nullptr; // [T][ldResidual], or none
  int64_t ldResidual = 0;          // 0: R
  const float *normGamma = nullptr; // [R]: layer norm when set (with beta)
  const float *normBeta = nullptr;  // [R]
  float normEpsilon = 1e-5f;
};

/// How to run a product.
/// How the threads of a product share it (see "Threads" above). Every split
/// gives bitwise the same y.
enum class ThreadSplit {
  Auto,   // whole token panels when they divide (nearly) evenly, else rows
  Rows,   // output rows (balanced on stored entries); panels shared
  Tokens, // whole token panels (at most one thread per panel)
};

struct SpmmOptions {
  int64_t ldx = 0;  // row stride of x (0: C)
  int64_t ldy = 0;  // row stride of y (0: R)
  int threads = 0;  // 0: maxThreads()
  Workspace *workspace = nullptr; // nullptr: Workspace::threadDefault()
  ThreadSplit split = ThreadSplit::Auto;
};

/// A dense weight prepared once for a faster product than the built-in
/// kernel's, carried by DenseView::prepared. libsxf_rt makes them when a
/// model's weights are loaded (prepared.h: oneDNN's matmul, the weights
/// reordered once into its layout); spmm(DenseView) runs the product
/// through the handle and applies the epilogue itself, with the same code
/// and numerics as the built-in kernel (biasActivate, layerNormRow). Code
/// that only includes the headers never has one and runs the built-in
/// kernel.
class PreparedDense {
public:
  virtual ~PreparedDense() = default;
  /// y[t, r] = Σ_c x[t, c]·W[r, c] for t < T, r < R (rows of x ldx floats
  /// apart, of y ldy), on `threads` threads. Returns false, having written
  /// nothing, when the built-in kernel is the faster choice for this
  /// product (or the handle cannot run it): the caller then runs that.
  virtual bool product(const float *x, int64_t ldx, int64_t T, float *y,
                       int64_t ldy, int threads) const = 0;
};

//===----------------------------------------------------------------------===//
// Shared pieces: the layer norm of a row (as the interpreter computes it)
//===----------------------------------------------------------------------===//

/// y[i] = (x[i] − μ) / √(σ² + eps) · gamma[i] + beta[i] over h values, μ and
/// the biased σ² in double, as ref::layerNorm. x may equal y.
inline void layerNormRow(const float *x, int64_t h, const float *gamma,
                         const float *beta, float eps, float *y) {
  if (h <= 0)
    return;
  double mean = 0;
  SXF_RT_PRAGMA_SIMD_REDUCTION(+ : mean)
  for (int64_t i = 0; i < h; ++i)
    mean += x[i];
  mean /= double(h);
  double var = 0;
  SXF_RT_PRAGMA_SIMD_REDUCTION(+ : var)
  for (int64_t i = 0; i < h; ++i)
    var += (x[i] - mean) * (x[i] - mean);
  var /= double(h);
  double inv = 1.0 / std::sqrt(var + double(eps));
  SXF_RT_SIMD
  for (int64_t i = 0; i < h; ++i)
    y[i] = static_cast<float>((x[i] - mean) * inv * gamma[i] + beta[i]);
}

namespace detail {

/// The epilogue on y as a product left it (T x R, row stride ldy): per
/// token row, act(y + bias), + residual (T x R, row stride ldr; may be y
/// only if it was saved before the product), then the layer norm — the
/// order and the functions of the built-in kernel's epilogue
/// (finishGroup, layerNormRow). Rows split over `threads` threads.
inline void epilogueRows(float *y, int64_t ldy, int64_t T, int64_t R,
                         const Epilogue &ep, const float *residual,
                         int64_t ldr, int threads) {
  const bool bias = ep.bias || ep.activation != Activation::None;
  const bool norm = ep.normGamma && ep.normBeta;
  if (!bias && !residual && !norm)
    return;
  parallelRegion(threads, [&](int tid, int nth) {
    int64_t b, e;
    blockRange(T, nth, tid, b, e);
    for (int64_t t = b; t < e; ++t) {
      float *row = y + t * ldy;
      if (bias)
        biasActivate(ep.activation, ep.bias, row, R);
      if (residual) {
        const float *res = residual + t * ldr;
        SXF_RT_SIMD
        for (int64_t r = 0; r < R; ++r)
          row[r] += res[r];
      }
      if (norm)
        layerNormRow(row, R, ep.normGamma, ep.normBeta, ep.normEpsilon, row);
    }
  });
}

/// spmm(w, ...) through w.prepared (see PreparedDense): the product, then
/// epilogueRows. A residual that overlaps y is copied to the workspace
/// first (the product overwrites y). False when the handle declines: the
/// built-in kernel must run.
inline bool preparedSpmm(const DenseView &w, const float *x, int64_t T,
                         float *y, const Epilogue &ep,
                         const SpmmOptions &opt) {
  const int64_t R = w.rows, C = w.cols;
  const int64_t ldx = opt.ldx ? opt.ldx : C, ldy = opt.ldy ? opt.ldy : R;
  const int64_t ldr = ep.ldResidual ? ep.ldResidual : R;
  const int threads = opt.threads > 0 ? opt.threads : maxThreads();
  if (T <= 0 || R <= 0)
    return true;
  const float *residual = ep.residual;
  int64_t resStride = ldr;
  if (residual) {
    auto addr = [](const float *p) { return reinterpret_cast<uintptr_t>(p); };
    uintptr_t r0 = addr(residual), r1 = addr(residual + (T - 1) * ldr + R);
    uintptr_t y0 = addr(y), y1 = addr(y + (T - 1) * ldy + R);
    if (r0 < y1 && y0 < r1) {
      Workspace &ws =
          opt.workspace ? *opt.workspace : Workspace::threadDefault();
      float *copy = ws.floats(WorkspaceSlot::kResidualCopy, size_t(T * R));
      for (int64_t t = 0; t < T; ++t)
        std::memcpy(copy + t * R, residual + t * ldr, size_t(R) * sizeof(float));
      residual = copy;
      resStride = R;
    }
  }
  if (!w.prepared->product(x, ldx, T, y, ldy, threads))
    return false;
  epilogueRows(y, ldy, T, R, ep, residual, resStride, threads);
  return true;
}

using simd::VF;
inline constexpr int64_t kLanes = simd::kLanes;
/// Widest token panel (4 AVX-512 vectors). Narrower panels (kMaxPanel / 2)
/// are used when a wide one would not fit kPanelBytes, and kLanes-wide ones
/// for the last few tokens.
inline constexpr int64_t kMaxPanel = SXF_RT_MAX_PANEL;
/// Largest panel (C x width floats) meant to stay in a core's L2.
inline constexpr int64_t kPanelBytes = SXF_RT_PANEL_BYTES;
/// Reduction terms summed in one fp32 partial sum before it is added to the
/// running total.
inline constexpr int64_t kChunk = 128;
/// Output rows transposed back together.
inline constexpr int64_t kGroupRows = 16;
/// Partition work of a row besides its stored entries (its epilogue).
inline constexpr int64_t kRowCost = 8;
/// Multiply-adds below which a product runs on one thread (per thread).
inline constexpr int64_t kMinWorkPerThread = 1 << 16;
/// Register budget in vectors (32 with AVX-512, else 16): caps the token
/// vectors per pass of register-blocked kernels.
inline constexpr int kRegisters = kLanes >= 16 ? 32 : 16;

/// Calls f(std::integral_constant<int, i>()) for i = 0 .. N-1 (unrolled, so
/// that register arrays are indexed by constants).
template <class F, int... I>
inline void unrolledImpl(F &&f, std::integer_sequence<int, I...>) {
  (f(std::integral_constant<int, I>()), ...);
}
template <int N, class F> inline void unrolled(F &&f) {
  unrolledImpl(f, std::make_integer_sequence<int, N>());
}

/// Calls f(std::integral_constant<int, NV>()) with NV the token vectors per
/// pass for a panel `width` floats wide: width / kLanes capped at MaxNV,
/// rounded down to 1, 2 or 4. Kernels loop over width / (NV·kLanes) passes.
template <int MaxNV, class F> inline void withNv(int64_t width, F &&f) {
  int64_t v = width / kLanes;
  if (v >= 4 && MaxNV >= 4)
    f(std::integral_constant<int, (MaxNV >= 4 ? 4 : 1)>());
  else if (v >= 2 && MaxNV >= 2)
    f(std::integral_constant<int, (MaxNV >= 2 ? 2 : 1)>());
  else
    f(std::integral_constant<int, 1>());
}

/// Token vectors per pass for SUB rows in registers (SUB·NV accumulators
/// plus NV operands within the register file).
constexpr int maxNvFor(int sub) {
  int nv = 4;
  while (nv > 1 && sub * nv + nv + 2 > kRegisters)
    nv /= 2;
  return nv;
}

//===----------------------------------------------------------------------===//
// Token panels: xᵀ in slices of tokens
//===----------------------------------------------------------------------===//

/// The panels of T tokens: `full` panels of `wide` tokens (the last one
/// possibly zero-padded), then `small` panels of kLanes tokens. Panel p
/// covers tokens [start(p), start(p) + valid(p)) and holds C x width(p)
/// floats (row c = token values of column c) at offset start(p) · C.
struct PanelPlan {
  int64_t T = 0, wide = kMaxPanel, full = 0, small = 0;
  PanelPlan(int64_t tokens, int64_t C) : T(tokens) {
    while (wide > kLanes && wide > 16 &&
           C * wide * int64_t(sizeof(float)) > kPanelBytes)
      wide /= 2;
    full = T / wide;
    int64_t rem = T - full * wide;
    if (rem >= wide / 2 || (rem > 0 && kLanes >= wide / 2))
      ++full; // pad to a full panel rather than run many narrow ones
    else
      small = (rem + kLanes - 1) / kLanes;
  }
  int64_t count() const { return full + small; }
  int64_t width(int64_t p) const { return p < full ? wide : kLanes; }
  int64_t start(int64_t p) const {
    return p < full ? p * wide : full * wide + (p - full) * kLanes;
  }
  int64_t valid(int64_t p) const { return std::min(width(p), T - start(p)); }
  /// Tokens including padding: the floats of the panels per column of x.
  int64_t paddedTokens() const { return full * wide + small * kLanes; }
};

/// Writes columns [c0, c1) of panel p of x into `panels` (kLanes x kLanes
/// tiles transposed in registers, scalar edges).
inline void packPanelColumns(const float *x, int64_t ldx, int64_t C,
                             const PanelPlan &plan, int64_t p, int64_t c0,
                             int64_t c1, float *panels) {
  int64_t t0 = plan.start(p), width = plan.width(p), valid = plan.valid(p);
  float *panel = panels + t0 * C;
  int64_t c = c0;
  for (; c + kLanes <= c1; c += kLanes) {
    int64_t t = 0;
    for (; t + kLanes <= valid; t += kLanes) {
      VF tile[kLanes];
      simd::transposeTile(x + (t0 + t) * ldx + c, ldx, tile);
      for (int j = 0; j < kLanes; ++j)
        simd::store(panel + (c + j) * width + t, tile[j]);
    }
    for (int64_t j = c; j < c + kLanes; ++j) {
      for (int64_t u = t; u < valid; ++u)
        panel[j * width + u] = x[(t0 + u) * ldx + j];
      for (int64_t u = valid; u < width; ++u)
        panel[j * width + u] = 0.0f;
    }
  }
  for (; c < c1; ++c) {
    for (int64_t u = 0; u < valid; ++u)
      panel[c * width + u] = x[(t0 + u) * ldx + c];
    for (int64_t u = valid; u < width; ++u)
      panel[c * width + u] = 0.0f;
  }
}

/// Packs all panels, work shared by `numThreads` threads (thread `thread`).
inline void packPanels(const float *x, int64_t ldx, int64_t C,
                       const PanelPlan &plan, float *panels, int thread,
                       int numThreads) {
  const int64_t blocks = (C + 63) / 64; // 64 columns per unit of work
  int64_t units = plan.count() * blocks, b, e;
  blockRange(units, numThreads, thread, b, e);
  for (int64_t u = b; u < e; ++u) {
    int64_t p = u / blocks, cb = (u % blocks) * 64;
    packPanelColumns(x, ldx, C, plan, p, cb, std::min(C, cb + 64), panels);
  }
}

//===----------------------------------------------------------------------===//
// Group epilogue: bias + activation, then transpose into y with residual
//===----------------------------------------------------------------------===//

/// Scalar store of buf rows [i0, g) x tokens [t0, t1) into y.
inline void finishScalar(const float *buf, int64_t i0, int64_t g,
                         int64_t width, int64_t ta, int64_t tb, int64_t r0,
                         int64_t t0, const float *res, float *y, int64_t ldy,
                         int64_t ldr) {
  for (int64_t t = ta; t < tb; ++t)
    for (int64_t i = i0; i < g; ++i)
      y[(t0 + t) * ldy + r0 + i] =
          buf[i * width + t] + (res ? res[(t0 + t) * ldr + r0 + i] : 0.0f);
}

/// buf holds rows [r0, r0 + g) x tokens [t0, t0 + valid) (row stride width);
/// applies the epilogue and stores them into y.
inline void finishGroup(float *buf, int64_t g, int64_t width, int64_t valid,
                        int64_t r0, int64_t t0, const Epilogue &ep, float *y,
                        int64_t ldy, int64_t ldr) {
  if (ep.bias || ep.activation != Activation::None)
    for (int64_t i = 0; i < g; ++i)
      biasActivate(ep.activation, ep.bias ? ep.bias[r0 + i] : 0.0f,
                   buf + i * width, valid);
  // kLanes x kLanes tiles transposed in registers; scalar edges.
  const float *res = ep.residual;
  const int64_t tFull = valid - valid % kLanes, gFull = g - g % kLanes;
  for (int64_t t = 0; t < tFull; t += kLanes)
    for (int64_t i = 0; i < gFull; i += kLanes) {
      VF tile[kLanes];
      simd::transposeTile(buf + i * width + t, width, tile);
      for (int j = 0; j < kLanes; ++j) {
        if (res)
          tile[j] += simd::loadu(res + (t0 + t + j) * ldr + r0 + i);
        simd::storeu(y + (t0 + t + j) * ldy + r0 + i, tile[j]);
      }
    }
  finishScalar(buf, gFull, g, width, 0, tFull, r0, t0, res, y, ldy, ldr);
  finishScalar(buf, 0, g, width, tFull, valid, r0, t0, res, y, ldy, ldr);
}

//===----------------------------------------------------------------------===//
// Inner kernels
//===----------------------------------------------------------------------===//

/// Adds (or, the first time, stores) SUB x NV accumulators into out rows
/// (stride width) at column `pass`, then zeroes them.
template <int SUB, int NV>
inline void flushAcc(VF (&acc)[SUB][NV], float *out, int64_t width,
                     int64_t pass, bool first) {
  SXF_RT_UNROLL
  for (int i = 0; i < SUB; ++i)
    SXF_RT_UNROLL
    for (int v = 0; v < NV; ++v) {
      float *o = out + i * width + pass + v * kLanes;
      simd::store(o, first ? acc[i][v] : simd::load(o) + acc[i][v]);
      acc[i][v] = simd::zero();
    }
}

/// Rows given as runs of entries (CSR, ELL): out row i (stride
/// width) = Σ_k w[k] · xᵀ[col(k)] over entries k of [kb[i], kb[i] + len[i])
/// (values V, column indices IB bits), NV token vectors per pass.
///
/// RB rows run in lock-step over their entries (entry j of every row, then
/// j + 1, ...): rows of similar density walk through the columns at the same
/// pace, so panel rows loaded for one row are often still in L1 for the
/// others, and the RB·NV accumulators keep the FMA pipes busy.
///
/// Summation order, the same whatever RB (so results do not depend on how
/// rows are grouped or split between threads): each row's entries in chunks
/// of kChunk from its first entry, each chunk accumulated in order by FMAs,
/// chunk sums added in order.
template <ValueType V, int IB, int RB, int NV>
inline void rowsEntries(const void *vals, const void *idx, const int64_t *kb,
                        const int64_t *len, const float *panel, int64_t width,
                        float *out) {
  int64_t longest = 0;
  SXF_RT_UNROLL
  for (int i = 0; i < RB; ++i)
    longest = std::max(longest, len[i]);
  for (int64_t pass = 0; pass < width; pass += NV * kLanes) {
    VF acc[RB][NV];
    SXF_RT_UNROLL
    for (int i = 0; i < RB; ++i)
      SXF_RT_UNROLL
      for (int v = 0; v < NV; ++v)
        acc[i][v] = simd::zero();
    auto step = [&](auto i, int64_t k) {
      const float *xp = panel + loadIndex<IB>(idx, k) * width + pass;
      VF w = simd::splat(loadValue<V>(vals, k));
      SXF_RT_UNROLL
      for (int v = 0; v < NV; ++v)
        acc[i][v] = simd::fma(w, simd::load(xp + v * kLanes), acc[i][v]);
    };
    bool first = true;
    for (int64_t j0 = 0; j0 < longest || first; j0 += kChunk) {
      // Entries j0 .. j0 + n[i] of row i fall in this chunk.
      int64_t n[RB], common = kChunk, most = 0;
      SXF_RT_UNROLL
      for (int i = 0; i < RB; ++i) {
        n[i] = std::max<int64_t>(0, std::min(kChunk, len[i] - j0));
        common = std::min(common, n[i]);
        most = std::max(most, n[i]);
      }
      for (int64_t j = j0; j < j0 + common; ++j)
        unrolled<RB>([&](auto i) { step(i, kb[i] + j); });
      // Ragged ends, still interleaved across rows.
      for (int64_t j = j0 + common; j < j0 + most; ++j)
        unrolled<RB>([&](auto i) {
          if (j < j0 + n[i])
            step(i, kb[i] + j);
        });
      flushAcc<RB, NV>(acc, out, width, pass, first);
      first = false;
    }
  }
}

/// RB consecutive N:M rows at once (row i's entries start at e0 + i·groups·n;
/// entry k of group g is column g·m + index(k)), in lock-step over the
/// groups so that the m panel rows of a group are loaded once for all RB
/// rows. N, M are compile-time (0: the runtime n, m).
template <ValueType V, int IB, int N, int M, int RB, int NV>
inline void rowsNm(const void *vals, const void *idx, int64_t e0,
                   int64_t groups, int64_t n_, int64_t m_, const float *panel,
                   int64_t width, float *out) {
  const int64_t n = N ? N : n_, m = M ? M : m_, perRow = groups * n;
  const int64_t groupsPerChunk = std::max<int64_t>(1, kChunk / n);
  for (int64_t pass = 0; pass < width; pass += NV * kLanes) {
    VF acc[RB][NV];
    SXF_RT_UNROLL
    for (int i = 0; i < RB; ++i)
      SXF_RT_UNROLL
      for (int v = 0; v < NV; ++v)
        acc[i][v] = simd::zero();
    bool first = true;
    for (int64_t g0 = 0; g0 < groups; g0 += groupsPerChunk) {
      int64_t g1 = std::min(groups, g0 + groupsPerChunk);
      for (int64_t g = g0; g < g1; ++g) {
        const float *xg = panel + g * m * width + pass;
        SXF_RT_UNROLL
        for (int i = 0; i < RB; ++i) {
          const int64_t k = e0 + i * perRow + g * n;
          for (int64_t s = 0; s < n; ++s) {
            const float *xp = xg + loadIndex<IB>(idx, k + s) * width;
            VF w = simd::splat(loadValue<V>(vals, k + s));
            SXF_RT_UNROLL
            for (int v = 0; v < NV; ++v)
              acc[i][v] = simd::fma(w, simd::load(xp + v * kLanes), acc[i][v]);
          }
        }
      }
      flushAcc<RB, NV>(acc, out, width, pass, first);
      first = false;
    }
    if (first)
      flushAcc<RB, NV>(acc, out, width, pass, true);
  }
}

/// acc[i][v] += Σ_j w(i, j) · xᵀ[c0 + j][pass + v·L] for i < SUB and j < n
/// (n = BC, or ncols when BC is 0), w(i, j) = vals[voff + i·rowStride + j].
/// Every panel load feeds SUB FMAs.
template <ValueType V, int SUB, int BC, int NV>
inline void accumulateColumns(VF (&acc)[SUB][NV], const void *vals,
                              int64_t voff, int64_t rowStride, int64_t ncols,
                              int64_t c0, const float *panel, int64_t width,
                              int64_t pass) {
  const int64_t n = BC ? BC : ncols;
  for (int64_t j = 0; j < n; ++j) {
    const float *xp = panel + (c0 + j) * width + pass;
    VF xv[NV];
    SXF_RT_UNROLL
    for (int v = 0; v < NV; ++v)
      xv[v] = simd::load(xp + v * kLanes);
    SXF_RT_UNROLL
    for (int i = 0; i < SUB; ++i) {
      VF s = simd::splat(loadValue<V>(vals, voff + i * rowStride + j));
      SXF_RT_UNROLL
      for (int v = 0; v < NV; ++v)
        acc[i][v] = simd::fma(s, xv[v], acc[i][v]);
    }
  }
}

/// Rows i0 .. i0 + SUB of a BSR block row (stored blocks [kb, ke), block
/// shape br x bc; BC: compile-time bc or 0) into out (row i0 first).
template <ValueType V, int IB, int SUB, int BC, int NV>
inline void bsrRows(const void *vals, const void *idx, int64_t kb, int64_t ke,
                    int64_t br, int64_t bc_, int64_t i0, const float *panel,
                    int64_t width, float *out) {
  const int64_t bc = BC ? BC : bc_;
  const int64_t area = br * bc;
  for (int64_t pass = 0; pass < width; pass += NV * kLanes) {
    VF acc[SUB][NV];
    SXF_RT_UNROLL
    for (int i = 0; i < SUB; ++i)
      SXF_RT_UNROLL
      for (int v = 0; v < NV; ++v)
        acc[i][v] = simd::zero();
    bool first = true;
    int64_t terms = 0;
    for (int64_t k = kb; k < ke; ++k) {
      int64_t c0 = loadIndex<IB>(idx, k) * bc;
      accumulateColumns<V, SUB, BC, NV>(acc, vals, k * area + i0 * bc, bc, bc,
                                        c0, panel, width, pass);
      terms += bc;
      if (terms >= kChunk) {
        flushAcc<SUB, NV>(acc, out, width, pass, first);
        first = false;
        terms = 0;
      }
    }
    if (first || terms)
      flushAcc<SUB, NV>(acc, out, width, pass, first);
  }
}

/// Rows r0 .. r0 + SUB of a dense R x C weight into out.
template <ValueType V, int SUB, int NV>
inline void denseRows(const void *vals, int64_t C, int64_t r0,
                      const float *panel, int64_t width, float *out) {
  for (int64_t pass = 0; pass < width; pass += NV * kLanes) {
    VF acc[SUB][NV];
    SXF_RT_UNROLL
    for (int i = 0; i < SUB; ++i)
      SXF_RT_UNROLL
      for (int v = 0; v < NV; ++v)
        acc[i][v] = simd::zero();
    bool first = true;
    for (int64_t c0 = 0; c0 < C; c0 += kChunk) {
      int64_t n = std::min(kChunk, C - c0);
      accumulateColumns<V, SUB, 0, NV>(acc, vals, r0 * C + c0, C, n, c0, panel,
                                       width, pass);
      flushAcc<SUB, NV>(acc, out, width, pass, first);
      first = false;
    }
    if (first)
      flushAcc<SUB, NV>(acc, out, width, pass, true);
  }
}

//===----------------------------------------------------------------------===//
// The driver: threads, panels, row groups, epilogue
//===----------------------------------------------------------------------===//

/// Runs a product whose rows are computed by `group(r0, r1, p, panel, width,
/// buf)` (panel p; filling buf rows [0, r1 − r0) x [0, width), row stride
/// width). Panels are visited in order, so p == 0 is a group's first call.
/// Work is partitioned in units of `unitRows` rows with per-unit work
/// `unitWork` (balancedRowSplit); groups hold at most `groupRows` rows (a
/// multiple of unitRows) and never straddle a unit.
template <class GroupFn>
inline void runProduct(int64_t R, int64_t C, const float *x, int64_t T,
                       float *y, const Epilogue &ep, const SpmmOptions &opt,
                       const std::vector<int64_t> &unitWork, int64_t unitRows,
                       int64_t groupRows, GroupFn &&group) {
  if (T <= 0 || R <= 0)
    return;
  const int64_t ldx = opt.ldx ? opt.ldx : C, ldy = opt.ldy ? opt.ldy : R;
  const int64_t ldr = ep.ldResidual ? ep.ldResidual : R;
  int64_t totalWork = 0;
  for (int64_t w : unitWork)
    totalWork += w;
  const int64_t units = static_cast<int64_t>(unitWork.size());
  PanelPlan plan(T, C);
  int64_t threads = opt.threads > 0 ? opt.threads : maxThreads();
  threads = std::max<int64_t>(
      1, std::min(threads, (totalWork * T) / kMinWorkPerThread));
  // Whole token panels per thread when they divide (nearly) evenly.
  const int64_t panelCount = plan.count();
  const bool byTokens =
      opt.split == ThreadSplit::Tokens ||
      (opt.split == ThreadSplit::Auto && threads > 1 &&
       panelCount >= threads &&
       (panelCount % threads == 0 || panelCount >= 4 * threads));
  threads = std::min(threads, byTokens ? panelCount : units);
  std::vector<int64_t> cuts;
  if (!byTokens)
    cuts = balancedRowSplit(unitWork.data(), units, threads);

  Workspace &ws = opt.workspace ? *opt.workspace : Workspace::threadDefault();
  float *panels = ws.floats(
      WorkspaceSlot::kPanels,
      size_t(std::max<int64_t>(1, plan.paddedTokens() * C)));
  std::vector<float *> bufs(static_cast<size_t>(threads));
  for (int64_t p = 0; p < threads; ++p)
    bufs[size_t(p)] = ws.floats(WorkspaceSlot::kRowBuffers + size_t(p),
                                size_t(groupRows * plan.wide));

  const bool norm = ep.normGamma && ep.normBeta;
  // Rows [rb, re) on panel p, finished into y.
  auto rowsOnPanel = [&](float *buf, int64_t rb, int64_t re, int64_t p) {
    const float *panel = panels + plan.start(p) * C;
    int64_t width = plan.width(p), valid = plan.valid(p);
    for (int64_t g0 = rb; g0 < re; g0 += groupRows) {
      int64_t g1 = std::min(re, g0 + groupRows);
      group(g0, g1, p, panel, width, buf);
      finishGroup(buf, g1 - g0, width, valid, g0, plan.start(p), ep, y, ldy,
                  ldr);
    }
  };
  auto normTokens = [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e; ++t)
      layerNormRow(y + t * ldy, R, ep.normGamma, ep.normBeta, ep.normEpsilon,
                   y + t * ldy);
  };
  parallelRegion(int(threads), [&](int tid, int nth) {
    if (byTokens) {
      // nth may be below `threads` (nested call): every panel still runs.
      int64_t pb, pe;
      blockRange(panelCount, nth, tid, pb, pe);
      for (int64_t p = pb; p < pe; ++p) {
        packPanelColumns(x, ldx, C, plan, p, 0, C, panels);
        rowsOnPanel(bufs[size_t(tid)], 0, R, p);
        if (norm)
          normTokens(plan.start(p), plan.start(p) + plan.valid(p));
      }
      return;
    }
    packPanels(x, ldx, C, plan, panels, tid, nth);
    barrier(nth);
    for (int64_t part = tid; part < threads; part += nth)
      for (int64_t p = 0; p < panelCount; ++p)
        rowsOnPanel(bufs[size_t(part)], cuts[size_t(part)] * unitRows,
                    std::min(R, cuts[size_t(part) + 1] * unitRows), p);
    if (norm) {
      barrier(nth);
      int64_t b, e;
      blockRange(T, nth, tid, b, e);
      normTokens(b, e);
    }
  });
}

/// Products whose rows are runs of entries: row r is entries
/// [start[r], start[r] + len[r]) of (values, column indices) (CSR,
/// ELL). Four rows run in lock-step (rowsEntries), the remainder of
/// a group one by one; a row's summation order does not depend on which.
template <ValueType V, int IB>
inline void entriesProduct(int64_t R, int64_t C, const void *vals,
                           const void *idx, const std::vector<int64_t> &start,
                           const std::vector<int64_t> &len, const float *x,
                           int64_t T, float *y, const Epilogue &ep,
                           const SpmmOptions &opt) {
  std::vector<int64_t> work(static_cast<size_t>(R));
  for (int64_t r = 0; r < R; ++r)
    work[size_t(r)] = len[size_t(r)] + kRowCost;
  runProduct(R, C, x, T, y, ep, opt, work, 1, kGroupRows,
             [&](int64_t r0, int64_t r1, int64_t, const float *panel,
                 int64_t width, float *buf) {
               withNv<4>(width, [&](auto nv) {
                 constexpr int NV = decltype(nv)::value;
                 constexpr int NV4 = NV > maxNvFor(4) ? maxNvFor(4) : NV;
                 int64_t r = r0;
                 for (; r + 4 <= r1; r += 4)
                   rowsEntries<V, IB, 4, NV4>(vals, idx, &start[size_t(r)],
                                              &len[size_t(r)], panel, width,
                                              buf + (r - r0) * width);
                 for (; r < r1; ++r)
                   rowsEntries<V, IB, 1, NV>(vals, idx, &start[size_t(r)],
                                             &len[size_t(r)], panel, width,
                                             buf + (r - r0) * width);
               });
             });
}

/// The length of an ELL row without its trailing padding (zero-valued
/// entries; a stored value that rounded to zero may be dropped too: it
/// contributes nothing).
inline int64_t trimmedLength(ValueType vt, const void *vals, int64_t kb,
                             int64_t ke) {
  int64_t e = ke;
  while (e > kb && loadValue(vt, vals, e - 1) == 0.0f)
    --e;
  return e - kb;
}

/// Calls f.template operator()<V, IB>() for the view's value type and index
/// width (8/16/32/64).
template <class F>
inline void dispatchValueIndex(ValueType vt, unsigned indexBits, F &&f) {
  auto byIndex = [&](auto vtag) {
    constexpr ValueType V = decltype(vtag)::value;
    switch (indexBits) {
    case 8:
      f.template operator()<V, 8>();
      break;
    case 16:
      f.template operator()<V, 16>();
      break;
    case 32:
      f.template operator()<V, 32>();
      break;
    default:
      f.template operator()<V, 64>();
      break;
    }
  };
  switch (vt) {
  case ValueType::F16:
    byIndex(std::integral_constant<ValueType, ValueType::F16>());
    break;
  case ValueType::BF16:
    byIndex(std::integral_constant<ValueType, ValueType::BF16>());
    break;
  default:
    byIndex(std::integral_constant<ValueType, ValueType::F32>());
    break;
  }
}

} // namespace detail

//===----------------------------------------------------------------------===//
// Typed entry points (one value type / index width)
//===----------------------------------------------------------------------===//

/// CSR, values V, IB-bit column indices (the view's pointer width is read at
/// run time).
template <ValueType V, int IB>
inline void spmmTyped(const CsrView &w, const float *x, int64_t T, float *y,
                      const Epilogue &ep = {}, const SpmmOptions &opt = {}) {
  std::vector<int64_t> start(static_cast<size_t>(w.rows)),
      len(static_cast<size_t>(w.rows));
  for (int64_t r = 0; r < w.rows; ++r) {
    start[size_t(r)] = int64_t(readUnsigned(w.pointers, w.pointerBits, r));
    len[size_t(r)] = int64_t(readUnsigned(w.pointers, w.pointerBits, r + 1)) -
                     start[size_t(r)];
  }
  detail::entriesProduct<V, IB>(w.rows, w.cols, w.values, w.indices, start,
                                len, x, T, y, ep, opt);
}

/// ELL, values V, IB-bit column indices; each row's trailing padding is
/// skipped.
template <ValueType V, int IB>
inline void spmmTyped(const EllView &w, const float *x, int64_t T, float *y,
                      const Epilogue &ep = {}, const SpmmOptions &opt = {}) {
  std::vector<int64_t> start(static_cast<size_t>(w.rows)),
      len(static_cast<size_t>(w.rows));
  for (int64_t r = 0; r < w.rows; ++r) {
    start[size_t(r)] = r * w.width;
    len[size_t(r)] = detail::trimmedLength(V, w.values, r * w.width,
                                           (r + 1) * w.width);
  }
  detail::entriesProduct<V, IB>(w.rows, w.cols, w.values, w.indices, start,
                                len, x, T, y, ep, opt);
}

/// BSR, values V, IB-bit block-column indices. 4x4, 8x8 and 16x16 blocks
/// have specialised kernels; other shapes run the rows of a block in
/// register blocks of 4, 2 and 1 rows.
template <ValueType V, int IB>
inline void spmmTyped(const BsrView &w, const float *x, int64_t T, float *y,
                      const Epilogue &ep = {}, const SpmmOptions &opt = {}) {
  using namespace detail;
  const int64_t br = w.blockRows, bc = w.blockCols;
  if (br <= 0 || bc <= 0)
    return;
  const int64_t gridRows = w.rows / br;
  std::vector<int64_t> blockPtr(static_cast<size_t>(gridRows + 1));
  for (int64_t i = 0; i <= gridRows; ++i)
    blockPtr[size_t(i)] = int64_t(readUnsigned(w.pointers, w.pointerBits, i));
  std::vector<int64_t> work(static_cast<size_t>(gridRows));
  for (int64_t i = 0; i < gridRows; ++i)
    work[size_t(i)] =
        (blockPtr[size_t(i) + 1] - blockPtr[size_t(i)]) * br * bc +
        br * kRowCost;
  const int64_t groupRows = br >= kGroupRows ? br : br * (kGroupRows / br);
  runProduct(
      w.rows, w.cols, x, T, y, ep, opt, work, br, groupRows,
      [&](int64_t r0, int64_t r1, int64_t, const float *panel,
          int64_t width, float *buf) {
        for (int64_t r = r0; r < r1; r += br) {
          int64_t b = r / br;
          int64_t kb = blockPtr[size_t(b)], ke = blockPtr[size_t(b) + 1];
          float *out = buf + (r - r0) * width;
          auto rows = [&](auto sub, auto bcT, int64_t i) {
            constexpr int SUB = decltype(sub)::value, BC = decltype(bcT)::value;
            withNv<maxNvFor(SUB)>(width, [&](auto nv) {
              bsrRows<V, IB, SUB, BC, decltype(nv)::value>(
                  w.values, w.indices, kb, ke, br, bc, i, panel, width,
                  out + i * width);
            });
          };
          using I4 = std::integral_constant<int, 4>;
          using I8 = std::integral_constant<int, 8>;
          using I16 = std::integral_constant<int, 16>;
          using I0 = std::integral_constant<int, 0>;
          if (br == 4 && bc == 4) {
            rows(I4(), I4(), 0);
          } else if (br == 8 && bc == 8) {
            rows(I8(), I8(), 0);
          } else if (br == 16 && bc == 16) {
            rows(I16(), I16(), 0);
          } else {
            int64_t i = 0;
            for (; i + 4 <= br; i += 4)
              rows(I4(), I0(), i);
            for (; i + 2 <= br; i += 2)
              rows(std::integral_constant<int, 2>(), I0(), i);
            for (; i < br; ++i)
              rows(std::integral_constant<int, 1>(), I0(), i);
          }
        }
      });
}

/// N:M, values V, IB-bit in-group indices (2 and 4: packed). 2:4 and 4:8
/// have specialised kernels.
template <ValueType V, int IB>
inline void spmmTyped(const NmView &w, const float *x, int64_t T, float *y,
                      const Epilogue &ep = {}, const SpmmOptions &opt = {}) {
  using namespace detail;
  if (w.n <= 0 || w.m <= 0)
    return;
  const int64_t groups = w.cols / w.m, perRow = groups * w.n;
  std::vector<int64_t> work(static_cast<size_t>(w.rows), perRow + kRowCost);
  runProduct(w.rows, w.cols, x, T, y, ep, opt, work, 1, kGroupRows,
             [&](int64_t r0, int64_t r1, int64_t, const float *panel,
                 int64_t width, float *buf) {
               auto run = [&](auto nT, auto mT) {
                 constexpr int N = decltype(nT)::value,
                               M = decltype(mT)::value;
                 withNv<4>(width, [&](auto nv) {
                   constexpr int NV = decltype(nv)::value;
                   constexpr int NV4 = NV > maxNvFor(4) ? maxNvFor(4) : NV;
                   int64_t r = r0;
                   for (; r + 4 <= r1; r += 4)
                     rowsNm<V, IB, N, M, 4, NV4>(
                         w.values, w.indices, r * perRow, groups, w.n, w.m,
                         panel, width, buf + (r - r0) * width);
                   for (; r < r1; ++r)
                     rowsNm<V, IB, N, M, 1, NV>(
                         w.values, w.indices, r * perRow, groups, w.n, w.m,
                         panel, width, buf + (r - r0) * width);
                 });
               };
               using I0 = std::integral_constant<int, 0>;
               if (w.n == 2 && w.m == 4)
                 run(std::integral_constant<int, 2>(),
                     std::integral_constant<int, 4>());
               else if (w.n == 4 && w.m == 8)
                 run(std::integral_constant<int, 4>(),
                     std::integral_constant<int, 8>());
               else
                 run(I0(), I0());
             });
}

/// Dense weight with values V (rows in register blocks of 4, 2 and 1).
template <ValueType V>
inline void spmmTyped(const DenseView &w, const float *x, int64_t T, float *y,
                      const Epilogue &ep = {}, const SpmmOptions &opt = {}) {
  using namespace detail;
  const int64_t R = w.rows, C = w.cols;
  std::vector<int64_t> work(static_cast<size_t>(R), C + kRowCost);
  runProduct(R, C, x, T, y, ep, opt, work, 1, kGroupRows,
             [&](int64_t r0, int64_t r1, int64_t, const float *panel,
                 int64_t width, float *buf) {
               auto rows = [&](auto sub, int64_t r) {
                 constexpr int SUB = decltype(sub)::value;
                 withNv<maxNvFor(SUB)>(width, [&](auto nv) {
                   denseRows<V, SUB, decltype(nv)::value>(
                       w.values, C, r, panel, width, buf + (r - r0) * width);
                 });
               };
               int64_t r = r0;
               for (; r + 4 <= r1; r += 4)
                 rows(std::integral_constant<int, 4>(), r);
               for (; r + 2 <= r1; r += 2)
                 rows(std::integral_constant<int, 2>(), r);
               for (; r < r1; ++r)
                 rows(std::integral_constant<int, 1>(), r);
             });
}

//===----------------------------------------------------------------------===//
// Dispatching entry points
//===----------------------------------------------------------------------===//

/// Dense weights: through w.prepared when the view carries one and it
/// takes the product (libsxf_rt: oneDNN), else the built-in kernel.
inline void spmm(const DenseView &w, const float *x, int64_t T, float *y,
                 const Epilogue &ep = {}, const SpmmOptions &opt = {}) {
  if (w.prepared && detail::preparedSpmm(w, x, T, y, ep, opt))
    return;
  switch (w.valueType) {
  case ValueType::F16:
    spmmTyped<ValueType::F16>(w, x, T, y, ep, opt);
    break;
  case ValueType::BF16:
    spmmTyped<ValueType::BF16>(w, x, T, y, ep, opt);
    break;
  default:
    spmmTyped<ValueType::F32>(w, x, T, y, ep, opt);
    break;
  }
}

namespace detail {
/// Calls spmmTyped<V, IB>(w, ...) (a dispatchValueIndex functor).
template <class View> struct SpmmCall {
  const View &w;
  const float *x;
  int64_t T;
  float *y;
  const Epilogue &ep;
  const SpmmOptions &opt;
  template <ValueType V, int IB> void operator()() const {
    spmmTyped<V, IB>(w, x, T, y, ep, opt);
  }
};

/// spmmTyped<V, IB>(w, ...) for w's value type and index width.
template <class View>
inline void dispatchSpmm(const View &w, unsigned indexBits, const float *x,
                         int64_t T, float *y, const Epilogue &ep,
                         const SpmmOptions &opt) {
  dispatchValueIndex(w.valueType, indexBits,
                     SpmmCall<View>{w, x, T, y, ep, opt});
}
} // namespace detail

inline void spmm(const CsrView &w, const float *x, int64_t T, float *y,
                 const Epilogue &ep = {}, const SpmmOptions &opt = {}) {
  detail::dispatchSpmm(w, w.indexBits, x, T, y, ep, opt);
}

inline void spmm(const BsrView &w, const float *x, int64_t T, float *y,
                 const Epilogue &ep = {}, const SpmmOptions &opt = {}) {
  detail::dispatchSpmm(w, w.indexBits, x, T, y, ep, opt);
}

inline void spmm(const EllView &w, const float *x, int64_t T, float *y,
                 const Epilogue &ep = {}, const SpmmOptions &opt = {}) {
  detail::dispatchSpmm(w, w.indexBits, x, T, y, ep, opt);
}

inline void spmm(const NmView &w, const float *x, int64_t T, float *y,
                 const Epilogue &ep = {}, const SpmmOptions &opt = {}) {
  // Packed 2- and 4-bit in-group indices, then the byte widths.
  auto packed = [&](auto bitsTag) {
    constexpr int B = decltype(bitsTag)::value;
    switch (w.valueType) {
    case ValueType::F16:
      spmmTyped<ValueType::F16, B>(w, x, T, y, ep, opt);
      break;
    case ValueType::BF16:
      spmmTyped<ValueType::BF16, B>(w, x, T, y, ep, opt);
      break;
    default:
      spmmTyped<ValueType::F32, B>(w, x, T, y, ep, opt);
      break;
    }
  };
  if (w.indexBits == 2)
    packed(std::integral_constant<int, 2>());
  else if (w.indexBits == 4)
    packed(std::integral_constant<int, 4>());
  else
    detail::dispatchSpmm(w, w.indexBits, x, T, y, ep, opt);
}

} // namespace sxf_rt

#endif // SXF_RT_SPMM_H
