//===- Inputs.cpp - Binding a function's inputs from the command line -----===//

#include "sxf/Interpreter/Inputs.h"
#include "sxf/Support/Npy.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <cmath>

namespace sxf {

std::string valueName(mlir::DictionaryAttr attrs, llvm::StringRef prefix,
                      unsigned i) {
  if (attrs)
    if (auto n = attrs.getAs<mlir::StringAttr>("sxf.name"))
      return n.str();
  return (prefix + llvm::Twine(i)).str();
}

llvm::Expected<std::vector<HostValue>>
bindInputs(Interpreter &interp, mlir::func::FuncOp func,
           llvm::ArrayRef<std::string> specs, bool random, uint64_t seed) {
  auto fail = [](const llvm::Twine &msg) {
    return llvm::createStringError(msg.str());
  };
  unsigned numArgs = func.getNumArguments();
  std::vector<std::optional<HostValue>> given(numArgs);
  for (const std::string &spec : specs) {
    auto [name, path] = llvm::StringRef(spec).split('=');
    if (path.empty())
      return fail("--input expects NAME=file.npy, got '" + spec + "'");
    std::optional<unsigned> index;
    for (unsigned i = 0; i < numArgs; ++i)
      if (valueName(func.getArgAttrDict(i), "arg", i) == name ||
          ("arg" + llvm::Twine(i)).str() == name)
        index = i;
    if (!index)
      return fail("@" + func.getName() + " has no input named '" + name + "'");
    llvm::Expected<NpyArray> arr = readNpy(path);
    if (!arr)
      return arr.takeError();
    auto type =
        mlir::dyn_cast<mlir::RankedTensorType>(func.getArgument(*index).getType());
    if (!type) {
      std::string typeName;
      llvm::raw_string_ostream os(typeName);
      func.getArgument(*index).getType().print(os);
      return fail("input '" + name + "' has type " + typeName +
                  ", which cannot be fed (ranked tensors only)");
    }
    if (mlir::isa<mlir::IntegerType>(type.getElementType())) {
      llvm::Expected<IntTensor> t = arr->toInt();
      if (!t)
        return fail(path + ": " + llvm::toString(t.takeError()));
      given[*index] = HostValue::ints(std::move(*t));
    } else {
      llvm::Expected<Tensor> t = arr->toFloat();
      if (!t)
        return fail(path + ": " + llvm::toString(t.takeError()));
      given[*index] = HostValue::floats(std::move(*t));
    }
  }
  std::vector<HostValue> randomValues;
  if (random) {
    mlir::FailureOr<std::vector<HostValue>> r = interp.randomInputs(func, seed);
    if (mlir::failed(r))
      return fail("cannot make random inputs (see the error above)");
    randomValues = std::move(*r);
  }
  std::vector<HostValue> args;
  for (unsigned i = 0; i < numArgs; ++i) {
    if (given[i])
      args.push_back(std::move(*given[i]));
    else if (random)
      args.push_back(randomValues[i]);
    else
      return fail("no value for input '" +
                  valueName(func.getArgAttrDict(i), "arg", i) +
                  "' (give --input NAME=file.npy or --random-inputs)");
  }
  return args;
}

Comparison compareOutputs(const Tensor &got, const Tensor &want, double rtol,
                          double atol) {
  Comparison c;
  double diffNorm = 0, refNorm = 0;
  int64_t n = want.numel();
  int64_t rowLen = want.shape.empty() ? std::max<int64_t>(n, 1)
                                      : std::max<int64_t>(want.shape.back(), 1);
  for (int64_t r0 = 0; r0 < n; r0 += rowLen) {
    int64_t r1 = std::min(n, r0 + rowLen);
    double rowMax = 0;
    for (int64_t k = r0; k < r1; ++k)
      if (std::isfinite(want.data[k]))
        rowMax = std::max(rowMax, std::fabs(double(want.data[k])));
    for (int64_t k = r0; k < r1; ++k) {
      double a = got.data[k], e = want.data[k];
      double diff = std::fabs(a - e);
      bool ok;
      if (std::isnan(a) || std::isnan(e)) {
        ok = std::isnan(a) && std::isnan(e);
        diff = ok ? 0.0 : INFINITY;
      } else if (std::isinf(a) || std::isinf(e)) {
        ok = a == e;
        diff = ok ? 0.0 : INFINITY;
      } else {
        ok = diff <= atol + rtol * std::max(std::fabs(e), rowMax);
      }
      if (!ok) {
        if (c.firstBad < 0)
          c.firstBad = k;
        ++c.bad;
      }
      c.maxAbs = std::max(c.maxAbs, diff);
      diffNorm += diff * diff;
      if (std::isfinite(e)) {
        refNorm += e * e;
        c.maxRef = std::max(c.maxRef, std::fabs(e));
      }
      c.maxRel = std::max(c.maxRel, diff / std::max(std::fabs(e), 1e-30));
    }
  }
  c.relL2 = refNorm > 0 ? std::sqrt(diffNorm / refNorm) : 0.0;
  return c;
}

} // namespace sxf
