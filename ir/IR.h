// The in-memory graph that every analysis reads: a model, its graphs, nodes,
// values and stored tensors. It is built once by the loader and never
// rewritten. Stored tensors keep only their dims, dtype and where their bytes
// live in the file (a span), except for small tensors whose values shape
// inference needs (Reshape targets, Slice bounds, Resize scales).
#pragma once

#include "ir/Diagnostics.h"
#include "ir/StringArena.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace opaudit {

/// ONNX TensorProto.DataType numbering.
enum class DType : int32_t {
  Undefined = 0,
  Float = 1,
  UInt8 = 2,
  Int8 = 3,
  UInt16 = 4,
  Int16 = 5,
  Int32 = 6,
  Int64 = 7,
  String = 8,
  Bool = 9,
  Float16 = 10,
  Double = 11,
  UInt32 = 12,
  UInt64 = 13,
  Complex64 = 14,
  Complex128 = 15,
  BFloat16 = 16,
  Float8E4M3FN = 17,
  Float8E4M3FNUZ = 18,
  Float8E5M2 = 19,
  Float8E5M2FNUZ = 20,
  UInt4 = 21,
  Int4 = 22,
};

/// Lower-case ONNX-style name ("float", "int64", "bfloat16"); "undefined" for unknown codes.
llvm::StringRef dtypeName(DType T);
/// Storage size of one element in bits (4 for int4, 0 for string/undefined).
unsigned dtypeBits(DType T);
bool isIntegerDType(DType T);
bool isFloatDType(DType T);
/// Parses a code read from a file; out-of-range codes become Undefined.
DType dtypeFromCode(int64_t Code);
/// Parses "fp32", "float", "int8", ... as given on the command line.
std::optional<DType> dtypeFromString(llvm::StringRef S);

/// An optional value kept behind a pointer: one word when empty. For fields
/// that most objects leave unset (a value's declared type, a tensor's kept
/// elements), where std::optional would hold the whole T inline in every
/// object: on a 1M-node graph that was 224 bytes per value. Same interface
/// as the parts of std::optional the code uses; copies are deep.
template <class T> class Boxed {
public:
  Boxed() = default;
  Boxed(std::nullopt_t) {}
  Boxed(T V) : P(std::make_unique<T>(std::move(V))) {}
  Boxed(const Boxed &O) : P(O.P ? std::make_unique<T>(*O.P) : nullptr) {}
  Boxed(Boxed &&) noexcept = default;
  Boxed &operator=(const Boxed &O) {
    if (this != &O)
      P = O.P ? std::make_unique<T>(*O.P) : nullptr;
    return *this;
  }
  Boxed &operator=(Boxed &&) noexcept = default;
  Boxed &operator=(std::nullopt_t) {
    P.reset();
    return *this;
  }
  Boxed &operator=(T V) {
    P = std::make_unique<T>(std::move(V));
    return *this;
  }

  bool has_value() const { return P != nullptr; }
  explicit operator bool() const { return has_value(); }
  T &operator*() { return *P; }
  const T &operator*() const { return *P; }
  T *operator->() { return P.get(); }
  const T *operator->() const { return P.get(); }
  /// The value, or null when unset.
  const T *get() const { return P.get(); }
  template <class... Args> T &emplace(Args &&...A) {
    P = std::make_unique<T>(std::forward<Args>(A)...);
    return *P;
  }
  void reset() { P.reset(); }

private:
  std::unique_ptr<T> P;
};

/// A byte range in the model file.
struct Span {
  uint64_t Offset = 0;
  uint64_t Length = 0;
};

/// Where a stored tensor's payload lives.
enum class Storage : uint8_t {
  None,     ///< No payload at all (or an empty tensor).
  Inline,   ///< In the model file: raw_data or packed typed data, at Payload.
  External, ///< In another file named by ExternalLocation.
};

/// An initializer, a Constant node's value or a tensor attribute.
struct TensorData {
  TensorData() = default;
  TensorData(const TensorData &) = default;
  TensorData &operator=(const TensorData &) = default;
  TensorData(TensorData &&) noexcept = default;
  TensorData &operator=(TensorData &&) noexcept = default;

