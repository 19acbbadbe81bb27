//===- ModelPruner.cpp - Pruning the weights of an sxf module ---*- C++ -*-===//

#include "sxf/Pruning/ModelPruner.h"

#include "sxf/Analysis/SparsityStats.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Interpreter/Interpreter.h"
#include "sxf/Pruning/FastLinear.h"
#include "sxf/Pruning/Pruning.h"
#include "sxf/Support/Npy.h"
#include "sxf/Support/Safetensors.h"
#include "sxf/Weights/WeightStore.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Regex.h"

#include <cmath>
#include <map>
#include <set>

using namespace mlir;

namespace sxf {
namespace prune {

//===----------------------------------------------------------------------===//
// Options
//===----------------------------------------------------------------------===//

LogicalResult parseBlock(StringRef s, unsigned &rows, unsigned &cols,
                         std::string &error) {
  auto [a, b] = s.split('x');
  if (!s.contains('x'))
    b = a;
  if (a.getAsInteger(10, rows) || b.getAsInteger(10, cols) || rows == 0 ||
      cols == 0) {
    error = "block '" + s.str() + "' is not B or BxC with positive integers";
    return failure();
  }
  return success();
}

static bool needsCalibration(Method m) {
  return m == Method::Wanda || m == Method::SparseGPT;
}

std::string validate(const PruneConfig &c) {
  if (c.method == Method::None)
    return "method=none prunes nothing; name a method (magnitude, block, nm, "
           "wanda, sparsegpt)";
  bool nm = c.method == Method::NM || c.n || c.m;
  if (nm) {
    if (c.n == 0 || c.m == 0)
      return "N:M pruning needs n > 0 and m > 0 (got n=" +
             std::to_string(c.n) + " m=" + std::to_string(c.m) + ")";
    if (c.n > c.m)
      return "n=" + std::to_string(c.n) + " must not exceed m=" +
             std::to_string(c.m);
    if (c.method == Method::Magnitude || c.method == Method::Block)
      return "n/m apply to method=nm, wanda or sparsegpt, not to this method";
    if (c.sparsityGiven)
      return "sparsity= does not apply with n/m: N:M keeps n of every m "
             "(density n/m); give one or the other";
  } else if (!(c.sparsity >= 0.0 && c.sparsity < 1.0)) {
    return "sparsity must be in [0, 1), got " + std::to_string(c.sparsity);
  }
  if (c.method == Method::Block && (c.blockRows == 0 || c.blockCols == 0))
    return "method=block needs block=B or block=BxC";
  if (c.method != Method::Block && c.blockRows)
    return "block= applies to method=block only";
  if (!needsCalibration(c.method) && !c.calib.empty())
    return "calib= applies to method=wanda or sparsegpt (method=" +
           spellingOf(c.method).str() + " uses no calibration data)";
  if (needsCalibration(c.method)) {
    if (c.calib.empty())
      return "method=" +
             spellingOf(c.method).str() +
             " needs calibration data: calib=<inputs.npy> or calib=random";
    if (c.samples <= 0)
      return "samples must be positive";
  }
  if (!std::isfinite(c.damp))
    return "damp must be a finite number";
  if (c.damp < 0)
    return "damp must be non-negative";
  if (c.blocksize <= 0)
    return "blocksize must be positive";
  if (c.method == Method::SparseGPT && c.m && c.blocksize % c.m)
    return "blocksize=" + std::to_string(c.blocksize) +
           " must be a multiple of m=" + std::to_string(c.m) +
           " (each N:M group must lie inside one column block)";
  if (!std::isfinite(c.damp))
    return "damp must be a finite number";
  if (c.samples > 1000000)
    return "samples=" + std::to_string(c.samples) +
           " is more than the 1000000 calibration samples supported";
  if (c.granularity != Granularity::Element) {
    if (c.method != Method::Magnitude)
      return "granularity=head|neuron is supported with method=magnitude";
    if (c.globalScope)
      return "scope=global applies to element granularity only";
  }
  if (c.globalScope && c.method != Method::Magnitude &&
      c.method != Method::Block)
    return "scope=global applies to method=magnitude or block";
  return "";
}

//===----------------------------------------------------------------------===//
// Weight selection
//===----------------------------------------------------------------------===//

namespace {

/// A prunable weight and the linear ops that use it.
struct Target {
  WeightOp weight;
  SmallVector<LinearOp> uses;
};

/// True when the value reaches the function's return without passing
/// through another op (an output head or classifier).
bool feedsReturn(Value v) {
  return llvm::any_of(v.getUsers(),
                      [](Operation *u) { return isa<func::ReturnOp>(u); });
}

FailureOr<std::vector<Target>> selectTargets(ModuleOp module,
                                             const PruneConfig &c) {
  std::string err;
  llvm::Regex include(c.include), exclude(c.exclude);
  if (!c.include.empty() && !include.isValid(err)) {
    emitError(module.getLoc()) << "sxf-prune: invalid weights regex '" << c.include
                       << "': " << err;
    return failure();
  }
  if (!c.exclude.empty() && !exclude.isValid(err)) {
    emitError(module.getLoc()) << "sxf-prune: invalid exclude regex '" << c.exclude
                       << "': " << err;
    return failure();
  }
  std::set<std::string> embeddingTables;
  module.walk([&](EmbeddingOp e) {
    if (auto w = e.getTable().getDefiningOp<WeightOp>())
      embeddingTables.insert(w.getName().str());
    if (e.getPositions())
      if (auto w = e.getPositions().getDefiningOp<WeightOp>())
        embeddingTables.insert(w.getName().str());
  });
  std::map<std::string, Target> byName;
  std::vector<std::string> order;
  module.walk([&](LinearOp lin) {
    auto w = lin.getWeight().getDefiningOp<WeightOp>();
    if (!w || w.getResult().getType().getRank() != 2)
      return;
    std::string name = w.getName().str();
    bool explicitlyIncluded = !c.include.empty() && include.match(name);
    if (!c.include.empty() && !explicitlyIncluded)
      return;
    if (!c.exclude.empty() && exclude.match(name))
      return;
    if (!explicitlyIncluded &&
        (embeddingTables.count(name) || feedsReturn(lin.getResult())))
      return;
    auto [it, inserted] = byName.try_emplace(name, Target{w, {}});
    if (inserted)
      order.push_back(name);
    it->second.uses.push_back(lin);
  });
  std::vector<Target> targets;
  for (const std::string &n : order)
    targets.push_back(byName[n]);
  return targets;
}

//===----------------------------------------------------------------------===//
// Writing results back
//===----------------------------------------------------------------------===//

/// The #sxf.sparsity that records a pruning result: the method's pattern
/// with the measured density.
SparsityAttr resultAttr(MLIRContext *ctx, const PruneConfig &c,
                        double density) {
  if (c.n && c.m)
    return SparsityAttr::get(ctx, SparsityPattern::nm, density, 0, 0, c.n,
                             c.m);
  if (c.method == Method::Block)
    return SparsityAttr::get(ctx, SparsityPattern::block, density,
                             c.blockRows, c.blockCols);
  if (density >= 1.0)
    return SparsityAttr::get(ctx, SparsityPattern::dense, 1.0);
  return SparsityAttr::get(ctx, SparsityPattern::unstructured, density);
}

/// Where pruned values go: inline dense_resource blobs, or (PruneConfig::out)
/// a safetensors file written as they come. One sink per pruneModule call;
/// every path (data-free, global, structured, calibrated) stores through
/// it, and finish() completes the module either way.
class ResultSink {
public:
  /// Streaming: checks the output path and the module (every weight needs
  /// values), opens the file and writes its header. Inline: nothing to do.
  LogicalResult open(ModuleOp module, const PruneConfig &c) {
    if (c.out.empty())
      return success();
    FailureOr<std::map<std::string, WeightOp>> weights =
        collectWeights(module);
    if (failed(weights))
      return failure();
    WeightStore store(module);
    std::string input = store.resolvedFile();
    bool same = false;
    if (!input.empty() && !llvm::sys::fs::equivalent(c.out, input, same) &&
        same)
      return emitError(module.getLoc())
             << "sxf-prune: out='" << c.out
             << "' is the model's weights file, which is read while the "
                "output is written; write to another file";
    for (auto &[name, op] : *weights)
      if (store.source(op) == WeightSource::None)
        return op.emitError()
               << "sxf-prune: out= writes every weight, but weight '" << name
               << "' has no values (metadata-only)";
    ops = std::move(*weights);
    // The layout sxf-export-weights writes, so both files agree.
    llvm::Expected<std::unique_ptr<SafetensorsWriter>> w =
        SafetensorsWriter::create(c.out, weightSlots(ops, c.outDType),
                                  {{"producer", "sxf sxf-prune"}});
    if (!w) {
      emitError(module.getLoc())
          << "sxf-prune: " << llvm::toString(w.takeError());
      return failure();
    }
    writer = std::move(*w);
    path = c.out;
    return success();
  }

