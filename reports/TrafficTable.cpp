// The traffic, memory and roofline section of the console table: the
// traffic detail of the presented rows (weights at the traffic dtype, SRAM
// residency, activation bytes; the main table carries off-chip bytes,
// MACs/byte, bound and time) followed by the totals and every condition the
// figures hold under.
#include "reports/Presentation.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

namespace opaudit {

namespace {
std::string cell(llvm::StringRef S, size_t Max) {
  std::string R;
  for (char C : S)
    R += (static_cast<unsigned char>(C) < 0x20 || C == 0x7f) ? '?' : C;
  if (R.size() > Max)
    R = "..." + R.substr(R.size() - (Max - 3));
  return R;
}

std::string bytes(std::optional<int64_t> V) { return V ? groupDigits(*V) : "?"; }
std::string bytes(const KnownSum &S) { return bytes(S.value()); }

/// Shortest of %g: "0.5", "1000", "1e+09".
std::string num(double V) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << llvm::format("%g", V);
  return OS.str();
}

std::string ratio(std::optional<double> V) { return V ? llvm::formatv("{0:f2}", *V).str() : "-"; }
} // namespace

/// "12.3 ms", "4.56 us": three significant digits in a fitting unit.
std::string secondsText(double S) {
  static const std::pair<double, const char *> Units[] = {
      {1, "s"}, {1e-3, "ms"}, {1e-6, "us"}, {1e-9, "ns"}};
  for (auto [Scale, Name] : Units)
    if (S >= Scale || Scale == 1e-9) {
      std::string Out;
      llvm::raw_string_ostream OS(Out);
      OS << llvm::format("%.3g ", S / Scale) << Name;
      return OS.str();
    }
  return "0 s";
}

std::string fractionalBytesText(double V) {
  double Int = std::floor(V);
  std::string S = groupDigits(static_cast<int64_t>(Int));
  if (V == Int)
    return S;
  std::string Frac;
  llvm::raw_string_ostream OS(Frac);
  OS << llvm::format("%.3f", V - Int);
  OS.flush();
  while (Frac.back() == '0')
    Frac.pop_back();
  return S + Frac.substr(1);
}

