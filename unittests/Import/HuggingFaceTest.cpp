//===- HuggingFaceTest.cpp - GPT-2 checkpoints in and out -----------------===//
//
// exportGpt2 is the inverse of importHuggingFace for GPT-2: the bundled
// checkpoint (models/fortunes-gpt2) imported and exported again is the same
// file tensor for tensor, bit for bit; random weights of odd sizes (hidden
// 96, 3 heads, ffn 200, vocab 1000; tied and untied heads) exported and
// imported again are the same sxf weights; config.json reads back
// (readHuggingFaceConfig) to the same ModelConfig; bad inputs are refused
// before anything is written.
//
//===----------------------------------------------------------------------===//

#include "sxf/Import/HuggingFace.h"
#include "sxf/InitAll.h"
#include "sxf/Support/Random.h"
#include "sxf/Support/Safetensors.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <set>

using namespace sxf;

namespace {

using Weights = std::map<std::string, Tensor>;

std::string join(llvm::StringRef a, llvm::StringRef b) {
  llvm::SmallString<256> p(a);
  llvm::sys::path::append(p, b);
  return std::string(p);
}

bool sameBits(const Tensor &a, const Tensor &b) {
  return a.shape == b.shape && a.data.size() == b.data.size() &&
         std::memcmp(a.data.data(), b.data.data(),
                     a.data.size() * sizeof(float)) == 0;
}

void expectSameConfig(const ModelConfig &a, const ModelConfig &b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.arch, b.arch);
  EXPECT_EQ(a.layers, b.layers);
  EXPECT_EQ(a.hidden, b.hidden);
  EXPECT_EQ(a.heads, b.heads);
  EXPECT_EQ(a.ffn, b.ffn);
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.vocab, b.vocab);
  EXPECT_EQ(a.batch, b.batch);
  EXPECT_EQ(a.maxPositions, b.maxPositions);
  EXPECT_EQ(a.activation, b.activation);
  EXPECT_EQ(a.epsilon, b.epsilon); // exactly: the shortest decimal reads back
  EXPECT_EQ(a.tiedHead, b.tiedHead);
}

/// Every F32 tensor of a safetensors file.
Weights readAll(llvm::StringRef path) {
  Weights out;
  llvm::Expected<std::unique_ptr<SafetensorsFile>> f =
      SafetensorsFile::open(path);
  if (!f) {
    ADD_FAILURE() << llvm::toString(f.takeError());
    return out;
  }
  for (const SafetensorsEntry &e : (*f)->entries()) {
    EXPECT_EQ(e.dtype, DType::F32) << e.name;
    llvm::Expected<Tensor> t = (*f)->readFloat(e.name);
    if (!t) {
      ADD_FAILURE() << llvm::toString(t.takeError());
      continue;
    }
    out[e.name] = std::move(*t);
  }
  return out;
}

std::string errorText(llvm::Error e) {
  return e ? llvm::toString(std::move(e)) : std::string("(success)");
}

