//===- Passes.td - sxf passes ------------------------------*- tablegen -*-===//

#ifndef SXF_DIALECT_SXF_TRANSFORMS_PASSES_TD
#define SXF_DIALECT_SXF_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def SxfDecomposePass : Pass<"sxf-decompose", "::mlir::ModuleOp"> {
  let summary = "Expand composite encoder/decoder layers into primitive ops";
  let description = [{
    Rewrites every `sxf.encoder_layer` and `sxf.decoder_layer` into the
    `sxf.linear`, `sxf.attention`, `sxf.layer_norm` and `sxf.add` ops it is
    defined as, so that later passes (pruning, fusion, tiling) see every
    weight use. Semantics are unchanged; the reference interpreter gives the
    same outputs before and after.

    Before:
    ```mlir
    %y = sxf.decoder_layer %x ln1(%g1, %b1) attn(...) ln2(%g2, %b2) ffn(...)
           {heads = 4 : i64} : (...) -> tensor<1x16x64xf32>
    ```
    After:
    ```mlir
    %0 = sxf.layer_norm %x, %g1, %b1 ...
    %1 = sxf.linear %0, %wq, %bq ...
    ...
    %5 = sxf.attention %1, %2, %3 {causal, head_dim = 16 : i64, heads = 4 : i64} ...
    ```
  }];
  let dependentDialects = ["::sxf::SxfDialect"];
}

def SxfSparsityReportPass : Pass<"sxf-sparsity-report", "::mlir::ModuleOp"> {
  let summary = "Report each weight's shape, nonzeros, pattern and bytes";
  let description = [{
    For every `sxf.weight`, prints its shape, parameter count, nonzeros,
    measured density, detected pattern (N:M compliance for 2:4 and 4:8,
    block structure for 4x4, 8x8 and 16x16 blocks) and its size in bytes
    dense and in its `#sxf.format` (or CSR when it has none and is sparse),
    then the model totals. Weights with values are measured; metadata-only
    weights use their `#sxf.sparsity`.

    With `annotate`, weights with values get a `#sxf.sparsity` attribute
    holding what was measured. The IR is otherwise unchanged.
  }];
  let options = [
    Option<"output", "output", "std::string", /*default=*/"\"-\"",
           "File to write the text report to ('-' for stdout)">,
    Option<"json", "json", "std::string", /*default=*/"\"\"",
           "Also write the report as JSON to this file">,
    Option<"annotate", "annotate", "bool", /*default=*/"false",
           "Attach the measured #sxf.sparsity to weights that have values">,
  ];
}

