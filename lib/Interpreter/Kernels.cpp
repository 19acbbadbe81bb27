//===- Kernels.cpp - Reference fp32 kernels for transformer ops -----------===//
//
// The numerical ground truth of sxf. Every kernel is a plain loop nest over
// row-major data that accumulates in double and rounds to float once, when
// the result element is stored (linear also rounds its pre-activation, as
// `activate` works on floats). Shapes and data sizes are validated up front
// and every mismatch is returned as an llvm::Error that names the shapes.
//
//===----------------------------------------------------------------------===//

#include "sxf/Interpreter/Kernels.h"

#include "KernelSupport.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

using namespace sxf;
using namespace sxf::ref;
using namespace sxf::ref::detail;

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

float sxf::ref::activate(Activation a, float x) {
  return sxf_rt::referenceActivate(a, x);
}

namespace sxf {
namespace ref {

template <class T>
BasicTensor<T> activation(const BasicTensor<T> &x, Activation a) {
  // y[i] = act(x[i]) for every element.
  BasicTensor<T> y = x;
  for (T &e : y.data)
    e = static_cast<T>(sxf_rt::referenceActivate(a, static_cast<double>(e)));
  return y;
}

//===----------------------------------------------------------------------===//
// Linear and matmul
//===----------------------------------------------------------------------===//

template <class T>
llvm::Expected<BasicTensor<T>> linear(const BasicTensor<T> &x, const BasicTensor<T> &w,
                                        Opt<T> b, Activation act) {
  // y[r, o] = act(Σ_i x[r, i]·w[o, i] + b[o]) where r runs over all leading
  // positions of x (x viewed as [R, I]).
  if (llvm::Error e = checkData("linear", "input", x))
    return e;
  if (llvm::Error e = checkData("linear", "weight", w))
    return e;
  if (x.rank() < 1)
    return error("linear: input must have rank >= 1 (input " + str(x.shape) +
                 ")");
  if (w.rank() != 2)
    return error("linear: weight must be 2-D [out, in] (weight " +
                 str(w.shape) + ")");
  int64_t in = x.dim(-1), out = w.dim(0);
  if (w.dim(1) != in)
    return error("linear: input last dim " + str(in) +
                 " does not match weight in-features " + str(w.dim(1)) +
                 " (weight " + str(w.shape) + ")");
  if (b) {
    if (llvm::Error e = checkData("linear", "bias", *b))
      return e;
    if (b->rank() != 1 || b->dim(0) != out)
      return error("linear: bias shape " + str(b->shape) +
                   " does not match weight out-features " + str(out) +
                   " (weight " + str(w.shape) + ")");
  }

  std::vector<int64_t> shape(x.shape.begin(), x.shape.end() - 1);
  int64_t rows = shapeNumElements(shape);
  shape.push_back(out);
  if (llvm::Error e = checkResult("linear", shape))
    return e;
  BasicTensor<T> y(shape);
  if (y.numel() == 0)
    return y;
  for (int64_t r = 0; r < rows; ++r) {
    const T *xr = x.data.data() + r * in;
    for (int64_t o = 0; o < out; ++o) {
      double acc = dot(xr, w.data.data() + o * in, in);
      if (b)
        acc += b->data[o];
      y.data[r * out + o] = static_cast<T>(sxf_rt::referenceActivate(
          act, static_cast<double>(static_cast<T>(acc))));
    }
  }
  return y;
}

template <class T>
llvm::Expected<BasicTensor<T>> matmul(const BasicTensor<T> &a, const BasicTensor<T> &b,
                                        bool transA, bool transB, float scale) {
  // y[n, m, p] = scale · Σ_k op(a)[n, m, k] · op(b)[n, k, p], n over the
  // batch dims; op(t)[i, j] = t[j, i] when its transpose flag is set.
  if (llvm::Error e = checkData("matmul", "lhs", a))
    return e;
  if (llvm::Error e = checkData("matmul", "rhs", b))
    return e;
  std::string shapes = " (lhs " + str(a.shape) + ", rhs " + str(b.shape) + ")";
  if (a.rank() < 2 || b.rank() < 2)
    return error("matmul: operands must have rank >= 2" + shapes);
  if (a.rank() != b.rank())
    return error("matmul: operand ranks differ" + shapes);
  size_t batchRank = a.shape.size() - 2;
  for (size_t d = 0; d < batchRank; ++d)
    if (a.shape[d] != b.shape[d])
      return error("matmul: batch dims differ" + shapes);
  int64_t m = transA ? a.dim(-1) : a.dim(-2);
  int64_t kA = transA ? a.dim(-2) : a.dim(-1);
  int64_t kB = transB ? b.dim(-1) : b.dim(-2);
  int64_t p = transB ? b.dim(-2) : b.dim(-1);
  if (kA != kB)
    return error("matmul: contraction dims differ: op(lhs) is " + str(m) + "x" +
                 str(kA) + ", op(rhs) is " + str(kB) + "x" + str(p) + shapes);
  int64_t k = kA;

  std::vector<int64_t> shape(a.shape.begin(), a.shape.begin() + batchRank);
  int64_t batch = shapeNumElements(shape);
  shape.push_back(m);
  shape.push_back(p);
  if (llvm::Error e = checkResult("matmul", shape))
    return e;
  BasicTensor<T> y(shape);
  if (y.numel() == 0)
    return y;
  // Per batch, materialise op(a) as [m, k] and op(b)ᵀ as [p, k] so that every
  // output element is a contiguous dot product, whatever the flags.
  std::vector<T> lhs(m * k), rhsT(p * k);
  for (int64_t n = 0; n < batch; ++n) {
    const T *an = a.data.data() + n * m * k;
    const T *bn = b.data.data() + n * k * p;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < k; ++j)
        lhs[i * k + j] = transA ? an[j * m + i] : an[i * k + j];
    for (int64_t i = 0; i < p; ++i)
      for (int64_t j = 0; j < k; ++j)
        rhsT[i * k + j] = transB ? bn[i * k + j] : bn[j * p + i];
    T *yn = y.data.data() + n * m * p;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < p; ++j)
        yn[i * p + j] =
            static_cast<T>(static_cast<double>(scale) *
                               dot(lhs.data() + i * k, rhsT.data() + j * k, k));
  }
  return y;
}

