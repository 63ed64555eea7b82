// The streaming ONNX loader. ModelProto, GraphProto, NodeProto, AttributeProto,
// TensorProto and FunctionProto are walked field by field with protobuf's
// CodedInputStream so that tensor payloads can be skipped and recorded as
// spans; the small messages that never carry payloads (ValueInfoProto,
// OperatorSetIdProto, StringStringEntryProto) are handed to the generated
// parsers. Nothing here allocates in proportion to a payload.
#include "analyzer/Loader.h"

#include "onnx/onnx_pb.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <climits>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace opaudit {
namespace {

using google::protobuf::io::CodedInputStream;
using WFL = google::protobuf::internal::WireFormatLite;

/// One field of a message.
struct Field {
  uint32_t Num = 0;
  WFL::WireType Type = WFL::WIRETYPE_VARINT;
  uint64_t Varint = 0;          ///< VARINT, FIXED32 and FIXED64 values.
  const uint8_t *Data = nullptr; ///< LENGTH_DELIMITED payload.
  uint32_t Size = 0;
  uint64_t Offset = 0; ///< File offset of Data.

  llvm::StringRef str() const { return {reinterpret_cast<const char *>(Data), Size}; }
};

/// Iterates the fields of one message held in [Data, Data + Size).
class FieldReader {
public:
  FieldReader(const uint8_t *Data, uint32_t Size, uint64_t Base)
      : Start(Data), Size(Size), Base(Base), In(Data, static_cast<int>(Size)) {}

  /// Reads the next field; false at the end of the message or on malformed input
  /// (then error() says what).
  bool next(Field &F) {
    if (Failed || static_cast<uint32_t>(In.CurrentPosition()) >= Size)
      return false;
    uint32_t Tag = In.ReadTag();
    if (Tag == 0)
      return fail("invalid field tag");
    F.Num = WFL::GetTagFieldNumber(Tag);
    F.Type = WFL::GetTagWireType(Tag);
    F.Data = nullptr;
    F.Size = 0;
    switch (F.Type) {
    case WFL::WIRETYPE_VARINT:
      if (!In.ReadVarint64(&F.Varint))
        return fail("truncated varint");
      return true;
    case WFL::WIRETYPE_FIXED64:
      if (!In.ReadLittleEndian64(&F.Varint))
        return fail("truncated fixed64");
      return true;
    case WFL::WIRETYPE_FIXED32: {
      uint32_t V;
      if (!In.ReadLittleEndian32(&V))
        return fail("truncated fixed32");
      F.Varint = V;
      return true;
    }
    case WFL::WIRETYPE_LENGTH_DELIMITED: {
      uint64_t Len;
      if (!In.ReadVarint64(&Len))
        return fail("truncated length");
      uint64_t Pos = static_cast<uint64_t>(In.CurrentPosition());
      if (Len > Size - Pos)
        return fail("field " + std::to_string(F.Num) + " claims " + std::to_string(Len) +
                    " bytes but only " + std::to_string(Size - Pos) + " remain");
      F.Data = Start + Pos;
      F.Size = static_cast<uint32_t>(Len);
      F.Offset = Base + Pos;
      In.Skip(static_cast<int>(Len));
      return true;
    }
    default:
      return fail("unsupported wire type " + std::to_string(static_cast<int>(F.Type)));
    }
  }

  bool failed() const { return Failed; }
  const std::string &error() const { return Error; }

private:
  bool fail(std::string Msg) {
    Failed = true;
    Error = "malformed protobuf at byte " + std::to_string(Base + In.CurrentPosition()) + ": " +
            std::move(Msg);
    return false;
  }

  const uint8_t *Start;
  uint32_t Size;
  uint64_t Base;
  CodedInputStream In;
  bool Failed = false;
  std::string Error;
};

/// Reads the elements of a repeated scalar field, packed or not, calling Fn
/// for each; stops early when Fn returns false.
template <typename Fn> bool forEachScalar(const Field &F, WFL::WireType Elem, Fn &&Each) {
  if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED)
    return Each(F.Varint), true;
  CodedInputStream In(F.Data, static_cast<int>(F.Size));
  while (static_cast<uint32_t>(In.CurrentPosition()) < F.Size) {
    uint64_t V = 0;
    bool Ok;
    if (Elem == WFL::WIRETYPE_VARINT) {
      Ok = In.ReadVarint64(&V);
    } else if (Elem == WFL::WIRETYPE_FIXED32) {
      uint32_t W;
      Ok = In.ReadLittleEndian32(&W);
      V = W;
    } else {
      Ok = In.ReadLittleEndian64(&V);
    }
    if (!Ok)
      return false;
    if (!Each(V))
      return true;
  }
  return true;
}

float halfToFloat(uint16_t H) {
  uint32_t Sign = (H >> 15) & 1, Exp = (H >> 10) & 0x1f, Mant = H & 0x3ff;
  float Mag;
  if (Exp == 0)
    Mag = std::ldexp(static_cast<float>(Mant), -24);
  else if (Exp == 31)
    Mag = Mant ? NAN : INFINITY;
  else
    Mag = std::ldexp(static_cast<float>(Mant | 0x400), static_cast<int>(Exp) - 25);
  return Sign ? -Mag : Mag;
}

float bf16ToFloat(uint16_t B) {
  uint32_t Bits = static_cast<uint32_t>(B) << 16;
  float F;
  std::memcpy(&F, &Bits, 4);
  return F;
}

