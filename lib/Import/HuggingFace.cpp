//===- HuggingFace.cpp - Hugging Face checkpoints in and out ----*- C++ -*-===//
//
// GPT-2 (Radford et al. 2019; HF GPT2Model names, with or without the
// "transformer." prefix): Conv1D weights are stored [in, out] (y = x·W + b),
// so every projection is transposed to sxf's [out, in]; c_attn holds q|k|v
// side by side and is split. BERT (Devlin et al. 2019; names with or
// without "bert."): Linear weights are already [out, in]; the token-type
// embedding's row 0 is folded into the position table (exact for
// token_type_ids = 0, which is what a single-segment input uses).
//
// GPT-2's correspondence is one table (gpt2TensorMapping), which import
// walks HF -> sxf and exportGpt2 sxf -> HF; config.json is read by one
// reader (openConfig + readModelConfig) for import and
// readHuggingFaceConfig alike.
//
//===----------------------------------------------------------------------===//

#include "sxf/Import/HuggingFace.h"

#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/ModelGen/ModelGen.h"
#include "sxf/Support/FileOutput.h"
#include "sxf/Support/Json.h"
#include "sxf/Support/Safetensors.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
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

/// config.json read and checked, with the model_type it names.
struct ConfigFile {
  Config cfg;
  std::string type;
};

/// Reads DIR/config.json: the JSON, its top-level object and a model_type
/// that is gpt2 or bert. The fields are read by readGpt2Config /
/// readBertConfig.
llvm::Expected<ConfigFile> openConfig(llvm::StringRef dir) {
  llvm::SmallString<256> configPath(dir);
  llvm::sys::path::append(configPath, "config.json");
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
  return ConfigFile{std::move(cfg), std::move(type)};
}

/// GPT-2's config.json fields (GPT2Config) into `mc`.
llvm::Error readGpt2Config(const Config &cfg, ModelConfig &mc) {
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
  mc.tiedHead = tied;
  return llvm::Error::success();
}

/// BERT's config.json fields (BertConfig) into `mc`; `types` is
/// type_vocab_size (the token-type table's rows, which import folds away).
llvm::Error readBertConfig(const Config &cfg, ModelConfig &mc,
                           int64_t &types) {
  SXF_TRY(h, cfg.integer("hidden_size"));
  SXF_TRY(heads, cfg.integer("num_attention_heads"));
  SXF_TRY(layers, cfg.integer("num_hidden_layers"));
  SXF_TRY(positions, cfg.integer("max_position_embeddings"));
  SXF_TRY(vocab, cfg.integer("vocab_size"));
  SXF_TRY(ffn, cfg.integer("intermediate_size"));
  SXF_TRY(typeCount, cfg.integer("type_vocab_size", 2));
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
  mc.arch = Arch::Bert;
  mc.hidden = h, mc.heads = heads, mc.layers = layers, mc.vocab = vocab,
  mc.ffn = ffn, mc.epsilon = eps, mc.maxPositions = positions;
  mc.tiedHead = tied;
  types = typeCount;
  return llvm::Error::success();
}

/// The config of either model type; `types` as in readBertConfig (2 for
/// GPT-2, unused).
llvm::Error readModelConfig(const ConfigFile &file, ModelConfig &mc,
                            int64_t &types) {
  types = 2;
  return file.type == "gpt2" ? readGpt2Config(file.cfg, mc)
                             : readBertConfig(file.cfg, mc, types);
}

/// Sxf tensor `i` of entry `m` from the HF tensor `t` (moved from for
/// AsIs).
Tensor toSxf(const HfTensorMapping &m, Tensor &t, size_t i) {
  int64_t n = m.sxfShape[0];
  switch (m.transform) {
  case HfTransform::AsIs:
    return std::move(t);
  case HfTransform::Transpose:
    return transpose(t);
  case HfTransform::SplitColumnsTransposed:
    return transpose(columns(t, int64_t(i) * n, n));
  case HfTransform::SplitSlices:
    return slice(t, int64_t(i) * n, n);
  }
  llvm_unreachable("unknown HfTransform");
}

