//===- SxfTargetOps.td - The target-level IR (sxft) --------*- tablegen -*-===//
//
// sxft makes a mapping onto a dataflow target explicit: which units hold
// which blocks of which weight (and in which format), how each activation is
// distributed over units, what each unit computes in each superstep (IPU) or
// pipeline stage (RDU), which data moves between units and what is streamed
// from off-chip memory. sxf-tile produces it; sparse-sim executes it.
//
// Everything distributed is described by a *layout* (sxf/Dialect/SxfTarget/
// IR/Layout.h): a tensor of R x C is cut into a grid of p x q blocks (even
// cuts unless `row_cuts` / `col_cuts` are given), the grid is repeated
// `replicas` times, and block (i, j) of replica k lives on unit
//   first + k·p·q + i·q + j          (replicas apart), or
//   first + (i·q + j)·replicas + k   (`interleave`: replicas adjacent),
// modulo the number of units. The form is the same for 1 unit and for the
// 23,552 tiles of an IPU-POD16, so IR size grows with ops, not units.
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
    A `sxft.program` is the mapping of one model entry onto one target. It
    holds `sxft.partition` ops (a weight cut into blocks placed on units, in
    a format), `sxft.buffer` ops (a distributed activation) and, in order,
    `sxft.step` regions — an IPU bulk-synchronous superstep (computes, then
    a sync, then the exchanges) or an RDU pipeline stage — of
    `sxft.compute`, `sxft.exchange` and `sxft.load` ops. Steps belong to
    *sections*: the weights of a section are resident in SRAM together; a
    model too large for the chip runs section by section, loading each
    section's weights from off-chip memory (`sxft.load`).

    The verifier checks what a mapping must satisfy: units exist, no unit
    holds more bytes than its SRAM in any section (by how many bytes it is
    over), every weight is partitioned exactly once with cuts that cover
    it, computes run where their weight blocks are, and every exchange
    moves a buffer that a compute (or the program's inputs) has produced.
  }];
  let dependentDialects = ["::sxf::SxfDialect"];
}

class SxfTarget_Op<string mnemonic, list<Trait> traits = []>
    : Op<SxfTarget_Dialect, mnemonic, traits>;