class HuggingFaceExport : public ::testing::Test {
protected:
  void SetUp() override {
    registerAllDialects(registry);
    context = std::make_unique<mlir::MLIRContext>(registry);
    llvm::SmallString<256> dir;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("sxf-hf-export", dir));
    tmp = std::string(dir);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(tmp); }

  /// importHuggingFace(dir) with its weights written to `weightsName` in the
  /// temporary directory; returns the sxf weights it wrote.
  Weights import(llvm::StringRef dir, llvm::StringRef weightsName,
                 ImportResult *resultOut = nullptr) {
    ImportOptions options;
    options.weightsPath = join(tmp, weightsName);
    llvm::Expected<ImportResult> result =
        importHuggingFace(context.get(), dir, options);
    if (!result) {
      ADD_FAILURE() << llvm::toString(result.takeError());
      return {};
    }
    if (resultOut)
      *resultOut = std::move(*result);
    return readAll(options.weightsPath);
  }

  /// Random weights for every sxf name of `c`, with a NaN, an infinity and
  /// a negative zero among them (written as they are).
  static Weights randomWeights(const ModelConfig &c, uint64_t seed) {
    Rng rng(seed);
    Weights w;
    for (const HfTensorMapping &m : gpt2TensorMapping(c))
      for (const std::string &name : m.sxfNames) {
        Tensor t(m.sxfShape);
        for (float &v : t.data)
          v = float(rng.normal());
        w[name] = std::move(t);
      }
    using Limits = std::numeric_limits<float>;
    w["layers.1.attn.k.weight"].data[7] = Limits::quiet_NaN();
    w["layers.0.attn.v.bias"].data[2] = -Limits::infinity();
    w["layers.0.ffn.fc2.weight"].data[11] = -0.0f;
    return w;
  }

  static ModelConfig oddConfig(bool tied) {
    ModelConfig c;
    c.name = "odd";
    c.arch = Arch::Gpt;
    c.layers = 2;
    c.hidden = 96;
    c.heads = 3;
    c.ffn = 200;
    c.vocab = 1000;
    c.maxPositions = 40;
    c.seq = 40;
    c.batch = 1;
    c.activation = tied ? FfnActivation::Silu : FfnActivation::Relu;
    c.epsilon = 3e-6;
    c.tiedHead = tied;
    return c;
  }

  void roundTrip(const ModelConfig &config) {
    Weights w = randomWeights(config, 17);
    std::string dir = join(tmp, config.name);
    ASSERT_EQ(errorText(exportGpt2(config, w, dir)), "(success)");

    llvm::Expected<ModelConfig> back = readHuggingFaceConfig(dir);
    ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
    expectSameConfig(*back, config);

    // The HF file holds the hub names, the untied head unprefixed.
    Weights hf = readAll(join(dir, "model.safetensors"));
    EXPECT_EQ(hf.count("lm_head.weight"), config.tiedHead ? 0u : 1u);
    EXPECT_EQ(hf.count("h.1.attn.c_attn.weight"), 1u);
    EXPECT_EQ(hf.size(), gpt2TensorMapping(config).size());
    // c_attn's column block i is sxf tensor i transposed: q's [o, i] is
    // c_attn[i, o], k's [o, i] is c_attn[i, H + o].
    const Tensor &cAttn = hf["h.0.attn.c_attn.weight"];
    int64_t h = config.hidden;
    EXPECT_EQ(cAttn.shape, (std::vector<int64_t>{h, 3 * h}));
    EXPECT_EQ(cAttn.data[5 * 3 * h + 2 * h + 9],
              w["layers.0.attn.v.weight"].data[9 * h + 5]);

    ImportResult result;
    Weights imported = import(dir, "imported.safetensors", &result);
    EXPECT_TRUE(result.notes.empty());
    EXPECT_TRUE(result.ignored.empty());
    ASSERT_EQ(imported.size(), w.size());
    for (const auto &[name, tensor] : w) {
      auto it = imported.find(name);
      ASSERT_NE(it, imported.end()) << name;
      EXPECT_TRUE(sameBits(it->second, tensor)) << name;
    }
  }

  mlir::DialectRegistry registry;
  std::unique_ptr<mlir::MLIRContext> context;
  std::string tmp;
};

