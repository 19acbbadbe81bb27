//===- GradKernels.cpp - Reference kernels of the backward ops ------------===//
//
// Reverse mode of the kernels in Kernels.cpp, one function per backward op.
// Every function states the forward formula it differentiates and the
// derivative it computes; accumulation is in double, results are rounded to
// the element type once.
//
//===----------------------------------------------------------------------===//

#include "sxf/Interpreter/GradKernels.h"

#include "KernelSupport.h"

#include <cmath>
#include <limits>

namespace sxf {
namespace ref {

using namespace detail;

template <class T>
llvm::Expected<BasicTensor<T>> linearGradInput(const BasicTensor<T> &dy,
                                               const BasicTensor<T> &w) {
  // y[r, o] = Σ_i x[r, i]·w[o, i]  =>  dx[r, i] = Σ_o dy[r, o]·w[o, i].
  if (llvm::Error e = checkData("linear_grad_input", "dy", dy))
    return e;
  if (llvm::Error e = checkData("linear_grad_input", "weight", w))
    return e;
  if (dy.rank() < 1 || w.rank() != 2 || dy.dim(-1) != w.dim(0))
    return error("linear_grad_input: dy " + str(dy.shape) +
                 " does not end in the weight's out-features (weight " +
                 str(w.shape) + ")");
  int64_t out = w.dim(0), in = w.dim(1);
  std::vector<int64_t> shape(dy.shape.begin(), dy.shape.end() - 1);
  int64_t rows = shapeNumElements(shape);
  shape.push_back(in);
  if (llvm::Error e = checkResult("linear_grad_input", shape))
    return e;
  BasicTensor<T> dx(shape);
  std::vector<double> acc(in);
  for (int64_t r = 0; r < rows; ++r) {
    std::fill(acc.begin(), acc.end(), 0.0);
    for (int64_t o = 0; o < out; ++o) {
      double g = dy.data[r * out + o];
      if (g == 0.0)
        continue;
      const T *wo = w.data.data() + o * in;
      for (int64_t i = 0; i < in; ++i)
        acc[i] += g * static_cast<double>(wo[i]);
    }
    for (int64_t i = 0; i < in; ++i)
      dx.data[r * in + i] = static_cast<T>(acc[i]);
  }
  return dx;
}

template <class T>
llvm::Expected<BasicTensor<T>>
linearGradWeight(const BasicTensor<T> &dy, const BasicTensor<T> &x,
                 const std::vector<bool> &stored) {
  // y[r, o] = Σ_i x[r, i]·w[o, i]  =>  dw[o, i] = Σ_r dy[r, o]·x[r, i], kept
  // only at the stored positions.
  if (llvm::Error e = checkData("linear_grad_weight", "dy", dy))
    return e;
  if (llvm::Error e = checkData("linear_grad_weight", "input", x))
    return e;
  std::string shapes = " (dy " + str(dy.shape) + ", input " + str(x.shape) + ")";
  if (dy.rank() < 1 || dy.rank() != x.rank() ||
      !std::equal(dy.shape.begin(), dy.shape.end() - 1, x.shape.begin()))
    return error("linear_grad_weight: dy and input must have equal leading "
                 "dims" + shapes);
  int64_t out = dy.dim(-1), in = x.dim(-1);
  int64_t rows = out ? dy.numel() / out : product(dy.shape, 0, dy.shape.size() - 1);
  if (!stored.empty() && static_cast<int64_t>(stored.size()) != out * in)
    return error("linear_grad_weight: the stored-position mask has " +
                 str(static_cast<int64_t>(stored.size())) +
                 " entries for a " + str(out) + "x" + str(in) + " weight");
  BasicTensor<T> dw({out, in});
  // Columns of dy and x, contiguous, so each stored entry is one dot product.
  std::vector<T> dyT(out * rows), xT(in * rows);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t o = 0; o < out; ++o)
      dyT[o * rows + r] = dy.data[r * out + o];
    for (int64_t i = 0; i < in; ++i)
      xT[i * rows + r] = x.data[r * in + i];
  }
  for (int64_t o = 0; o < out; ++o)
    for (int64_t i = 0; i < in; ++i)
      if (stored.empty() || stored[o * in + i])
        dw.data[o * in + i] = static_cast<T>(
            dot(dyT.data() + o * rows, xT.data() + i * rows, rows));
  return dw;
}

