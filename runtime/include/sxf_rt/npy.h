//===- sxf_rt/npy.h - The NumPy .npy reader and writer ----------*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime (header-only, C++17, standard library
// only), and the one .npy implementation of sxf: lib/Support/Npy.cpp wraps
// the core below (parseNpyView, npyToFloats, npyToInts, npyFileHeader) and
// only turns its messages into llvm::Error.
//
// The format (numpy/lib/format.py): magic "\x93NUMPY", major/minor version
// (1.0, 2.0 or 3.0), a little-endian header length (u16 for 1.0, u32
// otherwise), then a Python dict literal such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and a newline so that the data starts 64-byte aligned,
// then the C-order data. The header parser understands exactly the literals
// NumPy writes (strings in either quote style, True/False, integer tuples),
// in any key order, with optional trailing commas; other keys are ignored.
//
// Element types: floats <f2, <f4, <f8 (read as fp32); integers <i1..<i8,
// <u1..<u8 and |b1 (read as int64; a uint64 value above INT64_MAX is an
// error), '|' allowed for the one-byte types. Everything else -- big-endian,
// Fortran order, object, structured, complex, strings -- is an error naming
// the problem.
//
// Offers
//   NpyDType, npyDTypeSize, npyDTypeIsFloat, npyDTypeName
//   parseNpyView(bytes, size, &view) -> problem    the validating core
//   npyToFloats(view, out), npyToInts(view, out) -> problem
//   npyFileHeader(descr, shape)                     preamble + header dict
//   struct NpyArray { dtype, shape, floats or ints }
//   parseNpy(bytes, size, name, &array, &error)     an in-memory file
//   readNpy(path, &array, &error)                   a file
//   readNpyFloats / readNpyInts(path, &shape, &data, &error)
//   writeNpy(path, const float*|const int64_t*|const int32_t*, shape, &error)
//
// Every failure of the NpyArray API returns false with "<name>: <problem>".
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_NPY_H
#define SXF_RT_NPY_H

#include "sxf_rt/format_kinds.h"
#include "sxf_rt/shape.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sxf_rt {

//===----------------------------------------------------------------------===//
// The core
//===----------------------------------------------------------------------===//

/// The element types a .npy file may hold.
enum class NpyDType { F16, F32, F64, I8, I16, I32, I64, U8, U16, U32, U64, Bool };

inline unsigned npyDTypeSize(NpyDType t) {
  switch (t) {
  case NpyDType::I8:
  case NpyDType::U8:
  case NpyDType::Bool:
    return 1;
  case NpyDType::F16:
  case NpyDType::I16:
  case NpyDType::U16:
    return 2;
  case NpyDType::F32:
  case NpyDType::I32:
  case NpyDType::U32:
    return 4;
  case NpyDType::F64:
  case NpyDType::I64:
  case NpyDType::U64:
    return 8;
  }
  return 0;
}

inline bool npyDTypeIsFloat(NpyDType t) {
  return t == NpyDType::F16 || t == NpyDType::F32 || t == NpyDType::F64;
}

/// "F16", "F32", "F64", "I8" ... "U64", "BOOL" (the safetensors spelling).
inline const char *npyDTypeName(NpyDType t) {
  static const char *const names[] = {"F16", "F32", "F64", "I8",
                                      "I16", "I32", "I64", "U8",
                                      "U16", "U32", "U64", "BOOL"};
  return names[static_cast<int>(t)];
}

/// A validated .npy file: its element type, shape and data, in place.
struct NpyView {
  NpyDType dtype = NpyDType::F32;
  std::string descr; // as stored, e.g. "<f4"
  std::vector<int64_t> shape;
  int64_t numel = 0;
  const unsigned char *data = nullptr; // numel * npyDTypeSize(dtype) bytes
};

namespace npy_detail {

/// "(2, 3)" / "(5,)" / "()": the shape as a Python tuple.
inline std::string shapeTuple(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1)
    s += ",";
  return s + ")";
}

