// Phases: one symbolic analysis evaluated under many dim bindings. The
// references are independent of the phase code: a fresh analysis at each
// batch (its own shape inference with the batch substituted, so every
// expression is a constant), and a tiny graph whose traffic is worked out by
// hand below. Also that a sweep runs shape inference once, that a model whose
// value propagation stops at a symbolic dim is analyzed afresh per batch, and
// the sweep CLI (sorted points, formats, --svg only when asked).
#include "analyzer/Sweep.h"
#include "passes/ActivationMemory.h"
#include "passes/Roofline.h"
#include "passes/Traffic.h"
#include "reports/Sweep.h"
#include "tests/TestUtil.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

using namespace opaudit;
using namespace opaudit::test;

namespace {

HardwareProfile profile(const std::string &Name) {
  auto H = loadHardwareProfile(std::string(OPAUDIT_SOURCE_DIR) + "/samples/hardware/" + Name);
  REQUIRE_MESSAGE(H, llvm::toString(H.takeError()));
  return *H;
}

/// Every figure of \p P against a fresh analysis \p F at the same batch.
void checkSame(Analysis &P, Analysis &F) {
  const ActivationInfo &AP = P.get<ActivationMemory>(), &AF = F.get<ActivationMemory>();
  CHECK(AP.Batch == AF.Batch);
  CHECK(AP.RunBatch == AF.RunBatch);
  CHECK(AP.Scale == AF.Scale);
  CHECK(AP.PeakBytes == AF.PeakBytes);
  REQUIRE(AP.Values.size() == AF.Values.size());
  for (size_t I = 0; I < AP.Values.size(); ++I) {
    CHECK(AP.Values[I].Value == AF.Values[I].Value);
    CHECK(AP.Values[I].Bytes == AF.Values[I].Bytes);
  }
  const TrafficInfo &TP = P.get<Traffic>(), &TF = F.get<Traffic>();
  CHECK(TP.Nodes == TF.Nodes);
  CHECK(TP.Macs == TF.Macs);
  CHECK(TP.OffchipBytes == TF.OffchipBytes);
  CHECK(TP.WeightTrafficPerBatch == TF.WeightTrafficPerBatch);
  CHECK(TP.PeakActivationBytes == TF.PeakActivationBytes);
  const RooflineInfo &RP = P.get<Roofline>(), &RF = F.get<Roofline>();
  CHECK(RP.Available == RF.Available);
  CHECK(RP.Precision == RF.Precision);
  CHECK(RP.Nodes == RF.Nodes);
  CHECK(RP.VectorOps == RF.VectorOps);
  CHECK(RP.LatencySeconds == RF.LatencySeconds);
  CHECK(RP.InferencesPerSecond == RF.InferencesPerSecond);
  CHECK(RP.ComputeCeiling == RF.ComputeCeiling);
  CHECK(RP.MemoryBound == RF.MemoryBound);
}

// X[N,4] -> MatMul W1[4,8] -> H[N,8] -> Relu -> R[N,8] -> MatMul W2[8,2] -> Y[N,2].
const char *TinyMlp = R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[N,4] X) => (float[N,2] Y)
  <float[4,8] W1 = {0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0},
   float[8,2] W2 = {0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}> {
  H = MatMul (X, W1)
  R = Relu (H)
  Y = MatMul (R, W2)
})";

} // namespace

