// The CSV writer (RFC 4180): a header line, then one record per presented row,
// CRLF line ends. A field is quoted when it holds a comma, a quote, CR or LF,
// and quotes inside are doubled, so any node name reads back unchanged. There
// is no totals record: the columns sum to the totals, which keeps the file a
// plain table for spreadsheets and scripts. Unknown MACs are `?`, layers that
// do not count MACs have an empty cell: neither is ever written as 0. The
// analysis columns the options asked for (ops, off-chip bytes, MACs/byte,
// bound, latency in seconds) follow, by their machine names.
#include "reports/Presentation.h"

#include "llvm/Support/FormatVariadic.h"

namespace opaudit {

namespace {
void field(llvm::raw_ostream &OS, llvm::StringRef S) {
  if (S.find_first_of(",\"\r\n") == llvm::StringRef::npos) {
    OS << S;
    return;
  }
  OS << '"';
  for (char C : S) {
    if (C == '"')
      OS << '"';
    OS << C;
  }
  OS << '"';
}

void record(llvm::raw_ostream &OS, llvm::ArrayRef<std::string> Fields) {
  for (size_t I = 0; I < Fields.size(); ++I) {
    if (I)
      OS << ',';
    field(OS, Fields[I]);
  }
  OS << "\r\n";
}
} // namespace

void writeCsv(const Report &R, llvm::raw_ostream &OS) {
  View V = present(R);
  std::vector<std::string> Head = {"name",         "kind",          "op_type",     "layers",
                                   "output_shape", "macs",          "macs_expr",   "mac_share",
                                   "params",       "shared_params", "weight_bytes"};
  for (const ViewColumn &C : V.Columns)
    Head.push_back(C.Key);
  record(OS, Head);
  static const char *Kinds[] = {"layer", "group", "other"};
  for (const ViewRow &Row : V.Rows) {
    std::string Macs, Expr, Share;
    if (Row.MacClass) {
      auto M = Row.macs();
      Macs = M ? std::to_string(*M) : "?";
      if (!M && Row.Source)
        Expr = Row.Source->MacsExpr;
      if (auto S = Row.share(V.Total))
        Share = llvm::formatv("{0:f6}", *S).str();
    }
    std::vector<std::string> F = {Row.Label.str(),
                                  Kinds[Row.K],
                                  Row.OpType.str(),
                                  std::to_string(Row.Layers),
                                  Row.Source ? shapeText(*Row.Source) : "",
                                  Macs,
                                  Expr,
                                  Share,
                                  std::to_string(Row.Params),
                                  std::to_string(Row.SharedParams),
                                  std::to_string(Row.WeightBytes)};
    for (size_t I = 0; I < V.Columns.size(); ++I)
      F.push_back(V.cell(Row, I).Raw);
    record(OS, F);
  }
}

} // namespace opaudit
