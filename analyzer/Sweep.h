// The batch sweep: the roofline bound of one model on one hardware profile at
// several batch sizes, from one symbolic analysis. Each batch is a phase of
// the analysis (Analysis::phase): shape inference, the MAC count and the
// weights run once, and activation memory, traffic and roofline are evaluated
// at each batch. A batch the symbolic analysis cannot answer (a dim that only
// a concrete value resolves) is analyzed again at that batch, with a note,
// so that every figure equals a fresh analysis at that batch.
#pragma once

#include "analyzer/Analysis.h"

#include <optional>
#include <string>
#include <vector>

namespace opaudit {

struct SweepPoint {
  int64_t Batch = 1;
  std::optional<double> InferencesPerSecond;
  std::optional<double> InferencesPerSecondAtUtilization;
  std::optional<double> LatencySeconds; ///< Per batch, 100% MAC utilization.
  int64_t WeightTrafficPerBatch = 0;
  std::optional<double> WeightTrafficPerInference;
  std::optional<int64_t> OffchipBytesPerBatch;
  std::optional<int64_t> PeakActivationBytes;
  std::string Bound; ///< "compute", "memory" or "?".
  /// The compute ceiling (batch / compute time, MACs and vector work): what
  /// inferences/s would be if no byte had to cross the chip boundary.
  std::optional<double> ComputeCeiling;
  /// The memory ceiling: batch / memory time.
  std::optional<double> MemoryCeiling;
  /// This batch was analyzed again instead of evaluated from the symbolic
  /// analysis (see SweepResult::Diags for why).
  bool Reanalyzed = false;
};

struct SweepResult {
  std::string Model;
  std::string InputShape; ///< The inputs as the symbolic analysis sees them.
  std::string Hardware;   ///< Profile name and file.
  std::string Precision;
  std::string OperatingPoint;
  std::string WeightDType, ActDType; ///< "stored" or the dtype the traffic counts at.
  int64_t SramBytes = 0;
  double Utilization = 1.0;
  std::vector<SweepPoint> Points; ///< By increasing batch, one per batch.
  /// Diagnostics of the analysis (model, shapes, traffic, roofline) and a
  /// note for each batch that had to be analyzed again.
  std::vector<Diagnostic> Diags;
};

/// The sweep of \p Base (analyzed without --batch; its other options, --hw
/// included, hold for every point) over \p Batches, sorted and without
/// duplicates. Errors (category Usage) without --hw, with an empty list or a
/// batch below 1.
llvm::Expected<SweepResult> sweep(Analysis &Base, llvm::ArrayRef<int64_t> Batches);

/// The first main-graph node where value propagation stopped at a symbolic
/// input: every input's contents are known and one mentions a dim, yet an
/// output's are not. A concrete batch may fold that output to a constant
/// where the symbolic analysis keeps it as an activation, so evaluating such
/// an analysis under a binding could differ from a fresh one. Empty if none.
std::string symbolicValueStop(Analysis &A);

} // namespace opaudit
