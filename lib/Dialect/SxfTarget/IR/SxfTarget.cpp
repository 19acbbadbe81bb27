//===- SxfTarget.cpp - The target-level IR (sxft) ---------------*- C++ -*-===//
//
// Each op verifies itself: its typed attributes (sign constraints come from
// TableGen), its layout against the program's unit count, the bounds of
// issue 12, and the symbols it names (SymbolUserOpInterface). Checks that
// need the whole program (SRAM occupancy, each weight partitioned once,
// reads after writes) are the analysis in sxf/Tile/ProgramChecks.h.
//
//===----------------------------------------------------------------------===//

#include "sxf/Dialect/SxfTarget/IR/SxfTarget.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include "sxf/Dialect/SxfTarget/IR/Layout.h"
#include "sxf/Support/CheckedMath.h"

using namespace mlir;
using namespace sxf::target;

#include "sxf/Dialect/SxfTarget/IR/SxfTargetOpsDialect.cpp.inc"
#include "sxf/Dialect/SxfTarget/IR/SxfTargetEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "sxf/Dialect/SxfTarget/IR/SxfTargetAttrs.cpp.inc"

RegionKind ProgramOp::getRegionKind(unsigned) { return RegionKind::Graph; }

void SxfTargetDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "sxf/Dialect/SxfTarget/IR/SxfTargetAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "sxf/Dialect/SxfTarget/IR/SxfTargetOps.cpp.inc"
      >();
}

/// The most bytes (2^50, 1 PiB) and FLOPs (2^60) one op may declare: sums
/// over a program's ops (occupancy, bytes moved, time, energy) then stay far
/// from int64 overflow, which would turn them negative.
static constexpr int64_t kMaxOpBytes = int64_t(1) << 50;
static constexpr int64_t kMaxOpFlops = int64_t(1) << 60;

static LogicalResult checkBytes(Operation *op, int64_t bytes) {
  if (bytes > kMaxOpBytes)
    return op->emitOpError() << "bytes " << bytes << " is more than the "
                             << kMaxOpBytes << " one op may declare";
  return success();
}

/// The unit count of the program around `op`, when that program's own
/// verifier accepts it (otherwise it reports, and layouts are not checked
/// against a count that is not one).
static std::optional<int64_t> unitsAround(Operation *op) {
  auto program = op->getParentOfType<ProgramOp>();
  if (!program)
    return std::nullopt;
  int64_t units = program.getUnits();
  if (units <= 0 || units > sxf::kMaxUnits)
    return std::nullopt;
  return units;
}

//===----------------------------------------------------------------------===//
// Custom syntax: kinds written as strings
//===----------------------------------------------------------------------===//

static ParseResult parseComputeKind(OpAsmParser &parser,
                                    ComputeKindAttr &kind) {
  SMLoc loc = parser.getCurrentLocation();
  std::string spelling;
  if (parser.parseString(&spelling))
    return failure();
  std::optional<ComputeKind> k = symbolizeComputeKind(spelling);
  if (!k)
    return parser.emitError(loc)
           << "kind '" << spelling
           << "' is not one of matmul, epilogue, rowwise, attention, gather";
  kind = ComputeKindAttr::get(parser.getContext(), *k);
  return success();
}

static void printComputeKind(OpAsmPrinter &printer, ComputeOp,
                             ComputeKindAttr kind) {
  printer.printString(stringifyComputeKind(kind.getValue()));
}

