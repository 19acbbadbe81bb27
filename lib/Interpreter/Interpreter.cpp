//===- Interpreter.cpp - Reference interpreter for sxf modules --*- C++ -*-===//
//
// A direct walk over the entry block: each op's operands are looked up in an
// environment, the matching reference kernel computes its result, and the
// result's shape is checked against the op's declared type. Composite layers
// are executed as the sequence of kernels their definition names (see
// SxfOps.td), independently of the sxf-decompose patterns, so that the
// decomposition is checked against this code rather than against itself.
//
//===----------------------------------------------------------------------===//

#include "sxf/Interpreter/Interpreter.h"

#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/Sxf/IR/SxfVisitors.h"
#include "sxf/Interpreter/GradKernels.h"
#include "sxf/Interpreter/Kernels.h"
#include "sxf/Support/Random.h"

#include "llvm/ADT/DenseMap.h"

using namespace mlir;
using namespace sxf;

namespace sxf {

bool adamwDecays(WeightOp weight) {
  bool linear = false, table = false;
  // Every sxf.weight of the function with this name is the same weight.
  auto func = weight->getParentOfType<func::FuncOp>();
  auto same = [&](Value v) {
    auto w = v.getDefiningOp<WeightOp>();
    return w && w.getName() == weight.getName();
  };
  if (!func)
    return false;
  func.walk([&](Operation *op) {
    if (auto l = dyn_cast<LinearOp>(op))
      linear |= same(l.getWeight());
    if (auto e = dyn_cast<EmbeddingOp>(op))
      table |= same(e.getTable());
  });
  return linear && !table;
}

FailureOr<std::vector<bool>>
weightStoredPositions(WeightOp weight, const std::vector<bool> &nonzero,
                      ArrayRef<int64_t> shape, Operation *at) {
  std::optional<formats::FormatSpec> spec;
  if (FormatAttr format = weight.getFormatAttr()) {
    spec = toFormatSpec(format);
  } else if (SparsityAttr sparsity = weight.getSparsityAttr()) {
    if (sparsity.getPattern() == SparsityPattern::block) {
      spec = formats::FormatSpec{formats::Kind::BSR};
      spec->blockRows = sparsity.getBlockRows();
      spec->blockCols = sparsity.getBlockCols();
    } else if (sparsity.getPattern() != SparsityPattern::dense) {
      spec = formats::FormatSpec{formats::Kind::CSR};
    }
  }
  if (!spec || spec->kind == formats::Kind::Dense)
    return std::vector<bool>();
  if (shape.size() != 2)
    return at->emitError() << "a sparse weight must be 2-D, '"
                           << weight.getName() << "' is "
                           << shapeToString(std::vector<int64_t>(
                                  shape.begin(), shape.end()));
  return formats::storedPositions(nonzero, shape[0], shape[1], *spec);
}

// The IR's activation kinds and the shared sxf_rt::Activation codes are the
// same list in the same order; the mapping is a cast.
static_assert(int(ActivationKind::none) == int(sxf_rt::Activation::None) &&
                  int(ActivationKind::relu) == int(sxf_rt::Activation::Relu) &&
                  int(ActivationKind::gelu) == int(sxf_rt::Activation::Gelu) &&
                  int(ActivationKind::gelu_tanh) ==
                      int(sxf_rt::Activation::GeluTanh) &&
                  int(ActivationKind::silu) == int(sxf_rt::Activation::Silu),
              "sxf::ActivationKind and sxf_rt::Activation differ");

ref::Activation refActivation(std::optional<ActivationKind> kind) {
  return kind ? static_cast<ref::Activation>(*kind) : ref::Activation::None;
}

namespace {


/// The state of one sample's run: the value of every live SSA value.
/// Values are shared pointers so that weights are shared between samples
/// (and with the interpreter's cache) instead of copied.
template <class T>
class Execution : public SxfOpVisitor<Execution<T>, LogicalResult> {
public:
  using Value_ = BasicHostValue<T>;
  using TensorT = BasicTensor<T>;
  using ValuePtr = std::shared_ptr<Value_>;

  Execution(WeightStore &weights,
            std::map<std::string, ValuePtr> &weightCache,
            const LinearImpl &linearImpl, const LinearGradImpls &gradImpls,
            const std::map<std::string, std::vector<bool>> &storedPatterns)
      : weights(weights), weightCache(weightCache), linearImpl(linearImpl),
        gradImpls(gradImpls), storedPatterns(storedPatterns) {}

