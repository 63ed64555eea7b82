// Rules for the tensor family: shape computations and data movement
// (Shape, Gather, Concat, Reshape, Slice, Squeeze/Unsqueeze, Transpose,
// Split, Pad, Tile, Expand, Cast, Constant, Range, ...). These also propagate
// the values of small integer tensors so that run-time Reshape targets and
// Slice bounds resolve symbolically.
#include "passes/OpRegistry.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>

namespace opaudit {
namespace {

constexpr int64_t kMaxValueElements = 4096;

/// Concrete element count of a small tensor with known dims.
std::optional<int64_t> count(llvm::ArrayRef<int64_t> Dims) {
  int64_t N = 1;
  for (int64_t D : Dims)
    if (D < 0 || __builtin_mul_overflow(N, D, &N) || N > kMaxValueElements)
      return std::nullopt;
  return N;
}

/// Dims of a shape when every dim is a constant.
std::optional<llvm::SmallVector<int64_t, 4>> concreteDims(const Shape *S) {
  if (!S)
    return std::nullopt;
  llvm::SmallVector<int64_t, 4> R;
  for (Expr D : *S) {
    auto C = D ? D.asConst() : std::nullopt;
    if (!C)
      return std::nullopt;
    R.push_back(*C);
  }
  return R;
}

void passThrough(InferContext &C) {
  if (C.input(0))
    C.setOutput(0, *C.input(0));
  if (const ConstValue *V = C.value(0))
    C.setOutputValue(0, *V);
}

void inferIdentity(InferContext &C) {
  passThrough(C);
  // Dropout-like extra outputs are handled by their own rules.
}

void inferShape(InferContext &C) {
  const Shape *In = C.inShape(0);
  if (!In)
    return C.fail("input rank is unknown");
  int64_t Rank = static_cast<int64_t>(In->size());
  int64_t Start = 0, End = Rank;
  if (C.opset() >= 15) {
    Start = C.attrInt("start", 0);
    End = C.attrInt("end", Rank);
    auto Clamp = [&](int64_t X) { return std::clamp(X < 0 ? X + Rank : X, int64_t(0), Rank); };
    Start = Clamp(Start);
    End = Clamp(End);
  }
  ConstValue V;
  V.Elem = DType::Int64;
  for (int64_t I = Start; I < End; ++I)
    V.Ints.push_back((*In)[static_cast<size_t>(I)]);
  V.Dims = {static_cast<int64_t>(V.Ints.size())};
  C.setOutput(0, DType::Int64, constShape(C.sym(), V.Dims));
  C.setOutputValue(0, std::move(V));
}

void inferSize(InferContext &C) {
  C.setOutput(0, DType::Int64, Shape{});
  const Shape *In = C.inShape(0);
  if (!In)
    return;
  ConstValue V;
  V.Ints.push_back(numElements(C.sym(), *In));
  C.setOutputValue(0, std::move(V));
}

void inferConstant(InferContext &C) {
  SymContext &S = C.sym();
  if (const TensorData *T = C.attrTensor("value")) {
    C.setOutput(0, T->Type, constShape(S, T->Dims));
    if (auto V = valueOfTensor(S, *T))
      C.setOutputValue(0, std::move(*V));
    return;
  }
  ConstValue V;
  if (const Attribute *A = C.attr("value_int")) {
    V.Elem = DType::Int64;
    V.Ints.push_back(S.constant(A->I));
  } else if (const Attribute *A = C.attr("value_ints")) {
    V.Elem = DType::Int64;
    for (int64_t X : A->Ints)
      V.Ints.push_back(S.constant(X));
    V.Dims = {static_cast<int64_t>(A->Ints.size())};
  } else if (const Attribute *A = C.attr("value_float")) {
    V.Elem = DType::Float;
    V.Reals.push_back(A->F);
  } else if (const Attribute *A = C.attr("value_floats")) {
    V.Elem = DType::Float;
    V.Reals.assign(A->floats().begin(), A->floats().end());
    V.Dims = {static_cast<int64_t>(A->floats().size())};
  } else if (C.attr("value_string")) {
    C.setOutput(0, DType::String, Shape{});
    return;
  } else if (const Attribute *A = C.attr("value_strings")) {
    C.setOutput(0, DType::String, constShape(S, {static_cast<int64_t>(A->strings().size())}));
    return;
  } else {
    return C.fail("Constant has no supported value attribute");
  }
  C.setOutput(0, V.Elem, constShape(S, V.Dims));
  C.setOutputValue(0, std::move(V));
}

void inferConstantOfShape(InferContext &C) {
  SymContext &S = C.sym();
  DType Elem = DType::Float;
  std::optional<ConstValue> Fill;
  if (const TensorData *T = C.attrTensor("value")) {
    Elem = T->Type;
    Fill = valueOfTensor(S, *T);
  }
  const ConstValue *Sh = C.value(0);
  if (!Sh) {
    const Shape *In = C.inShape(0);
    auto N = In ? concreteDims(In) : std::nullopt;
    if (N && N->size() == 1) {
      Shape Out;
      for (int64_t I = 0; I < (*N)[0]; ++I)
        Out.push_back(S.fresh("unk"));
      C.setOutput(0, Elem, std::move(Out));
    } else {
      C.setOutput(0, Elem, std::nullopt);
    }
    return C.fail("target shape is not known");
  }
  Shape Out(Sh->Ints.begin(), Sh->Ints.end());
  C.setOutput(0, Elem, Out);
  auto Dims = concreteDims(&Out);
  auto N = Dims ? count(*Dims) : std::nullopt;
  if (N && Fill && Fill->size() == 1) {
    ConstValue V;
    V.Elem = Elem;
    V.Dims = *Dims;
    if (V.isReal())
      V.Reals.assign(static_cast<size_t>(*N), Fill->Reals[0]);
    else
      V.Ints.assign(static_cast<size_t>(*N), Fill->Ints[0]);
    C.setOutputValue(0, std::move(V));
  } else if (N && !Fill) {
    ConstValue V;
    V.Elem = Elem;
    V.Dims = *Dims;
    V.Reals.assign(static_cast<size_t>(*N), 0.0);
    C.setOutputValue(0, std::move(V));
  }
}

void inferCast(InferContext &C) {
  DType To = dtypeFromCode(C.attrInt("to", 0));
  if (C.node().OpType == "CastLike")
    To = C.inType(1);
  const TensorType *In = C.input(0);
  C.setOutput(0, To, In ? In->Dims : std::nullopt);
  const ConstValue *V = C.value(0);
  if (!V)
    return;
  ConstValue R;
  R.Elem = To;
  R.Dims = V->Dims;
  if (isFloatDType(To)) {
    if (V->isReal()) {
      R.Reals = V->Reals;
    } else {
      for (Expr E : V->Ints) {
        auto X = E ? E.asConst() : std::nullopt;
        if (!X)
          return;
        R.Reals.push_back(static_cast<double>(*X));
      }
    }
  } else if (isIntegerDType(To)) {
    if (V->isReal()) {
      for (double X : V->Reals) {
        if (!std::isfinite(X) || std::fabs(X) > 9.0e18)
          return;
        R.Ints.push_back(C.sym().constant(static_cast<int64_t>(To == DType::Bool ? X != 0 : X)));
      }
    } else if (To == DType::Bool) {
      for (Expr E : V->Ints) {
        auto X = E ? E.asConst() : std::nullopt;
        if (!X)
          return;
        R.Ints.push_back(C.sym().constant(*X != 0));
      }
    } else {
      R.Ints = V->Ints;
    }
  } else {
    return;
  }
  C.setOutputValue(0, std::move(R));
}

/// Element values of a known tensor laid out in row-major order of Dims.
template <typename T> struct Indexer {
  llvm::ArrayRef<int64_t> Dims;
  llvm::ArrayRef<T> Elems;
  const T &at(llvm::ArrayRef<int64_t> Idx) const {
    int64_t Flat = 0;
    for (size_t I = 0; I < Dims.size(); ++I)
      Flat = Flat * Dims[I] + Idx[I];
    return Elems[static_cast<size_t>(Flat)];
  }
};

/// Iterates every index of Dims in row-major order.
template <typename Fn> void forEachIndex(llvm::ArrayRef<int64_t> Dims, Fn &&Visit) {
  llvm::SmallVector<int64_t, 6> Idx(Dims.size(), 0);
  if (llvm::any_of(Dims, [](int64_t D) { return D == 0; }))
    return;
  while (true) {
    Visit(llvm::ArrayRef<int64_t>(Idx));
    size_t K = Dims.size();
    while (K > 0) {
      --K;
      if (++Idx[K] < Dims[K])
        break;
      Idx[K] = 0;
      if (K == 0)
        return;
    }
    if (Dims.empty())
      return;
  }
}

void inferGather(InferContext &C) {
  const Shape *Data = C.inShape(0);
  const Shape *Ind = C.inShape(1);
  if (!Data || !Ind) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("input rank is unknown");
  }
  auto Axis = normalizeAxis(C.attrInt("axis", 0), static_cast<int64_t>(Data->size()));
  if (!Axis)
    return C.fail("axis out of range");
  Shape Out(Data->begin(), Data->begin() + *Axis);
  Out.append(Ind->begin(), Ind->end());
  Out.append(Data->begin() + *Axis + 1, Data->end());
  C.setOutput(0, C.inType(0), Out);
  const ConstValue *DV = C.value(0);
  auto IV = C.intValues(1);
  if (!DV || !IV)
    return;
  const ConstValue *IndV = C.value(1);
  // Output value: data[..., idx, ...].
  llvm::SmallVector<int64_t, 4> OutDims(DV->Dims.begin(), DV->Dims.begin() + *Axis);
  OutDims.append(IndV->Dims.begin(), IndV->Dims.end());
  OutDims.append(DV->Dims.begin() + *Axis + 1, DV->Dims.end());
  if (!count(OutDims))
    return;
  int64_t AxisDim = DV->Dims[static_cast<size_t>(*Axis)];
  ConstValue R;
  R.Elem = DV->Elem;
  R.Dims = OutDims;
  size_t IRank = IndV->Dims.size();
  bool Ok = true;
  forEachIndex(OutDims, [&](llvm::ArrayRef<int64_t> Idx) {
    llvm::SmallVector<int64_t, 6> Src(Idx.begin(), Idx.begin() + *Axis);
    int64_t IFlat = 0;
    for (size_t K = 0; K < IRank; ++K)
      IFlat = IFlat * IndV->Dims[K] + Idx[static_cast<size_t>(*Axis) + K];
    int64_t Pick = (*IV)[static_cast<size_t>(IFlat)];
    if (Pick < 0)
      Pick += AxisDim;
    if (Pick < 0 || Pick >= AxisDim) {
      Ok = false;
      return;
    }
    Src.push_back(Pick);
    Src.append(Idx.begin() + *Axis + static_cast<int64_t>(IRank), Idx.end());
    if (DV->isReal())
      R.Reals.push_back(Indexer<double>{DV->Dims, DV->Reals}.at(Src));
    else
      R.Ints.push_back(Indexer<Expr>{DV->Dims, DV->Ints}.at(Src));
  });
  if (!Ok)
    return C.fail("index out of range");
  C.setOutputValue(0, std::move(R));
}

void inferConcat(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *First = nullptr;
  for (size_t I = 0; I < C.numInputs(); ++I)
    if (C.inShape(I)) {
      First = C.inShape(I);
      break;
    }
  DType Elem = C.inType(0);
  if (!First) {
    C.setOutput(0, Elem, std::nullopt);
    return C.fail("input ranks are unknown");
  }
  int64_t Rank = static_cast<int64_t>(First->size());
  auto Axis = normalizeAxis(C.attrInt("axis", 0), Rank);
  if (!Axis)
    return C.fail("axis out of range");
  Shape Out = *First;
  Expr Sum = S.constant(0);
  for (size_t I = 0; I < C.numInputs(); ++I) {
    const Shape *In = C.inShape(I);
    if (!In || static_cast<int64_t>(In->size()) != Rank) {
      Sum = Expr();
      continue;
    }
    Sum = S.add(Sum, (*In)[static_cast<size_t>(*Axis)]);
    for (int64_t D = 0; D < Rank; ++D)
      if (D != *Axis && !Out[static_cast<size_t>(D)])
        Out[static_cast<size_t>(D)] = (*In)[static_cast<size_t>(D)];
  }
  Out[static_cast<size_t>(*Axis)] = Sum;
  C.setOutput(0, Elem, Out);
  // Values: the common case is concatenating 1-D shape pieces.
  ConstValue R;
  R.Elem = Elem;
  for (size_t I = 0; I < C.numInputs(); ++I) {
    const ConstValue *V = C.value(I);
    if (!V || V->Dims.size() > 1 || Rank != 1)
      return;
    R.Ints.append(V->Ints.begin(), V->Ints.end());
    R.Reals.append(V->Reals.begin(), V->Reals.end());
  }
  R.Dims = {static_cast<int64_t>(R.size())};
  C.setOutputValue(0, std::move(R));
}

/// Axes for Squeeze/Unsqueeze/Reduce*: an attribute before AttrUntil, an input after.
std::optional<llvm::SmallVector<int64_t, 4>> axesOf(InferContext &C, int64_t InputSince,
                                                    size_t InputIdx, bool &Absent) {
  Absent = false;
  if (C.opset() < InputSince) {
    if (auto A = C.attrInts("axes"))
      return A;
    Absent = true;
    return llvm::SmallVector<int64_t, 4>{};
  }
  if (!C.hasInput(InputIdx)) {
    Absent = true;
    return llvm::SmallVector<int64_t, 4>{};
  }
  auto V = C.intValues(InputIdx);
  if (!V)
    return std::nullopt;
  return llvm::SmallVector<int64_t, 4>(V->begin(), V->end());
}

void inferUnsqueeze(InferContext &C) {
  bool Absent;
  auto Axes = axesOf(C, 13, 1, Absent);
  const Shape *In = C.inShape(0);
  if (!Axes || !In) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail(!Axes ? "axes are not known" : "input rank is unknown");
  }
  int64_t OutRank = static_cast<int64_t>(In->size() + Axes->size());
  llvm::SmallVector<bool, 8> IsNew(static_cast<size_t>(OutRank), false);
  for (int64_t A : *Axes) {
    auto N = normalizeAxis(A, OutRank);
    if (!N || IsNew[static_cast<size_t>(*N)])
      return C.fail("invalid axes");
    IsNew[static_cast<size_t>(*N)] = true;
  }
  Shape Out;
  size_t K = 0;
  for (int64_t I = 0; I < OutRank; ++I)
    Out.push_back(IsNew[static_cast<size_t>(I)] ? C.sym().constant(1) : (*In)[K++]);
  C.setOutput(0, C.inType(0), Out);
  if (const ConstValue *V = C.value(0)) {
    if (auto D = concreteDims(&Out)) {
      ConstValue R = *V;
      R.Dims = *D;
      C.setOutputValue(0, std::move(R));
    }
  }
}

