//===- sparse-train.cpp - Train a GPT-2 model, dense or sparse --*- C++ -*-===//
//
//   sparse-train MODEL_DIR --train-data train.npy --eval-data eval.npy
//                -o OUT_DIR [--init=random|weights] [--steps N] [--batch B]
//                [--seq S] [--lr LR --warmup W --min-lr-ratio R]
//                [--sparsity-mode=dense|static|dynamic --sparsity 0.9
//                 --block 4x4 --updates 160 --prune-ratio 0.5
//                 --prune-decay=cosine|constant --regrow=random|gradient]
//                [--eval-every K --checkpoint-every K --resume]
//
// MODEL_DIR is a Hugging Face GPT-2 directory (config.json, and with
// --init=weights model.safetensors). Everything is written under OUT_DIR:
// log.jsonl, checkpoint/, model/ (a Hugging Face checkpoint sparse-import
// reads) and summary.json. docs/training.md describes the loop and the
// files; sxf/Training/Trainer.h is the library it runs.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/FileOutput.h"
#include "sxf/Support/ToolOptions.h"
#include "sxf/Training/Trainer.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"

#include <cmath>

using namespace llvm;
namespace tr = sxf::training;

static cl::OptionCategory category("sparse-train options");
static cl::opt<std::string> modelDir(cl::Positional,
                                     cl::desc("<Hugging Face GPT-2 directory>"),
                                     cl::Required, cl::cat(category));
static cl::opt<std::string> outDir("o", cl::desc("Output directory"),
                                   cl::value_desc("dir"), cl::Required,
                                   cl::cat(category));
static cl::opt<std::string> trainData(
    "train-data", cl::desc("Training windows: .npy [N, seq+1] token ids"),
    cl::Required, cl::cat(category));
static cl::opt<std::string> evalData(
    "eval-data", cl::desc("Held-out windows: .npy [M, seq] token ids, M a "
                          "multiple of --batch"),
    cl::Required, cl::cat(category));
static cl::opt<std::string>
    init("init",
         cl::desc("random (GPT-2's initialisation, from config.json) or "
                  "weights (start from model.safetensors)"),
         cl::init("random"), cl::cat(category));
static cl::opt<int64_t> steps("steps", cl::desc("Optimizer steps"),
                              cl::init(1000), cl::cat(category));
static cl::opt<int64_t> batch("batch", cl::desc("Sequences per step"),
                              cl::init(8), cl::cat(category));
static cl::opt<int64_t> seq("seq",
                            cl::desc("Tokens per sequence (default: the "
                                     "config's n_positions)"),
                            cl::init(0), cl::cat(category));
static cl::opt<uint64_t> seed("seed", cl::desc("Seed of the run"),
                              cl::init(0), cl::cat(category));
static cl::opt<double> lr("lr", cl::desc("Peak learning rate"), cl::init(1e-3),
                          cl::cat(category));
static cl::opt<int64_t> warmup("warmup", cl::desc("Linear warm-up steps"),
                               cl::init(0), cl::cat(category));
static cl::opt<double> minLrRatio(
    "min-lr-ratio",
    cl::desc("Learning rate at the end of the cosine decay, over the peak"),
    cl::init(0.1), cl::cat(category));
static cl::opt<double> weightDecay("weight-decay",
                                   cl::desc("AdamW's decoupled weight decay "
                                            "(linear weights only)"),
                                   cl::init(0.01), cl::cat(category));
static cl::opt<double> beta1("beta1", cl::init(0.9), cl::desc("AdamW beta1"),
                             cl::cat(category));
static cl::opt<double> beta2("beta2", cl::init(0.999),
                             cl::desc("AdamW beta2"), cl::cat(category));
static cl::opt<double> clipNorm("clip-norm",
                                cl::desc("Clip the global gradient norm to "
                                         "this (0 = no clipping)"),
                                cl::init(1.0), cl::cat(category));
static cl::opt<std::string>
    mode("sparsity-mode",
         cl::desc("dense, static (a fixed random pattern) or dynamic (prune "
                  "and regrow)"),
         cl::init("dense"), cl::cat(category));
static cl::opt<double> sparsity("sparsity",
                                cl::desc("Fraction of each layer weight "
                                         "not stored (static, dynamic)"),
                                cl::init(0.9), cl::cat(category));
static cl::opt<std::string> block("block",
                                  cl::desc("Pattern block: N (NxN) or RxC; "
                                           "1 = unstructured (csr), else bsr"),
                                  cl::init("1"), cl::cat(category));
static cl::opt<int64_t> updates("updates",
                                cl::desc("Pattern updates over the run "
                                         "(dynamic)"),
                                cl::init(160), cl::cat(category));
