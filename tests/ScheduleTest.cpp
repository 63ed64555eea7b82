// Roofline realism (issue 13): the precision a QDQ graph declares is the
// roofline's when --precision is not given, non-MAC layers take time at the
// profile's vector rate, efficiency scales the rates, the compute ceiling is
// reported, and under --schedule sample a larger batch never lowers
// ResNet-50's inferences/s on a 50 MB-SRAM part. Every expected figure is
// worked out by hand in the comments.
#include "tests/TestUtil.h"

#include "analyzer/Analysis.h"
#include "passes/Roofline.h"

using namespace opaudit;
using namespace opaudit::test;

namespace {
HardwareProfile parseProfile(const char *Yaml) {
  auto H = parseHardwareProfile(Yaml, "p.yaml");
  REQUIRE_MESSAGE(static_cast<bool>(H), llvm::toString(H.takeError()));
  return std::move(*H);
}

RooflineInfo rooflineOf(const char *Text, AnalysisOptions O) {
  auto A = Analysis::fromModel(std::shared_ptr<const Model>(parseModel(Text)), std::move(O));
  return A->get<Roofline>();
}

// 1 MHz: rates in MAC/s are mac_units x 1e6.
constexpr const char *kTinyPart = R"(name: tiny
mac_units: {int8: 1000, fp32: 100}
operating_points: [{name: nominal, frequency: 1MHz}]
sram_bytes: 1MiB
dram_bandwidth: 1000GB/s
)";
} // namespace

TEST_CASE("Roofline: a QDQ model with --hw and no --precision runs at int8") {
  const char *Qdq = R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,4,8,8] X, int8[8,4,3,3] Wq, float s, int8 z) => (float[1,8,6,6] Y) {
  Xq = QuantizeLinear (X, s, z)
  Xd = DequantizeLinear (Xq, s, z)
  Wd = DequantizeLinear (Wq, s, z)
  Y = Conv (Xd, Wd)
})";
  AnalysisOptions O;
  O.Hardware = parseProfile(kTinyPart);
  RooflineInfo R = rooflineOf(Qdq, O);
  REQUIRE(R.Available);
  CHECK(R.Precision == "int8");
  CHECK(R.PrecisionFromGraph);
  // 1 x 8 x 6 x 6 outputs x 4 x 3 x 3 = 10,368 MACs at 1000 MAC/cycle x 1 MHz = 1e9 MAC/s.
  CHECK(*R.ComputeSeconds == doctest::Approx(10368 / 1e9));
  CHECK(*R.ComputeCeiling == doctest::Approx(1e9 / 10368));
  // --precision still wins: fp32 is 100 MAC/cycle, ten times slower.
  O.Precision = "fp32";
  RooflineInfo F = rooflineOf(Qdq, O);
  CHECK(F.Precision == "fp32");
  CHECK_FALSE(F.PrecisionFromGraph);
  CHECK(*F.ComputeSeconds == doctest::Approx(10368 / 1e8));
  // A float graph keeps fp32.
  AnalysisOptions P;
  P.Hardware = parseProfile(kTinyPart);
  RooflineInfo G = rooflineOf(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,4] X, float[4,8] W) => (float[1,8] Y) { Y = MatMul (X, W) })",
                              P);
  CHECK(G.Precision == "fp32");
}

TEST_CASE("Roofline: non-MAC layers take time at the vector rate, scaled by efficiency") {
  const char *Mlp = R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,4] X, float[4,8] W) => (float[1,8] Y) {
  H = MatMul (X, W)
  Y = Relu (H)
})";
  AnalysisOptions O;
  O.Hardware = parseProfile(R"(name: vec
mac_units: {fp32: 4}
vector_ops_per_cycle: {fp32: 2}
efficiency: {mac: 0.5, vector: 0.5}
operating_points: [{name: nominal, frequency: 1MHz}]
dram_bandwidth: 1000GB/s
)");
  RooflineInfo R = rooflineOf(Mlp, O);
  REQUIRE(R.Available);
  // MAC rate 4 x 1e6 x 0.5 = 2e6/s: 32 MACs take 16 us. Vector rate 2 x 1e6 x 0.5 = 1e6/s:
  // the Relu's 8 ops (flops: 1 per element; the MatMul's 64 flops are all 2 x MACs) take 8 us.
  CHECK(R.MacsPerSecond == doctest::Approx(2e6));
  CHECK(R.VectorOpsPerSecond == doctest::Approx(1e6));
  CHECK(*R.VectorOps == 8);
  CHECK(*R.VectorSeconds == doctest::Approx(8e-6));
  CHECK(*R.ComputeSeconds == doctest::Approx(24e-6));
  CHECK(*R.ComputeCeiling == doctest::Approx(1 / 24e-6));
  CHECK(*R.InferencesPerSecond == doctest::Approx(1 / 24e-6));
  // Without a vector rate the Relu costs nothing (the earlier behaviour).
  AnalysisOptions P;
  P.Hardware = parseProfile(R"(name: novec
mac_units: {fp32: 4}
operating_points: [{name: nominal, frequency: 1MHz}]
dram_bandwidth: 1000GB/s
)");
  RooflineInfo N = rooflineOf(Mlp, P);
  CHECK_FALSE(N.VectorSeconds);
  CHECK(*N.ComputeSeconds == doctest::Approx(32 / 4e6));
}

