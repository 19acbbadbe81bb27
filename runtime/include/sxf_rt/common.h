//===- sxf_rt/common.h - Vectors, math, threads, workspace ------*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime (header-only, C++17; standard library
// and, when compiled with -fopenmp, OpenMP). Shared by spmm.h and ops.h;
// generated code normally needs only `Activation` and `Workspace` from here.
//
// Offers
//   Activation, activate, fastExp, ...            from sxf_rt/activation.h
//   applyActivation(a, float *v, n)               in place, vectorisable
//   Workspace                                     reusable 64-byte aligned
//                                                scratch memory
//   maxThreads(), parallelFor...                  OpenMP helpers that degrade
//                                                to serial loops without it
//   simd::VF, simd::load/store/splat/fma          the vector type of the kernels
//
// Vectors: GCC/clang vector extensions of kLanes floats (16 with AVX-512F, 8
// with AVX, else 4), FMA through intrinsics when the target has it; other
// compilers (or -DSXF_RT_NO_VECTOR_EXTENSIONS) get a portable scalar struct
// with the same interface.
//
// Accuracy: the activations here work in float (the interpreter computes
// them in double from the float pre-activation); their relative error is a
// few ulp, far inside the runtime's 1e-5 contract (runtime/test checks them
// against double references on dense grids).
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_COMMON_H
#define SXF_RT_COMMON_H

#include "sxf_rt/activation.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

#if defined(__AVX512F__) || defined(__AVX__) || defined(__FMA__) ||            \
    defined(__F16C__)
#include <immintrin.h>
#endif

#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__)
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "sxf_rt reads little-endian weight arrays in place: it needs a "
              "little-endian host");
#endif