void inferSqueeze(InferContext &C) {
  bool Absent;
  auto Axes = axesOf(C, 13, 1, Absent);
  const Shape *In = C.inShape(0);
  if (!Axes || !In) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail(!Axes ? "axes are not known" : "input rank is unknown");
  }
  int64_t Rank = static_cast<int64_t>(In->size());
  llvm::SmallVector<bool, 8> Drop(static_cast<size_t>(Rank), false);
  if (Absent) {
    for (int64_t I = 0; I < Rank; ++I) {
      Expr D = (*In)[static_cast<size_t>(I)];
      if (!D || !D.isConst()) {
        C.setOutput(0, C.inType(0), std::nullopt);
        return C.fail("cannot tell which dims are 1");
      }
      Drop[static_cast<size_t>(I)] = *D.asConst() == 1;
    }
  }
  for (int64_t A : *Axes) {
    auto N = normalizeAxis(A, Rank);
    if (!N)
      return C.fail("axis out of range");
    Drop[static_cast<size_t>(*N)] = true;
  }
  Shape Out;
  for (int64_t I = 0; I < Rank; ++I)
    if (!Drop[static_cast<size_t>(I)])
      Out.push_back((*In)[static_cast<size_t>(I)]);
  C.setOutput(0, C.inType(0), Out);
  if (const ConstValue *V = C.value(0)) {
    if (auto D = concreteDims(&Out)) {
      ConstValue R = *V;
      R.Dims = *D;
      C.setOutputValue(0, std::move(R));
    }
  }
}

