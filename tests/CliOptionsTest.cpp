// Regression tests for issue 14's "a CLI that helps": every parse error is one
// "opaudit: error:" line with a did-you-mean, options may precede the model,
// an option accepts the same values in every command, conflicting options and
// option names the model does not have exit 2 and list the valid names, an
// empty folder says it holds no models, and `claim --ops` names the
// conventions that give a quoted operation count. Each case failed on main
// before the change (the message lacked the prefix, or the exit code was 0).
#include "tests/TestUtil.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"

using namespace opaudit;
using namespace opaudit::test;

namespace {
std::string firstLine(const std::string &S) { return S.substr(0, S.find('\n')); }
} // namespace

TEST_CASE("CliOptions: unknown commands and options get the prefix and a did-you-mean") {
  auto C = runCli("analize " + samplePath("tiny_cnn.onnx"));
  CHECK(C.Exit == 2);
  CHECK(firstLine(C.Err) == "opaudit: error: unknown command 'analize'; did you mean 'analyze'? "
                            "(`opaudit --help` lists the commands)");
  auto O = runCli("analyze " + samplePath("tiny_cnn.onnx") + " --fromat json");
  CHECK(O.Exit == 2);
  CHECK(firstLine(O.Err) == "opaudit: error: analyze: unknown option '--fromat'; did you mean "
                            "'--format'? (`opaudit analyze --help` lists the options)");
  // A command's own subcommands get the same help.
  auto H = runCli("hw shwo t4");
  CHECK(H.Exit == 2);
  CHECK(firstLine(H.Err) == "opaudit: error: unknown hw command 'shwo'; did you mean 'show'? "
                            "(`opaudit hw --help` lists them)");
  auto R = runCli("analyze");
  CHECK(R.Exit == 2);
  CHECK(R.Err == "opaudit: error: analyze: model is required\n");
  // Nothing close: no suggestion, still the prefix.
  auto F = runCli("frobnicate");
  CHECK(F.Exit == 2);
  CHECK(firstLine(F.Err) ==
        "opaudit: error: unknown command 'frobnicate' (`opaudit --help` lists the commands)");
}

TEST_CASE("CliOptions: repeatable options may come before the model") {
  // bert_base: 18432*batch*seq^2 + 84934656*batch*seq + 589824*batch at batch 1, seq 128.
  auto R = runCli("analyze --dim batch=1 --dim seq=128 " + samplePath("bert_base.onnx") + " -q");
  CHECK(R.Exit == 0);
  CHECK(R.Err.empty());
  CHECK(R.Out.find("11,174,215,680") != std::string::npos);
  auto C = runCli("reconcile --dim batch=1 --dim seq=128 " + samplePath("bert_base.onnx") + " -q");
  CHECK(C.Exit == 0);
  CHECK(C.Out.find("11,174,215,680") != std::string::npos); // the macs row
}

TEST_CASE("CliOptions: a validator's message keeps the prefix and names the option") {
  auto D = runCli("analyze " + samplePath("tiny_cnn.onnx") + " --dim N");
  CHECK(D.Exit == 2);
  CHECK(D.Err == "opaudit: error: analyze: --dim expects NAME=VALUE with VALUE >= 0, got 'N'\n");
  auto B = runCli("analyze " + samplePath("tiny_cnn.onnx") + " --batch 0");
  CHECK(B.Exit == 2);
  CHECK(B.Err == "opaudit: error: analyze: --batch expects a whole number >= 1, got '0'\n");
  auto G = runCli("graph " + samplePath("tiny_cnn.onnx") + " -o - -f dot --collapse-depth -1");
  CHECK(G.Exit == 2);
  CHECK(G.Out.empty());
  CHECK(G.Err == "opaudit: error: graph: --collapse-depth expects a whole number >= 1, got '-1'\n");
}

TEST_CASE("CliOptions: --utilization takes a percentage in analyze as in claim") {
  std::string M = samplePath("tiny_cnn.onnx");
  auto P = runCli("analyze " + M + " -q --format json --hw t4 --precision fp16 --utilization 40%");
  auto F = runCli("analyze " + M + " -q --format json --hw t4 --precision fp16 --utilization 0.4");
  REQUIRE(P.Exit == 0);
  CHECK(P.Out == F.Out);
  auto J = llvm::json::parse(P.Out);
  REQUIRE(bool(J));
  CHECK(J->getAsObject()->getObject("conditions")->getNumber("utilization").getValueOr(-1) ==
        doctest::Approx(0.4));
  auto Over = runCli("analyze " + M + " --hw t4 --utilization 140%");
  CHECK(Over.Exit == 2);
  CHECK(Over.Err == "opaudit: error: analyze: --utilization expects a value in (0, 1] (or "
                    "0-100%), got '140%'\n");
  auto ClaimOver = runCli("claim " + M + " --peak-tops 1 --utilization 140%");
  CHECK(ClaimOver.Exit == 2);
  CHECK(ClaimOver.Err == "opaudit: error: claim: --utilization expects a value in (0, 1] (or "
                         "0-100%), got '140%'\n");
}

