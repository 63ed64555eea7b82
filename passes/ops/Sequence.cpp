// Rules for sequence operators. A sequence value is tracked as the type its
// elements share: the element dtype and, per dim, the dim every element has
// (unknown where they differ). SequenceAt then yields that element type and
// SequenceLength a scalar. How many elements a sequence holds, and what
// ConcatFromSequence builds from them, generally depends on data, so those
// dims stay unknown - except when every element's contents are known (a
// constant split by SplitToSequence, small tensors gathered by
// SequenceConstruct/SequenceInsert): then the sequence carries its elements
// as a ConstValue, and SequenceAt, SequenceLength and ConcatFromSequence give
// exact values and shapes, as they would for Split and Concat.
#include "passes/OpRegistry.h"

namespace opaudit {
namespace {

constexpr uint32_t in(unsigned I) { return 1u << I; }

/// Same bound as the tensor rules' small values: beyond it nothing is kept.
constexpr size_t kMaxElements = 4096;

/// Known contents of input I when it is a sequence / a tensor.
const ConstValue *seqValue(const InferContext &C, size_t I) {
  const ConstValue *V = C.value(I);
  return V && V->Sequence ? V : nullptr;
}
const ConstValue *tensorValue(const InferContext &C, size_t I) {
  const ConstValue *V = C.value(I);
  return V && !V->Sequence ? V : nullptr;
}

/// The single integer in input I (a position), if known.
std::optional<int64_t> scalarInt(const InferContext &C, size_t I) {
  auto V = C.intValues(I);
  if (!V || V->size() != 1)
    return std::nullopt;
  return (*V)[0];
}

/// Position P normalized against a sequence of N elements, accepted in
/// [-N, N + Extra) (Extra = 1 for SequenceInsert, which may append).
std::optional<size_t> position(int64_t P, size_t N, size_t Extra = 0) {
  int64_t Len = static_cast<int64_t>(N);
  if (P < -Len || P >= Len + static_cast<int64_t>(Extra))
    return std::nullopt;
  return static_cast<size_t>(P < 0 ? P + Len : P);
}

TensorType typeOf(SymContext &S, const ConstValue &V) {
  return TensorType{V.Elem, constShape(S, V.Dims)};
}

/// The type two element types share (unknown rank if their ranks differ).
TensorType merge(const TensorType &A, const TensorType &B) {
  TensorType R;
  R.Elem = A.Elem != DType::Undefined ? A.Elem : B.Elem;
  if (!A.Dims || !B.Dims || A.Dims->size() != B.Dims->size())
    return R;
  Shape D;
  for (size_t I = 0; I < A.Dims->size(); ++I)
    D.push_back((*A.Dims)[I] == (*B.Dims)[I] ? (*A.Dims)[I] : Expr());
  R.Dims = std::move(D);
  return R;
}

void inferSequenceConstruct(InferContext &C) {
  std::optional<TensorType> T;
  for (size_t I = 0; I < C.numInputs(); ++I)
    if (const TensorType *X = C.input(I))
      T = T ? merge(*T, *X) : *X;
  C.setOutput(0, T.value_or(TensorType{}));
  std::vector<ConstValue> Elems;
  size_t Total = 0;
  for (size_t I = 0; I < C.numInputs(); ++I) {
    const ConstValue *V = tensorValue(C, I);
    if (!V || (Total += V->size()) > kMaxElements)
      return;
    Elems.push_back(*V);
  }
  if (Elems.empty())
    return;
  DType Elem = Elems.front().Elem; // Read before Elems is moved from.
  C.setOutputValue(0, ConstValue::sequence(Elem, std::move(Elems)));
}

void inferSequenceEmpty(InferContext &C) {
  DType Elem = C.hasAttr("dtype") ? dtypeFromCode(C.attrInt("dtype", 1)) : DType::Float;
  C.setOutput(0, Elem, std::nullopt);
  C.setOutputValue(0, ConstValue::sequence(Elem, {}));
}

void inferSequenceInsert(InferContext &C) {
  const TensorType *Seq = C.input(0), *X = C.input(1);
  if (!Seq || !X)
    return C.setOutput(0, X ? *X : TensorType{});
  // An empty sequence (unknown rank, from SequenceEmpty) takes the element's type.
  C.setOutput(0, Seq->Dims ? merge(*Seq, *X) : *X);
  const ConstValue *SV = seqValue(C, 0), *XV = tensorValue(C, 1);
  if (!SV || !XV || SV->Elements.size() >= kMaxElements)
    return;
  size_t N = SV->Elements.size();
  std::optional<size_t> At = N; // No position: append.
  if (C.hasInput(2)) {
    auto P = scalarInt(C, 2);
    At = P ? position(*P, N, 1) : std::nullopt;
  }
  if (!At)
    return;
  size_t Total = XV->size();
  for (const ConstValue &E : SV->Elements)
    Total += E.size();
  if (Total > kMaxElements)
    return;
  std::vector<ConstValue> Elems = SV->Elements;
  Elems.insert(Elems.begin() + static_cast<std::ptrdiff_t>(*At), *XV);
  C.setOutputValue(0, ConstValue::sequence(XV->Elem, std::move(Elems)));
}

void inferSequenceSame(InferContext &C) {
  const TensorType *Seq = C.input(0);
  C.setOutput(0, Seq ? *Seq : TensorType{});
}

void inferSequenceErase(InferContext &C) {
  inferSequenceSame(C);
  const ConstValue *SV = seqValue(C, 0);
  if (!SV || SV->Elements.empty())
    return;
  auto P = C.hasInput(1) ? scalarInt(C, 1) : std::optional<int64_t>(-1); // Default: the last.
  auto At = P ? position(*P, SV->Elements.size()) : std::nullopt;
  if (!At)
    return;
  std::vector<ConstValue> Elems = SV->Elements;
  Elems.erase(Elems.begin() + static_cast<std::ptrdiff_t>(*At));
  C.setOutputValue(0, ConstValue::sequence(SV->Elem, std::move(Elems)));
}

void inferSequenceAt(InferContext &C) {
  inferSequenceSame(C);
  const ConstValue *SV = seqValue(C, 0);
  auto P = scalarInt(C, 1);
  if (!SV || !P)
    return;
  auto At = position(*P, SV->Elements.size());
  if (!At)
    return C.fail("position " + std::to_string(*P) + " is outside a sequence of " +
                  std::to_string(SV->Elements.size()));
  // The element's own type is exact even where the shared type is not.
  const ConstValue &E = SV->Elements[*At];
  C.setOutput(0, typeOf(C.sym(), E));
  C.setOutputValue(0, E);
}

void inferSequenceLength(InferContext &C) {
  C.setOutput(0, DType::Int64, Shape{});
  if (const ConstValue *SV = seqValue(C, 0)) {
    ConstValue R;
    R.Ints.push_back(C.sym().constant(static_cast<int64_t>(SV->Elements.size())));
    C.setOutputValue(0, std::move(R));
  }
}

/// SplitToSequence's elements when the input's contents and the split are known.
std::optional<std::vector<ConstValue>> splitValues(InferContext &C, const ConstValue &V,
                                                   size_t Axis) {
  int64_t Dim = V.Dims[Axis];
  if (Dim < 0 || Dim > static_cast<int64_t>(kMaxElements))
    return std::nullopt;
  llvm::SmallVector<int64_t, 8> Sizes;
  bool DropAxis = false;
  if (!C.hasInput(1)) {
    Sizes.assign(static_cast<size_t>(Dim), 1);
    DropAxis = C.attrInt("keepdims", 1) == 0;
  } else {
    auto Split = C.intValues(1);
    const ConstValue *SplitV = C.value(1);
    if (!Split)
      return std::nullopt;
    if (SplitV->Dims.empty()) {
      // A scalar: pieces of that size, the last one shorter if it does not divide.
      if (Split->size() != 1 || (*Split)[0] <= 0)
        return std::nullopt;
      for (int64_t Left = Dim; Left > 0; Left -= (*Split)[0])
        Sizes.push_back(std::min(Left, (*Split)[0]));
    } else {
      Sizes.assign(Split->begin(), Split->end());
    }
  }
  std::vector<ConstValue> Elems;
  int64_t Begin = 0;
  for (int64_t Len : Sizes) {
    auto E = V.slice(Axis, Begin, Len);
    if (!E)
      return std::nullopt;
    if (DropAxis)
      E->Dims.erase(E->Dims.begin() + static_cast<std::ptrdiff_t>(Axis));
    Elems.push_back(std::move(*E));
    Begin += Len;
  }
  if (Begin != Dim) // The sizes must tile the axis.
    return std::nullopt;
  return Elems;
}

void inferSplitToSequence(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *X = C.inShape(0);
  if (!X) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("input rank is unknown");
  }
  auto Axis = normalizeAxis(C.attrInt("axis", 0), static_cast<int64_t>(X->size()));
  if (!Axis)
    return C.fail("axis out of range");
  Shape Out = *X;
  size_t A = static_cast<size_t>(*Axis);
  if (!C.hasInput(1)) {
    // Split into pieces of 1; keepdims=0 drops the axis.
    if (C.attrInt("keepdims", 1) == 0)
      Out.erase(Out.begin() + *Axis);
    else
      Out[A] = S.constant(1);
  } else if (auto V = C.exprValues(1)) {
    Expr Piece = V->empty() ? Expr() : (*V)[0];
    const ConstValue *CV = C.value(1);
    if (CV->Dims.empty()) {
      // A scalar split: equal pieces, the last one shorter unless it divides.
      Expr Rem = S.mod(Out[A], Piece);
      Out[A] = Rem == S.constant(0) ? Piece : Expr();
    } else {
      for (Expr E : *V)
        if (E != Piece)
          Piece = Expr();
      Out[A] = Piece;
    }
  } else {
    Out[A] = Expr();
  }
  C.setOutput(0, C.inType(0), Out);
  const ConstValue *V = tensorValue(C, 0);
  if (!V || V->Dims.size() != X->size())
    return;
  if (auto Elems = splitValues(C, *V, A))
    C.setOutputValue(0, ConstValue::sequence(V->Elem, std::move(*Elems)));
}

/// ConcatFromSequence of known elements: each gets a new dim of 1 at Axis
/// when NewAxis, then they are concatenated along Axis (all other dims equal).
std::optional<ConstValue> concatValues(llvm::ArrayRef<ConstValue> Elems, size_t Axis,
                                       bool NewAxis) {
  if (Elems.empty())
    return std::nullopt;
  std::vector<ConstValue> Parts(Elems.begin(), Elems.end());
  for (ConstValue &P : Parts) {
    if (P.Sequence || P.isReal() != Parts.front().isReal())
      return std::nullopt;
    if (NewAxis) {
      if (Axis > P.Dims.size())
        return std::nullopt;
      P.Dims.insert(P.Dims.begin() + static_cast<std::ptrdiff_t>(Axis), 1);
    }
  }
  const ConstValue &First = Parts.front();
  if (Axis >= First.Dims.size())
    return std::nullopt;
  ConstValue R;
  R.Elem = First.Elem;
  R.Dims = First.Dims;
  R.Dims[Axis] = 0;
  for (const ConstValue &P : Parts) {
    if (P.Dims.size() != First.Dims.size())
      return std::nullopt;
    int64_t Count = 1;
    for (size_t D = 0; D < P.Dims.size(); ++D) {
      // The dim bound keeps the copy loops short even where a dim of 0 makes Count 0.
      if ((D != Axis && P.Dims[D] != First.Dims[D]) || P.Dims[D] < 0 ||
          P.Dims[D] > static_cast<int64_t>(kMaxElements) ||
          __builtin_mul_overflow(Count, P.Dims[D], &Count))
        return std::nullopt;
    }
    if (static_cast<size_t>(Count) != P.size())
      return std::nullopt;
    R.Dims[Axis] += P.Dims[Axis]; // Bounded: the parts' sizes are.
  }
  // Row-major: for each block before Axis, every part's slab in sequence order.
  int64_t Outer = 1, Inner = 1;
  for (size_t D = 0; D < Axis; ++D)
    Outer *= First.Dims[D];
  for (size_t D = Axis + 1; D < First.Dims.size(); ++D)
    Inner *= First.Dims[D];
  for (int64_t O = 0; O < Outer; ++O)
    for (const ConstValue &P : Parts) {
      size_t N = static_cast<size_t>(P.Dims[Axis] * Inner), From = static_cast<size_t>(O) * N;
      if (P.isReal())
        R.Reals.append(P.Reals.begin() + From, P.Reals.begin() + From + N);
      else
        R.Ints.append(P.Ints.begin() + From, P.Ints.begin() + From + N);
    }
  return R;
}

void inferConcatFromSequence(InferContext &C) {
  bool NewAxis = C.attrInt("new_axis", 0) != 0;
  const ConstValue *SV = seqValue(C, 0);
  if (SV && !SV->Elements.empty()) {
    int64_t Rank = static_cast<int64_t>(SV->Elements.front().Dims.size()) + (NewAxis ? 1 : 0);
    auto Axis = normalizeAxis(C.attrInt("axis", 0), Rank);
    if (auto R =
            Axis ? concatValues(SV->Elements, static_cast<size_t>(*Axis), NewAxis) : std::nullopt) {
      C.setOutput(0, typeOf(C.sym(), *R));
      return C.setOutputValue(0, std::move(*R));
    }
  }
  const Shape *E = C.inShape(0);
  if (!E) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("element rank is unknown");
  }
  int64_t Rank = static_cast<int64_t>(E->size()) + (NewAxis ? 1 : 0);
  auto Axis = normalizeAxis(C.attrInt("axis", 0), Rank);
  if (!Axis)
    return C.fail("axis out of range");
  Shape Out = *E;
  // The number of elements (and so the concatenated length) depends on data.
  if (NewAxis)
    Out.insert(Out.begin() + *Axis, C.sym().fresh("seqlen"));
  else
    Out[static_cast<size_t>(*Axis)] = C.sym().fresh("seqlen");
  C.setOutput(0, C.inType(0), Out);
}

} // namespace

void addSequenceRules(std::vector<OpRule> &R) {
  using OC = OpClass;
  auto Add = [&](llvm::StringRef Op, int Since, InferFn F, uint32_t ShapeIn = 0) {
    R.push_back({"", Op, Since, OC::DataMovement, F, ShapeIn, nullptr});
  };
  Add("SequenceConstruct", 11, inferSequenceConstruct);
  Add("SequenceEmpty", 11, inferSequenceEmpty);
  Add("SequenceInsert", 11, inferSequenceInsert, in(2));
  Add("SequenceErase", 11, inferSequenceErase, in(1));
  Add("SequenceAt", 11, inferSequenceAt, in(1));
  Add("SequenceLength", 11, inferSequenceLength);
  Add("SplitToSequence", 11, inferSplitToSequence, in(1));
  Add("ConcatFromSequence", 11, inferConcatFromSequence);
}

} // namespace opaudit