void inferReshape(InferContext &C) {
  SymContext &S = C.sym();
  const ConstValue *Target = C.value(1);
  const Shape *In = C.inShape(0);
  llvm::SmallVector<Expr, 4> Spec;
  if (C.opset() < 5) {
    auto A = C.attrInts("shape");
    if (!A)
      return C.fail("shape attribute missing");
    for (int64_t X : *A)
      Spec.push_back(S.constant(X));
  } else if (Target && !Target->isReal()) {
    Spec.assign(Target->Ints.begin(), Target->Ints.end());
  } else {
    // Rank is still known when the target's length is.
    const Shape *TS = C.inShape(1);
    auto N = TS ? concreteDims(TS) : std::nullopt;
    if (N && N->size() == 1) {
      Shape Out;
      for (int64_t I = 0; I < (*N)[0]; ++I)
        Out.push_back(Expr());
      C.setOutput(0, C.inType(0), Out);
    } else {
      C.setOutput(0, C.inType(0), std::nullopt);
    }
    return C.fail("target shape is not known");
  }
  bool AllowZero = C.attrInt("allowzero", 0) != 0;
  Shape Out;
  int Infer = -1;
  for (size_t I = 0; I < Spec.size(); ++I) {
    Expr D = Spec[I];
    auto K = D ? D.asConst() : std::nullopt;
    if (K && *K == 0 && !AllowZero) {
      Out.push_back(In && I < In->size() ? (*In)[I] : Expr());
    } else if (K && *K == -1) {
      if (Infer >= 0)
        return C.fail("more than one -1 in target shape");
      Infer = static_cast<int>(I);
      Out.push_back(Expr());
    } else if (K && *K < 0) {
      return C.fail("invalid target dim " + std::to_string(*K));
    } else {
      Out.push_back(D);
    }
  }
  if (Infer >= 0 && In) {
    Expr Total = numElements(S, *In);
    Expr Known = S.constant(1);
    for (size_t I = 0; I < Out.size(); ++I)
      if (static_cast<int>(I) != Infer)
        Known = S.mul(Known, Out[I]);
    if (Total && Known) {
      auto KC = Known.asConst();
      if (KC && *KC == 0) {
        C.fail("cannot infer -1 next to a zero dim");
      } else {
        Expr Q = S.floorDiv(Total, Known);
        // Only an exact division is trusted; a remainder means the shapes disagree.
        Expr Back = S.mul(Q, Known);
        if (Back == Total)
          Out[static_cast<size_t>(Infer)] = Q;
        else if (Total.isConst() && Known.isConst())
          C.fail("cannot reshape " + Total.str() + " elements into a multiple of " + Known.str());
      }
    }
  }
  if (In && !llvm::is_contained(Out, Expr())) {
    Expr TI = numElements(S, *In), TO = numElements(S, Out);
    if (TI && TO && TI.isConst() && TO.isConst() && TI != TO) {
      // Typically a batch-1 export whose Reshape constant pins the batch, run
      // with another batch: every shape after this point would be wrong, so
      // they become unknown and the error says why.
      C.Problems.push_back(
          {Severity::Error, "",
           "reshape changes the element count from " + TI.str() + " to " + TO.str() +
               ": its constant target shape " +
               [&] {
                 std::string T;
                 for (Expr D : Spec)
                   T += (T.empty() ? "" : "x") + D.str();
                 return T;
               }() +
               " pins a dim of the exported input (a static batch?); shapes and MACs "
               "after it are unknown"});
      C.setOutput(0, C.inType(0), Shape(Out.size(), Expr()));
      C.Conflict = true;
      return;
    }
  }
  C.setOutput(0, C.inType(0), Out);
  if (const ConstValue *V = C.value(0))
    if (auto D = concreteDims(&Out)) {
      ConstValue R = *V;
      R.Dims = *D;
      C.setOutputValue(0, std::move(R));
    }
}

