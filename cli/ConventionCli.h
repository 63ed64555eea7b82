// A helper shared by `reconcile` and `claim`: printing the model's
// diagnostics once.
#pragma once

#include "cli/Commands.h"
#include "ir/Loader.h"
#include "ir/PassManager.h"
#include "passes/MacCount.h"

#include "llvm/Support/raw_ostream.h"

namespace opaudit::cli {

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
