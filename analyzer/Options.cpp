// The shared option parsers and the check of option names against a model.
#include "analyzer/Options.h"
#include "passes/Roofline.h"

#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <cmath>

namespace opaudit {

namespace {
llvm::Error usage(const llvm::Twine &Msg) { return makeError(ErrorCategory::Usage, Msg); }

std::string joined(llvm::ArrayRef<std::string> Names) {
  std::string S;
  for (const std::string &N : Names)
    S += (S.empty() ? "" : ", ") + N;
  return S;
}

llvm::Expected<std::optional<DType>> trafficDType(llvm::StringRef Opt, llvm::StringRef V) {
  if (V.empty())
    return std::nullopt;
  auto T = dtypeFromString(V);
  bool Ok = T && (isFloatDType(*T) || *T == DType::Int8 || *T == DType::UInt8 ||
                  *T == DType::Int4 || *T == DType::UInt4);
  if (!Ok)
    return usage(Opt + " expects int8, int4, fp16, bf16 or fp32, got '" + V + "'");
  return T;
}
} // namespace

llvm::Error parseDimOption(llvm::StringRef Spec, AnalysisOptions &O) {
  auto [K, V] = Spec.split('=');
  int64_t N;
  if (K.empty() || V.getAsInteger(10, N) || N < 0)
    return usage("--dim expects NAME=VALUE with VALUE >= 0, got '" + Spec + "'");
  O.Dims[K] = N;
  return llvm::Error::success();
}

llvm::Error parseInputOption(llvm::StringRef Spec, AnalysisOptions &O) {
  auto [K, V] = Spec.rsplit(':');
  if (K.empty() || V.empty())
    return usage("--input expects NAME:D1xD2x..., got '" + Spec + "'");
  llvm::SmallVector<llvm::StringRef, 6> Parts;
  V.split(Parts, 'x');
  std::vector<std::string> Dims;
  for (llvm::StringRef P : Parts) {
    int64_t N;
    if (P.empty() || (!P.getAsInteger(10, N) && N < 0))
      return usage("--input has a bad dim in '" + Spec + "'");
    Dims.push_back(P.str());
  }
  O.InputShapes[K] = std::move(Dims);
  return llvm::Error::success();
}

llvm::Error parseInputValueOption(llvm::StringRef Spec, AnalysisOptions &O) {
  auto [K, V] = Spec.split('=');
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  V.split(Parts, ',');
  std::vector<double> Vals;
  for (llvm::StringRef P : Parts) {
    double X;
    if (P.trim().getAsDouble(X))
      return usage("--input-value expects NAME=v1,v2,..., got '" + Spec + "'");
    Vals.push_back(X);
  }
  if (K.empty() || Vals.empty())
    return usage("--input-value expects NAME=v1,v2,..., got '" + Spec + "'");
  O.InputValues[K] = std::move(Vals);
  return llvm::Error::success();
}

llvm::Expected<double> parseFraction(llvm::StringRef Opt, llvm::StringRef Text) {
  llvm::StringRef S = Text.trim();
  bool Percent = S.consume_back("%");
  double V;
  if (S.trim().getAsDouble(V) || !std::isfinite(V))
    return usage(Opt + " expects a fraction in (0, 1] (0.4) or a percentage (40%), got '" + Text +
                 "'");
  if (Percent)
    V /= 100;
  if (V <= 0 || V > 1)
    return usage(Opt + " expects a value in (0, 1] (or 0-100%), got '" + Text + "'");
  return V;
}

llvm::Expected<double> parseUtilization(llvm::StringRef Text) {
  return parseFraction("--utilization", Text);
}

llvm::Expected<double> parseCount(llvm::StringRef Opt, llvm::StringRef Text) {
  llvm::StringRef S = Text.trim();
  double Scale = 1;
  if (!S.empty())
    switch (S.back()) {
    case 'k':
    case 'K':
      Scale = 1e3;
      break;
    case 'M':
      Scale = 1e6;
      break;
    case 'G':
      Scale = 1e9;
      break;
    case 'T':
      Scale = 1e12;
      break;
    case 'P':
      Scale = 1e15;
      break;
    }
  if (Scale != 1)
    S = S.drop_back();
  double V;
  if (S.trim().getAsDouble(V) || !std::isfinite(V) || V <= 0)
    return usage(Opt + " expects a count > 0 such as 8.2G, 400M or 4.1e9, got '" + Text + "'");
  return V * Scale;
}

llvm::ArrayRef<llvm::StringRef> precisionNames() { return hardwarePrecisions(); }

llvm::Error checkPrecision(llvm::StringRef P) {
  if (P.empty() || llvm::is_contained(precisionNames(), P))
    return llvm::Error::success();
  std::vector<std::string> Names;
  for (llvm::StringRef N : precisionNames())
    Names.push_back(N.str());
  return usage("--precision expects one of " + joined(Names) + ", got '" + P + "'" +
               didYouMean(P, Names));
}

llvm::Error checkBatch(int64_t B) {
  if (B < 1)
    return usage("--batch expects a count >= 1, got " + llvm::Twine(B));
  return llvm::Error::success();
}

llvm::Error applyTrafficSettings(const TrafficSettings &A, AnalysisOptions &O,
                                 std::vector<std::string> *Warnings) {
  auto W = trafficDType("--weight-dtype", A.WeightDType);
  if (!W)
    return W.takeError();
  O.WeightDType = *W;
  auto Act = trafficDType("--act-dtype", A.ActDType);
  if (!Act)
    return Act.takeError();
  O.ActDType = *Act;
  if (A.Sram) {
    if (*A.Sram < 0)
      return usage("--sram expects a byte count >= 0");
    O.SramBytes = *A.Sram;
  }
  if (A.Utilization) {
    if (!std::isfinite(*A.Utilization) || *A.Utilization <= 0 || *A.Utilization > 1)
      return usage("--utilization expects a value in (0, 1], got " +
                   std::to_string(*A.Utilization));
    O.Utilization = *A.Utilization;
  }
  if (A.Schedule == "sample")
    O.Schedule = AnalysisOptions::BatchSchedule::Sample;
  else if (A.Schedule == "layer")
    O.Schedule = AnalysisOptions::BatchSchedule::Layer;
  else
    return usage("--schedule expects layer or sample, got '" + A.Schedule + "'");
  if (llvm::Error E = checkPrecision(A.Precision))
    return E;
  if (A.Hw.empty()) {
    for (auto [Opt, V] :
         {std::pair<const char *, bool>{"--operating-point", !A.OperatingPoint.empty()},
          {"--precision", !A.Precision.empty()},
          {"--utilization", A.Utilization.has_value()}})
      if (V)
        return usage(llvm::Twine(Opt) + " needs --hw PROFILE");
    return llvm::Error::success();
  }
  auto H = loadHardware(A.Hw);
  if (!H)
    return H.takeError();
  if (Warnings && !H->File.starts_with("builtin:"))
    for (const HwIssue &I : checkHardwareConsistency(*H))
      Warnings->push_back("hardware profile " + H->File + ": " + I.str());
  O.HardwarePath = A.Hw;
  O.OperatingPointName = A.OperatingPoint;
  O.Precision = A.Precision;
  if (!H->operatingPoint(A.OperatingPoint)) {
    std::vector<std::string> Names;
    for (const OperatingPoint &P : H->OperatingPoints)
      Names.push_back(P.Name);
    return usage("hardware profile " + A.Hw + ": operating_points: no operating point '" +
                 A.OperatingPoint + "' (known: " + joined(Names) + ")" +
                 didYouMean(A.OperatingPoint, Names));
  }
  const OperatingPoint &P = *H->operatingPoint(A.OperatingPoint);
  auto NoDram = [&] {
    return usage("hardware profile " + A.Hw + ": dram_bandwidth: unknown at " + P.Name +
                 " (the part has no DRAM of its own, or none is published); the roofline "
                 "needs an off-chip bandwidth");
  };
  // Without --precision/--weight-dtype the precision is the graph's own, known
  // only once the model is read: the roofline checks it then.
  std::string Prec = chosenPrecision(O);
  if (!Prec.empty() && !H->macRate(Prec, P))
    return usage("hardware profile " + A.Hw + ": mac_units." + Prec +
                 ": no MAC units or stated peak for precision " + Prec + " at " + P.Name +
                 " (choose another with --precision)");
  if (!H->dramBandwidthGBps(P))
    return NoDram();
  O.Hardware = std::move(*H);
  return llvm::Error::success();
}

llvm::Error checkOptionsAgainstModel(const Model &M, const AnalysisOptions &O) {
  const Graph &G = M.Main;
  // Data inputs (not initializers) in graph order, and the symbolic dims the
  // model declares: those of the inputs first, then any other value's.
  std::vector<std::string> Inputs, DimNames;
  llvm::StringSet<> DimSet;
  auto AddDim = [&](llvm::StringRef D) {
    if (!D.empty() && DimSet.insert(D).second)
      DimNames.push_back(D.str());
  };
  for (ValueId V : G.Inputs) {
    const Value &Val = G.value(V);
    if (Val.Initializer >= 0)
      continue;
    Inputs.push_back(Val.Name.str());
    if (Val.Declared)
      for (const DeclaredDim &D : Val.Declared->Dims)
        AddDim(D.Param);
  }
  for (const Value &V : G.Values)
    if (V.Declared)
      for (const DeclaredDim &D : V.Declared->Dims)
        AddDim(D.Param);
  auto IsInput = [&](llvm::StringRef N) {
    ValueId V = G.lookup(N);
    return V != kNoValue && G.value(V).IsGraphInput;
  };
  auto UnknownInput = [&](llvm::StringRef Opt, llvm::StringRef N) {
    return usage(M.Path + ": " + Opt + " names '" + N + "', which is not an input of the model" +
                 didYouMean(N, Inputs) + " (inputs: " + (Inputs.empty() ? "none" : joined(Inputs)) +
                 ")");
  };

  for (const auto &E : O.InputShapes) {
    if (!IsInput(E.first()))
      return UnknownInput("--input", E.first());
    const Value &Val = G.value(G.lookup(E.first()));
    size_t Got = E.second.size();
    if (Val.Declared && Val.Declared->HasShape && Val.Declared->Dims.size() != Got)
      return usage(M.Path + ": --input: input '" + E.first() + "' has rank " +
                   llvm::Twine(Val.Declared->Dims.size()) + ", got " + llvm::Twine(Got) + " dim" +
                   (Got == 1 ? "" : "s"));
    for (const std::string &D : E.second) {
      int64_t N;
      if (llvm::StringRef(D).getAsInteger(10, N))
        AddDim(D); // A name an --input introduces may be bound by --dim.
    }
  }
  for (const auto &E : O.InputValues)
    if (!IsInput(E.first()))
      return UnknownInput("--input-value", E.first());
  for (const auto &E : O.Dims)
    if (!DimSet.count(E.first()))
      return usage(M.Path + ": --dim names '" + E.first() +
                   "', which is not a symbolic dim of the model" + didYouMean(E.first(), DimNames) +
                   (DimNames.empty() ? std::string(" (the model has no symbolic dims)")
                                     : " (symbolic dims: " + joined(DimNames) + ")"));

  // --batch binds the batch dim (bindBatch); a --dim that binds it to another
  // value would leave two batch sizes in one report.
  if (O.Batch)
    for (ValueId V : G.Inputs) {
      const Value &Val = G.value(V);
      if (Val.Initializer >= 0)
        continue;
      std::string Name;
      auto Over = O.InputShapes.find(Val.Name);
      int64_t N;
      if (Over != O.InputShapes.end()) {
        if (!Over->second.empty() && llvm::StringRef(Over->second.front()).getAsInteger(10, N))
          Name = Over->second.front();
      } else if (Val.Declared && Val.Declared->HasShape && !Val.Declared->Dims.empty()) {
        Name = Val.Declared->Dims.front().Param;
      }
      auto D = Name.empty() ? O.Dims.end() : O.Dims.find(Name);
      if (D != O.Dims.end() && D->second != *O.Batch)
        return usage(M.Path + ": --batch " + llvm::Twine(*O.Batch) + " conflicts with --dim " +
                     Name + "=" + llvm::Twine(D->second) + ": '" + Name +
                     "' is the batch dim of input '" + Val.Name + "' (give one of them)");
    }
  return llvm::Error::success();
}

std::optional<std::string> closestName(llvm::StringRef Name,
                                       llvm::ArrayRef<std::string> Candidates) {
  // A third of the name, rounded up: "inptu" (a transposition, distance 2) finds "input".
  unsigned Limit = std::max<unsigned>(1, static_cast<unsigned>(Name.size() + 2) / 3);
  std::optional<std::string> Best;
  unsigned BestD = Limit + 1;
  for (const std::string &C : Candidates) {
    // Case-insensitive first: "Seq" for "seq" is always the likely intent.
    if (Name.equals_insensitive(C) && Name != C)
      return C;
    unsigned D = Name.edit_distance(C, true, Limit);
    if (D < BestD) {
      BestD = D;
      Best = C;
    }
  }
  return BestD <= Limit ? Best : std::nullopt;
}

std::string didYouMean(llvm::StringRef Name, llvm::ArrayRef<std::string> Candidates) {
  if (auto C = closestName(Name, Candidates))
    return "; did you mean '" + *C + "'?";
  return "";
}

} // namespace opaudit