/// The HF tensor of entry `m` from its sxf tensors (in sxfNames' order).
Tensor toHf(const HfTensorMapping &m,
            const std::vector<const Tensor *> &parts) {
  switch (m.transform) {
  case HfTransform::AsIs:
    return *parts[0];
  case HfTransform::Transpose:
    return transpose(*parts[0]);
  case HfTransform::SplitColumnsTransposed: {
    // Part i is [n, r]; it becomes columns [i*n, (i+1)*n) of [r, k*n].
    int64_t r = m.hfShape[0], c = m.hfShape[1], n = m.sxfShape[0];
    Tensor out({r, c});
    for (size_t i = 0; i < parts.size(); ++i)
      for (int64_t j = 0; j < n; ++j)
        for (int64_t row = 0; row < r; ++row)
          out.data[row * c + int64_t(i) * n + j] = parts[i]->data[j * r + row];
    return out;
  }
  case HfTransform::SplitSlices: {
    Tensor out(m.hfShape);
    int64_t n = m.sxfShape[0];
    for (size_t i = 0; i < parts.size(); ++i)
      std::copy(parts[i]->data.begin(), parts[i]->data.end(),
                out.data.begin() + int64_t(i) * n);
    return out;
  }
  }
  llvm_unreachable("unknown HfTransform");
}

/// GPT-2's tensors, by gpt2TensorMapping, into `w`.
llvm::Error importGpt2(const Config &cfg, Checkpoint &ck,
                       const ModelConfig &mc, Weights &w,
                       std::vector<std::string> &notes) {
  for (const HfTensorMapping &m : gpt2TensorMapping(mc)) {
    // GPT2LMHeadModel stores an untied head as "lm_head.weight" [V, H]
    // (nn.Linear layout) beside the "transformer."-prefixed body.
    if (m.unprefixed && !ck.hasHead(m.hfName))
      return fail(ck.path() + ": tensor '" + m.hfName + "' is missing, and " +
                  cfg.path +
                  " says tie_word_embeddings=false (an untied LM head)");
    llvm::Expected<Tensor> t = m.unprefixed ? ck.getHead(m.hfName, m.hfShape)
                                            : ck.get(m.hfName, m.hfShape);
    if (!t)
      return t.takeError();
    for (size_t i = 0; i < m.sxfNames.size(); ++i)
      w[m.sxfNames[i]] = toSxf(m, *t, i);
  }
  const char *head = "lm_head.weight";
  if (mc.tiedHead && ck.hasHead(head)) {
    // Tied (HF's default): HF makes lm_head share wte's parameter and
    // ignores a stored head, so sxf does too. Say so when that changes
    // the logits.
    SXF_TRY(lm, ck.getHead(head, {mc.vocab, mc.hidden}));
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
  return llvm::Error::success();
}

llvm::Error importBert(Checkpoint &ck, const ModelConfig &mc, int64_t types,
                       Weights &w, std::vector<std::string> &notes) {
  int64_t h = mc.hidden, layers = mc.layers, positions = mc.maxPositions,
          vocab = mc.vocab, ffn = mc.ffn;
  if (ck.hasAnyStartingWith("cls."))
    notes.push_back("the checkpoint's pre-training heads ('cls.*') are not "
                    "imported: the sxf bert model outputs the last hidden "
                    "states, not masked-LM logits");

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

/// HF's activation_function spelling of a GPT FFN activation.
const char *gpt2ActivationName(FfnActivation a) {
  switch (a) {
  case FfnActivation::Default:
  case FfnActivation::GeluTanh:
    return "gelu_new";
  case FfnActivation::Gelu:
    return "gelu";
  case FfnActivation::Relu:
    return "relu";
  case FfnActivation::Silu:
    return "silu";
  }
  llvm_unreachable("unknown FfnActivation");
}

/// The shortest decimal that reads back as `v` ("1e-05", as Python's json
/// writes it), instead of llvm::json's 17 digits.
std::string shortestDouble(double v) {
  char buf[40];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v)
      break;
  }
  return buf;
}

/// Refuses to write `path` when it exists as anything but a regular file:
/// a symbolic link would be written through (possibly outside the export
/// directory), a device or FIFO in place.
llvm::Error checkPlainTarget(llvm::StringRef path) {
  llvm::sys::fs::file_status st;
  std::error_code ec = llvm::sys::fs::status(path, st, /*Follow=*/false);
  if (ec == std::errc::no_such_file_or_directory)
    return llvm::Error::success();
  if (ec)
    return fail("cannot write '" + path + "': " + ec.message());
  if (st.type() != llvm::sys::fs::file_type::regular_file)
    return fail("cannot write '" + path +
                "': it exists and is not a regular file (the export writes "
                "nothing outside its directory, and replaces regular files "
                "only)");
  return llvm::Error::success();
}

} // namespace

