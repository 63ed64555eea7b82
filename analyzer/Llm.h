// The LLM serving estimate of `opaudit llm`: prefill, decode and memory fit
// of an exported decoder, built on one symbolic Analysis. The counts come
// from the analyses (MacCount's formula, Weights' stored bytes, KvCache's
// pairs and dims); this file only decides what each phase reads from memory
// and evaluates the formulas in batch, prompt and context for each phase
// (docs/llm.md gives the model and the reference figures).
#pragma once

#include "analyzer/Analysis.h"
#include "ir/Hardware.h"

#include <optional>
#include <string>
#include <vector>

namespace opaudit {

struct LlmOptions {
  std::vector<int64_t> Batches{1};
  int64_t Prompt = 2048;        ///< Prefill tokens per sequence (past 0).
  int64_t Context = 4096;       ///< Positions a decode step attends to (past = context - 1).
  std::optional<DType> KvDType; ///< Count the cache at this dtype (default: stored).
  int64_t Devices = 1;          ///< Tensor-parallel split of weights, cache and compute.
  bool FusedAttention = true;   ///< Score matrices stay on chip.
  std::optional<HardwareProfile> Hw;
  std::string HwName;
  std::string Precision; ///< Peak used for compute; default from the cache dtype.
  std::string OperatingPoint;
};

struct LlmPrefill {
  int64_t Tokens = 0;
  std::optional<int64_t> Macs, Bytes;
  std::optional<double> LatencySeconds;
  std::string Bound = "?";
};

struct LlmDecode {
  int64_t Context = 0;
  std::optional<int64_t> MacsPerStep, MacsPerToken, BytesPerStep;
  std::optional<double> LatencySeconds, TokensPerSecond, TokensPerSecondPerSequence;
  std::string Bound = "?";
};

struct LlmMemory {
  int64_t WeightsBytes = 0, KvCacheBytes = 0;
  std::optional<int64_t> ActivationBytes, TotalBytes, DramBytes, MaxBatch;
  std::optional<bool> Fits;
};

/// One batch size.
struct LlmPoint {
  int64_t Batch = 1;
  int64_t KvBytes = 0; ///< The cache at batch x context (all devices).
  LlmPrefill Prefill;
  LlmDecode Decode;
  LlmMemory Memory;
};

/// The quantities as expressions in batch, prompt and context.
struct LlmFormulas {
  std::string KvBytes, PrefillMacs, PrefillBytes, DecodeMacs, DecodeBytes, MemoryBytes;
};

struct LlmResult {
  std::string Model;
  bool Decoder = false;
  std::string Reason; ///< One line when it is not a decoder.
  size_t Pairs = 0;   ///< KV-cache tensors (keys and values).
  int Layers = 0;
  std::string KvDType;
  int64_t KvBytesPerToken = 0; ///< Per sequence, all layers, at KvDType.
  std::string BatchDim, SeqDim, PastDim, TotalDims, SeqFrom;
  int64_t WeightBytes = 0, Params = 0, EmbeddingBytes = 0;
  LlmFormulas Formulas;
  std::vector<LlmPoint> Points;
  // Conditions.
  bool HasHardware = false;
  std::string Hardware, Precision, OperatingPoint;
  double BandwidthBytesPerSecond = 0, MacsPerSecond = 0;
  int64_t Prompt = 0, Context = 0, Devices = 1;
  bool FusedAttention = true;
  /// The smallest batch whose decode step is compute-bound at this context;
  /// nullopt when none is (one sequence's cache read outlasts its compute).
  std::optional<int64_t> ComputeBoundBatch;
  std::vector<std::string> Assumptions;
};

/// The estimate. Errors (category Usage) for a bad option; a model that is
/// not a decoder is a result with Decoder false and Reason set.
llvm::Expected<LlmResult> estimateLlm(Analysis &A, const LlmOptions &O);

} // namespace opaudit