namespace sxf_rt {

//===----------------------------------------------------------------------===//
// Vectors
//===----------------------------------------------------------------------===//

namespace simd {

#if defined(__AVX512F__)
inline constexpr int kLanes = 16;
#elif defined(__AVX__)
inline constexpr int kLanes = 8;
#else
inline constexpr int kLanes = 4;
#endif

#if (defined(__GNUC__) || defined(__clang__)) &&                               \
    !defined(SXF_RT_NO_VECTOR_EXTENSIONS)
#define SXF_RT_VECTOR_EXTENSIONS 1
/// kLanes floats; may alias float arrays (loads below need 64-byte aligned
/// addresses only through `load`, never through `loadu`).
typedef float VF __attribute__((vector_size(kLanes * sizeof(float)),
                                __may_alias__));
typedef float VFu __attribute__((vector_size(kLanes * sizeof(float)),
                                 __may_alias__, aligned(4)));

inline VF load(const float *p) { return *reinterpret_cast<const VF *>(p); }
inline VF loadu(const float *p) { return *reinterpret_cast<const VFu *>(p); }
inline void store(float *p, VF v) { *reinterpret_cast<VF *>(p) = v; }
inline void storeu(float *p, VF v) { *reinterpret_cast<VFu *>(p) = v; }
inline VF zero() { return VF{}; }
inline VF splat(float s) {
#if defined(__AVX512F__)
  return _mm512_set1_ps(s);
#elif defined(__AVX__)
  return _mm256_set1_ps(s);
#else
  VF v;
  for (int i = 0; i < kLanes; ++i)
    v[i] = s;
  return v;
#endif
}
/// a * b + c, fused when the target has FMA.
inline VF fma(VF a, VF b, VF c) {
#if defined(__AVX512F__)
  return _mm512_fmadd_ps(a, b, c);
#elif defined(__AVX__) && defined(__FMA__)
  return _mm256_fmadd_ps(a, b, c);
#else
  return a * b + c;
#endif
}
#else
/// Portable fallback: a plain array with element-wise operators.
struct VF {
  float v[kLanes];
  float &operator[](int i) { return v[i]; }
  float operator[](int i) const { return v[i]; }
  friend VF operator+(VF a, VF b) {
    for (int i = 0; i < kLanes; ++i)
      a.v[i] += b.v[i];
    return a;
  }
  friend VF operator*(VF a, VF b) {
    for (int i = 0; i < kLanes; ++i)
      a.v[i] *= b.v[i];
    return a;
  }
  VF &operator+=(VF b) { return *this = *this + b; }
};
inline VF load(const float *p) {
  VF r;
  std::memcpy(r.v, p, sizeof r.v);
  return r;
}
inline VF loadu(const float *p) { return load(p); }
inline void store(float *p, VF v) { std::memcpy(p, v.v, sizeof v.v); }
inline void storeu(float *p, VF v) { store(p, v); }
inline VF zero() { return VF{}; }
inline VF splat(float s) {
  VF r;
  for (int i = 0; i < kLanes; ++i)
    r.v[i] = s;
  return r;
}
inline VF fma(VF a, VF b, VF c) {
  for (int i = 0; i < kLanes; ++i)
    c.v[i] = a.v[i] * b.v[i] + c.v[i];
  return c;
}
#endif

/// Transposes a kLanes x kLanes tile in registers: out[j][i] = in[i][j],
/// where in[i] is the vector at src + i·lds (any alignment). Written with
/// __builtin_shufflevector (the compiler picks unpack / shuffle / permute
/// instructions); scalar without vector extensions.
inline void transposeTile(const float *src, int64_t lds, VF out[kLanes]) {
#if defined(SXF_RT_VECTOR_EXTENSIONS) && (defined(__clang__) || __GNUC__ >= 12)
  VF a[kLanes], t[kLanes], u[kLanes];
  for (int i = 0; i < kLanes; ++i)
    a[i] = loadu(src + i * lds);
#if defined(__AVX512F__)
  // 16 x 16: interleave pairs of rows, then pairs of pairs, within 128-bit
  // lanes: u[4i + j] holds, in lane L, column 4L + j of rows 4i .. 4i + 3.
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = __builtin_shufflevector(a[2 * i], a[2 * i + 1], 0, 16, 1, 17, 4,
                                       20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29);
    t[2 * i + 1] =
        __builtin_shufflevector(a[2 * i], a[2 * i + 1], 2, 18, 3, 19, 6, 22, 7,
                                23, 10, 26, 11, 27, 14, 30, 15, 31);
  }
  for (int i = 0; i < 4; ++i)
    for (int h = 0; h < 2; ++h) {
      VF p = t[4 * i + h], q = t[4 * i + 2 + h];
      u[4 * i + 2 * h] = __builtin_shufflevector(
          p, q, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
      u[4 * i + 2 * h + 1] = __builtin_shufflevector(
          p, q, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
    }
  // Output row 4L + j = lane L of u[j], u[4 + j], u[8 + j], u[12 + j].
  for (int j = 0; j < 4; ++j) {
    VF v0 = __builtin_shufflevector(u[j], u[4 + j], 0, 1, 2, 3, 4, 5, 6, 7, 16,
                                    17, 18, 19, 20, 21, 22, 23);
    VF v1 = __builtin_shufflevector(u[j], u[4 + j], 8, 9, 10, 11, 12, 13, 14,
                                    15, 24, 25, 26, 27, 28, 29, 30, 31);
    VF v2 = __builtin_shufflevector(u[8 + j], u[12 + j], 0, 1, 2, 3, 4, 5, 6,
                                    7, 16, 17, 18, 19, 20, 21, 22, 23);
    VF v3 = __builtin_shufflevector(u[8 + j], u[12 + j], 8, 9, 10, 11, 12, 13,
                                    14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
    out[j] = __builtin_shufflevector(v0, v2, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17,
                                     18, 19, 24, 25, 26, 27);
    out[4 + j] = __builtin_shufflevector(v0, v2, 4, 5, 6, 7, 12, 13, 14, 15,
                                         20, 21, 22, 23, 28, 29, 30, 31);
    out[8 + j] = __builtin_shufflevector(v1, v3, 0, 1, 2, 3, 8, 9, 10, 11, 16,
                                         17, 18, 19, 24, 25, 26, 27);
    out[12 + j] = __builtin_shufflevector(v1, v3, 4, 5, 6, 7, 12, 13, 14, 15,
                                          20, 21, 22, 23, 28, 29, 30, 31);
  }
#elif defined(__AVX__)
  // 8 x 8: the same steps with two 128-bit lanes.
  for (int i = 0; i < 4; ++i) {
    t[2 * i] = __builtin_shufflevector(a[2 * i], a[2 * i + 1], 0, 8, 1, 9, 4,
                                       12, 5, 13);
    t[2 * i + 1] = __builtin_shufflevector(a[2 * i], a[2 * i + 1], 2, 10, 3,
                                           11, 6, 14, 7, 15);
  }
  for (int i = 0; i < 2; ++i)
    for (int h = 0; h < 2; ++h) {
      VF p = t[4 * i + h], q = t[4 * i + 2 + h];
      u[4 * i + 2 * h] =
          __builtin_shufflevector(p, q, 0, 1, 8, 9, 4, 5, 12, 13);
      u[4 * i + 2 * h + 1] =
          __builtin_shufflevector(p, q, 2, 3, 10, 11, 6, 7, 14, 15);
    }
  for (int j = 0; j < 4; ++j) {
    out[j] = __builtin_shufflevector(u[j], u[4 + j], 0, 1, 2, 3, 8, 9, 10, 11);
    out[4 + j] =
        __builtin_shufflevector(u[j], u[4 + j], 4, 5, 6, 7, 12, 13, 14, 15);
  }
#else
  // 4 x 4 (SSE): one 128-bit lane.
  for (int i = 0; i < 2; ++i) {
    t[2 * i] = __builtin_shufflevector(a[2 * i], a[2 * i + 1], 0, 4, 1, 5);
    t[2 * i + 1] = __builtin_shufflevector(a[2 * i], a[2 * i + 1], 2, 6, 3, 7);
  }
  out[0] = __builtin_shufflevector(t[0], t[2], 0, 1, 4, 5);
  out[1] = __builtin_shufflevector(t[0], t[2], 2, 3, 6, 7);
  out[2] = __builtin_shufflevector(t[1], t[3], 0, 1, 4, 5);
  out[3] = __builtin_shufflevector(t[1], t[3], 2, 3, 6, 7);
  (void)u;
#endif
#else
  for (int j = 0; j < kLanes; ++j)
    for (int i = 0; i < kLanes; ++i)
      out[j][i] = src[i * lds + j];
#endif
}

} // namespace simd

// `#pragma omp simd` (with a reduction) when compiled with OpenMP.
#define SXF_RT_PRAGMA(x) _Pragma(#x)
// Full unrolling of the short constant loops over register arrays (rows,
// token vectors) so that the arrays stay in registers.
#if defined(__GNUC__) || defined(__clang__)
#define SXF_RT_UNROLL SXF_RT_PRAGMA(GCC unroll 16)
#else
#define SXF_RT_UNROLL
#endif
#if defined(_OPENMP)
#define SXF_RT_SIMD SXF_RT_PRAGMA(omp simd)
#define SXF_RT_PRAGMA_SIMD_REDUCTION(r) SXF_RT_PRAGMA(omp simd reduction(r))
#else
#define SXF_RT_SIMD
#define SXF_RT_PRAGMA_SIMD_REDUCTION(r)
#endif

// Bit casts, fastExp/fastErfc, the Activation enum and activate(): in
// sxf_rt/activation.h (included above), with the reference formulas.

namespace detail {
/// v[i] = act(v[i] + bias(i)) for i < n, one vectorised loop per activation.
template <class Bias>
inline void biasActivateWith(Activation a, Bias bias, float *v, int64_t n) {
  auto map = [&](auto f) {
    SXF_RT_SIMD
    for (int64_t i = 0; i < n; ++i)
      v[i] = f(v[i] + bias(i));
  };
  switch (a) {
  case Activation::None:
    map([](float x) { return x; });
    break;
  case Activation::Relu:
    map([](float x) { return x < 0.0f ? 0.0f : x; });
    break;
  case Activation::Gelu:
    map([](float x) { return gelu(x); });
    break;
  case Activation::GeluTanh:
    map([](float x) { return geluTanh(x); });
    break;
  case Activation::Silu:
    map([](float x) { return silu(x); });
    break;
  }
}
} // namespace detail

/// v[i] = act(v[i] + bias) for i < n (vectorised per activation).
inline void biasActivate(Activation a, float bias, float *v, int64_t n) {
  detail::biasActivateWith(a, [bias](int64_t) { return bias; }, v, n);
}

/// v[i] = act(v[i] + bias[i]) for i < n: a row of y = x·Wᵀ with its bias
/// vector (bias may be null: none).
inline void biasActivate(Activation a, const float *bias, float *v,
                         int64_t n) {
  if (bias)
    detail::biasActivateWith(a, [bias](int64_t i) { return bias[i]; }, v, n);
  else
    biasActivate(a, 0.0f, v, n);
}

/// v[i] = act(v[i]) for i < n.
inline void applyActivation(Activation a, float *v, int64_t n) {
  if (a != Activation::None)
    biasActivate(a, 0.0f, v, n);
}

//===----------------------------------------------------------------------===//
// Threads
//===----------------------------------------------------------------------===//

/// Threads a kernel uses when its options say 0: OpenMP's current maximum
/// (OMP_NUM_THREADS), 1 without OpenMP.
inline int maxThreads() {
#ifdef _OPENMP
  return omp_get_max_threads();
#else
  return 1;
#endif
}

/// Runs f(thread, numThreads) on `threads` threads (an OpenMP parallel
/// region; f may call barrier(numThreads)). Without OpenMP, with threads <=
/// 1, or when already inside a parallel region, runs f(0, 1) on the caller.
template <class F> inline void parallelRegion(int threads, F &&f) {
#ifdef _OPENMP
  if (threads > 1 && !omp_in_parallel()) {
#pragma omp parallel num_threads(threads)
    f(omp_get_thread_num(), omp_get_num_threads());
    return;
  }
#endif
  (void)threads;
  f(0, 1);
}

/// A barrier of the enclosing parallelRegion; numThreads is the count that
/// region passed to f (no-op when 1, i.e. when the region ran serially).
inline void barrier(int numThreads) {
#ifdef _OPENMP
  if (numThreads > 1) {
#pragma omp barrier
  }
#else
  (void)numThreads;
#endif
}

/// Static block split of [0, n) over `parts`: the range of part p.
inline void blockRange(int64_t n, int64_t parts, int64_t p, int64_t &begin,
                       int64_t &end) {
  int64_t q = n / parts, rem = n % parts;
  begin = p * q + std::min(p, rem);
  end = begin + q + (p < rem ? 1 : 0);
}

//===----------------------------------------------------------------------===//
// Workspace
//===----------------------------------------------------------------------===//

/// Reusable scratch memory for the kernels: numbered slots of 64-byte
/// aligned float arrays that only grow (slot numbers: see WorkspaceSlot). A
/// Workspace is not thread-safe: use one per concurrent caller (the
/// kernels' default is one per calling thread). Kernels size every slot
/// they use before their parallel region.
class Workspace {
public:
  Workspace() = default;
  Workspace(const Workspace &) = delete;
  Workspace &operator=(const Workspace &) = delete;

  /// Slot `slot` with room for at least n floats (contents unspecified).
  /// Growing one slot never moves another.
  float *floats(size_t slot, size_t n) {
    Slot &s = slots[slot];
    if (s.capacity < n || !s.data) {
      size_t cap = std::max<size_t>(n, 16);
      s.data.reset(static_cast<float *>(
          ::operator new(cap * sizeof(float), std::align_val_t(64))));
      s.capacity = cap;
    }
    return s.data.get();
  }

  /// Bytes currently held.
  size_t bytes() const {
    size_t b = 0;
    for (const auto &s : slots)
      b += s.second.capacity * sizeof(float);
    return b;
  }

  /// Frees everything.
  void release() { slots.clear(); }

  /// The calling thread's default workspace.
  static Workspace &threadDefault() {
    static thread_local Workspace ws;
    return ws;
  }

private:
  struct Free {
    void operator()(float *p) const {
      ::operator delete(p, std::align_val_t(64));
    }
  };
  struct Slot {
    std::unique_ptr<float, Free> data;
    size_t capacity = 0;
  };
  std::map<size_t, Slot> slots;
};

/// Slot numbers of the kernels that share a Workspace (disjoint, so that
/// one op can call another: matmul runs spmm).
struct WorkspaceSlot {
  static constexpr size_t kPanels = 0;        // spmm: token panels
  static constexpr size_t kRowBuffers = 1;    // spmm: 1 + thread
  static constexpr size_t kMatmulA = 1 << 20; // matmul: op(a)
  static constexpr size_t kMatmulB = kMatmulA + 1;
  static constexpr size_t kAttention = 2 << 20; // attention: + thread
  static constexpr size_t kResidualCopy = 3 << 20; // spmm: prepared dense
};

} // namespace sxf_rt

#endif // SXF_RT_COMMON_H
