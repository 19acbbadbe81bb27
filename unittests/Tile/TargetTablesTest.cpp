//===- TargetTablesTest.cpp - Per-value-type efficiency tables ------------===//
//
// The lookup rules of TargetDesc::dense / sparse (docs/targets.md): a value
// type's own table, else the closest type's, the flat (version 1) form for
// every type, the round trip through targetToJson, and "NAME:dynamic".
//
//===----------------------------------------------------------------------===//

#include "sxf/Target/Target.h"

#include <gtest/gtest.h>

using namespace sxf;

namespace {

const char *kPerType = R"({
  "version": 2, "name": "t", "kind": "cpu", "units": 2, "clock_hz": 1e9,
  "sram_per_unit_bytes": 1024, "offchip_bandwidth": 1e9,
  "sram_bandwidth": 1e9, "exchange_bandwidth": 1e9,
  "peak_flops": {"f32": 1e9, "f16": 2e9},
  "dense_efficiency": {"f32": 0.7, "f16": 0.5},
  "sparse_efficiency": {"f32": {"csr": 0.6}, "f16": {"bsr16": 0.4}},
  "dynamic_sparse_efficiency": {"f16": {"bsr16": 0.1}},
  "static_watts": 3, "reconfigure_seconds": 1e-6
})";

TEST(TargetTables, PerValueType) {
  llvm::Expected<TargetDesc> t = parseTarget(kPerType, "t.json");
  ASSERT_TRUE(bool(t)) << llvm::toString(t.takeError());
  EXPECT_EQ(t->dense("f32"), 0.7);
  EXPECT_EQ(t->dense("f16"), 0.5);
  EXPECT_EQ(t->dense("bf16"), 0.5); // closest type: f16
  EXPECT_EQ(t->sparse("f32", "csr"), 0.6);
  EXPECT_FALSE(t->sparse("f32", "bsr16"));
  EXPECT_EQ(t->sparse("f16", "bsr16"), 0.4);
  EXPECT_FALSE(t->sparse("f16", "csr")); // not in f16's table
  EXPECT_EQ(t->sparse("bf16", "bsr16"), 0.4);
  EXPECT_EQ(t->staticWatts, 3.0);
  EXPECT_EQ(t->reconfigureSeconds, 1e-6);
}

TEST(TargetTables, FlatFormAppliesToEveryType) {
  std::string flat = kPerType;
  flat.replace(flat.find("{\"f32\": {\"csr\": 0.6}, \"f16\": {\"bsr16\": 0.4}}"),
               std::string("{\"f32\": {\"csr\": 0.6}, \"f16\": {\"bsr16\": 0.4}}")
                   .size(),
               "{\"csr\": 0.25}");
  flat.replace(flat.find("{\"f32\": 0.7, \"f16\": 0.5}"),
               std::string("{\"f32\": 0.7, \"f16\": 0.5}").size(), "0.8");
  llvm::Expected<TargetDesc> t = parseTarget(flat, "flat.json");
  ASSERT_TRUE(bool(t)) << llvm::toString(t.takeError());
  for (const char *type : {"f32", "f16", "bf16"}) {
    EXPECT_EQ(t->sparse(type, "csr"), 0.25) << type;
    EXPECT_EQ(t->dense(type), 0.8) << type;
  }
}

TEST(TargetTables, RoundTripAndDynamic) {
  llvm::Expected<TargetDesc> ipu = loadTarget("ipu-mk2");
  ASSERT_TRUE(bool(ipu)) << llvm::toString(ipu.takeError());
  llvm::Expected<TargetDesc> again =
      parseTarget(targetToJson(*ipu), "round-trip");
  ASSERT_TRUE(bool(again)) << llvm::toString(again.takeError());
  for (const char *type : {"f16", "f32"})
    for (const char *key : {"csr", "bsr4", "bsr16"}) {
      EXPECT_EQ(again->sparse(type, key), ipu->sparse(type, key));
      ASSERT_TRUE(ipu->sparse(type, key));
    }
  EXPECT_EQ(again->dynamicSparseEfficiency, ipu->dynamicSparseEfficiency);
  EXPECT_EQ(again->staticWatts, ipu->staticWatts);
  // PopSparse: fp32 block 1 (1.4x) sustains twice fp16's (0.7x) fraction.
  EXPECT_DOUBLE_EQ(*ipu->sparse("f32", "csr"), 2 * *ipu->sparse("f16", "csr"));

  llvm::Expected<TargetDesc> dyn = loadTarget("ipu-mk2:dynamic");
  ASSERT_TRUE(bool(dyn)) << llvm::toString(dyn.takeError());
  EXPECT_EQ(dyn->name, "ipu-mk2:dynamic");
  for (const char *type : {"f16", "f32"})
    EXPECT_LT(*dyn->sparse(type, "bsr16"), *ipu->sparse(type, "bsr16"));

  llvm::Expected<TargetDesc> none = loadTarget("cpu-host:dynamic");
  ASSERT_FALSE(bool(none));
  EXPECT_NE(llvm::toString(none.takeError()).find("dynamic_sparse_efficiency"),
            std::string::npos);
}

} // namespace
