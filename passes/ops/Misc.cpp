// Rules for the operator families the core files leave out: losses
// (NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss), signal processing
// (DFT, STFT, the window functions, MelWeightMatrix), sampling and random
// generators, text (StringNormalizer, TfIdfVectorizer), detection helpers
// (RoiAlign, GridSample, MaxUnpool), linear algebra (Det), optionals, and the
// training-preview optimizers (Adagrad, Momentum, Adam), the opset 18-20
// additions (Col2Im, CenterCropPad, AffineGrid, ImageDecoder, the string
// ops, DeformConv) and the ai.onnx.ml operators that carry shapes. Only
// DeformConv counts MACs (as Conv does); the rest are here so that shapes
// flow through models that use them.
#include "passes/OpRegistry.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>

namespace opaudit {
namespace {

constexpr uint32_t in(unsigned I) { return 1u << I; }

/// The single known value of a scalar (or 1-element) integer input.
Expr scalarInput(InferContext &C, size_t I) {
  if (const ConstValue *V = C.value(I); V && V->size() == 1) {
    if (!V->isReal())
      return V->Ints[0];
    double R = V->Reals[0];
    if (R >= 0 && R < 9.0e15)
      return C.sym().constant(static_cast<int64_t>(R));
  }
  return Expr();
}

DType dtypeAttr(InferContext &C, llvm::StringRef Name, DType Default) {
  return C.hasAttr(Name) ? dtypeFromCode(C.attrInt(Name, 1)) : Default;
}

/// Losses: the per-element loss has the target's shape; reduced, a scalar.
void inferLoss(InferContext &C) {
  bool None = C.attrString("reduction", "mean") == "none";
  const TensorType *Target = C.input(1);
  if (None)
    C.setOutput(0, C.inType(0), Target ? Target->Dims : std::nullopt);
  else
    C.setOutput(0, C.inType(0), Shape{});
  // SoftmaxCrossEntropyLoss's optional log_prob has the scores' shape.
  if (C.numOutputs() > 1)
    C.setOutput(1, C.inType(0), C.input(0) ? C.input(0)->Dims : std::nullopt);
}

/// DFT: the last dim becomes 2 (complex); the transformed axis takes
/// dft_length and, one-sided, floor(n/2) + 1 bins.
void inferDFT(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *X = C.inShape(0);
  if (!X || X->size() < 2) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("input rank is unknown");
  }
  int64_t Rank = static_cast<int64_t>(X->size());
  int64_t AxisV = C.attrInt("axis", 1);
  if (C.opset() >= 20) {
    AxisV = -2;
    if (C.hasInput(2)) {
      Expr A = scalarInput(C, 2);
      if (!A || !A.isConst()) {
        C.setOutput(0, C.inType(0), Shape(X->size(), Expr()));
        return C.fail("axis is not known");
      }
      AxisV = *A.asConst();
    }
  }
  auto Axis = normalizeAxis(AxisV, Rank);
  if (!Axis || *Axis == Rank - 1)
    return C.fail("axis out of range");
  Shape Out = *X;
  Expr N = (*X)[static_cast<size_t>(*Axis)];
  if (C.hasInput(1))
    N = scalarInput(C, 1);
  if (C.attrInt("onesided", 0) != 0)
    N = S.add(S.floorDiv(N, S.constant(2)), S.constant(1));
  Out[static_cast<size_t>(*Axis)] = N;
  Out.back() = S.constant(2);
  C.setOutput(0, C.inType(0), Out);
}

/// STFT: [batch, frames, bins, 2] with frames = floor((len - frame_length) / step) + 1.
void inferSTFT(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *X = C.inShape(0);
  Expr Step = scalarInput(C, 1);
  Expr FrameLen;
  if (C.hasInput(3))
    FrameLen = scalarInput(C, 3);
  else if (const Shape *W = C.inShape(2); W && W->size() == 1)
    FrameLen = (*W)[0];
  if (!X || X->size() != 3) {
    C.setOutput(0, C.inType(0), Shape(4, Expr()));
    return C.fail("signal must have rank 3");
  }
  Expr Frames = S.add(S.floorDiv(S.sub((*X)[1], FrameLen), Step), S.constant(1));
  Expr Bins = C.attrInt("onesided", 1) != 0
                  ? S.add(S.floorDiv(FrameLen, S.constant(2)), S.constant(1))
                  : FrameLen;
  C.setOutput(0, C.inType(0), Shape{(*X)[0], Frames, Bins, S.constant(2)});
}

void inferWindow(InferContext &C) {
  C.setOutput(0, dtypeAttr(C, "output_datatype", DType::Float), Shape{scalarInput(C, 0)});
}

void inferMelWeightMatrix(InferContext &C) {
  SymContext &S = C.sym();
  Expr Bins = S.add(S.floorDiv(scalarInput(C, 1), S.constant(2)), S.constant(1));
  C.setOutput(0, dtypeAttr(C, "output_datatype", DType::Float), Shape{Bins, scalarInput(C, 0)});
}

/// Same shape as input 0; the dtype from a `dtype` attribute when present.
void inferLike(InferContext &C) {
  const TensorType *X = C.input(0);
  C.setOutput(0, dtypeAttr(C, "dtype", C.inType(0)), X ? X->Dims : std::nullopt);
}

void inferRandom(InferContext &C) {
  auto Sh = C.attrInts("shape");
  if (!Sh) {
    C.setOutput(0, dtypeAttr(C, "dtype", DType::Float), std::nullopt);
    return C.fail("shape attribute missing");
  }
  C.setOutput(0, dtypeAttr(C, "dtype", DType::Float), constShape(C.sym(), *Sh));
}

void inferMultinomial(InferContext &C) {
  const Shape *X = C.inShape(0);
  C.setOutput(
      0, dtypeAttr(C, "dtype", DType::Int32),
      Shape{X && X->size() == 2 ? (*X)[0] : Expr(), C.sym().constant(C.attrInt("sample_size", 1))});
}

/// StringNormalizer keeps the shape unless stopwords can drop elements.
void inferStringNormalizer(InferContext &C) {
  const Shape *X = C.inShape(0);
  if (!X || X->empty()) {
    C.setOutput(0, DType::String, std::nullopt);
    return C.fail("input rank is unknown");
  }
  Shape Out = *X;
  if (const Attribute *A = C.attr("stopwords"); A && !A->strings().empty())
    Out.back() = C.sym().fresh("strings");
  C.setOutput(0, DType::String, Out);
}

/// TfIdfVectorizer: the last dim becomes max(ngram_indexes) + 1.
void inferTfIdf(InferContext &C) {
  const Shape *X = C.inShape(0);
  auto Idx = C.attrInts("ngram_indexes");
  if (!X || X->empty() || X->size() > 2 || !Idx || Idx->empty()) {
    C.setOutput(0, DType::Float, std::nullopt);
    return C.fail("needs a rank-1 or rank-2 input and ngram_indexes");
  }
  Shape Out = *X;
  Out.back() = C.sym().constant(*std::max_element(Idx->begin(), Idx->end()) + 1);
  C.setOutput(0, DType::Float, Out);
}

void inferRoiAlign(InferContext &C) {
  const Shape *X = C.inShape(0), *Rois = C.inShape(1);
  SymContext &S = C.sym();
  C.setOutput(
      0, C.inType(0),
      Shape{Rois && !Rois->empty() ? (*Rois)[0] : Expr(), X && X->size() > 1 ? (*X)[1] : Expr(),
            S.constant(C.attrInt("output_height", 1)), S.constant(C.attrInt("output_width", 1))});
}

/// GridSample: [N, C] of the input, spatial dims of the grid.
void inferGridSample(InferContext &C) {
  const Shape *X = C.inShape(0), *Grid = C.inShape(1);
  if (!X || !Grid || X->size() < 3 || Grid->size() != X->size()) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("input or grid rank is unknown");
  }
  Shape Out{(*X)[0], (*X)[1]};
  Out.append(Grid->begin() + 1, Grid->end() - 1);
  C.setOutput(0, C.inType(0), Out);
}

