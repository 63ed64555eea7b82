// Rules for the neural-network family: convolution, pooling, normalization,
// matrix products, resizing, recurrent cells and their quantized forms. The
// MAC-class operators here also carry their multiply-accumulate formulas.
#include "passes/OpRegistry.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>

namespace opaudit {
namespace {

constexpr uint32_t in(unsigned I) { return 1u << I; }

Expr product(SymContext &S, llvm::ArrayRef<Expr> Dims) { return numElements(S, Dims); }

/// Output spatial size of a convolution or pooling window along one axis.
Expr windowOut(SymContext &S, Expr In, int64_t K, int64_t Stride, int64_t Dil, int64_t PadB,
               int64_t PadE, llvm::StringRef AutoPad, bool Ceil) {
  if (!In)
    return Expr();
  Expr Sd = S.constant(Stride);
  if (AutoPad == "SAME_UPPER" || AutoPad == "SAME_LOWER")
    return S.ceilDiv(In, Sd);
  int64_t Eff = Dil * (K - 1) + 1;
  if (AutoPad == "VALID")
    PadB = PadE = 0;
  Expr Span = S.sub(S.add(In, S.constant(PadB + PadE)), S.constant(Eff));
  Expr Out = S.add(Ceil ? S.ceilDiv(Span, Sd) : S.floorDiv(Span, Sd), S.constant(1));
  // With ceil_mode the last window must start inside the (left-padded) input.
  if (Ceil) {
    auto O = Out.asConst(), I = In.asConst();
    if (O && I && (*O - 1) * Stride >= *I + PadB)
      Out = S.constant(*O - 1);
  }
  return Out;
}

struct WindowAttrs {
  llvm::SmallVector<int64_t, 4> Kernel, Strides, Dilations, Pads;
  std::string AutoPad;
  bool Ceil = false;
};

/// Reads kernel/strides/dilations/pads for NSpatial axes; Kernel may come from the weight.
bool readWindow(InferContext &C, size_t NSpatial, WindowAttrs &W) {
  auto Get = [&](llvm::StringRef Name, int64_t Def, size_t N) {
    llvm::SmallVector<int64_t, 4> V;
    if (auto A = C.attrInts(Name))
      V = *A;
    else
      V.assign(N, Def);
    return V;
  };
  if (W.Kernel.empty()) {
    auto K = C.attrInts("kernel_shape");
    if (!K)
      return false;
    W.Kernel = *K;
  }
  W.Strides = Get("strides", 1, NSpatial);
  W.Dilations = Get("dilations", 1, NSpatial);
  W.Pads = Get("pads", 0, 2 * NSpatial);
  W.AutoPad = C.attrString("auto_pad", "NOTSET");
  W.Ceil = C.attrInt("ceil_mode", 0) != 0;
  return W.Kernel.size() == NSpatial && W.Strides.size() == NSpatial &&
         W.Dilations.size() == NSpatial && W.Pads.size() == 2 * NSpatial &&
         llvm::all_of(W.Strides, [](int64_t S) { return S > 0; }) &&
         llvm::all_of(W.Dilations, [](int64_t D) { return D > 0; }) &&
         llvm::all_of(W.Kernel, [](int64_t K) { return K > 0; });
}

/// Conv-like output: [N, Cout, spatial...] where the kernel comes from W (index WIdx).
void inferConvLike(InferContext &C, size_t XIdx, size_t WIdx, DType OutElem) {
  SymContext &S = C.sym();
  const Shape *X = C.inShape(XIdx);
  const Shape *W = C.inShape(WIdx);
  if (!X || !W || X->size() < 3 || W->size() != X->size()) {
    C.setOutput(0, OutElem, X ? std::optional<Shape>(Shape(X->size(), Expr())) : std::nullopt);
    return C.fail("input or weight rank is unknown or inconsistent");
  }
  size_t NS = X->size() - 2;
  WindowAttrs WA;
  if (auto K = C.attrInts("kernel_shape")) {
    WA.Kernel = *K;
  } else {
    for (size_t I = 0; I < NS; ++I) {
      auto K2 = (*W)[2 + I] ? (*W)[2 + I].asConst() : std::nullopt;
      if (!K2) {
        C.setOutput(0, OutElem, Shape(X->size(), Expr()));
        return C.fail("kernel size is not known");
      }
      WA.Kernel.push_back(*K2);
    }
  }
  if (!readWindow(C, NS, WA))
    return C.fail("invalid kernel, stride, dilation or pad attributes");
  Shape Out{(*X)[0], (*W)[0]};
  for (size_t I = 0; I < NS; ++I)
    Out.push_back(windowOut(S, (*X)[2 + I], WA.Kernel[I], WA.Strides[I], WA.Dilations[I],
                            WA.Pads[I], WA.Pads[I + NS], WA.AutoPad, false));
  int64_t Group = C.attrInt("group", 1);
  Expr CinW = (*W)[1], Cin = (*X)[1];
  if (CinW && Cin && CinW.isConst() && Cin.isConst() && *CinW.asConst() * Group != *Cin.asConst())
    C.fail("weight expects " + std::to_string(*CinW.asConst() * Group) + " input channels, got " +
           Cin.str());
  C.setOutput(0, OutElem, Out);
}

void inferConv(InferContext &C) { inferConvLike(C, 0, 1, C.inType(0)); }
void inferConvInteger(InferContext &C) { inferConvLike(C, 0, 1, DType::Int32); }
void inferQLinearConv(InferContext &C) {
  DType Out = C.inType(7) != DType::Undefined ? C.inType(7) : C.inType(0);
  inferConvLike(C, 0, 3, Out);
}

/// MACs of Conv: every output element takes (Cin/group) * prod(kernel) MACs.
Expr convMacs(InferContext &C, size_t WIdx) {
  SymContext &S = C.sym();
  const Shape *W = C.inShape(WIdx);
  if (!W || C.OutTypes.empty() || !C.OutTypes[0].Dims)
    return Expr();
  return S.mul(numElements(S, *C.OutTypes[0].Dims),
               product(S, llvm::ArrayRef<Expr>(*W).drop_front(1)));
}
Expr macsConv(InferContext &C) { return convMacs(C, 1); }
Expr macsQLinearConv(InferContext &C) { return convMacs(C, 3); }

void inferConvTranspose(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *X = C.inShape(0);
  const Shape *W = C.inShape(1);
  if (!X || !W || X->size() < 3 || W->size() != X->size()) {
    C.setOutput(0, C.inType(0), X ? std::optional<Shape>(Shape(X->size(), Expr())) : std::nullopt);
    return C.fail("input or weight rank is unknown or inconsistent");
  }
  size_t NS = X->size() - 2;
  int64_t Group = C.attrInt("group", 1);
  WindowAttrs WA;
  if (auto K = C.attrInts("kernel_shape"))
    WA.Kernel = *K;
  else
    for (size_t I = 0; I < NS; ++I) {
      auto K2 = (*W)[2 + I] ? (*W)[2 + I].asConst() : std::nullopt;
      if (!K2)
        return C.fail("kernel size is not known");
      WA.Kernel.push_back(*K2);
    }
  if (!readWindow(C, NS, WA))
    return C.fail("invalid kernel, stride, dilation or pad attributes");
  llvm::SmallVector<int64_t, 4> OutPad(NS, 0);
  if (auto A = C.attrInts("output_padding"); A && A->size() == NS)
    OutPad = *A;
  Shape Out{(*X)[0], S.mul((*W)[1], S.constant(Group))};
  auto OS = C.attrInts("output_shape");
  for (size_t I = 0; I < NS; ++I) {
    if (OS && OS->size() >= NS) {
      Out.push_back(S.constant((*OS)[OS->size() - NS + I]));
      continue;
    }
    Expr In = (*X)[2 + I];
    if (WA.AutoPad == "SAME_UPPER" || WA.AutoPad == "SAME_LOWER") {
      Out.push_back(S.mul(In, S.constant(WA.Strides[I])));
      continue;
    }
    int64_t PB = WA.AutoPad == "VALID" ? 0 : WA.Pads[I],
            PE = WA.AutoPad == "VALID" ? 0 : WA.Pads[I + NS];
    // stride*(in-1) + output_padding + ((k-1)*dil + 1) - pads
    Expr O = S.mul(S.constant(WA.Strides[I]), S.sub(In, S.constant(1)));
    O = S.add(O, S.constant(OutPad[I] + (WA.Kernel[I] - 1) * WA.Dilations[I] + 1 - PB - PE));
    Out.push_back(O);
  }
  C.setOutput(0, C.inType(0), Out);
}

/// MACs of ConvTranspose: every input element feeds (Cout/group) * prod(kernel) MACs.
Expr macsConvTranspose(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *X = C.inShape(0), *W = C.inShape(1);
  if (!X || !W)
    return Expr();
  return S.mul(numElements(S, *X), product(S, llvm::ArrayRef<Expr>(*W).drop_front(1)));
}

void inferPool(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *X = C.inShape(0);
  if (!X || X->size() < 3) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("input rank is unknown");
  }
  size_t NS = X->size() - 2;
  WindowAttrs WA;
  if (!readWindow(C, NS, WA))
    return C.fail("invalid kernel_shape, strides, dilations or pads");
  Shape Out{(*X)[0], (*X)[1]};
  for (size_t I = 0; I < NS; ++I)
    Out.push_back(windowOut(S, (*X)[2 + I], WA.Kernel[I], WA.Strides[I], WA.Dilations[I],
                            WA.Pads[I], WA.Pads[I + NS], WA.AutoPad, WA.Ceil));
  C.setOutput(0, C.inType(0), Out);
  C.setOutput(1, DType::Int64, Out);
}

void inferGlobalPool(InferContext &C) {
  const Shape *X = C.inShape(0);
  if (!X || X->size() < 2) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("input rank is unknown");
  }
  Shape Out{(*X)[0], (*X)[1]};
  Out.append(X->size() - 2, C.sym().constant(1));
  C.setOutput(0, C.inType(0), Out);
}

