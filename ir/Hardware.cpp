// YAML mapping of hardware profiles (LLVM YAML I/O) and their validation.
// YAML I/O reports syntax and type errors through a diagnostic handler; they
// are caught here and turned into one line naming the file, so that a bad
// profile never prints a multi-line caret diagnostic or aborts.
#include "ir/Hardware.h"
#include "ir/Diagnostics.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLTraits.h"

#include <cmath>

using opaudit::HardwareProfile;
using opaudit::OperatingPoint;

LLVM_YAML_IS_SEQUENCE_VECTOR(OperatingPoint)

namespace {
/// The mac_units mapping is a nested object in the file but flat fields in the struct.
struct MacUnits {
  int64_t Int8 = 0, Fp16 = 0, Bf16 = 0, Fp32 = 0;
};
} // namespace

namespace llvm::yaml {
template <> struct MappingTraits<MacUnits> {
  static void mapping(IO &IO, MacUnits &M) {
    IO.mapOptional("int8", M.Int8, int64_t(0));
    IO.mapOptional("fp16", M.Fp16, int64_t(0));
    IO.mapOptional("bf16", M.Bf16, int64_t(0));
    IO.mapOptional("fp32", M.Fp32, int64_t(0));
  }
};

template <> struct MappingTraits<OperatingPoint> {
  static void mapping(IO &IO, OperatingPoint &P) {
    IO.mapRequired("name", P.Name);
    IO.mapRequired("frequency_mhz", P.FrequencyMHz);
    IO.mapRequired("voltage", P.Voltage);
    IO.mapRequired("process", P.Process);
    IO.mapRequired("temperature_c", P.TemperatureC);
  }
};

template <> struct MappingTraits<HardwareProfile> {
  static void mapping(IO &IO, HardwareProfile &H) {
    IO.mapRequired("name", H.Name);
    MacUnits M{H.MacInt8, H.MacFp16, H.MacBf16, H.MacFp32};
    IO.mapRequired("mac_units", M);
    H.MacInt8 = M.Int8, H.MacFp16 = M.Fp16, H.MacBf16 = M.Bf16, H.MacFp32 = M.Fp32;
    IO.mapRequired("operating_points", H.OperatingPoints);
    IO.mapRequired("sram_bytes", H.SramBytes);
    IO.mapRequired("dram_bandwidth_gbps", H.DramBandwidthGBps);
  }
};
} // namespace llvm::yaml

namespace opaudit {

std::optional<int64_t> HardwareProfile::macUnits(llvm::StringRef P) const {
  if (P == "int8")
    return MacInt8;
  if (P == "fp16")
    return MacFp16;
  if (P == "bf16")
    return MacBf16;
  if (P == "fp32")
    return MacFp32;
  return std::nullopt;
}

const OperatingPoint *HardwareProfile::operatingPoint(llvm::StringRef N) const {
  if (OperatingPoints.empty())
    return nullptr;
  if (N.empty())
    return &OperatingPoints.front();
  for (const OperatingPoint &P : OperatingPoints)
    if (P.Name == N)
      return &P;
  return nullptr;
}

namespace {
/// The key whose value starts before column Col of Line ("fp32" in "{fp32: ten}"), or "".
std::string keyBefore(llvm::StringRef Line, size_t Col) {
  llvm::StringRef Head = Line.take_front(Col).rtrim();
  size_t Colon = Head.rfind(':');
  if (Colon == llvm::StringRef::npos)
    return "";
  llvm::StringRef Key = Head.take_front(Colon).rtrim();
  size_t Start = Key.find_last_of(" \t{,-");
  return Key.drop_front(Start == llvm::StringRef::npos ? 0 : Start + 1).str();
}

void diagHandler(const llvm::SMDiagnostic &D, void *Ctx) {
  auto *Out = static_cast<std::string *>(Ctx);
  if (!Out->empty())
    return;
  *Out = std::to_string(D.getLineNo()) + ":" + std::to_string(D.getColumnNo() + 1) + ": ";
  // Value errors ("invalid number") do not name their key; the source line does.
  llvm::StringRef Msg = D.getMessage();
  if (!Msg.contains("key '") && D.getColumnNo() >= 0) {
    std::string Key = keyBefore(D.getLineContents(), static_cast<size_t>(D.getColumnNo()));
    if (!Key.empty())
      *Out += Key + ": ";
  }
  *Out += Msg.str();
}

llvm::Error fieldError(llvm::StringRef File, const llvm::Twine &Field, const llvm::Twine &Msg) {
  return makeError(ErrorCategory::Usage, "hardware profile " + File + ": " + Field + ": " + Msg);
}

bool positiveFinite(double X) { return std::isfinite(X) && X > 0; }
} // namespace

llvm::Expected<HardwareProfile> parseHardwareProfile(llvm::StringRef Text, llvm::StringRef File) {
  HardwareProfile H;
  std::string Diag;
  llvm::yaml::Input In(Text, nullptr, diagHandler, &Diag);
  In >> H;
  if (In.error() || !Diag.empty())
    return makeError(ErrorCategory::Usage,
                     "hardware profile " + File + ":" +
                         (Diag.empty() ? std::string(" not a YAML mapping") : Diag));
  if (H.Name.empty())
    return fieldError(File, "name", "must not be empty");
  const std::pair<const char *, int64_t> Units[] = {
      {"int8", H.MacInt8}, {"fp16", H.MacFp16}, {"bf16", H.MacBf16}, {"fp32", H.MacFp32}};
  bool Any = false;
  for (auto [Key, V] : Units) {
    if (V < 0)
      return fieldError(File, llvm::Twine("mac_units.") + Key, "must be >= 0");
    Any |= V > 0;
  }
  if (!Any)
    return fieldError(File, "mac_units", "at least one precision needs MAC units > 0");
  if (H.OperatingPoints.empty())
    return fieldError(File, "operating_points", "needs at least one operating point");
  for (size_t I = 0; I < H.OperatingPoints.size(); ++I) {
    const OperatingPoint &P = H.OperatingPoints[I];
    std::string F = "operating_points[" + std::to_string(I) + "]";
    if (P.Name.empty())
      return fieldError(File, F + ".name", "must not be empty");
    for (size_t J = 0; J < I; ++J)
      if (H.OperatingPoints[J].Name == P.Name)
        return fieldError(File, F + ".name", "'" + P.Name + "' is used twice");
    if (!positiveFinite(P.FrequencyMHz))
      return fieldError(File, F + ".frequency_mhz", "must be > 0");
    if (!positiveFinite(P.Voltage))
      return fieldError(File, F + ".voltage", "must be > 0");
  }
  if (H.SramBytes < 0)
    return fieldError(File, "sram_bytes", "must be >= 0");
  if (!positiveFinite(H.DramBandwidthGBps))
    return fieldError(File, "dram_bandwidth_gbps", "must be > 0");
  return H;
}

llvm::Expected<HardwareProfile> loadHardwareProfile(llvm::StringRef Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return makeError(ErrorCategory::Usage,
                     "hardware profile " + Path + ": cannot read: " + Buf.getError().message());
  return parseHardwareProfile((*Buf)->getBuffer(), Path);
}

} // namespace opaudit
