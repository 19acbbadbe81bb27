//===- Trainer.cpp - Training a causal LM on the interpreter ---*- C++ -*-===//
//
// See Trainer.h. The loop owns every parameter as a dense fp32 tensor bound
// into the interpreter (Interpreter::bindWeight) plus, for a sparse weight,
// its pattern (Interpreter::setStoredPattern, so that the gradient lives on
// exactly those positions) and its AdamW state in the pattern's stored order
// in its format (gatherStored / scatterStored / remapStored, all on
// formats::encode and decode).
//
//===----------------------------------------------------------------------===//

#include "sxf/Training/Trainer.h"

#include "Errors.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/Import/HuggingFace.h"
#include "sxf/InitAll.h"
#include "sxf/Interpreter/Evaluate.h"
#include "sxf/Interpreter/Interpreter.h"
#include "sxf/ModelGen/ModelGen.h"
#include "sxf/Pruning/FastLinear.h"
#include "sxf/Support/FileOutput.h"
#include "sxf/Support/Npy.h"
#include "sxf/Support/Random.h"
#include "sxf/Support/Safetensors.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <chrono>
#include <cstdio>
#include <unistd.h>
#include <cmath>
#include <map>
#include <set>

using namespace mlir;
using llvm::Twine;

namespace sxf {
namespace training {
namespace {

constexpr int kCheckpointVersion = 1;

llvm::Error fail(const Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg.str());
}

std::string joinPath(llvm::StringRef a, llvm::StringRef b) {
  llvm::SmallString<256> p(a);
  llvm::sys::path::append(p, b);
  return std::string(p);
}

/// splitmix64 of a few words: the seed of one random stream (a batch, an
/// update, a weight's initialisation), so that each is a function of the
/// run's seed and its own index only.
uint64_t mix(uint64_t a, uint64_t b, uint64_t c = 0) {
  Rng r(a ^ (b * 0x9E3779B97F4A7C15ull) ^ (c * 0xC2B2AE3D27D4EB4Full));
  r.next();
  return r.next();
}

uint64_t nameHash(llvm::StringRef s) {
  uint64_t h = 1469598103934665603ull; // FNV-1a
  for (char c : s)
    h = (h ^ uint8_t(c)) * 1099511628211ull;
  return h;
}

/// Collects the MLIR diagnostics of a scope into one error message.
class DiagnosticCapture {
public:
  explicit DiagnosticCapture(MLIRContext &ctx)
      : handler(&ctx, [this](Diagnostic &d) {
          std::string s;
          llvm::raw_string_ostream os(s);
          os << d.getLocation() << ": " << d;
          for (Diagnostic &note : d.getNotes())
            os << "\n  note: " << note;
          if (!text.empty())
            text += "\n";
          text += s;
          return success();
        }) {}
  llvm::Error error(const Twine &what) const {
    return fail(what + (text.empty() ? "" : ": " + text));
  }

private:
  std::string text;
  ScopedDiagnosticHandler handler;
};

/// One trained weight.
struct Param {
  std::string name;
  Tensor *values = nullptr; // the interpreter's (bindWeight)
  bool sparse = false;
  bool decay = false;
  SparsityPattern pattern;
  formats::FormatSpec spec;
  std::vector<float> m, v; // AdamW state in stored order
  int64_t stored() const {
    return sparse ? pattern.storedElements() : values->numel();
  }
};

std::vector<bool> boolMask(const SparsityPattern &p) {
  std::vector<uint8_t> mask = p.elementMask();
  return std::vector<bool>(mask.begin(), mask.end());
}

const char *modeName(SparsityMode m) {
  switch (m) {
  case SparsityMode::Dense:
    return "dense";
  case SparsityMode::Static:
    return "static";
  case SparsityMode::Dynamic:
    return "dynamic";
  }
  return "?";
}

/// The options a checkpoint must share with the run that resumes it, as
/// the JSON object state.json records (`what` of each is the tool's
/// spelling, for the error).
llvm::json::Object fingerprint(const TrainerOptions &o, const ModelConfig &mc,
                               int64_t seq) {
  llvm::json::Object f{
      {"hidden", mc.hidden},     {"layers", mc.layers},
      {"heads", mc.heads},       {"ffn", mc.ffn},
      {"vocab", mc.vocab},       {"batch", o.batch},
      {"seq", seq},              {"seed", int64_t(o.seed)},
      {"steps", o.steps},        {"init-from-weights", o.initFromWeights},
      {"sparsity-mode", modeName(o.sparsity)},
      {"lr", o.schedule.peakLr}, {"warmup", o.schedule.warmupSteps},
      {"min-lr-ratio", o.schedule.minLrRatio},
      {"weight-decay", o.adamw.weightDecay},
      {"beta1", o.adamw.beta1},  {"beta2", o.adamw.beta2},
      {"clip-norm", o.clipNorm}};
  if (o.sparsity != SparsityMode::Dense) {
    f["sparsity"] = o.pattern.sparsity;
    f["block"] = std::to_string(o.pattern.block.rows) + "x" +
                 std::to_string(o.pattern.block.cols);
  }
  if (o.sparsity == SparsityMode::Dynamic) {
    f["updates"] = o.pattern.numUpdates;
    f["prune-ratio"] = o.pattern.initialPruneRatio;
    f["regrow"] = o.pattern.regrowth == Regrowth::Random ? "random"
                                                         : "gradient";
    f["prune-decay"] =
        o.pattern.decay == PruneDecay::Cosine ? "cosine" : "constant";
  }
  return f;
}

/// "N windows of L, fnv1a:HEX" — what a resumed run must read again.
std::string dataFingerprint(const IntTensor &t) {
  uint64_t h = 1469598103934665603ull;
  for (int64_t v : t.data)
    for (int b = 0; b < 8; ++b)
      h = (h ^ uint8_t(uint64_t(v) >> (8 * b))) * 1099511628211ull;
  return llvm::formatv("{0} windows of {1}, fnv1a:{2:x16}", t.shape[0],
                       t.shape[1], h)
      .str();
}

/// A number as a user wrote it (0.9, not 0.900000).
std::string shortest(double x) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", x);
  return buf;
}

std::string jsonText(const llvm::json::Value &v) {
  return llvm::formatv("{0}", v).str();
}

/// GPT-2's initialisation (Hugging Face GPT2PreTrainedModel._init_weights)
/// for a weight of sxf's GPT naming (ModelGen's contract): norm gains 1,
/// biases 0, the residual output projections (attn.o, ffn.fc2) N(0, 0.02 /
/// sqrt(2 · layers)), everything else N(0, 0.02).
llvm::Expected<Tensor> gpt2Init(llvm::StringRef name,
                                const std::vector<int64_t> &shape,
                                int64_t layers, uint64_t seed) {
  Tensor t(shape);
  bool norm = name.starts_with("final_ln.") || name.contains(".ln1.") ||
              name.contains(".ln2.") || name.starts_with("embed.ln.");
  if (name.ends_with(".bias"))
    return t; // zeros (norm biases too)
  if (norm) {
    std::fill(t.data.begin(), t.data.end(), 1.0f);
    return t;
  }
  if (!name.ends_with(".weight"))
    return fail("no initialisation rule for weight '" + name + "'");
  double sd = 0.02;
  if (name.ends_with(".attn.o.weight") || name.ends_with(".ffn.fc2.weight"))
    sd /= std::sqrt(2.0 * double(layers));
  Rng rng(mix(seed, nameHash(name)));
  for (float &x : t.data)
    x = float(rng.normal() * sd);
  return t;
}

} // namespace