/// MaxUnpool: the given output_shape, or (in - 1) * stride + kernel - pads.
void inferMaxUnpool(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *X = C.inShape(0);
  if (C.hasInput(2)) {
    if (auto V = C.exprValues(2))
      return C.setOutput(0, C.inType(0), Shape(V->begin(), V->end()));
    C.setOutput(0, C.inType(0), X ? std::optional<Shape>(Shape(X->size(), Expr())) : std::nullopt);
    return C.fail("output_shape is not known");
  }
  auto K = C.attrInts("kernel_shape");
  if (!X || X->size() < 3 || !K || K->size() != X->size() - 2) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("input rank or kernel_shape is unknown");
  }
  size_t NS = K->size();
  auto Strides = C.attrInts("strides").value_or(llvm::SmallVector<int64_t, 4>(NS, 1));
  auto Pads = C.attrInts("pads").value_or(llvm::SmallVector<int64_t, 4>(2 * NS, 0));
  if (Strides.size() != NS || Pads.size() != 2 * NS)
    return C.fail("strides or pads have the wrong length");
  Shape Out{(*X)[0], (*X)[1]};
  for (size_t I = 0; I < NS; ++I)
    Out.push_back(S.add(S.mul(S.sub((*X)[2 + I], S.constant(1)), S.constant(Strides[I])),
                        S.constant((*K)[I] - Pads[I] - Pads[I + NS])));
  C.setOutput(0, C.inType(0), Out);
}