//===----------------------------------------------------------------------===//
// Softmax and normalisation
//===----------------------------------------------------------------------===//

template <class T>
llvm::Expected<BasicTensor<T>> softmax(const BasicTensor<T> &x, int64_t axis) {
  // y[.., j, ..] = e^(x[.., j, ..] − m) / Σ_k e^(x[.., k, ..] − m) along
  // `axis`, with m = max_k x[.., k, ..].
  if (llvm::Error e = checkData("softmax", "input", x))
    return e;
  int64_t rank = x.rank();
  if (axis < -rank || axis >= rank)
    return error("softmax: axis " + str(axis) + " is out of range for rank " +
                 str(rank) + " (input " + str(x.shape) + ")");
  size_t ax = static_cast<size_t>(axis < 0 ? axis + rank : axis);
  BasicTensor<T> y(x.shape);
  if (y.numel() == 0)
    return y;
  int64_t outer = product(x.shape, 0, ax);
  int64_t len = x.shape[ax];
  int64_t inner = product(x.shape, ax + 1, x.shape.size());
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t in = 0; in < inner; ++in) {
      auto at = [&](int64_t j) { return (o * len + j) * inner + in; };
      double mx = -std::numeric_limits<double>::infinity();
      for (int64_t j = 0; j < len; ++j)
        mx = std::max(mx, static_cast<double>(x.data[at(j)]));
      double sum = 0;
      for (int64_t j = 0; j < len; ++j)
        sum += std::exp(x.data[at(j)] - mx);
      for (int64_t j = 0; j < len; ++j)
        y.data[at(j)] = static_cast<T>(std::exp(x.data[at(j)] - mx) / sum);
    }
  }
  return y;
}

