// The analysis manager: analyses are pulled on demand and cached, in the
// style of LLVM's new pass manager. An analysis is a class with
//   using Result = ...;  static constexpr llvm::StringLiteral Name, Description;
//   static Result run(AnalysisManager &AM);
// and asks for what it depends on with AM.get<OtherAnalysis>(). opaudit never
// rewrites the graph, so results are never invalidated.
//
// Phases: a manager may be the phase of a parent manager (a sweep point, an
// LLM prefill or decode step): the same model and symbol context, with some
// dims bound. Analyses that depend on the bindings (they read options().Batch
// or evaluate expressions with evaluate()) declare
//   static constexpr bool PerPhase = true;
// and run in the phase; every other analysis is symbolic in the bound dims and
// comes from the parent's cache, so the parent's shape inference and MAC count
// are computed once however many phases evaluate them.
#pragma once

#include "ir/Hardware.h"
#include "ir/IR.h"
#include "ir/Sym.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringMap.h"

#include <functional>
#include <memory>

namespace opaudit {

/// What the user fixed for this run: dim bindings, input overrides, batch.
struct AnalysisOptions {
  /// --dim NAME=VALUE
  llvm::StringMap<int64_t> Dims;
  /// --input NAME:1x3x224x224 (a dim may be a symbol name).
  llvm::StringMap<std::vector<std::string>> InputShapes;
  /// --input-value NAME=v1,v2,...
  llvm::StringMap<std::vector<double>> InputValues;

  // Traffic, memory and roofline (passes/Traffic.h, passes/Roofline.h; docs/traffic-model.md).
  /// --batch B: inferences per batch; binds an unbound symbolic batch dim (see bindBatch).
  std::optional<int64_t> Batch;
  /// --weight-dtype / --act-dtype: count weights / floating-point activations at this dtype.
  std::optional<DType> WeightDType;
  std::optional<DType> ActDType;
  /// --sram BYTES; when unset, the profile's sram_bytes, else 0.
  std::optional<int64_t> SramBytes;
  /// --hw PROFILE, already parsed (the path is kept for the report's conditions).
  std::string HardwarePath;
  std::optional<HardwareProfile> Hardware;
  /// --operating-point NAME (empty: the profile's first) and --precision int8|fp16|bf16|fp32.
  std::string OperatingPointName;
  std::string Precision;
  /// --utilization U in (0, 1]: the fraction of peak MAC throughput assumed reachable.
  double Utilization = 1.0;
  /// --schedule: how a batch runs (docs/traffic-model.md). Layer: the whole
  /// batch layer by layer; Sample: the batch pipelined sample by sample, with
  /// weights kept for the whole batch, so only one sample's activations
  /// compete for SRAM.
  enum class BatchSchedule { Layer, Sample } Schedule = BatchSchedule::Layer;
  /// True when any option above was given: reports then show the traffic section.
  bool wantsTraffic() const { return Batch || WeightDType || ActDType || SramBytes || Hardware; }

  // Control flow.
  /// --trip-count NODE=K: iterations of a Loop whose count is not a constant.
  llvm::StringMap<int64_t> TripCounts;
  /// --branch: what an If whose condition depends on the data costs: a range
  /// of its two branches (the default), one branch, or the costlier one.
  enum class BranchChoice { Range, Then, Else, Max } Branch = BranchChoice::Range;
};

/// True for an analysis that declares `static constexpr bool PerPhase = true`.
template <typename A> constexpr bool isPerPhase() {
  if constexpr (requires { A::PerPhase; })
    return A::PerPhase;
  else
    return false;
}

class AnalysisManager {
public:
  AnalysisManager(const Model &M, AnalysisOptions Opts = {})
      : M(M), Opts(std::move(Opts)), Runs(std::make_shared<llvm::StringMap<unsigned>>()) {}
  /// A phase of \p Parent, which must outlive it. \p PhaseOpts are Parent's
  /// options with the phase's batch and dims set; \p Bindings are the dims
  /// under which evaluate() reads Parent's symbolic expressions. Only options
  /// Dims and Batch may differ from Parent's: the analyses taken from Parent's
  /// cache were computed under its other options.
  AnalysisManager(AnalysisManager &Parent, AnalysisOptions PhaseOpts,
                  llvm::StringMap<int64_t> Bindings)
      : M(Parent.M), Opts(std::move(PhaseOpts)), Parent(&Parent), Bindings(std::move(Bindings)),
        Runs(Parent.Runs) {}
  AnalysisManager(const AnalysisManager &) = delete;

  const Model &model() const { return M; }
  const AnalysisOptions &options() const { return Opts; }
  /// The one symbol context shared by every analysis of this model (a phase
  /// uses its parent's, so that the parent's expressions can be evaluated).
  SymContext &sym() { return Parent ? Parent->sym() : Sym; }
  /// The parent of a phase; null for a model's own manager.
  AnalysisManager *parent() const { return Parent; }
  /// The dims a phase binds; empty for a model's own manager, whose bound
  /// dims were substituted by shape inference.
  const llvm::StringMap<int64_t> &bindings() const { return Bindings; }

  /// The value of \p E under bindings(): a constant as itself, a formula in
  /// bound dims as its value; nullopt when E is unknown, mentions a dim the
  /// phase leaves unbound or a dim shape inference could not name, or overflows.
  std::optional<int64_t> evaluate(Expr E) {
    if (!E)
      return std::nullopt;
    if (auto C = E.asConst())
      return C;
    if (Bindings.empty() || sym().dependsOnFresh(E))
      return std::nullopt;
    return sym().evaluate(E, Bindings);
  }

  /// Computes (once) and returns the result of analysis A; in a phase, from
  /// the parent unless A is PerPhase.
  template <typename A> const typename A::Result &get() {
    if constexpr (!isPerPhase<A>())
      if (Parent)
        return Parent->get<A>();
    const void *Key = &A::Name;
    auto It = Cache.find(Key);
    if (It != Cache.end())
      return *static_cast<const typename A::Result *>(It->second.get());
    if (!Running.insert(Key).second)
      llvm::report_fatal_error("analysis dependency cycle through " + A::Name);
    ++(*Runs)[A::Name];
    auto R = std::make_shared<const typename A::Result>(A::run(*this));
    Running.erase(Key);
    Cache[Key] = R;
    return *R;
  }

  /// How many times analysis \p Name ran in this manager, its parent and all
  /// their phases (a test that phases do not re-run the symbolic analyses).
  unsigned runs(llvm::StringRef Name) const { return Runs->lookup(Name); }

private:
  // shared_ptr<const void> erases the result type and still deletes it correctly.
  using Holder = std::shared_ptr<const void>;
  const Model &M;
  AnalysisOptions Opts;
  AnalysisManager *Parent = nullptr;
  llvm::StringMap<int64_t> Bindings;
  SymContext Sym;
  llvm::DenseMap<const void *, Holder> Cache;
  llvm::SmallPtrSet<const void *, 8> Running;
  std::shared_ptr<llvm::StringMap<unsigned>> Runs;
};

/// One row of the pass registry, which drives `opaudit --list`.
struct PassInfo {
  llvm::StringRef Name;
  llvm::StringRef Description;
};

/// Every analysis opaudit has, in dependency order.
llvm::ArrayRef<PassInfo> registeredPasses();

} // namespace opaudit