void inferDet(InferContext &C) {
  const Shape *X = C.inShape(0);
  if (!X || X->size() < 2) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("input rank is unknown");
  }
  C.setOutput(0, C.inType(0), Shape(X->begin(), X->end() - 2));
}

void inferOptionalHasElement(InferContext &C) { C.setOutput(0, DType::Bool, Shape{}); }

void inferOptionalGetElement(InferContext &C) {
  // Only a tensor-typed input is tracked; optional and sequence types are not.
  const TensorType *X = C.input(0);
  C.setOutput(0, X ? *X : TensorType{});
}

/// Adagrad / Momentum / Adam: inputs R, T, then the tensors to update and
/// their state; output I has the shape of input 2 + I.
void inferOptimizer(InferContext &C) {
  for (size_t I = 0; I < C.numOutputs(); ++I) {
    const TensorType *T = C.input(2 + I);
    C.setOutput(I, T ? *T : TensorType{});
  }
}

void inferSameShape(InferContext &C) {
  const TensorType *X = C.input(0);
  C.setOutput(0, X ? *X : TensorType{});
}

/// Col2Im (18): [N, C*prod(block), L] -> [N, C, image_shape...].
void inferCol2Im(InferContext &C) {
  SymContext &S = C.sym();
  const Shape *X = C.inShape(0);
  auto Img = C.exprValues(1), Block = C.exprValues(2);
  if (!X || X->size() != 3 || !Img || !Block) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("needs a rank-3 input and known image_shape and block_shape");
  }
  Shape Out{(*X)[0], S.floorDiv((*X)[1], numElements(S, *Block))};
  Out.append(Img->begin(), Img->end());
  C.setOutput(0, C.inType(0), Out);
}

/// CenterCropPad (18): the given sizes on the given axes (all by default).
void inferCenterCropPad(InferContext &C) {
  const Shape *X = C.inShape(0);
  auto Sizes = C.exprValues(1);
  if (!X || !Sizes) {
    C.setOutput(0, C.inType(0), X ? std::optional<Shape>(Shape(X->size(), Expr())) : std::nullopt);
    return C.fail("shape is not known");
  }
  Shape Out = *X;
  llvm::SmallVector<int64_t, 4> Axes;
  if (auto A = C.attrInts("axes"))
    Axes = *A;
  else
    for (size_t I = 0; I < Sizes->size(); ++I)
      Axes.push_back(static_cast<int64_t>(X->size() - Sizes->size() + I));
  if (Axes.size() != Sizes->size())
    return C.fail("axes and shape differ in length");
  for (size_t I = 0; I < Axes.size(); ++I) {
    auto A = normalizeAxis(Axes[I], static_cast<int64_t>(X->size()));
    if (!A)
      return C.fail("axis out of range");
    Out[static_cast<size_t>(*A)] = (*Sizes)[I];
  }
  C.setOutput(0, C.inType(0), Out);
}

