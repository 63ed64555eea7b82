// Hardware profiles: the description of an accelerator that the roofline
// bounds are computed for (MAC units per precision, the PVT operating points
// that set its clock, on-chip SRAM and DRAM bandwidth). Profiles are YAML
// files read with LLVM's YAML I/O; the schema is documented in
// docs/traffic-model.md. Every error names the file and the field.
#pragma once

#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace opaudit {

/// One PVT corner: the clock an accelerator reaches at a voltage, process and temperature.
struct OperatingPoint {
  std::string Name;
  double FrequencyMHz = 0;
  double Voltage = 0;
  std::string Process;
  double TemperatureC = 0;
};

/// A described accelerator. MAC unit counts are MACs per cycle; 0 means the
/// precision is not supported.
struct HardwareProfile {
  std::string Name;
  int64_t MacInt8 = 0, MacFp16 = 0, MacBf16 = 0, MacFp32 = 0;
  std::vector<OperatingPoint> OperatingPoints;
  int64_t SramBytes = 0;
  double DramBandwidthGBps = 0; ///< 1e9 bytes per second.

  /// MACs per cycle at a precision ("int8", "fp16", "bf16", "fp32"); nullopt for other names.
  std::optional<int64_t> macUnits(llvm::StringRef Precision) const;
  /// The operating point called Name; the first one when Name is empty.
  const OperatingPoint *operatingPoint(llvm::StringRef Name) const;
};

/// Parses and validates a profile. Errors are OpauditError (category Usage)
/// with one line "FILE: FIELD: problem" or "FILE:LINE:COL: problem".
llvm::Expected<HardwareProfile> parseHardwareProfile(llvm::StringRef Text, llvm::StringRef File);
/// Reads the file and parses it.
llvm::Expected<HardwareProfile> loadHardwareProfile(llvm::StringRef Path);

} // namespace opaudit