class Loader {
public:
  Loader(Model &M, const LoadOptions &Opts) : M(M), Opts(Opts) {
    ModelDir = llvm::sys::path::parent_path(M.Path).str();
    if (ModelDir.empty())
      ModelDir = ".";
  }

  llvm::Error run(const uint8_t *Data, uint64_t Size);

private:
  llvm::Error fail(const llvm::Twine &Msg) {
    return makeError(ErrorCategory::Load, M.Path + ": " + Msg);
  }
  void diag(Severity S, std::string Where, std::string Msg) {
    M.LoadDiagnostics.push_back({S, std::move(Where), std::move(Msg)});
  }

  llvm::Error readGraph(const Field &F, Graph &G, unsigned Depth);
  llvm::Error readNode(const Field &F, Node &N, std::vector<std::string> &In,
                       std::vector<std::string> &Out, unsigned Depth, const Graph &Owner);
  llvm::Error readAttribute(const Field &F, Attribute &A, unsigned Depth, const Graph &Owner);
  llvm::Error readTensor(const Field &F, TensorData &T);
  llvm::Error readFunction(const Field &F, Function &Fn);
  void readDeclaredType(const onnx::TypeProto &TP, DeclaredType &D);
  void decodeSmallValues(TensorData &T, const Field *Typed, WFL::WireType Elem);
  void checkExternal(TensorData &T);
  bool resolvesInside(llvm::StringRef Loc, std::string &Why);
  void markRecursiveFunctions();
  void resolveGraph(Graph &G, std::vector<Node> &Nodes,
                    std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> &IO);

  Model &M;
  const LoadOptions &Opts;
  std::string ModelDir;
  /// Location -> whether it resolves inside the model's directory.
  llvm::StringMap<bool> ExternalVerdict;
};

llvm::Error Loader::run(const uint8_t *Data, uint64_t Size) {
  if (Size == 0)
    return fail("empty file, not an ONNX model");
  if (Size > static_cast<uint64_t>(INT_MAX))
    return fail("file is larger than protobuf's 2 GiB message limit; large models keep weights "
                "in external data files");
  FieldReader R(Data, static_cast<uint32_t>(Size), 0);
  Field F;
  bool SawGraph = false;
  while (R.next(F)) {
    switch (F.Num) {
    case 1: // ir_version
      if (F.Type != WFL::WIRETYPE_VARINT)
        return fail("not an ONNX model (field 1 is not ir_version)");
      M.IrVersion = static_cast<int64_t>(F.Varint);
      break;
    case 2: // producer_name
      if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED)
        return fail("not an ONNX model (field 2 is not producer_name)");
      M.ProducerName = F.str().str();
      break;
    case 3:
      if (F.Type == WFL::WIRETYPE_LENGTH_DELIMITED)
        M.ProducerVersion = F.str().str();
      break;
    case 7: { // graph
      if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED)
        return fail("not an ONNX model (field 7 is not a graph)");
      if (SawGraph)
        return fail("model has more than one graph");
      SawGraph = true;
      if (auto E = readGraph(F, M.Main, 0))
        return E;
      break;
    }
    case 8: { // opset_import
      onnx::OperatorSetIdProto Op;
      if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED || !Op.ParseFromArray(F.Data, static_cast<int>(F.Size)))
        return fail("malformed opset_import");
      std::string D = Op.domain() == "ai.onnx" ? "" : Op.domain();
      M.Opsets[D] = Op.version();
      break;
    }
    case 25: { // functions
      if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED)
        return fail("malformed function");
      M.Functions.emplace_back();
      if (auto E = readFunction(F, M.Functions.back()))
        return E;
      break;
    }
    default:
      break; // doc_string, metadata_props, training_info, ...
    }
  }
  if (R.failed())
    return fail(R.error() + " (truncated or not an ONNX file)");
  if (!SawGraph)
    return fail("not an ONNX model: no graph found");
  if (M.Opsets.empty()) {
    diag(Severity::Warning, "", "model has no opset_import; assuming default-domain opset 1 as the "
                                "ONNX spec says for IR version < 3");
    M.Opsets[""] = 1;
  }
  markRecursiveFunctions();
  return llvm::Error::success();
}

