// `opaudit claim`: the article's example (a 130 TOPS part whose ResNet-50
// rate implies 27 TOPS runs at ~21% MAC utilization), an impossible claim and
// the conventions that would explain it, the inverse --utilization, 2:4
// sparse TOPS, another claim convention, and usage errors.
#include "tests/TestUtil.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

using namespace opaudit;
using namespace opaudit::test;

namespace {
constexpr double kResNetMacs = 4'089'184'256.0;

llvm::json::Object claim(const std::string &Args, int Exit = 0) {
  auto R = runCli("claim " + samplePath("resnet50.onnx") + " -q --format json " + Args);
  REQUIRE_MESSAGE(R.Exit == Exit, R.Err);
  auto J = llvm::json::parse(R.Out);
  REQUIRE(static_cast<bool>(J));
  return std::move(*J->getAsObject());
}

/// The images/s at which ResNet-50 needs exactly Tops TOPS under `tops` (2 ops per MAC).
std::string fpsFor(double Tops) {
  return llvm::formatv("{0:f6}", Tops * 1e12 / (2 * kResNetMacs)).str();
}
} // namespace

TEST_CASE("Claim: 130 TOPS part at a ResNet-50 rate implying 27 TOPS is ~21% utilized") {
  auto J = claim("--peak-tops 130 --fps " + fpsFor(27));
  CHECK(*J.getInteger("ops_per_inference") == 8'178'368'512);
  CHECK(*J.getNumber("effective_tops") == doctest::Approx(27.0).epsilon(1e-6));
  // Achieved 27/2 = 13.5 T MAC/s against a peak of 130/2 = 65 T MAC/s.
  CHECK(*J.getNumber("mac_utilization") == doctest::Approx(27.0 / 130).epsilon(1e-6));
  CHECK(std::llround(*J.getNumber("mac_utilization") * 100) == 21);
  CHECK(*J.getBoolean("plausible") == true);
  CHECK(*J.getObject("convention")->getString("name") == "tops");
}

TEST_CASE("Claim: a throughput needing more than 130 TOPS is flagged impossible") {
  auto J = claim("--peak-tops 130 --fps " + fpsFor(140), /*Exit=*/1);
  CHECK(*J.getNumber("effective_tops") == doctest::Approx(140.0).epsilon(1e-6));
  CHECK(*J.getNumber("mac_utilization") == doctest::Approx(140.0 / 130).epsilon(1e-6));
  CHECK(*J.getBoolean("plausible") == false);
  // Counting 1 op per MAC, the part would need 70 of its 130 "TOPS": consistent.
  std::vector<std::string> Names;
  for (const auto &C : *J.getArray("consistent_conventions"))
    Names.push_back(C.getAsObject()->getString("name")->str());
  CHECK(Names ==
        std::vector<std::string>{"macs", "torchvision", "fvcore", "thop", "ptflops", "onnx-tool"});
  CHECK(*J.getArray("consistent_conventions")->front().getAsObject()->getNumber("utilization") ==
        doctest::Approx(70.0 / 130).epsilon(1e-6));
  auto T =
      runCli("claim " + samplePath("resnet50.onnx") + " -q --peak-tops 130 --fps " + fpsFor(140));
  CHECK(T.Out.find("plausible:          NO: the claimed rate needs 107.7% of the peak MAC rate") !=
        std::string::npos);
  CHECK(T.Out.find("convention:         tops: 1 MAC = 2 ops") != std::string::npos);
  // Beyond even 1 op per MAC nothing fits.
  auto J2 = claim("--peak-tops 130 --fps " + fpsFor(300), /*Exit=*/1);
  CHECK(J2.getArray("consistent_conventions")->empty());
}

TEST_CASE("Claim: --utilization gives the images/s the peak allows") {
  auto J = claim("--peak-tops 130 --utilization 20%");
  // 0.2 * 65e12 MAC/s / 4,089,184,256 MACs per image.
  CHECK(*J.getNumber("fps") == doctest::Approx(0.2 * 65e12 / kResNetMacs).epsilon(1e-9));
  CHECK(*J.getNumber("mac_utilization") == doctest::Approx(0.2));
  CHECK(*J.getNumber("effective_tops") == doctest::Approx(26.0));
  auto J2 = claim("--peak-tops 130 --utilization 0.2");
  CHECK(*J2.getNumber("fps") == doctest::Approx(*J.getNumber("fps")));
}

TEST_CASE("Claim: 2:4 sparse TOPS halve the peak and a 1-op-per-MAC claim convention doubles it") {
  auto Sparse = claim("--peak-tops 130 --sparsity 2:4 --fps " + fpsFor(27));
  CHECK(*Sparse.getNumber("mac_utilization") == doctest::Approx(27.0 / 65).epsilon(1e-6));
  CHECK(*Sparse.getString("sparsity") == "2:4");
  auto Macs = claim("--peak-tops 130 --claim-convention macs --fps " + fpsFor(27));
  // Under 'macs' the same images/s is 13.5 "TOPS" against 130 T MAC/s.
  CHECK(*Macs.getNumber("effective_tops") == doctest::Approx(13.5).epsilon(1e-6));
  CHECK(*Macs.getNumber("mac_utilization") == doctest::Approx(13.5 / 130).epsilon(1e-6));
  CHECK(*Macs.getInteger("ops_per_inference") == 4'089'184'256);
}

TEST_CASE("Claim: precision read from the graph and batch") {
  auto J = claim("--peak-tops 130 --precision int8 --batch 8 --fps " + fpsFor(27));
  CHECK(*J.getString("precision") == "int8");
  CHECK(*J.getInteger("macs_at_precision") == 0); // the sample is fp32
  CHECK(*J.getObject("graph_macs_by_precision")->getInteger("fp32") == 4'089'184'256);
  CHECK(*J.getInteger("ops_per_inference") == 8 * 8'178'368'512);
  CHECK(*J.getNumber("mac_utilization") == doctest::Approx(27.0 / 130).epsilon(1e-6));
  auto R = runCli("claim " + samplePath("resnet50.onnx") +
                  " --peak-tops 130 --precision int8 --fps 1000");
  CHECK(R.Err.find("note: the claim is for int8 but the graph's MACs are fp32 100.0%") !=
        std::string::npos);
}

TEST_CASE("Claim: usage errors") {
  std::string M = samplePath("resnet50.onnx");
  auto Both = runCli("claim " + M + " --peak-tops 130 --fps 10 --utilization 0.5");
  CHECK(Both.Exit == 2);
  CHECK(Both.Err == "opaudit: error: give exactly one of --fps (check a claim) and "
                    "--utilization (derive images/s)\n");
  auto Sp = runCli("claim " + M + " --peak-tops 130 --fps 10 --sparsity 1:8");
  CHECK(Sp.Exit == 2);
  auto Conv = runCli("claim " + M + " --peak-tops 130 --fps 10 --claim-convention nope");
  CHECK(Conv.Exit == 2);
  CHECK(Conv.Err.find("unknown convention 'nope'") != std::string::npos);
  auto Missing = runCli("claim /nonexistent.onnx --peak-tops 130 --fps 10");
  CHECK(Missing.Exit == 3);
  CHECK(Missing.Out.empty());
}

TEST_CASE("Claim: a model whose work is unknown is an error, and reconcile shows '?'") {
  std::string Path = writeTemp(
      "unknown.onnx", serializeText(R"(<ir_version: 8, opset_import: ["" : 17, "x.custom" : 1]>
g (float[1,3,8,8] X, float[4,3,3,3] W) => (float Y) {
  T = x.custom.Mystery (X)
  Y = Conv (T, W)
})"));
  auto R = runCli("claim " + Path + " -q --peak-tops 10 --fps 100");
  CHECK(R.Exit == 2);
  CHECK(R.Err.find("the model's MACs are not a known number") != std::string::npos);
  CHECK(R.Out.empty());
  auto Rec = runCli("reconcile " + Path + " -q");
  REQUIRE(Rec.Exit == 0);
  CHECK(Rec.Out.find("\nmacs             ?       ?\n") != std::string::npos);
}

TEST_CASE("Claim: --batch binds a symbolic batch dim") {
  std::string Path = writeTemp("sym.onnx", serializeText(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[N,3,8,8] X, float[4,3,3,3] W) => (float Y) { Y = Conv (X, W) })"));
  auto R = runCli("claim " + Path + " -q --format json --peak-tops 1 --fps 1000 --batch 4");
  REQUIRE(R.Exit == 0);
  auto J = llvm::json::parse(R.Out);
  REQUIRE(static_cast<bool>(J));
  const auto *O = J->getAsObject();
  // 3888 MACs per image, 2 ops each under tops; one inference is 4 images.
  CHECK(*O->getNumber("ops_per_image") == 7776);
  CHECK(*O->getNumber("ops_per_inference") == 4 * 7776);
  CHECK(*O->getNumber("mac_utilization") == doctest::Approx(3888.0 * 1000 / 0.5e12));
}