void writeTrafficSection(const Report &R, const View &V, llvm::raw_ostream &OS) {
  const TrafficInfo &T = *R.Traffic;
  const Conditions &C = *R.Cond;
  bool Roof = R.Roof && R.Roof->Available;
  OS << "\ntraffic per batch of " << (T.Batch ? std::to_string(*T.Batch) : std::string("?"))
     << " (weights at " << T.WeightDType << " dtype, activations at " << T.ActDType
     << " dtype, SRAM " << groupDigits(T.SramBytes) << " bytes)\n\n";
  std::vector<std::string> Head = {V.Heading, "weight bytes", "resident", "act in", "act out"};
  std::vector<std::vector<std::string>> Cells{Head};
  for (const ViewRow &Row : V.Rows) {
    if (Row.Depth) // Traffic covers the main graph; subgraph rows are details of their node.
      continue;
    std::string Resident;
    if (Row.K == ViewRow::Layer && Row.Source && Row.Source->Traffic)
      Resident =
          Row.Source->Traffic->WeightBytes ? (Row.Source->Traffic->Resident ? "yes" : "no") : "";
    else
      Resident = bytes(Row.sums().ResidentWeightBytes);
    const ViewSums &S = Row.sums();
    Cells.push_back({cell(Row.Label, 48), bytes(S.TrafficWeightBytes), Resident, bytes(S.ActIn),
                     bytes(S.ActOut)});
  }
  Cells.push_back({"TOTAL", groupDigits(T.WeightBytes), groupDigits(T.ResidentWeightBytes),
                   bytes(V.Total.sums().ActIn), bytes(V.Total.sums().ActOut)});
  std::vector<size_t> W(Head.size(), 0);
  for (const auto &Row : Cells)
    for (size_t I = 0; I < Row.size(); ++I)
      W[I] = std::max(W[I], Row[I].size());
  size_t Width = 0;
  for (size_t X : W)
    Width += X + 2;
  for (size_t I = 0; I < Cells.size(); ++I) {
    if (I == 1 || I + 1 == Cells.size())
      OS << std::string(Width - 2, '-') << "\n";
    for (size_t J = 0; J < Cells[I].size(); ++J) {
      const std::string &S = Cells[I][J];
      if (J)
        OS << "  ";
      if (J == 0)
        OS << S, OS.indent(W[J] - S.size());
      else
        OS.indent(W[J] - S.size()) << S;
    }
    OS << "\n";
  }
  OS << "\n";
  OS << "weights:          " << groupDigits(T.WeightBytes) << " bytes; "
     << groupDigits(T.ResidentWeightBytes) << " resident in SRAM (one-time load), "
     << groupDigits(T.WeightTrafficPerBatch) << " streamed per batch\n";
  OS << "weight traffic:   " << groupDigits(T.WeightTrafficPerBatch) << " bytes per batch, "
     << (T.WeightTrafficPerInference ? fractionalBytesText(*T.WeightTrafficPerInference)
                                     : std::string("?"))
     << " bytes per inference\n";
  OS << "activations:      peak " << bytes(T.PeakActivationBytes) << " bytes live; "
     << groupDigits(T.ActivationSramBytes) << " bytes of SRAM left for them; "
     << bytes(T.OffchipActBytes) << " bytes off-chip per batch\n";
  OS << "off-chip:         " << bytes(T.OffchipBytes) << " bytes per batch; "
     << (T.Intensity ? llvm::formatv("{0:f2}", *T.Intensity).str() : std::string("?"))
     << " MACs per off-chip byte\n";
  if (Roof) {
    const RooflineInfo &F = *R.Roof;
    auto Sec = [](std::optional<double> V) { return V ? secondsText(*V) : std::string("?"); };
    auto Ips = [](std::optional<double> V) {
      return V ? llvm::formatv("{0:f2}", *V).str() : std::string("?");
    };
    OS << "compute time:     " << Sec(F.ComputeSeconds) << " per batch at ";
    if (F.MacUnits)
      OS << groupDigits(*F.MacUnits) << " MACs/cycle\n";
    else
      OS << llvm::formatv("{0:f2}", F.MacsPerSecond / 1e12).str()
         << " T MACs/s (from the stated dense peak; the profile gives no MAC count)\n";
    if (F.EfficiencyMac != 1 || F.EfficiencyVector != 1 || F.EfficiencyMemory != 1)
      OS << "efficiency:       mac " << num(F.EfficiencyMac) << ", vector "
         << num(F.EfficiencyVector) << ", memory " << num(F.EfficiencyMemory)
         << " (the profile's; rates above include it)\n";
    if (F.VectorOpsPerSecond > 0)
      OS << "vector time:      " << Sec(F.VectorSeconds) << " per batch of it for "
         << (F.VectorOps ? groupDigits(*F.VectorOps) : std::string("?"))
         << " non-MAC ops (counted as '" << F.VectorConvention << "' less its ops per MAC) at "
         << llvm::formatv("{0:f2}", F.VectorOpsPerSecond / 1e12).str() << " T ops/s\n";
    else
      OS << "vector time:      none: the profile gives no vector_ops_per_cycle for " << F.Precision
         << ", so non-MAC layers take no compute time\n";
    OS << "memory time:      " << Sec(F.MemorySeconds) << " per batch at "
       << num(F.BandwidthBytesPerSecond / 1e9) << " GB/s\n";
    OS << "ceilings:         compute " << Ips(F.ComputeCeiling) << " inferences/s, memory "
       << Ips(F.MemoryCeiling) << " inferences/s (the roofline is the lower)\n";
    OS << "bound:            "
       << (!F.LatencySeconds ? "?"
           : F.MemoryBound   ? "memory"
                             : "compute")
       << "\n";
    OS << "latency:          " << Sec(F.LatencySeconds) << " per batch (100% MAC utilization), "
       << Sec(F.LatencySecondsAtUtilization) << " at utilization " << num(F.Utilization) << "; "
       << Sec(F.LatencySecondsNoOverlap) << " if layers do not overlap\n";
    OS << "inferences/s:     <= " << Ips(F.InferencesPerSecond)
       << " at 100% MAC utilization, <= " << Ips(F.InferencesPerSecondAtUtilization)
       << " at utilization " << num(F.Utilization) << "\n";
  }
  OS << "conditions:       model " << cell(C.Model, 200) << "; input " << cell(C.InputShape, 200)
     << "; batch " << (C.Batch ? std::to_string(*C.Batch) : std::string("?"));
  if (Roof)
    OS << "; hardware " << cell(C.Hardware, 200) << "; precision " << C.Precision
       << (R.Roof->PrecisionFromGraph ? " (the graph's)" : "") << "; operating point "
       << cell(C.OperatingPoint, 200);
  OS << "\nconvention:       " << C.Convention << "\n";
}

} // namespace opaudit
