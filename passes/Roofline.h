// Roofline bounds on a described accelerator (ir/Hardware.h): for each
// layer and for the whole batch, the time its MACs need at the chosen
// precision and operating point, the time its off-chip bytes need at the DRAM
// bandwidth, which of the two bounds it, and the resulting latency and
// inferences/s upper bound at 100% MAC utilization and at --utilization.
#pragma once

#include "passes/Traffic.h"

namespace opaudit {

struct LayerRoofline {
  std::optional<double> ComputeSeconds; ///< Macs / (MAC units * clock), at 100% utilization.
  std::optional<double> MemorySeconds;  ///< Off-chip bytes / bandwidth.
  std::optional<double> Seconds;        ///< max of the two.
  bool MemoryBound = false;             ///< MemorySeconds > ComputeSeconds.
  bool operator==(const LayerRoofline &) const = default;
};

struct RooflineInfo {
  bool Available = false; ///< false without --hw; nothing else is set then.
  std::string Profile;    ///< Profile name.
  std::string Precision;
  OperatingPoint Point;
  std::optional<int64_t> MacUnits; ///< nullopt when the rate comes from a stated peak.
  double MacsPerSecond = 0;        ///< The rate the bounds use.
  double BandwidthBytesPerSecond = 0;
  double Utilization = 1.0;
  std::vector<LayerRoofline> Nodes;     ///< Indexed by NodeId.
  std::optional<double> ComputeSeconds; ///< Per batch, sum of rows.
  std::optional<double> MemorySeconds;  ///< Per batch, sum of rows.
  /// Per batch: max(ComputeSeconds, MemorySeconds); transfers overlap compute across layers.
  std::optional<double> LatencySeconds;
  /// Per batch: the sum of the rows' max, when layers cannot overlap with each other.
  std::optional<double> LatencySecondsNoOverlap;
  std::optional<double> InferencesPerSecond;         ///< Batch / LatencySeconds.
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
  static Result run(AnalysisManager &AM);
};

/// The precision the MAC units run at: --precision, else from --weight-dtype
/// (int8/uint8/int4/uint4 -> int8, float16 -> fp16, bfloat16 -> bf16), else fp32.
std::string effectivePrecision(const AnalysisOptions &O);

} // namespace opaudit
