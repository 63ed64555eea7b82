// Rules for onnxruntime's com.microsoft contrib operators that its
// transformer optimizer and genai model builder emit, with their MAC
// formulas (shapes and semantics from onnxruntime's ContribOperators.md):
//  - Attention: input [B,S,Hin] x weights [Hin, Hq+Hk+Hv] (fused QKV
//    projection), then per head Q K^T and softmax(.) V over L = past + S keys:
//    MACs = B*S*Hin*(Hq+Hk+Hv) + B*S*L*Hq + B*S*L*Hv.
//  - MultiHeadAttention: already projected query [B,S,D], key [B,L,D],
//    value [B,L,Dv] (plus an optional past): MACs = B*S*L*D + B*S*L*Dv.
//  - GroupQueryAttention: query [B,S,N*H], grouped key/value heads, T total
//    keys: MACs = 2*B*S*T*N*H (each query head reads its group's K and V).
//  - FusedMatMul (MatMul with transposes), FusedConv (Conv + activation),
//    MatMulNBits (A[..,K] x quantized B[N,K]): MACs = rows*K*N.
// Normalizations, Gelu variants and RotaryEmbedding keep their input's shape
// and count no MACs.
#include "passes/OpRegistry.h"

namespace opaudit {
namespace {

constexpr const char *kMS = "com.microsoft";

void sameAsInput(InferContext &C) {
  const TensorType *X = C.input(0);
  C.setOutput(0, X ? *X : TensorType{});
}

/// Same shape as input 0 for output 0; optional statistics [.., 1] after.
void inferSkipNorm(InferContext &C) {
  sameAsInput(C);
  const Shape *X = C.inShape(0);
  for (size_t I = 1; I < C.numOutputs(); ++I) {
    if (I == 3) { // input_skip_bias_sum
      C.setOutput(I, C.input(0) ? *C.input(0) : TensorType{});
      continue;
    }
    if (!X)
      continue;
    Shape Stat = *X;
    if (!Stat.empty())
      Stat.back() = C.sym().constant(1);
    C.setOutput(I, DType::Float, Stat);
  }
}

void inferLayerNormMS(InferContext &C) {
  sameAsInput(C);
  const Shape *X = C.inShape(0);
  if (!X)
    return;
  auto Axis = normalizeAxis(C.attrInt("axis", -1), static_cast<int64_t>(X->size()));
  if (!Axis)
    return C.fail("axis out of range");
  Shape Stat(X->begin(), X->begin() + *Axis);
  Stat.append(X->size() - static_cast<size_t>(*Axis), C.sym().constant(1));
  for (size_t I = 1; I < C.numOutputs(); ++I)
    C.setOutput(I, DType::Float, Stat);
}

void inferBiasGelu(InferContext &C) {
  C.setOutput(0, C.inType(0), broadcastShapes(C.sym(), {C.inShape(0), C.inShape(1)}, &C));
}

/// Attention: Q/K/V hidden sizes from qkv_hidden_sizes or weights [Hin, 3H].
struct AttnSizes {
  Expr B, S, Hin, Hq, Hk, Hv, Past;
};

std::optional<AttnSizes> attentionSizes(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *X = C.inShape(0), *W = C.inShape(1);
  if (!X || X->size() != 3 || !W || W->size() != 2)
    return std::nullopt;
  AttnSizes A{(*X)[0], (*X)[1], (*X)[2], Expr(), Expr(), Expr(), S.constant(0)};
  if (auto Q = C.attrInts("qkv_hidden_sizes"); Q && Q->size() == 3) {
    A.Hq = S.constant((*Q)[0]);
    A.Hk = S.constant((*Q)[1]);
    A.Hv = S.constant((*Q)[2]);
  } else {
    Expr H = S.floorDiv((*W)[1], S.constant(3));
    A.Hq = A.Hk = A.Hv = H;
  }
  // past: [2, B, N, P, head].
  if (const Shape *P = C.inShape(4); P && P->size() == 5)
    A.Past = (*P)[3];
  return A;
}

void inferAttention(InferContext &C) {
  SymContext &S = C.sym();
  auto A = attentionSizes(C);
  if (!A) {
    C.setOutput(0, C.inType(0), Shape(3, Expr()));
    return C.fail("Attention needs input [B,S,H] and weights [H,3H]");
  }
  C.setOutput(0, C.inType(0), Shape{A->B, A->S, A->Hv});
  int64_t N = C.attrInt("num_heads", 0);
  if (C.numOutputs() > 1 && N > 0) {
    Expr Head = S.floorDiv(A->Hk, S.constant(N));
    C.setOutput(1, C.inType(0),
                Shape{S.constant(2), A->B, S.constant(N), S.add(A->Past, A->S), Head});
  }
}

Expr macsAttention(InferContext &C) {
  SymContext &S = C.sym();
  auto A = attentionSizes(C);
  if (!A)
    return Expr();
  Expr Rows = S.mul(A->B, A->S);
  Expr L = S.add(A->Past, A->S);
  Expr Proj = S.mul(Rows, S.mul(A->Hin, S.add(A->Hq, S.add(A->Hk, A->Hv))));
  return S.add(Proj, S.mul(S.mul(Rows, L), S.add(A->Hq, A->Hv)));
}

/// MultiHeadAttention with separate 3-D query, key and value.
struct MhaSizes {
  Expr B, S, D, L, Dv;
};

std::optional<MhaSizes> mhaSizes(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *Q = C.inShape(0), *K = C.inShape(1), *V = C.inShape(2);
  if (!Q || Q->size() != 3 || !K || K->size() != 3 || !V || V->size() != 3)
    return std::nullopt;
  MhaSizes M{(*Q)[0], (*Q)[1], (*Q)[2], (*K)[1], (*V)[2]};
  // past_key [B, N, P, H] is concatenated before the new keys.
  if (const Shape *P = C.inShape(6); P && P->size() == 4)
    M.L = S.add(M.L, (*P)[2]);
  return M;
}

void inferMHA(InferContext &C) {
  SymContext &S = C.sym();
  auto M = mhaSizes(C);
  if (!M) {
    C.setOutput(0, C.inType(0), Shape(3, Expr()));
    return C.fail("only 3-D query, key and value are supported");
  }
  C.setOutput(0, C.inType(0), Shape{M->B, M->S, M->Dv});
  int64_t N = C.attrInt("num_heads", 0);
  if (N > 0) {
    Expr NN = S.constant(N);
    C.setOutput(1, C.inType(0), Shape{M->B, NN, M->L, S.floorDiv(M->D, NN)});
    C.setOutput(2, C.inType(0), Shape{M->B, NN, M->L, S.floorDiv(M->Dv, NN)});
  }
}

Expr macsMHA(InferContext &C) {
  SymContext &S = C.sym();
  auto M = mhaSizes(C);
  if (!M)
    return Expr();
  return S.mul(S.mul(M->B, S.mul(M->S, M->L)), S.add(M->D, M->Dv));
}

/// GroupQueryAttention: query [B,S,D] (D = num_heads*H); T keys in total.
struct GqaSizes {
  Expr B, S, D, T, Head, PastLen;
};

std::optional<GqaSizes> gqaSizes(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *Q = C.inShape(0);
  int64_t N = C.attrInt("num_heads", 0), KvN = C.attrInt("kv_num_heads", 0);
  if (!Q || Q->size() != 3 || N <= 0 || KvN <= 0)
    return std::nullopt;
  Expr D = (*Q)[2];
  // Packed QKV: the query carries N + 2*KvN heads when key is omitted.
  Expr Heads = C.hasInput(1) ? S.constant(N) : S.constant(N + 2 * KvN);
  Expr Head = S.floorDiv(D, Heads);
  GqaSizes G{(*Q)[0], (*Q)[1], S.mul(Head, S.constant(N)), Expr(), Head, Expr()};
  // total_sequence_length (input 6) is a scalar; otherwise past + S.
  if (const ConstValue *V = C.value(6); V && !V->isReal() && V->Ints.size() == 1)
    G.T = V->Ints[0];
  if (const Shape *P = C.inShape(3); P && P->size() == 4)
    G.PastLen = (*P)[2];
  if (!G.T && G.PastLen)
    G.T = S.add(G.PastLen, G.S);
  return G;
}

void inferGQA(InferContext &C) {
  SymContext &S = C.sym();
  auto G = gqaSizes(C);
  if (!G) {
    C.setOutput(0, C.inType(0), Shape(3, Expr()));
    return C.fail("GroupQueryAttention needs query [B,S,D], num_heads and kv_num_heads");
  }
  C.setOutput(0, C.inType(0), Shape{G->B, G->S, G->D});
  Expr KvN = S.constant(C.attrInt("kv_num_heads", 0));
  // present_key/value: [B, kv_num_heads, max(past buffer, total), H].
  Expr Len = G->PastLen && G->T ? S.max(G->PastLen, G->T) : G->T;
  for (size_t I = 1; I < 3; ++I)
    C.setOutput(I, C.inType(0), Shape{G->B, KvN, Len, G->Head});
}

Expr macsGQA(InferContext &C) {
  SymContext &S = C.sym();
  auto G = gqaSizes(C);
  if (!G || !G->T)
    return Expr();
  return S.mul(S.constant(2), S.mul(S.mul(G->B, G->S), S.mul(G->T, G->D)));
}

/// FusedMatMul: MatMul with optional transposes of the last two dims.
void inferFusedMatMul(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *A = C.inShape(0), *B = C.inShape(1);
  if (!A || !B || A->size() < 2 || B->size() < 2 || C.attrInt("transBatchA", 0) ||
      C.attrInt("transBatchB", 0)) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("needs operands of rank >= 2 (transBatch is not supported)");
  }
  Shape TA = *A, TB = *B;
  if (C.attrInt("transA", 0))
    std::swap(TA[TA.size() - 1], TA[TA.size() - 2]);
  if (C.attrInt("transB", 0))
    std::swap(TB[TB.size() - 1], TB[TB.size() - 2]);
  Shape BA(TA.begin(), TA.end() - 2), BB(TB.begin(), TB.end() - 2);
  auto Batch = broadcastShapes(S, {&BA, &BB}, &C);
  if (!Batch)
    return C.setOutput(0, C.inType(0), std::nullopt);
  Batch->push_back(TA[TA.size() - 2]);
  Batch->push_back(TB.back());
  C.setOutput(0, C.inType(0), *Batch);
}

Expr macsFusedMatMul(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *A = C.inShape(0);
  if (!A || A->size() < 2 || !C.OutTypes[0].Dims)
    return Expr();
  Expr K = C.attrInt("transA", 0) ? (*A)[A->size() - 2] : A->back();
  return S.mul(numElements(S, C.OutTypes[0]), K);
}

void inferFusedConv(InferContext &C) {
  if (const OpRule *Conv = findRule("", "Conv", 11))
    Conv->Infer(C);
}

Expr macsFusedConv(InferContext &C) {
  const OpRule *Conv = findRule("", "Conv", 11);
  return Conv && Conv->Macs ? Conv->Macs(C) : Expr();
}

/// MatMulNBits: A [..., K] times a block-quantized B holding [N, K].
void inferMatMulNBits(InferContext &C) {
  const Shape *A = C.inShape(0);
  int64_t N = C.attrInt("N", 0);
  if (!A || A->empty() || N <= 0) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("needs A of known rank and the N attribute");
  }
  Shape Out = *A;
  Out.back() = C.sym().constant(N);
  C.setOutput(0, C.inType(0), Out);
}

