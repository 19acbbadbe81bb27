//===- prepared.cpp - libsxf_rt: dense weights through oneDNN -------------===//
//
// Part of libsxf_rt (prepared.h declares what is here). A dense weight is
// reordered once into the layout oneDNN's fp32 matmul picks for it
// (format_tag::any); each product then runs a matmul primitive created for
// its token count, strides and thread count, cached in the handle. The
// epilogue is not oneDNN's: spmm(DenseView) applies sxf's (spmm.h).
//
//===----------------------------------------------------------------------===//

#include "sxf_rt/prepared.h"

#include <oneapi/dnnl/dnnl.hpp>

#ifdef _OPENMP
#include <omp.h>
#endif

#include <cstdlib>
#include <map>
#include <mutex>
#include <tuple>
#include <utility>
#include <vector>

namespace sxf_rt {
namespace {

using Dt = dnnl::memory::data_type;
using Tag = dnnl::memory::format_tag;
using Dims = dnnl::memory::dims;

/// The token count whose primitive chooses the weights' layout at
/// preparation. oneDNN 2.6 picks the same layout for every count from 1 to
/// 512 on the shapes of docs/codegen.md; a count whose primitive wants
/// another one is declined (PreparedDense::product).
constexpr int64_t kLayoutTokens = 128;

/// Multiply-adds (T·R·C) below which the built-in kernel is faster than
/// oneDNN's call overhead (measured on Zen 5, 2 threads: 36x60 weights up to
/// 32 tokens, about 2 µs, run 1.5x faster in the built-in kernel; from
/// 64x64 x 17 tokens on, oneDNN wins, up to 10x on one token).
constexpr int64_t kMinWork = 1 << 16;

/// oneDNN's CPU engine, created once.
const dnnl::engine &cpuEngine() {
  static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

/// Runs the scope with OpenMP's thread count set to `threads` on the
/// calling thread (oneDNN sizes its parallel regions from
/// omp_get_max_threads()), restored at the end.
class OmpThreads {
public:
  explicit OmpThreads(int threads) {
#ifdef _OPENMP
    saved = omp_get_max_threads();
    if (threads > 0 && threads != saved)
      omp_set_num_threads(threads);
#else
    (void)threads;
#endif
  }
  ~OmpThreads() {
#ifdef _OPENMP
    if (omp_get_max_threads() != saved)
      omp_set_num_threads(saved);
#endif
  }
  OmpThreads(const OmpThreads &) = delete;
  OmpThreads &operator=(const OmpThreads &) = delete;

private:
  int saved = 1;
};

/// x (T x C, row stride ld) or y (T x R), fp32.
dnnl::memory::desc rowsDesc(int64_t T, int64_t n, int64_t ld) {
  return dnnl::memory::desc(Dims{T, n}, Dt::f32, Dims{ld, 1});
}

/// The matmul y = x·Wᵀ: src x (T x C), weights Wᵀ (C x R) in `weights`
/// (a layout, or Tag::any), dst y (T x R).
dnnl::matmul::primitive_desc matmulDesc(int64_t T, int64_t R, int64_t C,
                                        int64_t ldx, int64_t ldy,
                                        const dnnl::memory::desc &weights) {
  return dnnl::matmul::primitive_desc(
      dnnl::matmul::desc(rowsDesc(T, C, ldx), weights, rowsDesc(T, R, ldy)),
      cpuEngine());
}

class OneDnnDense final : public PreparedDense {
public:
  OneDnnDense(int64_t rows, int64_t cols, dnnl::memory reordered)
      : R(rows), C(cols), weights(std::move(reordered)),
        layout(weights.get_desc()) {}

  bool product(const float *x, int64_t ldx, int64_t T, float *y, int64_t ldy,
               int threads) const override {
    if (T * R * C < kMinWork)
      return false;
    OmpThreads scope(threads);
    const dnnl::matmul *mm = primitive(Key{T, ldx, ldy, threads});
    if (!mm)
      return false;
    thread_local dnnl::stream stream(cpuEngine());
    dnnl::memory src(rowsDesc(T, C, ldx), cpuEngine(),
                     const_cast<float *>(x));
    dnnl::memory dst(rowsDesc(T, R, ldy), cpuEngine(), y);
    mm->execute(stream, {{DNNL_ARG_SRC, src},
                         {DNNL_ARG_WEIGHTS, weights},
                         {DNNL_ARG_DST, dst}});
    stream.wait();
    return true;
  }

private:
  using Key = std::tuple<int64_t, int64_t, int64_t, int>; // T, ldx, ldy, threads

  /// The primitive for `key`, created on first use (under the calling
  /// scope's thread count); nullptr when oneDNN cannot run the product on
  /// the prepared layout.
  const dnnl::matmul *primitive(const Key &key) const {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = primitives.find(key);
    if (it != primitives.end())
      return it->second.get();
    std::unique_ptr<dnnl::matmul> mm;
    try {
      auto [T, ldx, ldy, threads] = key;
      (void)threads;
      dnnl::matmul::primitive_desc pd = matmulDesc(T, R, C, ldx, ldy, layout);
      if (pd.weights_desc() == layout)
        mm = std::make_unique<dnnl::matmul>(pd);
    } catch (const dnnl::error &) {
      // No implementation for this product: the built-in kernel runs it.
    }
    return (primitives[key] = std::move(mm)).get();
  }

  int64_t R, C;
  dnnl::memory weights;
  dnnl::memory::desc layout;
  mutable std::mutex mutex;
  mutable std::map<Key, std::unique_ptr<dnnl::matmul>> primitives;
};

} // namespace

std::unique_ptr<PreparedDense> prepareDense(const DenseView &w,
                                            std::string *why) {
  auto decline = [&](const std::string &reason) {
    if (why)
      *why = reason;
    return std::unique_ptr<PreparedDense>();
  };
  if (const char *off = std::getenv("SXF_RT_NO_ONEDNN"); off && *off &&
                                                        std::string(off) != "0")
    return decline("SXF_RT_NO_ONEDNN is set");
  if (w.rows <= 0 || w.cols <= 0)
    return decline("the weight is empty");
  const int64_t R = w.rows, C = w.cols;
  // fp32 values of W (R x C row-major): the view's own, or widened once.
  std::vector<float> widened;
  const float *values = static_cast<const float *>(w.values);
  if (w.valueType != ValueType::F32) {
    widened.resize(size_t(R * C));
    toDense(w, widened.data());
    values = widened.data();
  }
  try {
    dnnl::matmul::primitive_desc pd =
        matmulDesc(kLayoutTokens, R, C, C, R,
                   dnnl::memory::desc(Dims{C, R}, Dt::f32, Tag::any));
    // Wᵀ (C x R) is W (R x C row-major) read as layout "ba".
    dnnl::memory user(dnnl::memory::desc(Dims{C, R}, Dt::f32, Tag::ba),
                      cpuEngine(), const_cast<float *>(values));
    dnnl::memory reordered(pd.weights_desc(), cpuEngine());
    dnnl::stream stream(cpuEngine());
    dnnl::reorder(user, reordered).execute(stream, user, reordered);
    stream.wait();
    return std::make_unique<OneDnnDense>(R, C, std::move(reordered));
  } catch (const dnnl::error &e) {
    return decline(std::string("oneDNN cannot run this weight: ") + e.what());
  }
}

} // namespace sxf_rt
