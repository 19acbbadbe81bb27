//===- DifferentiateTest.cpp - sxf-differentiate vs finite differences ----===//
//
// The training step sxf-differentiate builds, run by the interpreter in
// double precision, against central differences of the loss on random
// models of odd sizes (GPT with a tied and an untied head, BERT), with some
// weights sparse in csr and bsr: every weight's gradient is checked at
// stored positions (equal to the difference quotient) and outside them
// (exactly zero).
//
//===----------------------------------------------------------------------===//

#include "sxf_test/SxfContextTest.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/InitAll.h"
#include "sxf/Interpreter/GradKernels.h"
#include "sxf/Interpreter/Interpreter.h"
#include "sxf/ModelGen/ModelGen.h"
#include "sxf/Support/Random.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"

#include "gtest/gtest.h"

#include <cmath>
#include <map>

using namespace mlir;

namespace {

class DifferentiateTest : public sxf::test::SxfContextTest {
protected:
  /// Makes the FFN and query weights sparse: fc1 and q in csr (60% zeros at
  /// random), fc2 in bsr with one block per row (every other row empty, 60%
  /// zeros in the others), recording the format on the sxf.weight.
  void sparsify(ModuleOp m) {
    // The generated values (inline blobs), read through the interpreter.
    sxf::Interpreter reader(m);
    FailureOr<func::FuncOp> f = reader.entry("");
    ASSERT_TRUE(succeeded(f));
    auto in = reader.randomInputs(*f, 1);
    ASSERT_TRUE(succeeded(in) && succeeded(reader.run(*f, *in))) << diagnostics;
    m.walk([&](sxf::WeightOp w) {
      std::string name = w.getName().str();
      if (cast<RankedTensorType>(w.getType()).getRank() != 2)
        return;
      bool csr = name.find("fc1") != std::string::npos ||
                 name.find(".q.") != std::string::npos;
      bool bsr = name.find("fc2") != std::string::npos;
      if (!csr && !bsr)
        return;
      std::vector<float> v = reader.loadedWeights().at(name)->f.data;
      auto type = cast<RankedTensorType>(w.getType());
      int64_t cols = type.getDimSize(1);
      sxf::Rng rng(name.size());
      for (int64_t k = 0; k < static_cast<int64_t>(v.size()); ++k) {
        // bsr: every other row empty (blocks not stored); elsewhere 60% of
        // the entries zero (inside stored blocks for bsr).
        if (bsr && (k / cols) % 2 == 1)
          v[k] = 0.0f;
        else if (rng.uniform() < 0.6)
          v[k] = 0.0f;
      }
      w.setValueAttr(DenseElementsAttr::get(type, llvm::ArrayRef<float>(v)));
      formats[name] = csr ? "csr" : "bsr";
      std::string text = csr ? "#sxf.format<csr>"
                             : "#sxf.format<bsr[1, " + std::to_string(cols) +
                                   "]>";
      w->setAttr("format", parseAttribute(text, context.get()));
    });
  }

  /// sparse-gen's BERT returns hidden states; a token classifier
  /// (`cls.weight` [classes, H], random) turns them into logits.
  void addClassifierHead(ModuleOp m, int64_t classes) {
    auto f = *m.getOps<func::FuncOp>().begin();
    auto ret = cast<func::ReturnOp>(f.getBody().front().getTerminator());
    Value h = ret.getOperand(0);
    auto hType = cast<RankedTensorType>(h.getType());
    int64_t width = hType.getShape().back();
    OpBuilder b(ret);
    auto wType = RankedTensorType::get({classes, width}, b.getF32Type());
    sxf::Rng rng(3);
    std::vector<float> values(classes * width);
    for (float &v : values)
      v = static_cast<float>(rng.normal() * 0.3);
    Value w = sxf::WeightOp::create(
        b, ret.getLoc(), wType, "cls.weight",
        DenseElementsAttr::get(wType, llvm::ArrayRef<float>(values)),
        sxf::SparsityAttr(), sxf::FormatAttr());
    SmallVector<int64_t> shape(hType.getShape().drop_back());
    shape.push_back(classes);
    auto outType = RankedTensorType::get(shape, b.getF32Type());
    Value logits = sxf::LinearOp::create(
        b, ret.getLoc(), outType, h, w, Value(), Value(), Value(), Value(),
        sxf::ActivationKindAttr(), FloatAttr());
    ret->setOperand(0, logits);
    f.setFunctionType(FunctionType::get(m.getContext(), f.getArgumentTypes(),
                                        {outType}));
  }

