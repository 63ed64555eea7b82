// The HTML report: one self-contained page that loads nothing from the
// network (no fonts, scripts, styles or images from elsewhere), so it can be
// mailed, archived or opened offline. It holds summary cards, charts drawn as
// inline SVG, the graph picture (Report::GraphSvg, when rendered) and the
// per-layer table of the presentation view, which a few lines of inline
// script make sortable and filterable. Every model-provided string goes
// through escapeMarkup(), so a node named `<script>` is text, never markup.
#include "reports/Escape.h"
#include "reports/Presentation.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

namespace opaudit {

namespace {
/// One summary card: a figure with a caption and a detail line.
struct Card {
  std::string Caption, Value, Detail;
};

/// The summary cards. Figures other analyses add to the Report (ops under a
/// convention, weight traffic per inference, the roofline bound, ...) get a
/// card here, shown only when the Report carries them.
std::vector<Card> summaryCards(const Report &R, const View &V) {
  std::vector<Card> C;
  if (auto M = V.Total.macs())
    C.push_back(
        {"MACs", humanCount(static_cast<double>(*M)), groupDigits(*M) + " multiply-accumulates"});
  else if (!V.TotalMacsExpr.empty())
    C.push_back({"MACs", V.TotalMacsExpr, "symbolic: bind dims with --dim"});
  else
    C.push_back({"MACs", "?", std::to_string(V.Total.UnknownMacLayers) + " layer(s) unknown"});
  C.push_back(
      {"Parameters", humanCount(static_cast<double>(V.Total.Params)), groupDigits(V.Total.Params)});
  C.push_back({"Weights", humanBytes(V.Total.WeightBytes),
               groupDigits(V.Total.WeightBytes) + " bytes at stored dtypes"});
  C.push_back({"Nodes", groupDigits(static_cast<int64_t>(R.NumNodes)),
               std::to_string(R.Diags.size()) + " diagnostic(s)"});
  // Figures that only exist when their options were given (--convention, --batch/--sram, --hw).
  if (!R.Convention.empty()) {
    std::string What = "ops under '" + R.Convention + "'";
    if (R.TotalOps)
      C.push_back({"Ops", humanCount(static_cast<double>(*R.TotalOps)),
                   groupDigits(*R.TotalOps) + " " + What});
    else
      C.push_back({"Ops", R.TotalOpsExpr.empty() ? "?" : R.TotalOpsExpr, What});
  }
  if (R.Traffic) {
    const TrafficInfo &T = *R.Traffic;
    std::string Batch = T.Batch ? "batch " + std::to_string(*T.Batch) : "batch ?";
    if (T.WeightTrafficPerInference)
      C.push_back({"Weight traffic", humanBytes(static_cast<int64_t>(*T.WeightTrafficPerInference)),
                   "per inference at " + Batch + ", " + groupDigits(T.WeightTrafficPerBatch) +
                       " bytes per batch"});
    else
      C.push_back({"Weight traffic", "?", "per inference at " + Batch});
  }
  if (R.Roof && R.Roof->Available) {
    const RooflineInfo &F = *R.Roof;
    if (F.InferencesPerSecond)
      C.push_back({"Roofline bound", llvm::formatv("{0:f1}/s", *F.InferencesPerSecond).str(),
                   std::string(F.MemoryBound ? "memory" : "compute") + "-bound on " + F.Profile +
                       " at " + F.Point.Name + ", 100% MAC utilization"});
    else
      C.push_back({"Roofline bound", "?", "on " + F.Profile});
  }
  return C;
}

/// A horizontal bar chart as inline SVG; bars of unknown length are left out by the callers.
void barChart(llvm::raw_ostream &OS, llvm::StringRef Title,
              const std::vector<std::pair<std::string, double>> &Bars,
              std::string (*Text)(double)) {
  double Max = 0;
  for (const auto &B : Bars)
    Max = std::max(Max, B.second);
  if (Max <= 0)
    Max = 1;
  const int LabelW = 260, BarW = 360, RowH = 20;
  int H = static_cast<int>(Bars.size()) * RowH + 8;
  OS << "<figure class=\"chart\"><figcaption>" << escapeMarkup(Title) << "</figcaption>\n"
     << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << LabelW + BarW + 110
     << "\" height=\"" << H << "\" role=\"img\">\n";
  for (size_t I = 0; I < Bars.size(); ++I) {
    int Y = static_cast<int>(I) * RowH + 4;
    std::string Label = Bars[I].first;
    if (Label.size() > 40)
      Label = "..." + Label.substr(Label.size() - 37);
    double W = Bars[I].second / Max * BarW;
    OS << "<text x=\"" << LabelW - 6 << "\" y=\"" << Y + 13 << "\" text-anchor=\"end\"><title>"
       << escapeMarkup(Bars[I].first) << "</title>" << escapeMarkup(Label) << "</text>";
    OS << llvm::formatv("<rect x=\"{0}\" y=\"{1}\" width=\"{2:f1}\" height=\"{3}\"/>", LabelW, Y,
                        std::max(W, 1.0), RowH - 5);
    OS << "<text x=\"" << LabelW + static_cast<int>(W) + 6 << "\" y=\"" << Y + 13 << "\">"
       << escapeMarkup(Text(Bars[I].second)) << "</text>\n";
  }
  OS << "</svg></figure>\n";
}

std::string countText(double V) { return humanCount(V); }
std::string timeText(double V) { return secondsText(V); }

/// The roofline chart: every layer with a known intensity and time at
/// (MACs per off-chip byte, MACs per second it attains), on log axes, under
/// the bandwidth roof (bandwidth x intensity) and the compute roof (the MAC rate).
void rooflineChart(llvm::raw_ostream &OS, const Report &R, const View &Whole) {
  const RooflineInfo &F = *R.Roof;
  struct Pt {
    std::string Label;
    double X, Y;
    bool Memory;
  };
  std::vector<Pt> Pts;
  for (const ViewRow &Row : Whole.Rows) {
    auto X = Row.intensity();
    auto T = Row.sums().Time.value();
    auto M = Row.sums().BatchMacs.value();
    if (!X || !T || !M || *T <= 0 || *M <= 0 || *X <= 0)
      continue;
    Pts.push_back({Row.Label.str(), *X, static_cast<double>(*M) / *T, Row.bound() == "memory"});
  }
  OS << "<figure class=\"chart\" id=\"roofline\"><figcaption>Roofline: layers by arithmetic "
        "intensity (MACs per off-chip byte) and attained MACs/s on "
     << escapeMarkup(F.Profile) << " at " << escapeMarkup(F.Precision) << "</figcaption>\n";
  if (Pts.empty() || F.MacsPerSecond <= 0 || F.BandwidthBytesPerSecond <= 0) {
    OS << "<p>No layer has both a known intensity and a time.</p></figure>\n";
    return;
  }
  double Ridge = F.MacsPerSecond / F.BandwidthBytesPerSecond; // intensity where the roofs meet
  double XMin = Ridge, XMax = Ridge, YMax = F.MacsPerSecond, YMin = F.MacsPerSecond;
  for (const Pt &P : Pts) {
    XMin = std::min(XMin, P.X), XMax = std::max(XMax, P.X);
    YMin = std::min(YMin, P.Y), YMax = std::max(YMax, P.Y);
  }
  YMin = std::min(YMin, F.BandwidthBytesPerSecond * XMin);
  double LX0 = std::floor(std::log10(XMin)), LX1 = std::ceil(std::log10(XMax)) + (XMax == XMin);
  double LY0 = std::floor(std::log10(YMin)), LY1 = std::ceil(std::log10(YMax * 1.5));
  if (LX1 <= LX0)
    LX1 = LX0 + 1;
  if (LY1 <= LY0)
    LY1 = LY0 + 1;
  const double W = 560, H = 320, L = 70, T = 10, B = 40;
  auto PX = [&](double X) { return L + (std::log10(X) - LX0) / (LX1 - LX0) * W; };
  auto PY = [&](double Y) { return T + H - (std::log10(Y) - LY0) / (LY1 - LY0) * H; };
  OS << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << L + W + 20 << "\" height=\""
     << T + H + B << "\" role=\"img\">\n";
  OS << llvm::formatv("<rect class=\"frame\" x=\"{0}\" y=\"{1}\" width=\"{2}\" height=\"{3}\"/>\n",
                      L, T, W, H);
  for (double E = LX0; E <= LX1; ++E)
    OS << llvm::formatv("<text x=\"{0:f1}\" y=\"{1:f1}\" text-anchor=\"middle\">{2}</text>\n",
                        PX(std::pow(10, E)), T + H + 16, countText(std::pow(10, E)));
  for (double E = LY0; E <= LY1; ++E)
    OS << llvm::formatv("<text x=\"{0:f1}\" y=\"{1:f1}\" text-anchor=\"end\">{2}</text>\n", L - 4,
                        PY(std::pow(10, E)) + 4, countText(std::pow(10, E)));
  OS << llvm::formatv("<text x=\"{0:f1}\" y=\"{1:f1}\" text-anchor=\"middle\">MACs per off-chip "
                      "byte</text>\n",
                      L + W / 2, T + H + 34);
  OS << llvm::formatv("<text x=\"12\" y=\"{0:f1}\" transform=\"rotate(-90 12 {0:f1})\" "
                      "text-anchor=\"middle\">MACs/s</text>\n",
                      T + H / 2);
  // The roofs: bandwidth x intensity up to the ridge, then the MAC rate.
  double X0 = std::pow(10, LX0), X1 = std::pow(10, LX1);
  double RX = std::min(std::max(Ridge, X0), X1);
  OS << llvm::formatv(
      "<polyline class=\"roof\" points=\"{0:f1},{1:f1} {2:f1},{3:f1} {4:f1},{3:f1}\">"
      "<title>roofs: {5} bytes/s, {6} MACs/s</title></polyline>\n",
      PX(X0), PY(std::max(F.BandwidthBytesPerSecond * X0, std::pow(10, LY0))), PX(RX),
      PY(F.MacsPerSecond), PX(X1), countText(F.BandwidthBytesPerSecond),
      countText(F.MacsPerSecond));
  for (const Pt &P : Pts)
    OS << llvm::formatv("<circle class=\"{0}\" cx=\"{1:f1}\" cy=\"{2:f1}\" r=\"3.5\"><title>",
                        P.Memory ? "memory" : "compute", PX(P.X), PY(P.Y))
       << escapeMarkup(P.Label) << ": " << llvm::formatv("{0:f2}", P.X).str() << " MACs/byte, "
       << escapeMarkup(countText(P.Y)) << " MACs/s</title></circle>\n";
  OS << "</svg><p class=\"legend\"><span class=\"dot compute\"></span> compute-bound "
        "<span class=\"dot memory\"></span> memory-bound; the line is the roof: DRAM bandwidth "
        "x intensity, then the MAC rate</p></figure>\n";
}

/// The graph picture without its XML prolog, ready to sit inside HTML.
llvm::StringRef inlineSvg(llvm::StringRef Svg) {
  size_t At = Svg.find("<svg");
  return At == llvm::StringRef::npos ? llvm::StringRef() : Svg.substr(At);
}

const char *kStyle = R"(
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
header{background:#1d2330;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px;word-break:break-all}
header p{margin:4px 0 0;color:#c5cad6;font-size:13px}main{padding:16px 24px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:16px}
.card{background:#fff;border-radius:8px;padding:12px 16px;min-width:170px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.card .c{font-size:12px;text-transform:uppercase;color:#667;letter-spacing:.04em}
.card .v{font-size:26px;font-weight:600}.card .d{font-size:12px;color:#667}
section{background:#fff;border-radius:8px;padding:12px 16px;margin-bottom:16px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h2{font-size:16px;margin:0 0 8px}.charts{display:flex;flex-wrap:wrap;gap:24px}
figure{margin:0}figcaption{font-weight:600;margin-bottom:4px}
.chart svg{font-size:12px}.chart rect{fill:#d9534f}
.graph{overflow:auto;max-height:80vh;border:1px solid #ddd}
input#filter{padding:6px 8px;width:320px;margin-bottom:8px;border:1px solid #bbb;border-radius:4px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:left;white-space:pre-wrap;word-break:break-all}
th{cursor:pointer;background:#eef0f4;position:sticky;top:0;user-select:none}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.other td{font-style:italic}tfoot td{font-weight:600;border-top:2px solid #999}
.diag{font-family:monospace;font-size:12px;white-space:pre-wrap}
#roofline rect.frame{fill:none;stroke:#bbb}#roofline .roof{fill:none;stroke:#1d2330;stroke-width:2}
#roofline circle.compute{fill:#d9534f}#roofline circle.memory{fill:#337ab7}
.dot.compute{background:#d9534f}.dot.memory{background:#337ab7}
.dot{display:inline-block;width:10px;height:10px;border-radius:5px}.legend{font-size:12px;color:#667}
label.toggle{margin-left:16px;font-size:13px}
)";

// Sorting compares numbers by value and text in natural order ("layer2"
// before "layer10"); rows marked trivial (every figure zero) are hidden until
// the toggle shows them, and the filter applies on top of that.
const char *kScript = R"(
(function(){
  var table=document.getElementById('layers'), body=table.tBodies[0];
  var rows=Array.prototype.slice.call(body.rows), dir={};
  var trivial=document.getElementById('trivial'), filter=document.getElementById('filter');
  var natural=new Intl.Collator(undefined,{numeric:true,sensitivity:'base'});
  Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,col){
    th.addEventListener('click',function(){
      var num=th.classList.contains('n'), d=dir[col]=-(dir[col]||(num?1:-1));
      rows.sort(function(a,b){
        var x=a.cells[col].getAttribute('data-v')||a.cells[col].textContent;
        var y=b.cells[col].getAttribute('data-v')||b.cells[col].textContent;
        if(num){x=parseFloat(x);y=parseFloat(y);return x<y?-d:x>y?d:0;}
        return d*natural.compare(x,y);});
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
  function update(){
    var q=filter.value.toLowerCase(), all=trivial&&trivial.checked, shown=0;
    rows.forEach(function(r){
      var ok=(all||!r.classList.contains('trivial'))&&r.textContent.toLowerCase().indexOf(q)>=0;
      r.style.display=ok?'':'none';shown+=ok;});
    document.getElementById('shown').textContent=shown+' of '+rows.length+' rows';
  }
  filter.addEventListener('input',update);
  if(trivial) trivial.addEventListener('change',update);
  update();
})();
)";
} // namespace

void writeHtml(const Report &R, llvm::raw_ostream &OS) {
  View V = present(R);
  OS << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
     << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
     << "<title>opaudit: " << escapeMarkup(R.Path) << "</title>\n<style>" << kStyle << "</style>\n"
     << "</head>\n<body>\n<header><h1>" << escapeMarkup(R.Path) << "</h1><p>producer "
     << escapeMarkup(R.Producer.empty() ? "(none)" : R.Producer) << " &middot; opsets ";
  for (size_t I = 0; I < R.Opsets.size(); ++I)
    OS << (I ? ", " : "") << escapeMarkup(R.Opsets[I].first) << " " << R.Opsets[I].second;
  OS << " &middot; " << R.NumNodes << " nodes";
  for (const auto &[D, Val] : R.Dims)
    OS << " &middot; " << escapeMarkup(D) << "=" << Val;
  for (const ReportInput &In : R.Inputs)
    OS << "<br>input " << escapeMarkup(inputText(In));
  for (const std::string &L : conditionLines(R))
    OS << "<br>" << escapeMarkup(L);
  OS << "</p></header>\n<main>\n<div class=\"cards\">\n";
  for (const Card &C : summaryCards(R, V))
    OS << "<div class=\"card\"><div class=\"c\">" << escapeMarkup(C.Caption)
       << "</div><div class=\"v\">" << escapeMarkup(C.Value) << "</div><div class=\"d\">"
       << escapeMarkup(C.Detail) << "</div></div>\n";
  OS << "</div>\n";

  // Charts: always from the whole model, whatever --top/--group-by chose for the table.
  auto WholeView = [&](GroupBy G, SortBy S) {
    ViewOptions Whole;
    Whole.Group = G;
    Whole.Sort = S;
    return present(R, Whole);
  };
  OS << "<section><h2>Where the MACs are</h2><div class=\"charts\">\n";
  {
    // Known counts only: an unknown bar has no length, and the cards say what is unknown.
    auto Bars = [&](GroupBy G, size_t Max) {
      std::vector<std::pair<std::string, double>> B;
      for (const ViewRow &Row : WholeView(G, SortBy::Macs).Rows)
        if (Row.MacClass && Row.macs() && B.size() < Max)
          B.emplace_back(G == GroupBy::OpType
                             ? Row.Label.str() + " (" + std::to_string(Row.Layers) + ")"
                             : Row.Label.str(),
                         static_cast<double>(*Row.macs()));
      return B;
    };
    auto ByOp = Bars(GroupBy::OpType, 10);
    if (ByOp.empty())
      OS << "<p>No layer has a known MAC count; bind symbolic dims with --dim.</p>\n";
    else {
      barChart(OS, "MACs by op type", ByOp, countText);
      barChart(OS, "Top layers by MACs", Bars(GroupBy::None, 12), countText);
    }
  }
  OS << "</div></section>\n";
  if (V.HasRoof) {
    OS << "<section><h2>Where the time is</h2><div class=\"charts\">\n";
    std::vector<std::pair<std::string, double>> ByOp;
    for (const ViewRow &Row : WholeView(GroupBy::OpType, SortBy::Time).Rows)
      if (auto T = Row.sums().Time.value(); T && *T > 0 && ByOp.size() < 10)
        ByOp.emplace_back(
            Row.Label.str() + " (" + std::to_string(Row.Layers) + ", " + Row.bound() + ")", *T);
    if (ByOp.empty())
      OS << "<p>No layer has a known time.</p>\n";
    else
      barChart(OS, "Time per batch by op type (layers, bound)", ByOp, timeText);
    rooflineChart(OS, R, WholeView(GroupBy::None, SortBy::Order));
    OS << "</div></section>\n";
  }

  llvm::StringRef Svg = inlineSvg(R.GraphSvg);
  if (!Svg.empty())
    OS << "<section><h2>Graph</h2><div class=\"graph\">\n" << Svg << "</div></section>\n";

  bool Layers = R.View.Group == GroupBy::None;
  size_t Trivial = 0;
  for (const ViewRow &Row : V.Rows)
    Trivial += isTrivial(V, Row);
  OS << "<section><h2>Per-" << escapeMarkup(V.Heading) << " figures</h2>\n"
     << "<input id=\"filter\" type=\"search\" placeholder=\"filter rows\"> <span "
        "id=\"shown\"></span>\n";
  if (Trivial)
    OS << "<label class=\"toggle\"><input id=\"trivial\" type=\"checkbox\"> show " << Trivial
       << " trivial row(s) (every figure zero)</label>\n";
  OS << "<table id=\"layers\"><thead><tr><th>" << escapeMarkup(V.Heading) << "</th>"
     << (Layers ? "<th>op</th><th>output shape</th>" : "<th class=\"n\">layers</th>")
     << "<th class=\"n\">MACs</th><th class=\"n\">%MACs</th><th class=\"n\">params</th>"
        "<th class=\"n\">weight bytes</th>";
  for (const ViewColumn &C : V.Columns)
    OS << (C.Numeric ? "<th class=\"n\">" : "<th>") << escapeMarkup(C.Title) << "</th>";
  OS << "</tr></thead>\n<tbody>\n";
  auto Cells = [&](const ViewRow &Row, const std::string &MacsText) {
    auto M = Row.macs();
    std::string MacsV = !Row.MacClass ? "-1" : M ? std::to_string(*M) : "-0.5";
    auto S = Row.share(V.Total);
    OS << "<td class=\"n\" data-v=\"" << MacsV << "\">" << escapeMarkup(MacsText) << "</td>"
       << "<td class=\"n\" data-v=\"" << (S ? llvm::formatv("{0:f6}", *S).str() : "-1") << "\">"
       << (S ? llvm::formatv("{0:f1}", *S * 100).str() : "") << "</td>"
       << "<td class=\"n\" data-v=\"" << Row.Params << "\">" << groupDigits(Row.Params) << "</td>"
       << "<td class=\"n\" data-v=\"" << Row.WeightBytes << "\">" << groupDigits(Row.WeightBytes)
       << "</td>";
    for (size_t I = 0; I < V.Columns.size(); ++I) {
      ViewCell C = V.cell(Row, I);
      if (V.Columns[I].Numeric)
        OS << "<td class=\"n\" data-v=\"" << (C.Sort ? C.Raw : "-1") << "\">"
           << escapeMarkup(C.Text) << "</td>";
      else
        OS << "<td>" << escapeMarkup(C.Text) << "</td>";
    }
  };
  for (const ViewRow &Row : V.Rows) {
    OS << (Row.K == ViewRow::Other ? "<tr class=\"other\">"
           : isTrivial(V, Row)     ? "<tr class=\"trivial\">"
                                   : "<tr>")
       << "<td>" << escapeMarkup(Row.Label) << "</td>";
    if (Layers)
      OS << "<td>" << escapeMarkup(Row.OpType) << "</td><td>"
         << escapeMarkup(Row.Source ? shapeText(*Row.Source) : "") << "</td>";
    else
      OS << "<td class=\"n\" data-v=\"" << Row.Layers << "\">" << Row.Layers << "</td>";
    Cells(Row, Row.macsText());
    OS << "</tr>\n";
  }
  OS << "</tbody>\n<tfoot><tr><td>TOTAL</td>"
     << (Layers ? "<td></td><td></td>"
                : "<td class=\"n\">" + std::to_string(V.Total.Layers) + "</td>");
  Cells(V.Total, V.Total.macs() || V.TotalMacsExpr.empty() ? V.Total.macsText() : V.TotalMacsExpr);
  OS << "</tr></tfoot></table>\n";
  for (const std::string &L : summaryLines(R, V))
    OS << "<p>" << escapeMarkup(L) << "</p>\n";
  OS << "</section>\n";

  if (!R.Diags.empty()) {
    OS << "<section><h2>Diagnostics (" << R.Diags.size() << ")</h2><div class=\"diag\">";
    size_t Shown = 0;
    for (const Diagnostic &D : R.Diags) {
      if (Shown++ == 200) {
        OS << "... " << R.Diags.size() - 200 << " more; --format json lists them all\n";
        break;
      }
      OS << escapeMarkup(D.str()) << "\n";
    }
    OS << "</div></section>\n";
  }
  OS << "<section><h2>Convention</h2><p>MACs are multiply-accumulates of Conv, ConvTranspose, "
        "Gemm, MatMul, Einsum and recurrent cells, one per MAC; other layers show '-'. "
        "'?' is unknown, never zero. Totals are the sum of the rows.</p>\n";
  if (!R.Convention.empty())
    OS << "<p>The ops column counts operations under convention '" << escapeMarkup(R.Convention)
       << "': " << escapeMarkup(R.ConventionMeaning) << " (" << escapeMarkup(R.ConventionSource)
       << ")</p>\n";
  if (R.Cond)
    OS << "<p>Traffic and time: " << escapeMarkup(R.Cond->Convention) << "</p>\n";
  OS << "</section>\n"
     << "</main>\n<script>" << kScript << "</script>\n</body>\n</html>\n";
}

} // namespace opaudit