  void bind(Value v, Value_ hv) {
    env[v] = std::make_shared<Value_>(std::move(hv));
  }
  const Value_ *lookup(Value v) const {
    auto it = env.find(v);
    return it == env.end() ? nullptr : it->second.get();
  }
  void release(Value v) { env.erase(v); }

  LogicalResult execute(Operation *op);

  // One reference semantics per sxf op (SxfVisitors.h: a new op without a
  // case here does not compile).
  LogicalResult visitOp(WeightOp w);
  LogicalResult visitOp(LinearOp l);
  LogicalResult visitOp(SplitOp sp);
  LogicalResult visitOp(MatmulOp m);
  LogicalResult visitOp(AttentionOp a);
  LogicalResult visitOp(SoftmaxOp s);
  LogicalResult visitOp(LayerNormOp n);
  LogicalResult visitOp(RmsNormOp n);
  LogicalResult visitOp(ActivationOp a);
  LogicalResult visitOp(AddOp a);
  LogicalResult visitOp(EmbeddingOp e);
  LogicalResult visitOp(KvAppendOp k);
  LogicalResult visitOp(EncoderLayerOp x);
  LogicalResult visitOp(DecoderLayerOp x);
  // Backward ops and the loss (GradKernels.h).
  LogicalResult visitOp(LinearGradInputOp g) {
    Operation *op = g;
    const TensorT &dy = *floats(op, g.getDy()), &w = *floats(op, g.getW());
    if constexpr (std::is_same_v<T, float>)
      if (gradImpls.input)
        return setResult(op, gradImpls.input(dy, w));
    return setResult(op, ref::linearGradInput(dy, w));
  }
  LogicalResult visitOp(LinearGradWeightOp g) {
    Operation *op = g;
    const TensorT &w = *floats(op, g.getW());
    FailureOr<std::vector<bool>> stored = storedPositions(op, g.getW(), w);
    if (failed(stored))
      return failure();
    const TensorT &dy = *floats(op, g.getDy()), &x = *floats(op, g.getX());
    if constexpr (std::is_same_v<T, float>)
      if (gradImpls.weight)
        return setResult(op, gradImpls.weight(dy, x, *stored));
    return setResult(op, ref::linearGradWeight(dy, x, *stored));
  }
  LogicalResult visitOp(ReduceSumOp r) {
    Operation *op = r;
    auto type = cast<RankedTensorType>(r.getType());
    if (!type.hasStaticShape())
      return op->emitError("reference interpreter: reduce_sum needs a static "
                           "result shape");
    return setResult(op, ref::reduceSum(*floats(op, r.getInput()),
                                        std::vector<int64_t>(
                                            type.getShape().begin(),
                                            type.getShape().end())));
  }
  LogicalResult visitOp(ActivationGradOp a) {
    Operation *op = a;
    return setResult(op, ref::activationGrad(*floats(op, a.getX()),
                                             *floats(op, a.getDy()),
                                             refActivation(a.getKind())));
  }
  LogicalResult visitOp(SoftmaxGradOp s) {
    Operation *op = s;
    return setResult(op, ref::softmaxGrad(*floats(op, s.getY()),
                                          *floats(op, s.getDy()), s.getAxis()));
  }
  LogicalResult visitOp(LayerNormGradOp n) {
    Operation *op = n;
    return setResults<3>(
        op, ref::layerNormGrad(*floats(op, n.getX()), *floats(op, n.getGamma()),
                               *floats(op, n.getDy()),
                               n.getEpsilon().convertToFloat()));
  }
  LogicalResult visitOp(RmsNormGradOp n) {
    Operation *op = n;
    return setResults<2>(
        op, ref::rmsNormGrad(*floats(op, n.getX()), *floats(op, n.getGamma()),
                             *floats(op, n.getDy()),
                             n.getEpsilon().convertToFloat()));
  }
  LogicalResult visitOp(AttentionGradOp a) {
    Operation *op = a;
    std::vector<bool> keep;
    if (std::optional<ArrayRef<bool>> k = a.getKeepHeads())
      keep.assign(k->begin(), k->end());
    return setResults<3>(
        op, ref::attentionGrad(*floats(op, a.getQuery()),
                               *floats(op, a.getKey()),
                               *floats(op, a.getValue()),
                               *floats(op, a.getDy()), a.getHeads(),
                               a.getHeadDim(), a.getCausal(), keep));
  }
  LogicalResult visitOp(EmbeddingGradOp e) {
    Operation *op = e;
    int64_t vocab = cast<RankedTensorType>(e.getType()).getDimSize(0);
    if (ShapedType::isDynamic(vocab))
      return op->emitError("reference interpreter: embedding_grad needs a "
                           "static vocabulary");
    return setResult(op, ref::embeddingGrad(env[e.getIds()]->i,
                                            *floats(op, e.getDy()), vocab));
  }
  LogicalResult visitOp(PositionGradOp p) {
    Operation *op = p;
    int64_t rows = cast<RankedTensorType>(p.getType()).getDimSize(0);
    if (ShapedType::isDynamic(rows))
      return op->emitError("reference interpreter: position_grad needs a "
                           "static number of positions");
    return setResult(op, ref::positionGrad(*floats(op, p.getDy()), rows,
                                           p.getPositionOffset()));
  }
  LogicalResult visitOp(ConcatOp c) {
    Operation *op = c;
    std::vector<const TensorT *> parts;
    for (Value v : c.getInputs())
      parts.push_back(floats(op, v));
    return setResult(op, ref::concat<T>(parts));
  }
  LogicalResult visitOp(CrossEntropyOp c) {
    Operation *op = c;
    return setResult(op, ref::crossEntropy(*floats(op, c.getLogits()),
                                           env[c.getTargets()]->i));
  }
  LogicalResult visitOp(CrossEntropyGradOp c) {
    Operation *op = c;
    return setResult(op, ref::crossEntropyGrad(*floats(op, c.getLogits()),
                                               env[c.getTargets()]->i));
  }
  LogicalResult visitInvalidOp(Operation *op);

private:
  const TensorT *floats(Operation *op, Value v) {
    auto it = env.find(v);
    if (it == env.end() || it->second->isInt) {
      op->emitError("reference interpreter: operand is not a float tensor");
      return nullptr;
    }
    return &it->second->f;
  }
  const TensorT &get(Value v) { return env[v]->f; }

