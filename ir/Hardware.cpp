// Reads hardware profiles (schema v2, docs/hardware.md) with LLVM's YAML
// parser rather than YAML I/O: a figure may be a plain number, a number with a
// unit, null, or a {value, source, derived, note} mapping, and an unknown key
// must be reported with a did-you-mean, neither of which YAML I/O's fixed
// mappings allow. Errors are kept as one line naming the file and the field;
// the parser never prints. The built-in catalog is embedded by CMake
// (cmake/EmbedConventions.cmake) into BuiltinHardware.inc.
#include "ir/Hardware.h"
#include "ir/Diagnostics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace opaudit {

namespace {

struct Builtin {
  llvm::StringRef Name;
  llvm::StringRef Text;
};
#include "BuiltinHardware.inc" // defines kBuiltinHardware[]

constexpr llvm::StringRef kPrecisions[] = {"int4", "int8", "fp8", "fp16", "bf16", "tf32", "fp32"};

constexpr llvm::StringRef kTopKeys[] = {"schema",
                                        "name",
                                        "title",
                                        "vendor",
                                        "kind",
                                        "mac_units",
                                        "peak",
                                        "vector_ops_per_cycle",
                                        "vector_convention",
                                        "efficiency",
                                        "operating_points",
                                        "sram_bytes",
                                        "dram_bytes",
                                        "dram_bandwidth",
                                        "dram_bandwidth_gbps",
                                        "memory",
                                        "host_link",
                                        "sources",
                                        "notes"};
constexpr llvm::StringRef kPointKeys[] = {
    "name",          "frequency", "frequency_mhz", "voltage",        "process",
    "temperature_c", "power",     "peak",          "dram_bandwidth", "note"};
constexpr llvm::StringRef kFigureKeys[] = {"value", "source", "derived", "note"};
constexpr llvm::StringRef kPeakKeys[] = {"dense", "sparse", "ops_per_mac", "note"};
constexpr llvm::StringRef kSourceKeys[] = {"id", "url", "doc", "title", "date", "kind", "states"};
constexpr llvm::StringRef kMemoryKeys[] = {"type", "bus_width_bits", "data_rate"};
constexpr llvm::StringRef kHostKeys[] = {"type", "bandwidth", "note"};
constexpr llvm::StringRef kEffKeys[] = {"mac", "vector", "memory"};
constexpr llvm::StringRef kKinds[] = {"gpu", "npu", "cpu", "soc", "asic"};

/// " (did you mean 'x'?)" for the closest known key within edit distance 2, else "".
std::string didYouMean(llvm::StringRef Key, llvm::ArrayRef<llvm::StringRef> Known) {
  llvm::StringRef Best;
  unsigned BestD = 3;
  for (llvm::StringRef K : Known) {
    unsigned D = Key.edit_distance(K, /*AllowReplacements=*/true, /*MaxEditDistance=*/3);
    if (D < BestD) {
      BestD = D;
      Best = K;
    }
  }
  return Best.empty() ? "" : " (did you mean '" + Best.str() + "'?)";
}

struct Unit {
  llvm::StringLiteral Name;
  double Scale;
};
// Scales to the base unit of each kind (see parseHardwareQuantity).
constexpr Unit kSizeUnits[] = {{"B", 1},
                               {"kB", 1e3},
                               {"KB", 1e3},
                               {"MB", 1e6},
                               {"GB", 1e9},
                               {"TB", 1e12},
                               {"KiB", 1024.0},
                               {"MiB", 1048576.0},
                               {"GiB", 1073741824.0},
                               {"TiB", 1099511627776.0}};
constexpr Unit kFreqUnits[] = {{"Hz", 1e-6}, {"kHz", 1e-3}, {"MHz", 1}, {"GHz", 1e3}};
constexpr Unit kRateUnits[] = {{"OPS", 1e-12},   {"GOPS", 1e-3},   {"TOPS", 1},   {"POPS", 1e3},
                               {"FLOPS", 1e-12}, {"GFLOPS", 1e-3}, {"TFLOPS", 1}, {"PFLOPS", 1e3}};
constexpr Unit kDataRateUnits[] = {{"MT/s", 1}, {"GT/s", 1e3}, {"Mbps", 1}, {"Gbps", 1e3}};
constexpr Unit kPowerUnits[] = {{"mW", 1e-3}, {"W", 1}};

std::optional<double> lookupUnit(llvm::ArrayRef<Unit> Units, llvm::StringRef U) {
  for (const Unit &X : Units)
    if (X.Name == U)
      return X.Scale;
  return std::nullopt;
}

std::string unitList(llvm::ArrayRef<Unit> Units, llvm::StringRef Suffix = "") {
  std::string S;
  for (const Unit &X : Units)
    S += (S.empty() ? "" : ", ") + X.Name.str() + Suffix.str();
  return S;
}

llvm::Error profileError(llvm::StringRef File, const llvm::Twine &Field, const llvm::Twine &Msg) {
  return makeError(ErrorCategory::Usage, "hardware profile " + File + ": " + Field + ": " + Msg);
}

bool positiveFinite(double X) { return std::isfinite(X) && X > 0; }

class Reader {
public:
  Reader(llvm::StringRef Text, llvm::StringRef File)
      : File(File.str()), Stream(Text, SM, /*ShowColors=*/false) {
    SM.setDiagHandler(
        [](const llvm::SMDiagnostic &D, void *Ctx) {
          auto *Self = static_cast<Reader *>(Ctx);
          if (Self->Syntax.empty())
            Self->Syntax = std::to_string(D.getLineNo()) + ":" +
                           std::to_string(D.getColumnNo() + 1) + ": " + D.getMessage().str();
        },
        this);
  }

