// Claim arithmetic. The claimed images/s times the ops per image (under the
// claim's convention) gives the effective TOPS; the MACs per image times
// images/s over the peak MAC rate gives the MAC utilization. The peak MAC rate
// is the dense peak divided by the ops per MAC it was counted with: the
// claim convention's for a quoted figure (halved first for 2:4 sparse TOPS),
// the catalog's (2) for a part. The same rate checked against every built-in
// convention tells under which counting the quoted TOPS would cover it.
#include "analyzer/Claim.h"
#include "analyzer/Options.h"
#include "passes/Conventions.h"
#include "passes/Precision.h"
#include "passes/Roofline.h"

#include "llvm/Support/FormatVariadic.h"

#include <cmath>

namespace opaudit {

namespace {
std::optional<int64_t> constOf(Expr E) { return E ? E.asConst() : std::nullopt; }
std::string pct(double F) { return llvm::formatv("{0:f1}%", F * 100).str(); }
llvm::Error usage(const llvm::Twine &Msg) { return makeError(ErrorCategory::Usage, Msg); }
} // namespace

llvm::StringRef plausibilityName(Plausibility P) {
  switch (P) {
  case Plausibility::Plausible:
    return "plausible";
  case Plausibility::High:
    return "high";
  case Plausibility::Exceptional:
    return "exceptional";
  case Plausibility::Impossible:
    return "impossible";
  }
  return "";
}

Plausibility gradeUtilization(double U) {
  if (U > 1.0)
    return Plausibility::Impossible;
  if (U > 0.8)
    return Plausibility::Exceptional;
  if (U > 0.6)
    return Plausibility::High;
  return Plausibility::Plausible;
}

std::string plausibilityText(double U) {
  switch (gradeUtilization(U)) {
  case Plausibility::Impossible:
    return "NO: the claimed rate needs " + pct(U) + " of the peak MAC rate, which is impossible";
  case Plausibility::Exceptional:
    return "exceptional: " + pct(U) +
           " of the peak MAC rate is above what published results reach (MLPerf ResNet-50: "
           "36-56%); cite a source that measured it";
  case Plausibility::High:
    return "yes, but high: " + pct(U) +
           " of the peak MAC rate (above 60%; published ResNet-50 results reach 36-56%)";
  case Plausibility::Plausible:
    break;
  }
  return "yes";
}

namespace {
/// Images one inference of the file processes: the first data input's batch dim.
int64_t fileBatch(Analysis &A) {
  const Graph &G = A.model().Main;
  const ShapeInfo &SI = A.get<ShapeInference>();
  for (ValueId V : G.Inputs) {
    if (G.value(V).Initializer >= 0)
      continue;
    const TensorType &T = SI.Types[static_cast<size_t>(V)];
    if (T.Dims && !T.Dims->empty())
      if (auto B = constOf((*T.Dims)[0]); B && *B > 0)
        return *B;
    break;
  }
  return 1;
}
} // namespace

llvm::Expected<OpsCheck> checkOpsClaim(Analysis &A, double QuotedOps, double Tolerance) {
  if (!(QuotedOps > 0))
    return usage("--ops must be > 0");
  if (!(Tolerance >= 0))
    return usage("--tolerance must be >= 0");
  OpsCheck R;
  R.Quoted = QuotedOps;
  R.Tolerance = Tolerance;
  R.FileBatch = fileBatch(A);
  for (llvm::StringRef Name : builtinConventionNames()) {
    auto C = loadConvention(Name);
    if (!C)
      return C.takeError();
    auto T = constOf(countOps(A.manager(), *C).Total);
    if (!T)
      continue;
    OpsMatch M;
    M.Name = C->Name;
    M.OpsPerImage = static_cast<double>(*T) / static_cast<double>(R.FileBatch);
    M.Deviation = (M.OpsPerImage - QuotedOps) / QuotedOps;
    M.Matches = std::fabs(M.Deviation) <= Tolerance;
    R.Conventions.push_back(std::move(M));
  }
  if (R.Conventions.empty())
    return usage(A.model().Path +
                 ": the model's operations are not a known number under any convention (unknown "
                 "shapes or unbound dims; see the diagnostics, bind dims with --dim)");
  std::stable_sort(R.Conventions.begin(), R.Conventions.end(),
                   [](const OpsMatch &X, const OpsMatch &Y) {
                     return std::fabs(X.Deviation) < std::fabs(Y.Deviation);
                   });
  return R;
}

llvm::Expected<ClaimResult> evaluateClaim(Analysis &A, const ClaimInputs &In) {
  if (In.PeakTops.has_value() == (In.Hardware != nullptr))
    return usage("give exactly one of --peak-tops and --hw");
  if (In.PeakTops && !(*In.PeakTops > 0))
    return usage("--peak-tops must be > 0");
  if (In.Fps.has_value() == In.Utilization.has_value())
    return usage("give exactly one of --fps (check a claim) and --utilization (derive images/s)");
  if (In.Fps && !(*In.Fps > 0))
    return usage("--fps must be > 0");
  if (In.Utilization && !(*In.Utilization > 0))
    return usage("--utilization must be > 0");
  if (In.Batch < 1)
    return usage("--batch must be >= 1");
  if (In.Sparse && In.Hardware)
    return usage("--sparsity applies to --peak-tops; with --hw the catalog's dense peak is used");
  if (llvm::Error E = checkPrecision(In.Precision))
    return std::move(E);
  Convention Conv;
  if (In.ClaimConvention) {
    Conv = *In.ClaimConvention;
  } else {
    auto C = loadConvention("tops");
    if (!C)
      return C.takeError();
    Conv = std::move(*C);
  }
  if (Conv.OpsPerMac <= 0)
    return usage("convention '" + Conv.Name + "' counts no ops per MAC; a TOPS claim needs one");

  AnalysisManager &AM = A.manager();
  const Model &M = A.model();
  ClaimResult R;
  R.ConventionName = Conv.Name;
  R.ConventionMeaning = Conv.Meaning;
  R.ConventionOpsPerMac = Conv.OpsPerMac;
  R.Batch = In.Batch;
  R.Sparse = In.Sparse;
  ConventionCounts CC = countOps(AM, Conv);
  auto Ops = constOf(CC.Total);
  auto Macs = constOf(AM.get<MacCount>().Total);
  if (!Ops || !Macs || *Macs <= 0)
    return usage(M.Path + ": the model's " + (Macs ? "ops" : "MACs") +
                 " are not a known number (unknown shapes or unbound dims; see the "
                 "diagnostics, bind dims with --dim)");
  R.OpsTotal = *Ops;
  R.MacsTotal = *Macs;

  R.FileBatch = fileBatch(A);
  if (R.FileBatch != In.Batch)
    R.Notes.push_back(llvm::formatv("note: the model has a fixed batch of {0}; per-image work is "
                                    "its total / {0}, at batch {1} it is the same",
                                    R.FileBatch, In.Batch)
                          .str());
  double FB = static_cast<double>(R.FileBatch);
  R.OpsPerImage = static_cast<double>(*Ops) / FB;
  R.MacsPerImage = static_cast<double>(*Macs) / FB;
  R.OpsPerInference = R.OpsPerImage * static_cast<double>(In.Batch);

  // Precision: given, else the one the graph's MACs declare (only needed for a part).
  const PrecisionInfo &PI = AM.get<Precision>();
  for (const auto &[P, E] : PI.Macs)
    R.GraphMacsByPrecision[P] = constOf(E);
  if (!In.Precision.empty()) {
    R.Precision = In.Precision; // One of precisionNames(), the labels PrecisionInfo uses.
  } else if (In.Hardware) {
    R.Precision = declaredPrecision(PI);
    R.PrecisionFromGraph = true;
  }
  if (!R.Precision.empty()) {
    auto It = PI.Macs.find(R.Precision);
    R.MacsAtPrecision = It == PI.Macs.end() ? std::optional<int64_t>(0) : constOf(It->second);
    if (R.MacsAtPrecision && *R.MacsAtPrecision != *Macs) {
      std::string Split;
      for (const auto &[P, E] : PI.Macs)
        Split += (Split.empty() ? "" : ", ") + P + " " +
                 pct(constOf(E).value_or(0) / static_cast<double>(*Macs));
      R.Notes.push_back("note: the claim is for " + R.Precision + " but the graph's MACs are " +
                        Split + "; assuming the part runs an equivalent " + R.Precision +
                        " model (the MAC count does not change)");
    }
  }

  // The peak.
  if (In.PeakTops) {
    R.QuotedTops = *In.PeakTops;
    R.DenseTops = In.Sparse ? *In.PeakTops / 2 : *In.PeakTops;
    R.PeakOpsPerMac = static_cast<double>(Conv.OpsPerMac);
    R.PeakBasis = "quoted";
  } else {
    const HardwareProfile &H = *In.Hardware;
    const OperatingPoint *P = H.operatingPoint(In.OperatingPoint);
    if (!P)
      return usage("hardware profile " + H.Name + ": operating_points: no operating point '" +
                   In.OperatingPoint + "'");
    if (!H.macUnits(R.Precision))
      return usage("--precision: '" + R.Precision + "' is not a precision hardware profiles use");
    HardwareProfile::DensePeak DP = H.densePeak(R.Precision, *P);
    if (!DP.Tops || !(*DP.Tops > 0))
      return usage("hardware profile " + H.Name + ": peak." + R.Precision +
                   ": no dense peak for precision " + R.Precision + " at " + P->Name +
                   " (choose another with --precision, or give --peak-tops)");
    R.QuotedTops = *DP.Tops;
    R.DenseTops = *DP.Tops;
    R.PeakOpsPerMac = DP.OpsPerMac > 0 ? DP.OpsPerMac : 2;
    R.PeakBasis = H.Name + " " + R.Precision + " dense at " + P->Name + " (" + DP.Basis + ")";
  }
  R.PeakMacsPerSecond = R.DenseTops * 1e12 / R.PeakOpsPerMac;
  R.FpsClaimed = In.Fps.has_value();
  R.Fps = In.Fps ? *In.Fps : *In.Utilization * R.PeakMacsPerSecond / R.MacsPerImage;
  R.MacUtilization = R.MacsPerImage * R.Fps / R.PeakMacsPerSecond;
  R.EffectiveTops = R.OpsPerImage * R.Fps / 1e12;
  R.Grade = gradeUtilization(R.MacUtilization);

  // The fraction of the quoted peak the rate needs under each convention's counting.
  for (llvm::StringRef Name : builtinConventionNames()) {
    auto C = loadConvention(Name);
    if (!C)
      return C.takeError();
    auto T = constOf(countOps(AM, *C).Total);
    if (!T || *T <= 0)
      continue;
    R.Conventions.push_back({C->Name, static_cast<double>(*T) / FB * R.Fps / (R.DenseTops * 1e12)});
  }
  return R;
}

} // namespace opaudit
