//===- SxfTargetOps.td - The target-level IR (sxft) --------*- tablegen -*-===//
//
// sxft makes a mapping onto a dataflow target explicit: which unit holds
// which slice of which weight (and in which format), which activation
// buffers live where, what each unit computes in each superstep (IPU) or
// pipeline stage (RDU), and which data moves between units. sxf-tile (issue
// 6) produces it; the reference simulator executes it.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_DIALECT_SXFTARGET_IR_SXFTARGETOPS_TD
#define SXF_DIALECT_SXFTARGET_IR_SXFTARGETOPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/RegionKindInterface.td"

def SxfTarget_Dialect : Dialect {
  let name = "sxft";
  let cppNamespace = "::sxf::target";
  let summary = "Transformer layers mapped onto the units of a dataflow target";
  let description = [{
    A `sxft.program` is the mapping of one model onto one target: it holds
    `sxft.slice` ops (a rectangle of a weight on a unit, in a format),
    `sxft.buffer` ops (activation storage on a unit) and, in order,
    `sxft.step` regions (an IPU bulk-synchronous superstep or an RDU pipeline
    stage) of `sxft.compute` and `sxft.exchange` ops. The verifier checks
    what a mapping must satisfy: units exist, no unit holds more bytes than
    its SRAM, each weight's slices cover it exactly once, and every exchange
    moves a buffer some earlier or same-step compute has written.
  }];
  let dependentDialects = ["::sxf::SxfDialect"];
}

class SxfTarget_Op<string mnemonic, list<Trait> traits = []>
    : Op<SxfTarget_Dialect, mnemonic, traits>;

def SxfTarget_ProgramOp : SxfTarget_Op<"program", [
    SymbolTable, NoTerminator, SingleBlock, IsolatedFromAbove,
    DeclareOpInterfaceMethods<RegionKindInterface>]> {
  let summary = "A model mapped onto a target";
  let description = [{
    ```mlir
    sxft.program {target = "toy", units = 4 : i64, sram_per_unit = 4096 : i64} {
      sxft.slice @q0 of "q" [8, 8] rows [0, 4] cols [0, 8] on 0 bytes 128
      sxft.slice @q1 of "q" [8, 8] rows [4, 8] cols [0, 8] on 1 bytes 128
      sxft.buffer @x on 0 bytes 256
      sxft.buffer @y0 on 0 bytes 64
      sxft.step 0 {
        sxft.compute on 0 @q0 reads [@x] writes [@y0] flops 512
        sxft.exchange @y0 from 0 to [1] bytes 64
      }
    }
    ```
  }];
  let arguments = (ins StrAttr:$target, I64Attr:$units, I64Attr:$sram_per_unit);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "attr-dict-with-keyword $body";
  let hasRegionVerifier = 1;
}

def SxfTarget_SliceOp : SxfTarget_Op<"slice", [Symbol]> {
  let summary = "A rectangle of a weight held by one unit";
  let description = [{
    `sxft.slice @s of "name" [R, C] rows [r0, r1] cols [c0, c1] on U bytes B`
    puts rows r0..r1-1 and columns c0..c1-1 of the R x C weight `name` on
    unit U, taking B bytes of its SRAM (in `format` when given).
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, StrAttr:$weight,
                       DenseI64ArrayAttr:$shape, DenseI64ArrayAttr:$rows,
                       DenseI64ArrayAttr:$cols, I64Attr:$unit, I64Attr:$bytes,
                       OptionalAttr<AnyAttr>:$format);
  let assemblyFormat = [{
    $sym_name `of` $weight $shape `rows` $rows `cols` $cols `on` $unit
    `bytes` $bytes attr-dict
  }];
}

def SxfTarget_BufferOp : SxfTarget_Op<"buffer", [Symbol]> {
  let summary = "Activation storage on one unit";
  let arguments = (ins SymbolNameAttr:$sym_name, I64Attr:$unit,
                       I64Attr:$bytes);
  let assemblyFormat = "$sym_name `on` $unit `bytes` $bytes attr-dict";
}

def SxfTarget_StepOp : SxfTarget_Op<"step", [
    NoTerminator, SingleBlock, HasParent<"ProgramOp">]> {
  let summary = "One superstep (IPU) or pipeline stage (RDU)";
  let arguments = (ins I64Attr:$index);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$index attr-dict-with-keyword $body";
}

def SxfTarget_ComputeOp : SxfTarget_Op<"compute", [HasParent<"StepOp">]> {
  let summary = "What one unit computes in a step";
  let arguments = (ins I64Attr:$unit, OptionalAttr<FlatSymbolRefAttr>:$slice,
                       SymbolRefArrayAttr:$reads, SymbolRefArrayAttr:$writes,
                       I64Attr:$flops);
  let assemblyFormat = [{
    `on` $unit ($slice^)? `reads` $reads `writes` $writes `flops` $flops
    attr-dict
  }];
}

def SxfTarget_ExchangeOp : SxfTarget_Op<"exchange", [HasParent<"StepOp">]> {
  let summary = "Move a buffer from one unit to others";
  let arguments = (ins FlatSymbolRefAttr:$buffer, I64Attr:$from,
                       DenseI64ArrayAttr:$to, I64Attr:$bytes);
  let assemblyFormat = "$buffer `from` $from `to` $to `bytes` $bytes attr-dict";
}

#endif // SXF_DIALECT_SXFTARGET_IR_SXFTARGETOPS_TD