  llvm::Expected<HardwareProfile> read() {
    H.File = File;
    auto Doc = Stream.begin();
    llvm::yaml::Node *RootNode = Doc == Stream.end() ? nullptr : Doc->getRoot();
    if (!Syntax.empty() || Stream.failed())
      return syntaxError();
    auto *Root = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(RootNode);
    if (!Root) {
      if (!Syntax.empty())
        return syntaxError();
      return makeError(ErrorCategory::Usage, "hardware profile " + File + ": not a YAML mapping");
    }
    std::set<std::string> Seen;
    forEachKey(Root, "", kTopKeys, [&](const std::string &Key, llvm::yaml::Node *V) {
      Seen.insert(Key);
      topKey(Key, V);
    });
    if (!Syntax.empty() || Stream.failed())
      return syntaxError();
    if (Failed)
      return makeError(ErrorCategory::Usage, ErrMsg);
    for (const char *Req : {"name", "operating_points"})
      if (!Seen.count(Req))
        return profileError(File, Req, llvm::Twine("missing required key '") + Req + "'");
    if (!Seen.count("dram_bandwidth") && !Seen.count("dram_bandwidth_gbps"))
      return profileError(File, "dram_bandwidth_gbps",
                          "missing required key 'dram_bandwidth_gbps' (or 'dram_bandwidth'; "
                          "write null for a part without DRAM)");
    if (Seen.count("dram_bandwidth") && Seen.count("dram_bandwidth_gbps"))
      return profileError(File, "dram_bandwidth",
                          "give either dram_bandwidth or dram_bandwidth_gbps, not both");
    if (llvm::Error E = validate())
      return E;
    return std::move(H);
  }

private:
  std::string File;
  llvm::SourceMgr SM;
  llvm::yaml::Stream Stream;
  HardwareProfile H;
  std::string ErrMsg; ///< The first error, "hardware profile path:line:col: field: message".
  bool Failed = false;
  std::string Syntax;
  std::string BandwidthKey = "dram_bandwidth";

  llvm::Error syntaxError() {
    return makeError(ErrorCategory::Usage, "hardware profile " + File + ":" +
                                               (Syntax.empty() ? " malformed YAML" : Syntax));
  }

  void setError(llvm::yaml::Node *N, const llvm::Twine &Field, const llvm::Twine &Msg) {
    if (Failed)
      return;
    Failed = true;
    std::string Where = "hardware profile " + File;
    if (N) {
      auto [Line, Col] = SM.getLineAndColumn(N->getSourceRange().Start);
      Where += ":" + std::to_string(Line) + ":" + std::to_string(Col);
    }
    std::string F = Field.str();
    ErrMsg = Where + ": " + (F.empty() ? "" : F + ": ") + Msg.str();
  }

  static std::string join(llvm::StringRef Field, llvm::StringRef Key) {
    return Field.empty() ? Key.str() : (Field + "." + Key).str();
  }

  bool isNull(llvm::yaml::Node *N) {
    if (!N || llvm::isa<llvm::yaml::NullNode>(N))
      return true;
    if (auto *S = llvm::dyn_cast<llvm::yaml::ScalarNode>(N)) {
      llvm::StringRef Raw = S->getRawValue();
      return Raw == "null" || Raw == "~" || Raw == "Null" || Raw == "NULL";
    }
    return false;
  }

  std::string scalar(llvm::yaml::Node *N, llvm::StringRef Field) {
    if (auto *B = llvm::dyn_cast_or_null<llvm::yaml::BlockScalarNode>(N)) {
      std::string T = B->getValue().trim().str();
      std::replace(T.begin(), T.end(), '\n', ' ');
      return T;
    }
    auto *S = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(N);
    if (!S) {
      setError(N, Field, "expected a plain value");
      return "";
    }
    llvm::SmallString<64> Storage;
    return S->getValue(Storage).str();
  }

  /// A string that may be null (returned empty).
  std::string text(llvm::yaml::Node *N, llvm::StringRef Field) {
    return isNull(N) ? "" : scalar(N, Field);
  }

