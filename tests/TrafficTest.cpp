// The traffic model on graphs computed by hand (liveness, peak activation
// memory, SRAM residency and spills, batch scaling and binding, dtypes), and
// the acceptance figures for ResNet-50: weight traffic per inference is
// weight bytes / B at --sram 0, int8 quarters it, and with SRAM for every
// weight the steady-state traffic is 0 and the one-time load is reported.
#include "passes/Traffic.h"
#include "tests/SampleReference.h"
#include "tests/TestUtil.h"

using namespace opaudit;
using namespace opaudit::test;

namespace {
struct Run {
  std::unique_ptr<Model> M;
  std::unique_ptr<Analysis> An;
  AnalysisManager *AM = nullptr;
  const TrafficInfo *T = nullptr;
  const ActivationInfo *A = nullptr;
};

Run run(std::unique_ptr<Model> M, AnalysisOptions O) {
  Run R;
  R.M = std::move(M);
  R.An = Analysis::fromModel(std::move(R.M), std::move(O));
  R.AM = &R.An->manager();
  R.T = &R.AM->get<Traffic>();
  R.A = &R.AM->get<ActivationMemory>();
  return R;
}

Run runText(const char *Text, AnalysisOptions O) { return run(parseModel(Text), std::move(O)); }

Run runSample(const std::string &Name, AnalysisOptions O) {
  auto M = loadModel(samplePath(Name));
  REQUIRE(M);
  return run(std::move(*M), std::move(O));
}

/// The layer at schedule step S.
const LayerTraffic &layer(const Run &R, size_t S) {
  return R.T->Nodes[static_cast<size_t>(R.AM->get<ShapeInference>().Order[S])];
}

// X[1,4] -> MatMul W1[4,8] -> A[1,8] -> Reshape to [1,8] -> B -> MatMul W2[8,2] -> Y[1,2].
// fp32 bytes: X 16, A 32, B 32, Y 8; W1 128, W2 64. MACs: 32 and 16.
// Liveness (steps 0..2): X [0,0], A [0,1], B [1,2], Y [2,2] -> 48, 64, 40: peak 64 at step 1.
const char *Chain = R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,4] X) => (float Y)
<float[4,8] W1 = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
 float[8,2] W2 = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, int64[2] S = {1, 8}> {
  A = MatMul(X, W1)
  B = Reshape(A, S)
  Y = MatMul(B, W2)
})";
} // namespace

TEST_CASE("Traffic: hand-computed chain with no SRAM") {
  auto R = runText(Chain, {});
  CHECK(R.A->Batch == 1);
  CHECK(R.A->Scale == 1);
  CHECK(R.T->PeakActivationBytes == 64);
  CHECK(R.A->PeakStep == 1);
  CHECK(R.T->WeightBytes == 192);
  CHECK(R.T->ResidentWeightBytes == 0);
  CHECK(R.T->WeightTrafficPerBatch == 192);
  CHECK(R.T->WeightTrafficPerInference == 192.0);
  // Every activation spills: X read 16; A written and read 32 + 32; B 32 + 32; Y written 8.
  CHECK(R.T->OffchipActBytes == 152);
  CHECK(R.T->OffchipBytes == 344);
  CHECK(layer(R, 0).OffchipBytes == 128 + 16 + 32);
  CHECK(layer(R, 1).OffchipBytes == 32 + 32);
  CHECK(layer(R, 1).WeightBytes == 0); // The int64 Reshape target is not a weight.
  CHECK(layer(R, 2).OffchipBytes == 64 + 32 + 8);
  CHECK(layer(R, 0).InBytes == 16);
  CHECK(layer(R, 0).OutBytes == 32);
  CHECK(layer(R, 0).Macs == 32);
  CHECK(*layer(R, 0).Intensity == doctest::Approx(32.0 / 176));
  CHECK(R.T->Macs == 48);
  CHECK(*R.T->Intensity == doctest::Approx(48.0 / 344));
}

