// `opaudit ops`: prints the operator registry as a tab-separated table.
#include "cli/Commands.h"
#include "passes/OpRegistry.h"

#include "llvm/Support/raw_ostream.h"

namespace opaudit::cli {

RunFn setupOps(CLI::App &Sub) {
  return [] {
    auto &OS = llvm::outs();
    OS << "domain\top_type\tsince_versions\tclass\tmacs\n";
    auto Rules = allRules();
    for (size_t I = 0; I < Rules.size();) {
      size_t J = I;
      std::string Versions;
      while (J < Rules.size() && Rules[J].Domain == Rules[I].Domain &&
             Rules[J].OpType == Rules[I].OpType)
        Versions += (Versions.empty() ? "" : ",") + std::to_string(Rules[J++].SinceVersion);
      OS << (Rules[I].Domain.empty() ? "ai.onnx" : Rules[I].Domain) << "\t" << Rules[I].OpType
         << "\t" << Versions << "\t" << opClassName(Rules[I].Class) << "\t"
         << (Rules[I].Macs ? "yes" : "-") << "\n";
      I = J;
    }
    return static_cast<int>(kExitOk);
  };
}

} // namespace opaudit::cli
