//===- Npy.h - Reading and writing NumPy .npy files -------------*- C++ -*-===//
//
// The NumPy format (numpy/lib/format.py): magic "\x93NUMPY", major/minor
// version (1.0, 2.0 or 3.0), a little-endian header length (u16 for 1.0, u32
// otherwise), then a Python dict literal such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and a newline so that the data starts 64-byte aligned,
// then the C-order data.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_SUPPORT_NPY_H
#define SXF_SUPPORT_NPY_H

#include "sxf/Support/Tensor.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace sxf {

/// The contents of a .npy file, element type as stored.
struct NpyArray {
  DType dtype;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes; // little-endian, C order

  /// Converts a float array (f2/f4/f8) to fp32; error for integer arrays.
  llvm::Expected<Tensor> toFloat() const;
  /// Converts an integer array (i1..i8, u1, bool) to int64; error otherwise.
  llvm::Expected<IntTensor> toInt() const;
};

/// Reads `path`. Errors name the path and the problem (bad magic, unsupported
/// version, malformed header, big-endian or Fortran-order data, unsupported
/// dtype, data shorter or longer than the shape says).
llvm::Expected<NpyArray> readNpy(llvm::StringRef path);
/// Parses an in-memory file; `name` is used in error messages.
llvm::Expected<NpyArray> parseNpy(llvm::StringRef contents, llvm::StringRef name);

/// Writes a version 1.0 file ('<f4' or '<i8').
llvm::Error writeNpy(llvm::StringRef path, const Tensor &t);
llvm::Error writeNpy(llvm::StringRef path, const IntTensor &t);

} // namespace sxf

#endif // SXF_SUPPORT_NPY_H
