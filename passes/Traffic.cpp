// The SRAM model: first-fit residency of layer weights in topological order,
// then first-fit placement of activations (in order of production) in the SRAM
// that is left, checked at every step of their lifetime. What does not fit
// streams (weights, once per batch) or spills (activations: written once,
// read once by every layer that reads them).
#include "passes/Traffic.h"
#include "passes/MacCount.h"
#include "passes/Weights.h"

#include "llvm/ADT/DenseSet.h"

namespace opaudit {

namespace {
bool addTo(std::optional<int64_t> &Acc, std::optional<int64_t> X) {
  if (!Acc || !X || __builtin_add_overflow(*Acc, *X, &*Acc)) {
    Acc.reset();
    return false;
  }
  return true;
}
} // namespace

TrafficInfo Traffic::run(AnalysisManager &AM) {
  const ShapeInfo &SI = AM.get<ShapeInference>();
  const MacCounts &MC = AM.get<MacCount>();
  const WeightInfo &WI = AM.get<Weights>();
  const ActivationInfo &AI = AM.get<ActivationMemory>();
  const AnalysisOptions &O = AM.options();
  const Graph &G = AM.model().Main;
  TrafficInfo R;
  R.Nodes.resize(G.Nodes.size());
  R.Batch = AI.Batch;
  R.SramBytes = O.SramBytes ? *O.SramBytes : O.Hardware ? O.Hardware->sramBytes() : 0;
  R.WeightDType = O.WeightDType ? dtypeName(*O.WeightDType).str() : "stored";
  R.ActDType = O.ActDType ? dtypeName(*O.ActDType).str() : "stored";
  R.PeakActivationBytes = AI.PeakBytes;

  // Weights: each tensor counts at its first user in schedule order (as in
  // Weights), at the traffic dtype, rounded up per tensor.
  llvm::DenseSet<const TensorData *> Seen;
  int64_t Left = R.SramBytes;
  for (NodeId Id : SI.Order) {
    LayerTraffic &L = R.Nodes[static_cast<size_t>(Id)];
    for (const TensorData *T : WI.Nodes[static_cast<size_t>(Id)].Tensors) {
      if (!Seen.insert(T).second)
        continue;
      auto N = T->numElements();
      std::optional<int64_t> B = !N              ? std::nullopt
                                 : O.WeightDType ? scaledBytes(*N, dtypeBits(*O.WeightDType), 1)
                                                 : T->numBytes();
      if (!B || __builtin_add_overflow(L.WeightBytes, *B, &L.WeightBytes))
        R.Diags.push_back({Severity::Error, G.node(Id).label(G), "weight bytes overflow"});
    }
    R.WeightBytes += L.WeightBytes;
    if (L.WeightBytes > 0 && L.WeightBytes <= Left) {
      L.Resident = true;
      Left -= L.WeightBytes;
      R.ResidentWeightBytes += L.WeightBytes;
    } else {
      L.StreamedWeightBytes = L.WeightBytes;
      R.WeightTrafficPerBatch += L.WeightBytes;
    }
  }
  R.ActivationSramBytes = Left;
  if (R.Batch && *R.Batch > 0)
    R.WeightTrafficPerInference =
        static_cast<double>(R.WeightTrafficPerBatch) / static_cast<double>(*R.Batch);

  // Activations: place in SRAM first-fit in production order; graph inputs
  // arrive in DRAM and are read from there. Under --schedule sample one
  // sample runs through the whole graph before the next starts, so a value
  // needs SRAM for one sample only (its bytes / B); when it spills, every
  // sample writes and reads its own share, B shares per batch in all.
  R.Schedule = O.Schedule == AnalysisOptions::BatchSchedule::Sample ? "sample" : "layer";
  int64_t Share = O.Schedule == AnalysisOptions::BatchSchedule::Sample && R.Batch && *R.Batch > 1
                      ? *R.Batch
                      : 1;
  if (Share > 1 && R.PeakActivationBytes)
    R.PeakActivationBytes = (*R.PeakActivationBytes + Share - 1) / Share;
  size_t NSteps = SI.Order.size();
  std::vector<int64_t> Occupied(NSteps, 0);
  std::vector<std::optional<int64_t>> In(NSteps, int64_t(0)), Out(NSteps, int64_t(0)),
      OffAct(NSteps, int64_t(0));
  for (const ActivationValue &A : AI.Values) {
    bool OnChip = false;
    if (A.Bytes && !A.GraphInput && NSteps) {
      int64_t Need = (*A.Bytes + Share - 1) / Share, Max = 0;
      for (size_t S = A.Def; S <= A.LastUse; ++S)
        Max = std::max(Max, Occupied[S]);
      if (Need <= Left - Max) {
        OnChip = true;
        for (size_t S = A.Def; S <= A.LastUse; ++S)
          Occupied[S] += Need;
      }
    }
    if (!A.GraphInput && NSteps) {
      addTo(Out[A.Def], A.Bytes);
      if (!OnChip || A.GraphOutput)
        addTo(OffAct[A.Def], A.Bytes);
    }
    for (size_t S : A.Readers) {
      addTo(In[S], A.Bytes);
      if (!OnChip)
        addTo(OffAct[S], A.Bytes);
    }
  }

  R.OffchipActBytes = 0;
  R.OffchipBytes = 0;
  R.Macs = 0;
  for (size_t S = 0; S < NSteps; ++S) {
    NodeId Id = SI.Order[S];
    LayerTraffic &L = R.Nodes[static_cast<size_t>(Id)];
    L.InBytes = In[S];
    L.OutBytes = Out[S];
    L.OffchipActBytes = OffAct[S];
    L.OffchipBytes = OffAct[S];
    addTo(L.OffchipBytes, L.StreamedWeightBytes);
    auto M = AM.evaluate(MC.Nodes[static_cast<size_t>(Id)].Macs);
    if (M && AI.Scale) {
      int64_t X;
      if (!__builtin_mul_overflow(*M, *AI.Scale, &X))
        L.Macs = X;
    }
    if (L.Macs && L.OffchipBytes && *L.OffchipBytes > 0)
      L.Intensity = static_cast<double>(*L.Macs) / static_cast<double>(*L.OffchipBytes);
    addTo(R.OffchipActBytes, L.OffchipActBytes);
    addTo(R.OffchipBytes, L.OffchipBytes);
    addTo(R.Macs, L.Macs);
  }
  if (R.Macs && R.OffchipBytes && *R.OffchipBytes > 0)
    R.Intensity = static_cast<double>(*R.Macs) / static_cast<double>(*R.OffchipBytes);
  R.Diags = AI.Diags;
  return R;
}

} // namespace opaudit