  template <typename F>
  void forEachKey(llvm::yaml::Node *N, llvm::StringRef Field, llvm::ArrayRef<llvm::StringRef> Known,
                  F Fn) {
    auto *M = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(N);
    if (!M) {
      setError(N, Field, "expected a mapping");
      return;
    }
    std::set<std::string> Seen;
    for (auto &KV : *M) {
      if (Failed)
        return;
      std::string Key = scalar(KV.getKey(), Field);
      if (Failed)
        return;
      if (!Known.empty() && !llvm::is_contained(Known, Key)) {
        setError(KV.getKey(), Field, "unknown key '" + Key + "'" + didYouMean(Key, Known));
        return;
      }
      if (!Seen.insert(Key).second) {
        setError(KV.getKey(), join(Field, Key), "given twice");
        return;
      }
      Fn(Key, KV.getValue());
      // Stop before the iterator moves on: skipping a half-read node makes the parser complain.
      if (Failed)
        return;
    }
  }

  double number(llvm::yaml::Node *N, llvm::StringRef Field, llvm::StringRef Kind) {
    std::string S = scalar(N, Field);
    if (Failed)
      return 0;
    auto V = parseHardwareQuantity(S, Kind);
    if (!V) {
      setError(N, Field, llvm::toString(V.takeError()));
      return 0;
    }
    return *V;
  }

  /// A figure: null, a plain value, or {value, source, derived, note}.
  HwFigure figure(llvm::yaml::Node *N, llvm::StringRef Field, llvm::StringRef Kind) {
    HwFigure F;
    F.Given = true;
    if (isNull(N))
      return F;
    if (!llvm::isa<llvm::yaml::MappingNode>(N)) {
      F.Plain = true;
      F.Value = number(N, Field, Kind);
      return F;
    }
    bool HasValue = false;
    forEachKey(N, Field, kFigureKeys, [&](const std::string &Key, llvm::yaml::Node *V) {
      if (Key == "value") {
        HasValue = true;
        if (!isNull(V))
          F.Value = number(V, Field, Kind);
      } else if (Key == "source") {
        if (auto *Seq = llvm::dyn_cast<llvm::yaml::SequenceNode>(V)) {
          for (auto &E : *Seq) {
            F.Sources.push_back(scalar(&E, join(Field, "source")));
            if (Failed)
              return;
          }
        } else if (!isNull(V)) {
          F.Sources.push_back(scalar(V, join(Field, "source")));
        }
      } else if (Key == "derived") {
        F.Derived = text(V, join(Field, "derived"));
      } else {
        F.Note = text(V, join(Field, "note"));
      }
    });
    if (!HasValue)
      setError(N, Field, "a sourced value needs 'value' (null when unknown)");
    return F;
  }

  void peaks(llvm::yaml::Node *N, llvm::StringRef Field, HwPeaks &Out) {
    forEachKey(N, Field, kPrecisions, [&](const std::string &Prec, llvm::yaml::Node *V) {
      std::string PF = join(Field, Prec);
      HwPeak P;
      forEachKey(V, PF, kPeakKeys, [&](const std::string &Key, llvm::yaml::Node *X) {
        if (Key == "dense")
          P.Dense = figure(X, join(PF, Key), "rate");
        else if (Key == "sparse")
          P.Sparse = figure(X, join(PF, Key), "rate");
        else if (Key == "ops_per_mac")
          P.OpsPerMac = number(X, join(PF, Key), "count");
        else
          P.Note = text(X, join(PF, Key));
      });
      if (!Failed && !P.Dense.Given && !P.Sparse.Given)
        setError(V, PF, "say which figure this is: 'dense', 'sparse' or both (null when unknown)");
      if (!Failed && !positiveFinite(P.OpsPerMac))
        setError(V, join(PF, "ops_per_mac"), "must be > 0");
      Out[Prec] = std::move(P);
    });
  }

  void figures(llvm::yaml::Node *N, llvm::StringRef Field, std::map<std::string, HwFigure> &Out) {
    forEachKey(N, Field, kPrecisions, [&](const std::string &Prec, llvm::yaml::Node *V) {
      Out[Prec] = figure(V, join(Field, Prec), "count");
    });
  }

