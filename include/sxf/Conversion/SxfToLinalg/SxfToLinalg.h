//===- SxfToLinalg.h - sxf -> linalg conversion patterns --------*- C++ -*-===//
//
// The patterns of sxf-to-linalg, for use in other conversions:
//
//   SxfToLinalgTypeConverter converter;
//   RewritePatternSet patterns(ctx);
//   populateSxfToLinalgConversionPatterns(converter, patterns);
//   ConversionTarget target(*ctx);
//   configureSxfToLinalgTarget(target);
//   applyPartialConversion(module, target, std::move(patterns));
//
//===----------------------------------------------------------------------===//

#ifndef SXF_CONVERSION_SXFTOLINALG_SXFTOLINALG_H
#define SXF_CONVERSION_SXFTOLINALG_SXFTOLINALG_H

#include "sxf/Support/Tensor.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

#include <map>

namespace sxf {

class WeightStore;

/// The types sxf-to-linalg can lower: ranked tensors of static shape with
/// f32 elements (activations, weights) or i32/i64 elements (token ids); they
/// convert to themselves. Any other tensor type has no conversion, so an op
/// that carries one is not converted.
class SxfToLinalgTypeConverter : public mlir::TypeConverter {
public:
  SxfToLinalgTypeConverter();
};

/// Legal: linalg, tensor, arith, math, sparse_tensor, func; illegal: sxf.
void configureSxfToLinalgTarget(mlir::ConversionTarget &target);

/// Values of weights already read (by WeightOp), which the sxf.weight pattern
/// takes instead of reading the weight again.
using PreloadedWeights = std::map<mlir::Operation *, Tensor>;

/// Conversion patterns from every sxf op to linalg/tensor/arith/math (and
/// sparse_tensor.convert for CSR/BSR weights of sxf.linear). The sxf.weight
/// pattern reads values through `store` when given (else through a store of
/// the op's module) and takes them from `preloaded` first when given.
void populateSxfToLinalgConversionPatterns(
    mlir::TypeConverter &typeConverter, mlir::RewritePatternSet &patterns,
    WeightStore *store = nullptr, PreloadedWeights *preloaded = nullptr);

} // namespace sxf

#endif // SXF_CONVERSION_SXFTOLINALG_SXFTOLINALG_H