TEST_CASE("Schedule: on a 50 MB-SRAM part ResNet-50's inferences/s never falls with batch "
          "under --schedule sample") {
  // fp32, 16,384 MAC/cycle at 1 GHz = 16.384e12 MAC/s; 100 GB/s; 50 MiB SRAM. ResNet-50's
  // 102 MB of weights do not all fit, so part of them stream once per batch.
  auto H = parseProfile(R"(name: sram50
mac_units: {fp32: 16384}
operating_points: [{name: nominal, frequency: 1GHz}]
sram_bytes: 50MiB
dram_bandwidth: 100GB/s
)");
  auto Base = Analysis::open(samplePath("resnet50.onnx"));
  REQUIRE(static_cast<bool>(Base));
  std::optional<double> Prev;
  for (int64_t B : {1, 2, 4, 8, 16}) {
    AnalysisOptions O;
    O.Hardware = H;
    O.Batch = B;
    O.Schedule = AnalysisOptions::BatchSchedule::Sample;
    auto S = (*Base)->withOptions(O);
    O.Schedule = AnalysisOptions::BatchSchedule::Layer;
    auto L = (*Base)->withOptions(O);
    const RooflineInfo &RS = S->get<Roofline>();
    const RooflineInfo &RL = L->get<Roofline>();
    REQUIRE(RS.InferencesPerSecond);
    REQUIRE(RL.InferencesPerSecond);
    INFO("batch " << B << ": sample " << *RS.InferencesPerSecond << ", layer "
                  << *RL.InferencesPerSecond);
    // The compute ceiling does not depend on the batch: 16.384e12 / 4,089,184,256 = 4,006.67/s.
    CHECK(*RS.ComputeCeiling == doctest::Approx(16.384e12 / 4'089'184'256.0));
    CHECK(*RS.InferencesPerSecond <= *RS.ComputeCeiling * (1 + 1e-12));
    if (Prev)
      CHECK(*RS.InferencesPerSecond >= *Prev * (1 - 1e-12));
    Prev = RS.InferencesPerSecond;
    // Sample by sample never moves more bytes than the whole batch layer by layer.
    CHECK(*RS.InferencesPerSecond >= *RL.InferencesPerSecond * (1 - 1e-12));
    if (B == 1)
      CHECK(*RS.InferencesPerSecond == doctest::Approx(*RL.InferencesPerSecond));
    // Streamed weights are the same under both: once per batch.
    CHECK(S->get<Traffic>().WeightTrafficPerBatch == L->get<Traffic>().WeightTrafficPerBatch);
  }
}

TEST_CASE("Schedule: --schedule is checked and the sweep shows the compute ceiling") {
  std::string M = samplePath("resnet50.onnx");
  auto Bad = runCli("analyze " + M + " -q --batch 2 --schedule diagonal");
  CHECK(Bad.Exit == 2);
  CHECK(Bad.Err.find("--schedule expects layer or sample, got 'diagonal'") != std::string::npos);
  std::string Svg = writeTemp("sweep.svg", "");
  auto S = runCli("sweep " + M + " --hw compute-bound --batch 1,2 --schedule sample --svg " + Svg);
  REQUIRE_MESSAGE(S.Exit == 0, S.Err);
  CHECK(S.Out.find("compute ceiling") != std::string::npos);
}
