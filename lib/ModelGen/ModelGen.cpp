//===- ModelGen.cpp - Building transformer models in the sxf dialect -*- C++ -*-===//

#include "sxf/ModelGen/ModelGen.h"

#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/Support/Random.h"
#include "sxf/Support/Safetensors.h"
#include "sxf/Weights/WeightStore.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace mlir;
using namespace sxf;

namespace sxf {

std::vector<std::string> presetNames() {
  return {"tiny", "tiny-bert", "bert-base", "bert-large", "gpt2-small",
          "gpt-13b"};
}

llvm::Expected<ModelConfig> presetConfig(llvm::StringRef name) {
  ModelConfig c;
  c.name = name.str();
  if (name == "tiny") {
    c.arch = Arch::Gpt;
    c.layers = 2, c.hidden = 64, c.heads = 4, c.ffn = 256, c.seq = 16,
    c.vocab = 128;
  } else if (name == "tiny-bert") {
    c.arch = Arch::Bert;
    c.layers = 2, c.hidden = 64, c.heads = 4, c.ffn = 256, c.seq = 16,
    c.vocab = 128;
  } else if (name == "bert-base") { // Devlin et al. 2019, Table 1
    c.arch = Arch::Bert;
    c.layers = 12, c.hidden = 768, c.heads = 12, c.ffn = 3072, c.seq = 128,
    c.vocab = 30522;
  } else if (name == "bert-large") {
    c.arch = Arch::Bert;
    c.layers = 24, c.hidden = 1024, c.heads = 16, c.ffn = 4096, c.seq = 128,
    c.vocab = 30522;
  } else if (name == "gpt2-small") { // Radford et al. 2019, 124M
    c.arch = Arch::Gpt;
    c.layers = 12, c.hidden = 768, c.heads = 12, c.ffn = 3072, c.seq = 128,
    c.vocab = 50257;
  } else if (name == "gpt-13b") { // GPT-3 13B shape (Brown et al. 2020,
                                  // Table 2.1; d_model rounded to 40·128)
    c.arch = Arch::Gpt;
    c.layers = 40, c.hidden = 5120, c.heads = 40, c.ffn = 20480,
    c.seq = 2048, c.vocab = 50257;
  } else {
    return llvm::createStringError("unknown preset '" + name.str() +
                                   "' (expected one of: " +
                                   llvm::join(presetNames(), ", ") + ")");
  }
  return c;
}

llvm::Error validateConfig(const ModelConfig &c) {
  std::pair<const char *, int64_t> sizes[] = {
      {"layers", c.layers}, {"hidden", c.hidden}, {"heads", c.heads},
      {"ffn", c.ffn},       {"seq", c.seq},       {"vocab", c.vocab},
      {"batch", c.batch}};
  for (auto [name, v] : sizes)
    if (v <= 0)
      return llvm::createStringError("--%s must be positive, got %lld", name,
                                     static_cast<long long>(v));
  std::pair<const char *, int64_t> limits[] = {
      {"layers", 10000},    {"hidden", 1 << 20}, {"heads", 1 << 16},
      {"ffn", 1 << 22},     {"seq", 1 << 20},    {"batch", 1 << 16}};
  std::map<std::string, int64_t> value = {
      {"layers", c.layers}, {"hidden", c.hidden}, {"heads", c.heads},
      {"ffn", c.ffn},       {"seq", c.seq},       {"batch", c.batch}};
  for (auto [name, limit] : limits)
    if (value[name] > limit)
      return llvm::createStringError("--%s=%lld is larger than the %lld sxf "
                                     "supports",
                                     name, static_cast<long long>(value[name]),
                                     static_cast<long long>(limit));
  if (c.hidden % c.heads)
    return llvm::createStringError(
        "--heads=%lld does not divide --hidden=%lld",
        static_cast<long long>(c.heads), static_cast<long long>(c.hidden));
  if (c.vocab > (int64_t(1) << 31))
    return llvm::createStringError("--vocab=%lld does not fit int32 token ids",
                                   static_cast<long long>(c.vocab));
  return llvm::Error::success();
}

int64_t parameterCount(const ModelConfig &c) {
  int64_t h = c.hidden, f = c.ffn;
  int64_t perLayer = 4 * (h * h + h) + 2 * h * f + f + h + 4 * h;
  int64_t embed = c.vocab * h + std::max(c.maxPositions, c.seq) * h +
                  2 * h; // embedding LN or final LN
  if (c.arch == Arch::Gpt && !c.tiedHead)
    embed += c.vocab * h;
  return c.layers * perLayer + embed;
}

static uint64_t fnv1a(llvm::StringRef s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char ch : s) {
    h ^= static_cast<unsigned char>(ch);
    h *= 0x100000001b3ULL;
  }
  return h;
}