inline uint64_t readLE(const unsigned char *p, unsigned bytes) {
  uint64_t v = 0;
  for (unsigned i = 0; i < bytes; ++i)
    v |= uint64_t(p[i]) << (8 * i);
  return v;
}

/// A value of the header dict.
struct PyValue {
  enum Kind { String, Bool, Tuple } kind = String;
  std::string str;
  bool boolean = false;
  std::vector<int64_t> ints;
};

/// Recursive-descent parser of the header dict literal; the problem (without
/// the file name) goes to `error`.
class HeaderParser {
public:
  explicit HeaderParser(const std::string &text) : s(text) {}

  /// Parses `{key: value, ...}` followed only by whitespace.
  bool parseDict(std::vector<std::pair<std::string, PyValue>> &out) {
    skipWs();
    if (!consume('{'))
      return fail("header does not start with '{'");
    while (true) {
      skipWs();
      if (consume('}'))
        break;
      std::string key;
      if (!parseString(key))
        return fail("expected a quoted key in the header dict");
      skipWs();
      if (!consume(':'))
        return fail("expected ':' after key '" + key + "'");
      skipWs();
      PyValue v;
      if (!parseValue(v))
        return false;
      out.emplace_back(std::move(key), std::move(v));
      skipWs();
      if (consume(','))
        continue;
      if (consume('}'))
        break;
      return fail("expected ',' or '}' in the header dict");
    }
    skipWs();
    if (pos != s.size())
      return fail("unexpected text after the header dict");
    return true;
  }

  std::string error;

private:
  const std::string &s;
  size_t pos = 0;

  bool fail(const std::string &msg) {
    error = msg;
    return false;
  }
  void skipWs() {
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' ||
                              s[pos] == '\n' || s[pos] == '\r'))
      ++pos;
  }
  bool consume(char c) {
    if (pos < s.size() && s[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  bool consumeWord(const char *w) {
    size_t n = std::strlen(w);
    if (s.compare(pos, n, w) != 0)
      return false;
    size_t after = pos + n;
    // Not a prefix of a longer identifier ("Truex").
    if (after < s.size()) {
      unsigned char c = static_cast<unsigned char>(s[after]);
      if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
          (c >= 'A' && c <= 'Z') || c == '_')
        return false;
    }
    pos = after;
    return true;
  }
  /// A string in single or double quotes; a backslash keeps the escaped
  /// character (NumPy writes no escapes in these headers).
  bool parseString(std::string &out) {
    if (pos >= s.size() || (s[pos] != '\'' && s[pos] != '"'))
      return false;
    char q = s[pos++];
    while (pos < s.size()) {
      char c = s[pos++];
      if (c == q)
        return true;
      if (c == '\\') {
        if (pos >= s.size())
          return false;
        c = s[pos++];
      }
      out += c;
    }
    return false;
  }
  /// A non-negative decimal integer (a Python 2 'L' suffix is accepted).
  bool parseInt(int64_t &out) {
    size_t start = pos;
    uint64_t v = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      unsigned digit = unsigned(s[pos] - '0');
      if (v > (static_cast<uint64_t>(INT64_MAX) - digit) / 10)
        return fail("shape extent '" + s.substr(start, pos - start + 1) +
                    "...' is too large");
      v = v * 10 + digit;
      ++pos;
    }
    if (pos == start)
      return false;
    if (pos < s.size() && (s[pos] == 'L' || s[pos] == 'l'))
      ++pos;
    out = static_cast<int64_t>(v);
    return true;
  }
  bool parseValue(PyValue &v) {
    if (pos < s.size() && (s[pos] == '\'' || s[pos] == '"')) {
      v.kind = PyValue::String;
      if (!parseString(v.str))
        return fail("unterminated string in the header dict");
      return true;
    }
    if (consumeWord("True")) {
      v.kind = PyValue::Bool;
      v.boolean = true;
      return true;
    }
    if (consumeWord("False")) {
      v.kind = PyValue::Bool;
      v.boolean = false;
      return true;
    }
    if (consume('(')) {
      v.kind = PyValue::Tuple;
      skipWs();
      if (consume(')'))
        return true;
      while (true) {
        skipWs();
        if (pos < s.size() && s[pos] == '-')
          return fail("negative extent in shape");
        int64_t n;
        if (!parseInt(n))
          return error.empty() ? fail("expected an integer in the shape tuple")
                               : false;
        v.ints.push_back(n);
        skipWs();
        if (consume(')'))
          break;
        if (!consume(','))
          return fail("expected ',' or ')' in the shape tuple");
        skipWs();
        if (consume(')'))
          break;
      }
      // "(5)" is not a tuple in Python, but the intent is unambiguous.
      return true;
    }
    if (pos < s.size() && s[pos] == '[')
      return fail("structured dtypes are not supported");
    return fail("unsupported value in the header dict");
  }
};

