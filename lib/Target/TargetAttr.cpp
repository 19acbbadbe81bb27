//===- TargetAttr.cpp - #sxf.target <-> TargetDesc ------------*- C++ -*-===//

#include "sxf/Target/TargetAttr.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/JSON.h"

using namespace mlir;

namespace sxf {
namespace {

Attribute toAttr(Builder &b, const llvm::json::Value &v) {
  if (const llvm::json::Object *o = v.getAsObject()) {
    SmallVector<NamedAttribute> fields;
    for (const auto &[k, x] : *o)
      if (Attribute a = toAttr(b, x))
        fields.push_back(b.getNamedAttr(k.str(), a));
    return b.getDictionaryAttr(fields);
  }
  if (std::optional<bool> x = v.getAsBoolean())
    return b.getBoolAttr(*x);
  if (v.kind() == llvm::json::Value::Number) {
    // JSON keeps integers apart from doubles; so does the attribute.
    if (std::optional<int64_t> i = v.getAsInteger())
      return b.getI64IntegerAttr(*i);
    return b.getF64FloatAttr(*v.getAsNumber());
  }
  if (std::optional<llvm::StringRef> s = v.getAsString())
    return b.getStringAttr(*s);
  return {};
}

std::optional<llvm::json::Value> toJson(Attribute a) {
  if (auto d = dyn_cast<DictionaryAttr>(a)) {
    llvm::json::Object o;
    for (NamedAttribute f : d) {
      std::optional<llvm::json::Value> v = toJson(f.getValue());
      if (!v)
        return std::nullopt;
      o[f.getName().getValue()] = std::move(*v);
    }
    return llvm::json::Value(std::move(o));
  }
  if (auto x = dyn_cast<BoolAttr>(a))
    return llvm::json::Value(x.getValue());
  if (auto x = dyn_cast<IntegerAttr>(a))
    return llvm::json::Value(x.getValue().getSExtValue());
  if (auto x = dyn_cast<FloatAttr>(a))
    return llvm::json::Value(x.getValueAsDouble());
  if (auto x = dyn_cast<StringAttr>(a))
    return llvm::json::Value(x.getValue().str());
  return std::nullopt;
}

} // namespace

TargetAttr targetToAttr(MLIRContext *ctx, const TargetDesc &target) {
  Builder b(ctx);
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse(targetToJson(target));
  // targetToJson writes valid JSON by construction.
  if (!json) {
    llvm::consumeError(json.takeError());
    return {};
  }
  return TargetAttr::get(ctx, target.name,
                         cast<DictionaryAttr>(toAttr(b, *json)));
}

llvm::Expected<TargetDesc> targetFromAttr(TargetAttr attr) {
  std::string origin =
      "the module's sxf.target (\"" + attr.getName().str() + "\")";
  std::optional<llvm::json::Value> json = toJson(attr.getDescription());
  if (!json)
    return llvm::createStringError(
        origin + ": the description holds a value that is not a string, "
                 "number, boolean or dictionary");
  std::string text;
  llvm::raw_string_ostream os(text);
  os << *json;
  return parseTarget(text, origin);
}

TargetAttr recordedTarget(ModuleOp module) {
  return module->getAttrOfType<TargetAttr>(kTargetAttrName);
}

void recordTarget(ModuleOp module, const TargetDesc &target) {
  if (TargetAttr a = targetToAttr(module.getContext(), target))
    module->setAttr(kTargetAttrName, a);
}

FailureOr<TargetDesc> resolveTarget(ModuleOp module, llvm::StringRef option,
                                    llvm::StringRef fallback,
                                    llvm::StringRef who) {
  llvm::Expected<TargetDesc> desc =
      !option.empty()             ? loadTarget(option)
      : recordedTarget(module)    ? targetFromAttr(recordedTarget(module))
                                  : loadTarget(fallback);
  if (!desc) {
    emitError(module.getLoc()) << who << ": "
                               << llvm::toString(desc.takeError());
    return failure();
  }
  return std::move(*desc);
}

} // namespace sxf