  void point(llvm::yaml::Node *N, size_t I) {
    std::string PF = "operating_points[" + std::to_string(I) + "]";
    OperatingPoint P;
    bool HasName = false, HasFreq = false;
    forEachKey(N, PF, kPointKeys, [&](const std::string &Key, llvm::yaml::Node *V) {
      std::string F = join(PF, Key);
      if (Key == "name") {
        P.Name = scalar(V, F);
        HasName = true;
      } else if (Key == "frequency" || Key == "frequency_mhz") {
        if (HasFreq) {
          setError(V, PF, "give either frequency or frequency_mhz, not both");
          return;
        }
        HasFreq = true;
        P.FrequencyKey = Key;
        P.Frequency = figure(V, F, "frequency");
        if (P.Frequency.Value) {
          if (!positiveFinite(*P.Frequency.Value))
            setError(V, F, "must be > 0");
          P.FrequencyMHz = *P.Frequency.Value;
        }
      } else if (Key == "voltage") {
        HwFigure Fig = figure(V, F, "count");
        if (Fig.Value && !positiveFinite(*Fig.Value))
          setError(V, F, "must be > 0");
        P.Voltage = Fig.Value;
      } else if (Key == "process") {
        P.Process = text(V, F);
      } else if (Key == "temperature_c") {
        P.TemperatureC = figure(V, F, "count").Value;
      } else if (Key == "power") {
        P.Power = figure(V, F, "power");
        P.PowerW = P.Power.Value;
      } else if (Key == "peak") {
        peaks(V, F, P.Peak);
      } else if (Key == "dram_bandwidth") {
        P.Bandwidth = figure(V, F, "bandwidth");
        P.DramBandwidthGBps = P.Bandwidth.Value;
      } else {
        P.Note = text(V, F);
      }
    });
    if (!Failed && !HasName)
      setError(N, PF, "missing required key 'name'");
    H.OperatingPoints.push_back(std::move(P));
  }

  void topKey(const std::string &Key, llvm::yaml::Node *V) {
    if (Key == "schema") {
      double S = number(V, Key, "count");
      if (!Failed && S != 1 && S != 2)
        setError(V, Key, "must be 1 or 2");
      H.Schema = static_cast<int>(S);
    } else if (Key == "name") {
      H.Name = text(V, Key);
    } else if (Key == "title") {
      H.Title = text(V, Key);
    } else if (Key == "vendor") {
      H.Vendor = text(V, Key);
    } else if (Key == "kind") {
      H.Kind = text(V, Key);
      if (!Failed && !H.Kind.empty() && !llvm::is_contained(kKinds, H.Kind))
        setError(V, Key, "must be gpu, npu, cpu, soc or asic, got '" + H.Kind + "'");
    } else if (Key == "mac_units") {
      figures(V, Key, H.MacUnits);
    } else if (Key == "peak") {
      peaks(V, Key, H.Peak);
    } else if (Key == "vector_ops_per_cycle") {
      figures(V, Key, H.VectorOps);
    } else if (Key == "vector_convention") {
      H.VectorConvention = text(V, Key);
    } else if (Key == "efficiency") {
      if (llvm::isa<llvm::yaml::MappingNode>(V)) {
        forEachKey(V, Key, kEffKeys, [&](const std::string &K, llvm::yaml::Node *X) {
          double E = number(X, join(Key, K), "count");
          (K == "mac"      ? H.EfficiencyMac
           : K == "vector" ? H.EfficiencyVector
                           : H.EfficiencyMemory) = E;
          if (!Failed && !(E > 0 && E <= 1))
            setError(X, join(Key, K), "must be in (0, 1]");
        });
      } else {
        double E = number(V, Key, "count");
        if (!Failed && !(E > 0 && E <= 1))
          setError(V, Key, "must be in (0, 1]");
        H.EfficiencyMac = H.EfficiencyVector = H.EfficiencyMemory = E;
      }
    } else if (Key == "operating_points") {
      auto *Seq = llvm::dyn_cast_or_null<llvm::yaml::SequenceNode>(V);
      if (!Seq) {
        if (!isNull(V))
          setError(V, Key, "expected a list of operating points");
        return;
      }
      size_t I = 0;
      for (auto &E : *Seq) {
        point(&E, I++);
        if (Failed)
          return;
      }
    } else if (Key == "sram_bytes") {
      H.SramBytes = figure(V, Key, "size");
    } else if (Key == "dram_bytes") {
      H.DramBytes = figure(V, Key, "size");
    } else if (Key == "dram_bandwidth" || Key == "dram_bandwidth_gbps") {
      BandwidthKey = Key;
      H.DramBandwidthGBps = figure(V, Key, "bandwidth");
    } else if (Key == "memory") {
      forEachKey(V, Key, kMemoryKeys, [&](const std::string &K, llvm::yaml::Node *X) {
        if (K == "type")
          H.MemoryType = text(X, join(Key, K));
        else if (K == "bus_width_bits")
          H.BusWidthBits = figure(X, join(Key, K), "count");
        else
          H.DataRateMTs = figure(X, join(Key, K), "datarate");
      });
    } else if (Key == "host_link") {
      forEachKey(V, Key, kHostKeys, [&](const std::string &K, llvm::yaml::Node *X) {
        if (K == "type")
          H.HostLinkType = text(X, join(Key, K));
        else if (K == "bandwidth")
          H.HostLinkGBps = figure(X, join(Key, K), "bandwidth");
        else
          text(X, join(Key, K));
      });
    } else if (Key == "sources") {
      auto *Seq = llvm::dyn_cast_or_null<llvm::yaml::SequenceNode>(V);
      if (!Seq) {
        setError(V, Key, "expected a list of sources");
        return;
      }
      size_t I = 0;
      for (auto &E : *Seq) {
        std::string SF = "sources[" + std::to_string(I++) + "]";
        HwSource S;
        forEachKey(&E, SF, kSourceKeys, [&](const std::string &K, llvm::yaml::Node *X) {
          std::string T = text(X, join(SF, K));
          if (K == "id")
            S.Id = T;
          else if (K == "url")
            S.Url = T;
          else if (K == "doc")
            S.Doc = T;
          else if (K == "title")
            S.Title = T;
          else if (K == "date")
            S.Date = T;
          else if (K == "kind")
            S.Kind = T;
          else
            S.States = T;
        });
        if (!Failed && S.Id.empty())
          setError(&E, SF, "missing 'id'");
        if (!Failed && !S.Kind.empty() && S.Kind != "primary" && S.Kind != "secondary")
          setError(&E, join(SF, "kind"), "must be primary or secondary, got '" + S.Kind + "'");
        for (const HwSource &Prev : H.Sources)
          if (!Failed && Prev.Id == S.Id)
            setError(&E, join(SF, "id"), "'" + S.Id + "' is used twice");
        H.Sources.push_back(std::move(S));
        if (Failed)
          return;
      }
    } else if (Key == "notes") {
      auto *Seq = llvm::dyn_cast_or_null<llvm::yaml::SequenceNode>(V);
      if (!Seq) {
        setError(V, Key, "expected a list of notes");
        return;
      }
      for (auto &E : *Seq) {
        H.Notes.push_back(text(&E, Key));
        if (Failed)
          return;
      }
    }
  }

