//===- SxfAttrs.cpp - #sxf.sparsity and #sxf.format -------------*- C++ -*-===//
//
// Custom parsers and printers (the syntax is documented in SxfAttrs.td) and
// the attribute verifiers.
//
//===----------------------------------------------------------------------===//

#include "sxf/Dialect/Sxf/IR/Sxf.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cstdio>
#include <limits>
#include <string>

using namespace mlir;
using namespace sxf;

//===----------------------------------------------------------------------===//
// Helpers shared by both attributes
//===----------------------------------------------------------------------===//

/// Prints a double in the shortest form that the MLIR float lexer accepts
/// back ("0.5", "1.0e-05").
static std::string formatDouble(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.10g", v);
  std::string s(buf);
  if (s.find_first_of(".eEn") == std::string::npos)
    s += ".0";
  else if (s.find('.') == std::string::npos && s.find('e') != std::string::npos)
    s.insert(s.find('e'), ".0");
  return s;
}

/// Parses one non-negative integer that fits `unsigned` (a negative one is
/// an error at the number, not a wrapped-around size; zero is left to the
/// verifiers, which say what must be positive).
static ParseResult parseNonNegative(AsmParser &parser, unsigned &out) {
  SMLoc loc = parser.getCurrentLocation();
  int64_t v = 0;
  if (parser.parseInteger(v))
    return failure();
  if (v < 0 || v > int64_t(std::numeric_limits<unsigned>::max()))
    return parser.emitError(loc)
           << "expected a non-negative integer below 2^32, got " << v;
  out = static_cast<unsigned>(v);
  return success();
}

/// Parses `[A, B]` into two non-negative integers.
static ParseResult parsePair(AsmParser &parser, unsigned &a, unsigned &b) {
  if (parser.parseLSquare() || parseNonNegative(parser, a) ||
      parser.parseComma() || parseNonNegative(parser, b) || parser.parseRSquare())
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// SparsityAttr
//===----------------------------------------------------------------------===//

double SparsityAttr::getDensityValue() const {
  return getDensity().convertToDouble();
}

SparsityAttr SparsityAttr::get(MLIRContext *ctx, SparsityPattern pattern,
                               double density, unsigned blockRows,
                               unsigned blockCols, unsigned n, unsigned m) {
  if (density < 0) {
    if (pattern == SparsityPattern::nm && m != 0)
      density = static_cast<double>(n) / m;
    else
      density = 1.0;
  }
  return Base::get(ctx, pattern, blockRows, blockCols, n, m,
                   llvm::APFloat(density));
}

Attribute SparsityAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef kw;
  if (parser.parseLess() || parser.parseKeyword(&kw))
    return {};
  std::optional<SparsityPattern> pattern = symbolizeSparsityPattern(kw);
  if (!pattern) {
    parser.emitError(loc, "unknown sparsity pattern '")
        << kw << "' (expected dense, unstructured, block or nm)";
    return {};
  }
  unsigned br = 0, bc = 0, n = 0, m = 0;
  if (*pattern == SparsityPattern::block && parsePair(parser, br, bc))
    return {};
  if (*pattern == SparsityPattern::nm && parsePair(parser, n, m))
    return {};
  double density = -1.0;
  bool haveDensity = false;
  SMLoc densityLoc = parser.getCurrentLocation();
  if (succeeded(parser.parseOptionalComma())) {
    densityLoc = parser.getCurrentLocation();
    if (parser.parseKeyword("density") || parser.parseEqual() ||
        parser.parseFloat(density))
      return {};
    haveDensity = true;
  }
  if (parser.parseGreater())
    return {};
  if (haveDensity && !(density >= 0.0 && density <= 1.0)) {
    parser.emitError(densityLoc, "density ")
        << formatDouble(density) << " is outside [0, 1]";
    return {};
  }
  if (!haveDensity && (*pattern == SparsityPattern::unstructured ||
                       *pattern == SparsityPattern::block)) {
    parser.emitError(densityLoc, "sparsity pattern '")
        << kw << "' requires `density = <value>`";
    return {};
  }
  double d = density;
  if (d < 0)
    d = (*pattern == SparsityPattern::nm && m != 0) ? double(n) / m : 1.0;
  return parser.getChecked<SparsityAttr>(loc, parser.getContext(), *pattern,
                                         br, bc, n, m, llvm::APFloat(d));
}

