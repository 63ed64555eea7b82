// Several models in one `opaudit analyze` run: one summary row per model in
// input order whatever the thread timing, a failed row (and exit 3) for a bad
// file without stopping the others, directories expanded, and rows that agree
// with the single-model reports. Also the summary writers' escaping.
#include "reports/SummaryWriter.h"
#include "tests/SampleReference.h"
#include "tests/TestUtil.h"

#include <regex>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

#include <fstream>

using namespace opaudit;
using namespace opaudit::test;

namespace {
std::vector<std::string> lines(const std::string &S) {
  std::vector<std::string> L;
  llvm::SmallVector<llvm::StringRef, 16> Parts;
  llvm::StringRef(S).split(Parts, '\n', -1, false);
  for (llvm::StringRef P : Parts)
    L.push_back(P.str());
  return L;
}

std::string join(const std::vector<std::string> &Paths) {
  std::string S;
  for (const std::string &P : Paths)
    S += " " + P;
  return S;
}

const llvm::json::Array &models(const llvm::json::Value &V) {
  const llvm::json::Array *A = V.getAsObject()->getArray("models");
  REQUIRE(A);
  return *A;
}
} // namespace

TEST_CASE("Zoo: a bad file gets a failed row and does not stop the others, exit 3") {
  std::string Bad = writeTemp("bad.onnx", "this is not protobuf");
  auto R = runCli("analyze " + samplePath("tiny_cnn.onnx") + " " + Bad + " " +
                  samplePath("resnet50.onnx") + " --format csv -q");
  CHECK(R.Exit == 3);
  auto L = lines(R.Out);
  REQUIRE(L.size() == 4);
  CHECK(L[0] == "path,status,nodes,macs,macs_expr,params,weight_bytes,errors,warnings,error");
  CHECK(L[1] == samplePath("tiny_cnn.onnx") + ",ok,11,267424,267424,1146,4584,0,0,");
  // The error field is quoted (RFC 4180): the message has a comma in it.
  CHECK(L[2] == Bad + ",failed,,,,,,,,\"" + Bad +
                    ": not an ONNX model: the file is text, while ONNX models are binary "
                    "protobuf\"");
  CHECK(L[3] ==
        samplePath("resnet50.onnx") + ",ok,122,4089184256,4089184256,25530472,102121888,0,1,");
  // The error is also one line on stderr, naming the file.
  CHECK(R.Err.find("opaudit: error: " + Bad + ": ") != std::string::npos);
  // stderr is not a terminal here: no progress bar.
  CHECK(R.Err.find('\r') == std::string::npos);
  CHECK(std::count(R.Err.begin(), R.Err.end(), '\n') == 1);

  auto T = runCli("analyze " + samplePath("tiny_cnn.onnx") + " " + Bad + " -q");
  CHECK(T.Exit == 3);
  CHECK(T.Out.find("failed") != std::string::npos);
  CHECK(T.Out.find("2 model(s): 1 analyzed, 1 failed") != std::string::npos);
}

TEST_CASE("Zoo: every model analyzed gives exit 0, an unknown summary format is a usage error") {
  auto R =
      runCli("analyze " + samplePath("tiny_cnn.onnx") + " " + samplePath("resnet50.onnx") + " -q");
  CHECK(R.Exit == 0);
  CHECK(R.Out.find("2 model(s): 2 analyzed, 0 failed") != std::string::npos);
  auto F = runCli("analyze " + samplePath("tiny_cnn.onnx") + " " + samplePath("resnet50.onnx") +
                  " --format yaml");
  CHECK(F.Exit == 2);
  CHECK(F.Err.find("table, csv, json") != std::string::npos);
  auto C = runCli("analyze " + samplePath("tiny_cnn.onnx") + " " + samplePath("resnet50.onnx") +
                  " --convention macs");
  // Several models compare under a convention (issue 14): an ops column, 1 op per MAC here.
  CHECK(C.Exit == 0);
  CHECK(std::regex_search(C.Out, std::regex("tiny_cnn\\.onnx\\s+ok\\s+11\\s+267,424\\s+1,146\\s+"
                                            "4,584\\s+267,424\\s+0 error")));
}

