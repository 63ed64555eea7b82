// The ledger of published results (samples/ledger/*.yaml, embedded in the
// binary; format in docs/hardware.md, "The ledger") and the table the article
// argues for: for every measured result whose model is a bundled sample, the
// quoted dense TOPS of the part it ran on, the TOPS it delivered (rate x 2 x
// the bundled graph's MACs) and the MAC utilization that follows. Results that
// cannot be evaluated (no bundled model, no dense peak, an LLM tokens/s
// figure) are kept with the reason.
#pragma once

#include "analyzer/Analysis.h"

#include <functional>
#include <map>

namespace opaudit {

struct LedgerSource {
  std::string Id, Url, Title, Date, Kind, States;
};

struct LedgerEntry {
  std::string Id, Part, Model, ModelSample, Task, Scenario, Precision;
  int64_t Accelerators = 1;
  std::optional<int64_t> Batch;
  double Figure = 0;
  std::string Unit; ///< samples/s, fps, ms (90th-percentile latency) or tokens/s.
  std::string Round, Published, Division, Submitter, System, Source, Path, Verified, Notes;
  std::string OperatingPoint; ///< Empty: the part's nominal point.
  bool PrecisionChecked = true;
  /// quoted_peak: replaces the catalog's peak (part of a chip).
  bool HasQuotedPeak = false;
  std::optional<double> QuotedDense, QuotedSparse;
  std::string QuotedDerived, QuotedNote;
  std::string File; ///< The ledger file it came from ("builtin:NAME").
};

struct Ledger {
  std::vector<LedgerEntry> Entries;
  std::map<std::string, LedgerSource> Sources; ///< By id, across files.
};

/// Parses one ledger file; errors are OpauditError (Usage) naming the file and field.
llvm::Expected<Ledger> parseLedger(llvm::StringRef Text, llvm::StringRef File);
/// The embedded ledger files, in name order, merged.
llvm::Expected<Ledger> builtinLedger();

/// One evaluated result.
struct LedgerRow {
  const LedgerEntry *Entry = nullptr;
  const LedgerSource *Source = nullptr;
  std::optional<double> Rate;       ///< Inferences/s per accelerator.
  std::optional<int64_t> Macs;      ///< Of one inference of the bundled model.
  std::optional<double> QuotedTops; ///< Dense, per accelerator.
  std::string PeakBasis;            ///< "catalog (stated)", "ledger: 6 TOPS / 3 cores", ...
  std::optional<double> DeliveredTops;
  std::optional<double> Utilization; ///< Delivered / quoted dense.
  std::string Reason;                ///< Why the row is not evaluated; empty when it is.
  bool evaluated() const { return Utilization.has_value(); }
};

/// MACs of one inference of a bundled model, by its model_sample path.
using SampleMacs = std::function<llvm::Expected<int64_t>(llvm::StringRef ModelSample)>;

/// The MACs of the model at Root/ModelSample, through Analysis::open.
SampleMacs sampleMacsUnder(std::string Root);

/// Evaluates every entry; rows follow the ledger order.
std::vector<LedgerRow> evaluateLedger(const Ledger &L, const SampleMacs &Macs);

} // namespace opaudit