template <class T>
llvm::Expected<BasicTensor<T>> reduceSum(const BasicTensor<T> &x,
                                         const std::vector<int64_t> &shape) {
  // y[j] = Σ_l x[l, j], l over the leading dims x has beyond `shape`.
  if (llvm::Error e = checkData("reduce_sum", "input", x))
    return e;
  bool suffix = shape.size() <= x.shape.size() &&
                std::equal(shape.begin(), shape.end(),
                           x.shape.end() - shape.size());
  if (!suffix)
    return error("reduce_sum: result shape " + str(shape) +
                 " is not a suffix of the input shape " + str(x.shape));
  BasicTensor<T> y(shape);
  int64_t n = y.numel();
  if (n == 0)
    return y;
  std::vector<double> acc(n, 0.0);
  for (int64_t k = 0; k < x.numel(); ++k)
    acc[k % n] += x.data[k];
  for (int64_t j = 0; j < n; ++j)
    y.data[j] = static_cast<T>(acc[j]);
  return y;
}

/// Checks that two operands of an elementwise backward op have one shape.
template <class T>
static llvm::Error checkSame(const char *op, const char *a,
                             const BasicTensor<T> &x, const char *b,
                             const BasicTensor<T> &y) {
  if (llvm::Error e = checkData(op, a, x))
    return e;
  if (llvm::Error e = checkData(op, b, y))
    return e;
  if (x.shape != y.shape)
    return error(llvm::Twine(op) + ": " + a + " " + str(x.shape) + " and " + b +
                 " " + str(y.shape) + " differ in shape");
  return llvm::Error::success();
}

template <class T>
llvm::Expected<BasicTensor<T>> activationGrad(const BasicTensor<T> &x,
                                              const BasicTensor<T> &dy,
                                              Activation a) {
  // y = act(x)  =>  dx = act'(x)·dy (sxf_rt::referenceActivateDerivative).
  if (llvm::Error e = checkSame("activation_grad", "input", x, "dy", dy))
    return e;
  BasicTensor<T> dx(x.shape);
  for (int64_t k = 0; k < x.numel(); ++k)
    dx.data[k] = static_cast<T>(
        sxf_rt::referenceActivateDerivative(a, static_cast<double>(x.data[k])) *
        static_cast<double>(dy.data[k]));
  return dx;
}

template <class T>
llvm::Expected<BasicTensor<T>> softmaxGrad(const BasicTensor<T> &y,
                                           const BasicTensor<T> &dy,
                                           int64_t axis) {
  // y_j = e^(x_j) / Σ_k e^(x_k)  =>  dx_j = y_j·(dy_j − Σ_k y_k·dy_k).
  if (llvm::Error e = checkSame("softmax_grad", "output", y, "dy", dy))
    return e;
  int64_t rank = y.rank();
  if (axis < -rank || axis >= rank)
    return error("softmax_grad: axis " + str(axis) +
                 " is out of range for rank " + str(rank));
  size_t ax = static_cast<size_t>(axis < 0 ? axis + rank : axis);
  BasicTensor<T> dx(y.shape);
  if (dx.numel() == 0)
    return dx;
  int64_t outer = product(y.shape, 0, ax), len = y.shape[ax];
  int64_t inner = product(y.shape, ax + 1, y.shape.size());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t in = 0; in < inner; ++in) {
      auto at = [&](int64_t j) { return (o * len + j) * inner + in; };
      double s = 0;
      for (int64_t j = 0; j < len; ++j)
        s += static_cast<double>(y.data[at(j)]) * dy.data[at(j)];
      for (int64_t j = 0; j < len; ++j)
        dx.data[at(j)] = static_cast<T>(
            static_cast<double>(y.data[at(j)]) * (dy.data[at(j)] - s));
    }
  return dx;
}

