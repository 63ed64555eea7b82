// `hw list` and `hw show` writers. Peaks are dense and counted at the
// vendor's ops per MAC (2 unless the profile says otherwise); a sparse figure
// is shown beside the dense one and never replaces it.
#include "reports/HardwareReport.h"
#include "reports/Report.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <cmath>

namespace opaudit {

namespace {

/// "1979", "989.4", "2614.9", "0.6": at most one decimal unless the value is small.
std::string num(double V) {
  if (V != 0 && std::fabs(V) < 1)
    return llvm::formatv("{0}", llvm::format("%.3g", V)).str();
  std::string S = llvm::formatv("{0:f1}", V).str();
  if (llvm::StringRef(S).endswith(".0"))
    S.resize(S.size() - 2);
  return S;
}

/// Bytes as the largest binary or decimal unit that divides them exactly, else decimal with %g.
std::string sizeText(double B) {
  struct U {
    const char *Name;
    double Scale;
  } Units[] = {{"TiB", 1099511627776.0}, {"TB", 1e12}, {"GiB", 1073741824.0}, {"GB", 1e9},
               {"MiB", 1048576.0},       {"MB", 1e6},  {"KiB", 1024.0},       {"kB", 1e3}};
  for (const U &X : Units)
    if (B >= X.Scale && std::fmod(B, X.Scale) == 0)
      return num(B / X.Scale) + " " + X.Name;
  for (const U &X : Units)
    if (B >= X.Scale && (X.Name[1] == 'B'))
      return num(B / X.Scale) + " " + X.Name;
  return num(B) + " B";
}

std::string opt(const HwFigure &F, const char *Unit) {
  return F.Value ? num(*F.Value) + Unit : std::string("-");
}

/// A figure as the shortest decimal that round-trips at 12 significant digits
/// (989.4, not 989.39999999999998): profile figures have at most a few.
void number(llvm::json::OStream &J, llvm::StringRef Key, double V) {
  if (std::fabs(V) < 9e15 && V == std::floor(V)) {
    J.attribute(Key, static_cast<int64_t>(V));
    return;
  }
  J.attributeBegin(Key);
  J.rawValue(llvm::formatv("{0}", llvm::format("%.12g", V)).str());
  J.attributeEnd();
}

void optionalNumber(llvm::json::OStream &J, llvm::StringRef Key, std::optional<double> V) {
  if (!V)
    J.attribute(Key, nullptr);
  else
    number(J, Key, *V);
}

std::optional<double> value(const HwFigure &F) { return F.Value; }

} // namespace

void writeHardwareList(llvm::ArrayRef<HardwareProfile> Profiles, bool Json, llvm::raw_ostream &OS) {
  if (Json) {
    llvm::json::OStream J(OS, 2);
    J.array([&] {
      for (const HardwareProfile &H : Profiles) {
        const OperatingPoint &P = *H.operatingPoint("");
        J.object([&] {
          J.attribute("name", H.CatalogName.empty() ? H.Name : H.CatalogName);
          J.attribute("title", H.Title);
          J.attribute("vendor", H.Vendor);
          J.attribute("kind", H.Kind);
          J.attribute("illustrative", H.Sources.empty());
          J.attributeObject("peak_tops", [&] {
            for (llvm::StringRef Prec : hardwarePrecisions())
              if (auto D = H.densePeak(Prec, P); D.Tops)
                number(J, Prec, *D.Tops);
          });
          optionalNumber(J, "dram_bandwidth_gbps", H.dramBandwidthGBps(P));
          optionalNumber(J, "dram_bytes", value(H.DramBytes));
          optionalNumber(J, "sram_bytes", value(H.SramBytes));
        });
      }
    });
    OS << "\n";
    return;
  }
  OS << llvm::formatv("{0,-28}{1,-6}{2,+12}{3,+12}{4,+11}{5,+12}  {6}\n", "name", "kind",
                      "int8 TOPS", "DRAM GB/s", "DRAM", "on-chip", "title");
  OS << std::string(110, '-') << "\n";
  for (const HardwareProfile &H : Profiles) {
    const OperatingPoint &P = *H.operatingPoint("");
    auto D = H.densePeak("int8", P);
    auto BW = H.dramBandwidthGBps(P);
    std::string Title =
        H.Sources.empty() ? "(illustrative, not a real part: " + H.Name + ")" : H.Title;
    OS << llvm::formatv(
        "{0,-28}{1,-6}{2,+12}{3,+12}{4,+11}{5,+12}  {6}\n",
        H.CatalogName.empty() ? H.Name : H.CatalogName, H.Kind.empty() ? "-" : H.Kind,
        D.Tops ? num(*D.Tops) : "-", BW ? num(*BW) : "-",
        H.DramBytes.Value ? sizeText(*H.DramBytes.Value) : "-",
        H.SramBytes.Value && *H.SramBytes.Value > 0 ? sizeText(*H.SramBytes.Value) : "-", Title);
  }
  OS << "\nint8 TOPS are dense at 2 ops per MAC and the nominal operating point; "
        "`opaudit hw show NAME` gives every precision, the sources and the notes.\n";
}

void writeHardwareShow(const HardwareProfile &H, const OperatingPoint &P,
                       llvm::ArrayRef<HwIssue> Issues, bool Json, llvm::raw_ostream &OS) {
  auto BW = H.dramBandwidthGBps(P);
  if (Json) {
    llvm::json::OStream J(OS, 2);
    J.object([&] {
      J.attribute("name", H.Name);
      J.attribute("title", H.Title);
      J.attribute("vendor", H.Vendor);
      J.attribute("kind", H.Kind);
      J.attribute("file", H.File);
      J.attributeObject("operating_point", [&] {
        J.attribute("name", P.Name);
        J.attribute("nominal", H.isNominal(P));
        optionalNumber(J, "frequency_mhz",
                       P.FrequencyMHz > 0 ? std::optional<double>(P.FrequencyMHz) : std::nullopt);
        optionalNumber(J, "voltage", P.Voltage);
        if (P.Process.empty())
          J.attribute("process", nullptr);
        else
          J.attribute("process", P.Process);
        optionalNumber(J, "temperature_c", P.TemperatureC);
        optionalNumber(J, "power_w", P.PowerW);
      });
      J.attributeArray("operating_points", [&] {
        for (const OperatingPoint &Q : H.OperatingPoints)
          J.value(Q.Name);
      });
      J.attributeObject("peak_tops", [&] {
        for (llvm::StringRef Prec : hardwarePrecisions())
          if (auto D = H.densePeak(Prec, P); D.Tops)
            number(J, Prec, *D.Tops);
      });
      J.attributeObject("peak_basis", [&] {
        for (llvm::StringRef Prec : hardwarePrecisions())
          if (auto D = H.densePeak(Prec, P); D.Tops)
            J.attribute(Prec, D.Basis);
      });
      J.attributeObject("sparse_tops", [&] {
        for (llvm::StringRef Prec : hardwarePrecisions())
          if (auto D = H.densePeak(Prec, P); D.SparseTops)
            number(J, Prec, *D.SparseTops);
      });
      J.attributeObject("mac_units", [&] {
        for (const auto &[Prec, F] : H.MacUnits)
          if (F.Value)
            J.attribute(Prec, static_cast<int64_t>(std::llround(*F.Value)));
      });
      J.attributeObject("vector_ops_per_cycle", [&] {
        for (const auto &[Prec, F] : H.VectorOps)
          if (F.Value)
            J.attribute(Prec, static_cast<int64_t>(std::llround(*F.Value)));
      });
      optionalNumber(J, "dram_bandwidth_gbps", BW);
      optionalNumber(J, "dram_bytes", value(H.DramBytes));
      optionalNumber(J, "sram_bytes", value(H.SramBytes));
      J.attributeObject("memory", [&] {
        J.attribute("type", H.MemoryType);
        optionalNumber(J, "bus_width_bits", value(H.BusWidthBits));
        optionalNumber(J, "data_rate_mts", value(H.DataRateMTs));
      });
      J.attributeObject("efficiency", [&] {
        J.attribute("mac", H.EfficiencyMac);
        J.attribute("vector", H.EfficiencyVector);
        J.attribute("memory", H.EfficiencyMemory);
      });
      J.attributeArray("sources", [&] {
        for (const HwSource &S : H.Sources)
          J.object([&] {
            J.attribute("id", S.Id);
            if (!S.Url.empty())
              J.attribute("url", S.Url);
            if (!S.Doc.empty())
              J.attribute("doc", S.Doc);
            J.attribute("title", S.Title);
            J.attribute("date", S.Date);
            J.attribute("kind", S.Kind);
            J.attribute("states", S.States);
          });
      });
      J.attributeArray("notes", [&] {
        for (const std::string &N : H.Notes)
          J.value(N);
      });
      J.attributeArray("consistency", [&] {
        for (const HwIssue &I : Issues)
          J.object([&] {
            J.attribute("field", I.Field);
            J.attribute("message", I.Message);
          });
      });
    });
    OS << "\n";
    return;
  }
  OS << "name:             " << H.Name << "\n";
  if (!H.Title.empty())
    OS << "title:            " << H.Title
       << (H.Vendor.empty() && H.Kind.empty()
               ? ""
               : " (" + H.Vendor + (H.Vendor.empty() || H.Kind.empty() ? "" : ", ") + H.Kind + ")")
       << "\n";
  OS << "file:             " << H.File << "\n";
  std::string Others;
  for (const OperatingPoint &Q : H.OperatingPoints)
    if (Q.Name != P.Name)
      Others += (Others.empty() ? "" : ", ") + Q.Name;
  OS << "operating point:  " << P.describe() << (H.isNominal(P) ? " [nominal]" : "")
     << (Others.empty() ? "" : "; others: " + Others) << "\n";
  OS << "peak (dense):\n";
  bool Any = false;
  for (llvm::StringRef Prec : hardwarePrecisions()) {
    auto D = H.densePeak(Prec, P);
    if (!D.Tops && !D.SparseTops)
      continue;
    Any = true;
    OS << llvm::formatv("  {0,-6}{1,+10} TOPS  {2}", Prec, D.Tops ? num(*D.Tops) : "?",
                        D.Tops ? D.Basis : "unknown: only a sparse figure is stated");
    if (D.SparseTops)
      OS << " (sparse " << num(*D.SparseTops) << ")";
    if (D.OpsPerMac != 2)
      OS << " (counts " << num(D.OpsPerMac) << " ops per MAC)";
    OS << "\n";
  }
  if (!Any)
    OS << "  none known at this operating point\n";
  std::string Macs;
  for (const auto &[Prec, F] : H.MacUnits)
    if (F.Value && *F.Value > 0)
      Macs += (Macs.empty() ? "" : ", ") + Prec + " " + groupDigits(std::llround(*F.Value));
  OS << "MAC units:        " << (Macs.empty() ? "- (not published)" : Macs + " per cycle") << "\n";
  std::string Vec;
  for (const auto &[Prec, F] : H.VectorOps)
    if (F.Value && *F.Value > 0)
      Vec += (Vec.empty() ? "" : ", ") + Prec + " " + groupDigits(std::llround(*F.Value));
  if (!Vec.empty())
    OS << "vector ops:       " << Vec << " per cycle\n";
  OS << "DRAM:             " << (H.DramBytes.Value ? sizeText(*H.DramBytes.Value) : "-") << ", "
     << (BW ? num(*BW) + " GB/s" : "bandwidth unknown");
  if (!H.MemoryType.empty() || H.BusWidthBits.Value)
    OS << " (" << H.MemoryType << (H.BusWidthBits.Value ? ", " + opt(H.BusWidthBits, "-bit") : "")
       << (H.DataRateMTs.Value ? ", " + opt(H.DataRateMTs, " MT/s") : "") << ")";
  OS << "\n";
  OS << "on-chip:          " << (H.SramBytes.Value ? sizeText(*H.SramBytes.Value) : "-") << "\n";
  if (!H.HostLinkType.empty())
    OS << "host link:        " << H.HostLinkType
       << (H.HostLinkGBps.Value ? ", " + num(*H.HostLinkGBps.Value) + " GB/s" : "") << "\n";
  if (!H.Sources.empty()) {
    OS << "sources:\n";
    for (const HwSource &S : H.Sources) {
      OS << "  [" << S.Id << "] " << S.Kind << ": " << S.Title
         << (S.Date.empty() ? "" : " (" + S.Date + ")") << "\n";
      OS << "      " << (S.Url.empty() ? S.Doc : S.Url) << "\n";
      OS << "      states: " << S.States << "\n";
    }
  }
  if (!H.Notes.empty()) {
    OS << "notes:\n";
    for (const std::string &N : H.Notes)
      OS << "  - " << N << "\n";
  }
  if (Issues.empty()) {
    OS << "consistency:      ok (peak = MAC units x clock x 2 and bandwidth = bus x data rate, "
          "within 2%, where both are given)\n";
  } else {
    OS << "consistency:\n";
    for (const HwIssue &I : Issues)
      OS << "  - " << I.str() << "\n";
  }
}

} // namespace opaudit
