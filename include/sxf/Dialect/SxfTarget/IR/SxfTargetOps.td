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
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/RegionKindInterface.td"
include "sxf/Dialect/Sxf/IR/SxfAttrs.td"
include "sxf/Dialect/SxfTarget/IR/SxfTargetEnums.td"

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

    Each op's verifier checks what the op alone (with its program's unit
    count and the symbols it names) must satisfy: counts and sizes are
    non-negative int64 attributes, units exist, layouts have cuts that
    cover their tensor, computes run where their weight blocks are,
    exchanges keep the shape, loads name an off-chip partition of their
    step's section.

    What needs the whole program is an analysis, not the verifier
    (`sxf::target::checkProgram` in sxf/Tile/ProgramChecks.h, run by
    sxf-tile after it builds a program and by sparse-sim before it
    simulates one): no unit holds more bytes than its SRAM in any section
    (by how many bytes it is over), every weight is partitioned exactly
    once, and every compute or exchange reads a buffer that a compute (or
    the program's inputs) has produced in an earlier or the same step.
  }];
  let dependentDialects = ["::sxf::SxfDialect"];
  let useDefaultAttributePrinterParser = 1;
}

// The kinds as attributes: `#sxft<program_kind ipu>`, `#sxft<compute_kind
// matmul>` in the generic form; the custom syntax writes them as strings.
def SxfTarget_ProgramKindAttr : EnumAttr<SxfTarget_Dialect,
    SxfTarget_ProgramKind, "program_kind">;
def SxfTarget_ComputeKindAttr : EnumAttr<SxfTarget_Dialect,
    SxfTarget_ComputeKind, "compute_kind">;

class SxfTarget_Op<string mnemonic, list<Trait> traits = []>
    : Op<SxfTarget_Dialect, mnemonic, traits>;

// Counts, sizes, unit ids and step indices: int64 in C++ (I64Attr's getters
// return uint64_t, into which a negative value wraps), with their sign
// checked by the attribute constraint.
def SxfTarget_I64Attr : TypedSignlessIntegerAttrBase<I64, "int64_t",
    "64-bit signless integer attribute"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}
def SxfTarget_NonNegI64Attr : ConfinedAttr<SxfTarget_I64Attr,
                                           [IntNonNegative]>;
def SxfTarget_PosI64Attr : ConfinedAttr<SxfTarget_I64Attr, [IntPositive]>;

def SxfTarget_ProgramOp : SxfTarget_Op<"program", [
    SymbolTable, NoTerminator, SingleBlock, IsolatedFromAbove,
    DeclareOpInterfaceMethods<RegionKindInterface>]> {
  let summary = "A model entry mapped onto a target";
  let description = [{
    `kind` is `ipu` (bulk-synchronous supersteps), `rdu` (the steps of a
    section form a spatial pipeline over `microbatches` slices of the
    tokens) or `cpu`. `entry` names the function of the sxf module this
    program implements; `tokens` is the rows of its activations. `adamw`
    (a training step, `sxf-tile` with `optimizer=adamw`): a dictionary of
    AdamW's `lr`, `beta1`, `beta2`, `eps` and `weight_decay` (f64, the ranges
    of sxf::training::validate): the program's `update` computes apply one
    AdamW step on chip, and the entry's gradient results are not outputs.

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
                       SxfTarget_ProgramKindAttr:$kind,
                       SxfTarget_PosI64Attr:$units,
                       SxfTarget_PosI64Attr:$sram_per_unit,
                       SxfTarget_PosI64Attr:$tokens,
                       DefaultValuedAttr<SxfTarget_PosI64Attr,
                                         "1">:$microbatches,
                       OptionalAttr<DictionaryAttr>:$adamw);
  let regions = (region SizedRegion<1>:$body);
  // `for @entry attributes {...}` with `kind = "ipu"` in the dictionary, as
  // a string (the form every .mlir file has), parsed into the enum.
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
}