void inferSameAsInput(InferContext &C) {
  const TensorType *X = C.input(0);
  C.setOutput(0, X ? *X : TensorType{});
}

void inferBatchNorm(InferContext &C) {
  inferSameAsInput(C);
  // Training-mode outputs: running mean and variance of shape [C].
  const Shape *X = C.inShape(0);
  for (size_t I = 1; I < C.numOutputs(); ++I)
    C.setOutput(I, C.inType(1),
                X && X->size() > 1 ? std::optional<Shape>(Shape{(*X)[1]}) : std::nullopt);
}

void inferLayerNorm(InferContext &C) {
  inferSameAsInput(C);
  const Shape *X = C.inShape(0);
  if (!X)
    return;
  auto Axis = normalizeAxis(C.attrInt("axis", -1), static_cast<int64_t>(X->size()));
  if (!Axis)
    return C.fail("axis out of range");
  Shape Stat(X->begin(), X->begin() + *Axis);
  Stat.append(X->size() - static_cast<size_t>(*Axis), C.sym().constant(1));
  DType StashType =
      C.hasAttr("stash_type") ? dtypeFromCode(C.attrInt("stash_type", 1)) : DType::Float;
  for (size_t I = 1; I < C.numOutputs(); ++I)
    C.setOutput(I, StashType, Stat);
}

