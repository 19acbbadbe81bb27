//===- FastLinear.cpp - An Eigen GEMM linear for calibration runs -*- C++ -*-===//

#include "sxf/Pruning/FastLinear.h"

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

} // namespace prune
} // namespace sxf
