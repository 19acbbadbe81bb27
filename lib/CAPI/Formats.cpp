//===- Formats.cpp - C API: encoding weights in sxf formats ---------------===//

#include "sxf-c/Formats.h"

#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Formats/Formats.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "mlir/IR/Diagnostics.h"

using namespace sxf;

static formats::EncodedMatrix *unwrapMatrix(SxfEncodedMatrix m) {
  return static_cast<formats::EncodedMatrix *>(m.ptr);
}

static void report(MlirStringCallback cb, void *userData,
                   const std::string &message) {
  if (cb)
    cb(mlirStringRefCreate(message.data(), message.size()), userData);
}

SxfEncodedMatrix sxfEncodedMatrixCreate(MlirContext ctx, MlirStringRef format,
                                        const float *data, int64_t rows,
                                        int64_t cols,
                                        MlirStringCallback onError,
                                        void *userData) {
  mlir::MLIRContext *context = unwrap(ctx);
  context->getOrLoadDialect<SxfDialect>();
  if (rows < 1 || cols < 1 || !data) {
    report(onError, userData,
           "sxfEncodedMatrixCreate: a matrix needs data and at least one row "
           "and one column (got " +
               std::to_string(rows) + " x " + std::to_string(cols) + ")");
    return {nullptr};
  }
  // The attribute parser's own diagnostics name what is wrong in `format`.
  std::string parseError;
  mlir::Attribute attr;
  {
    mlir::ScopedDiagnosticHandler h(context, [&](mlir::Diagnostic &d) {
      parseError = d.str();
      return mlir::success();
    });
    attr = mlir::parseAttribute(unwrap(format), context);
  }
  auto f = llvm::dyn_cast_or_null<FormatAttr>(attr);
  if (!f) {
    report(onError, userData,
           "sxfEncodedMatrixCreate: '" + unwrap(format).str() +
               "' is not an #sxf.format attribute" +
               (parseError.empty() ? "" : ": " + parseError));
    return {nullptr};
  }
  Tensor dense({rows, cols});
  std::copy(data, data + rows * cols, dense.data.begin());
  llvm::Expected<formats::EncodedMatrix> m =
      formats::encode(dense, toFormatSpec(f));
  if (!m) {
    report(onError, userData,
           "sxfEncodedMatrixCreate: " + llvm::toString(m.takeError()));
    return {nullptr};
  }
  return {new formats::EncodedMatrix(std::move(*m))};
}

void sxfEncodedMatrixDestroy(SxfEncodedMatrix m) { delete unwrapMatrix(m); }

// A null handle (a failed sxfEncodedMatrixCreate) answers -1, prints
// nothing and decodes to failure: no call aborts.
int64_t sxfEncodedMatrixNumBytes(SxfEncodedMatrix m) {
  return m.ptr ? unwrapMatrix(m)->bytes().total() : -1;
}

int64_t sxfEncodedMatrixNumStoredValues(SxfEncodedMatrix m) {
  return m.ptr ? unwrapMatrix(m)->storedValues : -1;
}

void sxfEncodedMatrixPrintFormat(SxfEncodedMatrix m,
                                 MlirStringCallback callback, void *userData) {
  if (m.ptr)
    report(callback, userData, formats::toString(unwrapMatrix(m)->spec));
}

MlirLogicalResult sxfEncodedMatrixDecode(SxfEncodedMatrix m, float *out) {
  if (!m.ptr || !out)
    return mlirLogicalResultFailure();
  llvm::Expected<Tensor> t = formats::decode(*unwrapMatrix(m));
  if (!t) {
    llvm::consumeError(t.takeError());
    return mlirLogicalResultFailure();
  }
  std::copy(t->data.begin(), t->data.end(), out);
  return mlirLogicalResultSuccess();
}
