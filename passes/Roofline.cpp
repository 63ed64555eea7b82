// Roofline arithmetic. Compute time at 100% utilization is MACs over peak
// MAC rate; memory time is off-chip bytes over bandwidth. The inferences/s
// bound is computed as Batch * rate / MACs when compute-bound, so that it is
// exactly mac_units * f / MACs-per-inference up to one rounding.
#include "passes/Roofline.h"
#include "passes/Conventions.h"
#include "passes/Precision.h"

namespace opaudit {

std::string effectivePrecision(const AnalysisOptions &O) {
  std::string P = chosenPrecision(O);
  return P.empty() ? "fp32" : P;
}

std::string declaredPrecision(const PrecisionInfo &PI, AnalysisManager *AM) {
  std::string Best = "fp32";
  int64_t BestMacs = 0;
  for (const auto &[P, E] : PI.Macs) {
    if (P == "unknown" || !E)
      continue;
    auto V = AM ? AM->evaluate(E) : E.asConst();
    // A symbolic count still says the precision is there; rank it after known ones.
    int64_t N = V ? *V : 1;
    if (N > BestMacs) {
      Best = P;
      BestMacs = N;
    }
  }
  return Best;
}

std::string rooflinePrecision(AnalysisManager &AM) {
  std::string P = chosenPrecision(AM.options());
  return P.empty() ? declaredPrecision(AM.get<Precision>(), &AM) : P;
}

std::string chosenPrecision(const AnalysisOptions &O) {
  if (!O.Precision.empty())
    return O.Precision;
  if (O.WeightDType) {
    switch (*O.WeightDType) {
    case DType::Int8:
    case DType::UInt8:
    case DType::Int4:
    case DType::UInt4:
      return "int8";
    case DType::Float16:
      return "fp16";
    case DType::BFloat16:
      return "bf16";
    default:
      break;
    }
  }
  return "";
}

RooflineInfo Roofline::run(AnalysisManager &AM) {
  const AnalysisOptions &O = AM.options();
  RooflineInfo R;
  if (!O.Hardware)
    return R;
  const HardwareProfile &H = *O.Hardware;
  const OperatingPoint *P = H.operatingPoint(O.OperatingPointName);
  std::string Prec = rooflinePrecision(AM);
  R.PrecisionFromGraph = chosenPrecision(O).empty();
  std::optional<double> Rate = P ? H.macRate(Prec, *P) : std::nullopt;
  std::optional<double> Bandwidth = P ? H.dramBandwidthGBps(*P) : std::nullopt;
  if (!P || !Rate || !Bandwidth || *Bandwidth <= 0) {
    // The CLI validates what it can before the model is read; the graph's own
    // precision is only known here, so a part without it gets a diagnostic.
    R.Diags.push_back(
        {Severity::Error, "",
         "hardware profile '" + H.Name + "': " +
             (!P ? "no operating point '" + O.OperatingPointName + "'"
              : !Rate
                  ? "no MAC units or stated peak for precision " + Prec +
                        (R.PrecisionFromGraph ? " (the precision the graph's MACs declare)" : "") +
                        " at " + P->Name + "; choose one with --precision"
                  : std::string("no DRAM bandwidth")) +
             "; no roofline bounds"});
    return R;
  }
  auto Units = H.macUnits(Prec);
  const TrafficInfo &T = AM.get<Traffic>();
  const ActivationInfo &AI = AM.get<ActivationMemory>();
  const MacCounts &MC = AM.get<MacCount>();
  const Graph &G = AM.model().Main;
  R.Available = true;
  R.Profile = H.Name;
  R.Precision = Prec;
  R.Point = *P;
  if (Units && *Units > 0 && P->FrequencyMHz > 0)
    R.MacUnits = *Units;
  R.EfficiencyMac = H.EfficiencyMac;
  R.EfficiencyVector = H.EfficiencyVector;
  R.EfficiencyMemory = H.EfficiencyMemory;
  R.BandwidthBytesPerSecond = *Bandwidth * 1e9 * H.EfficiencyMemory;
  R.Utilization = O.Utilization;
  double MacRate = *Rate * H.EfficiencyMac;
  R.MacsPerSecond = MacRate;

  // Non-MAC work at the vector rate: the vector convention's count of a layer
  // less its ops per MAC times its MACs (what remains is bias, activation,
  // pooling, normalization and elementwise work).
  std::vector<std::optional<int64_t>> VecOps(G.Nodes.size());
  // A precision without its own vector rate uses the fp32 one: the non-MAC
  // work of an int8 graph (requantize, activations) runs on the general units.
  auto VIt = H.VectorOps.find(Prec);
  if (VIt == H.VectorOps.end() || !VIt->second.Value)
    VIt = H.VectorOps.find("fp32");
  if (VIt != H.VectorOps.end() && VIt->second.Value && *VIt->second.Value > 0 &&
      P->FrequencyMHz > 0) {
    auto Conv = loadConvention(H.VectorConvention);
    if (!Conv) {
      R.Diags.push_back({Severity::Warning, "",
                         "vector convention '" + H.VectorConvention + "': " +
                             llvm::toString(Conv.takeError()) + "; non-MAC layers take no time"});
    } else {
      R.VectorOpsPerSecond = *VIt->second.Value * P->FrequencyMHz * 1e6 * H.EfficiencyVector;
      R.VectorConvention = Conv->Name;
      ConventionCounts CC = countOps(AM, *Conv);
      for (size_t I = 0; I < G.Nodes.size(); ++I) {
        auto Ops = AM.evaluate(CC.Nodes[I]);
        auto Macs = MC.Nodes[I].Macs ? AM.evaluate(MC.Nodes[I].Macs) : std::optional<int64_t>(0);
        if (!Ops || !Macs || !AI.Scale)
          continue;
        int64_t V = *Ops - Conv->OpsPerMac * *Macs, X;
        if (V < 0)
          V = 0; // a convention that does not count a MAC class
        if (!__builtin_mul_overflow(V, *AI.Scale, &X))
          VecOps[I] = X;
      }
    }
  }
  bool Vector = R.VectorOpsPerSecond > 0;

  R.Nodes.resize(G.Nodes.size());
  double Memory = 0, Serial = 0, VecSeconds = 0;
  int64_t VecTotal = 0;
  bool Known = true, VecKnown = true;
  for (size_t I = 0; I < G.Nodes.size(); ++I) {
    const LayerTraffic &L = T.Nodes[I];
    LayerRoofline &Row = R.Nodes[I];
    if (L.Macs) {
      Row.ComputeSeconds = static_cast<double>(*L.Macs) / MacRate;
      if (Vector) {
        if (VecOps[I]) {
          Row.VectorSeconds = static_cast<double>(*VecOps[I]) / R.VectorOpsPerSecond;
          *Row.ComputeSeconds += *Row.VectorSeconds;
          VecSeconds += *Row.VectorSeconds;
          if (__builtin_add_overflow(VecTotal, *VecOps[I], &VecTotal))
            VecKnown = false;
        } else {
          Row.ComputeSeconds.reset();
          VecKnown = false;
        }
      }
    }
    if (L.OffchipBytes)
      Row.MemorySeconds = static_cast<double>(*L.OffchipBytes) / R.BandwidthBytesPerSecond;
    if (Row.ComputeSeconds && Row.MemorySeconds) {
      Row.MemoryBound = *Row.MemorySeconds > *Row.ComputeSeconds;
      Row.Seconds = std::max(*Row.ComputeSeconds, *Row.MemorySeconds);
      Memory += *Row.MemorySeconds;
      Serial += *Row.Seconds;
    } else {
      Known = false;
    }
  }
  if (!Known || !T.Batch || !T.Macs || !T.OffchipBytes || (Vector && !VecKnown)) {
    R.Diags.push_back({Severity::Warning, "",
                       "roofline bounds are unknown: MACs, vector ops or traffic of some layer "
                       "are unknown"});
    return R;
  }
  // Totals from the exact integer sums, so that rounding in the rows does not accumulate.
  double MacSeconds = static_cast<double>(*T.Macs) / MacRate;
  if (Vector) {
    R.VectorOps = VecTotal;
    R.VectorSeconds = static_cast<double>(VecTotal) / R.VectorOpsPerSecond;
  }
  double Vec = R.VectorSeconds.value_or(0);
  double Compute = MacSeconds + Vec;
  Memory = static_cast<double>(*T.OffchipBytes) / R.BandwidthBytesPerSecond;
  double B = static_cast<double>(*T.Batch);
  R.ComputeSeconds = Compute;
  R.MemorySeconds = Memory;
  R.LatencySecondsNoOverlap = Serial;
  R.MemoryBound = Memory > Compute;
  // Each ceiling is written so that it is exact up to one rounding when one
  // term alone sets it (B * rate / MACs rather than B / (MACs / rate)).
  if (Compute > 0)
    R.ComputeCeiling = Vec > 0 ? B / Compute : B * MacRate / static_cast<double>(*T.Macs);
  if (Memory > 0)
    R.MemoryCeiling = B * R.BandwidthBytesPerSecond / static_cast<double>(*T.OffchipBytes);
  auto Bound = [&](double U, std::optional<double> &Lat, std::optional<double> &Ips) {
    double C = Compute / U;
    Lat = std::max(C, Memory);
    if (*Lat <= 0)
      return; // An empty graph has no finite bound.
    if (Memory > C)
      Ips = R.MemoryCeiling;
    else
      Ips = Vec > 0 ? B / C : B * MacRate * U / static_cast<double>(*T.Macs);
  };
  Bound(1.0, R.LatencySeconds, R.InferencesPerSecond);
  Bound(O.Utilization, R.LatencySecondsAtUtilization, R.InferencesPerSecondAtUtilization);
  return R;
}

} // namespace opaudit
