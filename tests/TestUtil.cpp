// Implementation of the shared test helpers.
#include "tests/TestUtil.h"

#include "onnx/defs/parser.h"
#include "onnx/onnx_pb.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

namespace opaudit::test {

std::string serializeText(const char *Text) {
  onnx::ModelProto MP;
  auto St = onnx::OnnxParser::Parse(MP, Text);
  REQUIRE_MESSAGE(St.IsOK(), St.ErrorMessage());
  // The text syntax cannot leave an output's shape out ("float Y" means a
  // scalar), so declared output shapes are dropped: tests check inference.
  for (auto &O : *MP.mutable_graph()->mutable_output())
    O.mutable_type()->mutable_tensor_type()->clear_shape();
  std::string Bytes;
  REQUIRE(MP.SerializeToString(&Bytes));
  return Bytes;
}

std::unique_ptr<Model> parseModel(const char *Text) {
  std::string Bytes = serializeText(Text);
  auto M = loadModel(llvm::MemoryBuffer::getMemBufferCopy(Bytes, "test.onnx"), "test.onnx");
  if (!M) {
    FAIL(llvm::toString(M.takeError()));
    return nullptr;
  }
  return std::move(*M);
}

llvm::Expected<Report> analyzeFile(llvm::StringRef Path, const AnalysisOptions &Opts,
                                   const Convention *C) {
  auto A = Analysis::open(Path, Opts);
  if (!A)
    return A.takeError();
  return buildReport(**A, C);
}

Report reportOf(std::unique_ptr<Model> M, AnalysisOptions Opts) {
  auto A = Analysis::fromModel(std::move(M), std::move(Opts));
  return buildReport(*A);
}

std::string samplePath(const std::string &Name) {
  return std::string(OPAUDIT_SOURCE_DIR) + "/samples/models/" + Name;
}

static std::string slurp(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

std::string writeTemp(const std::string &Name, const std::string &Bytes) {
  llvm::SmallString<128> Dir;
  llvm::sys::fs::createUniqueDirectory("opaudit-test", Dir);
  std::string Path = (Dir + "/" + Name).str();
  std::ofstream(Path, std::ios::binary) << Bytes;
  return Path;
}

CliResult runCli(const std::string &Args) {
  llvm::SmallString<128> OutPath, ErrPath;
  llvm::sys::fs::createTemporaryFile("opaudit-out", "txt", OutPath);
  llvm::sys::fs::createTemporaryFile("opaudit-err", "txt", ErrPath);
  std::string Cmd = std::string(OPAUDIT_BINARY) + " " + Args + " >" + OutPath.str().str() + " 2>" +
                    ErrPath.str().str() + " </dev/null";
  int Status = std::system(Cmd.c_str());
  CliResult R;
  R.Exit = WIFEXITED(Status) ? WEXITSTATUS(Status) : 128 + WTERMSIG(Status);
  R.Out = slurp(OutPath.str().str());
  R.Err = slurp(ErrPath.str().str());
  llvm::sys::fs::remove(OutPath);
  llvm::sys::fs::remove(ErrPath);
  return R;
}

std::vector<std::string> dimsOf(AnalysisManager &AM, llvm::StringRef Value) {
  const ShapeInfo &SI = AM.get<ShapeInference>();
  ValueId V = AM.model().Main.lookup(Value);
  REQUIRE_MESSAGE(V != kNoValue, Value.str());
  const TensorType &T = SI.Types[static_cast<size_t>(V)];
  std::vector<std::string> R;
  if (!T.Dims)
    return {"<unranked>"};
  for (Expr D : *T.Dims)
    R.push_back(D.str());
  return R;
}

} // namespace opaudit::test
