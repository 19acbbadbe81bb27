//===- SxfInterfaces.td - sxf op interfaces ----------------*- tablegen -*-===//
//
// What an sxf op means to the stages that price it, defined on the op itself:
// the FLOP count of one evaluation and the activation bytes it moves. The cost
// report, the tiler and the performance model ask the op through this
// interface instead of each keeping its own formula.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_DIALECT_SXF_IR_SXFINTERFACES_TD
#define SXF_DIALECT_SXF_IR_SXFINTERFACES_TD

include "mlir/IR/OpBase.td"

def Sxf_CostOpInterface : OpInterface<"CostOpInterface"> {
  let cppNamespace = "::sxf";
  let description = [{
    The arithmetic an sxf compute op performs at its static shapes. Every
    primitive sxf op but `sxf.weight` implements it; the composite layers do
    not (they hide their linear layers until `sxf-decompose` expands them), so
    a stage that prices ops reports them, and any op without the interface,
    as an error instead of pricing it at zero.
  }];
  let methods = [
    InterfaceMethod<[{
        FLOPs of one evaluation. `weightEntries(v)` is the number of entries
        of the weight operand `v` that take part in a product: its size when
        stored dense, its nonzeros when stored sparse (only `sxf.linear`
        asks). Dynamic extents are the caller's to exclude.
      }],
      "double", "getFlops",
      (ins "::llvm::function_ref<double(::mlir::Value)>":$weightEntries)>,
    InterfaceMethod<[{
        Bytes of activations (f32) read and written: every operand that is
        not an `sxf.weight`, and every result. A view (`sxf.split`) moves
        nothing.
      }],
      "double", "getActivationBytes", (ins), [{}],
      [{ return ::sxf::detail::defaultActivationBytes($_op); }]>,
  ];
  let extraSharedClassDeclaration = [{
    /// FLOPs with every weight taken as dense (all its entries multiplied).
    double getDenseFlops() {
      return $_op.getFlops(::sxf::detail::denseEntries);
    }
  }];
}

#endif // SXF_DIALECT_SXF_IR_SXFINTERFACES_TD
