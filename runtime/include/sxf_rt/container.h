//===- sxf_rt/container.h - The weights container of generated code -*- C++
//-*-===//
//
// Part of the sxf CPU kernel runtime (header-only, C++17, standard library
// only). Reads the safetensors container sxf-lower-to-emitc writes
// (docs/codegen.md): tensors "<weight>" (dense fp32: biases, norm
// parameters, embedding tables), byte arrays "<weight>/values",
// "<weight>/indices", "<weight>/pointers" (a weight encoded by lib/Formats),
// and in "__metadata__" the format of each encoded weight,
// "sxf.format/<weight>" = "kind=csr value=f16 index=16 rows=R cols=C
// stored=N [block=RxC] [nm=N:M]" (format_kinds.h parses and checks it).
//
// Offers
//   Container::fromBytes(bytes, size, &error)   parse (copies the bytes)
//   Container::fromFile(path, &error)
//   container.find(name) -> const Entry *       dtype, shape, data, size
//   container.metadata(key) -> const std::string *
//   container.formattedNames()                  weights with a format
//
// The bytes are validated by the safetensors core (safetensors.h, the one
// the compiler uses too); a problem comes back as "<file>: <problem>",
// naming the tensor where there is one ("w.safetensors: tensor 'x':
// missing 'dtype'"). Nothing throws.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_CONTAINER_H
#define SXF_RT_CONTAINER_H

#include "sxf_rt/safetensors.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
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

  /// Validates the bytes with the safetensors core and indexes them.
  bool parse(std::string *error) {
    SafetensorsView v;
    if (std::optional<std::string> problem =
            parseSafetensorsView(bytes, size, v)) {
      *error = origin + ": " + *problem;
      return false;
    }
    for (SafetensorsTensor &t : v.tensors) {
      Entry &e = entries[t.name];
      e.dtype = safetensorsDTypeName(t.dtype);
      e.shape = std::move(t.shape);
      e.data = v.data + t.begin;
      e.size = t.end - t.begin;
    }
    meta = std::move(v.metadata);
    return true;
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
