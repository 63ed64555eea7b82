// The console table: one aligned row per presented row (every layer in
// topological order by default; --top, --group-by, --sort and --hide-trivial
// through the same view as every other format), the analysis columns the
// options asked for, then the totals. Cells are made printable (control
// characters escaped) so that a hostile node name cannot break the layout;
// long names keep their informative tail.
#include "reports/Presentation.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

namespace opaudit {

namespace {
std::string printable(llvm::StringRef S, size_t Max) {
  auto Control = [](char C) { return static_cast<unsigned char>(C) < 0x20 || C == 0x7f; };
  // Every cell of every row goes through here twice (sizing, then printing):
  // names without a control character, nearly all of them, are copied whole.
  if (llvm::none_of(S, Control))
    return S.size() > Max ? "..." + S.take_back(Max - 3).str() : S.str();
  std::string R;
  R.reserve(S.size() + 8);
  for (char C : S) {
    if (C == '\n')
      R += "\\n";
    else if (C == '\t')
      R += "\\t";
    else if (Control(C))
      R += '?';
    else
      R += C;
  }
  if (R.size() > Max)
    R = "..." + R.substr(R.size() - (Max - 3));
  return R;
}
} // namespace

void writeTable(const Report &R, llvm::raw_ostream &OS) {
  View V = present(R);
  OS << "model:    " << printable(R.Path, 200) << "\n";
  OS << "producer: " << printable(R.Producer.empty() ? "(none)" : R.Producer, 80) << "\n";
  OS << "opsets:   ";
  for (size_t I = 0; I < R.Opsets.size(); ++I)
    OS << (I ? ", " : "") << printable(R.Opsets[I].first, 40) << " " << R.Opsets[I].second;
  OS << "\nnodes:    " << R.NumNodes << "\n";
  for (const ReportInput &In : R.Inputs)
    OS << "input:    " << printable(inputText(In), 200) << "\n";
  if (!R.Dims.empty()) {
    OS << "dims:     ";
    for (size_t I = 0; I < R.Dims.size(); ++I)
      OS << (I ? ", " : "") << printable(R.Dims[I].first, 40) << "=" << R.Dims[I].second;
    OS << "\n";
  }
  OS << "\n";

  const bool Layers = R.View.Group == GroupBy::None;
  // The cells are made twice, once to size the columns and once to print them,
  // so that no more than one row's cells are held: on a graph of a million
  // nodes every cell held at once would cost as much as the report itself.
  const size_t NCols = 7 + V.Columns.size();
  using Cells = llvm::SmallVector<std::string, 12>;
  auto Heading = [&](Cells &C) {
    C.assign({V.Heading, Layers ? "op" : "layers", Layers ? "output shape" : "", "MACs", "%MACs",
              "params", "weight bytes"});
    for (const ViewColumn &Col : V.Columns)
      C.push_back(Col.Title);
  };
  // Output dims are interned in the report's text (ReportText::internDims):
  // rows of one shape share their dims' address, so each distinct shape is
  // formatted once rather than twice per row.
  llvm::DenseMap<std::pair<const void *, uint64_t>, std::string> Shapes;
  auto Shape = [&](const LayerRow &L) -> const std::string & {
    const OutputInfo *O = L.Outputs.empty() ? nullptr : &L.Outputs.front();
    const void *Dims = O && O->Dims ? static_cast<const void *>(O->Dims->data()) : nullptr;
    uint64_t Rest = (uint64_t(O && O->Dims ? O->Dims->size() : 0) << 33) |
                    (uint64_t(O && O->Dims) << 32) | uint64_t(L.Outputs.size());
    auto [It, New] = Shapes.try_emplace({Dims, Rest});
    if (New)
      It->second = printable(shapeText(L), 40);
    return It->second;
  };
  auto Row = [&](Cells &C, const ViewRow &Row, std::string Macs) {
    auto S = Row.share(V.Total);
    std::string Share = S ? llvm::formatv("{0:f1}", *S * 100).str() : "";
    bool Shared = Row.Source && Row.Source->Shared;
    std::string Params = Row.Params || !Shared ? groupDigits(Row.Params) : "0";
    if (Row.SharedParams)
      Params += " (+" + groupDigits(Row.SharedParams) + " shared)";
    C.assign({printable(Row.Label, Row.Depth ? 48 + 2 * Row.Depth + 64 : 48),
              Layers ? printable(Row.OpType, 32) : std::to_string(Row.Layers),
              Row.Source ? Shape(*Row.Source) : "", std::move(Macs), std::move(Share),
              std::move(Params), groupDigits(Row.WeightBytes)});
    for (size_t I = 0; I < V.Columns.size(); ++I)
      C.push_back(printable(V.cell(Row, I).Text, 60));
  };
  std::string TotalMacs = V.Total.macs()             ? groupDigits(*V.Total.macs())
                          : !V.TotalMacsExpr.empty() ? V.TotalMacsExpr
                          : R.TotalMacsMin && R.TotalMacsMax
                              ? groupDigits(*R.TotalMacsMin) + ".." + groupDigits(*R.TotalMacsMax)
                          : R.TotalMacsKnown ? ">= " + groupDigits(*R.TotalMacsKnown)
                                             : "?";
  auto TotalRow = [&](Cells &C) {
    Row(C, V.Total, TotalMacs);
    C[1] = Layers ? "" : std::to_string(V.Total.Layers);
  };
  // Cells of line I: the heading, the rows, then the totals.
  const size_t NLines = V.Rows.size() + 2;
  auto Line = [&](Cells &C, size_t I) {
    if (I == 0)
      Heading(C);
    else if (I + 1 == NLines)
      TotalRow(C);
    else
      Row(C, V.Rows[I - 1], printable(V.Rows[I - 1].macsText(), 200));
  };
  std::vector<size_t> W(NCols);
  Cells C;
  for (size_t I = 0; I < NLines; ++I) {
    Line(C, I);
    for (size_t J = 0; J < NCols; ++J)
      W[J] = std::max(W[J], C[J].size());
  }
  // Colour only on a terminal (raw_ostream::has_colors is false for pipes and
  // files): the header and TOTAL in bold, unknown cells in yellow.
  const bool Color = OS.has_colors();
  auto Right = [&](size_t I) {
    return I >= 3 ? (I < 7 || V.Columns[I - 7].Numeric) : (I == 1 && !Layers);
  };
  auto Emit = [&](const Cells &Row, bool Bold) {
    if (Color && Bold)
      OS.changeColor(llvm::raw_ostream::SAVEDCOLOR, /*Bold=*/true);
    for (size_t I = 0; I < NCols; ++I) {
      if (I)
        OS << "  ";
      if (Right(I) && Color && !Bold && Row[I] == "?") {
        OS.indent(W[I] - 1);
        OS.changeColor(llvm::raw_ostream::YELLOW) << "?";
        OS.resetColor();
      } else if (Right(I))
        OS.indent(W[I] - Row[I].size()) << Row[I];
      else if (I == NCols - 1)
        OS << Row[I];
      else
        OS << Row[I], OS.indent(W[I] - Row[I].size());
    }
    if (Color && Bold)
      OS.resetColor();
    OS << "\n";
  };
  size_t Width = 0;
  for (size_t X : W)
    Width += X + 2;
  for (size_t I = 0; I < NLines; ++I) {
    if (I + 1 == NLines || I == 1)
      OS << std::string(Width - 2, '-') << "\n";
    Line(C, I);
    Emit(C, I == 0 || I + 1 == NLines);
  }
  OS << "\n";
  if (R.TotalMacs)
    OS << "MACs:        " << humanCount(static_cast<double>(*R.TotalMacs)) << " ("
       << groupDigits(*R.TotalMacs) << ")\n";
  else if (!R.TotalMacsExpr.empty())
    OS << "MACs:        " << R.TotalMacsExpr << "\n";
  else if (R.TotalMacsMin && R.TotalMacsMax)
    OS << "MACs:        " << groupDigits(*R.TotalMacsMin) << ".." << groupDigits(*R.TotalMacsMax)
       << " (a range: an If's condition depends on the data; choose with --branch)\n";
  else if (R.TotalMacsKnown)
    OS << "MACs:        ? (at least " << groupDigits(*R.TotalMacsKnown) << " counted; "
       << R.UnknownMacRows << " layer(s) unknown; see diagnostics)\n";
  else
    OS << "MACs:        ? (" << R.UnknownMacRows << " layer(s) unknown; see diagnostics)\n";
  OS << "params:      " << humanCount(static_cast<double>(R.TotalParams)) << " ("
     << groupDigits(R.TotalParams) << ")\n";
  OS << "weights:     " << humanCount(static_cast<double>(R.TotalWeightBytes)) << "B ("
     << groupDigits(R.TotalWeightBytes) << " bytes at stored dtypes)\n";
  OS << "coverage:    " << coverageText(R) << "\n";
  OS << "convention:  MACs = multiply-accumulates of Conv, ConvTranspose, Gemm, MatMul, Einsum\n"
        "             and recurrent cells, 1 per MAC; other layers show '-'\n";
  if (V.TrivialLayers)
    OS << "hidden:      " << V.TrivialLayers
       << " layer(s) whose every figure is zero, folded into [other] (--hide-trivial)\n";
  if (R.Traffic)
    writeTrafficSection(R, V, OS);
  if (!R.Convention.empty()) {
    OS << "ops:         ";
    if (auto O = V.Total.sums().Ops.value())
      OS << humanCount(static_cast<double>(*O)) << " (" << groupDigits(*O) << ") under convention '"
         << printable(R.Convention, 60) << "'\n";
    else if (!V.TotalOpsExpr.empty())
      OS << V.TotalOpsExpr << " under convention '" << printable(R.Convention, 60) << "'\n";
    else
      OS << "? under convention '" << printable(R.Convention, 60) << "' (" << R.UnknownOpsRows
         << " layer(s) unknown; see diagnostics)\n";
    for (const auto &[P, Val] : R.OpsByPrecision)
      OS << "             " << P << ": " << Val << "\n";
    OS << "ops mean:    " << printable(R.ConventionMeaning, 400) << "\n";
  }
}

} // namespace opaudit