void inferFlatten(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *In = C.inShape(0);
  if (!In) {
    C.setOutput(0, C.inType(0), Shape{Expr(), Expr()});
    return C.fail("input rank is unknown");
  }
  int64_t Rank = static_cast<int64_t>(In->size());
  int64_t Axis = C.attrInt("axis", 1);
  if (Axis < 0)
    Axis += Rank;
  if (Axis < 0 || Axis > Rank)
    return C.fail("axis out of range");
  llvm::ArrayRef<Expr> Dims(*In);
  C.setOutput(0, C.inType(0),
              Shape{numElements(S, Dims.take_front(static_cast<size_t>(Axis))),
                    numElements(S, Dims.drop_front(static_cast<size_t>(Axis)))});
}

void inferTranspose(InferContext &C) {
  const Shape *In = C.inShape(0);
  if (!In) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("input rank is unknown");
  }
  size_t Rank = In->size();
  llvm::SmallVector<int64_t, 4> Perm;
  if (auto P = C.attrInts("perm"))
    Perm = *P;
  else
    for (size_t I = Rank; I-- > 0;)
      Perm.push_back(static_cast<int64_t>(I));
  if (Perm.size() != Rank)
    return C.fail("perm has the wrong length");
  Shape Out;
  for (int64_t P : Perm) {
    auto A = normalizeAxis(P, static_cast<int64_t>(Rank));
    if (!A)
      return C.fail("perm out of range");
    Out.push_back((*In)[static_cast<size_t>(*A)]);
  }
  C.setOutput(0, C.inType(0), Out);
  const ConstValue *V = C.value(0);
  if (!V || V->Dims.size() != Rank)
    return;
  ConstValue R;
  R.Elem = V->Elem;
  for (int64_t P : Perm)
    R.Dims.push_back(V->Dims[static_cast<size_t>(*normalizeAxis(P, static_cast<int64_t>(Rank)))]);
  forEachIndex(R.Dims, [&](llvm::ArrayRef<int64_t> Idx) {
    llvm::SmallVector<int64_t, 6> Src(Rank, 0);
    for (size_t K = 0; K < Rank; ++K)
      Src[static_cast<size_t>(*normalizeAxis(Perm[K], static_cast<int64_t>(Rank)))] = Idx[K];
    if (V->isReal())
      R.Reals.push_back(Indexer<double>{V->Dims, V->Reals}.at(Src));
    else
      R.Ints.push_back(Indexer<Expr>{V->Dims, V->Ints}.at(Src));
  });
  C.setOutputValue(0, std::move(R));
}

/// Clamped slice length along a dim, exact when everything is constant.
Expr sliceLength(SymContext &S, Expr Dim, int64_t Start, int64_t End, int64_t Step) {
  if (Step == 0 || !Dim)
    return Expr();
  if (auto D = Dim.asConst()) {
    int64_t N = *D;
    auto Clamp = [&](int64_t X, int64_t Lo, int64_t Hi) {
      if (X < 0)
        X = X < -N ? -1 : X + N; // -1 marks "before the start"
      return std::clamp(X, Lo, Hi);
    };
    int64_t B, E;
    if (Step > 0) {
      B = Clamp(Start, 0, N);
      E = Clamp(End, 0, N);
      return S.constant(E > B ? (E - B + Step - 1) / Step : 0);
    }
    B = Clamp(Start, -1, N - 1);
    E = Clamp(End, -1, N - 1);
    return S.constant(B > E ? (B - E + (-Step) - 1) / (-Step) : 0);
  }
  // Symbolic dim: build the clamped bounds with min/max (exact).
  constexpr int64_t kBig = INT64_MAX / 4;
  auto Bound = [&](int64_t X, bool Lower) -> Expr {
    if (X >= kBig)
      return Step > 0 ? Dim : S.sub(Dim, S.constant(1));
    if (X <= -kBig)
      return Step > 0 ? S.constant(0) : S.constant(-1);
    Expr V = X < 0 ? S.add(Dim, S.constant(X)) : S.constant(X);
    if (Step > 0)
      return S.min(S.max(V, S.constant(0)), Dim);
    return S.min(S.max(V, S.constant(-1)), S.sub(Dim, S.constant(1)));
  };
  Expr B = Bound(Start, true), E = Bound(End, false);
  Expr Len = Step > 0 ? S.ceilDiv(S.sub(E, B), S.constant(Step))
                      : S.ceilDiv(S.sub(B, E), S.constant(-Step));
  return S.max(Len, S.constant(0));
}

/// Slice length when a bound is symbolic (read from Shape at run time). A
/// symbolic bound that is provably >= 0 is clamped with min against the dim;
/// one whose sign is unknown leaves the length unknown.
Expr sliceLengthExpr(SymContext &S, Expr Dim, Expr Start, Expr End, int64_t Step) {
  auto SC = Start.asConst(), EC = End.asConst();
  if (SC && EC)
    return sliceLength(S, Dim, *SC, *EC, Step);
  if (Step == 0 || !Dim || !Start || !End)
    return Expr();
  constexpr int64_t kBig = INT64_MAX / 4;
  auto Bound = [&](Expr X) -> Expr {
    if (auto K = X.asConst()) {
      if (*K >= kBig)
        return Step > 0 ? Dim : S.sub(Dim, S.constant(1));
      if (*K <= -kBig)
        return Step > 0 ? S.constant(0) : S.constant(-1);
      Expr V = *K < 0 ? S.add(Dim, X) : X;
      if (Step > 0)
        return S.min(S.max(V, S.constant(0)), Dim);
      return S.min(S.max(V, S.constant(-1)), S.sub(Dim, S.constant(1)));
    }
    if (!S.isKnownNonNegative(X))
      return Expr();
    return Step > 0 ? S.min(X, Dim) : S.min(X, S.sub(Dim, S.constant(1)));
  };
  Expr B = Bound(Start), E = Bound(End);
  if (!B || !E)
    return Expr();
  Expr Len = Step > 0 ? S.ceilDiv(S.sub(E, B), S.constant(Step))
                      : S.ceilDiv(S.sub(B, E), S.constant(-Step));
  return S.max(Len, S.constant(0));
}