void inferDropout(InferContext &C) {
  inferSameAsInput(C);
  if (C.numOutputs() > 1)
    C.setOutput(1, DType::Bool, C.input(0) ? C.input(0)->Dims : std::nullopt);
}

void inferGemm(InferContext &C) {
  const Shape *A = C.inShape(0), *B = C.inShape(1);
  if (!A || !B || A->size() != 2 || B->size() != 2) {
    C.setOutput(0, C.inType(0), Shape{Expr(), Expr()});
    return C.fail("Gemm needs rank-2 A and B");
  }
  bool TA = C.attrInt("transA", 0) != 0, TB = C.attrInt("transB", 0) != 0;
  Expr M = (*A)[TA ? 1 : 0], N = (*B)[TB ? 0 : 1];
  C.setOutput(0, C.inType(0), Shape{M, N});
}

/// Gemm: M*N*K.
Expr macsGemm(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *A = C.inShape(0);
  if (!A || A->size() != 2 || C.OutTypes.empty() || !C.OutTypes[0].Dims)
    return Expr();
  Expr K = (*A)[C.attrInt("transA", 0) != 0 ? 0 : 1];
  return S.mul(numElements(S, *C.OutTypes[0].Dims), K);
}

void inferMatMulLike(InferContext &C, size_t AIdx, size_t BIdx, DType OutElem) {
  SymContext &S = C.sym();
  const Shape *A = C.inShape(AIdx), *B = C.inShape(BIdx);
  if (!A || !B || A->empty() || B->empty()) {
    C.setOutput(0, OutElem, std::nullopt);
    return C.fail("operand ranks are unknown");
  }
  Shape SA = *A, SB = *B;
  bool VecA = SA.size() == 1, VecB = SB.size() == 1;
  if (VecA)
    SA.insert(SA.begin(), S.constant(1));
  if (VecB)
    SB.push_back(S.constant(1));
  Expr KA = SA.back(), KB = SB[SB.size() - 2];
  if (KA && KB && KA.isConst() && KB.isConst() && KA != KB)
    C.fail("inner dims differ: " + KA.str() + " vs " + KB.str());
  Shape BA(SA.begin(), SA.end() - 2), BB(SB.begin(), SB.end() - 2);
  auto Batch = broadcastShapes(S, {&BA, &BB}, &C);
  if (!Batch)
    return;
  Shape Out = *Batch;
  if (!VecA)
    Out.push_back(SA[SA.size() - 2]);
  if (!VecB)
    Out.push_back(SB.back());
  C.setOutput(0, OutElem, Out);
}

