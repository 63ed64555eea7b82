// Roofline acceptance: on the compute-bound profile inferences/s is
// mac_units * f / MACs and a slower operating point scales it by the
// frequency ratio; on the memory-bound profile the bound is memory and at
// most bandwidth / bytes per inference. Also the YOLOv3-at-1920x1088 vs
// ResNet-50 MAC ratio quoted in README, hardware profile errors, the JSON
// and table sections, and the sweep command with an SVG that parses as XML.
#include "passes/Roofline.h"
#include "reports/Sweep.h"
#include "tests/TestUtil.h"

#include "llvm/Support/JSON.h"

#include <fstream>
#include <sstream>

using namespace opaudit;
using namespace opaudit::test;

namespace {
std::string hwPath(const std::string &Name) {
  return std::string(OPAUDIT_SOURCE_DIR) + "/samples/hardware/" + Name;
}

HardwareProfile profile(const std::string &Name) {
  auto H = loadHardwareProfile(hwPath(Name));
  REQUIRE_MESSAGE(H, llvm::toString(H.takeError()));
  return *H;
}

struct Run {
  std::unique_ptr<Model> M;
  std::unique_ptr<Analysis> An;
  AnalysisManager *AM = nullptr;
  const RooflineInfo *R = nullptr;
  const TrafficInfo *T = nullptr;
};

Run roof(const std::string &Sample, AnalysisOptions O) {
  Run R;
  auto M = loadModel(samplePath(Sample));
  REQUIRE(M);
  R.M = std::move(*M);
  R.An = Analysis::fromModel(std::move(R.M), std::move(O));
  R.AM = &R.An->manager();
  R.R = &R.AM->get<Roofline>();
  R.T = &R.AM->get<Traffic>();
  return R;
}

std::string hwError(const std::string &Yaml) {
  auto H = parseHardwareProfile(Yaml, "p.yaml");
  REQUIRE_FALSE(H);
  std::string Msg = llvm::toString(H.takeError());
  CHECK(Msg.find('\n') == std::string::npos);
  CHECK(Msg.find("p.yaml") != std::string::npos);
  return Msg;
}

const char *GoodOp =
    "  - {name: a, frequency_mhz: 100, voltage: 0.9, process: TT, temperature_c: 25}\n";
} // namespace

TEST_CASE("Roofline: compute-bound profile gives mac_units * f / MACs") {
  const double ResNetMacs = 4089184256.0;
  for (int64_t B : {1, 8}) {
    CAPTURE(B);
    AnalysisOptions O;
    O.Hardware = profile("compute-bound.yaml");
    O.Batch = B;
    auto Nominal = roof("resnet50.onnx", O);
    REQUIRE(Nominal.R->Available);
    CHECK_FALSE(Nominal.R->MemoryBound);
    CHECK(Nominal.R->MacUnits == 4096);
    CHECK(Nominal.T->Macs == 4089184256 * B);
    CHECK(*Nominal.R->InferencesPerSecond == 4096 * 1e9 / ResNetMacs);
    CHECK(*Nominal.R->LatencySeconds == doctest::Approx(B * ResNetMacs / 4096e9).epsilon(1e-12));
    O.OperatingPointName = "slow";
    auto Slow = roof("resnet50.onnx", O);
    CHECK(Slow.R->Point.FrequencyMHz == 500);
    CHECK(*Slow.R->InferencesPerSecond == 4096 * 500e6 / ResNetMacs);
    CHECK(*Slow.R->InferencesPerSecond / *Nominal.R->InferencesPerSecond == 0.5);
    O.Utilization = 0.25;
    auto Quarter = roof("resnet50.onnx", O);
    CHECK(*Quarter.R->InferencesPerSecondAtUtilization ==
          doctest::Approx(0.25 * *Slow.R->InferencesPerSecond).epsilon(1e-12));
    CHECK(*Quarter.R->InferencesPerSecond == *Slow.R->InferencesPerSecond);
  }
}

