// ONNX's conformance models (Debian's libonnx-testdata) as a shape-inference
// benchmark. Each model is made honest first: declared output shapes and
// value_info are stripped (they would hand the answer over), and the test's
// small inputs become initializers, as they are in exported models (integer
// tensors of at most 64 elements, floating-point ones of at most 16: Reshape
// targets, Slice bounds, Resize scales). Then every graph output's inferred
// dims are compared with the dims of test_data_set_0/output_*.pb, both for
// opaudit and for libonnx's own C++ shape inference on the same model.
//
// Buckets per model: exact (every output dim right), symbolic (some dim left
// as a symbol or unknown, every known dim right: data-dependent outputs such
// as NonZero must land here) and wrong (a known dim or rank differs). Wrong
// must be empty, and every model ONNX gets exactly right must be exact for
// opaudit too. Set OPAUDIT_CONFORMANCE_REPORT=FILE to write the per-model
// list of misses (docs/conformance.md is generated from it).
#include "tests/TestUtil.h"

#include "onnx/onnx_pb.h"
#include "onnx/shape_inference/implementation.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace opaudit;
using namespace opaudit::test;

namespace {

constexpr const char *kDataRoot = "/usr/share/libonnx-testdata/data";
constexpr const char *kSuites[] = {"node", "pytorch-converted", "pytorch-operator", "simple"};

enum class Verdict { Exact, Symbolic, Wrong };

const char *verdictName(Verdict V) {
  return V == Verdict::Exact ? "exact" : V == Verdict::Symbolic ? "symbolic" : "wrong";
}

std::string slurpFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

bool isIntegerProto(int32_t T) {
  using TP = onnx::TensorProto;
  // Booleans count as integers (ONNX stores them in int32_data): Compress
  // conditions and masks are constants in exported models just as often.
  return T == TP::INT8 || T == TP::INT16 || T == TP::INT32 || T == TP::INT64 || T == TP::UINT8 ||
         T == TP::UINT16 || T == TP::UINT32 || T == TP::UINT64 || T == TP::BOOL;
}

bool isFloatProto(int32_t T) {
  using TP = onnx::TensorProto;
  return T == TP::FLOAT || T == TP::DOUBLE || T == TP::FLOAT16 || T == TP::BFLOAT16;
}

/// Expected dims of one graph output; nullopt for non-tensor outputs
/// (sequences, optionals, maps), whose element counts depend on data.
using Dims = std::vector<int64_t>;

struct Case {
  std::string Name; ///< suite/test_name
  std::string Stripped;
  std::vector<std::optional<Dims>> Expected;
  std::vector<std::string> OutputNames;
};

/// Builds the stripped model and the expected output dims of one test directory.
std::optional<Case> prepare(const std::string &Dir, const std::string &Name) {
  onnx::ModelProto MP;
  std::string Bytes = slurpFile(Dir + "/model.onnx");
  if (!MP.ParseFromString(Bytes))
    return std::nullopt;
  Case C;
  C.Name = Name;
  onnx::GraphProto *G = MP.mutable_graph();
  std::set<std::string> Inits;
  for (const auto &I : G->initializer())
    Inits.insert(I.name());
  std::vector<std::string> RealInputs;
  for (const auto &I : G->input())
    if (!Inits.count(I.name()))
      RealInputs.push_back(I.name());
  std::set<std::string> MadeConst;
  for (size_t I = 0; I < RealInputs.size(); ++I) {
    std::string P = Dir + "/test_data_set_0/input_" + std::to_string(I) + ".pb";
    if (!llvm::sys::fs::exists(P))
      break;
    const onnx::ValueInfoProto *VI = nullptr;
    for (const auto &In : G->input())
      if (In.name() == RealInputs[I])
        VI = &In;
    if (!VI || !VI->type().has_tensor_type())
      continue;
    onnx::TensorProto T;
    if (!T.ParseFromString(slurpFile(P)))
      continue;
    int64_t N = 1;
    for (int64_t D : T.dims())
      N *= D;
    bool Small =
        (isIntegerProto(T.data_type()) && N <= 64) || (isFloatProto(T.data_type()) && N <= 16);
    if (!Small)
      continue;
    T.set_name(RealInputs[I]);
    *G->add_initializer() = T;
    MadeConst.insert(RealInputs[I]);
  }
  // Inputs made constant leave the input list, as in an exported model
  // (before IR version 4 an initializer must also be listed as an input).
  auto *Ins = G->mutable_input();
  if (MP.ir_version() < 4)
    MadeConst.clear();
  Ins->erase(
      std::remove_if(Ins->begin(), Ins->end(),
                     [&](const onnx::ValueInfoProto &V) { return MadeConst.count(V.name()); }),
      Ins->end());
  G->clear_value_info();
  for (int I = 0; I < G->output_size(); ++I) {
    onnx::ValueInfoProto *O = G->mutable_output(I);
    C.OutputNames.push_back(O->name());
    bool Tensor = O->type().has_tensor_type();
    std::optional<Dims> Want;
    if (Tensor) {
      onnx::TensorProto T;
      if (T.ParseFromString(
              slurpFile(Dir + "/test_data_set_0/output_" + std::to_string(I) + ".pb")))
        Want = Dims(T.dims().begin(), T.dims().end());
      O->mutable_type()->mutable_tensor_type()->clear_shape();
    } else {
      // Keep the kind (sequence/optional) but drop any element shape.
      O->clear_type();
    }
    C.Expected.push_back(Want);
  }
  if (!MP.SerializeToString(&C.Stripped))
    return std::nullopt;
  return C;
}

/// Judges inferred dims (as text: a number, a symbol, or "?" / empty rank)
/// against the expected dims.
Verdict judge(const std::optional<std::vector<std::string>> &Got, const std::optional<Dims> &Want,
              std::string &Why) {
  if (!Want) {
    Why = "non-tensor output (sequence/optional/map)";
    return Verdict::Symbolic;
  }
  if (!Got) {
    Why = "rank unknown";
    return Verdict::Symbolic;
  }
  if (Got->size() != Want->size()) {
    Why = "rank " + std::to_string(Got->size()) + ", want " + std::to_string(Want->size());
    return Verdict::Wrong;
  }
  Verdict V = Verdict::Exact;
  for (size_t I = 0; I < Want->size(); ++I) {
    int64_t X;
    if (llvm::StringRef((*Got)[I]).getAsInteger(10, X)) {
      V = Verdict::Symbolic;
      Why = "dim " + std::to_string(I) + " is '" + (*Got)[I] + "'";
      continue;
    }
    if (X != (*Want)[I]) {
      Why = "dim " + std::to_string(I) + " is " + std::to_string(X) + ", want " +
            std::to_string((*Want)[I]);
      return Verdict::Wrong;
    }
  }
  return V;
}

struct Outcome {
  Verdict Ours = Verdict::Exact;
  std::string OursWhy;
  Verdict Onnx = Verdict::Exact;
  std::string OnnxWhy;
  /// Outputs where ONNX's dims are all known, with those dims and ours.
  std::vector<std::pair<std::vector<std::string>, std::optional<std::vector<std::string>>>> Cross;
};

Verdict worse(Verdict A, Verdict B) { return static_cast<int>(A) > static_cast<int>(B) ? A : B; }

Outcome runCase(const Case &C) {
  Outcome R;
  // opaudit.
  auto M = loadModel(llvm::MemoryBuffer::getMemBufferCopy(C.Stripped, C.Name), C.Name);
  REQUIRE_MESSAGE(bool(M), C.Name);
  AnalysisManager AM(**M);
  const ShapeInfo &SI = AM.get<ShapeInference>();
  const Graph &G = (*M)->Main;
  std::vector<std::optional<std::vector<std::string>>> OursDims;
  for (size_t I = 0; I < C.Expected.size(); ++I) {
    std::optional<std::vector<std::string>> Got;
    if (I < G.Outputs.size()) {
      const TensorType &T = SI.Types[static_cast<size_t>(G.Outputs[I])];
      if (T.Dims) {
        Got.emplace();
        for (Expr D : *T.Dims)
          Got->push_back(D ? D.str() : "?");
      }
    }
    OursDims.push_back(Got);
    std::string Why;
    Verdict V = judge(Got, C.Expected[I], Why);
    if (static_cast<int>(V) > static_cast<int>(R.Ours) ||
        (V != Verdict::Exact && R.OursWhy.empty())) {
      R.OursWhy = "output '" + C.OutputNames[I] + "': " + Why;
      // The first diagnostic usually names the node and the reason.
      for (const Diagnostic &D : SI.Diags)
        if (D.Level != Severity::Note) {
          R.OursWhy += " (" + D.Node + ": " + D.Message + ")";
          break;
        }
    }
    R.Ours = worse(R.Ours, V);
  }
  // libonnx's own inference on the same stripped model.
  onnx::ModelProto MP;
  MP.ParseFromString(C.Stripped);
  try {
    onnx::shape_inference::InferShapes(MP);
  } catch (const std::exception &E) {
    R.Onnx = Verdict::Symbolic;
    R.OnnxWhy = std::string("threw: ") + E.what();
  }
  for (size_t I = 0; I < C.Expected.size(); ++I) {
    std::optional<std::vector<std::string>> Got;
    const onnx::ValueInfoProto &O = MP.graph().output(static_cast<int>(I));
    if (O.type().has_tensor_type() && O.type().tensor_type().has_shape()) {
      Got.emplace();
      for (const auto &D : O.type().tensor_type().shape().dim())
        Got->push_back(D.has_dim_value()   ? std::to_string(D.dim_value())
                       : D.has_dim_param() ? D.dim_param()
                                           : "?");
    }
    std::string Why;
    Verdict V = judge(Got, C.Expected[I], Why);
    if (V != Verdict::Exact && R.OnnxWhy.empty())
      R.OnnxWhy = Why;
    R.Onnx = worse(R.Onnx, V);
    bool OnnxKnown = Got && std::all_of(Got->begin(), Got->end(), [](const std::string &S) {
                       int64_t X;
                       return !llvm::StringRef(S).getAsInteger(10, X);
                     });
    if (OnnxKnown)
      R.Cross.emplace_back(*Got, OursDims[I]);
  }
  return R;
}

std::vector<std::pair<std::string, std::string>> conformanceDirs() {
  std::vector<std::pair<std::string, std::string>> Dirs;
  for (const char *Suite : kSuites) {
    std::error_code EC;
    std::string Root = std::string(kDataRoot) + "/" + Suite;
    for (llvm::sys::fs::directory_iterator It(Root, EC), End; It != End && !EC; It.increment(EC))
      if (llvm::sys::fs::exists(It->path() + "/model.onnx"))
        Dirs.emplace_back(It->path(),
                          std::string(Suite) + "/" + llvm::sys::path::filename(It->path()).str());
  }
  std::sort(Dirs.begin(), Dirs.end(),
            [](const auto &A, const auto &B) { return A.second < B.second; });
  return Dirs;
}

} // namespace

