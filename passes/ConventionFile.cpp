// Reads convention files with LLVM's YAML parser. The schema is small and
// strict: an unknown key, a non-integer cost or an unknown class name is an
// error naming the file and line, because a typo in a convention silently
// changes every figure computed with it. The built-in files are embedded by
// CMake (cmake/EmbedConventions.cmake) into BuiltinConventions.inc.
#include "passes/ConventionFile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

#include <algorithm>

namespace opaudit {

namespace {

struct Builtin {
  llvm::StringRef Name;
  llvm::StringRef Text;
};
#include "BuiltinConventions.inc" // defines kBuiltinConventions[]

constexpr llvm::StringRef kOrder[] = {"macs",    "tops",      "flops",   "torchvision",
                                      "fvcore",  "thop",      "ptflops", "deepspeed",
                                      "darknet", "onnx-tool", "openvino"};

class Reader {
public:
  Reader(llvm::StringRef Text, llvm::StringRef Path)
      : Path(Path.str()), Stream(Text, SM, /*ShowColors=*/false) {
    // Syntax errors are kept and returned as one line, never printed by the parser.
    SM.setDiagHandler(
        [](const llvm::SMDiagnostic &D, void *Ctx) {
          auto *Self = static_cast<Reader *>(Ctx);
          if (Self->Syntax.empty())
            Self->Syntax = std::to_string(D.getLineNo()) + ":" +
                           std::to_string(D.getColumnNo() + 1) + ": " + D.getMessage().str();
        },
        this);
  }

  llvm::Expected<Convention> read() {
    Convention C;
    C.Path = Path;
    C.MacClasses[static_cast<size_t>(OpClass::Conv)] = true;
    C.MacClasses[static_cast<size_t>(OpClass::MatMul)] = true;
    C.MacClasses[static_cast<size_t>(OpClass::Recurrent)] = true;
    C.MacClasses[static_cast<size_t>(OpClass::Attention)] = true;
    auto Doc = Stream.begin();
    if (Doc == Stream.end() || !Doc->getRoot())
      return fail(nullptr, "empty convention file");
    auto *Root = llvm::dyn_cast<llvm::yaml::MappingNode>(Doc->getRoot());
    if (!Root)
      return fail(Doc->getRoot(), "expected a mapping at the top level");
    bool HasName = false, HasOpm = false;
    for (auto &KV : *Root) {
      std::string Key = scalar(KV.getKey());
      llvm::yaml::Node *V = KV.getValue();
      if (Failed)
        break;
      if (Key == "name") {
        C.Name = scalar(V);
        HasName = true;
      } else if (Key == "source") {
        C.Source = scalar(V);
      } else if (Key == "meaning") {
        C.Meaning = scalar(V);
      } else if (Key == "ops_per_mac") {
        C.OpsPerMac = integer(V);
        HasOpm = true;
      } else if (Key == "mac_classes") {
        C.MacClasses.fill(false);
        auto *Seq = llvm::dyn_cast<llvm::yaml::SequenceNode>(V);
        if (!Seq) {
          setError(V, "mac_classes must be a list of class names");
          break;
        }
        for (auto &E : *Seq)
          if (auto Cl = opClass(&E))
            C.MacClasses[static_cast<size_t>(*Cl)] = true;
      } else if (Key == "bias") {
        forEach(V, [&](llvm::yaml::Node *K, llvm::yaml::Node *Val) {
          if (auto Cl = opClass(K))
            C.Bias[static_cast<size_t>(*Cl)] = integer(Val);
        });
      } else if (Key == "batchnorm") {
        C.Ops["BatchNormalization"] = cost(V);
      } else if (Key == "classes") {
        forEach(V, [&](llvm::yaml::Node *K, llvm::yaml::Node *Val) {
          if (auto Cl = opClass(K))
            C.Classes[static_cast<size_t>(*Cl)] = cost(Val);
        });
      } else if (Key == "transcendental" || Key == "ops") {
        forEach(V, [&](llvm::yaml::Node *K, llvm::yaml::Node *Val) {
          std::string Op = scalar(K);
          if (!Failed && !C.Ops.emplace(Op, cost(Val)).second)
            setError(K, "op '" + Op + "' is given twice");
        });
      } else if (Key == "precision") {
        std::string P = scalar(V);
        if (P == "split")
          C.SplitPrecision = true;
        else if (P != "combined")
          setError(V, "precision must be 'combined' or 'split', got '" + P + "'");
      } else if (!Failed) {
        setError(KV.getKey(), "unknown key '" + Key + "'");
      }
    }
    if (Stream.failed() || !Syntax.empty())
      return makeError(ErrorCategory::Usage, Path + ":" + Syntax);
    if (!Failed && !HasName)
      setError(Root, "missing 'name'");
    if (!Failed && !HasOpm)
      setError(Root, "missing 'ops_per_mac'");
    if (!Failed && C.OpsPerMac < 0)
      setError(Root, "ops_per_mac must be >= 0");
    if (Failed)
      return makeError(ErrorCategory::Usage, ErrMsg);
    return C;
  }

private:
  std::string Path;
  llvm::SourceMgr SM;
  llvm::yaml::Stream Stream;
  std::string ErrMsg; ///< The first error, "path:line:col: message".
  bool Failed = false;
  std::string Syntax;