/// Shared validation of a [H] parameter of a last-dim normalisation.
template <class T>
static llvm::Error checkNormParam(const char *op, const char *what,
                                  const BasicTensor<T> &x,
                                  const BasicTensor<T> &param) {
  if (llvm::Error e = checkData(op, what, param))
    return e;
  if (param.rank() != 1 || param.dim(0) != x.dim(-1))
    return error(llvm::Twine(op) + ": " + what + " shape " + str(param.shape) +
                 " does not match input last dim " + str(x.dim(-1)) +
                 " (input " + str(x.shape) + ")");
  return llvm::Error::success();
}

template <class T>
llvm::Expected<BasicTensor<T>> layerNorm(const BasicTensor<T> &x, const BasicTensor<T> &gamma,
                                           const BasicTensor<T> &beta, float eps) {
  // Per row r over the last dim (H elements):
  //   μ = Σ_i x[i] / H,  σ² = Σ_i (x[i] − μ)² / H  (biased),
  //   y[i] = (x[i] − μ) / √(σ² + eps) · gamma[i] + beta[i].
  if (llvm::Error e = checkData("layer_norm", "input", x))
    return e;
  if (x.rank() < 1)
    return error("layer_norm: input must have rank >= 1 (input " +
                 str(x.shape) + ")");
  if (llvm::Error e = checkNormParam("layer_norm", "gamma", x, gamma))
    return e;
  if (llvm::Error e = checkNormParam("layer_norm", "beta", x, beta))
    return e;

  int64_t h = x.dim(-1);
  BasicTensor<T> y(x.shape);
  if (y.numel() == 0)
    return y;
  int64_t rows = product(x.shape, 0, x.shape.size() - 1);
  for (int64_t r = 0; r < rows; ++r) {
    const T *xr = x.data.data() + r * h;
    double mean = 0;
    for (int64_t i = 0; i < h; ++i)
      mean += xr[i];
    mean /= h;
    double var = 0;
    for (int64_t i = 0; i < h; ++i)
      var += (xr[i] - mean) * (xr[i] - mean);
    var /= h;
    double inv = 1.0 / std::sqrt(var + static_cast<double>(eps));
    for (int64_t i = 0; i < h; ++i)
      y.data[r * h + i] = static_cast<T>(
          (xr[i] - mean) * inv * gamma.data[i] + beta.data[i]);
  }
  return y;
}

template <class T>
llvm::Expected<BasicTensor<T>> rmsNorm(const BasicTensor<T> &x, const BasicTensor<T> &gamma,
                                         float eps) {
  // Per row over the last dim (H elements):
  //   y[i] = x[i] / √(Σ_j x[j]² / H + eps) · gamma[i].
  if (llvm::Error e = checkData("rms_norm", "input", x))
    return e;
  if (x.rank() < 1)
    return error("rms_norm: input must have rank >= 1 (input " + str(x.shape) +
                 ")");
  if (llvm::Error e = checkNormParam("rms_norm", "gamma", x, gamma))
    return e;

  int64_t h = x.dim(-1);
  BasicTensor<T> y(x.shape);
  if (y.numel() == 0)
    return y;
  int64_t rows = product(x.shape, 0, x.shape.size() - 1);
  for (int64_t r = 0; r < rows; ++r) {
    const T *xr = x.data.data() + r * h;
    double meanSq = 0;
    for (int64_t i = 0; i < h; ++i)
      meanSq += static_cast<double>(xr[i]) * xr[i];
    meanSq /= h;
    double inv = 1.0 / std::sqrt(meanSq + static_cast<double>(eps));
    for (int64_t i = 0; i < h; ++i)
      y.data[r * h + i] = static_cast<T>(xr[i] * inv * gamma.data[i]);
  }
  return y;
}