/// Shared checks of the norm backward ops: x [..., H], gamma [H], dy like x.
template <class T>
static llvm::Error checkNormGrad(const char *op, const BasicTensor<T> &x,
                                 const BasicTensor<T> &gamma,
                                 const BasicTensor<T> &dy) {
  if (llvm::Error e = checkSame(op, "input", x, "dy", dy))
    return e;
  if (x.rank() < 1)
    return error(llvm::Twine(op) + ": input must have rank >= 1");
  if (llvm::Error e = checkData(op, "gamma", gamma))
    return e;
  if (gamma.rank() != 1 || gamma.dim(0) != x.dim(-1))
    return error(llvm::Twine(op) + ": gamma shape " + str(gamma.shape) +
                 " does not match input last dim " + str(x.dim(-1)));
  return llvm::Error::success();
}

template <class T>
llvm::Expected<std::array<BasicTensor<T>, 3>>
layerNormGrad(const BasicTensor<T> &x, const BasicTensor<T> &gamma,
              const BasicTensor<T> &dy, float eps) {
  // Per row: x̂ = (x − μ)·r with r = 1/√(σ² + eps), y = x̂·γ + β. With
  // g = dy·γ:  dx = r·(g − mean(g) − x̂·mean(g·x̂)),  dγ = Σ_rows dy·x̂,
  // dβ = Σ_rows dy.
  if (llvm::Error e = checkNormGrad("layer_norm_grad", x, gamma, dy))
    return e;
  int64_t h = x.dim(-1), rows = h ? x.numel() / h : 0;
  std::array<BasicTensor<T>, 3> out = {BasicTensor<T>(x.shape),
                                       BasicTensor<T>(gamma.shape),
                                       BasicTensor<T>(gamma.shape)};
  std::vector<double> dgamma(h, 0.0), dbeta(h, 0.0), xhat(h), g(h);
  for (int64_t r = 0; r < rows; ++r) {
    const T *xr = x.data.data() + r * h, *dyr = dy.data.data() + r * h;
    double mean = 0, var = 0;
    for (int64_t i = 0; i < h; ++i)
      mean += xr[i];
    mean /= h;
    for (int64_t i = 0; i < h; ++i)
      var += (xr[i] - mean) * (xr[i] - mean);
    var /= h;
    double inv = 1.0 / std::sqrt(var + static_cast<double>(eps));
    double meanG = 0, meanGX = 0;
    for (int64_t i = 0; i < h; ++i) {
      xhat[i] = (xr[i] - mean) * inv;
      g[i] = static_cast<double>(dyr[i]) * gamma.data[i];
      meanG += g[i];
      meanGX += g[i] * xhat[i];
      dgamma[i] += static_cast<double>(dyr[i]) * xhat[i];
      dbeta[i] += dyr[i];
    }
    meanG /= h;
    meanGX /= h;
    for (int64_t i = 0; i < h; ++i)
      out[0].data[r * h + i] =
          static_cast<T>(inv * (g[i] - meanG - xhat[i] * meanGX));
  }
  for (int64_t i = 0; i < h; ++i) {
    out[1].data[i] = static_cast<T>(dgamma[i]);
    out[2].data[i] = static_cast<T>(dbeta[i]);
  }
  return out;
}

