//===- Target.cpp - Descriptions of the hardware sxf compiles for -*- C++ -*-===//
//
// The presets' figures and where each comes from. Tags follow
// shared/ANCHORS.md: [S] a secondary page quoting the vendor, [V] read in
// the primary source, [M] measured on this project's machine kind, [D]
// derived here from other figures, [U] unverified estimate (to be
// calibrated; docs/targets.md lists them).
//
//===----------------------------------------------------------------------===//

#include "sxf/Target/Target.h"
#include "sxf/Support/CheckedMath.h"
#include "sxf/Support/Json.h"
#include "sxf_rt/format_kinds.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>
#include <cstdio>
#include <set>

namespace sxf {

/// The entry of a per-value-type map for `valueType`: its own, else the
/// one for every type, else the closest type's (f16 <-> bf16, then f32),
/// else the first.
template <typename V>
static const V *closestType(const std::map<std::string, V> &m,
                            llvm::StringRef valueType) {
  auto it = m.find(valueType.str());
  if (it == m.end())
    it = m.find(TargetDesc::kAnyValueType);
  for (const char *alt : {valueType == "f16" ? "bf16" : "f16", "f32"})
    if (it == m.end())
      it = m.find(alt);
  if (it == m.end())
    it = m.begin();
  return it == m.end() ? nullptr : &it->second;
}

double TargetDesc::peak(llvm::StringRef valueType) const {
  const double *p = closestType(peakFlops, valueType);
  return p ? *p : 0.0;
}

double TargetDesc::dense(llvm::StringRef valueType) const {
  const double *e = closestType(denseEfficiency, valueType);
  return e ? *e : 1.0;
}

std::optional<double> TargetDesc::sparse(llvm::StringRef valueType,
                                         llvm::StringRef key) const {
  const std::map<std::string, double> *table =
      closestType(sparseEfficiency, valueType);
  if (!table)
    return std::nullopt;
  auto it = table->find(key.str());
  if (it == table->end())
    return std::nullopt;
  return it->second;
}

/// PopSparse (Li et al. 2023, arXiv 2303.16999, m = k = 4096, density
/// 1/16, best over batch) speed-ups over dense IPU [V]:
///
///   block  type  dynamic  static
///   1      fp16  0.4x     0.7x
///   1      fp32  0.9x     1.4x
///   16     fp16  1.9x     4.9x
///   16     fp32  3.8x     5.6x
///
/// A speed-up S at density d with dense efficiency e means the sparse
/// kernel sustains S·d·e of peak on the FLOPs it stores [D]; blocks 4 and 8
/// are interpolated geometrically in log2(block) [D]; CSR, CSC, COO, ELL and
/// N:M run as block 1 (no N:M hardware).
static std::map<std::string, double>
popsparseEfficiency(double dense, double block1, double block16) {
  double b1 = block1 / 16 * dense, b16 = block16 / 16 * dense;
  auto at = [&](double log2b) { return b1 * std::pow(b16 / b1, log2b / 4); };
  return {{"csr", b1},  {"csc", b1},     {"coo", b1},      {"ell", b1},
          {"nm", b1},   {"bsr1", b1},    {"bsr4", at(2)},  {"bsr8", at(3)},
          {"bsr16", b16}};
}

static TargetDesc ipuMk2() {
  TargetDesc t;
  t.name = "ipu-mk2";
  t.kind = TargetKind::Ipu;
  t.unitName = "tile";
  t.units = 1472;                   // GC200 tiles [S]
  t.clockHz = 1.33e9;               // [U]
  t.sramPerUnitBytes = 624 * 1024;  // ≈900 MB / 1472 tiles [D]
  t.offchipBytes = 0;               // streaming memory is host-attached
  t.offchipBandwidth = 64e9;        // PCIe Gen4 x16 [S]
  t.sramBandwidth = 47.5e12;        // [S]
  t.exchangeBandwidth = 8e12;       // all-to-all exchange [S]
  t.unitExchangeBandwidth = 8e12 / 1472; // one tile's share [D]
  t.syncSeconds = 150 / 1.33e9;     // ~150 cycles per BSP sync [U]
  t.peakFlops = {{"f16", 250e12}, {"f32", 62.5e12}}; // [S]
  double dense = 0.6;                                // [U]
  t.denseEfficiency = {{TargetDesc::kAnyValueType, dense}};
  // Static sparsity per value type (PopSparse table above) [V] -> [D].
  t.sparseEfficiency = {{"f16", popsparseEfficiency(dense, 0.7, 4.9)},
                        {"f32", popsparseEfficiency(dense, 1.4, 5.6)}};
  t.dynamicSparseEfficiency = {{"f16", popsparseEfficiency(dense, 0.4, 1.9)},
                               {"f32", popsparseEfficiency(dense, 0.9, 3.8)}};
  // Power: a GC200 card draws 185 W on typical workloads (Graphcore C600
  // datasheet, TDP) [V]. The static share is not published: 60 W (about
  // a third) [U]; the rest is spread over the peak FLOP rate:
  // (185 - 60) W / 250 TFLOP/s = 0.5 pJ/FLOP [D from U].
  t.staticWatts = 60;                      // [U]
  t.joulesPerFlop = (185.0 - 60) / 250e12; // [D]
  t.joulesPerSramByte = 0.5e-12;    // [U]
  t.joulesPerOffchipByte = 20e-12;  // [U]
  t.source = "Graphcore GC200 (IPU Mk2) public figures; PopSparse "
             "arXiv 2303.16999 for sparse efficiency (static; dynamic in "
             "dynamic_sparse_efficiency); C600 datasheet for power";
  return t;
}

static TargetDesc ipuPod16() {
  TargetDesc t = ipuMk2();
  t.name = "ipu-pod16";
  t.units = 16 * 1472;
  t.offchipBandwidth = 16 * 64e9;
  t.sramBandwidth = 16 * 47.5e12;
  // Across IPUs the exchange runs over IPU-Links: 320 GB/s per IPU [S].
  t.exchangeBandwidth = 16 * 320e9;
  // A tile still receives at its on-chip rate (inherited from ipu-mk2).
  t.peakFlops = {{"f16", 16 * 250e12}, {"f32", 16 * 62.5e12}};
  t.staticWatts = 16 * 60; // 16 GC200s [U] (ipu-mk2)
  t.source = "16 x GC200 (IPU-POD16) with IPU-Link exchange; PopSparse for "
             "sparse efficiency; C600 datasheet for power";
  return t;
}

static TargetDesc rduSn10() {
  TargetDesc t;
  t.name = "rdu-sn10";
  t.kind = TargetKind::Rdu;
  t.unitName = "pcu";
  t.units = 640;                    // PCUs, each paired with a PMU [S]
  t.clockHz = 1.25e9;               // [U]
  t.sramPerUnitBytes = 512 * 1024;  // 320 MB / 640 PMUs [D]
  t.offchipBytes = 1536LL << 30;    // 1.5 TB DDR4 [S]
  t.offchipBandwidth = 150e9;       // [U]
  t.sramBandwidth = 150e12;         // [S]
  t.exchangeBandwidth = 150e12;     // on-chip switch fabric ≈ PMU bw [U]
  t.syncSeconds = 1e-6;             // pipeline fill per reconfiguration [U]
  t.peakFlops = {{"bf16", 320e12}, {"f32", 80e12}}; // bf16 [S], f32 [U]
  double e = 0.7;                                   // [U]
  t.denseEfficiency = {{TargetDesc::kAnyValueType, e}};
  // Dataflow gathers through PMUs: element-sparse formats at a quarter of
  // dense efficiency, blocks approaching dense [U].
  t.sparseEfficiency[TargetDesc::kAnyValueType] = {
      {"csr", 0.25 * e}, {"csc", 0.25 * e}, {"coo", 0.2 * e},
      {"ell", 0.3 * e},  {"nm", 0.5 * e},   {"bsr1", 0.25 * e},
      {"bsr4", 0.5 * e}, {"bsr8", 0.7 * e}, {"bsr16", 0.85 * e}};
  t.joulesPerFlop = 1.0e-12;        // [U]
  t.joulesPerSramByte = 0.5e-12;    // [U]
  t.joulesPerOffchipByte = 30e-12;  // [U]
  t.source = "SambaNova SN10 RDU public figures (arXiv 2304.05511 and "
             "product pages); sparse efficiencies are estimates";
  return t;
}

static TargetDesc cpuHost() {
  TargetDesc t;
  t.name = "cpu-host";
  t.kind = TargetKind::Cpu;
  t.unitName = "core";
  t.units = 2;                      // [M]
  t.clockHz = 3.45e9;               // 441 GFLOP/s / (2 cores · 64 FLOP/cycle) [D]
  t.sramPerUnitBytes = 2 << 20;     // L2 per core [M]
  t.offchipBytes = 24LL << 30;      // [M]
  t.offchipBandwidth = 29.5e9;      // DRAM triad [M]
  t.sramBandwidth = 2 * 64 * 3.45e9; // one 64-byte L2 line per cycle [D]
  t.exchangeBandwidth = t.offchipBandwidth; // cores share through memory
  t.syncSeconds = 2e-6;             // OpenMP barrier [U]
  // AVX-512 FMA peak of the two cores; f16/bf16 are converted to f32 [M].
  t.peakFlops = {{"f32", 441e9}, {"f16", 441e9}, {"bf16", 441e9}};
  t.denseEfficiency = {
      {TargetDesc::kAnyValueType, 300.0 / 441}}; // OpenBLAS sgemm [M]
  // Best sparse kernels measured here (effective GFLOP/s on stored
  // FLOPs / 441) [M]; N:M and ELL run like row-blocked CSR, wide blocks
  // reuse BSR 4x4's figure [D].
  t.sparseEfficiency[TargetDesc::kAnyValueType] = {
      {"csr", 124.0 / 441},  {"csc", 64.0 / 441},   {"coo", 62.0 / 441},
      {"ell", 115.0 / 441},  {"nm", 124.0 / 441},   {"bsr1", 64.0 / 441},
      {"bsr4", 127.0 / 441}, {"bsr8", 127.0 / 441}, {"bsr16", 127.0 / 441}};
  t.joulesPerFlop = 30e-12;         // ~15 W per core at peak [U]
  // Two cores' share of a server package's idle power and of the DRAM's
  // background power [U].
  t.staticWatts = 5;
  t.joulesPerSramByte = 1e-12;      // [U]
  t.joulesPerOffchipByte = 60e-12;  // [U]
  t.source = "this project's 2-core AVX-512 machine (shared/ANCHORS.md)";
  return t;
}

std::vector<std::string> targetPresetNames() {
  return {"ipu-mk2", "ipu-pod16", "rdu-sn10", "cpu-host"};
}

static const char *kindName(TargetKind k) {
  switch (k) {
  case TargetKind::Ipu:
    return "ipu";
  case TargetKind::Rdu:
    return "rdu";
  case TargetKind::Cpu:
    return "cpu";
  }
  return "cpu";
}

llvm::Expected<TargetDesc> loadTarget(llvm::StringRef nameOrPath) {
  // "X:dynamic": target X running sparsity patterns that change at run time.
  if (nameOrPath.consume_back(":dynamic")) {
    llvm::Expected<TargetDesc> t = loadTarget(nameOrPath);
    if (!t)
      return t.takeError();
    if (t->dynamicSparseEfficiency.empty())
      return llvm::createStringError(
          "target '" + nameOrPath.str() + ":dynamic': " + nameOrPath.str() +
          " has no 'dynamic_sparse_efficiency' (its sparse efficiencies are "
          "for patterns fixed at compile time)");
    t->name += ":dynamic";
    t->sparseEfficiency = t->dynamicSparseEfficiency;
    return t;
  }
  if (nameOrPath == "ipu-mk2")
    return ipuMk2();
  if (nameOrPath == "ipu-pod16")
    return ipuPod16();
  if (nameOrPath == "rdu-sn10")
    return rduSn10();
  if (nameOrPath == "cpu-host")
    return cpuHost();
  if (!nameOrPath.contains('/') && !nameOrPath.ends_with(".json"))
    return llvm::createStringError(
        "unknown target '" + nameOrPath.str() + "' (presets: " +
        llvm::join(targetPresetNames(), ", ") + "; or a .json file)");
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
      llvm::MemoryBuffer::getFile(nameOrPath);
  if (!buf)
    return llvm::createStringError(nameOrPath.str() + ": cannot open: " +
                                   buf.getError().message());
  llvm::Expected<TargetDesc> t = parseTarget((*buf)->getBuffer(), nameOrPath);
  // A described target named like a preset would be reported, recorded
  // (#sxf.target) and matched against programs as that preset.
  if (t && llvm::is_contained(targetPresetNames(), t->name))
    return llvm::createStringError(
        nameOrPath.str() + ": field 'name': '" + t->name +
        "' is a preset's name; give a target described in a file a name of "
        "its own");
  return t;
}

namespace {
/// Ranges of a target description's figures (docs/targets.md). Every figure
/// is a rate, a size or a divisor of the cost model; bounding each keeps
/// every ratio the model forms finite (a 5e-324 efficiency would make an
/// infinite time and, cast to a count, a negative one).
constexpr double kMaxRate = 1e21;        // bytes/s or FLOP/s
constexpr double kMaxBytes = 0x1p50;     // 1 PiB
constexpr double kMinEfficiency = 1e-4;  // fraction of peak

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

/// Reads fields with errors "FILE: field 'x': reason", and rejects unknown
/// fields (a misspelt field would otherwise be silently ignored).
class Reader {
public:
  Reader(const llvm::json::Object &o, llvm::StringRef origin)
      : obj(o), origin(origin.str()) {}