/// The element type a descr names, or the problem.
inline std::optional<NpyDType> parseDescr(const std::string &descr,
                                          std::string &why) {
  if (descr.size() < 2) {
    why = "unsupported dtype '" + descr + "'";
    return std::nullopt;
  }
  char order = descr[0];
  std::string type = descr.substr(1);
  if (order == '>') {
    why = "big-endian data ('" + descr +
          "') is not supported; convert with "
          "arr.astype(arr.dtype.newbyteorder('<'))";
    return std::nullopt;
  }
  if (type[0] == 'O') {
    why = "object arrays ('" + descr + "') are not supported";
    return std::nullopt;
  }
  static const struct {
    const char *type;
    NpyDType dtype;
  } known[] = {
      {"f2", NpyDType::F16}, {"f4", NpyDType::F32}, {"f8", NpyDType::F64},
      {"i1", NpyDType::I8},  {"i2", NpyDType::I16}, {"i4", NpyDType::I32},
      {"i8", NpyDType::I64}, {"u1", NpyDType::U8},  {"u2", NpyDType::U16},
      {"u4", NpyDType::U32}, {"u8", NpyDType::U64}, {"b1", NpyDType::Bool},
  };
  for (const auto &k : known) {
    if (type != k.type)
      continue;
    // '|' (not applicable) only for one-byte types; '<' for every type.
    if (order == '<' || (order == '|' && npyDTypeSize(k.dtype) == 1))
      return k.dtype;
    break;
  }
  why = "unsupported dtype '" + descr +
        "' (supported: <f2, <f4, <f8, <i1, <i2, <i4, <i8, <u1, <u2, <u4, <u8, "
        "|i1, |u1, |b1)";
  return std::nullopt;
}

} // namespace npy_detail

