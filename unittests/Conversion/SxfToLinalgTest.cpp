//===- SxfToLinalgTest.cpp - the sxf -> linalg patterns used on their own -===//
//
// populateSxfToLinalgConversionPatterns is public so that other conversions
// can use it: with only a type converter and a pattern set (no store, no
// preloaded values) the sxf.weight pattern reads the values itself.
//
//===----------------------------------------------------------------------===//

#include "sxf/Conversion/SxfToLinalg/SxfToLinalg.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/InitAll.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;

namespace {

const char *kModel = R"mlir(
func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<4x4xf32>, format = #sxf.format<csr, index = 8>} : tensor<4x4xf32>
  %g = sxf.weight "g" {value = dense<2.0> : tensor<4xf32>} : tensor<4xf32>
  %y = sxf.linear %x, %w activation relu : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %n = sxf.rms_norm %y, %g : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %s = sxf.softmax %n : tensor<2x4xf32>
  return %s : tensor<2x4xf32>
}
)mlir";

TEST(SxfToLinalg, PatternsOnTheirOwn) {
  DialectRegistry registry;
  sxf::registerAllDialects(registry);
  MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(kModel, &ctx);
  ASSERT_TRUE(module);

  sxf::SxfToLinalgTypeConverter converter;
  RewritePatternSet patterns(&ctx);
  sxf::populateSxfToLinalgConversionPatterns(converter, patterns);
  ConversionTarget target(ctx);
  sxf::configureSxfToLinalgTarget(target);
  ASSERT_TRUE(
      succeeded(applyPartialConversion(*module, target, std::move(patterns))));

  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  EXPECT_EQ(text.find("sxf."), std::string::npos) << text;
  EXPECT_NE(text.find("sparse_tensor.convert"), std::string::npos) << text;
  EXPECT_NE(text.find("arith.constant dense<2.000000e+00> : tensor<4xf32>"),
            std::string::npos)
      << text;
}

TEST(SxfToLinalg, TypesWithoutConversion) {
  MLIRContext ctx;
  ctx.loadDialect<sxf::SxfDialect>();
  sxf::SxfToLinalgTypeConverter converter;
  Type f32 = Float32Type::get(&ctx), f16 = Float16Type::get(&ctx);
  Type i64 = IntegerType::get(&ctx, 64);
  EXPECT_TRUE(converter.isLegal(RankedTensorType::get({2, 3}, f32)));
  EXPECT_TRUE(converter.isLegal(RankedTensorType::get({2, 3}, i64)));
  EXPECT_FALSE(converter.isLegal(RankedTensorType::get({2, 3}, f16)));
  EXPECT_FALSE(
      converter.isLegal(RankedTensorType::get({ShapedType::kDynamic, 3}, f32)));
  EXPECT_FALSE(converter.convertType(RankedTensorType::get({2, 3}, f16)));
}

} // namespace
