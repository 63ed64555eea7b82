// The LLM serving estimate (see Llm.h). What a phase reads from memory:
//  - every weight once per step, as stored, except an embedding Gather,
//    which reads only the rows its indices select;
//  - prefill writes the prompt's tokens into the cache; decode reads the
//    cache once (context - 1 tokens) and appends one token in place, so it
//    moves exactly context tokens' worth;
//  - activations are left out with fused attention (they are a few hidden
//    vectors per layer); --no-fused-attention adds the score tensors, written
//    once and read once.
// Time is max(MACs / peak MAC rate, bytes / bandwidth), per device.
#include "analyzer/Llm.h"
#include "passes/KvCache.h"
#include "passes/MacCount.h"
#include "passes/Weights.h"

#include "llvm/ADT/DenseSet.h"

#include <cmath>

namespace opaudit {

namespace {

/// The expressions of one phase, in the model's own dims.
struct PhaseExprs {
  Expr Macs, Bytes;
};

std::string precisionFor(DType T) {
  switch (T) {
  case DType::Float16:
    return "fp16";
  case DType::BFloat16:
    return "bf16";
  default:
    return "fp32";
  }
}

} // namespace

llvm::Expected<LlmResult> estimateLlm(Analysis &A, const LlmOptions &O) {
  LlmResult R;
  R.Model = A.model().Path;
  R.Prompt = O.Prompt;
  R.Context = O.Context;
  R.Devices = O.Devices;
  R.FusedAttention = O.FusedAttention;
  if (O.Prompt < 1 || O.Context < 1 || O.Devices < 1 || O.Batches.empty())
    return makeError(ErrorCategory::Usage,
                     "--prompt, --context, --devices and --batch must be >= 1");
  const KvCacheInfo &KV = A.get<KvCache>();
  if (!KV.Decoder) {
    R.Reason = KV.Reason;
    return R;
  }
  R.Decoder = true;
  SymContext &S = A.sym();
  const Graph &G = A.model().Main;
  const ShapeInfo &SI = A.get<ShapeInference>();
  const MacCounts &MC = A.get<MacCount>();
  const WeightInfo &WI = A.get<Weights>();

  R.Pairs = KV.Pairs.size();
  R.Layers = KV.Pairs.empty() ? 0 : KV.Pairs.back().Layer + 1;
  R.BatchDim = KV.BatchDim;
  R.SeqDim = KV.SeqDim;
  R.PastDim = KV.PastDim;
  R.SeqFrom = KV.SeqFrom;
  for (const std::string &T : KV.TotalDims)
    R.TotalDims += (R.TotalDims.empty() ? "" : ", ") + T;
  DType KvT = O.KvDType ? *O.KvDType : KV.Elem;
  R.KvDType = dtypeName(KvT).str();
  R.KvBytesPerToken =
      O.KvDType ? KV.ElementsPerToken * dtypeBits(*O.KvDType) / 8 : KV.BytesPerToken;
  R.WeightBytes = WI.TotalBytes;
  R.Params = WI.TotalParams;

  Expr Batch = S.symbol("batch"), Prompt = S.symbol("prompt"), Context = S.symbol("context");
  Expr One = S.constant(1), Zero = S.constant(0);
  // The model's dims in terms of batch, prompt and context, per phase.
  auto Subst = [&](Expr E, bool Prefill) {
    return S.substitute(E, [&](llvm::StringRef Name) -> Expr {
      if (Name == KV.BatchDim)
        return Batch;
      if (Name == KV.SeqDim)
        return Prefill ? Prompt : One;
      if (Name == KV.PastDim)
        return Prefill ? Zero : S.sub(Context, One);
      if (llvm::is_contained(KV.TotalDims, Name))
        return Prefill ? Prompt : Context;
      return Expr();
    });
  };

  // Embedding Gathers: their tables are replaced by the rows read.
  Expr Rows = Zero;
  int64_t Embed = 0;
  for (NodeId Id : SI.Order) {
    const Node &N = G.node(Id);
    const NodeWeights &W = WI.Nodes[static_cast<size_t>(Id)];
    if (!N.Domain.empty() || N.OpType != "Gather" || W.Bytes == 0 || N.Inputs.size() < 2)
      continue;
    const Attribute *Ax = N.attr("axis");
    const TensorData *T = G.storedTensor(N.Inputs[0]);
    if ((Ax && Ax->I != 0) || !T || T->Dims.empty() || T->Dims[0] <= 0 || W.Tensors.size() != 1)
      continue;
    Expr Idx = numElements(S, SI.Types[static_cast<size_t>(N.Inputs[1])]);
    if (!Idx)
      continue;
    Embed += W.Bytes;
    Rows = S.add(Rows, S.mul(Idx, S.constant(W.Bytes / T->Dims[0])));
  }
  R.EmbeddingBytes = Embed;

  // The KV pairs' values, and score tensors [.., new tokens, total length].
  llvm::DenseSet<ValueId> Cache;
  for (const KvPair &P : KV.Pairs) {
    Cache.insert(P.PastV);
    Cache.insert(P.PresentV);
  }
  Expr SeqSym = S.symbol(KV.SeqDim);
  auto IsScore = [&](const TensorType &T) {
    if (!T.hasRank() || T.rank() != 4 || (*T.Dims)[2] != SeqSym)
      return false;
    llvm::SmallVector<llvm::StringRef, 4> Syms;
    S.symbols((*T.Dims)[3], Syms);
    for (llvm::StringRef Sy : Syms)
      if (Sy == KV.PastDim || llvm::is_contained(KV.TotalDims, Sy))
        return true;
    return false;
  };
  // Tensors that grow with the context besides the cache (GQA's repeated K/V,
  // scores): a fused attention kernel keeps them on chip.
  auto ScalesWithContext = [&](const TensorType &T) {
    if (!T.hasRank())
      return false;
    llvm::SmallVector<llvm::StringRef, 4> Syms;
    for (Expr D : *T.Dims)
      S.symbols(D, Syms);
    for (llvm::StringRef Sy : Syms)
      if (Sy == KV.PastDim || llvm::is_contained(KV.TotalDims, Sy))
        return true;
    return false;
  };
  Expr Scores = Zero;
  // Activation liveness over the schedule, for the memory fit at decode.
  struct Act {
    Expr Bytes;
    size_t Def, Last;
  };
  std::vector<Act> Acts;
  {
    std::vector<size_t> Def(G.Values.size(), 0), Last(G.Values.size(), 0);
    std::vector<char> Seen(G.Values.size(), 0);
    size_t End = SI.Order.size();
    for (size_t Step = 0; Step < SI.Order.size(); ++Step) {
      const Node &N = G.node(SI.Order[Step]);
      for (ValueId V : N.Outputs)
        if (V != kNoValue) {
          Def[static_cast<size_t>(V)] = Step;
          Seen[static_cast<size_t>(V)] = 1;
        }
      for (ValueId V : N.Inputs)
        if (V != kNoValue) {
          Last[static_cast<size_t>(V)] = Step;
          Seen[static_cast<size_t>(V)] = 1;
        }
    }
    for (ValueId V : G.Outputs)
      Last[static_cast<size_t>(V)] = End;
    for (size_t I = 0; I < G.Values.size(); ++I) {
      ValueId V = static_cast<ValueId>(I);
      if (!Seen[I] || Cache.count(V) || G.storedTensor(V) || SI.value(V) || I >= SI.Types.size())
        continue;
      const TensorType &T = SI.Types[I];
      Expr Bytes = S.mul(numElements(S, T), S.constant(std::max(1u, dtypeBits(T.Elem) / 8)));
      if (IsScore(T)) {
        Scores = S.add(Scores, S.mul(S.constant(2), Bytes));
        if (O.FusedAttention)
          continue;
      }
      if (O.FusedAttention && ScalesWithContext(T))
        continue;
      Acts.push_back({Bytes, Def[I], Last[I]});
    }
  }

  Expr Kvpt = S.constant(R.KvBytesPerToken);
  Expr Fixed = S.constant(WI.TotalBytes - Embed);
  Expr KvExpr = S.mul(S.mul(Batch, Context), Kvpt);
  Expr PMacs = Subst(MC.Total, true), DMacs = Subst(MC.Total, false);
  Expr PBytes = S.add(S.add(Fixed, Subst(Rows, true)), S.mul(S.mul(Batch, Prompt), Kvpt));
  Expr DBytes = S.add(S.add(Fixed, Subst(Rows, false)), KvExpr);
  if (!O.FusedAttention) {
    PBytes = S.add(PBytes, Subst(Scores, true));
    DBytes = S.add(DBytes, Subst(Scores, false));
  }
  R.Formulas.KvBytes = KvExpr.str();
  R.Formulas.PrefillMacs = PMacs.str();
  R.Formulas.PrefillBytes = PBytes.str();
  R.Formulas.DecodeMacs = DMacs.str();
  R.Formulas.DecodeBytes = DBytes.str();
  R.Formulas.MemoryBytes = S.add(S.constant(WI.TotalBytes), KvExpr).str() + " + peak activations";

  // Hardware.
  double BW = 0, Rate = 0;
  std::optional<int64_t> Dram;
  if (O.Hw) {
    const HardwareProfile &H = *O.Hw;
    const OperatingPoint *OP = H.operatingPoint(O.OperatingPoint);
    if (!O.OperatingPoint.empty() && !OP)
      return makeError(ErrorCategory::Usage, "hardware profile " + H.File +
                                                 " has no operating point '" + O.OperatingPoint +
                                                 "'");
    R.Precision = O.Precision.empty() ? precisionFor(KV.Elem) : O.Precision;
    if (OP) {
      R.OperatingPoint = OP->describe();
      if (auto B = H.dramBandwidthGBps(*OP))
        BW = *B * 1e9;
      if (auto M = H.macRate(R.Precision, *OP))
        Rate = *M;
    }
    if (H.DramBytes.Value)
      Dram = static_cast<int64_t>(*H.DramBytes.Value);
    R.HasHardware = true;
    R.Hardware = H.Name + (O.HwName.empty() || O.HwName == H.Name ? "" : " (" + O.HwName + ")");
    R.BandwidthBytesPerSecond = BW;
    R.MacsPerSecond = Rate;
  }
  const double N = static_cast<double>(O.Devices);
  auto Time = [&](std::optional<int64_t> Macs, std::optional<int64_t> Bytes,
                  std::string &Bound) -> std::optional<double> {
    if (!R.HasHardware || !Macs || !Bytes || BW <= 0 || Rate <= 0)
      return std::nullopt;
    double Tc = static_cast<double>(*Macs) / (Rate * N),
           Tm = static_cast<double>(*Bytes) / (BW * N);
    Bound = Tm >= Tc ? "memory" : "compute";
    return std::max(Tc, Tm);
  };
  auto Eval = [&](Expr E, int64_t B) {
    llvm::StringMap<int64_t> Binds{{"batch", B}, {"prompt", O.Prompt}, {"context", O.Context}};
    return S.evaluate(E, Binds);
  };
  auto PeakActs = [&](int64_t B) -> std::optional<int64_t> {
    llvm::StringMap<int64_t> Binds{{KV.BatchDim, B}, {KV.SeqDim, 1}, {KV.PastDim, O.Context - 1}};
    for (const std::string &T : KV.TotalDims)
      Binds[T] = O.Context;
    std::vector<int64_t> Delta(SI.Order.size() + 2, 0);
    for (const Act &X : Acts) {
      auto V = S.evaluate(X.Bytes, Binds);
      if (!V)
        return std::nullopt;
      Delta[X.Def] += *V;
      Delta[X.Last + 1] -= *V;
    }
    int64_t Live = 0, Peak = 0;
    for (int64_t D : Delta)
      Peak = std::max(Peak, Live += D);
    return Peak;
  };
  auto Div = [&](int64_t V) { return (V + O.Devices - 1) / O.Devices; };
  std::optional<int64_t> Act1 = PeakActs(1);
  std::optional<int64_t> MaxBatch;
  int64_t KvPerSeq = O.Context * R.KvBytesPerToken;
  if (Dram && Act1) {
    int64_t Free = *Dram - Div(WI.TotalBytes);
    int64_t Per = Div(KvPerSeq) + *Act1;
    MaxBatch = Free <= 0 || Per <= 0 ? 0 : Free / Per;
  }

  for (int64_t B : O.Batches) {
    LlmPoint P;
    P.Batch = B;
    P.KvBytes = B * KvPerSeq;
    P.Prefill.Tokens = O.Prompt;
    P.Prefill.Macs = Eval(PMacs, B);
    P.Prefill.Bytes = Eval(PBytes, B);
    P.Prefill.LatencySeconds = Time(P.Prefill.Macs, P.Prefill.Bytes, P.Prefill.Bound);
    P.Decode.Context = O.Context;
    P.Decode.MacsPerStep = Eval(DMacs, B);
    if (P.Decode.MacsPerStep)
      P.Decode.MacsPerToken = *P.Decode.MacsPerStep / B;
    P.Decode.BytesPerStep = Eval(DBytes, B);
    P.Decode.LatencySeconds = Time(P.Decode.MacsPerStep, P.Decode.BytesPerStep, P.Decode.Bound);
    if (P.Decode.LatencySeconds) {
      P.Decode.TokensPerSecond = static_cast<double>(B) / *P.Decode.LatencySeconds;
      P.Decode.TokensPerSecondPerSequence = 1.0 / *P.Decode.LatencySeconds;
    }
    P.Memory.WeightsBytes = Div(WI.TotalBytes);
    P.Memory.KvCacheBytes = Div(P.KvBytes);
    P.Memory.ActivationBytes = PeakActs(B);
    if (P.Memory.ActivationBytes)
      P.Memory.TotalBytes =
          P.Memory.WeightsBytes + P.Memory.KvCacheBytes + *P.Memory.ActivationBytes;
    P.Memory.DramBytes = Dram;
    if (Dram && P.Memory.TotalBytes)
      P.Memory.Fits = *P.Memory.TotalBytes <= *Dram;
    P.Memory.MaxBatch = MaxBatch;
    R.Points.push_back(std::move(P));
  }

  // Compute-bound batch: B*M/R >= (W + B*c)/BW, with M and c per sequence.
  if (R.HasHardware && BW > 0 && Rate > 0) {
    auto M1 = Eval(DMacs, 1), W0 = Eval(DBytes, 0), B1 = Eval(DBytes, 1);
    auto M0 = Eval(DMacs, 0);
    if (M1 && W0 && B1 && M0) {
      double M = static_cast<double>(*M1 - *M0), C = static_cast<double>(*B1 - *W0);
      double Slope = M / Rate - C / BW;
      if (Slope > 0)
        R.ComputeBoundBatch =
            static_cast<int64_t>(std::ceil((static_cast<double>(*W0) / BW - *M0 / Rate) / Slope));
    }
  }

  auto &As = R.Assumptions;
  As.push_back("decode at context C appends one token to C - 1 cached ones: it reads the cache "
               "once and writes one token in place, C tokens' worth of cache traffic");
  As.push_back("every weight is read once per step, as stored; an embedding Gather reads only "
               "the rows its indices select");
  As.push_back(O.FusedAttention
                   ? "attention is fused: score matrices stay on chip and other activations "
                     "(a few hidden vectors per layer) are not counted as traffic"
                   : "attention is not fused: every score tensor is written once and read once");
  As.push_back("time is max(MACs / peak MAC rate, bytes / DRAM bandwidth) at 100% efficiency");
  As.push_back("memory: all weights resident, the cache at batch x context, and the peak of "
               "live activations of one decode step; the largest batch assumes activations "
               "grow linearly with batch");
  if (!KV.TotalDims.empty())
    As.push_back("the total length dim(s) " + R.TotalDims + " are bound to past + new tokens");
  if (O.Devices > 1)
    As.push_back("tensor parallel over " + std::to_string(O.Devices) +
                 " devices: weights, cache, MACs and bytes are split evenly, each device has "
                 "the profile's bandwidth and peak; communication is not counted");
  return R;
}

} // namespace opaudit
