// Symbolic value propagation on the exported samples that need it: BERT's
// (batch, seq) encoder must come out as one closed-form polynomial that
// matches the analytic count at every binding, and Swin-T / ShuffleNetV2,
// whose padding, window and channel-split arithmetic runs on Shape values,
// must resolve to their published GFLOPS.
#include "tests/TestUtil.h"

#include <cmath>

using namespace opaudit;
using namespace opaudit::test;

namespace {
Report analyzeSample(const std::string &Name, AnalysisOptions Opts = {}) {
  auto R = analyzeFile(samplePath(Name), Opts);
  REQUIRE_MESSAGE(bool(R), Name);
  return std::move(*R);
}

/// batch*(seq*12*12*d^2 + 12*2*d*seq^2) + batch*d^2 (the pooler), d = 768.
int64_t bertAnalytic(int64_t Batch, int64_t Seq) {
  const int64_t D = 768;
  return Batch * (Seq * 12 * 12 * D * D + 12 * 2 * D * Seq * Seq) + Batch * D * D;
}
} // namespace

TEST_CASE("Shapes: BERT-base with symbolic batch and seq gives one closed-form polynomial") {
  Report R = analyzeSample("bert_base.onnx");
  CHECK_FALSE(R.TotalMacs);
  CHECK(R.TotalMacsExpr == "18432*batch*seq^2 + 84934656*batch*seq + 589824*batch");
  // The same formula evaluated by binding the dims, against the analytic count.
  for (auto [B, S] : {std::pair<int64_t, int64_t>{1, 128}, {2, 128}, {1, 512}, {8, 64}, {3, 7}}) {
    CAPTURE(B);
    CAPTURE(S);
    AnalysisOptions O;
    O.Dims["batch"] = B;
    O.Dims["seq"] = S;
    Report RB = analyzeSample("bert_base.onnx", O);
    REQUIRE(RB.TotalMacs);
    CHECK(*RB.TotalMacs == bertAnalytic(B, S));
  }
  // samples/models/REFERENCE.md: hooks measured 11,174,215,680 at batch 1, seq 128.
  CHECK(bertAnalytic(1, 128) == 11174215680);
}

TEST_CASE("Shapes: Swin-T and ShuffleNetV2 resolve fully through their Shape arithmetic") {
  Report Swin = analyzeSample("swin_t.onnx");
  REQUIRE(Swin.TotalMacs);
  // REFERENCE.md's hook count; torchvision publishes 4.491 GFLOPS.
  CHECK(*Swin.TotalMacs == 4490566656);
  CHECK(std::fabs(static_cast<double>(*Swin.TotalMacs) / 1e9 - 4.491) <= 0.01 * 4.491);
  Report Shuffle = analyzeSample("shufflenet_v2_x1_0.onnx");
  REQUIRE(Shuffle.TotalMacs);
  CHECK(*Shuffle.TotalMacs == 144907992);
  CHECK(std::fabs(static_cast<double>(*Shuffle.TotalMacs) / 1e9 - 0.145) <= 0.01 * 0.145);
}