void inferSlice(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *In = C.inShape(0);
  if (!In) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("input rank is unknown");
  }
  int64_t Rank = static_cast<int64_t>(In->size());
  llvm::SmallVector<Expr, 4> Starts, Ends;
  llvm::SmallVector<int64_t, 4> Axes, Steps;
  auto Unknown = [&](const char *Why) {
    C.setOutput(0, C.inType(0), Shape(In->size(), Expr()));
    return C.fail(Why);
  };
  if (C.opset() < 10) {
    auto St = C.attrInts("starts"), En = C.attrInts("ends");
    if (!St || !En)
      return C.fail("starts/ends missing");
    for (int64_t X : *St)
      Starts.push_back(S.constant(X));
    for (int64_t X : *En)
      Ends.push_back(S.constant(X));
    if (auto A = C.attrInts("axes"))
      Axes = *A;
  } else {
    auto St = C.exprValues(1), En = C.exprValues(2);
    if (!St || !En)
      return Unknown("slice bounds are not known");
    Starts.assign(St->begin(), St->end());
    Ends.assign(En->begin(), En->end());
    if (C.hasInput(3)) {
      auto A = C.intValues(3);
      if (!A)
        return Unknown("slice axes are not known");
      Axes.assign(A->begin(), A->end());
    }
    if (C.hasInput(4)) {
      auto P = C.intValues(4);
      if (!P)
        return Unknown("slice steps are not known");
      Steps.assign(P->begin(), P->end());
    }
  }
  if (Axes.empty())
    for (size_t I = 0; I < Starts.size(); ++I)
      Axes.push_back(static_cast<int64_t>(I));
  if (Steps.empty())
    Steps.assign(Starts.size(), 1);
  if (Ends.size() != Starts.size() || Axes.size() != Starts.size() || Steps.size() != Starts.size())
    return C.fail("starts, ends, axes and steps differ in length");
  Shape Out = *In;
  for (size_t I = 0; I < Starts.size(); ++I) {
    auto A = normalizeAxis(Axes[I], Rank);
    if (!A)
      return C.fail("slice axis out of range");
    if (Steps[I] == 0)
      return C.fail("slice step is 0");
    Out[static_cast<size_t>(*A)] =
        sliceLengthExpr(S, (*In)[static_cast<size_t>(*A)], Starts[I], Ends[I], Steps[I]);
  }
  C.setOutput(0, C.inType(0), Out);
  // Values: slices of small known tensors with constant bounds.
  const ConstValue *V = C.value(0);
  if (!V || static_cast<int64_t>(V->Dims.size()) != Rank)
    return;
  llvm::SmallVector<int64_t, 4> Begin(V->Dims.size(), 0), Step(V->Dims.size(), 1),
      Len(V->Dims.begin(), V->Dims.end());
  for (size_t I = 0; I < Starts.size(); ++I) {
    size_t A = static_cast<size_t>(*normalizeAxis(Axes[I], Rank));
    auto St = Starts[I].asConst(), En = Ends[I].asConst();
    if (!St || !En)
      return;
    int64_t N = V->Dims[A];
    auto L = sliceLength(S, S.constant(N), *St, *En, Steps[I]).asConst();
    if (!L)
      return;
    Len[A] = *L;
    Step[A] = Steps[I];
    Begin[A] = *St < 0 ? std::max<int64_t>(*St + N, Steps[I] > 0 ? 0 : -1)
                       : std::min(*St, Steps[I] > 0 ? N : N - 1);
  }
  if (!count(Len))
    return;
  ConstValue R;
  R.Elem = V->Elem;
  R.Dims = Len;
  bool Ok = true;
  forEachIndex(Len, [&](llvm::ArrayRef<int64_t> Idx) {
    llvm::SmallVector<int64_t, 6> Src;
    for (size_t K = 0; K < Idx.size(); ++K) {
      int64_t X = Begin[K] + Idx[K] * Step[K];
      if (X < 0 || X >= V->Dims[K])
        Ok = false;
      Src.push_back(std::clamp<int64_t>(X, 0, std::max<int64_t>(V->Dims[K] - 1, 0)));
    }
    if (!Ok)
      return;
    if (V->isReal())
      R.Reals.push_back(Indexer<double>{V->Dims, V->Reals}.at(Src));
    else
      R.Ints.push_back(Indexer<Expr>{V->Dims, V->Ints}.at(Src));
  });
  if (Ok)
    C.setOutputValue(0, std::move(R));
}

} // namespace

std::optional<ConstValue> ConstValue::slice(size_t Axis, int64_t Begin, int64_t Len) const {
  const ConstValue &V = *this;
  if (V.Sequence || Axis >= V.Dims.size() || Begin < 0 || Len < 0 || Begin + Len > V.Dims[Axis])
    return std::nullopt;
  auto Total = count(V.Dims);
  if (!Total || static_cast<size_t>(*Total) != V.size())
    return std::nullopt; // Not a well-formed value: propagate nothing.
  // Row-major: Outer blocks of (Dims[Axis] x Inner) elements; copy rows Begin..Begin+Len.
  int64_t Outer = 1, Inner = 1;
  for (size_t I = 0; I < Axis; ++I)
    Outer *= V.Dims[I];
  for (size_t I = Axis + 1; I < V.Dims.size(); ++I)
    Inner *= V.Dims[I];
  int64_t D = V.Dims[Axis];
  ConstValue R;
  R.Elem = V.Elem;
  R.Dims = V.Dims;
  R.Dims[Axis] = Len;
  for (int64_t O = 0; O < Outer; ++O) {
    size_t From = static_cast<size_t>((O * D + Begin) * Inner);
    size_t N = static_cast<size_t>(Len * Inner);
    if (V.isReal())
      R.Reals.append(V.Reals.begin() + From, V.Reals.begin() + From + N);
    else
      R.Ints.append(V.Ints.begin() + From, V.Ints.begin() + From + N);
  }
  return R;
}