TEST_F(HuggingFaceExport, FortunesRoundTripIsBitIdentical) {
  std::string source = SXF_SOURCE_DIR "/models/fortunes-gpt2";
  llvm::Expected<ModelConfig> config = readHuggingFaceConfig(source);
  ASSERT_TRUE(bool(config)) << llvm::toString(config.takeError());
  EXPECT_EQ(config->arch, Arch::Gpt);
  EXPECT_EQ(config->hidden, 128);
  EXPECT_EQ(config->heads, 4);
  EXPECT_EQ(config->layers, 4);
  EXPECT_EQ(config->vocab, 113);
  EXPECT_EQ(config->ffn, 512);
  EXPECT_EQ(config->maxPositions, 64);
  EXPECT_EQ(config->seq, 64);
  EXPECT_EQ(config->batch, 1);
  EXPECT_EQ(config->activation, FfnActivation::GeluTanh);
  EXPECT_EQ(config->epsilon, 1e-5);
  EXPECT_TRUE(config->tiedHead);
  EXPECT_EQ(config->name, "fortunes-gpt2");

  Weights sxfWeights = import(source, "fortunes.safetensors");
  ASSERT_FALSE(sxfWeights.empty());
  // Same last component, so that the config's name reads back too.
  std::string out = join(join(tmp, "out"), "fortunes-gpt2");
  ASSERT_EQ(errorText(exportGpt2(*config, sxfWeights, out)), "(success)");

  llvm::Expected<std::unique_ptr<SafetensorsFile>> original =
      SafetensorsFile::open(source + "/model.safetensors");
  llvm::Expected<std::unique_ptr<SafetensorsFile>> exported =
      SafetensorsFile::open(join(out, "model.safetensors"));
  ASSERT_TRUE(bool(original)) << llvm::toString(original.takeError());
  ASSERT_TRUE(bool(exported)) << llvm::toString(exported.takeError());
  std::set<std::string> originalNames, exportedNames;
  for (const SafetensorsEntry &e : (*original)->entries())
    originalNames.insert(e.name);
  for (const SafetensorsEntry &e : (*exported)->entries())
    exportedNames.insert(e.name);
  EXPECT_EQ(originalNames, exportedNames);
  EXPECT_EQ(exportedNames.size(), 2u + 12u * 4u + 2u);
  for (const SafetensorsEntry &e : (*original)->entries()) {
    const SafetensorsEntry *x = (*exported)->find(e.name);
    ASSERT_NE(x, nullptr) << e.name;
    EXPECT_EQ(x->dtype, e.dtype) << e.name;
    EXPECT_EQ(x->shape, e.shape) << e.name;
    llvm::ArrayRef<uint8_t> a = (*original)->rawData(e);
    llvm::ArrayRef<uint8_t> b = (*exported)->rawData(*x);
    EXPECT_TRUE(a == b) << e.name << " differs";
  }
  EXPECT_EQ((*exported)->metadata().at("format"), "pt");

  llvm::Expected<ModelConfig> back = readHuggingFaceConfig(out);
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  expectSameConfig(*back, *config);

  // The fields Hugging Face reads, spelled as it spells them.
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> text =
      llvm::MemoryBuffer::getFile(join(out, "config.json"));
  ASSERT_TRUE(bool(text));
  EXPECT_NE((*text)->getBuffer().find("\"layer_norm_epsilon\": 1e-05"),
            llvm::StringRef::npos)
      << (*text)->getBuffer().str();
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*text)->getBuffer());
  ASSERT_TRUE(bool(json)) << llvm::toString(json.takeError());
  const llvm::json::Object &obj = *json->getAsObject();
  EXPECT_EQ(obj.getString("model_type"),
            std::optional<llvm::StringRef>("gpt2"));
  EXPECT_EQ(obj.getString("activation_function"),
            std::optional<llvm::StringRef>("gelu_new"));
  EXPECT_EQ(obj.getInteger("n_ctx"), std::optional<int64_t>(64));
  EXPECT_EQ(obj.getInteger("n_positions"), std::optional<int64_t>(64));
  EXPECT_EQ(obj.getBoolean("tie_word_embeddings"), std::optional<bool>(true));
  const llvm::json::Array *arch = obj.getArray("architectures");
  ASSERT_NE(arch, nullptr);
  ASSERT_EQ(arch->size(), 1u);
  EXPECT_EQ((*arch)[0].getAsString(),
            std::optional<llvm::StringRef>("GPT2LMHeadModel"));
}

TEST_F(HuggingFaceExport, OddSizesUntiedRoundTrip) {
  roundTrip(oddConfig(false));
}