  /// Binds `value` to `result` after checking it against the declared type.
  LogicalResult bindChecked(Operation *op, Value result, TensorT value) {
    auto type = cast<RankedTensorType>(result.getType());
    bool ok = type.getRank() == value.rank();
    for (int64_t i = 0; ok && i < type.getRank(); ++i)
      ok = ShapedType::isDynamic(type.getDimSize(i)) ||
           type.getDimSize(i) == value.shape[i];
    if (!ok) {
      op->emitError() << "reference interpreter computed shape "
                      << shapeToString(value.shape)
                      << " but the op declares " << type;
      return failure();
    }
    bind(result, Value_::floats(std::move(value)));
    return success();
  }

  /// Records `result` for op's only result after checking it against the
  /// declared type.
  LogicalResult setResult(Operation *op, llvm::Expected<TensorT> result) {
    if (!result) {
      op->emitError() << llvm::toString(result.takeError());
      return failure();
    }
    return bindChecked(op, op->getResult(0), std::move(*result));
  }

  /// Records op's results, in order, each checked like setResult's.
  template <size_t N>
  LogicalResult setResults(Operation *op,
                           llvm::Expected<std::array<TensorT, N>> results) {
    if (!results) {
      op->emitError() << llvm::toString(results.takeError());
      return failure();
    }
    for (size_t i = 0; i < N; ++i)
      if (failed(bindChecked(op, op->getResult(i), std::move((*results)[i]))))
        return failure();
    return success();
  }

  /// The positions the weight `w` stores, where its gradient lives (an empty
  /// mask: all of them). A pattern given to Interpreter::setStoredPattern
  /// wins; else the rule of the weight's format (formats::storedPositions)
  /// on its current nonzeros; a weight with a sparsity but no format is
  /// taken as bsr for a block pattern and csr otherwise; a value that is not
  /// an sxf.weight is dense.
  FailureOr<std::vector<bool>> storedPositions(Operation *op, Value w,
                                               const TensorT &values) {
    auto weight = w.getDefiningOp<WeightOp>();
    if (!weight)
      return std::vector<bool>();
    if (auto it = storedPatterns.find(weight.getName().str());
        it != storedPatterns.end()) {
      if (static_cast<int64_t>(it->second.size()) != values.numel())
        return op->emitError() << "the stored pattern given for weight '"
                               << weight.getName() << "' has "
                               << it->second.size() << " entries, the weight "
                               << values.numel();
      return it->second;
    }
    std::vector<bool> nonzero(values.numel());
    for (int64_t k = 0; k < values.numel(); ++k)
      nonzero[k] = values.data[k] != T(0);
    return weightStoredPositions(weight, nonzero, values.shape, op);
  }