ParseResult ProgramOp::parse(OpAsmParser &parser, OperationState &result) {
  FlatSymbolRefAttr entry;
  if (parser.parseKeyword("for") ||
      parser.parseAttribute(entry, getEntryAttrName(result.name),
                            result.attributes))
    return failure();
  SMLoc dictLoc = parser.getCurrentLocation();
  if (parser.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();
  // `kind = "ipu"`: the string spelling of the enum (or the attribute,
  // `#sxft<program_kind ipu>`).
  StringAttr kindName = getKindAttrName(result.name);
  Attribute kind = result.attributes.get(kindName);
  if (kind && !isa<ProgramKindAttr>(kind)) {
    auto spelling = dyn_cast<StringAttr>(kind);
    std::optional<ProgramKind> k =
        spelling ? symbolizeProgramKind(spelling.getValue()) : std::nullopt;
    if (!k) {
      InFlightDiagnostic d = parser.emitError(dictLoc) << "kind ";
      if (spelling)
        d << "'" << spelling.getValue() << "'";
      else
        d << kind;
      return d << " is not one of ipu, rdu, cpu";
    }
    result.attributes.set(kindName,
                          ProgramKindAttr::get(parser.getContext(), *k));
  }
  Region *body = result.addRegion();
  if (parser.parseRegion(*body))
    return failure();
  if (body->empty())
    body->emplaceBlock();
  return success();
}

void ProgramOp::print(OpAsmPrinter &printer) {
  printer << " for ";
  printer.printAttributeWithoutType(getEntryAttr());
  SmallVector<NamedAttribute> attrs;
  for (NamedAttribute a : (*this)->getAttrDictionary()) {
    if (a.getName() == getEntryAttrName())
      continue;
    if (a.getName() == getMicrobatchesAttrName() && getMicrobatches() == 1)
      continue;
    if (a.getName() == getKindAttrName())
      attrs.emplace_back(a.getName(), StringAttr::get(
                                          getContext(),
                                          stringifyProgramKind(getKind())));
    else
      attrs.push_back(a);
  }
  printer.printOptionalAttrDictWithKeyword(attrs);
  printer << ' ';
  printer.printRegion(getBody(), /*printEntryBlockArgs=*/false,
                      /*printBlockTerminators=*/false);
}

//===----------------------------------------------------------------------===//
// Verifiers
//===----------------------------------------------------------------------===//

llvm::Expected<sxf::training::AdamWOptions>
sxf::target::adamwOptionsOf(DictionaryAttr d) {
  sxf::training::AdamWOptions o;
  for (auto [key, field] :
       {std::make_pair("lr", &o.lr), std::make_pair("beta1", &o.beta1),
        std::make_pair("beta2", &o.beta2), std::make_pair("eps", &o.eps),
        std::make_pair("weight_decay", &o.weightDecay)}) {
    auto f = d ? d.getAs<FloatAttr>(key) : FloatAttr();
    if (!f)
      return llvm::createStringError(
          llvm::Twine("adamw: '") + key + "' is missing or not a float");
    *field = f.getValueAsDouble();
  }
  if (llvm::Error e = sxf::training::validate(o))
    return std::move(e);
  return o;
}

DictionaryAttr sxf::target::adamwDictionary(
    MLIRContext *ctx, const sxf::training::AdamWOptions &o) {
  Builder b(ctx);
  return b.getDictionaryAttr(
      {b.getNamedAttr("lr", b.getF64FloatAttr(o.lr)),
       b.getNamedAttr("beta1", b.getF64FloatAttr(o.beta1)),
       b.getNamedAttr("beta2", b.getF64FloatAttr(o.beta2)),
       b.getNamedAttr("eps", b.getF64FloatAttr(o.eps)),
       b.getNamedAttr("weight_decay", b.getF64FloatAttr(o.weightDecay))});
}

LogicalResult ProgramOp::verify() {
  // Analyses keep state per unit: the count is bounded before anything is
  // allocated from it.
  if (getUnits() > kMaxUnits)
    return emitOpError() << "declares " << getUnits()
                         << " units, more than the " << kMaxUnits
                         << " sxf supports";
  if (DictionaryAttr d = getAdamwAttr()) {
    llvm::Expected<sxf::training::AdamWOptions> o = adamwOptionsOf(d);
    if (!o)
      return emitOpError() << llvm::toString(o.takeError());
  }
  return success();
}

LogicalResult ProgramOp::verifyRegions() {
  // The body's own structure: what may be in it, steps in order.
  int64_t lastIndex = -1, lastSection = 0;
  for (Operation &op : getBody().front()) {
    if (isa<PartitionOp, BufferOp>(op))
      continue;
    auto step = dyn_cast<StepOp>(op);
    if (!step)
      return op.emitOpError("is not allowed directly in an sxft.program");
    if (step.getIndex() <= lastIndex)
      return step.emitOpError("steps must have increasing indices");
    if (step.getSection() < lastSection)
      return step.emitOpError("sections must not decrease from step to step");
    lastIndex = step.getIndex();
    lastSection = step.getSection();
  }
  return success();
}

/// A partition's or buffer's bytes, and its layout against the program's
/// unit count.
template <typename OpT> static LogicalResult verifyPlaced(OpT op) {
  if (failed(checkBytes(op, op.getBytes())))
    return failure();
  if (std::optional<int64_t> units = unitsAround(op)) {
    std::string error;
    if (!layoutOf(op, *units, error))
      return op.emitOpError() << error;
  }
  return success();
}

/// A partition streamed in `count` pieces or a buffer streamed in `count`
/// chunks: at least one row of its largest block per slice.
template <typename OpT>
static LogicalResult checkSlices(OpT op, int64_t count, StringRef what) {
  if (std::optional<int64_t> units = unitsAround(op)) {
    std::string error;
    if (std::optional<Layout> l = layoutOf(op, *units, error))
      if (count > l->maxBlockRows())
        return op.emitOpError()
               << "is streamed in " << count << " " << what
               << ", more than the " << l->maxBlockRows()
               << " rows of its largest block";
  }
  return success();
}

LogicalResult PartitionOp::verify() {
  if (failed(verifyPlaced(*this)))
    return failure();
  if (getPieces() > 1 && !getOffchip())
    return emitOpError() << "is streamed in " << getPieces()
                         << " pieces but is not off-chip (pieces are loaded "
                            "from off-chip memory)";
  return checkSlices(*this, getPieces(), "pieces");
}

LogicalResult BufferOp::verify() {
  if (failed(verifyPlaced(*this)))
    return failure();
  return checkSlices(*this, getChunks(), "chunks");
}

LogicalResult StepOp::verifyRegions() {
  for (Operation &op : getBody().front())
    if (!isa<ComputeOp, ExchangeOp, LoadOp, StoreOp>(op))
      return op.emitOpError("is not allowed in an sxft.step");
  return success();
}

LogicalResult ComputeOp::verify() {
  if (getFlops() > kMaxOpFlops)
    return emitOpError() << "flops " << getFlops() << " is more than the "
                         << kMaxOpFlops << " one op may declare";
  if (!getPartitionAttr()) {
    switch (getKind()) {
    case ComputeKind::matmul:
    case ComputeKind::matmul_t:
    case ComputeKind::sddmm:
    case ComputeKind::gather:
    case ComputeKind::update:
      return emitOpError() << "'" << stringifyComputeKind(getKind())
                           << "' needs a weight partition";
    case ComputeKind::epilogue:
    case ComputeKind::rowwise:
    case ComputeKind::attention:
    case ComputeKind::append:
    case ComputeKind::reduce:
      break;
    }
  }
  if (getKind() == ComputeKind::update) {
    auto program = (*this)->getParentOfType<ProgramOp>();
    if (program && !program.getAdamwAttr())
      return emitOpError("'update' runs in a program with `adamw` only");
    if (getReads().size() != 1 || !getWrites().empty())
      return emitOpError("'update' reads one gradient buffer and writes "
                         "none (it updates its partition)");
  } else if (getWrites().empty()) {
    return emitOpError("writes no buffer");
  }
  if (std::optional<int64_t> units = unitsAround(*this)) {
    if (getUnit() >= *units)
      return emitOpError() << "unit " << getUnit()
                           << " does not exist (the target has " << *units
                           << " units)";
    if (getSpan() > *units)
      return emitOpError() << "span " << getSpan() << " is not between 1 and "
                           << *units;
  }
  return success();
}

LogicalResult
ComputeOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  if (FlatSymbolRefAttr sym = getPartitionAttr()) {
    auto p = symbolTable.lookupNearestSymbolFrom<PartitionOp>(*this, sym);
    if (!p)
      return emitOpError() << "unknown partition " << sym;
    std::optional<int64_t> units = unitsAround(*this);
    std::string error;
    std::optional<Layout> l =
        units ? layoutOf(p, *units, error) : std::nullopt;
    bool placed = true;
    switch (getKind()) {
    case ComputeKind::matmul:
    case ComputeKind::matmul_t:
    case ComputeKind::sddmm:
      // Each unit multiplies the block it holds (of every replica: a
      // weight replicated over token parts).
      placed = !l || (getUnit() == l->first && getSpan() == l->span());
      break;
    case ComputeKind::gather:
    case ComputeKind::epilogue:
    case ComputeKind::rowwise:
    case ComputeKind::attention:
    case ComputeKind::append:
    case ComputeKind::reduce:
    case ComputeKind::update:
      break;
    }
    if (!placed)
      return emitOpError() << "runs on units " << getUnit() << " span "
                           << getSpan() << " but the blocks of " << sym
                           << " are on units " << l->first << " span "
                           << l->span();
  }
  for (Attribute a : getReads()) {
    Operation *r =
        symbolTable.lookupNearestSymbolFrom(*this, cast<SymbolRefAttr>(a));
    if (!r || !isa<BufferOp, PartitionOp>(r))
      return emitOpError() << "reads unknown buffer " << a;
  }
  for (Attribute a : getWrites())
    if (!symbolTable.lookupNearestSymbolFrom<BufferOp>(
            *this, cast<SymbolRefAttr>(a)))
      return emitOpError() << "writes unknown buffer " << a;
  return success();
}