void SparsityAttr::print(AsmPrinter &printer) const {
  printer << "<" << stringifySparsityPattern(getPattern());
  if (getPattern() == SparsityPattern::block)
    printer << "[" << getBlockRows() << ", " << getBlockCols() << "]";
  if (getPattern() == SparsityPattern::nm)
    printer << "[" << getN() << ", " << getM() << "]";
  bool defaultDensity =
      (getPattern() == SparsityPattern::dense && getDensityValue() == 1.0) ||
      (getPattern() == SparsityPattern::nm && getM() != 0 &&
       getDensityValue() == double(getN()) / getM());
  if (!defaultDensity)
    printer << ", density = " << formatDouble(getDensityValue());
  printer << ">";
}

LogicalResult
SparsityAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                     SparsityPattern pattern, unsigned blockRows,
                     unsigned blockCols, unsigned n, unsigned m,
                     llvm::APFloat density) {
  double d = density.convertToDouble();
  switch (pattern) {
  case SparsityPattern::dense:
    break;
  case SparsityPattern::unstructured:
    break;
  case SparsityPattern::block:
    if (blockRows == 0 || blockCols == 0)
      return emitError() << "block shape " << blockRows << "x" << blockCols
                         << " must be positive";
    break;
  case SparsityPattern::nm:
    if (m == 0 || n == 0)
      return emitError() << "N:M pattern " << n << ":" << m
                         << " needs positive N and M";
    if (n > m)
      return emitError() << "N:M pattern " << n << ":" << m
                         << " has N > M";
    if (d > double(n) / m + 1e-12)
      return emitError() << "density " << formatDouble(d) << " exceeds " << n
                         << "/" << m << " allowed by the N:M pattern";
    break;
  }
  if (!(d >= 0.0 && d <= 1.0))
    return emitError() << "density " << formatDouble(d) << " is outside [0, 1]";
  return success();
}

//===----------------------------------------------------------------------===//
// FormatAttr
//===----------------------------------------------------------------------===//

Attribute FormatAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef kw;
  if (parser.parseLess() || parser.parseKeyword(&kw))
    return {};
  std::optional<StorageKind> kind = symbolizeStorageKind(kw);
  if (!kind) {
    parser.emitError(loc, "unknown storage format '")
        << kw << "' (expected " << sxf_rt::kindList() << ")";
    return {};
  }
  unsigned br = 0, bc = 0, n = 0, m = 0;
  if (*kind == StorageKind::bsr && parsePair(parser, br, bc))
    return {};
  if (*kind == StorageKind::nm && parsePair(parser, n, m))
    return {};
  Type valueType = Float32Type::get(parser.getContext());
  unsigned indexBits = 32;
  bool haveValue = false, haveIndex = false;
  while (succeeded(parser.parseOptionalComma())) {
    StringRef key;
    SMLoc keyLoc = parser.getCurrentLocation();
    if (parser.parseKeyword(&key) || parser.parseEqual())
      return {};
    if ((key == "value" && haveValue) || (key == "index" && haveIndex)) {
      parser.emitError(keyLoc, "format parameter '") << key << "' is repeated";
      return {};
    }
    if (key == "value") {
      haveValue = true;
      if (parser.parseType(valueType))
        return {};
    } else if (key == "index") {
      haveIndex = true;
      int64_t bits = 0;
      SMLoc bitsLoc = parser.getCurrentLocation();
      if (parser.parseInteger(bits))
        return {};
      if (bits <= 0 || bits > 64) {
        parser.emitError(bitsLoc, "index width ")
            << bits << " is not one of 8, 16, 32, 64";
        return {};
      }
      indexBits = static_cast<unsigned>(bits);
    } else {
      parser.emitError(keyLoc, "unknown format parameter '")
          << key << "' (expected value or index)";
      return {};
    }
  }
  if (parser.parseGreater())
    return {};
  return parser.getChecked<FormatAttr>(loc, parser.getContext(), *kind, br, bc,
                                       n, m, valueType, indexBits);
}

