// Reading the ledger with LLVM's YAML parser (as ir/Hardware.cpp does for
// profiles: values mix numbers with units and nulls, and a key that is not
// in the format is an error), and the delivered-TOPS arithmetic: rate x 2
// ops per MAC x MACs of the bundled graph, against the part's dense peak.
#include "analyzer/Ledger.h"
#include "passes/MacCount.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

namespace opaudit {

namespace {
struct Builtin {
  llvm::StringRef Name;
  llvm::StringRef Text;
};
#include "BuiltinLedger.inc" // defines kBuiltinLedger[]

constexpr llvm::StringRef kEntryKeys[] = {"id",
                                          "part",
                                          "accelerators",
                                          "model",
                                          "model_sample",
                                          "task",
                                          "scenario",
                                          "batch",
                                          "precision",
                                          "figure",
                                          "round",
                                          "published",
                                          "division",
                                          "submitter",
                                          "system",
                                          "source",
                                          "path",
                                          "verified",
                                          "notes",
                                          "quoted_peak",
                                          "operating_point",
                                          "precision_checked",
                                          "samples_per_second",
                                          "tokens_per_second"};
constexpr llvm::StringRef kSourceKeys[] = {"id", "url", "doc", "title", "date", "kind", "states"};

class Reader {
public:
  Reader(llvm::StringRef Text, llvm::StringRef File)
      : File(File.str()), Stream(Text, SM, /*ShowColors=*/false) {
    SM.setDiagHandler([](const llvm::SMDiagnostic &, void *) {}, nullptr);
  }

  llvm::Expected<Ledger> read() {
    Ledger L;
    auto Doc = Stream.begin();
    auto *Root = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(
        Doc == Stream.end() ? nullptr : Doc->getRoot());
    if (!Root)
      return fail("not a YAML mapping");
    for (auto &KV : *Root) {
      std::string Key = scalar(KV.getKey());
      auto *Seq = llvm::dyn_cast_or_null<llvm::yaml::SequenceNode>(KV.getValue());
      if (Key != "sources" && Key != "entries")
        return fail("unknown key '" + Key + "' (known: sources, entries)");
      if (!Seq)
        return fail(Key + ": expected a list");
      size_t I = 0;
      for (auto &Item : *Seq) {
        std::string Field = Key + "[" + std::to_string(I++) + "]";
        auto *M = llvm::dyn_cast<llvm::yaml::MappingNode>(&Item);
        if (!M)
          return fail(Field + ": expected a mapping");
        if (Key == "sources") {
          LedgerSource S;
          for (auto &F : *M) {
            std::string K = scalar(F.getKey());
            if (!llvm::is_contained(kSourceKeys, K))
              return fail(Field + ": unknown key '" + K + "'");
            std::string V = scalar(F.getValue());
            (K == "id"      ? S.Id
             : K == "url"   ? S.Url
             : K == "doc"   ? S.Url
             : K == "title" ? S.Title
             : K == "date"  ? S.Date
             : K == "kind"  ? S.Kind
                            : S.States) = V;
          }
          L.Sources[S.Id] = S;
        } else {
          auto E = entry(M, Field);
          if (!E)
            return E.takeError();
          L.Entries.push_back(std::move(*E));
        }
      }
    }
    if (Stream.failed())
      return fail("malformed YAML");
    return L;
  }

private:
  std::string File;
  llvm::SourceMgr SM;
  llvm::yaml::Stream Stream;

  llvm::Error fail(const llvm::Twine &Msg) {
    return makeError(ErrorCategory::Usage, "ledger " + File + ": " + Msg);
  }
  static std::string scalar(llvm::yaml::Node *N) {
    if (auto *S = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(N)) {
      llvm::SmallString<64> Buf;
      std::string V = S->getValue(Buf).str();
      return V == "null" || V == "~" ? "" : V;
    }
    if (auto *B = llvm::dyn_cast_or_null<llvm::yaml::BlockScalarNode>(N))
      return B->getValue().str();
    return "";
  }
  /// "2TOPS", "105 TOPS", "6035.57" -> the number.
  static std::optional<double> number(llvm::StringRef S) {
    S = S.trim();
    S.consume_back("TOPS");
    double V;
    if (S.empty() || S.trim().getAsDouble(V))
      return std::nullopt;
    return V;
  }

