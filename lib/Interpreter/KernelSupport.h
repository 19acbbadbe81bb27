//===- KernelSupport.h - Shared checks of the reference kernels -*- C++ -*-===//
//
// Private to lib/Interpreter: the data and shape checks, the error helper and
// the double-accumulating dot product that Kernels.cpp and GradKernels.cpp
// share, so that both report a bad operand the same way.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_LIB_INTERPRETER_KERNELSUPPORT_H
#define SXF_LIB_INTERPRETER_KERNELSUPPORT_H

#include "sxf/Support/Tensor.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace sxf {
namespace ref {
namespace detail {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

inline std::string str(int64_t v) { return std::to_string(v); }
inline std::string str(const std::vector<int64_t> &shape) {
  return shapeToString(shape);
}

inline llvm::Error error(const llvm::Twine &msg) {
  return llvm::createStringError(msg);
}

/// Checks that a tensor holds exactly the number of elements its shape
/// describes, so that the loops below can never read out of bounds.
inline llvm::Error checkData(const char *op, const char *what,
                             const std::vector<int64_t> &shape,
                             size_t dataSize) {
  int64_t n = shapeNumElements(shape);
  if (n < 0)
    return error(llvm::Twine(op) + ": " + what + " has an invalid shape " +
                 str(shape));
  if (static_cast<uint64_t>(n) != dataSize)
    return error(llvm::Twine(op) + ": " + what + " holds " +
                 str(static_cast<int64_t>(dataSize)) +
                 " elements but its shape " + str(shape) + " needs " + str(n));
  return llvm::Error::success();
}
template <class T>
llvm::Error checkData(const char *op, const char *what,
                             const BasicTensor<T> &t) {
  return checkData(op, what, t.shape, t.data.size());
}
inline llvm::Error checkData(const char *op, const char *what,
                             const IntTensor &t) {
  return checkData(op, what, t.shape, t.data.size());
}

/// Checks that a result shape built from valid operands does not overflow.
inline llvm::Error checkResult(const char *op,
                               const std::vector<int64_t> &shape) {
  if (shapeNumElements(shape) < 0)
    return error(llvm::Twine(op) + ": result shape " + str(shape) +
                 " has too many elements");
  return llvm::Error::success();
}

/// Product of shape[begin, end).
inline int64_t product(const std::vector<int64_t> &shape, size_t begin,
                       size_t end) {
  int64_t n = 1;
  for (size_t i = begin; i < end; ++i)
    n *= shape[i];
  return n;
}

/// Σ_k a[k]·b[k] over n contiguous elements, in double. Four independent
/// partial sums keep the loop from being bound by the latency of one
/// dependent chain of additions; in double this reordering is far below
/// float resolution.
template <class T> double dot(const T *a, const T *b, int64_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int64_t k = 0;
  for (; k + 4 <= n; k += 4) {
    s0 += static_cast<double>(a[k]) * b[k];
    s1 += static_cast<double>(a[k + 1]) * b[k + 1];
    s2 += static_cast<double>(a[k + 2]) * b[k + 2];
    s3 += static_cast<double>(a[k + 3]) * b[k + 3];
  }
  for (; k < n; ++k)
    s0 += static_cast<double>(a[k]) * b[k];
  return (s0 + s1) + (s2 + s3);
}

/// "[1, 2, 3]": the multi-index of flat position `flat` in `shape`.
inline std::string indexToString(const std::vector<int64_t> &shape,
                                 int64_t flat) {
  std::vector<int64_t> idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = shape[d] ? flat % shape[d] : 0;
    flat = shape[d] ? flat / shape[d] : 0;
  }
  std::string s = "[";
  for (size_t d = 0; d < idx.size(); ++d)
    s += (d ? ", " : "") + str(idx[d]);
  return s + "]";
}

} // namespace detail
} // namespace ref
} // namespace sxf

#endif // SXF_LIB_INTERPRETER_KERNELSUPPORT_H
