// Building an Analysis: load, normalize the options once, own the results.
#include "analyzer/Analysis.h"

namespace opaudit {

Analysis::Analysis(std::shared_ptr<const Model> Mod, AnalysisOptions Opts) : M(std::move(Mod)) {
  bindBatch(*M, Opts);
  AM = std::make_unique<AnalysisManager>(*M, std::move(Opts));
}

std::unique_ptr<Analysis> Analysis::fromModel(std::shared_ptr<const Model> M,
                                              AnalysisOptions Opts) {
  return std::unique_ptr<Analysis>(new Analysis(std::move(M), std::move(Opts)));
}

llvm::Expected<std::unique_ptr<Analysis>> Analysis::open(llvm::StringRef Path,
                                                         AnalysisOptions Opts) {
  auto M = loadModel(Path);
  if (!M)
    return M.takeError();
  return fromModel(std::move(*M), std::move(Opts));
}

llvm::Expected<std::unique_ptr<Analysis>>
Analysis::fromBuffer(std::unique_ptr<llvm::MemoryBuffer> Buffer, llvm::StringRef Name,
                     AnalysisOptions Opts, const LoadOptions &LO) {
  auto M = loadModel(std::move(Buffer), Name, LO);
  if (!M)
    return M.takeError();
  return fromModel(std::move(*M), std::move(Opts));
}

std::unique_ptr<Analysis> Analysis::phase(const Phase &P) {
  AnalysisOptions O = options();
  bool Conflict = false;
  if (P.Batch && O.Batch != P.Batch) {
    if (O.Batch) {
      // The dims this analysis bound to its own --batch are P's batch now:
      // shape inference substituted them, so they cannot be evaluated again.
      AnalysisOptions Probe = O;
      Probe.Dims.clear();
      bindBatch(*M, Probe);
      for (const auto &E : Probe.Dims) {
        auto It = O.Dims.find(E.getKey());
        if (It != O.Dims.end() && It->second == *O.Batch) {
          O.Dims.erase(It);
          Conflict = true;
        }
      }
    }
    O.Batch = P.Batch;
  }
  for (const auto &E : P.Dims) {
    auto It = O.Dims.find(E.getKey());
    Conflict |= It != O.Dims.end() && It->second != E.getValue();
    O.Dims[E.getKey()] = E.getValue();
  }
  if (Conflict) {
    auto Fresh = fromModel(M, std::move(O));
    Fresh->Reanalyzed = true;
    return Fresh;
  }
  bindBatch(*M, O);
  llvm::StringMap<int64_t> Binds = O.Dims;
  auto Child = std::make_unique<AnalysisManager>(*AM, std::move(O), std::move(Binds));
  return std::unique_ptr<Analysis>(new Analysis(M, std::move(Child)));
}

void bindBatch(const Model &M, AnalysisOptions &O) {
  if (!O.Batch)
    return;
  const Graph &G = M.Main;
  for (ValueId V : G.Inputs) {
    const Value &Val = G.value(V);
    if (Val.Initializer >= 0)
      continue;
    std::string Name;
    auto Over = O.InputShapes.find(Val.Name);
    if (Over != O.InputShapes.end()) {
      int64_t N;
      // getAsInteger fails (returns true) for a symbolic dim name.
      if (!Over->second.empty() && llvm::StringRef(Over->second.front()).getAsInteger(10, N))
        Name = Over->second.front();
    } else if (Val.Declared && Val.Declared->HasShape && !Val.Declared->Dims.empty()) {
      Name = Val.Declared->Dims.front().Param;
    }
    if (!Name.empty() && !O.Dims.count(Name))
      O.Dims[Name] = *O.Batch;
  }
}

} // namespace opaudit