std::vector<HfTensorMapping> gpt2TensorMapping(const ModelConfig &c) {
  int64_t h = c.hidden, f = c.ffn, v = c.vocab;
  int64_t p = c.maxPositions > 0 ? c.maxPositions : c.seq;
  std::vector<HfTensorMapping> out;
  auto add = [&](std::string hf, std::vector<int64_t> hfShape,
                 HfTransform t, std::vector<std::string> sxf,
                 std::vector<int64_t> sxfShape) {
    HfTensorMapping m;
    m.hfName = std::move(hf);
    m.hfShape = std::move(hfShape);
    m.transform = t;
    m.sxfNames = std::move(sxf);
    m.sxfShape = std::move(sxfShape);
    out.push_back(std::move(m));
  };
  using T = HfTransform;
  add("wte.weight", {v, h}, T::AsIs, {"embed.tokens.weight"}, {v, h});
  add("wpe.weight", {p, h}, T::AsIs, {"embed.positions.weight"}, {p, h});
  for (int64_t l = 0; l < c.layers; ++l) {
    std::string hp = "h." + std::to_string(l) + ".";
    std::string sp = "layers." + std::to_string(l) + ".";
    add(hp + "ln_1.weight", {h}, T::AsIs, {sp + "ln1.weight"}, {h});
    add(hp + "ln_1.bias", {h}, T::AsIs, {sp + "ln1.bias"}, {h});
    add(hp + "attn.c_attn.weight", {h, 3 * h}, T::SplitColumnsTransposed,
        {sp + "attn.q.weight", sp + "attn.k.weight", sp + "attn.v.weight"},
        {h, h});
    add(hp + "attn.c_attn.bias", {3 * h}, T::SplitSlices,
        {sp + "attn.q.bias", sp + "attn.k.bias", sp + "attn.v.bias"}, {h});
    add(hp + "attn.c_proj.weight", {h, h}, T::Transpose,
        {sp + "attn.o.weight"}, {h, h});
    add(hp + "attn.c_proj.bias", {h}, T::AsIs, {sp + "attn.o.bias"}, {h});
    add(hp + "ln_2.weight", {h}, T::AsIs, {sp + "ln2.weight"}, {h});
    add(hp + "ln_2.bias", {h}, T::AsIs, {sp + "ln2.bias"}, {h});
    add(hp + "mlp.c_fc.weight", {h, f}, T::Transpose,
        {sp + "ffn.fc1.weight"}, {f, h});
    add(hp + "mlp.c_fc.bias", {f}, T::AsIs, {sp + "ffn.fc1.bias"}, {f});
    add(hp + "mlp.c_proj.weight", {f, h}, T::Transpose,
        {sp + "ffn.fc2.weight"}, {h, f});
    add(hp + "mlp.c_proj.bias", {h}, T::AsIs, {sp + "ffn.fc2.bias"}, {h});
  }
  add("ln_f.weight", {h}, T::AsIs, {"final_ln.weight"}, {h});
  add("ln_f.bias", {h}, T::AsIs, {"final_ln.bias"}, {h});
  if (!c.tiedHead) {
    add("lm_head.weight", {v, h}, T::AsIs, {"lm_head.weight"}, {v, h});
    out.back().unprefixed = true;
  }
  return out;
}

llvm::Expected<ModelConfig> readHuggingFaceConfig(llvm::StringRef dir) {
  llvm::Expected<ConfigFile> file = openConfig(dir);
  if (!file)
    return file.takeError();
  ModelConfig mc;
  mc.name = llvm::sys::path::filename(dir).str();
  int64_t types;
  if (llvm::Error err = readModelConfig(*file, mc, types))
    return std::move(err);
  mc.seq = mc.maxPositions;
  mc.batch = 1;
  return mc;
}

