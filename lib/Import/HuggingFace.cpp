//===- HuggingFace.cpp - Importing Hugging Face checkpoints -----*- C++ -*-===//
//
// GPT-2 (Radford et al. 2019; HF GPT2Model names, with or without the
// "transformer." prefix): Conv1D weights are stored [in, out] (y = x·W + b),
// so every projection is transposed to sxf's [out, in]; c_attn holds q|k|v
// side by side and is split. BERT (Devlin et al. 2019; names with or
// without "bert."): Linear weights are already [out, in]; the token-type
// embedding's row 0 is folded into the position table (exact for
// token_type_ids = 0, which is what a single-segment input uses).
//
//===----------------------------------------------------------------------===//

#include "sxf/Import/HuggingFace.h"

#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/ModelGen/ModelGen.h"
#include "sxf/Support/Json.h"
#include "sxf/Support/Safetensors.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cmath>
#include <map>
#include <set>

using namespace mlir;

namespace sxf {
namespace {

llvm::Error fail(const llvm::Twine &msg) {
  return llvm::createStringError(msg.str());
}

/// Reads config.json fields with errors that name the file and the field.
/// An absent field takes the fallback (Hugging Face's default); a present
/// field of the wrong JSON type is an error, never the fallback. `null` is
/// "absent" only for integers, where HF writes None for "derive it"
/// (n_inner).
class Config {
public:
  Config(std::string path, llvm::json::Object obj)
      : path(std::move(path)), obj(std::move(obj)) {}

  llvm::Expected<int64_t> integer(llvm::StringRef key,
                                  std::optional<int64_t> fallback = {}) const {
    const llvm::json::Value *v = obj.get(key);
    if (!v || v->kind() == llvm::json::Value::Null) {
      if (fallback)
        return *fallback;
      return fail(path + ": field '" + key + "' is missing");
    }
    std::optional<int64_t> i = v->getAsInteger();
    if (!i || *i <= 0)
      return wrongType(key, *v, "a positive integer");
    return *i;
  }
  /// A finite number > 0 (an epsilon).
  llvm::Expected<double> positiveNumber(llvm::StringRef key,
                                        double fallback) const {
    const llvm::json::Value *v = obj.get(key);
    if (!v)
      return fallback;
    std::optional<double> d = v->getAsNumber();
    if (!d || !std::isfinite(*d) || *d <= 0)
      return wrongType(key, *v, "a finite number > 0");
    return *d;
  }
  llvm::Expected<std::string> string(llvm::StringRef key,
                                     llvm::StringRef fallback) const {
    const llvm::json::Value *v = obj.get(key);
    if (!v)
      return fallback.str();
    std::optional<llvm::StringRef> s = v->getAsString();
    if (!s)
      return wrongType(key, *v, "a string");
    return s->str();
  }
  llvm::Expected<bool> boolean(llvm::StringRef key, bool fallback) const {
    const llvm::json::Value *v = obj.get(key);
    if (!v)
      return fallback;
    std::optional<bool> b = v->getAsBoolean();
    if (!b)
      return wrongType(key, *v, "true or false");
    return *b;
  }

  /// Refuses a field that changes the computation in a way the sxf model
  /// does not express, when it holds anything but HF's default.
  llvm::Error refuseUnlessDefault(llvm::StringRef key, bool fallback,
                                  llvm::StringRef why) const {
    llvm::Expected<bool> b = boolean(key, fallback);
    if (!b)
      return b.takeError();
    if (*b != fallback)
      return fail(path + ": " + key + "=" + (*b ? "true" : "false") +
                  " is not supported (" + why + ")");
    return llvm::Error::success();
  }
  llvm::Error refuseUnlessDefaultString(llvm::StringRef key,
                                        llvm::StringRef fallback,
                                        llvm::StringRef why) const {
    llvm::Expected<std::string> s = string(key, fallback);
    if (!s)
      return s.takeError();
    if (*s != fallback)
      return fail(path + ": " + key + " '" + *s + "' is not supported (" +
                  why + ")");
    return llvm::Error::success();
  }
  /// Refuses a non-empty `pruned_heads` (heads removed after training: the
  /// layers would differ in shape, which sxf's uniform layers cannot hold).
  llvm::Error refusePrunedHeads() const {
    const llvm::json::Value *v = obj.get("pruned_heads");
    if (!v)
      return llvm::Error::success();
    const llvm::json::Object *o = v->getAsObject();
    if (!o)
      return wrongType("pruned_heads", *v, "an object");
    if (!o->empty())
      return fail(path + ": pruned_heads is not supported (every layer of an "
                         "sxf model has all its heads)");
    return llvm::Error::success();
  }

