// The HTML summary cards for figures that exist only with their options
// (--convention, --batch, --hw), and the table's colour, which appears on a
// terminal and never in a pipe or file.
#include "tests/TestUtil.h"

#include <cstdio>
#include <fstream>

using namespace opaudit;
using namespace opaudit::test;

TEST_CASE("HTML: ops, weight traffic and roofline cards appear with their options") {
  std::string Out = writeTemp("cards.html", "");
  auto R = runCli("analyze " + samplePath("resnet50.onnx") + " -q -f html -o " + Out +
                  " --convention tops --batch 8 --hw " + std::string(OPAUDIT_SOURCE_DIR) +
                  "/samples/hardware/compute-bound.yaml");
  REQUIRE(R.Exit == 0);
  std::ifstream In(Out);
  std::string Html((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
  // 2 ops per MAC on 4,089,184,256 MACs.
  CHECK(Html.find("8,178,368,512 ops under &apos;tops&apos;") != std::string::npos);
  // 102,121,888 weight bytes streamed once per batch of 8.
  CHECK(Html.find("per inference at batch 8, 102,121,888 bytes per batch") != std::string::npos);
  // 4096 MACs/cycle at 1 GHz over 4,089,184,256 MACs: 1001.67 inferences/s.
  CHECK(Html.find(">1001.7/s<") != std::string::npos);
  CHECK(Html.find("compute-bound on") != std::string::npos);

  auto Plain = runCli("analyze " + samplePath("resnet50.onnx") + " -q -f html");
  REQUIRE(Plain.Exit == 0);
  CHECK(Plain.Out.find("Roofline bound") == std::string::npos);
  CHECK(Plain.Out.find("Weight traffic") == std::string::npos);
}

TEST_CASE("Table: colour on a terminal only") {
  // `script` gives the command a pseudo-terminal as stdout.
  std::string Cmd = "script -qec \"" + std::string(OPAUDIT_BINARY) + " analyze " +
                    samplePath("tiny_cnn.onnx") + " -q\" /dev/null </dev/null";
  FILE *P = popen(Cmd.c_str(), "r");
  REQUIRE(P);
  std::string Tty;
  char Buf[4096];
  for (size_t N; (N = fread(Buf, 1, sizeof Buf, P)) > 0;)
    Tty.append(Buf, N);
  CHECK(pclose(P) == 0);
  CHECK(Tty.find("\x1b[1mlayer") != std::string::npos);
  CHECK(Tty.find("267,424") != std::string::npos);
  auto Pipe = runCli("analyze " + samplePath("tiny_cnn.onnx"));
  CHECK(Pipe.Exit == 0);
  CHECK(Pipe.Out.find('\x1b') == std::string::npos);
  CHECK(Pipe.Out.find("TOTAL") != std::string::npos);
}
