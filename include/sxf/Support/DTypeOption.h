//===- DTypeOption.h - The stored value type as an option -------*- C++ -*-===//
//
// `value=` / `dtype=` options (sxf-select-format, sxf-export-weights,
// sxf-pipeline, sparse-gen --dtype) take the types a weight can be stored in:
// f32, f16, bf16 (sxf/Support/EnumOption.h). Other DType values (token ids,
// masks) are not weight storage types and have no option spelling.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_SUPPORT_DTYPEOPTION_H
#define SXF_SUPPORT_DTYPEOPTION_H

#include "sxf/Support/EnumOption.h"
#include "sxf/Support/Tensor.h"

namespace sxf {
template <> struct EnumSpellings<DType> {
  static constexpr std::pair<DType, const char *> table[] = {
      {DType::F32, "f32"}, {DType::F16, "f16"}, {DType::BF16, "bf16"}};
};
} // namespace sxf

SXF_ENUM_OPTION(sxf::DType)

#endif // SXF_SUPPORT_DTYPEOPTION_H
