// com.microsoft contrib operators on hand-computed small graphs: output
// shapes and MAC formulas of Attention, MultiHeadAttention,
// GroupQueryAttention, FusedMatMul, FusedConv and MatMulNBits, and the
// shape-preserving normalizations and activations.
#include "tests/TestUtil.h"

using namespace opaudit;
using namespace opaudit::test;

namespace {
struct Run {
  std::unique_ptr<Model> M;
  std::unique_ptr<AnalysisManager> AM;
  const MacCounts *Macs = nullptr;
};

Run run(const char *Text) {
  Run R;
  R.M = parseModel(Text);
  R.AM = std::make_unique<AnalysisManager>(*R.M);
  R.Macs = &R.AM->get<MacCount>();
  return R;
}
} // namespace

TEST_CASE("Contrib: Attention counts the fused QKV projection and both attention matmuls") {
  auto R = run(R"(<ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]>
g (float[2,8,16] X, float[16,48] W, float[48] Bias) => (float Y) {
  Y = com.microsoft.Attention <num_heads = 4> (X, W, Bias)
})");
  CHECK(dimsOf(*R.AM, "Y") == std::vector<std::string>{"2", "8", "16"});
  // Projection 2*8*16*48 = 12288; QK^T and AV: 2*8*8*(16 + 16) = 4096.
  CHECK(R.Macs->Total == R.AM->sym().constant(12288 + 4096));
}

TEST_CASE("Contrib: Attention with symbolic batch and sequence gives a polynomial") {
  auto R = run(R"(<ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]>
g (float[B,S,16] X, float[16,48] W, float[48] Bias) => (float Y) {
  Y = com.microsoft.Attention <num_heads = 4> (X, W, Bias)
})");
  CHECK(R.Macs->Total.str() == "32*B*S^2 + 768*B*S");
}

TEST_CASE("Contrib: MultiHeadAttention and GroupQueryAttention") {
  auto M = run(R"(<ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]>
g (float[2,8,16] Q, float[2,10,16] K, float[2,10,24] V) => (float Y) {
  Y = com.microsoft.MultiHeadAttention <num_heads = 4> (Q, K, V)
})");
  CHECK(dimsOf(*M.AM, "Y") == std::vector<std::string>{"2", "8", "24"});
  // 2*8*10 query-key pairs x (16 for QK^T + 24 for AV).
  CHECK(M.Macs->Total == M.AM->sym().constant(2 * 8 * 10 * (16 + 24)));

  auto G = run(R"(<ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]>
g (float[1,4,32] Q, float[1,4,16] K, float[1,4,16] V, float[1,2,6,8] PK, float[1,2,6,8] PV,
   int32[1] SL) => (float Y, float PKo, float PVo) <int32 T = {10}> {
  Y, PKo, PVo = com.microsoft.GroupQueryAttention <num_heads = 4, kv_num_heads = 2> (Q, K, V, PK, PV, SL, T)
})");
  CHECK(dimsOf(*G.AM, "Y") == std::vector<std::string>{"1", "4", "32"});
  CHECK(dimsOf(*G.AM, "PKo") == std::vector<std::string>{"1", "2", "10", "8"});
  // 4 heads of 8 read 10 keys and 10 values for each of 4 queries: 2*4*10*32.
  CHECK(G.Macs->Total == G.AM->sym().constant(2 * 4 * 10 * 32));
}

TEST_CASE("Contrib: FusedMatMul, FusedConv and MatMulNBits") {
  auto R = run(R"(<ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]>
g (float[3,4,5] A, float[4,6] B, float[1,3,8,8] X, float[4,3,3,3] W, float[2,3,64] Q,
   uint8[32,2,16] QB, float[64] Sc) => (float Y, float Z, float P) {
  Y = com.microsoft.FusedMatMul <transA = 1> (A, B)
  Z = com.microsoft.FusedConv <activation = "Relu"> (X, W)
  P = com.microsoft.MatMulNBits <K = 64, N = 32, bits = 4, block_size = 32> (Q, QB, Sc)
})");
  CHECK(dimsOf(*R.AM, "Y") == std::vector<std::string>{"3", "5", "6"});
  CHECK(dimsOf(*R.AM, "Z") == std::vector<std::string>{"1", "4", "6", "6"});
  CHECK(dimsOf(*R.AM, "P") == std::vector<std::string>{"2", "3", "32"});
  SymContext &S = R.AM->sym();
  CHECK(R.Macs->Nodes[0].Macs == S.constant(3 * 5 * 6 * 4));  // K = 4 after transA
  CHECK(R.Macs->Nodes[1].Macs == S.constant(4 * 6 * 6 * 27)); // out x Cin x 3x3
  CHECK(R.Macs->Nodes[2].Macs == S.constant(6 * 32 * 64));    // rows x N x K
}

TEST_CASE(
    "Contrib: normalizations, Gelu variants and RotaryEmbedding keep shapes and count no MACs") {
  auto R = run(R"(<ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]>
g (float[2,8,16] X, float[2,8,16] Skip, float[16] Gm, float[16] Bt, int64[2,8] Pos,
   float[32,4] Cos, float[32,4] Sin) => (float A, float B, float C, float D, float E, float F, float G, float H, float I) {
  A = com.microsoft.SkipLayerNormalization (X, Skip, Gm, Bt)
  B = com.microsoft.SkipSimplifiedLayerNormalization (X, Skip, Gm)
  C = com.microsoft.SimplifiedLayerNormalization (X, Gm)
  D = com.microsoft.LayerNormalization (X, Gm, Bt)
  E = com.microsoft.FastGelu (X)
  F = com.microsoft.BiasGelu (X, Bt)
  G = com.microsoft.Gelu (X)
  H = com.microsoft.QuickGelu (X)
  I = com.microsoft.RotaryEmbedding (X, Pos, Cos, Sin)
})");
  for (const char *V : {"A", "B", "C", "D", "E", "F", "G", "H", "I"}) {
    CAPTURE(V);
    CHECK(dimsOf(*R.AM, V) == std::vector<std::string>{"2", "8", "16"});
  }
  CHECK(R.Macs->Total == R.AM->sym().constant(0));
  CHECK(R.AM->get<ShapeInference>().Diags.empty());
}
