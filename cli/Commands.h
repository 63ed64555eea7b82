// The subcommand registry: one row per `opaudit` subcommand. Each command
// lives in its own file under analyzer/cli/, declares its options on the
// CLI11 app and returns the function that runs it. The table drives --help
// and --list.
#pragma once

#include "analyzer/Analysis.h"
#include "ir/Diagnostics.h"

#include <CLI/CLI.hpp>

#include <functional>

namespace opaudit::cli {

/// `claim`: the claim needs more than the peak, or --ops matches no convention (README).
constexpr int kExitClaimImpossible = 1;
/// `diff`: a --budget is exceeded, or cannot be checked (an unknown or symbolic total).
constexpr int kExitBudget = 1;

/// Runs a parsed subcommand and returns the process exit code.
using RunFn = std::function<int()>;

struct CommandInfo {
  const char *Name;
  const char *Description;
  /// Adds the command's options to Sub; the returned function runs it.
  RunFn (*Setup)(CLI::App &Sub);
};

llvm::ArrayRef<CommandInfo> commands();

/// Prints an error ("opaudit: error: ...") and returns its exit code.
int reportError(llvm::Error E);

/// Prints a CLI11 parse error as one "opaudit: error: ..." line, naming the
/// command, with a did-you-mean for an unknown command or option; returns 2.
int reportParseError(const CLI::App &Root, const CLI::ParseError &E);

/// Makes every repeatable option take exactly one value per occurrence, in
/// every command: CLI11's vector options are greedy otherwise, and
/// `analyze --dim seq=128 MODEL` would read MODEL as a second --dim.
void oneValuePerOccurrence(CLI::App &App);

/// Opens the model and checks the names the options use against it
/// (checkOptionsAgainstModel): the single-model commands' way in.
llvm::Expected<std::unique_ptr<Analysis>> openChecked(llvm::StringRef Path, AnalysisOptions O);

RunFn setupAnalyze(CLI::App &Sub);
RunFn setupOps(CLI::App &Sub);
RunFn setupSweep(CLI::App &Sub);
RunFn setupReconcile(CLI::App &Sub);
RunFn setupClaim(CLI::App &Sub);
RunFn setupGraph(CLI::App &Sub);
RunFn setupHw(CLI::App &Sub);
RunFn setupLlm(CLI::App &Sub);
RunFn setupLedger(CLI::App &Sub);
RunFn setupDiff(CLI::App &Sub);

} // namespace opaudit::cli
