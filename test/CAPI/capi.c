/*===- capi.c - The sxf C API from a C program ----------------------------===*\
|*                                                                            *|
|* Built as sxf-capi-test (test/CAPI/CMakeLists.txt) and run by capi.test,   *|
|* which checks its output with FileCheck: dialect registration, parsing sxf  *|
|* IR, a generated pass constructor in a pass manager, sxf-pipeline from an   *|
|* option string (and its located error), format encode / decode, and the     *|
|* simulator's JSON report.                                                   *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "sxf-c/Dialects.h"
#include "sxf-c/Formats.h"
#include "sxf-c/Passes.h"
#include "sxf-c/Simulator.h"

#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void print(MlirStringRef s, void *user) {
  (void)user;
  fwrite(s.data, 1, s.length, stdout);
}

static void printLine(MlirStringRef s, void *user) {
  print(s, user);
  fputc('\n', stdout);
}

/* Counts the occurrences of `needle` in what is printed (the printer calls
 * back in pieces, so the text is gathered first). */
struct Count {
  const char *needle;
  int n;
  char text[65536];
  size_t length;
};
static void gather(MlirStringRef s, void *user) {
  struct Count *c = (struct Count *)user;
  size_t room = sizeof(c->text) - 1 - c->length;
  size_t k = s.length < room ? s.length : room;
  memcpy(c->text + c->length, s.data, k);
  c->length += k;
  c->text[c->length] = 0;
}
static int occurrences(struct Count *c) {
  int n = 0;
  for (const char *p = strstr(c->text, c->needle); p;
       p = strstr(p + 1, c->needle))
    ++n;
  return n;
}

/* A two-layer MLP: 64 -> 96 -> 64 features for 4 tokens. */
static const char *kModel =
    "module {\n"
    "  func.func @forward(%x: tensor<1x4x64xf32>) -> tensor<1x4x64xf32> {\n"
    "    %w1 = sxf.weight \"layers.0.ffn.fc1.weight\" : tensor<96x64xf32>\n"
    "    %w2 = sxf.weight \"layers.0.ffn.fc2.weight\" : tensor<64x96xf32>\n"
    "    %h = sxf.linear %x, %w1 activation relu : (tensor<1x4x64xf32>, "
    "tensor<96x64xf32>) -> tensor<1x4x96xf32>\n"
    "    %y = sxf.linear %h, %w2 : (tensor<1x4x96xf32>, tensor<64x96xf32>) "
    "-> tensor<1x4x64xf32>\n"
    "    return %y : tensor<1x4x64xf32>\n"
    "  }\n"
    "}\n";

