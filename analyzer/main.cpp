// opaudit's command line: a thin CLI11 shell that fills option structs, calls
// the library, runs the chosen writer and maps the outcome to an exit code
// (see README.md, "Exit codes"). Diagnostics go to stderr; stdout carries
// only report bytes.
#include "analyzer/PassManager.h"
#include "passes/OpRegistry.h"
#include "reports/Report.h"

#include <CLI/CLI.hpp>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <unistd.h>

using namespace opaudit;

namespace {

struct AnalyzeArgs {
  std::vector<std::string> Models;
  std::string Format = "table";
  std::string Output;
  std::vector<std::string> Dims;
  std::vector<std::string> Inputs;
  std::vector<std::string> InputValues;
  bool Quiet = false;
  unsigned MaxDiags = 20;
};

/// Parses the repeatable --dim/--input/--input-value options.
llvm::Expected<AnalysisOptions> toOptions(const AnalyzeArgs &A) {
  AnalysisOptions O;
  for (llvm::StringRef D : A.Dims) {
    auto [K, V] = D.split('=');
    int64_t N;
    if (K.empty() || V.getAsInteger(10, N) || N < 0)
      return makeError(ErrorCategory::Usage, "--dim expects NAME=VALUE with VALUE >= 0, got '" + D + "'");
    O.Dims[K] = N;
  }
  for (llvm::StringRef I : A.Inputs) {
    auto [K, V] = I.rsplit(':');
    if (K.empty() || V.empty())
      return makeError(ErrorCategory::Usage, "--input expects NAME:D1xD2x..., got '" + I + "'");
    llvm::SmallVector<llvm::StringRef, 6> Parts;
    V.split(Parts, 'x');
    std::vector<std::string> Dims;
    for (llvm::StringRef P : Parts) {
      int64_t N;
      if (P.empty() || (!P.getAsInteger(10, N) && N < 0))
        return makeError(ErrorCategory::Usage, "--input has a bad dim in '" + I + "'");
      Dims.push_back(P.str());
    }
    O.InputShapes[K] = std::move(Dims);
  }
  for (llvm::StringRef I : A.InputValues) {
    auto [K, V] = I.split('=');
    llvm::SmallVector<llvm::StringRef, 8> Parts;
    V.split(Parts, ',');
    std::vector<double> Vals;
    for (llvm::StringRef P : Parts) {
      double X;
      if (P.trim().getAsDouble(X))
        return makeError(ErrorCategory::Usage, "--input-value expects NAME=v1,v2,..., got '" + I + "'");
      Vals.push_back(X);
    }
    if (K.empty() || Vals.empty())
      return makeError(ErrorCategory::Usage, "--input-value expects NAME=v1,v2,..., got '" + I + "'");
    O.InputValues[K] = std::move(Vals);
  }
  return O;
}

/// Prints an error and returns its exit code.
int report(llvm::Error E) {
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

void printDiagnostics(const Report &R, const AnalyzeArgs &A) {
  if (A.Quiet)
    return;
  size_t Shown = 0;
  for (const Diagnostic &D : R.Diags) {
    if (Shown++ == A.MaxDiags) {
      llvm::errs() << R.Path << ": note: " << (R.Diags.size() - A.MaxDiags)
                   << " more diagnostic(s); --format json lists them all\n";
      break;
    }
    llvm::errs() << R.Path << ": " << D.str() << "\n";
  }
}

int runAnalyze(const AnalyzeArgs &A) {
  const FormatInfo *F = findFormat(A.Format);
  if (!F) {
    std::string Names;
    for (const FormatInfo &FI : formats())
      Names += (Names.empty() ? "" : ", ") + FI.Name.str();
    llvm::errs() << "opaudit: error: unknown format '" << A.Format << "' (known: " << Names << ")\n";
    return kExitUsage;
  }
  auto Opts = toOptions(A);
  if (!Opts)
    return report(Opts.takeError());
  auto R = analyzeFile(A.Models.front(), *Opts);
  if (!R)
    return report(R.takeError());
  printDiagnostics(*R, A);
  if (A.Output.empty() || A.Output == "-") {
    F->Write(*R, llvm::outs());
    llvm::outs().flush();
    return kExitOk;
  }
  std::error_code EC;
  llvm::raw_fd_ostream OS(A.Output, EC, llvm::sys::fs::OF_None);
  if (EC) {
    llvm::errs() << "opaudit: error: cannot write '" << A.Output << "': " << EC.message() << "\n";
    return kExitUsage;
  }
  F->Write(*R, OS);
  return kExitOk;
}

int runOps() {
  auto &OS = llvm::outs();
  OS << "domain\top_type\tsince_versions\tclass\tmacs\n";
  auto Rules = allRules();
  for (size_t I = 0; I < Rules.size();) {
    size_t J = I;
    std::string Versions;
    while (J < Rules.size() && Rules[J].Domain == Rules[I].Domain && Rules[J].OpType == Rules[I].OpType)
      Versions += (Versions.empty() ? "" : ",") + std::to_string(Rules[J++].SinceVersion);
    OS << (Rules[I].Domain.empty() ? "ai.onnx" : Rules[I].Domain) << "\t" << Rules[I].OpType << "\t"
       << Versions << "\t" << opClassName(Rules[I].Class) << "\t" << (Rules[I].Macs ? "yes" : "-")
       << "\n";
    I = J;
  }
  return kExitOk;
}

int runList() {
  auto &OS = llvm::outs();
  OS << "analyses:\n";
  for (const PassInfo &P : registeredPasses())
    OS << "  " << P.Name << ": " << P.Description << "\n";
  OS << "formats:\n";
  for (const FormatInfo &F : formats())
    OS << "  " << F.Name << ": " << F.Description << "\n";
  OS << "operators: " << allRules().size() << " rules; `opaudit ops` lists them\n";
  return kExitOk;
}

} // namespace

int main(int Argc, char **Argv) {
  CLI::App App{"opaudit: static analysis of ONNX graphs (MACs, parameters, weight bytes)"};
  App.set_version_flag("--version", std::string("opaudit ") + OPAUDIT_VERSION);
  App.require_subcommand(0, 1);
  bool List = false;
  App.add_flag("--list", List, "list the analyses and output formats, then exit");
  App.footer("Exit codes: 0 report written (possibly partial), 2 usage error, 3 model unreadable, "
             "4 internal error.");

  AnalyzeArgs A;
  auto *Analyze = App.add_subcommand("analyze", "per-layer MACs, parameters and weight bytes of a model");
  Analyze->add_option("model", A.Models, "ONNX model file")->required()->expected(1);
  std::string FormatHelp = "output format:";
  for (const FormatInfo &F : formats())
    FormatHelp += "\n  " + F.Name.str() + ": " + F.Description.str();
  Analyze->add_option("-f,--format", A.Format, FormatHelp)->capture_default_str();
  Analyze->add_option("-o,--output", A.Output, "write the report to FILE instead of stdout");
  Analyze->add_option("--dim", A.Dims, "bind a symbolic dim: NAME=VALUE (repeatable)");
  Analyze->add_option("--input", A.Inputs, "override an input's shape: NAME:1x3x224x224 (repeatable)");
  Analyze->add_option("--input-value", A.InputValues,
                      "give the values of a shape-carrying input: NAME=v1,v2,... (repeatable)");
  Analyze->add_flag("-q,--quiet", A.Quiet, "do not print diagnostics to stderr");
  Analyze->add_option("--max-diagnostics", A.MaxDiags, "diagnostics printed to stderr")->capture_default_str();

  auto *Ops = App.add_subcommand("ops", "list the operators opaudit has rules for");

  try {
    App.parse(Argc, Argv);
  } catch (const CLI::CallForHelp &E) {
    return App.exit(E);
  } catch (const CLI::CallForAllHelp &E) {
    return App.exit(E);
  } catch (const CLI::CallForVersion &E) {
    return App.exit(E);
  } catch (const CLI::ParseError &E) {
    App.exit(E);
    return kExitUsage;
  }
  if (List)
    return runList();
  if (Analyze->parsed())
    return runAnalyze(A);
  if (Ops->parsed())
    return runOps();
  llvm::outs() << App.help();
  return kExitUsage;
}
