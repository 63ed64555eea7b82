// The claim check as a library function: given an Analysis of a model and a
// vendor's throughput claim (images/s, or a MAC utilization to turn into
// images/s) against a peak (a quoted TOPS figure, or a catalog part's dense
// peak at a precision), it computes the effective TOPS, the MAC utilization,
// a graded plausibility verdict and the utilization the claim would need
// under every built-in counting convention. `opaudit claim` only parses its
// options, calls evaluateClaim and prints the result; `opaudit ledger` uses
// the same arithmetic through its own entry point.
#pragma once

#include "analyzer/Analysis.h"
#include "passes/ConventionFile.h"

#include <map>

namespace opaudit {

/// What a claim states.
struct ClaimInputs {
  /// The peak: exactly one of a quoted TOPS figure and a hardware profile.
  std::optional<double> PeakTops;
  const HardwareProfile *Hardware = nullptr;
  std::string OperatingPoint; ///< Of Hardware; empty = nominal.
  /// Exactly one of a claimed rate and an assumed utilization (a fraction).
  std::optional<double> Fps;
  std::optional<double> Utilization;
  int64_t Batch = 1;
  /// How the quoted TOPS count operations (default: the built-in `tops`).
  std::optional<Convention> ClaimConvention;
  /// Precision of the peak; empty: the precision the graph's MACs declare.
  std::string Precision;
  bool Sparse = false; ///< PeakTops is a 2:4 sparse figure (only with PeakTops).
};

/// The graded verdict: above 100% of the peak impossible, above 80%
/// exceptional (a source that measured it should be cited), above 60% high.
enum class Plausibility { Plausible, High, Exceptional, Impossible };
llvm::StringRef plausibilityName(Plausibility P);
Plausibility gradeUtilization(double U);
/// One line saying what the grade means for utilization U.
std::string plausibilityText(double U);

/// The utilization a claim would need if the quoted TOPS counted operations
/// as convention Name does.
struct ConventionNeed {
  std::string Name;
  double Utilization = 0;
  bool operator==(const ConventionNeed &) const = default;
};

struct ClaimResult {
  std::string ConventionName, ConventionMeaning;
  int64_t ConventionOpsPerMac = 2;
  double QuotedTops = 0; ///< The peak as given or as the catalog states it.
  double DenseTops = 0;  ///< Dense peak the utilization is taken against.
  double PeakOpsPerMac = 2;
  std::string PeakBasis; ///< "quoted", or "t4 int8 dense at nominal (stated)".
  std::string Precision; ///< Precision of the peak ("" when none was given or found).
  bool PrecisionFromGraph = false;
  bool Sparse = false;
  int64_t Batch = 1;
  int64_t FileBatch = 1; ///< Images one inference of the file processes.
  double OpsPerImage = 0, OpsPerInference = 0, MacsPerImage = 0;
  int64_t OpsTotal = 0, MacsTotal = 0; ///< Of one inference of the file.
  double Fps = 0;
  bool FpsClaimed = false;
  double EffectiveTops = 0; ///< Under the claim's convention.
  double PeakMacsPerSecond = 0;
  double MacUtilization = 0;
  Plausibility Grade = Plausibility::Plausible;
  /// Every built-in convention with a known total, in catalog order.
  std::vector<ConventionNeed> Conventions;
  std::optional<int64_t> MacsAtPrecision; ///< With a precision.
  std::map<std::string, std::optional<int64_t>> GraphMacsByPrecision;
  std::vector<std::string> Notes; ///< For stderr: batch and precision notes.
  bool plausible() const { return Grade != Plausibility::Impossible; }
};

/// One convention's count against a quoted operation count (claim --ops).
struct OpsMatch {
  std::string Name;
  double OpsPerImage = 0;
  double Deviation = 0; ///< (OpsPerImage - quoted) / quoted.
  bool Matches = false; ///< |Deviation| <= the tolerance.
};

/// A quoted operation count ("ResNet-50 is 8.2 GOPs") checked against every
/// built-in convention: the ones whose per-image count lies within the
/// tolerance are the ones that can have produced it.
struct OpsCheck {
  double Quoted = 0;
  double Tolerance = 0;
  int64_t FileBatch = 1;
  std::vector<OpsMatch> Conventions; ///< Closest first.
  bool matched() const {
    return llvm::any_of(Conventions, [](const OpsMatch &M) { return M.Matches; });
  }
};

/// Checks a quoted per-image operation count against every built-in
/// convention's total on A. Usage error when the model's work is unknown.
llvm::Expected<OpsCheck> checkOpsClaim(Analysis &A, double QuotedOps, double Tolerance);

/// Evaluates the claim on A (whose options bind the batch). Errors are
/// OpauditError, category Usage, for inconsistent inputs or a model whose
/// work is not a known number.
llvm::Expected<ClaimResult> evaluateClaim(Analysis &A, const ClaimInputs &In);

} // namespace opaudit
