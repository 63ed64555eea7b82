// The subcommand table and the error printers shared by the commands.
#include "cli/Commands.h"
#include "analyzer/Options.h"

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

namespace {
/// The innermost parsed command that holds the unexpected arguments (or Root).
const CLI::App *appWithExtras(const CLI::App &Root) {
  for (const CLI::App *Sub : Root.get_subcommands())
    if (const CLI::App *In = appWithExtras(*Sub); !In->remaining().empty())
      return In;
  return &Root;
}

/// "analyze" for `opaudit analyze`, "hw show" for `opaudit hw show`; "" for the root.
std::string commandPath(const CLI::App *A) {
  std::string P;
  for (; A && A->get_parent(); A = A->get_parent())
    P = A->get_name() + (P.empty() ? "" : " " + P);
  return P;
}

/// The innermost parsed command (Root when none was given).
const CLI::App *parsedCommand(const CLI::App &Root) {
  for (const CLI::App *Sub : Root.get_subcommands())
    if (Sub->parsed())
      return parsedCommand(*Sub);
  return &Root;
}
} // namespace

int reportParseError(const CLI::App &Root, const CLI::ParseError &E) {
  auto &OS = llvm::errs();
  if (dynamic_cast<const CLI::ExtrasError *>(&E)) {
    const CLI::App *A = appWithExtras(Root);
    std::vector<std::string> Extras = A->remaining();
    std::string Cmd = commandPath(A);
    std::string Help = "`opaudit " + (Cmd.empty() ? "" : Cmd + " ") + "--help`";
    if (!Extras.empty()) {
      llvm::StringRef X = Extras.front();
      if (X.startswith("-") && X.size() > 1) {
        llvm::StringRef Name = X.split('=').first;
        std::vector<std::string> Names;
        for (const CLI::Option *O : A->get_options()) {
          for (const std::string &L : O->get_lnames())
            Names.push_back("--" + L);
          for (const std::string &S : O->get_snames())
            Names.push_back("-" + S);
        }
        OS << "opaudit: error: " << (Cmd.empty() ? "" : Cmd + ": ") << "unknown option '" << Name
           << "'" << didYouMean(Name, Names) << " (" << Help << " lists the options)\n";
        return kExitUsage;
      }
      if (A == &Root) {
        std::vector<std::string> Names;
        for (const CommandInfo &C : commands())
          Names.push_back(C.Name);
        OS << "opaudit: error: unknown command '" << X << "'" << didYouMean(X, Names)
           << " (`opaudit --help` lists the commands)\n";
        return kExitUsage;
      }
      OS << "opaudit: error: " << Cmd << ": unexpected argument '" << X << "' (" << Help
         << " shows what it takes)\n";
      return kExitUsage;
    }
  }
  // A command with subcommands (`hw`) given an unknown one: CLI11 only says a
  // subcommand is required; name the word it did not know.
  if (dynamic_cast<const CLI::RequiredError *>(&E)) {
    const CLI::App *A = parsedCommand(Root);
    auto Subs = A->get_subcommands([](const CLI::App *) { return true; });
    std::vector<std::string> Extras = A->remaining();
    if (!Subs.empty() && !Extras.empty() && !llvm::StringRef(Extras.front()).startswith("-")) {
      std::vector<std::string> Names;
      for (const CLI::App *S : Subs)
        Names.push_back(S->get_name());
      std::string Cmd = commandPath(A);
      OS << "opaudit: error: unknown " << Cmd << " command '" << Extras.front() << "'"
         << didYouMean(Extras.front(), Names) << " (`opaudit " << Cmd << " --help` lists them)\n";
      return kExitUsage;
    }
  }
  // CLI11's own text; a validator's message already starts with the option
  // name ("--dim: --dim expects ..."), so the repeat is dropped.
  std::string Msg = E.what();
  if (auto Colon = Msg.find(": ");
      Colon != std::string::npos && Colon > 0 &&
      Msg.compare(Colon + 2, Colon + 1, Msg.substr(0, Colon) + " ") == 0)
    Msg.erase(0, Colon + 2);
  std::string Cmd = commandPath(parsedCommand(Root));
  OS << "opaudit: error: " << (Cmd.empty() ? "" : Cmd + ": ") << Msg << "\n";
  return kExitUsage;
}

void oneValuePerOccurrence(CLI::App &App) {
  for (CLI::Option *O : App.get_options())
    if (O->nonpositional() && O->get_items_expected_max() > 1)
      O->allow_extra_args(false);
  // get_subcommands() without a filter lists only the parsed ones.
  for (CLI::App *Sub : App.get_subcommands([](CLI::App *) { return true; }))
    oneValuePerOccurrence(*Sub);
}

llvm::Expected<std::unique_ptr<Analysis>> openChecked(llvm::StringRef Path, AnalysisOptions O) {
  auto An = Analysis::open(Path, std::move(O));
  if (!An)
    return An.takeError();
  if (llvm::Error E = checkOptionsAgainstModel((*An)->model(), (*An)->options()))
    return std::move(E);
  return An;
}

} // namespace opaudit::cli