void inferMatMul(InferContext &C) { inferMatMulLike(C, 0, 1, C.inType(0)); }
void inferMatMulInteger(InferContext &C) { inferMatMulLike(C, 0, 1, DType::Int32); }
void inferQLinearMatMul(InferContext &C) {
  inferMatMulLike(C, 0, 3, C.inType(7) != DType::Undefined ? C.inType(7) : C.inType(0));
}

/// MatMul: every output element is a K-long dot product.
Expr matmulMacs(InferContext &C, size_t AIdx) {
  SymContext &S = C.sym();
  const Shape *A = C.inShape(AIdx);
  if (!A || A->empty() || C.OutTypes.empty() || !C.OutTypes[0].Dims)
    return Expr();
  return S.mul(numElements(S, *C.OutTypes[0].Dims), A->back());
}
Expr macsMatMul(InferContext &C) { return matmulMacs(C, 0); }

/// Parses "ij,jk->ik" into per-operand subscripts and the output's; handles "...".
struct EinsumSpec {
  std::vector<std::string> Inputs;
  std::string Output;
  bool HasOutput = false;
};

std::optional<EinsumSpec> parseEinsum(llvm::StringRef Eq) {
  EinsumSpec R;
  std::string Clean;
  for (char Ch : Eq)
    if (Ch != ' ')
      Clean += Ch;
  llvm::StringRef E(Clean);
  auto [Lhs, Rhs] = E.split("->");
  R.HasOutput = E.contains("->");
  llvm::SmallVector<llvm::StringRef, 4> Ops;
  Lhs.split(Ops, ',');
  for (llvm::StringRef O : Ops)
    R.Inputs.push_back(O.str());
  R.Output = Rhs.str();
  return R;
}