TEST_CASE("Phase: traffic of a hand-computed graph at batches 1, 2 and 8") {
  // SRAM 0: every weight streams once per batch and every activation goes
  // through DRAM. At batch B (float32, 4 bytes):
  //   weights  W1 4*8*4 = 128, W2 8*2*4 = 64: 192 bytes per batch;
  //   MatMul1  reads W1 128 + X 16B, writes H 32B          = 128 + 48B
  //   Relu     reads H 32B, writes R 32B                    =        64B
  //   MatMul2  reads W2 64 + R 32B, writes the output Y 8B  =  64 + 40B
  //   off-chip per batch 192 + 152B: 344 (B=1), 496 (B=2), 1408 (B=8);
  //   MACs 4*8*B + 8*2*B = 48B: 48, 96, 384;
  //   live bytes per step: X+H = 48B, H+R = 64B, R+Y = 40B; peak 64B.
  auto M = parseModel(TinyMlp);
  AnalysisOptions O;
  O.SramBytes = 0;
  auto Base = Analysis::fromModel(std::move(M), O);
  struct Want {
    int64_t B, Offchip, Macs, Peak, MatMul1, Relu, MatMul2;
  };
  for (Want W : {Want{1, 344, 48, 64, 176, 64, 104}, Want{2, 496, 96, 128, 224, 128, 144},
                 Want{8, 1408, 384, 512, 512, 512, 384}}) {
    CAPTURE(W.B);
    auto P = Base->phase({"b", {}, W.B});
    CHECK_FALSE(P->reanalyzed());
    const TrafficInfo &T = P->get<Traffic>();
    CHECK(T.Batch == W.B);
    CHECK(T.WeightTrafficPerBatch == 192);
    CHECK(T.OffchipBytes == W.Offchip);
    CHECK(T.Macs == W.Macs);
    CHECK(T.PeakActivationBytes == W.Peak);
    CHECK(T.Nodes[0].OffchipBytes == W.MatMul1);
    CHECK(T.Nodes[1].OffchipBytes == W.Relu);
    CHECK(T.Nodes[2].OffchipBytes == W.MatMul2);
    CHECK(T.Nodes[0].Macs == 32 * W.B);
  }
  // The symbolic analysis itself knows no batch: its traffic is unknown, not 0.
  CHECK_FALSE(Base->get<Traffic>().OffchipBytes);
  CHECK_FALSE(Base->get<ActivationMemory>().PeakBytes);
}

TEST_CASE("Phase: a sweep runs shape inference and the MAC count once") {
  auto M = parseModel(TinyMlp);
  AnalysisOptions O;
  O.Hardware = profile("memory-bound.yaml");
  auto Base = Analysis::fromModel(std::move(M), O);
  auto S = sweep(*Base, {8, 1, 2, 4});
  REQUIRE(S);
  REQUIRE(S->Points.size() == 4);
  for (const SweepPoint &P : S->Points)
    CHECK_FALSE(P.Reanalyzed);
  AnalysisManager &AM = Base->manager();
  CHECK(AM.runs(ShapeInference::Name) == 1);
  CHECK(AM.runs(MacCount::Name) == 1);
  CHECK(AM.runs(Weights::Name) == 1);
  // Traffic and roofline run once per batch (and never in the symbolic analysis).
  CHECK(AM.runs(Traffic::Name) == 4);
  CHECK(AM.runs(Roofline::Name) == 4);
}

TEST_CASE("Phase: sweep points equal a fresh analysis at each batch on every sample") {
  struct Sample {
    const char *Name;
    llvm::StringMap<int64_t> Dims;
  };
  // bert_base has symbolic batch and seq (seq bound here); the others a
  // symbolic or fixed batch.
  std::vector<Sample> Samples = {{"tiny_cnn.onnx", {}},     {"resnet50.onnx", {}},
                                 {"mobilenet_v2.onnx", {}}, {"shufflenet_v2_x1_0.onnx", {}},
                                 {"vit_b_16.onnx", {}},     {"swin_t.onnx", {}},
                                 {"yolov3.onnx", {}},       {"bert_base.onnx", {{"seq", 128}}}};
  for (const char *Hw : {"memory-bound.yaml", "t4.yaml"}) {
    for (const Sample &Sa : Samples) {
      CAPTURE(Hw);
      CAPTURE(Sa.Name);
      auto M = loadModel(samplePath(Sa.Name));
      REQUIRE(M);
      AnalysisOptions O;
      O.Hardware = profile(Hw);
      O.Dims = Sa.Dims;
      O.Precision = "fp16";
      auto Base = Analysis::fromModel(std::move(*M), O);
      std::vector<int64_t> Batches = {4, 1, 2, 8};
      auto S = sweep(*Base, Batches);
      REQUIRE(S);
      REQUIRE(S->Points.size() == 4);
      for (size_t I = 0; I < 4; ++I) {
        int64_t B = S->Points[I].Batch;
        CAPTURE(B);
        CHECK(B == int64_t(1) << I); // sorted
        CHECK_FALSE(S->Points[I].Reanalyzed);
        AnalysisOptions FO = O;
        FO.Batch = B;
        auto Fresh = Base->withOptions(FO);
        auto Ph = Base->phase({"batch", {}, B});
        checkSame(*Ph, *Fresh);
        const RooflineInfo &R = Fresh->get<Roofline>();
        const TrafficInfo &T = Fresh->get<Traffic>();
        const SweepPoint &P = S->Points[I];
        CHECK(R.LatencySeconds);
        CHECK(P.LatencySeconds == R.LatencySeconds);
        CHECK(P.InferencesPerSecond == R.InferencesPerSecond);
        CHECK(P.ComputeCeiling == R.ComputeCeiling);
        CHECK(P.OffchipBytesPerBatch == T.OffchipBytes);
        CHECK(P.PeakActivationBytes == T.PeakActivationBytes);
        CHECK(P.WeightTrafficPerInference == T.WeightTrafficPerInference);
        CHECK(P.Bound == (R.MemoryBound ? "memory" : "compute"));
      }
      CHECK(Base->manager().runs(ShapeInference::Name) == 1);
    }
  }
}

