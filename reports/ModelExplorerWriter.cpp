// `--format model-explorer`: node data for Google Model Explorer, so that its
// graph view colours ONNX nodes by a metric, next to the Netron attachment.
//
// The format, as Model Explorer's node_data_builder.py defines it
// (google-ai-edge/model-explorer, src/server/package/src/model_explorer/
// node_data_builder.py: ModelNodeData, GraphNodeData, NodeDataResult,
// GradientItem):
//   {<graph id>: {"results": {<node key>: {"value": number}},
//                 "gradient": [{"stop": 0..1, "bgColor": colour}, ...]}}
// One file holds one metric. A node key is the node's id, which the ONNX
// adapter (justinchuby/model-explorer-onnx) sets to the node name, or one of
// its output tensor names; the graph id is the graph's name. Unnamed nodes
// are keyed by their first output's name. Unknown values are left out (a 0
// would be a lie); a string metric (bound) uses the values "compute"/"memory".
#include "reports/Presentation.h"

#include "llvm/Support/JSON.h"

namespace opaudit {

std::vector<std::string> modelExplorerMetrics(const Report &R) {
  std::vector<std::string> M = {"macs", "weight_bytes"};
  View V = present(R);
  for (const ViewColumn &C : V.Columns)
    M.push_back(C.Key);
  return M;
}

void writeModelExplorerMetric(const Report &R, llvm::StringRef Metric, llvm::raw_ostream &OS) {
  View V = present(R);
  size_t Col = V.Columns.size();
  for (size_t I = 0; I < V.Columns.size(); ++I)
    if (V.Columns[I].Key == Metric)
      Col = I;
  bool Text = Col < V.Columns.size() && !V.Columns[Col].Numeric;
  llvm::json::OStream J(OS, 2);
  J.object([&] {
    J.attributeObject(R.GraphName.empty() ? "main_graph" : R.GraphName, [&] {
      J.attributeObject("results", [&] {
        for (const ViewRow &Row : V.Rows) {
          if (Row.K != ViewRow::Layer || !Row.Source || Row.Depth)
            continue;
          const LayerRow &L = *Row.Source;
          std::string Key =
              (L.Unnamed && !L.Outputs.empty() ? L.Outputs.front().Name : L.Name).str();
          llvm::json::Value Val = nullptr;
          if (Metric == "macs") {
            if (auto M = Row.macs(); M && Row.MacClass)
              Val = *M;
          } else if (Metric == "weight_bytes") {
            Val = Row.WeightBytes;
          } else if (Col < V.Columns.size()) {
            ViewCell C = V.cell(Row, Col);
            int64_t N;
            if (!llvm::StringRef(C.Raw).getAsInteger(10, N))
              Val = N;
            else if (C.Sort)
              Val = *C.Sort;
            else if (Text && (C.Raw == "compute" || C.Raw == "memory"))
              Val = C.Raw;
          }
          if (Val.kind() == llvm::json::Value::Null)
            continue;
          J.attributeObject(Key, [&] { J.attribute("value", std::move(Val)); });
        }
      });
      if (!Text)
        J.attributeArray("gradient", [&] {
          J.object([&] {
            J.attribute("stop", 0);
            J.attribute("bgColor", "#ffffff");
          });
          J.object([&] {
            J.attribute("stop", 1);
            J.attribute("bgColor", "#d9534f");
          });
        });
    });
  });
  OS << "\n";
}

void writeModelExplorer(const Report &R, llvm::raw_ostream &OS) {
  writeModelExplorerMetric(R, "macs", OS);
}

} // namespace opaudit