TEST_CASE("Traffic: SRAM holds W1, then A, B spills, the graph output is written anyway") {
  AnalysisOptions O;
  O.SramBytes = 168; // W1 (128) fits, W2 (64) does not: 40 bytes are left for activations.
  auto R = runText(Chain, O);
  CHECK(layer(R, 0).Resident);
  CHECK_FALSE(layer(R, 2).Resident);
  CHECK(R.T->ResidentWeightBytes == 128);
  CHECK(R.T->WeightTrafficPerBatch == 64);
  CHECK(R.T->ActivationSramBytes == 40);
  // A (32, steps 0-1) fits; B (32, steps 1-2) would need 64 at step 1 and spills;
  // Y (8) fits but is a graph output. Off-chip: X 16 + B 32 + 32 + Y 8.
  CHECK(R.T->OffchipActBytes == 88);
  CHECK(layer(R, 0).OffchipBytes == 16);
  CHECK(layer(R, 1).OffchipBytes == 32);
  CHECK(layer(R, 2).OffchipBytes == 64 + 32 + 8);
  CHECK(R.T->OffchipBytes == 152);
}

TEST_CASE("Traffic: a fixed-batch graph scales activations and MACs by B, not weights") {
  AnalysisOptions O;
  O.Batch = 4;
  auto R = runText(Chain, O);
  CHECK(R.A->RunBatch == 1);
  CHECK(R.A->Scale == 4);
  CHECK(R.T->PeakActivationBytes == 4 * 64);
  CHECK(R.T->WeightTrafficPerBatch == 192);
  CHECK(R.T->WeightTrafficPerInference == 48.0);
  CHECK(R.T->OffchipActBytes == 4 * 152);
  CHECK(R.T->Macs == 4 * 48);
  // The Reshape target [1, 8] is never rewritten: shapes stay those of one run.
  CHECK(dimsOf(*R.AM, "B") == std::vector<std::string>{"1", "8"});
}

TEST_CASE("Traffic: --batch binds a symbolic batch dim") {
  auto R = runText(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[N,4] X) => (float Y)
<float[4,8] W1 = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
 float[8,2] W2 = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}> {
  A = MatMul(X, W1)
  B = Relu(A)
  Y = MatMul(B, W2)
})",
                   [] {
                     AnalysisOptions O;
                     O.Batch = 8;
                     return O;
                   }());
  CHECK(R.AM->get<ShapeInference>().BoundDims.lookup("N") == 8);
  CHECK(R.A->RunBatch == 8);
  CHECK(R.A->Scale == 1);
  CHECK(R.T->PeakActivationBytes == 8 * 64);
  CHECK(R.T->WeightTrafficPerInference == 24.0);
  CHECK(R.T->Macs == 8 * 48);
}

TEST_CASE("Traffic: a batch that is not a multiple of the exported batch is unknown") {
  AnalysisOptions O;
  O.Batch = 3;
  auto R = runText(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[2,4] X) => (float Y) <float[4,8] W1 = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}> { Y = MatMul(X, W1) })",
                   O);
  CHECK_FALSE(R.A->Scale);
  CHECK_FALSE(R.T->PeakActivationBytes);
  CHECK_FALSE(R.T->OffchipBytes);
  REQUIRE(!R.T->Diags.empty());
  CHECK(R.T->Diags.front().Message.find("not a multiple") != std::string::npos);
}

TEST_CASE("Traffic: a value read by two layers is live until the last and read twice") {
  // X -> Relu -> a; a -> Relu -> b; Add(a, b) -> Y; all 16 bytes.
  // Live: step 0 X+a = 32; step 1 a+b = 32; step 2 a+b+Y = 48.
  auto R = runText(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,4] X) => (float Y) {
  a = Relu(X)
  b = Relu(a)
  Y = Add(a, b)
})",
                   {});
  CHECK(R.T->PeakActivationBytes == 48);
  CHECK(R.A->PeakStep == 2);
  // No SRAM: X read 16; a written 16, read 2 x 16; b written and read 32; Y written 16.
  CHECK(R.T->OffchipActBytes == 16 + 48 + 32 + 16);
  CHECK(layer(R, 2).InBytes == 32);
}