  const std::string path;

private:
  llvm::Error wrongType(llvm::StringRef key, const llvm::json::Value &v,
                        llvm::StringRef expected) const {
    return fail(path + ": field '" + key + "' must be " + expected + ", got " +
                llvm::formatv("{0}", v).str());
  }

  llvm::json::Object obj;
};

/// Hugging Face's ACT2FN names (activations.py) that sxf has, for GPT-2's
/// activation_function and BERT's hidden_act alike.
llvm::Error activation(const Config &cfg, llvm::StringRef key,
                       llvm::StringRef fallback, FfnActivation &out) {
  llvm::Expected<std::string> act = cfg.string(key, fallback);
  if (!act)
    return act.takeError();
  if (*act == "gelu_new" || *act == "gelu_pytorch_tanh" || *act == "gelu_fast")
    out = FfnActivation::GeluTanh;
  else if (*act == "gelu")
    out = FfnActivation::Gelu;
  else if (*act == "relu")
    out = FfnActivation::Relu;
  else if (*act == "silu" || *act == "swish")
    out = FfnActivation::Silu;
  else
    return fail(cfg.path + ": " + key + " '" + *act +
                "' is not supported (gelu, gelu_new, gelu_pytorch_tanh, "
                "gelu_fast, relu, silu, swish)");
  return llvm::Error::success();
}

/// Looks tensors up under an optional prefix and checks their shapes.
class Checkpoint {
public:
  Checkpoint(const SafetensorsFile &file, std::string prefix)
      : file(file), prefix(std::move(prefix)) {}

  bool has(llvm::StringRef name) const {
    return file.find(prefix + name.str()) != nullptr;
  }

  llvm::Expected<Tensor> get(llvm::StringRef name,
                             std::vector<int64_t> shape) {
    return getExact(prefix + name.str(), std::move(shape));
  }

  /// Task heads of *LMHeadModel / *ForMaskedLM checkpoints sit beside the
  /// prefixed body ("transformer.wte.weight", "lm_head.weight"), so they are
  /// looked up without the prefix.
  bool hasHead(llvm::StringRef name) const {
    return file.find(name) != nullptr;
  }
  llvm::Expected<Tensor> getHead(llvm::StringRef name,
                                 std::vector<int64_t> shape) {
    return getExact(name.str(), std::move(shape));
  }
  llvm::StringRef path() const { return file.path(); }
  /// Whether any tensor's full name starts with `start` ("cls.").
  bool hasAnyStartingWith(llvm::StringRef start) const {
    for (const SafetensorsEntry &e : file.entries())
      if (llvm::StringRef(e.name).starts_with(start))
        return true;
    return false;
  }

  std::vector<std::string> unused() const {
    std::vector<std::string> out;
    for (const SafetensorsEntry &e : file.entries())
      if (!used.count(e.name))
        out.push_back(e.name);
    return out;
  }

private:
  llvm::Expected<Tensor> getExact(const std::string &full,
                                  std::vector<int64_t> shape) {
    const SafetensorsEntry *e = file.find(full);
    if (!e)
      return fail(file.path() + ": tensor '" + full + "' is missing");
    if (e->shape != shape)
      return fail(file.path() + ": tensor '" + full + "' has shape " +
                  shapeToString(e->shape) + " but the config implies " +
                  shapeToString(shape));
    used.insert(full);
    return file.readFloat(full);
  }

