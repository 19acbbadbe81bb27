//===- SxfTargetEnums.td - Enums of the target-level IR ----*- tablegen -*-===//
//
// Kept apart from SxfTargetOps.td so that -gen-enum-decls emits only these
// (the ops file also includes the sxf dialect's attributes, for
// #sxf.format). Their attributes (#sxft.program_kind, #sxft.compute_kind)
// are in SxfTargetOps.td, with the dialect.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_DIALECT_SXFTARGET_IR_SXFTARGETENUMS_TD
#define SXF_DIALECT_SXFTARGET_IR_SXFTARGETENUMS_TD

include "mlir/IR/EnumAttr.td"

def SxfTarget_ProgramKind : I32EnumAttr<"ProgramKind",
    "how a target runs the steps of a program", [
      I32EnumAttrCase<"ipu", 0>,
      I32EnumAttrCase<"rdu", 1>,
      I32EnumAttrCase<"cpu", 2>,
    ]> {
  let cppNamespace = "::sxf::target";
  let genSpecializedAttr = 0;
}

def SxfTarget_ComputeKind : I32EnumAttr<"ComputeKind",
    "what the units of an sxft.compute compute", [
      I32EnumAttrCase<"matmul", 0>,
      I32EnumAttrCase<"epilogue", 1>,
      I32EnumAttrCase<"rowwise", 2>,
      I32EnumAttrCase<"attention", 3>,
      I32EnumAttrCase<"gather", 4>,
      I32EnumAttrCase<"append", 5>,
      I32EnumAttrCase<"matmul_t", 6>,
      I32EnumAttrCase<"sddmm", 7>,
      I32EnumAttrCase<"reduce", 8>,
      I32EnumAttrCase<"update", 9>,
    ]> {
  let cppNamespace = "::sxf::target";
  let genSpecializedAttr = 0;
}

#endif // SXF_DIALECT_SXFTARGET_IR_SXFTARGETENUMS_TD
