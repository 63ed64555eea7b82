// External-data path traversal (the class of ONNX's CVE-2022-25882 and
// CVE-2024-27318): a location that is absolute, contains '..', or resolves
// through a symlink to outside the model's directory must be refused without
// being opened, stat-ed or read. The target file exists; the test changes its
// contents, then replaces it with a FIFO (which would block if opened), and
// checks that the report never changes and that strace never sees a syscall
// on the target.
#include "tests/TestUtil.h"

#include "onnx/onnx_pb.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace opaudit;
using namespace opaudit::test;

namespace {

void addExternal(onnx::GraphProto &G, const std::string &Name, const std::string &Location) {
  onnx::TensorProto *T = G.add_initializer();
  T->set_name(Name);
  T->set_data_type(onnx::TensorProto::FLOAT);
  T->add_dims(2);
  T->add_dims(3);
  T->set_data_location(onnx::TensorProto::EXTERNAL);
  auto *E = T->add_external_data();
  E->set_key("location");
  E->set_value(Location);
  auto *L = T->add_external_data();
  L->set_key("length");
  L->set_value("24");
}

std::string slurpFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

} // namespace

TEST_CASE("Hostile: external data outside the model's directory is refused, never opened") {
  llvm::SmallString<128> Root;
  REQUIRE(!llvm::sys::fs::createUniqueDirectory("opaudit-traversal", Root));
  std::string R = Root.str().str();
  std::string ModelDir = R + "/model", Outside = R + "/outside";
  std::string Secret = Outside + "/SECRET-TARGET.bin";
  REQUIRE(!llvm::sys::fs::create_directories(ModelDir + "/sub"));
  REQUIRE(!llvm::sys::fs::create_directories(Outside));
  std::ofstream(Secret, std::ios::binary) << std::string(24, 'A');
  std::ofstream(ModelDir + "/data.bin", std::ios::binary) << std::string(24, 'B');
  // Links inside the model's directory pointing out of it, and one that stays inside.
  REQUIRE(::symlink("../outside/SECRET-TARGET.bin", (ModelDir + "/rel-link.bin").c_str()) == 0);
  REQUIRE(::symlink(Secret.c_str(), (ModelDir + "/abs-link.bin").c_str()) == 0);
  REQUIRE(::symlink("../outside", (ModelDir + "/dir-link").c_str()) == 0);
  REQUIRE(::symlink("../sub/../data.bin", (ModelDir + "/sub/in-link.bin").c_str()) == 0);

  std::string Base = serializeText(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[4,2] X) => (float Y) {
  A = MatMul(X, W1)
  B = Add(A, W2)
  C = Add(B, W3)
  D = Add(C, W4)
  E = Add(D, W5)
  F = Add(E, W6)
  Y = Add(F, W7)
})");
  onnx::ModelProto MP;
  REQUIRE(MP.ParseFromString(Base));
  auto &G = *MP.mutable_graph();
  addExternal(G, "W1", "../outside/SECRET-TARGET.bin");
  addExternal(G, "W2", Secret);
  addExternal(G, "W3", "rel-link.bin");
  addExternal(G, "W4", "abs-link.bin");
  addExternal(G, "W5", "dir-link/SECRET-TARGET.bin");
  addExternal(G, "W6", "sub\\..\\..\\outside\\SECRET-TARGET.bin");
  addExternal(G, "W7", "sub/in-link.bin");
  std::string Bytes;
  REQUIRE(MP.SerializeToString(&Bytes));
  std::string Model = ModelDir + "/m.onnx";
  std::ofstream(Model, std::ios::binary) << Bytes;

  auto First = runCli("analyze " + Model + " --format json");
  REQUIRE(First.Exit == 0);
  auto has = [&](const std::string &S) { return First.Err.find(S) != std::string::npos; };
  CHECK(has("error: initializer 'W1': external data location '../outside/SECRET-TARGET.bin' "
            "contains '..' and may leave the model's directory; refused (not opened)"));
  CHECK(has("error: initializer 'W2': external data location '" + Secret +
            "' is an absolute path; refused (not opened)"));
  for (std::string W :
       {"W3': external data location 'rel-link.bin", "W4': external data location 'abs-link.bin",
        "W5': external data location 'dir-link/SECRET-TARGET.bin"}) {
    std::string Want = "error: initializer '" + W +
                       "' resolves through a symlink to outside the model's directory; refused "
                       "(not opened)";
    CHECK_MESSAGE(has(Want), Want);
  }
  CHECK(has("error: initializer 'W6': external data location "
            "'sub\\..\\..\\outside\\SECRET-TARGET.bin' contains '..'"));
  CHECK_FALSE(has("'W7'"));
  CHECK_FALSE(has("in-link.bin"));

  // The target's contents never matter: other bytes, another size, then a FIFO
  // that would block any open() for reading forever.
  std::ofstream(Secret, std::ios::binary | std::ios::trunc) << std::string(1 << 16, 'Z');
  auto Second = runCli("analyze " + Model + " --format json");
  CHECK(Second.Exit == 0);
  CHECK(Second.Out == First.Out);
  CHECK(Second.Err == First.Err);
  REQUIRE(::unlink(Secret.c_str()) == 0);
  REQUIRE(::mkfifo(Secret.c_str(), 0600) == 0);
  std::string Log = R + "/strace.log";
  auto Third = runCli("analyze " + Model + " --format json");
  CHECK(Third.Exit == 0);
  CHECK(Third.Out == First.Out);
  CHECK(Third.Err == First.Err);

  // No syscall names the target except readlink returning a link's text.
  // LeakSanitizer cannot run under ptrace; the other runs above check leaks.
  std::string Cmd = "ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=%file,%desc -o " + Log + " timeout 20 " +
                    std::string(OPAUDIT_BINARY) + " analyze " + Model +
                    " --format json >/dev/null 2>&1";
  REQUIRE(std::system(Cmd.c_str()) == 0);
  std::string Trace = slurpFile(Log);
  REQUIRE(Trace.find("m.onnx") != std::string::npos); // strace did record file syscalls.
  std::istringstream Lines(Trace);
  size_t Touches = 0;
  for (std::string L; std::getline(Lines, L);) {
    if (L.find("SECRET-TARGET") == std::string::npos || L.find("readlink") != std::string::npos)
      continue;
    if (L.find("execve(") != std::string::npos && L.find("SECRET") > L.find("analyze"))
      continue; // The command line itself.
    ++Touches;
    MESSAGE(L);
  }
  CHECK(Touches == 0);
  llvm::sys::fs::remove_directories(R);
}
