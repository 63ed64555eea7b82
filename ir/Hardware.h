// Hardware profiles: the description of an accelerator that the roofline
// bounds are computed for (MAC units and stated peaks per precision, the
// operating points that set its clock, on-chip SRAM, DRAM capacity and
// bandwidth) together with the sources every figure comes from. Profiles are
// YAML, schema v2 (docs/hardware.md), of which v1 (docs/traffic-model.md) is
// a subset. The catalog of real parts, samples/hardware/*.yaml, is embedded
// in the binary. Every load error names the file and the field, on one line.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace opaudit {

/// One figure of a profile: its value in the key's base unit (nullopt =
/// unknown or null) and, for a sourced value, where it comes from.
struct HwFigure {
  std::optional<double> Value;
  std::vector<std::string> Sources; ///< Ids in HardwareProfile::Sources.
  std::string Derived;              ///< The arithmetic that produced it, if any.
  std::string Note;
  bool Given = false; ///< The key is present (possibly null).
  bool Plain = false; ///< Written as a bare number, not as {value: ...}.
};

/// A stated peak at one precision, in TOPS (1e12 ops/s).
struct HwPeak {
  HwFigure Dense, Sparse; ///< Given is false for a key that is absent.
  double OpsPerMac = 2;   ///< How the vendor counts a MAC in this figure.
  std::string Note;
};

/// Peaks by precision name ("int8", "fp16", ...).
using HwPeaks = std::map<std::string, HwPeak>;

/// One operating point: the conditions (clock, and optionally voltage,
/// process corner, temperature, power) a figure holds at.
struct OperatingPoint {
  std::string Name;
  double FrequencyMHz = 0; ///< Clock of the MAC units; 0 when not published.
  std::optional<double> Voltage;
  std::string Process;
  std::optional<double> TemperatureC;
  std::optional<double> PowerW;
  HwPeaks Peak;                            ///< Peaks stated for this point only.
  std::optional<double> DramBandwidthGBps; ///< Overrides the profile's at this point.
  std::string Note;
  std::string FrequencyKey = "frequency_mhz"; ///< The key the file used, for messages.
  HwFigure Frequency, Power, Bandwidth;       ///< As written (sources, notes).

  /// "name (1830 MHz, 0.9 V, TT, 25 C, 700 W)" with only the known parts.
  std::string describe() const;
};

struct HwSource {
  std::string Id, Url, Doc, Title, Date, Kind, States;
};

/// A described accelerator.
struct HardwareProfile {
  std::string Name, Title, Vendor, Kind;
  std::string File;        ///< Where it was read from ("builtin:NAME" for the catalog).
  std::string CatalogName; ///< The name `--hw` takes for a catalog file (its file name).
  int Schema = 0;          ///< 0 when the file does not say.
  std::map<std::string, HwFigure> MacUnits;  ///< Dense MACs per cycle by precision.
  HwPeaks Peak;                              ///< Stated at the nominal (first) point.
  std::map<std::string, HwFigure> VectorOps; ///< Elementwise results per cycle.
  std::string VectorConvention = "flops";
  double EfficiencyMac = 1, EfficiencyVector = 1, EfficiencyMemory = 1;
  std::vector<OperatingPoint> OperatingPoints;
  HwFigure SramBytes, DramBytes, DramBandwidthGBps;
  std::string MemoryType;
  HwFigure BusWidthBits, DataRateMTs;
  std::string HostLinkType;
  HwFigure HostLinkGBps;
  std::vector<HwSource> Sources;
  std::vector<std::string> Notes;

  /// Dense MACs per cycle at a precision: 0 when not given or null; nullopt
  /// for a name that is not a precision.
  std::optional<int64_t> macUnits(llvm::StringRef Precision) const;
  /// The operating point called Name; the first (nominal) one when Name is empty.
  const OperatingPoint *operatingPoint(llvm::StringRef Name) const;
  bool isNominal(const OperatingPoint &P) const;
  /// On-chip bytes the traffic model may use; 0 when unknown.
  int64_t sramBytes() const;
  /// DRAM bandwidth at a point (its override, else the profile's), in 1e9 B/s.
  std::optional<double> dramBandwidthGBps(const OperatingPoint &P) const;

  /// The dense peak at a precision and point, and how it was obtained.
  struct DensePeak {
    std::optional<double> Tops;       ///< Dense TOPS; nullopt when unknown.
    std::optional<double> SparseTops; ///< The stated sparse figure, if any.
    double OpsPerMac = 2;
    std::string Basis; ///< "stated", "mac_units x clock", "scaled by clock", or "".
  };
  /// The stated dense peak of the point (its own, or the profile's at the
  /// nominal point), else mac_units x clock x 2, else the nominal stated peak
  /// scaled by the clock ratio.
  DensePeak densePeak(llvm::StringRef Precision, const OperatingPoint &P) const;
  /// MACs per second for the roofline: mac_units x clock when both are known,
  /// else the dense peak / ops per MAC; nullopt when neither is known.
  std::optional<double> macRate(llvm::StringRef Precision, const OperatingPoint &P) const;
};

/// The precision names a profile may use, narrowest first.
llvm::ArrayRef<llvm::StringRef> hardwarePrecisions();

/// A consistency or catalog-rule finding: the field and what is wrong.
struct HwIssue {
  std::string Field, Message;
  std::string str() const { return Field + ": " + Message; }
};

/// The consistency rules of docs/hardware.md: stated dense peak = MAC units x
/// clock x ops per MAC within 2%; DRAM bandwidth = bus width / 8 x data rate
/// within 2%; dense <= sparse <= 2 x dense within 2%. Errors in the catalog's
/// tests, warnings for a user's file.
std::vector<HwIssue> checkHardwareConsistency(const HardwareProfile &H);
/// The catalog's extra rules: name = file name, every figure sourced or
/// derived, every null explained, every source complete and used ids defined.
std::vector<HwIssue> checkCatalogRules(const HardwareProfile &H, llvm::StringRef FileStem);

/// Parses and validates a profile. Errors are OpauditError (category Usage)
/// with one line "hardware profile FILE: FIELD: problem" or
/// "hardware profile FILE:LINE:COL: FIELD: problem".
llvm::Expected<HardwareProfile> parseHardwareProfile(llvm::StringRef Text, llvm::StringRef File);
/// Reads the file and parses it.
llvm::Expected<HardwareProfile> loadHardwareProfile(llvm::StringRef Path);

/// The embedded catalog (samples/hardware/*.yaml): file stems, sorted.
llvm::ArrayRef<llvm::StringRef> builtinHardwareNames();
/// The embedded text of a catalog file; empty for an unknown name.
llvm::StringRef builtinHardwareText(llvm::StringRef Name);
/// A catalog name or a file path.
llvm::Expected<HardwareProfile> loadHardware(llvm::StringRef NameOrPath);

/// Parses "4MiB", "3.35TB/s", "1830MHz", "130TOPS", "6400MT/s", "72W" or a
/// plain number into the base unit of Kind: "size" bytes, "bandwidth" GB/s
/// (1e9 B/s), "frequency" MHz, "rate" TOPS, "datarate" MT/s, "power" W,
/// "count" (no unit allowed).
llvm::Expected<double> parseHardwareQuantity(llvm::StringRef Text, llvm::StringRef Kind);

} // namespace opaudit
