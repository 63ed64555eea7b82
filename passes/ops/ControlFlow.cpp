// Rules for control flow: If, Loop and Scan. Each runs shape inference on its
// subgraphs through the driver (InferContext::RunSubgraph), so nested graphs
// resolve against the values of every enclosing graph. If gives each output
// the dims both branches agree on (the taken branch when the condition is a
// known constant). Loop and Scan record how often their body runs (a number,
// the user's --trip-count, or a symbol "trip_<node>") in InferContext::TripCount;
// MacCount multiplies the body's MACs by it.
#include "passes/OpRegistry.h"

namespace opaudit {
namespace {

/// Unrolling bounds for a Loop whose carried dims change per iteration: the
/// body is inferred once per iteration, so these cap the work and memory.
constexpr int64_t kMaxUnrolledIterations = 100000;
constexpr uint64_t kMaxUnrolledNodes = 2000000;

const Graph *graphAttr(InferContext &C, llvm::StringRef Name) {
  const Attribute *A = C.attr(Name);
  return A && A->Kind == AttrKind::Graph && !A->graphs().empty() ? A->graphs().front().get()
                                                                 : nullptr;
}

/// Type of a subgraph's output I after inference; unknown if absent.
TensorType bodyOutput(const Graph &Body, const ShapeInfo *Info, size_t I) {
  if (!Info || I >= Body.Outputs.size())
    return TensorType{};
  return Info->Types[static_cast<size_t>(Body.Outputs[I])];
}

/// The dims both types agree on; unknown where they differ.
TensorType mergeTypes(const TensorType &A, const TensorType &B) {
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

/// A node-derived symbol name such as "trip_loop_1" (letters, digits, '_'),
/// from the node's name or, when unnamed, its first output's.
std::string tripSymbol(const InferContext &C) {
  std::string N = loopKey(C.graph(), C.node());
  std::string R = "trip_";
  for (char Ch : N)
    R += std::isalnum(static_cast<unsigned char>(Ch)) ? Ch : '_';
  return R;
}

void inferIf(InferContext &C) {
  const Graph *Then = graphAttr(C, "then_branch"), *Else = graphAttr(C, "else_branch");
  if (!Then || !Else || !C.RunSubgraph)
    return C.fail("If needs then_branch and else_branch");
  const ShapeInfo *TI = C.RunSubgraph("then_branch", *Then, {}, {});
  const ShapeInfo *EI = C.RunSubgraph("else_branch", *Else, {}, {});
  std::optional<int64_t> Cond;
  if (auto V = C.intValues(0); V && V->size() == 1)
    Cond = (*V)[0];
  if (Cond)
    C.Condition = *Cond != 0;
  for (size_t I = 0; I < C.numOutputs(); ++I) {
    TensorType T = bodyOutput(*Then, TI, I), E = bodyOutput(*Else, EI, I);
    C.setOutput(I, Cond ? (*Cond ? T : E) : mergeTypes(T, E));
    const ShapeInfo *Taken = Cond ? (*Cond ? TI : EI) : nullptr;
    const Graph *TakenG = Cond ? (*Cond ? Then : Else) : nullptr;
    if (Taken && I < TakenG->Outputs.size())
      if (const ConstValue *V = Taken->value(TakenG->Outputs[I]))
        C.setOutputValue(I, *V);
  }
}

/// Loop(M, cond, v...) with body(iter, cond, v...) -> (cond, v..., scan...).
void inferLoop(InferContext &C) {
  SymContext &S = C.sym();
  const Graph *Body = graphAttr(C, "body");
  if (!Body || !C.RunSubgraph)
    return C.fail("Loop needs a body");
  size_t NCarried = C.numInputs() > 2 ? C.numInputs() - 2 : 0;
  // Trip count: the user's, or M when the body never stops early, or a symbol.
  Expr M;
  if (auto V = C.intValues(0); V && V->size() == 1)
    M = S.constant((*V)[0]);
  ConstValue True;
  True.Elem = DType::Bool;
  True.Ints.push_back(S.constant(1));
  bool CondTrue = !C.hasInput(1);
  if (auto V = C.intValues(1); V && V->size() == 1)
    CondTrue = (*V)[0] != 0;
  std::vector<TensorType> In;
  std::vector<const ConstValue *> InV;
  In.push_back(TensorType{DType::Int64, Shape{}});
  InV.push_back(nullptr);
  In.push_back(TensorType{DType::Bool, Shape{}});
  InV.push_back(CondTrue ? &True : nullptr);
  for (size_t I = 0; I < NCarried; ++I) {
    In.push_back(C.input(2 + I) ? *C.input(2 + I) : TensorType{});
    InV.push_back(nullptr);
  }
  const ShapeInfo *BI = C.RunSubgraph("body", *Body, In, InV);
  bool NeverStops = false;
  if (BI && !Body->Outputs.empty())
    if (const ConstValue *V = BI->value(Body->Outputs[0]); V && V->Ints.size() == 1 && V->Ints[0])
      NeverStops = V->Ints[0].asConst() && *V->Ints[0].asConst() != 0;
  Expr Trip;
  if (C.UserTripCount)
    Trip = S.constant(*C.UserTripCount);
  else if (M && NeverStops)
    Trip = M;
  else
    Trip = S.symbol(tripSymbol(C));
  C.TripCount = Trip;
  // A carried value whose dims change between iterations (a KV cache grown by
  // Concat): the body's cost differs per iteration, so it is re-inferred once
  // per iteration, each with the previous iteration's carried types, when the
  // trip count is a known number small enough to unroll.
  auto Changes = [&](const ShapeInfo *Info, llvm::ArrayRef<TensorType> Ins) {
    for (size_t I = 0; I < NCarried; ++I) {
      TensorType Out = bodyOutput(*Body, Info, 1 + I);
      if (Out.Dims && Ins[2 + I].Dims && *Out.Dims != *Ins[2 + I].Dims)
        return true;
    }
    return false;
  };
  if (Changes(BI, In)) {
    auto K = Trip.asConst();
    size_t BodyNodes = std::max<size_t>(Body->Nodes.size(), 1);
    if (!K) {
      C.LoopProblem = "its carried dims change between iterations and its trip count is not a "
                      "known number (give it with --trip-count)";
    } else if (*K > kMaxUnrolledIterations ||
               static_cast<uint64_t>(*K) * BodyNodes > kMaxUnrolledNodes) {
      C.LoopProblem = "its carried dims change between iterations and " + std::to_string(*K) +
                      " iterations of a " + std::to_string(Body->Nodes.size()) +
                      "-node body exceed the unrolling limit";
    } else {
      C.PerIteration = true;
      std::vector<ConstValue> Iter(1);
      for (int64_t It = 1; It < *K && BI; ++It) {
        for (size_t I = 0; I < NCarried; ++I)
          In[2 + I] = bodyOutput(*Body, BI, 1 + I);
        Iter[0] = ConstValue{};
        Iter[0].Ints.push_back(S.constant(It));
        InV[0] = &Iter[0];
        BI = C.RunSubgraph("body", *Body, In, InV);
      }
    }
  }
  for (size_t I = 0; I < C.numOutputs(); ++I) {
    TensorType T = bodyOutput(*Body, BI, 1 + I);
    if (C.PerIteration && I < NCarried) {
      C.setOutput(I, T); // The last iteration's carried values are the Loop's outputs.
      continue;
    }
    if (C.PerIteration) {
      // Scan outputs of different sizes per iteration are not one stacked shape.
      C.setOutput(I, TensorType{T.Elem, std::nullopt});
      continue;
    }
    if (I < NCarried) {
      // A carried value keeps the dims its initial value and the body agree on.
      C.setOutput(I, C.input(2 + I) ? mergeTypes(*C.input(2 + I), T) : T);
      continue;
    }
    // Scan outputs stack one element per iteration.
    if (T.Dims)
      T.Dims->insert(T.Dims->begin(), Trip);
    C.setOutput(I, T);
  }
}

/// Scan (opset 9+): N state variables, then the scanned inputs.
void inferScan(InferContext &C) {
  SymContext &S = C.sym();
  const Graph *Body = graphAttr(C, "body");
  if (!Body || !C.RunSubgraph)
    return C.fail("Scan needs a body");
  int64_t NScan = C.attrInt("num_scan_inputs", 0);
  size_t NIn = C.numInputs();
  if (NScan <= 0 || static_cast<size_t>(NScan) > NIn)
    return C.fail("invalid num_scan_inputs");
  size_t NState = NIn - static_cast<size_t>(NScan);
  auto InAxes = C.attrInts("scan_input_axes");
  auto OutAxes = C.attrInts("scan_output_axes");
  std::vector<TensorType> In;
  Expr Len;
  for (size_t I = 0; I < NIn; ++I) {
    TensorType T = C.input(I) ? *C.input(I) : TensorType{};
    if (I >= NState && T.Dims) {
      size_t K = I - NState;
      int64_t Ax = InAxes && K < InAxes->size() ? (*InAxes)[K] : 0;
      auto A = normalizeAxis(Ax, static_cast<int64_t>(T.Dims->size()));
      if (!A)
        return C.fail("scan input axis out of range");
      if (!Len)
        Len = (*T.Dims)[static_cast<size_t>(*A)];
      T.Dims->erase(T.Dims->begin() + *A);
    }
    In.push_back(std::move(T));
  }
  const ShapeInfo *BI = C.RunSubgraph("body", *Body, In, {});
  C.TripCount = Len;
  for (size_t I = 0; I < C.numOutputs(); ++I) {
    TensorType T = bodyOutput(*Body, BI, I);
    if (I < NState) {
      C.setOutput(I, T);
      continue;
    }
    size_t K = I - NState;
    if (T.Dims) {
      int64_t Ax = OutAxes && K < OutAxes->size() ? (*OutAxes)[K] : 0;
      auto A = normalizeAxis(Ax, static_cast<int64_t>(T.Dims->size()) + 1);
      if (!A)
        return C.fail("scan output axis out of range");
      T.Dims->insert(T.Dims->begin() + *A, Len ? Len : S.fresh("scan"));
    }
    C.setOutput(I, T);
  }
}

/// Scan opset 8: input 0 is sequence_lens, every other input and output has
/// a leading batch dim, and scanned tensors scan along dim 1.
void inferScan8(InferContext &C) {
  const Graph *Body = graphAttr(C, "body");
  if (!Body || !C.RunSubgraph)
    return C.fail("Scan needs a body");
  int64_t NScan = C.attrInt("num_scan_inputs", 0);
  size_t NIn = C.numInputs();
  if (NScan <= 0 || static_cast<size_t>(NScan) + 1 > NIn)
    return C.fail("invalid num_scan_inputs");
  size_t NState = NIn - 1 - static_cast<size_t>(NScan);
  std::vector<TensorType> In;
  Expr Batch, Len;
  for (size_t I = 1; I < NIn; ++I) {
    TensorType T = C.input(I) ? *C.input(I) : TensorType{};
    bool Scanned = I - 1 >= NState;
    if (T.Dims && T.Dims->size() >= (Scanned ? 2u : 1u)) {
      Batch = Batch ? Batch : (*T.Dims)[0];
      if (Scanned && !Len)
        Len = (*T.Dims)[1];
      T.Dims->erase(T.Dims->begin(), T.Dims->begin() + (Scanned ? 2 : 1));
    } else {
      T.Dims.reset();
    }
    In.push_back(std::move(T));
  }
  const ShapeInfo *BI = C.RunSubgraph("body", *Body, In, {});
  C.TripCount = C.sym().mul(Batch, Len);
  for (size_t I = 0; I < C.numOutputs(); ++I) {
    TensorType T = bodyOutput(*Body, BI, I);
    if (T.Dims) {
      if (I >= NState)
        T.Dims->insert(T.Dims->begin(), Len);
      T.Dims->insert(T.Dims->begin(), Batch);
    }
    C.setOutput(I, T);
  }
}

/// SequenceMap (17): the body maps one element of each input sequence (and
/// the extra tensors as they are) to one element of each output sequence.
/// Sequences are tracked as their element type, so the body's inputs are the
/// inputs' types and the outputs its outputs' types.
void inferSequenceMap(InferContext &C) {
  const Graph *Body = graphAttr(C, "body");
  if (!Body || !C.RunSubgraph)
    return C.fail("SequenceMap needs a body");
  std::vector<TensorType> In;
  for (size_t I = 0; I < C.numInputs(); ++I)
    In.push_back(C.input(I) ? *C.input(I) : TensorType{});
  const ShapeInfo *BI = C.RunSubgraph("body", *Body, In, {});
  for (size_t I = 0; I < C.numOutputs(); ++I)
    C.setOutput(I, bodyOutput(*Body, BI, I));
}

} // namespace

void addControlFlowRules(std::vector<OpRule> &R) {
  using OC = OpClass;
  auto Add = [&](llvm::StringRef Op, int Since, InferFn F, uint32_t ShapeIn = 0) {
    R.push_back({"", Op, Since, OC::Control, F, ShapeIn, nullptr});
  };
  for (int V : {1, 11, 13, 16, 19, 21})
    Add("If", V, inferIf, 1u << 0);
  for (int V : {1, 11, 13, 16, 19, 21})
    Add("Loop", V, inferLoop, (1u << 0) | (1u << 1));
  Add("Scan", 8, inferScan8, 1u << 0);
  Add("SequenceMap", 17, inferSequenceMap);
  for (int V : {9, 11, 16, 19, 21})
    Add("Scan", V, inferScan);
}

} // namespace opaudit
