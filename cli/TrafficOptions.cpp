// The shared option declarations and their CLI11 validators.
#include "cli/TrafficOptions.h"

#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace opaudit::cli {

namespace {
/// A validator whose check is one of the library's parsers: CLI11 shows the
/// parser's own message, prefixed with the option name.
CLI::Validator parserValidator(llvm::Error (*Parse)(llvm::StringRef, AnalysisOptions &),
                               const std::string &Desc) {
  return CLI::Validator(
      [Parse](std::string &S) -> std::string {
        AnalysisOptions Scratch;
        if (llvm::Error E = Parse(S, Scratch))
          return llvm::toString(std::move(E));
        return "";
      },
      Desc);
}
} // namespace

const CLI::Validator &dimValidator() {
  static const CLI::Validator V = parserValidator(parseDimOption, "NAME=VALUE");
  return V;
}
const CLI::Validator &inputValidator() {
  static const CLI::Validator V = parserValidator(parseInputOption, "NAME:D1xD2x...");
  return V;
}
const CLI::Validator &inputValueValidator() {
  static const CLI::Validator V = parserValidator(parseInputValueOption, "NAME=v1,v2,...");
  return V;
}
const CLI::Validator &utilizationValidator() {
  static const CLI::Validator V(
      [](std::string &S) -> std::string {
        auto U = parseUtilization(S);
        if (!U)
          return llvm::toString(U.takeError());
        S = std::to_string(*U);
        return "";
      },
      "FRACTION|PERCENT");
  return V;
}
const CLI::Validator &precisionValidator() {
  static const CLI::Validator V(
      [](std::string &S) -> std::string {
        if (llvm::Error E = checkPrecision(S))
          return llvm::toString(std::move(E));
        return "";
      },
      "PRECISION");
  return V;
}

CLI::Validator countAtLeast(const std::string &Opt, int64_t Min) {
  return CLI::Validator(
      [Opt, Min](std::string &S) -> std::string {
        int64_t N;
        if (llvm::StringRef(S).trim().getAsInteger(10, N) || N < Min)
          return Opt + " expects a whole number >= " + std::to_string(Min) + ", got '" + S + "'";
        return "";
      },
      "INT>=" + std::to_string(Min));
}

CLI::Validator oneOf(const std::string &Opt, std::vector<std::string> Values) {
  std::string Desc;
  for (size_t I = 0; I < Values.size(); ++I)
    Desc += (I == 0 ? "" : I + 1 == Values.size() ? " or " : ", ") + Values[I];
  return CLI::Validator(
      [Opt, Values, Desc](std::string &S) -> std::string {
        if (llvm::is_contained(Values, S))
          return "";
        return Opt + " expects " + Desc + ", got '" + S + "'" + didYouMean(S, Values);
      },
      Desc);
}

CLI::Validator positiveValue() {
  return CLI::Validator(
      [](std::string &S) -> std::string {
        double V;
        if (llvm::StringRef(S).trim().getAsDouble(V) || !(V > 0) || !std::isfinite(V))
          return "expects a number > 0, got '" + S + "'";
        return "";
      },
      "NUMBER>0");
}

void addShapeOptions(CLI::App &Sub, ShapeArgs &A) {
  Sub.add_option("--dim", A.Dims, "bind a symbolic dim: NAME=VALUE (repeatable)")
      ->check(dimValidator());
  Sub.add_option("--input", A.Inputs,
                 "override an input's shape: NAME:1x3x224x224, a dim may be a name (repeatable)")
      ->check(inputValidator());
  Sub.add_option("--input-value", A.InputValues,
                 "give the values of a shape-carrying input: NAME=v1,v2,... (repeatable)")
      ->check(inputValueValidator());
}

llvm::Error applyShapeArgs(const ShapeArgs &A, AnalysisOptions &O) {
  for (const std::string &D : A.Dims)
    if (llvm::Error E = parseDimOption(D, O))
      return E;
  for (const std::string &I : A.Inputs)
    if (llvm::Error E = parseInputOption(I, O))
      return E;
  for (const std::string &I : A.InputValues)
    if (llvm::Error E = parseInputValueOption(I, O))
      return E;
  return llvm::Error::success();
}

CLI::Option *addBatchOption(CLI::App &Sub, std::optional<int64_t> &Batch, const std::string &Help) {
  return Sub.add_option("--batch", Batch, Help)->check(countAtLeast("--batch", 1));
}

CLI::Option *addPrecisionOption(CLI::App &Sub, std::string &Precision, const std::string &Help) {
  std::string Names;
  for (llvm::StringRef N : precisionNames())
    Names += (Names.empty() ? "" : "|") + N.str();
  return Sub.add_option("--precision", Precision, Help + " (" + Names + ")")
      ->check(precisionValidator());
}

CLI::Option *addUtilizationOption(CLI::App &Sub, std::optional<double> &U,
                                  const std::string &Help) {
  return Sub.add_option("--utilization", U, Help)->transform(utilizationValidator());
}

void addTrafficOptions(CLI::App &Sub, TrafficArgs &A) {
  Sub.add_option("--hw", A.Hw,
                 "hardware: a catalog name (`opaudit hw list`) or a profile file, for roofline "
                 "bounds");
  Sub.add_option("--operating-point", A.OperatingPoint,
                 "operating point of the profile (default: its first)");
  addPrecisionOption(Sub, A.Precision,
                     "MAC precision (default: from --weight-dtype, else the precision the "
                     "graph's MACs declare)");
  addUtilizationOption(Sub, A.Utilization,
                       "fraction of peak MAC throughput assumed reachable: 0.4 or 40%, in (0, 1]");
  Sub.add_option("--sram", A.Sram, "on-chip SRAM in bytes (default: the profile's, else 0)")
      ->check(countAtLeast("--sram", 0));
  Sub.add_option("--weight-dtype", A.WeightDType,
                 "count weights at this dtype: int8|int4|fp16|bf16|fp32 (default: stored)");
  Sub.add_option("--act-dtype", A.ActDType,
                 "count floating-point activations at this dtype (default: inferred)");
  Sub.add_option("--schedule", A.Schedule,
                 "how a batch runs: layer (the whole batch layer by layer) or sample (pipelined "
                 "sample by sample, weights kept for the batch)")
      ->check(oneOf("--schedule", {"layer", "sample"}))
      ->capture_default_str();
}

llvm::Error applyTrafficArgs(const TrafficArgs &A, AnalysisOptions &O) {
  std::vector<std::string> Warnings;
  llvm::Error E = applyTrafficSettings(A, O, &Warnings);
  for (const std::string &W : Warnings)
    llvm::errs() << "opaudit: warning: " << W << "\n";
  return E;
}

} // namespace opaudit::cli
