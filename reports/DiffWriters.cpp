// Writers of `opaudit diff` (reports/Diff.h): an aligned table for a
// terminal, JSON for scripts, Markdown for a pull-request comment, and one
// self-contained HTML page with both graphs coloured by delta. They only
// serialize the DiffReport; each owns its escaping.
#include "reports/Diff.h"
#include "reports/Escape.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

namespace opaudit {

namespace {
using Kind = DiffFigure::Kind;

constexpr DiffMetric kAll[] = {DiffMetric::Macs, DiffMetric::Params,  DiffMetric::WeightBytes,
                               DiffMetric::Ops,  DiffMetric::Traffic, DiffMetric::Latency};

llvm::StringRef metricTitle(DiffMetric M) {
  static const llvm::StringRef T[] = {"MACs", "params",         "weight bytes",
                                      "ops",  "off-chip bytes", "time"};
  return T[static_cast<size_t>(M)];
}

/// A delta with its sign: "+1,234", "-5", "0", "+1..+9", a formula, "?", "-".
std::string deltaText(const DiffFigure &F) {
  auto Signed = [](int64_t V) { return (V > 0 ? "+" : "") + groupDigits(V); };
  if (F.K == Kind::Exact)
    return Signed(F.Lo);
  if (F.K == Kind::Range)
    return Signed(F.Lo) + ".." + Signed(F.Hi);
  return F.text();
}

std::string secondsOr(std::optional<double> S, bool Has) {
  if (!Has)
    return "-";
  return S ? secondsText(*S) : "?";
}

std::string deltaSeconds(const DiffCell &C) {
  if (!C.DeltaSeconds)
    return "?";
  double D = *C.DeltaSeconds;
  if (D == 0)
    return "0";
  return (D > 0 ? "+" : "-") + secondsText(std::abs(D));
}

/// Old, new and delta of a cell as text.
struct CellText {
  std::string Old, New, Delta, Change;
};

CellText cellText(const DiffCell &C, DiffMetric M) {
  CellText T;
  if (M == DiffMetric::Latency) {
    T.Old = secondsOr(C.OldSeconds, C.OldHas);
    T.New = secondsOr(C.NewSeconds, C.NewHas);
    T.Delta = deltaSeconds(C);
    if (C.DeltaSeconds && C.OldSeconds && *C.OldSeconds > 0)
      T.Change = llvm::formatv("{0}{1:f1}%", *C.DeltaSeconds >= 0 ? "+" : "",
                               *C.DeltaSeconds / *C.OldSeconds * 100)
                     .str();
    return T;
  }
  T.Old = C.Old.text();
  T.New = C.New.text();
  T.Delta = deltaText(C.Delta);
  if (C.Delta.K == Kind::Exact && C.Old.K == Kind::Exact && C.Old.Lo != 0)
    T.Change = llvm::formatv("{0}{1:f1}%", C.Delta.Lo >= 0 ? "+" : "",
                             double(C.Delta.Lo) / double(C.Old.Lo) * 100)
                   .str();
  return T;
}

std::string rowShape(const DiffRow &R) {
  if (R.OldShape.empty() || R.OldShape == R.NewShape)
    return R.NewShape.empty() ? R.OldShape : R.NewShape;
  if (R.NewShape.empty())
    return R.OldShape;
  return R.OldShape + " -> " + R.NewShape;
}

std::string rowName(const DiffRow &R) {
  if (R.MatchedBy == "structure" && R.OldName != R.NewName)
    return R.OldName + " -> " + R.NewName;
  return R.name();
}

bool shown(const DiffReport &D, const DiffRow &R) {
  return D.ShowUnchanged || R.St != DiffRow::Status::Unchanged;
}

std::string matchingLine(const DiffReport &D) {
  return llvm::formatv("{0} matched ({1} by name, {2} by structure): {3} changed, {4} unchanged; "
                       "{5} added, {6} removed",
                       D.ByName + D.ByStructure, D.ByName, D.ByStructure, D.Changed, D.Unchanged,
                       D.Added, D.Removed)
      .str();
}

/// The per-layer columns: status, layer, op, shape, MACs old/new, then one delta per metric.
std::vector<std::string> layerHeader(const DiffReport &D) {
  std::vector<std::string> H = {"status", "layer", "op", "output shape", "MACs old", "MACs new"};
  for (DiffMetric M : kAll)
    if (D.has(M))
      H.push_back("\xce\x94" + metricTitle(M).str()); // U+0394 GREEK CAPITAL LETTER DELTA
  return H;
}

std::vector<std::string> layerCells(const DiffReport &D, const DiffRow &R) {
  std::vector<std::string> C = {diffStatusName(R.St).str(),
                                rowName(R),
                                R.OpType,
                                rowShape(R),
                                R.cell(DiffMetric::Macs).Old.text(),
                                R.cell(DiffMetric::Macs).New.text()};
  for (DiffMetric M : kAll)
    if (D.has(M))
      C.push_back(cellText(R.cell(M), M).Delta);
  return C;
}

std::vector<std::string> totalCells(const DiffReport &D) {
  std::vector<std::string> C = {"TOTAL",
                                "",
                                "",
                                "",
                                D.total(DiffMetric::Macs).Old.text(),
                                D.total(DiffMetric::Macs).New.text()};
  for (DiffMetric M : kAll)
    if (D.has(M))
      C.push_back(cellText(D.total(M), M).Delta);
  return C;
}

/// Display width of UTF-8 text (the delta sign is two bytes, one column).
size_t width(llvm::StringRef S) {
  size_t W = 0;
  for (char C : S)
    W += (static_cast<unsigned char>(C) & 0xC0) != 0x80;
  return W;
}

void writeAligned(const std::vector<std::vector<std::string>> &Rows, size_t FirstNumeric,
                  llvm::raw_ostream &OS, size_t RuleAfter) {
  std::vector<size_t> W;
  for (const auto &R : Rows)
    for (size_t I = 0; I < R.size(); ++I) {
      if (W.size() <= I)
        W.push_back(0);
      W[I] = std::max(W[I], width(R[I]));
    }
  size_t Total = 0;
  for (size_t X : W)
    Total += X + 2;
  for (size_t K = 0; K < Rows.size(); ++K) {
    const auto &R = Rows[K];
    std::string Line;
    for (size_t I = 0; I < R.size(); ++I) {
      std::string Pad(W[I] - width(R[I]), ' ');
      Line += (I ? "  " : "") + (I >= FirstNumeric ? Pad + R[I] : R[I] + Pad);
    }
    OS << llvm::StringRef(Line).rtrim() << "\n";
    if (K == 0 || K + 1 == RuleAfter)
      OS << std::string(Total - 2, '-') << "\n";
  }
}

void writeSummaryTable(const DiffReport &D, llvm::raw_ostream &OS) {
  std::vector<std::vector<std::string>> Rows = {{"metric", "old", "new", "delta", "change"}};
  for (DiffMetric M : kAll)
    if (D.has(M)) {
      CellText T = cellText(D.total(M), M);
      Rows.push_back({metricTitle(M).str(), T.Old, T.New, T.Delta, T.Change});
    }
  writeAligned(Rows, 1, OS, 0);
}

std::string conditionsLine(const DiffReport &D) {
  std::string S;
  if (D.has(DiffMetric::Ops))
    S += "ops under convention '" + D.Convention + "'";
  if (D.has(DiffMetric::Traffic))
    S += std::string(S.empty() ? "" : "; ") + "off-chip bytes per batch";
  if (D.has(DiffMetric::Latency))
    S += std::string(S.empty() ? "" : "; ") + "time on " + D.Hardware +
         " (TOTAL: roofline latency per batch)";
  return S;
}

} // namespace

void writeDiffTable(const DiffReport &D, llvm::raw_ostream &OS) {
  OS << "old:      " << D.OldPath << "\nnew:      " << D.NewPath
     << "\nlayers:   " << matchingLine(D) << "\n";
  if (std::string C = conditionsLine(D); !C.empty())
    OS << "figures:  " << C << "\n";
  OS << "\n";
  std::vector<std::vector<std::string>> Rows = {layerHeader(D)};
  for (const DiffRow &R : D.Rows)
    if (shown(D, R))
      Rows.push_back(layerCells(D, R));
  Rows.push_back(totalCells(D));
  writeAligned(Rows, 4, OS, Rows.size() - 1);
  if (!D.ShowUnchanged && D.Unchanged)
    OS << "(" << D.Unchanged << " unchanged layer(s) not shown; --all shows them)\n";
  OS << "\n";
  writeSummaryTable(D, OS);
  if (!D.Verdicts.empty()) {
    OS << "\n";
    writeBudgetVerdicts(D.Verdicts, OS);
  }
}

namespace {
void figureJson(llvm::json::OStream &J, const DiffCell &C, DiffMetric M) {
  J.objectBegin();
  if (M == DiffMetric::Latency) {
    auto Real = [&](llvm::StringRef K, std::optional<double> V, bool Has) {
      J.attributeBegin(K);
      Has &&V ? J.value(*V) : J.value(nullptr);
      J.attributeEnd();
    };
    Real("old", C.OldSeconds, C.OldHas);
    Real("new", C.NewSeconds, C.NewHas);
    Real("delta", C.DeltaSeconds, true);
    J.objectEnd();
    return;
  }
  auto Fig = [&](llvm::StringRef K, const DiffFigure &F) {
    J.attributeBegin(K);
    F.K == Kind::Exact ? J.value(F.Lo) : J.value(nullptr);
    J.attributeEnd();
    J.attribute((K + "_text").str(), K == "delta" ? deltaText(F) : F.text());
    if (F.K == Kind::Range) {
      J.attribute((K + "_min").str(), F.Lo);
      J.attribute((K + "_max").str(), F.Hi);
    }
  };
  Fig("old", C.Old);
  Fig("new", C.New);
  Fig("delta", C.Delta);
  J.objectEnd();
}
} // namespace

void writeDiffJson(const DiffReport &D, llvm::raw_ostream &OS) {
  llvm::json::OStream J(OS, 2);
  J.objectBegin();
  J.attribute("schema_version", 1);
  J.attribute("old", D.OldPath);
  J.attribute("new", D.NewPath);
  J.attributeArray("metrics", [&] {
    for (DiffMetric M : kAll)
      if (D.has(M))
        J.value(diffMetricName(M));
  });
  if (D.has(DiffMetric::Ops))
    J.attribute("convention", D.Convention);
  if (D.has(DiffMetric::Latency))
    J.attribute("hardware", D.Hardware);
  J.attributeObject("matching", [&] {
    J.attribute("by_name", int64_t(D.ByName));
    J.attribute("by_structure", int64_t(D.ByStructure));
    J.attribute("changed", int64_t(D.Changed));
    J.attribute("unchanged", int64_t(D.Unchanged));
    J.attribute("added", int64_t(D.Added));
    J.attribute("removed", int64_t(D.Removed));
  });
  auto Metrics = [&](const std::array<DiffCell, kNumDiffMetrics> &Cells) {
    for (DiffMetric M : kAll)
      if (D.has(M)) {
        J.attributeBegin(diffMetricName(M));
        figureJson(J, Cells[static_cast<size_t>(M)], M);
        J.attributeEnd();
      }
  };
  J.attributeObject("totals", [&] { Metrics(D.Totals); });
  J.attributeArray("layers", [&] {
    for (const DiffRow &R : D.Rows)
      J.object([&] {
        J.attribute("status", diffStatusName(R.St));
        if (!R.MatchedBy.empty())
          J.attribute("matched_by", R.MatchedBy);
        J.attribute("old_name", R.OldName.empty() ? llvm::json::Value(nullptr) : R.OldName);
        J.attribute("new_name", R.NewName.empty() ? llvm::json::Value(nullptr) : R.NewName);
        J.attribute("op_type", R.OpType);
        J.attribute("old_shape", R.OldShape.empty() ? llvm::json::Value(nullptr) : R.OldShape);
        J.attribute("new_shape", R.NewShape.empty() ? llvm::json::Value(nullptr) : R.NewShape);
        Metrics(R.Cells);
      });
  });
  J.attributeArray("budgets", [&] {
    for (const BudgetVerdict &V : D.Verdicts)
      J.object([&] {
        J.attribute("budget", V.B.Text);
        J.attribute("metric", diffMetricName(V.B.Metric));
        J.attribute("result", V.R == BudgetVerdict::Result::Within     ? "within"
                              : V.R == BudgetVerdict::Result::Exceeded ? "exceeded"
                                                                       : "unknown");
        J.attribute("message", V.Message);
      });
  });
  J.objectEnd();
  OS << "\n";
}

namespace {
/// Escaped for Markdown and for the HTML Markdown renderers pass through.
std::string md(llvm::StringRef S) {
  std::string R;
  for (char C : S) {
    switch (C) {
    case '<':
      R += "&lt;";
      break;
    case '>':
      R += "&gt;";
      break;
    case '&':
      R += "&amp;";
      break;
    case '\n':
    case '\r':
      R += ' ';
      break;
    case '|':
    case '\\':
    case '`':
    case '*':
    case '_':
    case '[':
    case ']':
    case '#':
      R += '\\';
      R += C;
      break;
    default:
      R += C;
    }
  }
  return R;
}

/// Text in a Markdown code span: shown literally, so nothing is escaped but
/// the backticks that would end it, and the characters that would end the line.
std::string code(llvm::StringRef S) {
  std::string R = "`";
  for (char C : S)
    R += C == '`' ? '\'' : C == '\n' || C == '\r' ? ' ' : C;
  return R + "`";
}

void mdRow(llvm::raw_ostream &OS, const std::vector<std::string> &Cells, bool Bold = false) {
  OS << "|";
  for (const std::string &C : Cells)
    OS << " " << (Bold && !C.empty() ? "**" + md(C) + "**" : md(C)) << " |";
  OS << "\n";
}
} // namespace

void writeDiffMarkdown(const DiffReport &D, llvm::raw_ostream &OS) {
  OS << "### opaudit diff\n\n"
     << code(D.OldPath) << " \xe2\x86\x92 " << code(D.NewPath) << ": " << md(matchingLine(D))
     << "\n\n";
  if (std::string C = conditionsLine(D); !C.empty())
    OS << md(C) << "\n\n";
  OS << "| metric | old | new | delta | change |\n| --- | ---: | ---: | ---: | ---: |\n";
  for (DiffMetric M : kAll)
    if (D.has(M)) {
      CellText T = cellText(D.total(M), M);
      mdRow(OS, {metricTitle(M).str(), T.Old, T.New, T.Delta, T.Change});
    }
  if (!D.Verdicts.empty()) {
    OS << "\n";
    for (const BudgetVerdict &V : D.Verdicts)
      OS << "- "
         << (V.R == BudgetVerdict::Result::Within     ? "\xe2\x9c\x85"
             : V.R == BudgetVerdict::Result::Exceeded ? "\xe2\x9d\x8c"
                                                      : "\xe2\x9d\x93")
         << " budget " << code(V.B.Text) << ": "
         << (V.R == BudgetVerdict::Result::Within     ? "ok"
             : V.R == BudgetVerdict::Result::Exceeded ? "**exceeded**"
                                                      : "**cannot be checked**")
         << ": " << md(V.Message) << "\n";
  }
  size_t N = 0;
  for (const DiffRow &R : D.Rows)
    N += shown(D, R);
  OS << "\n<details><summary>" << N << " layer(s)"
     << (D.ShowUnchanged ? "" : " changed, added or removed") << "</summary>\n\n";
  std::vector<std::string> H = layerHeader(D);
  mdRow(OS, H);
  OS << "|";
  for (size_t I = 0; I < H.size(); ++I)
    OS << (I >= 4 ? " ---: |" : " --- |");
  OS << "\n";
  for (const DiffRow &R : D.Rows)
    if (shown(D, R))
      mdRow(OS, layerCells(D, R));
  mdRow(OS, totalCells(D), true);
  OS << "\n</details>\n";
}

namespace {
constexpr const char *kDiffStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{padding:12px 20px;background:#263238;color:#fff}header h1{font-size:18px;margin:0}
header p{margin:4px 0 0;color:#cfd8dc}main{padding:16px 20px}
table{border-collapse:collapse;background:#fff;margin:8px 0 16px}
th,td{border:1px solid #ddd;padding:3px 8px;font-variant-numeric:tabular-nums}
th{background:#eceff1;text-align:left}td.n{text-align:right}
tr.added td{background:#fdecea}tr.removed td{background:#e8f0fe}tr.changed td:first-child{font-weight:600}
.up{color:#b71c1c}.down{color:#1b5e20}
.graphs{display:flex;gap:16px;align-items:flex-start}
.graph{flex:1;min-width:0;overflow:auto;max-height:900px;background:#fff;border:1px solid #ddd}
.graph h2{font-size:15px;margin:6px 8px}
.legend span{display:inline-block;padding:2px 8px;margin-right:6px;border:1px solid #999;border-radius:4px}
ul.budgets{padding-left:18px}li.exceeded,li.unknown{color:#b71c1c;font-weight:600}
)";

std::string deltaClass(const std::string &Delta) {
  if (!Delta.empty() && Delta[0] == '+')
    return "n up";
  if (Delta.size() > 1 && Delta[0] == '-')
    return "n down";
  return "n";
}
} // namespace

void writeDiffHtml(const DiffReport &D, llvm::raw_ostream &OS) {
  OS << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
     << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
     << "<title>opaudit diff: " << escapeMarkup(D.OldPath) << " \xe2\x86\x92 "
     << escapeMarkup(D.NewPath) << "</title>\n<style>" << kDiffStyle
     << "</style>\n</head>\n<body>\n<header><h1>" << escapeMarkup(D.OldPath) << " \xe2\x86\x92 "
     << escapeMarkup(D.NewPath) << "</h1><p>" << escapeMarkup(matchingLine(D));
  if (std::string C = conditionsLine(D); !C.empty())
    OS << " &middot; " << escapeMarkup(C);
  OS << "</p></header>\n<main>\n<table id=\"totals\"><thead><tr><th>metric</th><th>old</th>"
     << "<th>new</th><th>delta</th><th>change</th></tr></thead><tbody>\n";
  for (DiffMetric M : kAll)
    if (D.has(M)) {
      CellText T = cellText(D.total(M), M);
      OS << "<tr><td>" << escapeMarkup(metricTitle(M)) << "</td><td class=\"n\">"
         << escapeMarkup(T.Old) << "</td><td class=\"n\">" << escapeMarkup(T.New)
         << "</td><td class=\"" << deltaClass(T.Delta) << "\">" << escapeMarkup(T.Delta)
         << "</td><td class=\"n\">" << escapeMarkup(T.Change) << "</td></tr>\n";
    }
  OS << "</tbody></table>\n";
  if (!D.Verdicts.empty()) {
    OS << "<ul class=\"budgets\">\n";
    for (const BudgetVerdict &V : D.Verdicts) {
      llvm::StringRef C = V.R == BudgetVerdict::Result::Within     ? "within"
                          : V.R == BudgetVerdict::Result::Exceeded ? "exceeded"
                                                                   : "unknown";
      OS << "<li class=\"" << C << "\">budget " << escapeMarkup(V.B.Text) << ": " << C << ": "
         << escapeMarkup(V.Message) << "</li>\n";
    }
    OS << "</ul>\n";
  }
  OS << "<p class=\"legend\">boxes: <span style=\"background:#ff8c8c\">MACs (or weights) "
        "grow</span><span style=\"background:#9be29b\">shrink</span><span "
        "style=\"background:#fff\">unchanged</span><span style=\"background:#ff8c8c;"
        "border:3px solid #c00000\">added (new)</span><span style=\"background:#b3c7ff;"
        "border:2px dashed #0050c0\">removed (old)</span><span style=\"background:#ffedbf\">"
        "other change (shape, ops, traffic, time)</span></p>\n<div class=\"graphs\">\n";
  auto Graph = [&](llvm::StringRef Title, const std::string &Path, const std::string &Svg) {
    OS << "<div class=\"graph\"><h2>" << Title << ": " << escapeMarkup(Path) << "</h2>\n";
    if (Svg.empty()) {
      OS << "<p>(no picture)</p>";
    } else {
      // Graphviz's SVG starts with an XML declaration and a DOCTYPE; inline SVG starts at <svg.
      size_t At = Svg.find("<svg");
      OS << (At == std::string::npos ? "" : Svg.substr(At));
    }
    OS << "</div>\n";
  };
  Graph("old", D.OldPath, D.OldSvg);
  Graph("new", D.NewPath, D.NewSvg);
  OS << "</div>\n<table id=\"layers\"><thead><tr>";
  for (const std::string &H : layerHeader(D))
    OS << "<th>" << escapeMarkup(H) << "</th>";
  OS << "</tr></thead><tbody>\n";
  for (const DiffRow &R : D.Rows) {
    std::vector<std::string> C = layerCells(D, R);
    OS << "<tr class=\"" << diffStatusName(R.St) << "\">";
    for (size_t I = 0; I < C.size(); ++I)
      OS << "<td"
         << (I >= 6   ? " class=\"" + deltaClass(C[I]) + "\""
             : I >= 4 ? " class=\"n\""
                      : "")
         << ">" << escapeMarkup(C[I]) << "</td>";
    OS << "</tr>\n";
  }
  OS << "</tbody><tfoot><tr>";
  for (const std::string &C : totalCells(D))
    OS << "<th>" << escapeMarkup(C) << "</th>";
  OS << "</tr></tfoot></table>\n</main>\n</body>\n</html>\n";
}

} // namespace opaudit
