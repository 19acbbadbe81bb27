//===- HuggingFace.h - Importing Hugging Face checkpoints -------*- C++ -*-===//
//
// Maps a Hugging Face GPT-2 or BERT checkpoint directory (config.json +
// model.safetensors) to an sxf module whose weights are converted to sxf's
// layout ([out, in] linears, q/k/v split) and written to a new safetensors
// file. Malformed or inconsistent checkpoints are rejected with an error
// naming the file, the tensor or config field, and the expected value.
//
// The inverse for GPT-2, exportGpt2, writes sxf weights as a checkpoint
// directory that importHuggingFace (sparse-import) and Hugging Face's
// GPT2LMHeadModel.from_pretrained read. Both directions walk one table,
// gpt2TensorMapping.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_IMPORT_HUGGINGFACE_H
#define SXF_IMPORT_HUGGINGFACE_H

#include "sxf/ModelGen/ModelGen.h"
#include "sxf/Support/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

#include <map>
#include <string>
#include <vector>

namespace sxf {

struct ImportOptions {
  /// Sequence length of the model's input (0 = the checkpoint's
  /// n_positions / max_position_embeddings).
  int64_t seq = 0;
  int64_t batch = 1;
  /// Where to write the converted weights, and what the module records.
  std::string weightsPath;
  std::string weightsRef;
  DType dtype = DType::F32;
  bool composite = true;
};

struct ImportResult {
  mlir::OwningOpRef<mlir::ModuleOp> module;
  /// Checkpoint tensors that the sxf model does not use (pooler, heads).
  std::vector<std::string> ignored;
  /// Decisions about the checkpoint the user should know of (a stored LM
  /// head that a tied config overrides, heads that are not imported).
  std::vector<std::string> notes;
  std::string modelType;
};

llvm::Expected<ImportResult> importHuggingFace(mlir::MLIRContext *ctx,
                                               llvm::StringRef dir,
                                               const ImportOptions &options);

/// Reads DIR/config.json alone (no weights) with the checks and the errors
/// of importHuggingFace: model_type gpt2 or bert, the sizes, the epsilon,
/// the activation, tie_word_embeddings, and the refused options. Sets arch,
/// hidden, heads, layers, vocab, ffn, epsilon (the file's or HF's default,
/// never < 0), maxPositions (n_positions / max_position_embeddings),
/// activation (never Default), tiedHead (as read; only GPT uses it), name
/// (DIR's last component), seq = maxPositions and batch = 1.
llvm::Expected<ModelConfig> readHuggingFaceConfig(llvm::StringRef dir);

/// How one Hugging Face GPT-2 tensor becomes sxf tensors (import) and back
/// (export).
enum class HfTransform {
  /// sxf tensor = HF tensor (embeddings, layer norms, biases, lm_head).
  AsIs,
  /// HF Conv1D weight [in, out] (y = x W + b) -> sxf [out, in].
  Transpose,
  /// c_attn.weight [H, n*H]: sxf tensor i (q, k, v) is column block
  /// [i*H, (i+1)*H) transposed, [H, H].
  SplitColumnsTransposed,
  /// c_attn.bias [n*H]: sxf tensor i is the slice [i*H, (i+1)*H).
  SplitSlices,
};

/// One entry of the GPT-2 correspondence.
struct HfTensorMapping {
  /// The hub name ("h.0.attn.c_attn.weight"), without "transformer.".
  std::string hfName;
  std::vector<int64_t> hfShape;
  HfTransform transform = HfTransform::AsIs;
  /// One name, or q, k, v for the split transforms, in HF's order.
  std::vector<std::string> sxfNames;
  /// The shape of every sxf tensor of the entry.
  std::vector<int64_t> sxfShape;
  /// A task head stored beside the (possibly "transformer."-prefixed)
  /// body: "lm_head.weight", looked up without the prefix.
  bool unprefixed = false;
};

/// The GPT-2 correspondence for a config's sizes (H = hidden, F = ffn,
/// V = vocab, P = maxPositions, or seq when maxPositions is 0), in the
/// order import reads the tensors:
///   wte.weight [V,H] -> embed.tokens.weight [V,H]
///   wpe.weight [P,H] -> embed.positions.weight [P,H]
///   per layer L ("h.L." -> "layers.L."):
///     ln_1.weight/bias [H] -> ln1.weight/bias
///     attn.c_attn.weight [H,3H] -> attn.{q,k,v}.weight [H,H] (columns,
///                                  transposed)
///     attn.c_attn.bias [3H] -> attn.{q,k,v}.bias [H]
///     attn.c_proj.weight [H,H] -> attn.o.weight (transposed); .bias [H]
///     ln_2.weight/bias [H] -> ln2.weight/bias
///     mlp.c_fc.weight [H,F] -> ffn.fc1.weight [F,H]; .bias [F]
///     mlp.c_proj.weight [F,H] -> ffn.fc2.weight [H,F]; .bias [H]
///   ln_f.weight/bias [H] -> final_ln.weight/bias
///   lm_head.weight [V,H] -> lm_head.weight, only when !tiedHead
/// A tied head has no entry (it is the token embedding).
std::vector<HfTensorMapping> gpt2TensorMapping(const ModelConfig &config);

/// Writes an sxf GPT model as a Hugging Face GPT-2 checkpoint directory:
///
///   DIR/config.json        model_type "gpt2", architectures
///       ["GPT2LMHeadModel"], n_embd, n_head, n_layer, n_positions (=
///       maxPositions, or seq when 0), n_ctx (= n_positions), vocab_size,
///       n_inner (= ffn), layer_norm_epsilon (1e-5 when config.epsilon < 0),
///       activation_function (GeluTanh and Default: "gelu_new", Gelu:
///       "gelu", Relu: "relu", Silu: "silu"), tie_word_embeddings
///       (= tiedHead), torch_dtype "float32";
///   DIR/model.safetensors  F32, the hub names of gpt2TensorMapping without
///       the "transformer." prefix, HF's layouts (Conv1D [in, out], c_attn
///       = q|k|v columns), an untied head as "lm_head.weight" [V, H];
///       metadata format "pt".
///
/// `weights` maps sxf names to fp32 tensors in sxf's layout ([out, in]
/// linears, q/k/v apart): exactly the names gpt2TensorMapping lists, each
/// of its sxfShape. Values are copied bit for bit (NaN and infinities
/// included: they are not checked).
///
/// Everything is checked before the file system is touched. Errors: a
/// config that is not Arch::Gpt, whose sizes are invalid (validateConfig)
/// or whose epsilon is 0, NaN or infinite (import would refuse the
/// checkpoint); a missing sxf weight, a weight of the wrong shape (both
/// name the weight, the expected shape and the HF tensor); a weight the
/// mapping has no place for (a stored lm_head.weight with tiedHead, a BERT
/// weight); any file-system failure (naming the path).
///
/// DIR is created when missing, with its parents (like mkdir -p); it may
/// hold other files, which are left alone. Only DIR/config.json and
/// DIR/model.safetensors are written, each to a temporary file beside it
/// renamed into place when complete (sxf/Support/FileOutput.h), so a
/// failure leaves an existing file as it was. Nothing is written outside
/// DIR: when either name exists as anything but a regular file (a symbolic
/// link, a directory, a device; checked just before writing) the export is
/// refused. The weights are written first, then config.json: a failure
/// writing config.json (a full disk) leaves the new model.safetensors beside
/// the directory's previous config.json, if it had one.
llvm::Error exportGpt2(const ModelConfig &config,
                       const std::map<std::string, Tensor> &weights,
                       llvm::StringRef dir);

} // namespace sxf

#endif // SXF_IMPORT_HUGGINGFACE_H