/// Validates an in-memory .npy file of `size` bytes and describes it in
/// `out` (which points into `bytes`). Returns the problem (without a file
/// name), or std::nullopt: bad magic, unsupported version, truncated or
/// malformed header, Fortran order, unsupported dtype, element or byte count
/// overflow, data shorter or longer than the shape needs.
inline std::optional<std::string>
parseNpyView(const unsigned char *bytes, size_t size, NpyView &out) {
  using npy_detail::PyValue;
  out = NpyView();
  const size_t magicLen = 6;
  if (size < magicLen || std::memcmp(bytes, "\x93NUMPY", magicLen) != 0)
    return std::string("not a .npy file (bad magic)");
  if (size < magicLen + 2)
    return std::string("file is truncated in the version field");
  unsigned major = bytes[magicLen], minor = bytes[magicLen + 1];
  if (!((major == 1 || major == 2 || major == 3) && minor == 0))
    return "unsupported .npy version " + std::to_string(major) + "." +
           std::to_string(minor) + " (supported: 1.0, 2.0, 3.0)";
  size_t lenSize = major == 1 ? 2 : 4, lenPos = magicLen + 2;
  if (size < lenPos + lenSize)
    return std::string("file is truncated in the header length field");
  uint64_t headerLen = npy_detail::readLE(bytes + lenPos, unsigned(lenSize));
  size_t headerStart = lenPos + lenSize;
  if (headerLen > size - headerStart)
    return "header length " + std::to_string(headerLen) +
           " is larger than the rest of the file (" +
           std::to_string(size - headerStart) + " bytes)";
  std::string header(reinterpret_cast<const char *>(bytes + headerStart),
                     size_t(headerLen));
  const unsigned char *data = bytes + headerStart + headerLen;
  size_t dataSize = size - headerStart - size_t(headerLen);

  std::vector<std::pair<std::string, PyValue>> dict;
  npy_detail::HeaderParser parser(header);
  if (!parser.parseDict(dict))
    return "malformed header: " + parser.error;
  const PyValue *descr = nullptr, *fortran = nullptr, *shape = nullptr;
  for (const auto &kv : dict) {
    const PyValue **slot = kv.first == "descr"           ? &descr
                           : kv.first == "fortran_order" ? &fortran
                           : kv.first == "shape"         ? &shape
                                                         : nullptr;
    if (!slot)
      continue; // NumPy never writes other keys; ignore them.
    if (*slot)
      return "malformed header: duplicate key '" + kv.first + "'";
    *slot = &kv.second;
  }
  if (!descr || !fortran || !shape)
    return std::string("malformed header: missing key '") +
           (!descr ? "descr" : !fortran ? "fortran_order" : "shape") + "'";
  if (descr->kind != PyValue::String)
    return std::string("malformed header: 'descr' is not a string "
                       "(structured dtypes are not supported)");
  if (fortran->kind != PyValue::Bool)
    return std::string(
        "malformed header: 'fortran_order' is not True or False");
  if (shape->kind != PyValue::Tuple)
    return std::string("malformed header: 'shape' is not a tuple");
  if (fortran->boolean)
    return std::string("Fortran-order (column-major) data is not supported; "
                       "save a C-contiguous array (np.ascontiguousarray)");
  std::string why;
  std::optional<NpyDType> dtype = npy_detail::parseDescr(descr->str, why);
  if (!dtype)
    return why;

  out.dtype = *dtype;
  out.descr = descr->str;
  out.shape = shape->ints;
  // Checked: the element count, then the byte count. The product of the
  // non-zero dimensions must fit even when another dimension is 0: every
  // consumer multiplies the dimensions in its own order (found by fuzz-npy:
  // shape (999999999999991, 949992, 0) overflowed NpyArray::numel).
  int64_t numel = 1;
  bool overflow = false, zero = false;
  for (int64_t d : out.shape) {
    if (d == 0)
      zero = true;
    else if (__builtin_mul_overflow(numel, d, &numel))
      overflow = true;
  }
  if (zero)
    numel = 0;
  int64_t byteCount = 0;
  if (overflow ||
      __builtin_mul_overflow(numel, int64_t(npyDTypeSize(out.dtype)),
                             &byteCount))
    return "element count of shape " + shapeText(out.shape) +
           " overflows";
  uint64_t expected = static_cast<uint64_t>(byteCount);
  if (dataSize < expected)
    return "data is truncated: expected " + std::to_string(expected) +
           " bytes of data, found " + std::to_string(dataSize);
  if (dataSize > expected)
    return "trailing data: expected " + std::to_string(expected) +
           " bytes of data, found " + std::to_string(dataSize);
  out.numel = numel;
  out.data = data;
  return std::nullopt;
}

/// The view's values as fp32 (a float view: F16, F32, F64).
inline void npyToFloats(const NpyView &v, float *out) {
  unsigned size = npyDTypeSize(v.dtype);
  for (int64_t i = 0; i < v.numel; ++i) {
    const unsigned char *e = v.data + size_t(i) * size;
    if (v.dtype == NpyDType::F32) {
      uint32_t u = uint32_t(npy_detail::readLE(e, 4));
      std::memcpy(&out[i], &u, 4);
    } else if (v.dtype == NpyDType::F64) {
      uint64_t u = npy_detail::readLE(e, 8);
      double d;
      std::memcpy(&d, &u, 8);
      out[i] = float(d);
    } else { // F16
      out[i] = halfToFloat(uint16_t(npy_detail::readLE(e, 2)));
    }
  }
}

