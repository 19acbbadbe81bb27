//===- Passes.td - sxf conversion passes -------------------*- tablegen -*-===//
//
// Lowerings out of the sxf dialect. Each is a set of conversion patterns
// (lib/Conversion/<Name>/) driven by the dialect conversion framework with a
// ConversionTarget and a TypeConverter; the pass is only that driver.
//
// Except sxf-tile (lib/Conversion/SxfToSxfTarget/), which replaces nothing:
// it adds an sxft.program next to the sxf function and leaves the sxf ops in
// place, since the program refers to them and to their weights. Its per-op
// lowerings are the cases of an exhaustive SxfOpVisitor, not patterns.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_CONVERSION_PASSES_TD
#define SXF_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def SxfToLinalgPass : Pass<"sxf-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower sxf to linalg, with weights as sparse_tensor-encoded constants";
  let description = [{
    The exit path to MLIR's own sparse compiler. Conversion patterns
    (`populateSxfToLinalgConversionPatterns`, lib/Conversion/SxfToLinalg)
    rewrite every sxf op into `linalg`, `tensor`, `arith` and `math` ops, and
    `applyPartialConversion` checks that no sxf op is left:

    - `sxf.weight` becomes an `arith.constant` of its values as stored
      (f16/bf16 formats round); an unused weight goes;
    - `sxf.linear` becomes a `linalg.generic` contraction of its input with
      the weight, converted (`sparse_tensor.convert`) to a `sparse_tensor`
      encoding — CSR for `#sxf.format<csr>`, block-sparse (BSR) levels for
      `#sxf.format<bsr[R, C]>`, dense otherwise — followed by
      `linalg.generic` epilogues for the bias, the activation (relu; gelu,
      gelu_tanh, silu through `math`), the residual and the layer norm;
    - `sxf.layer_norm`, `sxf.rms_norm` and `sxf.softmax` become row
      reductions and elementwise generics; `sxf.activation` and `sxf.add`
      (with its suffix broadcast) elementwise generics; `sxf.matmul` a
      batched contraction; `sxf.split` `tensor.extract_slice`s;
      `sxf.embedding` a generic that gathers rows with `tensor.extract`
      (ids are not range-checked); `sxf.attention` per-head scores, masked
      (causal, pruned heads) softmax and the weighted sum of values as
      generics;
    - `sxf.encoder_layer` / `sxf.decoder_layer` are first expanded by
      `sxf-decompose`'s patterns.

    Activations must have static shapes and f32 elements (token ids i32 or
    i64); an op that cannot be converted is a located error. Then
    `mlir-opt --sparsifier` compiles the module (test/Codegen/to-linalg.test
    runs it with `mlir-runner` against the interpreter).
  }];
  let dependentDialects = ["::sxf::SxfDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::sparse_tensor::SparseTensorDialect", "::mlir::tensor::TensorDialect",
    "::mlir::arith::ArithDialect", "::mlir::math::MathDialect"];
}

def SxfLowerToEmitCPass : Pass<"sxf-lower-to-emitc", "::mlir::ModuleOp"> {
  let summary = "Lower the model to EmitC calls of the CPU kernel runtime";
  let description = [{
    Replaces the entry function by `extern "C" void sxf_forward(const
    sxf_rt::Model *, void *const *inputs, void *const *outputs, float
    *workspace, const int64_t *dims)` — one `emitc.call_opaque` per op into
    the compiled runtime `libsxf_rt` (declared in `runtime/include/sxf_rt/
    api.h`, the one header the program includes), activations at planned
    offsets of one workspace — and a `main` with sparse-run's options. The
    weights are encoded in their `#sxf.format` into the safetensors
    container `weights=` (embedded in the source as well with `embed=true`).
    `sparse-translate --sxf-to-cpp` then prints C++, which compiles in about
    a second and links libsxf_rt (docs/codegen.md).

    ```mlir
    // sparse-opt m.mlir --sxf-pipeline="target=cpu-host ..." \
    //   --sxf-lower-to-emitc="weights=m.rt.safetensors" -o low.mlir
    emitc.func @sxf_forward(...) attributes {specifiers = ["extern \"C\""]} {
      emitc.call_opaque "sxf_rt::linear"(%model, %x, %y) {args = [...]} ...
    }
    ```
  }];
  let options = [
    Option<"weights", "weights", "std::string", /*default=*/"\"\"",
           "The weights container the program loads (written here)">,
    Option<"embed", "embed", "bool", /*default=*/"false",
           "Also embed the container in the generated source">,
    Option<"entry", "entry", "std::string", /*default=*/"\"\"",
           "Entry function (default @forward or the only public one)">,
  ];
  let dependentDialects = ["::sxf::SxfDialect", "::mlir::emitc::EmitCDialect"];
}

def SxfTilePass : Pass<"sxf-tile", "::mlir::ModuleOp"> {
  let summary = "Map the model onto the units of a dataflow target (sxft)";
  let description = [{
    Builds an `sxft.program` for the entry function (docs/tiling.md): each
    linear's weight is cut into a grid of blocks balanced by nonzeros and
    placed on units, activations get layouts with exchanges between them,
    IPU steps are bulk-synchronous supersteps and RDU sections are spatial
    pipelines. When the weights and activations do not fit the units'
    SRAM, the pass warns by how many bytes and on how many units, then
    streams the weights section by section from off-chip memory — or
    fails with `require-on-chip` (also `--sxf-require-on-chip` of
    sparse-opt and sparse-sim). Works from metadata-only weights. Run after
    `sxf-decompose` (and usually `sxf-pipeline`).

    Not a dialect conversion: the sxf function stays as it is (its ops get
    `sxft.op` ids) and the program, added next to it, refers to its ops and
    weights, which the functional simulator runs it against. The per-op
    lowerings are in lib/Conversion/SxfToSxfTarget/Tiler.cpp.

    ```mlir
    // sparse-opt m.mlir --sxf-decompose --sxf-tile="target=ipu-mk2"
    sxft.program for @forward attributes {kind = "ipu", target = "ipu-mk2", ...} {
      sxft.partition @w0 of "layers.0.attn.q.weight" [64, 64] grid [46, 32] ...
      ...
    }
    ```
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "Target preset or description .json (default: the module's "
           "#sxf.target, else ipu-mk2)">,
    Option<"requireOnChip", "require-on-chip", "bool", /*default=*/"false",
           "Fail when the model does not fit on-chip instead of streaming">,
    Option<"microbatches", "microbatches", "int64_t", /*default=*/"0",
           "RDU pipeline micro-batches (0: one per stage)">,
    Option<"entry", "entry", "std::string", /*default=*/"\"\"",
           "Entry function (default @forward or the only public one)">,
    Option<"optimizer", "optimizer", "std::string", /*default=*/"\"none\"",
           "A training step's gradients: none (the program returns them) or "
           "adamw (one AdamW step on chip, the optimizer state resident)">,
    Option<"lr", "lr", "double", /*default=*/"1e-3",
           "AdamW's learning rate (optimizer=adamw)">,
    Option<"weightDecay", "weight-decay", "double", /*default=*/"0.01",
           "AdamW's decoupled weight decay (optimizer=adamw; applied to the "
           "weights linears multiply, not to embedding tables, biases or "
           "norm gains)">,
  ];
  let dependentDialects = ["::sxf::SxfDialect", "::sxf::target::SxfTargetDialect"];
}

#endif // SXF_CONVERSION_PASSES_TD
