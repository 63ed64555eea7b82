// Writers for the batch sweep. The plot is three stacked panels sharing a
// batch axis (log2 when the batches span a factor of 4 or more), each with a
// linear y axis from 0, "nice" 1-2-5 ticks and a unit chosen for its range
// (inferences/s with k/M, seconds as s/ms/us, bytes as B/kB/MB/GB). Points
// are coloured by what bounds them (compute or memory) and the compute
// ceiling is drawn dashed. No plotting library: the output is a few dozen SVG
// elements, easy to check with any XML parser.
#include "reports/Escape.h"
#include "reports/Report.h"
#include "reports/Sweep.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

#include <cmath>
#include <functional>

namespace opaudit {

namespace {
std::string g(double V, int Digits = 4) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << llvm::format("%.*g", Digits, V);
  return OS.str();
}

std::string opt(std::optional<double> V, int Digits = 4) { return V ? g(*V, Digits) : "?"; }

/// Largest 1-2-5 step giving at most 6 ticks from 0 to Max.
double niceStep(double Max) {
  double Raw = Max / 5;
  double P = std::pow(10.0, std::floor(std::log10(Raw)));
  for (double M : {1.0, 2.0, 5.0, 10.0})
    if (M * P >= Raw)
      return M * P;
  return 10 * P;
}

/// A unit for an axis whose largest value is Max: its name and its size in the base unit.
struct Unit {
  std::string Name;
  double Scale;
};

Unit bytesUnit(double Max) {
  if (Max >= 1e9)
    return {"GB", 1e9};
  if (Max >= 1e6)
    return {"MB", 1e6};
  if (Max >= 1e3)
    return {"kB", 1e3};
  return {"bytes", 1};
}

Unit secondsUnit(double Max) {
  if (Max >= 1)
    return {"s", 1};
  if (Max >= 1e-3)
    return {"ms", 1e-3};
  if (Max >= 1e-6)
    return {"us", 1e-6};
  return {"ns", 1e-9};
}

Unit rateUnit(double Max) {
  if (Max >= 1e6)
    return {"M inferences/s", 1e6};
  if (Max >= 1e3)
    return {"k inferences/s", 1e3};
  return {"inferences/s", 1};
}

std::string bytesCell(std::optional<double> V) { return V ? sweepBytesText(*V) : "?"; }
} // namespace

std::string sweepBytesText(double Bytes) {
  Unit U = bytesUnit(Bytes);
  if (U.Scale == 1)
    return g(std::round(Bytes), 4) + " B";
  return g(Bytes / U.Scale, 3) + " " + U.Name;
}

void writeSweepTable(const SweepResult &S, llvm::raw_ostream &OS) {
  OS << "model:      " << S.Model << "\ninput:      " << S.InputShape
     << "\nhardware:   " << S.Hardware << "\nprecision:  " << S.Precision
     << "\noperating:  " << S.OperatingPoint << "\ntraffic:    weights " << S.WeightDType
     << ", activations " << S.ActDType << ", SRAM " << groupDigits(S.SramBytes) << " bytes\n\n";
  std::vector<std::vector<std::string>> Cells = {{"batch", "bound", "latency/batch", "inferences/s",
                                                  "at U=" + g(S.Utilization), "compute ceiling",
                                                  "weights/batch", "weights/inference",
                                                  "off-chip/batch", "peak activations"}};
  bool Again = false;
  for (const SweepPoint &P : S.Points) {
    Again |= P.Reanalyzed;
    Cells.push_back(
        {std::to_string(P.Batch) + (P.Reanalyzed ? "*" : ""), P.Bound,
         P.LatencySeconds ? secondsText(*P.LatencySeconds) : "?", opt(P.InferencesPerSecond, 6),
         opt(P.InferencesPerSecondAtUtilization, 6), opt(P.ComputeCeiling, 6),
         sweepBytesText(static_cast<double>(P.WeightTrafficPerBatch)),
         bytesCell(P.WeightTrafficPerInference),
         bytesCell(P.OffchipBytesPerBatch ? std::optional<double>(*P.OffchipBytesPerBatch)
                                          : std::nullopt),
         bytesCell(P.PeakActivationBytes ? std::optional<double>(*P.PeakActivationBytes)
                                         : std::nullopt)});
  }
  std::vector<size_t> W(Cells[0].size(), 0);
  for (const auto &Row : Cells)
    for (size_t I = 0; I < Row.size(); ++I)
      W[I] = std::max(W[I], Row[I].size());
  for (size_t R = 0; R < Cells.size(); ++R) {
    for (size_t I = 0; I < Cells[R].size(); ++I) {
      if (I)
        OS << "  ";
      OS.indent(W[I] - Cells[R][I].size()) << Cells[R][I];
    }
    OS << "\n";
    if (R == 0) {
      size_t Width = 0;
      for (size_t X : W)
        Width += X + 2;
      OS << std::string(Width - 2, '-') << "\n";
    }
  }
  if (Again)
    OS << "\n* analyzed again at this batch: the symbolic analysis could not give its figures\n";
  OS << "\nconvention: inferences/s and latency are roofline upper bounds (latency per batch = "
        "max(compute, memory)); the compute ceiling is batch / compute time, the rate with no "
        "off-chip traffic; bytes in SI units (1 MB = 10^6 bytes); see docs/traffic-model.md\n";
}