/// The view's values as int64 (an integer view); the problem when a uint64
/// value does not fit int64.
inline std::optional<std::string> npyToInts(const NpyView &v, int64_t *out) {
  unsigned size = npyDTypeSize(v.dtype);
  bool isSigned = v.dtype == NpyDType::I8 || v.dtype == NpyDType::I16 ||
                  v.dtype == NpyDType::I32 || v.dtype == NpyDType::I64;
  for (int64_t i = 0; i < v.numel; ++i) {
    uint64_t u = npy_detail::readLE(v.data + size_t(i) * size, size);
    if (v.dtype == NpyDType::Bool)
      u = u != 0;
    if (isSigned && size < 8 && ((u >> (8 * size - 1)) & 1))
      u |= ~uint64_t(0) << (8 * size); // sign-extend
    if (v.dtype == NpyDType::U64 && u > uint64_t(INT64_MAX))
      return "uint64 value " + std::to_string(u) + " at index " +
             std::to_string(i) + " does not fit int64";
    out[i] = static_cast<int64_t>(u);
  }
  return std::nullopt;
}

/// The bytes before the data of a C-order file of `descr` and `shape`:
/// magic, version (1.0, or 2.0 when the header needs more than 65535
/// bytes), header length and the dict, padded so that the data starts
/// 64-byte aligned.
inline std::string npyFileHeader(const char *descr,
                                 const std::vector<int64_t> &shape) {
  std::string dict = std::string("{'descr': '") + descr +
                     "', 'fortran_order': False, 'shape': " +
                     npy_detail::shapeTuple(shape) + ", }";
  size_t fixed = 10, total = fixed + dict.size() + 1;
  size_t padded = (total + 63) / 64 * 64;
  bool v2 = padded - fixed > 65535;
  if (v2) {
    fixed = 12;
    total = fixed + dict.size() + 1;
    padded = (total + 63) / 64 * 64;
  }
  dict.append(padded - total, ' ');
  dict += '\n';
  std::string out("\x93NUMPY", 6);
  out += char(v2 ? 2 : 1);
  out += char(0);
  for (unsigned k = 0; k < (v2 ? 4u : 2u); ++k)
    out += char((dict.size() >> (8 * k)) & 0xff);
  return out + dict;
}

//===----------------------------------------------------------------------===//
// The runtime's API
//===----------------------------------------------------------------------===//

/// The contents of a .npy file: float data converted to fp32 or integer
/// data converted to int64, C order.
struct NpyArray {
  std::string dtype; // as stored, e.g. "<f4", "<i8", "|u1"
  std::vector<int64_t> shape;
  bool isFloat = false;
  std::vector<float> floats; // when isFloat
  std::vector<int64_t> ints; // otherwise
  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : shape) {
      if (d == 0)
        return 0;
      n *= d; // fits: parseNpy checks the product of the non-zero dims
    }
    return n;
  }
};

namespace npy_detail {
inline bool fail(std::string *error, const std::string &name,
                 const std::string &msg) {
  if (error)
    *error = name + ": " + msg;
  return false;
}
} // namespace npy_detail

/// Parses an in-memory .npy file of `size` bytes; `name` (a path) prefixes
/// error messages.
inline bool parseNpy(const unsigned char *data, size_t size,
                     const std::string &name, NpyArray &out,
                     std::string *error = nullptr) {
  out = NpyArray();
  NpyView v;
  if (std::optional<std::string> problem = parseNpyView(data, size, v))
    return npy_detail::fail(error, name, *problem);
  out.dtype = v.descr;
  out.shape = v.shape;
  out.isFloat = npyDTypeIsFloat(v.dtype);
  if (out.isFloat) {
    out.floats.resize(size_t(v.numel));
    npyToFloats(v, out.floats.data());
    return true;
  }
  out.ints.resize(size_t(v.numel));
  if (std::optional<std::string> problem = npyToInts(v, out.ints.data()))
    return npy_detail::fail(error, name, *problem);
  return true;
}