/// Marks every model-local function that can reach itself through calls
/// (Function::Recursive) and reports each cycle once. Iterative Tarjan SCC:
/// a hostile file may chain thousands of functions, so no recursion here.
void Loader::markRecursiveFunctions() {
  size_t NF = M.Functions.size();
  if (NF == 0)
    return;
  llvm::StringMap<size_t> Index;
  auto key = [](llvm::StringRef Domain, llvm::StringRef Name) {
    return ((Domain == "ai.onnx" ? llvm::StringRef() : Domain) + "\x01" + Name).str();
  };
  for (size_t I = 0; I < NF; ++I)
    Index.try_emplace(key(M.Functions[I].Domain, M.Functions[I].Name), I);
  std::vector<std::vector<size_t>> Calls(NF);
  for (size_t I = 0; I < NF; ++I) {
    // Calls from the body and from any subgraph inside it.
    std::vector<const Graph *> Work{M.Functions[I].Body.get()};
    while (!Work.empty()) {
      const Graph *G = Work.back();
      Work.pop_back();
      for (const Node &N : G->Nodes) {
        auto It = Index.find(key(N.Domain, N.OpType));
        if (It != Index.end())
          Calls[I].push_back(It->second);
        for (const Attribute &A : N.Attrs)
          for (const auto &Sub : A.Graphs)
            Work.push_back(Sub.get());
      }
    }
    llvm::sort(Calls[I]);
    Calls[I].erase(std::unique(Calls[I].begin(), Calls[I].end()), Calls[I].end());
  }
  constexpr size_t Unvisited = SIZE_MAX;
  std::vector<size_t> Order(NF, Unvisited), Low(NF, 0), Stack;
  std::vector<bool> OnStack(NF, false);
  // Per-SCC scratch, reset only where touched so that many small cycles stay linear.
  std::vector<size_t> Comp(NF, Unvisited), Parent(NF, Unvisited);
  size_t NumComps = 0;
  size_t Counter = 0;
  std::vector<std::pair<size_t, size_t>> Frames; // (function, next call to visit)
  for (size_t Root = 0; Root < NF; ++Root) {
    if (Order[Root] != Unvisited)
      continue;
    Frames.push_back({Root, 0});
    Order[Root] = Low[Root] = Counter++;
    Stack.push_back(Root);
    OnStack[Root] = true;
    while (!Frames.empty()) {
      auto &[F, Next] = Frames.back();
      if (Next < Calls[F].size()) {
        size_t C = Calls[F][Next++];
        if (Order[C] == Unvisited) {
          Order[C] = Low[C] = Counter++;
          Stack.push_back(C);
          OnStack[C] = true;
          Frames.push_back({C, 0});
        } else if (OnStack[C]) {
          Low[F] = std::min(Low[F], Order[C]);
        }
        continue;
      }
      size_t Done = F;
      Frames.pop_back();
      if (!Frames.empty())
        Low[Frames.back().first] = std::min(Low[Frames.back().first], Low[Done]);
      if (Low[Done] != Order[Done])
        continue;
      std::vector<size_t> Scc;
      size_t X;
      do {
        X = Stack.back();
        Stack.pop_back();
        OnStack[X] = false;
        Scc.push_back(X);
      } while (X != Done);
      if (Scc.size() == 1 && !llvm::is_contained(Calls[Done], Done))
        continue;
      for (size_t Y : Scc) {
        M.Functions[Y].Recursive = true;
        Comp[Y] = NumComps;
      }
      ++NumComps;
      // Name one cycle, from the SCC member first in the file, by BFS inside the SCC.
      size_t Start = *std::min_element(Scc.begin(), Scc.end());
      std::vector<size_t> Queue{Start};
      size_t Last = Unvisited;
      for (size_t Q = 0; Q < Queue.size() && Last == Unvisited; ++Q)
        for (size_t C : Calls[Queue[Q]]) {
          if (Comp[C] != Comp[Start])
            continue;
          if (C == Start) {
            Last = Queue[Q];
            break;
          }
          if (Parent[C] == Unvisited) {
            Parent[C] = Queue[Q];
            Queue.push_back(C);
          }
        }
      auto name = [&](size_t I) {
        const Function &Fn = M.Functions[I];
        return Fn.Domain.empty() ? Fn.Name : Fn.Domain + "." + Fn.Name;
      };
      std::vector<size_t> Path; // Start's callee chain back to Start, reversed.
      for (size_t Y = Last; Y != Start && Y != Unvisited; Y = Parent[Y])
        Path.push_back(Y);
      std::reverse(Path.begin(), Path.end());
      for (size_t Q : Queue)
        Parent[Q] = Unvisited;
      std::string Cycle = name(Start) + " -> ";
      for (size_t I = 0; I < Path.size(); ++I) {
        if (I == 8 && Path.size() > 9) { // Keep the message one readable line.
          Cycle += "... (" + std::to_string(Path.size() - 9) + " more) -> ";
          I = Path.size() - 1;
        }
        Cycle += name(Path[I]) + " -> ";
      }
      diag(Severity::Error, "",
           "function " + name(Start) + " calls itself (" + Cycle + name(Start) +
               "); it is never expanded");
    }
  }
}

void Loader::readDeclaredType(const onnx::TypeProto &TP, DeclaredType &D) {
  if (!TP.has_tensor_type()) {
    D.IsTensor = false;
    if (TP.has_sparse_tensor_type())
      D.Elem = dtypeFromCode(TP.sparse_tensor_type().elem_type());
    // optional(tensor) and sequence(tensor) keep their element's type: shape
    // inference tracks such a value as the type of the tensor(s) it holds.
    const onnx::TypeProto *Elem = TP.has_optional_type() && TP.optional_type().has_elem_type()
                                      ? &TP.optional_type().elem_type()
                                  : TP.has_sequence_type() && TP.sequence_type().has_elem_type()
                                      ? &TP.sequence_type().elem_type()
                                      : nullptr;
    if (Elem && Elem->has_tensor_type()) {
      readDeclaredType(*Elem, D);
      D.IsTensor = false;
    }
    return;
  }
  const auto &TT = TP.tensor_type();
  D.Elem = dtypeFromCode(TT.elem_type());
  D.HasShape = TT.has_shape();
  if (!D.HasShape)
    return;
  for (const auto &Dim : TT.shape().dim()) {
    DeclaredDim DD;
    if (Dim.has_dim_value())
      DD.Value = Dim.dim_value();
    else if (Dim.has_dim_param() && !Dim.dim_param().empty())
      DD.Param = Dim.dim_param();
    D.Dims.push_back(std::move(DD));
  }
}