TEST_CASE("Zoo: output order follows the inputs, not thread timing") {
  // The slowest sample first and the fastest last: with two workers the
  // later inputs finish first.
  std::vector<std::string> Paths = {samplePath("swin_t.onnx"),   samplePath("bert_base.onnx"),
                                    samplePath("vit_b_16.onnx"), samplePath("tiny_cnn.onnx"),
                                    samplePath("resnet50.onnx"), samplePath("mobilenet_v2.onnx")};
  auto Ref = runCli("analyze" + join(Paths) + " --format json -q -j 1");
  REQUIRE(Ref.Exit == 0);
  auto J = llvm::json::parse(Ref.Out);
  REQUIRE(bool(J));
  const auto &A = models(*J);
  REQUIRE(A.size() == Paths.size());
  for (size_t I = 0; I < Paths.size(); ++I)
    CHECK(A[I].getAsObject()->getString("path").getValueOr("") == Paths[I]);
  for (int Run = 0; Run < 4; ++Run) {
    auto R = runCli("analyze" + join(Paths) + " --format json -q -j " + std::to_string(2 + Run));
    CHECK(R.Exit == 0);
    CHECK(R.Out == Ref.Out);
  }
}

TEST_CASE("Zoo: summary rows equal the single-model reports") {
  std::vector<std::string> Paths;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(samplePath(""), EC), End; It != End && !EC;
       It.increment(EC))
    if (llvm::StringRef(It->path()).endswith(".onnx"))
      Paths.push_back(It->path());
  std::sort(Paths.begin(), Paths.end());
  REQUIRE(Paths.size() >= 8);
  auto R = runCli("analyze" + join(Paths) + " --format json -q");
  auto J = llvm::json::parse(R.Out);
  REQUIRE(bool(J));
  const auto &A = models(*J);
  REQUIRE(A.size() == Paths.size());
  for (size_t I = 0; I < Paths.size(); ++I) {
    CAPTURE(Paths[I]);
    auto Single = analyzeFile(Paths[I], {});
    REQUIRE(bool(Single));
    const auto *Row = A[I].getAsObject();
    CHECK(Row->getString("status").getValueOr("") == "ok");
    CHECK(Row->getInteger("nodes").getValueOr(-1) == static_cast<int64_t>(Single->NumNodes));
    CHECK(Row->getInteger("params").getValueOr(-1) == Single->TotalParams);
    // Both sides come from the same analysis, so they are also pinned to the
    // figures measured outside opaudit (tests/SampleReference.h).
    std::string File = llvm::sys::path::filename(Paths[I]).str();
    const SampleFigures *F =
        llvm::find_if(kSampleFigures, [&](const SampleFigures &S) { return File == S.File; });
    REQUIRE(F != std::end(kSampleFigures));
    CHECK(Row->getInteger("params").getValueOr(-1) == F->Params);
    CHECK(Row->getInteger("weight_bytes").getValueOr(-1) == F->weightBytes());
    if (File != "bert_base.onnx") // Its MACs are a formula of the unbound [batch, seq].
      CHECK(Row->getInteger("macs").getValueOr(-1) == F->Macs);
    CHECK(Row->getInteger("weight_bytes").getValueOr(-1) == Single->TotalWeightBytes);
    if (Single->TotalMacs)
      CHECK(Row->getInteger("macs").getValueOr(-1) == *Single->TotalMacs);
    else
      CHECK(Row->get("macs")->kind() == llvm::json::Value::Null);
    ModelSummary S = summarize(*Single);
    CHECK(Row->getInteger("errors").getValueOr(-1) == static_cast<int64_t>(S.Errors));
    CHECK(Row->getInteger("warnings").getValueOr(-1) == static_cast<int64_t>(S.Warnings));
  }
}

