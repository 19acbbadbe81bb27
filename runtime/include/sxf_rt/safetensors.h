//===- sxf_rt/safetensors.h - Safetensors reader and writer -----*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime (header-only, C++17, standard library
// only), and the one safetensors implementation of sxf: the compiler's
// lib/Support/Safetensors.cpp and the runtime's container.h wrap the core
// below (parseSafetensorsView, safetensorsFileHeader) and only add file I/O,
// their error types and element conversions.
//
// The format (https://github.com/huggingface/safetensors):
//   8 bytes    little-endian u64 N, the header length
//   N bytes    UTF-8 JSON object: { "__metadata__": {str: str}?,
//                                   NAME: {"dtype": "F32", "shape": [..],
//                                          "data_offsets": [begin, end]} ... }
//   rest       the data section; offsets are relative to its start
//
// parseSafetensorsView checks everything before a byte is handed out: the
// length field (at most 100,000,000, as in the reference implementation);
// the header, strict JSON (sxf_rt/json.h; nesting bounded at 128 levels): an
// object whose names are unique (escapes decoded); "__metadata__" an object
// of strings with unique keys; per tensor an object with unique fields
// (unknown ones are ignored, as the reference implementation does), a known
// dtype, a shape of non-negative integers whose element count and byte size
// fit int64 (the product of the non-zero extents too), data_offsets two
// non-negative integers begin <= end inside the data section and as many
// bytes apart as shape and dtype need; then no two non-empty ranges overlap
// and together they cover the data section from its first byte to its last
// (a header length off by a byte moves every tensor and is caught here).
// Problems name the tensor ("tensor 'w': missing 'dtype'"); the wrappers
// prefix the file.
//
// Offers
//   SafetensorsDType, safetensorsDTypeSize, safetensorsDTypeName,
//   parseSafetensorsDType
//   parseSafetensorsView(bytes, size, &view) -> problem   the validating core
//   safetensorsFileHeader(tensors, metadata, &out) -> problem
//                                   length + header JSON + padding to 8 bytes
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_SAFETENSORS_H
#define SXF_RT_SAFETENSORS_H

#include "sxf_rt/json.h"
#include "sxf_rt/shape.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sxf_rt {

/// The element types sxf reads from safetensors files.
enum class SafetensorsDType {
  F32,
  F16,
  BF16,
  F64,
  I8,
  I16,
  I32,
  I64,
  U8,
  Bool
};

inline unsigned safetensorsDTypeSize(SafetensorsDType t) {
  static const unsigned sizes[] = {4, 2, 2, 8, 1, 2, 4, 8, 1, 1};
  return sizes[static_cast<int>(t)];
}

/// "F32", "F16", "BF16", "F64", "I8", "I16", "I32", "I64", "U8", "BOOL".
inline const char *safetensorsDTypeName(SafetensorsDType t) {
  static const char *const names[] = {"F32", "F16", "BF16", "F64", "I8",
                                      "I16", "I32", "I64",  "U8",  "BOOL"};
  return names[static_cast<int>(t)];
}

inline std::optional<SafetensorsDType>
parseSafetensorsDType(const std::string &s) {
  for (int i = 0; i <= static_cast<int>(SafetensorsDType::Bool); ++i)
    if (s == safetensorsDTypeName(static_cast<SafetensorsDType>(i)))
      return static_cast<SafetensorsDType>(i);
  return std::nullopt;
}

/// One tensor of a header.
struct SafetensorsTensor {
  std::string name;
  SafetensorsDType dtype = SafetensorsDType::F32;
  std::vector<int64_t> shape;
  uint64_t begin = 0, end = 0; // byte range in the data section
};

/// A validated safetensors file, pointing into its bytes.
struct SafetensorsView {
  uint64_t headerLength = 0; // the data section starts at 8 + headerLength
  std::vector<SafetensorsTensor> tensors; // in header order
  std::map<std::string, std::string> metadata;
  const unsigned char *data = nullptr; // the data section, dataSize bytes
  uint64_t dataSize = 0;
};

/// Header lengths above this are refused (the reference implementation's
/// bound).
constexpr uint64_t kMaxSafetensorsHeader = 100000000;