TEST_CASE("CliOptions: --precision accepts the same set in analyze, claim and llm") {
  std::string M = samplePath("resnet50.onnx");
  // tf32 was refused by claim only; float16 was accepted by claim only.
  auto Tf = runCli("claim " + M + " -q --format json --peak-tops 130 --precision tf32 --fps 100");
  CHECK(Tf.Exit == 0);
  for (const char *Cmd : {"analyze", "claim", "llm"}) {
    auto R = runCli(std::string(Cmd) + " " + M + " --precision float16");
    CHECK(R.Exit == 2);
    CHECK(R.Err == std::string("opaudit: error: ") + Cmd +
                       ": --precision expects one of int4, int8, fp8, fp16, bf16, tf32, fp32, "
                       "got 'float16'\n");
  }
}

TEST_CASE("CliOptions: --dim and --batch on the same dim conflict, exit 2") {
  std::string M = samplePath("bert_base.onnx");
  auto R = runCli("analyze " + M + " -q --dim batch=8 --dim seq=128 --batch 4");
  CHECK(R.Exit == 2);
  CHECK(R.Out.empty());
  CHECK(R.Err == "opaudit: error: " + M +
                     ": --batch 4 conflicts with --dim batch=8: 'batch' is the batch dim of "
                     "input 'input_ids' (give one of them)\n");
  // The same value twice is no conflict.
  CHECK(runCli("analyze " + M + " -q --dim batch=4 --dim seq=128 --batch 4").Exit == 0);
}

TEST_CASE("CliOptions: names the model does not have exit 2 and list the valid ones") {
  std::string B = samplePath("bert_base.onnx"), R = samplePath("resnet50.onnx");
  auto D = runCli("analyze " + B + " --dim sq=3");
  CHECK(D.Exit == 2);
  CHECK(D.Out.empty());
  CHECK(D.Err == "opaudit: error: " + B +
                     ": --dim names 'sq', which is not a symbolic dim of the model; did you mean "
                     "'seq'? (symbolic dims: batch, seq)\n");
  auto I = runCli("analyze " + R + " -q --input inptu:1x3x224x224");
  CHECK(I.Exit == 2);
  CHECK(I.Err == "opaudit: error: " + R +
                     ": --input names 'inptu', which is not an input of the model; did you mean "
                     "'input'? (inputs: input)\n");
  auto V = runCli("analyze " + R + " -q --input-value foo=1,2");
  CHECK(V.Exit == 2);
  CHECK(V.Err == "opaudit: error: " + R +
                     ": --input-value names 'foo', which is not an input of the model (inputs: "
                     "input)\n");
  auto Rank = runCli("analyze " + R + " -q --input input:1x3x224");
  CHECK(Rank.Exit == 2);
  CHECK(Rank.Err == "opaudit: error: " + R + ": --input: input 'input' has rank 4, got 3 dims\n");
  auto NoDims = runCli("analyze " + R + " -q --dim N=1");
  CHECK(NoDims.Exit == 2);
  CHECK(NoDims.Err == "opaudit: error: " + R +
                          ": --dim names 'N', which is not a symbolic dim of the model (the model "
                          "has no symbolic dims)\n");
  // The same check in the other single-model commands.
  for (const char *Cmd : {"claim --peak-tops 1 --fps 1", "reconcile", "graph -o - -f dot"})
    CHECK(runCli(std::string(Cmd) + " " + B + " -q --dim sq=3").Exit == 2);
  // A name an --input shape introduces may be bound by --dim.
  auto Sym = runCli("analyze " + R + " -q --format json --input input:Bx3x224x224 --dim B=2");
  CHECK(Sym.Exit == 0);
  CHECK(Sym.Out.find("\"macs\": 8178368512,") != std::string::npos); // 2 x 4,089,184,256
}

