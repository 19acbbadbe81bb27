//===- SxfOps.td - sxf operations --------------------------*- tablegen -*-===//
//
// Ops of the sxf dialect: weights, the primitive layers of a transformer, the
// gradient and loss ops of training, and two composite layers that
// `sxf-decompose` expands.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_DIALECT_SXF_IR_SXFOPS_TD
#define SXF_DIALECT_SXF_IR_SXFOPS_TD

include "sxf/Dialect/Sxf/IR/SxfBase.td"
include "sxf/Dialect/Sxf/IR/SxfAttrs.td"
include "sxf/Dialect/Sxf/IR/SxfInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Sxf_FloatTensor : RankedTensorOf<[AnyFloat]>;
def Sxf_IdTensor : RankedTensorOf<[I32, I64]>;

/// A primitive compute op: priced through CostOpInterface.
defvar Sxf_Cost = DeclareOpInterfaceMethods<Sxf_CostOpInterface>;

/// An op whose result type follows from its operands (InferTypeOpInterface):
/// builders need no result type, and a declared result type must be
/// compatible with the inferred one (same rank, equal static extents; a
/// dynamic extent on either side matches). Ops with SameOperandsAndResultType
/// take plain InferTypeOpInterface, whose inference ODS generates.
defvar Sxf_InferShape = InferTypeOpAdaptorWithIsCompatible;