  /// Rules that need the whole profile (docs/hardware.md, rules 3-9).
  llvm::Error validate() {
    if (H.Name.empty())
      return profileError(File, "name", "must not be empty");
    for (const auto &[P, F] : H.MacUnits)
      if (F.Value && (*F.Value < 0 || !std::isfinite(*F.Value)))
        return profileError(File, "mac_units." + P, "must be >= 0");
    bool AnyRate = false;
    for (const auto &[P, F] : H.MacUnits)
      AnyRate |= F.Value && *F.Value > 0;
    auto AnyPeak = [](const HwPeaks &Ps) {
      for (const auto &[P, K] : Ps)
        if ((K.Dense.Value && *K.Dense.Value > 0) || (K.Sparse.Value && *K.Sparse.Value > 0))
          return true;
      return false;
    };
    AnyRate |= AnyPeak(H.Peak);
    for (const OperatingPoint &P : H.OperatingPoints)
      AnyRate |= AnyPeak(P.Peak);
    if (!AnyRate)
      return profileError(File, "mac_units",
                          "at least one precision needs MAC units > 0 or a stated peak");
    if (H.OperatingPoints.empty())
      return profileError(File, "operating_points", "needs at least one operating point");
    for (size_t I = 0; I < H.OperatingPoints.size(); ++I) {
      const OperatingPoint &P = H.OperatingPoints[I];
      std::string F = "operating_points[" + std::to_string(I) + "]";
      if (P.Name.empty())
        return profileError(File, F + ".name", "must not be empty");
      for (size_t J = 0; J < I; ++J)
        if (H.OperatingPoints[J].Name == P.Name)
          return profileError(File, F + ".name", "'" + P.Name + "' is used twice");
      if (P.DramBandwidthGBps && !positiveFinite(*P.DramBandwidthGBps))
        return profileError(File, F + ".dram_bandwidth", "must be > 0");
    }
    for (auto [Name, Fig] : {std::pair<const char *, const HwFigure *>{"sram_bytes", &H.SramBytes},
                             {"dram_bytes", &H.DramBytes},
                             {"memory.bus_width_bits", &H.BusWidthBits},
                             {"memory.data_rate", &H.DataRateMTs},
                             {"host_link.bandwidth", &H.HostLinkGBps}})
      if (Fig->Value && (*Fig->Value < 0 || !std::isfinite(*Fig->Value)))
        return profileError(File, Name, "must be >= 0");
    if (H.DramBandwidthGBps.Value && !positiveFinite(*H.DramBandwidthGBps.Value))
      return profileError(File, BandwidthKey, "must be > 0");
    // Every source id a figure names must be defined.
    std::set<std::string> Ids;
    for (const HwSource &S : H.Sources)
      Ids.insert(S.Id);
    std::string Bad;
    forEachFigure(H, [&](const std::string &Field, const HwFigure &F) {
      for (const std::string &S : F.Sources)
        if (Bad.empty() && !Ids.count(S))
          Bad = Field + ": source '" + S + "' is not in sources";
    });
    if (!Bad.empty())
      return makeError(ErrorCategory::Usage, "hardware profile " + File + ": " + Bad);
    return llvm::Error::success();
  }

public:
  template <typename Callback> static void forEachFigure(const HardwareProfile &H, Callback Fn) {
    auto Peaks = [&](const std::string &Prefix, const HwPeaks &Ps) {
      for (const auto &[P, K] : Ps) {
        if (K.Dense.Given)
          Fn(Prefix + "." + P + ".dense", K.Dense);
        if (K.Sparse.Given)
          Fn(Prefix + "." + P + ".sparse", K.Sparse);
      }
    };
    for (const auto &[P, F] : H.MacUnits)
      Fn("mac_units." + P, F);
    Peaks("peak", H.Peak);
    for (const auto &[P, F] : H.VectorOps)
      Fn("vector_ops_per_cycle." + P, F);
    for (size_t I = 0; I < H.OperatingPoints.size(); ++I) {
      const OperatingPoint &P = H.OperatingPoints[I];
      std::string PF = "operating_points[" + std::to_string(I) + "]";
      Peaks(PF + ".peak", P.Peak);
      if (P.Frequency.Given)
        Fn(PF + "." + P.FrequencyKey, P.Frequency);
      if (P.Power.Given)
        Fn(PF + ".power", P.Power);
      if (P.Bandwidth.Given)
        Fn(PF + ".dram_bandwidth", P.Bandwidth);
    }
    for (auto [Name, Fig] : {std::pair<const char *, const HwFigure *>{"sram_bytes", &H.SramBytes},
                             {"dram_bytes", &H.DramBytes},
                             {"dram_bandwidth", &H.DramBandwidthGBps},
                             {"memory.bus_width_bits", &H.BusWidthBits},
                             {"memory.data_rate", &H.DataRateMTs},
                             {"host_link.bandwidth", &H.HostLinkGBps}})
      if (Fig->Given)
        Fn(Name, *Fig);
  }
};

std::string fmt(double X) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << llvm::format("%g", X);
  return OS.str();
}

} // namespace

