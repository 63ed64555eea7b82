// Operation counts under every built-in convention: a small graph computed by
// hand, the published figures our samples can reproduce (torchvision 4.089 G
// and OpenVINO 8.216 G on ResNet-50, Darknet 65.86 G on YOLOv3), fvcore's,
// ptflops' and DeepSpeed's documented rules applied to the BN-folded export,
// the loader's error messages, and the built-in files being the embedded ones.
#include "passes/Conventions.h"
#include "passes/Precision.h"
#include "tests/SampleReference.h"
#include "tests/TestUtil.h"

#include "llvm/Support/JSON.h"

#include <fstream>
#include <map>
#include <sstream>

using namespace opaudit;
using namespace opaudit::test;

namespace {

Convention builtin(llvm::StringRef Name) {
  auto C = loadConvention(Name);
  REQUIRE_MESSAGE(static_cast<bool>(C), Name.str());
  return std::move(*C);
}

struct Loaded {
  std::unique_ptr<Model> M;
  std::unique_ptr<AnalysisManager> AM;
};

Loaded loadSample(const std::string &Name, AnalysisOptions Opts = {}) {
  Loaded L;
  auto M = loadModel(samplePath(Name));
  REQUIRE(static_cast<bool>(M));
  L.M = std::move(*M);
  L.AM = std::make_unique<AnalysisManager>(*L.M, std::move(Opts));
  return L;
}

int64_t total(AnalysisManager &AM, llvm::StringRef Conv) {
  ConventionCounts CC = countOps(AM, builtin(Conv));
  REQUIRE_MESSAGE(CC.Total.isConst(), Conv.str() << ": " << CC.Total.str());
  return *CC.Total.asConst();
}

int64_t bucket(const ConventionCounts &CC, const std::string &B) {
  auto It = CC.ByBucket.find(B);
  if (It == CC.ByBucket.end())
    return 0;
  REQUIRE(It->second.isConst());
  return *It->second.asConst();
}

// Conv with bias (576 MACs, 32 outputs), unfolded BatchNormalization (32),
// Relu (32), residual Add (32), MaxPool 2x2/2 (32 in, 8 out, window 4),
// GlobalAveragePool (8 in, 2 out, window 4), Flatten, Gemm with bias
// (6 MACs, 3 outputs), Softmax (3 elements, 1 row), Sigmoid (3).
const char *kSmall = R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,2,4,4] X, float[2,2,3,3] W, float[2] B, float[2] s, float[2] b, float[2] m,
   float[2] v, float[3,2] Wf, float[3] Bf) => (float Z, float Q) {
  C = Conv <pads = [1, 1, 1, 1]> (X, W, B)
  N = BatchNormalization (C, s, b, m, v)
  R = Relu (N)
  A = Add (R, X)
  P = MaxPool <kernel_shape = [2, 2], strides = [2, 2]> (A)
  G = GlobalAveragePool (P)
  F = Flatten (G)
  Y = Gemm <transB = 1> (F, Wf, Bf)
  Z = Softmax (Y)
  Q = Sigmoid (Y)
})";

} // namespace

