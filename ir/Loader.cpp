// The streaming ONNX loader. ModelProto, GraphProto, NodeProto, AttributeProto,
// TensorProto and FunctionProto are walked field by field with protobuf's
// CodedInputStream so that tensor payloads can be skipped and recorded as
// spans; the small messages that never carry payloads (ValueInfoProto,
// OperatorSetIdProto, StringStringEntryProto) are handed to the generated
// parsers. Nothing here allocates in proportion to a payload.
#include "ir/Loader.h"

#include "onnx/onnx_pb.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
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

/// Where the loader reads the file's bytes from: memory (a buffer handed in
/// by a caller) or the file itself through pread. Reading through the file
/// matters for models with embedded weights: touching a mapped page near a
/// payload maps the whole page-cache folio around it (2 MiB on current
/// kernels), so a mapped walk over VGG-16's 32 tensor headers alone would add
/// tens of MB of resident weight pages. pread copies only the bytes asked for.
class Source {
public:
  Source(const uint8_t *Data, uint64_t Size) : Mem(Data), Size(Size) {}
  Source(llvm::sys::fs::file_t FD, uint64_t Size) : FD(FD), Size(Size) {}

  bool inMemory() const { return Mem != nullptr; }
  const uint8_t *memory() const { return Mem; }
  uint64_t size() const { return Size; }

  /// Reads exactly Len bytes at file offset Off into Buf.
  bool read(uint64_t Off, size_t Len, uint8_t *Buf) const {
    if (Off > Size || Len > Size - Off)
      return false;
    if (Mem) {
      std::memcpy(Buf, Mem + Off, Len);
      return true;
    }
    while (Len > 0) {
      auto N = llvm::sys::fs::readNativeFileSlice(
          FD, llvm::MutableArrayRef<char>(reinterpret_cast<char *>(Buf), Len), Off);
      if (!N) {
        llvm::consumeError(N.takeError());
        return false;
      }
      if (*N == 0)
        return false;
      Buf += *N, Off += *N, Len -= *N;
    }
    return true;
  }

private:
  const uint8_t *Mem = nullptr;
  llvm::sys::fs::file_t FD = llvm::sys::fs::kInvalidFile;
  uint64_t Size = 0;
};

/// One field of a message.
struct Field {
  uint32_t Num = 0;
  WFL::WireType Type = WFL::WIRETYPE_VARINT;
  uint64_t Varint = 0; ///< VARINT, FIXED32 and FIXED64 values.
  uint32_t Size = 0;   ///< LENGTH_DELIMITED payload size.
  uint64_t Offset = 0; ///< File offset of a LENGTH_DELIMITED payload.
};

/// Iterates the fields of one message at file bytes [Base, Base + Size),
/// either in memory or through a window of the file that is refilled with
/// pread as the walk advances. Skipped fields (tensor payloads) are never read.
/// The input and output names of a graph's nodes as read, until resolveGraph
/// turns them into values. One arena holds every name: a heap block per name
/// (and two vectors per node) made this the loader's largest transient.
struct NodeIO {
  struct Names {
    llvm::SmallVector<llvm::StringRef, 3> In;
    llvm::SmallVector<llvm::StringRef, 1> Out;
  };
  StringArena Text;
  std::vector<Names> Nodes; ///< In the order the nodes were read.
};

class FieldReader {
public:
  /// Over bytes already in memory.
  FieldReader(const uint8_t *Data, uint32_t Size, uint64_t Base)
      : Mem(Data), Size(Size), Base(Base) {}
  /// Through the file, Chunk bytes per read.
  FieldReader(const Source &Src, uint64_t Base, uint32_t Size, size_t Chunk)
      : Src(&Src), Size(Size), Base(Base), Chunk(Chunk) {}

