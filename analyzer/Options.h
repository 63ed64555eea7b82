// Option parsing and checking shared by the CLI and the Python module. The
// text forms of --dim, --input, --input-value, --batch, --precision,
// --utilization and the traffic options become AnalysisOptions here, once, so
// that an option means the same thing, with the same accepted values, in every
// command and in `opaudit.analyze`. checkOptionsAgainstModel then checks the
// names those options use against the loaded model. Every error is an
// OpauditError of category Usage (exit 2) naming the option.
#pragma once

#include "ir/IR.h"
#include "ir/PassManager.h"

#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace opaudit {

/// --dim NAME=VALUE (VALUE an integer >= 0) into O.Dims.
llvm::Error parseDimOption(llvm::StringRef Spec, AnalysisOptions &O);
/// --input NAME:D1xD2x... (a dim is an integer >= 0 or a symbol name) into O.InputShapes.
llvm::Error parseInputOption(llvm::StringRef Spec, AnalysisOptions &O);
/// --input-value NAME=v1,v2,... into O.InputValues.
llvm::Error parseInputValueOption(llvm::StringRef Spec, AnalysisOptions &O);
/// --utilization: "0.4" or "40%", a fraction in (0, 1].
llvm::Expected<double> parseUtilization(llvm::StringRef Text);
/// A fraction or percentage in (0, 1] for option \p Opt ("0.05" or "5%").
llvm::Expected<double> parseFraction(llvm::StringRef Opt, llvm::StringRef Text);
/// A count with an optional SI suffix for option \p Opt: "8.2G", "400M", "4.1e9"
/// (k/K 1e3, M 1e6, G 1e9, T 1e12, P 1e15); > 0.
llvm::Expected<double> parseCount(llvm::StringRef Opt, llvm::StringRef Text);
/// The values --precision accepts in every command (the hardware catalog's).
llvm::ArrayRef<llvm::StringRef> precisionNames();
/// Usage error unless P is empty or one of precisionNames().
llvm::Error checkPrecision(llvm::StringRef P);
/// --batch: a count >= 1.
llvm::Error checkBatch(int64_t B);

/// The traffic and hardware options as given (--hw, --operating-point,
/// --precision, --utilization, --sram, --weight-dtype, --act-dtype, --schedule).
struct TrafficSettings {
  std::string Hw;
  std::string OperatingPoint;
  std::string Precision;
  std::string WeightDType;
  std::string ActDType;
  std::optional<int64_t> Sram;
  std::optional<double> Utilization; ///< A fraction (parseUtilization turns "40%" into 0.4).
  std::string Schedule = "layer";
};

/// Checks the values, loads the hardware profile and fills O. A user's
/// profile file that breaks a consistency rule is still used; its findings go
/// to \p Warnings (one line each, without the "opaudit: warning: " prefix).
llvm::Error applyTrafficSettings(const TrafficSettings &A, AnalysisOptions &O,
                                 std::vector<std::string> *Warnings = nullptr);

/// Checks the names O uses against M: every --dim names a symbolic dim of the
/// model (or one an --input shape introduces), every --input and --input-value
/// names a graph input, an --input has the input's declared rank, and --batch
/// does not contradict a --dim on the batch dim. The error names the file,
/// lists the valid names and suggests the closest one.
llvm::Error checkOptionsAgainstModel(const Model &M, const AnalysisOptions &O);

/// The candidate closest to Name when it is close enough to be a likely typo
/// (edit distance at most a third of the name rounded up, and at least 1); else nullopt.
std::optional<std::string> closestName(llvm::StringRef Name,
                                       llvm::ArrayRef<std::string> Candidates);

/// "; did you mean 'X'?" or "": the suffix every did-you-mean message uses.
std::string didYouMean(llvm::StringRef Name, llvm::ArrayRef<std::string> Candidates);

} // namespace opaudit