//===----------------------------------------------------------------------===//
// Add and embedding
//===----------------------------------------------------------------------===//

template <class T>
llvm::Expected<BasicTensor<T>> add(const BasicTensor<T> &a, const BasicTensor<T> &b) {
  // y[i] = a[i] + b[i mod numel(b)]: b equals a's shape or a suffix of it and
  // repeats over a's leading dims.
  if (llvm::Error e = checkData("add", "lhs", a))
    return e;
  if (llvm::Error e = checkData("add", "rhs", b))
    return e;
  bool suffix =
      b.rank() <= a.rank() &&
      std::equal(b.shape.begin(), b.shape.end(), a.shape.end() - b.rank());
  if (!suffix)
    return error("add: rhs shape " + str(b.shape) +
                 " is neither the lhs shape " + str(a.shape) +
                 " nor a suffix of it");
  BasicTensor<T> y(a.shape);
  int64_t nb = b.numel();
  if (nb == 0)
    return y; // a has a zero extent too, so it is empty.
  for (int64_t i = 0; i < a.numel(); ++i)
    y.data[i] = a.data[i] + b.data[i % nb];
  return y;
}

template <class T>
llvm::Expected<BasicTensor<T>> embedding(const IntTensor &ids,
                                           const BasicTensor<T> &table,
                                           Opt<T> positions,
                                           int64_t positionOffset) {
  // y[.., s, :] = table[ids[.., s], :] (+ positions[s, :]), s the position in
  // the last dim of ids.
  if (llvm::Error e = checkData("embedding", "ids", ids))
    return e;
  if (llvm::Error e = checkData("embedding", "table", table))
    return e;
  if (ids.shape.empty())
    return error("embedding: ids must have rank >= 1 (ids " + str(ids.shape) +
                 ")");
  if (table.rank() != 2)
    return error("embedding: table must be 2-D [vocab, hidden] (table " +
                 str(table.shape) + ")");
  int64_t vocab = table.dim(0), hidden = table.dim(1);
  int64_t seq = ids.shape.back();
  if (positions) {
    if (llvm::Error e = checkData("embedding", "positions", *positions))
      return e;
    if (positions->rank() != 2 || positions->dim(1) != hidden)
      return error("embedding: positions shape " + str(positions->shape) +
                   " is not [max_seq, " + str(hidden) + "] (table " +
                   str(table.shape) + ")");
    if (positionOffset < 0)
      return error("embedding: position offset " + str(positionOffset) +
                   " is negative");
    if (positions->dim(0) - positionOffset < seq)
      return error("embedding: positions table has " + str(positions->dim(0)) +
                   " rows but " +
                   (positionOffset ? "position offset " + str(positionOffset) +
                                         " + the sequence length " + str(seq) +
                                         " are needed"
                                   : "the sequence length is " + str(seq)) +
                   " (positions " + str(positions->shape) + ", ids " +
                   str(ids.shape) + ")");
  } else if (positionOffset != 0) {
    return error("embedding: position offset " + str(positionOffset) +
                 " without a positions table");
  }
  for (int64_t t = 0; t < ids.numel(); ++t)
    if (ids.data[t] < 0 || ids.data[t] >= vocab)
      return error("embedding: id " + str(ids.data[t]) + " at position " +
                   indexToString(ids.shape, t) + " is out of range [0, " +
                   str(vocab) + ") (table " + str(table.shape) + ")");

  std::vector<int64_t> shape = ids.shape;
  shape.push_back(hidden);
  if (llvm::Error e = checkResult("embedding", shape))
    return e;
  BasicTensor<T> y(shape);
  for (int64_t t = 0; t < ids.numel(); ++t) {
    int64_t s = t % seq;
    const T *row = table.data.data() + ids.data[t] * hidden;
    for (int64_t i = 0; i < hidden; ++i) {
      T v = row[i];
      if (positions)
        v += positions->data[(positionOffset + s) * hidden + i];
      y.data[t * hidden + i] = v;
    }
  }
  return y;
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

template <class T>
llvm::Expected<BasicTensor<T>> attention(const BasicTensor<T> &q, const BasicTensor<T> &k,
                                           const BasicTensor<T> &v, int64_t heads,
                                           int64_t headDim, bool causal,
                                           const std::vector<bool> &keepHeads) {
  // Per batch b, head h (columns h·D .. h·D + D − 1) and query i:
  //   s_j = Σ_d q[b, i, hD + d] · k[b, j, hD + d] / √D   for visible j,
  //   p_j = e^(s_j − max s) / Σ_j' e^(s_j' − max s),
  //   y[b, i, hD + d] = Σ_j p_j · v[b, j, hD + d].
  // Visible keys: all j < T, or j ≤ i + (T − S) when causal. A query that sees
  // no key (causal with T < S) and every head with keepHeads[h] == false
  // produce zeros.
  if (llvm::Error e = checkData("attention", "query", q))
    return e;
  if (llvm::Error e = checkData("attention", "key", k))
    return e;
  if (llvm::Error e = checkData("attention", "value", v))
    return e;
  std::string shapes = " (query " + str(q.shape) + ", key " + str(k.shape) +
                       ", value " + str(v.shape) + ")";
  if (heads <= 0 || headDim <= 0)
    return error("attention: heads (" + str(heads) + ") and head_dim (" +
                 str(headDim) + ") must be positive");
  if (q.rank() != 3 || k.rank() != 3 || v.rank() != 3)
    return error("attention: query, key and value must be 3-D "
                 "[batch, seq, heads*head_dim]" +
                 shapes);
  int64_t width = q.dim(2);
  if (width % heads != 0 || width / heads != headDim || k.dim(2) != width ||
      v.dim(2) != width)
    return error("attention: last dims must equal heads*head_dim = " +
                 str(heads) + "*" + str(headDim) + shapes);
  if (k.dim(0) != q.dim(0) || v.dim(0) != q.dim(0))
    return error("attention: batch sizes differ" + shapes);
  if (k.dim(1) != v.dim(1))
    return error("attention: key and value sequence lengths differ" + shapes);
  if (!keepHeads.empty() && static_cast<int64_t>(keepHeads.size()) != heads)
    return error("attention: keep_heads size " +
                 str(static_cast<int64_t>(keepHeads.size())) +
                 " does not match heads " + str(heads));

  int64_t batch = q.dim(0), s = q.dim(1), t = k.dim(1);
  double scale = 1.0 / std::sqrt(static_cast<double>(headDim));
  BasicTensor<T> y(q.shape);
  if (y.numel() == 0)
    return y;
  std::vector<double> p(t), acc(headDim);
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t h = 0; h < heads; ++h) {
      if (!keepHeads.empty() && !keepHeads[h])
        continue; // Pruned head: stays zero.
      for (int64_t i = 0; i < s; ++i) {
        // Keys [0, visible) are visible to query i.
        int64_t visible =
            causal ? std::min(t, std::max<int64_t>(i + (t - s) + 1, 0)) : t;
        if (visible == 0)
          continue;
        const T *qi = q.data.data() + (b * s + i) * width + h * headDim;
        double mx = -std::numeric_limits<double>::infinity();
        for (int64_t j = 0; j < visible; ++j) {
          const T *kj = k.data.data() + (b * t + j) * width + h * headDim;
          p[j] = dot(qi, kj, headDim) * scale;
          mx = std::max(mx, p[j]);
        }
        double sum = 0;
        for (int64_t j = 0; j < visible; ++j) {
          p[j] = std::exp(p[j] - mx);
          sum += p[j];
        }
        std::fill(acc.begin(), acc.end(), 0.0);
        for (int64_t j = 0; j < visible; ++j) {
          const T *vj = v.data.data() + (b * t + j) * width + h * headDim;
          for (int64_t d = 0; d < headDim; ++d)
            acc[d] += p[j] * vj[d];
        }
        T *yi = y.data.data() + (b * s + i) * width + h * headDim;
        for (int64_t d = 0; d < headDim; ++d)
          yi[d] = static_cast<T>(acc[d] / sum);
      }
    }
  }
  return y;
}