llvm::Error Loader::readGraph(const Field &GF, Graph &G, unsigned Depth) {
  if (Depth > Opts.MaxGraphDepth)
    return fail("subgraphs nested deeper than " + llvm::Twine(Opts.MaxGraphDepth) + " levels");
  FieldReader R(GF.Data, GF.Size, GF.Offset);
  Field F;
  std::vector<Node> Nodes;
  std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> IO;
  std::vector<onnx::ValueInfoProto> Inputs, Outputs, Infos;
  auto parseVI = [&](std::vector<onnx::ValueInfoProto> &Into) -> bool {
    Into.emplace_back();
    return F.Type == WFL::WIRETYPE_LENGTH_DELIMITED &&
           Into.back().ParseFromArray(F.Data, static_cast<int>(F.Size));
  };
  while (R.next(F)) {
    if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED)
      continue;
    switch (F.Num) {
    case 1: {
      Nodes.emplace_back();
      IO.emplace_back();
      if (auto E = readNode(F, Nodes.back(), IO.back().first, IO.back().second, Depth, G))
        return E;
      break;
    }
    case 2:
      G.Name = F.str().str();
      break;
    case 5: {
      G.Initializers.emplace_back();
      if (auto E = readTensor(F, G.Initializers.back()))
        return E;
      break;
    }
    case 11:
      if (!parseVI(Inputs))
        return fail("malformed graph input");
      break;
    case 12:
      if (!parseVI(Outputs))
        return fail("malformed graph output");
      break;
    case 13:
      if (!parseVI(Infos))
        return fail("malformed value_info");
      break;
    case 15:
      diag(Severity::Warning, "", "sparse initializers are not analyzed");
      break;
    default:
      break;
    }
  }
  if (R.failed())
    return fail(R.error());

  for (size_t I = 0; I < G.Initializers.size(); ++I) {
    ValueId V = G.valueFor(G.Initializers[I].Name);
    if (G.value(V).Initializer >= 0)
      diag(Severity::Warning, "initializer '" + G.Initializers[I].Name + "'",
           "duplicate initializer name; the last one is used");
    G.value(V).Initializer = static_cast<int32_t>(I);
  }
  auto declare = [&](const onnx::ValueInfoProto &VI, const char *Kind) {
    ValueId V = G.valueFor(VI.name());
    if (VI.has_type()) {
      DeclaredType D;
      readDeclaredType(VI.type(), D);
      for (size_t I = 0; I < D.Dims.size(); ++I)
        if (D.Dims[I].Value && *D.Dims[I].Value < 0)
          diag(Severity::Error, std::string(Kind) + " '" + VI.name() + "'",
               "dim " + std::to_string(I) + " is negative (" + std::to_string(*D.Dims[I].Value) +
                   "); treated as unknown");
      G.value(V).Declared = std::move(D);
    }
    return V;
  };
  for (const auto &VI : Inputs) {
    ValueId V = declare(VI, "graph input");
    G.value(V).IsGraphInput = true;
    G.Inputs.push_back(V);
  }
  for (const auto &VI : Infos)
    declare(VI, "value_info");
  resolveGraph(G, Nodes, IO);
  for (const auto &VI : Outputs) {
    ValueId V = G.lookup(VI.name());
    bool Known = V != kNoValue;
    V = declare(VI, "graph output");
    Value &Val = G.value(V);
    if (!Known || (Val.Producer == kNoNode && !Val.IsGraphInput && Val.Initializer < 0)) {
      if (Depth == 0)
        diag(Severity::Error, "", "graph output '" + VI.name() + "' is not produced by any node");
      else
        Val.FromOuterScope = true;
    }
    if (Val.IsGraphOutput)
      diag(Severity::Warning, "", "graph output '" + VI.name() + "' is listed twice");
    Val.IsGraphOutput = true;
    G.Outputs.push_back(V);
  }
  return llvm::Error::success();
}

void Loader::resolveGraph(
    Graph &G, std::vector<Node> &Nodes,
    std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> &IO) {
  G.Nodes = std::move(Nodes);
  for (size_t I = 0; I < G.Nodes.size(); ++I) {
    Node &N = G.Nodes[I];
    auto Id = static_cast<NodeId>(I);
    for (const std::string &Out : IO[I].second) {
      if (Out.empty()) {
        N.Outputs.push_back(kNoValue);
        continue;
      }
      ValueId V = G.valueFor(Out);
      Value &Val = G.value(V);
      if (Val.Producer != kNoNode)
        diag(Severity::Error, N.label(G),
             "output '" + Out + "' is also produced by " + G.node(Val.Producer).label(G) +
                 " (duplicate output name); this node's output is ignored");
      else if (Val.Initializer >= 0 || Val.IsGraphInput)
        diag(Severity::Error, N.label(G),
             "output '" + Out + "' redefines a graph input or initializer; it is ignored");
      else
        Val.Producer = Id;
      N.Outputs.push_back(Val.Producer == Id ? V : kNoValue);
    }
  }
  for (size_t I = 0; I < G.Nodes.size(); ++I) {
    Node &N = G.Nodes[I];
    for (const std::string &In : IO[I].first) {
      if (In.empty()) {
        N.Inputs.push_back(kNoValue);
        continue;
      }
      ValueId V = G.valueFor(In);
      Value &Val = G.value(V);
      if (Val.Producer == kNoNode && Val.Initializer < 0 && !Val.IsGraphInput &&
          !Val.FromOuterScope) {
        if (G.Parent || &G != &M.Main) {
          Val.FromOuterScope = true; // Resolved against the enclosing graphs at analysis time.
        } else {
          diag(Severity::Error, N.label(G),
               "input '" + In + "' is not produced by any node, graph input or initializer "
               "(dangling input)");
          Val.FromOuterScope = false;
        }
      }
      Val.Consumers.push_back(static_cast<NodeId>(I));
      N.Inputs.push_back(V);
    }
  }
}

