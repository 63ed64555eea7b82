// `opaudit claim MODEL --peak-tops T --fps F`: checks a vendor's throughput
// claim against the model's work. The claimed images/s times the ops per
// image (under the claim's convention, `tops` by default) gives the effective
// TOPS; the MACs per image times images/s over the peak MAC rate (peak TOPS
// divided by the convention's ops per MAC, halved for 2:4 "sparse TOPS") gives
// the MAC utilization. Above 100% the claim is impossible as stated, and the
// command says under which conventions' counting the numbers would fit. With
// --utilization instead of --fps it gives the images/s the peak allows.
#include "cli/ConventionCli.h"
#include "passes/Conventions.h"
#include "passes/Precision.h"
#include "reports/Report.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <cmath>

namespace opaudit::cli {

namespace {

struct ClaimArgs {
  std::string Model;
  double PeakTops = 0;
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

std::optional<int64_t> constOf(Expr E) { return E ? E.asConst() : std::nullopt; }

std::string pct(double F) { return llvm::formatv("{0:f1}%", F * 100).str(); }

int run(const ClaimArgs &A) {
  auto Usage = [](const llvm::Twine &Msg) {
    llvm::errs() << "opaudit: error: " << Msg << "\n";
    return static_cast<int>(kExitUsage);
  };
  if (A.Format != "table" && A.Format != "json")
    return Usage("unknown format '" + A.Format + "' (known: table, json)");
  if (!(A.PeakTops > 0))
    return Usage("--peak-tops must be > 0");
  if (A.Fps.has_value() == A.Utilization.has_value())
    return Usage("give exactly one of --fps (check a claim) and --utilization (derive images/s)");
  if (A.Fps && !(*A.Fps > 0))
    return Usage("--fps must be > 0");
  std::optional<double> Util;
  if (A.Utilization && !(Util = parseFraction(*A.Utilization)))
    return Usage("--utilization expects a fraction (0.4) or a percentage (40%), got '" +
                 *A.Utilization + "'");
  if (A.Batch < 1)
    return Usage("--batch must be >= 1");
  bool Sparse = false;
  if (A.Sparsity == "2:4")
    Sparse = true;
  else if (!A.Sparsity.empty() && A.Sparsity != "none" && A.Sparsity != "dense")
    return Usage("--sparsity supports '2:4' (sparse TOPS, twice the dense rate) or 'none', got '" +
                 A.Sparsity + "'");
  if (!A.Precision.empty() &&
      precisionLabel(dtypeFromString(A.Precision).value_or(DType::Undefined)) == "unknown")
    return Usage("--precision expects fp32, fp16, bf16, fp8, int8 or int4, got '" + A.Precision +
                 "'");
  auto Conv = loadConvention(A.Convention);
  if (!Conv)
    return reportError(Conv.takeError());
  if (Conv->OpsPerMac <= 0)
    return Usage("convention '" + Conv->Name + "' counts no ops per MAC; a TOPS claim needs one");

  AnalysisOptions Opts;
  if (auto E = parseDimArgs(A.Dims, Opts))
    return reportError(std::move(E));
  auto Lo = loadModel(A.Model);
  if (!Lo)
    return reportError(Lo.takeError());
  std::shared_ptr<const Model> M = std::move(*Lo);
  // A symbolic batch dim on the first input is bound to --batch.
  const Graph &G = M->Main;
  ValueId In0 = kNoValue;
  for (ValueId V : G.Inputs)
    if (G.value(V).Initializer < 0) {
      In0 = V;
      break;
    }
  if (In0 != kNoValue) {
    const auto &D = G.value(In0).Declared;
    if (D && D->HasShape && !D->Dims.empty() && !D->Dims[0].Param.empty() &&
        !Opts.Dims.count(D->Dims[0].Param))
      Opts.Dims[D->Dims[0].Param] = A.Batch;
  }
  auto An = Analysis::fromModel(M, Opts);
  AnalysisManager &AM = An->manager();
  const ShapeInfo &SI = AM.get<ShapeInference>();
  ConventionCounts CC = countOps(AM, *Conv);
  const MacCounts &MC = AM.get<MacCount>();
  printModelDiagnostics(AM, A.Quiet);
  auto Ops = constOf(CC.Total);
  auto Macs = constOf(MC.Total);
  if (!Ops || !Macs || *Macs <= 0)
    return Usage(A.Model + ": the model's " + (Macs ? "ops" : "MACs") +
                 " are not a known number (unknown shapes or unbound dims; see the "
                 "diagnostics, bind dims with --dim)");
  // Images one inference of the file processes (its batch dim).
  int64_t FileBatch = 1;
  if (In0 != kNoValue) {
    const TensorType &T = SI.Types[static_cast<size_t>(In0)];
    if (T.Dims && !T.Dims->empty())
      if (auto B = constOf((*T.Dims)[0]); B && *B > 0)
        FileBatch = *B;
  }
  if (FileBatch != A.Batch && !A.Quiet)
    llvm::errs() << A.Model << ": note: the model has a fixed batch of " << FileBatch
                 << "; per-image work is its total / " << FileBatch << ", at batch " << A.Batch
                 << " it is the same\n";
  double OpsPerImage = static_cast<double>(*Ops) / static_cast<double>(FileBatch);
  double MacsPerImage = static_cast<double>(*Macs) / static_cast<double>(FileBatch);
  double OpsPerInference = OpsPerImage * static_cast<double>(A.Batch);
  double DenseTops = Sparse ? A.PeakTops / 2 : A.PeakTops;
  double PeakMacRate = DenseTops * 1e12 / static_cast<double>(Conv->OpsPerMac);
  double Fps = A.Fps ? *A.Fps : *Util * PeakMacRate / MacsPerImage;
  double Utilization = MacsPerImage * Fps / PeakMacRate;
  double EffectiveTops = OpsPerImage * Fps / 1e12;
  bool Plausible = Utilization <= 1.0;

  // Under which conventions' counting would the peak cover the claimed rate?
  struct Fit {
    std::string Name;
    double Need; // fraction of the peak the claim needs if TOPS counted this way
  };
  std::vector<Fit> Fits;
  if (A.Fps)
    for (llvm::StringRef Name : builtinConventionNames()) {
      auto C = loadConvention(Name);
      if (!C)
        return reportError(C.takeError());
      auto T = constOf(countOps(AM, *C).Total);
      if (!T || *T <= 0)
        continue;
      double Need = static_cast<double>(*T) / FileBatch * Fps / (DenseTops * 1e12);
      if (Need <= 1.0)
        Fits.push_back({C->Name, Need});
    }

  // Precision read from the graph, against the claim's precision.
  const PrecisionInfo &PI = AM.get<Precision>();
  std::string Prec = A.Precision.empty() ? "" : precisionLabel(*dtypeFromString(A.Precision)).str();
  std::optional<int64_t> MacsAtPrec;
  if (!Prec.empty()) {
    auto It = PI.Macs.find(Prec);
    MacsAtPrec = It == PI.Macs.end() ? std::optional<int64_t>(0) : constOf(It->second);
    if (!A.Quiet && MacsAtPrec && *MacsAtPrec != *Macs) {
      std::string Graph;
      for (const auto &[P, E] : PI.Macs)
        Graph += (Graph.empty() ? "" : ", ") + P + " " +
                 pct(constOf(E).value_or(0) / static_cast<double>(*Macs));
      llvm::errs() << A.Model << ": note: the claim is for " << Prec << " but the graph's MACs are "
                   << Graph << "; assuming the part runs an equivalent " << Prec
                   << " model (the MAC count does not change)\n";
    }
  }

  auto &OS = llvm::outs();
  if (A.Format == "json") {
    llvm::json::OStream J(OS, 2);
    J.object([&] {
      J.attribute("schema_version", 1);
      J.attribute("model", A.Model);
      J.attributeObject("convention", [&] {
        J.attribute("name", Conv->Name);
        J.attribute("meaning", Conv->Meaning);
        J.attribute("ops_per_mac", Conv->OpsPerMac);
      });
      J.attribute("peak_tops", A.PeakTops);
      J.attribute("sparsity", Sparse ? "2:4" : "none");
      J.attribute("batch", A.Batch);
      J.attribute("fps", Fps);
      J.attribute("fps_claimed", A.Fps.has_value());
      J.attribute("ops_per_image", OpsPerImage);
      J.attribute("ops_per_inference", OpsPerInference);
      J.attribute("macs_per_image", MacsPerImage);
      J.attribute("effective_tops", EffectiveTops);
      J.attribute("peak_macs_per_second", PeakMacRate);
      J.attribute("mac_utilization", Utilization);
      J.attribute("plausible", Plausible);
      if (A.Fps)
        J.attributeArray("consistent_conventions", [&] {
          for (const Fit &F : Fits)
            J.object([&] {
              J.attribute("name", F.Name);
              J.attribute("utilization", F.Need);
            });
        });
      if (!Prec.empty()) {
        J.attribute("precision", Prec);
        if (MacsAtPrec)
          J.attribute("macs_at_precision", *MacsAtPrec);
        else
          J.attribute("macs_at_precision", nullptr);
      }
      J.attributeObject("graph_macs_by_precision", [&] {
        for (const auto &[P, E] : PI.Macs)
          if (auto V = constOf(E))
            J.attribute(P, *V);
          else
            J.attribute(P, nullptr);
      });
    });
    OS << "\n";
    return kExitOk;
  }

  auto Count = [](double V) {
    return humanCount(V) + " (" + groupDigits(static_cast<int64_t>(std::llround(V))) + ")";
  };
  OS << "model:              " << A.Model << "\n";
  OS << "claim:              " << llvm::formatv("{0}", A.PeakTops) << " TOPS peak"
     << (Sparse ? " (2:4 sparse: " + llvm::formatv("{0}", DenseTops).str() + " dense)" : "")
     << (Prec.empty() ? "" : " " + Prec) << ", "
     << (A.Fps ? llvm::formatv("{0:f2} images/s claimed", Fps).str()
               : llvm::formatv("{0} utilization given", pct(*Util)).str())
     << ", batch " << A.Batch << "\n";
  OS << "convention:         " << Conv->Name << ": " << Conv->Meaning << "\n";
  OS << "ops per image:      " << Count(OpsPerImage) << "\n";
  OS << "ops per inference:  " << Count(OpsPerInference) << " (batch " << A.Batch << ")\n";
  OS << "MACs per image:     " << Count(MacsPerImage) << "\n";
  if (!A.Fps)
    OS << "images/s:           " << llvm::formatv("{0:f2}", Fps) << " at " << pct(*Util)
       << " MAC utilization\n";
  OS << "effective TOPS:     " << llvm::formatv("{0:f2}", EffectiveTops)
     << " (ops/s the throughput implies, under '" << Conv->Name << "')\n";
  OS << "peak MAC/s:         " << humanCount(PeakMacRate) << " (" << llvm::formatv("{0}", DenseTops)
     << " dense TOPS / " << Conv->OpsPerMac << " ops per MAC)\n";
  OS << "MAC utilization:    " << pct(Utilization) << "\n";
  if (Plausible) {
    OS << "plausible:          yes\n";
    return kExitOk;
  }
  OS << "plausible:          NO: the claimed rate needs " << pct(Utilization)
     << " of the peak MAC rate, which is impossible\n";
  if (Fits.empty()) {
    OS << "consistent with:    no built-in convention (even counting 1 op per MAC the claim "
          "exceeds the peak)\n";
  } else {
    OS << "consistent with:    only if the quoted TOPS counted operations as ";
    for (size_t I = 0; I < Fits.size(); ++I)
      OS << (I ? ", " : "") << Fits[I].Name << " (" << pct(Fits[I].Need) << ")";
    OS << "\n";
  }
  return kExitOk;
}

} // namespace

RunFn setupClaim(CLI::App &Sub) {
  auto A = std::make_shared<ClaimArgs>();
  Sub.add_option("model", A->Model, "ONNX model file")->required();
  Sub.add_option("--peak-tops", A->PeakTops, "the part's quoted peak TOPS")->required();
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