  const SafetensorsFile &file;
  std::string prefix;
  std::set<std::string> used;
};

Tensor transpose(const Tensor &t) {
  int64_t r = t.shape[0], c = t.shape[1];
  Tensor out({c, r});
  for (int64_t i = 0; i < r; ++i)
    for (int64_t j = 0; j < c; ++j)
      out.data[j * r + i] = t.data[i * c + j];
  return out;
}

/// Columns [begin, begin + n) of a matrix.
Tensor columns(const Tensor &t, int64_t begin, int64_t n) {
  int64_t r = t.shape[0], c = t.shape[1];
  Tensor out({r, n});
  for (int64_t i = 0; i < r; ++i)
    for (int64_t j = 0; j < n; ++j)
      out.data[i * n + j] = t.data[i * c + begin + j];
  return out;
}

Tensor slice(const Tensor &t, int64_t begin, int64_t n) {
  Tensor out({n});
  std::copy(t.data.begin() + begin, t.data.begin() + begin + n,
            out.data.begin());
  return out;
}

using Weights = std::map<std::string, Tensor>;

#define SXF_TRY(var, expr)                                                     \
  auto var##OrErr = (expr);                                                    \
  if (!var##OrErr)                                                             \
    return var##OrErr.takeError();                                             \
  auto &var = *var##OrErr;

#define SXF_CHECK(expr)                                                        \
  if (llvm::Error err = (expr))                                                \
    return err;

/// config.json fields every model type reads the same way.
llvm::Error checkCommon(const Config &cfg) {
  SXF_CHECK(cfg.refuseUnlessDefault(
      "add_cross_attention", false,
      "cross-attention needs encoder states, which an sxf model has no "
      "input for"));
  SXF_CHECK(cfg.refusePrunedHeads());
  return llvm::Error::success();
}

llvm::Error importGpt2(const Config &cfg, Checkpoint &ck, ModelConfig &mc,
                       Weights &w, std::vector<std::string> &notes) {
  SXF_TRY(h, cfg.integer("n_embd"));
  SXF_TRY(heads, cfg.integer("n_head"));
  SXF_TRY(layers, cfg.integer("n_layer"));
  SXF_TRY(positions, cfg.integer("n_positions"));
  SXF_TRY(vocab, cfg.integer("vocab_size"));
  SXF_TRY(ffn, cfg.integer("n_inner", 4 * h));
  SXF_TRY(eps, cfg.positiveNumber("layer_norm_epsilon", 1e-5));
  SXF_TRY(tied, cfg.boolean("tie_word_embeddings", true));
  if (h % heads)
    return fail(cfg.path + ": n_head=" + llvm::Twine(heads) +
                " does not divide n_embd=" + llvm::Twine(h));
  SXF_CHECK(activation(cfg, "activation_function", "gelu_new", mc.activation));
  SXF_CHECK(checkCommon(cfg));
  SXF_CHECK(cfg.refuseUnlessDefault(
      "scale_attn_weights", true,
      "sxf attention always scales the scores by 1/sqrt(head_dim)"));
  SXF_CHECK(cfg.refuseUnlessDefault(
      "scale_attn_by_inverse_layer_idx", false,
      "sxf attention scales every layer alike"));
  // Upcasting and reordering only change the precision of a half-precision
  // model's attention; sxf computes attention in f32, which is what the
  // option asks for.
  SXF_TRY(upcast, cfg.boolean("reorder_and_upcast_attn", false));
  (void)upcast;
  mc.arch = Arch::Gpt;
  mc.hidden = h, mc.heads = heads, mc.layers = layers, mc.vocab = vocab,
  mc.ffn = ffn, mc.epsilon = eps, mc.maxPositions = positions;

  SXF_TRY(wte, ck.get("wte.weight", {vocab, h}));
  SXF_TRY(wpe, ck.get("wpe.weight", {positions, h}));
  w["embed.tokens.weight"] = std::move(wte);
  w["embed.positions.weight"] = std::move(wpe);
  for (int64_t l = 0; l < layers; ++l) {
    std::string p = "h." + std::to_string(l) + ".";
    std::string q = "layers." + std::to_string(l) + ".";
    SXF_TRY(ln1g, ck.get(p + "ln_1.weight", {h}));
    SXF_TRY(ln1b, ck.get(p + "ln_1.bias", {h}));
    SXF_TRY(qkv, ck.get(p + "attn.c_attn.weight", {h, 3 * h}));
    SXF_TRY(qkvb, ck.get(p + "attn.c_attn.bias", {3 * h}));
    SXF_TRY(proj, ck.get(p + "attn.c_proj.weight", {h, h}));
    SXF_TRY(projb, ck.get(p + "attn.c_proj.bias", {h}));
    SXF_TRY(ln2g, ck.get(p + "ln_2.weight", {h}));
    SXF_TRY(ln2b, ck.get(p + "ln_2.bias", {h}));
    SXF_TRY(fc, ck.get(p + "mlp.c_fc.weight", {h, ffn}));
    SXF_TRY(fcb, ck.get(p + "mlp.c_fc.bias", {ffn}));
    SXF_TRY(fc2, ck.get(p + "mlp.c_proj.weight", {ffn, h}));
    SXF_TRY(fc2b, ck.get(p + "mlp.c_proj.bias", {h}));
    w[q + "ln1.weight"] = std::move(ln1g);
    w[q + "ln1.bias"] = std::move(ln1b);
    const char *names[] = {"q", "k", "v"};
    for (int i = 0; i < 3; ++i) {
      w[q + "attn." + names[i] + ".weight"] =
          transpose(columns(qkv, i * h, h));
      w[q + "attn." + names[i] + ".bias"] = slice(qkvb, i * h, h);
    }
    w[q + "attn.o.weight"] = transpose(proj);
    w[q + "attn.o.bias"] = std::move(projb);
    w[q + "ln2.weight"] = std::move(ln2g);
    w[q + "ln2.bias"] = std::move(ln2b);
    w[q + "ffn.fc1.weight"] = transpose(fc);
    w[q + "ffn.fc1.bias"] = std::move(fcb);
    w[q + "ffn.fc2.weight"] = transpose(fc2);
    w[q + "ffn.fc2.bias"] = std::move(fc2b);
  }
  SXF_TRY(lnfg, ck.get("ln_f.weight", {h}));
  SXF_TRY(lnfb, ck.get("ln_f.bias", {h}));
  w["final_ln.weight"] = std::move(lnfg);
  w["final_ln.bias"] = std::move(lnfb);
  // GPT2LMHeadModel stores an untied head as "lm_head.weight" [V, H]
  // (nn.Linear layout) beside the "transformer."-prefixed body.
  const char *head = "lm_head.weight";
  if (!tied) {
    if (!ck.hasHead(head))
      return fail(ck.path() + ": tensor '" + head +
                  "' is missing, and " + cfg.path +
                  " says tie_word_embeddings=false (an untied LM head)");
    SXF_TRY(lm, ck.getHead(head, {vocab, h}));
    w["lm_head.weight"] = std::move(lm);
  } else if (ck.hasHead(head)) {
    // Tied (HF's default): HF makes lm_head share wte's parameter and
    // ignores a stored head, so sxf does too. Say so when that changes
    // the logits.
    SXF_TRY(lm, ck.getHead(head, {vocab, h}));
    const Tensor &wte = w["embed.tokens.weight"];
    double diff = 0;
    for (size_t i = 0; i < lm.data.size(); ++i)
      diff = std::max(diff, double(std::fabs(lm.data[i] - wte.data[i])));
    if (diff > 0)
      notes.push_back("'" + std::string(head) + "' differs from the token "
                      "embedding (max |difference| " + llvm::formatv("{0:g}",
                      diff).str() + ") but tie_word_embeddings is " +
                      "true (the default), so the head is the token "
                      "embedding, as in Hugging Face; set "
                      "tie_word_embeddings=false in config.json to use it");
  }
  mc.tiedHead = tied;
  return llvm::Error::success();
}

llvm::Error importBert(const Config &cfg, Checkpoint &ck, ModelConfig &mc,
                       Weights &w, std::vector<std::string> &notes) {
  SXF_TRY(h, cfg.integer("hidden_size"));
  SXF_TRY(heads, cfg.integer("num_attention_heads"));
  SXF_TRY(layers, cfg.integer("num_hidden_layers"));
  SXF_TRY(positions, cfg.integer("max_position_embeddings"));
  SXF_TRY(vocab, cfg.integer("vocab_size"));
  SXF_TRY(ffn, cfg.integer("intermediate_size"));
  SXF_TRY(types, cfg.integer("type_vocab_size", 2));
  SXF_TRY(eps, cfg.positiveNumber("layer_norm_eps", 1e-12));
  if (h % heads)
    return fail(cfg.path + ": num_attention_heads=" + llvm::Twine(heads) +
                " does not divide hidden_size=" + llvm::Twine(h));
  SXF_CHECK(activation(cfg, "hidden_act", "gelu", mc.activation));
  SXF_CHECK(checkCommon(cfg));
  SXF_CHECK(cfg.refuseUnlessDefaultString(
      "position_embedding_type", "absolute",
      "sxf has absolute position embeddings only"));
  SXF_CHECK(cfg.refuseUnlessDefault(
      "is_decoder", false,
      "a BERT decoder attends causally; sxf's BERT encoder attends to every "
      "position"));
  // sxf's BERT ends at the last hidden states: an MLM head (BertForMaskedLM,
  // BertForPreTraining: "cls.predictions.*", "cls.seq_relationship.*") is
  // not imported, tied or not; tie_word_embeddings only has to be well
  // formed.
  SXF_TRY(tied, cfg.boolean("tie_word_embeddings", true));
  (void)tied;
  if (ck.hasAnyStartingWith("cls."))
    notes.push_back("the checkpoint's pre-training heads ('cls.*') are not "
                    "imported: the sxf bert model outputs the last hidden "
                    "states, not masked-LM logits");
  mc.arch = Arch::Bert;
  mc.hidden = h, mc.heads = heads, mc.layers = layers, mc.vocab = vocab,
  mc.ffn = ffn, mc.epsilon = eps, mc.maxPositions = positions;

  std::string e = "embeddings.";
  SXF_TRY(tok, ck.get(e + "word_embeddings.weight", {vocab, h}));
  SXF_TRY(pos, ck.get(e + "position_embeddings.weight", {positions, h}));
  if (ck.has(e + "token_type_embeddings.weight")) {
    SXF_TRY(tt, ck.get(e + "token_type_embeddings.weight", {types, h}));
    for (int64_t r = 0; r < positions; ++r)
      for (int64_t c = 0; c < h; ++c)
        pos.data[r * h + c] += tt.data[c];
  }
  // Old checkpoints call layer-norm parameters gamma/beta.
  auto ln = [&](const std::string &base, const char *which)
      -> llvm::Expected<Tensor> {
    std::string modern = base + (which[0] == 'w' ? "weight" : "bias");
    std::string old = base + (which[0] == 'w' ? "gamma" : "beta");
    return ck.get(ck.has(modern) || !ck.has(old) ? modern : old, {h});
  };
  SXF_TRY(elng, ln(e + "LayerNorm.", "w"));
  SXF_TRY(elnb, ln(e + "LayerNorm.", "b"));
  w["embed.tokens.weight"] = std::move(tok);
  w["embed.positions.weight"] = std::move(pos);
  w["embed.ln.weight"] = std::move(elng);
  w["embed.ln.bias"] = std::move(elnb);
  for (int64_t l = 0; l < layers; ++l) {
    std::string p = "encoder.layer." + std::to_string(l) + ".";
    std::string q = "layers." + std::to_string(l) + ".";
    std::pair<const char *, const char *> linears[] = {
        {"attention.self.query", "attn.q"},
        {"attention.self.key", "attn.k"},
        {"attention.self.value", "attn.v"},
        {"attention.output.dense", "attn.o"}};
    for (auto [from, to] : linears) {
      SXF_TRY(wt, ck.get(p + from + ".weight", {h, h}));
      SXF_TRY(bs, ck.get(p + from + ".bias", {h}));
      w[q + to + ".weight"] = std::move(wt);
      w[q + to + ".bias"] = std::move(bs);
    }
    SXF_TRY(g1, ln(p + "attention.output.LayerNorm.", "w"));
    SXF_TRY(b1, ln(p + "attention.output.LayerNorm.", "b"));
    SXF_TRY(f1, ck.get(p + "intermediate.dense.weight", {ffn, h}));
    SXF_TRY(f1b, ck.get(p + "intermediate.dense.bias", {ffn}));
    SXF_TRY(f2, ck.get(p + "output.dense.weight", {h, ffn}));
    SXF_TRY(f2b, ck.get(p + "output.dense.bias", {h}));
    SXF_TRY(g2, ln(p + "output.LayerNorm.", "w"));
    SXF_TRY(b2, ln(p + "output.LayerNorm.", "b"));
    w[q + "ln1.weight"] = std::move(g1);
    w[q + "ln1.bias"] = std::move(b1);
    w[q + "ffn.fc1.weight"] = std::move(f1);
    w[q + "ffn.fc1.bias"] = std::move(f1b);
    w[q + "ffn.fc2.weight"] = std::move(f2);
    w[q + "ffn.fc2.bias"] = std::move(f2b);
    w[q + "ln2.weight"] = std::move(g2);
    w[q + "ln2.bias"] = std::move(b2);
  }
  return llvm::Error::success();
}

} // namespace

llvm::Expected<ImportResult> importHuggingFace(MLIRContext *ctx,
                                               llvm::StringRef dir,
                                               const ImportOptions &options) {
  llvm::SmallString<256> configPath(dir), weightsPath(dir);
  llvm::sys::path::append(configPath, "config.json");
  llvm::sys::path::append(weightsPath, "model.safetensors");
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
      llvm::MemoryBuffer::getFile(configPath);
  if (!buf)
    return fail(configPath + ": cannot open: " + buf.getError().message());
  if (llvm::Error err = checkJsonDepth((*buf)->getBuffer(), configPath))
    return std::move(err);
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buf)->getBuffer());
  if (!json)
    return fail(configPath + ": invalid JSON: " +
                llvm::toString(json.takeError()));
  llvm::json::Object *obj = json->getAsObject();
  if (!obj)
    return fail(configPath + ": the top level is not a JSON object");
  Config cfg(configPath.str().str(), std::move(*obj));
  llvm::Expected<std::string> typeOrErr = cfg.string("model_type", "");
  if (!typeOrErr)
    return typeOrErr.takeError();
  std::string type = *typeOrErr;
  if (type != "gpt2" && type != "bert")
    return fail(configPath + ": model_type '" + type +
                "' is not supported (expected gpt2 or bert)");