TEST_CASE("Conventions: hand-computed graph under every built-in convention") {
  auto M = parseModel(kSmall);
  AnalysisManager AM(*M);
  REQUIRE(AM.get<MacCount>().Total.asConst() == 582);
  // Each line: the convention's rules applied to the element counts above.
  const std::pair<const char *, int64_t> Expected[] = {
      {"macs", 582},        // 576 + 6
      {"tops", 1164},       // 2 * 582
      {"torchvision", 582}, // MACs only
      {"darknet", 1152},    // 2 * 576: convolution MACs only, the Gemm does not count
      {"fvcore", 654},      // 582 + BN 2*32 + GAP 1*8 (input)
      {"thop", 728},        // 582 + BN 4*32 + GAP (4+1)*2 + Softmax 3*3-1
      {"ptflops", 756},     // 582 + bias 32+3 + BN 2*32 + Relu 32 + MaxPool 32 + GAP 8 + Softmax 3
      {"deepspeed", 1335}, // 1164 + conv bias 32 + BN 64 + Relu 32 + MaxPool 32 + GAP 8 + Softmax 3
      {"onnx-tool", 1925}, // 582 + bias 35 + BN 31*32 + Relu 32 + Add 32 + MaxPool 8*4
                           // + GAP 8 + 4*2 + Softmax 36*3 + Sigmoid 32*3
      {"openvino", 1423},  // 1164 + bias 35 + BN 2*32 + Relu 2*32 + Add 32 + MaxPool 8*4
                           // + GAP 2*4 + Softmax 5*3 + Sigmoid 3*3
      {"flops", 1396},     // 1164 + bias 35 + BN 2*32 + Relu 32 + Add 32 + MaxPool 8*4
                           // + GAP 8+2 + Softmax 5*3 + Sigmoid 4*3
  };
  CHECK(std::size(Expected) == builtinConventionNames().size());
  for (auto [Name, Want] : Expected) {
    CAPTURE(Name);
    CHECK(total(AM, Name) == Want);
  }
  // The breakdown adds up to the total and puts the bias apart.
  ConventionCounts PT = countOps(AM, builtin("ptflops"));
  CHECK(bucket(PT, "conv") == 576);
  CHECK(bucket(PT, "matmul") == 6);
  CHECK(bucket(PT, "bias") == 35);
  CHECK(bucket(PT, "normalization") == 64);
  CHECK(bucket(PT, "pool") == 40);
  int64_t Sum = 0;
  for (const auto &[B, E] : PT.ByBucket)
    Sum += *E.asConst();
  CHECK(Sum == 756);
  int64_t NodeSum = 0;
  for (Expr E : PT.Nodes)
    NodeSum += E ? *E.asConst() : 0;
  CHECK(NodeSum == 756);
}

TEST_CASE("Conventions: macs is the PyTorch-hook MAC count and tops twice it, on every sample") {
  // The macs convention and the MacCount pass go through the same per-node
  // counts, so they are compared with the MACs the export script measured on
  // the PyTorch models (tests/SampleReference.h), not with each other.
  for (const char *S :
       {"tiny_cnn.onnx", "resnet50.onnx", "mobilenet_v2.onnx", "yolov3.onnx", "vit_b_16.onnx"}) {
    CAPTURE(S);
    const SampleFigures &F = *llvm::find_if(
        kSampleFigures, [&](const SampleFigures &R) { return llvm::StringRef(R.File) == S; });
    auto L = loadSample(S);
    CHECK(total(*L.AM, "macs") == F.Macs);
    CHECK(L.AM->get<MacCount>().Total.asConst() == F.Macs);
    CHECK(total(*L.AM, "tops") == 2 * F.Macs);
  }
}

TEST_CASE("Conventions: symbolic dims give exact formulas") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[N,3,8,8] X, float[4,3,3,3] W) => (float Y) {
  C = Conv (X, W)
  Y = Relu (C)
})");
  AnalysisManager AM(*M);
  CHECK(countOps(AM, builtin("macs")).Total.str() == "3888*N");
  CHECK(countOps(AM, builtin("tops")).Total.str() == "7776*N");
  // Relu: 1 per element of N x 4 x 6 x 6 under onnx-tool, 2 under OpenVINO.
  CHECK(countOps(AM, builtin("onnx-tool")).Total.str() == "4032*N");
  CHECK(countOps(AM, builtin("openvino")).Total.str() == "8064*N");
}

