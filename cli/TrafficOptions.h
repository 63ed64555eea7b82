// Shared option registration: every command declares --dim, --input,
// --input-value, --batch, --precision, --utilization and the traffic options
// through these helpers, so that an option has one meaning, one help text and
// one CLI11 validator everywhere. The validators call the library's parsers
// (analyzer/Options.h), which the Python module uses too. A bad value is a
// usage error naming the option; a bad profile names its file and field.
#pragma once

#include "analyzer/Options.h"
#include "ir/PassManager.h"

#include <CLI/CLI.hpp>

namespace opaudit::cli {

/// The traffic options as given on the command line.
using TrafficArgs = TrafficSettings;

/// Declares --hw, --operating-point, --precision, --utilization, --sram,
/// --weight-dtype, --act-dtype and --schedule on Sub (not --batch: analyze
/// takes one, sweep a list).
void addTrafficOptions(CLI::App &Sub, TrafficArgs &A);

/// Checks the values, loads the profile and fills O; a user's profile that
/// breaks a consistency rule is warned about on stderr.
llvm::Error applyTrafficArgs(const TrafficArgs &A, AnalysisOptions &O);

/// The model-shape options as given: --dim, --input, --input-value.
struct ShapeArgs {
  std::vector<std::string> Dims;
  std::vector<std::string> Inputs;
  std::vector<std::string> InputValues;
};

/// Declares --dim, --input and --input-value (each repeatable, one value per occurrence).
void addShapeOptions(CLI::App &Sub, ShapeArgs &A);

/// Parses them into O.
llvm::Error applyShapeArgs(const ShapeArgs &A, AnalysisOptions &O);

/// Declares --batch COUNT (>= 1) with a command's own help text.
CLI::Option *addBatchOption(CLI::App &Sub, std::optional<int64_t> &Batch, const std::string &Help);

/// --precision: the catalog's precisions, the same set in every command.
CLI::Option *addPrecisionOption(CLI::App &Sub, std::string &Precision, const std::string &Help);

/// --utilization: 0.4 or 40%, in (0, 1].
CLI::Option *addUtilizationOption(CLI::App &Sub, std::optional<double> &U, const std::string &Help);

/// Validators wrapping the library's parsers (the message is the library's).
const CLI::Validator &dimValidator();
const CLI::Validator &inputValidator();
const CLI::Validator &inputValueValidator();
/// Turns "40%" into 0.4 and checks (0, 1].
const CLI::Validator &utilizationValidator();
/// A whole number >= Min ("--batch expects a whole number >= 1, got '0'").
CLI::Validator countAtLeast(const std::string &Opt, int64_t Min);
/// One of Values ("--schedule expects layer or sample, got 'x'"), with a did-you-mean.
CLI::Validator oneOf(const std::string &Opt, std::vector<std::string> Values);
/// A finite number > 0 (--peak-tops, --fps).
CLI::Validator positiveValue();
/// One of precisionNames().
const CLI::Validator &precisionValidator();

} // namespace opaudit::cli
