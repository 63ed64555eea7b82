// Replays every input in tests/regressions/ (crashes, hangs and sanitizer
// reports found by the fuzzer, plus hand-made hostile files; README.md there
// says what each one broke). Each must load and be analyzed in process
// through the same path as fuzz/LoaderFuzzer.cpp, and through the CLI must
// give a report (exit 0) or a one-line load error naming the file (exit 3).
#include "tests/TestUtil.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace opaudit;
using namespace opaudit::test;

TEST_CASE("Hostile: every fuzzer regression input gives a report or a load error") {
  std::string Dir = std::string(OPAUDIT_SOURCE_DIR) + "/tests/regressions";
  std::vector<std::string> Files;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC))
    if (llvm::sys::path::filename(It->path()) != "README.md")
      Files.push_back(It->path());
  std::sort(Files.begin(), Files.end());
  REQUIRE(!Files.empty());
  for (const std::string &F : Files) {
    CAPTURE(F);
    auto Buf = llvm::MemoryBuffer::getFile(F, /*IsText=*/false, /*RequiresNullTerminator=*/false);
    REQUIRE(Buf);
    LoadOptions LO;
    LO.CheckExternalFiles = false;
    auto M = loadModel(std::move(*Buf), F, LO);
    if (M) {
      Report R = reportOf(std::move(*M));
      for (const FormatInfo &Fmt : formats()) {
        std::string Out;
        llvm::raw_string_ostream OS(Out);
        Fmt.Write(R, OS);
        CHECK(!OS.str().empty());
      }
    } else {
      llvm::consumeError(M.takeError());
    }
    auto R = runCli("analyze " + F);
    CHECK((R.Exit == 0 || R.Exit == 3));
    CHECK(R.Exit == (M ? 0 : 3));
    if (R.Exit == 3) {
      CHECK(std::count(R.Err.begin(), R.Err.end(), '\n') == 1);
      CHECK(R.Err.find(F) != std::string::npos);
    }
  }
}
