//===- SxfBase.td - sxf dialect definition -----------------*- tablegen -*-===//
//
// The sxf dialect: transformer layers whose weights are sparse.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_DIALECT_SXF_IR_SXFBASE_TD
#define SXF_DIALECT_SXF_IR_SXFBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Sxf_Dialect : Dialect {
  let name = "sxf";
  let cppNamespace = "::sxf";
  let summary = "Transformer layers with sparse weights";
  let description = [{
    The `sxf` dialect describes the forward pass of a transformer model at the
    level of its layers (`sxf.linear`, `sxf.attention`, `sxf.layer_norm`, ...)
    and makes the *weights* first-class: every weight is an `sxf.weight` op
    with a model-wide name, an optional `#sxf.sparsity` (its pattern and
    measured density) and an optional `#sxf.format` (how it is stored). That
    is what the pruning, format selection and tiling passes reason about.

    Activations are builtin ranked tensors of `f32`; token ids are tensors of
    `i32` or `i64`. A model is a `func.func` (by convention `@forward`) whose
    arguments are the model inputs and whose results are its outputs.

    Weight values live in one of three places:

    1. a safetensors file named by the module attribute
       `sxf.weights_file = "model.safetensors"` (a relative path is resolved
       against the directory of the .mlir file, then the working directory);
       the weight's `name` is the tensor name in that file;
    2. inline, in the weight's `value` attribute (a `dense_resource` blob or a
       dense elements attribute), e.g. after a pass changed the values;
    3. nowhere (*metadata only*): the weight has a shape and, optionally, a
       `#sxf.sparsity` with its statistics, so that a 13B-parameter model can
       be planned without its 26 GB of data. Passes that need values say so.

    Training adds gradient and loss ops (`sxf.linear_grad_input`,
    `sxf.linear_grad_weight`, `sxf.reduce_sum`, `sxf.activation_grad`,
    `sxf.softmax_grad`, `sxf.layer_norm_grad`, `sxf.rms_norm_grad`,
    `sxf.attention_grad`, `sxf.embedding_grad`, `sxf.position_grad`,
    `sxf.concat`, `sxf.cross_entropy`, `sxf.cross_entropy_grad`). They are
    produced by reverse-mode differentiation of a forward function
    (`sxf-differentiate`, coming with issue 16) rather than written by hand,
    and each takes what its forward op saw and the gradient `dy` of the
    forward result. A weight's gradient is sparse the way the weight is:
    `sxf.linear_grad_weight` computes only the weight's *stored positions*
    — every position of a dense weight (no `#sxf.format`, or `dense`),
    every entry of each block holding a nonzero for `bsr`, the nonzeros for
    the other sparse formats — and writes 0 elsewhere, so an optimiser
    updating the stored values never grows the pattern.

    The design follows upstream MLIR's `sparse_tensor` dialect in keeping the
    storage format an attribute of the data rather than of the computation,
    and the literature on one-shot pruning (SparseGPT, Frantar & Alistarh
    2023; Wanda, Sun et al. 2023) and on sparse dataflow execution (PopSparse,
    Li et al. 2023) in which structure it describes: unstructured, block BxC
    and N:M patterns.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let hasRegionResultAttrVerify = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

class Sxf_Op<string mnemonic, list<Trait> traits = []>
    : Op<Sxf_Dialect, mnemonic, traits>;

class Sxf_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Sxf_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

#endif // SXF_DIALECT_SXF_IR_SXFBASE_TD
