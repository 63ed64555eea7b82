// `opaudit claim MODEL (--peak-tops T | --hw PART) (--fps F | --utilization U)`:
// checks a vendor's throughput claim against the model's work. The arithmetic
// is analyzer/Claim (evaluateClaim); this file parses the options, calls it
// and prints the result. Exit code 1 when the claim is impossible (it needs
// more than the peak), so that a CI script can use the command as a check.
#include "analyzer/Claim.h"
#include "cli/ConventionCli.h"
#include "cli/TrafficOptions.h"
#include "reports/ClaimWriters.h"
#include "reports/Report.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <cmath>

namespace opaudit::cli {

namespace {

struct ClaimArgs {
  std::vector<std::string> Models;
  std::optional<double> PeakTops;
  std::string Hw;
  std::string OperatingPoint;
  std::optional<double> Fps;
  std::optional<double> Utilization; ///< A fraction (the validator turns 40% into 0.4).
  std::optional<int64_t> Batch;
  std::string Convention = "tops";
  std::string Precision;
  std::string Sparsity;
  std::string Format = "table";
  ShapeArgs Shape;
  std::string Ops; ///< --ops 8.2G: check a quoted operation count instead.
  std::string Tolerance = "5%";
  bool Quiet = false;
};

std::string pct(double F) { return llvm::formatv("{0:f1}%", F * 100).str(); }

void writeTable(const ClaimArgs &A, llvm::StringRef Model, const ClaimResult &R,
                llvm::raw_ostream &OS) {
  auto Count = [](double V) {
    return humanCount(V) + " (" + groupDigits(static_cast<int64_t>(std::llround(V))) + ")";
  };
  std::string Prec =
      R.Precision.empty() ? "" : " " + R.Precision + (R.PrecisionFromGraph ? " (the graph's)" : "");
  OS << "model:              " << Model << "\n";
  OS << "claim:              ";
  if (A.Hw.empty())
    OS << llvm::formatv("{0}", R.QuotedTops) << " TOPS peak"
       << (R.Sparse ? " (2:4 sparse: " + llvm::formatv("{0}", R.DenseTops).str() + " dense)" : "")
       << Prec;
  else
    OS << llvm::formatv("{0}", R.DenseTops) << " dense TOPS" << Prec << " (" << R.PeakBasis << ")";
  OS << ", "
     << (R.FpsClaimed ? llvm::formatv("{0:f2} images/s claimed", R.Fps).str()
                      : llvm::formatv("{0} utilization given", pct(R.MacUtilization)).str())
     << ", batch " << R.Batch << "\n";
  OS << "convention:         " << R.ConventionName << ": " << R.ConventionMeaning << "\n";
  OS << "ops per image:      " << Count(R.OpsPerImage) << "\n";
  OS << "ops per inference:  " << Count(R.OpsPerInference) << " (batch " << R.Batch << ")\n";
  OS << "MACs per image:     " << Count(R.MacsPerImage) << "\n";
  if (!R.FpsClaimed)
    OS << "images/s:           " << llvm::formatv("{0:f2}", R.Fps) << " at "
       << pct(R.MacUtilization) << " MAC utilization\n";
  OS << "effective TOPS:     " << llvm::formatv("{0:f2}", R.EffectiveTops)
     << " (ops/s the throughput implies, under '" << R.ConventionName << "')\n";
  OS << "peak MAC/s:         " << humanCount(R.PeakMacsPerSecond) << " ("
     << llvm::formatv("{0}", R.DenseTops) << " dense TOPS / "
     << (R.PeakOpsPerMac == std::floor(R.PeakOpsPerMac)
             ? std::to_string(static_cast<int64_t>(R.PeakOpsPerMac))
             : llvm::formatv("{0:f2}", R.PeakOpsPerMac).str())
     << " ops per MAC)\n";
  OS << "MAC utilization:    " << pct(R.MacUtilization) << "\n";
  OS << "plausible:          " << plausibilityText(R.MacUtilization) << "\n";
  if (R.FpsClaimed && !R.plausible()) {
    std::string Fits;
    for (const ConventionNeed &C : R.Conventions)
      if (C.Utilization <= 1.0)
        Fits += (Fits.empty() ? "" : ", ") + C.Name + " (" + pct(C.Utilization) + ")";
    if (Fits.empty())
      OS << "consistent with:    no built-in convention (even counting 1 op per MAC the claim "
            "exceeds the peak)\n";
    else
      OS << "consistent with:    only if the quoted TOPS counted operations as " << Fits << "\n";
  }
  // The same rate against the same quoted TOPS, had they counted operations another way.
  OS << "\nif the quoted TOPS counted ops as:\n";
  size_t W = 0;
  for (const ConventionNeed &C : R.Conventions)
    W = std::max(W, C.Name.size());
  for (const ConventionNeed &C : R.Conventions) {
    OS << "  " << C.Name;
    OS.indent(W - C.Name.size() + 2);
    std::string P = pct(C.Utilization);
    OS.indent(7 - std::min<size_t>(7, P.size()))
        << P << " of the peak  " << plausibilityName(gradeUtilization(C.Utilization)) << "\n";
  }
}

void writeOpsJson(llvm::StringRef Model, const OpsCheck &C, llvm::json::OStream &J) {
  J.object([&] {
    J.attribute("schema_version", 1);
    J.attribute("model", Model);
    J.attribute("quoted_ops", C.Quoted);
    J.attribute("tolerance", C.Tolerance);
    J.attribute("file_batch", C.FileBatch);
    J.attribute("matched", C.matched());
    J.attributeArray("conventions", [&] {
      for (const OpsMatch &M : C.Conventions)
        J.object([&] {
          J.attribute("name", M.Name);
          J.attribute("ops_per_image", M.OpsPerImage);
          J.attribute("deviation", M.Deviation);
          J.attribute("matches", M.Matches);
        });
    });
  });
}

void writeOpsTable(llvm::StringRef Model, const OpsCheck &C, llvm::raw_ostream &OS) {
  OS << "model:       " << Model << "\n";
  OS << "quoted ops:  " << humanCount(C.Quoted) << " per image, tolerance " << pct(C.Tolerance)
     << "\n";
  std::string Fits;
  for (const OpsMatch &M : C.Conventions)
    if (M.Matches)
      Fits += (Fits.empty() ? "" : ", ") + M.Name;
  OS << "produced by: " << (Fits.empty() ? "no built-in convention" : Fits) << "\n\n";
  size_t W = 10;
  for (const OpsMatch &M : C.Conventions)
    W = std::max(W, M.Name.size());
  OS << "convention";
  OS.indent(W - 10 + 2) << "    ops per image    off by\n";
  for (const OpsMatch &M : C.Conventions) {
    std::string N = groupDigits(static_cast<int64_t>(std::llround(M.OpsPerImage)));
    std::string D =
        llvm::formatv("{0}{1:f1}%", M.Deviation >= 0 ? "+" : "", M.Deviation * 100).str();
    OS << M.Name;
    OS.indent(W - M.Name.size() + 2);
    OS.indent(17 - std::min<size_t>(17, N.size())) << N;
    OS.indent(10 - std::min<size_t>(10, D.size())) << D << (M.Matches ? "  match" : "") << "\n";
  }
}

/// `claim --ops`: which conventions give the quoted count. Exit 1 when none does.
int runOps(const ClaimArgs &A, const AnalysisOptions &Opts) {
  auto Quoted = parseCount("--ops", A.Ops);
  if (!Quoted)
    return reportError(Quoted.takeError());
  auto Tol = parseFraction("--tolerance", A.Tolerance);
  if (!Tol)
    return reportError(Tol.takeError());
  int Code = kExitOk;
  std::optional<llvm::json::OStream> J;
  if (A.Format == "json" && A.Models.size() > 1) {
    J.emplace(llvm::outs(), 2);
    J->arrayBegin();
  }
  for (size_t I = 0; I < A.Models.size(); ++I) {
    const std::string &Model = A.Models[I];
    auto An = openChecked(Model, Opts);
    if (!An) {
      Code = std::max(Code, reportError(An.takeError()));
      continue;
    }
    printModelDiagnostics((*An)->manager(), A.Quiet);
    auto C = checkOpsClaim(**An, *Quoted, *Tol);
    if (!C) {
      Code = std::max(Code, reportError(C.takeError()));
      continue;
    }
    if (J) {
      writeOpsJson(Model, *C, *J);
    } else if (A.Format == "json") {
      llvm::json::OStream One(llvm::outs(), 2);
      writeOpsJson(Model, *C, One);
    } else {
      if (I)
        llvm::outs() << "\n";
      writeOpsTable(Model, *C, llvm::outs());
    }
    if (!C->matched())
      Code = std::max(Code, static_cast<int>(kExitClaimImpossible));
  }
  if (J)
    J->arrayEnd();
  if (A.Format == "json")
    llvm::outs() << "\n";
  return Code;
}

int run(const ClaimArgs &A) {
  auto Usage = [](const llvm::Twine &Msg) {
    llvm::errs() << "opaudit: error: " << Msg << "\n";
    return static_cast<int>(kExitUsage);
  };
  AnalysisOptions Opts;
  if (auto E = applyShapeArgs(A.Shape, Opts))
    return reportError(std::move(E));
  Opts.Batch = A.Batch;
  if (!A.Ops.empty())
    return runOps(A, Opts);
  if (A.PeakTops.has_value() == !A.Hw.empty())
    return Usage("give exactly one of --peak-tops (a quoted figure) and --hw (a catalog part or "
                 "profile file), or --ops to check an operation count");
  if (A.Fps.has_value() == A.Utilization.has_value())
    return Usage("give exactly one of --fps (check a claim) and --utilization (derive images/s)");
  ClaimInputs In;
  In.PeakTops = A.PeakTops;
  In.Fps = A.Fps;
  In.Utilization = A.Utilization;
  In.Batch = A.Batch.value_or(1);
  In.Sparse = A.Sparsity == "2:4";
  In.Precision = A.Precision;
  In.OperatingPoint = A.OperatingPoint;
  auto Conv = loadConvention(A.Convention);
  if (!Conv)
    return reportError(Conv.takeError());
  In.ClaimConvention = std::move(*Conv);
  std::optional<HardwareProfile> H;
  if (!A.Hw.empty()) {
    auto L = loadHardware(A.Hw);
    if (!L)
      return reportError(L.takeError());
    H = std::move(*L);
    In.Hardware = &*H;
  }
  // The claim's batch (default 1) binds a symbolic batch dim (Analysis's
  // bindBatch); only an explicit --batch can conflict with a --dim on that dim.
  AnalysisOptions Bound = Opts;
  Bound.Batch = In.Batch;
  int Code = kExitOk;
  std::optional<llvm::json::OStream> J;
  if (A.Format == "json" && A.Models.size() > 1) {
    J.emplace(llvm::outs(), 2);
    J->arrayBegin();
  }
  for (size_t I = 0; I < A.Models.size(); ++I) {
    const std::string &Model = A.Models[I];
    auto An = Analysis::open(Model, Bound);
    if (!An) {
      Code = std::max(Code, reportError(An.takeError()));
      continue;
    }
    if (llvm::Error E = checkOptionsAgainstModel((*An)->model(), Opts)) {
      Code = std::max(Code, reportError(std::move(E)));
      continue;
    }
    printModelDiagnostics((*An)->manager(), A.Quiet);
    auto R = evaluateClaim(**An, In);
    if (!R) {
      Code = std::max(Code, reportError(R.takeError()));
      continue;
    }
    if (!A.Quiet)
      for (const std::string &N : R->Notes)
        llvm::errs() << Model << ": " << N << "\n";
    if (J) {
      writeClaimJson(*J, Model, A.Hw, *R);
    } else if (A.Format == "json") {
      llvm::json::OStream One(llvm::outs(), 2);
      writeClaimJson(One, Model, A.Hw, *R);
    } else {
      if (I)
        llvm::outs() << "\n";
      writeTable(A, Model, *R, llvm::outs());
    }
    if (!R->plausible())
      Code = std::max(Code, static_cast<int>(kExitClaimImpossible));
  }
  if (J)
    J->arrayEnd();
  if (A.Format == "json")
    llvm::outs() << "\n";
  return Code;
}

} // namespace

RunFn setupClaim(CLI::App &Sub) {
  auto A = std::make_shared<ClaimArgs>();
  Sub.add_option("model", A->Models,
                 "ONNX model file; several files check the same claim against each (JSON: an "
                 "array)")
      ->required();
  auto *Peak = Sub.add_option("--peak-tops", A->PeakTops, "the part's quoted peak TOPS")
                   ->check(positiveValue());
  auto *Hw = Sub.add_option("--hw", A->Hw,
                            "instead of --peak-tops: a catalog part (`opaudit hw list`) or a "
                            "profile file; its dense peak at --precision (default: the graph's) "
                            "is used");
  Sub.add_option("--operating-point", A->OperatingPoint,
                 "with --hw: the operating point (default: the part's nominal one)")
      ->needs(Hw);
  auto *Fps = Sub.add_option("--fps", A->Fps,
                             "claimed throughput in images (inferences of batch 1) per second")
                  ->check(positiveValue());
  auto *Util = addUtilizationOption(
      Sub, A->Utilization,
      "instead of --fps: a MAC utilization (0.4 or 40%); prints the images/s it gives");
  addBatchOption(Sub, A->Batch, "batch size of the claim (binds a symbolic batch dim; default 1)");
  Sub.add_option("--claim-convention", A->Convention,
                 "how the quoted TOPS count operations: a built-in name or a convention file")
      ->capture_default_str();
  auto *Prec = addPrecisionOption(Sub, A->Precision, "precision of the quoted TOPS");
  auto *Sparsity = Sub.add_option("--sparsity", A->Sparsity,
                                  "'2:4' when the quoted TOPS are sparse TOPS (else none)")
                       ->check(oneOf("--sparsity", {"2:4", "none", "dense"}));
  auto *Ops = Sub.add_option("--ops", A->Ops,
                             "instead of a throughput claim: a quoted operation count per image "
                             "(8.2G, 400M); lists the conventions that produce it, exit 1 when "
                             "none does")
                  ->check(CLI::Validator(
                      [](std::string &S) -> std::string {
                        auto C = parseCount("--ops", S);
                        return C ? "" : llvm::toString(C.takeError());
                      },
                      "COUNT"));
  Sub.add_option("--tolerance", A->Tolerance,
                 "with --ops: the relative difference still counted as a match (0.05 or 5%)")
      ->check(CLI::Validator(
          [](std::string &S) -> std::string {
            auto F = parseFraction("--tolerance", S);
            return F ? "" : llvm::toString(F.takeError());
          },
          "FRACTION|PERCENT"))
      ->needs(Ops)
      ->capture_default_str();
  for (CLI::Option *O : {Peak, Hw, Fps, Util, Prec, Sparsity})
    Ops->excludes(O);
  Sub.add_option("-f,--format", A->Format, "output format: table or json")
      ->check(oneOf("--format", {"table", "json"}))
      ->capture_default_str();
  addShapeOptions(Sub, A->Shape);
  Sub.add_flag("-q,--quiet", A->Quiet, "do not print diagnostics or notes to stderr");
  return [A] { return run(*A); };
}

} // namespace opaudit::cli