TEST_CASE("Traffic: --weight-dtype and --act-dtype") {
  AnalysisOptions O;
  O.WeightDType = DType::Int4;
  O.ActDType = DType::Float16;
  auto R = runText(Chain, O);
  CHECK(R.T->WeightBytes == 16 + 8); // 32 and 16 elements at 4 bits.
  CHECK(R.T->PeakActivationBytes == 32);
  CHECK(R.T->OffchipActBytes == 76);
}

TEST_CASE("Traffic: ResNet-50 fp32 at --sram 0: weight traffic per inference is weight bytes / B") {
  for (int64_t B : {1, 8, 64}) {
    CAPTURE(B);
    AnalysisOptions O;
    O.Batch = B;
    O.SramBytes = 0;
    auto R = runSample("resnet50.onnx", O);
    CHECK(R.T->WeightBytes == 102121888);
    CHECK(R.T->WeightTrafficPerBatch == 102121888);
    CHECK(*R.T->WeightTrafficPerInference == 102121888.0 / static_cast<double>(B));
    CHECK(*R.T->WeightTrafficPerInference * static_cast<double>(B) == 102121888.0);
    CHECK(R.T->Macs == 4089184256 * B);
    CHECK(R.T->PeakActivationBytes == 9633792 * B); // 3 x 256x56x56 fp32 in layer1's Add.
  }
}

TEST_CASE("Traffic: ResNet-50 --weight-dtype int8 quarters weight traffic") {
  for (int64_t B : {1, 8, 64}) {
    CAPTURE(B);
    AnalysisOptions O;
    O.Batch = B;
    O.SramBytes = 0;
    O.WeightDType = DType::Int8;
    auto R = runSample("resnet50.onnx", O);
    CHECK(R.T->WeightTrafficPerBatch == 25530472);
    CHECK(R.T->WeightTrafficPerBatch * 4 == 102121888);
    CHECK(*R.T->WeightTrafficPerInference == 25530472.0 / static_cast<double>(B));
  }
}

TEST_CASE(
    "Traffic: ResNet-50 with SRAM for every weight: 0 per inference, one-time load reported") {
  AnalysisOptions O;
  O.Batch = 8;
  O.SramBytes = 102121888;
  auto R = runSample("resnet50.onnx", O);
  CHECK(R.T->ResidentWeightBytes == 102121888);
  CHECK(R.T->WeightTrafficPerBatch == 0);
  CHECK(R.T->WeightTrafficPerInference == 0.0);
  CHECK(R.T->ActivationSramBytes == 0);
  // One byte less: the last layer that no longer fits (fc, 8,196,000 bytes) streams.
  O.SramBytes = 102121887;
  auto S = runSample("resnet50.onnx", O);
  CHECK(S.T->WeightTrafficPerBatch == 8196000);
  CHECK(S.T->ResidentWeightBytes == 102121888 - 8196000);
}