  llvm::Expected<TensorT> linear(const TensorT &x, const TensorT &w,
                                const TensorT *b, ref::Activation act) {
    if constexpr (std::is_same_v<T, float>)
      if (linearImpl)
        return linearImpl(x, w, b, static_cast<int>(act));
    return ref::linear(x, w, b, act);
  }

  llvm::Expected<TensorT> layer(Operation *op, bool decoder);

  WeightStore &weights;
  std::map<std::string, ValuePtr> &weightCache;
  const LinearImpl &linearImpl;
  const LinearGradImpls &gradImpls;
  const std::map<std::string, std::vector<bool>> &storedPatterns;
  llvm::DenseMap<Value, ValuePtr> env;
};

/// Runs a composite layer as the kernels of its definition.
template <class T>
llvm::Expected<BasicTensor<T>> Execution<T>::layer(Operation *op, bool decoder) {
  auto linearOf = [&](const TensorT &x, Value w, Value b,
                      ref::Activation act = ref::Activation::None) {
    return linear(x, get(w), &get(b), act);
  };
  auto attentionBlock = [&](const TensorT &x, auto layerOp,
                            bool causal) -> llvm::Expected<TensorT> {
    llvm::Expected<TensorT> q = linearOf(x, layerOp.getWq(), layerOp.getBq());
    if (!q)
      return q.takeError();
    llvm::Expected<TensorT> k = linearOf(x, layerOp.getWk(), layerOp.getBk());
    if (!k)
      return k.takeError();
    llvm::Expected<TensorT> v = linearOf(x, layerOp.getWv(), layerOp.getBv());
    if (!v)
      return v.takeError();
    int64_t heads = layerOp.getHeads();
    llvm::Expected<TensorT> a = ref::attention(
        *q, *k, *v, heads, x.dim(-1) / heads, causal, std::vector<bool>());
    if (!a)
      return a.takeError();
    return linearOf(*a, layerOp.getWo(), layerOp.getBo());
  };
  auto ffn = [&](const TensorT &x, auto layerOp) -> llvm::Expected<TensorT> {
    llvm::Expected<TensorT> h = linearOf(x, layerOp.getW1(), layerOp.getB1(),
                                        refActivation(layerOp.getActivation()));
    if (!h)
      return h.takeError();
    return linearOf(*h, layerOp.getW2(), layerOp.getB2());
  };

  if (!decoder) {
    auto enc = cast<EncoderLayerOp>(op);
    float eps = enc.getEpsilon().convertToFloat();
    const TensorT &x = get(enc.getInput());
    llvm::Expected<TensorT> attn = attentionBlock(x, enc, /*causal=*/false);
    if (!attn)
      return attn.takeError();
    llvm::Expected<TensorT> r1 = ref::add(x, *attn);
    if (!r1)
      return r1.takeError();
    llvm::Expected<TensorT> h = ref::layerNorm(*r1, get(enc.getLn1Gamma()),
                                              get(enc.getLn1Beta()), eps);
    if (!h)
      return h.takeError();
    llvm::Expected<TensorT> f = ffn(*h, enc);
    if (!f)
      return f.takeError();
    llvm::Expected<TensorT> r2 = ref::add(*h, *f);
    if (!r2)
      return r2.takeError();
    return ref::layerNorm(*r2, get(enc.getLn2Gamma()), get(enc.getLn2Beta()),
                          eps);
  }
  auto dec = cast<DecoderLayerOp>(op);
  float eps = dec.getEpsilon().convertToFloat();
  const TensorT &x = get(dec.getInput());
  llvm::Expected<TensorT> a = ref::layerNorm(x, get(dec.getLn1Gamma()),
                                            get(dec.getLn1Beta()), eps);
  if (!a)
    return a.takeError();
  llvm::Expected<TensorT> attn = attentionBlock(*a, dec, /*causal=*/true);
  if (!attn)
    return attn.takeError();
  llvm::Expected<TensorT> h = ref::add(x, *attn);
  if (!h)
    return h.takeError();
  llvm::Expected<TensorT> n = ref::layerNorm(*h, get(dec.getLn2Gamma()),
                                            get(dec.getLn2Beta()), eps);
  if (!n)
    return n.takeError();
  llvm::Expected<TensorT> f = ffn(*n, dec);
  if (!f)
    return f.takeError();
  return ref::add(*h, *f);
}

template <class T>
LogicalResult Execution<T>::execute(Operation *op) {
  // Every float operand must be available as a float tensor.
  for (Value v : op->getOperands()) {
    auto it = env.find(v);
    if (it == env.end())
      return op->emitError("reference interpreter: operand has no value");
    bool wantInt = isa<IntegerType>(
        cast<ShapedType>(v.getType()).getElementType());
    if (it->second->isInt != wantInt)
      return op->emitError("reference interpreter: operand kind mismatch");
  }
  return this->dispatchSxfOp(op);
}

template <class T>
LogicalResult Execution<T>::visitInvalidOp(Operation *op) {
  return op->emitError() << "the reference interpreter does not support '"
                         << op->getName() << "'";
}

template <class T>
LogicalResult Execution<T>::visitOp(WeightOp w) {
  Operation *op = w;
  std::string name = w.getName().str();
  auto it = weightCache.find(name);
  if (it == weightCache.end()) {
    FailureOr<Tensor> t = weights.loadStored(w);
    if (failed(t))
      return failure();
    TensorT values;
    if constexpr (std::is_same_v<T, float>)
      values = std::move(*t);
    else
      values = convertTensor<T>(*t);
    it = weightCache
             .emplace(name, std::make_shared<Value_>(
                                Value_::floats(std::move(values))))
             .first;
  } else if (auto type = dyn_cast<RankedTensorType>(w.getType());
             type && type.hasStaticShape() && !it->second->isInt &&
             it->second->f.shape != std::vector<int64_t>(type.getShape())) {
    // Values bound by the caller (Interpreter::bindWeight) or a run of
    // another module must have the op's shape.
    return w.emitError() << "the values given for weight '" << name
                         << "' have shape " << shapeToString(it->second->f.shape)
                         << ", the weight is " << type;
  }
  env[op->getResult(0)] = it->second; // shared, not copied
  return success();
}

template <class T>
LogicalResult Execution<T>::visitOp(LinearOp l) {
  Operation *op = l;
  // Bias and activation are fused into the product (double accumulation);
  // the later steps follow in the order linearEpilogue gives.
  const TensorT *bias = l.getBias() ? floats(op, l.getBias()) : nullptr;
  llvm::Expected<TensorT> y =
      linear(*floats(op, l.getInput()), *floats(op, l.getWeight()),
             bias, refActivation(l.getActivation()));
  for (LinearStep step : linearEpilogue(l)) {
    if (!y)
      break;
    switch (step) {
    case LinearStep::Bias:
    case LinearStep::Activation:
      break; // in the product above
    case LinearStep::Residual:
      y = ref::add(*y, *floats(op, l.getResidual()));
      break;
    case LinearStep::Norm:
      y = ref::layerNorm(*y, *floats(op, l.getNormGamma()),
                         *floats(op, l.getNormBeta()),
                         l.getNormEpsilon()->convertToFloat());
      break;
    }
  }
  return setResult(op, std::move(y));
}

template <class T>
LogicalResult Execution<T>::visitOp(SplitOp sp) {
  Operation *op = sp;
  const TensorT &in = *floats(op, sp.getInput());
  int64_t last = in.dim(-1), rows = in.numel() / std::max<int64_t>(last, 1);
  int64_t offset = 0;
  for (Value r : sp.getResults()) {
    int64_t n = cast<RankedTensorType>(r.getType()).getDimSize(
        cast<RankedTensorType>(r.getType()).getRank() - 1);
    if (ShapedType::isDynamic(n) || offset + n > last)
      return op->emitError("reference interpreter: split sizes do not "
                           "fit the input");
    std::vector<int64_t> shape = in.shape;
    shape.back() = n;
    TensorT t(shape);
    for (int64_t row = 0; row < rows; ++row)
      std::copy(in.data.begin() + row * last + offset,
                in.data.begin() + row * last + offset + n,
                t.data.begin() + row * n);
    bind(r, Value_::floats(std::move(t)));
    offset += n;
  }
  return success();
}

template <class T>
LogicalResult Execution<T>::visitOp(MatmulOp m) {
  Operation *op = m;
  float scale = m.getScale() ? m.getScale()->convertToFloat() : 1.0f;
  return setResult(op, ref::matmul(*floats(op, m.getLhs()),
                                   *floats(op, m.getRhs()),
                                   m.getTransposeLhs(),
                                   m.getTransposeRhs(), scale));
}

template <class T>
LogicalResult Execution<T>::visitOp(AttentionOp a) {
  Operation *op = a;
  std::vector<bool> keep;
  if (std::optional<ArrayRef<bool>> k = a.getKeepHeads())
    keep.assign(k->begin(), k->end());
  return setResult(
      op, ref::attention(*floats(op, a.getQuery()),
                         *floats(op, a.getKey()),
                         *floats(op, a.getValue()), a.getHeads(),
                         a.getHeadDim(), a.getCausal(), keep));
}

template <class T>
LogicalResult Execution<T>::visitOp(SoftmaxOp s) {
  Operation *op = s;
  return setResult(op, ref::softmax(*floats(op, s.getInput()),
                                    s.getAxis()));
}

template <class T>
LogicalResult Execution<T>::visitOp(LayerNormOp n) {
  Operation *op = n;
  return setResult(op, ref::layerNorm(*floats(op, n.getInput()),
                                      *floats(op, n.getGamma()),
                                      *floats(op, n.getBeta()),
                                      n.getEpsilon().convertToFloat()));
}

template <class T>
LogicalResult Execution<T>::visitOp(RmsNormOp n) {
  Operation *op = n;
  return setResult(op, ref::rmsNorm(*floats(op, n.getInput()),
                                    *floats(op, n.getGamma()),
                                    n.getEpsilon().convertToFloat()));
}

template <class T>
LogicalResult Execution<T>::visitOp(ActivationOp a) {
  Operation *op = a;
  return setResult(op, llvm::Expected<TensorT>(ref::activation(
                           *floats(op, a.getInput()),
                           refActivation(a.getKind()))));
}

template <class T>
LogicalResult Execution<T>::visitOp(AddOp a) {
  Operation *op = a;
  return setResult(op, ref::add(*floats(op, a.getLhs()),
                                *floats(op, a.getRhs())));
}

template <class T>
LogicalResult Execution<T>::visitOp(EmbeddingOp e) {
  Operation *op = e;
  const TensorT *pos =
      e.getPositions() ? floats(op, e.getPositions()) : nullptr;
  return setResult(op, ref::embedding(env[e.getIds()]->i,
                                      *floats(op, e.getTable()), pos,
                                      e.getPositionOffset()));
}

template <class T>
LogicalResult Execution<T>::visitOp(KvAppendOp k) {
  Operation *op = k;
  return setResult(op, ref::kvAppend(*floats(op, k.getCache()),
                                     *floats(op, k.getUpdate())));
}

template <class T>
LogicalResult Execution<T>::visitOp(EncoderLayerOp x) {
  Operation *op = x;
  return setResult(op, layer(op, false));
}

template <class T>
LogicalResult Execution<T>::visitOp(DecoderLayerOp x) {
  Operation *op = x;
  return setResult(op, layer(op, true));
}

} // namespace

Interpreter::Interpreter(ModuleOp module) : module(module), weights(module) {}

FailureOr<func::FuncOp> lookupEntryFunction(ModuleOp module,
                                                StringRef name) {
  if (!name.empty()) {
    if (auto f = module.lookupSymbol<func::FuncOp>(name))
      if (!f.isExternal())
        return f;
    emitError(module.getLoc()) << "no function named '" << name << "' with a body";
    return failure();
  }
  if (auto f = module.lookupSymbol<func::FuncOp>("forward"))
    if (!f.isExternal())
      return f;
  func::FuncOp only;
  int count = 0;
  for (auto f : module.getOps<func::FuncOp>())
    if (f.isPublic() && !f.isExternal()) {
      only = f;
      ++count;
    }
  if (count == 1)
    return only;
  emitError(module.getLoc()) << "cannot pick an entry function: no @forward and "
                     << count << " public functions (name one: --entry=NAME for a tool, entry=NAME in a pass's options)";
  return failure();
}

FailureOr<func::FuncOp> Interpreter::entry(StringRef name) {
  return lookupEntryFunction(module, name);
}

LinearObserver::~LinearObserver() = default;
LogicalResult LinearObserver::weightDone(WeightOp, Tensor &) { return success(); }

LogicalResult Interpreter::checkInputs(func::FuncOp func,
                                       const std::vector<HostValue> &inputs) {
  if (inputs.size() != func.getNumArguments()) {
    emitError(func.getLoc()) << "@" << func.getName() << " takes "
                     << func.getNumArguments() << " inputs but "
                     << inputs.size() << " were given";
    return failure();
  }
  for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type) {
      emitError(func.getLoc()) << "input #" << i << " has unsupported type "
                       << arg.getType();
      return failure();
    }
    bool wantInt = isa<IntegerType>(type.getElementType());
    const HostValue &in = inputs[i];
    if (in.isInt != wantInt) {
      emitError(func.getLoc()) << "input #" << i << " must be "
                       << (wantInt ? "an integer (token id)" : "a float")
                       << " array for type " << type;
      return failure();
    }
    const std::vector<int64_t> &shape = in.shape();
    bool ok = static_cast<int64_t>(shape.size()) == type.getRank();
    for (int64_t d = 0; ok && d < type.getRank(); ++d)
      ok = ShapedType::isDynamic(type.getDimSize(d)) ||
           type.getDimSize(d) == shape[d];
    if (!ok) {
      emitError(func.getLoc()) << "input #" << i << " has shape "
                       << shapeToString(shape) << " but the function expects "
                       << type;
      return failure();
    }
  }
  return success();
}

