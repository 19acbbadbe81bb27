//===- SxfDialect.cpp - sxf dialect registration ----------------*- C++ -*-===//

#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "mlir/IR/BuiltinOps.h"

#include "sxf_rt/names.h"

using namespace mlir;
using namespace sxf;

#include "sxf/Dialect/Sxf/IR/SxfOpsDialect.cpp.inc"

LogicalResult sxf::checkTensorName(function_ref<InFlightDiagnostic()> emitError,
                                   Attribute name, StringRef what) {
  auto s = dyn_cast<StringAttr>(name);
  if (!s)
    return emitError() << what << " must be a string, got " << name;
  std::string problem = sxf_rt::tensorNameProblem(s.getValue().str());
  if (!problem.empty())
    return emitError() << what << " '" << s.getValue() << "' " << problem;
  return success();
}

/// `sxf.name` on an entry argument or result: the name the tools read and
/// write it under (`<output-dir>/<name>.npy`, `--input NAME=...`).
static LogicalResult verifyValueName(Operation *op, NamedAttribute attr,
                                     StringRef kind, unsigned index) {
  if (attr.getName().getValue() != "sxf.name")
    return op->emitError() << "unknown sxf " << kind << " attribute '"
                           << attr.getName().getValue() << "'";
  return checkTensorName([&] { return op->emitError(); }, attr.getValue(),
                         (Twine("'sxf.name' of ") + kind + " " +
                          Twine(index))
                             .str());
}

LogicalResult SxfDialect::verifyRegionArgAttribute(Operation *op, unsigned,
                                                   unsigned argIndex,
                                                   NamedAttribute attr) {
  return verifyValueName(op, attr, "argument", argIndex);
}

LogicalResult SxfDialect::verifyRegionResultAttribute(Operation *op, unsigned,
                                                      unsigned resultIndex,
                                                      NamedAttribute attr) {
  // `sxf.gradient_of` (sxf-differentiate): the weight a training step's
  // result is the gradient of.
  if (attr.getName().getValue() == "sxf.gradient_of")
    return checkTensorName([&] { return op->emitError(); }, attr.getValue(),
                           "'sxf.gradient_of' of result " +
                               std::to_string(resultIndex));
  return verifyValueName(op, attr, "result", resultIndex);
}

LogicalResult SxfDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  if (name == "sxf.name")
    return checkTensorName([&] { return op->emitError(); }, attr.getValue(),
                           "'sxf.name'");
  if (name == "sxf.weights_file" || name == "sxf.model") {
    if (!isa<StringAttr>(attr.getValue()))
      return op->emitError() << "'" << name << "' must be a string, got "
                             << attr.getValue();
    return success();
  }
  if (name == kTargetAttrName) {
    if (!isa<TargetAttr>(attr.getValue()))
      return op->emitError() << "'" << name
                             << "' must be a #sxf.target, got "
                             << attr.getValue();
    if (!isa<ModuleOp>(op))
      return op->emitError() << "'" << name << "' belongs on the module";
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