llvm::Error Loader::readNode(const Field &NF, Node &N, std::vector<std::string> &In,
                             std::vector<std::string> &Out, unsigned Depth, const Graph &Owner) {
  FieldReader R(NF.Data, NF.Size, NF.Offset);
  Field F;
  while (R.next(F)) {
    if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED)
      continue;
    switch (F.Num) {
    case 1:
      In.push_back(F.str().str());
      break;
    case 2:
      Out.push_back(F.str().str());
      break;
    case 3:
      N.Name = F.str().str();
      break;
    case 4:
      N.OpType = F.str().str();
      break;
    case 7:
      N.Domain = F.str() == "ai.onnx" ? "" : F.str().str();
      break;
    case 5: {
      N.Attrs.emplace_back();
      if (auto E = readAttribute(F, N.Attrs.back(), Depth, Owner))
        return E;
      break;
    }
    default:
      break;
    }
  }
  if (R.failed())
    return fail(R.error() + " in node '" + N.Name + "'");
  if (N.OpType.empty())
    return fail("node '" + N.Name + "' has no op_type");
  return llvm::Error::success();
}

llvm::Error Loader::readAttribute(const Field &AF, Attribute &A, unsigned Depth,
                                  const Graph &Owner) {
  FieldReader R(AF.Data, AF.Size, AF.Offset);
  Field F;
  int64_t DeclaredKind = -1;
  while (R.next(F)) {
    switch (F.Num) {
    case 1:
      A.Name = F.str().str();
      break;
    case 21:
      A.RefAttrName = F.str().str();
      break;
    case 20:
      DeclaredKind = static_cast<int64_t>(F.Varint);
      break;
    case 2: {
      uint32_t Bits = static_cast<uint32_t>(F.Varint);
      std::memcpy(&A.F, &Bits, 4);
      A.Kind = AttrKind::Float;
      break;
    }
    case 3:
      A.I = static_cast<int64_t>(F.Varint);
      A.Kind = AttrKind::Int;
      break;
    case 4:
      A.S = F.str().str();
      A.Kind = AttrKind::String;
      break;
    case 5:
    case 10: {
      A.Tensors.emplace_back();
      if (auto E = readTensor(F, A.Tensors.back()))
        return E;
      A.Kind = F.Num == 5 ? AttrKind::Tensor : AttrKind::Tensors;
      break;
    }
    case 6:
    case 11: {
      auto Sub = std::make_unique<Graph>();
      Sub->Parent = &Owner;
      if (auto E = readGraph(F, *Sub, Depth + 1))
        return E;
      A.Graphs.push_back(std::move(Sub));
      A.Kind = F.Num == 6 ? AttrKind::Graph : AttrKind::Graphs;
      break;
    }
    case 7: {
      bool Ok = forEachScalar(F, WFL::WIRETYPE_FIXED32, [&](uint64_t V) {
        uint32_t Bits = static_cast<uint32_t>(V);
        float X;
        std::memcpy(&X, &Bits, 4);
        A.Floats.push_back(X);
        return true;
      });
      if (!Ok)
        return fail("malformed floats in attribute '" + A.Name + "'");
      A.Kind = AttrKind::Floats;
      break;
    }
    case 8: {
      bool Ok = forEachScalar(F, WFL::WIRETYPE_VARINT, [&](uint64_t V) {
        A.Ints.push_back(static_cast<int64_t>(V));
        return true;
      });
      if (!Ok)
        return fail("malformed ints in attribute '" + A.Name + "'");
      A.Kind = AttrKind::Ints;
      break;
    }
    case 9:
      A.Strings.push_back(F.str().str());
      A.Kind = AttrKind::Strings;
      break;
    case 22:
    case 23:
      A.Kind = AttrKind::SparseTensor;
      break;
    case 14:
    case 15:
      A.Kind = AttrKind::TypeProto;
      break;
    default:
      break;
    }
  }
  if (R.failed())
    return fail(R.error() + " in attribute '" + A.Name + "'");
  // The declared type wins for empty repeated fields (e.g. ints=[] written as type INTS only).
  static constexpr AttrKind FromCode[] = {
      AttrKind::Undefined, AttrKind::Float,   AttrKind::Int,          AttrKind::String,
      AttrKind::Tensor,    AttrKind::Graph,   AttrKind::Floats,       AttrKind::Ints,
      AttrKind::Strings,   AttrKind::Tensors, AttrKind::Graphs,       AttrKind::SparseTensor,
      AttrKind::SparseTensor, AttrKind::TypeProto, AttrKind::TypeProto};
  if (DeclaredKind > 0 && DeclaredKind < static_cast<int64_t>(std::size(FromCode)))
    A.Kind = FromCode[DeclaredKind];
  return llvm::Error::success();
}

