// Published figures on the bundled samples: torchvision's GFLOPS (1 per MAC,
// conv + linear + matmul), Darknet's YOLOv3-416 BFLOPs (2 per MAC) and the
// parameter counts, and every sample's rows and totals against the figures the
// export script measured (tests/SampleReference.h).
#include "tests/SampleReference.h"
#include "tests/TestUtil.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cmath>

using namespace opaudit;
using namespace opaudit::test;

namespace {
Report analyzeSample(const std::string &Name, AnalysisOptions Opts = {}) {
  auto R = analyzeFile(samplePath(Name), Opts);
  REQUIRE_MESSAGE(bool(R), Name);
  return std::move(*R);
}

void checkWithin(double Got, double Want, double RelTol) {
  CHECK_MESSAGE(std::fabs(Got - Want) <= RelTol * Want,
                "got " << Got << ", want " << Want << " within " << RelTol * 100 << "%");
}
} // namespace

TEST_CASE("Samples: torchvision published GFLOPS (1 per MAC) within 0.5%") {
  // torchvision's model tables: resnet50 4.089, mobilenet_v2 0.301, vit_b_16 17.564.
  struct Case {
    const char *File;
    double GMacs;
  } Cases[] = {{"resnet50.onnx", 4.089}, {"mobilenet_v2.onnx", 0.301}, {"vit_b_16.onnx", 17.564}};
  for (const Case &C : Cases) {
    CAPTURE(C.File);
    Report R = analyzeSample(C.File);
    REQUIRE(R.TotalMacs);
    checkWithin(static_cast<double>(*R.TotalMacs) / 1e9, C.GMacs, 0.005);
  }
}

TEST_CASE("Samples: ResNet-50 exact MACs and BN-folded parameters") {
  Report R = analyzeSample("resnet50.onnx");
  // Sum over torchvision resnet50's convolutions and fc layer, computed layer by layer.
  CHECK(*R.TotalMacs == 4089184256);
  // torchvision's 25,557,032 parameters minus the 26,560 BatchNorm channels folded into conv
  // biases.
  CHECK(R.TotalParams == 25557032 - 26560);
  // 25,530,472 FLOAT (fp32) initializer elements at 4 bytes each.
  CHECK(R.TotalWeightBytes == 102'121'888);
}

TEST_CASE("Samples: ViT-B/16 parameters match torchvision") {
  Report R = analyzeSample("vit_b_16.onnx");
  CHECK(R.TotalParams == 86567656);
}

TEST_CASE("Samples: YOLOv3-416 against Darknet's 65.86 BFLOPs") {
  Report R = analyzeSample("yolov3.onnx");
  REQUIRE(R.TotalMacs);
  // Darknet counts 2 operations per conv MAC: 65.86 BFLOPs -> 32.93 G MACs.
  checkWithin(static_cast<double>(*R.TotalMacs) / 1e9, 32.93, 0.005);
  checkWithin(2.0 * static_cast<double>(*R.TotalMacs) / 1e9, 65.86, 0.005);
  // About 61.9 M parameters with BatchNorm folded into the convolutions.
  checkWithin(static_cast<double>(R.TotalParams) / 1e6, 61.9, 0.005);
}

TEST_CASE("Samples: tiny_cnn with embedded weights, computed by hand") {
  Report R = analyzeSample("tiny_cnn.onnx");
  // conv1 32*32*8*27 + conv2 (groups=2) 8*8*16*4*9 + conv3 (depthwise) 8*8*16*9 + fc 16*10.
  CHECK(*R.TotalMacs == 221184 + 36864 + 9216 + 160);
  // conv1 8*27+8, conv2 16*36+16, conv3 16*9+16, fc 160+10.
  CHECK(R.TotalParams == 224 + 592 + 160 + 170);
  CHECK(R.TotalWeightBytes == 4 * (224 + 592 + 160 + 170)); // All fp32.
  // An embedded-weight model reads its payload nowhere else: no diagnostics at all.
  CHECK(R.Diags.empty());
}

