// Copies the traffic and roofline analyses into the presentation model and
// states the conditions they hold under, so that every writer prints the
// same figures and no figure appears without its batch, dtype, SRAM,
// precision and operating point.
#include "passes/Roofline.h"
#include "reports/Report.h"

#include "llvm/Support/Format.h"

namespace opaudit {

namespace {
std::string inputShapes(AnalysisManager &AM) {
  const Graph &G = AM.model().Main;
  const ShapeInfo &SI = AM.get<ShapeInference>();
  std::string Out;
  for (ValueId V : G.Inputs) {
    if (G.value(V).Initializer >= 0)
      continue;
    const TensorType &T = SI.Types[static_cast<size_t>(V)];
    std::string Dims;
    if (!T.Dims)
      Dims = "?";
    for (size_t I = 0; T.Dims && I < T.Dims->size(); ++I)
      Dims += (I ? "x" : "") + dimText((*T.Dims)[I]);
    Out += (Out.empty() ? "" : ", ") + G.value(V).Name.str() + ":" +
           (T.Dims && T.Dims->empty() ? "scalar" : Dims);
  }
  return Out;
}
} // namespace

void addTrafficToReport(Analysis &A, Report &R) {
  AnalysisManager &AM = A.manager();
  const TrafficInfo &T = AM.get<Traffic>();
  const RooflineInfo &RL = AM.get<Roofline>();
  const AnalysisOptions &O = AM.options();
  // Traffic and roofline cover the main graph; subgraph rows are details of their node.
  for (LayerRow &Row : R.Rows) {
    if (Row.Depth || Row.Node == kNoNode)
      continue;
    size_t Id = static_cast<size_t>(Row.Node);
    Row.Traffic = T.Nodes[Id];
    if (RL.Available)
      Row.Roof = RL.Nodes[Id];
  }
  R.Traffic = T;
  R.Traffic->Nodes.clear();
  appendDiags(R, T.Diags, "traffic");
  if (O.Hardware) {
    R.Roof = RL;
    R.Roof->Nodes.clear();
    appendDiags(R, RL.Diags, "roofline");
  }
  Conditions C;
  C.Model = AM.model().Path;
  C.InputShape = inputShapes(AM);
  C.Batch = T.Batch;
  C.WeightDType = T.WeightDType;
  C.ActDType = T.ActDType;
  C.SramBytes = T.SramBytes;
  C.Utilization = O.Utilization;
  if (RL.Available) {
    C.Hardware = O.HardwarePath;
    C.Precision = RL.Precision;
    C.OperatingPoint = RL.Point.describe();
  }
  C.Convention =
      std::string("1 MAC per multiply-accumulate; ") +
      (T.Schedule == "sample"
           ? "the batch is pipelined sample by sample (--schedule sample): one sample's "
             "activations compete for SRAM"
           : "the whole batch runs layer by layer in the schedule order") +
      "; weights resident in SRAM are loaded once, the rest stream once per batch; activations "
      "that do not fit spill to DRAM; latency is per batch, max(compute, memory) "
      "(docs/traffic-model.md)";
  R.Cond = std::move(C);
}

} // namespace opaudit
