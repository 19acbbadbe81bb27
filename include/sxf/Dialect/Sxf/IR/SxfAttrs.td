//===- SxfAttrs.td - sxf attributes and enums --------------*- tablegen -*-===//
//
// #sxf.sparsity (what the weight looks like) and #sxf.format (how it is
// stored), plus the enums used by ops.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_DIALECT_SXF_IR_SXFATTRS_TD
#define SXF_DIALECT_SXF_IR_SXFATTRS_TD

include "sxf/Dialect/Sxf/IR/SxfBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Sxf_ActivationKind : I32EnumAttr<"ActivationKind",
    "elementwise activation function", [
      I32EnumAttrCase<"none", 0>,
      I32EnumAttrCase<"relu", 1>,
      I32EnumAttrCase<"gelu", 2>,
      I32EnumAttrCase<"gelu_tanh", 3>,
      I32EnumAttrCase<"silu", 4>,
    ]> {
  let cppNamespace = "::sxf";
}

def Sxf_SparsityPattern : I32EnumAttr<"SparsityPattern",
    "structure of a weight's nonzeros", [
      I32EnumAttrCase<"dense", 0>,
      I32EnumAttrCase<"unstructured", 1>,
      I32EnumAttrCase<"block", 2>,
      I32EnumAttrCase<"nm", 3>,
    ]> {
  let cppNamespace = "::sxf";
  let genSpecializedAttr = 0;
}

// The cases, values and spellings are those of sxf_rt::Kind in
// runtime/include/sxf_rt/format_kinds.h, the one format vocabulary shared
// with the runtime (checked by static_assert in SxfAttrs.cpp).
def Sxf_StorageKind : I32EnumAttr<"StorageKind",
    "storage format of a weight", [
      I32EnumAttrCase<"dense", 0>,
      I32EnumAttrCase<"csr", 1>,
      I32EnumAttrCase<"csc", 2>,
      I32EnumAttrCase<"coo", 3>,
      I32EnumAttrCase<"bsr", 4>,
      I32EnumAttrCase<"nm", 5>,
      I32EnumAttrCase<"ell", 6>,
    ]> {
  let cppNamespace = "::sxf";
  let genSpecializedAttr = 0;
}

//===----------------------------------------------------------------------===//
// #sxf.sparsity
//===----------------------------------------------------------------------===//