static cl::opt<double> pruneRatio("prune-ratio",
                                  cl::desc("Fraction of the stored blocks "
                                           "pruned at the first update"),
                                  cl::init(0.5), cl::cat(category));
static cl::opt<std::string> pruneDecay("prune-decay",
                                       cl::desc("cosine or constant"),
                                       cl::init("cosine"), cl::cat(category));
static cl::opt<std::string> regrow("regrow",
                                   cl::desc("random (Graphcore, SET) or "
                                            "gradient (RigL)"),
                                   cl::init("random"), cl::cat(category));
static cl::opt<int64_t> evalEvery("eval-every",
                                  cl::desc("Held-out perplexity every K "
                                           "steps (0 = at the end)"),
                                  cl::init(0), cl::cat(category));
static cl::opt<int64_t> checkpointEvery("checkpoint-every",
                                        cl::desc("Checkpoint every K steps "
                                                 "(0 = at the end)"),
                                        cl::init(0), cl::cat(category));
static cl::opt<int64_t> logEvery("log-every",
                                 cl::desc("Progress line every K steps"),
                                 cl::init(50), cl::cat(category));
static cl::opt<std::string> kernels("kernels",
                                    cl::desc("fast (Eigen, default) or "
                                             "reference"),
                                    cl::init("fast"), cl::cat(category));
static cl::opt<int64_t> pauseAfter(
    "pause-after",
    cl::desc("Stop after K steps of this process, with a checkpoint "
             "(continue with --resume)"),
    cl::init(0), cl::cat(category));
static cl::opt<bool> resume("resume",
                            cl::desc("Continue from OUT_DIR/checkpoint"),
                            cl::init(false), cl::cat(category));

static int fail(const Twine &msg) {
  errs() << "sparse-train: error: " << msg << "\n";
  return 1;
}

