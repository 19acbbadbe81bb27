/* capi-hello.c: sxf's C API from C, against the installed tree
 * (docs/embedding.md). Prunes a one-layer MLP with sxf-pipeline and prints
 * the version and whether the weight was pruned. */
#include "sxf-c/Dialects.h"
#include "sxf-c/Passes.h"

#include "mlir-c/IR.h"

#include <stdio.h>
#include <string.h>

static char text[1 << 16];
static size_t length;
static void gather(MlirStringRef s, void *user) {
  (void)user;
  if (length + s.length < sizeof(text)) {
    memcpy(text + length, s.data, s.length);
    length += s.length;
    text[length] = 0;
  }
}
static void printLine(MlirStringRef s, void *user) {
  (void)user;
  printf("%.*s\n", (int)s.length, s.data);
}

int main(void) {
  MlirContext ctx = mlirContextCreate();
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  sxfRegisterAllDialects(registry);
  mlirContextAppendDialectRegistry(ctx, registry);
  mlirDialectRegistryDestroy(registry);
  sxfRegisterAllPasses();
  MlirModule module = mlirModuleCreateParse(
      ctx,
      mlirStringRefCreateFromCString(
          "func.func @forward(%x: tensor<1x4x64xf32>) -> tensor<1x4x8xf32> {\n"
          "  %w1 = sxf.weight \"layers.0.ffn.fc1.weight\" : tensor<96x64xf32>\n"
          "  %w2 = sxf.weight \"head.weight\" : tensor<8x96xf32>\n"
          "  %h = sxf.linear %x, %w1 : (tensor<1x4x64xf32>, tensor<96x64xf32>)"
          " -> tensor<1x4x96xf32>\n"
          "  %y = sxf.linear %h, %w2 : (tensor<1x4x96xf32>, tensor<8x96xf32>)"
          " -> tensor<1x4x8xf32>\n"
          "  return %y : tensor<1x4x8xf32>\n"
          "}\n"));
  if (mlirModuleIsNull(module))
    return 1;
  MlirLogicalResult r = sxfRunPipeline(
      module, mlirStringRefCreateFromCString("method=magnitude sparsity=0.5"),
      printLine, NULL);
  mlirOperationPrint(mlirModuleGetOperation(module), gather, NULL);
  MlirStringRef v = sxfGetVersion();
  printf("sxf %.*s: pipeline %s, pruned: %s\n", (int)v.length, v.data,
         mlirLogicalResultIsSuccess(r) ? "ok" : "failed",
         strstr(text, "#sxf.sparsity<unstructured") ? "yes" : "no");
  mlirModuleDestroy(module);
  mlirContextDestroy(ctx);
  return mlirLogicalResultIsSuccess(r) ? 0 : 1;
}
