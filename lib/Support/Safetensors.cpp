//===- Safetensors.cpp - Reading and writing .safetensors files -----------===//
//
// The reader validates the whole header (and every byte range it describes)
// before any tensor data is handed out; every error names the file and, where
// there is one, the tensor. The writer produces the canonical layout: header
// JSON padded with spaces to a multiple of 8 bytes, then the tensors back to
// back in the order given.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/Safetensors.h"
#include "sxf/Support/CheckedMath.h"
#include "sxf/Support/FileOutput.h"
#include "sxf/Support/Json.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstring>
#include <optional>

using namespace sxf;
using llvm::StringRef;
using llvm::Twine;

namespace {

/// Header lengths above this are rejected outright (same bound as the
/// reference implementation).
constexpr uint64_t kMaxHeaderSize = 100000000;

constexpr const char *kDTypeList =
    "F32, F16, BF16, F64, I8, I16, I32, I64, U8, BOOL";

constexpr const char *kMetadataKey = "__metadata__";

std::optional<DType> parseDType(StringRef s) {
  static const DType all[] = {DType::F32, DType::F16, DType::BF16, DType::F64,
                              DType::I8,  DType::I16, DType::I32,  DType::I64,
                              DType::U8,  DType::Bool};
  for (DType t : all)
    if (s == dtypeSafetensorsName(t))
      return t;
  return std::nullopt;
}

/// Skips JSON whitespace starting at `pos`.
void skipWs(StringRef s, size_t &pos) {
  while (pos < s.size() &&
         (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r'))
    ++pos;
}

/// Moves `pos` (at an opening quote) just past the matching closing quote.
bool skipString(StringRef s, size_t &pos) {
  if (pos >= s.size() || s[pos] != '"')
    return false;
  ++pos;
  while (pos < s.size()) {
    char c = s[pos];
    if (c == '\\') {
      pos += 2;
      continue;
    }
    ++pos;
    if (c == '"')
      return true;
  }
  return false;
}

/// Moves `pos` past one JSON value, stopping at the ',' or '}' that follows
/// it at the same nesting level.
bool skipValue(StringRef s, size_t &pos) {
  int depth = 0;
  while (pos < s.size()) {
    char c = s[pos];
    if (c == '"') {
      if (!skipString(s, pos))
        return false;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0)
        return true;
      --depth;
    } else if (c == ',' && depth == 0) {
      return true;
    }
    ++pos;
  }
  return false;
}

/// Lists the keys of the top-level object of `json`, in textual order and
/// including repetitions. llvm::json::Object is unordered and silently keeps
/// only the last of duplicate keys, so header order and duplicate detection
/// need this scan. `json` must already have been accepted by json::parse.
bool scanTopLevelKeys(StringRef json, std::vector<std::string> &keys) {
  size_t pos = 0;
  skipWs(json, pos);
  if (pos >= json.size() || json[pos] != '{')
    return false;
  ++pos;
  skipWs(json, pos);
  if (pos < json.size() && json[pos] == '}')
    return true;
  while (pos < json.size()) {
    size_t keyStart = pos;
    if (!skipString(json, pos))
      return false;
    // Decode escapes exactly as the JSON parser does (one string token,
    // which cannot nest, and the header already passed checkJsonDepth).
    llvm::Expected<llvm::json::Value> key =
        llvm::json::parse(json.slice(keyStart, pos));
    if (!key) {
      llvm::consumeError(key.takeError());
      return false;
    }
    std::optional<StringRef> keyStr = key->getAsString();
    if (!keyStr)
      return false;
    keys.push_back(keyStr->str());
    skipWs(json, pos);
    if (pos >= json.size() || json[pos] != ':')
      return false;
    ++pos;
    if (!skipValue(json, pos))
      return false;
    if (json[pos] == '}')
      return true;
    ++pos; // ','
    skipWs(json, pos);
  }
  return false;
}

llvm::Error fileError(StringRef path, const Twine &msg) {
  return llvm::createStringError(Twine(path) + ": " + msg);
}

llvm::Error tensorError(StringRef path, StringRef name, const Twine &msg) {
  return llvm::createStringError(Twine(path) + ": tensor '" + name +
                                 "': " + msg);
}

/// Reads a JSON integer that must be non-negative and integral (2.0 is not
/// accepted, matching the reference implementation's strict typing).
std::optional<uint64_t> getNonNegativeInt(const llvm::json::Value &v) {
  return v.getAsUINT64();
}

std::string rangeString(const SafetensorsEntry &e) {
  return "[" + std::to_string(e.begin) + ", " + std::to_string(e.end) + ")";
}

} // namespace

llvm::Expected<std::unique_ptr<SafetensorsFile>>
SafetensorsFile::open(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buf)
    return fileError(path, "cannot open file: " + buf.getError().message());
  return fromBuffer(std::move(*buf), path);
}