/// Maps letters to dims across operands; '.' stands for broadcast dims (named by position).
bool bindEinsum(InferContext &C, const EinsumSpec &Sp, llvm::StringMap<Expr> &Dims,
                Shape &Ellipsis) {
  SymContext &S = C.sym();
  for (size_t I = 0; I < Sp.Inputs.size(); ++I) {
    const Shape *Sh = C.inShape(I);
    if (!Sh)
      return false;
    llvm::StringRef Sub = Sp.Inputs[I];
    size_t Letters = 0;
    for (char Ch : Sub)
      Letters += Ch != '.';
    bool HasEll = Sub.contains("...");
    if (!HasEll && Letters != Sh->size())
      return false;
    if (HasEll && Letters > Sh->size()) // Hostile equations: never index past the shape.
      return false;
    size_t EllRank = HasEll ? Sh->size() - Letters : 0;
    size_t Pos = 0;
    for (size_t K = 0; K < Sub.size(); ++K) {
      if (Sub[K] == '.') {
        if (Sub.substr(K).startswith("...")) {
          if (Pos + EllRank > Sh->size()) // A second "..." in one operand.
            return false;
          Shape E(Sh->begin() + Pos, Sh->begin() + Pos + EllRank);
          auto B = broadcastShapes(S, {&Ellipsis, &E});
          if (B)
            Ellipsis = *B;
          Pos += EllRank;
          K += 2;
        }
        continue;
      }
      std::string L(1, Sub[K]);
      if (Pos >= Sh->size())
        return false;
      Expr D = (*Sh)[Pos++];
      auto It = Dims.find(L);
      if (It == Dims.end())
        Dims[L] = D;
      else if (It->second && D && It->second.isConst() && *It->second.asConst() == 1)
        It->second = D;
    }
  }
  return true;
}

void inferEinsum(InferContext &C) {
  auto Sp = parseEinsum(C.attrString("equation"));
  llvm::StringMap<Expr> Dims;
  Shape Ell;
  if (!Sp || !bindEinsum(C, *Sp, Dims, Ell)) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("cannot bind the einsum equation to the operand shapes");
  }
  std::string Out = Sp->Output;
  if (!Sp->HasOutput) {
    // Implicit output: ellipsis, then letters that appear once, alphabetically.
    llvm::StringMap<int> Seen;
    for (const std::string &In : Sp->Inputs)
      for (char Ch : In)
        if (Ch != '.')
          ++Seen[std::string(1, Ch)];
    std::string Letters;
    for (auto &E : Seen)
      if (E.second == 1)
        Letters += E.first().str();
    llvm::sort(Letters);
    Out = "..." + Letters;
  }
  Shape R;
  for (size_t K = 0; K < Out.size(); ++K) {
    if (Out[K] == '.') {
      if (llvm::StringRef(Out).substr(K).startswith("...")) {
        R.append(Ell.begin(), Ell.end());
        K += 2;
      }
      continue;
    }
    auto It = Dims.find(std::string(1, Out[K]));
    R.push_back(It == Dims.end() ? Expr() : It->second);
  }
  C.setOutput(0, C.inType(0), R);
}

/// Einsum: product of every index size (the loop nest's trip count) when
/// there are two or more operands; single-operand forms only move data.
Expr macsEinsum(InferContext &C) {
  SymContext &S = C.sym();
  auto Sp = parseEinsum(C.attrString("equation"));
  llvm::StringMap<Expr> Dims;
  Shape Ell;
  if (!Sp || !bindEinsum(C, *Sp, Dims, Ell))
    return Expr();
  if (Sp->Inputs.size() < 2)
    return S.constant(0);
  Expr P = numElements(S, Ell);
  for (auto &E : Dims)
    P = S.mul(P, E.second);
  return S.mul(P, S.constant(static_cast<int64_t>(Sp->Inputs.size() - 1)));
}

