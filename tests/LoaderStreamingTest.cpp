// Regression tests for the loader reading metadata through pread (a window of
// the file) instead of the memory mapping: a model read from its file must be
// exactly the model read from memory, including messages that straddle read
// windows, nodes holding large Constant tensors and initializers larger than
// the window.
#include "tests/TestUtil.h"

#include "llvm/Support/MemoryBuffer.h"

using namespace opaudit;
using namespace opaudit::test;

namespace {
std::string jsonOf(std::unique_ptr<Model> M) {
  Report R = reportOf(std::move(M));
  R.Path = "x"; // The two loads name the model differently.
  std::string S;
  llvm::raw_string_ostream OS(S);
  writeJson(R, OS);
  return OS.str();
}

std::string throughFile(const std::string &Path) {
  auto M = loadModel(Path);
  REQUIRE(bool(M));
  return jsonOf(std::move(*M));
}

std::string fromMemory(const std::string &Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  REQUIRE(bool(Buf));
  auto M = loadModel(std::move(*Buf), Path);
  REQUIRE(bool(M));
  return jsonOf(std::move(*M));
}

std::string values(size_t N) {
  std::string S;
  for (size_t I = 0; I < N; ++I)
    S += (I ? ", " : "") + std::to_string(I % 7);
  return S;
}
} // namespace

TEST_CASE("Loader: every sample reads the same through the file as from memory") {
  for (const char *Name : {"tiny_cnn.onnx", "resnet50.onnx", "bert_base.onnx", "swin_t.onnx",
                           "yolov3.onnx", "vit_b_16.onnx"}) {
    CAPTURE(Name);
    CHECK(throughFile(samplePath(Name)) == fromMemory(samplePath(Name)));
  }
}

TEST_CASE("Loader: large Constant nodes and initializers larger than the read window") {
  // 40,000 floats (160 KB) in an initializer and 3,000 (12 KB) in a Constant
  // node: both are read through the file, their payloads skipped, and a small
  // int64 shape tensor after them still decoded.
  std::string Text = "<ir_version: 8, opset_import: [\"\" : 17]>\n"
                     "g (float[200,200] X) => (float Y) <float[200,200] W = {" +
                     values(40000) +
                     "}, int64[2] S = {1, 40000}> {\n"
                     "  C = Constant <value = float[3000] {" +
                     values(3000) +
                     "}> ()\n"
                     "  M = MatMul(X, W)\n"
                     "  R = Reshape(M, S)\n"
                     "  Y = Add(R, R)\n"
                     "  Z = Mul(C, C)\n"
                     "}\n";
  std::string Path = writeTemp("big.onnx", serializeText(Text.c_str()));
  std::string F = throughFile(Path);
  CHECK(F == fromMemory(Path));
  auto M = loadModel(Path);
  REQUIRE(bool(M));
  const Graph &G = (*M)->Main;
  const TensorData *W = G.storedTensor(G.lookup("W"));
  REQUIRE(W);
  CHECK(W->Payload.Length == 160000);
  CHECK(!W->Reals);
  const TensorData *S = G.storedTensor(G.lookup("S"));
  REQUIRE(S);
  REQUIRE(S->Ints);
  CHECK(*S->Ints == llvm::SmallVector<int64_t, 8>{1, 40000});
  auto A = Analysis::fromModel(std::move(*M));
  CHECK(dimsOf(A->manager(), "R") == std::vector<std::string>{"1", "40000"});
  Report R = buildReport(*A);
  CHECK(R.TotalParams == 43000);
  CHECK(*R.TotalMacs == 200 * 200 * 200);
}

TEST_CASE("Loader: a file truncated inside a payload is an error, not a crash") {
  std::string Text = "<ir_version: 8, opset_import: [\"\" : 17]>\n"
                     "g (float[100,100] X) => (float Y) <float[100,100] W = {" +
                     values(10000) + "}> { Y = MatMul(X, W) }\n";
  std::string Bytes = serializeText(Text.c_str());
  for (size_t Cut : {Bytes.size() / 2, Bytes.size() - 3, size_t(20)}) {
    CAPTURE(Cut);
    auto M = loadModel(writeTemp("cut.onnx", Bytes.substr(0, Cut)));
    REQUIRE(!M);
    std::string Msg = llvm::toString(M.takeError());
    CHECK(Msg.find("cut.onnx: ") != std::string::npos);
  }
}