TEST_CASE("Phase: value propagation that stops at a symbolic dim makes the sweep re-analyze") {
  // n = float(N) is a folded constant at a concrete batch, but the symbolic
  // analysis cannot hold float(N): there it is a 4-byte activation. Evaluating
  // the symbolic analysis would count it; the sweep analyzes each batch afresh.
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[N,4] X) => (float[N,4] Y) {
  S = Shape (X)
  I = Constant <value = int64 {0}> ()
  D = Gather <axis = 0> (S, I)
  F = Cast <to = 1> (D)
  Y = Mul (X, F)
})");
  AnalysisOptions O;
  O.Hardware = profile("memory-bound.yaml");
  O.SramBytes = 0;
  auto Base = Analysis::fromModel(std::move(M), O);
  std::string Stop = symbolicValueStop(*Base);
  CHECK(llvm::StringRef(Stop).startswith("Cast"));
  auto S = sweep(*Base, {2, 1});
  REQUIRE(S);
  REQUIRE(S->Points.size() == 2);
  bool Noted = llvm::any_of(S->Diags, [&](const Diagnostic &D) {
    return D.Node == Stop && D.Message.find("analyzed afresh") != std::string::npos;
  });
  CHECK(Noted);
  for (const SweepPoint &P : S->Points) {
    CAPTURE(P.Batch);
    CHECK(P.Reanalyzed);
    AnalysisOptions FO = O;
    FO.Batch = P.Batch;
    auto Fresh = Base->withOptions(FO);
    // Fresh, SRAM 0: X (16B bytes) is read from DRAM by Shape and by Mul, Y
    // (16B) is written; F is folded. Off-chip 48B per batch.
    CHECK(Fresh->get<Traffic>().OffchipBytes.value_or(-1) == 48 * P.Batch);
    CHECK(P.OffchipBytesPerBatch.value_or(-1) == 48 * P.Batch);
    // The symbolic analysis, evaluated, would also move the 4 bytes of F twice.
    auto Ph = Base->phase({"b", {}, P.Batch});
    CHECK(Ph->get<Traffic>().OffchipBytes.value_or(-1) == 48 * P.Batch + 8);
  }
}

TEST_CASE("Phase: a phase that rebinds a dim the analysis bound is a fresh analysis") {
  // bert_base analyzed at --batch 2: shape inference substituted batch = 2, so
  // batch 4 cannot be evaluated from it; the phase is analyzed afresh and
  // equals an analysis made at batch 4. MACs per inference at seq 128 are
  // 11,174,215,680 (RooflineTest's BERT figure).
  auto M = loadModel(samplePath("bert_base.onnx"));
  REQUIRE(M);
  AnalysisOptions O;
  O.Hardware = profile("compute-bound.yaml");
  O.Dims["seq"] = 128;
  O.Batch = 2;
  auto Base = Analysis::fromModel(std::move(*M), O);
  auto P = Base->phase({"b4", {}, 4});
  CHECK(P->reanalyzed());
  CHECK(P->get<Traffic>().Macs == 4 * int64_t(11174215680));
  AnalysisOptions FO = O;
  FO.Batch = 4;
  auto Fresh = Base->withOptions(FO);
  checkSame(*P, *Fresh);
  // The same batch is no rebinding: evaluated from the analysis itself.
  auto Same = Base->phase({"b2", {}, 2});
  CHECK_FALSE(Same->reanalyzed());
  CHECK(Same->get<Traffic>().Macs == 2 * int64_t(11174215680));
}
