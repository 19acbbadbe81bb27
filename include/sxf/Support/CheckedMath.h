//===- CheckedMath.h - Checked arithmetic for sizes and counts -*- C++ -*-===//
//
// The one place where a number read from an input (IR attributes, shapes,
// target files, checkpoints, options) is turned into a size, an element
// count, a loop bound or a divisor. Every helper returns std::nullopt instead
// of wrapping, dividing by zero or exceeding a bound, so callers turn a bad
// number into a located error before allocating or looping.
//
// Usage:
//   std::optional<int64_t> n = sxf::checkedElements(shape);
//   if (!n) return op.emitError("shape too large");
//   std::vector<float> data(*n);
//
// Dependency-free (the runtime may include it).
//
//===----------------------------------------------------------------------===//

#ifndef SXF_SUPPORT_CHECKEDMATH_H
#define SXF_SUPPORT_CHECKEDMATH_H

#include <cstdint>
#include <optional>

namespace sxf {

/// The largest number of units (tiles, PCUs, cores) an `sxft.program` or a
/// target description may declare: 2^20 = 1,048,576 (an IPU-POD16 has
/// 23,552 tiles). Analyses keep per-unit state, so the bound keeps that
/// state below a few tens of MiB.
constexpr int64_t kMaxUnits = int64_t(1) << 20;

/// The largest number of elements one host tensor may be allocated with:
/// 2^32 (16 GiB of fp32). Anything larger is refused before allocating.
constexpr int64_t kMaxElements = int64_t(1) << 32;

/// a + b, or std::nullopt on overflow.
inline std::optional<int64_t> checkedAdd(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r))
    return std::nullopt;
  return r;
}

/// a * b, or std::nullopt on overflow.
inline std::optional<int64_t> checkedMul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r))
    return std::nullopt;
  return r;
}

/// a / b for a divisor that came from an input: std::nullopt when b is 0
/// (or the quotient overflows, INT64_MIN / -1).
inline std::optional<int64_t> checkedDiv(int64_t a, int64_t b) {
  if (b == 0 || (a == INT64_MIN && b == -1))
    return std::nullopt;
  return a / b;
}

/// The product of `n` extents starting at `dims` (1 for none): std::nullopt
/// when an extent is negative, the product overflows or exceeds `limit`.
/// A zero extent gives 0 even when the other extents alone would overflow.
inline std::optional<int64_t> checkedElements(const int64_t *dims, size_t n,
                                              int64_t limit = INT64_MAX) {
  bool zero = false;
  for (size_t k = 0; k < n; ++k) {
    if (dims[k] < 0)
      return std::nullopt;
    zero |= dims[k] == 0;
  }
  if (zero)
    return 0;
  int64_t r = 1;
  for (size_t k = 0; k < n; ++k) {
    std::optional<int64_t> next = checkedMul(r, dims[k]);
    if (!next || *next > limit)
      return std::nullopt;
    r = *next;
  }
  return r;
}

/// checkedElements over any contiguous container of int64_t (std::vector,
/// llvm::ArrayRef).
template <typename Range>
std::optional<int64_t> checkedElements(const Range &shape,
                                       int64_t limit = INT64_MAX) {
  return checkedElements(shape.data(), shape.size(), limit);
}

} // namespace sxf

#endif // SXF_SUPPORT_CHECKEDMATH_H
