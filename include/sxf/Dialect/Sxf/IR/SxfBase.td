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
