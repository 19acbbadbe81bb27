//===- Tensor.h - Host tensors used by the interpreter and weight I/O -*- C++ -*-===//
//
// Plain host-side tensors. They are deliberately simple (a shape and a flat
// row-major std::vector) because they back the reference interpreter, which
// is the numerical ground truth of sxf and must stay obviously correct.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_SUPPORT_TENSOR_H
#define SXF_SUPPORT_TENSOR_H

#include "sxf_rt/format_kinds.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sxf {

/// Element types that sxf reads from and writes to files (safetensors, .npy).
/// Computation is always fp32 (floats) or int64 (token ids).
enum class DType {
  F32, F16, BF16, F64, I8, I16, I32, I64, U8, U16, U32, U64, Bool
};

/// Size of one element of `t` in bytes.
unsigned dtypeSize(DType t);
/// Safetensors spelling ("F32", "F16", "BF16", "F64", "I8", ...).
const char *dtypeSafetensorsName(DType t);
/// True for F32, F16, BF16, F64.
bool dtypeIsFloat(DType t);
/// The element types weights may be stored in, by their sxf spelling:
/// "f32", "f16", "bf16" (std::nullopt for anything else).
std::optional<DType> parseStorageDType(const std::string &spelling);

/// Number of elements of a shape (1 for rank 0). Returns -1 on overflow or
/// negative extents.
int64_t shapeNumElements(const std::vector<int64_t> &shape);
/// "2x3x4" (or "scalar" for rank 0).
std::string shapeToString(const std::vector<int64_t> &shape);

/// A row-major tensor of T. `Tensor` (fp32) is what sxf computes, stores and
/// reads; `TensorD` (fp64) exists for the interpreter's double-precision mode
/// (Interpreter::runDouble), which finite-difference gradient checks use.
template <class T> struct BasicTensor {
  using Element = T;
  std::vector<int64_t> shape;
  std::vector<T> data;

  BasicTensor() = default;
  /// A tensor of `s` filled with `fill`. An invalid shape (negative extent
  /// or overflow; callers validate shapes first) gives an empty tensor.
  explicit BasicTensor(std::vector<int64_t> s, T fill = T(0))
      : shape(std::move(s)),
        data(std::max<int64_t>(shapeNumElements(shape), 0), fill) {}
  int64_t numel() const { return static_cast<int64_t>(data.size()); }
  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  /// Extent of dimension i (negative counts from the end); 1 for a
  /// dimension the tensor does not have (rank-0 tensors have none).
  int64_t dim(int64_t i) const {
    int64_t r = rank(), k = i < 0 ? r + i : i;
    return k >= 0 && k < r ? shape[k] : 1;
  }
};
using Tensor = BasicTensor<float>;
using TensorD = BasicTensor<double>;

/// The same values in another element type (rounded to nearest when
/// narrowing).
template <class To, class From>
BasicTensor<To> convertTensor(const BasicTensor<From> &t) {
  BasicTensor<To> r;
  r.shape = t.shape;
  r.data.assign(t.data.begin(), t.data.end());
  return r;
}

/// A row-major integer tensor (token ids).
struct IntTensor {
  std::vector<int64_t> shape;
  std::vector<int64_t> data;
  int64_t numel() const { return static_cast<int64_t>(data.size()); }
};

/// Converts `count` little-endian floats of type `t` (F32, F16, BF16, F64)
/// at `bytes` to fp32. The one decoder used by every file format and inline
/// blob reader.
void decodeFloats(const uint8_t *bytes, DType t, int64_t count, float *out);
/// Writes `count` fp32 values as little-endian `t` (F32, F16, BF16, F64);
/// `out` holds count · dtypeSize(t) bytes.
void encodeFloats(const float *values, int64_t count, DType t, uint8_t *out);

/// IEEE half <-> float and bfloat16 <-> float conversions (round to nearest
/// even when narrowing; NaN and infinities preserved): the runtime's, one
/// definition for compiler and emitted code (sxf_rt/format_kinds.h).
using sxf_rt::bf16ToFloat;
using sxf_rt::floatToBf16;
using sxf_rt::floatToHalf;
using sxf_rt::halfToFloat;

} // namespace sxf

#endif // SXF_SUPPORT_TENSOR_H