namespace {

/// Split's piece sizes along an axis of concrete length Dim: the given sizes
/// when they add up to Dim, else NOut equal parts (opset 18: the last one may
/// be smaller); nullopt when the pieces do not tile the axis.
std::optional<llvm::SmallVector<int64_t, 8>>
splitSizes(int64_t Dim, const std::optional<llvm::SmallVector<int64_t, 8>> &Given, size_t NOut) {
  if (NOut == 0)
    return std::nullopt;
  llvm::SmallVector<int64_t, 8> Sizes;
  if (Given) {
    Sizes = *Given;
  } else {
    int64_t N = static_cast<int64_t>(NOut);
    int64_t Chunk = (Dim + N - 1) / N;
    Sizes.assign(NOut, Chunk);
    Sizes.back() = Dim - Chunk * (N - 1);
  }
  int64_t Sum = 0;
  for (int64_t X : Sizes)
    if (X < 0 || __builtin_add_overflow(Sum, X, &Sum))
      return std::nullopt;
  if (Sum != Dim || Sizes.size() != NOut)
    return std::nullopt;
  return Sizes;
}

void inferSplit(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *In = C.inShape(0);
  size_t NOut = C.numOutputs();
  auto unknownAll = [&] {
    for (size_t I = 0; I < NOut; ++I)
      C.setOutput(I, C.inType(0),
                  In ? std::optional<Shape>(Shape(In->size(), Expr())) : std::nullopt);
  };
  if (!In) {
    unknownAll();
    return C.fail("input rank is unknown");
  }
  auto Axis = normalizeAxis(C.attrInt("axis", 0), static_cast<int64_t>(In->size()));
  if (!Axis)
    return C.fail("axis out of range");
  std::optional<llvm::SmallVector<int64_t, 8>> Sizes;
  if (C.opset() < 13) {
    if (auto A = C.attrInts("split"))
      Sizes = llvm::SmallVector<int64_t, 8>(A->begin(), A->end());
  } else if (C.hasInput(1)) {
    Sizes = C.intValues(1);
    if (!Sizes) {
      unknownAll();
      return C.fail("split sizes are not known");
    }
  }
  Expr Dim = (*In)[static_cast<size_t>(*Axis)];
  for (size_t I = 0; I < NOut; ++I) {
    Shape Out = *In;
    if (Sizes) {
      if (Sizes->size() != NOut)
        return C.fail("split has " + std::to_string(Sizes->size()) + " sizes for " +
                      std::to_string(NOut) + " outputs");
      Out[static_cast<size_t>(*Axis)] = S.constant((*Sizes)[I]);
    } else {
      // Equal parts; opset 18's num_outputs allows a smaller last chunk.
      Expr Chunk = S.ceilDiv(Dim, S.constant(static_cast<int64_t>(NOut)));
      if (I + 1 == NOut)
        Out[static_cast<size_t>(*Axis)] =
            S.sub(Dim, S.mul(Chunk, S.constant(static_cast<int64_t>(NOut - 1))));
      else
        Out[static_cast<size_t>(*Axis)] = Chunk;
    }
    C.setOutput(I, C.inType(0), Out);
  }
  // Values: tf2onnx builds Pad's pads as Concat(Split(const)); without this
  // every shape after such a Pad is unknown.
  const ConstValue *V = C.value(0);
  if (!V || V->Sequence || V->Dims.size() != In->size())
    return;
  size_t A = static_cast<size_t>(*Axis);
  auto Pieces = splitSizes(V->Dims[A], Sizes, NOut);
  if (!Pieces)
    return;
  int64_t Begin = 0;
  for (size_t I = 0; I < NOut; ++I) {
    if (auto R = V->slice(A, Begin, (*Pieces)[I]))
      C.setOutputValue(I, std::move(*R));
    Begin += (*Pieces)[I];
  }
}

void inferExpand(InferContext &C) {
  SymContext &S = C.sym();
  const ConstValue *Target = C.value(1);
  if (!Target || Target->isReal()) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("target shape is not known");
  }
  Shape T(Target->Ints.begin(), Target->Ints.end());
  auto Out = broadcastShapes(S, {C.inShape(0), &T}, &C);
  C.setOutput(0, C.inType(0), Out);
  const ConstValue *V = C.value(0);
  auto OD = Out ? concreteDims(&*Out) : std::nullopt;
  if (V && OD && count(*OD) && V->size() == 1) {
    ConstValue R;
    R.Elem = V->Elem;
    R.Dims = *OD;
    size_t N = static_cast<size_t>(*count(*OD));
    if (V->isReal())
      R.Reals.assign(N, V->Reals[0]);
    else
      R.Ints.assign(N, V->Ints[0]);
    C.setOutputValue(0, std::move(R));
  }
}

void inferTile(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *In = C.inShape(0);
  auto Rep = C.exprValues(1);
  if (!In || !Rep || Rep->size() != In->size()) {
    C.setOutput(0, C.inType(0),
                In ? std::optional<Shape>(Shape(In->size(), Expr())) : std::nullopt);
    return C.fail("repeats are not known");
  }
  Shape Out;
  for (size_t I = 0; I < In->size(); ++I)
    Out.push_back(S.mul((*In)[I], (*Rep)[I]));
  C.setOutput(0, C.inType(0), Out);
}

void inferPad(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *In = C.inShape(0);
  if (!In) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("input rank is unknown");
  }
  int64_t Rank = static_cast<int64_t>(In->size());
  std::optional<llvm::SmallVector<Expr, 8>> Pads;
  if (C.opset() < 11) {
    if (auto A = C.attrInts("paddings") ? C.attrInts("paddings") : C.attrInts("pads")) {
      Pads.emplace();
      for (int64_t X : *A)
        Pads->push_back(S.constant(X));
    }
  } else {
    Pads = C.exprValues(1);
  }
  llvm::SmallVector<int64_t, 4> Axes;
  if (C.opset() >= 18 && C.hasInput(3)) {
    auto A = C.intValues(3);
    if (!A)
      Pads.reset();
    else
      for (int64_t X : *A)
        if (auto N = normalizeAxis(X, Rank))
          Axes.push_back(*N);
  } else {
    for (int64_t I = 0; I < Rank; ++I)
      Axes.push_back(I);
  }
  if (!Pads || Pads->size() != 2 * Axes.size()) {
    C.setOutput(0, C.inType(0), Shape(In->size(), Expr()));
    return C.fail("pads are not known");
  }
  Shape Out = *In;
  size_t K = Axes.size();
  for (size_t I = 0; I < K; ++I) {
    size_t A = static_cast<size_t>(Axes[I]);
    Out[A] = S.add(Out[A], S.add((*Pads)[I], (*Pads)[I + K]));
  }
  C.setOutput(0, C.inType(0), Out);
}

void inferRange(InferContext &C) {
  SymContext &S = C.sym();
  DType Elem = C.inType(0);
  const ConstValue *St = C.value(0), *Li = C.value(1), *De = C.value(2);
  if (!St || !Li || !De || St->size() != 1 || Li->size() != 1 || De->size() != 1) {
    C.setOutput(0, Elem, Shape{S.fresh("range")});
    return C.fail("range bounds are not known");
  }
  if (St->isReal()) {
    double N = std::ceil((Li->Reals[0] - St->Reals[0]) / De->Reals[0]);
    int64_t Len = std::isfinite(N) && N > 0 ? static_cast<int64_t>(N) : 0;
    C.setOutput(0, Elem, constShape(S, {Len}));
    return;
  }
  Expr Start = St->Ints[0], Limit = Li->Ints[0], Delta = De->Ints[0];
  Expr Len;
  if (auto D = Delta ? Delta.asConst() : std::nullopt; D && *D != 0)
    Len = *D > 0 ? S.ceilDiv(S.sub(Limit, Start), Delta)
                 : S.ceilDiv(S.sub(Start, Limit), S.constant(-*D));
  Len = S.max(Len, S.constant(0));
  C.setOutput(0, Elem, Shape{Len});
  auto L = Len ? Len.asConst() : std::nullopt;
  if (L && *L <= kMaxValueElements && Start && Start.isConst() && Delta.isConst()) {
    ConstValue R;
    R.Elem = Elem;
    R.Dims = {*L};
    for (int64_t I = 0; I < *L; ++I)
      R.Ints.push_back(S.add(Start, S.mul(S.constant(I), Delta)));
    C.setOutputValue(0, std::move(R));
  }
}