void inferSoftmax(InferContext &C) { inferSameAsInput(C); }

/// Resize/Upsample: output = floor(in * scale) or the given sizes.
void inferResize(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *X = C.inShape(0);
  if (!X) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("input rank is unknown");
  }
  size_t Rank = X->size();
  std::optional<llvm::SmallVector<double, 4>> Scales;
  std::optional<llvm::SmallVector<Expr, 4>> Sizes;
  auto ScalesFrom = [&](size_t Idx) {
    const ConstValue *V = C.value(Idx);
    if (V && V->isReal() && !V->Reals.empty())
      Scales = llvm::SmallVector<double, 4>(V->Reals.begin(), V->Reals.end());
  };
  bool IsUpsample = C.node().OpType == "Upsample";
  if (IsUpsample && C.opset() < 9) {
    if (auto F = C.attrFloats("scales"))
      Scales = llvm::SmallVector<double, 4>(F->begin(), F->end());
  } else if (IsUpsample || C.opset() < 11) {
    ScalesFrom(1);
  } else {
    ScalesFrom(2);
    if (const ConstValue *V = C.value(3); V && !V->isReal() && !V->Ints.empty())
      Sizes = llvm::SmallVector<Expr, 4>(V->Ints.begin(), V->Ints.end());
  }
  llvm::SmallVector<int64_t, 4> Axes;
  if (auto A = C.attrInts("axes"); A && C.opset() >= 18) {
    for (int64_t X2 : *A)
      if (auto N = normalizeAxis(X2, static_cast<int64_t>(Rank)))
        Axes.push_back(*N);
  } else {
    for (size_t I = 0; I < Rank; ++I)
      Axes.push_back(static_cast<int64_t>(I));
  }
  Shape Out = *X;
  if (Sizes && Sizes->size() == Axes.size()) {
    std::string Policy = C.attrString("keep_aspect_ratio_policy", "stretch");
    if (Policy != "stretch") {
      // One scale for all axes: the min (not_larger) or max (not_smaller) of
      // sizes/in, then out = round(scale * in) (ONNX opset 18).
      std::optional<double> Scale;
      for (size_t I = 0; I < Axes.size() && C.opset() >= 18; ++I) {
        auto In = (*X)[static_cast<size_t>(Axes[I])], Want = (*Sizes)[I];
        auto IC = In ? In.asConst() : std::nullopt, WC = Want ? Want.asConst() : std::nullopt;
        if (!IC || !WC || *IC == 0) {
          Scale.reset();
          break;
        }
        double R = static_cast<double>(*WC) / static_cast<double>(*IC);
        Scale = !Scale ? R : Policy == "not_larger" ? std::min(*Scale, R) : std::max(*Scale, R);
      }
      if (!Scale) {
        Out.assign(Rank, Expr());
        C.setOutput(0, C.inType(0), Out);
        return C.fail("keep_aspect_ratio_policy needs constant input dims and sizes");
      }
      for (int64_t A : Axes) {
        Expr &D = Out[static_cast<size_t>(A)];
        D = S.constant(
            static_cast<int64_t>(std::floor(*Scale * static_cast<double>(*D.asConst()) + 0.5)));
      }
      C.setOutput(0, C.inType(0), Out);
      return;
    }
    for (size_t I = 0; I < Axes.size(); ++I)
      Out[static_cast<size_t>(Axes[I])] = (*Sizes)[I];
  } else if (Scales && Scales->size() == Axes.size()) {
    for (size_t I = 0; I < Axes.size(); ++I) {
      Expr &D = Out[static_cast<size_t>(Axes[I])];
      double Sc = static_cast<float>((*Scales)[I]);
      if (!D)
        continue;
      if (Sc == std::floor(Sc) && Sc >= 0 && Sc < 1e9)
        D = S.mul(D, S.constant(static_cast<int64_t>(Sc)));
      else if (auto K = D.asConst())
        D = S.constant(static_cast<int64_t>(std::floor(static_cast<double>(*K) * Sc)));
      else
        D = Expr();
    }
  } else {
    Out.assign(Rank, Expr());
    C.setOutput(0, C.inType(0), Out);
    return C.fail("scales and sizes are not known");
  }
  C.setOutput(0, C.inType(0), Out);
}