// ---------------------------------------------------------------- quantities

llvm::Expected<double> parseHardwareQuantity(llvm::StringRef Text, llvm::StringRef Kind) {
  llvm::StringRef T = Text.trim();
  // The number: a sign, digits, an optional fraction and an optional exponent.
  size_t I = 0;
  if (!T.empty() && (T[0] == '-' || T[0] == '+'))
    ++I;
  auto Digits = [&] {
    size_t S = I;
    while (I < T.size() && llvm::isDigit(T[I]))
      ++I;
    return I > S;
  };
  bool Int = Digits();
  bool Frac = false;
  if (I < T.size() && T[I] == '.') {
    ++I;
    Frac = Digits();
  }
  if (!Int && !Frac)
    return makeError(ErrorCategory::Usage, "invalid number '" + Text + "'");
  if (I + 1 < T.size() && (T[I] == 'e' || T[I] == 'E') &&
      (llvm::isDigit(T[I + 1]) ||
       ((T[I + 1] == '+' || T[I + 1] == '-') && I + 2 < T.size() && llvm::isDigit(T[I + 2])))) {
    I += 2;
    Digits();
  }
  double V = 0;
  if (T.take_front(I).getAsDouble(V))
    return makeError(ErrorCategory::Usage, "invalid number '" + Text + "'");
  llvm::StringRef U = T.drop_front(I).ltrim();
  if (U.empty())
    return V;
  std::optional<double> Scale;
  std::string Known;
  if (Kind == "size") {
    Scale = lookupUnit(kSizeUnits, U);
    Known = unitList(kSizeUnits);
  } else if (Kind == "bandwidth") {
    if (U.consume_back("/s"))
      if (auto S = lookupUnit(kSizeUnits, U))
        Scale = *S / 1e9;
    Known = unitList(kSizeUnits, "/s");
  } else if (Kind == "frequency") {
    Scale = lookupUnit(kFreqUnits, U);
    Known = unitList(kFreqUnits);
  } else if (Kind == "rate") {
    Scale = lookupUnit(kRateUnits, U);
    Known = unitList(kRateUnits);
  } else if (Kind == "datarate") {
    Scale = lookupUnit(kDataRateUnits, U);
    Known = unitList(kDataRateUnits);
  } else if (Kind == "power") {
    Scale = lookupUnit(kPowerUnits, U);
    Known = unitList(kPowerUnits);
  }
  if (!Scale) {
    if (Known.empty())
      return makeError(ErrorCategory::Usage, "invalid number '" + Text + "' (no unit allowed)");
    return makeError(ErrorCategory::Usage, "'" + Text + "': unknown unit '" +
                                               T.drop_front(I).ltrim() + "' (known: " + Known +
                                               ")");
  }
  return V * *Scale;
}

// ---------------------------------------------------------------- profile queries

llvm::ArrayRef<llvm::StringRef> hardwarePrecisions() { return kPrecisions; }