void FormatAttr::print(AsmPrinter &printer) const {
  printer << "<" << stringifyStorageKind(getKind());
  if (getKind() == StorageKind::bsr)
    printer << "[" << getBlockRows() << ", " << getBlockCols() << "]";
  if (getKind() == StorageKind::nm)
    printer << "[" << getN() << ", " << getM() << "]";
  printer << ", value = " << getValueType();
  if (getKind() != StorageKind::dense)
    printer << ", index = " << getIndexBits();
  printer << ">";
}

// The IR's storage kinds are the shared vocabulary's (sxf_rt/format_kinds.h):
// same cases, same values, same spellings. TableGen cannot include a C++
// header, so the enum is written in SxfAttrs.td and checked against it here.
#define SXF_CHECK_KIND(IR, RT)                                                 \
  static_assert(static_cast<int>(StorageKind::IR) ==                           \
                    static_cast<int>(sxf_rt::Kind::RT),                        \
                "StorageKind::" #IR " differs from sxf_rt::Kind::" #RT);
SXF_CHECK_KIND(dense, Dense)
SXF_CHECK_KIND(csr, CSR)
SXF_CHECK_KIND(csc, CSC)
SXF_CHECK_KIND(coo, COO)
SXF_CHECK_KIND(bsr, BSR)
SXF_CHECK_KIND(nm, NM)
SXF_CHECK_KIND(ell, ELL)
#undef SXF_CHECK_KIND
static_assert(sxf_rt::kNumKinds == 7, "a format kind is missing from "
                                      "StorageKind (SxfAttrs.td)");

formats::Kind sxf::toFormatKind(StorageKind kind) {
  return static_cast<formats::Kind>(static_cast<int>(kind));
}

StorageKind sxf::toStorageKind(formats::Kind kind) {
  return static_cast<StorageKind>(static_cast<int>(kind));
}

formats::FormatSpec sxf::toFormatSpec(StorageKind kind, unsigned blockRows,
                                      unsigned blockCols, unsigned n,
                                      unsigned m, Type valueType,
                                      unsigned indexBits) {
  formats::FormatSpec spec;
  spec.kind = toFormatKind(kind);
  spec.blockRows = blockRows;
  spec.blockCols = blockCols;
  spec.n = n;
  spec.m = m;
  spec.valueType = valueType && valueType.isF16()    ? formats::ValueType::F16
                   : valueType && valueType.isBF16() ? formats::ValueType::BF16
                                                     : formats::ValueType::F32;
  spec.indexBits = indexBits;
  return spec;
}

formats::FormatSpec sxf::toFormatSpec(FormatAttr f) {
  return toFormatSpec(f.getKind(), f.getBlockRows(), f.getBlockCols(),
                      f.getN(), f.getM(), f.getValueType(), f.getIndexBits());
}

LogicalResult FormatAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 StorageKind kind, unsigned blockRows,
                                 unsigned blockCols, unsigned n, unsigned m,
                                 Type valueType, unsigned indexBits) {
  if (!valueType || !(valueType.isF32() || valueType.isF16() ||
                      valueType.isBF16()))
    return emitError() << "value type " << valueType
                       << " is not supported (expected f32, f16 or bf16)";
  // The layout rules are the formats library's (one place).
  if (std::optional<std::string> problem = formats::specProblem(toFormatSpec(
          kind, blockRows, blockCols, n, m, valueType, indexBits)))
    return emitError() << *problem;
  return success();
}

#define GET_ATTRDEF_CLASSES
#include "sxf/Dialect/Sxf/IR/SxfAttrs.cpp.inc"
#include "sxf/Dialect/Sxf/IR/SxfEnums.cpp.inc"

void SxfDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "sxf/Dialect/Sxf/IR/SxfAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// #sxf.target
//===----------------------------------------------------------------------===//

LogicalResult TargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 StringRef name, DictionaryAttr description) {
  auto recorded = description ? description.getAs<StringAttr>("name")
                              : StringAttr();
  if (!recorded || recorded.getValue() != name)
    return emitError() << "#sxf.target<\"" << name
                       << "\">: the description's 'name' must be \"" << name
                       << "\"";
  return success();
}
