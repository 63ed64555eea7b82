// Parsing and checking of the traffic and hardware options.
#include "cli/TrafficOptions.h"
#include "passes/Roofline.h"

#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace opaudit::cli {

void addTrafficOptions(CLI::App &Sub, TrafficArgs &A) {
  Sub.add_option("--hw", A.Hw,
                 "hardware: a catalog name (`opaudit hw list`) or a profile file, for roofline "
                 "bounds");
  Sub.add_option("--operating-point", A.OperatingPoint,
                 "operating point of the profile (default: its first)");
  Sub.add_option("--precision", A.Precision,
                 "MAC precision: int4|int8|fp8|fp16|bf16|tf32|fp32 (default: from "
                 "--weight-dtype, else the precision the graph's MACs declare)");
  Sub.add_option("--utilization", A.Utilization,
                 "fraction of peak MAC throughput assumed reachable, in (0, 1]");
  Sub.add_option("--sram", A.Sram, "on-chip SRAM in bytes (default: the profile's, else 0)");
  Sub.add_option("--weight-dtype", A.WeightDType,
                 "count weights at this dtype: int8|int4|fp16|bf16|fp32 (default: stored)");
  Sub.add_option("--act-dtype", A.ActDType,
                 "count floating-point activations at this dtype (default: inferred)");
  Sub.add_option("--schedule", A.Schedule,
                 "how a batch runs: layer (the whole batch layer by layer) or sample (pipelined "
                 "sample by sample, weights kept for the batch)")
      ->capture_default_str();
}

namespace {
llvm::Expected<std::optional<DType>> trafficDType(llvm::StringRef Opt, llvm::StringRef V) {
  if (V.empty())
    return std::nullopt;
  auto T = dtypeFromString(V);
  bool Ok = T && (isFloatDType(*T) || *T == DType::Int8 || *T == DType::UInt8 ||
                  *T == DType::Int4 || *T == DType::UInt4);
  if (!Ok)
    return makeError(ErrorCategory::Usage,
                     Opt + " expects int8, int4, fp16, bf16 or fp32, got '" + V + "'");
  return T;
}
} // namespace

llvm::Error applyTrafficArgs(const TrafficArgs &A, AnalysisOptions &O) {
  auto W = trafficDType("--weight-dtype", A.WeightDType);
  if (!W)
    return W.takeError();
  O.WeightDType = *W;
  auto Act = trafficDType("--act-dtype", A.ActDType);
  if (!Act)
    return Act.takeError();
  O.ActDType = *Act;
  if (A.Sram) {
    if (*A.Sram < 0)
      return makeError(ErrorCategory::Usage, "--sram expects a byte count >= 0");
    O.SramBytes = *A.Sram;
  }
  if (A.Utilization) {
    if (!std::isfinite(*A.Utilization) || *A.Utilization <= 0 || *A.Utilization > 1)
      return makeError(ErrorCategory::Usage, "--utilization expects a value in (0, 1], got " +
                                                 std::to_string(*A.Utilization));
    O.Utilization = *A.Utilization;
  }
  if (A.Schedule == "sample")
    O.Schedule = AnalysisOptions::BatchSchedule::Sample;
  else if (A.Schedule == "layer")
    O.Schedule = AnalysisOptions::BatchSchedule::Layer;
  else
    return makeError(ErrorCategory::Usage,
                     "--schedule expects layer or sample, got '" + A.Schedule + "'");
  if (A.Hw.empty()) {
    for (auto [Opt, V] :
         {std::pair<const char *, bool>{"--operating-point", !A.OperatingPoint.empty()},
          {"--precision", !A.Precision.empty()},
          {"--utilization", A.Utilization.has_value()}})
      if (V)
        return makeError(ErrorCategory::Usage, llvm::Twine(Opt) + " needs --hw PROFILE");
    return llvm::Error::success();
  }
  auto H = loadHardware(A.Hw);
  if (!H)
    return H.takeError();
  // A user's file that breaks a consistency rule is still usable: say so once.
  if (!H->File.starts_with("builtin:"))
    for (const HwIssue &I : checkHardwareConsistency(*H))
      llvm::errs() << "opaudit: warning: hardware profile " << H->File << ": " << I.str() << "\n";
  O.HardwarePath = A.Hw;
  O.OperatingPointName = A.OperatingPoint;
  O.Precision = A.Precision;
  if (!H->operatingPoint(A.OperatingPoint)) {
    std::string Names;
    for (const OperatingPoint &P : H->OperatingPoints)
      Names += (Names.empty() ? "" : ", ") + P.Name;
    return makeError(ErrorCategory::Usage, "hardware profile " + A.Hw +
                                               ": operating_points: no operating point '" +
                                               A.OperatingPoint + "' (known: " + Names + ")");
  }
  // Without --precision/--weight-dtype the precision is the graph's own, known
  // only once the model is read: the roofline checks it then.
  std::string Prec = chosenPrecision(O);
  const OperatingPoint &P = *H->operatingPoint(A.OperatingPoint);
  if (Prec.empty()) {
    if (!H->dramBandwidthGBps(P))
      return makeError(ErrorCategory::Usage,
                       "hardware profile " + A.Hw + ": dram_bandwidth: unknown at " + P.Name +
                           " (the part has no DRAM of its own, or none is published); the "
                           "roofline needs an off-chip bandwidth");
    O.Hardware = std::move(*H);
    return llvm::Error::success();
  }
  if (!H->macUnits(Prec))
    return makeError(ErrorCategory::Usage, "--precision expects int4, int8, fp8, fp16, bf16, "
                                           "tf32 or fp32, got '" +
                                               Prec + "'");
  if (!H->macRate(Prec, P))
    return makeError(ErrorCategory::Usage, "hardware profile " + A.Hw + ": mac_units." + Prec +
                                               ": no MAC units or stated peak for precision " +
                                               Prec + " at " + P.Name +
                                               " (choose another with --precision)");
  if (!H->dramBandwidthGBps(P))
    return makeError(ErrorCategory::Usage,
                     "hardware profile " + A.Hw + ": dram_bandwidth: unknown at " + P.Name +
                         " (the part has no DRAM of its own, or none is published); the "
                         "roofline needs an off-chip bandwidth");
  O.Hardware = std::move(*H);
  return llvm::Error::success();
}

} // namespace opaudit::cli