template <class T>
llvm::Expected<std::array<BasicTensor<T>, 2>>
rmsNormGrad(const BasicTensor<T> &x, const BasicTensor<T> &gamma,
            const BasicTensor<T> &dy, float eps) {
  // Per row: r = 1/√(Σ x²/H + eps), y = x·r·γ. With g = dy·γ:
  // dx_i = r·g_i − x_i·r³·(Σ_j g_j·x_j)/H,  dγ = Σ_rows dy·x·r.
  if (llvm::Error e = checkNormGrad("rms_norm_grad", x, gamma, dy))
    return e;
  int64_t h = x.dim(-1), rows = h ? x.numel() / h : 0;
  std::array<BasicTensor<T>, 2> out = {BasicTensor<T>(x.shape),
                                       BasicTensor<T>(gamma.shape)};
  std::vector<double> dgamma(h, 0.0);
  for (int64_t r = 0; r < rows; ++r) {
    const T *xr = x.data.data() + r * h, *dyr = dy.data.data() + r * h;
    double meanSq = 0, gx = 0;
    for (int64_t i = 0; i < h; ++i)
      meanSq += static_cast<double>(xr[i]) * xr[i];
    meanSq /= h;
    double inv = 1.0 / std::sqrt(meanSq + static_cast<double>(eps));
    for (int64_t i = 0; i < h; ++i) {
      gx += static_cast<double>(dyr[i]) * gamma.data[i] * xr[i];
      dgamma[i] += static_cast<double>(dyr[i]) * xr[i] * inv;
    }
    for (int64_t i = 0; i < h; ++i)
      out[0].data[r * h + i] = static_cast<T>(
          inv * static_cast<double>(dyr[i]) * gamma.data[i] -
          static_cast<double>(xr[i]) * inv * inv * inv * gx / h);
  }
  for (int64_t i = 0; i < h; ++i)
    out[1].data[i] = static_cast<T>(dgamma[i]);
  return out;
}

template <class T>
llvm::Expected<std::array<BasicTensor<T>, 3>>
attentionGrad(const BasicTensor<T> &q, const BasicTensor<T> &k,
              const BasicTensor<T> &v, const BasicTensor<T> &dy, int64_t heads,
              int64_t headDim, bool causal, const std::vector<bool> &keepHeads) {
  // Per batch b, head h and query i (Kernels.cpp, attention): with
  // s_j = q_i·k_j·c (c = 1/√D), p = softmax(s) over the visible keys and
  // y_i = Σ_j p_j·v_j:
  //   dv_j += p_j·dy_i,  dp_j = dy_i·v_j,  ds_j = p_j·(dp_j − Σ_k p_k·dp_k),
  //   dq_i += c·Σ_j ds_j·k_j,  dk_j += c·ds_j·q_i.
  // The forward kernel validates the shapes; it runs first so that the
  // checks and their messages are one.
  llvm::Expected<BasicTensor<T>> fwd =
      attention(q, k, v, heads, headDim, causal, keepHeads);
  if (!fwd)
    return fwd.takeError();
  if (llvm::Error e = checkSame("attention_grad", "query", q, "dy", dy))
    return e;
  int64_t batch = q.dim(0), s = q.dim(1), t = k.dim(1), width = q.dim(2);
  double c = 1.0 / std::sqrt(static_cast<double>(headDim));
  std::vector<double> dq(q.numel(), 0.0), dk(k.numel(), 0.0),
      dv(v.numel(), 0.0), p(t), dp(t);
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t h = 0; h < heads; ++h) {
      if (!keepHeads.empty() && !keepHeads[h])
        continue;
      for (int64_t i = 0; i < s; ++i) {
        int64_t visible =
            causal ? std::min(t, std::max<int64_t>(i + (t - s) + 1, 0)) : t;
        if (visible == 0)
          continue;
        int64_t qi = (b * s + i) * width + h * headDim;
        double mx = -std::numeric_limits<double>::infinity();
        for (int64_t j = 0; j < visible; ++j) {
          p[j] = dot(q.data.data() + qi,
                     k.data.data() + (b * t + j) * width + h * headDim,
                     headDim) * c;
          mx = std::max(mx, p[j]);
        }
        double sum = 0;
        for (int64_t j = 0; j < visible; ++j) {
          p[j] = std::exp(p[j] - mx);
          sum += p[j];
        }
        double pdp = 0;
        for (int64_t j = 0; j < visible; ++j) {
          p[j] /= sum;
          int64_t vj = (b * t + j) * width + h * headDim;
          dp[j] = dot(dy.data.data() + qi, v.data.data() + vj, headDim);
          pdp += p[j] * dp[j];
          for (int64_t d = 0; d < headDim; ++d)
            dv[vj + d] += p[j] * dy.data[qi + d];
        }
        for (int64_t j = 0; j < visible; ++j) {
          double ds = p[j] * (dp[j] - pdp) * c;
          int64_t kj = (b * t + j) * width + h * headDim;
          for (int64_t d = 0; d < headDim; ++d) {
            dq[qi + d] += ds * k.data[kj + d];
            dk[kj + d] += ds * q.data[qi + d];
          }
        }
      }
    }
  std::array<BasicTensor<T>, 3> out = {BasicTensor<T>(q.shape),
                                       BasicTensor<T>(k.shape),
                                       BasicTensor<T>(v.shape)};
  for (size_t n = 0; n < dq.size(); ++n)
    out[0].data[n] = static_cast<T>(dq[n]);
  for (size_t n = 0; n < dk.size(); ++n)
    out[1].data[n] = static_cast<T>(dk[n]);
  for (size_t n = 0; n < dv.size(); ++n)
    out[2].data[n] = static_cast<T>(dv[n]);
  return out;
}

