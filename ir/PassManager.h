// The analysis manager: analyses are pulled on demand and cached, in the
// style of LLVM's new pass manager. An analysis is a class with
//   using Result = ...;  static constexpr llvm::StringLiteral Name, Description;
//   static Result run(AnalysisManager &AM);
// and asks for what it depends on with AM.get<OtherAnalysis>(). opaudit never
// rewrites the graph, so results are never invalidated.
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

class AnalysisManager {
public:
  AnalysisManager(const Model &M, AnalysisOptions Opts = {}) : M(M), Opts(std::move(Opts)) {}
  AnalysisManager(const AnalysisManager &) = delete;

  const Model &model() const { return M; }
  const AnalysisOptions &options() const { return Opts; }
  /// The one symbol context shared by every analysis of this model.
  SymContext &sym() { return Sym; }

  /// Computes (once) and returns the result of analysis A.
  template <typename A> const typename A::Result &get() {
    const void *Key = &A::Name;
    auto It = Cache.find(Key);
    if (It != Cache.end())
      return *static_cast<const typename A::Result *>(It->second.get());
    if (!Running.insert(Key).second)
      llvm::report_fatal_error("analysis dependency cycle through " + A::Name);
    auto R = std::make_shared<const typename A::Result>(A::run(*this));
    Running.erase(Key);
    Cache[Key] = R;
    return *R;
  }

private:
  // shared_ptr<const void> erases the result type and still deletes it correctly.
  using Holder = std::shared_ptr<const void>;
  const Model &M;
  AnalysisOptions Opts;
  SymContext Sym;
  llvm::DenseMap<const void *, Holder> Cache;
  llvm::SmallPtrSet<const void *, 8> Running;
};

/// One row of the pass registry, which drives `opaudit --list`.
struct PassInfo {
  llvm::StringRef Name;
  llvm::StringRef Description;
};

/// Every analysis opaudit has, in dependency order.
llvm::ArrayRef<PassInfo> registeredPasses();

} // namespace opaudit