llvm::Expected<std::unique_ptr<SafetensorsFile>>
SafetensorsFile::fromBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer,
                            StringRef name) {
  if (!buffer)
    return fileError(name, "no buffer");
  StringRef contents = buffer->getBuffer();
  uint64_t fileSize = contents.size();
  if (fileSize < 8)
    return fileError(name, "file is too short for a safetensors header (" +
                               Twine(fileSize) + " bytes, need at least 8)");
  uint64_t headerLen = llvm::support::endian::read64le(contents.data());
  if (headerLen > kMaxHeaderSize)
    return fileError(name, "header length " + Twine(headerLen) +
                               " is absurdly large (limit " +
                               Twine(kMaxHeaderSize) + " bytes)");
  if (headerLen > fileSize - 8)
    return fileError(name, "header length " + Twine(headerLen) +
                               " is larger than the file (" + Twine(fileSize) +
                               " bytes, " + Twine(fileSize - 8) +
                               " after the length field)");
  StringRef headerText = contents.substr(8, headerLen);
  uint64_t dataSize = fileSize - 8 - headerLen;

  // The header starts after the 8-byte length, so errors count from there.
  if (llvm::Error err = checkJsonDepth(headerText, name + ": header",
                                       /*offset=*/8))
    return std::move(err);
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(headerText);
  if (!parsed)
    return fileError(name, "header is not valid JSON: " +
                               llvm::toString(parsed.takeError()));
  const llvm::json::Object *root = parsed->getAsObject();
  if (!root)
    return fileError(name, "header is not a JSON object");

  std::vector<std::string> keys;
  if (!scanTopLevelKeys(headerText, keys))
    return fileError(name, "cannot scan the keys of the header object");
  {
    llvm::StringSet<> seen;
    for (const std::string &k : keys)
      if (!seen.insert(k).second)
        return fileError(name,
                         k == kMetadataKey
                             ? std::string("duplicate '__metadata__' "
                                           "in header")
                             : "duplicate tensor name '" + k + "' in header");
  }

  auto file = std::unique_ptr<SafetensorsFile>(new SafetensorsFile());
  file->filePath = name.str();
  file->dataStart = 8 + headerLen;

  for (const std::string &key : keys) {
    const llvm::json::Value *v = root->get(key);
    if (!v)
      return fileError(name, "cannot find header key '" + key + "'");

    if (key == kMetadataKey) {
      const llvm::json::Object *m = v->getAsObject();
      if (!m)
        return fileError(name, "'__metadata__' must be an object mapping "
                               "strings to strings");
      for (const auto &kv : *m) {
        std::optional<StringRef> s = kv.second.getAsString();
        if (!s)
          return fileError(name, "'__metadata__' value for key '" +
                                     StringRef(kv.first) + "' is not a string");
        file->meta[kv.first.str()] = s->str();
      }
      continue;
    }

    const llvm::json::Object *obj = v->getAsObject();
    if (!obj)
      return tensorError(name, key, "entry is not a JSON object");

    SafetensorsEntry e;
    e.name = key;

    // dtype
    const llvm::json::Value *dt = obj->get("dtype");
    if (!dt)
      return tensorError(name, key, "missing 'dtype'");
    std::optional<StringRef> dtStr = dt->getAsString();
    if (!dtStr)
      return tensorError(name, key, "'dtype' is not a string");
    std::optional<DType> dtype = parseDType(*dtStr);
    if (!dtype)
      return tensorError(name, key,
                         "unknown dtype '" + *dtStr + "' (expected one of " +
                             kDTypeList + ")");
    e.dtype = *dtype;

    // shape
    const llvm::json::Value *sh = obj->get("shape");
    if (!sh)
      return tensorError(name, key, "missing 'shape'");
    const llvm::json::Array *shArr = sh->getAsArray();
    if (!shArr)
      return tensorError(name, key, "'shape' is not an array");
    for (const llvm::json::Value &d : *shArr) {
      if (std::optional<uint64_t> u = getNonNegativeInt(d)) {
        if (*u > static_cast<uint64_t>(INT64_MAX))
          return tensorError(name, key,
                             "shape extent " + Twine(*u) +
                                 " overflows the element count");
        e.shape.push_back(static_cast<int64_t>(*u));
        continue;
      }
      std::optional<int64_t> i = d.getAsInteger();
      if (i && *i < 0)
        return tensorError(name, key,
                           "negative extent " + Twine(*i) + " in 'shape'");
      return tensorError(name, key, "'shape' must be an array of integers");
    }
    int64_t numel = shapeNumElements(e.shape);
    if (numel < 0)
      return tensorError(name, key,
                         "element count of shape " + shapeToString(e.shape) +
                             " overflows");

    // data_offsets
    const llvm::json::Value *off = obj->get("data_offsets");
    if (!off)
      return tensorError(name, key, "missing 'data_offsets'");
    const llvm::json::Array *offArr = off->getAsArray();
    std::optional<uint64_t> b, en;
    if (offArr && offArr->size() == 2) {
      b = getNonNegativeInt((*offArr)[0]);
      en = getNonNegativeInt((*offArr)[1]);
    }
    if (!b || !en || *b > *en)
      return tensorError(name, key,
                         "'data_offsets' must be two non-negative integers "
                         "[begin, end] with begin <= end");
    e.begin = *b;
    e.end = *en;
    if (e.end > dataSize)
      return tensorError(name, key,
                         "data_offsets end " + Twine(e.end) +
                             " is beyond the data buffer (" + Twine(dataSize) +
                             " bytes)");

    std::optional<int64_t> byteCount = checkedMul(numel, dtypeSize(e.dtype));
    if (numel < 0 || !byteCount)
      return tensorError(name, key,
                         "byte size of shape " + shapeToString(e.shape) +
                             " overflows");
    uint64_t expected = static_cast<uint64_t>(*byteCount);
    uint64_t actual = e.end - e.begin;
    if (expected != actual)
      return tensorError(
          name, key,
          "byte size does not match shape " + shapeToString(e.shape) +
              " and dtype " + dtypeSafetensorsName(e.dtype) + " (expected " +
              Twine(expected) + " bytes, found " + Twine(actual) + ")");
    file->entryList.push_back(std::move(e));
  }

  // Overlap check: sort the non-empty ranges by start and compare each with
  // the furthest-reaching range seen so far.
  std::vector<size_t> order;
  for (size_t i = 0; i < file->entryList.size(); ++i)
    if (file->entryList[i].begin != file->entryList[i].end)
      order.push_back(i);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const SafetensorsEntry &x = file->entryList[a], &y = file->entryList[b];
    return x.begin != y.begin ? x.begin < y.begin : x.end < y.end;
  });
  std::optional<size_t> reach;
  for (size_t i : order) {
    const SafetensorsEntry &cur = file->entryList[i];
    if (reach) {
      const SafetensorsEntry &prev = file->entryList[*reach];
      if (cur.begin < prev.end)
        return fileError(name, "tensors '" + prev.name + "' " +
                                   rangeString(prev) + " and '" + cur.name +
                                   "' " + rangeString(cur) +
                                   " have overlapping byte ranges");
    }
    if (!reach || cur.end > file->entryList[*reach].end)
      reach = i;
  }
  // The offsets must add up: the tensors cover the data section exactly,
  // from its first byte to its last, without holes (the format's rule). A
  // header length that is off by a byte passes every check above (JSON
  // allows trailing spaces) but moves the data section by that byte, so
  // every tensor would be read shifted; this is what catches it.
  uint64_t covered = 0;
  for (size_t i : order) {
    const SafetensorsEntry &cur = file->entryList[i];
    if (cur.begin > covered)
      return fileError(name, "bytes [" + Twine(covered) + ", " +
                                 Twine(cur.begin) +
                                 ") of the data section belong to no tensor "
                                 "(do the header length and the data "
                                 "offsets add up?)");
    covered = std::max(covered, cur.end);
  }
  if (covered != dataSize)
    return fileError(name, "the tensors cover " + Twine(covered) +
                               " bytes but the data section after the " +
                               Twine(headerLen) + "-byte header holds " +
                               Twine(dataSize) +
                               " (do the header length and the data offsets "
                               "add up?)");

  file->buffer = std::move(buffer);
  return std::move(file);
}

