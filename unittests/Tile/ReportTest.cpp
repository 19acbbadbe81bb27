//===- ReportTest.cpp - sparse-sim's JSON report is always valid JSON -----===//

#include "sxf/Sim/Simulator.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace sxf;

namespace {

// Tests that non-finite figures (extreme target rates) are written as null
// instead of a bare inf / nan, which no JSON reader accepts.
TEST(SimReport, NonFiniteNumbersAreNull) {
  SimReport r;
  r.target = "t";
  r.kind = "ipu";
  r.seconds = std::numeric_limits<double>::infinity();
  r.energy = std::nan("");
  r.tokensPerSecond = 5.0;
  LayerReport l;
  l.name = "layers.0";
  l.seconds = -std::numeric_limits<double>::infinity();
  r.layers.push_back(l);
  std::string text;
  llvm::raw_string_ostream os(text);
  writeReportJson(r, os);
  llvm::Expected<llvm::json::Value> v = llvm::json::parse(text);
  ASSERT_TRUE(bool(v)) << llvm::toString(v.takeError()) << "\n" << text;
  const llvm::json::Object *o = v->getAsObject();
  ASSERT_TRUE(o);
  EXPECT_EQ(o->get("time_s")->kind(), llvm::json::Value::Null);
  EXPECT_EQ(o->get("energy_j")->kind(), llvm::json::Value::Null);
  EXPECT_EQ(o->getNumber("tokens_per_s"), 5.0);
  const llvm::json::Object *layer =
      o->getArray("layers")->front().getAsObject();
  EXPECT_EQ(layer->get("time_s")->kind(), llvm::json::Value::Null);
}

} // namespace