  /// Reads the next field; false at the end of the message or on malformed input
  /// (then error() says what).
  bool next(Field &F) {
    if (Failed || Pos >= Size)
      return false;
    // A tag and a varint take at most 15 bytes. Right after a skipped payload
    // only a few bytes are read: the next field may be another payload.
    size_t Want = static_cast<size_t>(std::min<uint64_t>(16, Size - Pos));
    const uint8_t *P = ensure(Pos, Want, AfterSkip ? 64 : Chunk);
    if (!P)
      return fail("read error");
    AfterSkip = false;
    CodedInputStream In(P, static_cast<int>(Want));
    uint32_t Tag = In.ReadTag();
    if (Tag == 0)
      return fail("invalid field tag");
    F.Num = WFL::GetTagFieldNumber(Tag);
    F.Type = WFL::GetTagWireType(Tag);
    F.Size = 0;
    F.Offset = 0;
    switch (F.Type) {
    case WFL::WIRETYPE_VARINT:
      if (!In.ReadVarint64(&F.Varint))
        return fail("truncated varint");
      break;
    case WFL::WIRETYPE_FIXED64:
      if (!In.ReadLittleEndian64(&F.Varint))
        return fail("truncated fixed64");
      break;
    case WFL::WIRETYPE_FIXED32: {
      uint32_t V;
      if (!In.ReadLittleEndian32(&V))
        return fail("truncated fixed32");
      F.Varint = V;
      break;
    }
    case WFL::WIRETYPE_LENGTH_DELIMITED: {
      uint64_t Len;
      if (!In.ReadVarint64(&Len))
        return fail("truncated length");
      uint32_t DataPos = Pos + static_cast<uint32_t>(In.CurrentPosition());
      if (Len > Size - DataPos) {
        Pos = DataPos;
        return fail("field " + std::to_string(F.Num) + " claims " + std::to_string(Len) +
                    " bytes but only " + std::to_string(Size - DataPos) + " remain");
      }
      F.Size = static_cast<uint32_t>(Len);
      F.Offset = Base + DataPos;
      Pos = DataPos + F.Size;
      AfterSkip = F.Size > Chunk;
      return true;
    }
    default:
      return fail("unsupported wire type " + std::to_string(static_cast<int>(F.Type)));
    }
    Pos += static_cast<uint32_t>(In.CurrentPosition());
    return true;
  }

  /// The bytes of a length-delimited field of this message, valid until the
  /// next call to next(); empty (and failed()) on a read error.
  llvm::StringRef bytes(const Field &F) {
    if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED)
      return {};
    const uint8_t *P = ensure(static_cast<uint32_t>(F.Offset - Base), F.Size, Chunk);
    if (!P) {
      fail("read error");
      return {};
    }
    return {reinterpret_cast<const char *>(P), F.Size};
  }
  llvm::StringRef str(const Field &F) { return bytes(F); }

  /// A reader over a length-delimited field that holds a message: in memory
  /// when it is small, through the file otherwise (a tensor with its payload,
  /// a graph), reading SubChunk bytes at a time.
  FieldReader sub(const Field &F, size_t SubChunk) {
    if (!Src || F.Size <= std::max<size_t>(SubChunk, kInlineMessage)) {
      llvm::StringRef B = bytes(F);
      return FieldReader(reinterpret_cast<const uint8_t *>(B.data()),
                         static_cast<uint32_t>(B.size()), F.Offset);
    }
    return FieldReader(*Src, F.Offset, F.Size, SubChunk);
  }

  bool failed() const { return Failed; }
  const std::string &error() const { return Error; }

  /// Messages up to this size (nodes, attributes, tiny tensors) are read
  /// whole; larger ones only as far as their fields are needed.
  static constexpr size_t kInlineMessage = 4096;