TEST_CASE("Roofline: precision picks the MAC units") {
  AnalysisOptions O;
  O.Hardware = profile("compute-bound.yaml");
  O.WeightDType = DType::Int8;
  CHECK(effectivePrecision(O) == "int8");
  auto R = roof("resnet50.onnx", O);
  CHECK(R.R->MacUnits == 16384);
  CHECK(*R.R->InferencesPerSecond == 16384 * 1e9 / 4089184256.0);
  O.Precision = "bf16";
  CHECK(roof("resnet50.onnx", O).R->MacUnits == 8192);
}

TEST_CASE("Roofline: memory-bound profile is reported memory-bound and under bandwidth / bytes") {
  AnalysisOptions O;
  O.Hardware = profile("memory-bound.yaml");
  for (int64_t B : {1, 4}) {
    CAPTURE(B);
    O.Batch = B;
    auto R = roof("resnet50.onnx", O);
    REQUIRE(R.R->Available);
    CHECK(R.R->MemoryBound);
    double BytesPerInference = static_cast<double>(*R.T->OffchipBytes) / static_cast<double>(B);
    double Limit = 8e9 / BytesPerInference;
    CHECK(*R.R->InferencesPerSecond <= Limit);
    CHECK(*R.R->InferencesPerSecond == doctest::Approx(Limit).epsilon(1e-12));
    CHECK(*R.R->MemorySeconds > *R.R->ComputeSeconds);
    CHECK(*R.R->LatencySecondsNoOverlap >= *R.R->LatencySeconds * (1 - 1e-12));
  }
}

TEST_CASE("Roofline: tiny_cnn on the memory-bound profile, computed by hand") {
  // The serial latency is added up in the loop that fills the rows, so rows
  // and total are checked against figures worked out here instead. Profile:
  // fp32 1,024 MACs x 800 MHz = 819.2 G MAC/s, 8 GB/s, 2 MiB SRAM, which holds
  // all 4,584 weight bytes and every activation (the largest, 32 KB, twice):
  // only the input (3x32x32 fp32 = 12,288 B, read by conv1) and the output
  // (10 fp32 = 40 B, written by fc) cross the chip boundary.
  AnalysisOptions O;
  O.Hardware = profile("memory-bound.yaml");
  auto R = roof("tiny_cnn.onnx", O);
  REQUIRE(R.R->Available);
  const double MacRate = 1024 * 800e6, Bw = 8e9;
  // conv1: 221,184 MACs vs 12,288 bytes -> memory; conv2 36,864 and conv3
  // 9,216 MACs with nothing off-chip -> compute; fc 160 MACs vs 40 bytes -> memory.
  const double Conv1 = 12288 / Bw, Conv2 = 36864 / MacRate, Conv3 = 9216 / MacRate, Fc = 40 / Bw;
  const std::pair<size_t, double> Want[] = {{0, Conv1}, {3, Conv2}, {5, Conv3}, {10, Fc}};
  const std::vector<NodeId> &Order = R.AM->get<ShapeInference>().Order;
  REQUIRE(Order.size() == 11);
  double Serial = 0;
  for (size_t S = 0; S < Order.size(); ++S) {
    CAPTURE(S);
    const LayerRoofline &L = R.R->Nodes[static_cast<size_t>(Order[S])];
    double Expect = 0; // Relu, pool, Add, Flatten: no MACs, nothing off-chip.
    for (auto [At, Sec] : Want)
      if (At == S)
        Expect = Sec;
    REQUIRE(L.Seconds);
    CHECK(*L.Seconds == doctest::Approx(Expect).epsilon(1e-12));
    Serial += *L.Seconds;
  }
  CHECK(Serial == doctest::Approx(Conv1 + Conv2 + Conv3 + Fc).epsilon(1e-12));
  CHECK(*R.R->LatencySecondsNoOverlap == doctest::Approx(1.59725e-6).epsilon(1e-12));
  // With overlap: max(all MACs 267,424 / 819.2e9, all bytes 12,328 / 8e9) = 1.541 us.
  CHECK(*R.R->ComputeSeconds == doctest::Approx(267424 / MacRate).epsilon(1e-12));
  CHECK(*R.R->MemorySeconds == doctest::Approx(12328 / Bw).epsilon(1e-12));
  CHECK(*R.R->LatencySeconds == doctest::Approx(1.541e-6).epsilon(1e-12));
  CHECK(R.R->MemoryBound);
}