template <class T>
llvm::Expected<BasicTensor<T>> embeddingGrad(const IntTensor &ids,
                                             const BasicTensor<T> &dy,
                                             int64_t vocab) {
  // y[t, :] = table[ids[t], :]  =>  dtable[v, :] = Σ_{t: ids[t] = v} dy[t, :].
  if (llvm::Error e = checkData("embedding_grad", "ids", ids))
    return e;
  if (llvm::Error e = checkData("embedding_grad", "dy", dy))
    return e;
  if (dy.rank() != static_cast<int64_t>(ids.shape.size()) + 1 ||
      !std::equal(ids.shape.begin(), ids.shape.end(), dy.shape.begin()))
    return error("embedding_grad: dy " + str(dy.shape) +
                 " is not the ids shape " + str(ids.shape) + " plus hidden");
  if (vocab < 0)
    return error("embedding_grad: negative vocabulary " + str(vocab));
  int64_t hidden = dy.dim(-1);
  std::vector<double> acc(vocab * hidden, 0.0);
  for (int64_t t = 0; t < ids.numel(); ++t) {
    int64_t id = ids.data[t];
    if (id < 0 || id >= vocab)
      return error("embedding_grad: id " + str(id) + " at position " +
                   indexToString(ids.shape, t) + " is out of range [0, " +
                   str(vocab) + ")");
    for (int64_t i = 0; i < hidden; ++i)
      acc[id * hidden + i] += dy.data[t * hidden + i];
  }
  BasicTensor<T> d({vocab, hidden});
  for (size_t n = 0; n < acc.size(); ++n)
    d.data[n] = static_cast<T>(acc[n]);
  return d;
}

template <class T>
llvm::Expected<BasicTensor<T>> positionGrad(const BasicTensor<T> &dy,
                                            int64_t rows, int64_t offset) {
  // y[.., s, :] += positions[offset + s, :]  =>
  // dpositions[offset + s, :] = Σ_batch dy[.., s, :].
  if (llvm::Error e = checkData("position_grad", "dy", dy))
    return e;
  if (dy.rank() < 2)
    return error("position_grad: dy " + str(dy.shape) +
                 " must be [..., seq, hidden]");
  int64_t seq = dy.dim(-2), hidden = dy.dim(-1);
  if (offset < 0 || offset + seq > rows)
    return error("position_grad: positions " + str(offset) + " .. " +
                 str(offset + seq - 1) + " are outside a table of " +
                 str(rows) + " rows");
  std::vector<double> acc(rows * hidden, 0.0);
  int64_t positions = hidden ? dy.numel() / hidden : 0;
  for (int64_t p = 0; p < positions; ++p)
    for (int64_t i = 0; i < hidden; ++i)
      acc[(offset + p % seq) * hidden + i] += dy.data[p * hidden + i];
  BasicTensor<T> d({rows, hidden});
  for (size_t n = 0; n < acc.size(); ++n)
    d.data[n] = static_cast<T>(acc[n]);
  return d;
}