/// LSTM/GRU/RNN: Y, Y_h (and Y_c) from X, W and hidden_size.
void inferRecurrent(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *X = C.inShape(0);
  int64_t H = C.attrInt("hidden_size", 0);
  std::string Dir = C.attrString("direction", "forward");
  int64_t ND = Dir == "bidirectional" ? 2 : 1;
  bool Layout = C.attrInt("layout", 0) != 0;
  if (!X || X->size() != 3) {
    for (size_t I = 0; I < C.numOutputs(); ++I)
      C.setOutput(I, C.inType(0), std::nullopt);
    return C.fail("input rank is unknown");
  }
  Expr Hd = H > 0 ? S.constant(H) : Expr();
  if (!Hd) {
    const Shape *R = C.inShape(2);
    if (R && R->size() == 3)
      Hd = (*R)[2];
  }
  Expr Seq = (*X)[Layout ? 1 : 0], Batch = (*X)[Layout ? 0 : 1], Nd = S.constant(ND);
  if (Layout) {
    C.setOutput(0, C.inType(0), Shape{Batch, Seq, Nd, Hd});
    for (size_t I = 1; I < C.numOutputs(); ++I)
      C.setOutput(I, C.inType(0), Shape{Batch, Nd, Hd});
  } else {
    C.setOutput(0, C.inType(0), Shape{Seq, Nd, Batch, Hd});
    for (size_t I = 1; I < C.numOutputs(); ++I)
      C.setOutput(I, C.inType(0), Shape{Nd, Batch, Hd});
  }
}

/// Recurrent MACs: per step and direction, batch * gates*H * (input + H).
Expr macsRecurrent(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *X = C.inShape(0), *W = C.inShape(1), *R = C.inShape(2);
  if (!X || !W || !R || X->size() != 3 || W->size() != 3 || R->size() != 3)
    return Expr();
  bool Layout = C.attrInt("layout", 0) != 0;
  Expr Seq = (*X)[Layout ? 1 : 0], Batch = (*X)[Layout ? 0 : 1];
  // W is [dirs, gates*H, input], R is [dirs, gates*H, H].
  Expr PerStep =
      S.add(S.mul(S.mul((*W)[0], (*W)[1]), (*W)[2]), S.mul(S.mul((*R)[0], (*R)[1]), (*R)[2]));
  return S.mul(S.mul(Seq, Batch), PerStep);
}

void inferQuantize(InferContext &C) {
  DType Out = DType::UInt8;
  if (C.hasInput(2))
    Out = C.inType(2);
  if (C.hasAttr("output_dtype") && C.attrInt("output_dtype", 0) != 0)
    Out = dtypeFromCode(C.attrInt("output_dtype", 0));
  C.setOutput(0, Out, C.input(0) ? C.input(0)->Dims : std::nullopt);
}

void inferDequantize(InferContext &C) {
  DType Out = C.hasInput(1) && C.inType(1) != DType::Undefined ? C.inType(1) : DType::Float;
  C.setOutput(0, Out, C.input(0) ? C.input(0)->Dims : std::nullopt);
}

void inferDynamicQuantize(InferContext &C) {
  C.setOutput(0, DType::UInt8, C.input(0) ? C.input(0)->Dims : std::nullopt);
  C.setOutput(1, DType::Float, Shape{});
  C.setOutput(2, DType::UInt8, Shape{});
}

} // namespace