TEST_CASE("Conventions: darknet on YOLOv3-416 is Darknet's 65.86 BFLOPs within 0.1%") {
  auto L = loadSample("yolov3.onnx");
  int64_t D = total(*L.AM, "darknet");
  // 2 ops per convolution MAC: 2 * 32,932,037,632 (pjreddie's 65.86 Bn; AlexeyAB's older
  // builds print the same conv-only 65.864).
  CHECK(D == 65'864'075'264);
  CHECK(std::abs(static_cast<double>(D) / 65.86e9 - 1) < 0.001);
  // YOLOv3 has only convolutions, so counting every MAC twice gives the same figure.
  CHECK(total(*L.AM, "tops") == 65'864'075'264);
}

TEST_CASE("Conventions: ResNet-50 published figures and documented rules (BN-folded export)") {
  // The sample is torch.onnx.export in eval mode: every BatchNorm is folded into its Conv,
  // which therefore has a bias input, and there is no BatchNormalization node. Published
  // figures were measured on the PyTorch model (Conv without bias + BatchNorm).
  auto L = loadSample("resnet50.onnx");
  AnalysisManager &AM = *L.AM;
  // torchvision's _ops for resnet50 is 4.089 (MACs of conv and linear only): the graph form
  // does not matter because bias and BN are not counted.
  CHECK(total(AM, "torchvision") == 4'089'184'256);
  CHECK(std::llround(total(AM, "torchvision") / 1e6) == 4089);
  // fvcore's handles: conv/linear 1 per MAC (bias ignored), aten::batch_norm 2 per input
  // element, adaptive_avg_pool2d 1 per input element; add_/relu/max_pool2d have no handle.
  // On the PyTorch model that is 4,089,184,256 + 2*11,113,984 (BN) + 100,352 = 4,111,512,576.
  // In this graph BN is folded (no BatchNormalization node; fvcore ignores conv bias), so
  // only the GlobalAveragePool input remains: 4,089,184,256 + 2048*7*7.
  CHECK(total(AM, "fvcore") == 4'089'184'256 + 2048 * 7 * 7);
  // OpenVINO converts with BN folded too, so its published 8.216 GFLOPs applies to this form:
  // 2*MACs + bias adds 11,113,984 + 1,000 + ReLU 2*9,608,704 + Add 5,519,360
  // + MaxPool 9*200,704 + GAP 49*2,048.
  CHECK(total(AM, "openvino") == 8'216'126'952);
  CHECK(std::llround(total(AM, "openvino") / 1e6) == 8216);
  // ptflops (pytorch backend): its 4.12 G = MACs + BN 2*11,113,984 + ReLU + pool inputs
  // + FC bias. Folded: conv bias counted per output instead of BN.
  CHECK(total(AM, "ptflops") == 4'089'184'256 + 11'113'984 + 1'000 + 9'608'704 + 802'816 + 100'352);
  // DeepSpeed/calflops: 8,211,108,352 on the PyTorch model; folded: 2*MACs + conv bias
  // + ReLU + pool inputs (linear bias is not counted).
  CHECK(total(AM, "deepspeed") == 8'178'368'512 + 11'113'984 + 9'608'704 + 802'816 + 100'352);
  // thop: BN 4 per element is gone, conv bias ignored; AdaptiveAvgPool (49+1)*2048.
  CHECK(total(AM, "thop") == 4'089'184'256 + 50 * 2048);
}

TEST_CASE("Conventions: unknown element counts give unknown ops, never 0") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 17, "x.custom" : 1]>
g (float[1,4,8,8] X) => (float Y) {
  T = x.custom.Mystery (X)
  Y = Relu (T)
})");
  AnalysisManager AM(*M);
  ConventionCounts CC = countOps(AM, builtin("onnx-tool"));
  CHECK_FALSE(CC.Total);
  CHECK(CC.UnknownNodes == 1);
  // Under a convention where Relu costs nothing the total is known.
  CHECK(countOps(AM, builtin("thop")).Total.asConst() == 0);
}

TEST_CASE("Conventions: attribute-qualified op keys (Resize mode=linear)") {
  // The scales are a Constant so that shape inference knows the output size.
  auto M2 = parseModel(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,2,4,4] X) => (float A, float B) {
  S = Constant <value = float[4] {1.0, 1.0, 2.0, 2.0}> ()
  A = Resize <mode = "linear"> (X, , S)
  B = Resize (X, , S)
})");
  AnalysisManager AM(*M2);
  // 128 output elements each: linear 4 per output, nearest 0 (onnx-tool); fvcore 4 and 1.
  CHECK(total(AM, "onnx-tool") == 4 * 128);
  CHECK(total(AM, "fvcore") == 4 * 128 + 128);
}

TEST_CASE("Conventions: the built-in files are the embedded ones and name their source") {
  for (llvm::StringRef Name : builtinConventionNames()) {
    CAPTURE(Name.str());
    std::ifstream In(std::string(OPAUDIT_SOURCE_DIR) + "/samples/conventions/" + Name.str() +
                     ".yaml");
    std::stringstream SS;
    SS << In.rdbuf();
    CHECK(SS.str() == builtinConventionText(Name).str());
    Convention C = builtin(Name);
    CHECK(C.Name == Name.str());
    CHECK(C.Source.size() > 40);
    CHECK_FALSE(C.Meaning.empty());
    CHECK(C.Source.find('\n') == std::string::npos);
  }
}

TEST_CASE("Conventions: loader errors name the file and line") {
  auto Err = [](const char *Text) {
    auto C = parseConvention(Text, "my.yaml");
    REQUIRE_FALSE(static_cast<bool>(C));
    return llvm::toString(C.takeError());
  };
  CHECK(Err("name: x\nops_per_mac: 2\nbogus: 1\n") == "my.yaml:3:1: unknown key 'bogus'");
  CHECK(Err("name: x\nops_per_mac: two\n") == "my.yaml:2:14: expected an integer, got 'two'");
  CHECK(Err("name: x\nops_per_mac: 1\nclasses:\n  pools: 1\n")
            .find("my.yaml:4:3: unknown operator class 'pools' (known: conv, matmul,") == 0);
  CHECK(Err("name: x\nops_per_mac: 1\nops:\n  Relu: {outputs: 1}\n") ==
        "my.yaml:4:10: unknown cost basis 'outputs' (known: output, input, window, rows)");
  CHECK(Err("name: x\n") == "my.yaml:1:1: missing 'ops_per_mac'");
  CHECK(Err("name: [x\n").rfind("my.yaml:", 0) == 0);
  CHECK(Err("ops_per_mac: 1\nname: x\nops: {Relu: 1, Relu: 2}\n") ==
        "my.yaml:3:16: op 'Relu' is given twice");
  auto U = loadConvention("nonesuch");
  REQUIRE_FALSE(static_cast<bool>(U));
  CHECK(llvm::toString(U.takeError()).find("unknown convention 'nonesuch' (built-in: macs, tops") ==
        0);
  auto F = loadConvention("/nonexistent/c.yaml");
  REQUIRE_FALSE(static_cast<bool>(F));
  CHECK(llvm::toString(F.takeError()).find("cannot read convention file '/nonexistent/c.yaml'") ==
        0);
}

TEST_CASE("Conventions: a user file by path, through analyze --convention") {
  std::string Path =
      writeTemp("mine.yaml", R"(# AlexeyAB's Darknet: conv 2/MAC plus maxpool and shortcut layers.
name: alexeyab
source: AlexeyAB/darknet src/maxpool_layer.c, src/shortcut_layer.c
meaning: 2 per conv MAC + 1 per maxpool window element + 1 per shortcut element
ops_per_mac: 2
mac_classes: [conv]
classes:
  pool: {window: 1}
ops:
  Add: 1
)");
  auto R =
      runCli("analyze " + samplePath("yolov3.onnx") + " -q --format json --convention " + Path);
  REQUIRE(R.Exit == 0);
  auto J = llvm::json::parse(R.Out);
  REQUIRE(static_cast<bool>(J));
  const auto *Totals = J->getAsObject()->getObject("totals");
  // 65,864,075,264 + 23 shortcuts: AlexeyAB prints Total BFLOPS 65.879.
  int64_t Ops = *Totals->getInteger("ops");
  CHECK(std::llround(Ops / 1e6) == 65879);
  CHECK(*J->getAsObject()->getObject("convention")->getString("name") == "alexeyab");
  // By hand: 2 x 32,932,037,632 conv MACs (PyTorch hooks, REFERENCE.md) plus one op per
  // element of Darknet-53's 23 shortcuts at 416x416: 1 x 64x208x208 + 2 x 128x104x104
  // + 8 x 256x52x52 + 8 x 512x26x26 + 4 x 1024x13x13 = 14,536,704 (onnx-tool's Add
  // figure in onnx_tool_reference.json is the same).
  const int64_t Want = 2 * 32'932'037'632 + 64 * 208 * 208 + 2 * 128 * 104 * 104 +
                       8 * 256 * 52 * 52 + 8 * 512 * 26 * 26 + 4 * 1024 * 13 * 13;
  CHECK(Want == 65'878'611'968);
  CHECK(Ops == Want);
  // Every layer has "ops"; the layers add up to the same hand-computed figure.
  int64_t Sum = 0, Shortcuts = 0;
  for (const auto &L : *J->getAsObject()->getArray("layers")) {
    Sum += *L.getAsObject()->getInteger("ops");
    if (L.getAsObject()->getString("op_type").getValueOr("") == "Add")
      Shortcuts += *L.getAsObject()->getInteger("ops");
  }
  CHECK(Sum == Want);
  CHECK(Shortcuts == 14'536'704);
}

TEST_CASE("Conventions: analyze table states the convention and has an ops column") {
  auto R = runCli("analyze " + samplePath("tiny_cnn.onnx") + " --convention tops");
  REQUIRE(R.Exit == 0);
  CHECK(R.Out.find("params  weight bytes      ops") != std::string::npos);
  CHECK(R.Out.find("ops:         534.8 K (534,848) under convention 'tops'") != std::string::npos);
  CHECK(R.Out.find("ops mean:    1 MAC = 2 ops") != std::string::npos);
  auto Bad = runCli("analyze " + samplePath("tiny_cnn.onnx") + " --convention nonesuch");
  CHECK(Bad.Exit == 2);
  CHECK(Bad.Err.find("opaudit: error: unknown convention 'nonesuch'") == 0);
  CHECK(Bad.Out.empty());
}

TEST_CASE("Conventions: reconcile shows every built-in convention with its breakdown") {
  auto R = runCli("reconcile " + samplePath("resnet50.onnx") + " -q");
  REQUIRE(R.Exit == 0);
  for (llvm::StringRef N : builtinConventionNames())
    CHECK(R.Out.find("\n" + N.str() + " ") != std::string::npos);
  CHECK(R.Out.find("torchvision  4,089,184,256  4.09 G") != std::string::npos);
  CHECK(R.Out.find("tops         8,178,368,512  8.18 G") != std::string::npos);
  CHECK(R.Out.find("ptflops      4,110,811,112  4.11 G") != std::string::npos);
  auto J = runCli("reconcile " + samplePath("resnet50.onnx") + " -q --format json");
  REQUIRE(J.Exit == 0);
  auto V = llvm::json::parse(J.Out);
  REQUIRE(static_cast<bool>(V));
  const auto *Arr = V->getAsObject()->getArray("conventions");
  REQUIRE(Arr->size() == builtinConventionNames().size());
  // Each convention's total worked out from the graph's element counts in
  // "Conventions: ResNet-50 published figures and documented rules" (onnx-tool's from
  // samples/onnx_tool_reference.py, a separate implementation of its rules). The
  // classes must add up to these figures, not merely to the total beside them.
  const int64_t Macs = 4'089'184'256, ConvMacs = 4'087'136'256; // PyTorch hooks.
  const int64_t Bias = 11'113'984 + 1'000, Relu = 9'608'704, Add = 5'519'360, MaxPoolIn = 802'816,
                MaxPoolWin = 9 * 200'704, GapIn = 2048 * 49;
  const std::map<std::string, int64_t> Want = {
      {"macs", Macs},
      {"torchvision", Macs},
      {"tops", 2 * Macs},
      {"darknet", 2 * ConvMacs},
      {"fvcore", Macs + GapIn},
      {"thop", Macs + 50 * 2048},
      {"ptflops", Macs + Bias + Relu + MaxPoolIn + GapIn},
      {"deepspeed", 2 * Macs + 11'113'984 + Relu + MaxPoolIn + GapIn},
      {"flops", 2 * Macs + Bias + Relu + Add + MaxPoolWin + GapIn + 2048},
      {"openvino", 2 * Macs + Bias + 2 * Relu + Add + MaxPoolWin + GapIn},
      {"onnx-tool", 4'117'342'184},
  };
  CHECK(Want.size() == builtinConventionNames().size());
  for (const auto &C : *Arr) {
    const auto *O = C.getAsObject();
    std::string Name = O->getString("name").getValueOr("").str();
    CAPTURE(Name);
    REQUIRE(Want.count(Name));
    int64_t Sum = 0;
    for (const auto &KV : *O->getObject("by_class"))
      Sum += *KV.second.getAsInteger();
    CHECK(O->getInteger("total").getValueOr(-1) == Want.at(Name));
    CHECK(Sum == Want.at(Name));
  }
}

TEST_CASE("Conventions: per-row costs follow the axis (Softmax before and after opset 13)") {
  // thop: per row of F features, F exp + (F-1) add + F div = 3*elements - rows.
  auto Old = parseModel(R"(<ir_version: 7, opset_import: ["" : 11]>
g (float[2,3,5] X) => (float Y) { Y = Softmax (X) })");
  AnalysisManager A1(*Old);
  CHECK(total(A1, "thop") == 3 * 30 - 2); // axis 1: 2 rows of 15
  auto New = parseModel(R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[2,3,5] X) => (float Y) { Y = Softmax (X) })");
  AnalysisManager A2(*New);
  CHECK(total(A2, "thop") == 3 * 30 - 6); // axis -1: 6 rows of 5
  // onnx-tool's LayerNormalization: 7 per element + 29 per row.
  auto LN = parseModel(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[2,3,8] X, float[8] S) => (float Y) { Y = LayerNormalization (X, S) })");
  AnalysisManager A3(*LN);
  CHECK(total(A3, "onnx-tool") == 7 * 48 + 29 * 6);
}