private:
  /// Pointer to message bytes [Off, Off + Len), reading at least ReadLen bytes on a miss.
  const uint8_t *ensure(uint32_t Off, size_t Len, size_t ReadLen) {
    if (!Src)
      return Mem + Off;
    if (Off >= WinStart && Off + Len <= WinStart + Win.size())
      return Win.data() + (Off - WinStart);
    size_t N = static_cast<size_t>(std::min<uint64_t>(std::max(Len, ReadLen), Size - Off));
    Win.resize(N);
    WinStart = Off;
    if (!Src->read(Base + Off, N, Win.data())) {
      Win.clear();
      return nullptr;
    }
    return Win.data();
  }

  bool fail(std::string Msg) {
    Failed = true;
    Error = "malformed protobuf at byte " + std::to_string(Base + Pos) + ": " + std::move(Msg);
    return false;
  }

  const Source *Src = nullptr;
  const uint8_t *Mem = nullptr;
  uint32_t Size;
  uint64_t Base;
  size_t Chunk = 0;
  uint32_t Pos = 0;
  bool AfterSkip = false;
  std::vector<uint8_t> Win;
  uint32_t WinStart = 0;
  bool Failed = false;
  std::string Error;
};

/// Reads the elements of a repeated scalar field, packed (in Packed) or not,
/// calling Fn for each; stops early when Fn returns false.
template <typename Fn>
bool forEachScalar(const Field &F, llvm::StringRef Packed, WFL::WireType Elem, Fn &&Each) {
  if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED)
    return Each(F.Varint), true;
  CodedInputStream In(reinterpret_cast<const uint8_t *>(Packed.data()),
                      static_cast<int>(Packed.size()));
  while (static_cast<size_t>(In.CurrentPosition()) < Packed.size()) {
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
  Loader(Model &M, const LoadOptions &Opts, const Source &Src) : M(M), Opts(Opts), Src(Src) {
    ModelDir = llvm::sys::path::parent_path(M.Path).str();
    if (ModelDir.empty())
      ModelDir = ".";
  }

  llvm::Error run();

private:
  llvm::Error fail(const llvm::Twine &Msg) {
    return makeError(ErrorCategory::Load, M.Path + ": " + Msg);
  }
  void diag(Severity S, std::string Where, std::string Msg) {
    M.LoadDiagnostics.push_back({S, std::move(Where), std::move(Msg)});
  }

  llvm::Error readGraph(FieldReader R, Graph &G, unsigned Depth);
  llvm::Error readNode(FieldReader R, Node &N, NodeIO &IO, unsigned Depth, const Graph &Owner);
  llvm::Error readAttribute(FieldReader R, Attribute &A, unsigned Depth, const Graph &Owner);
  llvm::Error readTensor(FieldReader R, TensorData &T);
  llvm::Error readFunction(FieldReader R, Function &Fn);
  void readDeclaredType(const onnx::TypeProto &TP, DeclaredType &D);
  /// Bytes: the packed typed field (Typed set) or the raw_data payload.
  void decodeSmallValues(TensorData &T, const Field *Typed, llvm::StringRef Bytes,
                         WFL::WireType Elem);
  void checkExternal(TensorData &T);
  bool resolvesInside(llvm::StringRef Loc, std::string &Why);
  void markRecursiveFunctions();
  void resolveGraph(Graph &G, std::vector<Node> &Nodes, const NodeIO &IO);

  Model &M;
  const LoadOptions &Opts;
  const Source &Src;
  std::string ModelDir;
  /// Location -> whether it resolves inside the model's directory.
  llvm::StringMap<bool> ExternalVerdict;
};

/// Bytes read at a time from a message read through the file: graphs and the
/// model stream their nodes through a large window; a big tensor or attribute
/// is read a little at a time because most of it is payload that is skipped.
constexpr size_t kGraphChunk = 64 * 1024;
constexpr size_t kTensorChunk = 512;