TEST_F(HuggingFaceExport, OddSizesTiedRoundTrip) {
  roundTrip(oddConfig(true));
}

TEST_F(HuggingFaceExport, ActivationNamesAndDefaults) {
  // Default activation and epsilon are written as GPT-2's (gelu_new, 1e-5);
  // maxPositions 0 is seq.
  ModelConfig c = oddConfig(true);
  c.name = "defaults";
  c.activation = FfnActivation::Default;
  c.epsilon = -1;
  c.maxPositions = 0;
  c.seq = 24;
  std::string dir = join(tmp, "defaults");
  ASSERT_EQ(errorText(exportGpt2(c, randomWeights(c, 3), dir)), "(success)");
  llvm::Expected<ModelConfig> back = readHuggingFaceConfig(dir);
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->activation, FfnActivation::GeluTanh);
  EXPECT_EQ(back->epsilon, 1e-5);
  EXPECT_EQ(back->maxPositions, 24);
  EXPECT_EQ(back->seq, 24);

  c.activation = FfnActivation::Gelu;
  c.name = "gelu";
  dir = join(tmp, "gelu");
  ASSERT_EQ(errorText(exportGpt2(c, randomWeights(c, 3), dir)), "(success)");
  back = readHuggingFaceConfig(dir);
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->activation, FfnActivation::Gelu);
}

TEST_F(HuggingFaceExport, RefusesBadInputsBeforeWriting) {
  ModelConfig c = oddConfig(false);
  Weights good = randomWeights(c, 5);
  std::string dir = join(tmp, "refused");

  Weights missing = good;
  missing.erase("layers.1.attn.k.bias");
  EXPECT_EQ(errorText(exportGpt2(c, missing, dir)),
            "cannot export the GPT-2 checkpoint: sxf weight "
            "'layers.1.attn.k.bias' is missing (expected shape 96, for "
            "'h.1.attn.c_attn.bias')");

  Weights noHead = good;
  noHead.erase("lm_head.weight");
  EXPECT_NE(errorText(exportGpt2(c, noHead, dir))
                .find("sxf weight 'lm_head.weight' is missing (expected "
                      "shape 1000x96, for 'lm_head.weight')"),
            std::string::npos);

  Weights wrongShape = good;
  wrongShape["layers.0.ffn.fc1.weight"] = Tensor({96, 200}); // HF's layout
  EXPECT_EQ(errorText(exportGpt2(c, wrongShape, dir)),
            "cannot export the GPT-2 checkpoint: sxf weight "
            "'layers.0.ffn.fc1.weight' has shape 96x200 but the config "
            "implies 200x96 (for 'h.0.mlp.c_fc.weight')");

  // A tied config has no place for a head of its own.
  ModelConfig tied = c;
  tied.tiedHead = true;
  EXPECT_NE(errorText(exportGpt2(tied, good, dir))
                .find("sxf weight 'lm_head.weight' has no place in it (the "
                      "config ties the LM head"),
            std::string::npos);

  ModelConfig bert = c;
  bert.arch = Arch::Bert;
  EXPECT_EQ(errorText(exportGpt2(bert, good, dir)),
            "cannot export a BERT model as a GPT-2 checkpoint (the config's "
            "arch must be gpt)");

  ModelConfig badHeads = c;
  badHeads.heads = 5;
  EXPECT_NE(errorText(exportGpt2(badHeads, good, dir)).find("invalid config"),
            std::string::npos);

  ModelConfig zeroEps = c;
  zeroEps.epsilon = 0; // import would refuse layer_norm_epsilon = 0
  EXPECT_NE(errorText(exportGpt2(zeroEps, good, dir))
                .find("epsilon must be a finite number > 0"),
            std::string::npos);

  // Nothing was created by the refused exports.
  EXPECT_FALSE(llvm::sys::fs::exists(dir));
}

