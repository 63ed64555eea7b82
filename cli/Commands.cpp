// The subcommand table and the error printer shared by the commands.
#include "cli/Commands.h"

#include "llvm/Support/raw_ostream.h"

namespace opaudit::cli {

llvm::ArrayRef<CommandInfo> commands() {
  static const CommandInfo Table[] = {
      {"analyze", "per-layer MACs, parameters and weight bytes of a model", setupAnalyze},
      {"ops", "list the operators opaudit has rules for", setupOps},
      {"sweep", "roofline throughput, latency and weight traffic against batch size (table + SVG)",
       setupSweep},
      {"reconcile", "one model's total under every built-in counting convention, by class",
       setupReconcile},
      {"claim", "check a vendor TOPS/throughput claim: effective TOPS and MAC utilization",
       setupClaim},
      {"graph", "draw the graph with per-node MACs and weights (svg, png, dot)", setupGraph},
      {"hw", "the hardware catalog: `hw list`, `hw show NAME` (dense peaks, memory, sources)",
       setupHw},
      {"llm", "LLM serving estimate of a decoder: KV cache, prefill, decode tokens/s, memory fit",
       setupLlm},
      {"ledger", "published results against the catalog: quoted TOPS, delivered TOPS, utilization",
       setupLedger},
      {"diff", "compare two models layer by layer; --budget exits 1 when a model grows", setupDiff},
  };
  return Table;
}

int reportError(llvm::Error E) {
  int Code = kExitInternal;
  llvm::handleAllErrors(
      std::move(E),
      [&](const OpauditError &OE) {
        llvm::errs() << "opaudit: error: " << OE.text() << "\n";
        Code = exitCodeFor(OE.category());
      },
      [&](const llvm::ErrorInfoBase &EI) {
        llvm::errs() << "opaudit: internal error: " << EI.message() << "\n";
      });
  return Code;
}

} // namespace opaudit::cli