/// Number of non-zero elements of a known tensor (the first Limit of them),
/// or nullopt when an element is not a known constant.
std::optional<int64_t> countNonZero(const ConstValue &V, size_t Limit = SIZE_MAX) {
  int64_t N = 0;
  size_t Len = std::min(V.size(), Limit);
  for (size_t I = 0; I < Len; ++I) {
    if (V.isReal()) {
      N += V.Reals[I] != 0;
      continue;
    }
    auto X = V.Ints[I] ? V.Ints[I].asConst() : std::nullopt;
    if (!X)
      return std::nullopt;
    N += *X != 0;
  }
  return N;
}

/// Outputs whose size depends on the data: exact when the data is a known
/// small tensor, otherwise a fresh symbol for each such dim.
void inferNonZero(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *In = C.inShape(0);
  Expr N;
  if (const ConstValue *V = C.value(0))
    if (auto K = countNonZero(*V))
      N = S.constant(*K);
  C.setOutput(0, DType::Int64,
              Shape{In ? S.constant(static_cast<int64_t>(In->size())) : Expr(),
                    N ? N : S.fresh("nonzero")});
}

void inferCompress(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *In = C.inShape(0);
  const ConstValue *Cond = C.value(1);
  auto Selected = [&](Expr Dim) -> Expr {
    auto D = Dim ? Dim.asConst() : std::nullopt;
    if (Cond && D)
      if (auto K = countNonZero(*Cond, static_cast<size_t>(*D)))
        return S.constant(*K);
    return S.fresh("compress");
  };
  if (!C.hasAttr("axis")) {
    C.setOutput(0, C.inType(0), Shape{Selected(In ? numElements(S, *In) : Expr())});
    return;
  }
  if (!In)
    return C.setOutput(0, C.inType(0), std::nullopt);
  auto A = normalizeAxis(C.attrInt("axis", 0), static_cast<int64_t>(In->size()));
  if (!A)
    return C.fail("axis out of range");
  Shape Out = *In;
  Out[static_cast<size_t>(*A)] = Selected((*In)[static_cast<size_t>(*A)]);
  C.setOutput(0, C.inType(0), Out);
}

/// Distinct slices of a known tensor along Axis (all of it flattened when
/// Axis is unset), or nullopt when an element is not a known constant.
std::optional<int64_t> countUnique(const ConstValue &V, std::optional<int64_t> Axis) {
  llvm::SmallVector<int64_t, 4> Dims(V.Dims.begin(), V.Dims.end());
  if (!Axis) {
    Dims = {static_cast<int64_t>(V.size())};
    Axis = 0;
  }
  int64_t Outer = 1, Inner = 1, Mid = Dims[static_cast<size_t>(*Axis)];
  for (int64_t I = 0; I < static_cast<int64_t>(Dims.size()); ++I)
    (I < *Axis ? Outer : I > *Axis ? Inner : Mid) *= I == *Axis ? 1 : Dims[static_cast<size_t>(I)];
  std::vector<std::vector<double>> Slices;
  for (int64_t M = 0; M < Mid; ++M) {
    std::vector<double> Sl;
    for (int64_t O = 0; O < Outer; ++O)
      for (int64_t K = 0; K < Inner; ++K) {
        size_t Idx = static_cast<size_t>((O * Mid + M) * Inner + K);
        if (V.isReal()) {
          Sl.push_back(V.Reals[Idx]);
        } else {
          auto X = V.Ints[Idx] ? V.Ints[Idx].asConst() : std::nullopt;
          if (!X)
            return std::nullopt;
          Sl.push_back(static_cast<double>(*X));
        }
      }
    Slices.push_back(std::move(Sl));
  }
  llvm::sort(Slices);
  return std::unique(Slices.begin(), Slices.end()) - Slices.begin();
}

void inferUnique(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *In = C.inShape(0);
  std::optional<int64_t> Axis;
  if (C.hasAttr("axis") && In) {
    Axis = normalizeAxis(C.attrInt("axis", 0), static_cast<int64_t>(In->size()));
    if (!Axis)
      return C.fail("axis out of range");
  }
  Expr U;
  if (const ConstValue *V = C.value(0); V && (!Axis || V->Dims.size() == In->size()))
    if (auto K = countUnique(*V, Axis))
      U = S.constant(*K);
  if (!U)
    U = S.fresh("unique");
  if (Axis) {
    Shape Out = *In;
    Out[static_cast<size_t>(*Axis)] = U;
    C.setOutput(0, C.inType(0), Out);
  } else {
    C.setOutput(0, C.inType(0), Shape{U});
  }
  C.setOutput(1, DType::Int64, Shape{U});
  Expr NIn = Axis ? (*In)[static_cast<size_t>(*Axis)] : (In ? numElements(S, *In) : Expr());
  C.setOutput(2, DType::Int64, Shape{NIn});
  C.setOutput(3, DType::Int64, Shape{U});
}

void inferNonMaxSuppression(InferContext &C) {
  C.setOutput(0, DType::Int64, Shape{C.sym().fresh("nms"), C.sym().constant(3)});
}

void inferOneHot(InferContext &C) {
  const Shape *In = C.inShape(0);
  auto Depth = C.intValues(1);
  Expr D;
  if (Depth && Depth->size() == 1)
    D = C.sym().constant((*Depth)[0]);
  else if (const ConstValue *V = C.value(1); V && V->isReal() && V->size() == 1)
    D = C.sym().constant(static_cast<int64_t>(V->Reals[0]));
  if (!In)
    return C.setOutput(0, C.inType(2), std::nullopt);
  int64_t OutRank = static_cast<int64_t>(In->size()) + 1;
  auto A = normalizeAxis(C.attrInt("axis", -1), OutRank);
  if (!A)
    return C.fail("axis out of range");
  Shape Out = *In;
  Out.insert(Out.begin() + *A, D);
  C.setOutput(0, C.inType(2), Out);
}