std::string OperatingPoint::describe() const {
  std::vector<std::string> Parts;
  if (FrequencyMHz > 0)
    Parts.push_back(fmt(FrequencyMHz) + " MHz");
  if (Voltage)
    Parts.push_back(fmt(*Voltage) + " V");
  if (!Process.empty())
    Parts.push_back(Process);
  if (TemperatureC)
    Parts.push_back(fmt(*TemperatureC) + " C");
  if (PowerW)
    Parts.push_back(fmt(*PowerW) + " W");
  if (Parts.empty())
    return Name;
  return Name + " (" + llvm::join(Parts, ", ") + ")";
}

std::optional<int64_t> HardwareProfile::macUnits(llvm::StringRef P) const {
  if (!llvm::is_contained(kPrecisions, P))
    return std::nullopt;
  auto It = MacUnits.find(P.str());
  if (It == MacUnits.end() || !It->second.Value)
    return 0;
  return static_cast<int64_t>(std::llround(*It->second.Value));
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

bool HardwareProfile::isNominal(const OperatingPoint &P) const {
  // By name (names are unique), so that a copy of the nominal point is nominal too.
  return !OperatingPoints.empty() && P.Name == OperatingPoints.front().Name;
}

int64_t HardwareProfile::sramBytes() const {
  return SramBytes.Value ? static_cast<int64_t>(std::llround(*SramBytes.Value)) : 0;
}

std::optional<double> HardwareProfile::dramBandwidthGBps(const OperatingPoint &P) const {
  if (P.DramBandwidthGBps)
    return P.DramBandwidthGBps;
  return DramBandwidthGBps.Value;
}

HardwareProfile::DensePeak HardwareProfile::densePeak(llvm::StringRef Prec,
                                                      const OperatingPoint &P) const {
  DensePeak R;
  const HwPeak *Stated = nullptr;
  if (auto It = P.Peak.find(Prec.str()); It != P.Peak.end())
    Stated = &It->second;
  else if (isNominal(P))
    if (auto It = Peak.find(Prec.str()); It != Peak.end())
      Stated = &It->second;
  if (Stated) {
    R.OpsPerMac = Stated->OpsPerMac;
    R.SparseTops = Stated->Sparse.Value;
    if (Stated->Dense.Value) {
      R.Tops = Stated->Dense.Value;
      R.Basis = "stated";
      return R;
    }
  }
  auto Units = macUnits(Prec);
  if (Units && *Units > 0 && P.FrequencyMHz > 0) {
    R.Tops = static_cast<double>(*Units) * P.FrequencyMHz * 1e6 * R.OpsPerMac / 1e12;
    R.Basis = "mac_units x clock";
    return R;
  }
  const OperatingPoint *Nom = operatingPoint("");
  if (!isNominal(P) && Nom && Nom->FrequencyMHz > 0 && P.FrequencyMHz > 0) {
    DensePeak N = densePeak(Prec, *Nom);
    if (N.Tops) {
      R.Tops = *N.Tops * P.FrequencyMHz / Nom->FrequencyMHz;
      R.OpsPerMac = N.OpsPerMac;
      R.Basis = "scaled by clock";
    }
  }
  return R;
}

std::optional<double> HardwareProfile::macRate(llvm::StringRef Prec,
                                               const OperatingPoint &P) const {
  auto Units = macUnits(Prec);
  if (Units && *Units > 0 && P.FrequencyMHz > 0)
    return static_cast<double>(*Units) * P.FrequencyMHz * 1e6;
  DensePeak D = densePeak(Prec, P);
  if (D.Tops && *D.Tops > 0)
    return *D.Tops * 1e12 / D.OpsPerMac;
  return std::nullopt;
}

// ---------------------------------------------------------------- rules

std::vector<HwIssue> checkHardwareConsistency(const HardwareProfile &H) {
  std::vector<HwIssue> Out;
  auto Pct = [](double X) { return fmt(std::round(X * 1000) / 10) + "%"; };
  for (size_t I = 0; I < H.OperatingPoints.size(); ++I) {
    const OperatingPoint &P = H.OperatingPoints[I];
    std::string PF = "operating_points[" + std::to_string(I) + "] (" + P.Name + ")";
    // Peaks stated for this point: its own, and the profile's at the nominal point.
    HwPeaks Stated = H.isNominal(P) ? H.Peak : HwPeaks{};
    for (const auto &[K, V] : P.Peak)
      Stated[K] = V;
    for (const auto &[Prec, K] : Stated) {
      auto Units = H.macUnits(Prec);
      if (K.Dense.Value && *K.Dense.Value > 0 && Units && *Units > 0 && P.FrequencyMHz > 0) {
        double Calc = static_cast<double>(*Units) * P.FrequencyMHz * 1e6 * K.OpsPerMac / 1e12;
        double Dev = std::fabs(Calc - *K.Dense.Value) / *K.Dense.Value;
        if (Dev > 0.02)
          Out.push_back({"peak." + Prec + ".dense",
                         "stated " + fmt(*K.Dense.Value) + " TOPS at " + PF + ", but mac_units " +
                             std::to_string(*Units) + " x " + fmt(P.FrequencyMHz) + " MHz x " +
                             fmt(K.OpsPerMac) + " = " + fmt(Calc) + " TOPS (" + Pct(Dev) +
                             " off, more than 2%)"});
      }
      if (K.Dense.Value && K.Sparse.Value && *K.Dense.Value > 0) {
        double D = *K.Dense.Value, S = *K.Sparse.Value;
        if (S < D * 0.98 || S > 2 * D * 1.02)
          Out.push_back({"peak." + Prec + ".sparse", "sparse " + fmt(S) +
                                                         " TOPS is not between dense " + fmt(D) +
                                                         " and twice dense (within 2%)"});
      }
    }
  }
  // Bandwidth against the memory bus, for the profile's figure and every override.
  if (H.BusWidthBits.Value && H.DataRateMTs.Value) {
    double Calc = *H.BusWidthBits.Value / 8 * *H.DataRateMTs.Value * 1e6 / 1e9;
    auto Check = [&](const std::string &Field, std::optional<double> BW) {
      if (!BW || *BW <= 0)
        return;
      double Dev = std::fabs(Calc - *BW) / *BW;
      if (Dev > 0.02)
        Out.push_back({Field, fmt(*BW) + " GB/s, but memory.bus_width_bits " +
                                  fmt(*H.BusWidthBits.Value) + " / 8 x " +
                                  fmt(*H.DataRateMTs.Value) + " MT/s = " + fmt(Calc) + " GB/s (" +
                                  Pct(Dev) + " off, more than 2%)"});
    };
    Check("dram_bandwidth", H.DramBandwidthGBps.Value);
  }
  return Out;
}

std::vector<HwIssue> checkCatalogRules(const HardwareProfile &H, llvm::StringRef FileStem) {
  std::vector<HwIssue> Out;
  if (H.Name != FileStem)
    Out.push_back({"name", "'" + H.Name + "' differs from the file name '" + FileStem.str() + "'"});
  if (H.Sources.empty())
    Out.push_back({"sources", "a catalog part needs sources"});
  for (const HwSource &S : H.Sources) {
    std::string F = "sources[" + S.Id + "]";
    if (S.Url.empty() && S.Doc.empty())
      Out.push_back({F, "needs url or doc"});
    if (S.Title.empty())
      Out.push_back({F, "needs a title"});
    if (S.States.empty())
      Out.push_back({F, "needs 'states': what the source says"});
    if (S.Kind.empty())
      Out.push_back({F, "needs kind: primary or secondary"});
  }
  Reader::forEachFigure(H, [&](const std::string &Field, const HwFigure &F) {
    if (!F.Value) {
      if (F.Note.empty())
        Out.push_back({Field, "null without a note saying why"});
    } else if (F.Sources.empty() && F.Derived.empty()) {
      Out.push_back({Field, "a figure without a source or a derivation"});
    }
  });
  return Out;
}

// ---------------------------------------------------------------- loading

llvm::Expected<HardwareProfile> parseHardwareProfile(llvm::StringRef Text, llvm::StringRef File) {
  Reader R(Text, File);
  return R.read();
}

llvm::Expected<HardwareProfile> loadHardwareProfile(llvm::StringRef Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return makeError(ErrorCategory::Usage,
                     "hardware profile " + Path + ": cannot read: " + Buf.getError().message());
  return parseHardwareProfile((*Buf)->getBuffer(), Path);
}

llvm::ArrayRef<llvm::StringRef> builtinHardwareNames() {
  static const std::vector<llvm::StringRef> Names = [] {
    std::vector<llvm::StringRef> N;
    for (const Builtin &B : kBuiltinHardware)
      N.push_back(B.Name);
    llvm::sort(N);
    return N;
  }();
  return Names;
}

llvm::StringRef builtinHardwareText(llvm::StringRef Name) {
  for (const Builtin &B : kBuiltinHardware)
    if (B.Name == Name)
      return B.Text;
  return "";
}

llvm::Expected<HardwareProfile> loadHardware(llvm::StringRef NameOrPath) {
  llvm::StringRef Text = builtinHardwareText(NameOrPath);
  if (!Text.empty()) {
    auto H = parseHardwareProfile(Text, "builtin:" + NameOrPath.str());
    if (H)
      H->CatalogName = NameOrPath.str();
    return H;
  }
  bool LooksLikePath =
      NameOrPath.contains('/') || NameOrPath.endswith(".yaml") || NameOrPath.endswith(".yml");
  if (!LooksLikePath) {
    std::vector<llvm::StringRef> Names(builtinHardwareNames().begin(),
                                       builtinHardwareNames().end());
    std::string Hint = didYouMean(NameOrPath, Names);
    return makeError(ErrorCategory::Usage,
                     "unknown hardware '" + NameOrPath + "'" + Hint +
                         "; `opaudit hw list` shows the catalog, or give a profile file path");
  }
  return loadHardwareProfile(NameOrPath);
}

} // namespace opaudit