  llvm::Expected<LedgerEntry> entry(llvm::yaml::MappingNode *M, const std::string &Field) {
    LedgerEntry E;
    E.File = File;
    for (auto &KV : *M) {
      std::string K = scalar(KV.getKey());
      llvm::yaml::Node *V = KV.getValue();
      if (!llvm::is_contained(kEntryKeys, K))
        return fail(Field + ": unknown key '" + K + "'");
      if (K == "figure" || K == "quoted_peak") {
        auto *FM = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(V);
        if (!FM)
          return fail(Field + "." + K + ": expected a mapping");
        for (auto &F : *FM) {
          std::string FK = scalar(F.getKey()), FV = scalar(F.getValue());
          if (K == "figure" && FK == "value") {
            auto N = number(FV);
            if (!N)
              return fail(Field + ".figure.value: invalid number '" + FV + "'");
            E.Figure = *N;
          } else if (K == "figure" && FK == "unit") {
            E.Unit = FV;
          } else if (K == "quoted_peak" && (FK == "dense" || FK == "sparse")) {
            auto N = FV.empty() ? std::nullopt : number(FV);
            if (!FV.empty() && !N)
              return fail(Field + ".quoted_peak." + FK + ": invalid TOPS '" + FV + "'");
            (FK == "dense" ? E.QuotedDense : E.QuotedSparse) = N;
          } else if (K == "quoted_peak" && FK == "derived") {
            E.QuotedDerived = FV;
          } else if (K == "quoted_peak" && FK == "note") {
            E.QuotedNote = FV;
          } else {
            return fail(Field + "." + K + ": unknown key '" + FK + "'");
          }
        }
        E.HasQuotedPeak |= K == "quoted_peak";
        continue;
      }
      std::string S = scalar(V);
      if (K == "accelerators" || K == "batch") {
        int64_t N = 0;
        if (!S.empty() && llvm::StringRef(S).getAsInteger(10, N))
          return fail(Field + "." + K + ": expected an integer, got '" + S + "'");
        if (K == "accelerators")
          E.Accelerators = S.empty() ? 1 : N;
        else if (!S.empty())
          E.Batch = N;
        continue;
      }
      if (K == "precision_checked") {
        E.PrecisionChecked = S != "false";
        continue;
      }
      std::string *Dst = K == "id"                ? &E.Id
                         : K == "part"            ? &E.Part
                         : K == "model"           ? &E.Model
                         : K == "model_sample"    ? &E.ModelSample
                         : K == "task"            ? &E.Task
                         : K == "scenario"        ? &E.Scenario
                         : K == "precision"       ? &E.Precision
                         : K == "round"           ? &E.Round
                         : K == "published"       ? &E.Published
                         : K == "division"        ? &E.Division
                         : K == "submitter"       ? &E.Submitter
                         : K == "system"          ? &E.System
                         : K == "source"          ? &E.Source
                         : K == "path"            ? &E.Path
                         : K == "verified"        ? &E.Verified
                         : K == "notes"           ? &E.Notes
                         : K == "operating_point" ? &E.OperatingPoint
                                                  : nullptr;
      if (Dst)
        *Dst = S;
    }
    if (E.Id.empty() || E.Part.empty() || E.Unit.empty() || !(E.Figure > 0))
      return fail(Field + ": id, part and figure {value, unit} are required");
    if (E.Accelerators < 1)
      return fail(Field + ".accelerators: must be >= 1");
    return E;
  }
};
} // namespace

llvm::Expected<Ledger> parseLedger(llvm::StringRef Text, llvm::StringRef File) {
  return Reader(Text, File).read();
}

llvm::Expected<Ledger> builtinLedger() {
  std::vector<Builtin> Files(std::begin(kBuiltinLedger), std::end(kBuiltinLedger));
  llvm::sort(Files, [](const Builtin &A, const Builtin &B) { return A.Name < B.Name; });
  Ledger All;
  for (const Builtin &B : Files) {
    auto L = parseLedger(B.Text, "builtin:" + B.Name.str());
    if (!L)
      return L.takeError();
    All.Sources.insert(L->Sources.begin(), L->Sources.end());
    for (LedgerEntry &E : L->Entries)
      All.Entries.push_back(std::move(E));
  }
  return All;
}

SampleMacs sampleMacsUnder(std::string Root) {
  auto Cache = std::make_shared<std::map<std::string, int64_t>>();
  return [Root = std::move(Root), Cache](llvm::StringRef Sample) -> llvm::Expected<int64_t> {
    auto It = Cache->find(Sample.str());
    if (It != Cache->end())
      return It->second;
    llvm::SmallString<256> Path(Root);
    llvm::sys::path::append(Path, Sample);
    auto A = Analysis::open(Path);
    if (!A)
      return A.takeError();
    Expr T = (*A)->get<MacCount>().Total;
    auto V = T ? T.asConst() : std::nullopt;
    if (!V)
      return makeError(ErrorCategory::Usage, Sample + ": its MACs are not a known number");
    (*Cache)[Sample.str()] = *V;
    return *V;
  };
}

std::vector<LedgerRow> evaluateLedger(const Ledger &L, const SampleMacs &Macs) {
  std::vector<LedgerRow> Rows;
  for (const LedgerEntry &E : L.Entries) {
    LedgerRow R;
    R.Entry = &E;
    auto S = L.Sources.find(E.Source);
    if (S != L.Sources.end())
      R.Source = &S->second;
    Rows.push_back(R);
    LedgerRow &Row = Rows.back();
    // The rate per accelerator, in inferences/s.
    double Acc = static_cast<double>(E.Accelerators);
    if (E.Unit == "samples/s" || E.Unit == "fps")
      Row.Rate = E.Figure / Acc;
    else if (E.Unit == "ms")
      Row.Rate = 1000.0 / E.Figure / Acc; // SingleStream: one query at a time
    if (E.ModelSample.empty()) {
      Row.Reason = "no bundled model with the same MACs (" + E.Model + ")";
      continue;
    }
    if (!Row.Rate) {
      Row.Reason = "figure in " + E.Unit + " is not an inference rate";
      continue;
    }
    auto M = Macs(E.ModelSample);
    if (!M) {
      Row.Reason = "bundled model " + E.ModelSample + ": " + llvm::toString(M.takeError());
      continue;
    }
    Row.Macs = *M;
    if (E.HasQuotedPeak) {
      if (!E.QuotedDense) {
        Row.Reason = "no dense peak for what ran" +
                     (E.QuotedNote.empty() ? std::string() : ": " + E.QuotedNote);
        continue;
      }
      Row.QuotedTops = *E.QuotedDense;
      Row.PeakBasis = "ledger" + (E.QuotedDerived.empty() ? "" : ": " + E.QuotedDerived);
    } else {
      auto H = loadHardware(E.Part);
      if (!H) {
        Row.Reason = "part: " + llvm::toString(H.takeError());
        continue;
      }
      const OperatingPoint *P = H->operatingPoint(E.OperatingPoint);
      if (!P) {
        Row.Reason = "part " + E.Part + " has no operating point '" + E.OperatingPoint + "'";
        continue;
      }
      auto DP = H->densePeak(E.Precision, *P);
      if (!DP.Tops || !(*DP.Tops > 0)) {
        Row.Reason = "the catalog has no dense " + E.Precision + " peak for " + E.Part;
        continue;
      }
      Row.QuotedTops = *DP.Tops;
      Row.PeakBasis =
          "catalog " + E.Part + " " + E.Precision + " at " + P->Name + " (" + DP.Basis + ")";
    }
    Row.DeliveredTops = *Row.Rate * 2.0 * static_cast<double>(*Row.Macs) / 1e12;
    Row.Utilization = *Row.DeliveredTops / *Row.QuotedTops;
  }
  return Rows;
}

} // namespace opaudit