LogicalResult ExchangeOp::verify() { return checkBytes(*this, getBytes()); }

LogicalResult
ExchangeOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto src = symbolTable.lookupNearestSymbolFrom<BufferOp>(*this,
                                                           getSourceAttr());
  auto dst =
      symbolTable.lookupNearestSymbolFrom<BufferOp>(*this, getDestAttr());
  if (!src || !dst)
    return emitOpError() << "exchanges unknown buffer "
                         << (src ? getDestAttr() : getSourceAttr());
  if (src.getShape() != dst.getShape())
    return emitOpError() << "redistributes " << getSourceAttr() << " into "
                         << getDestAttr() << ", a buffer of another shape";
  if (dst.getPartial())
    return emitOpError() << "cannot exchange into the partial-sum buffer "
                         << getDestAttr();
  return success();
}

LogicalResult LoadOp::verify() { return checkBytes(*this, getBytes()); }

LogicalResult LoadOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto p = symbolTable.lookupNearestSymbolFrom<PartitionOp>(
      *this, getPartitionAttr());
  if (!p)
    return emitOpError() << "loads unknown partition " << getPartitionAttr();
  auto step = dyn_cast_or_null<StepOp>((*this)->getParentOp());
  if (!step)
    return success(); // HasParent says so
  int64_t section = step.getSection();
  // A partition streamed in pieces is loaded wherever it is used.
  if (!p.getOffchip() || (p.getSection() != section && p.getPieces() == 1))
    return emitOpError() << "loads " << getPartitionAttr()
                         << ", which is not an off-chip partition of section "
                         << section;
  return success();
}

LogicalResult StoreOp::verify() { return checkBytes(*this, getBytes()); }

LogicalResult StoreOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto p = symbolTable.lookupNearestSymbolFrom<PartitionOp>(
      *this, getPartitionAttr());
  if (!p)
    return emitOpError() << "stores unknown partition " << getPartitionAttr();
  if (!p.getOffchip())
    return emitOpError() << "stores " << getPartitionAttr()
                         << ", which is not an off-chip partition (a resident "
                            "weight is updated in place)";
  // The update it writes back runs in the same step, before it.
  bool updated = false;
  for (Operation *op = (*this)->getPrevNode(); op && !updated;
       op = op->getPrevNode())
    if (auto c = dyn_cast<ComputeOp>(op))
      updated = c.getKind() == ComputeKind::update &&
                c.getPartitionAttr() == getPartitionAttr();
  if (!updated)
    return emitOpError() << "stores " << getPartitionAttr()
                         << ", which no 'update' before it in the step "
                            "changes";
  return success();
}

#define GET_OP_CLASSES
#include "sxf/Dialect/SxfTarget/IR/SxfTargetOps.cpp.inc"
