// Summary rows from Reports, and the summary writers. The table marks
// unknown MACs with `?` like the per-model table; a failed model shows
// `failed` and `-` in cells that do not exist for it (they are not unknown).
// The ops and roofline columns appear when some model has them. Every format
// but JSON and CSV (which keep the exact formula) shortens a long symbolic
// total to f(symbols) and says how to bind them.
#include "reports/SummaryWriter.h"
#include "reports/Escape.h"
#include "reports/Presentation.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

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
  S.Convention = R.Convention;
  S.Ops = R.TotalOps;
  S.OpsExpr = R.TotalOpsExpr;
  if (R.Roof && R.Roof->Available) {
    S.HasRoof = true;
    S.Batch = R.Traffic ? R.Traffic->Batch : std::nullopt;
    S.Bound = !R.Roof->LatencySeconds ? "?" : R.Roof->MemoryBound ? "memory" : "compute";
    S.LatencySeconds = R.Roof->LatencySeconds;
    S.InferencesPerSecond = R.Roof->InferencesPerSecond;
  }
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

std::string countCell(std::optional<int64_t> V, const std::string &Expr) {
  if (V)
    return groupDigits(*V);
  return Expr.empty() ? "?" : shortFormula(Expr);
}

std::string fixed2(std::optional<double> V) {
  if (!V)
    return "?";
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << llvm::format("%.2f", *V);
  return OS.str();
}

/// The columns of the human-readable summaries, decided by what the rows carry.
struct Layout {
  bool Ops = false, Roof = false, Shortened = false;
  explicit Layout(llvm::ArrayRef<ModelSummary> Rows) {
    for (const ModelSummary &S : Rows) {
      Ops |= !S.Convention.empty();
      Roof |= S.HasRoof;
      Shortened |= (!S.Macs && shortFormula(S.MacsExpr) != S.MacsExpr) ||
                   (!S.Ops && shortFormula(S.OpsExpr) != S.OpsExpr);
    }
  }
  std::vector<std::string> head() const {
    std::vector<std::string> H = {"model", "status", "nodes", "MACs", "params", "weight bytes"};
    if (Ops)
      H.push_back("ops");
    if (Roof)
      H.insert(H.end(), {"batch", "bound", "latency/batch", "inferences/s"});
    H.push_back("diagnostics");
    return H;
  }
  std::vector<std::string> cells(const ModelSummary &S) const {
    std::vector<std::string> C;
    if (!S.Ok) {
      C = {printable(S.Path), "failed", "-", "-", "-", "-"};
      if (Ops)
        C.push_back("-");
      if (Roof)
        C.insert(C.end(), {"-", "-", "-", "-"});
      C.push_back("1 error");
      return C;
    }
    C = {printable(S.Path),
         "ok",
         groupDigits(static_cast<int64_t>(S.Nodes)),
         countCell(S.Macs, S.MacsExpr),
         groupDigits(S.Params),
         groupDigits(S.WeightBytes)};
    if (Ops)
      C.push_back(S.Convention.empty() ? "-" : countCell(S.Ops, S.OpsExpr));
    if (Roof) {
      if (S.HasRoof)
        C.insert(C.end(), {S.Batch ? std::to_string(*S.Batch) : "?", S.Bound,
                           S.LatencySeconds ? secondsText(*S.LatencySeconds) : "?",
                           fixed2(S.InferencesPerSecond)});
      else
        C.insert(C.end(), {"-", "-", "-", "-"});
    }
    C.push_back(std::to_string(S.Errors) + " error(s), " + std::to_string(S.Warnings) +
                " warning(s)");
    return C;
  }
  /// Lines after the table: what the columns hold under, and how to bind dims.
  std::vector<std::string> notes(llvm::ArrayRef<ModelSummary> Rows) const {
    std::vector<std::string> N;
    if (Ops)
      for (const ModelSummary &S : Rows)
        if (!S.Convention.empty()) {
          N.push_back("ops are counted under convention '" + S.Convention + "'");
          break;
        }
    if (Roof)
      N.push_back("bound, latency and inferences/s are roofline upper bounds at 100% MAC "
                  "utilization on the --hw part (docs/traffic-model.md)");
    if (Shortened)
      N.push_back("f(...) is a total that depends on the dims it names; bind them with --dim "
                  "NAME=VALUE or --batch, or see the exact formula with --format json");
    return N;
  }
};

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

std::string real(std::optional<double> V) {
  if (!V)
    return "";
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << llvm::format("%.6g", *V);
  return OS.str();
}

std::string escapeMd(llvm::StringRef S) {
  std::string R;
  for (char C : S) {
    if (C == '|' || C == '\\' || C == '*' || C == '_' || C == '`' || C == '[' || C == ']')
      R += '\\';
    if (C == '<')
      R += "&lt;";
    else if (C == '>')
      R += "&gt;";
    else if (C == '&')
      R += "&amp;";
    else if (static_cast<unsigned char>(C) < 0x20)
      R += ' ';
    else
      R += C;
  }
  return R;
}

} // namespace