  std::string Name;
  DType Type = DType::Undefined;
  llvm::SmallVector<int64_t, 4> Dims;
  Storage Where = Storage::None;
  Span Payload;                 ///< Inline payload in the model file.
  bool PayloadIsRaw = true;     ///< raw_data (little-endian) vs typed repeated field.
  std::string ExternalLocation; ///< As written in the file; never opened by the loader.
  uint64_t ExternalOffset = 0;
  std::optional<uint64_t> ExternalLength;
  /// Values of small integer tensors (at most kKeepElements elements).
  Boxed<llvm::SmallVector<int64_t, 8>> Ints;
  /// Values of small floating-point tensors (at most kKeepElements elements).
  Boxed<llvm::SmallVector<double, 4>> Reals;

  static constexpr int64_t kKeepElements = 64;

  /// Product of Dims, or nullopt on overflow or a negative dim.
  std::optional<int64_t> numElements() const;
  /// Bytes at the stored dtype (rounded up for sub-byte types), nullopt on overflow.
  std::optional<int64_t> numBytes() const;
};

using ValueId = int32_t;
using NodeId = int32_t;
constexpr ValueId kNoValue = -1;
constexpr NodeId kNoNode = -1;

/// One dimension as declared in the file: a number, a dim_param name, or nothing.
struct DeclaredDim {
  std::optional<int64_t> Value;
  std::string Param; ///< Empty when not symbolic.
};

/// A type as declared in the file (graph inputs/outputs and value_info).
struct DeclaredType {
  DType Elem = DType::Undefined;
  bool HasShape = false; ///< false: rank unknown.
  llvm::SmallVector<DeclaredDim, 4> Dims;
  bool IsTensor = true; ///< false for sequence/map/optional types.
};

struct Graph;

/// A named edge of the graph.
struct Value {
  Value() = default;
  Value(const Value &) = default;
  Value &operator=(const Value &) = default;
  Value(Value &&) noexcept = default;
  Value &operator=(Value &&) noexcept = default;

  /// Graph::ByName's key for this value: it lives as long as the graph.
  llvm::StringRef Name;
  NodeId Producer = kNoNode;
  llvm::SmallVector<NodeId, 2> Consumers;
  Boxed<DeclaredType> Declared; ///< From graph input/output/value_info.
  int32_t Initializer = -1;     ///< Index into Graph::Initializers.
  bool IsGraphInput = false;
  bool IsGraphOutput = false;
  bool FromOuterScope = false; ///< Referenced by a subgraph, defined by an enclosing graph.
};

enum class AttrKind : uint8_t {
  Undefined,
  Float,
  Int,
  String,
  Tensor,
  Graph,
  Floats,
  Ints,
  Strings,
  Tensors,
  Graphs,
  SparseTensor,
  TypeProto,
  Other,
};

struct Attribute {
  Attribute() = default;
  Attribute(Attribute &&) noexcept = default;
  Attribute &operator=(Attribute &&) noexcept = default;

  llvm::StringRef Name; ///< In the model's strings (Model::Strings).
  AttrKind Kind = AttrKind::Undefined;
  float F = 0;
  int64_t I = 0;
  std::string S;
  llvm::SmallVector<int64_t, 4> Ints;

  /// The rarer parts of an attribute: a reference inside a function, float,
  /// string, tensor and graph values. Boxed: inline they made every attribute
  /// 256 bytes, and a 1M-node graph holds hundreds of thousands of attributes.
  struct Rare {
    std::string RefAttrName; ///< Set inside functions for attribute references.
    llvm::SmallVector<float, 4> Floats;
    std::vector<std::string> Strings;
    std::vector<TensorData> Tensors;            ///< One element for Kind == Tensor.
    std::vector<std::unique_ptr<Graph>> Graphs; ///< One element for Kind == Graph.
  };
  Boxed<Rare> More;