/// Ops whose only property is a pure function of their operands.
class Sxf_PureOp<string mnemonic, list<Trait> traits = []>
    : Sxf_Op<mnemonic, !listconcat([Pure], traits)> {
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// sxf.weight
//===----------------------------------------------------------------------===//

def Sxf_WeightOp : Sxf_PureOp<"weight"> {
  let summary = "A named weight tensor of the model";
  let description = [{
    Produces the weight tensor called `name` in the model. Its values come
    from the inline `value` attribute when present, else from the module's
    `sxf.weights_file` (a safetensors file, looked up by `name`), else the
    weight is metadata only (see the dialect description).

    `sparsity` records the structure of the nonzeros (set by `sparse-gen`,
    the pruning passes or `sxf-sparsity-report` on a measured weight) and
    `format` the chosen storage format. Both must agree with the shape: a
    block must divide it, M of an N:M pattern must divide the input features
    (the last dimension, for a weight laid out `[out, in]`).

    ```mlir
    %w = sxf.weight "layers.0.attn.q.weight"
           {sparsity = #sxf.sparsity<nm[2, 4]>,
            format = #sxf.format<nm[2, 4], value = f16, index = 8>}
           : tensor<768x768xf32>
    %b = sxf.weight "bias" {value = dense<[1.0, 2.0]> : tensor<2xf32>}
           : tensor<2xf32>
    ```
  }];
  let arguments = (ins StrAttr:$name,
                       OptionalAttr<ElementsAttr>:$value,
                       OptionalAttr<Sxf_SparsityAttr>:$sparsity,
                       OptionalAttr<Sxf_FormatAttr>:$format);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = "$name attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Primitive layers
//===----------------------------------------------------------------------===//

def Sxf_LinearOp : Sxf_PureOp<"linear", [AttrSizedOperandSegments, Sxf_Cost,
    Sxf_InferShape]> {
  let summary = "x·Wᵀ + b with an optional fused activation and residual";
  let description = [{
    `result = norm(act(input · weightᵀ + bias) + residual)`, i.e.
    `y[..., o] = act(Σ_i input[..., i] · weight[o, i] + bias[o])
    + residual[..., o]`, then, with `norm(gamma, beta)`, layer
    normalisation of y over its last dimension with `norm_epsilon`. The
    weight is laid out `[out_features, in_features]` as in PyTorch and
    Hugging Face checkpoints; the input has any rank ≥ 1 and its last
    dimension is `in_features`. The optional `residual` (same type as the
    result) and `norm` are epilogues `sxf-fuse` folds in from a following
    `sxf.add` and `sxf.layer_norm`. FLOPs: 2 · rows · in · out ·
    density(weight).

    ```mlir
    %y = sxf.linear %x, %w, %b activation gelu
           : (tensor<1x16x64xf32>, tensor<256x64xf32>, tensor<256xf32>)
           -> tensor<1x16x256xf32>
    %z = sxf.linear %h, %w2, %b2 residual(%x)
           : (tensor<1x16x256xf32>, tensor<64x256xf32>, tensor<64xf32>,
              tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$input, Sxf_FloatTensor:$weight,
                       Optional<Sxf_FloatTensor>:$bias,
                       Optional<Sxf_FloatTensor>:$residual,
                       Optional<Sxf_FloatTensor>:$norm_gamma,
                       Optional<Sxf_FloatTensor>:$norm_beta,
                       OptionalAttr<Sxf_ActivationKind>:$activation,
                       OptionalAttr<F32Attr>:$norm_epsilon);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? (`residual` `(` $residual^ `)`)?
    (`norm` `(` $norm_gamma^ `,` $norm_beta `)`)?
    (`activation` $activation^)? attr-dict
    `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// FLOPs of the epilogue applied to the product, in its one order:
    /// bias, activation, residual (then the norm, getNormFlops).
    double getEpilogueFlops();
    /// FLOPs of the fused layer normalisation (0 without `norm`).
    double getNormFlops();
  }];
  let hasFolder = 1;
}

def Sxf_SplitOp : Sxf_PureOp<"split",
    [DeclareOpInterfaceMethods<Sxf_CostOpInterface, ["getActivationBytes"]>]> {
  let summary = "Split the last dimension into consecutive pieces";
  let description = [{
    The inverse of concatenating along the last dimension: result i holds
    the next `size(result i)` entries of every row. `sxf-fuse` uses it after
    a horizontally fused linear (Q, K, V computed by one matmul).

    ```mlir
    %q, %k, %v = sxf.split %qkv : tensor<1x16x192xf32>
                   -> tensor<1x16x64xf32>, tensor<1x16x64xf32>, tensor<1x16x64xf32>
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$input);
  let results = (outs Variadic<Sxf_FloatTensor>:$results);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($results)";
  let hasFolder = 1;
}

def Sxf_MatmulOp : Sxf_PureOp<"matmul", [Sxf_Cost]> {
  let summary = "Batched activation × activation product (QKᵀ, PV)";
  let description = [{
    `result = scale · op(lhs) · op(rhs)` over the trailing two dimensions,
    where `op` transposes when `transpose_lhs` / `transpose_rhs` is set. The
    leading (batch) dimensions of both operands must be equal.

    ```mlir
    %s = sxf.matmul %q, %k {transpose_rhs, scale = 0.125 : f32}
           : (tensor<2x16x64xf32>, tensor<2x16x64xf32>) -> tensor<2x16x16xf32>
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$lhs, Sxf_FloatTensor:$rhs,
                       UnitAttr:$transpose_lhs, UnitAttr:$transpose_rhs,
                       OptionalAttr<F32Attr>:$scale);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def Sxf_AttentionOp : Sxf_PureOp<"attention", [Sxf_Cost]> {
  let summary = "Multi-head scaled dot-product attention";
  let description = [{
    Takes already projected queries, keys and values of shape
    `[batch, seq, heads·head_dim]` (keys and values may have another sequence
    length) and computes, per head h,
    `softmax(q_h · k_hᵀ / √head_dim + mask) · v_h`, concatenating the heads.
    With `causal`, query i attends to keys j ≤ i + (kv_len − seq). The
    optional `keep_heads` mask (one bool per head) marks pruned heads, which
    produce zeros.

    ```mlir
    %a = sxf.attention %q, %k, %v {heads = 12 : i64, head_dim = 64 : i64, causal}
           : (tensor<1x128x768xf32>, tensor<1x128x768xf32>, tensor<1x128x768xf32>)
           -> tensor<1x128x768xf32>
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$query, Sxf_FloatTensor:$key,
                       Sxf_FloatTensor:$value,
                       ConfinedAttr<I64Attr, [IntPositive]>:$heads,
                       ConfinedAttr<I64Attr, [IntPositive]>:$head_dim,
                       UnitAttr:$causal,
                       OptionalAttr<DenseBoolArrayAttr>:$keep_heads);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = [{
    $query `,` $key `,` $value attr-dict `:` functional-type(operands, results)
  }];
}

def Sxf_SoftmaxOp : Sxf_PureOp<"softmax", [SameOperandsAndResultType, Sxf_Cost,
    InferTypeOpInterface]> {
  let summary = "Softmax along one axis";
  let description = [{
    `result = exp(x − max) / Σ exp(x − max)` along `axis` (negative values
    count from the end; default −1).

    ```mlir
    %p = sxf.softmax %s {axis = -1 : i64} : tensor<2x16x16xf32>
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Sxf_LayerNormOp : Sxf_PureOp<"layer_norm", [Sxf_Cost, Sxf_InferShape]> {
  let summary = "Layer normalisation over the last dimension";
  let description = [{
    `result = (x − mean) / √(var + epsilon) · gamma + beta` over the last
    dimension, with the biased variance (as PyTorch's `LayerNorm`).

    ```mlir
    %n = sxf.layer_norm %x, %g, %b {epsilon = 1.0e-05 : f32}
           : (tensor<1x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$input, Sxf_FloatTensor:$gamma,
                       Sxf_FloatTensor:$beta,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $gamma `,` $beta attr-dict `:` functional-type(operands, results)
  }];
}

def Sxf_RmsNormOp : Sxf_PureOp<"rms_norm", [Sxf_Cost, Sxf_InferShape]> {
  let summary = "Root-mean-square normalisation over the last dimension";
  let description = [{
    `result = x / √(mean(x²) + epsilon) · gamma` over the last dimension.

    ```mlir
    %n = sxf.rms_norm %x, %g {epsilon = 1.0e-06 : f32}
           : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$input, Sxf_FloatTensor:$gamma,
                       DefaultValuedAttr<F32Attr, "1.0e-6">:$epsilon);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $gamma attr-dict `:` functional-type(operands, results)
  }];
}

def Sxf_ActivationOp : Sxf_PureOp<"activation", [SameOperandsAndResultType,
    Sxf_Cost, InferTypeOpInterface]> {
  let summary = "Elementwise activation (relu, gelu, gelu_tanh, silu)";
  let description = [{
    `gelu` is the exact form `0.5·x·(1 + erf(x/√2))`, `gelu_tanh` the tanh
    approximation used by GPT-2, `silu` is `x·sigmoid(x)`.

    ```mlir
    %y = sxf.activation gelu %x : tensor<1x16x256xf32>
    ```
  }];
  let arguments = (ins Sxf_ActivationKind:$kind, Sxf_FloatTensor:$input);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = "$kind $input attr-dict `:` type($input)";
}

def Sxf_AddOp : Sxf_PureOp<"add", [Sxf_Cost, Sxf_InferShape]> {
  let summary = "Elementwise addition (residual connections)";
  let description = [{
    `result = lhs + rhs`. The shape of `rhs` equals that of `lhs` or is a
    suffix of it, in which case `rhs` is broadcast over the leading
    dimensions. The result has the type of `lhs`.

    ```mlir
    %r = sxf.add %x, %y : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$lhs, Sxf_FloatTensor:$rhs);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def Sxf_EmbeddingOp : Sxf_PureOp<"embedding", [Sxf_Cost]> {
  let summary = "Token (and optional position) embedding lookup";
  let description = [{
    `result[b, s, :] = table[ids[b, s], :] + positions[position_offset + s, :]`.
    `table` is `[vocab, hidden]`; the optional `positions` table is
    `[max_seq, hidden]` and needs at least `position_offset + seq` rows.
    `position_offset` (default 0, never negative, only with a positions
    table) is the position of the first id: a decode step over a KV cache of
    P positions embeds its new token at position P. Ids outside
    `[0, vocab)` are a run-time error of the interpreter.

    ```mlir
    %h = sxf.embedding %ids, %wte, %wpe
           : (tensor<1x16xi32>, tensor<128x64xf32>, tensor<16x64xf32>) -> tensor<1x16x64xf32>
    // One new token after 15 cached positions.
    %t = sxf.embedding %id, %wte, %wpe {position_offset = 15 : i64}
           : (tensor<1x1xi32>, tensor<128x64xf32>, tensor<16x64xf32>) -> tensor<1x1x64xf32>
    ```
  }];
  let arguments = (ins Sxf_IdTensor:$ids, Sxf_FloatTensor:$table,
                       Optional<Sxf_FloatTensor>:$positions,
                       DefaultValuedAttr<I64Attr, "0">:$position_offset);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = [{
    $ids `,` $table (`,` $positions^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def Sxf_KvAppendOp : Sxf_PureOp<"kv_append", [Sxf_Cost]> {
  let summary = "Append new key/value rows to a KV cache (sequence axis)";
  let description = [{
    `result = concat(cache, update)` along the sequence axis of
    `[batch, seq, features]` tensors: `result[b, s, :] = cache[b, s, :]` for
    `s < P` and `update[b, s − P, :]` for `P ≤ s < P + N`, with `P` the
    cache's and `N` the update's sequence length. Batch and feature extents
    and the element type must agree; the result is `[batch, P + N,
    features]`. A decode step appends the new token's keys (values) to the
    layer's cache and attends over the result (`sxf.attention` with
    `causal` lets the N new queries see the P cached keys and the new ones
    up to themselves); the result is also the updated cache the step
    returns. FLOPs: 0 (a copy).

    ```mlir
    %k = sxf.kv_append %past_k, %k_new
           : (tensor<1x511x768xf32>, tensor<1x1x768xf32>) -> tensor<1x512x768xf32>
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$cache, Sxf_FloatTensor:$update);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = [{
    $cache `,` $update attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Training: gradients and loss
//
// Produced by reverse-mode differentiation (`sxf-differentiate`): each
// gradient op takes what its forward op saw (its input or its output, as
// each description says) and the gradient of the forward op's result, `dy`.
//===----------------------------------------------------------------------===//

def Sxf_LinearGradInputOp : Sxf_PureOp<"linear_grad_input", [Sxf_Cost,
    Sxf_InferShape]> {
  let summary = "Input gradient of sxf.linear: dy · W (a transposed SpMM)";
  let description = [{
    `dx[..., i] = Σ_o dy[..., o] · w[o, i]`: the gradient of
    `sxf.linear`'s product `x · wᵀ` with respect to its input `x`. `dy` is
    `[..., O]` (any rank ≥ 1), `w` the `[O, I]` weight of the forward
    linear, the result `[..., I]` with dy's leading dimensions. When `w` is
    stored sparse (its `sxf.weight` has a sparse `#sxf.format`) this is a
    transposed SpMM over the stored entries: entries that are not stored
    are zero and do not contribute. The gradients of a fused epilogue
    (bias, activation, residual, norm) are separate ops (`sxf.reduce_sum`,
    `sxf.activation_grad`, ...). FLOPs: 2 · rows · I · O · density(w)
    (`weightEntries(w)` multiply-adds per row, as for `sxf.linear`).

    ```mlir
    %dx = sxf.linear_grad_input %dy, %w
            : (tensor<2x7x3072xf32>, tensor<3072x768xf32>) -> tensor<2x7x768xf32>
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$dy, Sxf_FloatTensor:$w);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = [{
    $dy `,` $w attr-dict `:` functional-type(operands, results)
  }];
}

def Sxf_LinearGradWeightOp : Sxf_PureOp<"linear_grad_weight", [Sxf_Cost,
    Sxf_InferShape]> {
  let summary = "Weight gradient of sxf.linear at w's stored positions (SDDMM)";
  let description = [{
    `dw[o, i] = Σ_r dy[r, o] · x[r, i]` at the positions `(o, i)` that
    `w`'s storage stores, and `0` at every other position: a sampled
    dense-dense product (SDDMM), `r` running over the rows of the matrix
    views of `dy` (`[..., O]`) and `x` (`[..., I]`, the forward linear's
    input), which must have the same leading dimensions. `w` is the `[O, I]`
    weight of the forward linear; it is read only for its pattern, and the
    result has exactly w's type, so that an optimiser updates the stored
    values in place and the sparsity pattern never grows.

    The *stored positions* of `w` are those of the `#sxf.format` of the
    `sxf.weight` that defines it:
    - no `format`, a `dense` format, or `w` not defined by an `sxf.weight`:
      every position;
    - `bsr[B, C]`: every entry of each B×C block that holds a nonzero;
    - `csr`, `csc`, `coo`, `nm[N, M]`, `ell`: the nonzeros of w's values.

    FLOPs: 2 · rows · stored entries (`weightEntries(w)`).

    ```mlir
    %dw = sxf.linear_grad_weight %dy, %x, %w
            : (tensor<2x7x3072xf32>, tensor<2x7x768xf32>, tensor<3072x768xf32>)
            -> tensor<3072x768xf32>
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$dy, Sxf_FloatTensor:$x,
                       Sxf_FloatTensor:$w);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = [{
    $dy `,` $x `,` $w attr-dict `:` functional-type(operands, results)
  }];
}

def Sxf_ReduceSumOp : Sxf_PureOp<"reduce_sum", [Sxf_Cost]> {
  let summary = "Sum over the leading dimensions (bias and broadcast gradients)";
  let description = [{
    `result[j...] = Σ_{k...} input[k..., j...]`: sums over the leading
    dimensions of the input so that the result's shape is a suffix of the
    input's (result rank ≤ input rank, equal trailing extents). A rank-0
    result is the sum of every element; an equal rank is a copy. It is the
    gradient of a bias (`[..., O]` → `[O]`) and of the broadcast operand of
    `sxf.add`. FLOPs: one add per input element.

    ```mlir
    %db = sxf.reduce_sum %dy : tensor<2x7x3072xf32> -> tensor<3072xf32>
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$input);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def Sxf_ActivationGradOp : Sxf_PureOp<"activation_grad",
    [SameOperandsAndResultType, Sxf_Cost, InferTypeOpInterface]> {
  let summary = "Gradient of sxf.activation: act'(x) · dy";
  let description = [{
    `dx = act'(x) · dy` element by element, where `x` is the activation's
    *input* (the pre-activation) and `act` the `sxf.activation` of the same
    kind (`relu`: 1 for x > 0 and 0 otherwise; `gelu`: the derivative of
    the exact form, `Φ(x) + x·φ(x)`; `gelu_tanh`: that of the tanh
    approximation; `silu`: `σ(x)·(1 + x·(1 − σ(x)))`). FLOPs: 9 per
    element.

    ```mlir
    %dx = sxf.activation_grad gelu_tanh %x, %dy : tensor<2x7x3072xf32>
    ```
  }];
  let arguments = (ins Sxf_ActivationKind:$kind, Sxf_FloatTensor:$x,
                       Sxf_FloatTensor:$dy);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = "$kind $x `,` $dy attr-dict `:` type($result)";
}

def Sxf_SoftmaxGradOp : Sxf_PureOp<"softmax_grad",
    [SameOperandsAndResultType, Sxf_Cost, InferTypeOpInterface]> {
  let summary = "Gradient of sxf.softmax from its output";
  let description = [{
    `dx = y ⊙ (dy − Σ_axis y ⊙ dy)`, where `y` is the softmax's *output*
    and the sum runs along `axis` (kept, broadcast back). `axis` follows
    `sxf.softmax`: negative values count from the end; default −1. FLOPs:
    4 per element.

    ```mlir
    %ds = sxf.softmax_grad %p, %dp : tensor<2x12x7x7xf32>
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$y, Sxf_FloatTensor:$dy,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = "$y `,` $dy attr-dict `:` type($result)";
}

def Sxf_LayerNormGradOp : Sxf_PureOp<"layer_norm_grad", [Sxf_Cost,
    Sxf_InferShape]> {
  let summary = "Gradients of sxf.layer_norm (input, gamma, beta)";
  let description = [{
    With `x` the layer norm's input, over its last dimension of H entries,
    `x̂ = (x − mean) · r` and `r = 1/√(var + epsilon)` (biased variance, as
    `sxf.layer_norm`), and `g = dy ⊙ gamma`:
    - `dx = r · (g − mean(g) − x̂ · mean(g ⊙ x̂))` per row,
    - `dgamma = Σ_rows dy ⊙ x̂`,
    - `dbeta = Σ_rows dy`.
    `x` and `dy` are `[..., H]`, `gamma` is `[H]`; `dx` has x's shape,
    `dgamma` and `dbeta` gamma's. `epsilon` must be the forward op's.
    FLOPs: 16 per element of x.

    ```mlir
    %dx, %dg, %db = sxf.layer_norm_grad %x, %g, %dy {epsilon = 1.0e-05 : f32}
        : (tensor<2x7x768xf32>, tensor<768xf32>, tensor<2x7x768xf32>)
        -> (tensor<2x7x768xf32>, tensor<768xf32>, tensor<768xf32>)
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$x, Sxf_FloatTensor:$gamma,
                       Sxf_FloatTensor:$dy,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs Sxf_FloatTensor:$dx, Sxf_FloatTensor:$dgamma,
                      Sxf_FloatTensor:$dbeta);
  let assemblyFormat = [{
    $x `,` $gamma `,` $dy attr-dict `:` functional-type(operands, results)
  }];
}

def Sxf_RmsNormGradOp : Sxf_PureOp<"rms_norm_grad", [Sxf_Cost,
    Sxf_InferShape]> {
  let summary = "Gradients of sxf.rms_norm (input, gamma)";
  let description = [{
    With `x` the RMS norm's input, over its last dimension of H entries,
    `r = 1/√(mean(x²) + epsilon)`, `x̂ = x · r` and `g = dy ⊙ gamma`:
    - `dx = r · (g − x̂ · mean(g ⊙ x̂))` per row,
    - `dgamma = Σ_rows dy ⊙ x̂`.
    `x` and `dy` are `[..., H]`, `gamma` is `[H]`; `dx` has x's shape,
    `dgamma` gamma's. `epsilon` must be the forward op's. FLOPs: 16 per
    element of x.

    ```mlir
    %dx, %dg = sxf.rms_norm_grad %x, %g, %dy {epsilon = 1.0e-06 : f32}
        : (tensor<2x7x768xf32>, tensor<768xf32>, tensor<2x7x768xf32>)
        -> (tensor<2x7x768xf32>, tensor<768xf32>)
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$x, Sxf_FloatTensor:$gamma,
                       Sxf_FloatTensor:$dy,
                       DefaultValuedAttr<F32Attr, "1.0e-6">:$epsilon);
  let results = (outs Sxf_FloatTensor:$dx, Sxf_FloatTensor:$dgamma);
  let assemblyFormat = [{
    $x `,` $gamma `,` $dy attr-dict `:` functional-type(operands, results)
  }];
}

def Sxf_AttentionGradOp : Sxf_PureOp<"attention_grad", [Sxf_Cost,
    Sxf_InferShape]> {
  let summary = "Gradients of sxf.attention (query, key, value)";
  let description = [{
    The gradients of `sxf.attention` with the same `query`, `key`, `value`
    and attributes (`heads`, `head_dim`, `causal`, `keep_heads`, under the
    same rules), given `dy`, the gradient of its result (query's shape).
    Per head h, with `s = 1/√head_dim`, `P_h = softmax(s · q_h · k_hᵀ +
    mask)` (recomputed) and `dP_h = dy_h · v_hᵀ`:
    - `dv_h = P_hᵀ · dy_h`,
    - `dS_h = P_h ⊙ (dP_h − rowsum(P_h ⊙ dP_h))`,
    - `dq_h = s · dS_h · k_h`, `dk_h = s · dS_hᵀ · q_h`.
    Heads switched off by `keep_heads` get zero gradients. `dq` has query's
    type, `dk` key's, `dv` value's. FLOPs: per score (batch · heads ·
    queries · keys), 10 · head_dim for the five products (QKᵀ recomputed,
    dY·Vᵀ, Pᵀ·dY, dS·K, dSᵀ·Q) plus the softmax and its gradient.

    ```mlir
    %dq, %dk, %dv = sxf.attention_grad %q, %k, %v, %dy
        {heads = 12 : i64, head_dim = 64 : i64, causal}
        : (tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>,
           tensor<2x7x768xf32>)
        -> (tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>)
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$query, Sxf_FloatTensor:$key,
                       Sxf_FloatTensor:$value, Sxf_FloatTensor:$dy,
                       ConfinedAttr<I64Attr, [IntPositive]>:$heads,
                       ConfinedAttr<I64Attr, [IntPositive]>:$head_dim,
                       UnitAttr:$causal,
                       OptionalAttr<DenseBoolArrayAttr>:$keep_heads);
  let results = (outs Sxf_FloatTensor:$dq, Sxf_FloatTensor:$dk,
                      Sxf_FloatTensor:$dv);
  let assemblyFormat = [{
    $query `,` $key `,` $value `,` $dy attr-dict
    `:` functional-type(operands, results)
  }];
}

def Sxf_EmbeddingGradOp : Sxf_PureOp<"embedding_grad", [Sxf_Cost]> {
  let summary = "Gradient of an embedding table (scatter-add)";
  let description = [{
    `result[v, :] = Σ_{(b, s) : ids[b, s] = v} dy[b, s, :]`, every other
    row 0: the gradient of `sxf.embedding`'s `table`. `ids` has any rank
    ≥ 1 and `dy` one more, with the same leading extents; the result is
    `[V, H]` with H dy's last extent and V, the vocabulary, static (it is
    not implied by the operands). Ids outside `[0, V)` are a run-time error
    of the interpreter. FLOPs: one add per element of dy.

    ```mlir
    %dwte = sxf.embedding_grad %ids, %dh
              : (tensor<2x7xi64>, tensor<2x7x768xf32>) -> tensor<1000x768xf32>
    ```
  }];
  let arguments = (ins Sxf_IdTensor:$ids, Sxf_FloatTensor:$dy);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = [{
    $ids `,` $dy attr-dict `:` functional-type(operands, results)
  }];
}

def Sxf_PositionGradOp : Sxf_PureOp<"position_grad", [Sxf_Cost]> {
  let summary = "Gradient of an embedding's positions table";
  let description = [{
    `result[position_offset + s, :] = Σ_b dy[b, s, :]` and every other row
    0: the gradient of `sxf.embedding`'s `positions` table. `dy` is
    `[..., S, H]` (rank ≥ 2; the sum runs over all leading dimensions), the
    result `[P, H]` with `position_offset + S ≤ P` (checked when static).
    `position_offset` (default 0, never negative) is the forward
    embedding's. FLOPs: one add per element of dy.

    ```mlir
    %dwpe = sxf.position_grad %dh : tensor<2x7x768xf32> -> tensor<1024x768xf32>
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$dy,
                       DefaultValuedAttr<I64Attr, "0">:$position_offset);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = "$dy attr-dict `:` type($dy) `->` type($result)";
}

def Sxf_ConcatOp : Sxf_PureOp<"concat", [Sxf_Cost, Sxf_InferShape]> {
  let summary = "Concatenate along the last dimension (the inverse of split)";
  let description = [{
    `result[..., :]` is the rows of the inputs one after another: input k
    fills the next `size(input k)` entries of the last dimension of every
    row, the inverse of `sxf.split` (the gradient of a split is the concat
    of its results' gradients). At least one input; all inputs have the
    same rank ≥ 1 and the same leading extents; the result's last extent is
    the sum of theirs. A concat of one input of the result's type folds to
    it. FLOPs: 0 (a copy).

    ```mlir
    %dqkv = sxf.concat %dq, %dk, %dv
              : (tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>)
              -> tensor<2x7x2304xf32>
    ```
  }];
  let arguments = (ins Variadic<Sxf_FloatTensor>:$inputs);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = [{
    $inputs attr-dict `:` functional-type($inputs, $result)
  }];
  let hasFolder = 1;
}

def Sxf_CrossEntropyOp : Sxf_PureOp<"cross_entropy", [Sxf_Cost,
    Sxf_InferShape]> {
  let summary = "Mean cross-entropy loss of logits against target ids";
  let description = [{
    `loss = −(1/N) · Σ_p log softmax(logits[p, :])[targets[p]]` over the N
    positions p of `targets`, i.e. the mean over all positions of
    `logsumexp(logits[p, :]) − logits[p, targets[p]]`. `logits` is
    `[..., V]` (rank ≥ 1), `targets` (i32 or i64) has logits' shape without
    its last dimension, the result is a scalar `tensor<f32>`. Targets
    outside `[0, V)` are a run-time error of the interpreter. FLOPs: 6 per
    logit (a log-softmax).

    ```mlir
    %loss = sxf.cross_entropy %logits, %targets
              : (tensor<2x7x1000xf32>, tensor<2x7xi64>) -> tensor<f32>
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$logits, Sxf_IdTensor:$targets);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = [{
    $logits `,` $targets attr-dict `:` functional-type(operands, results)
  }];
}

def Sxf_CrossEntropyGradOp : Sxf_PureOp<"cross_entropy_grad", [Sxf_Cost,
    Sxf_InferShape]> {
  let summary = "Gradient of the mean cross-entropy loss w.r.t. the logits";
  let description = [{
    `dlogits[p, :] = (softmax(logits[p, :]) − onehot(targets[p])) / N`, N
    the number of positions of `targets`: the gradient of
    `sxf.cross_entropy`'s mean loss (for a loss gradient of 1). Shapes as
    for `sxf.cross_entropy`; the result has logits' type. FLOPs: 6 per
    logit.

    ```mlir
    %dlogits = sxf.cross_entropy_grad %logits, %targets
                 : (tensor<2x7x1000xf32>, tensor<2x7xi64>) -> tensor<2x7x1000xf32>
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$logits, Sxf_IdTensor:$targets);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = [{
    $logits `,` $targets attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Composite layers
//===----------------------------------------------------------------------===//

def Sxf_EncoderLayerOp : Sxf_PureOp<"encoder_layer"> {
  let summary = "A BERT encoder layer (post-norm, bidirectional attention)";
  let description = [{
    ```
    q, k, v = linear(x, wq, bq), linear(x, wk, bk), linear(x, wv, bv)
    h   = layer_norm(x + linear(attention(q, k, v), wo, bo), ln1)
    out = layer_norm(h + linear(linear(h, w1, b1, activation), w2, b2), ln2)
    ```
    Hidden size H is the input's last dimension; `w1` is `[F, H]` and `w2`
    `[H, F]`; `heads` must divide H. `sxf-decompose` expands the op into the
    primitive ops above.

    ```mlir
    %y = sxf.encoder_layer %x attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo)
           ln1(%g1, %b1) ffn(%w1, %b1f, %w2, %b2f) ln2(%g2, %b2)
           {heads = 4 : i64} : (...) -> tensor<1x16x64xf32>
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$input,
      Sxf_FloatTensor:$wq, Sxf_FloatTensor:$bq, Sxf_FloatTensor:$wk,
      Sxf_FloatTensor:$bk, Sxf_FloatTensor:$wv, Sxf_FloatTensor:$bv,
      Sxf_FloatTensor:$wo, Sxf_FloatTensor:$bo,
      Sxf_FloatTensor:$ln1_gamma, Sxf_FloatTensor:$ln1_beta,
      Sxf_FloatTensor:$w1, Sxf_FloatTensor:$b1, Sxf_FloatTensor:$w2,
      Sxf_FloatTensor:$b2,
      Sxf_FloatTensor:$ln2_gamma, Sxf_FloatTensor:$ln2_beta,
      ConfinedAttr<I64Attr, [IntPositive]>:$heads,
      DefaultValuedAttr<Sxf_ActivationKind, "ActivationKind::gelu">:$activation,
      DefaultValuedAttr<F32Attr, "1.0e-12">:$epsilon);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = [{
    $input `attn` `(` $wq `,` $bq `,` $wk `,` $bk `,` $wv `,` $bv `,` $wo `,` $bo `)`
    `ln1` `(` $ln1_gamma `,` $ln1_beta `)`
    `ffn` `(` $w1 `,` $b1 `,` $w2 `,` $b2 `)`
    `ln2` `(` $ln2_gamma `,` $ln2_beta `)`
    (`activation` $activation^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Sxf_DecoderLayerOp : Sxf_PureOp<"decoder_layer"> {
  let summary = "A GPT-2 decoder layer (pre-norm, causal attention)";
  let description = [{
    ```
    a   = layer_norm(x, ln1)
    q, k, v = linear(a, wq, bq), linear(a, wk, bk), linear(a, wv, bv)
    h   = x + linear(attention(q, k, v, causal), wo, bo)
    out = h + linear(linear(layer_norm(h, ln2), w1, b1, activation), w2, b2)
    ```
    Shapes as for `sxf.encoder_layer`. `sxf-decompose` expands the op.

    ```mlir
    %y = sxf.decoder_layer %x ln1(%g1, %b1)
           attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo)
           ln2(%g2, %b2) ffn(%w1, %b1f, %w2, %b2f)
           {heads = 4 : i64} : (...) -> tensor<1x16x64xf32>
    ```
  }];
  let arguments = (ins Sxf_FloatTensor:$input,
      Sxf_FloatTensor:$ln1_gamma, Sxf_FloatTensor:$ln1_beta,
      Sxf_FloatTensor:$wq, Sxf_FloatTensor:$bq, Sxf_FloatTensor:$wk,
      Sxf_FloatTensor:$bk, Sxf_FloatTensor:$wv, Sxf_FloatTensor:$bv,
      Sxf_FloatTensor:$wo, Sxf_FloatTensor:$bo,
      Sxf_FloatTensor:$ln2_gamma, Sxf_FloatTensor:$ln2_beta,
      Sxf_FloatTensor:$w1, Sxf_FloatTensor:$b1, Sxf_FloatTensor:$w2,
      Sxf_FloatTensor:$b2,
      ConfinedAttr<I64Attr, [IntPositive]>:$heads,
      DefaultValuedAttr<Sxf_ActivationKind, "ActivationKind::gelu_tanh">:$activation,
      DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs Sxf_FloatTensor:$result);
  let assemblyFormat = [{
    $input `ln1` `(` $ln1_gamma `,` $ln1_beta `)`
    `attn` `(` $wq `,` $bq `,` $wk `,` $bk `,` $wv `,` $bv `,` $wo `,` $bo `)`
    `ln2` `(` $ln2_gamma `,` $ln2_beta `)`
    `ffn` `(` $w1 `,` $b1 `,` $w2 `,` $b2 `)`
    (`activation` $activation^)? attr-dict `:` functional-type(operands, results)
  }];
}

#endif // SXF_DIALECT_SXF_IR_SXFOPS_TD
