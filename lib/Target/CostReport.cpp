//===- CostReport.cpp - FLOPs and bytes moved per op and layer --*- C++ -*-===//

#include "sxf/Target/CostReport.h"

#include "sxf/Analysis/SparsityStats.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Weights/WeightStore.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <map>

using namespace mlir;

namespace sxf {

static double elements(Type t) {
  auto rt = dyn_cast<RankedTensorType>(t);
  if (!rt || !rt.hasStaticShape())
    return 0;
  return double(rt.getNumElements());
}

/// "layers.N" from a weight name, if it has one.
static std::string layerOf(StringRef name) {
  if (!name.starts_with("layers."))
    return "";
  size_t dot = name.find('.', 7);
  return name.substr(0, dot).str();
}

FailureOr<std::vector<OpCost>> costOps(ModuleOp module, StringRef entry) {
  func::FuncOp func;
  if (!entry.empty())
    func = module.lookupSymbol<func::FuncOp>(entry);
  else if (!(func = module.lookupSymbol<func::FuncOp>("forward")))
    for (auto f : module.getOps<func::FuncOp>())
      if (!f.isExternal()) {
        func = f;
        break;
      }
  if (!func || func.isExternal())
    return emitError(module.getLoc(), "cost report: no entry function");
  WeightStore store(module);
  std::map<Operation *, WeightStats> statsCache;
  auto stats = [&](WeightOp w) -> FailureOr<WeightStats *> {
    auto it = statsCache.find(w);
    if (it == statsCache.end()) {
      FailureOr<WeightStats> s = weightStats(w, store);
      if (failed(s))
        return failure();
      it = statsCache.emplace(w, std::move(*s)).first;
    }
    return &it->second;
  };
  // Bytes of a weight operand: its format, else dense f32.
  auto weightBytes = [&](Value v) -> FailureOr<double> {
    auto w = v.getDefiningOp<WeightOp>();
    if (!w)
      return 4.0 * elements(v.getType());
    FailureOr<WeightStats *> s = stats(w);
    if (failed(s))
      return failure();
    if (FormatAttr f = w.getFormatAttr())
      if (std::optional<FormatBytes> b = formatBytes(**s, f))
        return double(b->total());
    return double(denseBytes(**s, 32));
  };

  std::vector<OpCost> out;
  std::string current = "pre";
  for (Operation &op : func.getBody().front()) {
    if (isa<WeightOp, func::ReturnOp>(op))
      continue;
    OpCost c;
    c.op = &op;
    auto isStatic = [](Type t) {
      auto rt = dyn_cast<RankedTensorType>(t);
      return !rt || rt.hasStaticShape();
    };
    if (!llvm::all_of(op.getOperandTypes(), isStatic) ||
        !llvm::all_of(op.getResultTypes(), isStatic)) {
      c.dynamic = true;
      c.layer = current;
      out.push_back(c);
      continue;
    }
    // Every primitive sxf op prices itself (CostOpInterface); the composite
    // layers and anything else have no cost model here, and pricing them at
    // zero would be a silent wrong answer.
    if (isa<EncoderLayerOp, DecoderLayerOp>(op))
      return op.emitError()
             << "sxf-cost-report: composite '" << op.getName()
             << "' hides its linear layers; run sxf-decompose first";
    auto cost = dyn_cast<CostOpInterface>(op);
    if (!cost)
      return op.emitError() << "sxf-cost-report: no cost model for '"
                            << op.getName() << "'";
    c.activationBytes = cost.getActivationBytes();
    std::string layer;
    bool usesWeights = false;
    for (Value v : op.getOperands())
      if (auto w = v.getDefiningOp<WeightOp>()) {
        FailureOr<double> b = weightBytes(v);
        if (failed(b))
          return failure();
        c.weightBytes += *b;
        usesWeights = true;
        if (layer.empty())
          layer = layerOf(w.getName());
      }
    // A weight's multiplied entries: its nonzeros when stored sparse, else
    // all of them (weightBytes above has measured every weight operand).
    c.flops = cost.getFlops([&](Value v) -> double {
      auto w = v.getDefiningOp<WeightOp>();
      if (!w || !w.getFormatAttr() ||
          w.getFormatAttr().getKind() == StorageKind::dense)
        return elements(v.getType());
      return double(statsCache.at(w).nnz);
    });
    if (!layer.empty())
      current = layer;
    else if (usesWeights && current != "pre")
      current = "head"; // weights outside the layers, after them
    c.layer = current;
    out.push_back(c);
  }
  return out;
}

std::vector<LayerCost> byLayer(const std::vector<OpCost> &ops) {
  std::vector<LayerCost> out;
  for (const OpCost &c : ops) {
    if (out.empty() || out.back().layer != c.layer)
      out.push_back(LayerCost{c.layer});
    LayerCost &l = out.back();
    ++l.ops;
    l.dynamicOps += c.dynamic;
    l.flops += c.flops;
    l.weightBytes += c.weightBytes;
    l.activationBytes += c.activationBytes;
  }
  return out;
}

} // namespace sxf