template <class T>
llvm::Expected<BasicTensor<T>>
concat(const std::vector<const BasicTensor<T> *> &parts) {
  if (parts.empty())
    return error("concat: no operands");
  const BasicTensor<T> &first = *parts[0];
  int64_t total = 0;
  for (const BasicTensor<T> *p : parts) {
    if (llvm::Error e = checkData("concat", "operand", *p))
      return e;
    if (p->rank() != first.rank() || p->rank() < 1 ||
        !std::equal(first.shape.begin(), first.shape.end() - 1,
                    p->shape.begin()))
      return error("concat: operand " + str(p->shape) +
                   " does not share the leading dims of " + str(first.shape));
    total += p->dim(-1);
  }
  std::vector<int64_t> shape = first.shape;
  shape.back() = total;
  BasicTensor<T> y(shape);
  int64_t rows = total ? y.numel() / total : 0, offset = 0;
  for (const BasicTensor<T> *p : parts) {
    int64_t n = p->dim(-1);
    for (int64_t r = 0; r < rows; ++r)
      std::copy(p->data.begin() + r * n, p->data.begin() + (r + 1) * n,
                y.data.begin() + r * total + offset);
    offset += n;
  }
  return y;
}

/// Shared checks of the loss ops: logits [..., V], targets [...] in [0, V).
template <class T>
static llvm::Error checkLoss(const char *op, const BasicTensor<T> &logits,
                             const IntTensor &targets) {
  if (llvm::Error e = checkData(op, "logits", logits))
    return e;
  if (llvm::Error e = checkData(op, "targets", targets))
    return e;
  if (logits.rank() != static_cast<int64_t>(targets.shape.size()) + 1 ||
      !std::equal(targets.shape.begin(), targets.shape.end(),
                  logits.shape.begin()))
    return error(llvm::Twine(op) + ": logits " + str(logits.shape) +
                 " are not the targets shape " + str(targets.shape) +
                 " plus the vocabulary");
  int64_t vocab = logits.dim(-1);
  for (int64_t t = 0; t < targets.numel(); ++t)
    if (targets.data[t] < 0 || targets.data[t] >= vocab)
      return error(llvm::Twine(op) + ": target " + str(targets.data[t]) +
                   " at position " + indexToString(targets.shape, t) +
                   " is out of range [0, " + str(vocab) + ")");
  return llvm::Error::success();
}

/// log Σ_j e^(x_j) over one row of n values, max-subtracted.
template <class T> static double logSumExp(const T *x, int64_t n) {
  double mx = -std::numeric_limits<double>::infinity();
  for (int64_t j = 0; j < n; ++j)
    mx = std::max(mx, static_cast<double>(x[j]));
  double sum = 0;
  for (int64_t j = 0; j < n; ++j)
    sum += std::exp(x[j] - mx);
  return mx + std::log(sum);
}

template <class T>
llvm::Expected<BasicTensor<T>> crossEntropy(const BasicTensor<T> &logits,
                                            const IntTensor &targets) {
  // L = (1/N) Σ_n (log Σ_j e^(x[n, j]) − x[n, target[n]]).
  if (llvm::Error e = checkLoss("cross_entropy", logits, targets))
    return e;
  int64_t vocab = logits.dim(-1), n = targets.numel();
  double total = 0;
  for (int64_t p = 0; p < n; ++p) {
    const T *x = logits.data.data() + p * vocab;
    total += logSumExp(x, vocab) - x[targets.data[p]];
  }
  BasicTensor<T> loss(std::vector<int64_t>{});
  loss.data[0] = static_cast<T>(n ? total / n : 0.0);
  return loss;
}