void writeSweepJson(const SweepResult &S, llvm::raw_ostream &OS) {
  llvm::json::OStream J(OS, 2);
  auto Real = [&](llvm::StringRef K, std::optional<double> V) {
    if (V)
      J.attribute(K, *V);
    else
      J.attribute(K, nullptr);
  };
  auto Int = [&](llvm::StringRef K, std::optional<int64_t> V) {
    if (V)
      J.attribute(K, *V);
    else
      J.attribute(K, nullptr);
  };
  J.object([&] {
    J.attribute("schema_version", 1);
    J.attribute("model", S.Model);
    J.attribute("inputs", S.InputShape);
    J.attribute("hardware", S.Hardware);
    J.attribute("precision", S.Precision);
    J.attribute("operating_point", S.OperatingPoint);
    J.attribute("weight_dtype", S.WeightDType);
    J.attribute("act_dtype", S.ActDType);
    J.attribute("sram_bytes", S.SramBytes);
    J.attribute("utilization", S.Utilization);
    J.attributeArray("points", [&] {
      for (const SweepPoint &P : S.Points)
        J.object([&] {
          J.attribute("batch", P.Batch);
          J.attribute("bound",
                      P.Bound == "?" ? llvm::json::Value(nullptr) : llvm::json::Value(P.Bound));
          Real("latency_s", P.LatencySeconds);
          Real("inferences_per_s", P.InferencesPerSecond);
          Real("inferences_per_s_at_utilization", P.InferencesPerSecondAtUtilization);
          Real("compute_ceiling", P.ComputeCeiling);
          Real("memory_ceiling", P.MemoryCeiling);
          J.attribute("weight_bytes_per_batch", P.WeightTrafficPerBatch);
          Real("weight_bytes_per_inference", P.WeightTrafficPerInference);
          Int("offchip_bytes_per_batch", P.OffchipBytesPerBatch);
          Int("peak_activation_bytes", P.PeakActivationBytes);
          J.attribute("reanalyzed", P.Reanalyzed);
        });
    });
  });
  OS << "\n";
}

void writeSweepCsv(const SweepResult &S, llvm::raw_ostream &OS) {
  OS << "batch,bound,latency_s,inferences_per_s,inferences_per_s_at_utilization,compute_ceiling,"
        "memory_ceiling,weight_bytes_per_batch,weight_bytes_per_inference,offchip_bytes_per_batch,"
        "peak_activation_bytes,reanalyzed\n";
  auto Real = [&](std::optional<double> V) {
    if (V)
      OS << g(*V, 17);
    OS << ",";
  };
  auto Int = [&](std::optional<int64_t> V) {
    if (V)
      OS << *V;
    OS << ",";
  };
  for (const SweepPoint &P : S.Points) {
    OS << P.Batch << "," << (P.Bound == "?" ? "" : P.Bound) << ",";
    Real(P.LatencySeconds);
    Real(P.InferencesPerSecond);
    Real(P.InferencesPerSecondAtUtilization);
    Real(P.ComputeCeiling);
    Real(P.MemoryCeiling);
    Int(P.WeightTrafficPerBatch);
    Real(P.WeightTrafficPerInference);
    Int(P.OffchipBytesPerBatch);
    Int(P.PeakActivationBytes);
    OS << (P.Reanalyzed ? "true" : "false") << "\n";
  }
}

