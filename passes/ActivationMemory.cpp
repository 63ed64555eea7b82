// Liveness of activations over the shape-inference schedule, and the batch
// rules that size them. A value is live from the step that produces it through
// the last step that reads it, both included, so a node's inputs and outputs
// are live together while it runs.
#include "passes/ActivationMemory.h"

#include "llvm/ADT/STLExtras.h"

namespace opaudit {

std::optional<int64_t> scaledBytes(int64_t Elements, unsigned Bits, int64_t Scale) {
  int64_t BitsTotal, Bytes;
  if (Elements < 0 || __builtin_mul_overflow(Elements, static_cast<int64_t>(Bits), &BitsTotal))
    return std::nullopt;
  if (__builtin_mul_overflow(BitsTotal / 8 + (BitsTotal % 8 != 0), Scale, &Bytes))
    return std::nullopt;
  return Bytes;
}

ActivationInfo ActivationMemory::run(AnalysisManager &AM) {
  const ShapeInfo &SI = AM.get<ShapeInference>();
  const Graph &G = AM.model().Main;
  const AnalysisOptions &O = AM.options();
  ActivationInfo R;

  // The batch one run computes: the first dim of the first graph input.
  ValueId First = kNoValue;
  for (ValueId V : G.Inputs)
    if (G.value(V).Initializer < 0) {
      First = V;
      break;
    }
  if (First == kNoValue || (SI.Types[static_cast<size_t>(First)].hasRank() &&
                            SI.Types[static_cast<size_t>(First)].rank() == 0)) {
    R.RunBatch = 1; // No batched input: one run is one inference.
  } else if (SI.Types[static_cast<size_t>(First)].hasRank()) {
    const TensorType &T = SI.Types[static_cast<size_t>(First)];
    if (auto D = AM.evaluate(T.Dims->front()); D && *D > 0)
      R.RunBatch = *D;
  }
  R.Batch = O.Batch ? O.Batch : R.RunBatch;
  if (R.Batch && R.RunBatch) {
    if (*R.Batch % *R.RunBatch == 0)
      R.Scale = *R.Batch / *R.RunBatch;
    else
      R.Diags.push_back({Severity::Error, "",
                         "--batch " + std::to_string(*R.Batch) +
                             " is not a multiple of the batch the graph is exported at (" +
                             std::to_string(*R.RunBatch) + " in input '" +
                             G.value(First).Name.str() + "'); traffic is unknown"});
  } else if (O.Batch) {
    R.Diags.push_back({Severity::Warning, "",
                       "the batch of input '" + G.value(First).Name.str() +
                           "' is not a known constant; traffic per batch is unknown"});
  }

  size_t NSteps = SI.Order.size();
  std::vector<size_t> StepOf(G.Nodes.size(), SIZE_MAX);
  for (size_t I = 0; I < NSteps; ++I)
    StepOf[static_cast<size_t>(SI.Order[I])] = I;

  bool AllKnown = true;
  std::string FirstUnknown;
  for (size_t VI = 0; VI < G.Values.size(); ++VI) {
    ValueId V = static_cast<ValueId>(VI);
    const Value &Val = G.value(V);
    if (Val.Initializer >= 0 || Val.FromOuterScope || G.storedTensor(V) || SI.value(V))
      continue;
    bool Produced =
        Val.Producer != kNoNode && StepOf[static_cast<size_t>(Val.Producer)] != SIZE_MAX;
    if (!Produced && !Val.IsGraphInput)
      continue;
    ActivationValue A;
    A.Value = V;
    A.GraphInput = Val.IsGraphInput;
    A.GraphOutput = Val.IsGraphOutput;
    A.Def = Produced ? StepOf[static_cast<size_t>(Val.Producer)] : 0;
    // Sort and unique rather than a containment scan per consumer, which was
    // quadratic for a value read by many nodes.
    for (NodeId C : Val.Consumers) {
      size_t S = StepOf[static_cast<size_t>(C)];
      if (S != SIZE_MAX)
        A.Readers.push_back(S);
    }
    llvm::sort(A.Readers);
    A.Readers.erase(std::unique(A.Readers.begin(), A.Readers.end()), A.Readers.end());
    A.LastUse = A.Readers.empty() ? A.Def : A.Readers.back();
    if (A.GraphOutput && NSteps)
      A.LastUse = NSteps - 1;
    const TensorType &T = SI.Types[VI];
    DType Elem = T.Elem;
    if (O.ActDType && isFloatDType(Elem))
      Elem = *O.ActDType;
    auto N = AM.evaluate(numElements(AM.sym(), T));
    if (N && R.Scale && dtypeBits(Elem) > 0)
      A.Bytes = scaledBytes(*N, dtypeBits(Elem), *R.Scale);
    if (!A.Bytes && AllKnown) {
      AllKnown = false;
      FirstUnknown = Val.Name;
    }
    R.Values.push_back(std::move(A));
  }
  llvm::stable_sort(
      R.Values, [](const ActivationValue &A, const ActivationValue &B) { return A.Def < B.Def; });

  if (!AllKnown) {
    R.Diags.push_back({Severity::Note, "",
                       "activation memory is unknown: the size of '" + FirstUnknown +
                           "' is not a known constant"});
    return R;
  }
  // Live bytes per step by a difference array over [Def, LastUse].
  std::vector<int64_t> Delta(NSteps + 2, 0);
  for (const ActivationValue &A : R.Values) {
    Delta[A.Def] += *A.Bytes;
    Delta[A.LastUse + 1] -= *A.Bytes;
  }
  int64_t Live = 0, Peak = 0;
  for (size_t S = 0; S < NSteps; ++S) {
    if (__builtin_add_overflow(Live, Delta[S], &Live)) {
      R.Diags.push_back({Severity::Error, "", "activation memory overflows 64 bits"});
      return R;
    }
    if (Live > Peak)
      Peak = Live, R.PeakStep = S;
  }
  R.PeakBytes = Peak;
  return R;
}

} // namespace opaudit