template <class T>
llvm::Expected<BasicTensor<T>> crossEntropyGrad(const BasicTensor<T> &logits,
                                                const IntTensor &targets) {
  // dL/dx[n, j] = (softmax(x[n])_j − [j = target[n]]) / N.
  if (llvm::Error e = checkLoss("cross_entropy_grad", logits, targets))
    return e;
  int64_t vocab = logits.dim(-1), n = targets.numel();
  BasicTensor<T> d(logits.shape);
  for (int64_t p = 0; p < n; ++p) {
    const T *x = logits.data.data() + p * vocab;
    double lse = logSumExp(x, vocab);
    for (int64_t j = 0; j < vocab; ++j)
      d.data[p * vocab + j] = static_cast<T>(
          (std::exp(x[j] - lse) - (j == targets.data[p] ? 1.0 : 0.0)) / n);
  }
  return d;
}

#define SXF_INSTANTIATE_GRAD_KERNELS(T)                                        \
  template llvm::Expected<BasicTensor<T>> linearGradInput(                     \
      const BasicTensor<T> &, const BasicTensor<T> &);                         \
  template llvm::Expected<BasicTensor<T>> linearGradWeight(                    \
      const BasicTensor<T> &, const BasicTensor<T> &,                          \
      const std::vector<bool> &);                                              \
  template llvm::Expected<BasicTensor<T>> reduceSum(                           \
      const BasicTensor<T> &, const std::vector<int64_t> &);                   \
  template llvm::Expected<BasicTensor<T>> activationGrad(                      \
      const BasicTensor<T> &, const BasicTensor<T> &, Activation);             \
  template llvm::Expected<BasicTensor<T>> softmaxGrad(                         \
      const BasicTensor<T> &, const BasicTensor<T> &, int64_t);                \
  template llvm::Expected<std::array<BasicTensor<T>, 3>> layerNormGrad(        \
      const BasicTensor<T> &, const BasicTensor<T> &, const BasicTensor<T> &,  \
      float);                                                                  \
  template llvm::Expected<std::array<BasicTensor<T>, 2>> rmsNormGrad(          \
      const BasicTensor<T> &, const BasicTensor<T> &, const BasicTensor<T> &,  \
      float);                                                                  \
  template llvm::Expected<std::array<BasicTensor<T>, 3>> attentionGrad(        \
      const BasicTensor<T> &, const BasicTensor<T> &, const BasicTensor<T> &,  \
      const BasicTensor<T> &, int64_t, int64_t, bool,                          \
      const std::vector<bool> &);                                              \
  template llvm::Expected<BasicTensor<T>> embeddingGrad(                       \
      const IntTensor &, const BasicTensor<T> &, int64_t);                     \
  template llvm::Expected<BasicTensor<T>> positionGrad(                        \
      const BasicTensor<T> &, int64_t, int64_t);                               \
  template llvm::Expected<BasicTensor<T>> concat(                              \
      const std::vector<const BasicTensor<T> *> &);                            \
  template llvm::Expected<BasicTensor<T>> crossEntropy(const BasicTensor<T> &, \
                                                       const IntTensor &);     \
  template llvm::Expected<BasicTensor<T>> crossEntropyGrad(                    \
      const BasicTensor<T> &, const IntTensor &);
SXF_INSTANTIATE_GRAD_KERNELS(float)
SXF_INSTANTIATE_GRAD_KERNELS(double)
#undef SXF_INSTANTIATE_GRAD_KERNELS

} // namespace ref
} // namespace sxf
