//===- SxfContextTest.h - A GoogleTest fixture with an sxf context -*- C++ -*-===//
//
// The fixture the MLIR-level unit tests share: an MLIRContext with every
// dialect sxf registers (sxf::registerAllDialects) loaded, whose diagnostics
// are collected into `diagnostics` (one per line) instead of printed, so a
// test can check an error's text; and `parse` for a module in .mlir text.
//
//   class MyTest : public sxf::test::SxfContextTest {};
//   TEST_F(MyTest, X) { auto m = parse("..."); ASSERT_TRUE(m) << diagnostics; }
//
//===----------------------------------------------------------------------===//

#ifndef SXF_TEST_SXFCONTEXTTEST_H
#define SXF_TEST_SXFCONTEXTTEST_H

#include "sxf/InitAll.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <memory>
#include <string>

namespace sxf {
namespace test {

class SxfContextTest : public ::testing::Test {
protected:
  SxfContextTest() {
    sxf::registerAllDialects(registry);
    context = std::make_unique<mlir::MLIRContext>(registry);
    context->loadAllAvailableDialects();
    context->getDiagEngine().registerHandler([this](mlir::Diagnostic &d) {
      diagnostics += d.str() + "\n";
      return mlir::success();
    });
  }

  mlir::OwningOpRef<mlir::ModuleOp> parse(llvm::StringRef text) {
    return mlir::parseSourceString<mlir::ModuleOp>(text, context.get());
  }

  mlir::DialectRegistry registry;
  std::unique_ptr<mlir::MLIRContext> context;
  /// Every diagnostic emitted so far, one per line.
  std::string diagnostics;
};

} // namespace test
} // namespace sxf

#endif // SXF_TEST_SXFCONTEXTTEST_H
