// The batch sweep: one roofline result per batch size, and its two writers,
// a console table and a hand-written SVG plot (throughput, latency and weight
// traffic per inference against batch). The SVG is plain XML with every text
// escaped, so that any model or profile name gives a file an XML parser reads.
#pragma once

#include "llvm/Support/raw_ostream.h"

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
};

struct SweepResult {
  std::string Model;
  std::string InputShape;
  std::string Hardware; ///< Profile name and file.
  std::string Precision;
  std::string OperatingPoint;
  std::string Dtypes; ///< "weights stored, activations stored, SRAM N bytes".
  double Utilization = 1.0;
  std::vector<SweepPoint> Points;
};

void writeSweepTable(const SweepResult &S, llvm::raw_ostream &OS);
void writeSweepSvg(const SweepResult &S, llvm::raw_ostream &OS);

} // namespace opaudit
