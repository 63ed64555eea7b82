// The Markdown writer: a short header, one GitHub-flavoured table of the
// presented rows, and a totals line that is the sum of the rows. Cells are
// escaped for Markdown *and* for the HTML that Markdown renderers pass
// through: `<`, `>`, `&` become entities, Markdown punctuation gets a
// backslash, `|` cannot end a cell, and a newline in a name shows as `\n`.
#include "reports/Presentation.h"

#include "llvm/Support/FormatVariadic.h"

namespace opaudit {

namespace {
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
      R += "\\\\n";
      break;
    case '\r':
      R += "\\\\r";
      break;
    case '\t':
      R += ' ';
      break;
    case '\\':
    case '`':
    case '*':
    case '_':
    case '[':
    case ']':
    case '(':
    case ')':
    case '#':
    case '|':
    case '!':
    case '~':
    case '"':
      R += '\\';
      R += C;
      break;
    default:
      R += static_cast<unsigned char>(C) < 0x20 ? '?' : C;
    }
  }
  return R;
}

std::string percent(std::optional<double> S) {
  return S ? llvm::formatv("{0:f1}", *S * 100).str() : "";
}
} // namespace

void writeMarkdown(const Report &R, llvm::raw_ostream &OS) {
  View V = present(R);
  OS << "# opaudit: " << md(R.Path) << "\n\n";
  OS << "- producer: " << (R.Producer.empty() ? "(none)" : md(R.Producer)) << "\n";
  OS << "- opsets: ";
  for (size_t I = 0; I < R.Opsets.size(); ++I)
    OS << (I ? ", " : "") << md(R.Opsets[I].first) << " " << R.Opsets[I].second;
  OS << "\n- nodes: " << R.NumNodes << "\n";
  if (!R.Dims.empty()) {
    OS << "- dims: ";
    for (size_t I = 0; I < R.Dims.size(); ++I)
      OS << (I ? ", " : "") << md(R.Dims[I].first) << "=" << R.Dims[I].second;
    OS << "\n";
  }
  for (const ReportInput &In : R.Inputs)
    OS << "- input: " << md(inputText(In)) << "\n";
  for (const std::string &L : conditionLines(R))
    OS << "- " << md(L) << "\n";
  OS << "\n";
  bool Layers = R.View.Group == GroupBy::None;
  OS << "| " << V.Heading << " | " << (Layers ? "op | output shape" : "layers")
     << " | MACs | %MACs | params | weight bytes |";
  for (const ViewColumn &C : V.Columns)
    OS << " " << C.Title << " |";
  OS << "\n| --- | " << (Layers ? "--- | --- " : "---: ") << "| ---: | ---: | ---: | ---: |";
  for (const ViewColumn &C : V.Columns)
    OS << (C.Numeric ? " ---: |" : " --- |");
  OS << "\n";
  auto Emit = [&](const ViewRow &Row, bool Bold, const std::string &Macs) {
    std::string B = Bold ? "**" : "";
    OS << "| " << B << md(Row.Label) << B << " | ";
    if (Layers)
      OS << md(Row.OpType) << " | " << md(Row.Source ? shapeText(*Row.Source) : "") << " | ";
    else
      OS << Row.Layers << " | ";
    OS << md(Macs) << " | " << percent(Row.share(V.Total)) << " | " << groupDigits(Row.Params)
       << " | " << groupDigits(Row.WeightBytes) << " |";
    for (size_t I = 0; I < V.Columns.size(); ++I)
      OS << " " << md(V.cell(Row, I).Text) << " |";
    OS << "\n";
  };
  for (const ViewRow &Row : V.Rows)
    Emit(Row, false, Row.macsText());
  // A symbolic total shows its formula: still the sum of the rows, just not a number yet.
  Emit(V.Total, true,
       V.Total.macs() || V.TotalMacsExpr.empty() ? V.Total.macsText() : V.TotalMacsExpr);
  OS << "\n";
  if (auto M = V.Total.macs())
    OS << "**MACs** " << humanCount(static_cast<double>(*M)) << " (" << groupDigits(*M) << ")";
  else if (!V.TotalMacsExpr.empty())
    OS << "**MACs** " << md(V.TotalMacsExpr);
  else if (R.TotalMacsMin && R.TotalMacsMax)
    OS << "**MACs** " << groupDigits(*R.TotalMacsMin) << ".." << groupDigits(*R.TotalMacsMax)
       << " (an If's condition depends on the data)";
  else
    OS << "**MACs** ? (" << V.Total.UnknownMacLayers << " layer(s) unknown)";
  OS << " · **params** " << humanCount(static_cast<double>(V.Total.Params)) << " ("
     << groupDigits(V.Total.Params) << ") · **weights** " << humanBytes(V.Total.WeightBytes) << " ("
     << groupDigits(V.Total.WeightBytes) << " bytes)\n";
  OS << "\n**coverage** " << md(coverageText(R)) << "\n";
  for (const std::string &L : summaryLines(R, V))
    OS << "\n" << md(L) << "\n";
  if (!R.Diags.empty())
    OS << "\n" << R.Diags.size() << " diagnostic(s); `--format json` lists them.\n";
}

} // namespace opaudit