TEST_CASE("Traffic: tiny_cnn at batch 2 with 3,000 bytes of SRAM, computed by hand") {
  // Traffic adds the totals up in the loops that fill the rows, so the rows
  // and totals are both checked against figures worked out here from the
  // graph (REFERENCE.md: conv1 8x3x3x3+8, conv2 16x4x3x3+16, conv3 16x1x3x3+16,
  // fc 10x16+10 fp32 parameters; the file is exported at batch 1, so batch 2
  // doubles every activation, not the weights).
  AnalysisOptions O;
  O.Batch = 2;
  O.SramBytes = 3000;
  auto R = runSample("tiny_cnn.onnx", O);
  // Weights, first fit in topological order: conv1 896 fits (2,104 left),
  // conv2 2,368 does not and streams, conv3 640 fits (1,464), fc 680 fits (784).
  CHECK(R.T->WeightBytes == 896 + 2368 + 640 + 680);
  CHECK(R.T->ResidentWeightBytes == 896 + 640 + 680);
  CHECK(R.T->WeightTrafficPerBatch == 2368);
  CHECK(R.T->ActivationSramBytes == 784);
  // Activations at batch 2 (fp32): input 2x3x32x32 = 24,576 B, conv1/relu
  // 2x8x32x32 = 65,536, pool 2x8x16x16 = 16,384, conv2/relu_1/conv3/add/relu_2
  // 2x16x8x8 = 8,192, pool/flatten 2x16 = 128, output 2x10 = 80. Only the last
  // three fit in 784 bytes. A spilled value is written once and read by each
  // reader (relu_1 by conv3 and add); the input is read, the output written.
  // Step:            conv1           relu         pool          conv2
  const int64_t Off[] = {24576 + 65536, 65536 * 2, 65536 + 16384, 16384 + 8192,
                         // relu_1    conv3         add           relu_2     gap   flat fc
                         8192 * 2, 8192 * 2, 8192 * 3, 8192 * 2, 8192, 0, 80};
  const int64_t Macs[] = {2 * 221184, 0, 0, 2 * 36864, 0, 2 * 9216, 0, 0, 0, 0, 2 * 160};
  const int64_t WeightAt[] = {896, 0, 0, 2368, 0, 640, 0, 0, 0, 0, 680};
  int64_t Streamed = 0, OffAct = 0, OffAll = 0;
  for (size_t S = 0; S < 11; ++S) {
    CAPTURE(S);
    const LayerTraffic &L = layer(R, S);
    CHECK(L.WeightBytes == WeightAt[S]);
    CHECK(L.OffchipActBytes == Off[S]);
    CHECK(L.Macs == Macs[S]);
    Streamed += L.StreamedWeightBytes;
    OffAct += L.OffchipActBytes.value_or(-1);
    OffAll += L.OffchipBytes.value_or(-1);
  }
  CHECK(layer(R, 3).StreamedWeightBytes == 2368);
  // 409,680 activation bytes: 24,576 + 2x65,536x2 + 16,384x2 + 8,192x(2+3+2+2+2) + 80.
  CHECK(OffAct == 409'680);
  CHECK(R.T->OffchipActBytes == 409'680);
  CHECK(Streamed == 2368);
  CHECK(OffAll == 409'680 + 2368);
  CHECK(R.T->OffchipBytes == 409'680 + 2368);
  CHECK(R.T->Macs == 2 * 267'424);
}

TEST_CASE("Traffic: weight rows add up to the samples' fp32 initializer bytes") {
  // Rows and totals against tests/SampleReference.h (the FLOAT initializer
  // elements the export script counted, 4 bytes each), at 1 MiB of SRAM.
  for (const char *Name : {"resnet50.onnx", "mobilenet_v2.onnx", "yolov3.onnx"}) {
    CAPTURE(Name);
    const SampleFigures &F = *llvm::find_if(
        kSampleFigures, [&](const SampleFigures &S) { return llvm::StringRef(S.File) == Name; });
    AnalysisOptions O;
    O.Batch = 2;
    O.SramBytes = 1 << 20;
    auto R = runSample(Name, O);
    int64_t W = 0, Streamed = 0, Resident = 0;
    for (const LayerTraffic &L : R.T->Nodes) {
      W += L.WeightBytes;
      Streamed += L.StreamedWeightBytes;
      Resident += L.Resident ? L.WeightBytes : 0;
      // A layer streams all of its weights or none of them.
      CHECK(L.StreamedWeightBytes == (L.Resident ? 0 : L.WeightBytes));
    }
    CHECK(W == F.weightBytes());
    CHECK(R.T->WeightBytes == F.weightBytes());
    CHECK(Streamed + Resident == F.weightBytes());
    CHECK(Resident <= O.SramBytes);
    CHECK(R.T->WeightTrafficPerBatch + R.T->ResidentWeightBytes == F.weightBytes());
    CHECK(R.T->Macs == 2 * F.Macs);
  }
}