//===----------------------------------------------------------------------===//
// KV-cache append
//===----------------------------------------------------------------------===//

template <class T>
llvm::Expected<BasicTensor<T>> kvAppend(const BasicTensor<T> &cache,
                                          const BasicTensor<T> &update) {
  // y[b, s, :] = cache[b, s, :] for s < P, update[b, s - P, :] after.
  if (llvm::Error e = checkData("kv_append", "cache", cache))
    return e;
  if (llvm::Error e = checkData("kv_append", "update", update))
    return e;
  if (cache.rank() != 3 || update.rank() != 3 ||
      cache.dim(0) != update.dim(0) || cache.dim(2) != update.dim(2))
    return error("kv_append: cache " + str(cache.shape) + " and update " +
                 str(update.shape) +
                 " are not [batch, seq, features] of equal batch and "
                 "features");
  int64_t B = cache.dim(0), P = cache.dim(1), N = update.dim(1),
          D = cache.dim(2);
  std::vector<int64_t> shape = {B, P + N, D};
  if (llvm::Error e = checkResult("kv_append", shape))
    return e;
  BasicTensor<T> y(shape);
  for (int64_t b = 0; b < B; ++b) {
    std::copy(cache.data.begin() + b * P * D,
              cache.data.begin() + (b + 1) * P * D,
              y.data.begin() + b * (P + N) * D);
    std::copy(update.data.begin() + b * N * D,
              update.data.begin() + (b + 1) * N * D,
              y.data.begin() + (b * (P + N) + P) * D);
  }
  return y;
}

