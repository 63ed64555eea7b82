// Small helpers of the IR: dtype names and sizes, value lookup, and the walk
// from a value to the stored tensor behind it.
#include "ir/IR.h"

#include "llvm/ADT/STLExtras.h"

#include "llvm/ADT/StringSwitch.h"

namespace opaudit {

namespace {
struct DTypeInfo {
  const char *Name;
  unsigned Bits;
};
constexpr DTypeInfo kDTypes[] = {
    {"undefined", 0},      {"float", 32},       {"uint8", 8},          {"int8", 8},
    {"uint16", 16},        {"int16", 16},       {"int32", 32},         {"int64", 64},
    {"string", 0},         {"bool", 8},         {"float16", 16},       {"double", 64},
    {"uint32", 32},        {"uint64", 64},      {"complex64", 64},     {"complex128", 128},
    {"bfloat16", 16},      {"float8e4m3fn", 8}, {"float8e4m3fnuz", 8}, {"float8e5m2", 8},
    {"float8e5m2fnuz", 8}, {"uint4", 4},        {"int4", 4},
};
constexpr int64_t kNumDTypes = sizeof(kDTypes) / sizeof(kDTypes[0]);
} // namespace

DType dtypeFromCode(int64_t Code) {
  if (Code < 0 || Code >= kNumDTypes)
    return DType::Undefined;
  return static_cast<DType>(Code);
}

llvm::StringRef dtypeName(DType T) {
  return kDTypes[static_cast<int>(dtypeFromCode(static_cast<int64_t>(T)))].Name;
}

unsigned dtypeBits(DType T) {
  return kDTypes[static_cast<int>(dtypeFromCode(static_cast<int64_t>(T)))].Bits;
}

bool isIntegerDType(DType T) {
  switch (T) {
  case DType::UInt8:
  case DType::Int8:
  case DType::UInt16:
  case DType::Int16:
  case DType::Int32:
  case DType::Int64:
  case DType::UInt32:
  case DType::UInt64:
  case DType::Bool:
  case DType::UInt4:
  case DType::Int4:
    return true;
  default:
    return false;
  }
}

bool isFloatDType(DType T) {
  switch (T) {
  case DType::Float:
  case DType::Float16:
  case DType::Double:
  case DType::BFloat16:
  case DType::Float8E4M3FN:
  case DType::Float8E4M3FNUZ:
  case DType::Float8E5M2:
  case DType::Float8E5M2FNUZ:
    return true;
  default:
    return false;
  }
}

std::optional<DType> dtypeFromString(llvm::StringRef S) {
  auto R = llvm::StringSwitch<DType>(S.lower())
               .Cases("fp32", "float", "float32", DType::Float)
               .Cases("fp16", "float16", "half", DType::Float16)
               .Cases("bf16", "bfloat16", DType::BFloat16)
               .Cases("fp64", "double", "float64", DType::Double)
               .Case("int8", DType::Int8)
               .Case("uint8", DType::UInt8)
               .Case("int4", DType::Int4)
               .Case("uint4", DType::UInt4)
               .Case("int16", DType::Int16)
               .Case("int32", DType::Int32)
               .Case("int64", DType::Int64)
               .Cases("fp8", "float8e4m3fn", DType::Float8E4M3FN)
               .Default(DType::Undefined);
  if (R == DType::Undefined)
    return std::nullopt;
  return R;
}

std::optional<int64_t> TensorData::numElements() const {
  // A zero dim makes the product exactly 0 even when the other dims overflow.
  for (int64_t D : Dims)
    if (D < 0)
      return std::nullopt;
  if (llvm::is_contained(Dims, 0))
    return 0;
  int64_t N = 1;
  for (int64_t D : Dims)
    if (__builtin_mul_overflow(N, D, &N))
      return std::nullopt;
  return N;
}

std::optional<int64_t> TensorData::numBytes() const {
  auto N = numElements();
  if (!N)
    return std::nullopt;
  // Elements * bits can exceed 64 bits while the byte count does not (2^60 floats).
  unsigned __int128 Bits = static_cast<unsigned __int128>(*N) * dtypeBits(Type);
  unsigned __int128 Bytes = Bits / 8 + (Bits % 8 != 0);
  if (Bytes > static_cast<unsigned __int128>(INT64_MAX))
    return std::nullopt;
  return static_cast<int64_t>(Bytes);
}

const Attribute *Node::attr(llvm::StringRef N) const {
  for (const Attribute &A : Attrs)
    if (A.Name == N)
      return &A;
  return nullptr;
}

std::string Node::label(const Graph &G) const {
  std::string L = OpType.str();
  if (!Name.empty())
    return L + " '" + Name.str() + "'";
  for (ValueId O : Outputs)
    if (O != kNoValue)
      return L + " (output '" + G.value(O).Name.str() + "')";
  return L + " (unnamed)";
}

ValueId Graph::valueFor(llvm::StringRef N) {
  auto [It, Inserted] = ByName.try_emplace(N, static_cast<ValueId>(Values.size()));
  if (Inserted) {
    Values.emplace_back();
    Values.back().Name = It->first(); // StringMap entries never move.
  }
  return It->second;
}

ValueId Graph::lookup(llvm::StringRef N) const {
  auto It = ByName.find(N);
  return It == ByName.end() ? kNoValue : It->second;
}

const TensorData *Graph::storedTensor(ValueId V) const {
  // Identity chains are short in practice; the bound guards against cycles.
  for (int Hops = 0; V != kNoValue && Hops < 64; ++Hops) {
    const Value &Val = value(V);
    if (Val.Initializer >= 0)
      return &Initializers[static_cast<size_t>(Val.Initializer)];
    if (Val.Producer == kNoNode)
      return nullptr;
    const Node &P = node(Val.Producer);
    if (!P.Domain.empty())
      return nullptr;
    if (P.OpType == "Constant") {
      const Attribute *A = P.attr("value");
      if (A && A->Kind == AttrKind::Tensor && !A->tensors().empty())
        return &A->tensors().front();
      return nullptr;
    }
    if (P.OpType != "Identity" || P.Inputs.empty())
      return nullptr;
    V = P.Inputs.front();
  }
  return nullptr;
}

int64_t Model::opset(llvm::StringRef Domain) const {
  auto It = Opsets.find(Domain == "ai.onnx" ? llvm::StringRef() : Domain);
  return It == Opsets.end() ? 0 : It->second;
}

} // namespace opaudit
