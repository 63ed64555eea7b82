// Rules for sequence operators. A sequence value is tracked as the type its
// elements share: the element dtype and, per dim, the dim every element has
// (unknown where they differ). SequenceAt then yields that element type and
// SequenceLength a scalar. How many elements a sequence holds, and what
// ConcatFromSequence builds from them, generally depends on data, so those
// dims stay unknown.
#include "passes/OpRegistry.h"

namespace opaudit {
namespace {

constexpr uint32_t in(unsigned I) { return 1u << I; }

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
}

void inferSequenceEmpty(InferContext &C) {
  C.setOutput(0, C.hasAttr("dtype") ? dtypeFromCode(C.attrInt("dtype", 1)) : DType::Float,
              std::nullopt);
}

void inferSequenceInsert(InferContext &C) {
  const TensorType *Seq = C.input(0), *X = C.input(1);
  if (!Seq || !X)
    return C.setOutput(0, X ? *X : TensorType{});
  // An empty sequence (unknown rank, from SequenceEmpty) takes the element's type.
  C.setOutput(0, Seq->Dims ? merge(*Seq, *X) : *X);
}

void inferSequenceSame(InferContext &C) {
  const TensorType *Seq = C.input(0);
  C.setOutput(0, Seq ? *Seq : TensorType{});
}

void inferSequenceLength(InferContext &C) { C.setOutput(0, DType::Int64, Shape{}); }

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
}

void inferConcatFromSequence(InferContext &C) {
  const Shape *E = C.inShape(0);
  if (!E) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("element rank is unknown");
  }
  bool NewAxis = C.attrInt("new_axis", 0) != 0;
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
  Add("SequenceErase", 11, inferSequenceSame, in(1));
  Add("SequenceAt", 11, inferSequenceSame, in(1));
  Add("SequenceLength", 11, inferSequenceLength);
  Add("SplitToSequence", 11, inferSplitToSequence, in(1));
  Add("ConcatFromSequence", 11, inferConcatFromSequence);
}

} // namespace opaudit