TEST_CASE("Samples: rows and totals equal the independent figures for every sample") {
  // The totals are built in the same loops as the rows, so comparing one with
  // the other could not fail; both are compared with figures measured outside
  // opaudit instead (tests/SampleReference.h). Any sample added to
  // samples/models/ must be added to that table.
  std::error_code EC;
  int Seen = 0;
  for (llvm::sys::fs::directory_iterator It(samplePath(""), EC), End; It != End && !EC;
       It.increment(EC)) {
    if (llvm::sys::path::extension(It->path()) != ".onnx")
      continue;
    ++Seen;
    CAPTURE(It->path());
    std::string File = llvm::sys::path::filename(It->path()).str();
    const SampleFigures *F =
        llvm::find_if(kSampleFigures, [&](const SampleFigures &S) { return File == S.File; });
    REQUIRE_MESSAGE(F != std::end(kSampleFigures), "no reference figures for " << File);
    AnalysisOptions O;
    if (File == "bert_base.onnx") // The hooks figure's input shape.
      O.Dims = {{"batch", kBertBatch}, {"seq", kBertSeq}};
    auto R = analyzeFile(It->path(), O);
    REQUIRE(bool(R));
    int64_t Macs = 0, Params = 0, Bytes = 0, MacLayers = 0;
    for (const LayerRow &L : R->Rows) {
      Params += L.Params;
      Bytes += L.WeightBytes;
      MacLayers += L.MacClass;
      REQUIRE(L.Macs);
      Macs += *L.Macs;
    }
    CHECK(static_cast<int64_t>(R->Rows.size()) == F->Nodes);
    CHECK(MacLayers == F->MacLayers);
    CHECK(Macs == F->Macs);
    CHECK(Params == F->Params);
    CHECK(Bytes == F->weightBytes());
    CHECK(R->TotalMacs == F->Macs);
    CHECK(R->TotalParams == F->Params);
    CHECK(R->TotalWeightBytes == F->weightBytes());
  }
  CHECK(Seen == static_cast<int>(std::size(kSampleFigures)));
}

TEST_CASE("Samples: the reference table equals reference.json") {
  // tests/SampleReference.h copies figures from the export script's output;
  // this keeps the copy honest when the samples are exported again.
  auto Buf = llvm::MemoryBuffer::getFile(samplePath("reference.json"));
  REQUIRE(Buf);
  auto J = llvm::json::parse((*Buf)->getBuffer());
  REQUIRE(bool(J));
  const auto *Models = J->getAsObject()->getObject("models");
  REQUIRE(Models);
  CHECK(Models->size() == std::size(kSampleFigures));
  for (const SampleFigures &F : kSampleFigures) {
    CAPTURE(F.File);
    llvm::StringRef Key = llvm::StringRef(F.File).drop_back(5); // ".onnx"
    const auto *M = Models->getObject(Key);
    REQUIRE(M);
    CHECK(M->getInteger("node_count").getValueOr(-1) == F.Nodes);
    CHECK(M->getObject("params")->getInteger("onnx_float_initializer_elements").getValueOr(-1) ==
          F.Params);
    CHECK(M->getObject("macs")->getInteger("hooks").getValueOr(-1) == F.Macs);
    const auto *Ops = M->getObject("op_types");
    int64_t MacLayers = 0;
    for (const char *Op : {"Conv", "Gemm", "MatMul"})
      MacLayers += Ops->getInteger(Op).getValueOr(0);
    CHECK(MacLayers == F.MacLayers);
    if (Key == "bert_base") {
      const auto *In = M->getObject("macs")->getArray("hooks_input");
      REQUIRE(In);
      CHECK((*In)[0].getAsInteger().getValueOr(-1) == kBertBatch);
      CHECK((*In)[1].getAsInteger().getValueOr(-1) == kBertSeq);
    }
  }
}
