// The Analysis object: the library's one entry point. It loads a model (from a
// path or a buffer), normalizes the options once (binding --batch to the
// symbolic batch dim), and owns the model, the analysis manager with every
// cached result, and the symbol context. Writers, pictures, claim, reconcile,
// sweep and the Python module all consume an Analysis; nothing re-loads a
// model by path. Phases (named sets of dim bindings) evaluate the one
// symbolic analysis many times without re-running it.
#pragma once

#include "ir/Loader.h"
#include "ir/PassManager.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <string>

namespace opaudit {

struct Phase;

class Analysis {
public:
  /// Loads the model at \p Path and prepares its analysis. Load errors are
  /// OpauditError (category Load) naming the file.
  static llvm::Expected<std::unique_ptr<Analysis>> open(llvm::StringRef Path,
                                                        AnalysisOptions Opts = {});
  /// The same for a model already in memory; \p Name is used in messages and
  /// to resolve external data.
  static llvm::Expected<std::unique_ptr<Analysis>>
  fromBuffer(std::unique_ptr<llvm::MemoryBuffer> Buffer, llvm::StringRef Name,
             AnalysisOptions Opts = {}, const LoadOptions &LO = {});
  /// Wraps a loaded model.
  static std::unique_ptr<Analysis> fromModel(std::shared_ptr<const Model> M,
                                             AnalysisOptions Opts = {});
  /// A new analysis of the same loaded model under other options (a sweep
  /// point): the file is not read again.
  std::unique_ptr<Analysis> withOptions(AnalysisOptions Opts) const {
    return fromModel(M, std::move(Opts));
  }
  /// This analysis evaluated under phase \p P (see Phase), without re-running
  /// the symbolic analyses: the result shares this analysis's model, symbol
  /// context and cached shape inference, MAC count, weights and precision,
  /// and computes activation memory, traffic and roofline at P's dims. This
  /// analysis must outlive it. When P rebinds a dim this analysis already
  /// bound to another value, there is nothing symbolic to evaluate: the
  /// result is then a fresh analysis under the merged options (reanalyzed()).
  std::unique_ptr<Analysis> phase(const Phase &P);
  /// True for a phase that could not be evaluated from the symbolic analysis.
  bool reanalyzed() const { return Reanalyzed; }

  const Model &model() const { return *M; }
  const AnalysisOptions &options() const { return AM->options(); }
  AnalysisManager &manager() { return *AM; }
  SymContext &sym() { return AM->sym(); }
  /// The (cached) result of analysis A.
  template <typename A> const typename A::Result &get() { return AM->get<A>(); }

  /// The value of an expression built by this analysis under \p Binds
  /// (nullopt when it is unknown or a symbol stays unbound).
  std::optional<int64_t> evaluate(Expr E, const llvm::StringMap<int64_t> &Binds) {
    return sym().evaluate(E, Binds);
  }

private:
  Analysis(std::shared_ptr<const Model> M, AnalysisOptions Opts);
  Analysis(std::shared_ptr<const Model> M, std::unique_ptr<AnalysisManager> AM)
      : M(std::move(M)), AM(std::move(AM)) {}
  std::shared_ptr<const Model> M;
  std::unique_ptr<AnalysisManager> AM;
  bool Reanalyzed = false;
};

/// Binds --batch to the symbolic first dim of every graph input that leaves it
/// unbound (declared dim_param, or a name given through --input), by adding
/// it to O.Dims. Analysis calls it once; no-op without --batch.
void bindBatch(const Model &M, AnalysisOptions &O);

/// A phase: a named set of dim bindings under which the one symbolic analysis
/// is evaluated (a sweep point, an LLM prefill or decode step).
struct Phase {
  std::string Name;
  /// Dims bound by name, as --dim NAME=VALUE.
  llvm::StringMap<int64_t> Dims;
  /// Inferences per batch, as --batch B: binds the unbound symbolic batch dim
  /// (bindBatch) and scales a fixed-batch graph.
  std::optional<int64_t> Batch;
};

} // namespace opaudit