/// "N" or "RxC" with positive integers.
static std::optional<tr::BlockShape> parseBlock(StringRef s) {
  auto [r, c] = s.split('x');
  tr::BlockShape b;
  if (r.getAsInteger(10, b.rows) || b.rows < 1)
    return std::nullopt;
  if (c.empty() && !s.contains('x'))
    b.cols = b.rows;
  else if (c.getAsInteger(10, b.cols) || b.cols < 1)
    return std::nullopt;
  return b;
}

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  sxf::useErrorProgramName(argc, argv);
  sxf::reportFileSizeLimitAsError();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "sxf trainer: trains a GPT-2 model, dense or "
                              "with static or dynamic sparsity\n");
  // Each number in its range, the error naming the option (the library's
  // checks name its fields; these are the tool's spelling).
  auto finite = [](double x) { return std::isfinite(x); };
  if (steps < 1)
    return fail("--steps must be >= 1, got " + Twine(int64_t(steps)));
  if (batch < 1)
    return fail("--batch must be >= 1, got " + Twine(int64_t(batch)));
  if (seq != 0 && seq < 2)
    return fail("--seq must be >= 2 (or 0: the config's n_positions), got " +
                Twine(int64_t(seq)));
  for (auto [name, value] :
       {std::pair{"--eval-every", int64_t(evalEvery)},
        std::pair{"--checkpoint-every", int64_t(checkpointEvery)},
        std::pair{"--log-every", int64_t(logEvery)},
        std::pair{"--pause-after", int64_t(pauseAfter)},
        std::pair{"--warmup", int64_t(warmup)}})
    if (value < 0)
      return fail(Twine(name) + " must be >= 0, got " + Twine(value));
  if (!finite(lr) || lr < 0)
    return fail("--lr must be finite and >= 0, got " + formatv("{0}", double(lr)).str());
  if (!finite(minLrRatio) || minLrRatio < 0 || minLrRatio > 1)
    return fail("--min-lr-ratio must be in [0, 1], got " +
                formatv("{0}", double(minLrRatio)).str());
  if (!finite(weightDecay) || weightDecay < 0)
    return fail("--weight-decay must be finite and >= 0, got " +
                formatv("{0}", double(weightDecay)).str());
  for (auto [name, value] : {std::pair{"--beta1", double(beta1)},
                             std::pair{"--beta2", double(beta2)}})
    if (!(value >= 0 && value < 1))
      return fail(Twine(name) + " must be in [0, 1), got " +
                  formatv("{0}", value).str());
  if (!finite(clipNorm) || clipNorm < 0)
    return fail("--clip-norm must be finite and >= 0 (0: no clipping), got " +
                formatv("{0}", double(clipNorm)).str());
  // Options of a sparsity mode the run does not use are mistakes, not
  // silently ignored.
  auto given = [](const cl::Option &opt) { return opt.getNumOccurrences() > 0; };
  if (mode == "dense")
    for (const cl::Option *opt :
         {(const cl::Option *)&sparsity, (const cl::Option *)&block})
      if (given(*opt))
        return fail("--" + opt->ArgStr +
                    " needs --sparsity-mode=static or dynamic");
  if (mode != "dynamic")
    for (const cl::Option *opt :
         {(const cl::Option *)&updates, (const cl::Option *)&pruneRatio,
          (const cl::Option *)&pruneDecay, (const cl::Option *)&regrow})
      if (given(*opt))
        return fail("--" + opt->ArgStr + " needs --sparsity-mode=dynamic");
  if (mode != "dense") {
    if (!(sparsity > 0 && sparsity < 1))
      return fail("--sparsity must be in (0, 1), got " +
                  formatv("{0}", double(sparsity)).str());
  }
  if (mode == "dynamic") {
    if (updates < 1)
      return fail("--updates must be >= 1, got " + Twine(int64_t(updates)));
    if (!(pruneRatio >= 0 && pruneRatio <= 1))
      return fail("--prune-ratio must be in [0, 1], got " +
                  formatv("{0}", double(pruneRatio)).str());
    if (steps < updates + 1)
      return fail("--updates=" + Twine(int64_t(updates)) +
                  " pattern updates need at least " +
                  Twine(int64_t(updates) + 1) + " steps, --steps is " +
                  Twine(int64_t(steps)) + " (lower --updates or raise --steps)");
  }

  tr::TrainerOptions o;
  o.modelDir = modelDir;
  o.outDir = outDir;
  o.trainData = trainData;
  o.evalData = evalData;
  if (init != "random" && init != "weights")
    return fail("--init must be random or weights, got '" + init + "'");
  o.initFromWeights = init == "weights";
  o.steps = steps;
  o.batch = batch;
  o.seq = seq;
  o.seed = seed;
  o.schedule.peakLr = lr;
  o.schedule.warmupSteps = warmup;
  o.schedule.minLrRatio = minLrRatio;
  o.adamw.weightDecay = weightDecay;
  o.adamw.beta1 = beta1;
  o.adamw.beta2 = beta2;
  o.clipNorm = clipNorm;
  if (mode == "dense")
    o.sparsity = tr::SparsityMode::Dense;
  else if (mode == "static")
    o.sparsity = tr::SparsityMode::Static;
  else if (mode == "dynamic")
    o.sparsity = tr::SparsityMode::Dynamic;
  else
    return fail("--sparsity-mode must be dense, static or dynamic, got '" +
                mode + "'");
  o.pattern.sparsity = sparsity;
  std::optional<tr::BlockShape> b = parseBlock(block);
  if (!b)
    return fail("--block must be N or RxC with positive integers, got '" +
                block + "'");
  o.pattern.block = *b;
  o.pattern.numUpdates = updates;
  o.pattern.initialPruneRatio = pruneRatio;
  if (pruneDecay == "cosine")
    o.pattern.decay = tr::PruneDecay::Cosine;
  else if (pruneDecay == "constant")
    o.pattern.decay = tr::PruneDecay::Constant;
  else
    return fail("--prune-decay must be cosine or constant, got '" +
                pruneDecay + "'");
  if (regrow == "random")
    o.pattern.regrowth = tr::Regrowth::Random;
  else if (regrow == "gradient")
    o.pattern.regrowth = tr::Regrowth::Gradient;
  else
    return fail("--regrow must be random or gradient, got '" + regrow + "'");
  if (kernels != "fast" && kernels != "reference")
    return fail("--kernels must be fast or reference, got '" + kernels + "'");
  o.fastKernels = kernels == "fast";
  o.evalEvery = evalEvery;
  o.checkpointEvery = checkpointEvery;
  o.logEvery = logEvery;
  o.resume = resume;
  o.stopAfter = pauseAfter;

  Expected<tr::TrainSummary> s = tr::train(o, outs());
  if (!s)
    return fail(toString(s.takeError()));
  if (!s->finished) {
    outs() << formatv("stopped after step {0} of {1}; the checkpoint is in "
                      "{2}/checkpoint (continue with --resume)\n",
                      s->steps, int64_t(steps), outDir);
    return 0;
  }
  outs() << formatv("trained {0} steps: final loss {1:f4}, held-out "
                    "perplexity {2:f4}, {3:e3} training FLOPs, {4} of {5} "
                    "parameters stored, {6:f1} s\n",
                    s->steps, s->finalLoss, s->evalPerplexity, s->trainFlops,
                    s->parameters, s->denseParameters, s->seconds);
  return 0;
}
