// The hardware catalog and profile schema v2 (docs/hardware.md): every
// catalog file is the embedded one, parses, follows the catalog rules and the
// consistency rules (errors here, warnings for a user's file); `hw show`
// reproduces the datasheet figures of the acceptance list; units, nulls,
// sourced values, v1 files and did-you-mean errors; `hw list`/`hw show` and
// `--hw NAME` on the command line.
#include "ir/Hardware.h"
#include "tests/TestUtil.h"

#include "llvm/Support/JSON.h"

#include <fstream>
#include <sstream>

using namespace opaudit;
using namespace opaudit::test;

namespace {
std::string fileText(const std::string &Path) {
  std::ifstream In(Path);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

HardwareProfile builtin(llvm::StringRef Name) {
  auto H = loadHardware(Name);
  REQUIRE_MESSAGE(H, llvm::toString(H.takeError()));
  return std::move(*H);
}

double peak(const HardwareProfile &H, llvm::StringRef Prec, llvm::StringRef Point = "") {
  auto D = H.densePeak(Prec, *H.operatingPoint(Point));
  REQUIRE(D.Tops);
  return *D.Tops;
}

std::string hwError(const std::string &Yaml) {
  auto H = parseHardwareProfile(Yaml, "p.yaml");
  REQUIRE_FALSE(H);
  std::string Msg = llvm::toString(H.takeError());
  CHECK(Msg.find('\n') == std::string::npos);
  CHECK(Msg.find("hardware profile p.yaml") == 0);
  return Msg;
}

HardwareProfile parsed(const std::string &Yaml) {
  auto H = parseHardwareProfile(Yaml, "p.yaml");
  REQUIRE_MESSAGE(H, llvm::toString(H.takeError()));
  return std::move(*H);
}

bool isIllustrative(llvm::StringRef Name) {
  return Name == "compute-bound" || Name == "edge-npu-pvt" || Name == "memory-bound";
}
} // namespace

TEST_CASE("Hardware catalog: the files are the embedded ones, at least 15 real parts") {
  size_t Real = 0;
  for (llvm::StringRef Name : builtinHardwareNames()) {
    CAPTURE(Name.str());
    std::string Disk =
        fileText(std::string(OPAUDIT_SOURCE_DIR) + "/samples/hardware/" + Name.str() + ".yaml");
    CHECK(Disk == builtinHardwareText(Name).str());
    Real += !isIllustrative(Name);
  }
  CHECK(Real >= 15);
  CHECK(builtinHardwareNames().size() == Real + 3);
}

TEST_CASE("Hardware catalog: every part follows the catalog and consistency rules") {
  for (llvm::StringRef Name : builtinHardwareNames()) {
    CAPTURE(Name.str());
    HardwareProfile H = builtin(Name);
    for (const HwIssue &I : checkHardwareConsistency(H))
      FAIL_CHECK(I.str());
    if (isIllustrative(Name))
      continue;
    CHECK(H.Schema == 2);
    for (const HwIssue &I : checkCatalogRules(H, Name))
      FAIL_CHECK(I.str());
    // Every stated peak says dense or sparse, and every part has a dense int8 or fp16 rate.
    const OperatingPoint &P = *H.operatingPoint("");
    bool Rate = H.macRate("int8", P) || H.macRate("fp16", P);
    CHECK(Rate);
  }
}

TEST_CASE("Hardware catalog: hw show figures match the datasheets (dense, 2 ops per MAC)") {
  struct Case {
    const char *Name;
    double Int8Tops, BandwidthGBps;
  } Cases[] = {
      {"h100-sxm", 1979, 3350}, {"a100-sxm-80gb", 624, 2039},           {"t4", 130, 320},
      {"l4", 242.5, 300},       {"jetson-agx-orin-64gb", 137.5, 204.8}, {"mi300x", 2614.9, 5300},
  };
  for (const Case &C : Cases) {
    CAPTURE(C.Name);
    HardwareProfile H = builtin(C.Name);
    const OperatingPoint &P = *H.operatingPoint("");
    CHECK(peak(H, "int8") == doctest::Approx(C.Int8Tops));
    REQUIRE(H.dramBandwidthGBps(P));
    CHECK(*H.dramBandwidthGBps(P) == doctest::Approx(C.BandwidthGBps));
  }
  CHECK(peak(builtin("coral-edge-tpu"), "int8") == 4);
  // The L4 headline is sparse; the dense figure is half of it.
  auto L4 = builtin("l4").densePeak("int8", *builtin("l4").operatingPoint(""));
  REQUIRE(L4.SparseTops);
  CHECK(*L4.SparseTops == 485);
  // MI300X: 5.3 TB/s in the file's own unit.
  CHECK(builtin("mi300x").DramBandwidthGBps.Value == doctest::Approx(5300));
  // Where MAC units and clock are both known, they reproduce the stated peak within 2%.
  HardwareProfile A = builtin("a100-sxm-80gb");
  CHECK(*A.macRate("int8", *A.operatingPoint("")) * 2 / 1e12 == doctest::Approx(624).epsilon(0.02));
}

TEST_CASE("Hardware catalog: a peak belongs to the operating point it is stated for") {
  HardwareProfile Agx = builtin("jetson-agx-orin-64gb");
  CHECK(peak(Agx, "int8", "15W") == 27);
  CHECK(peak(Agx, "int8", "50W") == 100);
  HardwareProfile Nano = builtin("jetson-orin-nano-8gb");
  CHECK(peak(Nano, "int8") == 20);
  CHECK(peak(Nano, "int8", "MAXN-SUPER") == 33.5);
  CHECK(*Nano.dramBandwidthGBps(*Nano.operatingPoint("MAXN-SUPER")) == 102);
  // A100 at its 1410 MHz point is stated; T4 at its base clock is MAC units x clock.
  HardwareProfile T4 = builtin("t4");
  auto Base = T4.densePeak("int8", *T4.operatingPoint("base"));
  CHECK(Base.Basis == "mac_units x clock");
  CHECK(*Base.Tops == doctest::Approx(40960.0 * 585e6 * 2 / 1e12));
  // MI300X's 1900 MHz deterministic point scales with the clock, not the 2100 MHz peak.
  HardwareProfile M = builtin("mi300x");
  CHECK(peak(M, "int8", "deterministic-1900") ==
        doctest::Approx(2614.9 * 1900 / 2100).epsilon(1e-4));
  // The Xeon states no peak: AMX rate x base clock.
  CHECK(peak(builtin("xeon-8480plus"), "int8") == doctest::Approx(229.376));
}

TEST_CASE("Hardware profiles: units, nulls, sourced values and v2 operating points") {
  for (auto [Text, Kind, Want] :
       {std::tuple<const char *, const char *, double>{"4MiB", "size", 4194304},
        {"50 MB", "size", 50e6},
        {"3.35TB/s", "bandwidth", 3350},
        {"204.8GB/s", "bandwidth", 204.8},
        {"1830MHz", "frequency", 1830},
        {"1.3 GHz", "frequency", 1300},
        {"485TOPS", "rate", 485},
        {"2.5PFLOPS", "rate", 2500},
        {"6400MT/s", "datarate", 6400},
        {"12.5Gbps", "datarate", 12500},
        {"72W", "power", 72},
        {"1e3", "count", 1000},
        {"300", "bandwidth", 300}}) {
    CAPTURE(Text);
    auto V = parseHardwareQuantity(Text, Kind);
    REQUIRE_MESSAGE(V, llvm::toString(V.takeError()));
    CHECK(*V == doctest::Approx(Want));
  }
  auto Bad = parseHardwareQuantity("4 MiBs", "size");
  REQUIRE_FALSE(Bad);
  CHECK(llvm::toString(Bad.takeError()).find("unknown unit 'MiBs'") != std::string::npos);
  auto NoUnit = parseHardwareQuantity("12GB", "count");
  REQUIRE_FALSE(NoUnit);
  CHECK(llvm::toString(NoUnit.takeError()).find("no unit allowed") != std::string::npos);

  HardwareProfile H = parsed(R"(schema: 2
name: gpu-like
peak:
  int8: {dense: {value: 100TOPS, source: ds}, sparse: 200TOPS}
operating_points:
  - {name: boost, frequency: 1.5GHz}
  - {name: no-clock, frequency: null, power: 20W}
sram_bytes: 4MiB
dram_bytes: 16GB
dram_bandwidth: {value: 0.5TB/s, source: [ds], note: "datasheet"}
sources:
  - {id: ds, url: "https://example.com/ds", title: Datasheet, date: 2024, kind: primary, states: "100 TOPS dense"}
)");
  CHECK(H.sramBytes() == 4194304);
  CHECK(*H.DramBytes.Value == 16e9);
  CHECK(*H.DramBandwidthGBps.Value == 500);
  CHECK(H.DramBandwidthGBps.Note == "datasheet");
  CHECK(H.OperatingPoints[0].FrequencyMHz == 1500);
  CHECK_FALSE(H.OperatingPoints[0].Voltage);
  CHECK(H.OperatingPoints[1].FrequencyMHz == 0);
  CHECK(*H.OperatingPoints[1].PowerW == 20);
  CHECK(H.OperatingPoints[0].describe() == "boost (1500 MHz)");
  // No MAC units: the roofline rate is the dense peak over 2 ops per MAC.
  CHECK(*H.macRate("int8", H.OperatingPoints[0]) == doctest::Approx(50e12));
  // A point without a clock and without its own peak has no known rate.
  CHECK_FALSE(H.macRate("int8", H.OperatingPoints[1]));
  CHECK(H.macUnits("int8") == 0);
  CHECK_FALSE(H.macUnits("int16"));
}

TEST_CASE("Hardware profiles: v1 files read as before") {
  HardwareProfile H =
      parsed("name: v1\nmac_units: {int8: 2048, fp16: 512}\noperating_points:\n"
             "  - {name: a, frequency_mhz: 1000, voltage: 0.9, process: TT, "
             "temperature_c: 25}\nsram_bytes: 4194304\ndram_bandwidth_gbps: 25.6\n");
  CHECK(H.macUnits("int8") == 2048);
  CHECK(H.macUnits("fp32") == 0);
  CHECK(H.sramBytes() == 4194304);
  CHECK(*H.dramBandwidthGBps(H.OperatingPoints[0]) == 25.6);
  CHECK(H.OperatingPoints[0].describe() == "a (1000 MHz, 0.9 V, TT, 25 C)");
  CHECK(*H.macRate("int8", H.OperatingPoints[0]) == 2048e9);
  CHECK(checkHardwareConsistency(H).empty());
}

TEST_CASE("Hardware profiles: errors name the file and field, with a did-you-mean") {
  const std::string Ok = "name: x\nmac_units: {int8: 1}\noperating_points:\n"
                         "  - {name: a, frequency: 1GHz}\ndram_bandwidth: 1\n";
  CHECK(hwError(Ok + "dram_bandwith: 2\n")
            .find("unknown key 'dram_bandwith' (did you mean "
                  "'dram_bandwidth'?)") != std::string::npos);
  CHECK(hwError(Ok + "sram_bytes: 4MiBs\n").find("sram_bytes: '4MiBs': unknown unit 'MiBs'") !=
        std::string::npos);
  CHECK(hwError(Ok + "peak:\n  int8: {headline: 5TOPS}\n").find("unknown key 'headline'") !=
        std::string::npos);
  CHECK(hwError(Ok + "peak:\n  int8: {note: x}\n").find("peak.int8: say which figure") !=
        std::string::npos);
  CHECK(hwError(Ok + "peak:\n  int8: {dense: {source: a}}\n").find("needs 'value'") !=
        std::string::npos);
  CHECK(hwError(Ok + "dram_bandwidth_gbps: 2\n").find("not both") != std::string::npos);
  CHECK(hwError(Ok + "efficiency: 1.5\n").find("efficiency: must be in (0, 1]") !=
        std::string::npos);
  CHECK(hwError(Ok + "sram_bytes: {value: 1MB, source: nowhere}\n")
            .find("sram_bytes: source 'nowhere' is not in sources") != std::string::npos);
  CHECK(hwError("name: x\nmac_units: {int8: 1}\noperating_points:\n  - {name: a, frequncy: 1GHz}\n"
                "dram_bandwidth: 1\n")
            .find("unknown key 'frequncy' (did you mean 'frequency'?)") != std::string::npos);
  CHECK(hwError("name: x\nmac_units: {int8: 1}\noperating_points:\n  - {name: a, frequency: 1GHz, "
                "frequency_mhz: 5}\ndram_bandwidth: 1\n")
            .find("either frequency or frequency_mhz") != std::string::npos);
  CHECK(hwError("name: x\nmac_units: {int8: 1}\noperating_points:\n  - {name: a}\n")
            .find("missing required key 'dram_bandwidth_gbps'") != std::string::npos);
  // A catalog name that does not exist gets a did-you-mean too.
  auto U = loadHardware("h100-smx");
  REQUIRE_FALSE(U);
  CHECK(llvm::toString(U.takeError()).find("did you mean 'h100-sxm'?") != std::string::npos);
}

TEST_CASE("Hardware profiles: the consistency rules find a peak, bandwidth or sparsity mismatch") {
  HardwareProfile H =
      parsed("name: x\nmac_units: {int8: 1000}\npeak:\n  int8: {dense: 2.2TOPS, sparse: 5TOPS}\n"
             "operating_points:\n  - {name: a, frequency: 1GHz}\ndram_bandwidth: 100\n"
             "memory: {bus_width_bits: 256, data_rate: 3200MT/s}\n");
  std::vector<HwIssue> I = checkHardwareConsistency(H);
  REQUIRE(I.size() == 3);
  CHECK(I[0].Field == "peak.int8.dense");
  CHECK(I[0].Message.find("mac_units 1000 x 1000 MHz x 2 = 2 TOPS (9.1% off") != std::string::npos);
  CHECK(I[1].Field == "peak.int8.sparse");
  CHECK(I[2].Field == "dram_bandwidth");
  CHECK(I[2].Message.find("= 102.4 GB/s") != std::string::npos);
  // Within 2% is consistent (vendors round: 624 for 623.7).
  HardwareProfile Ok =
      parsed("name: x\nmac_units: {int8: 1000}\npeak:\n  int8: {dense: 2.03TOPS}\n"
             "operating_points:\n  - {name: a, frequency: 1GHz}\ndram_bandwidth: 102\n"
             "memory: {bus_width_bits: 256, data_rate: 3200MT/s}\n");
  CHECK(checkHardwareConsistency(Ok).empty());
  // The catalog rules want sources and notes.
  std::vector<HwIssue> Cat = checkCatalogRules(Ok, "y");
  CHECK(Cat.size() >= 3);
  CHECK(Cat[0].Message.find("differs from the file name 'y'") != std::string::npos);
}

TEST_CASE("Hardware CLI: hw list, hw show, --hw NAME and a user file's warnings") {
  auto L = runCli("hw list");
  REQUIRE(L.Exit == 0);
  for (llvm::StringRef Name : builtinHardwareNames())
    CHECK(L.Out.find(Name.str()) != std::string::npos);
  auto LJ = runCli("hw list --format json");
  REQUIRE(LJ.Exit == 0);
  auto LJson = llvm::json::parse(LJ.Out);
  REQUIRE_MESSAGE(LJson, llvm::toString(LJson.takeError()));
  CHECK(LJson->getAsArray()->size() == builtinHardwareNames().size());

  auto S = runCli("hw show h100-sxm --format json");
  REQUIRE(S.Exit == 0);
  auto J = llvm::json::parse(S.Out);
  REQUIRE_MESSAGE(J, llvm::toString(J.takeError()));
  const llvm::json::Object &O = *J->getAsObject();
  CHECK(O.getObject("peak_tops")->getNumber("int8").getValueOr(0) == 1979);
  CHECK(O.getObject("sparse_tops")->getNumber("int8").getValueOr(0) == 3958);
  CHECK(O.getNumber("dram_bandwidth_gbps").getValueOr(0) == 3350);
  CHECK(O.getInteger("dram_bytes").getValueOr(0) == 80000000000);
  CHECK(O.getInteger("sram_bytes").getValueOr(0) == 50000000);
  CHECK(O.getArray("sources")->size() >= 2);
  CHECK(O.getArray("consistency")->empty());

  auto T = runCli("hw show l4");
  REQUIRE(T.Exit == 0);
  CHECK(T.Out.find("242.5 TOPS  stated (sparse 485)") != std::string::npos);
  CHECK(T.Out.find("consistency:      ok") != std::string::npos);

  auto P = runCli("hw show jetson-agx-orin-64gb --operating-point 15W --format json");
  REQUIRE(P.Exit == 0);
  auto PJ = llvm::json::parse(P.Out);
  REQUIRE(PJ);
  CHECK(PJ->getAsObject()->getObject("peak_tops")->getNumber("int8").getValueOr(0) == 27);

  auto Unknown = runCli("hw show h100-smx");
  CHECK(Unknown.Exit == 2);
  CHECK(Unknown.Err.find("did you mean 'h100-sxm'?") != std::string::npos);

  // --hw takes a catalog name; a part with no MAC count uses its dense peak.
  auto A = runCli("analyze " + samplePath("resnet50.onnx") +
                  " --hw h100-sxm --precision int8 --batch 1 -q --format json");
  REQUIRE(A.Exit == 0);
  auto AJ = llvm::json::parse(A.Out);
  REQUIRE(AJ);
  const auto *Roof = AJ->getAsObject()->getObject("roofline");
  REQUIRE(Roof);
  CHECK(Roof->getNumber("macs_per_second").getValueOr(0) == doctest::Approx(1979e12 / 2));
  CHECK(Roof->get("mac_units")->kind() == llvm::json::Value::Null);

  // A part without DRAM bandwidth cannot bound the roofline: a usage error, one line.
  auto NoBw =
      runCli("analyze " + samplePath("tiny_cnn.onnx") + " --hw hailo-8 --precision int8 -q");
  CHECK(NoBw.Exit == 2);
  CHECK(NoBw.Err.find("dram_bandwidth: unknown") != std::string::npos);

  // A user's file that breaks a consistency rule is used, with a warning.
  std::string F = writeTemp("off.yaml", "name: off\nmac_units: {int8: 1000}\npeak:\n"
                                        "  int8: {dense: 5TOPS}\noperating_points:\n"
                                        "  - {name: a, frequency: 1GHz}\ndram_bandwidth: 10\n");
  auto W = runCli("analyze " + samplePath("tiny_cnn.onnx") + " --hw " + F + " --precision int8 -q");
  CHECK(W.Exit == 0);
  CHECK(W.Err.find("warning: hardware profile") != std::string::npos);
  CHECK(W.Err.find("peak.int8.dense") != std::string::npos);
}
