//===- Npy.cpp - Reading and writing NumPy .npy files ---------------------===//
//
// A small, strict reader for the .npy format: the header is a Python dict
// literal, parsed here by a tiny tokenizer that understands exactly the
// literals NumPy writes (strings in either quote style, True/False, integer
// tuples), in any key order and with optional trailing commas.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/Npy.h"
#include "sxf/Support/CheckedMath.h"
#include "sxf/Support/FileOutput.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cctype>
#include <cstring>
#include <optional>

using namespace sxf;
using llvm::StringRef;
using llvm::Twine;

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;

llvm::Error npyError(StringRef name, const Twine &msg) {
  return llvm::createStringError(Twine(name) + ": " + msg);
}

/// A value of the header dict.
struct PyValue {
  enum Kind { String, Bool, Tuple } kind = String;
  std::string str;
  bool boolean = false;
  std::vector<int64_t> ints;
};

/// Recursive-descent parser for the header dict literal. Errors are reported
/// as a message (without the file name) in `error`.
class HeaderParser {
public:
  explicit HeaderParser(StringRef text) : s(text) {}

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
  StringRef s;
  size_t pos = 0;

  bool fail(const Twine &msg) {
    error = msg.str();
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

  bool consumeWord(StringRef w) {
    if (s.substr(pos).starts_with(w)) {
      size_t after = pos + w.size();
      // Do not accept a prefix of a longer identifier ("Truex").
      if (after < s.size() &&
          (isalnum(static_cast<unsigned char>(s[after])) || s[after] == '_'))
        return false;
      pos = after;
      return true;
    }
    return false;
  }

  /// A Python string literal in single or double quotes. Backslash escapes
  /// keep the escaped character (NumPy never writes any in these headers).
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
      unsigned digit = s[pos] - '0';
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

/// Maps a descr string to a dtype; sets `why` on failure.
std::optional<DType> parseDescr(StringRef descr, std::string &why) {
  if (descr.size() < 2) {
    why = "unsupported dtype '" + descr.str() + "'";
    return std::nullopt;
  }
  char order = descr[0];
  StringRef type = descr.substr(1);
  if (order == '>') {
    why = "big-endian data ('" + descr.str() +
          "') is not supported; convert with "
          "arr.astype(arr.dtype.newbyteorder('<'))";
    return std::nullopt;
  }
  if (type.starts_with("O")) {
    why = "object arrays ('" + descr.str() + "') are not supported";
    return std::nullopt;
  }
  struct Known {
    const char *type;
    DType dtype;
  };
  static const Known known[] = {
      {"f2", DType::F16}, {"f4", DType::F32}, {"f8", DType::F64},
      {"i1", DType::I8},  {"i2", DType::I16}, {"i4", DType::I32},
      {"i8", DType::I64}, {"u1", DType::U8},  {"b1", DType::Bool},
  };
  for (const Known &k : known) {
    if (type != k.type)
      continue;
    // '|' (not applicable) is only meaningful for single-byte types; '<' is
    // accepted for them too.
    if (order == '<' || (order == '|' && dtypeSize(k.dtype) == 1))
      return k.dtype;
    break;
  }
  why = "unsupported dtype '" + descr.str() +
        "' (supported: <f2, <f4, <f8, <i1, <i2, <i4, <i8, |i1, |u1, |b1)";
  return std::nullopt;
}

std::string shapeTuple(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1)
    s += ',';
  s += ')';
  return s;
}

llvm::Error writeNpyImpl(StringRef path, const char *descr,
                         const std::vector<int64_t> &shape, const char *data,
                         size_t dataSize) {
  std::string dict =
      std::string("{'descr': '") + descr +
      "', 'fortran_order': False, 'shape': " + shapeTuple(shape) + ", }";
  // Preamble: magic (6) + version (2) + length (2 for v1.0, 4 for v2.0).
  size_t fixed = kMagicLen + 2 + 2;
  size_t total = fixed + dict.size() + 1;
  size_t padded = (total + 63) / 64 * 64;
  bool v2 = padded - fixed > 65535;
  if (v2) {
    fixed = kMagicLen + 2 + 4;
    total = fixed + dict.size() + 1;
    padded = (total + 63) / 64 * 64;
  }
  dict.append(padded - total, ' ');
  dict += '\n';

  if (llvm::Error e = writeOutputFile(path, [&](llvm::raw_ostream &os) {
        os.write(kMagic, kMagicLen);
        char version[2] = {static_cast<char>(v2 ? 2 : 1), 0};
        os.write(version, 2);
        char len[4];
        if (v2) {
          llvm::support::endian::write32le(len, dict.size());
          os.write(len, 4);
        } else {
          llvm::support::endian::write16le(len, dict.size());
          os.write(len, 2);
        }
        os << dict;
        os.write(data, dataSize);
      }))
    return e;
  return llvm::Error::success();
}

/// Checks that `a.bytes` matches its shape and dtype.
llvm::Error checkConsistent(const NpyArray &a, int64_t &numel) {
  numel = shapeNumElements(a.shape);
  if (numel < 0)
    return llvm::createStringError("invalid shape " + shapeToString(a.shape));
  std::optional<int64_t> byteCount = checkedMul(numel, dtypeSize(a.dtype));
  if (numel < 0 || !byteCount)
    return llvm::createStringError("byte size of shape " +
                                   shapeToString(a.shape) + " overflows");
  uint64_t expected = static_cast<uint64_t>(*byteCount);
  if (expected != a.bytes.size())
    return llvm::createStringError(
        "array has " + Twine(a.bytes.size()) + " bytes but shape " +
        shapeToString(a.shape) + " of dtype " + dtypeSafetensorsName(a.dtype) +
        " needs " + Twine(expected));
  return llvm::Error::success();
}

} // namespace