def SxfTarget_ProgramOp : SxfTarget_Op<"program", [
    SymbolTable, NoTerminator, SingleBlock, IsolatedFromAbove,
    DeclareOpInterfaceMethods<RegionKindInterface>]> {
  let summary = "A model entry mapped onto a target";
  let description = [{
    `kind` is `ipu` (bulk-synchronous supersteps), `rdu` (the steps of a
    section form a spatial pipeline over `microbatches` slices of the
    tokens) or `cpu`. `entry` names the function of the sxf module this
    program implements; `tokens` is the rows of its activations.

    ```mlir
    sxft.program for @forward attributes {target = "toy", kind = "ipu",
        units = 4 : i64, sram_per_unit = 4096 : i64, tokens = 8 : i64} {
      sxft.partition @w of "fc.weight" [16, 8] grid [2, 2] on 0 bytes 128 nnz 32
      sxft.buffer @x [8, 8] grid [1, 1] on 0 bytes 256 {input = 0 : i64}
      sxft.buffer @xin [8, 8] grid [1, 2] on 0 bytes 128 {replicas = 2 : i64}
      sxft.buffer @part [8, 16] grid [1, 2] on 0 bytes 256
          {replicas = 2 : i64, interleave, partial}
      sxft.buffer @y [8, 16] grid [1, 2] on 0 bytes 256 {output = 0 : i64}
      sxft.step 0 {
        sxft.exchange @x to @xin bytes 768
        sxft.compute "matmul" on 0 span 4 @w reads [@xin] writes [@part]
            flops 512 {op = 0 : i64}
      }
      sxft.step 1 {
        sxft.exchange @part to @y bytes 512
        sxft.compute "epilogue" on 0 span 2 reads [@y] writes [@y] flops 128
            {op = 0 : i64}
      }
    }
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$entry, StrAttr:$target,
                       StrAttr:$kind, I64Attr:$units, I64Attr:$sram_per_unit,
                       I64Attr:$tokens,
                       DefaultValuedAttr<I64Attr, "1">:$microbatches);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "`for` $entry attr-dict-with-keyword $body";
  let hasRegionVerifier = 1;
}

def SxfTarget_PartitionOp : SxfTarget_Op<"partition", [Symbol]> {
  let summary = "A weight cut into blocks placed on units";
  let description = [{
    `sxft.partition @p of "name" [R, C] grid [gr, gc] on U bytes B nnz N`
    cuts the R x C weight `name` into gr x gc blocks (`row_cuts` /
    `col_cuts` when not even: the tiler balances rows by nonzeros) and puts
    block (i, j) on unit U + i·gc + j (`replicas` copies: the next copy
    starts gr·gc units later). `bytes` and `nnz` are the largest block's
    storage (in `format`) and stored entries; 1-D weights (biases, norm
    parameters) are partitioned as 1 x N. Resident in every section, or,
    with `offchip`, only in `section`, loaded by an `sxft.load` there.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, StrAttr:$weight,
                       DenseI64ArrayAttr:$shape, DenseI64ArrayAttr:$grid,
                       I64Attr:$first, I64Attr:$bytes, I64Attr:$nnz,
                       OptionalAttr<DenseI64ArrayAttr>:$row_cuts,
                       OptionalAttr<DenseI64ArrayAttr>:$col_cuts,
                       DefaultValuedAttr<I64Attr, "1">:$replicas,
                       UnitAttr:$offchip,
                       DefaultValuedAttr<I64Attr, "0">:$section,
                       OptionalAttr<AnyAttr>:$format);
  let assemblyFormat = [{
    $sym_name `of` $weight $shape `grid` $grid `on` $first `bytes` $bytes
    `nnz` $nnz attr-dict
  }];
}

def SxfTarget_BufferOp : SxfTarget_Op<"buffer", [Symbol]> {
  let summary = "An activation distributed over units";
  let description = [{
    `sxft.buffer @b [T, N] grid [p, q] on U bytes B` holds a T x N
    activation (tokens x features) cut into p x q blocks on units from U
    (see the layout rule in the dialect description); `bytes` is the
    largest block in f32. `partial`: the replicas hold partial sums whose
    total is the value (a split reduction). `input = i` / `output = i`:
    the buffer is the entry's i-th argument / result.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, DenseI64ArrayAttr:$shape,
                       DenseI64ArrayAttr:$grid, I64Attr:$first,
                       I64Attr:$bytes,
                       OptionalAttr<DenseI64ArrayAttr>:$row_cuts,
                       OptionalAttr<DenseI64ArrayAttr>:$col_cuts,
                       DefaultValuedAttr<I64Attr, "1">:$replicas,
                       UnitAttr:$interleave, UnitAttr:$partial,
                       OptionalAttr<I64Attr>:$input,
                       OptionalAttr<I64Attr>:$output);
  let assemblyFormat = [{
    $sym_name $shape `grid` $grid `on` $first `bytes` $bytes attr-dict
  }];
}

def SxfTarget_StepOp : SxfTarget_Op<"step", [
    NoTerminator, SingleBlock, HasParent<"ProgramOp">]> {
  let summary = "One superstep (IPU) or pipeline stage (RDU)";
  let description = [{
    Exchanges and loads bring the step's operands where its computes read
    them; then the computes run on their units. `layer` names the model
    layer the step belongs to (for per-layer reports).
  }];
  let arguments = (ins I64Attr:$index,
                       DefaultValuedAttr<I64Attr, "0">:$section,
                       OptionalAttr<StrAttr>:$layer);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$index attr-dict-with-keyword $body";
}

def SxfTarget_ComputeOp : SxfTarget_Op<"compute", [HasParent<"StepOp">]> {
  let summary = "What units compute in a step";
  let description = [{
    `sxft.compute "kind" on U span K [@partition] reads [...] writes [...]
    flops F {op = i}` runs on units U..U+K-1 (modulo the unit count) part
    of the sxf op tagged `sxft.op = i` in the entry: `matmul` (each unit
    multiplies its block of the partition with its input block, producing
    a partial sum), `epilogue` (bias, activation and residual of a linear
    on its output blocks), `rowwise` (layer/RMS norm, softmax, activation,
    add, split, a linear's norm epilogue, on blocks of token rows),
    `attention` (on blocks of batches x heads) or `gather` (embedding rows
    fetched from the table's partition). `flops` is the total over units.
  }];
  let arguments = (ins StrAttr:$kind, I64Attr:$unit, I64Attr:$span,
                       OptionalAttr<FlatSymbolRefAttr>:$partition,
                       SymbolRefArrayAttr:$reads, SymbolRefArrayAttr:$writes,
                       I64Attr:$flops, I64Attr:$op);
  let assemblyFormat = [{
    $kind `on` $unit `span` $span ($partition^)? `reads` $reads `writes`
    $writes `flops` $flops attr-dict
  }];
}

def SxfTarget_ExchangeOp : SxfTarget_Op<"exchange", [HasParent<"StepOp">]> {
  let summary = "Redistribute an activation from one layout to another";
  let description = [{
    `sxft.exchange @src to @dst bytes B` gives every unit of `dst` its
    block, assembled from the units of `src` (summing the replicas when
    `src` is `partial`); `bytes` is what crosses between units (blocks
    already on the right unit do not move).
  }];
  let arguments = (ins FlatSymbolRefAttr:$source, FlatSymbolRefAttr:$dest,
                       I64Attr:$bytes);
  let assemblyFormat = "$source `to` $dest `bytes` $bytes attr-dict";
}

def SxfTarget_LoadOp : SxfTarget_Op<"load", [HasParent<"StepOp">]> {
  let summary = "Stream an off-chip weight partition into SRAM";
  let arguments = (ins FlatSymbolRefAttr:$partition, I64Attr:$bytes);
  let assemblyFormat = "$partition `bytes` $bytes attr-dict";
}

#endif // SXF_DIALECT_SXFTARGET_IR_SXFTARGETOPS_TD
