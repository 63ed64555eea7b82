// The sweep loop: one phase per batch over one symbolic analysis, with a
// fresh analysis for a batch whose figures the symbolic one cannot give.
#include "analyzer/Sweep.h"
#include "passes/MacCount.h"
#include "passes/Roofline.h"

#include "llvm/ADT/STLExtras.h"

namespace opaudit {

namespace {

std::string dimString(Expr D, SymContext &S) {
  if (!D || S.dependsOnFresh(D))
    return "?";
  if (D.isConst() || D.isSymbol())
    return D.str();
  return "(" + D.str() + ")";
}

std::string inputShapes(Analysis &A) {
  const Graph &G = A.model().Main;
  const ShapeInfo &SI = A.get<ShapeInference>();
  std::string Out;
  for (ValueId V : G.Inputs) {
    if (G.value(V).Initializer >= 0)
      continue;
    const TensorType &T = SI.Types[static_cast<size_t>(V)];
    std::string Dims = T.Dims ? "" : "?";
    for (size_t I = 0; T.Dims && I < T.Dims->size(); ++I)
      Dims += (I ? "x" : "") + dimString((*T.Dims)[I], A.sym());
    Out += (Out.empty() ? "" : ", ") + G.value(V).Name.str() + ":" +
           (T.Dims && T.Dims->empty() ? "scalar" : Dims);
  }
  return Out;
}

SweepPoint pointOf(Analysis &A, int64_t Batch) {
  const TrafficInfo &T = A.get<Traffic>();
  const RooflineInfo &R = A.get<Roofline>();
  SweepPoint P;
  P.Batch = Batch;
  P.InferencesPerSecond = R.InferencesPerSecond;
  P.InferencesPerSecondAtUtilization = R.InferencesPerSecondAtUtilization;
  P.ComputeCeiling = R.ComputeCeiling;
  P.MemoryCeiling = R.MemoryCeiling;
  P.LatencySeconds = R.LatencySeconds;
  P.WeightTrafficPerBatch = T.WeightTrafficPerBatch;
  P.WeightTrafficPerInference = T.WeightTrafficPerInference;
  P.OffchipBytesPerBatch = T.OffchipBytes;
  P.PeakActivationBytes = T.PeakActivationBytes;
  P.Bound = !R.LatencySeconds ? "?" : R.MemoryBound ? "memory" : "compute";
  P.Reanalyzed = A.reanalyzed();
  return P;
}

/// True when a figure of the point is unknown (so a fresh analysis may know it).
bool incomplete(const SweepPoint &P) {
  return !P.LatencySeconds || !P.OffchipBytesPerBatch || !P.PeakActivationBytes ||
         !P.WeightTrafficPerInference;
}

} // namespace

std::string symbolicValueStop(Analysis &A) {
  const ShapeInfo &SI = A.get<ShapeInference>();
  const Graph &G = A.model().Main;
  for (NodeId Id : SI.Order) {
    const Node &N = G.node(Id);
    bool AllKnown = true, Symbolic = false;
    for (ValueId In : N.Inputs) {
      if (In == kNoValue)
        continue;
      const ConstValue *CV = SI.value(In);
      if (!CV) {
        AllKnown = false;
        break;
      }
      Symbolic |= llvm::any_of(CV->Ints, [](Expr E) { return !E.isConst(); });
    }
    if (!AllKnown || !Symbolic)
      continue;
    for (ValueId Out : N.Outputs)
      if (Out != kNoValue && !SI.value(Out))
        return N.label(G);
  }
  return "";
}

llvm::Expected<SweepResult> sweep(Analysis &Base, llvm::ArrayRef<int64_t> Batches) {
  const AnalysisOptions &O = Base.options();
  if (!O.Hardware)
    return makeError(ErrorCategory::Usage, "sweep needs --hw PROFILE");
  if (Batches.empty())
    return makeError(ErrorCategory::Usage, "sweep needs at least one batch size");
  std::vector<int64_t> Bs(Batches.begin(), Batches.end());
  for (int64_t B : Bs)
    if (B < 1)
      return makeError(ErrorCategory::Usage, "batch sizes must be >= 1, got " + std::to_string(B));
  llvm::sort(Bs);
  Bs.erase(std::unique(Bs.begin(), Bs.end()), Bs.end());

  SweepResult S;
  S.Model = Base.model().Path;
  S.Utilization = O.Utilization;
  S.InputShape = inputShapes(Base);
  const Model &M = Base.model();
  S.Diags = M.LoadDiagnostics;
  for (const auto *Ds : {&Base.get<ShapeInference>().Diags, &Base.get<MacCount>().Diags})
    S.Diags.insert(S.Diags.end(), Ds->begin(), Ds->end());

  // A symbolic analysis whose value propagation stopped at a dim cannot be
  // trusted under any binding: every batch is then analyzed afresh.
  std::string Stop = symbolicValueStop(Base);
  if (!Stop.empty())
    S.Diags.push_back({Severity::Note, Stop,
                       "value propagation stops here at a symbolic dim; each batch is analyzed "
                       "afresh at its concrete value"});
  bool First = true;
  for (int64_t B : Bs) {
    Phase Ph{"batch=" + std::to_string(B), {}, B};
    std::unique_ptr<Analysis> A = Base.phase(Ph);
    SweepPoint P;
    if (Stop.empty() || A->reanalyzed()) {
      P = pointOf(*A, B);
      if (incomplete(P) && !A->reanalyzed()) {
        // The symbolic analysis left a figure unknown: a dim may resolve at
        // this concrete batch (an op only a concrete value resolves).
        AnalysisOptions Fresh = A->options();
        auto F = Base.withOptions(std::move(Fresh));
        SweepPoint Q = pointOf(*F, B);
        Q.Reanalyzed = true;
        if (!incomplete(Q))
          S.Diags.push_back({Severity::Note, "",
                             "batch " + std::to_string(B) +
                                 ": analyzed again at the concrete batch, because the symbolic "
                                 "analysis leaves its traffic or roofline unknown"});
        P = std::move(Q);
        A = std::move(F);
      }
    } else {
      AnalysisOptions Fresh = A->options();
      A = Base.withOptions(std::move(Fresh));
      P = pointOf(*A, B);
      P.Reanalyzed = true;
    }
    if (First) {
      const RooflineInfo &R = A->get<Roofline>();
      const TrafficInfo &T = A->get<Traffic>();
      S.Hardware = (R.Available ? R.Profile : O.Hardware->Name) + " (" + O.HardwarePath + ")";
      S.Precision = R.Precision;
      S.OperatingPoint = R.Available ? R.Point.describe() : "";
      S.WeightDType = T.WeightDType;
      S.ActDType = T.ActDType;
      S.SramBytes = T.SramBytes;
      for (const auto *Ds : {&T.Diags, &R.Diags})
        S.Diags.insert(S.Diags.end(), Ds->begin(), Ds->end());
      First = false;
    }
    S.Points.push_back(std::move(P));
  }
  return S;
}

} // namespace opaudit