const SafetensorsEntry *SafetensorsFile::find(StringRef name) const {
  for (const SafetensorsEntry &e : entryList)
    if (e.name == name)
      return &e;
  return nullptr;
}

llvm::ArrayRef<uint8_t>
SafetensorsFile::rawData(const SafetensorsEntry &e) const {
  uint64_t size = buffer->getBufferSize();
  // Entries handed out by this file were validated; be defensive anyway.
  if (e.begin > e.end || dataStart > size || e.end > size - dataStart)
    return {};
  const uint8_t *base =
      reinterpret_cast<const uint8_t *>(buffer->getBufferStart()) + dataStart;
  return llvm::ArrayRef<uint8_t>(base + e.begin, e.end - e.begin);
}

llvm::Expected<Tensor> SafetensorsFile::readFloat(StringRef name) const {
  const SafetensorsEntry *e = find(name);
  if (!e)
    return fileError(filePath, "no tensor named '" + name + "'");
  if (!dtypeIsFloat(e->dtype))
    return tensorError(filePath, name,
                       "has dtype " + Twine(dtypeSafetensorsName(e->dtype)) +
                           ", expected a floating-point dtype (F32, F16, "
                           "BF16, F64)");
  llvm::ArrayRef<uint8_t> raw = rawData(*e);
  int64_t numel = shapeNumElements(e->shape);
  unsigned size = dtypeSize(e->dtype);
  if (numel < 0 || raw.size() != static_cast<uint64_t>(numel) * size)
    return tensorError(filePath, name, "inconsistent byte range");

  Tensor t;
  t.shape = e->shape;
  t.data.resize(static_cast<size_t>(numel));
  decodeFloats(raw.data(), e->dtype, numel, t.data.data());
  return std::move(t);
}