/// AffineGrid (20): theta [N, 2|3, 3|4], size (N, C, H, W[, D]) -> [N, H, W(, D), 2|3].
void inferAffineGrid(InferContext &C) {
  auto Size = C.exprValues(1);
  if (!Size || Size->size() < 4) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("size is not known");
  }
  Shape Out{(*Size)[0]};
  Out.append(Size->begin() + 2, Size->end());
  Out.push_back(C.sym().constant(static_cast<int64_t>(Size->size()) - 2));
  C.setOutput(0, C.inType(0), Out);
}

/// ImageDecoder (20): [H, W, C] with H and W from the encoded bytes.
void inferImageDecoder(InferContext &C) {
  SymContext &S = C.sym();
  std::string Fmt = C.attrString("pixel_format", "RGB");
  C.setOutput(0, DType::UInt8,
              Shape{S.fresh("height"), S.fresh("width"), S.constant(Fmt == "Grayscale" ? 1 : 3)});
}

void inferRegexFullMatch(InferContext &C) {
  const TensorType *X = C.input(0);
  C.setOutput(0, DType::Bool, X ? X->Dims : std::nullopt);
}

void inferStringConcat(InferContext &C) {
  C.setOutput(0, DType::String, broadcastShapes(C.sym(), {C.inShape(0), C.inShape(1)}, &C));
}

/// StringSplit (20): the substrings get a new last dim as long as the most
/// pieces any element splits into (data-dependent), plus their counts.
void inferStringSplit(InferContext &C) {
  const Shape *X = C.inShape(0);
  if (!X) {
    C.setOutput(0, DType::String, std::nullopt);
    C.setOutput(1, DType::Int64, std::nullopt);
    return C.fail("input rank is unknown");
  }
  Shape Out = *X;
  Out.push_back(C.sym().fresh("pieces"));
  C.setOutput(0, DType::String, Out);
  C.setOutput(1, DType::Int64, *X);
}

/// DeformConv (19): Conv's output shape and MAC count (offsets only move
/// where the kernel samples).
void inferDeformConv(InferContext &C) {
  if (const OpRule *Conv = findRule("", "Conv", 11))
    Conv->Infer(C);
}

Expr macsDeformConv(InferContext &C) {
  const OpRule *Conv = findRule("", "Conv", 11);
  return Conv && Conv->Macs ? Conv->Macs(C) : Expr();
}

/// MaxRoiPool: [num_rois, C, pooled_h, pooled_w].
void inferMaxRoiPool(InferContext &C) {
  const Shape *X = C.inShape(0), *Rois = C.inShape(1);
  auto P = C.attrInts("pooled_shape");
  Shape Out{Rois && !Rois->empty() ? (*Rois)[0] : Expr(), X && X->size() > 1 ? (*X)[1] : Expr()};
  for (int I = 0; I < 2; ++I)
    Out.push_back(P && P->size() == 2 ? C.sym().constant((*P)[static_cast<size_t>(I)]) : Expr());
  C.setOutput(0, C.inType(0), Out);
}

/// Optional (15): wraps its input; tracked as the element type.
void inferOptional(InferContext &C) {
  const TensorType *X = C.input(0);
  C.setOutput(0, X ? *X : TensorType{});
}

// ai.onnx.ml: models on [N, C] feature matrices.

Expr rowsOf(InferContext &C) {
  const Shape *X = C.inShape(0);
  if (!X || X->empty())
    return Expr();
  return X->size() == 1 ? C.sym().constant(1) : (*X)[0];
}

