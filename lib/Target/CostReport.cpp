//===- CostReport.cpp - FLOPs and bytes moved per op and layer --*- C++ -*-===//

#include "sxf/Target/CostReport.h"

#include "sxf/Analysis/SparsityStats.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Weights/WeightStore.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/TypeSwitch.h"

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
    if (isa<SplitOp>(op)) { // a view of the fused result: nothing moves
      c.layer = current;
      out.push_back(c);
      continue;
    }
    // Activations: every non-weight operand read, every result written.
    for (Value v : op.getOperands())
      if (!v.getDefiningOp<WeightOp>())
        c.activationBytes += 4.0 * elements(v.getType());
    for (Value r : op.getResults())
      c.activationBytes += 4.0 * elements(r.getType());
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
    LogicalResult ok =
        llvm::TypeSwitch<Operation *, LogicalResult>(&op)
            .Case<LinearOp>([&](LinearOp l) -> LogicalResult {
              // Tokens: the activation's matrix view (no division, so a
              // weight with zero in-features costs 0, not NaN).
              double rows = double(matrixRows(l.getInput()));
              double nnz = elements(l.getWeight().getType());
              if (auto w = l.getWeight().getDefiningOp<WeightOp>()) {
                FailureOr<WeightStats *> s = stats(w);
                if (failed(s))
                  return failure();
                if (w.getFormatAttr() &&
                    w.getFormatAttr().getKind() != StorageKind::dense)
                  nnz = double((*s)->nnz);
              }
              double outElems = elements(l.getType());
              c.flops = linearFlops(rows, nnz) +
                        (l.getBias() ? outElems : 0) +
                        (l.getActivation() ? 8 * outElems : 0) +
                        (l.getResidual() ? outElems : 0) +
                        (l.getNormGamma() ? 8 * outElems : 0);
              return success();
            })
            .Case<AttentionOp>([&](AttentionOp a) {
              auto q = cast<RankedTensorType>(a.getQuery().getType());
              auto k = cast<RankedTensorType>(a.getKey().getType());
              double b = q.getDimSize(0), s = q.getDimSize(1),
                     t = k.getDimSize(1), h = a.getHeads(),
                     d = a.getHeadDim();
              // QKᵀ and PV, plus ~5 FLOPs per score for the softmax.
              c.flops = 4.0 * b * h * s * t * d + 5.0 * b * h * s * t;
              return success();
            })
            .Case<MatmulOp>([&](MatmulOp m) {
              auto a = cast<RankedTensorType>(m.getLhs().getType());
              double k = m.getTransposeLhs() ? a.getDimSize(a.getRank() - 2)
                                             : a.getDimSize(a.getRank() - 1);
              c.flops = 2.0 * elements(m.getType()) * k;
              return success();
            })
            .Case<LayerNormOp, RmsNormOp>([&](Operation *) {
              c.flops = 8.0 * elements(op.getResult(0).getType());
              return success();
            })
            .Case<SoftmaxOp>([&](SoftmaxOp s) {
              c.flops = 5.0 * elements(s.getType());
              return success();
            })
            .Case<ActivationOp>([&](ActivationOp a) {
              c.flops = 8.0 * elements(a.getType());
              return success();
            })
            .Case<AddOp>([&](AddOp a) {
              c.flops = elements(a.getType());
              return success();
            })
            .Case<EmbeddingOp>([&](EmbeddingOp e) {
              // A gather: no arithmetic but the position add; its cost is
              // the bytes it moves.
              c.flops = e.getPositions() ? elements(e.getType()) : 0;
              return success();
            })
            .Case<EncoderLayerOp, DecoderLayerOp>([&](Operation *) {
              return op.emitError()
                     << "sxf-cost-report: composite '" << op.getName()
                     << "' hides its linear layers; run sxf-decompose first";
            })
            .Default([&](Operation *) {
              // Every sxf op is priced above; anything else has no cost
              // model, and pricing it at zero would be a silent wrong answer.
              return op.emitError() << "sxf-cost-report: no cost model for '"
                                    << op.getName() << "'";
            });
    if (failed(ok))
      return failure();
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
