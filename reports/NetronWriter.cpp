// `--format netron`: Netron's metrics attachment, a JSON sidecar that Netron
// shows in the Metrics section of its sidebar when it is opened next to the model.
//
// The format, as read by Netron's `metadata.Attachment` (lutzroeder/netron,
// source/metadata.js, class metadata.Attachment and metadata.Attachment.Container):
//   {"signature": "netron:attachment",
//    "metadata": [...],
//    "metrics": [{"kind": "model"|"graph"|"node"|"value"|"tensor",
//                 "target": <entity name>, "name": <metric>, "value": ..., "type": ...}]}
// Netron keys an item by `kind::target` and matches it against the entity's
// name cut at its first newline, and a model-level item needs target "". So a
// node name is written up to its first newline, and unnamed nodes, which
// Netron cannot match by name, are left out. Unknown values are left out too:
// Netron has no notion of "unknown", and a 0 would be a lie.
// The nodes are the view's layer rows, so --top and --hide-trivial choose
// them; the analysis columns (ops, off-chip bytes, MACs/byte, bound, time)
// are metrics too. Groups cannot be attached to a node: the CLI says so.
#include "reports/Presentation.h"

#include "llvm/Support/JSON.h"

#include <cmath>

namespace opaudit {

namespace {
void metric(llvm::json::OStream &J, llvm::StringRef Kind, llvm::StringRef Target,
            llvm::StringRef Name, llvm::json::Value V) {
  J.object([&] {
    J.attribute("kind", Kind);
    J.attribute("target", Target);
    J.attribute("name", Name);
    J.attribute("value", std::move(V));
  });
}
} // namespace

void writeNetron(const Report &R, llvm::raw_ostream &OS) {
  llvm::json::OStream J(OS, 1);
  J.object([&] {
    J.attribute("signature", "netron:attachment");
    J.attributeArray("metadata", [] {});
    J.attributeArray("metrics", [&] {
      if (R.TotalMacs)
        metric(J, "model", "", "macs", *R.TotalMacs);
      else if (!R.TotalMacsExpr.empty())
        metric(J, "model", "", "macs", R.TotalMacsExpr);
      metric(J, "model", "", "weight_bytes", R.TotalWeightBytes);
      View V = present(R);
      for (size_t I = 0; I < V.Columns.size(); ++I) {
        ViewCell C = V.cell(V.Total, I);
        int64_t N;
        if (!llvm::StringRef(C.Raw).getAsInteger(10, N))
          metric(J, "model", "", V.Columns[I].Key, N);
        else if (C.Sort)
          metric(J, "model", "", V.Columns[I].Key, *C.Sort);
      }
      for (const ViewRow &Row : V.Rows) {
        if (Row.K != ViewRow::Layer || !Row.Source)
          continue;
        const LayerRow &L = *Row.Source;
        if (L.Unnamed) // Netron could not match the made-up "<op>_<index>".
          continue;
        std::string Target = L.Name.substr(0, L.Name.find('\n')).str();
        if (L.MacClass) {
          if (L.Macs)
            metric(J, "node", Target, "macs", *L.Macs);
          else if (!L.MacsExpr.empty())
            metric(J, "node", Target, "macs", L.MacsExpr);
          if (auto Share = Row.share(V.Total))
            metric(J, "node", Target, "macs_percent", std::round(*Share * 1e4) / 100.0);
        }
        if (L.Params)
          metric(J, "node", Target, "parameters", L.Params);
        if (L.WeightBytes)
          metric(J, "node", Target, "weight_bytes", L.WeightBytes);
        for (size_t I = 0; I < V.Columns.size(); ++I) {
          ViewCell C = V.cell(Row, I);
          int64_t N;
          if (!llvm::StringRef(C.Raw).getAsInteger(10, N))
            metric(J, "node", Target, V.Columns[I].Key, N);
          else if (C.Sort)
            metric(J, "node", Target, V.Columns[I].Key, *C.Sort);
          else if (!V.Columns[I].Numeric && !C.Raw.empty() && C.Raw != "?")
            metric(J, "node", Target, V.Columns[I].Key, C.Raw);
        }
      }
    });
  });
  OS << "\n";
}

} // namespace opaudit