TEST_CASE("Roofline: YOLOv3 at 1920x1088 needs 97.2x the MACs of ResNet-50 at 224x224") {
  AnalysisOptions O;
  O.InputShapes["input"] = {"1", "3", "1088", "1920"};
  auto Y = roof("yolov3.onnx", O);
  auto R = roof("resnet50.onnx", {});
  CHECK(Y.T->Macs == 397522821120);
  CHECK(R.T->Macs == 4089184256);
  double Ratio = 397522821120.0 / 4089184256.0;
  CHECK(Ratio == doctest::Approx(97.2132).epsilon(1e-6));
  CHECK(std::lround(Ratio) == 97);
}

TEST_CASE("Roofline: hardware profile errors name the file and the field, on one line") {
  CHECK(hwError("name: x\nmac_units: {fp32: 10}\noperating_points:\n" + std::string(GoodOp) +
                "sram_bytes: 0\n")
            .find("missing required key 'dram_bandwidth_gbps'") != std::string::npos);
  CHECK(hwError("name: x\nmac_units: {fp32: ten}\noperating_points: []\nsram_bytes: 0\n"
                "dram_bandwidth_gbps: 1\n")
            .find("fp32: invalid number") != std::string::npos);
  CHECK(hwError("name: x\nmac_units: {fp32: 1, fp64: 2}\noperating_points: []\nsram_bytes: 0\n"
                "dram_bandwidth_gbps: 1\n")
            .find("unknown key 'fp64'") != std::string::npos);
  CHECK(hwError("name: x\nmac_units: {fp32: 1}\noperating_points:\n  - {name: a, frequency_mhz: "
                "-5, voltage: 0.9, process: TT, temperature_c: 25}\nsram_bytes: 0\n"
                "dram_bandwidth_gbps: 1\n")
            .find("operating_points[0].frequency_mhz: must be > 0") != std::string::npos);
  CHECK(hwError("name: x\nmac_units: {fp32: 1}\noperating_points: []\nsram_bytes: 0\n"
                "dram_bandwidth_gbps: 1\n")
            .find("operating_points: needs at least one") != std::string::npos);
  CHECK(hwError("name: x\nmac_units: {fp32: 1}\noperating_points:\n" + std::string(GoodOp) +
                "sram_bytes: -1\ndram_bandwidth_gbps: 1\n")
            .find("sram_bytes: must be >= 0") != std::string::npos);
  CHECK(hwError("name: x\nmac_units: {}\noperating_points:\n" + std::string(GoodOp) +
                "sram_bytes: 0\ndram_bandwidth_gbps: 1\n")
            .find("mac_units: at least one") != std::string::npos);
  CHECK(hwError("{{{").find("p.yaml:1:") != std::string::npos);
  CHECK(hwError("").find("p.yaml") != std::string::npos);
}

TEST_CASE("Roofline: the sample profiles parse and say they are illustrative") {
  for (const char *F : {"compute-bound.yaml", "memory-bound.yaml", "edge-npu-pvt.yaml"}) {
    CAPTURE(F);
    HardwareProfile H = profile(F);
    CHECK(H.Name.find("illustrative") != std::string::npos);
    std::ifstream In(hwPath(F));
    std::stringstream SS;
    SS << In.rdbuf();
    CHECK(SS.str().find("ILLUSTRATIVE") != std::string::npos);
  }
  HardwareProfile E = profile("edge-npu-pvt.yaml");
  REQUIRE(E.OperatingPoints.size() == 3);
  CHECK(E.OperatingPoints[0].Voltage == 0.9);
  CHECK(E.OperatingPoints[1].Voltage == 0.6);
  CHECK(E.macUnits("fp32") == 0);
}