def SxfExportWeightsPass : Pass<"sxf-export-weights", "::mlir::ModuleOp"> {
  let summary = "Write every weight to a safetensors file and reference it";
  let description = [{
    Writes the values of every `sxf.weight` (inline or from the module's
    current weights file; zeros included, under the weight's name) to
    `file`, then points the module's `sxf.weights_file` at it and drops the
    inline `value` attributes, so the printed module stays small and
    self-consistent. `sparse-opt --sxf-weights-out=FILE` runs this pass after
    the pipeline. Metadata-only weights are an error unless `allow-missing`.
  }];
  let options = [
    Option<"file", "file", "std::string", /*default=*/"\"\"",
           "Path of the safetensors file to write">,
    Option<"dtype", "dtype", "::sxf::DType", /*default=*/"::sxf::DType::F32",
           "Element type written: f32, f16 or bf16">,
    Option<"allowMissing", "allow-missing", "bool", /*default=*/"false",
           "Skip metadata-only weights instead of failing">,
  ];
}

def SxfPrunePass : Pass<"sxf-prune", "::mlir::ModuleOp"> {
  let summary = "Prune linear-layer weights (magnitude, block, N:M, Wanda, SparseGPT)";
  let description = [{
    Zeroes weights of the model's linear layers and records the result in
    each weight's `#sxf.sparsity` (pattern and measured density); the pruned
    values are stored inline (`dense_resource`), so
    `--sxf-weights-out=FILE` writes them out.

    Methods:
    - `magnitude`: drop the smallest |w| (per weight, or one threshold over
      all selected weights with `scope=global`);
    - `block`: drop the `block=BxC` blocks of smallest Frobenius norm;
    - `nm`: keep the `n` largest |w| of every `m` consecutive inputs;
    - `wanda`: score |w_ij|·‖X_j‖₂ within each output row (Sun et al. 2023);
    - `sparsegpt`: one-shot OBS reconstruction from the inverse Hessian of
      the layer inputs, in lazy column blocks of `blocksize` (Frantar &
      Alistarh 2023).
    `wanda` and `sparsegpt` take calibration inputs (`calib=inputs.npy`: an
    array of token ids [samples, seq], or `calib=random`) and run the
    reference interpreter layer by layer: each layer is calibrated on the
    outputs of the already-pruned layers before it. With `n`/`m` they prune
    to N:M. `granularity=neuron|head` (magnitude) removes whole FFN neurons
    (a row of fc1, its bias and a column of fc2) or attention heads (slices
    of Q, K, V, O and the attention's `keep_heads`), for later fusion to
    delete; it needs primitive ops (`sxf-decompose` first).

    By default every linear weight is pruned except embedding tables (and
    an LM head tied to one) and linears that produce a function result;
    `weights=REGEX` selects by name instead, `exclude=REGEX` removes names.
    On metadata-only weights the data-free methods record the resulting
    statistics; `wanda` and `sparsegpt` report that they need values.

    `out=FILE.safetensors` prunes models larger than memory: every weight of
    the module goes to FILE (the bytes `--sxf-weights-out=FILE` would write
    after an inline run), each pruned weight as soon as it is final, the
    others copied through at the end; the module's `sxf.weights_file` then
    names FILE and no weight keeps an inline value. Peak memory is about one
    layer's weights plus the calibration activations (`scope=global` and
    `granularity=neuron|head` still hold every selected weight).

    ```mlir
    // sparse-opt m.mlir --sxf-prune="method=nm n=2 m=4"
    %w = sxf.weight "layers.0.attn.q.weight"
           {sparsity = #sxf.sparsity<nm[2, 4]>, value = dense_resource<...>}
           : tensor<64x64xf32>
    ```
  }];
  let options = [
    Option<"method", "method", "::sxf::prune::Method",
           /*default=*/"::sxf::prune::Method::Magnitude",
           "magnitude, block, nm, wanda or sparsegpt">,
    Option<"sparsity", "sparsity", "double", /*default=*/"0.5",
           "Fraction of entries (blocks, neurons, heads) removed, in [0, 1)">,
    Option<"scope", "scope", "::sxf::prune::Scope",
           /*default=*/"::sxf::prune::Scope::Layer",
           "layer (a threshold per weight) or global (one for all)">,
    Option<"block", "block", "std::string", /*default=*/"\"\"",
           "Block shape for method=block: B or BxC">,
    Option<"n", "n", "unsigned", /*default=*/"0", "N of N:M">,
    Option<"m", "m", "unsigned", /*default=*/"0", "M of N:M">,
    Option<"calib", "calib", "std::string", /*default=*/"\"\"",
           "Calibration inputs (.npy of token ids [samples, seq]) or 'random'">,
    Option<"samples", "samples", "int64_t", /*default=*/"128",
           "Number of calibration samples used">,
    Option<"seed", "seed", "uint64_t", /*default=*/"0",
           "Seed for calib=random">,
    Option<"damp", "damp", "double", /*default=*/"0.01",
           "SparseGPT dampening: lambda = damp * mean(diag H)">,
    Option<"blocksize", "blocksize", "int64_t", /*default=*/"128",
           "SparseGPT lazy-update column block">,
    Option<"granularity", "granularity", "::sxf::prune::Granularity",
           /*default=*/"::sxf::prune::Granularity::Element",
           "element, neuron or head">,
    Option<"weights", "weights", "std::string", /*default=*/"\"\"",
           "Regex of weight names to prune (default: all linear weights "
           "but embeddings and output heads)">,
    Option<"exclude", "exclude", "std::string", /*default=*/"\"\"",
           "Regex of weight names never pruned">,
    Option<"out", "out", "std::string", /*default=*/"\"\"",
           "Stream every weight to this safetensors file as it is pruned "
           "(instead of inline values) and reference it">,
    Option<"outDType", "out-dtype", "::sxf::DType",
           /*default=*/"::sxf::DType::F32",
           "Element type out= writes: f32, f16 or bf16">,
  ];
  let dependentDialects = ["::sxf::SxfDialect"];
}

def SxfSelectFormatPass : Pass<"sxf-select-format", "::mlir::ModuleOp"> {
  let summary = "Choose each weight's storage format with the target's cost model";
  let description = [{
    For every weight of a linear layer, enumerates the formats that can hold
    it (dense, CSR, CSC, COO, ELL, BSR with 4x4/8x8/16x16 blocks that divide
    it, N:M for the patterns it complies with; index widths chosen from its
    dimensions), estimates each on `target` with the shared cost model
    (roofline of the stored FLOPs at the format's sustained efficiency
    against the bytes moved from where the weights live), and picks the best
    for `objective`. Records `format = #sxf.format<...>` and
    `sxf.cost = {target, seconds, bytes, joules}` on the weight; `report=`
    prints every weight's decision and why. Weights are measured when they
    have values, else described by their `#sxf.sparsity`.

    `max-bytes` bounds the total bytes of the selected weights: the weights
    that save the most bytes per second of added time move to their
    smallest format until the model fits (or the pass fails, saying by how
    much).

    ```mlir
    // sparse-opt m.mlir --sxf-select-format="target=cpu-host"
    %w = sxf.weight "layers.0.ffn.fc1.weight"
           {format = #sxf.format<csr, value = f32, index = 32>,
            sxf.cost = {bytes = 1234 : i64, joules = ..., seconds = ...,
                        target = "cpu-host"}, ...}
    ```
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "Target preset (ipu-mk2, ipu-pod16, rdu-sn10, cpu-host) or a "
           "target description .json (default: the module's #sxf.target, "
           "else cpu-host); recorded on the module as sxf.target">,
    Option<"objective", "objective", "::sxf::Objective",
           /*default=*/"::sxf::Objective::Latency",
           "latency, memory or energy">,
    Option<"maxBytes", "max-bytes", "int64_t", /*default=*/"-1",
           "Byte budget for all selected weights (-1: none)">,
    Option<"valueType", "value", "::sxf::DType", /*default=*/"::sxf::DType::F32",
           "Stored value type: f32, f16 or bf16">,
    Option<"report", "report", "std::string", /*default=*/"\"\"",
           "Write the per-weight decisions to this file ('-' for stdout)">,
  ];
  let dependentDialects = ["::sxf::SxfDialect"];
}

def SxfEliminateDeadPass : Pass<"sxf-eliminate-dead", "::mlir::ModuleOp"> {
  let summary = "Remove pruned FFN neurons and attention heads";
  let description = [{
    Shrinks the weights around structure that pruning made dead, keeping
    the model's outputs unchanged:

    - an FFN neuron f of fc1 -> [activation] -> fc2 is dead when row f of
      fc1's weight is all zero, its bias is zero and the activation maps 0
      to 0 (relu, gelu, gelu_tanh, silu all do), or when column f of fc2's
      weight is all zero: row f of fc1 (and its bias) and column f of fc2
      go;
    - a head of an `sxf.attention` whose `keep_heads` entry is false
      produces zeros: its rows of the q, k and v projections (and biases)
      and its columns of the output projection go, and the attention loses
      the head.

    The weights keep their names; their new values are stored inline. A
    weight shared with another op is left alone (the pattern says so with
    `-debug`). Run after `sxf-prune` (granularity=neuron|head) and before
    `sxf-select-format`; `sxf-decompose` must come first.
  }];
  let dependentDialects = ["::sxf::SxfDialect"];
}

def SxfFusePass : Pass<"sxf-fuse", "::mlir::ModuleOp"> {
  let summary = "Fuse epilogues into linears and sibling linears into one";
  let description = [{
    Epilogue fusion folds into the producing `sxf.linear`: a following
    `sxf.activation`, a following `sxf.add` of a bias vector, and a
    following residual `sxf.add` (the `residual` operand), so activations do
    not round-trip through memory.

    Horizontal fusion merges linears that read the same input (Q, K, V; gate
    and up projections) into one linear over the weights concatenated along
    the output features, followed by an `sxf.split`. It only does so when
    the merged weight keeps a legal format that costs no more on `target`
    than the separate ones (the same cost model as `sxf-select-format`):
    weights whose formats differ, or whose merged storage would cost more,
    are left apart, and the pattern says why. The merged weight's name joins
    the parts' names with `+`.

    Run after `sxf-select-format` (fusion decisions depend on formats) in
    `sxf-pipeline`.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "Target whose cost model decides horizontal fusion and whether a "
           "layer norm can join an epilogue (default: the module's "
           "#sxf.target, else cpu-host)">,
    Option<"epilogue", "epilogue", "bool", /*default=*/"true",
           "Fuse activations, biases and residual adds">,
    Option<"horizontal", "horizontal", "bool", /*default=*/"true",
           "Fuse linears that share their input">,
  ];
  let dependentDialects = ["::sxf::SxfDialect"];
}

def SxfDifferentiatePass : Pass<"sxf-differentiate", "::mlir::ModuleOp"> {
  let summary = "Build a training step (loss and weight gradients) from a forward function";
  let description = [{
    Reverse-mode differentiation in the IR. Adds a public function `name`
    (default `@train_step`) next to the forward function `entry` (default
    `@forward`, else the only public function); the forward function is left
    as it is. The training step takes the forward function's arguments plus
    `targets`, token ids shaped like the forward result without its last
    dimension, and returns the mean cross-entropy of the forward result (the
    logits: its last dimension is the vocabulary) against the targets, then
    the gradient of that loss with respect to every weight the loss depends
    on, one result per weight name in order of first use, each marked
    `sxf.gradient_of = "<weight name>"`.

    Its body is the forward computation (composite layers decomposed, fused
    linear epilogues split back into `sxf.activation`, `sxf.add` and
    `sxf.layer_norm`, so that the values the backward ops need exist), then
    `sxf.cross_entropy` and `sxf.cross_entropy_grad`, then one backward op or
    a few per forward op in reverse order (`docs/training.md` lists the rule
    of each op). A weight's gradient exists only at the positions its storage
    format stores (`sxf.linear_grad_weight`); gradients of a weight used
    twice (a tied embedding and LM head) are summed.

    Errors: no such entry, a name already taken, a forward function with
    other than one float result of rank ≥ 1, and ops without a reverse rule
    (`sxf.kv_append`: differentiate the prefill function, which has no
    cache; backward ops themselves).

    ```
    sparse-opt model.mlir --sxf-differentiate
    sparse-opt model.mlir --sxf-differentiate="entry=forward name=step"
    ```
  }];
  let options = [
    Option<"entry", "entry", "std::string", /*default=*/"\"\"",
           "Forward function (default: @forward, else the only public one)">,
    Option<"name", "name", "std::string", /*default=*/"\"train_step\"",
           "Name of the training-step function to add">,
  ];
  let dependentDialects = ["::sxf::SxfDialect"];
}

def SxfCostReportPass : Pass<"sxf-cost-report", "::mlir::ModuleOp"> {
  let summary = "Report FLOPs and bytes moved per layer";
  let description = [{
    Counts, per layer of the entry function, the FLOPs its ops perform
    (sparse weights in a sparse #sxf.format count their nonzeros) and the
    bytes they move: weights in their format (dense f32 without one) and
    activations read and written in f32. Fused ops do not move what they
    fused away, so running it before and after `sxf-fuse` measures fusion
    (docs/measurements.md). The IR is unchanged.
  }];
  let options = [
    Option<"output", "output", "std::string", /*default=*/"\"-\"",
           "File for the text report ('-' for stdout)">,
    Option<"json", "json", "std::string", /*default=*/"\"\"",
           "Also write the report as JSON here">,
  ];
}

#endif // SXF_DIALECT_SXF_TRANSFORMS_PASSES_TD