def Sxf_SparsityAttr : Sxf_Attr<"Sparsity", "sparsity"> {
  let summary = "Structure and measured density of a weight's nonzeros";
  let description = [{
    Describes which entries of a 2-D weight `W[out, in]` are nonzero.

    Syntax:
    ```
    sparsity  ::= `#sxf.sparsity<` pattern (`,` `density` `=` float)? `>`
    pattern   ::= `dense`
                | `unstructured`
                | `block` `[` B `,` C `]`    // nonzeros lie in aligned BxC blocks
                | `nm` `[` N `,` M `]`       // ≤ N nonzeros in every M consecutive inputs
    ```

    `density` is the measured fraction of nonzero entries, in [0, 1]. It
    defaults to 1 for `dense` and to N/M for `nm`, and is required for
    `unstructured` and `block`. For `block`, the density counts entries (not
    blocks): a 4x4 block pattern with a quarter of the blocks kept has
    density 0.25.

    Examples:
    ```mlir
    #sxf.sparsity<dense>
    #sxf.sparsity<unstructured, density = 0.2>
    #sxf.sparsity<block[16, 16], density = 0.1>
    #sxf.sparsity<nm[2, 4]>
    ```

    Attached to an `sxf.weight` as its `sparsity` attribute. The verifier of
    the weight checks that a block shape divides the weight's shape and that M
    divides the number of input features.
  }];
  let parameters = (ins
    "::sxf::SparsityPattern":$pattern,
    "unsigned":$blockRows,
    "unsigned":$blockCols,
    "unsigned":$n,
    "unsigned":$m,
    APFloatParameter<"measured density in [0, 1]">:$density
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The density as a double.
    double getDensityValue() const;
    /// Builds an attribute; `density` < 0 means "use the pattern's default".
    static SparsityAttr get(::mlir::MLIRContext *ctx, SparsityPattern pattern,
                            double density, unsigned blockRows = 0,
                            unsigned blockCols = 0, unsigned n = 0,
                            unsigned m = 0);
  }];
  let skipDefaultBuilders = 1;
  let builders = [
    AttrBuilder<(ins "::sxf::SparsityPattern":$pattern,
                     "unsigned":$blockRows, "unsigned":$blockCols,
                     "unsigned":$n, "unsigned":$m,
                     "::llvm::APFloat":$density), [{
      return $_get($_ctxt, pattern, blockRows, blockCols, n, m, density);
    }]>
  ];
}

//===----------------------------------------------------------------------===//
// #sxf.format
//===----------------------------------------------------------------------===//

def Sxf_FormatAttr : Sxf_Attr<"Format", "format"> {
  let summary = "Storage format of a weight";
  let description = [{
    How a weight's values are stored in memory (on the host, on a target
    unit, or in emitted code).

    Syntax:
    ```
    format ::= `#sxf.format<` kind (`,` `value` `=` float-type)?
                                   (`,` `index` `=` bits)? `>`
    kind   ::= `dense` | `csr` | `csc` | `coo` | `ell`
             | `bsr` `[` B `,` C `]`      // block sparse rows with BxC blocks
             | `nm` `[` N `,` M `]`       // N values + in-group indices per M
    ```

    `value` is the element type the values are stored in (`f32`, `f16` or
    `bf16`; default `f32`). `index` is the bit width of every stored column
    (row, block, in-group) index (8, 16, 32 or 64; default 32; `nm` also
    allows packed 2- and 4-bit in-group indices); it is not printed for
    `dense`. Row and block pointers are at least as wide and wide enough for
    the number of stored entries (a 5120-column weight with 5M nonzeros has
    16-bit column indices and 32-bit row pointers).

    Examples:
    ```mlir
    #sxf.format<dense, value = bf16>
    #sxf.format<csr, value = f16, index = 16>
    #sxf.format<bsr[4, 4], value = f32, index = 32>
    #sxf.format<nm[2, 4], value = f16, index = 8>
    ```
  }];
  let parameters = (ins
    "::sxf::StorageKind":$kind,
    "unsigned":$blockRows,
    "unsigned":$blockCols,
    "unsigned":$n,
    "unsigned":$m,
    "::mlir::Type":$valueType,
    "unsigned":$indexBits
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

//===----------------------------------------------------------------------===//
// #sxf.target
//===----------------------------------------------------------------------===//

def Sxf_TargetAttr : Sxf_Attr<"Target", "target"> {
  let summary = "The target a module's formats were selected for";
  let description = [{
    Recorded on the module as `sxf.target` by `sxf-select-format` (and so by
    `sxf-pipeline`): the whole target description, in the fields of the
    target JSON schema (docs/targets.md), so that later passes (`sxf-fuse`,
    `sxf-tile`) and `sparse-sim` use the same machine without being told
    again, and a module planned for a user-described target stays
    self-contained. An explicit `target=` option (or `--target`) still wins.

    Syntax: `#sxf.target<"NAME", {FIELD = VALUE, ...}>` where the dictionary
    holds exactly the fields a target .json file holds (integers as `i64`,
    rates and fractions as `f64`, `peak_flops` and the efficiency tables as
    nested dictionaries, per value type when the file gives them so). The
    description is checked by the same reader as a .json file whenever it is
    used; the attribute itself checks that its
    name is the description's `name`.

    ```mlir
    module attributes {sxf.target = #sxf.target<"toy4", {name = "toy4",
        kind = "ipu", units = 4 : i64, clock_hz = 1.0e+09 : f64, ...}>}
    ```
  }];
  let parameters = (ins
    StringRefParameter<"the target's name">:$name,
    "::mlir::DictionaryAttr":$description
  );
  let assemblyFormat = "`<` $name `,` $description `>`";
  let genVerifyDecl = 1;
}

#endif // SXF_DIALECT_SXF_IR_SXFATTRS_TD
