// The sweep command (issue 14): points sorted by batch, table/JSON/CSV
// formats, the SVG written only when --svg asks (and `--svg -` alone on
// stdout), readable units with labels, the compute ceiling drawn and the
// bound marked per point. Each case failed on the sweep before phases.
#include "reports/Sweep.h"
#include "tests/TestUtil.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

#include <regex>

using namespace opaudit;
using namespace opaudit::test;

namespace {
std::string hw(const std::string &Name) {
  return std::string(OPAUDIT_SOURCE_DIR) + "/samples/hardware/" + Name;
}

/// 0 when the file at Path parses as XML with an <svg> root.
int svgCheck(const std::string &Path, const std::string &Extra = "True") {
  std::string Cmd = "/usr/bin/python3 -c \"import sys, xml.etree.ElementTree as E; "
                    "r = E.parse(sys.argv[1]).getroot(); "
                    "sys.exit(0 if r.tag.endswith('svg') and (" +
                    Extra + ") else 1)\" " + Path;
  return std::system(Cmd.c_str());
}
} // namespace

TEST_CASE("Sweep CLI: points are sorted by batch, whatever order --batch gives") {
  auto R = runCli("sweep " + samplePath("resnet50.onnx") + " -q --hw " + hw("memory-bound.yaml") +
                  " --batch 3,1,2");
  REQUIRE_MESSAGE(R.Exit == 0, R.Err);
  size_t B1 = R.Out.find("\n    1  memory"), B2 = R.Out.find("\n    2  memory"),
         B3 = R.Out.find("\n    3  memory");
  REQUIRE(B1 != std::string::npos);
  REQUIRE(B2 != std::string::npos);
  REQUIRE(B3 != std::string::npos);
  CHECK(B1 < B2);
  CHECK(B2 < B3);
}

TEST_CASE("Sweep CLI: no plot unless --svg asks, and --svg - is the only thing on stdout") {
  // Run in a fresh folder: the sweep used to write ./sweep.svg every time.
  llvm::SmallString<128> Dir;
  REQUIRE_FALSE(llvm::sys::fs::createUniqueDirectory("opaudit-sweep", Dir));
  std::string Bin = OPAUDIT_BINARY;
  std::string Cmd = "cd " + Dir.str().str() + " && " + Bin + " sweep " +
                    samplePath("tiny_cnn.onnx") + " -q --hw " + hw("memory-bound.yaml") +
                    " --batch 1,2 >/dev/null 2>&1";
  REQUIRE(std::system(Cmd.c_str()) == 0);
  llvm::SmallString<128> Plot(Dir);
  llvm::sys::path::append(Plot, "sweep.svg");
  CHECK_FALSE(llvm::sys::fs::exists(Plot));
  llvm::sys::fs::remove(Dir);

  auto S = runCli("sweep " + samplePath("tiny_cnn.onnx") + " -q --hw " + hw("memory-bound.yaml") +
                  " --batch 1,2 --svg -");
  REQUIRE_MESSAGE(S.Exit == 0, S.Err);
  CHECK(S.Out.rfind("<?xml", 0) == 0); // no table before the SVG
  CHECK(S.Out.find("inferences/s  ") == std::string::npos);
  std::string Path = writeTemp("stdout.svg", S.Out);
  CHECK(svgCheck(Path) == 0);
  auto Both = runCli("sweep " + samplePath("tiny_cnn.onnx") + " -q --hw " +
                     hw("memory-bound.yaml") + " --batch 1,2 --svg - --format json");
  CHECK(Both.Exit == 2);
  CHECK(Both.Err.rfind("opaudit: error: --svg - writes the plot to stdout", 0) == 0);
  CHECK(Both.Out.empty());
}