TEST_CASE("CliOptions: an empty folder says it holds no models") {
  llvm::SmallString<128> Dir;
  REQUIRE(!llvm::sys::fs::createUniqueDirectory("opaudit-empty", Dir));
  // Like any input that yields no model: a failed row, exit 3 (tests/ZooTest.cpp).
  auto R = runCli("analyze " + Dir.str().str());
  CHECK(R.Exit == 3);
  CHECK(R.Err == "opaudit: error: " + Dir.str().str() +
                     ": the folder holds no .onnx files (it is searched recursively)\n");
}

TEST_CASE("CliOptions: claim takes --input and several models") {
  std::string R = samplePath("resnet50.onnx"), T = samplePath("tiny_cnn.onnx");
  auto J = runCli("claim " + R + " " + T + " -q --format json --peak-tops 130 --fps 1000");
  REQUIRE(J.Exit == 0);
  auto V = llvm::json::parse(J.Out);
  REQUIRE(bool(V));
  auto *A = V->getAsArray();
  REQUIRE(A);
  REQUIRE(A->size() == 2);
  // ResNet-50: 4,089,184,256 MACs per image; tiny_cnn: 267,424.
  CHECK((*A)[0].getAsObject()->getNumber("macs_per_image").getValueOr(-1) == 4089184256.0);
  CHECK((*A)[1].getAsObject()->getNumber("macs_per_image").getValueOr(-1) == 267424.0);
  // --input at 112x112: the figure `analyze --input` gives, not the 224x224 one.
  auto H = runCli("claim " + R +
                  " -q --format json --peak-tops 130 --fps 1000 --input "
                  "input:1x3x112x112");
  REQUIRE(H.Exit == 0);
  auto HV = llvm::json::parse(H.Out);
  REQUIRE(bool(HV));
  auto An = runCli("analyze " + R + " -q --format json --input input:1x3x112x112");
  REQUIRE(An.Exit == 0);
  auto AV = llvm::json::parse(An.Out);
  REQUIRE(bool(AV));
  double Macs = HV->getAsObject()->getNumber("macs_per_image").getValueOr(-1);
  CHECK(Macs == AV->getAsObject()->getObject("totals")->getNumber("macs").getValueOr(-2));
  CHECK(Macs < 4089184256.0 / 3);
}

TEST_CASE("CliOptions: claim --ops lists the conventions that produce a quoted count") {
  std::string R = samplePath("resnet50.onnx");
  // 8.2 G, closest first: deepspeed 8,199,994,368 (-0.0%), flops 8,206,520,296
  // (+0.1%), openvino 8,216,126,952 (+0.2%), tops 8,178,368,512 (-0.3%), darknet
  // 8,174,272,512 (-0.3%) are within 1%; the 1-op-per-MAC ones (4.09 G) are not.
  auto J = runCli("claim " + R + " -q --format json --ops 8.2G --tolerance 1%");
  REQUIRE(J.Exit == 0);
  auto V = llvm::json::parse(J.Out);
  REQUIRE(bool(V));
  auto *O = V->getAsObject();
  CHECK(O->getNumber("quoted_ops").getValueOr(-1) == doctest::Approx(8.2e9));
  std::vector<std::string> Matches;
  for (const llvm::json::Value &C : *O->getArray("conventions"))
    if (C.getAsObject()->getBoolean("matches").getValueOr(false))
      Matches.push_back(C.getAsObject()->getString("name")->str());
  CHECK(Matches == std::vector<std::string>{"deepspeed", "flops", "openvino", "tops", "darknet"});
  auto *First = (*O->getArray("conventions"))[0].getAsObject();
  CHECK(First->getNumber("ops_per_image").getValueOr(-1) == 8199994368.0);
  auto T = runCli("claim " + R + " -q --ops 4.09G --tolerance 0.1%");
  CHECK(T.Exit == 0);
  CHECK(T.Out.find("produced by: ") != std::string::npos);
  CHECK(firstLine(T.Out.substr(T.Out.find("produced by: "))) ==
        "produced by: thop, fvcore, macs, torchvision");
  // 400 G is no convention's count: exit 1, like an impossible claim.
  auto None = runCli("claim " + R + " -q --ops 400G");
  CHECK(None.Exit == 1);
  CHECK(None.Out.find("produced by: no built-in convention") != std::string::npos);
  // --ops is its own check: with a throughput claim it is a conflict.
  auto Both = runCli("claim " + R + " --ops 8G --fps 10");
  CHECK(Both.Exit == 2);
  CHECK(Both.Err == "opaudit: error: claim: --fps excludes --ops\n");
}