  llvm::Expected<std::unique_ptr<SafetensorsFile>> file =
      SafetensorsFile::open(weightsPath);
  if (!file)
    return file.takeError();
  // Checkpoints saved from *LMHeadModel / *ForMaskedLM prefix the names.
  std::string prefix;
  const char *probe = type == "gpt2" ? "wte.weight"
                                     : "embeddings.word_embeddings.weight";
  for (const char *p : {"", "transformer.", "bert."})
    if ((*file)->find(std::string(p) + probe)) {
      prefix = p;
      break;
    }
  Checkpoint ck(**file, prefix);
  ModelConfig mc;
  mc.name = llvm::sys::path::filename(dir).str();
  Weights weights;
  std::vector<std::string> notes;
  if (llvm::Error err = type == "gpt2"
                            ? importGpt2(cfg, ck, mc, weights, notes)
                            : importBert(cfg, ck, mc, weights, notes))
    return std::move(err);
  mc.seq = options.seq ? options.seq : mc.maxPositions;
  mc.batch = options.batch;
  if (mc.seq > mc.maxPositions)
    return fail("--seq=" + llvm::Twine(mc.seq) +
                " exceeds the checkpoint's " + llvm::Twine(mc.maxPositions) +
                " positions");

  GenOptions gen;
  gen.init = WeightInit::None;
  gen.dtype = options.dtype; // recorded on the weights; the file is ours
  gen.composite = options.composite;
  llvm::Expected<OwningOpRef<ModuleOp>> module =
      generateModel(ctx, mc, gen);
  if (!module)
    return module.takeError();

  // Every weight of the module must come from the checkpoint, in the
  // module's order.
  std::vector<SafetensorsWriteEntry> entries;
  std::set<std::string> seen;
  bool missing = false;
  std::string missingName;
  (*module)->walk([&](WeightOp op) {
    std::string name = op.getName().str();
    if (!seen.insert(name).second)
      return;
    auto it = weights.find(name);
    if (it == weights.end()) {
      missing = true;
      missingName = name;
      return;
    }
    entries.push_back({name, &it->second, options.dtype});
  });
  if (missing)
    return fail("internal error: no checkpoint tensor for sxf weight '" +
                missingName + "'");
  if (llvm::Error err = writeSafetensors(
          options.weightsPath, entries,
          {{"producer", "sxf sparse-import"}, {"source", dir.str()}}))
    return std::move(err);
  (**module)->setAttr(kWeightsFileAttrName,
                      StringAttr::get(ctx, options.weightsRef.empty()
                                               ? options.weightsPath
                                               : options.weightsRef));
  ImportResult result;
  result.module = std::move(*module);
  result.ignored = ck.unused();
  result.notes = std::move(notes);
  result.modelType = type;
  return result;
}

} // namespace sxf
