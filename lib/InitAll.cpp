//===- InitAll.cpp - Register every sxf dialect and pass --------*- C++ -*-===//

#include "sxf/InitAll.h"

#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/SxfTarget/IR/SxfTarget.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

void sxf::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<sxf::SxfDialect, sxf::target::SxfTargetDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::tensor::TensorDialect,
                  mlir::linalg::LinalgDialect,
                  mlir::sparse_tensor::SparseTensorDialect,
                  mlir::emitc::EmitCDialect, mlir::math::MathDialect>();
}

void sxf::registerAllPasses() {
  sxf::registerSxfPasses();
  sxf::registerSxfPipeline();
  sxf::registerSxfConversionPasses();
  // The generic cleanups that use the ops' folders and canonicalizers.
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
}
