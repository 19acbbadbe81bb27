//===- sxf_rt/npy.h - Minimal NumPy .npy reader and writer ------*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime (header-only, C++17, standard library
// only). What a generated model program needs to read its inputs and write
// its outputs the way `sparse-run` does: float arrays (read from <f2, <f4 or
// <f8, returned as fp32) and integer token ids (read from <i1 .. <i8, |u1,
// <u2 .. <u8, |b1, returned as int64), written as <f4 and <i8 version 1.0
// files.
//
// Offers
//   struct NpyArray { dtype, shape, floats or ints }
//   parseNpy(bytes, size, name, &array, &error)   an in-memory file
//   readNpy(path, &array, &error)                 a file
//   readNpyFloats / readNpyInts(path, &shape, &data, &error)
//   writeNpy(path, const float*|const int64_t*|const int32_t*, shape, &error)
//
// Every failure returns false with a message naming the file and the
// problem (bad magic, unsupported version, malformed header, big-endian or
// Fortran-order data, unsupported dtype, data shorter or longer than the
// shape needs, I/O errors). Version 1.0, 2.0 and 3.0 headers are accepted.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_NPY_H
#define SXF_RT_NPY_H

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace sxf_rt {

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
    for (int64_t d : shape)
      n *= d;
    return n;
  }
};

/// "(2, 3)" / "(5,)" / "()".
inline std::string npyShapeString(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1)
    s += ",";
  return s + ")";
}

namespace npy_detail {

inline bool fail(std::string *error, const std::string &name,
                 const std::string &msg) {
  if (error)
    *error = name + ": " + msg;
  return false;
}

/// Tiny parser for the header dict NumPy writes: string keys, values that are
/// strings, True/False or tuples of non-negative integers.
struct HeaderParser {
  const std::string &s;
  size_t pos = 0;
  std::string problem;

  explicit HeaderParser(const std::string &text) : s(text) {}

