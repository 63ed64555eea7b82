// `opaudit hw list` and `opaudit hw show NAME|FILE`: the embedded hardware
// catalog (samples/hardware/*.yaml) as a table or JSON, and one profile with
// its dense peaks, memory, sources and consistency findings.
#include "cli/Commands.h"
#include "reports/HardwareReport.h"

#include "llvm/Support/raw_ostream.h"

namespace opaudit::cli {

namespace {
struct HwArgs {
  std::string Format = "table";
  std::string Name;
  std::string OperatingPoint;
};

llvm::Error checkFormat(const std::string &F) {
  if (F == "table" || F == "json")
    return llvm::Error::success();
  return makeError(ErrorCategory::Usage, "--format expects table or json, got '" + F + "'");
}
} // namespace

RunFn setupHw(CLI::App &Sub) {
  auto A = std::make_shared<HwArgs>();
  Sub.require_subcommand(1, 1);
  CLI::App *List = Sub.add_subcommand("list", "the built-in catalog, one row per part");
  List->add_option("--format,-f", A->Format, "table (default) or json");
  CLI::App *Show =
      Sub.add_subcommand("show", "one part: dense peaks per precision, memory, sources, notes");
  Show->add_option("name", A->Name, "catalog name (`opaudit hw list`) or profile file")->required();
  Show->add_option("--operating-point", A->OperatingPoint,
                   "operating point (default: the profile's first, nominal one)");
  Show->add_option("--format,-f", A->Format, "table (default) or json");
  return [A, List, Show]() -> int {
    if (llvm::Error E = checkFormat(A->Format))
      return reportError(std::move(E));
    bool Json = A->Format == "json";
    if (List->parsed()) {
      std::vector<HardwareProfile> Profiles;
      for (llvm::StringRef N : builtinHardwareNames()) {
        auto H = loadHardware(N);
        if (!H) // The catalog is tested; a bad embedded file is a bug.
          return reportError(makeError(ErrorCategory::Internal, llvm::toString(H.takeError())));
        Profiles.push_back(std::move(*H));
      }
      // Real parts first, the illustrative profiles (no sources) last.
      std::stable_partition(Profiles.begin(), Profiles.end(),
                            [](const HardwareProfile &H) { return !H.Sources.empty(); });
      writeHardwareList(Profiles, Json, llvm::outs());
      return static_cast<int>(kExitOk);
    }
    (void)Show;
    auto H = loadHardware(A->Name);
    if (!H)
      return reportError(H.takeError());
    const OperatingPoint *P = H->operatingPoint(A->OperatingPoint);
    if (!P) {
      std::string Names;
      for (const OperatingPoint &Q : H->OperatingPoints)
        Names += (Names.empty() ? "" : ", ") + Q.Name;
      return reportError(
          makeError(ErrorCategory::Usage, "hardware profile " + H->File +
                                              ": operating_points: no operating point '" +
                                              A->OperatingPoint + "' (known: " + Names + ")"));
    }
    std::vector<HwIssue> Issues = checkHardwareConsistency(*H);
    for (const HwIssue &I : Issues)
      llvm::errs() << "opaudit: warning: hardware profile " << H->File << ": " << I.str() << "\n";
    writeHardwareShow(*H, *P, Issues, Json, llvm::outs());
    return static_cast<int>(kExitOk);
  };
}

} // namespace opaudit::cli
