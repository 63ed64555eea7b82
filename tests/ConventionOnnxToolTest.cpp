// The onnx-tool convention against onnx-tool's own rules. onnx-tool cannot be
// installed here (no PyPI), so samples/onnx_tool_reference.py re-implements its
// published per-operator costs independently (over ONNX's Python shape
// inference, without opaudit code or our YAML file); its committed output is
// the reference. The acceptance bound is 1%; the two agree exactly today.
#include "passes/Conventions.h"
#include "tests/TestUtil.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace opaudit;
using namespace opaudit::test;

TEST_CASE("Conventions: onnx-tool within 1% of onnx-tool's rules on every reference sample") {
  auto Buf = llvm::MemoryBuffer::getFile(samplePath("onnx_tool_reference.json"));
  REQUIRE(static_cast<bool>(Buf));
  auto J = llvm::json::parse((*Buf)->getBuffer());
  REQUIRE(static_cast<bool>(J));
  const auto *Models = J->getAsObject()->getObject("models");
  REQUIRE(Models);
  CHECK(Models->size() == 5);
  auto Conv = loadConvention("onnx-tool");
  REQUIRE(static_cast<bool>(Conv));
  for (const auto &KV : *Models) {
    std::string Name = KV.first.str();
    CAPTURE(Name);
    int64_t Ref = *KV.second.getAsObject()->getInteger("total");
    auto M = loadModel(samplePath(Name + ".onnx"));
    REQUIRE(static_cast<bool>(M));
    AnalysisManager AM(**M);
    ConventionCounts CC = countOps(AM, *Conv);
    REQUIRE(CC.Total.isConst());
    int64_t Ours = *CC.Total.asConst();
    CHECK(std::abs(static_cast<double>(Ours) / static_cast<double>(Ref) - 1) < 0.01);
    CHECK(Ours == Ref);
  }
}