llvm::Error Loader::readTensor(const Field &TF, TensorData &T) {
  FieldReader R(TF.Data, TF.Size, TF.Offset);
  Field F;
  bool External = false;
  Field Typed;
  WFL::WireType TypedElem = WFL::WIRETYPE_VARINT;
  bool HasTyped = false, HasRaw = false;
  uint64_t TypedCount = 0;
  while (R.next(F)) {
    switch (F.Num) {
    case 1: {
      bool Ok = forEachScalar(F, WFL::WIRETYPE_VARINT, [&](uint64_t V) {
        T.Dims.push_back(static_cast<int64_t>(V));
        return T.Dims.size() <= 64;
      });
      if (!Ok || T.Dims.size() > 64)
        return fail("tensor with malformed or more than 64 dims");
      break;
    }
    case 2:
      T.Type = dtypeFromCode(static_cast<int64_t>(F.Varint));
      break;
    case 8:
      T.Name = F.str().str();
      break;
    case 9:
      T.Payload = {F.Offset, F.Size};
      T.PayloadIsRaw = true;
      T.Where = Storage::Inline;
      HasRaw = true;
      break;
    case 4:
    case 5:
    case 7:
    case 10:
    case 11: {
      // Typed repeated data. Usually one packed field; unpacked values are rare
      // and small, so only the span of the first field and a count are kept.
      TypedElem = F.Num == 4 ? WFL::WIRETYPE_FIXED32
                  : F.Num == 10 ? WFL::WIRETYPE_FIXED64
                                : WFL::WIRETYPE_VARINT;
      if (!HasTyped) {
        Typed = F;
        T.Payload = {F.Type == WFL::WIRETYPE_LENGTH_DELIMITED ? F.Offset : 0, F.Size};
        T.PayloadIsRaw = false;
        T.Where = Storage::Inline;
      }
      HasTyped = true;
      ++TypedCount;
      break;
    }
    case 6:
      T.Where = Storage::Inline;
      break;
    case 13: {
      onnx::StringStringEntryProto E;
      if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED || !E.ParseFromArray(F.Data, static_cast<int>(F.Size)))
        return fail("malformed external_data entry in tensor '" + T.Name + "'");
      if (E.key() == "location")
        T.ExternalLocation = E.value();
      else if (E.key() == "offset" || E.key() == "length") {
        uint64_t V = 0;
        if (llvm::StringRef(E.value()).getAsInteger(10, V)) {
          diag(Severity::Warning, "initializer '" + T.Name + "'",
               "external_data " + E.key() + " '" + E.value() + "' is not a number");
        } else if (E.key() == "offset") {
          T.ExternalOffset = V;
        } else {
          T.ExternalLength = V;
        }
      }
      break;
    }
    case 14:
      External = F.Varint == 1;
      break;
    default:
      break;
    }
  }
  if (R.failed())
    return fail(R.error() + " in tensor '" + T.Name + "'");
  for (int64_t D : T.Dims)
    if (D < 0)
      return fail("tensor '" + T.Name + "' has negative dim " + llvm::Twine(D));
  // No file can hold 2^63 elements, and a report cannot count them: such a
  // tensor is corrupt, like a negative dim, rather than a partial result.
  if (!T.numElements() || !T.numBytes()) {
    std::string Dims;
    for (int64_t D : T.Dims)
      Dims += (Dims.empty() ? "" : "x") + std::to_string(D);
    return fail("tensor '" + T.Name + "' has dims " + Dims + " whose " +
                (T.numElements() ? "byte" : "element") + " count overflows 64 bits");
  }
  if (External) {
    T.Where = Storage::External;
    checkExternal(T);
    return llvm::Error::success();
  }
  auto N = T.numElements();
  auto Bytes = T.numBytes();
  if (HasRaw && T.Type != DType::String && static_cast<uint64_t>(*Bytes) != T.Payload.Length) {
    diag(Severity::Error, "tensor '" + T.Name + "'",
         "raw_data has " + std::to_string(T.Payload.Length) + " bytes but dims and dtype " +
             dtypeName(T.Type).str() + " need " + std::to_string(*Bytes) +
             "; values are not used");
    return llvm::Error::success();
  }
  if (T.Where == Storage::None && *N > 0) {
    diag(Severity::Warning, "tensor '" + T.Name + "'",
         "has " + std::to_string(*N) + " element(s) but no data (no raw_data, typed values or "
         "external data); only its dims are used");
    return llvm::Error::success();
  }
  (void)TypedCount;
  if (*N <= TensorData::kKeepElements)
    decodeSmallValues(T, HasTyped && !HasRaw ? &Typed : nullptr, TypedElem);
  return llvm::Error::success();
}