llvm::Expected<Tensor> NpyArray::toFloat() const {
  if (!dtypeIsFloat(dtype))
    return llvm::createStringError(
        "expected a floating-point array (f2, f4, f8), found dtype " +
        Twine(dtypeSafetensorsName(dtype)));
  int64_t numel;
  if (llvm::Error err = checkConsistent(*this, numel))
    return std::move(err);
  Tensor t;
  t.shape = shape;
  t.data.resize(static_cast<size_t>(numel));
  decodeFloats(bytes.data(), dtype, numel, t.data.data());
  return std::move(t);
}

llvm::Expected<IntTensor> NpyArray::toInt() const {
  if (dtypeIsFloat(dtype))
    return llvm::createStringError(
        "expected an integer array (i1, i2, i4, i8, u1, b1), found dtype " +
        Twine(dtypeSafetensorsName(dtype)));
  int64_t numel;
  if (llvm::Error err = checkConsistent(*this, numel))
    return std::move(err);
  IntTensor t;
  t.shape = shape;
  t.data.resize(static_cast<size_t>(numel));
  namespace endian = llvm::support::endian;
  const uint8_t *p = bytes.data();
  unsigned size = dtypeSize(dtype);
  for (int64_t i = 0; i < numel; ++i, p += size) {
    int64_t v = 0;
    switch (dtype) {
    case DType::I8:
      v = static_cast<int8_t>(*p);
      break;
    case DType::U8:
      v = *p;
      break;
    case DType::Bool:
      v = *p != 0;
      break;
    case DType::I16:
      v = static_cast<int16_t>(endian::read16le(p));
      break;
    case DType::I32:
      v = static_cast<int32_t>(endian::read32le(p));
      break;
    default: // I64
      v = static_cast<int64_t>(endian::read64le(p));
      break;
    }
    t.data[i] = v;
  }
  return std::move(t);
}

