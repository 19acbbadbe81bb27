//===- Trainer.h - Training a causal LM on the interpreter ------*- C++ -*-===//
//
// The training loop behind `sparse-train` (issue 16): a GPT-2 model read
// from a Hugging Face config (random initialisation) or checkpoint, its
// training step built by sxf-differentiate (buildTrainingStep), run by the
// reference interpreter (optionally with the Eigen kernels), AdamW on each
// weight's stored values, and — for a sparse run — a fixed (static) or
// evolving (dynamic: prune and regrow) pattern on every linear weight of the
// transformer layers. The model is written back as a Hugging Face GPT-2
// checkpoint that sparse-import reads.
//
//   TrainerOptions o;  o.modelDir = "models/fortunes-gpt2";  o.outDir = "out";
//   o.sparsity = SparsityMode::Dynamic;
//   o.trainData = "train.npy";  o.evalData = "eval.npy";
//   Expected<TrainSummary> s = train(o, llvm::outs());
//
// Files under outDir (nothing is written elsewhere):
//   log.jsonl          one JSON object per step {"step","loss","lr",
//                      "grad_norm","train_flops","seconds"}, and per
//                      evaluation {"step","eval_ppl","eval_nll"}
//   checkpoint/        state.safetensors + state.json: everything a resumed
//                      run needs (weights, AdamW state in stored order,
//                      patterns, step); written atomically
//   model/             config.json + model.safetensors (Hugging Face GPT-2)
//   summary.json       the run's options, final loss, perplexity and FLOPs
//
// Determinism: the batch of step t, every pattern update and the
// initialisation are functions of the seed and t alone, so a run resumed
// from its checkpoint continues exactly as the uninterrupted run would (with
// the reference kernels bit for bit).
//
//===----------------------------------------------------------------------===//

#ifndef SXF_TRAINING_TRAINER_H
#define SXF_TRAINING_TRAINER_H

#include "sxf/Support/Tensor.h"
#include "sxf/Training/Optimizer.h"
#include "sxf/Training/Sparsity.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>

namespace sxf {
namespace training {

enum class SparsityMode {
  /// Every weight dense.
  Dense,
  /// A random pattern at the start (initialPattern), kept all run.
  Static,
  /// The same start, then config.numUpdates pattern updates (prune and
  /// regrow, updatePattern) spread evenly over the run.
  Dynamic,
};

struct TrainerOptions {
  /// A Hugging Face GPT-2 directory. Its config.json gives the sizes; with
  /// initFromWeights training starts from its model.safetensors, else from
  /// GPT-2's initialisation (weights ~ N(0, 0.02), the residual output
  /// projections ~ N(0, 0.02 / sqrt(2 · layers)), biases 0, norm gains 1).
  std::string modelDir;
  bool initFromWeights = false;
  /// Sequences per step and tokens per sequence (0 = the config's
  /// n_positions). Training windows hold seq + 1 tokens.
  int64_t batch = 8;
  int64_t seq = 0;
  uint64_t seed = 0;
  /// Optimizer steps of the whole run (a resumed run continues to this).
  int64_t steps = 1000;
  /// schedule.totalSteps 0 = steps.
  LrSchedule schedule{1e-3, 0, 0, 0.1};
  AdamWOptions adamw;
  /// Clip the global gradient norm to this (0 = no clipping).
  double clipNorm = 1.0;
  SparsityMode sparsity = SparsityMode::Dense;
  /// Static and Dynamic: sparsity, block and (Dynamic) the update schedule
  /// and regrowth. A 1x1 block stores a weight as csr, a larger one as bsr
  /// with that block: the format whose stored order AdamW's state keeps.
  DynamicSparsityConfig pattern;
  /// Evaluate held-out perplexity every this many steps (0 = at the end
  /// only), and write a checkpoint every this many (0 = at the end only).
  int64_t evalEvery = 0;
  int64_t checkpointEvery = 0;
  /// Print a progress line every this many steps (0 = never).
  int64_t logEvery = 50;
  /// Eigen kernels for the linears and their backward products (see
  /// sparse-run --kernels=fast); false = the reference loops.
  bool fastKernels = true;
  /// Stop after this many steps of this process (0 = run to `steps`),
  /// writing a checkpoint that --resume continues from; not part of the
  /// options a checkpoint must match.
  int64_t stopAfter = 0;
  /// Continue from outDir/checkpoint (an error when it does not exist or
  /// was written with other options).
  bool resume = false;
  /// Token windows (.npy, integer [N, L]): training windows hold seq + 1
  /// tokens (ids are a window's first seq, targets its last seq, as in a
  /// causal LM), evaluation windows seq tokens, and their count must be a
  /// multiple of the batch. Every id must be in [0, vocab).
  std::string trainData, evalData;
  /// Where every output goes (created if missing).
  std::string outDir;
};

struct TrainSummary {
  /// Steps done (all of them, counting those before a resume).
  int64_t steps = 0;
  /// Whether the run reached `steps` (false: stopped by stopAfter; no
  /// evaluation, no model/ and no summary.json were written).
  bool finished = false;
  double finalLoss = 0;    ///< mean of the last min(50, steps) step losses
  double evalPerplexity = 0;
  double trainFlops = 0;   ///< FLOPs of the training steps run (all of them)
  double stepFlops = 0;    ///< FLOPs of one step (the stored entries only)
  double denseStepFlops = 0; ///< the same step with every weight dense
  int64_t parameters = 0;  ///< stored parameters (every weight's pattern)
  int64_t denseParameters = 0;
  double seconds = 0;      ///< wall time of this process's steps
};

/// Runs the training loop. Errors name the option, the file or the token
/// that is wrong (an id outside the vocabulary names its window and
/// position); MLIR diagnostics of the model are part of the message.
llvm::Expected<TrainSummary> train(const TrainerOptions &options,
                                   llvm::raw_ostream &progress);

/// The token-id windows of an .npy file ([N, L] integers), checked: rank 2,
/// L == `length`, N >= 1, every id in [0, vocab). `what` names the file in
/// errors ("--train-data").
llvm::Expected<IntTensor> readTokenWindows(llvm::StringRef path,
                                           llvm::StringRef what,
                                           int64_t length, int64_t vocab);

} // namespace training
} // namespace sxf

#endif // SXF_TRAINING_TRAINER_H