  void ws() {
    while (pos < s.size() &&
           (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' ||
            s[pos] == '\r'))
      ++pos;
  }
  bool eat(char c) {
    ws();
    if (pos < s.size() && s[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  bool str(std::string &out) {
    ws();
    if (pos >= s.size() || (s[pos] != '\'' && s[pos] != '"'))
      return false;
    char q = s[pos++];
    while (pos < s.size() && s[pos] != q)
      out += s[pos++];
    if (pos >= s.size())
      return false;
    ++pos;
    return true;
  }
  bool word(const char *w) {
    ws();
    size_t n = std::strlen(w);
    if (s.compare(pos, n, w) != 0)
      return false;
    pos += n;
    return true;
  }
  bool tuple(std::vector<int64_t> &out) {
    if (!eat('('))
      return false;
    while (true) {
      if (eat(')'))
        return true;
      ws();
      if (pos < s.size() && s[pos] == '-') {
        problem = "negative extent in the shape";
        return false;
      }
      if (pos >= s.size() || s[pos] < '0' || s[pos] > '9') {
        problem = "expected an integer in the shape tuple";
        return false;
      }
      int64_t v = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (v > (INT64_MAX - 9) / 10) {
          problem = "shape extent is too large";
          return false;
        }
        v = v * 10 + (s[pos++] - '0');
      }
      if (pos < s.size() && (s[pos] == 'L' || s[pos] == 'l'))
        ++pos;
      out.push_back(v);
      if (eat(')'))
        return true;
      if (!eat(',')) {
        problem = "expected ',' or ')' in the shape tuple";
        return false;
      }
    }
  }
};

inline uint64_t readLE(const unsigned char *p, unsigned bytes) {
  uint64_t v = 0;
  for (unsigned i = 0; i < bytes; ++i)
    v |= uint64_t(p[i]) << (8 * i);
  return v;
}

inline float halfBitsToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000u) << 16, em = h & 0x7fffu, bits;
  if (em >= 0x7c00u)
    bits = 0x7f800000u | ((em & 0x3ffu) << 13);
  else if (em >= 0x0400u)
    bits = (em << 13) + 0x38000000u;
  else {
    float f = float(em) * 5.9604644775390625e-8f;
    std::memcpy(&bits, &f, 4);
  }
  bits |= sign;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

} // namespace npy_detail

/// Parses an in-memory .npy file of `size` bytes; `name` (a path) prefixes
/// error messages.
inline bool parseNpy(const unsigned char *data, size_t size,
                     const std::string &name, NpyArray &out,
                     std::string *error = nullptr) {
  using npy_detail::fail;
  out = NpyArray();
  if (size < 10 || std::memcmp(data, "\x93NUMPY", 6) != 0)
    return fail(error, name, "not a .npy file (bad magic)");
  unsigned major = data[6], minor = data[7];
  size_t headerLen, offset;
  if (major == 1) {
    headerLen = size_t(npy_detail::readLE(data + 8, 2));
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (size < 12)
      return fail(error, name, "truncated header");
    headerLen = size_t(npy_detail::readLE(data + 8, 4));
    offset = 12;
  } else {
    return fail(error, name,
                "unsupported .npy version " + std::to_string(major) + "." +
                    std::to_string(minor));
  }
  if (headerLen > size - offset)
    return fail(error, name, "truncated header");
  std::string header(reinterpret_cast<const char *>(data + offset), headerLen);
  npy_detail::HeaderParser p(header);
  std::string descr;
  bool haveDescr = false, haveOrder = false, haveShape = false, fortran = false;
  if (!p.eat('{'))
    return fail(error, name, "malformed header: expected '{'");
  while (!p.eat('}')) {
    std::string key;
    if (!p.str(key))
      return fail(error, name, "malformed header: expected a quoted key");
    if (!p.eat(':'))
      return fail(error, name, "malformed header: expected ':' after '" +
                                   key + "'");
    if (key == "descr") {
      if (!p.str(descr))
        return fail(error, name, "malformed header: 'descr' is not a string");
      haveDescr = true;
    } else if (key == "fortran_order") {
      if (p.word("True"))
        fortran = true;
      else if (!p.word("False"))
        return fail(error, name,
                    "malformed header: 'fortran_order' is not True/False");
      haveOrder = true;
    } else if (key == "shape") {
      if (!p.tuple(out.shape))
        return fail(error, name,
                    "malformed header: " +
                        (p.problem.empty() ? std::string("bad 'shape'")
                                           : p.problem));
      haveShape = true;
    } else {
      return fail(error, name, "malformed header: unknown key '" + key + "'");
    }
    if (!p.eat(',')) {
      if (p.eat('}'))
        break;
      return fail(error, name, "malformed header: expected ',' or '}'");
    }
  }
  if (!haveDescr || !haveOrder || !haveShape)
    return fail(error, name,
                "malformed header: needs 'descr', 'fortran_order' and "
                "'shape'");
  out.dtype = descr;
  if (fortran)
    return fail(error, name,
                "Fortran-order arrays are not supported; save with "
                "np.ascontiguousarray");
  if (descr.size() < 3 || (descr[0] != '<' && descr[0] != '|' &&
                           descr[0] != '>' && descr[0] != '='))
    return fail(error, name, "unsupported dtype '" + descr + "'");
  char kind = descr[1];
  unsigned bytes = unsigned(std::atoi(descr.c_str() + 2));
  if (descr[0] == '>' && bytes > 1)
    return fail(error, name,
                "big-endian data ('" + descr +
                    "') is not supported; convert with "
                    "arr.astype(arr.dtype.newbyteorder('<'))");
  bool ok = (kind == 'f' && (bytes == 2 || bytes == 4 || bytes == 8)) ||
            ((kind == 'i' || kind == 'u') &&
             (bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8)) ||
            (kind == 'b' && bytes == 1);
  if (!ok)
    return fail(error, name,
                "unsupported dtype '" + descr +
                    "' (supported: <f2, <f4, <f8, <i1..<i8, <u1..<u8, |b1)");
  int64_t count = 1;
  for (int64_t d : out.shape) {
    if (d != 0 && count > INT64_MAX / d / 8)
      return fail(error, name, "shape " + npyShapeString(out.shape) +
                                   " has too many elements");
    count *= d;
  }
  size_t need = size_t(count) * bytes, have = size - offset - headerLen;
  if (have != need)
    return fail(error, name,
                "data holds " + std::to_string(have) + " bytes; shape " +
                    npyShapeString(out.shape) + " of '" + descr + "' needs " +
                    std::to_string(need));
  const unsigned char *d = data + offset + headerLen;
  out.isFloat = kind == 'f';
  if (out.isFloat) {
    out.floats.resize(size_t(count));
    for (int64_t i = 0; i < count; ++i) {
      const unsigned char *e = d + size_t(i) * bytes;
      if (bytes == 4) {
        std::memcpy(&out.floats[size_t(i)], e, 4);
      } else if (bytes == 8) {
        double v;
        std::memcpy(&v, e, 8);
        out.floats[size_t(i)] = float(v);
      } else {
        out.floats[size_t(i)] =
            npy_detail::halfBitsToFloat(uint16_t(npy_detail::readLE(e, 2)));
      }
    }
  } else {
    out.ints.resize(size_t(count));
    for (int64_t i = 0; i < count; ++i) {
      uint64_t u = npy_detail::readLE(d + size_t(i) * bytes, bytes);
      int64_t v;
      if (kind == 'i' && bytes < 8 && (u >> (8 * bytes - 1)) & 1)
        v = int64_t(u | (~uint64_t(0) << (8 * bytes))); // sign-extend
      else
        v = int64_t(u);
      if (kind == 'u' && bytes == 8 && v < 0)
        return fail(error, name,
                    "uint64 value at index " + std::to_string(i) +
                        " does not fit int64");
      out.ints[size_t(i)] = v;
    }
  }
  return true;
}

/// Reads `path` (see parseNpy).
inline bool readNpy(const std::string &path, NpyArray &out,
                    std::string *error = nullptr) {
  std::FILE *f = std::fopen(path.c_str(), "rb");
  if (!f)
    return npy_detail::fail(error, path,
                            std::string("cannot open: ") + std::strerror(errno));
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

/// Writes a version 1.0 file with the given descr and raw little-endian
/// element bytes.
inline bool writeRaw(const std::string &path, const char *descr,
                     const std::vector<int64_t> &shape, const void *data,
                     size_t bytes, std::string *error) {
  std::string dict = std::string("{'descr': '") + descr +
                     "', 'fortran_order': False, 'shape': " +
                     npyShapeString(shape) + ", }";
  // Pad with spaces so that magic + 4 + header (ending in '\n') is a
  // multiple of 64.
  size_t total = 10 + dict.size() + 1;
  dict.append((64 - total % 64) % 64, ' ');
  dict += '\n';
  std::FILE *f = std::fopen(path.c_str(), "wb");
  if (!f)
    return fail(error, path,
                std::string("cannot open for writing: ") + std::strerror(errno));
  unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                           static_cast<unsigned char>(dict.size() & 0xff),
                           static_cast<unsigned char>(dict.size() >> 8)};
  bool ok = std::fwrite(pre, 1, 10, f) == 10 &&
            std::fwrite(dict.data(), 1, dict.size(), f) == dict.size() &&
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
