// Helpers shared by `reconcile` and `claim`: parsing --dim, loading a model
// into an analysis manager, and printing the model's diagnostics once.
#pragma once

#include "cli/Commands.h"
#include "ir/Loader.h"
#include "ir/PassManager.h"
#include "passes/MacCount.h"

#include "llvm/Support/raw_ostream.h"

namespace opaudit::cli {

/// Parses repeatable NAME=VALUE dim bindings into Opts.
inline llvm::Error parseDimArgs(const std::vector<std::string> &Dims, AnalysisOptions &Opts) {
  for (llvm::StringRef D : Dims) {
    auto [K, V] = D.split('=');
    int64_t N;
    if (K.empty() || V.getAsInteger(10, N) || N < 0)
      return makeError(ErrorCategory::Usage,
                       "--dim expects NAME=VALUE with VALUE >= 0, got '" + D + "'");
    Opts.Dims[K] = N;
  }
  return llvm::Error::success();
}

/// Shape and MAC diagnostics of the model, to stderr (at most Max of them).
inline void printModelDiagnostics(AnalysisManager &AM, bool Quiet, size_t Max = 20) {
  if (Quiet)
    return;
  std::vector<Diagnostic> All = AM.model().LoadDiagnostics;
  for (const auto *Ds : {&AM.get<ShapeInference>().Diags, &AM.get<MacCount>().Diags})
    All.insert(All.end(), Ds->begin(), Ds->end());
  for (size_t I = 0; I < All.size() && I < Max; ++I)
    llvm::errs() << AM.model().Path << ": " << All[I].str() << "\n";
  if (All.size() > Max)
    llvm::errs() << AM.model().Path << ": note: " << (All.size() - Max) << " more diagnostic(s)\n";
}

} // namespace opaudit::cli
