//===- WeightStore.cpp - Access to the values of sxf.weight ops -*- C++ -*-===//

#include "sxf/Weights/WeightStore.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;
using namespace sxf;

namespace sxf {

WeightStore::WeightStore(ModuleOp module) : module(module) {}

std::string WeightStore::declaredFile() const {
  if (auto attr = module->getAttrOfType<StringAttr>(kWeightsFileAttrName))
    return attr.str();
  return "";
}

/// The directory of the file the module was parsed from, if known.
static std::string moduleDirectory(ModuleOp module) {
  Location loc = module.getLoc();
  if (auto fileLoc = loc->findInstanceOf<FileLineColLoc>()) {
    StringRef name = fileLoc.getFilename().getValue();
    if (!name.empty() && name != "-" && name != "<stdin>")
      return llvm::sys::path::parent_path(name).str();
  }
  return "";
}

std::string WeightStore::resolvedFile() const {
  std::string declared = declaredFile();
  if (declared.empty() || llvm::sys::path::is_absolute(declared))
    return declared;
  std::string dir = moduleDirectory(module);
  if (!dir.empty()) {
    llvm::SmallString<256> candidate(dir);
    llvm::sys::path::append(candidate, declared);
    if (llvm::sys::fs::exists(candidate))
      return std::string(candidate);
  }
  return declared;
}

WeightSource WeightStore::source(WeightOp op) const {
  if (op.getValueAttr())
    return WeightSource::Inline;
  if (op->hasAttr(kMetadataOnlyAttrName))
    return WeightSource::None;
  if (!declaredFile().empty())
    return WeightSource::File;
  return WeightSource::None;
}

FailureOr<const SafetensorsFile *> WeightStore::file(Location loc) {
  if (!triedOpen) {
    triedOpen = true;
    std::string path = resolvedFile();
    if (path.empty()) {
      openError = "the module has no 'sxf.weights_file' attribute";
    } else {
      llvm::Expected<std::unique_ptr<SafetensorsFile>> f =
          SafetensorsFile::open(path);
      if (f)
        opened = std::move(*f);
      else
        openError = llvm::toString(f.takeError());
    }
  }
  if (!opened) {
    emitError(loc) << "cannot read weights: " << openError;
    return failure();
  }
  return opened.get();
}

llvm::Expected<Tensor> elementsToTensor(ElementsAttr attr) {
  auto type = dyn_cast<RankedTensorType>(attr.getType());
  if (!type)
    return llvm::createStringError("inline value is not a ranked tensor");
  Tensor t(std::vector<int64_t>(type.getShape().begin(), type.getShape().end()));
  Type elt = type.getElementType();
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (!isa<FloatType>(elt))
      return llvm::createStringError("inline value has non-float elements");
    int64_t i = 0;
    for (APFloat v : dense.getValues<APFloat>()) {
      bool lost;
      v.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
      t.data[i++] = v.convertToFloat();
    }
    return t;
  }
  if (auto res = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = res.getRawHandle().getBlob();
    if (!blob)
      return llvm::createStringError(
          "inline dense_resource blob '%s' has no data (was it elided?)",
          res.getRawHandle().getKey().str().c_str());
    ArrayRef<char> bytes = blob->getData();
    unsigned width = elt.getIntOrFloatBitWidth() / 8;
    if (bytes.size() != static_cast<size_t>(t.numel()) * width)
      return llvm::createStringError(
          "inline dense_resource blob holds %zu bytes, expected %zu",
          bytes.size(), static_cast<size_t>(t.numel()) * width);
    DType dtype = elt.isF32()    ? DType::F32
                  : elt.isF64()  ? DType::F64
                  : elt.isF16()  ? DType::F16
                  : elt.isBF16() ? DType::BF16
                                 : DType::I8;
    if (!dtypeIsFloat(dtype))
      return llvm::createStringError(
          "inline dense_resource element type is not f32/f16/bf16/f64");
    decodeFloats(reinterpret_cast<const uint8_t *>(bytes.data()), dtype,
                 t.numel(), t.data.data());
    return t;
  }
  return llvm::createStringError(
      "inline value must be a dense or dense_resource elements attribute");
}