TEST_CASE("Sweep CLI: JSON and CSV carry every point with exact bytes") {
  // resnet50 on the memory-bound profile (2 MiB SRAM): 100,240,288 weight
  // bytes stream per batch (the table test in RooflineTest), so per inference
  // 100,240,288 / B.
  std::string Args = "sweep " + samplePath("resnet50.onnx") + " -q --hw " +
                     hw("memory-bound.yaml") + " --batch 64,1,2";
  auto J = runCli(Args + " --format json");
  REQUIRE_MESSAGE(J.Exit == 0, J.Err);
  auto V = llvm::json::parse(J.Out);
  REQUIRE_MESSAGE(static_cast<bool>(V), J.Out);
  const auto *Pts = V->getAsObject()->getArray("points");
  REQUIRE(Pts);
  REQUIRE(Pts->size() == 3);
  int64_t Want[] = {1, 2, 64};
  for (size_t I = 0; I < 3; ++I) {
    const auto *P = (*Pts)[I].getAsObject();
    CHECK(P->getInteger("batch") == Want[I]);
    CHECK(P->getString("bound").getValueOr("") == "memory");
    CHECK(P->getInteger("weight_bytes_per_batch") == int64_t(100240288));
    CHECK(*P->getNumber("weight_bytes_per_inference") ==
          doctest::Approx(100240288.0 / double(Want[I])));
    CHECK(P->getBoolean("reanalyzed") == false);
  }
  auto C = runCli(Args + " --format csv");
  REQUIRE_MESSAGE(C.Exit == 0, C.Err);
  llvm::SmallVector<llvm::StringRef, 6> Lines;
  llvm::StringRef(C.Out).trim().split(Lines, '\n');
  REQUIRE(Lines.size() == 4);
  CHECK(Lines[0].startswith("batch,bound,latency_s,"));
  CHECK(Lines[1].startswith("1,memory,"));
  CHECK(Lines[2].startswith("2,memory,"));
  CHECK(Lines[3].startswith("64,memory,"));
  CHECK(Lines[3].contains(",100240288,1566254.5,"));
  auto Bad = runCli(Args + " --format yaml");
  CHECK(Bad.Exit == 2);
  CHECK(Bad.Err.find("unknown format 'yaml' (known: table, json, csv)") != std::string::npos);
}

TEST_CASE("Sweep CLI: the table prints bytes in units, never fractions of a byte") {
  auto R = runCli("sweep " + samplePath("resnet50.onnx") + " -q --hw " + hw("memory-bound.yaml") +
                  " --batch 1,64");
  REQUIRE_MESSAGE(R.Exit == 0, R.Err);
  // 100,240,288 / 64 = 1,566,254.5 bytes per inference: "1.57 MB", not "1,566,254.5".
  CHECK(R.Out.find("1,566,254.5") == std::string::npos);
  CHECK(R.Out.find("1.57 MB") != std::string::npos);
  CHECK(R.Out.find("100 MB") != std::string::npos); // per batch
  CHECK_FALSE(std::regex_search(R.Out, std::regex("[0-9]\\.[0-9]+ B\\b")));
}

TEST_CASE("Sweep CLI: the plot labels its axes in units, draws the compute ceiling and marks "
          "the bound of each point") {
  std::string Svg = writeTemp("sweep-axes.svg", "");
  auto R = runCli("sweep " + samplePath("resnet50.onnx") + " -q --hw " + hw("memory-bound.yaml") +
                  " --batch 1,2,8 --svg " + Svg);
  REQUIRE_MESSAGE(R.Exit == 0, R.Err);
  // Latency 41.1 ms to 247 ms, weights per inference 100 MB to 12.5 MB, all memory-bound.
  CHECK(R.Out.find("\n    1  memory        41.1 ms") != std::string::npos);
  CHECK(R.Out.find("\n    8  memory         247 ms") != std::string::npos);
  std::string Text = "''.join(r.itertext())";
  CHECK(svgCheck(Svg, "'batch size (inferences per batch' in " + Text) == 0);
  CHECK(svgCheck(Svg, "'throughput bound (100% MAC utilization) (inferences/s)' in " + Text) == 0);
  CHECK(svgCheck(Svg, "'latency per batch (ms)' in " + Text) == 0);
  CHECK(svgCheck(Svg, "'weight traffic per inference (MB)' in " + Text) == 0);
  const std::string NS = "{http://www.w3.org/2000/svg}";
  CHECK(svgCheck(Svg, "len([p for p in r.iter('" + NS +
                          "polyline') if p.get('class') == 'compute-ceiling']) == 1") == 0);
  // Three panels of three points each, each marked memory-bound.
  CHECK(svgCheck(Svg, "len([c for c in r.iter('" + NS +
                          "circle') if c.get('class') == 'memory-bound']) == 9") == 0);
  // On the compute-bound profile every point is marked compute-bound.
  auto C = runCli("sweep " + samplePath("resnet50.onnx") + " -q --hw " + hw("compute-bound.yaml") +
                  " --batch 1,2,8 --svg " + Svg);
  REQUIRE_MESSAGE(C.Exit == 0, C.Err);
  CHECK(svgCheck(Svg, "len([c for c in r.iter('" + NS +
                          "circle') if c.get('class') == 'compute-bound']) == 9") == 0);
}