Expr macsMatMulNBits(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *A = C.inShape(0);
  int64_t K = C.attrInt("K", 0);
  if (!A || A->empty() || K <= 0 || !C.OutTypes[0].Dims)
    return Expr();
  return S.mul(numElements(S, C.OutTypes[0]), S.constant(K));
}

constexpr uint32_t in(unsigned I) { return 1u << I; }

} // namespace

void addContribRules(std::vector<OpRule> &R) {
  using OC = OpClass;
  auto Add = [&](llvm::StringRef Op, OC Cls, InferFn F, uint32_t ShapeIn = 0, MacFn M = nullptr) {
    R.push_back({kMS, Op, 1, Cls, F, ShapeIn, M});
  };
  Add("Attention", OC::Attention, inferAttention, in(3), macsAttention);
  Add("MultiHeadAttention", OC::Attention, inferMHA, in(4), macsMHA);
  Add("GroupQueryAttention", OC::Attention, inferGQA, in(5) | in(6), macsGQA);
  Add("RotaryEmbedding", OC::Elementwise, sameAsInput, in(1));
  Add("SkipLayerNormalization", OC::Normalization, inferSkipNorm);
  Add("SkipSimplifiedLayerNormalization", OC::Normalization, inferSkipNorm);
  Add("SimplifiedLayerNormalization", OC::Normalization, inferLayerNormMS);
  Add("LayerNormalization", OC::Normalization, inferLayerNormMS);
  Add("FastGelu", OC::Activation, sameAsInput);
  Add("BiasGelu", OC::Activation, inferBiasGelu);
  Add("Gelu", OC::Activation, sameAsInput);
  Add("QuickGelu", OC::Activation, sameAsInput);
  Add("FusedMatMul", OC::MatMul, inferFusedMatMul, 0, macsFusedMatMul);
  Add("FusedConv", OC::Conv, inferFusedConv, 0, macsFusedConv);
  Add("MatMulNBits", OC::MatMul, inferMatMulNBits, 0, macsMatMulNBits);
}

} // namespace opaudit
