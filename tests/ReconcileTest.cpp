// reconcile (issue 14): --input and several models, and the BatchNorm
// folding line only for a model with convolutions. The YOLOv3 figures are
// checked against its structure: a fully convolutional network at input
// sizes that are multiples of its stride 32 has every layer's MACs
// proportional to the input's pixels, so its total at 1088x1920 is its total
// at 416x416 times (1088*1920)/(416*416); README quotes 397,522,821,120.
#include "tests/TestUtil.h"

#include "llvm/Support/JSON.h"

using namespace opaudit;
using namespace opaudit::test;

namespace {
int64_t torchvisionTotal(const llvm::json::Value &Obj) {
  for (const auto &C : *Obj.getAsObject()->getArray("conventions"))
    if (C.getAsObject()->getString("name").getValueOr("") == "torchvision")
      return *C.getAsObject()->getInteger("total");
  FAIL("no torchvision row");
  return 0;
}
} // namespace

TEST_CASE("Reconcile: no BatchNorm folding line for a model without convolutions") {
  auto B = runCli("reconcile " + samplePath("bert_base.onnx") + " -q --dim batch=1 --dim seq=128");
  REQUIRE_MESSAGE(B.Exit == 0, B.Err);
  // The graph line: BERT's MatMuls have no bias input (the bias is a separate Add); the one
  // with a bias input is the pooler's Gemm.
  CHECK(B.Out.find("\ngraph:  1 of 97 MAC layers have a bias input\n") != std::string::npos);
  CHECK(B.Out.find("BatchNormalization") == std::string::npos);
  CHECK(B.Out.find("folded") == std::string::npos);
  auto R = runCli("reconcile " + samplePath("resnet50.onnx") + " -q");
  REQUIRE_MESSAGE(R.Exit == 0, R.Err);
  CHECK(R.Out.find("graph:  54 of 54 MAC layers have a bias input; no BatchNormalization node "
                   "(folded into the convolutions, if the model had any)\n") != std::string::npos);
}

TEST_CASE("Reconcile: --input reconciles YOLOv3 at 2 MP") {
  auto At416 = runCli("reconcile " + samplePath("yolov3.onnx") +
                      " -q --format json --input input:1x3x416x416");
  REQUIRE_MESSAGE(At416.Exit == 0, At416.Err);
  auto Big = runCli("reconcile " + samplePath("yolov3.onnx") +
                    " -q --format json --input input:1x3x1088x1920");
  REQUIRE_MESSAGE(Big.Exit == 0, Big.Err);
  auto A = llvm::json::parse(At416.Out), G = llvm::json::parse(Big.Out);
  REQUIRE(static_cast<bool>(A));
  REQUIRE(static_cast<bool>(G));
  int64_t Small = torchvisionTotal(*A), Large = torchvisionTotal(*G);
  CHECK(Large == 397522821120);
  CHECK(Large * (416 * 416) == Small * (1088 * 1920));
  auto T = runCli("reconcile " + samplePath("yolov3.onnx") + " -q --input input:1x3x1088x1920");
  REQUIRE(T.Exit == 0);
  CHECK(T.Out.find("397,522,821,120") != std::string::npos);
}

TEST_CASE("Reconcile: several models give one result each") {
  std::string Two = samplePath("resnet50.onnx") + " " + samplePath("tiny_cnn.onnx");
  auto T = runCli("reconcile " + Two + " -q");
  REQUIRE_MESSAGE(T.Exit == 0, T.Err);
  size_t R = T.Out.find("model:  " + samplePath("resnet50.onnx") + "\n");
  size_t C = T.Out.find("model:  " + samplePath("tiny_cnn.onnx") + "\n");
  REQUIRE(R != std::string::npos);
  REQUIRE(C != std::string::npos);
  CHECK(R < C);
  CHECK(T.Out.find("torchvision  4,089,184,256  4.09 G") < C); // ResNet-50's row, in its block
  auto J = runCli("reconcile " + Two + " -q --format json");
  REQUIRE_MESSAGE(J.Exit == 0, J.Err);
  auto V = llvm::json::parse(J.Out);
  REQUIRE(static_cast<bool>(V));
  const auto *Arr = V->getAsArray();
  REQUIRE(Arr);
  REQUIRE(Arr->size() == 2);
  CHECK(torchvisionTotal((*Arr)[0]) == 4089184256);
  CHECK((*Arr)[1].getAsObject()->getString("model").getValueOr("") == samplePath("tiny_cnn.onnx"));
  auto Missing = runCli("reconcile " + samplePath("resnet50.onnx") + " /nonexistent.onnx -q");
  CHECK(Missing.Exit != 0);
  CHECK(Missing.Out.empty());
}