llvm::Expected<ImportResult> importHuggingFace(MLIRContext *ctx,
                                               llvm::StringRef dir,
                                               const ImportOptions &options) {
  llvm::Expected<ConfigFile> configFile = openConfig(dir);
  if (!configFile)
    return configFile.takeError();
  const Config &cfg = configFile->cfg;
  const std::string &type = configFile->type;
  llvm::SmallString<256> weightsPath(dir);
  llvm::sys::path::append(weightsPath, "model.safetensors");
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
  int64_t types;
  if (llvm::Error err = readModelConfig(*configFile, mc, types))
    return std::move(err);
  Weights weights;
  std::vector<std::string> notes;
  if (llvm::Error err = type == "gpt2"
                            ? importGpt2(cfg, ck, mc, weights, notes)
                            : importBert(ck, mc, types, weights, notes))
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

llvm::Error exportGpt2(const ModelConfig &config,
                       const std::map<std::string, Tensor> &weights,
                       llvm::StringRef dir) {
  if (config.arch != Arch::Gpt)
    return fail("cannot export a BERT model as a GPT-2 checkpoint (the "
                "config's arch must be gpt)");
  if (llvm::Error err = validateConfig(config))
    return fail("cannot export the GPT-2 checkpoint: invalid config: " +
                llvm::toString(std::move(err)));
  if (config.maxPositions < 0)
    return fail("cannot export the GPT-2 checkpoint: invalid config: "
                "maxPositions must be >= 0, got " +
                llvm::Twine(config.maxPositions));
  double eps = config.epsilon < 0 ? 1e-5 : config.epsilon;
  if (!std::isfinite(eps) || eps <= 0)
    return fail("cannot export the GPT-2 checkpoint: invalid config: "
                "epsilon must be a finite number > 0 (or < 0 for GPT-2's "
                "1e-5), got " +
                llvm::formatv("{0}", config.epsilon).str());
  if (dir.empty())
    return fail("cannot export the GPT-2 checkpoint: the directory name is "
                "empty");

  // Every sxf weight present, of its shape, and nothing left over: before
  // the file system is touched.
  std::vector<HfTensorMapping> mapping = gpt2TensorMapping(config);
  std::set<std::string> expected;
  std::vector<SafetensorsSlot> slots;
  for (const HfTensorMapping &m : mapping) {
    for (const std::string &name : m.sxfNames) {
      expected.insert(name);
      auto it = weights.find(name);
      if (it == weights.end())
        return fail("cannot export the GPT-2 checkpoint: sxf weight '" + name +
                    "' is missing (expected shape " +
                    shapeToString(m.sxfShape) + ", for '" + m.hfName + "')");
      if (it->second.shape != m.sxfShape ||
          int64_t(it->second.data.size()) != shapeNumElements(m.sxfShape))
        return fail("cannot export the GPT-2 checkpoint: sxf weight '" + name +
                    "' has shape " + shapeToString(it->second.shape) +
                    " but the config implies " + shapeToString(m.sxfShape) +
                    " (for '" + m.hfName + "')");
    }
    slots.push_back({m.hfName, DType::F32, m.hfShape});
  }
  for (const auto &entry : weights)
    if (!expected.count(entry.first))
      return fail("cannot export the GPT-2 checkpoint: sxf weight '" +
                  entry.first + "' has no place in it" +
                  (entry.first == "lm_head.weight"
                       ? " (the config ties the LM head to the token "
                         "embedding; set tiedHead = false to export it)"
                       : " (not a GPT-2 weight of this config)"));

  int64_t positions =
      config.maxPositions > 0 ? config.maxPositions : config.seq;
  std::string configText;
  {
    llvm::raw_string_ostream os(configText);
    llvm::json::OStream j(os, 2);
    j.object([&] {
      j.attributeArray("architectures", [&] { j.value("GPT2LMHeadModel"); });
      j.attribute("model_type", "gpt2");
      j.attribute("vocab_size", config.vocab);
      j.attribute("n_positions", positions);
      j.attribute("n_ctx", positions);
      j.attribute("n_embd", config.hidden);
      j.attribute("n_layer", config.layers);
      j.attribute("n_head", config.heads);
      j.attribute("n_inner", config.ffn);
      j.attribute("activation_function",
                  gpt2ActivationName(config.activation));
      j.attributeBegin("layer_norm_epsilon");
      j.rawValue(shortestDouble(eps));
      j.attributeEnd();
      j.attribute("tie_word_embeddings", config.tiedHead);
      j.attribute("torch_dtype", "float32");
    });
    os << "\n";
  }

  llvm::SmallString<256> configPath(dir), weightsPath(dir);
  llvm::sys::path::append(configPath, "config.json");
  llvm::sys::path::append(weightsPath, "model.safetensors");
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return fail("cannot create the directory '" + dir + "': " + ec.message());
  if (!llvm::sys::fs::is_directory(dir))
    return fail("cannot export to '" + dir + "': it is not a directory");
  SXF_CHECK(checkPlainTarget(weightsPath));
  SXF_CHECK(checkPlainTarget(configPath));

  // One HF tensor in memory at a time.
  llvm::Expected<std::unique_ptr<SafetensorsWriter>> writer =
      SafetensorsWriter::create(weightsPath, slots, {{"format", "pt"}});
  if (!writer)
    return writer.takeError();
  for (const HfTensorMapping &m : mapping) {
    std::vector<const Tensor *> parts;
    for (const std::string &name : m.sxfNames)
      parts.push_back(&weights.at(name));
    Tensor hf = toHf(m, parts);
    SXF_CHECK((*writer)->write(m.hfName, hf.data));
  }
  SXF_CHECK((*writer)->commit());
  return writeOutputFile(configPath,
                         [&](llvm::raw_ostream &os) { os << configText; });
}

} // namespace sxf