TEST_CASE("Roofline: CLI analyze --hw writes the JSON fields and states the conditions") {
  auto R =
      runCli("analyze " + samplePath("resnet50.onnx") + " --hw " + hwPath("compute-bound.yaml") +
             " --operating-point slow --batch 8 --sram 0 "
             "--format json -q");
  REQUIRE(R.Exit == 0);
  auto J = llvm::json::parse(R.Out);
  REQUIRE_MESSAGE(J, llvm::toString(J.takeError()));
  const llvm::json::Object &O = *J->getAsObject();
  const auto *T = O.getObject("totals");
  CHECK(T->getInteger("weight_traffic_bytes_per_batch").getValueOr(-1) == 102121888);
  CHECK(T->getNumber("weight_traffic_bytes_per_inference").getValueOr(-1) == 102121888.0 / 8);
  CHECK(T->getInteger("peak_activation_bytes").getValueOr(-1) == 9633792 * 8);
  const auto *Roof = O.getObject("roofline");
  REQUIRE(Roof);
  CHECK(Roof->getString("bound").getValueOr("") == llvm::StringRef("compute"));
  CHECK(Roof->getString("operating_point").getValueOr("") == llvm::StringRef("slow"));
  CHECK(Roof->getNumber("inferences_per_second").getValueOr(-1) == 4096 * 500e6 / 4089184256.0);
  CHECK(Roof->getNumber("latency_seconds").getValueOr(-1) > 0);
  const auto *C = O.getObject("conditions");
  REQUIRE(C);
  CHECK(C->getInteger("batch").getValueOr(-1) == 8);
  CHECK(C->getString("input_shape").getValueOr("") == llvm::StringRef("input:1x3x224x224"));
  CHECK(C->getString("precision").getValueOr("") == llvm::StringRef("fp32"));
  CHECK(C->getString("operating_point")->startswith("slow (500 MHz, 0.6 V, SS, 125 C)"));
  CHECK(C->getString("convention")->contains("per batch"));
  const auto *Layers = O.getArray("layers");
  int64_t Sum = 0;
  for (const llvm::json::Value &L : *Layers)
    Sum += *L.getAsObject()->getObject("traffic")->getInteger("weight_traffic_bytes_per_batch");
  CHECK(Sum == 102121888);
}

TEST_CASE("Roofline: the default table and JSON have no traffic section") {
  auto R = runCli("analyze " + samplePath("tiny_cnn.onnx") + " -q");
  CHECK(R.Out.find("traffic") == std::string::npos);
  auto J = runCli("analyze " + samplePath("tiny_cnn.onnx") + " -q --format json");
  CHECK(J.Out.find("roofline") == std::string::npos);
  CHECK(J.Out.find("weight_traffic") == std::string::npos);
  auto T = runCli("analyze " + samplePath("tiny_cnn.onnx") + " -q --batch 2");
  CHECK(T.Out.find("traffic per batch of 2") != std::string::npos);
  CHECK(T.Out.find("conditions:") != std::string::npos);
}

TEST_CASE("Roofline: CLI usage errors for hardware options exit 2 with one line") {
  std::string M = samplePath("tiny_cnn.onnx");
  struct Case {
    std::string Args, Expect;
  } Cases[] = {
      // An explicit precision is checked before the model is read; the graph's own
      // (no --precision) only when the roofline runs (tests/ScheduleTest.cpp).
      {"--hw " + hwPath("edge-npu-pvt.yaml") + " --precision fp32", "mac_units.fp32: no MAC units"},
      {"--hw " + hwPath("edge-npu-pvt.yaml") + " --operating-point turbo",
       "no operating point 'turbo' (known: 0.9V-TT-25C, 0.6V-TT-25C, 0.6V-SS-125C)"},
      {"--hw /nonexistent.yaml", "hardware profile /nonexistent.yaml: cannot read"},
      {"--precision int8", "--precision needs --hw"},
      {"--hw " + hwPath("compute-bound.yaml") + " --utilization 1.5", "--utilization expects"},
      {"--weight-dtype int64", "--weight-dtype expects"},
      {"--batch 0", "--batch expects"},
  };
  for (const Case &C : Cases) {
    CAPTURE(C.Args);
    auto R = runCli("analyze " + M + " -q " + C.Args);
    CHECK(R.Exit == 2);
    CHECK(R.Err.find(C.Expect) != std::string::npos);
    CHECK(std::count(R.Err.begin(), R.Err.end(), '\n') == 1);
  }
}

