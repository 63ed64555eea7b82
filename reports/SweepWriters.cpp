// Writers for the batch sweep. The plot is three stacked panels sharing a
// batch axis (log2 when the batches span a factor of 4 or more), each with a
// linear y axis from 0 and "nice" 1-2-5 ticks. No plotting library: the
// output is a few dozen SVG elements, easy to check with any XML parser.
#include "reports/Report.h"
#include "reports/Sweep.h"

#include "llvm/Support/Format.h"

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

std::string xml(llvm::StringRef S) {
  std::string R;
  for (char C : S) {
    switch (C) {
    case '&':
      R += "&amp;";
      break;
    case '<':
      R += "&lt;";
      break;
    case '>':
      R += "&gt;";
      break;
    case '"':
      R += "&quot;";
      break;
    case '\'':
      R += "&apos;";
      break;
    default:
      // XML 1.0 forbids most control characters even when escaped.
      R += (static_cast<unsigned char>(C) < 0x20 && C != '\t' && C != '\n') ? '?' : C;
    }
  }
  return R;
}

/// Largest 1-2-5 step giving at most 6 ticks from 0 to Max.
double niceStep(double Max) {
  double Raw = Max / 5;
  double P = std::pow(10.0, std::floor(std::log10(Raw)));
  for (double M : {1.0, 2.0, 5.0, 10.0})
    if (M * P >= Raw)
      return M * P;
  return 10 * P;
}
} // namespace

void writeSweepTable(const SweepResult &S, llvm::raw_ostream &OS) {
  OS << "model:      " << S.Model << "\ninput:      " << S.InputShape
     << "\nhardware:   " << S.Hardware << "\nprecision:  " << S.Precision
     << "\noperating:  " << S.OperatingPoint << "\ntraffic:    " << S.Dtypes << "\n\n";
  std::vector<std::vector<std::string>> Cells = {{"batch", "bound", "latency/batch", "inferences/s",
                                                  "at U=" + g(S.Utilization), "compute ceiling",
                                                  "weight bytes/batch", "weight bytes/inference",
                                                  "off-chip bytes/batch", "peak act bytes"}};
  for (const SweepPoint &P : S.Points)
    Cells.push_back(
        {std::to_string(P.Batch), P.Bound, P.LatencySeconds ? secondsText(*P.LatencySeconds) : "?",
         opt(P.InferencesPerSecond, 6), opt(P.InferencesPerSecondAtUtilization, 6),
         opt(P.ComputeCeiling, 6), groupDigits(P.WeightTrafficPerBatch),
         P.WeightTrafficPerInference ? fractionalBytesText(*P.WeightTrafficPerInference) : "?",
         P.OffchipBytesPerBatch ? groupDigits(*P.OffchipBytesPerBatch) : "?",
         P.PeakActivationBytes ? groupDigits(*P.PeakActivationBytes) : "?"});
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
  OS << "\nconvention: inferences/s and latency are roofline upper bounds (latency per batch = "
        "max(compute, memory)); the compute ceiling is batch / compute time, the rate with no "
        "off-chip traffic; see docs/traffic-model.md\n";
}

void writeSweepSvg(const SweepResult &S, llvm::raw_ostream &OS) {
  const double Width = 900, PanelH = 240, Top = 85, Left = 110, Right = 30;
  const double PlotW = Width - Left - Right, PlotH = PanelH - 50;
  double Height = Top + 3 * PanelH + 20;
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
  OS << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
     << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << g(Width) << "\" height=\""
     << g(Height) << "\" viewBox=\"0 0 " << g(Width) << " " << g(Height)
     << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
     << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
     << "<text x=\"" << g(Left) << "\" y=\"24\" font-size=\"15\">" << xml(S.Model) << " on "
     << xml(S.Hardware) << "</text>\n"
     << "<text x=\"" << g(Left) << "\" y=\"44\" fill=\"#555\">input " << xml(S.InputShape)
     << "; precision " << xml(S.Precision) << "; operating point " << xml(S.OperatingPoint)
     << "</text>\n<text x=\"" << g(Left) << "\" y=\"62\" fill=\"#555\">" << xml(S.Dtypes)
     << "</text>\n";
  struct Series {
    const char *Title, *Colour;
    std::function<std::optional<double>(const SweepPoint &)> Get;
  };
  const Series Panels[] = {
      {"inferences/s (upper bound, 100% MAC utilization; dashed: compute ceiling)", "#1f77b4",
       [](const SweepPoint &P) { return P.InferencesPerSecond; }},
      {"latency per batch (s)", "#d62728", [](const SweepPoint &P) { return P.LatencySeconds; }},
      {"weight traffic per inference (bytes)", "#2ca02c",
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
    double Step = Max > 0 ? niceStep(Max) : 1;
    double YMax = Max > 0 ? std::ceil(Max / Step) * Step : 1;
    auto Y = [&](double V) { return Y0 + 20 + PlotH * (1 - V / YMax); };
    OS << "<g>\n<text x=\"" << g(Left) << "\" y=\"" << g(Y0 + 12) << "\" font-weight=\"bold\">"
       << xml(Se.Title) << "</text>\n";
    OS << "<rect x=\"" << g(Left) << "\" y=\"" << g(Y0 + 20) << "\" width=\"" << g(PlotW)
       << "\" height=\"" << g(PlotH) << "\" fill=\"none\" stroke=\"#999\"/>\n";
    for (double T = 0; T <= YMax * (1 + 1e-9); T += Step) {
      OS << "<line x1=\"" << g(Left - 4) << "\" y1=\"" << g(Y(T), 6) << "\" x2=\""
         << g(Left + PlotW) << "\" y2=\"" << g(Y(T), 6) << "\" stroke=\"#eee\"/>\n";
      OS << "<text x=\"" << g(Left - 8) << "\" y=\"" << g(Y(T) + 4, 6) << "\" text-anchor=\"end\">"
         << g(T) << "</text>\n";
    }
    for (const SweepPoint &P : S.Points)
      OS << "<text x=\"" << g(X(P.Batch), 6) << "\" y=\"" << g(Y0 + 20 + PlotH + 16, 6)
         << "\" text-anchor=\"middle\">" << P.Batch << "</text>\n";
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
      OS << "<polyline points=\"" << Ceil
         << "\" fill=\"none\" stroke=\"#888\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\">"
            "<title>compute ceiling</title></polyline>\n";
    if (!Pts.empty())
      OS << "<polyline points=\"" << Pts << "\" fill=\"none\" stroke=\"" << Se.Colour
         << "\" stroke-width=\"2\"/>\n";
    for (const SweepPoint &P : S.Points)
      if (auto V = Se.Get(P))
        OS << "<circle cx=\"" << g(X(P.Batch), 6) << "\" cy=\"" << g(Y(*V), 6)
           << "\" r=\"3.5\" fill=\"" << Se.Colour << "\"><title>batch " << P.Batch << ": "
           << g(*V, 6) << "</title></circle>\n";
    OS << "</g>\n";
  }
  OS << "<text x=\"" << g(Left + PlotW / 2) << "\" y=\"" << g(Height - 4)
     << "\" text-anchor=\"middle\">batch size" << (Log ? " (log scale)" : "") << "</text>\n";
  OS << "</svg>\n";
}

} // namespace opaudit