namespace st_detail {

constexpr const char *kMetadataKey = "__metadata__";

/// The magnitude of an integer literal (no fraction, no exponent), its sign
/// in `negative`; std::nullopt for other values and magnitudes above
/// 2^64 - 1.
inline std::optional<uint64_t> integer(const JsonValue &v, bool &negative) {
  if (v.kind != JsonValue::Number)
    return std::nullopt;
  const std::string &t = v.text;
  negative = !t.empty() && t[0] == '-';
  uint64_t r = 0;
  for (size_t i = negative ? 1 : 0; i < t.size(); ++i) {
    if (t[i] < '0' || t[i] > '9')
      return std::nullopt;
    unsigned d = unsigned(t[i] - '0');
    if (r > (UINT64_MAX - d) / 10)
      return std::nullopt;
    r = r * 10 + d;
  }
  return r;
}

/// A non-negative integer ("-0" is 0).
inline std::optional<uint64_t> unsignedInteger(const JsonValue &v) {
  bool negative = false;
  std::optional<uint64_t> r = integer(v, negative);
  if (!r || (negative && *r != 0))
    return std::nullopt;
  return r;
}

/// The element count of `shape` (every extent non-negative), or
/// std::nullopt when it overflows int64. The product of the non-zero extents
/// must fit too: consumers multiply extents in their own order.
inline std::optional<int64_t> elementCount(const std::vector<int64_t> &shape) {
  int64_t numel = 1;
  bool zero = false;
  for (int64_t d : shape) {
    if (d == 0)
      zero = true;
    else if (__builtin_mul_overflow(numel, d, &numel))
      return std::nullopt;
  }
  return zero ? 0 : numel;
}

/// numel elements of `dtype` in bytes, or std::nullopt on overflow.
inline std::optional<uint64_t> byteCount(int64_t numel,
                                         SafetensorsDType dtype) {
  int64_t b;
  if (__builtin_mul_overflow(numel, int64_t(safetensorsDTypeSize(dtype)), &b))
    return std::nullopt;
  return uint64_t(b);
}

/// Checks one tensor entry of the header; fills `t` (name aside).
inline std::optional<std::string>
tensorProblem(const JsonValue &v, uint64_t dataSize, SafetensorsTensor &t) {
  if (v.kind != JsonValue::Object)
    return std::string("entry is not a JSON object");
  std::set<std::string> fields;
  for (const std::string &k : v.keys)
    if (!fields.insert(k).second)
      return "duplicate field '" + k + "'";

  const JsonValue *dt = v.get("dtype");
  if (!dt)
    return std::string("missing 'dtype'");
  if (dt->kind != JsonValue::String)
    return std::string("'dtype' is not a string");
  std::optional<SafetensorsDType> dtype = parseSafetensorsDType(dt->text);
  if (!dtype) {
    std::string all;
    for (int i = 0; i <= static_cast<int>(SafetensorsDType::Bool); ++i)
      all += (i ? ", " : "") +
             std::string(safetensorsDTypeName(SafetensorsDType(i)));
    return "unknown dtype '" + dt->text + "' (expected one of " + all + ")";
  }
  t.dtype = *dtype;

  const JsonValue *sh = v.get("shape");
  if (!sh)
    return std::string("missing 'shape'");
  if (sh->kind != JsonValue::Array)
    return std::string("'shape' is not an array");
  for (const JsonValue &d : sh->items) {
    bool negative = false;
    std::optional<uint64_t> u = integer(d, negative);
    if (!u)
      return std::string("'shape' must be an array of integers");
    if (negative && *u)
      return "negative extent " + d.text + " in 'shape'";
    if (*u > uint64_t(INT64_MAX))
      return "shape extent " + d.text + " overflows the element count";
    t.shape.push_back(int64_t(*u));
  }
  std::optional<int64_t> numel = elementCount(t.shape);
  if (!numel)
    return "element count of shape " + shapeText(t.shape) + " overflows";

  const JsonValue *off = v.get("data_offsets");
  if (!off)
    return std::string("missing 'data_offsets'");
  std::optional<uint64_t> b, e;
  if (off->kind == JsonValue::Array && off->items.size() == 2) {
    b = unsignedInteger(off->items[0]);
    e = unsignedInteger(off->items[1]);
  }
  if (!b || !e || *b > *e)
    return std::string("'data_offsets' must be two non-negative integers "
                       "[begin, end] with begin <= end");
  t.begin = *b;
  t.end = *e;
  if (t.end > dataSize)
    return "data_offsets end " + std::to_string(t.end) +
           " is beyond the data buffer (" + std::to_string(dataSize) +
           " bytes)";
  std::optional<uint64_t> expected = byteCount(*numel, t.dtype);
  if (!expected)
    return "byte size of shape " + shapeText(t.shape) + " overflows";
  if (*expected != t.end - t.begin)
    return "byte size does not match shape " + shapeText(t.shape) +
           " and dtype " + safetensorsDTypeName(t.dtype) + " (expected " +
           std::to_string(*expected) + " bytes, found " +
           std::to_string(t.end - t.begin) + ")";
  return std::nullopt;
}

inline std::string range(const SafetensorsTensor &t) {
  return "[" + std::to_string(t.begin) + ", " + std::to_string(t.end) + ")";
}

/// The tensors' ranges neither overlap nor leave a byte of the data
/// section uncovered.
inline std::optional<std::string> layoutProblem(const SafetensorsView &v) {
  const std::vector<SafetensorsTensor> &ts = v.tensors;
  std::vector<size_t> order;
  for (size_t i = 0; i < ts.size(); ++i)
    if (ts[i].begin != ts[i].end)
      order.push_back(i);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return ts[a].begin != ts[b].begin ? ts[a].begin < ts[b].begin
                                      : ts[a].end < ts[b].end;
  });
  // Each range against the furthest-reaching one before it.
  const SafetensorsTensor *reach = nullptr;
  for (size_t i : order) {
    const SafetensorsTensor &cur = ts[i];
    if (reach && cur.begin < reach->end)
      return "tensors '" + reach->name + "' " + range(*reach) + " and '" +
             cur.name + "' " + range(cur) + " have overlapping byte ranges";
    if (!reach || cur.end > reach->end)
      reach = &cur;
  }
  // Sorted, non-overlapping: the ranges must follow each other without
  // holes from 0 to the end of the data section (the format's rule).
  uint64_t covered = 0;
  for (size_t i : order) {
    if (ts[i].begin > covered)
      return "bytes [" + std::to_string(covered) + ", " +
             std::to_string(ts[i].begin) +
             ") of the data section belong to no tensor (do the header "
             "length and the data offsets add up?)";
    covered = std::max(covered, ts[i].end);
  }
  if (covered != v.dataSize)
    return "the tensors cover " + std::to_string(covered) +
           " bytes but the data section after the " +
           std::to_string(v.headerLength) + "-byte header holds " +
           std::to_string(v.dataSize) +
           " (do the header length and the data offsets add up?)";
  return std::nullopt;
}

} // namespace st_detail

