// The traffic and hardware options shared by `analyze` and `sweep`
// (--hw, --operating-point, --precision, --utilization, --sram,
// --weight-dtype, --act-dtype, --schedule), and their checks. A bad value is a usage
// error naming the option; a bad profile names its file and field.
#pragma once

#include "ir/PassManager.h"

#include <CLI/CLI.hpp>

namespace opaudit::cli {

struct TrafficArgs {
  std::string Hw;
  std::string OperatingPoint;
  std::string Precision;
  std::string WeightDType;
  std::string ActDType;
  std::optional<int64_t> Sram;
  std::optional<double> Utilization;
  std::string Schedule = "layer";
};

/// Declares the options on Sub (not --batch: analyze takes one, sweep a list).
void addTrafficOptions(CLI::App &Sub, TrafficArgs &A);

/// Checks the values, loads the profile and fills O.
llvm::Error applyTrafficArgs(const TrafficArgs &A, AnalysisOptions &O);

} // namespace opaudit::cli
