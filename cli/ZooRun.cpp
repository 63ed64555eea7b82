// The parallel multi-model runner. Each worker loads one model, builds its
// Report, keeps only the summary row and the diagnostics, and frees the rest,
// so memory stays that of the largest models in flight, not of the whole zoo.
// Results land in slots indexed by input position: output order never depends
// on thread timing. Diagnostics are printed after the run, model by model.
#include "cli/ZooRun.h"
#include "cli/Commands.h"
#include "reports/SummaryWriter.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <atomic>
#include <mutex>

namespace opaudit::cli {

bool isZooRun(const std::vector<std::string> &Inputs) {
  return Inputs.size() > 1 || (Inputs.size() == 1 && llvm::sys::fs::is_directory(Inputs.front()));
}

std::vector<std::string> expandInputs(const std::vector<std::string> &Inputs) {
  std::vector<std::string> Files;
  for (const std::string &In : Inputs) {
    if (!llvm::sys::fs::is_directory(In)) {
      Files.push_back(In);
      continue;
    }
    std::vector<std::string> Found;
    std::error_code EC;
    for (llvm::sys::fs::recursive_directory_iterator It(In, EC), End; It != End && !EC;
         It.increment(EC)) {
      llvm::StringRef P = It->path();
      if (llvm::sys::path::extension(P) == ".onnx" && llvm::sys::fs::is_regular_file(P))
        Found.push_back(P.str());
    }
    if (EC || Found.empty()) // Kept as a row, which then fails with a clear message.
      Found.push_back(In);
    std::sort(Found.begin(), Found.end());
    Files.insert(Files.end(), Found.begin(), Found.end());
  }
  return Files;
}

namespace {

struct Slot {
  ModelSummary Summary;
  std::vector<Diagnostic> Diags;
  ErrorCategory Failure = ErrorCategory::Load;
};

/// A one-line progress bar on stderr, redrawn as models finish; only on a terminal.
class Progress {
public:
  explicit Progress(size_t Total)
      : Total(Total), Enabled(llvm::sys::Process::StandardErrIsDisplayed()) {}
  void tick() {
    if (!Enabled)
      return;
    std::lock_guard<std::mutex> L(Mu);
    ++Done;
    constexpr size_t Width = 30;
    size_t Filled = Total ? Done * Width / Total : Width;
    llvm::errs() << "\ropaudit: [" << std::string(Filled, '#') << std::string(Width - Filled, '.')
                 << "] " << Done << "/" << Total << " models";
    llvm::errs().flush();
  }
  void finish() {
    if (Enabled && Done)
      llvm::errs() << "\r" << std::string(60, ' ') << "\r";
  }

private:
  size_t Total, Done = 0;
  bool Enabled;
  std::mutex Mu;
};

void analyzeOne(const std::string &Path, const AnalysisOptions &Opts, const Convention *C,
                Slot &S) {
  // expandInputs keeps a folder without models as its own row: say what it lacks.
  if (llvm::sys::fs::is_directory(Path)) {
    S.Summary = failedSummary(
        Path, Path + ": the folder holds no .onnx files (it is searched recursively)");
    return;
  }
  try {
    auto An = Analysis::open(Path, Opts);
    if (An) {
      Report R = buildReport(**An, C);
      S.Summary = summarize(R);
      S.Diags = std::move(R.Diags);
      return;
    }
    std::string Msg;
    llvm::handleAllErrors(
        An.takeError(),
        [&](const OpauditError &E) {
          Msg = E.text();
          S.Failure = E.category();
        },
        [&](const llvm::ErrorInfoBase &E) {
          Msg = Path + ": internal error: " + E.message();
          S.Failure = ErrorCategory::Internal;
        });
    S.Summary = failedSummary(Path, std::move(Msg));
  } catch (const std::exception &E) {
    S.Summary = failedSummary(Path, Path + ": internal error: " + E.what());
    S.Failure = ErrorCategory::Internal;
  }
}

} // namespace

int runZoo(const ZooRequest &Req) {
  const SummaryFormatInfo *F = findSummaryFormat(Req.Format);
  if (!F) {
    std::string Names;
    for (const SummaryFormatInfo &FI : summaryFormats())
      Names += (Names.empty() ? "" : ", ") + FI.Name.str();
    llvm::errs() << "opaudit: error: format '" << Req.Format
                 << "' has no summary for several models (known: " << Names << ")\n";
    return kExitUsage;
  }
  std::optional<Convention> Conv;
  if (!Req.Convention.empty()) {
    auto C = loadConvention(Req.Convention);
    if (!C)
      return reportError(C.takeError());
    Conv = std::move(*C);
  }
  std::vector<std::string> Files = expandInputs(Req.Inputs);
  std::vector<Slot> Slots(Files.size());
  Progress Bar(Files.size());
  {
    llvm::ThreadPool Pool(llvm::hardware_concurrency(Req.Jobs));
    for (size_t I = 0; I < Files.size(); ++I)
      Pool.async([&, I] {
        analyzeOne(Files[I], Req.Opts, Conv ? &*Conv : nullptr, Slots[I]);
        Bar.tick();
      });
    Pool.wait();
  }
  Bar.finish();

  int Code = kExitOk;
  std::vector<ModelSummary> Rows;
  for (Slot &S : Slots) {
    if (!S.Summary.Ok) {
      llvm::errs() << "opaudit: error: " << S.Summary.Error << "\n";
      Code = std::max(Code, exitCodeFor(S.Failure));
    } else if (!Req.Quiet) {
      size_t Shown = 0;
      for (const Diagnostic &D : S.Diags) {
        if (Shown++ == Req.MaxDiags) {
          llvm::errs() << S.Summary.Path << ": note: " << (S.Diags.size() - Req.MaxDiags)
                       << " more diagnostic(s); analyze the model alone with --format json to "
                          "list them all\n";
          break;
        }
        llvm::errs() << S.Summary.Path << ": " << D.str() << "\n";
      }
    }
    Rows.push_back(std::move(S.Summary));
  }
  if (Req.Output.empty() || Req.Output == "-") {
    F->Write(Rows, llvm::outs());
    llvm::outs().flush();
    return Code;
  }
  std::error_code EC;
  llvm::raw_fd_ostream OS(Req.Output, EC, llvm::sys::fs::OF_None);
  if (EC) {
    llvm::errs() << "opaudit: error: cannot write '" << Req.Output << "': " << EC.message() << "\n";
    return kExitUsage;
  }
  F->Write(Rows, OS);
  return Code;
}

} // namespace opaudit::cli