/// Validates an in-memory safetensors file of `size` bytes and describes it
/// in `out` (which points into `bytes`). Returns the problem (without a file
/// name), or std::nullopt.
inline std::optional<std::string>
parseSafetensorsView(const unsigned char *bytes, size_t size,
                     SafetensorsView &out) {
  using st_detail::kMetadataKey;
  out = SafetensorsView();
  if (size < 8)
    return "file is too short for a safetensors header (" +
           std::to_string(size) + " bytes, need at least 8)";
  uint64_t headerLen = 0;
  for (int k = 7; k >= 0; --k)
    headerLen = (headerLen << 8) | bytes[k];
  if (headerLen > kMaxSafetensorsHeader)
    return "header length " + std::to_string(headerLen) +
           " is absurdly large (limit " +
           std::to_string(kMaxSafetensorsHeader) + " bytes)";
  if (headerLen > size - 8)
    return "header length " + std::to_string(headerLen) +
           " is larger than the file (" + std::to_string(size) + " bytes, " +
           std::to_string(size - 8) + " after the length field)";
  uint64_t dataSize = size - 8 - headerLen;

  // Positions in JSON messages count from the start of the file.
  JsonValue root;
  bool tooDeep = false;
  if (std::optional<std::string> problem =
          parseJson(reinterpret_cast<const char *>(bytes + 8),
                    size_t(headerLen), root, 8, &tooDeep))
    return (tooDeep ? "header: " : "header is not valid JSON: ") + *problem;
  if (root.kind != JsonValue::Object)
    return std::string("header is not a JSON object");
  std::set<std::string> names;
  for (const std::string &k : root.keys)
    if (!names.insert(k).second)
      return k == kMetadataKey ? std::string("duplicate '__metadata__' in "
                                             "header")
                               : "duplicate tensor name '" + k + "' in header";

  SafetensorsView v;
  v.headerLength = headerLen;
  v.dataSize = dataSize;
  for (size_t i = 0; i < root.keys.size(); ++i) {
    const std::string &key = root.keys[i];
    const JsonValue &value = root.items[i];
    if (key == kMetadataKey) {
      if (value.kind != JsonValue::Object)
        return std::string("'__metadata__' must be an object mapping strings "
                           "to strings");
      for (size_t m = 0; m < value.keys.size(); ++m) {
        const std::string &mk = value.keys[m];
        if (value.items[m].kind != JsonValue::String)
          return "'__metadata__' value for key '" + mk + "' is not a string";
        if (!v.metadata.emplace(mk, value.items[m].text).second)
          return "duplicate key '" + mk + "' in '__metadata__'";
      }
      continue;
    }
    SafetensorsTensor t;
    t.name = key;
    if (std::optional<std::string> problem =
            st_detail::tensorProblem(value, dataSize, t))
      return "tensor '" + key + "': " + *problem;
    v.tensors.push_back(std::move(t));
  }
  if (std::optional<std::string> problem = st_detail::layoutProblem(v))
    return problem;
  v.data = bytes + 8 + headerLen;
  out = std::move(v);
  return std::nullopt;
}

