// Replays every input in tests/regressions/ (crashes, hangs and sanitizer
// reports found by the fuzzer, plus hand-made hostile files; README.md there
// says what each one broke) and checks the outcome EXPECTATIONS.txt there
// records for it: a load error with a given message, or a report with given
// diagnostics and totals. A file without an expectation fails, so a new
// regression input cannot be added without saying what it must give. Each
// file is loaded and analyzed in process through the same path as
// fuzz/LoaderFuzzer.cpp, every writer must produce output, and the CLI must
// agree: exit 0 with a report, or exit 3 with a one-line error naming the file.
#include "tests/TestUtil.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <fstream>
#include <map>

using namespace opaudit;
using namespace opaudit::test;

namespace {

const std::string kDir = std::string(OPAUDIT_SOURCE_DIR) + "/tests/regressions";

/// One check of an expectation line: a keyword and its arguments (a quoted
/// text and/or a number).
struct Check {
  std::string Kind; ///< load-error, report, diag, diags, macs, params.
  std::string Text;
  std::optional<int64_t> Number;
  bool Unknown = false; ///< "macs unknown".
};

/// Parses "kind [\"text\"] [number|unknown]"; fails the test on anything else.
Check parseCheck(llvm::StringRef Clause, const std::string &Where) {
  Check C;
  Clause = Clause.trim();
  auto [Kind, Rest] = Clause.split(' ');
  C.Kind = Kind.str();
  Rest = Rest.trim();
  if (Rest.startswith("\"")) {
    size_t Close = Rest.find('"', 1);
    REQUIRE_MESSAGE(Close != std::string::npos, Where << ": unterminated quote");
    C.Text = Rest.substr(1, Close - 1).str();
    Rest = Rest.drop_front(Close + 1).trim();
  }
  if (Rest == "unknown") {
    C.Unknown = true;
  } else if (!Rest.empty()) {
    int64_t N;
    REQUIRE_MESSAGE(!Rest.getAsInteger(10, N), Where << ": '" << Rest.str() << "' is not a number");
    C.Number = N;
  }
  bool Ok = (C.Kind == "load-error" && !C.Text.empty() && !C.Number) ||
            (C.Kind == "report" && C.Text.empty() && !C.Number && !C.Unknown) ||
            (C.Kind == "diag" && !C.Text.empty() && !C.Number) ||
            (C.Kind == "diags" && !C.Text.empty() && C.Number) ||
            (C.Kind == "macs" && C.Text.empty() && (C.Number || C.Unknown)) ||
            (C.Kind == "params" && C.Text.empty() && C.Number);
  REQUIRE_MESSAGE(Ok, Where << ": cannot read '" << Clause.str() << "'");
  return C;
}

/// EXPECTATIONS.txt: file name -> its checks, the outcome first.
std::map<std::string, std::vector<Check>> readExpectations() {
  std::ifstream In(kDir + "/EXPECTATIONS.txt");
  REQUIRE_MESSAGE(In, "cannot read " << kDir << "/EXPECTATIONS.txt");
  std::map<std::string, std::vector<Check>> R;
  std::string Line;
  for (int No = 1; std::getline(In, Line); ++No) {
    llvm::StringRef L = llvm::StringRef(Line).trim();
    if (L.empty() || L.startswith("#"))
      continue;
    std::string Where = "EXPECTATIONS.txt:" + std::to_string(No);
    auto [File, Rest] = L.split(": ");
    llvm::SmallVector<llvm::StringRef, 4> Clauses;
    Rest.split(Clauses, "; ");
    std::vector<Check> Checks;
    for (llvm::StringRef Cl : Clauses)
      Checks.push_back(parseCheck(Cl, Where));
    REQUIRE_MESSAGE((!Checks.empty() &&
                     (Checks[0].Kind == "load-error" || Checks[0].Kind == "report") &&
                     (Checks[0].Kind == "report" || Checks.size() == 1)),
                    Where << ": a line is 'load-error \"...\"' or 'report' and its checks");
    REQUIRE_MESSAGE(R.emplace(File.str(), std::move(Checks)).second, Where << ": listed twice");
  }
  return R;
}

size_t diagsContaining(const Report &R, const std::string &Text) {
  return static_cast<size_t>(llvm::count_if(
      R.Diags, [&](const Diagnostic &D) { return D.Message.find(Text) != std::string::npos; }));
}

} // namespace

TEST_CASE("Hostile: every regression input gives the outcome EXPECTATIONS.txt records") {
  auto Expect = readExpectations();
  std::vector<std::string> Files;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(kDir, EC), End; It != End && !EC; It.increment(EC)) {
    llvm::StringRef Name = llvm::sys::path::filename(It->path());
    if (Name != "README.md" && Name != "EXPECTATIONS.txt")
      Files.push_back(Name.str());
  }
  std::sort(Files.begin(), Files.end());
  REQUIRE(!Files.empty());
  for (const auto &[Name, Checks] : Expect) {
    CAPTURE(Name);
    CHECK_MESSAGE(std::binary_search(Files.begin(), Files.end(), Name),
                  "EXPECTATIONS.txt lists a file that is not in tests/regressions/");
  }
  for (const std::string &Name : Files) {
    CAPTURE(Name);
    auto It = Expect.find(Name);
    if (It == Expect.end()) {
      FAIL_CHECK("no line for this file in tests/regressions/EXPECTATIONS.txt");
      continue;
    }
    const std::vector<Check> &Checks = It->second;
    bool WantError = Checks[0].Kind == "load-error";
    std::string F = kDir + "/" + Name;
    auto Buf = llvm::MemoryBuffer::getFile(F, /*IsText=*/false, /*RequiresNullTerminator=*/false);
    REQUIRE(Buf);
    LoadOptions LO;
    LO.CheckExternalFiles = false;
    auto M = loadModel(std::move(*Buf), F, LO);
    auto Cli = runCli("analyze " + F);
    if (!M) {
      std::string Err = llvm::toString(M.takeError());
      REQUIRE_MESSAGE(WantError, "expected a report, got the load error: " << Err);
      CHECK(Err.find(Checks[0].Text) != std::string::npos);
      CHECK(Cli.Exit == 3);
      CHECK(std::count(Cli.Err.begin(), Cli.Err.end(), '\n') == 1);
      CHECK(Cli.Err.find(F) != std::string::npos);
      CHECK(Cli.Err.find(Checks[0].Text) != std::string::npos);
      continue;
    }
    REQUIRE_MESSAGE(!WantError, "expected a load error containing '" << Checks[0].Text << "'");
    CHECK(Cli.Exit == 0);
    Report R = reportOf(std::move(*M));
    for (const FormatInfo &Fmt : formats()) {
      std::string Out;
      llvm::raw_string_ostream OS(Out);
      Fmt.Write(R, OS);
      CHECK(!OS.str().empty());
    }
    for (const Check &C : llvm::ArrayRef<Check>(Checks).drop_front()) {
      CAPTURE(C.Kind);
      CAPTURE(C.Text);
      if (C.Kind == "diag")
        CHECK(diagsContaining(R, C.Text) > 0);
      else if (C.Kind == "diags")
        CHECK(diagsContaining(R, C.Text) == static_cast<size_t>(*C.Number));
      else if (C.Kind == "macs" && C.Unknown)
        CHECK_FALSE(R.TotalMacs.has_value());
      else if (C.Kind == "macs")
        CHECK(R.TotalMacs == C.Number);
      else if (C.Kind == "params")
        CHECK(R.TotalParams == *C.Number);
      else
        FAIL_CHECK("'" << C.Kind << "' is an outcome, not a check");
    }
  }
}