FailureOr<std::vector<HostValue>>
Interpreter::run(func::FuncOp func, const std::vector<HostValue> &inputs) {
  FailureOr<std::vector<std::vector<HostValue>>> out =
      runBatch(func, {inputs}, nullptr);
  if (failed(out))
    return failure();
  return std::move((*out)[0]);
}

Tensor &Interpreter::bindWeight(const std::string &name, Tensor values) {
  std::shared_ptr<HostValue> &slot = cache[name];
  slot = std::make_shared<HostValue>(HostValue::floats(std::move(values)));
  return slot->f;
}

FailureOr<std::vector<std::vector<HostValue>>>
Interpreter::runBatch(func::FuncOp func,
                      const std::vector<std::vector<HostValue>> &samples,
                      LinearObserver *observer) {
  for (const std::vector<HostValue> &inputs : samples)
    if (failed(checkInputs(func, inputs)))
      return failure();
  return runImpl<float>(func, samples, observer, cache);
}

FailureOr<std::vector<HostValueD>>
Interpreter::runDouble(func::FuncOp func, const std::vector<HostValue> &inputs,
                       const std::map<std::string, TensorD> &weightOverrides) {
  if (failed(checkInputs(func, inputs)))
    return failure();
  // A cache of this run only: the overrides, then the fp32 weights already
  // loaded, widened (the rest is loaded from the store as the run needs it).
  std::map<std::string, std::shared_ptr<HostValueD>> wide;
  for (const auto &[name, values] : weightOverrides)
    wide.emplace(name, std::make_shared<HostValueD>(HostValueD::floats(values)));
  for (const auto &[name, value] : cache)
    if (!value->isInt)
      wide.emplace(name, std::make_shared<HostValueD>(
                             HostValueD::floats(convertTensor<double>(value->f))));
  std::vector<HostValueD> in;
  for (const HostValue &v : inputs)
    in.push_back(v.isInt ? HostValueD::ints(v.i)
                         : HostValueD::floats(convertTensor<double>(v.f)));
  FailureOr<std::vector<std::vector<HostValueD>>> out =
      runImpl<double>(func, {in}, nullptr, wide);
  if (failed(out))
    return failure();
  return std::move((*out)[0]);
}