  bool streaming() const { return bool(writer); }
  bool written(StringRef name) const {
    return writer && writer->written(name);
  }

  /// Records `t` as `op`'s pruned values and `sparsity` as its #sxf.sparsity
  /// (null: measured from t, for 2-D weights).
  LogicalResult store(WeightOp op, const Tensor &t, SparsityAttr sparsity) {
    if (!sparsity && t.rank() == 2)
      sparsity = toSparsityAttr(op.getContext(), measureWeight(t));
    if (sparsity)
      op.setSparsityAttr(sparsity);
    if (!writer) {
      setInlineValue(op, t);
      return success();
    }
    if (llvm::Error e = writer->write(op.getName(), t.data)) {
      op.emitError() << "sxf-prune: " << llvm::toString(std::move(e));
      return failure();
    }
    return success();
  }

  /// Streaming: copies every weight not written yet from where it is now
  /// (inline or the old file), completes the file, points the module at it
  /// and drops the inline values.
  LogicalResult finish(ModuleOp module) {
    if (!writer)
      return success();
    WeightStore store(module);
    for (const std::string &name : writer->missing()) {
      WeightOp op = ops.at(name);
      FailureOr<Tensor> t = store.load(op);
      if (failed(t))
        return failure();
      if (llvm::Error e = writer->write(name, t->data)) {
        op.emitError() << "sxf-prune: " << llvm::toString(std::move(e));
        return failure();
      }
    }
    if (llvm::Error e = writer->commit()) {
      emitError(module.getLoc())
          << "sxf-prune: " << llvm::toString(std::move(e));
      return failure();
    }
    module->setAttr(kWeightsFileAttrName,
                    StringAttr::get(module.getContext(), path));
    module.walk([](WeightOp op) { op.removeValueAttr(); });
    return success();
  }

private:
  std::unique_ptr<SafetensorsWriter> writer;
  std::map<std::string, WeightOp> ops;
  std::string path;
};

LogicalResult storePruned(ResultSink &sink, WeightOp op, const Tensor &t,
                          const PruneConfig &c) {
  WeightStats stats = measureWeight(t);
  return sink.store(op, t, resultAttr(op.getContext(), c, stats.density));
}

LogicalResult checkStructure(WeightOp op, const PruneConfig &c) {
  ArrayRef<int64_t> shape = op.getResult().getType().getShape();
  if (c.method == Method::Block &&
      (shape[0] % c.blockRows || shape[1] % c.blockCols))
    return op.emitError() << "sxf-prune: block " << c.blockRows << "x"
                          << c.blockCols << " does not divide the shape "
                          << shape[0] << "x" << shape[1] << " of weight '"
                          << op.getName() << "'";
  if (c.m && shape[1] % c.m)
    return op.emitError() << "sxf-prune: M = " << c.m
                          << " does not divide the " << shape[1]
                          << " input features of weight '" << op.getName()
                          << "'";
  return success();
}

//===----------------------------------------------------------------------===//
// Data-free methods
//===----------------------------------------------------------------------===//

Mask dataFreeMask(const Tensor &w, const PruneConfig &c) {
  switch (c.method) {
  case Method::Block:
    return blockMask(w, c.blockRows, c.blockCols, c.sparsity);
  case Method::NM:
    return nmMask(magnitudeScores(w), w.shape[0], w.shape[1], c.n, c.m);
  default:
    return magnitudeMask(w, c.sparsity);
  }
}

LogicalResult pruneDataFree(ModuleOp module, std::vector<Target> &targets,
                            const PruneConfig &c, ResultSink &sink) {
  WeightStore store(module);
  MLIRContext *ctx = module.getContext();
  std::vector<std::pair<WeightOp, Tensor>> loaded;
  for (Target &t : targets) {
    if (store.source(t.weight) == WeightSource::None) {
      // Metadata only: record the statistics the method produces.
      double density = c.n ? double(c.n) / c.m : 1.0 - c.sparsity;
      t.weight.setSparsityAttr(resultAttr(ctx, c, density));
      continue;
    }
    FailureOr<Tensor> w = store.load(t.weight);
    if (failed(w))
      return failure();
    if (!c.globalScope) {
      // A threshold per weight: prune and store it before loading the next.
      applyMask(*w, dataFreeMask(*w, c));
      if (failed(storePruned(sink, t.weight, *w, c)))
        return failure();
      continue;
    }
    loaded.emplace_back(t.weight, std::move(*w));
  }
  if (c.globalScope && !loaded.empty()) {
    // One threshold over every selected weight: rank all scores (entries or
    // block norms) together.
    std::vector<double> scores;
    std::vector<size_t> offsets;
    for (auto &[op, w] : loaded) {
      offsets.push_back(scores.size());
      if (c.method == Method::Block) {
        int64_t rows = w.shape[0], cols = w.shape[1];
        int64_t nbc = cols / c.blockCols;
        std::vector<double> norms((rows / c.blockRows) * nbc, 0.0);
        for (int64_t r = 0; r < rows; ++r)
          for (int64_t col = 0; col < cols; ++col)
            norms[(r / c.blockRows) * nbc + col / c.blockCols] +=
                double(w.data[r * cols + col]) * w.data[r * cols + col];
        scores.insert(scores.end(), norms.begin(), norms.end());
      } else {
        std::vector<double> s = magnitudeScores(w);
        scores.insert(scores.end(), s.begin(), s.end());
      }
    }
    Mask keep = dropSmallest(scores, pruneCount(scores.size(), c.sparsity));
    for (auto [i, entry] : llvm::enumerate(loaded)) {
      Tensor &w = entry.second;
      int64_t cols = w.shape[1];
      for (int64_t k = 0; k < w.numel(); ++k) {
        size_t idx = k;
        if (c.method == Method::Block)
          idx = ((k / cols) / c.blockRows) * (cols / c.blockCols) +
                (k % cols) / c.blockCols;
        if (!keep[offsets[i] + idx])
          w.data[k] = 0.0f;
      }
      if (failed(storePruned(sink, entry.first, w, c)))
        return failure();
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Structured (neuron / head) pruning
//===----------------------------------------------------------------------===//

double rowNorm2(const Tensor &w, int64_t r) {
  double s = 0;
  for (int64_t c = 0; c < w.shape[1]; ++c)
    s += double(w.data[r * w.shape[1] + c]) * w.data[r * w.shape[1] + c];
  return s;
}
double colNorm2(const Tensor &w, int64_t col) {
  double s = 0;
  for (int64_t r = 0; r < w.shape[0]; ++r)
    s += double(w.data[r * w.shape[1] + col]) * w.data[r * w.shape[1] + col];
  return s;
}

/// Loads a weight (or bias) used by a linear into `values` once.
FailureOr<Tensor *> valuesOf(Value v, WeightStore &store,
                             std::map<Operation *, Tensor> &values) {
  auto op = v.getDefiningOp<WeightOp>();
  if (!op) {
    emitError(v.getLoc()) << "sxf-prune: structured pruning needs the "
                             "weights and biases to be sxf.weight ops";
    return failure();
  }
  auto it = values.find(op);
  if (it == values.end()) {
    FailureOr<Tensor> t = store.load(op);
    if (failed(t))
      return failure();
    it = values.emplace(op, std::move(*t)).first;
  }
  return &it->second;
}

LogicalResult pruneStructured(ModuleOp module, const PruneConfig &c,
                              const std::set<std::string> &selected,
                              ResultSink &sink) {
  WeightStore store(module);
  std::map<Operation *, Tensor> values;
  auto isSelected = [&](LinearOp l) {
    auto w = l.getWeight().getDefiningOp<WeightOp>();
    return w && selected.count(w.getName().str());
  };
  bool any = false;
  if (c.granularity == Granularity::Neuron) {
    // fc1 (f(0) = 0 activation, fused or separate) -> fc2.
    WalkResult r = module.walk([&](LinearOp fc2) -> WalkResult {
      Value in = fc2.getInput();
      if (auto act = in.getDefiningOp<ActivationOp>())
        in = act.getInput();
      auto fc1 = in.getDefiningOp<LinearOp>();
      if (!fc1 || fc1.getResidual() || fc1.getNormGamma() || !isSelected(fc1) ||
          !isSelected(fc2))
        return WalkResult::advance();
      FailureOr<Tensor *> w1 = valuesOf(fc1.getWeight(), store, values);
      FailureOr<Tensor *> w2 = valuesOf(fc2.getWeight(), store, values);
      if (failed(w1) || failed(w2))
        return WalkResult::interrupt();
      Tensor *b1 = nullptr;
      if (fc1.getBias()) {
        FailureOr<Tensor *> b = valuesOf(fc1.getBias(), store, values);
        if (failed(b))
          return WalkResult::interrupt();
        b1 = *b;
      }
      int64_t neurons = (*w1)->shape[0];
      if ((*w2)->rank() != 2 || (*w2)->shape[1] != neurons ||
          (b1 && b1->numel() != neurons))
        return WalkResult::advance(); // shapes hidden by dynamic dims differ
      std::vector<double> scores(neurons);
      for (int64_t f = 0; f < neurons; ++f)
        scores[f] = std::sqrt(rowNorm2(**w1, f) * colNorm2(**w2, f));
      Mask keep = dropSmallest(scores, pruneCount(neurons, c.sparsity));
      for (int64_t f = 0; f < neurons; ++f) {
        if (keep[f])
          continue;
        for (int64_t k = 0; k < (*w1)->shape[1]; ++k)
          (*w1)->data[f * (*w1)->shape[1] + k] = 0.0f;
        if (b1)
          b1->data[f] = 0.0f;
        for (int64_t r = 0; r < (*w2)->shape[0]; ++r)
          (*w2)->data[r * (*w2)->shape[1] + f] = 0.0f;
      }
      any = true;
      return WalkResult::advance();
    });
    if (r.wasInterrupted())
      return failure();
  } else {
    WalkResult r = module.walk([&](AttentionOp attn) -> WalkResult {
      auto q = attn.getQuery().getDefiningOp<LinearOp>();
      auto k = attn.getKey().getDefiningOp<LinearOp>();
      auto v = attn.getValue().getDefiningOp<LinearOp>();
      if (!attn.getResult().hasOneUse())
        return WalkResult::advance();
      auto o = dyn_cast<LinearOp>(*attn.getResult().getUsers().begin());
      if (!q || !k || !v || !o || !isSelected(q) || !isSelected(k) ||
          !isSelected(v) || !isSelected(o))
        return WalkResult::advance();
      int64_t heads = attn.getHeads(), d = attn.getHeadDim();
      if (heads > (int64_t(1) << 20) || d > (int64_t(1) << 20))
        return WalkResult::advance();
      SmallVector<Tensor *> proj;
      for (LinearOp l : {q, k, v, o}) {
        FailureOr<Tensor *> t = valuesOf(l.getWeight(), store, values);
        if (failed(t))
          return WalkResult::interrupt();
        proj.push_back(*t);
      }
      for (int i = 0; i < 3; ++i)
        if (proj[i]->rank() != 2 || proj[i]->shape[0] != heads * d)
          return WalkResult::advance();
      if (proj[3]->rank() != 2 || proj[3]->shape[1] != heads * d)
        return WalkResult::advance();
      SmallVector<Tensor *> biases;
      for (LinearOp l : {q, k, v}) {
        if (!l.getBias())
          continue;
        FailureOr<Tensor *> t = valuesOf(l.getBias(), store, values);
        if (failed(t))
          return WalkResult::interrupt();
        if ((*t)->numel() != heads * d)
          return WalkResult::advance();
        biases.push_back(*t);
      }
      std::vector<double> scores(heads, 0.0);
      for (int64_t h = 0; h < heads; ++h)
        for (int64_t j = h * d; j < (h + 1) * d; ++j)
          scores[h] += rowNorm2(*proj[0], j) + rowNorm2(*proj[1], j) +
                       rowNorm2(*proj[2], j) + colNorm2(*proj[3], j);
      Mask keep = dropSmallest(scores, pruneCount(heads, c.sparsity));
      SmallVector<bool> keepHeads(heads, true);
      if (std::optional<ArrayRef<bool>> old = attn.getKeepHeads())
        keepHeads.assign(old->begin(), old->end());
      for (int64_t h = 0; h < heads; ++h) {
        if (keep[h])
          continue;
        keepHeads[h] = false;
        for (int64_t j = h * d; j < (h + 1) * d; ++j) {
          for (int p = 0; p < 3; ++p)
            for (int64_t col = 0; col < proj[p]->shape[1]; ++col)
              proj[p]->data[j * proj[p]->shape[1] + col] = 0.0f;
          for (Tensor *b : biases)
            b->data[j] = 0.0f;
          for (int64_t row = 0; row < proj[3]->shape[0]; ++row)
            proj[3]->data[row * proj[3]->shape[1] + j] = 0.0f;
        }
      }
      attn.setKeepHeadsAttr(
          DenseBoolArrayAttr::get(attn.getContext(), keepHeads));
      any = true;
      return WalkResult::advance();
    });
    if (r.wasInterrupted())
      return failure();
  }
  if (!any)
    return emitError(module.getLoc())
           << "sxf-prune: granularity="
           << (c.granularity == Granularity::Head ? "head" : "neuron")
           << " found no "
           << (c.granularity == Granularity::Head
                   ? "attention op fed by selected q/k/v linears and read by "
                     "one selected output linear"
                   : "pair of selected linears fc1 -> [activation] -> fc2");
  for (auto &[op, t] : values)
    if (failed(sink.store(cast<WeightOp>(op), t, SparsityAttr())))
      return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Calibrated methods (Wanda, SparseGPT)
//===----------------------------------------------------------------------===//

/// Loads calibration samples for `func` (one sample = one set of inputs).
FailureOr<std::vector<std::vector<HostValue>>>
calibrationSamples(ModuleOp module, func::FuncOp func, Interpreter &interp,
                   const PruneConfig &c) {
  std::vector<std::vector<HostValue>> samples;
  if (c.calib == "random") {
    for (int64_t i = 0; i < c.samples; ++i) {
      FailureOr<std::vector<HostValue>> in =
          interp.randomInputs(func, c.seed + i);
      if (failed(in))
        return failure();
      samples.push_back(std::move(*in));
    }
    return samples;
  }
  if (func.getNumArguments() != 1)
    return emitError(module.getLoc())
           << "sxf-prune: calibration from a file needs a model with one "
              "input; @"
           << func.getName() << " has " << func.getNumArguments();
  auto type = dyn_cast<RankedTensorType>(func.getArgument(0).getType());
  if (!type || !type.hasStaticShape())
    return emitError(module.getLoc(), "sxf-prune: the model input must have a static "
                            "shape for calibration");
  llvm::Expected<NpyArray> arr = readNpy(c.calib);
  if (!arr) {
    emitError(module.getLoc()) << "sxf-prune: cannot read calibration data: "
                       << llvm::toString(arr.takeError());
    return failure();
  }
  int64_t per = type.getNumElements();
  if (per == 0) {
    emitError(module.getLoc())
        << "sxf-prune: the model input " << type << " has no elements";
    return failure();
  }
  int64_t total = shapeNumElements(arr->shape);
  int64_t last = type.getShape().back();
  if (arr->shape.empty() || arr->shape.back() != last || total % per) {
    emitError(module.getLoc()) << "sxf-prune: calibration data " << c.calib
                       << " has shape " << shapeToString(arr->shape)
                       << " but the model input is " << type
                       << " (expected [samples, ..., " << last << "])";
    return failure();
  }
  bool isInt = isa<IntegerType>(type.getElementType());
  int64_t count = std::min<int64_t>(total / per, c.samples);
  std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
  if (isInt) {
    llvm::Expected<IntTensor> all = arr->toInt();
    if (!all) {
      emitError(module.getLoc()) << "sxf-prune: calibration data " << c.calib
                         << ": " << llvm::toString(all.takeError());
      return failure();
    }
    for (int64_t i = 0; i < count; ++i) {
      IntTensor t;
      t.shape = shape;
      t.data.assign(all->data.begin() + i * per,
                    all->data.begin() + (i + 1) * per);
      samples.push_back({HostValue::ints(std::move(t))});
    }
  } else {
    llvm::Expected<Tensor> all = arr->toFloat();
    if (!all) {
      emitError(module.getLoc()) << "sxf-prune: calibration data " << c.calib
                         << ": " << llvm::toString(all.takeError());
      return failure();
    }
    for (int64_t i = 0; i < count; ++i) {
      Tensor t(shape);
      std::copy(all->data.begin() + i * per, all->data.begin() + (i + 1) * per,
                t.data.begin());
      samples.push_back({HostValue::floats(std::move(t))});
    }
  }
  return samples;
}

/// Prunes each selected weight the first time a linear using it runs, from
/// the statistics of that linear's inputs over every sample. Only one
/// layer's statistics are held at a time (the last input's Hessian is kept
/// for the q/k/v projections that share it).
class CalibratedPruner : public LinearObserver {
public:
  /// With a streaming `sink`, each pruned weight is stored as soon as its
  /// last use has run (weightDone) and the interpreter then drops it.
  CalibratedPruner(const PruneConfig &c, std::set<std::string> selected,
                   ResultSink &sink, std::map<std::string, WeightOp> targets)
      : config(c), selected(std::move(selected)), sink(sink),
        targets(std::move(targets)) {}

  LogicalResult weightDone(WeightOp op, Tensor &weight) override {
    std::string name = op.getName().str();
    if (!sink.streaming() || !done.count(name))
      return success();
    return storePruned(sink, targets.at(name), weight, config);
  }

  LogicalResult beforeLinear(LinearOp op, ArrayRef<const Tensor *> inputs,
                             Tensor &weight) override {
    auto w = op.getWeight().getDefiningOp<WeightOp>();
    std::string name = w.getName().str();
    if (!selected.count(name) || done.count(name))
      return success();
    done.insert(name);
    int64_t cols = weight.shape[1];
    if (cols == 0 || weight.shape[0] == 0)
      return success(); // an empty weight has nothing to prune
    if (cachedInput != op.getInput() || !acc) {
      acc = std::make_unique<HessianAccumulator>(
          cols, config.method == Method::Wanda);
      for (const Tensor *x : inputs)
        acc->addSample(x->data.data(), x->numel() / cols);
      cachedInput = op.getInput();
    }
    if (config.method == Method::Wanda) {
      std::vector<double> scores = wandaScores(weight, acc->columnNorms());
      Mask keep = config.m ? nmMask(scores, weight.shape[0], cols, config.n,
                                    config.m)
                           : perRowMask(scores, weight.shape[0], cols,
                                        config.sparsity);
      applyMask(weight, keep);
      return success();
    }
    SparseGPTOptions opts;
    opts.sparsity = config.sparsity;
    opts.n = config.n;
    opts.m = config.m;
    opts.blocksize = config.blocksize;
    opts.damp = config.damp;
    Tensor original = weight;
    for (int attempt = 0;; ++attempt) {
      llvm::Error err = sparseGPT(weight, acc->hessian(), opts);
      if (!err)
        break;
      std::string msg = llvm::toString(std::move(err));
      weight = original;
      if (attempt == 3 || opts.damp == 0.0 ||
          msg.find("positive definite") == std::string::npos)
        return op.emitError() << "sxf-prune: weight '" << name
                              << "': " << msg;
      opts.damp *= 10;
      op.emitWarning() << "sxf-prune: weight '" << name
                       << "': Hessian not positive definite, retrying with "
                          "damp = "
                       << opts.damp;
    }
    return success();
  }

  const std::set<std::string> &pruned() const { return done; }

private:
  const PruneConfig &config;
  std::set<std::string> selected;
  std::set<std::string> done;
  ResultSink &sink;
  std::map<std::string, WeightOp> targets;
  Value cachedInput;
  std::unique_ptr<HessianAccumulator> acc;
};

LogicalResult pruneCalibrated(ModuleOp module, std::vector<Target> &targets,
                              const PruneConfig &c, ResultSink &sink) {
  WeightStore store(module);
  std::set<std::string> selected;
  for (Target &t : targets) {
    if (store.source(t.weight) == WeightSource::None)
      return t.weight.emitError()
             << "sxf-prune: method=" << (c.method == Method::Wanda ? "wanda" : "sparsegpt")
             << " needs weight values, but weight '" << t.weight.getName()
             << "' is metadata-only (use magnitude, block or nm to plan "
                "metadata-only models)";
    if (failed(checkStructure(t.weight, c)))
      return failure();
    selected.insert(t.weight.getName().str());
  }
  Interpreter interp(module);
  interp.setLinearImpl(fastLinear);
  FailureOr<func::FuncOp> func = interp.entry("");
  if (failed(func))
    return failure();
  FailureOr<std::vector<std::vector<HostValue>>> samples =
      calibrationSamples(module, *func, interp, c);
  if (failed(samples))
    return failure();
  if (samples->empty())
    return emitError(module.getLoc(), "sxf-prune: no calibration samples");
  std::map<std::string, WeightOp> byName;
  for (Target &t : targets)
    byName.emplace(t.weight.getName().str(), t.weight);
  CalibratedPruner pruner(c, selected, sink, byName);
  interp.setReleaseWeights(sink.streaming());
  if (failed(interp.runBatch(*func, *samples, &pruner)))
    return failure();
  const auto &weights = interp.loadedWeights();
  for (Target &t : targets) {
    std::string name = t.weight.getName().str();
    if (!pruner.pruned().count(name))
      return t.weight.emitError()
             << "sxf-prune: weight '" << name
             << "' is not reached by the entry function, so it cannot be "
                "calibrated";
    // Streaming stored it in weightDone already, unless the weight reaches
    // the function's return (no last use inside it): then it is still here.
    if (sink.written(name))
      continue;
    auto it = weights.find(name);
    if (it == weights.end())
      return t.weight.emitError() << "sxf-prune: weight '" << name
                                  << "' was released before it was stored";
    if (failed(storePruned(sink, t.weight, it->second->f, c)))
      return failure();
  }
  return success();
}

} // namespace

LogicalResult pruneModule(ModuleOp module, const PruneConfig &c) {
  std::string err = validate(c);
  if (!err.empty())
    return emitError(module.getLoc()) << "sxf-prune: " << err;
  Operation *composite = nullptr;
  module.walk([&](Operation *op) {
    if (!composite && isa<EncoderLayerOp, DecoderLayerOp>(op))
      composite = op;
  });
  if (composite)
    return emitError(composite->getLoc(),
        "sxf-prune: composite layers hide their linear layers: run "
        "sxf-decompose first");
  FailureOr<std::vector<Target>> targets = selectTargets(module, c);
  if (failed(targets))
    return failure();
  if (targets->empty())
    return emitError(module.getLoc(), "sxf-prune: no linear-layer weight matches the "
                            "selection (embedding tables and output heads "
                            "are excluded unless named by weights=)");
  if (c.granularity == Granularity::Element)
    for (Target &t : *targets)
      if (failed(checkStructure(t.weight, c)))
        return failure();
  ResultSink sink;
  if (failed(sink.open(module, c)))
    return failure();
  LogicalResult pruned = success();
  if (c.granularity != Granularity::Element) {
    std::set<std::string> names;
    for (Target &t : *targets)
      names.insert(t.weight.getName().str());
    pruned = pruneStructured(module, c, names, sink);
  } else if (needsCalibration(c.method)) {
    pruned = pruneCalibrated(module, *targets, c, sink);
  } else {
    pruned = pruneDataFree(module, *targets, c, sink);
  }
  if (failed(pruned))
    return failure();
  return sink.finish(module);
}

} // namespace prune
} // namespace sxf