TEST_F(HuggingFaceExport, WritesNothingOutsideItsDirectory) {
  ModelConfig c = oddConfig(true);
  Weights w = randomWeights(c, 9);
  // A link named model.safetensors pointing outside: refused, the file it
  // points to is left alone.
  std::string dir = join(tmp, "linked");
  std::string outside = join(tmp, "outside.bin");
  ASSERT_FALSE(llvm::sys::fs::create_directories(dir));
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(outside, ec);
    ASSERT_FALSE(ec);
    os << "keep";
  }
  ASSERT_FALSE(llvm::sys::fs::create_link(outside,
                                          join(dir, "model.safetensors")));
  std::string err = errorText(exportGpt2(c, w, dir));
  EXPECT_NE(err.find("model.safetensors': it exists and is not a regular "
                     "file"),
            std::string::npos)
      << err;
  uint64_t size = 0;
  ASSERT_FALSE(llvm::sys::fs::file_size(outside, size));
  EXPECT_EQ(size, 4u);
  EXPECT_FALSE(llvm::sys::fs::exists(join(dir, "config.json")));

  // A file where the directory should be.
  EXPECT_NE(errorText(exportGpt2(c, w, outside)).find(outside),
            std::string::npos);

  // Missing parents are created; existing checkpoints are replaced.
  std::string nested = join(join(tmp, "a/b"), "c");
  ASSERT_EQ(errorText(exportGpt2(c, w, nested)), "(success)");
  ASSERT_EQ(errorText(exportGpt2(c, w, nested)), "(success)");
  EXPECT_TRUE(llvm::sys::fs::exists(join(nested, "config.json")));
}

TEST_F(HuggingFaceExport, ReadsBertConfigWithoutWeights) {
  std::string dir = join(tmp, "bert");
  ASSERT_FALSE(llvm::sys::fs::create_directories(dir));
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(join(dir, "config.json"), ec);
    ASSERT_FALSE(ec);
    os << R"({"model_type": "bert", "hidden_size": 48,
              "num_attention_heads": 3, "num_hidden_layers": 2,
              "max_position_embeddings": 20, "vocab_size": 77,
              "intermediate_size": 100, "hidden_act": "gelu_new"})";
  }
  llvm::Expected<ModelConfig> c = readHuggingFaceConfig(dir);
  ASSERT_TRUE(bool(c)) << llvm::toString(c.takeError());
  EXPECT_EQ(c->arch, Arch::Bert);
  EXPECT_EQ(c->hidden, 48);
  EXPECT_EQ(c->heads, 3);
  EXPECT_EQ(c->layers, 2);
  EXPECT_EQ(c->maxPositions, 20);
  EXPECT_EQ(c->seq, 20);
  EXPECT_EQ(c->vocab, 77);
  EXPECT_EQ(c->ffn, 100);
  EXPECT_EQ(c->epsilon, 1e-12);
  EXPECT_EQ(c->activation, FfnActivation::GeluTanh);
  EXPECT_EQ(c->name, "bert");
  // No model.safetensors is needed, and exporting a BERT is refused.
  EXPECT_NE(errorText(exportGpt2(*c, {}, join(tmp, "x"))).find("BERT"),
            std::string::npos);

  // Import's errors.
  llvm::Expected<ModelConfig> none = readHuggingFaceConfig(join(tmp, "none"));
  ASSERT_FALSE(bool(none));
  EXPECT_NE(llvm::toString(none.takeError()).find("config.json: cannot open"),
            std::string::npos);
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(join(dir, "config.json"), ec);
    os << R"({"model_type": "gpt2", "n_embd": 24, "n_head": 5, "n_layer": 1,
              "n_positions": 8, "vocab_size": 10})";
  }
  llvm::Expected<ModelConfig> heads = readHuggingFaceConfig(dir);
  ASSERT_FALSE(bool(heads));
  EXPECT_NE(llvm::toString(heads.takeError())
                .find("config.json: n_head=5 does not divide n_embd=24"),
            std::string::npos);
}

} // namespace