Tensor randomWeight(llvm::StringRef name, const std::vector<int64_t> &shape,
                    uint64_t seed, bool isNormGain) {
  Rng rng(seed ^ fnv1a(name));
  Tensor t(shape);
  for (float &v : t.data)
    v = static_cast<float>((isNormGain ? 1.0 : 0.0) + 0.02 * rng.normal());
  if (shape.size() == 2) {
    // Outlier input channels: ~1% of the columns, at least one.
    int64_t cols = shape[1], rows = shape[0];
    int64_t outliers = std::max<int64_t>(1, cols / 100);
    for (int64_t k = 0; k < outliers; ++k) {
      int64_t c = rng.below(cols);
      for (int64_t r = 0; r < rows; ++r)
        t.data[r * cols + c] *= 6.0f;
    }
  }
  return t;
}

namespace {

/// Creates weights. Inline values are made here; values for a file are
/// only planned (name, shape, norm gain or not) and generated one at a time
/// while the file is written (writeWeights).
class Builder {
public:
  Builder(MLIRContext *ctx, const GenOptions &opts, FormatAttr storage)
      : b(ctx), opts(opts), f32(Float32Type::get(ctx)), storage(storage) {}

  Value weight(StringRef name, ArrayRef<int64_t> shape, bool normGain = false) {
    auto type = RankedTensorType::get(shape, f32);
    auto op = WeightOp::create(b, b.getUnknownLoc(), type, name,
                               ElementsAttr(), SparsityAttr(), storage);
    if (opts.init == WeightInit::Random) {
      std::vector<int64_t> dims(shape.begin(), shape.end());
      if (opts.weightsPath.empty())
        setInlineValue(op, randomWeight(name, dims, opts.seed, normGain));
      else
        planned.push_back({name.str(), std::move(dims), normGain});
    }
    return op;
  }

  /// Streams the planned weights to opts.weightsPath: the header first,
  /// then each weight generated, written and dropped in turn.
  llvm::Error writeWeights(const std::map<std::string, std::string> &meta) {
    std::vector<SafetensorsSlot> slots;
    for (const Planned &p : planned)
      slots.push_back({p.name, opts.dtype, p.shape});
    llvm::Expected<std::unique_ptr<SafetensorsWriter>> writer =
        SafetensorsWriter::create(opts.weightsPath, slots, meta);
    if (!writer)
      return writer.takeError();
    for (const Planned &p : planned)
      if (llvm::Error e = (*writer)->write(
              p.name, randomWeight(p.name, p.shape, opts.seed, p.normGain)
                          .data))
        return e;
    return (*writer)->commit();
  }

