//===- sxf_rt/model.h - The weights of a generated program ------*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime (header-only, C++17; OpenMP optional).
// sxf-lower-to-emitc emits, per model,
//
//   extern "C" void sxf_forward(const sxf_rt::Model *model,
//                               void *const *inputs, void *const *outputs,
//                               float *workspace, const int64_t *dims);
//
// a straight line of calls declared in api.h (linear, layerNorm, ...,
// defined in runtime/src/model.cpp and compiled into libsxf_rt), and a
// `main` calling runMain (harness.h). The ABI (docs/codegen.md): inputs[i]
// points to the i-th argument (float32, or int64 token ids), outputs[i] to
// room for the i-th result (float32, row-major), workspace to the floats the
// spec's `workspace` item resolves to, 64-byte aligned; dims to the sizes of
// every dim of every input, flattened in input order (row counts, sequence
// lengths and workspace offsets are products of them). Model, here, holds
// the weights of the container (container.h) as views over its arrays, in
// their storage formats (dense ones also reordered for oneDNN once, at
// load: prepared.h); generated code sees it only as a pointer.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_MODEL_H
#define SXF_RT_MODEL_H

#include "sxf_rt/api.h"
#include "sxf_rt/container.h"
#include "sxf_rt/format_kinds.h"
#include "sxf_rt/formats.h"
#include "sxf_rt/prepared.h"

#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <sstream>
#include <string>

namespace sxf_rt {

/// A weight in its storage format, ready for spmm: the view of `kind`. A
/// dense weight also owns its copy prepared for oneDNN (prepared.h), which
/// `dense.prepared` points to (none when oneDNN declined it).
struct FormattedWeight {
  Kind kind = Kind::Dense;
  int64_t rows = 0;
  DenseView dense;
  std::shared_ptr<const PreparedDense> prepared;
  CsrView csr;
  BsrView bsr;
  NmView nm;
  EllView ell;
};

class Model {
public:
  /// Reads the container and builds a view of every encoded weight;
  /// validates each against its arrays. nullptr with `error` on failure.
  static std::unique_ptr<Model> load(std::unique_ptr<Container> c,
                                     std::string *error) {
    std::unique_ptr<Model> m(new Model());
    m->container = std::move(c);
    for (const std::string &name : m->container->formattedNames()) {
      FormattedWeight w;
      if (!m->build(name, w, error))
        return nullptr;
      m->formatted[name] = w;
    }
    return m;
  }

  const FormattedWeight *weight(const char *name) const {
    auto it = formatted.find(name);
    if (it == formatted.end())
      fatal(std::string("weight '") + name +
            "' is not in the weights container");
    return &it->second;
  }
  /// A dense fp32 tensor of the container (bias, norm parameter, table).
  const float *dense(const char *name, int64_t expectElements) const {
    const Container::Entry *e = container->find(name);
    if (!e || e->dtype != "F32" ||
        int64_t(e->size / 4) != expectElements)
      fatal(std::string("tensor '") + name + "' is missing from the weights "
            "container or has the wrong size");
    return reinterpret_cast<const float *>(e->data);
  }

  const Container::Entry *entry(const char *name) const {
    const Container::Entry *e = container->find(name);
    if (!e)
      fatal(std::string("tensor '") + name +
            "' is missing from the weights container");
    return e;
  }

  [[noreturn]] static void fatal(const std::string &why) {
    std::fprintf(stderr, "sxf_rt: error: %s\n", why.c_str());
    std::exit(1);
  }

private:
  Model() = default;

  bool build(const std::string &name, FormattedWeight &w, std::string *error) {
    const std::string *desc = container->metadata("sxf.format/" + name);
    auto fail = [&](const std::string &why) {
      *error = container->name() + ": weight '" + name + "': " + why;
      return false;
    };
    // The record is parsed and validated by the shared vocabulary
    // (format_kinds.h): kind, widths, shape and stored count.
    FormatRecord rec;
    if (!desc)
      return fail("incomplete format description");
    if (std::optional<std::string> problem = parseFormatRecord(*desc, rec))
      return fail(*problem);
    const Container::Entry *v = container->find(name + "/values"),
                           *ix = container->find(name + "/indices"),
                           *pt = container->find(name + "/pointers");
    if (!v || !ix || !pt)
      return fail("arrays missing from the container");
    // Each array holds exactly the bytes the record implies, so that the
    // views below never read past their arrays.
    ByteBreakdown need = recordArrayBytes(rec);
    struct {
      const char *what;
      const Container::Entry *e;
      int64_t bytes;
    } arrays[] = {{"values", v, need.values},
                  {"indices", ix, need.indices},
                  {"pointers", pt, need.pointers}};
    for (const auto &a : arrays)
      if (a.e->size != uint64_t(a.bytes))
        return fail(std::string("malformed arrays: the ") + a.what +
                    " array has " + std::to_string(a.e->size) +
                    " bytes; the format needs " + std::to_string(a.bytes));
    const FormatSpec &s = rec.spec;
    int64_t R = rec.rows, C = rec.cols, N = rec.stored;
    ValueType vt = s.valueType;
    unsigned ib = s.indexBits;
    w.kind = s.kind;
    w.rows = R;
    std::string why;
    bool ok = false;
    switch (s.kind) {
    case Kind::Dense:
      w.dense = makeDenseView(R, C, vt, v->data);
      ok = validate(w.dense, &why);
      break;
    case Kind::CSR:
      w.csr = makeCsrView(R, C, N, vt, ib, v->data, ix->data, pt->data);
      ok = validate(w.csr, &why);
      break;
    case Kind::BSR:
      w.bsr = makeBsrView(R, C, s.blockRows, s.blockCols,
                          N / (int64_t(s.blockRows) * s.blockCols), vt, ib,
                          v->data, ix->data, pt->data);
      ok = validate(w.bsr, &why);
      break;
    case Kind::NM:
      w.nm = makeNmView(R, C, s.n, s.m, vt, ib, v->data, ix->data);
      ok = validate(w.nm, &why);
      break;
    case Kind::ELL:
      w.ell = makeEllView(R, C, R ? N / R : 0, vt, ib, v->data, ix->data);
      ok = validate(w.ell, &why);
      break;
    case Kind::CSC:
    case Kind::COO:
      return fail(std::string("format '") + kindName(s.kind) +
                  "' has no CPU kernel");
    }
    if (!ok)
      return fail("malformed arrays" + (why.empty() ? "" : ": " + why));
    if (s.kind == Kind::Dense) {
      // Weights are constant: reordered for oneDNN once, here. A weight
      // oneDNN declines runs in the built-in kernel.
      w.prepared = prepareDense(w.dense);
      w.dense.prepared = w.prepared.get();
    }
    return true;
  }

  std::unique_ptr<Container> container;
  std::map<std::string, FormattedWeight> formatted;
};

} // namespace sxf_rt

#endif // SXF_RT_MODEL_H
