//===- SxfDialect.cpp - sxf dialect registration ----------------*- C++ -*-===//

#include "sxf/Dialect/Sxf/IR/Sxf.h"

using namespace mlir;
using namespace sxf;

#include "sxf/Dialect/Sxf/IR/SxfOpsDialect.cpp.inc"

void SxfDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "sxf/Dialect/Sxf/IR/SxfOps.cpp.inc"
      >();
}