llvm::Expected<IntTensor> readTokenWindows(llvm::StringRef path,
                                           llvm::StringRef what,
                                           int64_t length, int64_t vocab) {
  llvm::Expected<NpyArray> arr = readNpy(path);
  if (!arr) // the reader's errors name the file
    return fail(what + ": " + llvm::toString(arr.takeError()));
  llvm::Expected<IntTensor> t = arr->toInt();
  if (!t)
    return fail(what + " " + path + ": " + llvm::toString(t.takeError()));
  if (t->shape.size() != 2 || t->shape[1] != length || t->shape[0] < 1)
    return fail(what + " " + path + ": token windows of shape " +
                shapeToString(t->shape) + ", expected Nx" + Twine(length) +
                " with N >= 1");
  for (int64_t i = 0; i < t->numel(); ++i)
    if (t->data[i] < 0 || t->data[i] >= vocab)
      return fail(what + " " + path + ": window " + Twine(i / length) +
                  ", position " + Twine(i % length) + ": token id " +
                  Twine(t->data[i]) + " is outside the model's vocabulary [0, " +
                  Twine(vocab) + ")");
  return std::move(*t);
}

llvm::Expected<TrainSummary> train(const TrainerOptions &o,
                                   llvm::raw_ostream &progress) {
  // ---- options -----------------------------------------------------------
  if (o.outDir.empty())
    return fail("an output directory is needed");
  if (o.batch < 1 || o.steps < 1)
    return fail("the batch and the number of steps must be >= 1");
  if (o.seq < 0 || o.evalEvery < 0 || o.checkpointEvery < 0 ||
      o.logEvery < 0 || o.stopAfter < 0)
    return fail("--seq, --eval-every, --checkpoint-every, --log-every and "
                "--pause-after must be >= 0");
  if (!std::isfinite(o.clipNorm) || o.clipNorm < 0)
    return fail("--clip-norm must be finite and >= 0");
  LrSchedule schedule = o.schedule;
  if (schedule.totalSteps == 0)
    schedule.totalSteps = o.steps;
  if (llvm::Error e = validate(schedule))
    return std::move(e);
  if (llvm::Error e = validate(o.adamw))
    return std::move(e);
  const bool sparse = o.sparsity != SparsityMode::Dense;
  const bool dynamic = o.sparsity == SparsityMode::Dynamic;
  if (sparse) {
    if (llvm::Error e = validate(o.pattern))
      return std::move(e);
    if (!(o.pattern.sparsity > 0))
      return fail("a static or dynamic run needs a sparsity in (0, 1)");
  }
  int64_t updateCount = dynamic ? o.pattern.numUpdates : 0;
  if (dynamic && o.steps < updateCount + 1)
    return fail("--updates=" + Twine(updateCount) + " pattern updates need at "
                "least " + Twine(updateCount + 1) + " steps, --steps is " +
                Twine(o.steps));
  // Update i (0-based) follows step (i + 1) · steps / (updates + 1).
  auto updateStep = [&](int64_t i) {
    return (i + 1) * o.steps / (updateCount + 1);
  };

  // ---- model -------------------------------------------------------------
  llvm::Expected<ModelConfig> mcOrErr = readHuggingFaceConfig(o.modelDir);
  if (!mcOrErr)
    return mcOrErr.takeError();
  ModelConfig mc = *mcOrErr;
  if (mc.arch != Arch::Gpt)
    return fail(o.modelDir + ": sparse-train trains causal language models "
                "(GPT-2 checkpoints); this is a BERT config");
  const int64_t seq = o.seq ? o.seq : mc.maxPositions;
  if (seq < 2 || seq > mc.maxPositions)
    return fail("--seq=" + Twine(seq) + " must be in [2, " +
                Twine(mc.maxPositions) + "] (the config's n_positions)");
  mc.seq = seq;
  mc.batch = o.batch;

  // ---- data (before anything is written) --------------------------------
  llvm::Expected<IntTensor> trainW =
      readTokenWindows(o.trainData, "--train-data", seq + 1, mc.vocab);
  if (!trainW)
    return trainW.takeError();
  llvm::Expected<IntTensor> evalW =
      readTokenWindows(o.evalData, "--eval-data", seq, mc.vocab);
  if (!evalW)
    return evalW.takeError();
  if (evalW->shape[0] % o.batch)
    return fail("--eval-data " + o.evalData + ": " + Twine(evalW->shape[0]) +
                " windows, not a multiple of --batch=" + Twine(o.batch));

  // ---- memory ------------------------------------------------------------
  // Values, gradient, AdamW's m and v, and the step's activations: refuse a
  // model this machine cannot hold instead of dying in the allocator.
  {
    double params = double(parameterCount(mc));
    double tokens = double(o.batch) * double(seq);
    double acts = tokens * double(mc.layers) *
                      (12.0 * double(mc.hidden) + 2.0 * double(mc.ffn)) +
                  2.0 * tokens * double(mc.vocab) +
                  double(o.batch) * double(mc.heads) * double(seq) *
                      double(seq) * double(mc.layers) * 2.0;
    double need = 4.0 * (5.0 * params + 2.0 * acts);
    long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
    double have = pages > 0 && pageSize > 0 ? double(pages) * double(pageSize)
                                            : 0.0;
    if (have > 0 && need > have)
      return fail(llvm::formatv("training this model ({0:e2} parameters, "
                                "batch {1} x {2}) needs about {3:f1} GB of "
                                "memory; this machine has {4:f1} GB",
                                params, o.batch, seq, need / 1e9, have / 1e9)
                      .str());
  }

  const std::string ckptDir = joinPath(o.outDir, "checkpoint");
  const std::string statePath = joinPath(ckptDir, "state.json");
  const std::string tensorsPath = joinPath(ckptDir, "state.safetensors");
  const std::string logPath = joinPath(o.outDir, "log.jsonl");
  if (!o.resume && llvm::sys::fs::exists(statePath))
    return fail("'" + o.outDir + "' already holds a training checkpoint (" +
                statePath + "); continue it with --resume, or give another "
                "output directory");

  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  DiagnosticCapture diags(ctx);
  OwningOpRef<ModuleOp> module;
  std::unique_ptr<SafetensorsFile> initFile;
  if (o.initFromWeights) {
    ImportOptions io;
    io.seq = seq;
    io.batch = o.batch;
    if (std::error_code ec = llvm::sys::fs::create_directories(o.outDir))
      return fail("cannot create '" + o.outDir + "': " + ec.message());
    // The importer's converted weights, read once below and then removed.
    io.weightsPath = joinPath(o.outDir, "init.safetensors");
    llvm::Expected<ImportResult> r = importHuggingFace(&ctx, o.modelDir, io);
    if (!r)
      return r.takeError();
    module = std::move(r->module);
    llvm::Expected<std::unique_ptr<SafetensorsFile>> f =
        SafetensorsFile::open(io.weightsPath);
    if (!f)
      return f.takeError();
    initFile = std::move(*f);
  } else {
    GenOptions gen;
    gen.init = WeightInit::None;
    llvm::Expected<OwningOpRef<ModuleOp>> m = generateModel(&ctx, mc, gen);
    if (!m)
      return m.takeError();
    module = std::move(*m);
  }
  FailureOr<func::FuncOp> forward = lookupEntryFunction(*module, "");
  if (failed(forward))
    return diags.error("the model has no forward function");
  FailureOr<func::FuncOp> step =
      buildTrainingStep(*module, forward->getName(), "train_step");
  if (failed(step))
    return diags.error("building the training step failed");

  // ---- parameters --------------------------------------------------------
  Interpreter interp(*module);
  if (o.fastKernels) {
    interp.setLinearImpl(prune::fastLinear);
    interp.setLinearGradImpls(prune::fastLinearGradInput,
                              prune::fastLinearGradWeight);
  }
  std::map<std::string, WeightOp> weightOps;
  std::set<std::string> linearWeights, embeddingTables;
  std::string headWeight;
  step->walk([&](Operation *op) {
    if (auto w = dyn_cast<WeightOp>(op))
      weightOps.emplace(w.getName().str(), w);
    if (auto l = dyn_cast<LinearOp>(op))
      if (auto w = l.getWeight().getDefiningOp<WeightOp>())
        linearWeights.insert(w.getName().str());
    if (auto e = dyn_cast<EmbeddingOp>(op))
      if (auto w = e.getTable().getDefiningOp<WeightOp>())
        embeddingTables.insert(w.getName().str());
    if (auto ce = dyn_cast<CrossEntropyOp>(op))
      if (auto l = ce.getLogits().getDefiningOp<LinearOp>())
        if (auto w = l.getWeight().getDefiningOp<WeightOp>())
          headWeight = w.getName().str();
  });
  std::vector<Param> params;
  for (unsigned i = 1; i < step->getNumResults(); ++i) {
    auto of = step->getResultAttrOfType<StringAttr>(i, "sxf.gradient_of");
    if (!of)
      return fail("internal error: training-step result " + Twine(i) +
                  " names no weight");
    Param p;
    p.name = of.str();
    auto type = cast<RankedTensorType>(weightOps.at(p.name).getType());
    std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
    Tensor init;
    if (initFile) {
      llvm::Expected<Tensor> t = initFile->readFloat(p.name);
      if (!t)
        return t.takeError();
      init = std::move(*t);
    } else {
      llvm::Expected<Tensor> t = gpt2Init(p.name, shape, mc.layers, o.seed);
      if (!t)
        return t.takeError();
      init = std::move(*t);
    }
    p.decay = adamwDecays(weightOps.at(p.name));
    p.sparse = sparse && linearWeights.count(p.name) &&
               !embeddingTables.count(p.name) && p.name != headWeight &&
               shape.size() == 2;
    if (p.sparse) {
      const BlockShape &b = o.pattern.block;
      p.spec = formats::FormatSpec{b.rows * b.cols == 1 ? formats::Kind::CSR
                                                        : formats::Kind::BSR};
      p.spec.blockRows = b.rows;
      p.spec.blockCols = b.cols;
      if (llvm::Error e = checkBlockShape(shape[0], shape[1], b))
        return fail("weight '" + p.name + "': " + llvm::toString(std::move(e)));
      llvm::Expected<SparsityPattern> pat =
          initialPattern(shape[0], shape[1], b, 1.0 - o.pattern.sparsity,
                         mix(o.seed, nameHash(p.name), 1));
      if (!pat)
        return pat.takeError();
      p.pattern = std::move(*pat);
      std::vector<uint8_t> mask = p.pattern.elementMask();
      for (size_t k = 0; k < mask.size(); ++k)
        if (!mask[k])
          init.data[k] = 0.0f;
    }
    if (p.sparse && p.pattern.storedBlocks() == 0)
      return fail(llvm::formatv("--sparsity {0} in {1}x{2} blocks stores none "
                                "of the {3} blocks of '{4}' ({5}x{6}); use a "
                                "smaller --block or a lower --sparsity",
                                shortest(o.pattern.sparsity), p.pattern.block.rows,
                                p.pattern.block.cols, p.pattern.numBlocks(),
                                p.name, shape[0], shape[1])
                      .str());
    p.values = &interp.bindWeight(p.name, std::move(init));
    p.m.assign(size_t(p.stored()), 0.0f);
    p.v.assign(size_t(p.stored()), 0.0f);
    params.push_back(std::move(p));
  }
  if (initFile) {
    std::string path = initFile->path().str();
    initFile.reset();
    llvm::sys::fs::remove(path);
  } else // a generated model's weights have no stored values
    for (auto &[name, op] : weightOps)
      if (llvm::none_of(params, [&](const Param &p) { return p.name == name; }))
        return fail("weight '" + name + "' gets no gradient and has no "
                    "initial values");

  // ---- resume ------------------------------------------------------------
  llvm::json::Object print = fingerprint(o, mc, seq);
  print["train-data"] = dataFingerprint(*trainW);
  print["eval-data"] = dataFingerprint(*evalW);
  print["kernels"] = o.fastKernels ? "fast" : "reference";
  int64_t start = 0;
  int64_t nextUpdate = 0;
  double secondsBefore = 0; // wall time of the steps before a resume
  double flopsBefore = -1;   // their FLOPs (-1: start * step FLOPs)
  if (o.resume) {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
        llvm::MemoryBuffer::getFile(statePath);
    if (!buf)
      return fail("--resume: cannot read '" + statePath +
                  "': " + buf.getError().message());
    llvm::Expected<llvm::json::Value> state =
        llvm::json::parse((*buf)->getBuffer());
    if (!state)
      return fail(statePath + ": invalid JSON: " +
                  llvm::toString(state.takeError()));
    const llvm::json::Object *obj = state->getAsObject();
    const llvm::json::Object *saved =
        obj ? obj->getObject("options") : nullptr;
    std::optional<int64_t> version =
        obj ? obj->getInteger("version") : std::nullopt;
    std::optional<int64_t> savedStep =
        obj ? obj->getInteger("step") : std::nullopt;
    if (!saved || version != kCheckpointVersion || !savedStep)
      return fail(statePath + ": not an sxf training checkpoint of version " +
                  Twine(kCheckpointVersion));
    std::vector<std::string> keys; // in a fixed order: the first that differs
    for (const auto &kv : print)
      keys.push_back(kv.first.str());
    llvm::sort(keys);
    for (const std::string &key : keys) {
      const llvm::json::Value &value = *print.get(key);
      const llvm::json::Value *was = saved->get(key);
      if (!was || jsonText(*was) != jsonText(value))
        return fail(statePath + ": the checkpoint was written with " +
                    key + "=" + (was ? jsonText(*was) : "(none)") +
                    ", this run has " + key + "=" + jsonText(value) +
                    "; resume with the same options");
    }
    if (*savedStep < 0 || *savedStep > o.steps)
      return fail(statePath + ": step " + Twine(*savedStep) + " is outside [0, " +
                  Twine(o.steps) + "]");
    start = *savedStep;
    if (start == o.steps)
      return fail(statePath + ": the run is finished (its checkpoint is at "
                  "step " + Twine(start) + " of --steps=" + Twine(o.steps) +
                  "); nothing to resume");
    if (std::optional<double> s = obj->getNumber("seconds"))
      secondsBefore = *s;
    if (std::optional<double> f = obj->getNumber("train_flops"))
      flopsBefore = *f;
    llvm::Expected<std::unique_ptr<SafetensorsFile>> f =
        SafetensorsFile::open(tensorsPath);
    if (!f)
      return f.takeError();
    auto meta = (*f)->metadata().find("step");
    if (meta == (*f)->metadata().end() ||
        meta->second != std::to_string(start))
      return fail(tensorsPath + " does not belong to " + statePath +
                  " (its step differs); the checkpoint is incomplete");
    auto read = [&](const std::string &name,
                    size_t count) -> llvm::Expected<std::vector<float>> {
      llvm::Expected<Tensor> t = (*f)->readFloat(name);
      if (!t)
        return t.takeError();
      if (t->data.size() != count)
        return fail(tensorsPath + ": tensor '" + name + "' has " +
                    Twine(uint64_t(t->data.size())) + " values, expected " +
                    Twine(uint64_t(count)));
      bool second = llvm::StringRef(name).starts_with("adam_v/");
      for (size_t k = 0; k < t->data.size(); ++k)
        if (!std::isfinite(t->data[k]) || (second && t->data[k] < 0))
          return fail(tensorsPath + ": tensor '" + name + "' holds " +
                      llvm::formatv("{0}", t->data[k]).str() + " at index " +
                      Twine(uint64_t(k)) + " (the checkpoint is corrupt)");
      return std::move(t->data);
    };
    for (Param &p : params) {
      if (p.sparse) {
        llvm::Expected<std::vector<float>> blocks =
            read("pattern/" + p.name, p.pattern.blocks.size());
        if (!blocks)
          return blocks.takeError();
        for (size_t k = 0; k < blocks->size(); ++k) {
          float b = (*blocks)[k];
          if (b != 0.0f && b != 1.0f)
            return fail(tensorsPath + ": pattern/" + p.name +
                        " holds a value other than 0 and 1");
          p.pattern.blocks[k] = b != 0.0f;
        }
        if (p.pattern.storedElements() == 0)
          return fail(tensorsPath + ": pattern/" + p.name + " is empty");
      }
      llvm::Expected<std::vector<float>> values =
          read("param/" + p.name, size_t(p.values->numel()));
      if (!values)
        return values.takeError();
      p.values->data = std::move(*values);
      for (auto [prefix, state] :
           {std::pair{"adam_m/", &p.m}, std::pair{"adam_v/", &p.v}}) {
        llvm::Expected<std::vector<float>> s =
            read(prefix + p.name, size_t(p.stored()));
        if (!s)
          return s.takeError();
        *state = std::move(*s);
      }
    }
    while (nextUpdate < updateCount && updateStep(nextUpdate) <= start)
      ++nextUpdate;
  }
  for (Param &p : params)
    if (p.sparse)
      interp.setStoredPattern(p.name, boolMask(p.pattern));

  // The log keeps the lines of the steps before `start` (a resumed run
  // rewrites what followed its checkpoint).
  std::string logKeep;
  std::vector<double> recentLosses; // the last 50 steps' losses
  if (o.resume)
    if (auto buf = llvm::MemoryBuffer::getFile(logPath)) {
      llvm::SmallVector<llvm::StringRef> lines;
      (*buf)->getBuffer().split(lines, '\n', -1, false);
      for (llvm::StringRef line : lines) {
        llvm::Expected<llvm::json::Value> v = llvm::json::parse(line);
        if (!v) {
          llvm::consumeError(v.takeError());
          continue;
        }
        const llvm::json::Object *obj = v->getAsObject();
        std::optional<int64_t> s = obj ? obj->getInteger("step") : std::nullopt;
        if (s && *s <= start) {
          logKeep += line.str() + "\n";
          if (std::optional<double> l = obj->getNumber("loss"))
            recentLosses.push_back(*l);
        }
      }
    }
  if (std::error_code ec = llvm::sys::fs::create_directories(o.outDir))
    return fail("cannot create '" + o.outDir + "': " + ec.message());
  std::error_code ec;
  llvm::raw_fd_ostream log(logPath, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return fail("cannot write '" + logPath + "': " + ec.message());
  log << logKeep;

  auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return secondsBefore + std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - t0)
                               .count();
  };

  // ---- FLOPs -------------------------------------------------------------
  TrainSummary summary;
  double regrowthExtraFlops = 0;
  {
    std::map<std::string, int64_t> storedOf;
    for (const Param &p : params) {
      storedOf[p.name] = p.stored();
      summary.parameters += p.stored();
      summary.denseParameters += p.values->numel();
    }
    auto entries = [&](Value v, bool dense) -> double {
      auto w = v.getDefiningOp<WeightOp>();
      auto type = dyn_cast<ShapedType>(v.getType());
      double all = type && type.hasStaticShape() ? double(type.getNumElements())
                                                 : 0.0;
      if (!w || dense)
        return all;
      auto it = storedOf.find(w.getName().str());
      return it == storedOf.end() ? all : double(it->second);
    };
    step->walk([&](CostOpInterface c) {
      double sparseFlops = c.getFlops([&](Value v) { return entries(v, false); });
      double denseFlops = c.getFlops([&](Value v) { return entries(v, true); });
      summary.stepFlops += sparseFlops;
      summary.denseStepFlops += denseFlops;
      // RigL's update steps compute dW at every position.
      if (isa<LinearGradWeightOp>(c.getOperation()))
        regrowthExtraFlops += denseFlops - sparseFlops;
    });
  }

  // ---- checkpoint and evaluation -----------------------------------------
  auto writeCheckpoint = [&](int64_t stepDone) -> llvm::Error {
    if (std::error_code ec = llvm::sys::fs::create_directories(ckptDir))
      return fail("cannot create '" + ckptDir + "': " + ec.message());
    std::vector<Tensor> owned;
    owned.reserve(params.size() * 4);
    std::vector<SafetensorsWriteEntry> entries;
    for (const Param &p : params) {
      entries.push_back({"param/" + p.name, p.values});
      owned.push_back(Tensor({int64_t(p.m.size())}));
      owned.back().data = p.m;
      entries.push_back({"adam_m/" + p.name, &owned.back()});
      owned.push_back(Tensor({int64_t(p.v.size())}));
      owned.back().data = p.v;
      entries.push_back({"adam_v/" + p.name, &owned.back()});
      if (p.sparse) {
        owned.push_back(Tensor({int64_t(p.pattern.blocks.size())}));
        for (size_t k = 0; k < p.pattern.blocks.size(); ++k)
          owned.back().data[k] = p.pattern.blocks[k];
        entries.push_back({"pattern/" + p.name, &owned.back()});
      }
    }
    if (llvm::Error e = writeSafetensors(
            tensorsPath, entries,
            {{"producer", "sxf sparse-train"},
             {"step", std::to_string(stepDone)}}))
      return e;
    llvm::json::Object state{{"version", kCheckpointVersion},
                             {"step", stepDone},
                             {"seconds", elapsed()},
                             {"train_flops", summary.trainFlops},
                             {"options", llvm::json::Object(print)}};
    return writeOutputFile(statePath, [&](llvm::raw_ostream &os) {
      os << llvm::formatv("{0:2}", llvm::json::Value(std::move(state)))
         << "\n";
    });
  };
  DiagnosticCapture *capture = &diags;
  auto evaluate = [&](int64_t stepDone) -> llvm::Expected<double> {
    FailureOr<PerplexityResult> r =
        evaluatePerplexity(interp, *forward, *evalW, 16);
    if (failed(r))
      return capture->error("evaluating held-out perplexity failed");
    log << jsonText(llvm::json::Object{{"step", stepDone},
                                       {"eval_ppl", r->perplexity},
                                       {"eval_nll", r->meanNll}})
        << "\n";
    log.flush();
    progress << llvm::formatv("step {0,6}  held-out perplexity {1:f4}\n",
                              stepDone, r->perplexity);
    return r->perplexity;
  };

  // ---- the loop ----------------------------------------------------------
  const int64_t N = trainW->shape[0];
  if (recentLosses.size() > 50)
    recentLosses.erase(recentLosses.begin(), recentLosses.end() - 50);

  summary.trainFlops =
      flopsBefore >= 0 ? flopsBefore : double(start) * summary.stepFlops;
  for (int64_t t = start + 1; t <= o.steps; ++t) {
    const bool update = nextUpdate < updateCount && updateStep(nextUpdate) == t;
    const bool gradientRegrowth =
        update && o.pattern.regrowth == Regrowth::Gradient;
    if (gradientRegrowth) // dense gradients this step, for the regrowth
      for (Param &p : params)
        if (p.sparse)
          interp.setStoredPattern(
              p.name, std::vector<bool>(size_t(p.values->numel()), true));

    IntTensor ids, targets;
    ids.shape = targets.shape = {o.batch, seq};
    Rng rng(mix(o.seed, uint64_t(t), 2));
    for (int64_t b = 0; b < o.batch; ++b) {
      int64_t w = rng.below(N);
      const int64_t *row = trainW->data.data() + w * (seq + 1);
      ids.data.insert(ids.data.end(), row, row + seq);
      targets.data.insert(targets.data.end(), row + 1, row + seq + 1);
    }
    FailureOr<std::vector<HostValue>> outs = interp.run(
        *step, {HostValue::ints(std::move(ids)), HostValue::ints(std::move(targets))});
    if (failed(outs))
      return diags.error("training step " + Twine(t) + " failed");
    const double loss = (*outs)[0].f.data.at(0);
    if (!std::isfinite(loss))
      return fail("the loss is not finite at step " + Twine(t) +
                  " (try a smaller --lr or --clip-norm)");

    // Gradients in each weight's stored order.
    std::vector<std::vector<float>> grads(params.size());
    std::vector<std::vector<float>> denseGrads(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      Param &p = params[i];
      std::vector<float> &g = (*outs)[i + 1].f.data;
      if (!p.sparse) {
        grads[i] = std::move(g);
        continue;
      }
      llvm::Expected<std::vector<float>> s = gatherStored(g, p.pattern, p.spec);
      if (!s)
        return s.takeError();
      grads[i] = std::move(*s);
      if (gradientRegrowth)
        denseGrads[i] = std::move(g);
    }
    std::vector<llvm::MutableArrayRef<float>> views;
    for (std::vector<float> &g : grads)
      views.emplace_back(g);
    llvm::Expected<double> norm =
        clipGradNorm(views, o.clipNorm > 0 ? o.clipNorm : 1e300);
    if (!norm)
      return norm.takeError();
    if (!std::isfinite(*norm))
      return fail("the gradient norm is not finite at step " + Twine(t));

    const double lr = learningRate(schedule, t);
    for (size_t i = 0; i < params.size(); ++i) {
      Param &p = params[i];
      AdamWOptions ao = o.adamw;
      ao.lr = lr;
      ao.applyWeightDecay = ao.applyWeightDecay && p.decay;
      if (!p.sparse) {
        if (llvm::Error e = adamwStep(p.values->data, grads[i], p.m, p.v, t, ao))
          return std::move(e);
        continue;
      }
      llvm::Expected<std::vector<float>> w =
          gatherStored(p.values->data, p.pattern, p.spec);
      if (!w)
        return w.takeError();
      if (llvm::Error e = adamwStep(*w, grads[i], p.m, p.v, t, ao))
        return std::move(e);
      if (llvm::Error e = scatterStored(*w, p.pattern, p.spec, p.values->data))
        return e;
    }

    if (update) {
      llvm::Expected<double> f = pruneFraction(o.pattern, nextUpdate);
      if (!f)
        return f.takeError();
      for (size_t i = 0; i < params.size(); ++i) {
        Param &p = params[i];
        if (!p.sparse)
          continue;
        SparsityPattern old = p.pattern;
        llvm::Expected<PatternUpdateResult> r = updatePattern(
            p.values->data, p.pattern, *f, o.pattern.regrowth, denseGrads[i],
            mix(o.seed, uint64_t(nextUpdate), 3 + i));
        if (!r)
          return fail("pattern update of '" + p.name +
                      "': " + llvm::toString(r.takeError()));
        for (std::vector<float> *s : {&p.m, &p.v}) {
          llvm::Expected<std::vector<float>> moved =
              remapStored(old, p.pattern, p.spec, *s);
          if (!moved)
            return moved.takeError();
          *s = std::move(*moved);
        }
      }
      ++nextUpdate;
    }
    if (gradientRegrowth || update)
      for (Param &p : params)
        if (p.sparse)
          interp.setStoredPattern(p.name, boolMask(p.pattern));

    summary.trainFlops += summary.stepFlops;
    if (gradientRegrowth)
      summary.trainFlops += regrowthExtraFlops;
    double seconds = elapsed();
    log << jsonText(llvm::json::Object{{"step", t},
                                       {"loss", loss},
                                       {"lr", lr},
                                       {"grad_norm", *norm},
                                       {"train_flops", summary.trainFlops},
                                       {"seconds", seconds}})
        << "\n";
    recentLosses.push_back(loss);
    if (recentLosses.size() > 50)
      recentLosses.erase(recentLosses.begin());
    if (o.logEvery && t % o.logEvery == 0) {
      log.flush();
      progress << llvm::formatv(
          "step {0,6}/{1}  loss {2:f4}  lr {3:e2}  |g| {4:f3}  {5:f3} s/step\n",
          t, o.steps, loss, lr, *norm,
          (seconds - secondsBefore) / double(t - start));
      progress.flush();
    }
    if (o.evalEvery && t % o.evalEvery == 0 && t != o.steps)
      if (llvm::Expected<double> ppl = evaluate(t); !ppl)
        return ppl.takeError();
    if (o.checkpointEvery && t % o.checkpointEvery == 0 && t != o.steps)
      if (llvm::Error e = writeCheckpoint(t))
        return std::move(e);
    if (o.stopAfter && t - start == o.stopAfter && t != o.steps) {
      if (llvm::Error e = writeCheckpoint(t))
        return std::move(e);
      summary.steps = t;
      summary.seconds = elapsed();
      return summary;
    }
  }
  summary.seconds = elapsed();
  summary.steps = o.steps;
  summary.finished = true;
  for (double l : recentLosses)
    summary.finalLoss += l / double(recentLosses.size());

  llvm::Expected<double> ppl = evaluate(o.steps);
  if (!ppl)
    return ppl.takeError();
  summary.evalPerplexity = *ppl;
  if (llvm::Error e = writeCheckpoint(o.steps))
    return std::move(e);
  std::map<std::string, Tensor> weights;
  for (const Param &p : params)
    weights.emplace(p.name, *p.values);
  if (llvm::Error e = exportGpt2(mc, weights, joinPath(o.outDir, "model")))
    return std::move(e);
  llvm::json::Object s{{"options", llvm::json::Object(print)},
                       {"steps", summary.steps},
                       {"final_loss", summary.finalLoss},
                       {"eval_ppl", summary.evalPerplexity},
                       {"train_flops", summary.trainFlops},
                       {"step_flops", summary.stepFlops},
                       {"dense_step_flops", summary.denseStepFlops},
                       {"parameters", summary.parameters},
                       {"dense_parameters", summary.denseParameters},
                       {"seconds", summary.seconds}};
  if (llvm::Error e = writeOutputFile(
          joinPath(o.outDir, "summary.json"), [&](llvm::raw_ostream &os) {
            os << llvm::formatv("{0:2}", llvm::json::Value(std::move(s)))
               << "\n";
          }))
    return std::move(e);
  return summary;
}

} // namespace training
} // namespace sxf
