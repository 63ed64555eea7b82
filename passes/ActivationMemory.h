// Batch resolution and activation liveness. Decides how many inferences one
// batch holds and by how much a fixed-batch graph's activations are scaled,
// gives every activation value its size at that batch and its lifetime over
// the schedule (the topological order of ShapeInference), and from these the
// peak activation memory. docs/traffic-model.md states the rules.
#pragma once

#include "passes/ShapeInference.h"

namespace opaudit {

/// One activation: a tensor that flows between nodes at run time. Stored
/// tensors (weights, Constant outputs) and values that shape inference folded
/// to constants (shape arithmetic) are not activations.
struct ActivationValue {
  ValueId Value = kNoValue;
  std::optional<int64_t>
      Bytes;          ///< At the activation dtype, for the whole batch; nullopt if unknown.
  size_t Def = 0;     ///< Schedule step that produces it (0 for graph inputs).
  size_t LastUse = 0; ///< Last step that reads it (the final step for graph outputs).
  bool GraphInput = false;
  bool GraphOutput = false;
  llvm::SmallVector<size_t, 2> Readers; ///< Distinct schedule steps that read it.
};

struct ActivationInfo {
  /// Inferences per batch; nullopt when the batch dim is symbolic and unbound.
  std::optional<int64_t> Batch;
  /// Inferences one run of the graph computes (first dim of the first graph input).
  std::optional<int64_t> RunBatch;
  /// Batch / RunBatch: the factor MACs and activations of one run are scaled by.
  std::optional<int64_t> Scale;
  std::vector<ActivationValue> Values; ///< In order of Def (then ValueId).
  /// Peak over the schedule of the bytes of live activations; nullopt if any size is unknown.
  std::optional<int64_t> PeakBytes;
  size_t PeakStep = 0; ///< Schedule step where the peak is reached (first one).
  std::vector<Diagnostic> Diags;
};

class ActivationMemory {
public:
  using Result = ActivationInfo;
  static constexpr llvm::StringLiteral Name = "activations";
  static constexpr llvm::StringLiteral Description =
      "batch scaling, activation sizes and lifetimes, peak activation memory";
  /// Sizes are shape inference's expressions evaluated under the phase's dims.
  static constexpr bool PerPhase = true;
  static Result run(AnalysisManager &AM);
};

/// ceil(Elements * bits / 8) * Scale with overflow checks; nullopt on overflow.
std::optional<int64_t> scaledBytes(int64_t Elements, unsigned Bits, int64_t Scale);

} // namespace opaudit
