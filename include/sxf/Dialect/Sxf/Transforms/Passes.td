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
    Option<"dtype", "dtype", "std::string", /*default=*/"\"f32\"",
           "Element type written: f32, f16 or bf16">,
    Option<"allowMissing", "allow-missing", "bool", /*default=*/"false",
           "Skip metadata-only weights instead of failing">,
  ];
}

#endif // SXF_DIALECT_SXF_TRANSFORMS_PASSES_TD
