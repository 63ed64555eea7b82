// Static-batch exports: binding a batch-1 export to another batch must never
// silently give a wrong number. ViT-B/16's patch Reshape has the constant
// target 1x768x196, so batch 4 contradicts it: the Reshape is named in an
// error and every MAC computed from it becomes unknown. ResNet-50 has no such
// constant (Flatten keeps the batch), so batch 4 is exactly 4x its count.
#include "tests/TestUtil.h"

using namespace opaudit;
using namespace opaudit::test;

TEST_CASE(
    "StaticBatch: a Reshape constant pinning the exported batch is diagnosed, not miscounted") {
  AnalysisOptions O;
  O.InputShapes["input"] = {"4", "3", "224", "224"};
  auto R = analyzeFile(samplePath("vit_b_16.onnx"), O);
  REQUIRE(bool(R));
  CHECK_FALSE(R->TotalMacs);
  CHECK(R->TotalMacsExpr.empty());
  bool Named = false;
  for (const Diagnostic &D : R->Diags)
    Named |= D.Level == Severity::Error && D.Node == "Reshape '/Reshape'" &&
             D.Message.find("from 602112 to 150528") != std::string::npos;
  CHECK(Named);

  auto Res = analyzeFile(samplePath("resnet50.onnx"), O);
  REQUIRE(bool(Res));
  REQUIRE(Res->TotalMacs);
  CHECK(*Res->TotalMacs == 4 * int64_t(4089184256));
}

TEST_CASE("StaticBatch: the CLI prints the error with the node and no total") {
  auto C = runCli("analyze " + samplePath("vit_b_16.onnx") + " --input input:4x3x224x224");
  CHECK(C.Exit == 0);
  CHECK(C.Err.find("error: Reshape '/Reshape': reshape changes the element count") !=
        std::string::npos);
  CHECK(C.Out.find("MACs:        ? (") != std::string::npos);
}
