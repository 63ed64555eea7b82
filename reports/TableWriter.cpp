// The console table: one aligned row per node, then the totals. Cells are
// made printable (control characters escaped) so that a hostile node name
// cannot break the layout; long names keep their informative tail.
#include "reports/Report.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

namespace opaudit {

namespace {
std::string printable(llvm::StringRef S, size_t Max) {
  std::string R;
  for (char C : S) {
    if (C == '\n')
      R += "\\n";
    else if (C == '\t')
      R += "\\t";
    else if (static_cast<unsigned char>(C) < 0x20 || C == 0x7f)
      R += '?';
    else
      R += C;
  }
  if (R.size() > Max)
    R = "..." + R.substr(R.size() - (Max - 3));
  return R;
}

std::string shapeText(const LayerRow &L) {
  if (L.Outputs.empty())
    return "";
  const OutputInfo &O = L.Outputs.front();
  std::string S;
  if (!O.Dims) {
    S = "?";
  } else if (O.Dims->empty()) {
    S = "scalar";
  } else {
    for (size_t I = 0; I < O.Dims->size(); ++I) {
      const std::string &D = (*O.Dims)[I];
      bool Atom = llvm::all_of(
          D, [](char C) { return isalnum(static_cast<unsigned char>(C)) || C == '_' || C == '?'; });
      S += (I ? "x" : "") + (Atom ? D : "(" + D + ")");
    }
  }
  if (L.Outputs.size() > 1)
    S += " +" + std::to_string(L.Outputs.size() - 1);
  return S;
}

std::string macsText(const LayerRow &L) {
  if (!L.MacClass)
    return "-";
  if (L.Macs)
    return groupDigits(*L.Macs);
  if (!L.MacsExpr.empty())
    return L.MacsExpr;
  if (L.MacsMin && L.MacsMax)
    return groupDigits(*L.MacsMin) + ".." + groupDigits(*L.MacsMax);
  if (!L.MacsMinExpr.empty() && !L.MacsMaxExpr.empty())
    return L.MacsMinExpr + ".." + L.MacsMaxExpr;
  return "?";
}
} // namespace

void writeTable(const Report &R, llvm::raw_ostream &OS) {
  OS << "model:    " << printable(R.Path, 200) << "\n";
  OS << "producer: " << printable(R.Producer.empty() ? "(none)" : R.Producer, 80) << "\n";
  OS << "opsets:   ";
  for (size_t I = 0; I < R.Opsets.size(); ++I)
    OS << (I ? ", " : "") << printable(R.Opsets[I].first, 40) << " " << R.Opsets[I].second;
  OS << "\nnodes:    " << R.NumNodes << "\n";
  if (!R.Dims.empty()) {
    OS << "dims:     ";
    for (size_t I = 0; I < R.Dims.size(); ++I)
      OS << (I ? ", " : "") << printable(R.Dims[I].first, 40) << "=" << R.Dims[I].second;
    OS << "\n";
  }
  OS << "\n";

  std::vector<std::vector<std::string>> Cells;
  Cells.push_back({"layer", "op", "output shape", "MACs", "%MACs", "params", "weight bytes"});
  for (const LayerRow &L : R.Rows) {
    std::string Share = L.MacShare ? llvm::formatv("{0:f1}", *L.MacShare * 100).str() : "";
    std::string Params = L.Params || !L.Shared ? groupDigits(L.Params) : "0";
    if (L.SharedParams)
      Params += " (+" + groupDigits(L.SharedParams) + " shared)";
    std::string Op = L.Domain.empty() ? L.OpType : L.Domain + "::" + L.OpType;
    // A subgraph row sits under its control-flow row, indented, with its graph path.
    std::string Name = L.Depth ? std::string(2 * L.Depth, ' ') + "[" + printable(L.Graph, 60) +
                                     (L.Role == "runs" ? "" : ", " + L.Role) + "] " +
                                     printable(L.Name, 48)
                               : printable(L.Name, 48);
    Cells.push_back({Name, printable(Op, 32), printable(shapeText(L), 40), macsText(L), Share,
                     Params, groupDigits(L.WeightBytes)});
    if (!R.Convention.empty()) // --convention: an ops column after %MACs
      Cells.back().insert(Cells.back().begin() + 5, L.Ops               ? groupDigits(*L.Ops)
                                                    : L.OpsExpr.empty() ? "?"
                                                                        : L.OpsExpr);
  }
  std::string TotalMacs = R.TotalMacs                ? groupDigits(*R.TotalMacs)
                          : !R.TotalMacsExpr.empty() ? R.TotalMacsExpr
                          : R.TotalMacsMin && R.TotalMacsMax
                              ? groupDigits(*R.TotalMacsMin) + ".." + groupDigits(*R.TotalMacsMax)
                          : R.TotalMacsKnown ? ">= " + groupDigits(*R.TotalMacsKnown)
                                             : "?";
  Cells.push_back({"TOTAL", "", "", TotalMacs, R.TotalMacs ? "100.0" : "",
                   groupDigits(R.TotalParams), groupDigits(R.TotalWeightBytes)});
  if (!R.Convention.empty()) {
    Cells.front().insert(Cells.front().begin() + 5, "ops");
    Cells.back().insert(Cells.back().begin() + 5, R.TotalOps ? groupDigits(*R.TotalOps)
                                                  : R.TotalOpsExpr.empty() ? "?"
                                                                           : R.TotalOpsExpr);
  }
  const size_t NCols = Cells.front().size();
  std::vector<size_t> W(NCols);
  for (const auto &Row : Cells)
    for (size_t I = 0; I < NCols; ++I)
      W[I] = std::max(W[I], Row[I].size());
  // Colour only on a terminal (raw_ostream::has_colors is false for pipes and
  // files): the header and TOTAL in bold, unknown cells in yellow.
  const bool Color = OS.has_colors();
  auto Emit = [&](const std::vector<std::string> &Row, bool Bold) {
    if (Color && Bold)
      OS.changeColor(llvm::raw_ostream::SAVEDCOLOR, /*Bold=*/true);
    for (size_t I = 0; I < NCols; ++I) {
      bool Right = I >= 3;
      if (I)
        OS << "  ";
      if (Right && Color && !Bold && Row[I] == "?") {
        OS.indent(W[I] - 1);
        OS.changeColor(llvm::raw_ostream::YELLOW) << "?";
        OS.resetColor();
      } else if (Right)
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
  for (size_t I = 0; I < Cells.size(); ++I) {
    if (I + 1 == Cells.size() || I == 1)
      OS << std::string(Width - 2, '-') << "\n";
    Emit(Cells[I], I == 0 || I + 1 == Cells.size());
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
  if (R.Traffic)
    writeTrafficSection(R, OS);
  if (!R.Convention.empty()) {
    OS << "ops:         ";
    if (R.TotalOps)
      OS << humanCount(static_cast<double>(*R.TotalOps)) << " (" << groupDigits(*R.TotalOps)
         << ") under convention '" << printable(R.Convention, 60) << "'\n";
    else if (!R.TotalOpsExpr.empty())
      OS << R.TotalOpsExpr << " under convention '" << printable(R.Convention, 60) << "'\n";
    else
      OS << "? under convention '" << printable(R.Convention, 60) << "' (" << R.UnknownOpsRows
         << " layer(s) unknown; see diagnostics)\n";
    for (const auto &[P, V] : R.OpsByPrecision)
      OS << "             " << P << ": " << V << "\n";
    OS << "ops mean:    " << printable(R.ConventionMeaning, 400) << "\n";
  }
}

} // namespace opaudit