TEST_CASE("Conformance: ONNX test data, shapes inferred from stripped models") {
  auto Dirs = conformanceDirs();
  // scripts/install-deps installs libonnx-testdata; its absence is a failure, never a skip.
  REQUIRE_MESSAGE(Dirs.size() == 1072, "libonnx-testdata missing or changed under " << kDataRoot);
  std::map<Verdict, int> Ours, Onnx;
  int OnnxOnly = 0, CrossChecked = 0, CrossDisagree = 0;
  std::ostringstream Misses;
  for (const auto &[Dir, Name] : Dirs) {
    CAPTURE(Name);
    auto C = prepare(Dir, Name);
    REQUIRE_MESSAGE(bool(C), "cannot read " << Dir);
    Outcome O = runCase(*C);
    ++Ours[O.Ours];
    ++Onnx[O.Onnx];
    if (O.Ours != Verdict::Exact)
      Misses << "| `" << Name << "` | " << verdictName(O.Ours) << " | "
             << (O.Onnx == Verdict::Exact ? "exact" : verdictName(O.Onnx)) << " | " << O.OursWhy
             << " |\n";
    // Everything ONNX gets right, opaudit must get right.
    CHECK_MESSAGE(!(O.Onnx == Verdict::Exact && O.Ours != Verdict::Exact),
                  Name << ": ONNX exact, opaudit " << std::string(verdictName(O.Ours)) << ": " << O.OursWhy);
    OnnxOnly += O.Onnx == Verdict::Exact && O.Ours != Verdict::Exact;
    CHECK_MESSAGE(O.Ours != Verdict::Wrong, Name << ": " << O.OursWhy);
    // Cross-check: where libonnx resolves an output fully, the dims agree.
    for (const auto &[OnnxDims, OurDims] : O.Cross) {
      ++CrossChecked;
      bool Agree = OurDims && *OurDims == OnnxDims;
      // A libonnx result that is itself wrong against the test data is not held against us.
      CrossDisagree += !Agree && O.Onnx != Verdict::Wrong;
      CHECK_MESSAGE((Agree || O.Onnx == Verdict::Wrong), Name << ": libonnx and opaudit disagree");
    }
  }
  MESSAGE("opaudit: " << Ours[Verdict::Exact] << " exact, " << Ours[Verdict::Symbolic]
                      << " symbolic/unknown, " << Ours[Verdict::Wrong]
                      << " wrong; libonnx: " << Onnx[Verdict::Exact] << " exact, "
                      << Onnx[Verdict::Symbolic] << " symbolic/unknown, " << Onnx[Verdict::Wrong]
                      << " wrong; " << CrossChecked << " outputs cross-checked");
  if (const char *Out = std::getenv("OPAUDIT_CONFORMANCE_REPORT")) {
    std::ofstream F(Out);
    F << "opaudit: " << Ours[Verdict::Exact] << " exact, " << Ours[Verdict::Symbolic]
      << " symbolic/unknown, " << Ours[Verdict::Wrong] << " wrong of " << Dirs.size()
      << "; libonnx 1.12 C++: " << Onnx[Verdict::Exact] << " exact, " << Onnx[Verdict::Symbolic]
      << " symbolic/unknown, " << Onnx[Verdict::Wrong] << " wrong; " << CrossChecked
      << " outputs cross-checked, " << CrossDisagree << " disagree\n\n"
      << "| model | opaudit | libonnx | reason |\n| --- | --- | --- | --- |\n"
      << Misses.str();
  }
  CHECK(Ours[Verdict::Wrong] == 0);
  CHECK(OnnxOnly == 0);
  CHECK(CrossDisagree == 0);
  CHECK(Ours[Verdict::Exact] >= 1019);
}

