//===- ModelGen.h - Building transformer models in the sxf dialect -*- C++ -*-===//
//
// Builds a ready-to-run sxf module for a BERT-style encoder or a GPT-style
// decoder from a handful of sizes, with random weights (written to a
// safetensors file or inline) or none (metadata only). Used by sparse-gen and
// by tests that need models of odd sizes.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_MODELGEN_MODELGEN_H
#define SXF_MODELGEN_MODELGEN_H

#include "sxf/Support/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sxf {

enum class Arch { Bert, Gpt };

/// Activation of the FFN (the sxf ActivationKind spelling).
enum class FfnActivation { Default, Relu, Gelu, GeluTanh, Silu };

struct ModelConfig {
  std::string name = "custom";
  Arch arch = Arch::Gpt;
  int64_t layers = 2, hidden = 64, heads = 4, ffn = 256, seq = 16,
          vocab = 128, batch = 1;
  /// Rows of the position table (>= seq; 0 = seq).
  int64_t maxPositions = 0;
  /// Default: gelu for BERT, gelu_tanh for GPT.
  FfnActivation activation = FfnActivation::Default;
  /// Layer-norm epsilon; < 0 = the architecture's (1e-12 BERT, 1e-5 GPT).
  double epsilon = -1.0;
  /// GPT: the LM head reuses the token embedding (true) or has its own
  /// weight "lm_head.weight" (false).
  bool tiedHead = true;
};

/// Names of the built-in presets, in the order they are documented.
std::vector<std::string> presetNames();
/// The sizes of a preset ("tiny", "tiny-bert", "bert-base", "bert-large",
/// "gpt2-small", "gpt-13b"). Error lists the valid names.
llvm::Expected<ModelConfig> presetConfig(llvm::StringRef name);
/// Checks sizes are positive and consistent (heads divide hidden, ...).
llvm::Error validateConfig(const ModelConfig &config);
/// Parameter count of the model the config describes.
int64_t parameterCount(const ModelConfig &config);

enum class WeightInit { Random, None };

struct GenOptions {
  WeightInit init = WeightInit::Random;
  uint64_t seed = 0;
  /// Where to write the safetensors file; empty = store values inline.
  std::string weightsPath;
  /// What the module records as `sxf.weights_file` (usually the file name
  /// relative to the .mlir file). Defaults to weightsPath.
  std::string weightsRef;
  /// The element type the weights are stored in (f32, f16 or bf16): the
  /// weights file's dtype, and, unless f32, every weight's
  /// `#sxf.format<dense, value = ...>`, so that a metadata-only model
  /// records it too.
  DType dtype = DType::F32;
  /// Emit sxf.encoder_layer/decoder_layer (true) or primitive ops.
  bool composite = true;
  /// GPT only, primitive ops: a decode step over a KV cache of `decodePast`
  /// positions (>= 1; -1 = no). The entry takes the new tokens' ids
  /// ([batch, seq], seq new tokens, usually 1) and, per layer L, the cached
  /// keys and values `past_key.L` / `past_value.L` ([batch, past, hidden]);
  /// each layer appends its new rows with sxf.kv_append and attends over
  /// the result, and the embedding reads positions from `past` on
  /// (`position_offset`). Results: the logits, then per layer the new rows
  /// of the cache `present_key.L` / `present_value.L` ([batch, seq,
  /// hidden]), which the caller appends to its cache for the next step.
  /// The positions table needs past + seq rows.
  int64_t decodePast = -1;
  /// GPT only, primitive ops: the prefill entry also returns every layer's
  /// keys and values (`present_key.L` / `present_value.L`, [batch, seq,
  /// hidden]): the cache a decode step continues from.
  bool returnCache = false;
};

/// Builds the module (and writes the weights file when requested).
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
generateModel(mlir::MLIRContext *ctx, const ModelConfig &config,
              const GenOptions &options);

/// The random values sparse-gen gives a weight: N(0, 0.02²) (GPT-2's
/// initialisation) with ~1% of the input channels of every matrix scaled by
/// 6 (the outlier features of trained transformers, Dettmers et al. 2022);
/// layer-norm gains N(1, 0.02²). Deterministic in (seed, name).
Tensor randomWeight(llvm::StringRef name, const std::vector<int64_t> &shape,
                    uint64_t seed, bool isNormGain);

} // namespace sxf

#endif // SXF_MODELGEN_MODELGEN_H