int main(void) {
  MlirContext ctx = mlirContextCreate();
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  sxfRegisterAllDialects(registry);
  mlirContextAppendDialectRegistry(ctx, registry);
  mlirDialectRegistryDestroy(registry);
  mlirContextLoadAllAvailableDialects(ctx);
  sxfRegisterAllPasses();

  MlirDialect sxf =
      mlirDialectHandleLoadDialect(mlirGetDialectHandle__sxf__(), ctx);
  MlirStringRef ns = mlirDialectGetNamespace(sxf);
  // CHECK: dialect: sxf
  printf("dialect: %.*s\n", (int)ns.length, ns.data);
  // CHECK-NEXT: version: {{[0-9]+\.[0-9]+\.[0-9]+}}
  MlirStringRef v = sxfGetVersion();
  printf("version: %.*s\n", (int)v.length, v.data);

  MlirModule module =
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(kModel));
  if (mlirModuleIsNull(module)) {
    printf("parse failed\n");
    return 1;
  }

  /* A generated constructor in an ordinary pass manager. */
  MlirPassManager pm = mlirPassManagerCreate(ctx);
  mlirPassManagerAddOwnedPass(pm, mlirCreateSxfSxfDecomposePass());
  // CHECK-NEXT: decompose: ok
  printf("decompose: %s\n",
         mlirLogicalResultIsSuccess(mlirPassManagerRunOnOp(
             pm, mlirModuleGetOperation(module)))
             ? "ok"
             : "failed");
  mlirPassManagerDestroy(pm);

  /* sxf-pipeline from its option string: 80% magnitude pruning. */
  MlirLogicalResult r = sxfRunPipeline(
      module, mlirStringRefCreateFromCString("method=magnitude sparsity=0.8"),
      printLine, NULL);
  // CHECK-NEXT: pipeline: ok
  printf("pipeline: %s\n", mlirLogicalResultIsSuccess(r) ? "ok" : "failed");
  static struct Count sparsity = {"#sxf.sparsity<unstructured", 0, {0}, 0};
  mlirOperationPrint(mlirModuleGetOperation(module), gather, &sparsity);
  /* The output head (fc2) is kept dense. */
  // CHECK-NEXT: pruned weights: 1
  printf("pruned weights: %d\n", occurrences(&sparsity));

  /* Options out of range and malformed: a located error, and failure. */
  // CHECK-NEXT: loc({{.*}}): sxf-pipeline: {{.*}}sparsity{{.*}}
  r = sxfRunPipeline(
      module, mlirStringRefCreateFromCString("method=magnitude sparsity=1.5"),
      printLine, NULL);
  // CHECK: bad options: failed
  printf("bad options: %s\n", mlirLogicalResultIsFailure(r) ? "failed" : "ok");
  // CHECK: sxf-pipeline: cannot parse the options 'no-such-option=1': no such option no-such-option
  r = sxfRunPipeline(module,
                     mlirStringRefCreateFromCString("no-such-option=1"),
                     printLine, NULL);
  // CHECK: unknown option: failed
  printf("unknown option: %s\n",
         mlirLogicalResultIsFailure(r) ? "failed" : "ok");

  /* Encode a 4 x 8 matrix with 4 nonzeros in CSR f16 / 16-bit indices. */
  float dense[32] = {0};
  dense[1] = 1.5f;
  dense[10] = -2.0f;
  dense[20] = 3.25f;
  dense[31] = 4.0f;
  SxfEncodedMatrix m = sxfEncodedMatrixCreate(
      ctx,
      mlirStringRefCreateFromCString(
          "#sxf.format<csr, value = f16, index = 16>"),
      dense, 4, 8, printLine, NULL);
  if (sxfEncodedMatrixIsNull(m))
    return 1;
  // CHECK-NEXT: format: csr f16/i16
  printf("format: ");
  sxfEncodedMatrixPrintFormat(m, printLine, NULL);
  /* 4 values x 2 B + 4 column indices x 2 B + 5 row pointers x 2 B. */
  // CHECK-NEXT: stored 4 values in 26 bytes
  printf("stored %lld values in %lld bytes\n",
         (long long)sxfEncodedMatrixNumStoredValues(m),
         (long long)sxfEncodedMatrixNumBytes(m));
  float back[32];
  int same = mlirLogicalResultIsSuccess(sxfEncodedMatrixDecode(m, back));
  for (int i = 0; i < 32; ++i)
    same &= fabsf(back[i] - dense[i]) < 1e-3f;
  // CHECK-NEXT: decode: equal
  printf("decode: %s\n", same ? "equal" : "different");
  sxfEncodedMatrixDestroy(m);

  /* An N:M format that the matrix does not satisfy: the message says so. */
  // CHECK-NEXT: sxfEncodedMatrixCreate: {{.*}}
  float full[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  m = sxfEncodedMatrixCreate(
      ctx,
      mlirStringRefCreateFromCString("#sxf.format<nm[2, 4], value = f32, "
                                     "index = 2>"),
      full, 1, 8, printLine, NULL);
  // CHECK-NEXT: nm of a dense row: refused
  printf("nm of a dense row: %s\n",
         sxfEncodedMatrixIsNull(m) ? "refused" : "accepted");
  // CHECK-NEXT: sxfEncodedMatrixCreate: 'csr' is not an #sxf.format attribute
  m = sxfEncodedMatrixCreate(ctx, mlirStringRefCreateFromCString("csr"), full,
                             1, 8, printLine, NULL);

  /* A null handle (a failed create) answers -1, prints nothing and does not
   * decode; nor does a NULL output. */
  // CHECK-NEXT: null handle: -1 -1, decode failed, NULL out failed
  m = sxfEncodedMatrixCreate(ctx, mlirStringRefCreateFromCString("csr"), full,
                             0, 8, NULL, NULL);
  SxfEncodedMatrix ok = sxfEncodedMatrixCreate(
      ctx, mlirStringRefCreateFromCString("#sxf.format<bsr[4, 4], value = f32, index = 8>"),
      dense, 4, 8, printLine, NULL);
  sxfEncodedMatrixPrintFormat(m, printLine, NULL);
  printf("null handle: %lld %lld, decode %s, NULL out %s\n",
         (long long)sxfEncodedMatrixNumBytes(m),
         (long long)sxfEncodedMatrixNumStoredValues(m),
         mlirLogicalResultIsFailure(sxfEncodedMatrixDecode(m, back)) ? "failed"
                                                                     : "ok",
         mlirLogicalResultIsFailure(sxfEncodedMatrixDecode(ok, NULL))
             ? "failed"
             : "ok");
  sxfEncodedMatrixDestroy(ok);
  sxfEncodedMatrixDestroy(m);

  /* The simulator's JSON report of the pruned model on the IPU preset. */
  static struct Count report = {"\"time_s\"", 0, {0}, 0};
  r = sxfSimulatePerformance(module, mlirStringRefCreateFromCString("ipu-mk2"),
                             gather, printLine, &report);
  // CHECK: simulate: ok, report with time_s: yes
  printf("simulate: %s, report with time_s: %s\n",
         mlirLogicalResultIsSuccess(r) ? "ok" : "failed",
         occurrences(&report) > 0 ? "yes" : "no");
  // CHECK-NEXT: {{.*}}no-such-target{{.*}}
  r = sxfSimulatePerformance(
      module, mlirStringRefCreateFromCString("no-such-target"), gather,
      printLine, &report);
  // CHECK-NEXT: unknown target: failed
  printf("unknown target: %s\n",
         mlirLogicalResultIsFailure(r) ? "failed" : "ok");

  mlirModuleDestroy(module);
  mlirContextDestroy(ctx);
  return 0;
}