llvm::Expected<NpyArray> sxf::parseNpy(StringRef contents, StringRef name) {
  if (contents.size() < kMagicLen ||
      contents.substr(0, kMagicLen) != StringRef(kMagic, kMagicLen))
    return npyError(name, "not a .npy file (bad magic)");
  if (contents.size() < kMagicLen + 2)
    return npyError(name, "file is truncated in the version field");
  unsigned major = static_cast<uint8_t>(contents[kMagicLen]);
  unsigned minor = static_cast<uint8_t>(contents[kMagicLen + 1]);
  if (!((major == 1 || major == 2 || major == 3) && minor == 0))
    return npyError(name, "unsupported .npy version " + Twine(major) + "." +
                              Twine(minor) + " (supported: 1.0, 2.0, 3.0)");
  size_t lenSize = major == 1 ? 2 : 4;
  size_t lenPos = kMagicLen + 2;
  if (contents.size() < lenPos + lenSize)
    return npyError(name, "file is truncated in the header length field");
  uint64_t headerLen =
      major == 1 ? llvm::support::endian::read16le(contents.data() + lenPos)
                 : llvm::support::endian::read32le(contents.data() + lenPos);
  size_t headerStart = lenPos + lenSize;
  if (headerLen > contents.size() - headerStart)
    return npyError(name, "header length " + Twine(headerLen) +
                              " is larger than the rest of the file (" +
                              Twine(contents.size() - headerStart) + " bytes)");
  StringRef header = contents.substr(headerStart, headerLen);
  StringRef data = contents.substr(headerStart + headerLen);

  std::vector<std::pair<std::string, PyValue>> dict;
  HeaderParser parser(header);
  if (!parser.parseDict(dict))
    return npyError(name, "malformed header: " + parser.error);

  const PyValue *descr = nullptr, *fortran = nullptr, *shape = nullptr;
  for (const auto &kv : dict) {
    const PyValue **slot = nullptr;
    if (kv.first == "descr")
      slot = &descr;
    else if (kv.first == "fortran_order")
      slot = &fortran;
    else if (kv.first == "shape")
      slot = &shape;
    else
      continue; // NumPy never writes other keys; ignore them.
    if (*slot)
      return npyError(name,
                      "malformed header: duplicate key '" + kv.first + "'");
    *slot = &kv.second;
  }
  if (!descr || !fortran || !shape)
    return npyError(name, "malformed header: missing key '" +
                              Twine(!descr     ? "descr"
                                    : !fortran ? "fortran_order"
                                               : "shape") +
                              "'");
  if (descr->kind != PyValue::String)
    return npyError(name, "malformed header: 'descr' is not a string "
                          "(structured dtypes are not supported)");
  if (fortran->kind != PyValue::Bool)
    return npyError(name, "malformed header: 'fortran_order' is not "
                          "True or False");
  if (shape->kind != PyValue::Tuple)
    return npyError(name, "malformed header: 'shape' is not a tuple");
  if (fortran->boolean)
    return npyError(name, "Fortran-order (column-major) data is not "
                          "supported; save a C-contiguous array "
                          "(np.ascontiguousarray)");

  std::string why;
  std::optional<DType> dtype = parseDescr(descr->str, why);
  if (!dtype)
    return npyError(name, why);

  NpyArray a;
  a.dtype = *dtype;
  a.shape = shape->ints;
  int64_t numel = shapeNumElements(a.shape);
  std::optional<int64_t> byteCount = checkedMul(numel, dtypeSize(a.dtype));
  if (numel < 0 || !byteCount)
    return npyError(name, "element count of shape " + shapeToString(a.shape) +
                              " overflows");
  uint64_t expected = static_cast<uint64_t>(*byteCount);
  if (data.size() < expected)
    return npyError(name, "data is truncated: expected " + Twine(expected) +
                              " bytes of data, found " + Twine(data.size()));
  if (data.size() > expected)
    return npyError(name, "trailing data: expected " + Twine(expected) +
                              " bytes of data, found " + Twine(data.size()));
  a.bytes.assign(data.bytes_begin(), data.bytes_end());
  return std::move(a);
}

llvm::Expected<NpyArray> sxf::readNpy(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buf)
    return npyError(path, "cannot open file: " + buf.getError().message());
  return parseNpy((*buf)->getBuffer(), path);
}

llvm::Error sxf::writeNpy(StringRef path, const Tensor &t) {
  int64_t numel = shapeNumElements(t.shape);
  if (numel < 0 || static_cast<uint64_t>(numel) != t.data.size())
    return npyError(path, "tensor data has " + Twine(t.data.size()) +
                              " elements but shape " + shapeToString(t.shape) +
                              " needs " + Twine(numel));
  std::vector<char> bytes(t.data.size() * 4);
  for (size_t i = 0; i < t.data.size(); ++i) {
    uint32_t u;
    std::memcpy(&u, &t.data[i], sizeof(u));
    llvm::support::endian::write32le(bytes.data() + 4 * i, u);
  }
  return writeNpyImpl(path, "<f4", t.shape, bytes.data(), bytes.size());
}

llvm::Error sxf::writeNpy(StringRef path, const IntTensor &t) {
  int64_t numel = shapeNumElements(t.shape);
  if (numel < 0 || static_cast<uint64_t>(numel) != t.data.size())
    return npyError(path, "tensor data has " + Twine(t.data.size()) +
                              " elements but shape " + shapeToString(t.shape) +
                              " needs " + Twine(numel));
  std::vector<char> bytes(t.data.size() * 8);
  for (size_t i = 0; i < t.data.size(); ++i)
    llvm::support::endian::write64le(bytes.data() + 8 * i,
                                     static_cast<uint64_t>(t.data[i]));
  return writeNpyImpl(path, "<i8", t.shape, bytes.data(), bytes.size());
}