// The two element types the interpreter runs in.
#define SXF_INSTANTIATE_KERNELS(T)                                             \
  template BasicTensor<T> activation(const BasicTensor<T> &, Activation);     \
  template llvm::Expected<BasicTensor<T>> linear(                              \
      const BasicTensor<T> &, const BasicTensor<T> &, Opt<T>, Activation);     \
  template llvm::Expected<BasicTensor<T>> matmul(                              \
      const BasicTensor<T> &, const BasicTensor<T> &, bool, bool, float);      \
  template llvm::Expected<BasicTensor<T>> softmax(const BasicTensor<T> &,      \
                                                  int64_t);                    \
  template llvm::Expected<BasicTensor<T>> layerNorm(                           \
      const BasicTensor<T> &, const BasicTensor<T> &, const BasicTensor<T> &,  \
      float);                                                                  \
  template llvm::Expected<BasicTensor<T>> rmsNorm(                             \
      const BasicTensor<T> &, const BasicTensor<T> &, float);                  \
  template llvm::Expected<BasicTensor<T>> add(const BasicTensor<T> &,          \
                                              const BasicTensor<T> &);         \
  template llvm::Expected<BasicTensor<T>> embedding(                           \
      const IntTensor &, const BasicTensor<T> &, Opt<T>, int64_t);             \
  template llvm::Expected<BasicTensor<T>> kvAppend(const BasicTensor<T> &,     \
                                                   const BasicTensor<T> &);    \
  template llvm::Expected<BasicTensor<T>> attention(                           \
      const BasicTensor<T> &, const BasicTensor<T> &, const BasicTensor<T> &,  \
      int64_t, int64_t, bool, const std::vector<bool> &);
SXF_INSTANTIATE_KERNELS(float)
SXF_INSTANTIATE_KERNELS(double)
#undef SXF_INSTANTIATE_KERNELS

} // namespace ref
} // namespace sxf
