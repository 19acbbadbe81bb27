/*===- sxf-c/Formats.h - C API: encoding weights in sxf formats ---*- C -*-===*\
|*                                                                            *|
|* A dense row-major fp32 matrix encoded in one of sxf's storage formats      *|
|* (dense, CSR, CSC, COO, ELL, BSR, N:M; docs/formats.md), with the exact     *|
|* byte counts and the decode back. The format is written as the attribute    *|
|* `#sxf.format<...>` (e.g. "#sxf.format<bsr[4, 4], value = f16, index =     *|
|* 16>") and parsed in an MLIRContext that has the sxf dialect loaded.       *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef SXF_C_FORMATS_H
#define SXF_C_FORMATS_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An encoded matrix, owned by the caller (sxfEncodedMatrixDestroy). */
typedef struct SxfEncodedMatrix {
  void *ptr;
} SxfEncodedMatrix;

/** Encodes the `rows` x `cols` row-major matrix `data` in `format`. On error
 * (the format does not parse, rows or cols < 1, an N:M group with more than
 * N nonzeros, an index width that cannot hold the matrix) returns a handle
 * whose ptr is NULL and passes the message to `onError` (when not NULL). */
MLIR_CAPI_EXPORTED SxfEncodedMatrix sxfEncodedMatrixCreate(
    MlirContext ctx, MlirStringRef format, const float *data, int64_t rows,
    int64_t cols, MlirStringCallback onError, void *userData);

MLIR_CAPI_EXPORTED void sxfEncodedMatrixDestroy(SxfEncodedMatrix m);

static inline bool sxfEncodedMatrixIsNull(SxfEncodedMatrix m) {
  return m.ptr == NULL;
}

/** Bytes of the values, indices and pointers arrays together (-1 for a null
 * handle, as the two counts below). */
MLIR_CAPI_EXPORTED int64_t sxfEncodedMatrixNumBytes(SxfEncodedMatrix m);
/** Values stored, padding included (ELL / BSR / N:M store explicit zeros). */
MLIR_CAPI_EXPORTED int64_t sxfEncodedMatrixNumStoredValues(SxfEncodedMatrix m);
/** The format in the runtime's short form, e.g. "csr f16/i16". */
MLIR_CAPI_EXPORTED void sxfEncodedMatrixPrintFormat(SxfEncodedMatrix m,
                                                    MlirStringCallback callback,
                                                    void *userData);
/** Decodes into `out` (rows x cols floats, row-major): the encoded matrix up
 * to value-type rounding. Failure for a null handle or a NULL `out`. */
MLIR_CAPI_EXPORTED MlirLogicalResult sxfEncodedMatrixDecode(SxfEncodedMatrix m,
                                                            float *out);

#ifdef __cplusplus
}
#endif

#endif /* SXF_C_FORMATS_H */
