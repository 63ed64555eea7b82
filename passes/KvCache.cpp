// Decoder recognition (see KvCache.h). Pairs come from the graph's data flow;
// names are a fallback for pairs the main graph does not show.
#include "passes/KvCache.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"

#include <regex>

namespace opaudit {

namespace {

bool isGraphOutput(const Graph &G, ValueId V) { return llvm::is_contained(G.Outputs, V); }

bool isRuntimeInput(const Graph &G, ValueId V) {
  return V != kNoValue && G.value(V).IsGraphInput && G.value(V).Initializer < 0;
}

/// Layer number and key/value from an optimum or genai cache name.
void parseName(llvm::StringRef Name, KvPair &P) {
  static const std::regex Re(R"((?:past_key_values|present)\.(\d+)\.(key|value))");
  static const std::regex Genai(R"((?:past|present)_(key|value)s?_(\d+))");
  std::smatch M;
  std::string S = Name.str();
  if (std::regex_search(S, M, Re)) {
    P.Layer = std::stoi(M[1]);
    P.Key = M[2] == "key";
  } else if (std::regex_search(S, M, Genai)) {
    P.Layer = std::stoi(M[2]);
    P.Key = M[1] == "key";
  } else {
    P.Key = Name.contains_insensitive("key") || !Name.contains_insensitive("value");
  }
}

/// The present output's name for a past input's name, by the two conventions.
std::string presentName(llvm::StringRef Past) {
  std::string S = Past.str();
  static const std::regex Optimum(R"(past_key_values\.(\d+)\.(key|value))");
  static const std::regex Genai(R"(past_(key|value)_(\d+))");
  if (std::regex_match(S, Optimum))
    return std::regex_replace(S, Optimum, "present.$1.$2");
  if (std::regex_match(S, Genai))
    return std::regex_replace(S, Genai, "present_$1_$2");
  return "";
}

std::string symbolOf(Expr E) { return E && E.isSymbol() ? E.symbolName().str() : std::string(); }

} // namespace

KvCacheInfo KvCache::run(AnalysisManager &AM) {
  const Model &M = AM.model();
  const Graph &G = M.Main;
  const ShapeInfo &SI = AM.get<ShapeInference>();
  SymContext &S = AM.sym();
  KvCacheInfo R;
  llvm::DenseSet<ValueId> Paired;
  std::string SeqFromQuery;

  auto Add = [&](ValueId Past, ValueId Present, unsigned Axis, llvm::StringRef Via) {
    if (!Paired.insert(Past).second)
      return;
    KvPair P;
    P.PastV = Past;
    P.PresentV = Present;
    P.Past = G.value(Past).Name;
    P.Present = G.value(Present).Name;
    P.Axis = Axis;
    P.Via = Via.str();
    parseName(P.Past, P);
    R.Pairs.push_back(std::move(P));
  };

  for (NodeId Id : SI.Order) {
    const Node &N = G.node(Id);
    auto In = [&](size_t I) { return I < N.Inputs.size() ? N.Inputs[I] : kNoValue; };
    auto Out = [&](size_t I) { return I < N.Outputs.size() ? N.Outputs[I] : kNoValue; };
    if (N.Domain.empty() && N.OpType == "Concat" && N.Inputs.size() >= 2 &&
        isRuntimeInput(G, In(0)) && Out(0) != kNoValue && isGraphOutput(G, Out(0))) {
      const TensorType &T = SI.Types[static_cast<size_t>(In(0))];
      const Attribute *A = N.attr("axis");
      int64_t Axis = A ? A->I : 0;
      if (T.hasRank() && Axis < 0)
        Axis += static_cast<int64_t>(T.rank());
      if (Axis >= 1 && (!T.hasRank() || Axis < static_cast<int64_t>(T.rank()))) {
        Add(In(0), Out(0), static_cast<unsigned>(Axis), "Concat");
        // The new tokens: the present's length minus the past's.
        if (R.SeqDim.empty() && T.hasRank()) {
          const TensorType &PT = SI.Types[static_cast<size_t>(Out(0))];
          if (PT.hasRank() && PT.rank() == T.rank())
            if (std::string Seq = symbolOf(S.sub((*PT.Dims)[Axis], (*T.Dims)[Axis]));
                !Seq.empty()) {
              R.SeqDim = Seq;
              R.SeqFrom = "present length - past length (Concat '" + N.Name.str() + "')";
            }
        }
      }
    } else if (N.Domain == "com.microsoft" &&
               (N.OpType == "GroupQueryAttention" || N.OpType == "MultiHeadAttention")) {
      size_t K = N.OpType == "GroupQueryAttention" ? 3 : 6;
      for (size_t J = 0; J < 2; ++J)
        if (isRuntimeInput(G, In(K + J)) && Out(1 + J) != kNoValue && isGraphOutput(G, Out(1 + J)))
          Add(In(K + J), Out(1 + J), 2, N.OpType);
      if (SeqFromQuery.empty() && In(0) != kNoValue) {
        const TensorType &Q = SI.Types[static_cast<size_t>(In(0))];
        if (Q.hasRank() && Q.rank() == 3)
          SeqFromQuery = symbolOf((*Q.Dims)[1]);
      }
      if (N.OpType == "GroupQueryAttention")
        if (const ConstValue *V = SI.value(In(6)); V && !V->isReal() && V->Ints.size() == 1)
          if (std::string T = symbolOf(V->Ints[0]);
              !T.empty() && !llvm::is_contained(R.TotalDims, T))
            R.TotalDims.push_back(T);
    }
  }
  // Names pair what the main graph does not show (a merged decoder's If).
  for (ValueId V : G.Inputs) {
    if (!isRuntimeInput(G, V) || Paired.count(V))
      continue;
    std::string P = presentName(G.value(V).Name);
    if (P.empty())
      continue;
    ValueId O = G.lookup(P);
    if (O != kNoValue && isGraphOutput(G, O))
      Add(V, O, 2, "name");
  }
  if (R.Pairs.empty()) {
    R.Reason = "not a decoder: no KV-cache pair (a past input that a Concat, GroupQueryAttention "
               "or MultiHeadAttention extends into a present output)";
    return R;
  }
  // Order by layer, key before value.
  for (size_t I = 0; I < R.Pairs.size(); ++I)
    if (R.Pairs[I].Layer < 0)
      R.Pairs[I].Layer = static_cast<int>(I / 2);
  std::stable_sort(R.Pairs.begin(), R.Pairs.end(), [](const KvPair &A, const KvPair &B) {
    return std::make_pair(A.Layer, !A.Key) < std::make_pair(B.Layer, !B.Key);
  });

  // Batch and past from the first cache's dims; every cache must agree.
  const TensorType &T0 = SI.Types[static_cast<size_t>(R.Pairs[0].PastV)];
  if (!T0.hasRank() || T0.rank() <= R.Pairs[0].Axis) {
    R.Reason = "not a decoder: the rank of KV-cache input '" + R.Pairs[0].Past + "' is unknown";
    R.Pairs.clear();
    return R;
  }
  R.BatchDim = symbolOf((*T0.Dims)[0]);
  R.PastDim = symbolOf((*T0.Dims)[R.Pairs[0].Axis]);
  R.Elem = T0.Elem;
  for (KvPair &P : R.Pairs) {
    const TensorType &T = SI.Types[static_cast<size_t>(P.PastV)];
    P.Elem = T.Elem;
    Expr E = S.constant(1);
    if (T.hasRank())
      for (size_t I = 1; I < T.rank(); ++I)
        if (I != P.Axis)
          E = S.mul(E, (*T.Dims)[I]);
    P.ElementsPerToken = T.hasRank() ? E : Expr();
    auto C = P.ElementsPerToken.asConst();
    if (!C) {
      R.Reason = "not a decoder: the per-token size of KV-cache input '" + P.Past +
                 "' is not a constant (" + P.ElementsPerToken.str() + ")";
      R.Pairs.clear();
      return R;
    }
    R.ElementsPerToken += *C;
    R.BytesPerToken += *C * dtypeBits(P.Elem) / 8;
  }
  if (R.PastDim.empty()) {
    R.Reason = "not a decoder: the past length of '" + R.Pairs[0].Past + "' is not a named dim";
    R.Pairs.clear();
    return R;
  }
  if (R.SeqDim.empty() && !SeqFromQuery.empty()) {
    R.SeqDim = SeqFromQuery;
    R.SeqFrom = "the attention query's sequence dim";
  }
  // Every other named dim of a runtime input is a total length (an
  // attention_mask [batch, total_sequence_length]), or the new tokens when
  // none was found yet (input_ids [batch, sequence_length]).
  for (ValueId V : G.Inputs) {
    if (!isRuntimeInput(G, V) || Paired.count(V))
      continue;
    const TensorType &T = SI.Types[static_cast<size_t>(V)];
    if (!T.hasRank() || T.rank() < 2 || symbolOf((*T.Dims)[0]) != R.BatchDim)
      continue;
    std::string D = symbolOf((*T.Dims)[1]);
    if (D.empty() || D == R.SeqDim || D == R.PastDim || D == R.BatchDim)
      continue;
    if (R.SeqDim.empty() && llvm::StringRef(G.value(V).Name).contains("input_ids")) {
      R.SeqDim = D;
      R.SeqFrom = "input '" + G.value(V).Name.str() + "'";
      continue;
    }
    if (!llvm::is_contained(R.TotalDims, D))
      R.TotalDims.push_back(D);
  }
  if (R.SeqDim.empty()) {
    R.Reason = "not a decoder: no dim for the new tokens was found (no Concat into the present "
               "output, no attention query, no input_ids)";
    R.Pairs.clear();
    return R;
  }
  R.Decoder = true;
  return R;
}

} // namespace opaudit