  OpBuilder b;
  const GenOptions &opts;
  Type f32;
  /// Every weight's format: null for f32 storage, else dense in the stored
  /// element type (see storageFormat).
  FormatAttr storage;
  struct Planned {
    std::string name;
    std::vector<int64_t> shape;
    bool normGain;
  };
  std::vector<Planned> planned;
};

/// The IR's record of GenOptions::dtype. The weights file holds the values
/// in that type, but a metadata-only model has no file, and passes that
/// size or cost weights (sxf-sparsity-report, sxf-cost-report, sparse-sim)
/// read the element type from the format; so every weight gets
/// #sxf.format<dense, value = f16|bf16> whether or not it has values, and
/// an f32 model stays unannotated (f32 is what no format means).
/// sxf-select-format later replaces these formats as it does any other.
llvm::Expected<FormatAttr> storageFormat(MLIRContext *ctx, DType dtype) {
  Type valueType;
  switch (dtype) {
  case DType::F32:
    return FormatAttr();
  case DType::F16:
    valueType = Float16Type::get(ctx);
    break;
  case DType::BF16:
    valueType = BFloat16Type::get(ctx);
    break;
  default:
    return llvm::createStringError(
        "weights can be stored as f32, f16 or bf16, not " +
        std::string(dtypeSafetensorsName(dtype)));
  }
  return FormatAttr::get(ctx, StorageKind::dense, 0, 0, 0, 0, valueType, 32);
}

/// Gives the decomposed entry its KV cache: with `past` >= 1 (a decode
/// step) an argument pair past_key.L / past_value.L per layer, an
/// sxf.kv_append of the layer's new keys (values) to it before the
/// attention, which reads the appended cache, and the new rows as results
/// present_key.L / present_value.L (the caller appends them to its cache:
/// the full appended cache as a result would be a second copy of the state
/// held until the step ends); with `past` < 0 (prefill) the attention's
/// keys and values as those results. Layer L is the L-th
/// sxf.attention in program order (one per decoder layer).
void addKvCache(func::FuncOp func, const ModelConfig &c, int64_t past) {
  OpBuilder b(func.getContext());
  SmallVector<AttentionOp> attns(func.getOps<AttentionOp>());
  Block &entry = func.getBody().front();
  auto ret = cast<func::ReturnOp>(entry.getTerminator());
  Type f32 = b.getF32Type();
  auto named = [&](StringRef n) {
    return b.getDictionaryAttr(b.getNamedAttr("sxf.name", b.getStringAttr(n)));
  };
  for (auto [l, attn] : llvm::enumerate(attns)) {
    std::string sl = std::to_string(l);
    // The cache's new rows: a decode step returns them (the caller appends
    // them to its cache, as the step did), prefill all of its keys/values.
    Value k = attn.getKey(), v = attn.getValue();
    Value newK = k, newV = v;
    if (past >= 0) {
      auto cacheType = RankedTensorType::get({c.batch, past, c.hidden}, f32);
      auto fullType =
          RankedTensorType::get({c.batch, past + c.seq, c.hidden}, f32);
      unsigned n = func.getNumArguments();
      if (failed(func.insertArgument(n, cacheType, named("past_key." + sl),
                                     func.getLoc())) ||
          failed(func.insertArgument(n + 1, cacheType,
                                     named("past_value." + sl),
                                     func.getLoc())))
        llvm_unreachable("appending an entry argument cannot fail");
      b.setInsertionPoint(attn);
      k = KvAppendOp::create(b, attn.getLoc(), fullType, func.getArgument(n),
                             k);
      v = KvAppendOp::create(b, attn.getLoc(), fullType,
                             func.getArgument(n + 1), v);
      attn.getKeyMutable().assign(k);
      attn.getValueMutable().assign(v);
    }
    unsigned r = func.getNumResults();
    if (failed(func.insertResult(r, newK.getType(),
                                 named("present_key." + sl))) ||
        failed(func.insertResult(r + 1, newV.getType(),
                                 named("present_value." + sl))))
      llvm_unreachable("appending an entry result cannot fail");
    ret.getOperandsMutable().append(ValueRange{newK, newV});
  }
}

} // namespace

