//===- sparse-gen.cpp - Generate transformer models in sxf ------*- C++ -*-===//
//
//   sparse-gen --preset=tiny|tiny-bert|bert-base|bert-large|gpt2-small|gpt-13b
//              [--arch=bert|gpt] [--layers N --hidden H --heads A --ffn F
//              --seq S --vocab V --batch B] [--weights=random|none]
//              [--seed K] [--dtype=f32|f16|bf16] [--inline-weights]
//              [--primitive] [--max-positions N]
//              [--decode --past P | --return-cache] -o model.mlir
//
// --decode writes a GPT decode step: one new token against a KV cache of P
// positions (arguments input_ids and past_key.L / past_value.L per layer,
// results logits and the new rows present_key.L / present_value.L, which the
// caller appends to its cache); --return-cache makes
// the prefill entry return the cache a decode step continues from.
//
// Random weights go to <stem>.safetensors next to the output (or inline with
// --inline-weights, or when writing to stdout), generated and written one
// weight at a time, so a model larger than memory can be written.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/FileOutput.h"
#include "sxf/Support/ToolOptions.h"
#include "sxf/InitAll.h"
#include "sxf/ModelGen/ModelGen.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace llvm;

static cl::OptionCategory category("sparse-gen options");
static cl::opt<std::string> preset("preset", cl::desc("Model preset"),
                                   cl::init("tiny"), cl::cat(category));
static cl::opt<std::string> arch("arch",
                                 cl::desc("Architecture: bert or gpt "
                                          "(default: the preset's)"),
                                 cl::init(""), cl::cat(category));
static cl::opt<int64_t> layers("layers", cl::desc("Number of layers"),
                               cl::init(-1), cl::cat(category));
static cl::opt<int64_t> hidden("hidden", cl::desc("Hidden size"), cl::init(-1),
                               cl::cat(category));
static cl::opt<int64_t> heads("heads", cl::desc("Attention heads"),
                              cl::init(-1), cl::cat(category));
static cl::opt<int64_t> ffn("ffn", cl::desc("FFN inner size"), cl::init(-1),
                            cl::cat(category));
static cl::opt<int64_t> seqLen("seq", cl::desc("Sequence length"), cl::init(-1),
                            cl::cat(category));
static cl::opt<int64_t> vocab("vocab", cl::desc("Vocabulary size"),
                              cl::init(-1), cl::cat(category));
static cl::opt<int64_t> batch("batch", cl::desc("Batch size"), cl::init(-1),
                              cl::cat(category));
static cl::opt<std::string>
    weights("weights",
            cl::desc("random (default; none for gpt-13b) or none "
                     "(metadata only)"),
            cl::init(""), cl::cat(category));
static cl::opt<uint64_t> seed("seed", cl::desc("Random seed"), cl::init(0),
                              cl::cat(category));
static cl::opt<std::string> dtype("dtype",
                                  cl::desc("Stored weight type: f32, f16, "
                                           "bf16"),
                                  cl::init("f32"), cl::cat(category));
static cl::opt<bool> inlineWeights("inline-weights",
                                   cl::desc("Embed weights as dense_resource "
                                            "blobs instead of a file"),
                                   cl::init(false), cl::cat(category));
static cl::opt<bool> primitive("primitive",
                               cl::desc("Emit primitive ops instead of "
                                        "encoder/decoder layers"),
                               cl::init(false), cl::cat(category));
static cl::opt<int64_t>
    maxPositions("max-positions",
                 cl::desc("Rows of the position table (default: --seq; the "
                          "longest context the model is built for)"),
                 cl::init(-1), cl::cat(category));
static cl::opt<bool>
    decode("decode",
           cl::desc("Emit a GPT decode step: one new token against a KV "
                    "cache of --past positions (primitive ops; the position "
                    "table keeps --seq / --max-positions rows)"),
           cl::init(false), cl::cat(category));
static cl::opt<int64_t> past("past",
                             cl::desc("With --decode: cached positions "
                                      "(1 .. positions - 1)"),
                             cl::init(-1), cl::cat(category));
static cl::opt<bool>
    returnCache("return-cache",
                cl::desc("GPT prefill: also return every layer's keys and "
                         "values (present_key.L / present_value.L), the "
                         "cache a --decode step continues from"),
                cl::init(false), cl::cat(category));
static cl::opt<std::string> weightsFile(
    "weights-file",
    cl::desc("Safetensors path (default: <output stem>.safetensors)"),
    cl::init(""), cl::cat(category));
static cl::opt<std::string> outputFilename("o", cl::desc("Output .mlir file"),
                                           cl::value_desc("filename"),
                                           cl::init("-"), cl::cat(category));