void Loader::decodeSmallValues(TensorData &T, const Field *Typed, WFL::WireType Elem) {
  int64_t N = *T.numElements();
  bool IsInt = isIntegerDType(T.Type);
  bool IsReal = isFloatDType(T.Type);
  if (!IsInt && !IsReal)
    return;
  llvm::SmallVector<int64_t, 8> Ints;
  llvm::SmallVector<double, 4> Reals;
  if (Typed) {
    bool Ok = forEachScalar(*Typed, Elem, [&](uint64_t V) {
      if (Elem == WFL::WIRETYPE_FIXED32) {
        uint32_t B = static_cast<uint32_t>(V);
        float X;
        std::memcpy(&X, &B, 4);
        Reals.push_back(X);
      } else if (Elem == WFL::WIRETYPE_FIXED64) {
        double X;
        std::memcpy(&X, &V, 8);
        Reals.push_back(X);
      } else if (T.Type == DType::Float16) {
        Reals.push_back(halfToFloat(static_cast<uint16_t>(V)));
      } else if (T.Type == DType::BFloat16) {
        Reals.push_back(bf16ToFloat(static_cast<uint16_t>(V)));
      } else if (T.Type == DType::Int32 || T.Type == DType::Int16 || T.Type == DType::Int8) {
        Ints.push_back(static_cast<int32_t>(V));
      } else {
        Ints.push_back(static_cast<int64_t>(V));
      }
      return Ints.size() + Reals.size() <= static_cast<size_t>(N);
    });
    if (!Ok)
      return;
  } else if (T.Where == Storage::Inline && T.Payload.Length > 0) {
    const uint8_t *P = reinterpret_cast<const uint8_t *>(M.Buffer->getBufferStart()) + T.Payload.Offset;
    for (int64_t I = 0; I < N; ++I) {
      switch (T.Type) {
      case DType::Int64: { int64_t V; std::memcpy(&V, P + 8 * I, 8); Ints.push_back(V); break; }
      case DType::UInt64: { uint64_t V; std::memcpy(&V, P + 8 * I, 8);
        if (V > static_cast<uint64_t>(INT64_MAX)) return;
        Ints.push_back(static_cast<int64_t>(V)); break; }
      case DType::Int32: { int32_t V; std::memcpy(&V, P + 4 * I, 4); Ints.push_back(V); break; }
      case DType::UInt32: { uint32_t V; std::memcpy(&V, P + 4 * I, 4); Ints.push_back(V); break; }
      case DType::Int16: { int16_t V; std::memcpy(&V, P + 2 * I, 2); Ints.push_back(V); break; }
      case DType::UInt16: { uint16_t V; std::memcpy(&V, P + 2 * I, 2); Ints.push_back(V); break; }
      case DType::Int8: Ints.push_back(static_cast<int8_t>(P[I])); break;
      case DType::UInt8: case DType::Bool: Ints.push_back(P[I]); break;
      case DType::Float: { float V; std::memcpy(&V, P + 4 * I, 4); Reals.push_back(V); break; }
      case DType::Double: { double V; std::memcpy(&V, P + 8 * I, 8); Reals.push_back(V); break; }
      case DType::Float16: { uint16_t V; std::memcpy(&V, P + 2 * I, 2); Reals.push_back(halfToFloat(V)); break; }
      case DType::BFloat16: { uint16_t V; std::memcpy(&V, P + 2 * I, 2); Reals.push_back(bf16ToFloat(V)); break; }
      default:
        return; // int4 and float8: not needed for shapes.
      }
    }
  } else if (N != 0) {
    return;
  }
  if (static_cast<int64_t>(Ints.size() + Reals.size()) != N)
    return;
  if (IsInt)
    T.Ints = std::move(Ints);
  else
    T.Reals = std::move(Reals);
}

void Loader::checkExternal(TensorData &T) {
  llvm::StringRef Loc = T.ExternalLocation;
  std::string Where = "initializer '" + T.Name + "'";
  if (Loc.empty()) {
    diag(Severity::Warning, Where, "external data has no location; only dims are used");
    return;
  }
  // Refused locations are never opened or stat-ed: only the string is inspected.
  const char *Unsafe = nullptr;
  if (llvm::sys::path::is_absolute(Loc) ||
      llvm::sys::path::is_absolute(Loc, llvm::sys::path::Style::windows))
    Unsafe = "is an absolute path";
  else if (Loc.contains('\0'))
    Unsafe = "contains a NUL byte";
  for (auto It = llvm::sys::path::begin(Loc, llvm::sys::path::Style::windows),
            E = llvm::sys::path::end(Loc);
       !Unsafe && It != E; ++It)
    if (*It == "..")
      Unsafe = "contains '..' and may leave the model's directory";
  if (Unsafe) {
    T.Where = Storage::None;
    diag(Severity::Error, Where,
         "external data location '" + Loc.str() + "' " + Unsafe + "; refused (not opened)");
    return;
  }
  if (!Opts.CheckExternalFiles)
    return;
  auto Seen = ExternalVerdict.find(Loc);
  if (Seen == ExternalVerdict.end()) {
    std::string Why;
    bool Inside = resolvesInside(Loc, Why);
    Seen = ExternalVerdict.try_emplace(Loc, Inside).first;
    if (!Inside)
      diag(Severity::Error, Where,
           "external data location '" + Loc.str() + "' " + Why + "; refused (not opened)");
    else if (!Why.empty())
      diag(Severity::Warning, "", "external data file '" + Loc.str() + "' " + Why);
  }
  if (!Seen->second)
    T.Where = Storage::None;
}