void inferDepthToSpace(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *In = C.inShape(0);
  int64_t B = C.attrInt("blocksize", 1);
  if (!In || In->size() != 4 || B <= 0) {
    C.setOutput(0, C.inType(0), Shape(4, Expr()));
    return C.fail("needs a rank-4 input and a positive blocksize");
  }
  Expr BB = S.constant(B * B), Bk = S.constant(B);
  bool ToSpace = C.node().OpType == "DepthToSpace";
  Shape Out = {(*In)[0], ToSpace ? S.floorDiv((*In)[1], BB) : S.mul((*In)[1], BB),
               ToSpace ? S.mul((*In)[2], Bk) : S.floorDiv((*In)[2], Bk),
               ToSpace ? S.mul((*In)[3], Bk) : S.floorDiv((*In)[3], Bk)};
  C.setOutput(0, C.inType(0), Out);
}

void inferGatherElements(InferContext &C) {
  const TensorType *Ind = C.input(1);
  C.setOutput(0, C.inType(0), Ind ? Ind->Dims : std::nullopt);
}

void inferScatter(InferContext &C) {
  C.setOutput(0, C.inType(0), C.input(0) ? C.input(0)->Dims : std::nullopt);
}

void inferGatherND(InferContext &C) {
  const Shape *Data = C.inShape(0), *Ind = C.inShape(1);
  int64_t Batch = C.attrInt("batch_dims", 0);
  if (!Data || !Ind || Ind->empty()) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("input ranks are unknown");
  }
  auto Last = Ind->back() ? Ind->back().asConst() : std::nullopt;
  if (!Last) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("last indices dim is not known");
  }
  if (Batch + *Last > static_cast<int64_t>(Data->size()))
    return C.fail("indices reach past the data rank");
  Shape Out(Ind->begin(), Ind->end() - 1);
  Out.append(Data->begin() + Batch + *Last, Data->end());
  C.setOutput(0, C.inType(0), Out);
}

void inferTrilu(InferContext &C) { passThrough(C); }

void inferEyeLike(InferContext &C) {
  DType Elem = C.hasAttr("dtype") ? dtypeFromCode(C.attrInt("dtype", 1)) : C.inType(0);
  C.setOutput(0, Elem, C.input(0) ? C.input(0)->Dims : std::nullopt);
}

constexpr uint32_t in(unsigned I) { return 1u << I; }

} // namespace

std::optional<ConstValue> valueOfTensor(SymContext &S, const TensorData &T) {
  ConstValue V;
  V.Elem = T.Type;
  V.Dims.assign(T.Dims.begin(), T.Dims.end());
  if (T.Ints) {
    for (int64_t X : *T.Ints)
      V.Ints.push_back(S.constant(X));
    return V;
  }
  if (T.Reals) {
    V.Reals.assign(T.Reals->begin(), T.Reals->end());
    return V;
  }
  return std::nullopt;
}

void addTensorRules(std::vector<OpRule> &R) {
  auto Add = [&](llvm::StringRef Op, int Since, OpClass Cls, InferFn F, uint32_t ShapeIn = 0) {
    R.push_back({"", Op, Since, Cls, F, ShapeIn});
  };
  using OC = OpClass;
  Add("Identity", 1, OC::DataMovement, inferIdentity);
  Add("Shape", 1, OC::ShapeOp, inferShape);
  Add("Shape", 15, OC::ShapeOp, inferShape);
  Add("Size", 1, OC::ShapeOp, inferSize);
  Add("Constant", 1, OC::ShapeOp, inferConstant);
  Add("ConstantOfShape", 9, OC::ShapeOp, inferConstantOfShape, in(0));
  Add("Cast", 1, OC::DataMovement, inferCast);
  Add("CastLike", 15, OC::DataMovement, inferCast);
  Add("Gather", 1, OC::DataMovement, inferGather, in(1));
  Add("Concat", 1, OC::DataMovement, inferConcat);
  Add("Unsqueeze", 1, OC::DataMovement, inferUnsqueeze, in(1));
  Add("Unsqueeze", 13, OC::DataMovement, inferUnsqueeze, in(1));
  Add("Squeeze", 1, OC::DataMovement, inferSqueeze, in(1));
  Add("Squeeze", 13, OC::DataMovement, inferSqueeze, in(1));
  Add("Reshape", 1, OC::DataMovement, inferReshape, in(1));
  Add("Reshape", 5, OC::DataMovement, inferReshape, in(1));
  Add("Flatten", 1, OC::DataMovement, inferFlatten);
  Add("Transpose", 1, OC::DataMovement, inferTranspose);
  Add("Slice", 1, OC::DataMovement, inferSlice, in(1) | in(2) | in(3) | in(4));
  Add("Slice", 10, OC::DataMovement, inferSlice, in(1) | in(2) | in(3) | in(4));
  Add("Split", 1, OC::DataMovement, inferSplit, in(1));
  Add("Split", 13, OC::DataMovement, inferSplit, in(1));
  Add("Split", 18, OC::DataMovement, inferSplit, in(1));
  Add("Expand", 8, OC::DataMovement, inferExpand, in(1));
  Add("Tile", 6, OC::DataMovement, inferTile, in(1));
  Add("Pad", 2, OC::DataMovement, inferPad, in(1) | in(2) | in(3));
  Add("Pad", 11, OC::DataMovement, inferPad, in(1) | in(2) | in(3));
  Add("Pad", 18, OC::DataMovement, inferPad, in(1) | in(2) | in(3));
  Add("Range", 11, OC::ShapeOp, inferRange, in(0) | in(1) | in(2));
  Add("NonZero", 9, OC::DataMovement, inferNonZero);
  Add("Compress", 9, OC::DataMovement, inferCompress, in(1));
  Add("Unique", 11, OC::DataMovement, inferUnique);
  Add("NonMaxSuppression", 10, OC::Other, inferNonMaxSuppression, in(2) | in(3) | in(4));
  Add("OneHot", 9, OC::DataMovement, inferOneHot, in(0) | in(1));
  Add("DepthToSpace", 1, OC::DataMovement, inferDepthToSpace);
  Add("SpaceToDepth", 1, OC::DataMovement, inferDepthToSpace);
  Add("GatherElements", 11, OC::DataMovement, inferGatherElements, in(1));
  Add("GatherND", 11, OC::DataMovement, inferGatherND, in(1));
  Add("Scatter", 9, OC::DataMovement, inferScatter, in(1));
  Add("ScatterElements", 11, OC::DataMovement, inferScatter, in(1));
  Add("ScatterND", 11, OC::DataMovement, inferScatter, in(1));
  Add("Trilu", 14, OC::DataMovement, inferTrilu, in(1));
  Add("EyeLike", 9, OC::DataMovement, inferEyeLike);
}

} // namespace opaudit