void writeSummaryTable(llvm::ArrayRef<ModelSummary> Rows, llvm::raw_ostream &OS) {
  Layout L(Rows);
  std::vector<std::vector<std::string>> Cells = {L.head()};
  size_t Failed = 0;
  for (const ModelSummary &S : Rows) {
    Failed += !S.Ok;
    Cells.push_back(L.cells(S));
  }
  const size_t NC = Cells.front().size();
  std::vector<size_t> W(NC);
  for (const auto &Row : Cells)
    for (size_t I = 0; I < NC; ++I)
      W[I] = std::max(W[I], Row[I].size());
  size_t Width = 0;
  for (size_t X : W)
    Width += X + 2;
  for (size_t R = 0; R < Cells.size(); ++R) {
    for (size_t I = 0; I < NC; ++I) {
      const std::string &C = Cells[R][I];
      bool Right = I >= 2 && I + 1 < NC && Cells[0][I] != "bound";
      if (I)
        OS << "  ";
      if (Right)
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
  for (const std::string &N : L.notes(Rows))
    OS << N << "\n";
}

void writeSummaryMarkdown(llvm::ArrayRef<ModelSummary> Rows, llvm::raw_ostream &OS) {
  Layout L(Rows);
  std::vector<std::string> H = L.head();
  OS << "|";
  for (const std::string &C : H)
    OS << " " << C << " |";
  OS << "\n|";
  for (size_t I = 0; I < H.size(); ++I)
    OS << (I >= 2 && I + 1 < H.size() && H[I] != "bound" ? " ---: |" : " --- |");
  OS << "\n";
  for (const ModelSummary &S : Rows) {
    OS << "|";
    for (const std::string &C : L.cells(S))
      OS << " " << escapeMd(C) << " |";
    OS << "\n";
  }
  std::vector<std::string> N = L.notes(Rows);
  if (!N.empty())
    OS << "\n";
  for (const std::string &X : N)
    OS << "- " << escapeMd(X) << "\n";
}

void writeSummaryHtml(llvm::ArrayRef<ModelSummary> Rows, llvm::raw_ostream &OS) {
  Layout L(Rows);
  std::vector<std::string> H = L.head();
  OS << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
     << "<title>opaudit: " << Rows.size() << " models</title>\n<style>\n"
     << "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330}"
        "table{border-collapse:collapse}th,td{padding:3px 8px;border-bottom:1px solid #ddd;"
        "text-align:left}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
     << "</style>\n</head>\n<body>\n<h1>opaudit: " << Rows.size()
     << " models</h1>\n<table id=\"models\"><thead><tr>";
  auto Num = [&](size_t I) { return I >= 2 && I + 1 < H.size() && H[I] != "bound"; };
  for (size_t I = 0; I < H.size(); ++I)
    OS << (Num(I) ? "<th class=\"n\">" : "<th>") << escapeMarkup(H[I]) << "</th>";
  OS << "</tr></thead>\n<tbody>\n";
  for (const ModelSummary &S : Rows) {
    OS << "<tr>";
    std::vector<std::string> C = L.cells(S);
    for (size_t I = 0; I < C.size(); ++I)
      OS << (Num(I) ? "<td class=\"n\">" : "<td>") << escapeMarkup(C[I]) << "</td>";
    OS << "</tr>\n";
  }
  OS << "</tbody></table>\n";
  for (const std::string &X : L.notes(Rows))
    OS << "<p>" << escapeMarkup(X) << "</p>\n";
  OS << "</body>\n</html>\n";
}

void writeSummaryCsv(llvm::ArrayRef<ModelSummary> Rows, llvm::raw_ostream &OS) {
  Layout L(Rows);
  OS << "path,status,nodes,macs,macs_expr,params,weight_bytes,"
     << (L.Ops ? "convention,ops,ops_expr," : "")
     << (L.Roof ? "batch,bound,latency_seconds,inferences_per_second," : "")
     << "errors,warnings,error\n";
  for (const ModelSummary &S : Rows) {
    OS << csvField(S.Path) << ',';
    if (!S.Ok) {
      OS << "failed,,,,,," << (L.Ops ? ",,," : "") << (L.Roof ? ",,,," : "") << ",,"
         << csvField(S.Error) << "\n";
      continue;
    }
    OS << "ok," << S.Nodes << ',' << (S.Macs ? std::to_string(*S.Macs) : "") << ','
       << csvField(S.MacsExpr) << ',' << S.Params << ',' << S.WeightBytes << ',';
    if (L.Ops)
      OS << csvField(S.Convention) << ',' << (S.Ops ? std::to_string(*S.Ops) : "") << ','
         << csvField(S.OpsExpr) << ',';
    if (L.Roof)
      OS << (S.Batch ? std::to_string(*S.Batch) : "") << ',' << S.Bound << ','
         << real(S.LatencySeconds) << ',' << real(S.InferencesPerSecond) << ',';
    OS << S.Errors << ',' << S.Warnings << ",\n";
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
          if (!S.Convention.empty()) {
            J.attribute("convention", S.Convention);
            S.Ops ? J.attribute("ops", *S.Ops) : J.attribute("ops", nullptr);
            S.OpsExpr.empty() ? J.attribute("ops_expr", nullptr)
                              : J.attribute("ops_expr", S.OpsExpr);
          }
          if (S.HasRoof)
            J.attributeObject("roofline", [&] {
              S.Batch ? J.attribute("batch", *S.Batch) : J.attribute("batch", nullptr);
              S.Bound == "?" ? J.attribute("bound", nullptr) : J.attribute("bound", S.Bound);
              S.LatencySeconds ? J.attribute("latency_seconds", *S.LatencySeconds)
                               : J.attribute("latency_seconds", nullptr);
              S.InferencesPerSecond ? J.attribute("inferences_per_second", *S.InferencesPerSecond)
                                    : J.attribute("inferences_per_second", nullptr);
            });
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
      {"md", "one Markdown table row per model", writeSummaryMarkdown},
      {"html", "one self-contained HTML page with a row per model", writeSummaryHtml},
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
