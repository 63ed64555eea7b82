// Off-chip traffic at batch B under the SRAM model of docs/traffic-model.md:
// per layer, its weight bytes (at the stored dtype or --weight-dtype), the
// activation bytes it reads and writes (at --act-dtype), which of them cross
// the chip boundary, and its arithmetic intensity (MACs per off-chip byte).
// Weights that fit in SRAM stay resident (a one-time load, reported apart);
// the rest stream once per batch; activations that do not fit in what is left
// spill to DRAM.
#pragma once

#include "passes/ActivationMemory.h"

namespace opaudit {

struct LayerTraffic {
  int64_t WeightBytes = 0;         ///< Bytes of the weights this layer owns, at the traffic dtype.
  bool Resident = false;           ///< Its weights stay in SRAM (WeightBytes > 0 only).
  int64_t StreamedWeightBytes = 0; ///< WeightBytes fetched every batch (0 when resident).
  std::optional<int64_t> InBytes;  ///< Activations it reads, whole batch, on- or off-chip.
  std::optional<int64_t> OutBytes; ///< Activations it writes, whole batch.
  std::optional<int64_t> OffchipActBytes; ///< Activation bytes it moves to or from DRAM.
  std::optional<int64_t> OffchipBytes;    ///< StreamedWeightBytes + OffchipActBytes, per batch.
  std::optional<int64_t> Macs;            ///< MACs for the whole batch.
  /// Macs / OffchipBytes; nullopt when unknown or when nothing crosses the chip boundary.
  std::optional<double> Intensity;
  bool operator==(const LayerTraffic &) const = default;
};

struct TrafficInfo {
  std::vector<LayerTraffic> Nodes;   ///< Indexed by NodeId.
  std::optional<int64_t> Batch;      ///< Copied from ActivationInfo.
  int64_t SramBytes = 0;             ///< The SRAM the model assumes.
  std::string WeightDType;           ///< "stored" or the --weight-dtype name.
  std::string ActDType;              ///< "stored" or the --act-dtype name.
  std::string Schedule = "layer";    ///< --schedule: "layer" or "sample".
  int64_t WeightBytes = 0;           ///< All weights at the traffic dtype (sum of rows).
  int64_t ResidentWeightBytes = 0;   ///< One-time load into SRAM.
  int64_t WeightTrafficPerBatch = 0; ///< Streamed weights (sum of rows).
  /// WeightTrafficPerBatch / Batch; nullopt when the batch is unknown.
  std::optional<double> WeightTrafficPerInference;
  int64_t ActivationSramBytes = 0;        ///< SRAM left for activations.
  std::optional<int64_t> OffchipActBytes; ///< Per batch (sum of rows).
  std::optional<int64_t> OffchipBytes;    ///< Per batch, excluding the one-time load (sum of rows).
  std::optional<int64_t> Macs;            ///< Per batch.
  std::optional<double> Intensity;        ///< Macs / OffchipBytes.
  /// Peak live activation bytes: of the whole batch under the layer schedule,
  /// of one sample (ceil(batch peak / B)) under the sample schedule.
  std::optional<int64_t> PeakActivationBytes;
  std::vector<Diagnostic> Diags;
};

class Traffic {
public:
  using Result = TrafficInfo;
  static constexpr llvm::StringLiteral Name = "traffic";
  static constexpr llvm::StringLiteral Description =
      "weight and activation bytes per layer, SRAM residency and spills, arithmetic intensity";
  /// MACs are MacCount's expressions evaluated under the phase's dims.
  static constexpr bool PerPhase = true;
  static Result run(AnalysisManager &AM);
};

} // namespace opaudit
