//===- FastLinear.cpp - An Eigen GEMM linear for calibration runs -*- C++ -*-===//

#include "sxf/Pruning/FastLinear.h"

#include "sxf/Interpreter/GradKernels.h"
#include "sxf/Interpreter/Kernels.h"

#include <Eigen/Core>

namespace sxf {
namespace prune {

llvm::Expected<Tensor> fastLinear(const Tensor &x, const Tensor &w,
                                  const Tensor *b, int activation) {
  // Shape errors are reported by the reference kernel, which has the
  // precise messages; this path only handles well-formed operands.
  if (x.rank() < 1 || w.rank() != 2 || x.shape.back() != w.shape[1] ||
      w.shape[1] == 0 || w.shape[0] == 0 ||
      (b && (b->rank() != 1 || b->shape[0] != w.shape[0])))
    return ref::linear(x, w, b, static_cast<ref::Activation>(activation));
  using RowMatrix =
      Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  int64_t in = w.shape[1], out = w.shape[0], rows = x.numel() / in;
  std::vector<int64_t> shape(x.shape.begin(), x.shape.end() - 1);
  shape.push_back(out);
  Tensor y(shape);
  Eigen::Map<const RowMatrix> xm(x.data.data(), rows, in);
  Eigen::Map<const RowMatrix> wm(w.data.data(), out, in);
  Eigen::Map<RowMatrix> ym(y.data.data(), rows, out);
  ym.noalias() = xm * wm.transpose();
  auto act = static_cast<ref::Activation>(activation);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t o = 0; o < out; ++o) {
      float v = ym(r, o) + (b ? b->data[o] : 0.0f);
      ym(r, o) = act == ref::Activation::None ? v : ref::activate(act, v);
    }
  return y;
}

llvm::Expected<Tensor> fastLinearGradInput(const Tensor &dy, const Tensor &w) {
  // Malformed operands go to the reference kernel for its messages.
  if (dy.rank() < 1 || w.rank() != 2 || dy.shape.back() != w.shape[0] ||
      w.shape[0] == 0 || w.shape[1] == 0 ||
      static_cast<int64_t>(dy.data.size()) != shapeNumElements(dy.shape) ||
      static_cast<int64_t>(w.data.size()) != shapeNumElements(w.shape))
    return ref::linearGradInput(dy, w);
  using RowMatrix =
      Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  int64_t out = w.shape[0], in = w.shape[1], rows = dy.numel() / out;
  std::vector<int64_t> shape(dy.shape.begin(), dy.shape.end() - 1);
  shape.push_back(in);
  Tensor dx(shape);
  Eigen::Map<const RowMatrix> dym(dy.data.data(), rows, out);
  Eigen::Map<const RowMatrix> wm(w.data.data(), out, in);
  Eigen::Map<RowMatrix> dxm(dx.data.data(), rows, in);
  dxm.noalias() = dym * wm;
  return dx;
}

llvm::Expected<Tensor> fastLinearGradWeight(const Tensor &dy, const Tensor &x,
                                            const std::vector<bool> &stored) {
  bool wellFormed =
      dy.rank() >= 1 && dy.rank() == x.rank() &&
      std::equal(dy.shape.begin(), dy.shape.end() - 1, x.shape.begin()) &&
      dy.shape.back() > 0 && x.shape.back() > 0 &&
      static_cast<int64_t>(dy.data.size()) == shapeNumElements(dy.shape) &&
      static_cast<int64_t>(x.data.size()) == shapeNumElements(x.shape) &&
      (stored.empty() || static_cast<int64_t>(stored.size()) ==
                             dy.shape.back() * x.shape.back());
  if (!wellFormed)
    return ref::linearGradWeight(dy, x, stored);
  using RowMatrix =
      Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  int64_t out = dy.shape.back(), in = x.shape.back(), rows = dy.numel() / out;
  Tensor dw({out, in});
  Eigen::Map<const RowMatrix> dym(dy.data.data(), rows, out);
  Eigen::Map<const RowMatrix> xm(x.data.data(), rows, in);
  Eigen::Map<RowMatrix> dwm(dw.data.data(), out, in);
  dwm.noalias() = dym.transpose() * xm;
  if (!stored.empty())
    for (size_t k = 0; k < stored.size(); ++k)
      if (!stored[k])
        dw.data[k] = 0.0f;
  return dw;
}

} // namespace prune
} // namespace sxf