/// Classifiers: labels [N] and scores [N, classes].
void inferClassifier(InferContext &C) {
  size_t Classes = 0;
  if (const Attribute *A = C.attr("classlabels_ints"))
    Classes = A->Ints.size();
  else if (const Attribute *A = C.attr("classlabels_strings"))
    Classes = A->strings().size();
  DType Label = C.attr("classlabels_strings") ? DType::String : DType::Int64;
  Expr N = rowsOf(C);
  C.setOutput(0, Label, Shape{N});
  C.setOutput(1, DType::Float,
              Shape{N, Classes ? C.sym().constant(static_cast<int64_t>(Classes)) : Expr()});
}

/// Regressors: [N, targets].
void inferRegressor(InferContext &C) {
  int64_t T = C.attrInt("n_targets", C.attrInt("targets", 1));
  C.setOutput(0, DType::Float, Shape{rowsOf(C), C.sym().constant(T)});
}

void inferSameShapeFloat(InferContext &C) {
  const TensorType *X = C.input(0);
  C.setOutput(0, DType::Float, X ? X->Dims : std::nullopt);
}

void inferLabelEncoder(InferContext &C) {
  const TensorType *X = C.input(0);
  DType T = C.hasAttr("values_strings") || C.hasAttr("default_string") ? DType::String
            : C.hasAttr("values_floats")                               ? DType::Float
                                                                       : DType::Int64;
  C.setOutput(0, T, X ? X->Dims : std::nullopt);
}

void inferCategoryMapper(InferContext &C) {
  const TensorType *X = C.input(0);
  C.setOutput(0, C.inType(0) == DType::String ? DType::Int64 : DType::String,
              X ? X->Dims : std::nullopt);
}

void inferArrayFeatureExtractor(InferContext &C) {
  const Shape *X = C.inShape(0);
  if (!X || X->empty()) {
    C.setOutput(0, C.inType(0), std::nullopt);
    return C.fail("input rank is unknown");
  }
  Shape Out = *X;
  const TensorType *Y = C.input(1);
  Out.back() = Y ? numElements(C.sym(), *Y) : Expr();
  C.setOutput(0, C.inType(0), Out);
}

void inferOneHotEncoder(InferContext &C) {
  const Shape *X = C.inShape(0);
  size_t Cats = 0;
  if (const Attribute *A = C.attr("cats_int64s"))
    Cats = A->Ints.size();
  else if (const Attribute *A = C.attr("cats_strings"))
    Cats = A->strings().size();
  if (!X) {
    C.setOutput(0, DType::Float, std::nullopt);
    return C.fail("input rank is unknown");
  }
  Shape Out = *X;
  Out.push_back(C.sym().constant(static_cast<int64_t>(Cats)));
  C.setOutput(0, DType::Float, Out);
}

void inferFeatureVectorizer(InferContext &C) {
  auto Dims = C.attrInts("inputdimensions");
  int64_t Sum = 0;
  if (Dims)
    for (int64_t D : *Dims)
      Sum += D;
  C.setOutput(0, DType::Float, Shape{rowsOf(C), Dims ? C.sym().constant(Sum) : Expr()});
}

} // namespace

