// `opaudit claim MODEL (--peak-tops T | --hw PART) (--fps F | --utilization U)`:
// checks a vendor's throughput claim against the model's work. The arithmetic
// is analyzer/Claim (evaluateClaim); this file parses the options, calls it
// and prints the result. Exit code 1 when the claim is impossible (it needs
// more than the peak), so that a CI script can use the command as a check.
#include "analyzer/Claim.h"
#include "cli/ConventionCli.h"
#include "reports/Report.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <cmath>

namespace opaudit::cli {

namespace {

struct ClaimArgs {
  std::string Model;
  std::optional<double> PeakTops;
  std::string Hw;
  std::string OperatingPoint;
  std::optional<double> Fps;
  std::optional<std::string> Utilization;
  int64_t Batch = 1;
  std::string Convention = "tops";
  std::string Precision;
  std::string Sparsity;
  std::string Format = "table";
  std::vector<std::string> Dims;
  bool Quiet = false;
};

/// "0.21", "21%" -> 0.21.
std::optional<double> parseFraction(llvm::StringRef S) {
  bool Percent = S.consume_back("%");
  double V;
  if (S.trim().getAsDouble(V) || V <= 0)
    return std::nullopt;
  return Percent ? V / 100 : V;
}

std::string pct(double F) { return llvm::formatv("{0:f1}%", F * 100).str(); }

void writeJson(const ClaimArgs &A, const ClaimResult &R, llvm::raw_ostream &OS) {
  llvm::json::OStream J(OS, 2);
  J.object([&] {
    J.attribute("schema_version", 1);
    J.attribute("model", A.Model);
    J.attributeObject("convention", [&] {
      J.attribute("name", R.ConventionName);
      J.attribute("meaning", R.ConventionMeaning);
      J.attribute("ops_per_mac", R.ConventionOpsPerMac);
    });
    J.attribute("peak_tops", R.QuotedTops);
    J.attribute("dense_tops", R.DenseTops);
    J.attribute("peak_basis", R.PeakBasis);
    if (!A.Hw.empty())
      J.attribute("hardware", A.Hw);
    J.attribute("sparsity", R.Sparse ? "2:4" : "none");
    J.attribute("batch", R.Batch);
    J.attribute("fps", R.Fps);
    J.attribute("fps_claimed", R.FpsClaimed);
    J.attribute("ops_per_image", R.OpsPerImage);
    J.attribute("ops_per_inference", R.OpsPerInference);
    J.attribute("macs_per_image", R.MacsPerImage);
    J.attribute("effective_tops", R.EffectiveTops);
    J.attribute("peak_macs_per_second", R.PeakMacsPerSecond);
    J.attribute("mac_utilization", R.MacUtilization);
    J.attribute("plausible", R.plausible());
    J.attribute("plausibility", plausibilityName(R.Grade));
    J.attributeArray("conventions", [&] {
      for (const ConventionNeed &C : R.Conventions)
        J.object([&] {
          J.attribute("name", C.Name);
          J.attribute("utilization", C.Utilization);
        });
    });
    if (R.FpsClaimed)
      J.attributeArray("consistent_conventions", [&] {
        for (const ConventionNeed &C : R.Conventions)
          if (C.Utilization <= 1.0)
            J.object([&] {
              J.attribute("name", C.Name);
              J.attribute("utilization", C.Utilization);
            });
      });
    if (!R.Precision.empty()) {
      J.attribute("precision", R.Precision);
      J.attribute("precision_from_graph", R.PrecisionFromGraph);
      if (R.MacsAtPrecision)
        J.attribute("macs_at_precision", *R.MacsAtPrecision);
      else
        J.attribute("macs_at_precision", nullptr);
    }
    J.attributeObject("graph_macs_by_precision", [&] {
      for (const auto &[P, V] : R.GraphMacsByPrecision)
        if (V)
          J.attribute(P, *V);
        else
          J.attribute(P, nullptr);
    });
  });
  OS << "\n";
}

void writeTable(const ClaimArgs &A, const ClaimResult &R, llvm::raw_ostream &OS) {
  auto Count = [](double V) {
    return humanCount(V) + " (" + groupDigits(static_cast<int64_t>(std::llround(V))) + ")";
  };
  std::string Prec =
      R.Precision.empty() ? "" : " " + R.Precision + (R.PrecisionFromGraph ? " (the graph's)" : "");
  OS << "model:              " << A.Model << "\n";
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

int run(const ClaimArgs &A) {
  auto Usage = [](const llvm::Twine &Msg) {
    llvm::errs() << "opaudit: error: " << Msg << "\n";
    return static_cast<int>(kExitUsage);
  };
  if (A.Format != "table" && A.Format != "json")
    return Usage("unknown format '" + A.Format + "' (known: table, json)");
  if (A.PeakTops.has_value() == !A.Hw.empty())
    return Usage("give exactly one of --peak-tops (a quoted figure) and --hw (a catalog part or "
                 "profile file)");
  if (A.Fps.has_value() == A.Utilization.has_value())
    return Usage("give exactly one of --fps (check a claim) and --utilization (derive images/s)");
  if (!A.OperatingPoint.empty() && A.Hw.empty())
    return Usage("--operating-point needs --hw");
  ClaimInputs In;
  In.PeakTops = A.PeakTops;
  In.Fps = A.Fps;
  if (A.Utilization && !(In.Utilization = parseFraction(*A.Utilization)))
    return Usage("--utilization expects a fraction (0.4) or a percentage (40%), got '" +
                 *A.Utilization + "'");
  In.Batch = A.Batch;
  if (A.Sparsity == "2:4")
    In.Sparse = true;
  else if (!A.Sparsity.empty() && A.Sparsity != "none" && A.Sparsity != "dense")
    return Usage("--sparsity supports '2:4' (sparse TOPS, twice the dense rate) or 'none', got '" +
                 A.Sparsity + "'");
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

  AnalysisOptions Opts;
  if (auto E = parseDimArgs(A.Dims, Opts))
    return reportError(std::move(E));
  // --batch binds a symbolic batch dim (Analysis's bindBatch).
  if (A.Batch >= 1)
    Opts.Batch = A.Batch;
  auto An = Analysis::open(A.Model, Opts);
  if (!An)
    return reportError(An.takeError());
  printModelDiagnostics((*An)->manager(), A.Quiet);
  auto R = evaluateClaim(**An, In);
  if (!R)
    return reportError(R.takeError());
  if (!A.Quiet)
    for (const std::string &N : R->Notes)
      llvm::errs() << A.Model << ": " << N << "\n";
  if (A.Format == "json")
    writeJson(A, *R, llvm::outs());
  else
    writeTable(A, *R, llvm::outs());
  return R->plausible() ? kExitOk : kExitClaimImpossible;
}

} // namespace

RunFn setupClaim(CLI::App &Sub) {
  auto A = std::make_shared<ClaimArgs>();
  Sub.add_option("model", A->Model, "ONNX model file")->required();
  Sub.add_option("--peak-tops", A->PeakTops, "the part's quoted peak TOPS");
  Sub.add_option("--hw", A->Hw,
                 "instead of --peak-tops: a catalog part (`opaudit hw list`) or a profile file; "
                 "its dense peak at --precision (default: the graph's) is used");
  Sub.add_option("--operating-point", A->OperatingPoint,
                 "with --hw: the operating point (default: the part's nominal one)");
  Sub.add_option("--fps", A->Fps,
                 "claimed throughput in images (inferences of batch 1) per second");
  Sub.add_option("--utilization", A->Utilization,
                 "instead of --fps: a MAC utilization (0.4 or 40%); prints the images/s it gives");
  Sub.add_option("--batch", A->Batch, "batch size of the claim (binds a symbolic batch dim)")
      ->capture_default_str();
  Sub.add_option("--claim-convention", A->Convention,
                 "how the quoted TOPS count operations: a built-in name or a convention file")
      ->capture_default_str();
  Sub.add_option("--precision", A->Precision, "precision of the quoted TOPS (int8, fp16, ...)");
  Sub.add_option("--sparsity", A->Sparsity, "'2:4' when the quoted TOPS are sparse TOPS");
  Sub.add_option("-f,--format", A->Format, "output format: table or json")->capture_default_str();
  Sub.add_option("--dim", A->Dims, "bind a symbolic dim: NAME=VALUE (repeatable)");
  Sub.add_flag("-q,--quiet", A->Quiet, "do not print diagnostics or notes to stderr");
  return [A] { return run(*A); };
}

} // namespace opaudit::cli
