//===- SxfDialect.cpp - sxf dialect registration ----------------*- C++ -*-===//

#include "sxf/Dialect/Sxf/IR/Sxf.h"

using namespace mlir;
using namespace sxf;

#include "sxf/Dialect/Sxf/IR/SxfOpsDialect.cpp.inc"

LogicalResult SxfDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  if (name == "sxf.weights_file" || name == "sxf.model" ||
      name == "sxf.name") {
    if (!isa<StringAttr>(attr.getValue()))
      return op->emitError() << "'" << name << "' must be a string, got "
                             << attr.getValue();
    return success();
  }
  if (name == "sxf.metadata_only") {
    if (!isa<UnitAttr>(attr.getValue()))
      return op->emitError("'sxf.metadata_only' is a unit attribute");
    return success();
  }
  if (name == "sxf.cost") {
    if (!isa<DictionaryAttr>(attr.getValue()))
      return op->emitError() << "'sxf.cost' must be a dictionary";
    return success();
  }
  return op->emitError() << "unknown sxf attribute '" << name << "'";
}

void SxfDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "sxf/Dialect/Sxf/IR/SxfOps.cpp.inc"
      >();
}