void writeSweepSvg(const SweepResult &S, llvm::raw_ostream &OS) {
  const double Width = 900, PanelH = 250, Top = 105, Left = 110, Right = 30;
  const double PlotW = Width - Left - Right, PlotH = PanelH - 60;
  double Height = Top + 3 * PanelH + 30;
  int64_t MinB = S.Points.empty() ? 1 : S.Points.front().Batch, MaxB = MinB;
  for (const SweepPoint &P : S.Points)
    MinB = std::min(MinB, P.Batch), MaxB = std::max(MaxB, P.Batch);
  bool Log = MaxB >= 4 * MinB;
  auto X = [&](int64_t B) {
    if (MaxB == MinB)
      return Left + PlotW / 2;
    double T = Log ? (std::log2(double(B)) - std::log2(double(MinB))) /
                         (std::log2(double(MaxB)) - std::log2(double(MinB)))
                   : double(B - MinB) / double(MaxB - MinB);
    return Left + T * PlotW;
  };
  const char *ComputeColour = "#1f77b4", *MemoryColour = "#ff7f0e", *UnknownColour = "#999";
  auto BoundColour = [&](const SweepPoint &P) {
    return P.Bound == "compute"  ? ComputeColour
           : P.Bound == "memory" ? MemoryColour
                                 : UnknownColour;
  };
  OS << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
     << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << g(Width) << "\" height=\""
     << g(Height) << "\" viewBox=\"0 0 " << g(Width) << " " << g(Height)
     << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
     << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
     << "<text x=\"" << g(Left) << "\" y=\"24\" font-size=\"15\">" << escapeMarkup(S.Model)
     << " on " << escapeMarkup(S.Hardware) << "</text>\n"
     << "<text x=\"" << g(Left) << "\" y=\"44\" fill=\"#555\">input " << escapeMarkup(S.InputShape)
     << "; precision " << escapeMarkup(S.Precision) << "; operating point "
     << escapeMarkup(S.OperatingPoint) << "</text>\n<text x=\"" << g(Left)
     << "\" y=\"62\" fill=\"#555\">weights " << escapeMarkup(S.WeightDType) << ", activations "
     << escapeMarkup(S.ActDType) << ", SRAM "
     << escapeMarkup(sweepBytesText(static_cast<double>(S.SramBytes))) << "</text>\n";
  // Legend: what bounds each point, and the dashed compute ceiling.
  double LY = 84;
  // (Squares, so that the points are the only circles.)
  OS << "<g font-size=\"11\">\n<rect x=\"" << g(Left + 1) << "\" y=\"" << g(LY - 8)
     << "\" width=\"8\" height=\"8\" fill=\"" << ComputeColour << "\"/><text x=\"" << g(Left + 14)
     << "\" y=\"" << g(LY) << "\">compute-bound</text>\n<rect x=\"" << g(Left + 121) << "\" y=\""
     << g(LY - 8) << "\" width=\"8\" height=\"8\" fill=\"" << MemoryColour << "\"/><text x=\""
     << g(Left + 134) << "\" y=\"" << g(LY) << "\">memory-bound</text>\n<line x1=\""
     << g(Left + 240) << "\" y1=\"" << g(LY - 4) << "\" x2=\"" << g(Left + 270) << "\" y2=\""
     << g(LY - 4) << "\" stroke=\"#555\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/><text x=\""
     << g(Left + 276) << "\" y=\"" << g(LY)
     << "\">compute ceiling (no off-chip traffic)</text>\n</g>\n";
  enum Kind { Rate, Seconds, Bytes };
  struct Series {
    const char *Title;
    Kind K;
    std::function<std::optional<double>(const SweepPoint &)> Get;
  };
  const Series Panels[] = {
      {"throughput bound (100% MAC utilization)", Rate,
       [](const SweepPoint &P) { return P.InferencesPerSecond; }},
      {"latency per batch", Seconds, [](const SweepPoint &P) { return P.LatencySeconds; }},
      {"weight traffic per inference", Bytes,
       [](const SweepPoint &P) { return P.WeightTrafficPerInference; }},
  };
  for (int I = 0; I < 3; ++I) {
    const Series &Se = Panels[I];
    double Y0 = Top + I * PanelH; // Top of the panel.
    double Max = 0;
    for (const SweepPoint &P : S.Points) {
      if (auto V = Se.Get(P))
        Max = std::max(Max, *V);
      if (I == 0 && P.ComputeCeiling)
        Max = std::max(Max, *P.ComputeCeiling);
    }
    Unit U = Se.K == Rate ? rateUnit(Max) : Se.K == Seconds ? secondsUnit(Max) : bytesUnit(Max);
    double MaxU = Max / U.Scale;
    double Step = MaxU > 0 ? niceStep(MaxU) : 1;
    double YMax = MaxU > 0 ? std::ceil(MaxU / Step) * Step : 1;
    auto Y = [&](double V) { return Y0 + 20 + PlotH * (1 - V / U.Scale / YMax); };
    OS << "<g>\n<text x=\"" << g(Left) << "\" y=\"" << g(Y0 + 12) << "\" font-weight=\"bold\">"
       << escapeMarkup(std::string(Se.Title) + " (" + U.Name + ")") << "</text>\n";
    OS << "<rect x=\"" << g(Left) << "\" y=\"" << g(Y0 + 20) << "\" width=\"" << g(PlotW)
       << "\" height=\"" << g(PlotH) << "\" fill=\"none\" stroke=\"#999\"/>\n";
    for (double T = 0; T <= YMax * (1 + 1e-9); T += Step) {
      double YT = Y(T * U.Scale);
      OS << "<line x1=\"" << g(Left - 4) << "\" y1=\"" << g(YT, 6) << "\" x2=\"" << g(Left + PlotW)
         << "\" y2=\"" << g(YT, 6) << "\" stroke=\"#eee\"/>\n";
      OS << "<text x=\"" << g(Left - 8) << "\" y=\"" << g(YT + 4, 6) << "\" text-anchor=\"end\">"
         << g(T) << "</text>\n";
    }
    // The unit beside the axis, rotated.
    OS << "<text transform=\"translate(" << g(Left - 62) << "," << g(Y0 + 20 + PlotH / 2)
       << ") rotate(-90)\" text-anchor=\"middle\" fill=\"#555\">" << escapeMarkup(U.Name)
       << "</text>\n";
    for (const SweepPoint &P : S.Points)
      OS << "<text x=\"" << g(X(P.Batch), 6) << "\" y=\"" << g(Y0 + 20 + PlotH + 16, 6)
         << "\" text-anchor=\"middle\">" << P.Batch << "</text>\n";
    OS << "<text x=\"" << g(Left + PlotW / 2) << "\" y=\"" << g(Y0 + 20 + PlotH + 34)
       << "\" text-anchor=\"middle\" fill=\"#555\">batch size (inferences per batch"
       << (Log ? ", log scale" : "") << ")</text>\n";
    std::string Pts;
    for (const SweepPoint &P : S.Points)
      if (auto V = Se.Get(P))
        Pts += (Pts.empty() ? "" : " ") + g(X(P.Batch), 6) + "," + g(Y(*V), 6);
    // The throughput panel also draws the compute ceiling, dashed.
    std::string Ceil;
    if (I == 0)
      for (const SweepPoint &P : S.Points)
        if (P.ComputeCeiling)
          Ceil += (Ceil.empty() ? "" : " ") + g(X(P.Batch), 6) + "," + g(Y(*P.ComputeCeiling), 6);
    if (!Ceil.empty())
      OS << "<polyline class=\"compute-ceiling\" points=\"" << Ceil
         << "\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\">"
            "<title>compute ceiling</title></polyline>\n";
    if (!Pts.empty())
      OS << "<polyline points=\"" << Pts
         << "\" fill=\"none\" stroke=\"#444\" stroke-width=\"1.5\"/>\n";
    for (const SweepPoint &P : S.Points)
      if (auto V = Se.Get(P)) {
        std::string Text = Se.K == Bytes     ? sweepBytesText(*V)
                           : Se.K == Seconds ? secondsText(*V)
                                             : g(*V, 6) + " inferences/s";
        OS << "<circle class=\"" << (P.Bound == "?" ? "unknown" : P.Bound) << "-bound\" cx=\""
           << g(X(P.Batch), 6) << "\" cy=\"" << g(Y(*V), 6) << "\" r=\"4.5\" fill=\""
           << BoundColour(P) << "\"><title>batch " << P.Batch << ": " << escapeMarkup(Text) << ", "
           << escapeMarkup(P.Bound == "?" ? "bound unknown" : P.Bound + "-bound")
           << "</title></circle>\n";
      }
    OS << "</g>\n";
  }
  OS << "</svg>\n";
}

} // namespace opaudit