  llvm::StringRef refAttrName() const { return More ? llvm::StringRef(More->RefAttrName) : ""; }
  llvm::ArrayRef<float> floats() const {
    return More ? llvm::ArrayRef<float>(More->Floats) : llvm::ArrayRef<float>();
  }
  llvm::ArrayRef<std::string> strings() const {
    return More ? llvm::ArrayRef<std::string>(More->Strings) : llvm::ArrayRef<std::string>();
  }
  llvm::ArrayRef<TensorData> tensors() const {
    return More ? llvm::ArrayRef<TensorData>(More->Tensors) : llvm::ArrayRef<TensorData>();
  }
  llvm::ArrayRef<std::unique_ptr<Graph>> graphs() const {
    return More ? llvm::ArrayRef<std::unique_ptr<Graph>>(More->Graphs)
                : llvm::ArrayRef<std::unique_ptr<Graph>>();
  }
  /// The rare parts, created on first use (by the loader).
  Rare &more() { return More ? *More : More.emplace(); }
};

struct Node {
  Node() = default;
  Node(Node &&) noexcept = default;
  Node &operator=(Node &&) noexcept = default;

  // Text in the model's strings (Model::Strings): a graph holds them by the
  // million, and op types and domains repeat.
  llvm::StringRef Name;
  llvm::StringRef OpType;
  llvm::StringRef Domain;                ///< "" for the default ONNX domain.
  llvm::SmallVector<ValueId, 4> Inputs;  ///< kNoValue for an omitted optional input.
  llvm::SmallVector<ValueId, 2> Outputs; ///< kNoValue for an omitted optional output.
  std::vector<Attribute> Attrs;

  const Attribute *attr(llvm::StringRef N) const;
  /// "Conv 'name'" for messages; uses the first output name when the node is unnamed.
  std::string label(const Graph &G) const;
};

struct Graph {
  std::string Name;
  const Graph *Parent = nullptr;
  std::vector<Node> Nodes;
  std::vector<Value> Values;
  std::vector<TensorData> Initializers;
  llvm::SmallVector<ValueId, 4> Inputs;  ///< In file order (may include initializers).
  llvm::SmallVector<ValueId, 4> Outputs; ///< In file order.
  llvm::StringMap<ValueId> ByName;

  /// Finds or creates the value with this name.
  ValueId valueFor(llvm::StringRef Name);
  ValueId lookup(llvm::StringRef Name) const;
  const Value &value(ValueId V) const { return Values[static_cast<size_t>(V)]; }
  Value &value(ValueId V) { return Values[static_cast<size_t>(V)]; }
  const Node &node(NodeId N) const { return Nodes[static_cast<size_t>(N)]; }

  /// The stored tensor behind a value: an initializer, a Constant node's
  /// `value`, or either of these reached through Identity nodes.
  const TensorData *storedTensor(ValueId V) const;
};

/// A model-local function (FunctionProto).
struct Function {
  Function() = default;
  Function(Function &&) noexcept = default;
  Function &operator=(Function &&) noexcept = default;

  std::string Name;
  std::string Domain;
  std::vector<std::string> Inputs;
  std::vector<std::string> Outputs;
  std::vector<std::string> AttributeNames;
  std::unique_ptr<Graph> Body; ///< Nodes only; inputs/outputs by name.
  llvm::StringMap<int64_t> Opsets;
  /// Calls itself, directly or through other model-local functions (set by
  /// the loader, which also reports it). Such a function must never be
  /// expanded: expansion would not terminate.
  bool Recursive = false;
};

/// The text of a model's nodes and attributes: names saved once, op types,
/// domains and attribute names interned. Neither copied nor moved (it is a
/// member of Model, which lives behind a unique_ptr), so the StringRefs into
/// it stay valid as long as the model.
using ModelStrings = StringArena;

struct Model {
  /// Owns the text the graphs' nodes and attributes point to.
  ModelStrings Strings;
  std::string Path;
  int64_t IrVersion = 0;
  std::string ProducerName;
  std::string ProducerVersion;
  /// Domain -> version; "" is the default domain ("ai.onnx" is folded into it).
  llvm::StringMap<int64_t> Opsets;
  Graph Main;
  std::vector<Function> Functions;
  uint64_t FileSize = 0;
  /// Keeps the mapping alive for features that need payload bytes later.
  std::unique_ptr<llvm::MemoryBuffer> Buffer;
  /// Problems found while loading that did not stop the load.
  std::vector<Diagnostic> LoadDiagnostics;

  /// Opset version of a domain, or 0 when the model does not import it.
  int64_t opset(llvm::StringRef Domain) const;
};

} // namespace opaudit
