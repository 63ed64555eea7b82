// `opaudit claim --hw`: the peak from the catalog (the T4's 130 dense int8
// TOPS against MLPerf v0.7's T4 ResNet-50 Offline result), the graded
// plausibility wording, exit code 1 for an impossible claim, and the
// per-convention utilizations in the table; plus evaluateClaim called as a
// library function on an Analysis.
#include "tests/TestUtil.h"

#include "analyzer/Claim.h"

#include "llvm/Support/JSON.h"

using namespace opaudit;
using namespace opaudit::test;

namespace {
constexpr double kResNetMacs = 4'089'184'256.0;
}

TEST_CASE("ClaimHw: T4 int8 at MLPerf v0.7's 6035.57 images/s is about 38% utilized") {
  auto R = runCli("claim " + samplePath("resnet50.onnx") +
                  " -q --hw t4 --precision int8 --fps 6035.57 --format json");
  REQUIRE_MESSAGE(R.Exit == 0, R.Err);
  auto J = llvm::json::parse(R.Out);
  REQUIRE(static_cast<bool>(J));
  const auto *O = J->getAsObject();
  // By hand: 6035.57 x 2 x 4,089,184,256 / 130e12 = 37.97%.
  double Hand = 6035.57 * 2 * kResNetMacs / 130e12;
  CHECK(Hand == doctest::Approx(0.3797).epsilon(1e-3));
  CHECK(*O->getNumber("mac_utilization") == doctest::Approx(Hand).epsilon(1e-9));
  CHECK(*O->getNumber("dense_tops") == 130);
  CHECK(*O->getNumber("effective_tops") == doctest::Approx(6035.57 * 2 * kResNetMacs / 1e12));
  CHECK(*O->getString("plausibility") == "plausible");
  auto T =
      runCli("claim " + samplePath("resnet50.onnx") + " -q --hw t4 --precision int8 --fps 6035.57");
  CHECK(T.Exit == 0);
  CHECK(T.Out.find("MAC utilization:    38.0%") != std::string::npos);
  CHECK(T.Out.find("130.00 dense TOPS int8 (t4 int8 dense at") != std::string::npos);
  // The per-convention table: under 'macs' (1 op per MAC) the same rate needs half.
  CHECK(T.Out.find("if the quoted TOPS counted ops as:") != std::string::npos);
  CHECK(T.Out.find("  macs ") != std::string::npos);
  CHECK(T.Out.find(" 19.0% of the peak  plausible") != std::string::npos);
}

TEST_CASE("ClaimHw: graded wording and exit code 1 when impossible") {
  std::string M = samplePath("resnet50.onnx");
  // Rate at utilization U on the T4 (65e12 MAC/s): U x 65e12 / MACs.
  auto At = [&](double U) {
    return runCli("claim " + M + " -q --hw t4 --precision int8 --fps " +
                  std::to_string(U * 65e12 / kResNetMacs));
  };
  auto High = At(0.70);
  CHECK(High.Exit == 0);
  CHECK(High.Out.find("plausible:          yes, but high: 70.0%") != std::string::npos);
  auto Exc = At(0.90);
  CHECK(Exc.Exit == 0);
  CHECK(Exc.Out.find("plausible:          exceptional: 90.0%") != std::string::npos);
  CHECK(Exc.Out.find("cite a source") != std::string::npos);
  auto Imp = At(1.20);
  CHECK(Imp.Exit == 1);
  CHECK(Imp.Out.find("plausible:          NO: the claimed rate needs 120.0%") != std::string::npos);
  CHECK(Imp.Out.find("consistent with:    only if the quoted TOPS counted operations as macs") !=
        std::string::npos);
  CHECK(gradeUtilization(0.6) == Plausibility::Plausible);
  CHECK(gradeUtilization(0.61) == Plausibility::High);
  CHECK(gradeUtilization(0.8) == Plausibility::High);
  CHECK(gradeUtilization(0.81) == Plausibility::Exceptional);
  CHECK(gradeUtilization(1.0) == Plausibility::Exceptional);
  CHECK(gradeUtilization(1.01) == Plausibility::Impossible);
}

TEST_CASE("ClaimHw: usage errors for the peak") {
  std::string M = samplePath("resnet50.onnx");
  auto Both = runCli("claim " + M + " --hw t4 --peak-tops 130 --fps 10");
  CHECK(Both.Exit == 2);
  auto None = runCli("claim " + M + " --fps 10");
  CHECK(None.Exit == 2);
  auto Unknown = runCli("claim " + M + " --hw t5 --fps 10");
  CHECK(Unknown.Exit == 2);
  CHECK(Unknown.Err.find("unknown hardware 't5'") != std::string::npos);
}

TEST_CASE("ClaimHw: evaluateClaim is a library function on an Analysis") {
  auto A = Analysis::open(samplePath("resnet50.onnx"));
  REQUIRE(static_cast<bool>(A));
  auto H = loadHardware("t4");
  REQUIRE(static_cast<bool>(H));
  ClaimInputs In;
  In.Hardware = &*H;
  In.Fps = 6035.57;
  // No --precision: the sample's MACs are fp32, and the T4's dense fp32 peak is 8.1 TFLOPS.
  auto R = evaluateClaim(**A, In);
  REQUIRE_MESSAGE(static_cast<bool>(R), llvm::toString(R.takeError()));
  CHECK(R->Precision == "fp32");
  CHECK(R->PrecisionFromGraph);
  CHECK(R->DenseTops == doctest::Approx(8.1));
  CHECK(R->Grade == Plausibility::Impossible); // 49.4 TOPS of work on an 8.1 TFLOPS part
  In.Precision = "int8";
  auto I = evaluateClaim(**A, In);
  REQUIRE(static_cast<bool>(I));
  CHECK(I->MacUtilization == doctest::Approx(6035.57 * 2 * kResNetMacs / 130e12));
  CHECK(I->MacsTotal == 4'089'184'256);
}
