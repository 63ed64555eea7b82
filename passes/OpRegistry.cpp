// The operator registry's table and lookup, the context accessors rules use,
// and helpers shared by the rule families (broadcasting, axes).
#include "passes/OpRegistry.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"

#include <mutex>

namespace opaudit {

namespace {
constexpr const char *kClassNames[] = {"conv",       "matmul",      "pool",      "normalization",
                                       "activation", "elementwise", "softmax",   "reduction",
                                       "resize",     "recurrent",   "attention", "quantization",
                                       "data",       "shape",       "control",   "other"};

std::vector<OpRule> buildTable() {
  std::vector<OpRule> Rules;
  addNNRules(Rules);
  addMathRules(Rules);
  addTensorRules(Rules);
  addMiscRules(Rules);
  addSequenceRules(Rules);
  addControlFlowRules(Rules);
  addContribRules(Rules);
  llvm::sort(Rules, [](const OpRule &A, const OpRule &B) {
    return std::tie(A.Domain, A.OpType, A.SinceVersion) <
           std::tie(B.Domain, B.OpType, B.SinceVersion);
  });
  return Rules;
}

const std::vector<OpRule> &table() {
  static const std::vector<OpRule> T = buildTable();
  return T;
}
} // namespace

llvm::StringRef opClassName(OpClass C) { return kClassNames[static_cast<int>(C)]; }

std::optional<OpClass> opClassFromName(llvm::StringRef Name) {
  for (size_t I = 0; I < std::size(kClassNames); ++I)
    if (Name == kClassNames[I])
      return static_cast<OpClass>(I);
  return std::nullopt;
}

llvm::ArrayRef<OpRule> allRules() { return table(); }

const OpRule *findRule(llvm::StringRef Domain, llvm::StringRef OpType, int64_t Opset) {
  const auto &T = table();
  auto It = llvm::partition_point(
      T, [&](const OpRule &R) { return std::tie(R.Domain, R.OpType) < std::tie(Domain, OpType); });
  const OpRule *Best = nullptr;
  for (; It != T.end() && It->Domain == Domain && It->OpType == OpType; ++It)
    if (It->SinceVersion <= Opset || Opset <= 0)
      Best = &*It;
  return Best;
}

const OpRule *findAnyRule(llvm::StringRef Domain, llvm::StringRef OpType) {
  return findRule(Domain, OpType, 0);
}

const OpRule *classifyingRule(const NodeResolution *Res, const Node &N) {
  if (Res && Res->Rule)
    return Res->Rule;
  return findAnyRule(N.Domain, N.OpType);
}

std::optional<llvm::SmallVector<int64_t, 8>> InferContext::intValues(size_t I) const {
  const ConstValue *V = value(I);
  if (!V || V->isReal())
    return std::nullopt;
  llvm::SmallVector<int64_t, 8> Out;
  for (Expr E : V->Ints) {
    auto C = E ? E.asConst() : std::nullopt;
    if (!C)
      return std::nullopt;
    Out.push_back(*C);
  }
  return Out;
}

std::optional<llvm::SmallVector<Expr, 8>> InferContext::exprValues(size_t I) const {
  const ConstValue *V = value(I);
  if (!V || V->isReal())
    return std::nullopt;
  if (llvm::any_of(V->Ints, [](Expr E) { return !E; }))
    return std::nullopt;
  return llvm::SmallVector<Expr, 8>(V->Ints.begin(), V->Ints.end());
}

const Attribute *InferContext::attr(llvm::StringRef Name) const {
  const Attribute *A = N.attr(Name);
  if (A && !A->refAttrName().empty())
    return CallSite ? CallSite->attr(A->refAttrName()) : nullptr;
  return A;
}

int64_t InferContext::attrInt(llvm::StringRef Name, int64_t Default) const {
  const Attribute *A = attr(Name);
  return A && A->Kind == AttrKind::Int ? A->I : Default;
}

std::optional<llvm::SmallVector<int64_t, 4>> InferContext::attrInts(llvm::StringRef Name) const {
  const Attribute *A = attr(Name);
  if (!A || A->Kind != AttrKind::Ints)
    return std::nullopt;
  return llvm::SmallVector<int64_t, 4>(A->Ints.begin(), A->Ints.end());
}

float InferContext::attrFloat(llvm::StringRef Name, float Default) const {
  const Attribute *A = attr(Name);
  return A && A->Kind == AttrKind::Float ? A->F : Default;
}

std::optional<llvm::SmallVector<float, 4>> InferContext::attrFloats(llvm::StringRef Name) const {
  const Attribute *A = attr(Name);
  if (!A || A->Kind != AttrKind::Floats)
    return std::nullopt;
  return llvm::SmallVector<float, 4>(A->floats().begin(), A->floats().end());
}

std::string InferContext::attrString(llvm::StringRef Name, llvm::StringRef Default) const {
  const Attribute *A = attr(Name);
  return A && A->Kind == AttrKind::String ? A->S : Default.str();
}

const TensorData *InferContext::attrTensor(llvm::StringRef Name) const {
  const Attribute *A = attr(Name);
  return A && A->Kind == AttrKind::Tensor && !A->tensors().empty() ? &A->tensors().front()
                                                                   : nullptr;
}

std::optional<int64_t> normalizeAxis(int64_t Axis, int64_t Rank) {
  if (Axis < -Rank || Axis >= Rank)
    return std::nullopt;
  return Axis < 0 ? Axis + Rank : Axis;
}

Shape constShape(SymContext &S, llvm::ArrayRef<int64_t> Dims) {
  Shape R;
  for (int64_t D : Dims)
    R.push_back(S.constant(D));
  return R;
}

std::string loopKey(const Graph &G, const Node &N) {
  if (!N.Name.empty() || N.Outputs.empty() || N.Outputs[0] == kNoValue)
    return N.Name.str();
  return G.value(N.Outputs[0]).Name.str();
}

bool hasClamp(Expr E) {
  std::string T = E.str();
  return T.find("min(") != std::string::npos || T.find("max(") != std::string::npos;
}

std::optional<Shape> broadcastShapes(SymContext &S, llvm::ArrayRef<const Shape *> Shapes,
                                     InferContext *Ctx) {
  size_t Rank = 0;
  for (const Shape *Sh : Shapes) {
    if (!Sh)
      return std::nullopt;
    Rank = std::max(Rank, Sh->size());
  }
  Shape R(Rank, S.constant(1));
  for (const Shape *Sh : Shapes) {
    size_t Off = Rank - Sh->size();
    for (size_t I = 0; I < Sh->size(); ++I) {
      Expr A = R[Off + I], B = (*Sh)[I];
      if (!A || !B) {
        // An unknown dim broadcast against a known dim > 1 must equal it.
        Expr K = A ? A : B;
        R[Off + I] = K && K.isConst() && *K.asConst() != 1 ? K : Expr();
        continue;
      }
      if (A == B || (B.isConst() && *B.asConst() == 1))
        continue;
      if (A.isConst() && *A.asConst() == 1) {
        R[Off + I] = B;
        continue;
      }
      if (A.isConst() && B.isConst()) {
        if (Ctx)
          Ctx->fail("cannot broadcast dims " + A.str() + " and " + B.str());
        R[Off + I] = Expr();
        continue;
      }
      // A symbol against a constant > 1 must equal that constant (or be 1).
      if (A.isConst() || B.isConst()) {
        R[Off + I] = A.isConst() ? A : B;
        continue;
      }
      // Two different expressions: a valid model has them equal (or one is 1).
      // A clamp such as min(seq, 512) (a Slice of a 512-long table up to seq)
      // meeting seq is the same length wherever the model runs, so the plain
      // polynomial is kept; otherwise the larger is exact for either case.
      bool AClamp = hasClamp(A), BClamp = hasClamp(B);
      R[Off + I] = AClamp != BClamp ? (AClamp ? B : A) : S.max(A, B);
    }
  }
  return R;
}

} // namespace opaudit
