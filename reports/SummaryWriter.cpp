// Summary rows from Reports, and the three summary writers. The table marks
// unknown MACs with `?` like the per-model table; a failed model shows
// `failed` and `-` in cells that do not exist for it (they are not unknown).
#include "reports/SummaryWriter.h"

#include "llvm/Support/JSON.h"

#include <array>

namespace opaudit {

ModelSummary summarize(const Report &R) {
  ModelSummary S;
  S.Path = R.Path;
  S.Ok = true;
  S.Nodes = R.NumNodes;
  S.Macs = R.TotalMacs;
  S.MacsExpr = R.TotalMacsExpr;
  S.UnknownMacRows = R.UnknownMacRows;
  S.Params = R.TotalParams;
  S.WeightBytes = R.TotalWeightBytes;
  for (const Diagnostic &D : R.Diags) {
    S.Errors += D.Level == Severity::Error;
    S.Warnings += D.Level == Severity::Warning;
  }
  return S;
}

ModelSummary failedSummary(std::string Path, std::string Error) {
  ModelSummary S;
  S.Path = std::move(Path);
  S.Error = std::move(Error);
  return S;
}

namespace {
/// Control characters escaped so that a hostile path cannot break the layout.
std::string printable(llvm::StringRef S) {
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
  return R;
}

std::string macsCell(const ModelSummary &S) {
  if (S.Macs)
    return groupDigits(*S.Macs);
  return S.MacsExpr.empty() ? "?" : S.MacsExpr;
}

/// RFC 4180: quote a field holding a comma, quote or line break; double the quotes.
std::string csvField(llvm::StringRef S) {
  if (S.find_first_of(",\"\r\n") == llvm::StringRef::npos)
    return S.str();
  std::string R = "\"";
  for (char C : S) {
    if (C == '"')
      R += '"';
    R += C;
  }
  return R + "\"";
}
} // namespace

void writeSummaryTable(llvm::ArrayRef<ModelSummary> Rows, llvm::raw_ostream &OS) {
  constexpr size_t NC = 7;
  std::vector<std::array<std::string, NC>> Cells;
  Cells.push_back({"model", "status", "nodes", "MACs", "params", "weight bytes", "diagnostics"});
  size_t Failed = 0;
  for (const ModelSummary &S : Rows) {
    if (!S.Ok) {
      ++Failed;
      Cells.push_back({printable(S.Path), "failed", "-", "-", "-", "-", "1 error"});
      continue;
    }
    std::string Diags =
        std::to_string(S.Errors) + " error(s), " + std::to_string(S.Warnings) + " warning(s)";
    Cells.push_back({printable(S.Path), "ok", groupDigits(static_cast<int64_t>(S.Nodes)),
                     macsCell(S), groupDigits(S.Params), groupDigits(S.WeightBytes), Diags});
  }
  std::array<size_t, NC> W{};
  for (const auto &Row : Cells)
    for (size_t I = 0; I < NC; ++I)
      W[I] = std::max(W[I], Row[I].size());
  size_t Width = 0;
  for (size_t X : W)
    Width += X + 2;
  for (size_t R = 0; R < Cells.size(); ++R) {
    for (size_t I = 0; I < NC; ++I) {
      const std::string &C = Cells[R][I];
      if (I)
        OS << "  ";
      if (I >= 2 && I <= 5)
        OS.indent(W[I] - C.size()) << C;
      else if (I + 1 == NC)
        OS << C;
      else
        OS << C, OS.indent(W[I] - C.size());
    }
    OS << "\n";
    if (R == 0)
      OS << std::string(Width - 2, '-') << "\n";
  }
  OS << std::string(Width - 2, '-') << "\n";
  OS << Rows.size() << " model(s): " << (Rows.size() - Failed) << " analyzed, " << Failed
     << " failed\n";
}

void writeSummaryCsv(llvm::ArrayRef<ModelSummary> Rows, llvm::raw_ostream &OS) {
  OS << "path,status,nodes,macs,macs_expr,params,weight_bytes,errors,warnings,error\n";
  for (const ModelSummary &S : Rows) {
    OS << csvField(S.Path) << ',';
    if (!S.Ok) {
      OS << "failed,,,,,,,," << csvField(S.Error) << "\n";
      continue;
    }
    OS << "ok," << S.Nodes << ',' << (S.Macs ? std::to_string(*S.Macs) : "") << ','
       << csvField(S.MacsExpr) << ',' << S.Params << ',' << S.WeightBytes << ',' << S.Errors << ','
       << S.Warnings << ",\n";
  }
}

void writeSummaryJson(llvm::ArrayRef<ModelSummary> Rows, llvm::raw_ostream &OS) {
  llvm::json::OStream J(OS, 2);
  J.object([&] {
    J.attribute("schema_version", 1);
    J.attributeArray("models", [&] {
      for (const ModelSummary &S : Rows)
        J.object([&] {
          J.attribute("path", S.Path);
          J.attribute("status", S.Ok ? "ok" : "failed");
          if (!S.Ok) {
            J.attribute("error", S.Error);
            return;
          }
          J.attribute("nodes", static_cast<int64_t>(S.Nodes));
          if (S.Macs)
            J.attribute("macs", *S.Macs);
          else
            J.attribute("macs", nullptr);
          if (S.MacsExpr.empty())
            J.attribute("macs_expr", nullptr);
          else
            J.attribute("macs_expr", S.MacsExpr);
          J.attribute("params", S.Params);
          J.attribute("weight_bytes", S.WeightBytes);
          J.attribute("errors", static_cast<int64_t>(S.Errors));
          J.attribute("warnings", static_cast<int64_t>(S.Warnings));
        });
    });
  });
  OS << "\n";
}

llvm::ArrayRef<SummaryFormatInfo> summaryFormats() {
  static const SummaryFormatInfo Table[] = {
      {"table", "one aligned row per model, for a terminal", writeSummaryTable},
      {"csv", "one CSV record per model (RFC 4180 quoting)", writeSummaryCsv},
      {"json", "one object per model, schema version 1", writeSummaryJson},
  };
  return Table;
}

const SummaryFormatInfo *findSummaryFormat(llvm::StringRef Name) {
  for (const SummaryFormatInfo &F : summaryFormats())
    if (F.Name == Name)
      return &F;
  return nullptr;
}

} // namespace opaudit