llvm::Error Loader::run() {
  uint64_t Size = Src.size();
  if (Size == 0)
    return fail("empty file, not an ONNX model");
  if (Size > static_cast<uint64_t>(INT_MAX))
    return fail("file is larger than protobuf's 2 GiB message limit; large models keep weights "
                "in external data files");
  FieldReader R = Src.inMemory() ? FieldReader(Src.memory(), static_cast<uint32_t>(Size), 0)
                                 : FieldReader(Src, 0, static_cast<uint32_t>(Size), kGraphChunk);
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
      M.ProducerName = R.str(F).str();
      break;
    case 3:
      if (F.Type == WFL::WIRETYPE_LENGTH_DELIMITED)
        M.ProducerVersion = R.str(F).str();
      break;
    case 7: { // graph
      if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED)
        return fail("not an ONNX model (field 7 is not a graph)");
      if (SawGraph)
        return fail("model has more than one graph");
      SawGraph = true;
      if (auto E = readGraph(R.sub(F, kGraphChunk), M.Main, 0))
        return E;
      break;
    }
    case 8: { // opset_import
      onnx::OperatorSetIdProto Op;
      if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED ||
          !Op.ParseFromArray(R.str(F).data(), static_cast<int>(F.Size)))
        return fail("malformed opset_import");
      std::string D = Op.domain() == "ai.onnx" ? "" : Op.domain();
      M.Opsets[D] = Op.version();
      break;
    }
    case 25: { // functions
      if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED)
        return fail("malformed function");
      M.Functions.emplace_back();
      if (auto E = readFunction(R.sub(F, kGraphChunk), M.Functions.back()))
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
    diag(Severity::Warning, "",
         "model has no opset_import; assuming default-domain opset 1 as the "
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
          for (const auto &Sub : A.graphs())
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

llvm::Error Loader::readGraph(FieldReader R, Graph &G, unsigned Depth) {
  if (Depth > Opts.MaxGraphDepth)
    return fail("subgraphs nested deeper than " + llvm::Twine(Opts.MaxGraphDepth) + " levels");
  Field F;
  std::vector<Node> Nodes;
  NodeIO IO;
  // Graph inputs, outputs and value_info, each kept as its name and declared
  // type: a graph can declare every value (a 70B-shaped decoder declares
  // 9,188), and holding their protobuf messages until the nodes are read
  // was a third of the loader's peak memory. One message is parsed into at a time.
  struct DeclaredInfo {
    std::string Name;
    std::optional<DeclaredType> Type;
  };
  std::vector<DeclaredInfo> Inputs, Outputs, Infos;
  onnx::ValueInfoProto VIScratch;
  auto parseVI = [&](std::vector<DeclaredInfo> &Into) -> bool {
    if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED ||
        !VIScratch.ParseFromArray(R.str(F).data(), static_cast<int>(F.Size)))
      return false;
    DeclaredInfo &D = Into.emplace_back();
    D.Name = VIScratch.name();
    if (VIScratch.has_type())
      readDeclaredType(VIScratch.type(), D.Type.emplace());
    return true;
  };
  while (R.next(F)) {
    if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED)
      continue;
    switch (F.Num) {
    case 1: {
      Nodes.emplace_back();
      if (auto E = readNode(R.sub(F, kTensorChunk), Nodes.back(), IO, Depth, G))
        return E;
      break;
    }
    case 2:
      G.Name = R.str(F).str();
      break;
    case 5: {
      G.Initializers.emplace_back();
      if (auto E = readTensor(R.sub(F, kTensorChunk), G.Initializers.back()))
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

  // Reserve for every name the graph can mention: growing Values would move
  // every Value (with its declared type) again at each doubling.
  // Nearly every value is an initializer, a graph input or a node output.
  size_t Names = G.Initializers.size() + Inputs.size();
  for (const NodeIO::Names &P : IO.Nodes)
    Names += P.Out.size();
  G.Values.reserve(Names);
  if (G.ByName.empty() && Names < UINT_MAX / 2)
    G.ByName = llvm::StringMap<ValueId>(static_cast<unsigned>(Names));
  for (size_t I = 0; I < G.Initializers.size(); ++I) {
    ValueId V = G.valueFor(G.Initializers[I].Name);
    if (G.value(V).Initializer >= 0)
      diag(Severity::Warning, "initializer '" + G.Initializers[I].Name + "'",
           "duplicate initializer name; the last one is used");
    G.value(V).Initializer = static_cast<int32_t>(I);
  }
  auto declare = [&](DeclaredInfo &VI, const char *Kind) {
    ValueId V = G.valueFor(VI.Name);
    if (VI.Type) {
      DeclaredType &D = *VI.Type;
      for (size_t I = 0; I < D.Dims.size(); ++I)
        if (D.Dims[I].Value && *D.Dims[I].Value < 0)
          diag(Severity::Error, std::string(Kind) + " '" + VI.Name + "'",
               "dim " + std::to_string(I) + " is negative (" + std::to_string(*D.Dims[I].Value) +
                   "); treated as unknown");
      G.value(V).Declared = std::move(D);
    }
    return V;
  };
  for (auto &VI : Inputs) {
    ValueId V = declare(VI, "graph input");
    G.value(V).IsGraphInput = true;
    G.Inputs.push_back(V);
  }
  for (auto &VI : Infos)
    declare(VI, "value_info");
  Infos = {};
  resolveGraph(G, Nodes, IO);
  for (auto &VI : Outputs) {
    ValueId V = G.lookup(VI.Name);
    bool Known = V != kNoValue;
    V = declare(VI, "graph output");
    Value &Val = G.value(V);
    if (!Known || (Val.Producer == kNoNode && !Val.IsGraphInput && Val.Initializer < 0)) {
      if (Depth == 0)
        diag(Severity::Error, "", "graph output '" + VI.Name + "' is not produced by any node");
      else
        Val.FromOuterScope = true;
    }
    if (Val.IsGraphOutput)
      diag(Severity::Warning, "", "graph output '" + VI.Name + "' is listed twice");
    Val.IsGraphOutput = true;
    G.Outputs.push_back(V);
  }
  return llvm::Error::success();
}

void Loader::resolveGraph(Graph &G, std::vector<Node> &Nodes, const NodeIO &IO) {
  // The node and initializer counts are known only once the graph is read, so
  // both vectors grew by doubling; the model lives as long as the analysis,
  // and the slack (5.5 MB of the 23 MB of nodes on a 100k-node graph) would
  // stay allocated until the end.
  G.Nodes = std::move(Nodes);
  G.Nodes.shrink_to_fit();
  G.Initializers.shrink_to_fit();
  for (size_t I = 0; I < G.Nodes.size(); ++I) {
    Node &N = G.Nodes[I];
    auto Id = static_cast<NodeId>(I);
    for (llvm::StringRef Out : IO.Nodes[I].Out) {
      if (Out.empty()) {
        N.Outputs.push_back(kNoValue);
        continue;
      }
      ValueId V = G.valueFor(Out);
      Value &Val = G.value(V);
      if (Val.Producer != kNoNode)
        diag(Severity::Error, N.label(G),
             "output '" + Out.str() + "' is also produced by " + G.node(Val.Producer).label(G) +
                 " (duplicate output name); this node's output is ignored");
      else if (Val.Initializer >= 0 || Val.IsGraphInput)
        diag(Severity::Error, N.label(G),
             "output '" + Out.str() + "' redefines a graph input or initializer; it is ignored");
      else
        Val.Producer = Id;
      N.Outputs.push_back(Val.Producer == Id ? V : kNoValue);
    }
  }
  for (size_t I = 0; I < G.Nodes.size(); ++I) {
    Node &N = G.Nodes[I];
    for (llvm::StringRef In : IO.Nodes[I].In) {
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
               "input '" + In.str() +
                   "' is not produced by any node, graph input or initializer "
                   "(dangling input)");
          Val.FromOuterScope = false;
        }
      }
      Val.Consumers.push_back(static_cast<NodeId>(I));
      N.Inputs.push_back(V);
    }
  }
}

