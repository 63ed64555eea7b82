// Writers of reconcile's result; see ReconcileWriters.h.
#include "reports/ReconcileWriters.h"
#include "reports/Report.h"

namespace opaudit {

namespace {

std::string countText(const ReconcileCount &C) {
  if (C.Value)
    return groupDigits(*C.Value);
  return C.Formula.empty() ? "?" : C.Formula;
}

} // namespace

void writeReconcileJson(llvm::json::OStream &J, const ReconcileResult &R) {
  auto Put = [&](llvm::StringRef K, const ReconcileCount &C) {
    if (C.Value)
      J.attribute(K, *C.Value);
    else if (!C.Formula.empty())
      J.attribute(K, C.Formula);
    else
      J.attribute(K, nullptr);
  };
  J.object([&] {
    J.attribute("schema_version", 1);
    J.attribute("model", R.Model);
    J.attributeObject("graph", [&] {
      J.attribute("mac_nodes", static_cast<int64_t>(R.MacNodes));
      J.attribute("mac_nodes_with_bias", static_cast<int64_t>(R.MacNodesWithBias));
      J.attribute("conv_nodes", static_cast<int64_t>(R.ConvNodes));
      J.attribute("batchnorm_nodes", static_cast<int64_t>(R.BatchNorms));
    });
    J.attributeArray("conventions", [&] {
      for (const ReconcileRow &Row : R.Rows)
        J.object([&] {
          J.attribute("name", Row.Convention);
          J.attribute("meaning", Row.Meaning);
          J.attribute("source", Row.Source);
          Put("total", Row.Total);
          J.attributeObject("by_class", [&] {
            for (size_t I = 0; I < R.Buckets.size(); ++I)
              Put(R.Buckets[I], Row.ByClass[I]);
          });
        });
    });
  });
}

void writeReconcileTable(const ReconcileResult &R, llvm::raw_ostream &OS) {
  OS << "model:  " << R.Model << "\n";
  OS << "graph:  " << R.GraphForm << "\n\n";
  std::vector<std::vector<std::string>> Cells;
  std::vector<std::string> Head = {"convention", "total", ""};
  Head.insert(Head.end(), R.Buckets.begin(), R.Buckets.end());
  Cells.push_back(Head);
  for (const ReconcileRow &Row : R.Rows) {
    std::vector<std::string> C = {Row.Convention, countText(Row.Total), ""};
    if (Row.Total.Value)
      C[2] = humanCount(static_cast<double>(*Row.Total.Value));
    for (const ReconcileCount &X : Row.ByClass)
      C.push_back(X.isZero() ? "-" : countText(X));
    Cells.push_back(std::move(C));
  }
  std::vector<size_t> W(Head.size());
  for (const auto &C : Cells)
    for (size_t I = 0; I < C.size(); ++I)
      W[I] = std::max(W[I], C[I].size());
  for (size_t Ro = 0; Ro < Cells.size(); ++Ro) {
    for (size_t I = 0; I < Cells[Ro].size(); ++I) {
      const std::string &X = Cells[Ro][I];
      if (I)
        OS << "  ";
      if (I == 0)
        OS << X, OS.indent(W[I] - X.size());
      else
        OS.indent(W[I] - X.size()) << X;
    }
    OS << "\n";
    if (Ro == 0) {
      size_t Width = 0;
      for (size_t X : W)
        Width += X + 2;
      OS << std::string(Width - 2, '-') << "\n";
    }
  }
  OS << "\n";
  for (const ReconcileRow &Row : R.Rows)
    OS << Row.Convention << ": " << Row.Meaning << "\n";
  OS << "\nEach convention is a file (samples/conventions/NAME.yaml) naming its source; "
        "`opaudit analyze --convention NAME` shows it per layer.\n";
}

} // namespace opaudit