  llvm::Error fail(llvm::StringRef field, const llvm::Twine &why) {
    std::string name = path.empty()    ? field.str()
                       : field.empty() ? path
                                       : path + "." + field.str();
    return llvm::createStringError(origin + ": field '" + name +
                                   "': " + why.str());
  }
  llvm::Error number(llvm::StringRef key, double &out, bool required,
                     double lo, bool loInclusive, double hi = INFINITY) {
    seen.insert(key.str());
    const llvm::json::Value *v = obj.get(key);
    if (!v)
      return required ? fail(key, "is required") : llvm::Error::success();
    std::optional<double> d = v->getAsNumber();
    if (!d)
      return fail(key, "must be a number");
    if (!(loInclusive ? *d >= lo : *d > lo) || *d > hi || !std::isfinite(*d))
      return fail(key, num(*d) + " is out of range " +
                           (loInclusive ? "[" : "(") + num(lo) + ", " +
                           num(hi) + "]");
    out = *d;
    return llvm::Error::success();
  }
  llvm::Error integer(llvm::StringRef key, int64_t &out, bool required,
                      int64_t lo, int64_t hi = INT64_MAX) {
    seen.insert(key.str());
    const llvm::json::Value *v = obj.get(key);
    if (!v)
      return required ? fail(key, "is required") : llvm::Error::success();
    std::optional<int64_t> i = v->getAsInteger();
    if (!i)
      return fail(key, "must be an integer");
    if (*i < lo)
      return fail(key, llvm::formatv("{0} is below the minimum {1}", *i, lo)
                           .str());
    if (*i > hi)
      return fail(key, llvm::formatv("{0} is above the maximum {1}", *i, hi)
                           .str());
    out = *i;
    return llvm::Error::success();
  }
  llvm::Error boolean(llvm::StringRef key, bool &out) {
    seen.insert(key.str());
    const llvm::json::Value *v = obj.get(key);
    if (!v)
      return llvm::Error::success();
    std::optional<bool> b = v->getAsBoolean();
    if (!b)
      return fail(key, "must be true or false");
    out = *b;
    return llvm::Error::success();
  }
  llvm::Error string(llvm::StringRef key, std::string &out, bool required) {
    seen.insert(key.str());
    const llvm::json::Value *v = obj.get(key);
    if (!v)
      return required ? fail(key, "is required") : llvm::Error::success();
    std::optional<llvm::StringRef> s = v->getAsString();
    if (!s)
      return fail(key, "must be a string");
    out = s->str();
    return llvm::Error::success();
  }
  llvm::Error numberMap(llvm::StringRef key, std::map<std::string, double> &out,
                        bool required, double lo, double hi,
                        llvm::ArrayRef<llvm::StringRef> allowedKeys) {
    seen.insert(key.str());
    const llvm::json::Value *v = obj.get(key);
    if (!v)
      return required ? fail(key, "is required") : llvm::Error::success();
    const llvm::json::Object *o = v->getAsObject();
    if (!o)
      return fail(key, "must be an object of numbers");
    out.clear();
    for (const auto &[k, val] : *o) {
      if (!llvm::is_contained(allowedKeys, k.str()))
        return fail(key, "unknown key '" + k.str() + "' (expected one of " +
                             llvm::join(allowedKeys, ", ") + ")");
      std::optional<double> d = val.getAsNumber();
      if (!d || !(*d >= lo) || *d > hi)
        return fail(key, "'" + k.str() + "' must be a number in [" + num(lo) +
                             ", " + num(hi) + "]");
      out[k.str()] = *d;
    }
    if (required && out.empty())
      return fail(key, "must not be empty");
    return llvm::Error::success();
  }
  /// A figure per value type: a number (every type) or an object of
  /// numbers by value type.
  llvm::Error perTypeNumber(llvm::StringRef key,
                            std::map<std::string, double> &out, double lo,
                            double hi,
                            llvm::ArrayRef<llvm::StringRef> valueTypes) {
    seen.insert(key.str());
    const llvm::json::Value *v = obj.get(key);
    if (!v)
      return llvm::Error::success();
    if (v->getAsObject()) {
      std::map<std::string, double> m;
      if (llvm::Error e = numberMap(key, m, true, lo, hi, valueTypes))
        return e;
      out = std::move(m);
      return llvm::Error::success();
    }
    std::optional<double> d = v->getAsNumber();
    if (!d)
      return fail(key, "must be a number or an object of numbers by value "
                       "type (" +
                           llvm::join(valueTypes, ", ") + ")");
    if (!(*d >= lo) || *d > hi)
      return fail(key, num(*d) + " is out of range [" + num(lo) + ", " +
                           num(hi) + "]");
    out = {{TargetDesc::kAnyValueType, *d}};
    return llvm::Error::success();
  }
  /// An efficiency table: an object of numbers by format (every value
  /// type), or an object of such objects by value type.
  llvm::Error
  efficiencyTables(llvm::StringRef key,
                   std::map<std::string, std::map<std::string, double>> &out,
                   double lo, double hi,
                   llvm::ArrayRef<llvm::StringRef> formats,
                   llvm::ArrayRef<llvm::StringRef> valueTypes) {
    seen.insert(key.str());
    const llvm::json::Value *v = obj.get(key);
    if (!v)
      return llvm::Error::success();
    const llvm::json::Object *o = v->getAsObject();
    if (!o)
      return fail(key, "must be an object of numbers by format, or of such "
                       "objects by value type");
    bool perType = false, flat = false;
    for (const auto &[k, val] : *o)
      (llvm::is_contained(valueTypes, k.str()) ? perType : flat) = true;
    if (!perType) {
      std::map<std::string, double> m;
      if (llvm::Error e = numberMap(key, m, false, lo, hi, formats))
        return e;
      out = {{TargetDesc::kAnyValueType, std::move(m)}};
      return llvm::Error::success();
    }
    if (flat)
      return fail(key, "mixes value types and formats as keys (give one "
                       "table by format, or one such table per value type "
                       "of " +
                           llvm::join(valueTypes, ", ") + ")");
    out.clear();
    for (const auto &[k, val] : *o) {
      const llvm::json::Object *table = val.getAsObject();
      if (!table)
        return fail(key, "'" + k.str() +
                             "' must be an object of numbers "
                             "by format");
      Reader sub(*table, origin);
      sub.path = key.str() + "." + k.str();
      std::map<std::string, double> &m = out[k.str()];
      for (const auto &[f, x] : *table) {
        if (!llvm::is_contained(formats, f.str()))
          return sub.fail("", "unknown key '" + f.str() +
                                  "' (expected one of " +
                                  llvm::join(formats, ", ") + ")");
        std::optional<double> d = x.getAsNumber();
        if (!d || !(*d >= lo) || *d > hi)
          return sub.fail("", "'" + f.str() + "' must be a number in [" +
                                  num(lo) + ", " + num(hi) + "]");
        m[f.str()] = *d;
      }
    }
    return llvm::Error::success();
  }
  /// Whether the description has `key`.
  bool has(llvm::StringRef key) const { return obj.get(key) != nullptr; }
  llvm::Error noUnknownFields() {
    for (const auto &[k, v] : obj)
      if (!seen.count(k.str()))
        return llvm::createStringError(origin + ": unknown field '" +
                                       k.str() + "'");
    return llvm::Error::success();
  }

private:
  const llvm::json::Object &obj;
  std::string origin;
  /// The field this reader reads inside (a nested table), "" at the top.
  std::string path;
  std::set<std::string> seen;
};
} // namespace

llvm::Expected<TargetDesc> parseTarget(llvm::StringRef json,
                                       llvm::StringRef origin) {
  if (llvm::Error err = checkJsonDepth(json, origin))
    return std::move(err);
  llvm::Expected<llvm::json::Value> v = llvm::json::parse(json);
  if (!v)
    return llvm::createStringError(origin.str() + ": invalid JSON: " +
                                   llvm::toString(v.takeError()));
  const llvm::json::Object *obj = v->getAsObject();
  if (!obj)
    return llvm::createStringError(origin.str() +
                                   ": a target description is a JSON object");
  TargetDesc t;
  Reader r(*obj, origin);
  std::string kind;
  double sram = 0, offchip = 0;
  static const llvm::StringRef valueTypes[] = {"f32", "f16", "bf16"};
  // The efficiency keys are the shared vocabulary's (sxf_rt/format_kinds.h).
  std::vector<llvm::StringRef> formats(std::begin(sxf_rt::kEfficiencyKeys),
                                       std::end(sxf_rt::kEfficiencyKeys));
  int64_t version = 0; // 0: not given (read as the current version)
  if (llvm::Error e =
          r.integer("version", version, false, 1, kTargetSchemaVersion))
    return std::move(e);
  // Version 1 files predate these fields; a file that says version 1 and
  // uses one was written for a newer schema than it claims.
  if (version == 1)
    for (llvm::StringRef f :
         {"static_watts", "reconfigure_seconds", "dynamic_sparse_efficiency"})
      if (r.has(f))
        return r.fail(f, "needs schema version 2 (the file says version 1)");
  if (llvm::Error e = r.string("name", t.name, true))
    return std::move(e);
  // The name is printed in reports and banners, recorded in #sxf.target and
  // matched by --target (NAME:dynamic picks the dynamic-sparsity tables).
  if (t.name.empty() ||
      !llvm::all_of(t.name, [](char c) {
        return llvm::isAlnum(c) || c == '-' || c == '_' || c == '.' ||
               c == '+';
      }))
    return r.fail("name", "must be a non-empty name of letters, digits, "
                          "'-', '_', '.' and '+'");
  if (llvm::Error e = r.string("kind", kind, true))
    return std::move(e);
  if (kind == "ipu")
    t.kind = TargetKind::Ipu;
  else if (kind == "rdu")
    t.kind = TargetKind::Rdu;
  else if (kind == "cpu")
    t.kind = TargetKind::Cpu;
  else
    return r.fail("kind", "'" + kind + "' is not one of ipu, rdu, cpu");
  if (llvm::Error e = r.string("unit_name", t.unitName, false))
    return std::move(e);
  if (llvm::Error e = r.integer("units", t.units, true, 1, kMaxUnits))
    return std::move(e);
  if (llvm::Error e = r.number("clock_hz", t.clockHz, true, 1e3, true, 1e12))
    return std::move(e);
  if (llvm::Error e = r.number("sram_per_unit_bytes", sram, true, 1, true, kMaxBytes))
    return std::move(e);
  if (llvm::Error e = r.number("offchip_bytes", offchip, false, 0, true, kMaxBytes))
    return std::move(e);
  if (sram != std::floor(sram))
    return r.fail("sram_per_unit_bytes",
                  "must be a whole number of bytes, not " +
                      std::to_string(sram));
  if (offchip != std::floor(offchip))
    return r.fail("offchip_bytes", "must be a whole number of bytes, not " +
                                       std::to_string(offchip));
  if (llvm::Error e = r.number("offchip_bandwidth", t.offchipBandwidth, true, 1, true, kMaxRate))
    return std::move(e);
  if (llvm::Error e = r.number("sram_bandwidth", t.sramBandwidth, true, 1, true, kMaxRate))
    return std::move(e);
  if (llvm::Error e = r.number("exchange_bandwidth", t.exchangeBandwidth, true, 1, true, kMaxRate))
    return std::move(e);
  if (llvm::Error e = r.number("unit_exchange_bandwidth",
                               t.unitExchangeBandwidth, false, 0, true, kMaxRate))
    return std::move(e);
  if (t.unitExchangeBandwidth > 0 && t.unitExchangeBandwidth < 1)
    return r.fail("unit_exchange_bandwidth",
                  num(t.unitExchangeBandwidth) +
                      " is out of range: 0 (not modelled) or [1, " +
                      num(kMaxRate) + "]");
  if (llvm::Error e = r.number("sync_seconds", t.syncSeconds, false, 0, true, 1))
    return std::move(e);
  if (llvm::Error e = r.numberMap("peak_flops", t.peakFlops, true, 1, kMaxRate, valueTypes))
    return std::move(e);
  if (llvm::Error e = r.perTypeNumber("dense_efficiency", t.denseEfficiency,
                                      kMinEfficiency, 1, valueTypes))
    return std::move(e);
  if (llvm::Error e =
          r.efficiencyTables("sparse_efficiency", t.sparseEfficiency,
                             kMinEfficiency, 1, formats, valueTypes))
    return std::move(e);
  if (llvm::Error e = r.efficiencyTables(
          "dynamic_sparse_efficiency", t.dynamicSparseEfficiency,
          kMinEfficiency, 1, formats, valueTypes))
    return std::move(e);
  if (version == 1 && (t.denseEfficiency.size() > 1 ||
                       !t.denseEfficiency.count(TargetDesc::kAnyValueType)))
    return r.fail("dense_efficiency",
                  "per value type needs schema version 2 (the file says "
                  "version 1)");
  if (version == 1 && (t.sparseEfficiency.size() > 1 ||
                       (t.sparseEfficiency.size() == 1 &&
                        !t.sparseEfficiency.count(TargetDesc::kAnyValueType))))
    return r.fail("sparse_efficiency",
                  "per value type needs schema version 2 (the file says "
                  "version 1)");
  if (llvm::Error e = r.boolean("fuse_layer_norm", t.fuseLayerNorm))
    return std::move(e);
  if (llvm::Error e = r.number("joules_per_flop", t.joulesPerFlop, false, 0, true, 1))
    return std::move(e);
  if (llvm::Error e = r.number("joules_per_sram_byte", t.joulesPerSramByte, false, 0, true, 1))
    return std::move(e);
  if (llvm::Error e = r.number("joules_per_offchip_byte", t.joulesPerOffchipByte, false, 0,
               true, 1))
    return std::move(e);
  // A whole chip or a rack of them: up to a megawatt.
  if (llvm::Error e =
          r.number("static_watts", t.staticWatts, false, 0, true, 1e6))
    return std::move(e);
  if (llvm::Error e = r.number("reconfigure_seconds", t.reconfigureSeconds,
                               false, 0, true, 1))
    return std::move(e);
  if (llvm::Error e = r.string("source", t.source, false))
    return std::move(e);
  if (llvm::Error e = r.noUnknownFields())
    return std::move(e);
  t.sramPerUnitBytes = static_cast<int64_t>(sram);
  t.offchipBytes = static_cast<int64_t>(offchip);
  return t;
}

std::string targetToJson(const TargetDesc &t) {
  std::string out;
  llvm::raw_string_ostream os(out);
  llvm::json::OStream j(os, 2);
  auto table = [&](const std::map<std::string, double> &m) {
    for (auto &[k, v] : m)
      j.attribute(k, v);
  };
  // A figure for every type is written in the flat (version 1) form.
  auto tables =
      [&](llvm::StringRef key,
          const std::map<std::string, std::map<std::string, double>> &m) {
        auto any = m.find(TargetDesc::kAnyValueType);
        if (m.size() == 1 && any != m.end())
          return j.attributeObject(key, [&] { table(any->second); });
        j.attributeObject(key, [&] {
          for (auto &[type, effs] : m)
            j.attributeObject(type, [&] { table(effs); });
        });
      };
  j.object([&] {
    j.attribute("version", kTargetSchemaVersion);
    j.attribute("name", t.name);
    j.attribute("kind", kindName(t.kind));
    j.attribute("unit_name", t.unitName);
    j.attribute("units", t.units);
    j.attribute("clock_hz", t.clockHz);
    j.attribute("sram_per_unit_bytes", t.sramPerUnitBytes);
    j.attribute("offchip_bytes", t.offchipBytes);
    j.attribute("offchip_bandwidth", t.offchipBandwidth);
    j.attribute("sram_bandwidth", t.sramBandwidth);
    j.attribute("exchange_bandwidth", t.exchangeBandwidth);
    if (t.unitExchangeBandwidth > 0)
      j.attribute("unit_exchange_bandwidth", t.unitExchangeBandwidth);
    j.attribute("sync_seconds", t.syncSeconds);
    j.attributeObject("peak_flops", [&] {
      for (auto &[k, v] : t.peakFlops)
        j.attribute(k, v);
    });
    auto anyDense = t.denseEfficiency.find(TargetDesc::kAnyValueType);
    if (t.denseEfficiency.size() == 1 && anyDense != t.denseEfficiency.end())
      j.attribute("dense_efficiency", anyDense->second);
    else
      j.attributeObject("dense_efficiency", [&] { table(t.denseEfficiency); });
    tables("sparse_efficiency", t.sparseEfficiency);
    if (!t.dynamicSparseEfficiency.empty())
      tables("dynamic_sparse_efficiency", t.dynamicSparseEfficiency);
    j.attribute("fuse_layer_norm", t.fuseLayerNorm);
    j.attribute("joules_per_flop", t.joulesPerFlop);
    j.attribute("joules_per_sram_byte", t.joulesPerSramByte);
    j.attribute("joules_per_offchip_byte", t.joulesPerOffchipByte);
    j.attribute("static_watts", t.staticWatts);
    j.attribute("reconfigure_seconds", t.reconfigureSeconds);
    j.attribute("source", t.source);
  });
  return out;
}

} // namespace sxf