/// The bytes before the data of a file holding `tensors` back to back in
/// the given order (their begin and end are set here) and `metadata`: the
/// length, the header JSON ("__metadata__" first when there is any, then the
/// tensors, no whitespace) and spaces up to a multiple of 8 bytes, so that
/// the data section starts 8-byte aligned. Returns the problem (a name that
/// is not UTF-8, "__metadata__" or repeated, a negative shape or one whose
/// size overflows, a header parseSafetensorsView would find too long), or
/// std::nullopt.
inline std::optional<std::string>
safetensorsFileHeader(std::vector<SafetensorsTensor> &tensors,
                      const std::map<std::string, std::string> &metadata,
                      std::string &out) {
  std::set<std::string> names;
  uint64_t offset = 0;
  for (SafetensorsTensor &t : tensors) {
    if (!isValidUtf8(t.name))
      return "tensor name '" + t.name + "' is not UTF-8";
    if (t.name == st_detail::kMetadataKey)
      return std::string("'__metadata__' is reserved and cannot name a "
                         "tensor");
    if (!names.insert(t.name).second)
      return "duplicate tensor name '" + t.name + "'";
    std::optional<uint64_t> bytes;
    if (std::all_of(t.shape.begin(), t.shape.end(),
                    [](int64_t d) { return d >= 0; }))
      if (std::optional<int64_t> numel = st_detail::elementCount(t.shape))
        bytes = st_detail::byteCount(*numel, t.dtype);
    t.begin = offset;
    if (!bytes || __builtin_add_overflow(offset, *bytes, &offset))
      return "tensor '" + t.name + "': invalid shape " +
             shapeText(t.shape);
    t.end = offset;
  }
  for (const auto &[key, value] : metadata)
    if (!isValidUtf8(key) || !isValidUtf8(value))
      return "metadata entry '" + key + "' is not UTF-8";

  std::string json = "{";
  if (!metadata.empty()) {
    jsonQuote(json, st_detail::kMetadataKey);
    json += ":{";
    for (const auto &[key, value] : metadata) {
      if (json.back() != '{')
        json += ',';
      jsonQuote(json, key);
      json += ':';
      jsonQuote(json, value);
    }
    json += '}';
  }
  for (const SafetensorsTensor &t : tensors) {
    if (json.size() > 1)
      json += ',';
    jsonQuote(json, t.name);
    json += ":{\"dtype\":";
    jsonQuote(json, safetensorsDTypeName(t.dtype));
    json += ",\"shape\":[";
    for (size_t i = 0; i < t.shape.size(); ++i)
      json += (i ? "," : "") + std::to_string(t.shape[i]);
    json += "],\"data_offsets\":[" + std::to_string(t.begin) + "," +
            std::to_string(t.end) + "]}";
  }
  json += '}';
  json.append((8 - json.size() % 8) % 8, ' ');
  if (json.size() > kMaxSafetensorsHeader)
    return "the header would be " + std::to_string(json.size()) +
           " bytes, more than a reader accepts (" +
           std::to_string(kMaxSafetensorsHeader) + ")";
  out.clear();
  for (int k = 0; k < 8; ++k)
    out += char((uint64_t(json.size()) >> (8 * k)) & 0xff);
  out += json;
  return std::nullopt;
}

} // namespace sxf_rt

#endif // SXF_RT_SAFETENSORS_H
