// opaudit's entry point: builds the CLI11 app from the subcommand registry
// (cli/Commands.h), parses, and runs the chosen command. Parse errors are
// printed as one "opaudit: error: ..." line with a did-you-mean where one
// fits (cli/Commands.cpp). Exit codes are documented in README.md.
#include "cli/Commands.h"
#include "ir/PassManager.h"
#include "passes/OpRegistry.h"
#include "reports/Report.h"

#include "llvm/Support/raw_ostream.h"

using namespace opaudit;

namespace {
int runList() {
  auto &OS = llvm::outs();
  OS << "commands:\n";
  for (const cli::CommandInfo &C : cli::commands())
    OS << "  " << C.Name << ": " << C.Description << "\n";
  OS << "analyses:\n";
  for (const PassInfo &P : registeredPasses())
    OS << "  " << P.Name << ": " << P.Description << "\n";
  OS << "formats:\n";
  for (const FormatInfo &F : formats())
    OS << "  " << F.Name << ": " << F.Description << "\n";
  // Counted like `opaudit ops` prints them: one row per (domain, op type), its versions in a cell.
  auto Rules = allRules();
  size_t Types = 0;
  for (size_t I = 0; I < Rules.size(); ++I)
    Types +=
        I == 0 || Rules[I].Domain != Rules[I - 1].Domain || Rules[I].OpType != Rules[I - 1].OpType;
  OS << "operators: " << Types << " operator types (" << Rules.size()
     << " versioned rules); `opaudit ops` lists them, one row per type\n";
  return kExitOk;
}
} // namespace

int main(int Argc, char **Argv) {
  CLI::App App{"opaudit: static analysis of ONNX graphs (MACs, parameters, weight bytes)"};
  App.set_version_flag("--version", std::string("opaudit ") + OPAUDIT_VERSION);
  App.require_subcommand(0, 1);
  bool List = false;
  App.add_flag("--list", List, "list the commands, analyses and output formats, then exit");
  App.footer("Exit codes: 0 report written (possibly partial), 1 a claim or budget check failed, "
             "2 usage error, 3 model unreadable, 4 internal error.");
  std::vector<std::pair<CLI::App *, cli::RunFn>> Subs;
  for (const cli::CommandInfo &C : cli::commands()) {
    CLI::App *Sub = App.add_subcommand(C.Name, C.Description);
    Subs.emplace_back(Sub, C.Setup(*Sub));
  }
  cli::oneValuePerOccurrence(App);
  try {
    App.parse(Argc, Argv);
  } catch (const CLI::Success &E) {
    App.exit(E); // --help, --version
    return kExitOk;
  } catch (const CLI::ParseError &E) {
    return cli::reportParseError(App, E);
  }
  if (List)
    return runList();
  for (auto &[Sub, Run] : Subs)
    if (Sub->parsed())
      return Run();
  llvm::outs() << App.help();
  return kExitUsage;
}
