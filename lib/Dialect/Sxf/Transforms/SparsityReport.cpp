//===- SparsityReport.cpp - Per-weight sparsity report ----------*- C++ -*-===//
//
// A thin pass over SparsityStats: measure (or read from the attributes) each
// weight, cost it in its format, and print a table and optionally JSON.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/FileOutput.h"
#include "sxf/Analysis/SparsityStats.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/Weights/WeightStore.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/ToolOutputFile.h"

#include <set>

namespace sxf {
#define GEN_PASS_DEF_SXFSPARSITYREPORTPASS
#include "sxf/Dialect/Sxf/Transforms/Passes.h.inc"
} // namespace sxf

using namespace mlir;
using namespace sxf;

namespace {

struct Row {
  std::string name;
  bool linear = false; // used as the weight of an sxf.linear
  sxf::WeightStats stats;
  FormatAttr format;
  bool formatFromIR = false;
  int64_t dense = 0;
  std::optional<sxf::FormatBytes> stored;
};

std::string patternString(const sxf::WeightStats &s) {
  switch (s.pattern) {
  case SparsityPattern::dense:
    return "dense";
  case SparsityPattern::unstructured:
    return "unstructured";
  case SparsityPattern::block:
    return llvm::formatv("block {0}x{0}", s.patternBlock).str();
  case SparsityPattern::nm:
    return llvm::formatv("{0}:{1}", s.patternN, s.patternM).str();
  }
  return "?";
}

std::string blockFill(const sxf::WeightStats &s) {
  std::string out;
  for (const sxf::BlockStats &b : s.blocks) {
    if (!out.empty())
      out += "/";
    out += b.divides ? llvm::formatv("{0:F2}", b.fill).str() : "-";
  }
  return out;
}

bool compliant(const sxf::WeightStats &s, unsigned n, unsigned m) {
  for (auto [cn, cm] : s.nmCompliant)
    if (cn == n && cm == m)
      return true;
  return false;
}

struct SxfSparsityReportPass
    : public sxf::impl::SxfSparsityReportPassBase<SxfSparsityReportPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<std::map<std::string, WeightOp>> weights =
        sxf::collectWeights(module);
    if (failed(weights))
      return signalPassFailure();
    sxf::WeightStore store(module);
    std::set<std::string> linearWeights;
    module.walk([&](LinearOp lin) {
      if (auto w = lin.getWeight().getDefiningOp<WeightOp>())
        linearWeights.insert(w.getName().str());
    });
    std::vector<Row> rows;
    for (auto &[name, op] : *weights) {
      Row row;
      row.name = name;
      row.linear = linearWeights.count(name);
      FailureOr<sxf::WeightStats> stats = sxf::weightStats(op, store);
      if (failed(stats))
        return signalPassFailure();
      row.stats = std::move(*stats);
      if (annotate && row.stats.measured &&
          op.getResult().getType().getRank() == 2)
        op.setSparsityAttr(sxf::toSparsityAttr(&getContext(), row.stats));
      row.formatFromIR = static_cast<bool>(op.getFormatAttr());
      row.format = row.formatFromIR
                       ? op.getFormatAttr()
                       : sxf::defaultReportFormat(&getContext(), row.stats);
      row.dense = sxf::denseBytes(
          row.stats, row.format.getValueType().getIntOrFloatBitWidth());
      row.stored = sxf::formatBytes(row.stats, row.format);
      if (!row.stored) {
        op.emitError() << "weight '" << name << "' cannot be stored as "
                       << row.format << ": its measured structure ("
                       << patternString(row.stats) << ") does not fit";
        return signalPassFailure();
      }
      rows.push_back(std::move(row));
    }
    if (failed(printText(rows, store)) ||
        (!json.empty() && failed(printJson(rows, store))))
      return signalPassFailure();
    markAllAnalysesPreserved();
  }

  /// Model totals, shared by the text and JSON reports.
  struct Totals {
    int64_t params = 0, nnz = 0, dense = 0, stored = 0;
    int64_t values = 0, indices = 0, pointers = 0, padding = 0;
    int64_t denseKept = 0; // bytes of weights stored dense
    double flopsDense = 0, flopsSparse = 0;
  };
  static double flopsDense(const Row &r) {
    return r.linear ? sxf::linearFlops(1, double(r.stats.numel)) : 0.0;
  }
  static double flopsSparse(const Row &r) {
    return r.linear ? sxf::linearFlops(1, double(r.stats.nnz)) : 0.0;
  }
  static Totals totals(const std::vector<Row> &rows) {
    Totals t;
    for (const Row &r : rows) {
      t.params += r.stats.numel;
      t.nnz += r.stats.nnz;
      t.dense += r.dense;
      t.stored += r.stored->total();
      t.values += r.stored->values;
      t.indices += r.stored->indices;
      t.pointers += r.stored->pointers;
      t.padding += bitsOf(r) * r.stored->paddingValues / 8;
      if (r.format.getKind() == StorageKind::dense)
        t.denseKept += r.stored->total();
      t.flopsDense += flopsDense(r);
      t.flopsSparse += flopsSparse(r);
    }
    return t;
  }
  static int64_t bitsOf(const Row &r) {
    return r.format.getValueType().getIntOrFloatBitWidth();
  }

  LogicalResult printText(const std::vector<Row> &rows,
                          const sxf::WeightStore &store) {
    std::string err;
    std::unique_ptr<llvm::ToolOutputFile> file =
        openOutputFile(output, &err);
    if (!file)
      return emitError(getOperation().getLoc())
             << "sxf-sparsity-report: cannot open '" << output << "': " << err;
    raw_ostream &os = file->os();
    size_t nameWidth = 6;
    for (const Row &r : rows)
      nameWidth = std::max(nameWidth, r.name.size());
    std::string weightsFile = store.declaredFile();
    os << "sxf sparsity report (" << rows.size() << " weights; values: "
       << (weightsFile.empty() ? std::string("inline or metadata only")
                               : weightsFile)
       << ")\n";
    os << llvm::left_justify("weight", nameWidth)
       << llvm::formatv("  {0,-11} {1,12} {2,12} {3,8}  {4,-13} {5,-3} "
                        "{6,-3} {7,-14} {8,12}  {9,-17} {10,12} {11,6}\n",
                        "shape", "params", "nnz", "density",
                        "pattern", "2:4", "4:8", "fill 4/8/16", "dense B",
                        "format", "stored B", "ratio");
    int64_t params = 0, nnz = 0, dense = 0, stored = 0;
    for (const Row &r : rows) {
      params += r.stats.numel;
      nnz += r.stats.nnz;
      dense += r.dense;
      stored += r.stored->total();
      os << llvm::left_justify(r.name, nameWidth)
         << llvm::formatv(
          "  {0,-11} {1,12} {2,12} {3,8:F4}  {4,-13} {5,-3} {6,-3} "
              "{7,-14} {8,12}  {9,-17} {10,12} {11,6:P0}\n",
          sxf::shapeToString(r.stats.shape), r.stats.numel,
          r.stats.nnz, r.stats.density,
          patternString(r.stats) + (r.stats.measured ? "" : "*"),
          compliant(r.stats, 2, 4) ? "yes" : "no",
          compliant(r.stats, 4, 8) ? "yes" : "no", blockFill(r.stats), r.dense,
          sxf::formatToString(r.format) + (r.formatFromIR ? "" : "?"),
          r.stored->total(),
          r.dense ? double(r.stored->total()) / r.dense : 0.0);
    }
    os << llvm::formatv("total: {0} params, {1} nonzeros (density {2:F4}), "
                        "{3} bytes dense, {4} bytes stored ({5:P1} of "
                        "dense)\n",
                        params, nnz, params ? double(nnz) / params : 0.0, dense,
                        stored, dense ? double(stored) / dense : 0.0);
    Totals t = totals(rows);
    auto pct = [&](int64_t part) {
      return dense ? double(part) / double(dense) : 0.0;
    };
    os << llvm::formatv(
        "stored bytes as a share of dense: values {0:P1}, indices {1:P1}, "
        "pointers {2:P1} (explicit zeros among the values: {3:P1}); "
        "weights kept dense: {4:P1}\n",
        pct(t.values), pct(t.indices), pct(t.pointers), pct(t.padding),
        pct(t.denseKept));
    os << llvm::formatv("linear-layer FLOPs per token: {0} dense, {1} "
                        "sparse ({2:P1} of dense)\n",
                        int64_t(t.flopsDense), int64_t(t.flopsSparse),
                        t.flopsDense ? t.flopsSparse / t.flopsDense : 0.0);
    os << "(* = from #sxf.sparsity, not measured; ? = no #sxf.format, "
          "costed as "
          "dense or csr f32/i32)\n";
    if (llvm::Error e = closeOutput(*file, output))
      return emitError(getOperation().getLoc())
             << "sxf-sparsity-report: " << llvm::toString(std::move(e));
    return success();
  }

  LogicalResult printJson(const std::vector<Row> &rows,
                          const sxf::WeightStore &store) {
    std::string err;
    std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(json, &err);
    if (!file)
      return emitError(getOperation().getLoc())
             << "sxf-sparsity-report: cannot open '" << json << "': " << err;
    llvm::json::OStream j(file->os(), 2);
    int64_t params = 0, nnz = 0, dense = 0, stored = 0;
    j.object([&] {
      j.attribute("weights_file", store.declaredFile());
      j.attributeArray("weights", [&] {
        for (const Row &r : rows) {
          params += r.stats.numel;
          nnz += r.stats.nnz;
          dense += r.dense;
          stored += r.stored->total();
          j.object([&] {
            j.attribute("name", r.name);
            j.attributeArray("shape", [&] {
              for (int64_t d : r.stats.shape)
                j.value(d);
            });
            j.attribute("params", r.stats.numel);
            j.attribute("nnz", r.stats.nnz);
            j.attribute("density", r.stats.density);
            j.attribute("measured", r.stats.measured);
            j.attribute("pattern", patternString(r.stats));
            j.attribute("nm_2_4", compliant(r.stats, 2, 4));
            j.attribute("nm_4_8", compliant(r.stats, 4, 8));
            j.attributeArray("blocks", [&] {
              for (const sxf::BlockStats &b : r.stats.blocks)
                j.object([&] {
                  j.attribute("size", b.size);
                  j.attribute("divides", b.divides);
                  j.attribute("nonzero_blocks", b.nonzeroBlocks);
                  j.attribute("fill", b.fill);
                });
            });
            j.attribute("format", sxf::formatToString(r.format));
            j.attribute("format_bytes", r.stored->total());
            j.attribute("flops_dense", flopsDense(r));
            j.attribute("flops_sparse", flopsSparse(r));
            j.attribute("format_from_ir", r.formatFromIR);
            j.attribute("dense_bytes", r.dense);
            j.attributeObject("stored_bytes", [&] {
              j.attribute("values", r.stored->values);
              j.attribute("indices", r.stored->indices);
              j.attribute("pointers", r.stored->pointers);
              j.attribute("padding_values", r.stored->paddingValues);
              j.attribute("total", r.stored->total());
            });
          });
        }
      });
      Totals t = totals(rows);
      j.attributeObject("totals", [&] {
        j.attribute("params", params);
        j.attribute("nnz", nnz);
        j.attribute("density", params ? double(nnz) / params : 0.0);
        j.attribute("dense_bytes", dense);
        j.attribute("stored_bytes", stored);
        j.attribute("format_bytes", stored);
        j.attribute("value_bytes", t.values);
        j.attribute("index_bytes", t.indices);
        j.attribute("pointer_bytes", t.pointers);
        j.attribute("padding_bytes", t.padding);
        j.attribute("dense_kept_bytes", t.denseKept);
        j.attribute("flops_dense", t.flopsDense);
        j.attribute("flops_sparse", t.flopsSparse);
      });
    });
    file->os() << "\n";
    if (llvm::Error e = closeOutput(*file, json))
      return emitError(getOperation().getLoc())
             << "sxf-sparsity-report: " << llvm::toString(std::move(e));
    return success();
  }
};

} // namespace