  void check(const sxf::ModelConfig &config, bool sparse) {
    sxf::GenOptions options;
    options.seed = 11;
    auto generated = sxf::generateModel(context.get(), config, options);
    ASSERT_TRUE(bool(generated)) << llvm::toString(generated.takeError());
    OwningOpRef<ModuleOp> module = std::move(*generated);
    if (config.arch == sxf::Arch::Bert)
      addClassifierHead(*module, 5);
    if (sparse)
      sparsify(*module);
    PassManager pm(context.get());
    pm.addPass(sxf::createSxfDifferentiatePass());
    ASSERT_TRUE(succeeded(pm.run(*module))) << diagnostics;
    ASSERT_TRUE(succeeded(verify(*module))) << diagnostics;

    sxf::Interpreter interp(*module);
    FailureOr<func::FuncOp> step = interp.entry("train_step");
    ASSERT_TRUE(succeeded(step)) << diagnostics;
    FailureOr<func::FuncOp> forward = interp.entry("");
    ASSERT_TRUE(succeeded(forward));
    auto inputs = interp.randomInputs(*forward, 5);
    ASSERT_TRUE(succeeded(inputs)) << diagnostics;
    // Targets: ids over the vocabulary (the logits' last dim).
    auto logitsType = cast<RankedTensorType>(
        forward->getFunctionType().getResult(0));
    sxf::IntTensor targets;
    targets.shape.assign(logitsType.getShape().begin(),
                         logitsType.getShape().end() - 1);
    sxf::Rng rng(6);
    targets.data.resize(sxf::shapeNumElements(targets.shape));
    for (int64_t &t : targets.data)
      t = rng.below(logitsType.getShape().back());
    std::vector<sxf::HostValue> in = *inputs;
    in.push_back(sxf::HostValue::ints(targets));

    auto exact = interp.runDouble(*step, in);
    ASSERT_TRUE(succeeded(exact)) << diagnostics;
    auto rounded = interp.run(*step, in);
    ASSERT_TRUE(succeeded(rounded)) << diagnostics;
    ASSERT_EQ(exact->size(), step->getNumResults());
    // The loss is the cross-entropy of the forward function's logits (so
    // the clone, decomposed and with its epilogues split, computes what the
    // forward function does): about log V at initialisation.
    double loss = (*exact)[0].f.data[0];
    auto logits = interp.runDouble(*forward, *inputs);
    ASSERT_TRUE(succeeded(logits)) << diagnostics;
    auto expectedLoss = sxf::ref::crossEntropy((*logits)[0].f, targets);
    ASSERT_TRUE(bool(expectedLoss));
    EXPECT_NEAR(loss, expectedLoss->data[0], 1e-12 * loss);
    EXPECT_NEAR(loss, std::log(double(logitsType.getShape().back())), 1.5);
    EXPECT_NEAR((*rounded)[0].f.data[0], loss, 1e-5 * loss);

    // Every weight is differentiated (all reach the loss here).
    std::map<std::string, sxf::TensorD> weights;
    for (auto &[name, value] : interp.loadedWeights())
      weights[name] = sxf::convertTensor<double>(value->f);
    EXPECT_EQ(step->getNumResults(), 1 + weights.size());

    int checkedStored = 0, checkedZero = 0;
    for (unsigned r = 1; r < step->getNumResults(); ++r) {
      auto nameAttr =
          step->getResultAttrOfType<StringAttr>(r, "sxf.gradient_of");
      ASSERT_TRUE(nameAttr) << "result " << r << " names no weight";
      std::string name = nameAttr.str();
      ASSERT_TRUE(weights.count(name)) << name;
      const sxf::TensorD &grad = (*exact)[r].f;
      const sxf::Tensor &gradF = (*rounded)[r].f;
      sxf::TensorD &w = weights[name];
      ASSERT_EQ(grad.shape, w.shape) << name;
      double scale = 0;
      for (double g : grad.data)
        scale = std::max(scale, std::fabs(g));
      for (int64_t k = 0; k < grad.numel(); ++k)
        ASSERT_NEAR(gradF.data[k], grad.data[k], 1e-4 * scale + 1e-7)
            << name << " fp32 vs fp64 at " << k;
      // Which positions the weight's format stores, by hand: csr the
      // nonzeros, bsr[1, cols] every entry of a row holding a nonzero.
      std::string format = formats.count(name) ? formats[name] : "dense";
      int64_t n = w.numel(), cols = w.dim(-1);
      auto isStored = [&](int64_t k) {
        if (format == "csr")
          return w.data[k] != 0.0;
        if (format == "bsr") {
          int64_t row = k / cols;
          for (int64_t c = 0; c < cols; ++c)
            if (w.data[row * cols + c] != 0.0)
              return true;
          return false;
        }
        return true;
      };
      for (int64_t k = 0; k < n; ++k)
        if (!isStored(k)) {
          ASSERT_EQ(grad.data[k], 0.0) << name << " entry " << k
                                       << " is not stored but has a gradient";
          ++checkedZero;
        }
      // Central differences at entries spread over the tensor.
      int64_t stride = std::max<int64_t>(1, n / 7);
      for (int64_t k = stride / 2; k < n; k += stride) {
        if (!isStored(k))
          continue;
        const double h = 1e-5;
        std::map<std::string, sxf::TensorD> plus = {{name, w}},
                                            minus = {{name, w}};
        plus[name].data[k] += h;
        minus[name].data[k] -= h;
        auto lp = interp.runDouble(*step, in, plus);
        auto lm = interp.runDouble(*step, in, minus);
        ASSERT_TRUE(succeeded(lp) && succeeded(lm)) << diagnostics;
        double fd = ((*lp)[0].f.data[0] - (*lm)[0].f.data[0]) / (2 * h);
        ASSERT_NEAR(grad.data[k], fd, 1e-8 + 1e-5 * std::fabs(fd))
            << name << " entry " << k << " (" << format << ")";
        ++checkedStored;
      }
    }
    EXPECT_GT(checkedStored, 50);
    if (sparse) {
      EXPECT_GT(checkedZero, 100);
    }
  }