TEST_CASE("Roofline: sweep writes a table and an SVG that parses as XML") {
  std::string Svg = writeTemp("plot.svg", "");
  auto R = runCli("sweep " + samplePath("resnet50.onnx") + " --hw " + hwPath("memory-bound.yaml") +
                  " --batch 1,2,4,64 --svg " + Svg);
  REQUIRE(R.Exit == 0);
  CHECK(R.Out.find("illustrative-memory-bound") != std::string::npos);
  for (const char *Row :
       {"\n    1  memory", "\n    2  memory", "\n    4  memory", "\n   64  memory"})
    CHECK(R.Out.find(Row) != std::string::npos);
  CHECK(R.Out.find("1.57 MB") != std::string::npos); // 100,240,288 streamed bytes / 64.
  std::string Check = "/usr/bin/python3 -c \"import sys, xml.etree.ElementTree as E; "
                      "r = E.parse(sys.argv[1]).getroot(); "
                      "n = len(r.findall('.//{http://www.w3.org/2000/svg}circle')); "
                      "sys.exit(0 if r.tag.endswith('svg') and n == 12 else 1)\" " +
                      Svg;
  CHECK(std::system(Check.c_str()) == 0);
  auto NoHw = runCli("sweep " + samplePath("tiny_cnn.onnx") + " --batch 1,2");
  CHECK(NoHw.Exit == 2);
  CHECK(NoHw.Err.find("sweep needs --hw") != std::string::npos);
  auto Bad = runCli("sweep " + samplePath("tiny_cnn.onnx") + " --hw " +
                    hwPath("memory-bound.yaml") + " --batch 1,x");
  CHECK(Bad.Exit == 2);
}

TEST_CASE("Roofline: a symbolic batch bound by --batch (BERT-base, seq 128)") {
  AnalysisOptions O;
  O.Hardware = profile("compute-bound.yaml");
  O.Batch = 2;
  O.Dims["seq"] = 128;
  auto R = roof("bert_base.onnx", O);
  CHECK(R.AM->get<ShapeInference>().BoundDims.lookup("batch") == 2);
  CHECK(R.AM->get<ActivationMemory>().Scale == 1);
  CHECK(R.T->Macs == 2 * 11174215680);
  CHECK(*R.R->InferencesPerSecond == doctest::Approx(4096e9 / 11174215680.0).epsilon(1e-12));
  // seq left open: per-batch figures are unknown, never 0.
  O.Dims.clear();
  auto U = roof("bert_base.onnx", O);
  CHECK_FALSE(U.T->Macs);
  CHECK_FALSE(U.R->InferencesPerSecond);
  CHECK_FALSE(U.T->PeakActivationBytes);
}

TEST_CASE("Roofline: the sweep SVG escapes hostile names") {
  SweepResult S;
  S.Model = "a&b <c> \"d\" 'e'\x01.onnx";
  S.Hardware = "<hw>";
  S.InputShape = "x:1x3";
  S.Points = {{1, 10.0, 10.0, 0.1, 100, 100.0, 200, 50, "memory"},
              {4, 20.0, 20.0, 0.2, 100, 25.0, 500, 200, "compute"}};
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  writeSweepSvg(S, OS);
  OS.flush();
  std::string Path = writeTemp("hostile.svg", Out);
  std::string Check = "/usr/bin/python3 -c \"import sys, xml.etree.ElementTree as E; "
                      "t = ''.join(E.parse(sys.argv[1]).getroot().itertext()); "
                      "sys.exit(0 if 'a&b <c>' in t and '<hw>' in t else 1)\" " +
                      Path;
  CHECK(std::system(Check.c_str()) == 0);
}
