//===- sxf_rt/container.h - The weights container of generated code -*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime (header-only, C++17, standard library
// only). Reads the safetensors container sxf-lower-to-emitc writes
// (docs/codegen.md): tensors "<weight>" (dense fp32: biases, norm
// parameters, embedding tables), byte arrays "<weight>/values",
// "<weight>/indices", "<weight>/pointers" (a weight encoded by lib/Formats),
// and in "__metadata__" the format of each encoded weight,
// "sxf.format/<weight>" = "kind=csr value=f16 index=16 rows=R cols=C
// stored=N [block=RxC] [nm=N:M] [slice=S]".
//
// Offers
//   Container::fromBytes(bytes, size, &error)   parse (copies the bytes)
//   Container::fromFile(path, &error)
//   container.find(name) -> const Entry *       dtype, shape, data, size
//   container.metadata(key) -> const std::string *
//   container.formattedNames()                  weights with a format
//
// Errors (truncated files, malformed headers, offsets out of range) are
// returned as messages naming the file and the problem; nothing throws.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_CONTAINER_H
#define SXF_RT_CONTAINER_H

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sxf_rt {

class Container {
public:
  struct Entry {
    std::string dtype;
    std::vector<int64_t> shape;
    const uint8_t *data = nullptr;
    uint64_t size = 0;
  };

  static std::unique_ptr<Container> fromBytes(const uint8_t *bytes,
                                              uint64_t size,
                                              const std::string &origin,
                                              std::string *error) {
    std::unique_ptr<Container> c(new Container());
    c->origin = origin;
    // 8-byte aligned copy: kernels read values in place.
    c->storage.resize((size + 7) / 8);
    if (size)
      std::memcpy(c->storage.data(), bytes, size);
    c->bytes = reinterpret_cast<const uint8_t *>(c->storage.data());
    c->size = size;
    if (!c->parse(error))
      return nullptr;
    return c;
  }

  static std::unique_ptr<Container> fromFile(const std::string &path,
                                             std::string *error) {
    std::FILE *f = std::fopen(path.c_str(), "rb");
    if (!f) {
      *error = path + ": cannot open: " + std::strerror(errno);
      return nullptr;
    }
    std::vector<uint8_t> data;
    uint8_t buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0)
      data.insert(data.end(), buf, buf + n);
    bool bad = std::ferror(f);
    std::fclose(f);
    if (bad) {
      *error = path + ": read error";
      return nullptr;
    }
    return fromBytes(data.data(), data.size(), path, error);
  }

  const Entry *find(const std::string &name) const {
    auto it = entries.find(name);
    return it == entries.end() ? nullptr : &it->second;
  }
  const std::string *metadata(const std::string &key) const {
    auto it = meta.find(key);
    return it == meta.end() ? nullptr : &it->second;
  }
  const std::string &name() const { return origin; }
  /// Weights with an "sxf.format/<name>" description.
  std::vector<std::string> formattedNames() const {
    std::vector<std::string> out;
    const std::string prefix = "sxf.format/";
    for (const auto &[k, v] : meta)
      if (k.compare(0, prefix.size(), prefix) == 0)
        out.push_back(k.substr(prefix.size()));
    return out;
  }

private:
  Container() = default;

  // A minimal JSON reader for the safetensors header: objects, arrays,
  // strings (with escapes), integers. It reads only the header's fixed shape
  // (an object of objects whose fields are strings or integer arrays) with
  // loops, not recursion, so nesting is bounded at three levels by
  // construction: a deeper array or object anywhere is "expected a string"
  // or "bad field", never a deep call stack (lib/Support/Json.h bounds the
  // compiler's recursive reader instead).
  struct Parser {
    const char *p, *end;
    std::string error;
    void ws() {
      while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        ++p;
    }
    bool expect(char c) {
      ws();
      if (p < end && *p == c) {
        ++p;
        return true;
      }
      error = std::string("expected '") + c + "'";
      return false;
    }
    bool string(std::string &out) {
      ws();
      if (p >= end || *p != '"') {
        error = "expected a string";
        return false;
      }
      ++p;
      out.clear();
      while (p < end && *p != '"') {
        if (*p == '\\') {
          if (++p >= end)
            break;
          char e = *p;
          out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
          if (e == 'u') { // keep \uXXXX verbatim (names are ASCII here)
            out.pop_back();
            out += "\\u";
          }
          ++p;
          continue;
        }
        out += *p++;
      }
      if (p >= end) {
        error = "unterminated string";
        return false;
      }
      ++p;
      return true;
    }
    bool integer(int64_t &out) {
      ws();
      const char *start = p;
      if (p < end && *p == '-')
        ++p;
      while (p < end && *p >= '0' && *p <= '9')
        ++p;
      if (p == start) {
        error = "expected a number";
        return false;
      }
      out = std::strtoll(std::string(start, p).c_str(), nullptr, 10);
      return true;
    }
    bool intArray(std::vector<int64_t> &out) {
      if (!expect('['))
        return false;
      ws();
      if (p < end && *p == ']') {
        ++p;
        return true;
      }
      for (;;) {
        int64_t v;
        if (!integer(v))
          return false;
        out.push_back(v);
        ws();
        if (p < end && *p == ',') {
          ++p;
          continue;
        }
        return expect(']');
      }
    }
  };

  bool fail(std::string *error, const std::string &why) {
    *error = origin + ": " + why;
    return false;
  }

  bool parse(std::string *error) {
    if (size < 8)
      return fail(error, "too short for a safetensors header");
    uint64_t n = 0;
    for (int k = 7; k >= 0; --k)
      n = (n << 8) | bytes[k];
    if (n > size - 8)
      return fail(error, "header length " + std::to_string(n) +
                             " exceeds the file");
    Parser ps{reinterpret_cast<const char *>(bytes + 8),
              reinterpret_cast<const char *>(bytes + 8 + n), ""};
    const uint8_t *data = bytes + 8 + n;
    uint64_t dataSize = size - 8 - n;
    if (!ps.expect('{'))
      return fail(error, "header: " + ps.error);
    ps.ws();
    if (ps.p < ps.end && *ps.p == '}')
      return true;
    for (;;) {
      std::string key;
      if (!ps.string(key) || !ps.expect(':') || !ps.expect('{'))
        return fail(error, "header: " + ps.error);
      if (key == "__metadata__") {
        ps.ws();
        while (ps.p < ps.end && *ps.p != '}') {
          std::string k, v;
          if (!ps.string(k) || !ps.expect(':') || !ps.string(v))
            return fail(error, "metadata: " + ps.error);
          meta[k] = v;
          ps.ws();
          if (ps.p < ps.end && *ps.p == ',')
            ++ps.p;
          ps.ws();
        }
        if (!ps.expect('}'))
          return fail(error, "metadata: " + ps.error);
      } else {
        Entry e;
        std::vector<int64_t> offsets;
        ps.ws();
        while (ps.p < ps.end && *ps.p != '}') {
          std::string field;
          if (!ps.string(field) || !ps.expect(':'))
            return fail(error, "tensor '" + key + "': " + ps.error);
          bool ok = field == "dtype"          ? ps.string(e.dtype)
                    : field == "shape"        ? ps.intArray(e.shape)
                    : field == "data_offsets" ? ps.intArray(offsets)
                                              : false;
          if (!ok)
            return fail(error, "tensor '" + key + "': bad field '" + field +
                                   "'");
          ps.ws();
          if (ps.p < ps.end && *ps.p == ',')
            ++ps.p;
          ps.ws();
        }
        if (!ps.expect('}'))
          return fail(error, "tensor '" + key + "': " + ps.error);
        if (offsets.size() != 2 || offsets[0] < 0 || offsets[1] < offsets[0] ||
            uint64_t(offsets[1]) > dataSize)
          return fail(error, "tensor '" + key +
                                 "': data offsets outside the file");
        e.data = data + offsets[0];
        e.size = uint64_t(offsets[1] - offsets[0]);
        entries[key] = std::move(e);
      }
      ps.ws();
      if (ps.p < ps.end && *ps.p == ',') {
        ++ps.p;
        continue;
      }
      if (!ps.expect('}'))
        return fail(error, "header: " + ps.error);
      return true;
    }
  }

  std::string origin;
  std::vector<uint64_t> storage;
  const uint8_t *bytes = nullptr;
  uint64_t size = 0;
  std::map<std::string, Entry> entries;
  std::map<std::string, std::string> meta;
};

} // namespace sxf_rt

#endif // SXF_RT_CONTAINER_H