def SxfTarget_PartitionOp : SxfTarget_Op<"partition", [
    Symbol, HasParent<"ProgramOp">]> {
  let summary = "A weight cut into blocks placed on units";
  let description = [{
    `sxft.partition @p of "name" [R, C] grid [gr, gc] on U bytes B nnz N`
    cuts the R x C weight `name` into gr x gc blocks (`row_cuts` /
    `col_cuts` when not even: the tiler balances rows by nonzeros) and puts
    block (i, j) on unit U + i·gc + j (`replicas` copies: the next copy
    starts gr·gc units later; a linear's weight replicated over token parts,
    gc = 1: copy k multiplies token rows k of its input, which every unit of
    that copy holds whole). `bytes` and `nnz` are the largest block's
    storage (in `format`) and stored entries; 1-D weights (biases, norm
    parameters) are partitioned as 1 x N. Resident in every section, or,
    with `offchip`, only in `section`, loaded by an `sxft.load` there.
    `broadcast` (a replicated norm or bias parameter): one copy is
    resident, spread evenly over the partition's units; the exchange network
    gathers it into every replica at each step that reads the partition, and
    the replicas are held only during those steps. `pieces = K` (an
    off-chip weight larger than its units' SRAM): each unit's block is
    streamed through the steps that use it in K slices of its rows, loaded
    one after another; `bytes` is the largest slice, the block is in SRAM
    only during those steps, and each such step loads the whole partition
    (an `sxft.load` in every section that uses it). `state_bytes`: the
    optimizer state held with the largest block (a program with `adamw`:
    m and v in f32 per stored entry, and an f32 master copy of values
    stored narrower), resident like the block. A weight has one partition,
    except in a training step whose weights stream: then every partition of
    it is `offchip`, each a copy loaded where its ops run (the forward's,
    the gradients' in a later section or, on an RDU, on their own units),
    and the one its `update` changes is written back by an `sxft.store`.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, StrAttr:$weight,
                       DenseI64ArrayAttr:$shape, DenseI64ArrayAttr:$grid,
                       SxfTarget_NonNegI64Attr:$first,
                       SxfTarget_NonNegI64Attr:$bytes,
                       SxfTarget_NonNegI64Attr:$nnz,
                       OptionalAttr<DenseI64ArrayAttr>:$row_cuts,
                       OptionalAttr<DenseI64ArrayAttr>:$col_cuts,
                       DefaultValuedAttr<SxfTarget_PosI64Attr,
                                         "1">:$replicas,
                       UnitAttr:$offchip,
                       DefaultValuedAttr<SxfTarget_NonNegI64Attr,
                                         "0">:$section,
                       OptionalAttr<Sxf_FormatAttr>:$format,
                       UnitAttr:$broadcast,
                       DefaultValuedAttr<SxfTarget_PosI64Attr,
                                         "1">:$pieces,
                       DefaultValuedAttr<SxfTarget_NonNegI64Attr,
                                         "0">:$state_bytes);
  let assemblyFormat = [{
    $sym_name `of` $weight $shape `grid` $grid `on` $first `bytes` $bytes
    `nnz` $nnz attr-dict
  }];
  let hasVerifier = 1;
}

def SxfTarget_BufferOp : SxfTarget_Op<"buffer", [
    Symbol, HasParent<"ProgramOp">]> {
  let summary = "An activation distributed over units";
  let description = [{
    `sxft.buffer @b [T, N] grid [p, q] on U bytes B` holds a T x N
    activation (tokens x features) cut into p x q blocks on units from U
    (see the layout rule in the dialect description); `bytes` is the
    largest block in f32. `partial`: the replicas hold partial sums whose
    total is the value (a split reduction). `input = i` / `output = i`:
    the buffer is the entry's i-th argument / result. `chunks = K`: the
    buffer is *streamed*: it is never held whole, the steps that use it
    (each with the same `chunks`) run once per slice of about rows / K
    token rows (or key rows, for attention's keys and values), and `bytes`
    is the largest block of one slice; a streamed `input` / `output` is
    written / read by the host slice by slice during the one step that uses
    it. `stored = @p`: the buffer holds a weight gradient cut exactly like
    partition `p` (sxf.linear_grad_weight), only at the positions `p`'s
    format stores: `bytes` is the largest block's stored entries in f32.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, DenseI64ArrayAttr:$shape,
                       DenseI64ArrayAttr:$grid,
                       SxfTarget_NonNegI64Attr:$first,
                       SxfTarget_NonNegI64Attr:$bytes,
                       OptionalAttr<DenseI64ArrayAttr>:$row_cuts,
                       OptionalAttr<DenseI64ArrayAttr>:$col_cuts,
                       DefaultValuedAttr<SxfTarget_PosI64Attr,
                                         "1">:$replicas,
                       UnitAttr:$interleave, UnitAttr:$partial,
                       OptionalAttr<SxfTarget_NonNegI64Attr>:$input,
                       OptionalAttr<SxfTarget_NonNegI64Attr>:$output,
                       DefaultValuedAttr<SxfTarget_PosI64Attr,
                                         "1">:$chunks,
                       OptionalAttr<FlatSymbolRefAttr>:$stored);
  let assemblyFormat = [{
    $sym_name $shape `grid` $grid `on` $first `bytes` $bytes attr-dict
  }];
  let hasVerifier = 1;
}

def SxfTarget_StepOp : SxfTarget_Op<"step", [
    NoTerminator, SingleBlock, HasParent<"ProgramOp">]> {
  let summary = "One superstep (IPU) or pipeline stage (RDU)";
  let description = [{
    Exchanges and loads bring the step's operands where its computes read
    them; then the computes run on their units, in the order of the body
    (an exchange after a compute is a further exchange phase of the step).
    `layer` names the model layer the step belongs to (for per-layer
    reports). `chunks = K`: the body runs K times, once per slice of the
    token rows of its streamed buffers (buffers with `chunks = K`), so that
    only one slice of them is in SRAM at a time — token chunks pipelined
    through weights that stay in place, or keys and values streamed past
    the queries of an attention (softmax kept online). Every op in the body
    is independent across token rows (or, for attention, combines key
    slices exactly), so the result equals one pass over all rows.
  }];
  let arguments = (ins SxfTarget_NonNegI64Attr:$index,
                       DefaultValuedAttr<SxfTarget_NonNegI64Attr,
                                         "0">:$section,
                       OptionalAttr<StrAttr>:$layer,
                       DefaultValuedAttr<SxfTarget_PosI64Attr,
                                         "1">:$chunks);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$index attr-dict-with-keyword $body";
  let hasRegionVerifier = 1;
}

def SxfTarget_ComputeOp : SxfTarget_Op<"compute", [
    HasParent<"StepOp">, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "What units compute in a step";
  let description = [{
    `sxft.compute "kind" on U span K [@partition] reads [...] writes [...]
    flops F {op = i}` runs on units U..U+K-1 (modulo the unit count) part
    of the sxf op tagged `sxft.op = i` in the entry: `matmul` (each unit
    multiplies its block of the partition with its input block, producing
    a partial sum), `epilogue` (bias, activation and residual of a linear
    on its output blocks), `rowwise` (layer/RMS norm, softmax, activation,
    add, split, a linear's norm epilogue, on blocks of token rows),
    `attention` (on blocks of batches x heads), `gather` (embedding rows
    fetched from the table's partition) or `append` (sxf.kv_append: each
    unit appends its block of the new rows to its block of the cache, both
    cut by whole batches). The training step adds `matmul_t`
    (sxf.linear_grad_input: each unit multiplies its block of the output
    gradient by its block of the partition, the transposed product, into a
    partial sum over the weight's row parts), `sddmm` (sxf.linear_grad_weight:
    each unit computes the weight gradient at its block's stored positions
    from its blocks of the output gradient and of the forward input, the
    sampled dense-dense product, into a block laid out like the partition)
    and `reduce` (a sum over token rows: each unit reduces its block of rows
    into a whole-result `partial` buffer, which an sxft.exchange sums:
    sxf.reduce_sum, sxf.embedding_grad, sxf.position_grad, sxf.cross_entropy
    and the parameter gradients of sxf.layer_norm_grad / sxf.rms_norm_grad).
    `attention` also runs sxf.attention_grad and `rowwise` the row-local
    gradients. `update` (a program with `adamw`) applies one AdamW step to
    the weight of its partition, block by block on the units that hold it,
    from the gradient buffer it reads (cut like the partition, one copy);
    it writes no buffer; it runs once per run, after the gradient is
    complete (on an RDU, after the section's pipeline has drained, not per
    micro-batch). `flops` is the total over units.
  }];
  let arguments = (ins SxfTarget_ComputeKindAttr:$kind,
                       SxfTarget_NonNegI64Attr:$unit,
                       SxfTarget_PosI64Attr:$span,
                       OptionalAttr<FlatSymbolRefAttr>:$partition,
                       SymbolRefArrayAttr:$reads, SymbolRefArrayAttr:$writes,
                       SxfTarget_NonNegI64Attr:$flops,
                       SxfTarget_NonNegI64Attr:$op);
  // The kind is written as a string: `sxft.compute "matmul" ...`.
  let assemblyFormat = [{
    custom<ComputeKind>($kind) `on` $unit `span` $span ($partition^)?
    `reads` $reads `writes` $writes `flops` $flops attr-dict
  }];
  let hasVerifier = 1;
}

def SxfTarget_ExchangeOp : SxfTarget_Op<"exchange", [
    HasParent<"StepOp">, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Redistribute an activation from one layout to another";
  let description = [{
    `sxft.exchange @src to @dst bytes B` gives every unit of `dst` its
    block, assembled from the units of `src` (summing the replicas when
    `src` is `partial`); `bytes` is what crosses between units (blocks
    already on the right unit do not move).
  }];
  let arguments = (ins FlatSymbolRefAttr:$source, FlatSymbolRefAttr:$dest,
                       SxfTarget_NonNegI64Attr:$bytes);
  let assemblyFormat = "$source `to` $dest `bytes` $bytes attr-dict";
  let hasVerifier = 1;
}

def SxfTarget_LoadOp : SxfTarget_Op<"load", [
    HasParent<"StepOp">, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Stream an off-chip weight partition into SRAM";
  let description = [{
    `sxft.load @p bytes B` brings the off-chip partition `p` of the step's
    section into SRAM; `bytes` is what crosses the off-chip link.
  }];
  let arguments = (ins FlatSymbolRefAttr:$partition,
                       SxfTarget_NonNegI64Attr:$bytes);
  let assemblyFormat = "$partition `bytes` $bytes attr-dict";
  let hasVerifier = 1;
}

def SxfTarget_StoreOp : SxfTarget_Op<"store", [
    HasParent<"StepOp">, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Write an updated off-chip weight partition back";
  let description = [{
    `sxft.store @p bytes B` writes the off-chip partition `p`, which an
    `update` of the same step has just changed, back to off-chip memory:
    its values and its optimizer state (`state_bytes`), so that the next
    run loads the new weights. `bytes` is what crosses the off-chip link.
    A training step whose weights and optimizer state do not stay in SRAM
    loads each weight for its forward section, again (a copy, another
    partition of the same weight) for the sections of its gradients, and
    stores the copy its update changed.
  }];
  let arguments = (ins FlatSymbolRefAttr:$partition,
                       SxfTarget_NonNegI64Attr:$bytes);
  let assemblyFormat = "$partition `bytes` $bytes attr-dict";
  let hasVerifier = 1;
}

#endif // SXF_DIALECT_SXFTARGET_IR_SXFTARGETOPS_TD
