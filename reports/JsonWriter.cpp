// The JSON writer (schema version 1): a direct serialization of the Report
// with llvm::json::OStream, which owns the escaping. Counts are integers;
// unknown values are null, and the diagnostics array says why.
#include "reports/Report.h"

#include "llvm/Support/JSON.h"

namespace opaudit {

namespace {
void optionalInt(llvm::json::OStream &J, llvm::StringRef Key, std::optional<int64_t> V) {
  if (V)
    J.attribute(Key, *V);
  else
    J.attribute(Key, nullptr);
}

void optionalStr(llvm::json::OStream &J, llvm::StringRef Key, const std::string &V) {
  if (V.empty())
    J.attribute(Key, nullptr);
  else
    J.attribute(Key, V);
}
} // namespace

void writeJson(const Report &R, llvm::raw_ostream &OS) {
  llvm::json::OStream J(OS, 2);
  J.object([&] {
    J.attribute("schema_version", 1);
    J.attributeObject("model", [&] {
      J.attribute("path", R.Path);
      J.attribute("producer", R.Producer);
      J.attributeObject("opsets", [&] {
        for (const auto &[D, V] : R.Opsets)
          J.attribute(D, V);
      });
      J.attribute("nodes", static_cast<int64_t>(R.NumNodes));
    });
    J.attributeObject("dims", [&] {
      for (const auto &[D, V] : R.Dims)
        J.attribute(D, V);
    });
    J.attributeObject("totals", [&] {
      optionalInt(J, "macs", R.TotalMacs);
      optionalStr(J, "macs_expr", R.TotalMacsExpr);
      J.attribute("params", R.TotalParams);
      J.attribute("weight_bytes", R.TotalWeightBytes);
      if (!R.Convention.empty()) {
        optionalInt(J, "ops", R.TotalOps);
        optionalStr(J, "ops_expr", R.TotalOpsExpr);
        if (!R.OpsByPrecision.empty())
          J.attributeObject("ops_by_precision", [&] {
            for (const auto &[P, V] : R.OpsByPrecision) {
              int64_t N;
              if (!llvm::StringRef(V).getAsInteger(10, N))
                J.attribute(P, N);
              else
                J.attribute(P, V);
            }
          });
      }
    });
    if (!R.Convention.empty())
      J.attributeObject("convention", [&] {
        J.attribute("name", R.Convention);
        J.attribute("meaning", R.ConventionMeaning);
        J.attribute("source", R.ConventionSource);
      });
    J.attributeArray("layers", [&] {
      for (const LayerRow &L : R.Rows) {
        J.object([&] {
          J.attribute("name", L.Name);
          J.attribute("op_type", L.OpType);
          J.attribute("domain", L.Domain);
          optionalInt(J, "macs", L.Macs);
          optionalStr(J, "macs_expr", L.MacsExpr);
          J.attribute("params", L.Params);
          J.attribute("weight_bytes", L.WeightBytes);
          if (!R.Convention.empty()) {
            optionalInt(J, "ops", L.Ops);
            optionalStr(J, "ops_expr", L.OpsExpr);
          }
          if (L.Shared) {
            J.attribute("shared_weights", true);
            J.attribute("shared_params", L.SharedParams);
          }
          J.attributeArray("outputs", [&] {
            for (const OutputInfo &O : L.Outputs) {
              J.object([&] {
                J.attribute("name", O.Name);
                J.attribute("dtype", dtypeName(O.Elem));
                if (!O.Dims) {
                  J.attribute("shape", nullptr);
                  return;
                }
                J.attributeArray("shape", [&] {
                  for (const std::string &D : *O.Dims) {
                    int64_t N;
                    if (!llvm::StringRef(D).getAsInteger(10, N))
                      J.value(N);
                    else
                      J.value(D);
                  }
                });
              });
            }
          });
        });
      }
    });
    J.attributeArray("diagnostics", [&] {
      for (const Diagnostic &D : R.Diags)
        J.object([&] {
          J.attribute("severity", severityName(D.Level));
          if (D.Node.empty())
            J.attribute("node", nullptr);
          else
            J.attribute("node", D.Node);
          J.attribute("message", D.Message);
        });
    });
  });
  OS << "\n";
}

} // namespace opaudit
