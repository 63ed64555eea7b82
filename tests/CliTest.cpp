// The command line as a user meets it: help and version, formats, -o, and
// one-line errors with documented exit codes for files that are not models.
#include "tests/TestUtil.h"

#include "llvm/Support/JSON.h"

#include <fstream>

using namespace opaudit;
using namespace opaudit::test;

namespace {
size_t lines(const std::string &S) { return static_cast<size_t>(std::count(S.begin(), S.end(), '\n')); }
} // namespace

TEST_CASE("CLI: --help and --version exit 0") {
  auto H = runCli("--help");
  CHECK(H.Exit == 0);
  CHECK(H.Out.find("analyze") != std::string::npos);
  CHECK(H.Out.find("Exit codes") != std::string::npos);
  auto A = runCli("analyze --help");
  CHECK(A.Exit == 0);
  CHECK(A.Out.find("--format") != std::string::npos);
  CHECK(A.Out.find("json") != std::string::npos);
  auto V = runCli("--version");
  CHECK(V.Exit == 0);
  CHECK(V.Out.rfind("opaudit ", 0) == 0);
}

TEST_CASE("CLI: usage errors exit 2") {
  CHECK(runCli("analyze").Exit == 2);
  CHECK(runCli("frobnicate").Exit == 2);
  auto F = runCli("analyze " + samplePath("tiny_cnn.onnx") + " --format yaml");
  CHECK(F.Exit == 2);
  CHECK(F.Err.find("unknown format 'yaml'") != std::string::npos);
  CHECK(F.Err.find("json") != std::string::npos);
  CHECK(runCli("analyze " + samplePath("tiny_cnn.onnx") + " --dim N").Exit == 2);
}

TEST_CASE("CLI: table on stdout, diagnostics on stderr") {
  auto R = runCli("analyze " + samplePath("resnet50.onnx"));
  CHECK(R.Exit == 0);
  CHECK(R.Out.find("4,089,184,256") != std::string::npos);
  CHECK(R.Out.find("/fc/Gemm") != std::string::npos);
  CHECK(R.Out.find("warning") == std::string::npos);
  CHECK(R.Err.find("resnet50.weights' not found") != std::string::npos);
}

TEST_CASE("CLI: --format json -o FILE writes schema version 1") {
  std::string Out = writeTemp("r.json", "");
  auto R = runCli("analyze " + samplePath("tiny_cnn.onnx") + " --format json -o " + Out);
  REQUIRE(R.Exit == 0);
  CHECK(R.Out.empty());
  std::ifstream In(Out);
  std::string Text((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
  auto J = llvm::json::parse(Text);
  REQUIRE(bool(J));
  auto *O = J->getAsObject();
  CHECK(O->getInteger("schema_version").getValueOr(-1) == 1);
  auto *Tot = O->getObject("totals");
  CHECK(Tot->getInteger("macs").getValueOr(-1) == 267424);
  CHECK(Tot->getInteger("params").getValueOr(-1) == 1146);
  CHECK(Tot->getInteger("weight_bytes").getValueOr(-1) == 4584);
  auto *Layers = O->getArray("layers");
  REQUIRE(Layers);
  CHECK(Layers->size() == 11);
  auto *First = (*Layers)[0].getAsObject();
  CHECK(First->getString("op_type") == llvm::StringRef("Conv"));
  CHECK(First->getInteger("macs").getValueOr(-1) == 221184);
  auto *Shape = (*First->getArray("outputs"))[0].getAsObject()->getArray("shape");
  CHECK(Shape->size() == 4);
  CHECK((*Shape)[1].getAsInteger().getValueOr(-1) == 8);
  CHECK(O->getObject("model")->getObject("opsets")->getInteger("ai.onnx").getValueOr(-1) == 17);
  CHECK(O->getArray("diagnostics")->empty());
}

TEST_CASE("CLI: files that are not models get a one-line error naming the file, exit 3") {
  std::string Bytes = serializeText(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,3] X) => (float Y) { Y = Relu(X) })");
  std::string Tiny;
  {
    std::ifstream In(samplePath("tiny_cnn.onnx"), std::ios::binary);
    Tiny.assign((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
  }
  struct Case {
    const char *Name;
    std::string Bytes;
  } Cases[] = {
      {"empty.onnx", ""},
      {"text.onnx", "this is a README, not a model\n"},
      {"truncated.onnx", Tiny.substr(0, Tiny.size() / 2)},
      {"truncated-small.onnx", Bytes.substr(0, Bytes.size() - 3)},
      {"random.onnx", std::string("\x8f\x13\xff\xfe\x00\x01\x99\x42\x17\x08", 10)},
  };
  for (const Case &C : Cases) {
    CAPTURE(C.Name);
    std::string Path = writeTemp(C.Name, C.Bytes);
    auto R = runCli("analyze " + Path);
    CHECK(R.Exit == 3);
    CHECK(R.Out.empty());
    CHECK(lines(R.Err) == 1);
    CHECK(R.Err.find(Path) != std::string::npos);
  }
  auto Missing = runCli("analyze /nonexistent/model.onnx");
  CHECK(Missing.Exit == 3);
  CHECK(Missing.Err.find("/nonexistent/model.onnx") != std::string::npos);
}

TEST_CASE("CLI: a partial result exits 0 and shows '?'") {
  std::string Bytes = serializeText(R"(<ir_version: 8, opset_import: ["" : 17, "com.example" : 1]>
g (float[1,3,8,8] X, float[4,3,3,3] W) => (float Y) {
  U = com.example.Mystery(X)
  Y = Conv(U, W)
})");
  std::string Path = writeTemp("partial.onnx", Bytes);
  auto R = runCli("analyze " + Path);
  CHECK(R.Exit == 0);
  CHECK(R.Out.find(" ? ") != std::string::npos);
  CHECK(R.Err.find("unsupported operator com.example::Mystery") != std::string::npos);
  auto J = runCli("analyze " + Path + " --format json");
  CHECK(J.Exit == 0);
  CHECK(J.Out.find("\"macs\": null") != std::string::npos);
}