/// Resolves Loc component by component below the model's directory without
/// ever touching anything outside it: each component is lstat-ed only once
/// every component before it is known to be a real directory inside, and a
/// symlink's target is inspected as a string (readlink) before it is
/// followed. So a link to /etc/passwd or ../../secret is refused without the
/// target being stat-ed, let alone opened. Returns false (with Why) when Loc
/// leaves the directory; true otherwise, with Why set to a note when the
/// file does not exist.
bool Loader::resolvesInside(llvm::StringRef Loc, std::string &Why) {
  std::vector<std::string> Pending; // Components still to walk, back() first.
  auto pushPath = [&](llvm::StringRef P) {
    llvm::SmallVector<llvm::StringRef, 8> Parts;
    P.split(Parts, '/', -1, /*KeepEmpty=*/false);
    for (auto It = Parts.rbegin(); It != Parts.rend(); ++It)
      Pending.push_back(It->str());
  };
  pushPath(Loc);
  std::vector<std::string> Resolved; // Real directories below ModelDir.
  unsigned Links = 0;
  while (!Pending.empty()) {
    std::string C = std::move(Pending.back());
    Pending.pop_back();
    if (C == ".")
      continue;
    if (C == "..") {
      if (Resolved.empty()) {
        Why = "resolves through a symlink to outside the model's directory";
        return false;
      }
      Resolved.pop_back();
      continue;
    }
    llvm::SmallString<256> Here(ModelDir);
    for (const std::string &R : Resolved)
      llvm::sys::path::append(Here, R);
    llvm::sys::path::append(Here, C);
    struct stat St;
    if (::lstat(Here.c_str(), &St) != 0) {
      Why = "not found; only tensor dims and dtypes are used";
      return true;
    }
    if (!S_ISLNK(St.st_mode)) {
      Resolved.push_back(std::move(C));
      continue;
    }
    if (++Links > 40) {
      Why = "goes through more than 40 symlinks";
      return false;
    }
    char Buf[4096];
    ssize_t N = ::readlink(Here.c_str(), Buf, sizeof Buf);
    if (N <= 0 || static_cast<size_t>(N) == sizeof Buf) {
      Why = "is a symlink that cannot be read";
      return false;
    }
    llvm::StringRef Target(Buf, static_cast<size_t>(N));
    if (Target.startswith("/")) {
      Why = "resolves through a symlink to outside the model's directory";
      return false;
    }
    pushPath(Target);
  }
  return true;
}

llvm::Error Loader::readFunction(const Field &FF, Function &Fn) {
  FieldReader R(FF.Data, FF.Size, FF.Offset);
  Field F;
  std::vector<Node> Nodes;
  std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> IO;
  Fn.Body = std::make_unique<Graph>();
  while (R.next(F)) {
    if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED)
      continue;
    switch (F.Num) {
    case 1:
      Fn.Name = F.str().str();
      break;
    case 10:
      Fn.Domain = F.str().str();
      break;
    case 4:
      Fn.Inputs.push_back(F.str().str());
      break;
    case 5:
      Fn.Outputs.push_back(F.str().str());
      break;
    case 6:
      Fn.AttributeNames.push_back(F.str().str());
      break;
    case 7: {
      Nodes.emplace_back();
      IO.emplace_back();
      if (auto E = readNode(F, Nodes.back(), IO.back().first, IO.back().second, 1, *Fn.Body))
        return E;
      break;
    }
    case 9: {
      onnx::OperatorSetIdProto Op;
      if (!Op.ParseFromArray(F.Data, static_cast<int>(F.Size)))
        return fail("malformed opset_import in function '" + Fn.Name + "'");
      Fn.Opsets[Op.domain() == "ai.onnx" ? "" : Op.domain()] = Op.version();
      break;
    }
    default:
      break;
    }
  }
  if (R.failed())
    return fail(R.error() + " in function '" + Fn.Name + "'");
  for (const std::string &In : Fn.Inputs)
    Fn.Body->value(Fn.Body->valueFor(In)).IsGraphInput = true;
  Fn.Body->Parent = &M.Main; // Marks it as a nested scope for name resolution.
  resolveGraph(*Fn.Body, Nodes, IO);
  Fn.Body->Parent = nullptr;
  return llvm::Error::success();
}

} // namespace

llvm::Expected<std::unique_ptr<Model>> loadModel(std::unique_ptr<llvm::MemoryBuffer> Buffer,
                                                 llvm::StringRef Path, const LoadOptions &Opts) {
  auto M = std::make_unique<Model>();
  M->Path = Path.str();
  M->FileSize = Buffer->getBufferSize();
  M->Buffer = std::move(Buffer);
  Loader L(*M, Opts);
  if (auto E = L.run(reinterpret_cast<const uint8_t *>(M->Buffer->getBufferStart()), M->FileSize)) {
    // A binary model starts with a non-printable tag byte, so a file that
    // starts with plain text is ONNX text format, JSON or a README: say so
    // rather than quote a wire-format detail.
    llvm::StringRef Head = M->Buffer->getBuffer().take_front(256);
    if (!Head.empty() && llvm::all_of(Head, [](char C) {
          return llvm::isPrint(C) || C == '\n' || C == '\r' || C == '\t';
        })) {
      llvm::consumeError(std::move(E));
      return makeError(ErrorCategory::Load,
                       Path + ": not an ONNX model: the file is text, while ONNX models are "
                              "binary protobuf");
    }
    return E;
  }
  return M;
}

llvm::Expected<std::unique_ptr<Model>> loadModel(llvm::StringRef Path, const LoadOptions &Opts) {
  if (llvm::sys::fs::is_directory(Path))
    return makeError(ErrorCategory::Load, Path + ": is a directory, not an ONNX file");
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!Buf)
    return makeError(ErrorCategory::Load, Path + ": cannot open: " + Buf.getError().message());
  return loadModel(std::move(*Buf), Path, Opts);
}

} // namespace opaudit