llvm::Expected<OwningOpRef<ModuleOp>>
generateModel(MLIRContext *ctx, const ModelConfig &c, const GenOptions &opts) {
  if (llvm::Error err = validateConfig(c))
    return std::move(err);
  bool decode = opts.decodePast >= 0;
  if ((decode || opts.returnCache) && c.arch != Arch::Gpt)
    return llvm::createStringError(
        "a KV cache (--decode, --return-cache) needs a GPT model (causal "
        "self-attention); BERT attends to the whole sequence and has none");
  if (decode && opts.returnCache)
    return llvm::createStringError(
        "--return-cache is for the prefill entry; a decode step always "
        "returns its updated cache");
  if (decode && opts.decodePast < 1)
    return llvm::createStringError(
        "--past must be at least 1 (an empty cache is the prefill entry: "
        "--return-cache), got %lld",
        static_cast<long long>(opts.decodePast));
  if (decode &&
      opts.decodePast + c.seq > std::max(c.maxPositions, c.seq))
    return llvm::createStringError(
        "--past=%lld with %lld new token(s) needs %lld positions, but the "
        "model has %lld (--max-positions)",
        static_cast<long long>(opts.decodePast),
        static_cast<long long>(c.seq),
        static_cast<long long>(opts.decodePast + c.seq),
        static_cast<long long>(std::max(c.maxPositions, c.seq)));
  ctx->getOrLoadDialect<SxfDialect>();
  ctx->getOrLoadDialect<func::FuncDialect>();
  Location loc = UnknownLoc::get(ctx);
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  llvm::Expected<FormatAttr> storage = storageFormat(ctx, opts.dtype);
  if (!storage)
    return storage.takeError();
  Builder gen(ctx, opts, *storage);
  OpBuilder &b = gen.b;
  b.setInsertionPointToEnd(module->getBody());

  int64_t h = c.hidden, f = c.ffn;
  bool bert = c.arch == Arch::Bert;
  auto idsType = RankedTensorType::get({c.batch, c.seq}, b.getI32Type());
  auto hiddenType = RankedTensorType::get({c.batch, c.seq, h}, gen.f32);
  Type resultType =
      bert ? Type(hiddenType)
           : Type(RankedTensorType::get({c.batch, c.seq, c.vocab}, gen.f32));
  auto func = func::FuncOp::create(
      b, loc, "forward", b.getFunctionType({idsType}, {resultType}));
  func.setArgAttr(0, "sxf.name", b.getStringAttr("input_ids"));
  func.setResultAttr(0, "sxf.name",
                     b.getStringAttr(bert ? "hidden_states" : "logits"));
  b.setInsertionPointToStart(func.addEntryBlock());

  double epsValue = c.epsilon >= 0 ? c.epsilon : (bert ? 1e-12 : 1e-5);
  FloatAttr eps = b.getF32FloatAttr(static_cast<float>(epsValue));
  ActivationKind act = bert ? ActivationKind::gelu : ActivationKind::gelu_tanh;
  switch (c.activation) {
  case FfnActivation::Default:
    break;
  case FfnActivation::Relu:
    act = ActivationKind::relu;
    break;
  case FfnActivation::Gelu:
    act = ActivationKind::gelu;
    break;
  case FfnActivation::GeluTanh:
    act = ActivationKind::gelu_tanh;
    break;
  case FfnActivation::Silu:
    act = ActivationKind::silu;
    break;
  }
  int64_t positions = std::max(c.maxPositions, c.seq);
  Value wte = gen.weight("embed.tokens.weight", {c.vocab, h});
  Value wpe = gen.weight("embed.positions.weight", {positions, h});
  Value x = EmbeddingOp::create(b, loc, hiddenType, func.getArgument(0), wte,
                                wpe, decode ? opts.decodePast : 0);
  if (bert) {
    Value g = gen.weight("embed.ln.weight", {h}, true);
    Value be = gen.weight("embed.ln.bias", {h});
    x = LayerNormOp::create(b, loc, hiddenType, x, g, be, eps);
  }
  for (int64_t l = 0; l < c.layers; ++l) {
    std::string p = "layers." + std::to_string(l) + ".";
    auto w = [&](StringRef n, ArrayRef<int64_t> shape, bool gain = false) {
      return gen.weight(p + n.str(), shape, gain);
    };
    Value ln1g = w("ln1.weight", {h}, true), ln1b = w("ln1.bias", {h});
    Value wq = w("attn.q.weight", {h, h}), bq = w("attn.q.bias", {h});
    Value wk = w("attn.k.weight", {h, h}), bk = w("attn.k.bias", {h});
    Value wv = w("attn.v.weight", {h, h}), bv = w("attn.v.bias", {h});
    Value wo = w("attn.o.weight", {h, h}), bo = w("attn.o.bias", {h});
    Value ln2g = w("ln2.weight", {h}, true), ln2b = w("ln2.bias", {h});
    Value w1 = w("ffn.fc1.weight", {f, h}), b1 = w("ffn.fc1.bias", {f});
    Value w2 = w("ffn.fc2.weight", {h, f}), b2 = w("ffn.fc2.bias", {h});
    IntegerAttr heads = b.getI64IntegerAttr(c.heads);
    if (bert)
      x = EncoderLayerOp::create(
          b, loc, hiddenType, x, wq, bq, wk, bk, wv, bv, wo, bo, ln1g, ln1b,
          w1, b1, w2, b2, ln2g, ln2b, heads,
          ActivationKindAttr::get(ctx, act), eps);
    else
      x = DecoderLayerOp::create(
          b, loc, hiddenType, x, ln1g, ln1b, wq, bq, wk, bk, wv, bv, wo, bo,
          ln2g, ln2b, w1, b1, w2, b2, heads,
          ActivationKindAttr::get(ctx, act), eps);
  }
  if (!bert) {
    Value g = gen.weight("final_ln.weight", {h}, true);
    Value be = gen.weight("final_ln.bias", {h});
    x = LayerNormOp::create(b, loc, hiddenType, x, g, be, eps);
    // The LM head is tied to the token embedding, as in GPT-2, unless the
    // checkpoint has its own.
    Value head = c.tiedHead ? wte : gen.weight("lm_head.weight", {c.vocab, h});
    x = LinearOp::create(b, loc, resultType, x, head, Value(), Value(),
                         Value(), Value(),
                         ActivationKindAttr(), FloatAttr());
  }
  func::ReturnOp::create(b, loc, x);

  (*module)->setAttr("sxf.model", b.getStringAttr(c.name));
  if (opts.init == WeightInit::Random && !opts.weightsPath.empty()) {
    if (llvm::Error err = gen.writeWeights(
            {{"producer", "sxf sparse-gen"}, {"model", c.name}}))
      return std::move(err);
    (*module)->setAttr(kWeightsFileAttrName,
                       b.getStringAttr(opts.weightsRef.empty()
                                           ? opts.weightsPath
                                           : opts.weightsRef));
  }
  if (!opts.composite || decode || opts.returnCache) {
    RewritePatternSet patterns(ctx);
    populateDecomposeLayerPatterns(patterns);
    walkAndApplyPatterns(*module, std::move(patterns));
  }
  if (decode || opts.returnCache)
    addKvCache(func, c, decode ? opts.decodePast : -1);
  return module;
}

} // namespace sxf
