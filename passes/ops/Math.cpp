// Rules for the math family: element-wise unary and broadcasting binary and
// variadic operators, activations, comparisons and logic, Where, and the
// reductions. Integer arithmetic on small tensors is propagated symbolically
// (shape arithmetic such as Div(Shape[2], 2)), real arithmetic concretely.
#include "passes/OpRegistry.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"

#include <cmath>

namespace opaudit {
namespace {

constexpr uint32_t in(unsigned I) { return 1u << I; }
constexpr int64_t kMaxValueElements = 4096;

/// Elements of V at the broadcast position Idx of an output with OutDims.
size_t broadcastIndex(const ConstValue &V, llvm::ArrayRef<int64_t> OutDims,
                      llvm::ArrayRef<int64_t> Idx) {
  size_t Off = OutDims.size() - V.Dims.size();
  size_t Flat = 0;
  for (size_t I = 0; I < V.Dims.size(); ++I)
    Flat = Flat * static_cast<size_t>(V.Dims[I]) +
           static_cast<size_t>(V.Dims[I] == 1 ? 0 : Idx[Off + I]);
  return Flat;
}

std::optional<llvm::SmallVector<int64_t, 4>> broadcastDims(llvm::ArrayRef<const ConstValue *> Vs) {
  size_t Rank = 0;
  for (const ConstValue *V : Vs)
    Rank = std::max(Rank, V->Dims.size());
  llvm::SmallVector<int64_t, 4> Out(Rank, 1);
  for (const ConstValue *V : Vs) {
    size_t Off = Rank - V->Dims.size();
    for (size_t I = 0; I < V->Dims.size(); ++I) {
      int64_t &O = Out[Off + I];
      int64_t D = V->Dims[I];
      if (D == O || D == 1)
        continue;
      if (O != 1)
        return std::nullopt;
      O = D;
    }
  }
  int64_t N = 1;
  for (int64_t D : Out)
    if (__builtin_mul_overflow(N, D, &N) || N > kMaxValueElements)
      return std::nullopt;
  return Out;
}

template <typename Fn> void forEachIndex(llvm::ArrayRef<int64_t> Dims, Fn &&Visit) {
  int64_t N = 1;
  for (int64_t D : Dims)
    N *= D;
  llvm::SmallVector<int64_t, 6> Idx(Dims.size(), 0);
  for (int64_t K = 0; K < N; ++K) {
    Visit(llvm::ArrayRef<int64_t>(Idx));
    for (size_t J = Dims.size(); J-- > 0;) {
      if (++Idx[J] < Dims[J])
        break;
      Idx[J] = 0;
    }
  }
}

enum class BinOp { Add, Sub, Mul, Div, Mod, FMod, Pow, Min, Max, Equal, Less, LessEq, Greater, GreaterEq, And, Or, Xor };

std::optional<BinOp> binOpOf(llvm::StringRef Op, bool FMod) {
  return llvm::StringSwitch<std::optional<BinOp>>(Op)
      .Case("Add", BinOp::Add)
      .Case("Sub", BinOp::Sub)
      .Case("Mul", BinOp::Mul)
      .Case("Div", BinOp::Div)
      .Case("Mod", FMod ? BinOp::FMod : BinOp::Mod)
      .Case("Pow", BinOp::Pow)
      .Case("Min", BinOp::Min)
      .Case("Max", BinOp::Max)
      .Case("Equal", BinOp::Equal)
      .Case("Less", BinOp::Less)
      .Case("LessOrEqual", BinOp::LessEq)
      .Case("Greater", BinOp::Greater)
      .Case("GreaterOrEqual", BinOp::GreaterEq)
      .Case("And", BinOp::And)
      .Case("Or", BinOp::Or)
      .Case("Xor", BinOp::Xor)
      .Default(std::nullopt);
}

bool isComparison(BinOp Op) {
  return Op == BinOp::Equal || Op == BinOp::Less || Op == BinOp::LessEq || Op == BinOp::Greater ||
         Op == BinOp::GreaterEq || Op == BinOp::And || Op == BinOp::Or || Op == BinOp::Xor;
}

/// Integer op on expressions; comparisons only when both sides are constants.
Expr applyInt(SymContext &S, BinOp Op, Expr A, Expr B) {
  if (!A || !B)
    return Expr();
  auto CA = A.asConst(), CB = B.asConst();
  switch (Op) {
  case BinOp::Add:
    return S.add(A, B);
  case BinOp::Sub:
    return S.sub(A, B);
  case BinOp::Mul:
    return S.mul(A, B);
  case BinOp::Div:
    // ONNX integer Div truncates toward zero; floor agrees for non-negative operands.
    if (CA && CB)
      return *CB == 0 || (*CA == INT64_MIN && *CB == -1) ? Expr() : S.constant(*CA / *CB);
    if (CB && *CB > 0 && S.isKnownNonNegative(A))
      return S.floorDiv(A, B);
    return Expr();
  case BinOp::Mod:
    return S.mod(A, B);
  case BinOp::FMod:
    if (CA && CB && *CB != 0)
      return S.constant(*CA % *CB);
    return Expr();
  case BinOp::Pow:
    if (CB && *CB >= 0 && *CB <= 64)
      return S.pow(A, static_cast<unsigned>(*CB));
    return Expr();
  case BinOp::Min:
    return S.min(A, B);
  case BinOp::Max:
    return S.max(A, B);
  default:
    break;
  }
  if (A == B && (Op == BinOp::Equal || Op == BinOp::LessEq || Op == BinOp::GreaterEq))
    return S.constant(1);
  if ((!CA || !CB) && Op >= BinOp::Equal && Op <= BinOp::GreaterEq) {
    // Dims are >= 0, so e.g. seq == -1 is decidable without a value for seq.
    Expr D = S.sub(A, B);
    Expr One = S.constant(1);
    int Sign = S.isKnownNonNegative(S.sub(D, One))          ? 2  // A > B
               : S.isKnownNonNegative(S.sub(S.neg(D), One)) ? -2 // A < B
               : S.isKnownNonNegative(D)                    ? 1  // A >= B
               : S.isKnownNonNegative(S.neg(D))             ? -1 // A <= B
                                                            : 0;
    switch (Op) {
    case BinOp::Equal:
      return Sign == 2 || Sign == -2 ? S.constant(0) : Expr();
    case BinOp::Less:
      return Sign > 0 ? S.constant(0) : Sign == -2 ? S.constant(1) : Expr();
    case BinOp::LessEq:
      return Sign == 2 ? S.constant(0) : Sign < 0 ? S.constant(1) : Expr();
    case BinOp::Greater:
      return Sign < 0 ? S.constant(0) : Sign == 2 ? S.constant(1) : Expr();
    case BinOp::GreaterEq:
      return Sign == -2 ? S.constant(0) : Sign > 0 ? S.constant(1) : Expr();
    default:
      return Expr();
    }
  }
  if (!CA || !CB)
    return Expr();
  int64_t X = *CA, Y = *CB;
  switch (Op) {
  case BinOp::Equal: return S.constant(X == Y);
  case BinOp::Less: return S.constant(X < Y);
  case BinOp::LessEq: return S.constant(X <= Y);
  case BinOp::Greater: return S.constant(X > Y);
  case BinOp::GreaterEq: return S.constant(X >= Y);
  case BinOp::And: return S.constant((X != 0) && (Y != 0));
  case BinOp::Or: return S.constant((X != 0) || (Y != 0));
  case BinOp::Xor: return S.constant((X != 0) != (Y != 0));
  default: return Expr();
  }
}

double applyReal(BinOp Op, double A, double B) {
  switch (Op) {
  case BinOp::Add: return A + B;
  case BinOp::Sub: return A - B;
  case BinOp::Mul: return A * B;
  case BinOp::Div: return A / B;
  case BinOp::Mod: { double R = std::fmod(A, B); return (R != 0 && ((R < 0) != (B < 0))) ? R + B : R; }
  case BinOp::FMod: return std::fmod(A, B);
  case BinOp::Pow: return std::pow(A, B);
  case BinOp::Min: return std::min(A, B);
  case BinOp::Max: return std::max(A, B);
  case BinOp::Equal: return A == B;
  case BinOp::Less: return A < B;
  case BinOp::LessEq: return A <= B;
  case BinOp::Greater: return A > B;
  case BinOp::GreaterEq: return A >= B;
  case BinOp::And: return (A != 0) && (B != 0);
  case BinOp::Or: return (A != 0) || (B != 0);
  case BinOp::Xor: return (A != 0) != (B != 0);
  }
  return NAN;
}

/// Broadcasting element-wise operator (binary or variadic).
void inferBroadcast(InferContext &C) {
  SymContext &S = C.sym();
  llvm::SmallVector<const Shape *, 4> Shapes;
  for (size_t I = 0; I < C.numInputs(); ++I)
    if (C.hasInput(I))
      Shapes.push_back(C.inShape(I));
  llvm::StringRef Op = C.node().OpType;
  auto B = binOpOf(Op, C.attrInt("fmod", 0) != 0);
  bool BoolOut = B && isComparison(*B);
  DType Elem = BoolOut ? DType::Bool : C.inType(0);
  // Before opset 7, binary ops broadcast only with broadcast=1 and an axis.
  if (C.opset() < 7 && C.attrInt("broadcast", 0) != 0 && Shapes.size() == 2 && Shapes[0]) {
    C.setOutput(0, Elem, *Shapes[0]);
    return;
  }
  auto Out = broadcastShapes(S, Shapes, &C);
  C.setOutput(0, Elem, Out);
  if (!Out)
    return;
  // Values.
  if (!B && Op != "Sum" && Op != "Mean")
    return;
  BinOp Fold = B ? *B : BinOp::Add;
  llvm::SmallVector<const ConstValue *, 4> Vs;
  for (size_t I = 0; I < C.numInputs(); ++I) {
    const ConstValue *V = C.value(I);
    if (!V)
      return;
    Vs.push_back(V);
  }
  if (Vs.empty())
    return;
  auto Dims = broadcastDims(Vs);
  if (!Dims)
    return;
  bool Real = llvm::any_of(Vs, [](const ConstValue *V) { return V->isReal(); });
  if (Real && !llvm::all_of(Vs, [](const ConstValue *V) { return V->isReal(); }))
    return;
  ConstValue R;
  R.Elem = BoolOut ? DType::Bool : Vs[0]->Elem;
  R.Dims = *Dims;
  bool Ok = true;
  forEachIndex(*Dims, [&](llvm::ArrayRef<int64_t> Idx) {
    if (Real) {
      double Acc = Vs[0]->Reals[broadcastIndex(*Vs[0], *Dims, Idx)];
      for (size_t K = 1; K < Vs.size(); ++K)
        Acc = applyReal(Fold, Acc, Vs[K]->Reals[broadcastIndex(*Vs[K], *Dims, Idx)]);
      if (Op == "Mean")
        Acc /= static_cast<double>(Vs.size());
      if (BoolOut)
        R.Ints.push_back(S.constant(Acc != 0));
      else
        R.Reals.push_back(Acc);
    } else {
      Expr Acc = Vs[0]->Ints[broadcastIndex(*Vs[0], *Dims, Idx)];
      for (size_t K = 1; K < Vs.size(); ++K)
        Acc = applyInt(S, Fold, Acc, Vs[K]->Ints[broadcastIndex(*Vs[K], *Dims, Idx)]);
      if (Op == "Mean")
        Acc = Expr();
      Ok &= bool(Acc);
      R.Ints.push_back(Acc);
    }
  });
  // Partially known shape vectors still help (an unknown element stays unknown).
  if (Ok || !R.Ints.empty())
    C.setOutputValue(0, std::move(R));
}

/// Unary element-wise: same shape and dtype; propagates a few functions of values.
void inferUnary(InferContext &C) {
  const TensorType *X = C.input(0);
  llvm::StringRef Op = C.node().OpType;
  DType Elem = X ? X->Elem : DType::Undefined;
  bool BoolOut = Op == "Not" || Op == "IsNaN" || Op == "IsInf";
  if (Op == "IsNaN" || Op == "IsInf")
    Elem = DType::Bool;
  C.setOutput(0, Elem, X ? X->Dims : std::nullopt);
  const ConstValue *V = C.value(0);
  if (!V)
    return;
  ConstValue R;
  R.Elem = Elem;
  R.Dims = V->Dims;
  SymContext &S = C.sym();
  if (!V->isReal()) {
    for (Expr E : V->Ints) {
      Expr O;
      if (Op == "Neg")
        O = S.neg(E);
      else if (Op == "Identity" || Op == "Floor" || Op == "Ceil" || Op == "Round")
        O = E;
      else if (Op == "Abs" && E)
        O = S.isKnownNonNegative(E) ? E : (E.isConst() ? S.constant(std::llabs(*E.asConst())) : Expr());
      else if (Op == "Not" && E && E.isConst())
        O = S.constant(*E.asConst() == 0);
      else if (Op == "Relu" && E)
        O = S.max(E, S.constant(0));
      else if (Op == "Sign" && E && E.isConst())
        O = S.constant((*E.asConst() > 0) - (*E.asConst() < 0));
      else
        return;
      R.Ints.push_back(O);
    }
  } else {
    for (double D : V->Reals) {
      double O;
      if (Op == "Neg") O = -D;
      else if (Op == "Floor") O = std::floor(D);
      else if (Op == "Ceil") O = std::ceil(D);
      else if (Op == "Round") O = std::nearbyint(D);
      else if (Op == "Sqrt") O = std::sqrt(D);
      else if (Op == "Abs") O = std::fabs(D);
      else if (Op == "Reciprocal") O = 1.0 / D;
      else if (Op == "Exp") O = std::exp(D);
      else if (Op == "Log") O = std::log(D);
      else if (Op == "Relu") O = std::max(D, 0.0);
      else if (Op == "Identity") O = D;
      else return;
      if (BoolOut)
        return;
      R.Reals.push_back(O);
    }
  }
  C.setOutputValue(0, std::move(R));
}

void inferWhere(InferContext &C) {
  SymContext &S = C.sym();
  auto Out = broadcastShapes(S, {C.inShape(0), C.inShape(1), C.inShape(2)}, &C);
  C.setOutput(0, C.inType(1) != DType::Undefined ? C.inType(1) : C.inType(2), Out);
  const ConstValue *Cond = C.value(0), *X = C.value(1), *Y = C.value(2);
  if (!Cond || !X || !Y || Cond->isReal() || X->isReal() != Y->isReal())
    return;
  auto Dims = broadcastDims({Cond, X, Y});
  if (!Dims)
    return;
  ConstValue R;
  R.Elem = X->Elem;
  R.Dims = *Dims;
  bool Ok = true;
  forEachIndex(*Dims, [&](llvm::ArrayRef<int64_t> Idx) {
    Expr Cv = Cond->Ints[broadcastIndex(*Cond, *Dims, Idx)];
    auto CC = Cv ? Cv.asConst() : std::nullopt;
    if (!CC) {
      Ok = false;
      return;
    }
    const ConstValue *Src = *CC ? X : Y;
    size_t K = broadcastIndex(*Src, *Dims, Idx);
    if (Src->isReal())
      R.Reals.push_back(Src->Reals[K]);
    else
      R.Ints.push_back(Src->Ints[K]);
  });
  if (Ok)
    C.setOutputValue(0, std::move(R));
}

void inferClip(InferContext &C) {
  const TensorType *X = C.input(0);
  C.setOutput(0, X ? *X : TensorType{});
}

/// Reduce*: axes from the attribute (older opsets) or the second input.
void inferReduce(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *X = C.inShape(0);
  llvm::StringRef Op = C.node().OpType;
  // ReduceSum took axes as an input from opset 13, the others from 18.
  int64_t InputSince = Op == "ReduceSum" ? 13 : 18;
  bool KeepDims = C.attrInt("keepdims", 1) != 0;
  std::optional<llvm::SmallVector<int64_t, 4>> Axes;
  bool NoAxes = false;
  if (C.opset() < InputSince) {
    if (auto A = C.attrInts("axes"))
      Axes = *A;
    else
      NoAxes = true;
  } else if (C.hasInput(1)) {
    if (auto V = C.intValues(1))
      Axes = llvm::SmallVector<int64_t, 4>(V->begin(), V->end());
    if (Axes && Axes->empty())
      NoAxes = true;
  } else {
    NoAxes = true;
  }
  DType Elem = C.inType(0);
  if (!X) {
    C.setOutput(0, Elem, std::nullopt);
    return C.fail("input rank is unknown");
  }
  int64_t Rank = static_cast<int64_t>(X->size());
  if (NoAxes) {
    if (C.attrInt("noop_with_empty_axes", 0) != 0 && C.opset() >= InputSince) {
      C.setOutput(0, Elem, *X);
      return;
    }
    Axes = llvm::SmallVector<int64_t, 4>();
    for (int64_t I = 0; I < Rank; ++I)
      Axes->push_back(I);
  }
  if (!Axes) {
    C.setOutput(0, Elem, KeepDims ? std::optional<Shape>(Shape(X->size(), Expr())) : std::nullopt);
    return C.fail("reduction axes are not known");
  }
  llvm::SmallVector<bool, 8> Red(static_cast<size_t>(Rank), false);
  for (int64_t A : *Axes) {
    auto N = normalizeAxis(A, Rank);
    if (!N)
      return C.fail("axis out of range");
    Red[static_cast<size_t>(*N)] = true;
  }
  Shape Out;
  for (int64_t I = 0; I < Rank; ++I) {
    if (!Red[static_cast<size_t>(I)])
      Out.push_back((*X)[static_cast<size_t>(I)]);
    else if (KeepDims)
      Out.push_back(S.constant(1));
  }
  C.setOutput(0, Elem, Out);
  // ReduceProd over a shape vector gives an element count (used before Reshape).
  const ConstValue *V = C.value(0);
  if (V && !V->isReal() && V->Dims.size() == 1 && (Op == "ReduceProd" || Op == "ReduceSum") &&
      Red[0]) {
    Expr Acc = S.constant(Op == "ReduceProd" ? 1 : 0);
    for (Expr E : V->Ints)
      Acc = Op == "ReduceProd" ? S.mul(Acc, E) : S.add(Acc, E);
    ConstValue R;
    R.Elem = V->Elem;
    if (KeepDims)
      R.Dims = {1};
    R.Ints.push_back(Acc);
    C.setOutputValue(0, std::move(R));
  }
}

void inferArgReduce(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *X = C.inShape(0);
  if (!X) {
    C.setOutput(0, DType::Int64, std::nullopt);
    return C.fail("input rank is unknown");
  }
  auto A = normalizeAxis(C.attrInt("axis", 0), static_cast<int64_t>(X->size()));
  if (!A)
    return C.fail("axis out of range");
  Shape Out = *X;
  if (C.attrInt("keepdims", 1) != 0)
    Out[static_cast<size_t>(*A)] = S.constant(1);
  else
    Out.erase(Out.begin() + *A);
  C.setOutput(0, DType::Int64, Out);
}

void inferTopK(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *X = C.inShape(0);
  Expr K;
  if (C.opset() < 10) {
    K = S.constant(C.attrInt("k", 0));
  } else if (const ConstValue *V = C.value(1); V && !V->isReal() && V->Ints.size() == 1) {
    K = V->Ints[0];
  }
  if (!X) {
    C.setOutput(0, C.inType(0), std::nullopt);
    C.setOutput(1, DType::Int64, std::nullopt);
    return C.fail("input rank is unknown");
  }
  auto A = normalizeAxis(C.attrInt("axis", -1), static_cast<int64_t>(X->size()));
  if (!A)
    return C.fail("axis out of range");
  Shape Out = *X;
  Out[static_cast<size_t>(*A)] = K;
  C.setOutput(0, C.inType(0), Out);
  C.setOutput(1, DType::Int64, Out);
}

void inferSameShape(InferContext &C) {
  const TensorType *X = C.input(0);
  C.setOutput(0, X ? *X : TensorType{});
}

/// The slope broadcasts unidirectionally to X (and before opset 7 a 1-D
/// slope matches the channel axis), so the output always has X's shape.
void inferPRelu(InferContext &C) { inferSameShape(C); }

} // namespace

void addMathRules(std::vector<OpRule> &R) {
  using OC = OpClass;
  auto Add = [&](llvm::StringRef Op, int Since, OC Cls, InferFn F, uint32_t ShapeIn = 0) {
    R.push_back({"", Op, Since, Cls, F, ShapeIn, nullptr});
  };
  for (const char *Op : {"Add", "Sub", "Mul", "Div"}) {
    Add(Op, 1, OC::Elementwise, inferBroadcast);
    Add(Op, 7, OC::Elementwise, inferBroadcast);
    Add(Op, 13, OC::Elementwise, inferBroadcast);
    Add(Op, 14, OC::Elementwise, inferBroadcast);
  }
  Add("Pow", 1, OC::Elementwise, inferBroadcast);
  Add("Pow", 7, OC::Elementwise, inferBroadcast);
  Add("Pow", 12, OC::Elementwise, inferBroadcast);
  Add("Pow", 15, OC::Elementwise, inferBroadcast);
  Add("Mod", 10, OC::Elementwise, inferBroadcast);
  Add("BitShift", 11, OC::Elementwise, inferBroadcast);
  for (const char *Op : {"BitwiseAnd", "BitwiseOr", "BitwiseXor"})
    Add(Op, 18, OC::Elementwise, inferBroadcast);
  Add("BitwiseNot", 18, OC::Elementwise, inferUnary);
  for (const char *Op : {"Sum", "Mean", "Max", "Min"}) {
    Add(Op, 1, OC::Elementwise, inferBroadcast);
    Add(Op, 8, OC::Elementwise, inferBroadcast);
  }
  for (const char *Op : {"Equal", "Less", "Greater", "And", "Or", "Xor"}) {
    Add(Op, 1, OC::Elementwise, inferBroadcast);
    Add(Op, 7, OC::Elementwise, inferBroadcast);
  }
  Add("LessOrEqual", 12, OC::Elementwise, inferBroadcast);
  Add("GreaterOrEqual", 12, OC::Elementwise, inferBroadcast);
  for (const char *Op : {"Neg", "Abs", "Reciprocal", "Floor", "Ceil", "Sqrt", "Exp", "Log",
                         "Erf", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh",
                         "Asinh", "Acosh", "Atanh", "Sign", "Round", "Not", "IsNaN", "IsInf"})
    Add(Op, 1, OC::Elementwise, inferUnary);
  for (const char *Op : {"Relu", "Sigmoid", "Tanh", "LeakyRelu", "Elu", "Selu", "HardSigmoid",
                         "Softplus", "Softsign"})
    Add(Op, 1, OC::Activation, inferUnary);
  // Activations added in later opsets exist only from their first version.
  Add("Shrink", 9, OC::Activation, inferUnary);
  Add("ThresholdedRelu", 10, OC::Activation, inferUnary);
  Add("Celu", 12, OC::Activation, inferUnary);
  Add("HardSwish", 14, OC::Activation, inferUnary);
  Add("Mish", 18, OC::Activation, inferUnary);
  Add("Gelu", 20, OC::Activation, inferUnary);
  Add("PRelu", 1, OC::Activation, inferPRelu);
  Add("PRelu", 7, OC::Activation, inferPRelu);
  Add("Clip", 1, OC::Activation, inferClip);
  Add("Clip", 11, OC::Activation, inferClip);
  Add("Where", 9, OC::DataMovement, inferWhere);
  for (const char *Op : {"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
                         "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp",
                         "ReduceSumSquare"}) {
    Add(Op, 1, OC::Reduction, inferReduce, in(1));
    Add(Op, 13, OC::Reduction, inferReduce, in(1));
    Add(Op, 18, OC::Reduction, inferReduce, in(1));
  }
  Add("ArgMax", 1, OC::Reduction, inferArgReduce);
  Add("ArgMin", 1, OC::Reduction, inferArgReduce);
  Add("TopK", 1, OC::Reduction, inferTopK, in(1));
  Add("TopK", 10, OC::Reduction, inferTopK, in(1));
  Add("CumSum", 11, OC::Reduction, inferSameShape, in(1));
}

} // namespace opaudit