void addMiscRules(std::vector<OpRule> &R) {
  using OC = OpClass;
  auto Add = [&](llvm::StringRef Op, int Since, OC Cls, InferFn F, uint32_t ShapeIn = 0) {
    R.push_back({"", Op, Since, Cls, F, ShapeIn, nullptr});
  };
  Add("NegativeLogLikelihoodLoss", 12, OC::Other, inferLoss, in(1));
  Add("NegativeLogLikelihoodLoss", 13, OC::Other, inferLoss, in(1));
  Add("SoftmaxCrossEntropyLoss", 12, OC::Other, inferLoss, in(1));
  Add("SoftmaxCrossEntropyLoss", 13, OC::Other, inferLoss, in(1));
  Add("DFT", 17, OC::Other, inferDFT, in(1) | in(2));
  Add("DFT", 20, OC::Other, inferDFT, in(1) | in(2));
  Add("STFT", 17, OC::Other, inferSTFT, in(1) | in(3));
  for (const char *Op : {"HannWindow", "HammingWindow", "BlackmanWindow"})
    Add(Op, 17, OC::ShapeOp, inferWindow, in(0));
  Add("MelWeightMatrix", 17, OC::ShapeOp, inferMelWeightMatrix, in(0) | in(1) | in(2));
  Add("Bernoulli", 15, OC::Other, inferLike);
  Add("RandomUniformLike", 1, OC::Other, inferLike);
  Add("RandomNormalLike", 1, OC::Other, inferLike);
  Add("RandomUniform", 1, OC::Other, inferRandom);
  Add("RandomNormal", 1, OC::Other, inferRandom);
  Add("Multinomial", 7, OC::Other, inferMultinomial);
  Add("StringNormalizer", 10, OC::Other, inferStringNormalizer);
  Add("TfIdfVectorizer", 9, OC::Other, inferTfIdf);
  Add("RoiAlign", 10, OC::Pool, inferRoiAlign, in(2));
  Add("RoiAlign", 16, OC::Pool, inferRoiAlign, in(2));
  Add("GridSample", 16, OC::Resize, inferGridSample);
  Add("GridSample", 20, OC::Resize, inferGridSample);
  Add("MaxUnpool", 9, OC::Pool, inferMaxUnpool, in(1) | in(2));
  Add("MaxUnpool", 11, OC::Pool, inferMaxUnpool, in(1) | in(2));
  Add("Det", 11, OC::Other, inferDet);
  Add("ReverseSequence", 10, OC::DataMovement, inferSameShape, in(1));
  Add("OptionalHasElement", 15, OC::Other, inferOptionalHasElement);
  Add("OptionalGetElement", 15, OC::Other, inferOptionalGetElement);
  Add("Col2Im", 18, OC::DataMovement, inferCol2Im, in(1) | in(2));
  Add("CenterCropPad", 18, OC::DataMovement, inferCenterCropPad, in(1));
  Add("AffineGrid", 20, OC::Other, inferAffineGrid, in(1));
  Add("ImageDecoder", 20, OC::Other, inferImageDecoder);
  Add("RegexFullMatch", 20, OC::Other, inferRegexFullMatch);
  Add("StringConcat", 20, OC::Other, inferStringConcat);
  Add("StringSplit", 20, OC::Other, inferStringSplit);
  R.push_back({"", "DeformConv", 19, OC::Conv, inferDeformConv, 0, macsDeformConv});
  Add("MaxRoiPool", 1, OC::Pool, inferMaxRoiPool);
  Add("Optional", 15, OC::Other, inferOptional);
  auto ML = [&](llvm::StringRef Op, int Since, OC Cls, InferFn F, uint32_t ShapeIn = 0) {
    R.push_back({"ai.onnx.ml", Op, Since, Cls, F, ShapeIn, nullptr});
  };
  for (const char *Op : {"LinearClassifier", "SVMClassifier", "TreeEnsembleClassifier"})
    ML(Op, 1, OC::Other, inferClassifier);
  for (const char *Op : {"LinearRegressor", "SVMRegressor", "TreeEnsembleRegressor"})
    ML(Op, 1, OC::Other, inferRegressor);
  ML("TreeEnsemble", 5, OC::Other, inferRegressor);
  for (const char *Op : {"Normalizer", "Scaler", "Binarizer", "Imputer"})
    ML(Op, 1, OC::Elementwise, inferSameShapeFloat);
  ML("LabelEncoder", 1, OC::Other, inferLabelEncoder);
  ML("CategoryMapper", 1, OC::Other, inferCategoryMapper);
  ML("ArrayFeatureExtractor", 1, OC::DataMovement, inferArrayFeatureExtractor, in(1));
  ML("OneHotEncoder", 1, OC::Other, inferOneHotEncoder);
  ML("FeatureVectorizer", 1, OC::DataMovement, inferFeatureVectorizer);
  for (const char *Op : {"Adagrad", "Momentum", "Adam"})
    R.push_back(
        {"ai.onnx.preview.training", Op, 1, OC::Other, inferOptimizer, in(0) | in(1), nullptr});
}

} // namespace opaudit