llvm::Error
sxf::writeSafetensors(StringRef path,
                      llvm::ArrayRef<SafetensorsWriteEntry> tensors,
                      const std::map<std::string, std::string> &metadata) {
  // Validate everything before touching the file system.
  llvm::StringSet<> names;
  std::vector<uint64_t> offsets;
  uint64_t offset = 0;
  offsets.push_back(0);
  for (const SafetensorsWriteEntry &w : tensors) {
    if (!llvm::json::isUTF8(w.name))
      return fileError(path, "tensor name '" + w.name + "' is not UTF-8");
    if (w.name == kMetadataKey)
      return fileError(path, "'__metadata__' is reserved and cannot name a "
                             "tensor");
    if (!names.insert(w.name).second)
      return fileError(path, "duplicate tensor name '" + w.name + "'");
    if (w.raw) {
      offset += w.raw->size();
      offsets.push_back(offset);
      continue;
    }
    if (!w.tensor)
      return tensorError(path, w.name, "no tensor given");
    if (!dtypeIsFloat(w.dtype))
      return tensorError(path, w.name,
                         "cannot write fp32 data as " +
                             Twine(dtypeSafetensorsName(w.dtype)) +
                             " (expected F32, F16, BF16 or F64)");
    int64_t numel = shapeNumElements(w.tensor->shape);
    if (numel < 0)
      return tensorError(path, w.name,
                         "invalid shape " + shapeToString(w.tensor->shape));
    if (static_cast<uint64_t>(numel) != w.tensor->data.size())
      return tensorError(
          path, w.name,
          "data has " + Twine(w.tensor->data.size()) + " elements but shape " +
              shapeToString(w.tensor->shape) + " needs " + Twine(numel));
    offset += static_cast<uint64_t>(numel) * dtypeSize(w.dtype);
    offsets.push_back(offset);
  }
  for (const auto &kv : metadata)
    if (!llvm::json::isUTF8(kv.first) || !llvm::json::isUTF8(kv.second))
      return fileError(path, "metadata entry '" + kv.first + "' is not UTF-8");

  std::string header;
  {
    llvm::raw_string_ostream os(header);
    llvm::json::OStream j(os);
    j.object([&] {
      if (!metadata.empty())
        j.attributeObject(kMetadataKey, [&] {
          for (const auto &kv : metadata)
            j.attribute(kv.first, kv.second);
        });
      for (size_t i = 0; i < tensors.size(); ++i) {
        const SafetensorsWriteEntry &w = tensors[i];
        j.attributeObject(w.name, [&] {
          j.attribute("dtype", w.raw ? dtypeSafetensorsName(DType::U8)
                                     : dtypeSafetensorsName(w.dtype));
          j.attributeArray("shape", [&] {
            if (w.raw)
              j.value(int64_t(w.raw->size()));
            else
              for (int64_t d : w.tensor->shape)
                j.value(d);
          });
          j.attributeArray("data_offsets", [&] {
            j.value(offsets[i]);
            j.value(offsets[i + 1]);
          });
        });
      }
    });
  }
  header.append((8 - header.size() % 8) % 8, ' ');

  if (llvm::Error e = writeOutputFile(path, [&](llvm::raw_ostream &os) {
        char len[8];
        llvm::support::endian::write64le(len, header.size());
        os.write(len, 8);
        os << header;

        std::vector<char> chunk;
        for (const SafetensorsWriteEntry &w : tensors) {
          if (w.raw) {
            os.write(reinterpret_cast<const char *>(w.raw->data()),
                     w.raw->size());
            continue;
          }
          const std::vector<float> &data = w.tensor->data;
          unsigned size = dtypeSize(w.dtype);
          chunk.resize(data.size() * size);
          encodeFloats(data.data(), static_cast<int64_t>(data.size()),
                       w.dtype, reinterpret_cast<uint8_t *>(chunk.data()));
          os.write(chunk.data(), chunk.size());
        }
      }))
    return e;
  return llvm::Error::success();
}