  /// Weight name -> "csr" / "bsr" for the weights sparsify() changed.
  std::map<std::string, std::string> formats;
};

sxf::ModelConfig gpt(bool tied) {
  sxf::ModelConfig c;
  c.arch = sxf::Arch::Gpt;
  c.layers = 2, c.hidden = 15, c.heads = 3, c.ffn = 22, c.seq = 5,
  c.vocab = 13, c.batch = 2, c.maxPositions = 7;
  c.tiedHead = tied;
  return c;
}

TEST_F(DifferentiateTest, GptTiedHeadDense) { check(gpt(true), false); }
TEST_F(DifferentiateTest, GptUntiedHeadSparseCsrAndBsr) {
  check(gpt(false), true);
}
TEST_F(DifferentiateTest, BertSparseOddSizes) {
  sxf::ModelConfig c;
  c.arch = sxf::Arch::Bert;
  c.layers = 2, c.hidden = 14, c.heads = 7, c.ffn = 9, c.seq = 3,
  c.vocab = 11, c.batch = 3;
  c.activation = sxf::FfnActivation::Silu;
  check(c, true);
}

TEST_F(DifferentiateTest, StoredPatternMasksTheDenseGradientAt768Wide) {
  // A 768-wide GPT layer (FFN 3072, 12 heads) whose fc1 stores 1% of its
  // positions and has an empty row: the step built by the library call
  // (buildTrainingStep) gives fc1 a gradient that is exactly the dense
  // gradient on the pattern and 0 elsewhere, the empty row included.
  sxf::ModelConfig c;
  c.arch = sxf::Arch::Gpt;
  c.layers = 1, c.hidden = 768, c.heads = 12, c.ffn = 3072, c.seq = 4,
  c.vocab = 50, c.batch = 1;
  sxf::GenOptions options;
  options.seed = 5;
  auto generated = sxf::generateModel(context.get(), c, options);
  ASSERT_TRUE(bool(generated)) << llvm::toString(generated.takeError());
  OwningOpRef<ModuleOp> module = std::move(*generated);
  FailureOr<func::FuncOp> step =
      sxf::buildTrainingStep(*module, "", "train_step");
  ASSERT_TRUE(succeeded(step)) << diagnostics;
  // The name is taken now: a second step is refused, the module unchanged.
  EXPECT_TRUE(failed(sxf::buildTrainingStep(*module, "", "train_step")));
  EXPECT_NE(diagnostics.find("a symbol named 'train_step' already exists"),
            std::string::npos)
      << diagnostics;

  const std::string fc1 = "layers.0.ffn.fc1.weight";
  unsigned result = 0;
  for (unsigned i = 1; i < step->getNumResults(); ++i)
    if (auto of = step->getResultAttrOfType<StringAttr>(i, "sxf.gradient_of"))
      if (of.getValue() == fc1)
        result = i;
  ASSERT_NE(result, 0u);
  sxf::Interpreter interp(*module);
  auto inputs = interp.randomInputs(*step, 9);
  ASSERT_TRUE(succeeded(inputs)) << diagnostics;
  auto dense = interp.run(*step, *inputs);
  ASSERT_TRUE(succeeded(dense)) << diagnostics;

  const int64_t rows = 3072, cols = 768;
  std::vector<bool> pattern(size_t(rows * cols), false);
  sxf::Rng rng(17);
  for (int64_t k = 0; k < rows * cols; ++k)
    pattern[size_t(k)] = k / cols != 100 && rng.uniform() < 0.01;
  interp.setStoredPattern(fc1, pattern);
  auto sparse = interp.run(*step, *inputs);
  ASSERT_TRUE(succeeded(sparse)) << diagnostics;
  const std::vector<float> &gd = (*dense)[result].f.data,
                           &gs = (*sparse)[result].f.data;
  ASSERT_EQ(gs.size(), pattern.size());
  int64_t wrong = 0, nonzeroOn = 0, stored = 0;
  for (size_t k = 0; k < gs.size(); ++k) {
    wrong += gs[k] != (pattern[k] ? gd[k] : 0.0f);
    stored += pattern[k];
    nonzeroOn += pattern[k] && gs[k] != 0.0f;
  }
  EXPECT_EQ(wrong, 0);
  EXPECT_GT(nonzeroOn, stored * 9 / 10);
  for (int64_t col = 0; col < cols; ++col)
    ASSERT_EQ(gs[size_t(100 * cols + col)], 0.0f);

  // A pattern of the wrong size is refused at the weight's gradient op.
  interp.setStoredPattern(fc1, std::vector<bool>(3, true));
  EXPECT_TRUE(failed(interp.run(*step, *inputs)));
  EXPECT_NE(diagnostics.find("the stored pattern given for weight '" + fc1 +
                             "' has 3 entries, the weight 2359296"),
            std::string::npos)
      << diagnostics;
}

} // namespace