TEST_CASE("Zoo: a directory expands to its .onnx files, recursively and sorted") {
  llvm::SmallString<128> Dir;
  REQUIRE(!llvm::sys::fs::createUniqueDirectory("opaudit-zoo", Dir));
  std::string D = Dir.str().str();
  REQUIRE(!llvm::sys::fs::create_directory(D + "/sub"));
  REQUIRE(!llvm::sys::fs::copy_file(samplePath("tiny_cnn.onnx"), D + "/b.onnx"));
  REQUIRE(!llvm::sys::fs::copy_file(samplePath("tiny_cnn.onnx"), D + "/sub/a.onnx"));
  REQUIRE(!llvm::sys::fs::copy_file(samplePath("REFERENCE.md"), D + "/notes.md"));
  auto R = runCli("analyze " + D + " --format csv -q");
  CHECK(R.Exit == 0);
  auto L = lines(R.Out);
  REQUIRE(L.size() == 3);
  CHECK(L[1].rfind(D + "/b.onnx,ok,11,267424,", 0) == 0);
  CHECK(L[2].rfind(D + "/sub/a.onnx,ok,11,267424,", 0) == 0);

  REQUIRE(!llvm::sys::fs::create_directory(D + "/empty"));
  auto E = runCli("analyze " + D + "/empty " + samplePath("tiny_cnn.onnx") + " --format csv -q");
  CHECK(E.Exit == 3);
  CHECK(E.Out.find(D + "/empty,failed,") != std::string::npos);
  CHECK(E.Out.find("tiny_cnn.onnx,ok,") != std::string::npos);
}

TEST_CASE("Zoo: summary writers escape hostile paths and show unknowns") {
  ModelSummary Ok;
  Ok.Path = "dir,with \"quotes\"\nand newline.onnx";
  Ok.Ok = true;
  Ok.Nodes = 3;
  Ok.MacsExpr = "12*N";
  Ok.Params = 7;
  Ok.WeightBytes = 28;
  Ok.Warnings = 2;
  ModelSummary Unknown = Ok;
  Unknown.Path = "u.onnx";
  Unknown.MacsExpr.clear();
  ModelSummary Bad = failedSummary("<bad>&.onnx", "<bad>&.onnx: not ONNX, \"really\"");
  std::vector<ModelSummary> Rows = {Ok, Unknown, Bad};

  std::string Csv;
  llvm::raw_string_ostream C(Csv);
  writeSummaryCsv(Rows, C);
  auto L = lines(C.str());
  CHECK(L.size() == 5); // The quoted path holds a line break.
  CHECK(C.str().find("\"dir,with \"\"quotes\"\"\nand newline.onnx\",ok,3,,12*N,7,28,0,2,\n") !=
        std::string::npos);
  CHECK(C.str().find("u.onnx,ok,3,,,7,28,0,2,\n") != std::string::npos);
  CHECK(C.str().find("<bad>&.onnx,failed,,,,,,,,\"<bad>&.onnx: not ONNX, \"\"really\"\"\"\n") !=
        std::string::npos);

  std::string Table;
  llvm::raw_string_ostream T(Table);
  writeSummaryTable(Rows, T);
  CHECK(T.str().find("dir,with \"quotes\"\\nand newline.onnx") != std::string::npos);
  CHECK(T.str().find("12*N") != std::string::npos);
  CHECK(T.str().find(" ? ") != std::string::npos);
  CHECK(T.str().find("3 model(s): 2 analyzed, 1 failed") != std::string::npos);

  std::string Json;
  llvm::raw_string_ostream JO(Json);
  writeSummaryJson(Rows, JO);
  auto J = llvm::json::parse(JO.str());
  REQUIRE(bool(J));
  const auto &A = models(*J);
  REQUIRE(A.size() == 3);
  CHECK(A[0].getAsObject()->getString("path").getValueOr("") == Ok.Path);
  CHECK(A[0].getAsObject()->getString("macs_expr").getValueOr("") == "12*N");
  CHECK(A[1].getAsObject()->get("macs_expr")->kind() == llvm::json::Value::Null);
  CHECK(A[2].getAsObject()->getString("status").getValueOr("") == "failed");
  CHECK(A[2].getAsObject()->getString("error").getValueOr("") == Bad.Error);
}

TEST_CASE("Zoo: a progress bar is drawn on a terminal") {
  // script(1) (util-linux, essential in Debian) gives the run a pseudo-terminal.
  std::string Out = writeTemp("progress.txt", "");
  std::string Cmd = "script -qec '" + std::string(OPAUDIT_BINARY) + " analyze " +
                    samplePath("tiny_cnn.onnx") + " " + samplePath("resnet50.onnx") +
                    " -q -o /dev/null' /dev/null >" + Out + " 2>&1 </dev/null";
  REQUIRE(std::system(Cmd.c_str()) == 0);
  std::ifstream In(Out);
  std::string Text((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
  CHECK(Text.find("] 1/2 models") != std::string::npos);
  CHECK(Text.find("[##############################] 2/2 models") != std::string::npos);
}
