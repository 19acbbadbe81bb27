//===- sxf_rt/api.h - What generated programs include -----------*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime. The one header that C++ emitted by
// sxf-lower-to-emitc + sparse-translate --sxf-to-cpp includes: declarations
// of the calls it makes, whose definitions — and every kernel they reach —
// are compiled once into the shared library libsxf_rt (runtime/src/, built
// with the tools: -O3, OpenMP, -march=native unless SXF_RT_MARCH says
// otherwise). A generated program therefore compiles in about a second and
// links the library; it needs neither -fopenmp nor -march:
//
//   c++ -std=c++17 -O2 model.cpp -I <sxf>/runtime/include
//       -L <libdir> -lsxf_rt -Wl,-rpath,<libdir> -o model
//
// (<libdir>: build/lib of a build tree, lib/ of an installation.) The ABI of
// sxf_forward and the meaning of every argument are in model.h and
// docs/codegen.md; runMain (harness.h) is the program's whole `main`.
// Only the standard headers <cstdint> and <cstring> come with this file.
//
// Code that wants the kernels themselves (tests, benchmarks, the compiler)
// includes the header-only kernel headers (sxf_rt.h) instead.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_API_H
#define SXF_RT_API_H

#include <cstdint>
#include <cstring>

#if defined(__GNUC__)
#define SXF_RT_API __attribute__((visibility("default")))
#else
#define SXF_RT_API
#endif

namespace sxf_rt {

/// The loaded weights container (model.h); opaque to generated code.
class Model;

/// The generated forward function: model, inputs, outputs, workspace (as
/// many floats as the spec's workspace item resolves to) and the dims of
/// every input (flattened in input order).
using ForwardFn = void (*)(const Model *, void *const *, void *const *,
                           float *, const int64_t *);

//===----------------------------------------------------------------------===//
// Addressing (inline: pointer arithmetic in sxf_forward's prologue)
//===----------------------------------------------------------------------===//

/// dims[k]: one runtime size of an input (see the ABI in model.h).
inline int64_t dim(const int64_t *dims, int64_t k) { return dims[k]; }
inline float *at(float *workspace, int64_t offset) {
  return workspace + offset;
}
inline float *inputF32(void *const *inputs, int64_t i) {
  return static_cast<float *>(inputs[i]);
}
inline int64_t *inputIds(void *const *inputs, int64_t i) {
  return static_cast<int64_t *>(inputs[i]);
}
inline float *outputF32(void *const *outputs, int64_t i) {
  return static_cast<float *>(outputs[i]);
}
inline void copy(const float *x, int64_t n, float *y) {
  std::memcpy(y, x, size_t(n) * sizeof(float));
}

//===----------------------------------------------------------------------===//
// The ops (libsxf_rt, runtime/src/model.cpp)
//===----------------------------------------------------------------------===//

/// y = norm(act(x·Wᵀ + bias) + residual) for the weight `w` in its storage
/// format; `bias`, `residual` and `gamma`/`beta` (the layer-norm epilogue)
/// may be null; `act` is an sxf_rt::Activation.
SXF_RT_API void linear(const Model *m, const char *w, const float *x,
                       int64_t T, float *y, const char *bias, int64_t act,
                       const float *residual, const char *gamma,
                       const char *beta, float eps);
SXF_RT_API void layerNorm(const Model *m, const char *gamma, const char *beta,
                          const float *x, int64_t T, int64_t N, float *y,
                          float eps);
SXF_RT_API void rmsNorm(const Model *m, const char *gamma, const float *x,
                        int64_t T, int64_t N, float *y, float eps);
SXF_RT_API void softmax(const Model *m, const float *x, int64_t T, int64_t N,
                        float *y);
SXF_RT_API void activation(const Model *m, const float *x, int64_t n,
                           int64_t act, float *y);
SXF_RT_API void add(const Model *m, const float *a, int64_t n, const float *b,
                    int64_t nb, float *y);
SXF_RT_API void split(const Model *m, const float *x, int64_t T, int64_t N,
                      int64_t offset, int64_t width, float *y);
SXF_RT_API void embedding(const Model *m, const char *table,
                          const char *positions, const int64_t *ids,
                          int64_t B, int64_t S, float *y);
/// The embedding of a decode step: positions from row `offset` on.
SXF_RT_API void embedding_at(const Model *m, const char *table,
                             const char *positions, const int64_t *ids,
                             int64_t B, int64_t S, int64_t offset, float *y);
/// sxf.kv_append: y [B, P + N, D] = each batch's P cached rows, then its N
/// new rows.
SXF_RT_API void kv_append(const Model *m, const float *cache,
                          const float *update, int64_t B, int64_t P,
                          int64_t N, int64_t D, float *y);
/// `keep`: one '0'/'1' per head ('0': pruned), or null (all kept).
SXF_RT_API void attention(const Model *m, const float *q, const float *k,
                          const float *v, int64_t B, int64_t Sq, int64_t Sk,
                          int64_t H, int64_t hd, int64_t causal,
                          const char *keep, float *y);

//===----------------------------------------------------------------------===//
// The program (libsxf_rt, runtime/src/harness.cpp)
//===----------------------------------------------------------------------===//

/// The whole `main` of a generated program: sparse-run's options, the spec
/// that sxf-lower-to-emitc baked in, the container embedded in the program
/// (`embedded`, or null). See harness.h.
SXF_RT_API int runMain(int argc, char **argv, ForwardFn forward,
                       const char *specText, const unsigned char *embedded,
                       int64_t embeddedSize);

} // namespace sxf_rt

#endif // SXF_RT_API_H
