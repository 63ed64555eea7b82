// The JSON writer (schema version 1): a direct serialization of the Report
// with llvm::json::OStream, which owns the escaping. Counts are integers;
// unknown values are null, and the diagnostics array says why.
#include "reports/Presentation.h"

#include "llvm/Support/JSON.h"

namespace opaudit {

namespace {
void optionalInt(llvm::json::OStream &J, llvm::StringRef Key, std::optional<int64_t> V) {
  if (V)
    J.attribute(Key, *V);
  else
    J.attribute(Key, nullptr);
}

void optionalStr(llvm::json::OStream &J, llvm::StringRef Key, llvm::StringRef V) {
  if (V.empty())
    J.attribute(Key, nullptr);
  else
    J.attribute(Key, V);
}

// Traffic, memory and roofline (docs/traffic-model.md): present only when a
// traffic option was given.
void optionalReal(llvm::json::OStream &J, llvm::StringRef Key, std::optional<double> V) {
  if (V)
    J.attribute(Key, *V);
  else
    J.attribute(Key, nullptr);
}

void writeTrafficTotals(llvm::json::OStream &J, const Report &R) {
  const TrafficInfo &T = *R.Traffic;
  J.attribute("weight_bytes_at_traffic_dtype", T.WeightBytes);
  J.attribute("weight_resident_bytes", T.ResidentWeightBytes);
  J.attribute("weight_traffic_bytes_per_batch", T.WeightTrafficPerBatch);
  optionalReal(J, "weight_traffic_bytes_per_inference", T.WeightTrafficPerInference);
  optionalInt(J, "peak_activation_bytes", T.PeakActivationBytes);
  J.attribute("activation_sram_bytes", T.ActivationSramBytes);
  optionalInt(J, "offchip_activation_bytes_per_batch", T.OffchipActBytes);
  optionalInt(J, "offchip_bytes_per_batch", T.OffchipBytes);
  optionalInt(J, "macs_per_batch", T.Macs);
  optionalReal(J, "arithmetic_intensity", T.Intensity);
}

void writeLayerTraffic(llvm::json::OStream &J, const LayerRow &L) {
  const LayerTraffic &X = *L.Traffic;
  J.attributeObject("traffic", [&] {
    J.attribute("weight_bytes", X.WeightBytes);
    J.attribute("weight_resident", X.Resident);
    J.attribute("weight_traffic_bytes_per_batch", X.StreamedWeightBytes);
    optionalInt(J, "activation_in_bytes", X.InBytes);
    optionalInt(J, "activation_out_bytes", X.OutBytes);
    optionalInt(J, "offchip_activation_bytes", X.OffchipActBytes);
    optionalInt(J, "offchip_bytes", X.OffchipBytes);
    optionalInt(J, "macs_per_batch", X.Macs);
    optionalReal(J, "arithmetic_intensity", X.Intensity);
    if (L.Roof) {
      optionalReal(J, "compute_seconds", L.Roof->ComputeSeconds);
      optionalReal(J, "memory_seconds", L.Roof->MemorySeconds);
      optionalReal(J, "latency_seconds", L.Roof->Seconds);
      // null also for a layer that neither computes nor moves a byte: nothing bounds it.
      if (L.Roof->Seconds && *L.Roof->Seconds > 0)
        J.attribute("bound", L.Roof->MemoryBound ? "memory" : "compute");
      else
        J.attribute("bound", nullptr);
    }
  });
}

void writeRooflineAndConditions(llvm::json::OStream &J, const Report &R) {
  if (R.Roof && R.Roof->Available) {
    const RooflineInfo &F = *R.Roof;
    J.attributeObject("roofline", [&] {
      J.attribute("hardware", F.Profile);
      J.attribute("precision", F.Precision);
      J.attribute("operating_point", F.Point.Name);
      optionalReal(J, "frequency_mhz",
                   F.Point.FrequencyMHz > 0 ? std::optional<double>(F.Point.FrequencyMHz)
                                            : std::nullopt);
      optionalReal(J, "voltage", F.Point.Voltage);
      optionalInt(J, "mac_units", F.MacUnits);
      J.attribute("macs_per_second", F.MacsPerSecond);
      J.attribute("dram_bytes_per_second", F.BandwidthBytesPerSecond);
      J.attribute("utilization", F.Utilization);
      optionalReal(J, "compute_seconds", F.ComputeSeconds);
      optionalReal(J, "memory_seconds", F.MemorySeconds);
      if (F.LatencySeconds)
        J.attribute("bound", F.MemoryBound ? "memory" : "compute");
      else
        J.attribute("bound", nullptr);
      optionalReal(J, "latency_seconds", F.LatencySeconds);
      optionalReal(J, "inferences_per_second", F.InferencesPerSecond);
      optionalReal(J, "latency_seconds_at_utilization", F.LatencySecondsAtUtilization);
      optionalReal(J, "inferences_per_second_at_utilization", F.InferencesPerSecondAtUtilization);
      optionalReal(J, "latency_seconds_no_overlap", F.LatencySecondsNoOverlap);
    });
  }
  const Conditions &C = *R.Cond;
  J.attributeObject("conditions", [&] {
    J.attribute("model", C.Model);
    J.attribute("input_shape", C.InputShape);
    optionalInt(J, "batch", C.Batch);
    J.attribute("weight_dtype", C.WeightDType);
    J.attribute("activation_dtype", C.ActDType);
    J.attribute("sram_bytes", C.SramBytes);
    optionalStr(J, "hardware", C.Hardware);
    optionalStr(J, "precision", C.Precision);
    optionalStr(J, "operating_point", C.OperatingPoint);
    J.attribute("utilization", C.Utilization);
    J.attribute("convention", C.Convention);
  });
}
/// The presented rows when --top, --group-by, --sort or --hide-trivial changed
/// them; "layers" still lists every layer.
void writeView(llvm::json::OStream &J, const Report &R) {
  View V = present(R);
  static const char *Kinds[] = {"layer", "group", "other"};
  auto Row = [&](const ViewRow &Row) {
    J.object([&] {
      J.attribute("label", Row.Label);
      J.attribute("kind", Kinds[Row.K]);
      J.attribute("layers", static_cast<int64_t>(Row.Layers));
      if (Row.MacClass)
        optionalInt(J, "macs", Row.macs());
      else
        J.attribute("macs", 0);
      J.attribute("params", Row.Params);
      J.attribute("weight_bytes", Row.WeightBytes);
      for (size_t I = 0; I < V.Columns.size(); ++I) {
        ViewCell C = V.cell(Row, I);
        int64_t N;
        if (!llvm::StringRef(C.Raw).getAsInteger(10, N))
          J.attribute(V.Columns[I].Key, N); // exact counts stay integers
        else if (!V.Columns[I].Numeric)
          C.Raw.empty() || C.Raw == "?" ? J.attribute(V.Columns[I].Key, nullptr)
                                        : J.attribute(V.Columns[I].Key, C.Raw);
        else
          optionalReal(J, V.Columns[I].Key, C.Sort);
      }
    });
  };
  J.attributeObject("view", [&] {
    J.attribute("heading", V.Heading);
    J.attributeArray("rows", [&] {
      for (const ViewRow &R0 : V.Rows)
        Row(R0);
    });
    J.attributeBegin("total");
    Row(V.Total);
    J.attributeEnd();
  });
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
    // The inputs first: what the figures below were computed for.
    J.attributeArray("inputs", [&] {
      for (const ReportInput &In : R.Inputs)
        J.object([&] {
          J.attribute("name", In.Name);
          J.attribute("dtype", dtypeName(In.Elem));
          if (!In.Dims)
            J.attribute("shape", nullptr);
          else
            J.attributeArray("shape", [&] {
              for (const std::string &D : *In.Dims) {
                int64_t N;
                if (!llvm::StringRef(D).getAsInteger(10, N))
                  J.value(N);
                else
                  J.value(D);
              }
            });
          J.attributeArray("symbolic", [&] {
            for (const std::string &S : In.Symbols)
              if (!S.empty())
                J.value(S);
          });
        });
    });
    J.attributeObject("dims", [&] {
      for (const auto &[D, V] : R.Dims)
        J.attribute(D, V);
    });
    J.attributeObject("totals", [&] {
      optionalInt(J, "macs", R.TotalMacs);
      optionalStr(J, "macs_expr", R.TotalMacsExpr);
      if (!R.TotalMacsMinExpr.empty() || !R.TotalMacsMaxExpr.empty()) {
        optionalInt(J, "macs_min", R.TotalMacsMin);
        optionalInt(J, "macs_max", R.TotalMacsMax);
        optionalStr(J, "macs_min_expr", R.TotalMacsMinExpr);
        optionalStr(J, "macs_max_expr", R.TotalMacsMaxExpr);
      }
      if (!R.TotalMacsKnownExpr.empty()) {
        optionalInt(J, "macs_known", R.TotalMacsKnown);
        optionalStr(J, "macs_known_expr", R.TotalMacsKnownExpr);
      }
      J.attribute("params", R.TotalParams);
      J.attribute("weight_bytes", R.TotalWeightBytes);
      if (R.Traffic)
        writeTrafficTotals(J, R);
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
    J.attributeObject("coverage", [&] {
      J.attribute("complete", R.Uncounted.empty());
      J.attributeArray("uncounted", [&] {
        for (const Report::Gap &G : R.Uncounted)
          J.object([&] {
            J.attribute("op_type", G.OpType);
            J.attribute("nodes", static_cast<int64_t>(G.Nodes));
            if (G.VolumeShare)
              J.attribute("tensor_volume_share", *G.VolumeShare);
            else
              J.attribute("tensor_volume_share", nullptr);
            J.attributeArray("node_labels", [&] {
              for (const std::string &L : G.Labels)
                J.value(L);
            });
          });
      });
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
          if (!L.Graph.empty()) {
            J.attribute("graph", L.Graph);
            J.attribute("role", L.role());
          }
          optionalInt(J, "macs", L.Macs);
          optionalStr(J, "macs_expr", L.MacsExpr);
          if (L.Range && (!L.Range->MinExpr.empty() || !L.Range->MaxExpr.empty())) {
            optionalInt(J, "macs_min", L.Range->Min);
            optionalInt(J, "macs_max", L.Range->Max);
            optionalStr(J, "macs_min_expr", L.Range->MinExpr);
            optionalStr(J, "macs_max_expr", L.Range->MaxExpr);
          }
          if (!L.Counted)
            J.attribute("counted", false);
          J.attribute("params", L.Params);
          J.attribute("weight_bytes", L.WeightBytes);
          if (!R.Convention.empty()) {
            optionalInt(J, "ops", L.ops());
            optionalStr(J, "ops_expr", L.opsExpr());
          }
          if (L.Shared) {
            J.attribute("shared_weights", true);
            J.attribute("shared_params", L.SharedParams);
          }
          if (L.Traffic)
            writeLayerTraffic(J, L);
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
                  for (llvm::StringRef D : *O.Dims) {
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
    if (R.Traffic)
      writeRooflineAndConditions(J, R);
    if (R.View.customized())
      writeView(J, R);
    J.attributeArray("diagnostics", [&] {
      for (const Diagnostic &D : R.Diags)
        J.object([&] {
          J.attribute("severity", severityName(D.Level));
          J.attribute("code", D.Code);
          if (!D.Path.empty())
            J.attribute("path", D.Path);
          if (D.Node.empty())
            J.attribute("node", nullptr);
          else
            J.attribute("node", D.Node);
          J.attribute("message", D.Message);
          if (D.Dependents)
            J.attribute("dependents", static_cast<int64_t>(D.Dependents));
        });
    });
  });
  OS << "\n";
}

} // namespace opaudit
