// Roofline bounds on a described accelerator (ir/Hardware.h): for each
// layer and for the whole batch, the time its MACs need at the chosen
// precision and operating point, the time its off-chip bytes need at the DRAM
// bandwidth, which of the two bounds it, and the resulting latency and
// inferences/s upper bound at 100% MAC utilization and at --utilization.
#pragma once

#include "passes/Traffic.h"

namespace opaudit {

struct LayerRoofline {
  /// MAC time (Macs / MAC rate) plus vector time (vector ops / vector rate), at 100% utilization.
  std::optional<double> ComputeSeconds;
  std::optional<double> VectorSeconds; ///< The vector part; nullopt without a vector rate.
  std::optional<double> MemorySeconds; ///< Off-chip bytes / bandwidth.
  std::optional<double> Seconds;       ///< max of the two.
  bool MemoryBound = false;            ///< MemorySeconds > ComputeSeconds.
  bool operator==(const LayerRoofline &) const = default;
};

struct RooflineInfo {
  bool Available = false; ///< false without --hw; nothing else is set then.
  std::string Profile;    ///< Profile name.
  std::string Precision;
  OperatingPoint Point;
  std::optional<int64_t> MacUnits; ///< nullopt when the rate comes from a stated peak.
  double MacsPerSecond = 0;        ///< The rate the bounds use (after efficiency.mac).
  bool PrecisionFromGraph = false; ///< No --precision/--weight-dtype: the graph's own.
  /// Non-MAC work: vector ops per second (after efficiency.vector); 0 when the
  /// profile gives no vector rate for the precision (non-MAC layers then take no time).
  double VectorOpsPerSecond = 0;
  std::string VectorConvention;        ///< How a layer's vector ops are counted.
  std::optional<int64_t> VectorOps;    ///< Per batch; nullopt when unknown.
  std::optional<double> VectorSeconds; ///< Per batch, part of ComputeSeconds.
  double EfficiencyMac = 1, EfficiencyVector = 1, EfficiencyMemory = 1;
  double BandwidthBytesPerSecond = 0; ///< After efficiency.memory.
  double Utilization = 1.0;
  std::vector<LayerRoofline> Nodes;     ///< Indexed by NodeId.
  std::optional<double> ComputeSeconds; ///< Per batch, sum of rows.
  std::optional<double> MemorySeconds;  ///< Per batch, sum of rows.
  /// Per batch: max(ComputeSeconds, MemorySeconds); transfers overlap compute across layers.
  std::optional<double> LatencySeconds;
  /// Per batch: the sum of the rows' max, when layers cannot overlap with each other.
  std::optional<double> LatencySecondsNoOverlap;
  std::optional<double> InferencesPerSecond; ///< Batch / LatencySeconds.
  /// The two ceilings the roofline takes the lower of: Batch / ComputeSeconds
  /// and Batch / MemorySeconds (inferences/s).
  std::optional<double> ComputeCeiling, MemoryCeiling;
  std::optional<double> LatencySecondsAtUtilization; ///< Compute time divided by U.
  std::optional<double> InferencesPerSecondAtUtilization;
  bool MemoryBound = false; ///< MemorySeconds > ComputeSeconds.
  std::vector<Diagnostic> Diags;
};

class Roofline {
public:
  using Result = RooflineInfo;
  static constexpr llvm::StringLiteral Name = "roofline";
  static constexpr llvm::StringLiteral Description =
      "compute- or memory-bound, latency and inferences/s bound on a hardware profile";
  /// Reads Traffic and evaluates operation counts under the phase's dims.
  static constexpr bool PerPhase = true;
  static Result run(AnalysisManager &AM);
};

/// The precision the user chose for the MAC units: --precision, else from
/// --weight-dtype (int8/uint8/int4/uint4 -> int8, float16 -> fp16, bfloat16 ->
/// bf16); empty when neither is given.
std::string chosenPrecision(const AnalysisOptions &O);
/// The precision the MAC units run at: chosenPrecision, else fp32. Without a
/// model at hand (option checks); the roofline uses rooflinePrecision.
std::string effectivePrecision(const AnalysisOptions &O);

struct PrecisionInfo;
/// The precision with the most MACs in the graph (passes/Precision: QDQ,
/// QLinear and ConvInteger models are int8); "fp32" when no MAC has a known
/// precision. Counts are evaluated under \p AM's phase bindings when given.
std::string declaredPrecision(const PrecisionInfo &PI, AnalysisManager *AM = nullptr);
/// The roofline's precision: chosenPrecision, else the graph's declared one.
std::string rooflinePrecision(AnalysisManager &AM);

} // namespace opaudit