FailureOr<Tensor> WeightStore::loadStored(WeightOp op) {
  FailureOr<Tensor> t = load(op);
  if (failed(t))
    return failure();
  FormatAttr f = op.getFormatAttr();
  if (!f || f.getValueType().isF32())
    return t;
  DType dt = f.getValueType().isF16() ? DType::F16 : DType::BF16;
  std::vector<uint8_t> bytes(t->data.size() * 2);
  encodeFloats(t->data.data(), int64_t(t->data.size()), dt, bytes.data());
  decodeFloats(bytes.data(), dt, int64_t(t->data.size()), t->data.data());
  return t;
}

FailureOr<Tensor> WeightStore::load(WeightOp op) {
  RankedTensorType type = op.getResult().getType();
  if (ElementsAttr value = op.getValueAttr()) {
    llvm::Expected<Tensor> t = elementsToTensor(value);
    if (!t) {
      op.emitError() << "weight '" << op.getName()
                     << "': " << llvm::toString(t.takeError());
      return failure();
    }
    return std::move(*t);
  }
  if (source(op) == WeightSource::None) {
    op.emitError() << "weight '" << op.getName()
                   << "' has no values: the model is metadata-only (no "
                      "'value' attribute and no 'sxf.weights_file')";
    return failure();
  }
  FailureOr<const SafetensorsFile *> f = file(op.getLoc());
  if (failed(f))
    return failure();
  const SafetensorsEntry *entry = (*f)->find(op.getName());
  if (!entry) {
    op.emitError() << "weight '" << op.getName() << "' is not in "
                   << (*f)->path();
    return failure();
  }
  if (ArrayRef<int64_t>(entry->shape) != type.getShape()) {
    op.emitError() << "weight '" << op.getName() << "' has shape "
                   << shapeToString(entry->shape) << " in " << (*f)->path()
                   << " but the IR declares " << type;
    return failure();
  }
  llvm::Expected<Tensor> t = (*f)->readFloat(op.getName());
  if (!t) {
    op.emitError() << llvm::toString(t.takeError());
    return failure();
  }
  return std::move(*t);
}

void setInlineValue(WeightOp op, const Tensor &t) {
  RankedTensorType type = RankedTensorType::get(
      op.getResult().getType().getShape(),
      Float32Type::get(op.getContext()));
  // An empty tensor has no data pointer; the blob copy must not see null.
  static const float kNoData = 0.0f;
  ArrayRef<float> data =
      t.data.empty() ? ArrayRef<float>(&kNoData, size_t(0)) : ArrayRef<float>(t.data);
  AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(data);
  auto attr = DenseResourceElementsAttr::get(type, op.getName(), std::move(blob));
  op.setValueAttr(attr);
}

std::vector<SafetensorsSlot>
weightSlots(const std::map<std::string, WeightOp> &weights, DType dtype) {
  std::vector<SafetensorsSlot> slots;
  for (auto [name, op] : weights) {
    ArrayRef<int64_t> shape = op.getResult().getType().getShape();
    slots.push_back({name, dtype, {shape.begin(), shape.end()}});
  }
  return slots;
}

FailureOr<std::map<std::string, WeightOp>> collectWeights(ModuleOp module) {
  std::map<std::string, WeightOp> byName;
  bool ok = true;
  module.walk([&](WeightOp op) {
    auto [it, inserted] = byName.emplace(op.getName().str(), op);
    if (!inserted && it->second.getType() == op.getType() &&
        it->second.getValueAttr() != op.getValueAttr()) {
      InFlightDiagnostic diag = op.emitError()
                                << "weight '" << op.getName()
                                << "' is declared twice with different values";
      diag.attachNote(it->second.getLoc()) << "first declared here";
      ok = false;
    } else if (!inserted && it->second.getType() != op.getType()) {
      InFlightDiagnostic diag = op.emitError()
                                << "weight '" << op.getName()
                                << "' is declared with two types: "
                                << op.getType() << " and "
                                << it->second.getType();
      diag.attachNote(it->second.getLoc()) << "first declared here";
      ok = false;
    }
  });
  if (!ok)
    return failure();
  return byName;
}

} // namespace sxf