template <class T>
FailureOr<std::vector<std::vector<BasicHostValue<T>>>>
Interpreter::runImpl(
    func::FuncOp func,
    const std::vector<std::vector<BasicHostValue<T>>> &samples,
    LinearObserver *observer,
    std::map<std::string, std::shared_ptr<BasicHostValue<T>>> &cache) {
  using Values = std::vector<BasicHostValue<T>>;
  // Weights are cached by name: one name must mean one tensor.
  if (failed(collectWeights(module)))
    return failure();
  Block &block = func.getBody().front();

  // Liveness: after each op, the values it was the last user of can go.
  llvm::DenseMap<Operation *, SmallVector<Value>> lastUses;
  {
    llvm::DenseMap<Value, Operation *> last;
    for (Operation &op : block)
      for (Value v : op.getOperands())
        last[v] = &op;
    for (auto &[v, op] : last)
      if (!isa<func::ReturnOp>(op))
        lastUses[op].push_back(v);
  }
  // After each op, the weight names it was the last user of (over every
  // sxf.weight of the name): they are final then, and with releaseWeights
  // they leave the cache. A weight that reaches the return stays.
  llvm::DenseMap<Operation *, SmallVector<WeightOp>> weightsDone;
  {
    llvm::DenseMap<Operation *, unsigned> position;
    for (Operation &op : block)
      position[&op] = position.size();
    std::map<std::string, std::pair<WeightOp, Operation *>> lastUser;
    for (Operation &op : block) {
      auto w = dyn_cast<WeightOp>(op);
      if (!w)
        continue;
      auto [it, inserted] =
          lastUser.try_emplace(w.getName().str(), w, &op);
      for (Operation *user : w->getUsers())
        if (user->getBlock() == &block &&
            position[user] > position[it->second.second])
          it->second.second = user;
    }
    for (auto &[name, entry] : lastUser)
      if (!isa<func::ReturnOp>(entry.second))
        weightsDone[entry.second].push_back(entry.first);
  }

  std::vector<Execution<T>> execs;
  execs.reserve(samples.size());
  for (const Values &inputs : samples) {
    execs.emplace_back(weights, cache, linearImpl, gradImpls, storedPatterns);
    for (auto [arg, in] : llvm::zip(func.getArguments(), inputs))
      execs.back().bind(arg, in);
  }

  for (Operation &op : block) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      std::vector<Values> results;
      for (Execution<T> &e : execs) {
        Values r;
        for (Value v : ret.getOperands())
          r.push_back(*e.lookup(v));
        results.push_back(std::move(r));
      }
      return results;
    }
    if constexpr (std::is_same_v<T, float>)
    if (observer)
      if (auto lin = dyn_cast<LinearOp>(op)) {
        std::vector<const Tensor *> inputs;
        for (Execution<T> &e : execs) {
          const HostValue *x = e.lookup(lin.getInput());
          if (!x || x->isInt)
            return op.emitError("reference interpreter: linear input has no "
                                "float value");
          inputs.push_back(&x->f);
        }
        if (auto w = lin.getWeight().getDefiningOp<WeightOp>()) {
          auto it = cache.find(w.getName().str());
          if (it != cache.end() &&
              failed(observer->beforeLinear(lin, inputs, it->second->f)))
            return failure();
        }
      }
    for (Execution<T> &e : execs) {
      if (failed(e.execute(&op)))
        return failure();
      auto it = lastUses.find(&op);
      if (it != lastUses.end())
        for (Value v : it->second)
          e.release(v);
    }
    auto done = weightsDone.find(&op);
    if (done == weightsDone.end())
      continue;
    for (WeightOp w : done->second) {
      auto it = cache.find(w.getName().str());
      if (it == cache.end())
        continue;
      if constexpr (std::is_same_v<T, float>)
        if (observer && failed(observer->weightDone(w, it->second->f)))
          return failure();
      if (releaseWeights)
        cache.erase(it);
    }
  }
  emitError(func.getLoc(), "function body has no return");
  return failure();
}

FailureOr<std::vector<HostValue>> Interpreter::randomInputs(func::FuncOp func,
                                                            uint64_t seed) {
  Rng rng(seed);
  std::vector<HostValue> inputs;
  for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || !type.hasStaticShape()) {
      emitError(func.getLoc()) << "random inputs need a static shape: input #"
                       << i << ", got " << arg.getType();
      return failure();
    }
    std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
    if (isa<IntegerType>(type.getElementType())) {
      int64_t vocab = 2;
      for (Operation *user : arg.getUsers())
        if (auto e = dyn_cast<EmbeddingOp>(user))
          if (e.getIds() == arg)
            vocab = e.getTable().getType().getDimSize(0);
      IntTensor t;
      t.shape = shape;
      t.data.resize(shapeNumElements(shape));
      for (int64_t &v : t.data)
        v = rng.below(vocab);
      inputs.push_back(HostValue::ints(std::move(t)));
    } else {
      Tensor t(shape);
      for (float &v : t.data)
        v = static_cast<float>(rng.normal());
      inputs.push_back(HostValue::floats(std::move(t)));
    }
  }
  return inputs;
}

} // namespace sxf