  void setError(llvm::yaml::Node *N, const llvm::Twine &Msg) {
    if (Failed)
      return;
    Failed = true;
    std::string Where = Path;
    if (N) {
      auto [Line, Col] = SM.getLineAndColumn(N->getSourceRange().Start);
      Where += ":" + std::to_string(Line) + ":" + std::to_string(Col);
    }
    ErrMsg = Where + ": " + Msg.str();
  }
  llvm::Error fail(llvm::yaml::Node *N, const llvm::Twine &Msg) {
    setError(N, Msg);
    return makeError(ErrorCategory::Usage, ErrMsg);
  }

  std::string scalar(llvm::yaml::Node *N) {
    if (auto *B = llvm::dyn_cast_or_null<llvm::yaml::BlockScalarNode>(N)) {
      // LLVM keeps the line breaks of a `>-` block; fold them as YAML says.
      std::string T = B->getValue().trim().str();
      std::replace(T.begin(), T.end(), '\n', ' ');
      return T;
    }
    auto *S = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(N);
    if (!S) {
      setError(N, "expected a plain value");
      return "";
    }
    llvm::SmallString<64> Storage;
    return S->getValue(Storage).str();
  }
  int64_t integer(llvm::yaml::Node *N) {
    std::string S = scalar(N);
    int64_t V = 0;
    if (!Failed && llvm::StringRef(S).getAsInteger(10, V))
      setError(N, "expected an integer, got '" + S + "'");
    return V;
  }
  std::optional<OpClass> opClass(llvm::yaml::Node *N) {
    std::string S = scalar(N);
    if (Failed)
      return std::nullopt;
    auto C = opClassFromName(S);
    if (!C) {
      std::string Known;
      for (size_t I = 0; I < kNumOpClasses; ++I)
        Known += (I ? ", " : "") + opClassName(static_cast<OpClass>(I)).str();
      setError(N, "unknown operator class '" + S + "' (known: " + Known + ")");
    }
    return C;
  }
  /// A cost is an integer (per output element) or a mapping of bases to integers.
  CostSpec cost(llvm::yaml::Node *N) {
    CostSpec C;
    if (llvm::isa<llvm::yaml::ScalarNode>(N)) {
      C.Output = integer(N);
      return C;
    }
    forEach(N, [&](llvm::yaml::Node *K, llvm::yaml::Node *V) {
      std::string B = scalar(K);
      int64_t X = integer(V);
      if (B == "output")
        C.Output = X;
      else if (B == "input")
        C.Input = X;
      else if (B == "window")
        C.Window = X;
      else if (B == "rows")
        C.Rows = X;
      else
        setError(K, "unknown cost basis '" + B + "' (known: output, input, window, rows)");
    });
    return C;
  }
  template <typename F> void forEach(llvm::yaml::Node *N, F Fn) {
    auto *M = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(N);
    if (!M) {
      setError(N, "expected a mapping");
      return;
    }
    for (auto &KV : *M) {
      if (Failed)
        return;
      Fn(KV.getKey(), KV.getValue());
    }
  }
};

} // namespace

llvm::Expected<Convention> parseConvention(llvm::StringRef Text, llvm::StringRef Path) {
  Reader R(Text, Path);
  return R.read();
}

llvm::ArrayRef<llvm::StringRef> builtinConventionNames() { return kOrder; }

llvm::StringRef builtinConventionText(llvm::StringRef Name) {
  for (const Builtin &B : kBuiltinConventions)
    if (B.Name == Name)
      return B.Text;
  return "";
}

llvm::Expected<Convention> loadConvention(llvm::StringRef NameOrPath) {
  llvm::StringRef Text = builtinConventionText(NameOrPath);
  if (!Text.empty())
    return parseConvention(Text, "builtin:" + NameOrPath.str());
  bool LooksLikePath = NameOrPath.contains('/') || NameOrPath.endswith(".yaml") ||
                       NameOrPath.endswith(".yml") || NameOrPath.endswith(".json");
  if (!LooksLikePath) {
    std::string Names;
    for (llvm::StringRef N : kOrder)
      Names += (Names.empty() ? "" : ", ") + N.str();
    return makeError(ErrorCategory::Usage, "unknown convention '" + NameOrPath +
                                               "' (built-in: " + Names + "; or give a file path)");
  }
  auto Buf = llvm::MemoryBuffer::getFile(NameOrPath);
  if (!Buf)
    return makeError(ErrorCategory::Usage, "cannot read convention file '" + NameOrPath +
                                               "': " + Buf.getError().message());
  return parseConvention((*Buf)->getBuffer(), NameOrPath);
}

} // namespace opaudit
