// Decoder recognition: finds the KV-cache pairs of an exported language-model
// decoder (a past input and the present output that extends it) and the dims
// that play batch, new tokens, past length and total length. It looks at the
// graph first: a Concat whose first input is a graph input and whose output is
// a graph output, or the past_key/past_value inputs of GroupQueryAttention and
// MultiHeadAttention. Names (optimum's past_key_values.N.key -> present.N.key,
// genai's past_key_N -> present_key_N) only pair what the graph hides, as in a
// merged decoder whose Concat sits inside an If on use_cache_branch.
// `opaudit llm` (analyzer/Llm.h) builds its serving estimate on this.
#pragma once

#include "passes/ShapeInference.h"

namespace opaudit {

/// One cached tensor: a past input and the present output that holds it
/// extended by the new tokens.
struct KvPair {
  int Layer = -1;  ///< From the name when it has a number, else the order found.
  bool Key = true; ///< Key (true) or value (false) cache.
  std::string Past, Present;
  ValueId PastV = kNoValue, PresentV = kNoValue;
  unsigned Axis = 2; ///< The sequence axis of the cache.
  std::string Via;   ///< "Concat", "GroupQueryAttention", "MultiHeadAttention" or "name".
  Expr
      ElementsPerToken; ///< Elements of one token of one sequence (dims other than batch and axis).
  DType Elem = DType::Undefined;
};

struct KvCacheInfo {
  bool Decoder = false;
  std::string Reason; ///< Why the model is not a decoder (one line).
  std::vector<KvPair> Pairs;
  /// The dim names the phases bind. Total dims (an attention_mask's
  /// [batch, total_sequence_length]) are bound to past + new tokens.
  std::string BatchDim, SeqDim, PastDim;
  std::vector<std::string> TotalDims;
  std::string SeqFrom; ///< Where the new-token dim was found, for the report.
  /// Bytes of one token of one sequence, all layers, at the stored dtypes.
  int64_t BytesPerToken = 0;
  /// Elements of one token of one sequence, all layers (for --kv-dtype).
  int64_t ElementsPerToken = 0;
  DType Elem = DType::Undefined; ///< The cache's dtype (the first pair's).
};

class KvCache {
public:
  using Result = KvCacheInfo;
  static constexpr llvm::StringLiteral Name = "kvcache";
  static constexpr llvm::StringLiteral Description =
      "decoder recognition: KV-cache pairs and the batch, sequence and past dims";
  static Result run(AnalysisManager &AM);
};

} // namespace opaudit
