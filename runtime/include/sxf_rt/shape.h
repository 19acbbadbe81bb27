//===- sxf_rt/shape.h - sxf's spelling of a tensor shape ---------*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime (header-only, C++17, standard library
// only). The one spelling of a shape in messages: "2x3x4", and "scalar" for
// rank 0. Used by the .npy and safetensors readers here and by the
// compiler's sxf::shapeToString (lib/Support/Tensor.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_SHAPE_H
#define SXF_RT_SHAPE_H

#include <cstdint>
#include <string>
#include <vector>

namespace sxf_rt {

/// "2x3x4"; "scalar" for rank 0.
inline std::string shapeText(const std::vector<int64_t> &shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s;
}

} // namespace sxf_rt

#endif // SXF_RT_SHAPE_H
