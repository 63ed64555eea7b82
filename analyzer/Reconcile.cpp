// Reconcile's table: each built-in convention's count of the model, by
// operator class, and the graph form that explains the differences.
#include "analyzer/Reconcile.h"
#include "passes/Conventions.h"
#include "passes/MacCount.h"

namespace opaudit {

namespace {

ReconcileCount countOf(Expr E, SymContext &S) {
  ReconcileCount C;
  if (!E || S.dependsOnFresh(E))
    return C;
  if (auto V = E.asConst())
    C.Value = *V;
  else
    C.Formula = E.str();
  return C;
}

/// Buckets in display order: MAC classes, bias, then the other classes.
std::vector<std::string> bucketOrder() {
  std::vector<std::string> B = {"conv", "matmul", "recurrent", "attention", kBiasBucket.str()};
  for (size_t I = 0; I < kNumOpClasses; ++I) {
    std::string N = opClassName(static_cast<OpClass>(I)).str();
    if (!llvm::is_contained(B, N))
      B.push_back(N);
  }
  return B;
}

} // namespace

llvm::Expected<ReconcileResult> reconcile(Analysis &A) {
  AnalysisManager &AM = A.manager();
  SymContext &S = AM.sym();
  ReconcileResult R;
  R.Model = A.model().Path;
  std::vector<std::pair<Convention, ConventionCounts>> Counts;
  for (llvm::StringRef Name : builtinConventionNames()) {
    auto C = loadConvention(Name);
    if (!C)
      return C.takeError();
    ConventionCounts CC = countOps(AM, *C);
    Counts.emplace_back(std::move(*C), std::move(CC));
  }
  if (!Counts.empty())
    R.UnknownNodes = Counts.front().second.UnknownNodes;

  const Graph &G = A.model().Main;
  const MacCounts &MC = A.get<MacCount>();
  for (size_t I = 0; I < G.Nodes.size(); ++I) {
    const Node &N = G.Nodes[I];
    if (N.OpType == "BatchNormalization" && N.Domain.empty())
      ++R.BatchNorms;
    if (!MC.Nodes[I].MacClass)
      continue;
    ++R.MacNodes;
    if (MC.Nodes[I].Class == OpClass::Conv)
      ++R.ConvNodes;
    size_t BiasIn = N.OpType == "QLinearConv" ? 8 : 2;
    bool BiasOp = N.OpType == "Conv" || N.OpType == "ConvTranspose" || N.OpType == "Gemm" ||
                  N.OpType == "QLinearConv";
    if (BiasOp && BiasIn < N.Inputs.size() && N.Inputs[BiasIn] != kNoValue)
      ++R.MacNodesWithBias;
  }
  R.GraphForm = std::to_string(R.MacNodesWithBias) + " of " + std::to_string(R.MacNodes) +
                " MAC layers have a bias input";
  if (R.BatchNorms)
    R.GraphForm += "; " + std::to_string(R.BatchNorms) + " BatchNormalization node(s), not folded";
  else if (R.ConvNodes)
    R.GraphForm += "; no BatchNormalization node (folded into the convolutions, if the model "
                   "had any)";

  Expr Zero = S.constant(0);
  for (const std::string &B : bucketOrder())
    for (const auto &[Conv, CC] : Counts) {
      auto It = CC.ByBucket.find(B);
      if (It != CC.ByBucket.end() && It->second != Zero) {
        R.Buckets.push_back(B);
        break;
      }
    }
  for (const auto &[Conv, CC] : Counts) {
    ReconcileRow Row;
    Row.Convention = Conv.Name;
    Row.Meaning = Conv.Meaning;
    Row.Source = Conv.Source;
    Row.Total = countOf(CC.Total, S);
    for (const std::string &B : R.Buckets) {
      auto It = CC.ByBucket.find(B);
      Row.ByClass.push_back(countOf(It == CC.ByBucket.end() ? Zero : It->second, S));
    }
    R.Rows.push_back(std::move(Row));
  }
  return R;
}

} // namespace opaudit