/// Reads `path` (see parseNpy).
inline bool readNpy(const std::string &path, NpyArray &out,
                    std::string *error = nullptr) {
  std::FILE *f = std::fopen(path.c_str(), "rb");
  if (!f)
    return npy_detail::fail(error, path, std::string("cannot open file: ") +
                                             std::strerror(errno));
  std::vector<unsigned char> bytes;
  unsigned char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
    bytes.insert(bytes.end(), buf, buf + n);
  bool readError = std::ferror(f) != 0;
  std::fclose(f);
  if (readError)
    return npy_detail::fail(error, path, "read error");
  return parseNpy(bytes.data(), bytes.size(), path, out, error);
}

/// Reads a float array (f2/f4/f8) as fp32; an integer array is an error.
inline bool readNpyFloats(const std::string &path, std::vector<int64_t> &shape,
                          std::vector<float> &data,
                          std::string *error = nullptr) {
  NpyArray a;
  if (!readNpy(path, a, error))
    return false;
  if (!a.isFloat)
    return npy_detail::fail(error, path,
                            "expected a float array, got dtype '" + a.dtype +
                                "'");
  shape = std::move(a.shape);
  data = std::move(a.floats);
  return true;
}

/// Reads an integer array (token ids) as int64; a float array is an error.
inline bool readNpyInts(const std::string &path, std::vector<int64_t> &shape,
                        std::vector<int64_t> &data,
                        std::string *error = nullptr) {
  NpyArray a;
  if (!readNpy(path, a, error))
    return false;
  if (a.isFloat)
    return npy_detail::fail(error, path,
                            "expected an integer array, got dtype '" +
                                a.dtype + "'");
  shape = std::move(a.shape);
  data = std::move(a.ints);
  return true;
}

namespace npy_detail {

/// Writes a file with the given descr and raw little-endian element bytes.
inline bool writeRaw(const std::string &path, const char *descr,
                     const std::vector<int64_t> &shape, const void *data,
                     size_t bytes, std::string *error) {
  std::string header = npyFileHeader(descr, shape);
  std::FILE *f = std::fopen(path.c_str(), "wb");
  if (!f)
    return fail(error, path,
                std::string("cannot open for writing: ") + std::strerror(errno));
  bool ok = std::fwrite(header.data(), 1, header.size(), f) == header.size() &&
            (bytes == 0 || std::fwrite(data, 1, bytes, f) == bytes);
  ok = (std::fclose(f) == 0) && ok;
  if (!ok)
    return fail(error, path, "write error");
  return true;
}

inline size_t count(const std::vector<int64_t> &shape) {
  size_t n = 1;
  for (int64_t d : shape)
    n *= size_t(d);
  return n;
}

} // namespace npy_detail

/// Writes an fp32 array ('<f4').
inline bool writeNpy(const std::string &path, const float *data,
                     const std::vector<int64_t> &shape,
                     std::string *error = nullptr) {
  return npy_detail::writeRaw(path, "<f4", shape, data,
                              npy_detail::count(shape) * 4, error);
}

/// Writes an int64 array ('<i8').
inline bool writeNpy(const std::string &path, const int64_t *data,
                     const std::vector<int64_t> &shape,
                     std::string *error = nullptr) {
  return npy_detail::writeRaw(path, "<i8", shape, data,
                              npy_detail::count(shape) * 8, error);
}

/// Writes an int32 array ('<i4').
inline bool writeNpy(const std::string &path, const int32_t *data,
                     const std::vector<int64_t> &shape,
                     std::string *error = nullptr) {
  return npy_detail::writeRaw(path, "<i4", shape, data,
                              npy_detail::count(shape) * 4, error);
}

} // namespace sxf_rt

#endif // SXF_RT_NPY_H