static int fail(const Twine &msg) {
  errs() << "sparse-gen: error: " << msg << "\n";
  return 1;
}

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  sxf::useErrorProgramName(argc, argv);
  sxf::reportFileSizeLimitAsError();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "sxf model generator: writes a transformer "
                              "model in the sxf dialect\n");

  Expected<sxf::ModelConfig> config = sxf::presetConfig(preset);
  if (!config)
    return fail(toString(config.takeError()));
  if (!arch.empty()) {
    if (arch == "bert")
      config->arch = sxf::Arch::Bert;
    else if (arch == "gpt")
      config->arch = sxf::Arch::Gpt;
    else
      return fail("--arch must be bert or gpt, got '" + arch + "'");
  }
  std::pair<cl::opt<int64_t> *, int64_t *> sizes[] = {
      {&layers, &config->layers}, {&hidden, &config->hidden},
      {&heads, &config->heads},   {&ffn, &config->ffn},
      {&seqLen, &config->seq},       {&vocab, &config->vocab},
      {&batch, &config->batch}};
  for (auto [opt, field] : sizes)
    if (opt->getNumOccurrences())
      *field = *opt;
  if (maxPositions.getNumOccurrences()) {
    if (maxPositions <= 0)
      return fail("--max-positions must be positive, got " +
                  Twine(int64_t(maxPositions)));
    if (maxPositions < config->seq && !decode)
      return fail("--max-positions=" + Twine(int64_t(maxPositions)) +
                  " is less than --seq=" + Twine(config->seq));
    config->maxPositions = maxPositions;
  }
  if (Error err = sxf::validateConfig(*config))
    return fail(toString(std::move(err)));

  sxf::GenOptions gen;
  if (past.getNumOccurrences() && !decode)
    return fail("--past needs --decode");
  if (decode) {
    if (!past.getNumOccurrences())
      return fail("--decode needs --past=P (the positions in the KV cache)");
    if (past < 0)
      return fail("--past must not be negative, got " + Twine(int64_t(past)));
    // The position table keeps the context the model is built for
    // (--max-positions, else --seq); the step embeds one new token.
    if (!maxPositions.getNumOccurrences())
      config->maxPositions = config->seq;
    config->seq = 1;
    gen.decodePast = past;
  }
  gen.returnCache = returnCache;
  gen.seed = seed;
  gen.composite = !primitive;
  std::string init = weights.empty()
                         ? (config->name == "gpt-13b" ? "none" : "random")
                         : std::string(weights);
  if (init == "random")
    gen.init = sxf::WeightInit::Random;
  else if (init == "none")
    gen.init = sxf::WeightInit::None;
  else
    return fail("--weights must be random or none, got '" + init + "'");
  if (std::optional<sxf::DType> d = sxf::parseStorageDType(dtype))
    gen.dtype = *d;
  else
    return fail("--dtype must be f32, f16 or bf16, got '" + dtype + "'");

  int64_t params = sxf::parameterCount(*config);
  if (gen.init == sxf::WeightInit::Random && !inlineWeights) {
    if (!weightsFile.empty()) {
      gen.weightsPath = weightsFile;
    } else if (outputFilename != "-") {
      SmallString<256> path(outputFilename);
      sys::path::replace_extension(path, "safetensors");
      gen.weightsPath = std::string(path);
    }
    // Record the file relative to the .mlir file when they share a directory.
    if (!gen.weightsPath.empty() && outputFilename != "-" &&
        sys::path::parent_path(gen.weightsPath) ==
            sys::path::parent_path(outputFilename))
      gen.weightsRef = sys::path::filename(gen.weightsPath).str();
  }

  // Inline values live in memory (and in the printed IR): bounded. A
  // weights file is streamed one weight at a time, so its bound is the
  // disk: checked before anything is written.
  constexpr int64_t kMaxInlineParams = 2'000'000'000;
  if (gen.init == sxf::WeightInit::Random && gen.weightsPath.empty() &&
      params > kMaxInlineParams)
    return fail("refusing to generate " + Twine(params) +
                " random parameters inline (over 2e9); write them to a "
                "weights file (-o FILE or --weights-file) or use "
                "--weights=none for a metadata-only model");
  if (!gen.weightsPath.empty()) {
    SmallString<256> dir(gen.weightsPath);
    sys::path::remove_filename(dir);
    if (dir.empty())
      dir = ".";
    uint64_t bytes = uint64_t(params) * sxf::dtypeSize(gen.dtype);
    ErrorOr<sys::fs::space_info> space = sys::fs::disk_space(dir);
    // 1% and 64 MiB of headroom for the header, the .mlir file and others.
    if (space && space->available < bytes + bytes / 100 + (64u << 20))
      return fail("the weights file '" + gen.weightsPath + "' needs about " +
                  Twine(bytes / (1 << 20)) + " MiB but its file system has " +
                  Twine(space->available / (1 << 20)) + " MiB available");
  }

  if (!gen.weightsPath.empty() && outputFilename != "-" &&
      sys::fs::equivalent(gen.weightsPath, outputFilename)) 
    return fail("the weights file and -o are the same file ('" +
                outputFilename + "')");
  if (!gen.weightsPath.empty() && gen.weightsPath == outputFilename)
    return fail("the weights file and -o are the same file ('" +
                outputFilename + "')");
  mlir::DialectRegistry registry;
  sxf::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  Expected<mlir::OwningOpRef<mlir::ModuleOp>> module =
      sxf::generateModel(&context, *config, gen);
  if (!module)
    return fail(toString(module.takeError()));

  if (Error e = sxf::writeOutputFile(outputFilename, [&](raw_ostream &os) {
        (**module)->print(os);
        os << "\n";
      }))
    return fail(toString(std::move(e)));
  return 0;
}
