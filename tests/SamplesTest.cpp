// Published figures on the bundled samples: torchvision's GFLOPS (1 per MAC,
// conv + linear + matmul), Darknet's YOLOv3-416 BFLOPs (2 per MAC) and the
// parameter counts, plus the invariant that totals equal the sum of the rows.
#include "tests/TestUtil.h"

#include "llvm/Support/FileSystem.h"
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
  // torchvision's 25,557,032 parameters minus the 26,560 BatchNorm channels folded into conv biases.
  CHECK(R.TotalParams == 25557032 - 26560);
  CHECK(R.TotalWeightBytes == 4 * R.TotalParams);
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
  CHECK(R.TotalWeightBytes == 4 * R.TotalParams);
  // An embedded-weight model reads its payload nowhere else: no diagnostics at all.
  CHECK(R.Diags.empty());
}

TEST_CASE("Samples: totals equal the sum of the rows for every sample") {
  std::error_code EC;
  int Seen = 0;
  for (llvm::sys::fs::directory_iterator It(samplePath(""), EC), End; It != End && !EC;
       It.increment(EC)) {
    if (llvm::sys::path::extension(It->path()) != ".onnx")
      continue;
    ++Seen;
    CAPTURE(It->path());
    auto R = analyzeFile(It->path(), {});
    REQUIRE(bool(R));
    int64_t Macs = 0, Params = 0, Bytes = 0;
    bool MacsKnown = true;
    for (const LayerRow &L : R->Rows) {
      Params += L.Params;
      Bytes += L.WeightBytes;
      if (L.Macs)
        Macs += *L.Macs;
      else
        MacsKnown = false;
    }
    CHECK(Params == R->TotalParams);
    CHECK(Bytes == R->TotalWeightBytes);
    CHECK(MacsKnown == R->TotalMacs.has_value());
    if (R->TotalMacs)
      CHECK(Macs == *R->TotalMacs);
  }
  CHECK(Seen >= 7);
}
