// `opaudit reconcile MODEL`: the model's total under every built-in
// convention, one row each, broken down by operator class, so that figures
// such as 4.09 G, 4.12 G and 8.18 G for one ResNet-50 can be traced to what
// each convention counts. A header line states the graph form (bias inputs,
// unfolded BatchNorm) because several conventions' figures depend on it.
#include "cli/ConventionCli.h"
#include "passes/Conventions.h"
#include "reports/Report.h"

#include "llvm/Support/JSON.h"

namespace opaudit::cli {

namespace {

struct ReconcileArgs {
  std::string Model;
  std::string Format = "table";
  std::vector<std::string> Dims;
  bool Quiet = false;
};

struct Row {
  Convention Conv;
  ConventionCounts Counts;
};

std::string countText(Expr E, SymContext &S) {
  if (!E || S.dependsOnFresh(E))
    return "?";
  if (auto C = E.asConst())
    return groupDigits(*C);
  return E.str();
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

int run(const ReconcileArgs &A) {
  if (A.Format != "table" && A.Format != "json") {
    llvm::errs() << "opaudit: error: unknown format '" << A.Format << "' (known: table, json)\n";
    return kExitUsage;
  }
  AnalysisOptions Opts;
  if (auto E = parseDimArgs(A.Dims, Opts))
    return reportError(std::move(E));
  auto An = openChecked(A.Model, Opts);
  if (!An)
    return reportError(An.takeError());
  AnalysisManager &AM = (*An)->manager();
  SymContext &S = AM.sym();
  std::vector<Row> Rows;
  for (llvm::StringRef Name : builtinConventionNames()) {
    auto C = loadConvention(Name);
    if (!C)
      return reportError(C.takeError());
    ConventionCounts CC = countOps(AM, *C);
    Rows.push_back({std::move(*C), std::move(CC)});
  }
  printModelDiagnostics(AM, A.Quiet);
  if (!A.Quiet && Rows.front().Counts.UnknownNodes)
    llvm::errs() << A.Model << ": warning: " << Rows.front().Counts.UnknownNodes
                 << " node(s) have unknown counts; affected totals show '?'\n";

  // Graph form: what several conventions' published figures depend on.
  const Graph &G = AM.model().Main;
  size_t MacNodes = 0, WithBias = 0, BatchNorms = 0;
  const MacCounts &MC = AM.get<MacCount>();
  for (size_t I = 0; I < G.Nodes.size(); ++I) {
    const Node &N = G.Nodes[I];
    if (N.OpType == "BatchNormalization" && N.Domain.empty())
      ++BatchNorms;
    if (!MC.Nodes[I].MacClass)
      continue;
    ++MacNodes;
    size_t BiasIn = N.OpType == "QLinearConv" ? 8 : 2;
    bool BiasOp = N.OpType == "Conv" || N.OpType == "ConvTranspose" || N.OpType == "Gemm" ||
                  N.OpType == "QLinearConv";
    if (BiasOp && BiasIn < N.Inputs.size() && N.Inputs[BiasIn] != kNoValue)
      ++WithBias;
  }

  std::vector<std::string> Buckets;
  for (const std::string &B : bucketOrder())
    for (const Row &R : Rows) {
      auto It = R.Counts.ByBucket.find(B);
      if (It != R.Counts.ByBucket.end() && It->second != S.constant(0)) {
        Buckets.push_back(B);
        break;
      }
    }

  auto &OS = llvm::outs();
  if (A.Format == "json") {
    llvm::json::OStream J(OS, 2);
    J.object([&] {
      J.attribute("schema_version", 1);
      J.attribute("model", A.Model);
      J.attributeObject("graph", [&] {
        J.attribute("mac_nodes", static_cast<int64_t>(MacNodes));
        J.attribute("mac_nodes_with_bias", static_cast<int64_t>(WithBias));
        J.attribute("batchnorm_nodes", static_cast<int64_t>(BatchNorms));
      });
      J.attributeArray("conventions", [&] {
        for (const Row &R : Rows)
          J.object([&] {
            J.attribute("name", R.Conv.Name);
            J.attribute("meaning", R.Conv.Meaning);
            J.attribute("source", R.Conv.Source);
            auto Put = [&](llvm::StringRef K, Expr E) {
              if (E && E.isConst())
                J.attribute(K, *E.asConst());
              else if (E && !S.dependsOnFresh(E))
                J.attribute(K, E.str());
              else
                J.attribute(K, nullptr);
            };
            Put("total", R.Counts.Total);
            J.attributeObject("by_class", [&] {
              for (const std::string &B : Buckets) {
                auto It = R.Counts.ByBucket.find(B);
                Put(B, It == R.Counts.ByBucket.end() ? S.constant(0) : It->second);
              }
            });
          });
      });
    });
    OS << "\n";
    return kExitOk;
  }

  OS << "model:  " << A.Model << "\n";
  OS << "graph:  " << WithBias << " of " << MacNodes << " MAC layers have a bias input; "
     << BatchNorms << " BatchNormalization node(s)"
     << (BatchNorms ? "" : " (folded into the convolutions, if the model had any)") << "\n\n";
  std::vector<std::vector<std::string>> Cells;
  std::vector<std::string> Head = {"convention", "total", ""};
  Head.insert(Head.end(), Buckets.begin(), Buckets.end());
  Cells.push_back(Head);
  for (const Row &R : Rows) {
    std::vector<std::string> C = {R.Conv.Name, countText(R.Counts.Total, S), ""};
    if (auto V = R.Counts.Total ? R.Counts.Total.asConst() : std::nullopt)
      C[2] = humanCount(static_cast<double>(*V));
    for (const std::string &B : Buckets) {
      auto It = R.Counts.ByBucket.find(B);
      Expr E = It == R.Counts.ByBucket.end() ? S.constant(0) : It->second;
      C.push_back(E == S.constant(0) ? "-" : countText(E, S));
    }
    Cells.push_back(std::move(C));
  }
  std::vector<size_t> W(Head.size());
  for (const auto &C : Cells)
    for (size_t I = 0; I < C.size(); ++I)
      W[I] = std::max(W[I], C[I].size());
  for (size_t R = 0; R < Cells.size(); ++R) {
    for (size_t I = 0; I < Cells[R].size(); ++I) {
      const std::string &X = Cells[R][I];
      if (I)
        OS << "  ";
      if (I == 0)
        OS << X, OS.indent(W[I] - X.size());
      else
        OS.indent(W[I] - X.size()) << X;
    }
    OS << "\n";
    if (R == 0) {
      size_t Width = 0;
      for (size_t X : W)
        Width += X + 2;
      OS << std::string(Width - 2, '-') << "\n";
    }
  }
  OS << "\n";
  for (const Row &R : Rows)
    OS << R.Conv.Name << ": " << R.Conv.Meaning << "\n";
  OS << "\nEach convention is a file (samples/conventions/NAME.yaml) naming its source; "
        "`opaudit analyze --convention NAME` shows it per layer.\n";
  return kExitOk;
}

} // namespace

RunFn setupReconcile(CLI::App &Sub) {
  auto A = std::make_shared<ReconcileArgs>();
  Sub.add_option("model", A->Model, "ONNX model file")->required();
  Sub.add_option("-f,--format", A->Format, "output format: table or json")->capture_default_str();
  Sub.add_option("--dim", A->Dims, "bind a symbolic dim: NAME=VALUE (repeatable)");
  Sub.add_flag("-q,--quiet", A->Quiet, "do not print diagnostics to stderr");
  return [A] { return run(*A); };
}

} // namespace opaudit::cli