llvm::Error Loader::readNode(FieldReader R, Node &N, NodeIO &IO, unsigned Depth,
                             const Graph &Owner) {
  NodeIO::Names &Names = IO.Nodes.emplace_back();
  Field F;
  while (R.next(F)) {
    if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED)
      continue;
    switch (F.Num) {
    case 1:
      Names.In.push_back(IO.Text.save(R.str(F)));
      break;
    case 2:
      Names.Out.push_back(IO.Text.save(R.str(F)));
      break;
    case 3:
      N.Name = M.Strings.save(R.str(F));
      break;
    case 4:
      N.OpType = M.Strings.intern(R.str(F));
      break;
    case 7:
      N.Domain = R.str(F) == "ai.onnx" ? "" : M.Strings.intern(R.str(F));
      break;
    case 5: {
      N.Attrs.emplace_back();
      if (auto E = readAttribute(R.sub(F, kTensorChunk), N.Attrs.back(), Depth, Owner))
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

llvm::Error Loader::readAttribute(FieldReader R, Attribute &A, unsigned Depth, const Graph &Owner) {
  Field F;
  int64_t DeclaredKind = -1;
  while (R.next(F)) {
    switch (F.Num) {
    case 1:
      A.Name = M.Strings.intern(R.str(F));
      break;
    case 21:
      A.more().RefAttrName = R.str(F).str();
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
      A.S = R.str(F).str();
      A.Kind = AttrKind::String;
      break;
    case 5:
    case 10: {
      A.more().Tensors.emplace_back();
      if (auto E = readTensor(R.sub(F, kTensorChunk), A.more().Tensors.back()))
        return E;
      A.Kind = F.Num == 5 ? AttrKind::Tensor : AttrKind::Tensors;
      break;
    }
    case 6:
    case 11: {
      auto Sub = std::make_unique<Graph>();
      Sub->Parent = &Owner;
      if (auto E = readGraph(R.sub(F, kGraphChunk), *Sub, Depth + 1))
        return E;
      A.more().Graphs.push_back(std::move(Sub));
      A.Kind = F.Num == 6 ? AttrKind::Graph : AttrKind::Graphs;
      break;
    }
    case 7: {
      bool Ok = forEachScalar(F, R.str(F), WFL::WIRETYPE_FIXED32, [&](uint64_t V) {
        uint32_t Bits = static_cast<uint32_t>(V);
        float X;
        std::memcpy(&X, &Bits, 4);
        A.more().Floats.push_back(X);
        return true;
      });
      if (!Ok)
        return fail("malformed floats in attribute '" + A.Name + "'");
      A.Kind = AttrKind::Floats;
      break;
    }
    case 8: {
      bool Ok = forEachScalar(F, R.str(F), WFL::WIRETYPE_VARINT, [&](uint64_t V) {
        A.Ints.push_back(static_cast<int64_t>(V));
        return true;
      });
      if (!Ok)
        return fail("malformed ints in attribute '" + A.Name + "'");
      A.Kind = AttrKind::Ints;
      break;
    }
    case 9:
      A.more().Strings.push_back(R.str(F).str());
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
      AttrKind::Undefined,    AttrKind::Float,     AttrKind::Int,      AttrKind::String,
      AttrKind::Tensor,       AttrKind::Graph,     AttrKind::Floats,   AttrKind::Ints,
      AttrKind::Strings,      AttrKind::Tensors,   AttrKind::Graphs,   AttrKind::SparseTensor,
      AttrKind::SparseTensor, AttrKind::TypeProto, AttrKind::TypeProto};
  if (DeclaredKind > 0 && DeclaredKind < static_cast<int64_t>(std::size(FromCode)))
    A.Kind = FromCode[DeclaredKind];
  return llvm::Error::success();
}

llvm::Error Loader::readTensor(FieldReader R, TensorData &T) {
  Field F;
  bool External = false;
  Field Typed;
  std::string TypedBytes; // Kept only when small enough to be decoded.
  std::string RawBytes;   // Likewise; read while the message is at hand, not by a pread of its own.
  bool TypedKept = false;
  WFL::WireType TypedElem = WFL::WIRETYPE_VARINT;
  bool HasTyped = false, HasRaw = false;
  uint64_t TypedCount = 0;
  while (R.next(F)) {
    switch (F.Num) {
    case 1: {
      bool Ok = forEachScalar(F, R.str(F), WFL::WIRETYPE_VARINT, [&](uint64_t V) {
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
      T.Name = R.str(F).str();
      break;
    case 9:
      if (F.Size <= 8 * TensorData::kKeepElements)
        RawBytes = R.str(F).str();
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
      TypedElem = F.Num == 4    ? WFL::WIRETYPE_FIXED32
                  : F.Num == 10 ? WFL::WIRETYPE_FIXED64
                                : WFL::WIRETYPE_VARINT;
      if (!HasTyped) {
        Typed = F;
        if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED || F.Size <= 16 * TensorData::kKeepElements) {
          TypedBytes = R.str(F).str();
          TypedKept = true;
        }
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
      if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED ||
          !E.ParseFromArray(R.str(F).data(), static_cast<int>(F.Size)))
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
             dtypeName(T.Type).str() + " need " + std::to_string(*Bytes) + "; values are not used");
    return llvm::Error::success();
  }
  if (T.Where == Storage::None && *N > 0) {
    diag(Severity::Warning, "tensor '" + T.Name + "'",
         "has " + std::to_string(*N) +
             " element(s) but no data (no raw_data, typed values or "
             "external data); only its dims are used");
    return llvm::Error::success();
  }
  (void)TypedCount;
  if (HasTyped && !HasRaw && !TypedKept)
    return llvm::Error::success();
  if (*N <= TensorData::kKeepElements)
    decodeSmallValues(T, HasTyped && !HasRaw ? &Typed : nullptr,
                      HasTyped && !HasRaw ? TypedBytes : RawBytes, TypedElem);
  return llvm::Error::success();
}

void Loader::decodeSmallValues(TensorData &T, const Field *Typed, llvm::StringRef Bytes,
                               WFL::WireType Elem) {
  int64_t N = *T.numElements();
  bool IsInt = isIntegerDType(T.Type);
  bool IsReal = isFloatDType(T.Type);
  if (!IsInt && !IsReal)
    return;
  llvm::SmallVector<int64_t, 8> Ints;
  llvm::SmallVector<double, 4> Reals;
  if (Typed) {
    bool Ok = forEachScalar(*Typed, Bytes, Elem, [&](uint64_t V) {
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
    if (Bytes.size() != T.Payload.Length)
      return;
    const uint8_t *P = reinterpret_cast<const uint8_t *>(Bytes.data());
    for (int64_t I = 0; I < N; ++I) {
      switch (T.Type) {
      case DType::Int64: {
        int64_t V;
        std::memcpy(&V, P + 8 * I, 8);
        Ints.push_back(V);
        break;
      }
      case DType::UInt64: {
        uint64_t V;
        std::memcpy(&V, P + 8 * I, 8);
        if (V > static_cast<uint64_t>(INT64_MAX))
          return;
        Ints.push_back(static_cast<int64_t>(V));
        break;
      }
      case DType::Int32: {
        int32_t V;
        std::memcpy(&V, P + 4 * I, 4);
        Ints.push_back(V);
        break;
      }
      case DType::UInt32: {
        uint32_t V;
        std::memcpy(&V, P + 4 * I, 4);
        Ints.push_back(V);
        break;
      }
      case DType::Int16: {
        int16_t V;
        std::memcpy(&V, P + 2 * I, 2);
        Ints.push_back(V);
        break;
      }
      case DType::UInt16: {
        uint16_t V;
        std::memcpy(&V, P + 2 * I, 2);
        Ints.push_back(V);
        break;
      }
      case DType::Int8:
        Ints.push_back(static_cast<int8_t>(P[I]));
        break;
      case DType::UInt8:
      case DType::Bool:
        Ints.push_back(P[I]);
        break;
      case DType::Float: {
        float V;
        std::memcpy(&V, P + 4 * I, 4);
        Reals.push_back(V);
        break;
      }
      case DType::Double: {
        double V;
        std::memcpy(&V, P + 8 * I, 8);
        Reals.push_back(V);
        break;
      }
      case DType::Float16: {
        uint16_t V;
        std::memcpy(&V, P + 2 * I, 2);
        Reals.push_back(halfToFloat(V));
        break;
      }
      case DType::BFloat16: {
        uint16_t V;
        std::memcpy(&V, P + 2 * I, 2);
        Reals.push_back(bf16ToFloat(V));
        break;
      }
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

llvm::Error Loader::readFunction(FieldReader R, Function &Fn) {
  Field F;
  std::vector<Node> Nodes;
  NodeIO IO;
  Fn.Body = std::make_unique<Graph>();
  while (R.next(F)) {
    if (F.Type != WFL::WIRETYPE_LENGTH_DELIMITED)
      continue;
    switch (F.Num) {
    case 1:
      Fn.Name = R.str(F).str();
      break;
    case 10:
      Fn.Domain = R.str(F).str();
      break;
    case 4:
      Fn.Inputs.push_back(R.str(F).str());
      break;
    case 5:
      Fn.Outputs.push_back(R.str(F).str());
      break;
    case 6:
      Fn.AttributeNames.push_back(R.str(F).str());
      break;
    case 7: {
      Nodes.emplace_back();
      if (auto E = readNode(R.sub(F, kTensorChunk), Nodes.back(), IO, 1, *Fn.Body))
        return E;
      break;
    }
    case 9: {
      onnx::OperatorSetIdProto Op;
      if (!Op.ParseFromArray(R.str(F).data(), static_cast<int>(F.Size)))
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

namespace {
/// A binary model starts with a non-printable tag byte, so a file that starts
/// with plain text is ONNX text format, JSON or a README: say so rather than
/// quote a wire-format detail. Reads at most the first 256 bytes, on failure only.
llvm::Error explainFailure(llvm::Error E, const Model &M) {
  llvm::StringRef Head = M.Buffer->getBuffer().take_front(256);
  if (Head.empty() || !llvm::all_of(Head, [](char C) {
        return llvm::isPrint(C) || C == '\n' || C == '\r' || C == '\t';
      }))
    return E;
  llvm::consumeError(std::move(E));
  return makeError(ErrorCategory::Load, M.Path + ": not an ONNX model: the file is text, while "
                                                 "ONNX models are binary protobuf");
}
} // namespace

llvm::Expected<std::unique_ptr<Model>> loadModel(std::unique_ptr<llvm::MemoryBuffer> Buffer,
                                                 llvm::StringRef Path, const LoadOptions &Opts) {
  auto M = std::make_unique<Model>();
  M->Path = Path.str();
  M->FileSize = Buffer->getBufferSize();
  M->Buffer = std::move(Buffer);
  Source Src(reinterpret_cast<const uint8_t *>(M->Buffer->getBufferStart()), M->FileSize);
  Loader L(*M, Opts, Src);
  if (auto E = L.run()) {
    return explainFailure(std::move(E), *M);
  }
  return M;
}

llvm::Expected<std::unique_ptr<Model>> loadModel(llvm::StringRef Path, const LoadOptions &Opts) {
  if (llvm::sys::fs::is_directory(Path))
    return makeError(ErrorCategory::Load, Path + ": is a directory, not an ONNX file");
  auto FD = llvm::sys::fs::openNativeFileForRead(Path);
  if (!FD)
    return makeError(ErrorCategory::Load,
                     Path + ": cannot open: " + llvm::toString(FD.takeError()));
  auto Close = llvm::make_scope_exit([&] { llvm::sys::fs::closeFile(*FD); });
  llvm::sys::fs::file_status St;
  if (std::error_code EC = llvm::sys::fs::status(*FD, St))
    return makeError(ErrorCategory::Load, Path + ": cannot open: " + EC.message());
  uint64_t Size = St.getSize();
  // The mapping stays untouched by the loader (it reads through Src); it is
  // kept for features that need payload bytes later and costs no memory until then.
  auto Buf = llvm::MemoryBuffer::getOpenFile(*FD, Path, Size, /*RequiresNullTerminator=*/false);
  if (!Buf)
    return makeError(ErrorCategory::Load, Path + ": cannot open: " + Buf.getError().message());
  auto M = std::make_unique<Model>();
  M->Path = Path.str();
  M->FileSize = Size;
  M->Buffer = std::move(*Buf);
  Source Src(*FD, Size);
  Loader L(*M, Opts, Src);
  if (auto E = L.run())
    return explainFailure(std::move(E), *M);
  return M;
}

} // namespace opaudit
