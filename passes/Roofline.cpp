// Roofline arithmetic. Compute time at 100% utilization is MACs over peak
// MAC rate; memory time is off-chip bytes over bandwidth. The inferences/s
// bound is computed as Batch * rate / MACs when compute-bound, so that it is
// exactly mac_units * f / MACs-per-inference up to one rounding.
#include "passes/Roofline.h"

namespace opaudit {

std::string effectivePrecision(const AnalysisOptions &O) {
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
  return "fp32";
}

RooflineInfo Roofline::run(AnalysisManager &AM) {
  const AnalysisOptions &O = AM.options();
  RooflineInfo R;
  if (!O.Hardware)
    return R;
  const HardwareProfile &H = *O.Hardware;
  const OperatingPoint *P = H.operatingPoint(O.OperatingPointName);
  std::string Prec = effectivePrecision(O);
  std::optional<double> Rate = P ? H.macRate(Prec, *P) : std::nullopt;
  std::optional<double> Bandwidth = P ? H.dramBandwidthGBps(*P) : std::nullopt;
  if (!P || !Rate || !Bandwidth || *Bandwidth <= 0) {
    // The CLI validates these; a library caller gets a diagnostic instead.
    R.Diags.push_back({Severity::Error, "",
                       "hardware profile '" + H.Name + "' has no operating point '" +
                           O.OperatingPointName + "', no MAC rate for " + Prec +
                           " or no DRAM bandwidth"});
    return R;
  }
  auto Units = H.macUnits(Prec);
  const TrafficInfo &T = AM.get<Traffic>();
  const Graph &G = AM.model().Main;
  R.Available = true;
  R.Profile = H.Name;
  R.Precision = Prec;
  R.Point = *P;
  if (Units && *Units > 0 && P->FrequencyMHz > 0)
    R.MacUnits = *Units;
  R.BandwidthBytesPerSecond = *Bandwidth * 1e9;
  R.Utilization = O.Utilization;
  double MacRate = *Rate;
  R.MacsPerSecond = MacRate;
  R.Nodes.resize(G.Nodes.size());
  double Compute = 0, Memory = 0, Serial = 0;
  bool Known = true;
  for (size_t I = 0; I < G.Nodes.size(); ++I) {
    const LayerTraffic &L = T.Nodes[I];
    LayerRoofline &Row = R.Nodes[I];
    if (L.Macs)
      Row.ComputeSeconds = static_cast<double>(*L.Macs) / MacRate;
    if (L.OffchipBytes)
      Row.MemorySeconds = static_cast<double>(*L.OffchipBytes) / R.BandwidthBytesPerSecond;
    if (Row.ComputeSeconds && Row.MemorySeconds) {
      Row.MemoryBound = *Row.MemorySeconds > *Row.ComputeSeconds;
      Row.Seconds = std::max(*Row.ComputeSeconds, *Row.MemorySeconds);
      Compute += *Row.ComputeSeconds;
      Memory += *Row.MemorySeconds;
      Serial += *Row.Seconds;
    } else {
      Known = false;
    }
  }
  if (!Known || !T.Batch || !T.Macs || !T.OffchipBytes) {
    R.Diags.push_back({Severity::Warning, "",
                       "roofline bounds are unknown: MACs or traffic of some layer are unknown"});
    return R;
  }
  // Totals from the exact integer sums, so that rounding in the rows does not accumulate.
  Compute = static_cast<double>(*T.Macs) / MacRate;
  Memory = static_cast<double>(*T.OffchipBytes) / R.BandwidthBytesPerSecond;
  double B = static_cast<double>(*T.Batch);
  R.ComputeSeconds = Compute;
  R.MemorySeconds = Memory;
  R.LatencySecondsNoOverlap = Serial;
  R.MemoryBound = Memory > Compute;
  auto Bound = [&](double U, std::optional<double> &Lat, std::optional<double> &Ips) {
    double C = Compute / U;
    Lat = std::max(C, Memory);
    if (*Lat <= 0)
      return; // An empty graph has no finite bound.
    if (Memory > C)
      Ips = B * R.BandwidthBytesPerSecond / static_cast<double>(*T.OffchipBytes);
    else
      Ips = B * MacRate * U / static_cast<double>(*T.Macs);
  };
  Bound(1.0, R.LatencySeconds, R.InferencesPerSecond);
  Bound(O.Utilization, R.LatencySecondsAtUtilization, R.InferencesPerSecondAtUtilization);
  return R;
}

} // namespace opaudit