void addNNRules(std::vector<OpRule> &R) {
  using OC = OpClass;
  auto Add = [&](llvm::StringRef Op, int Since, OC Cls, InferFn F, uint32_t ShapeIn = 0,
                 MacFn M = nullptr) {
    R.push_back({"", Op, Since, Cls, F, ShapeIn, M});
  };
  Add("Conv", 1, OC::Conv, inferConv, 0, macsConv);
  Add("Conv", 11, OC::Conv, inferConv, 0, macsConv);
  Add("ConvInteger", 10, OC::Conv, inferConvInteger, 0, macsConv);
  Add("QLinearConv", 10, OC::Conv, inferQLinearConv, 0, macsQLinearConv);
  Add("ConvTranspose", 1, OC::Conv, inferConvTranspose, 0, macsConvTranspose);
  Add("ConvTranspose", 11, OC::Conv, inferConvTranspose, 0, macsConvTranspose);
  Add("Gemm", 1, OC::MatMul, inferGemm, 0, macsGemm);
  Add("Gemm", 11, OC::MatMul, inferGemm, 0, macsGemm);
  Add("MatMul", 1, OC::MatMul, inferMatMul, 0, macsMatMul);
  Add("MatMul", 13, OC::MatMul, inferMatMul, 0, macsMatMul);
  Add("MatMulInteger", 10, OC::MatMul, inferMatMulInteger, 0, macsMatMul);
  Add("QLinearMatMul", 10, OC::MatMul, inferQLinearMatMul, 0, macsMatMul);
  Add("Einsum", 12, OC::MatMul, inferEinsum, 0, macsEinsum);
  for (const char *Op : {"MaxPool", "AveragePool", "LpPool"}) {
    Add(Op, 1, OC::Pool, inferPool);
    Add(Op, 10, OC::Pool, inferPool);
  }
  for (const char *Op : {"GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool"})
    Add(Op, 1, OC::Pool, inferGlobalPool);
  Add("BatchNormalization", 1, OC::Normalization, inferBatchNorm);
  Add("BatchNormalization", 14, OC::Normalization, inferBatchNorm);
  Add("LayerNormalization", 17, OC::Normalization, inferLayerNorm);
  // onnxruntime registers SimplifiedLayerNormalization (RMSNorm) in the
  // default domain, and exporters (onnxruntime-genai, optimum) write it there.
  Add("SimplifiedLayerNormalization", 1, OC::Normalization, inferLayerNorm);
  for (const char *Op : {"InstanceNormalization", "LRN", "MeanVarianceNormalization",
                         "LpNormalization", "GroupNormalization"})
    Add(Op, 1, OC::Normalization, inferSameAsInput);
  Add("Dropout", 1, OC::DataMovement, inferDropout, in(1) | in(2));
  Add("Dropout", 12, OC::DataMovement, inferDropout, in(1) | in(2));
  for (const char *Op : {"Softmax", "LogSoftmax", "Hardmax"}) {
    Add(Op, 1, OC::Softmax, inferSoftmax);
    Add(Op, 13, OC::Softmax, inferSoftmax);
  }
  Add("Resize", 10, OC::Resize, inferResize, in(1) | in(2) | in(3));
  Add("Resize", 11, OC::Resize, inferResize, in(1) | in(2) | in(3));
  Add("Resize", 13, OC::Resize, inferResize, in(1) | in(2) | in(3));
  Add("Resize", 18, OC::Resize, inferResize, in(1) | in(2) | in(3));
  Add("Upsample", 7, OC::Resize, inferResize, in(1));
  Add("Upsample", 9, OC::Resize, inferResize, in(1));
  for (const char *Op : {"LSTM", "GRU", "RNN"})
    Add(Op, 7, OC::Recurrent, inferRecurrent, in(4), macsRecurrent);
  Add("QuantizeLinear", 10, OC::Quantization, inferQuantize);
  Add("DequantizeLinear", 10, OC::Quantization, inferDequantize);
  Add("DynamicQuantizeLinear", 11, OC::Quantization, inferDynamicQuantize);
}

} // namespace opaudit