TEST_CASE("Conformance: libonnx and opaudit agree on every value libonnx resolves in the samples") {
  int Compared = 0;
  for (std::string Name :
       {"resnet50.onnx", "mobilenet_v2.onnx", "vit_b_16.onnx", "shufflenet_v2_x1_0.onnx",
        "swin_t.onnx", "yolov3.onnx", "bert_base.onnx", "tiny_cnn.onnx"}) {
    CAPTURE(Name);
    onnx::ModelProto MP;
    REQUIRE(MP.ParseFromString(slurpFile(samplePath(Name))));
    onnx::GraphProto *G = MP.mutable_graph();
    G->clear_value_info();
    for (auto &O : *G->mutable_output())
      O.mutable_type()->mutable_tensor_type()->clear_shape();
    std::string Stripped;
    REQUIRE(MP.SerializeToString(&Stripped));
    onnx::shape_inference::InferShapes(MP);
    auto M = loadModel(llvm::MemoryBuffer::getMemBufferCopy(Stripped, samplePath(Name)),
                       samplePath(Name));
    REQUIRE(bool(M));
    AnalysisManager AM(**M);
    const ShapeInfo &SI = AM.get<ShapeInference>();
    auto Check = [&](const onnx::ValueInfoProto &VI) {
      if (!VI.type().has_tensor_type() || !VI.type().tensor_type().has_shape())
        return;
      std::vector<std::string> Want;
      for (const auto &D : VI.type().tensor_type().shape().dim()) {
        if (!D.has_dim_value())
          return; // only values libonnx resolves fully
        Want.push_back(std::to_string(D.dim_value()));
      }
      ValueId V = (*M)->Main.lookup(VI.name());
      REQUIRE_MESSAGE(V != kNoValue, VI.name());
      std::vector<std::string> Got;
      const TensorType &T = SI.Types[static_cast<size_t>(V)];
      if (T.Dims)
        for (Expr D : *T.Dims)
          Got.push_back(D ? D.str() : "?");
      ++Compared;
      CHECK_MESSAGE(Got == Want, VI.name());
    };
    for (const auto &VI : MP.graph().value_info())
      Check(VI);
    for (const auto &VI : MP.graph().output())
      Check(VI);
  }
  MESSAGE(Compared << " sample values cross-checked against libonnx");
  CHECK(Compared > 5000);
}
