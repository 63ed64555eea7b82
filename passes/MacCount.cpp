// MAC and element counting over the inferred shapes of every graph that runs.
// Each MAC-class rule in the operator registry supplies its formula; this pass
// evaluates it per node with the rule shape inference resolved (never looking
// it up again), adds the element counts the conventions need, and sums. A
// control-flow node costs what its subgraphs cost: the taken branch of an If
// whose condition is known, a range over both branches when it depends on the
// data, trip count x body for a Loop or Scan, or the sum over iterations for a
// Loop whose carried dims change. A count that overflows becomes unknown with
// a diagnostic naming the node.
#include "passes/MacCount.h"

#include "llvm/ADT/DenseSet.h"

#include <map>
#include <tuple>

namespace opaudit {

llvm::StringRef subgraphRoleName(SubgraphRole R) {
  switch (R) {
  case SubgraphRole::Always:
    return "runs";
  case SubgraphRole::Taken:
    return "taken";
  case SubgraphRole::NotTaken:
    return "not taken";
  case SubgraphRole::Conditional:
    return "conditional";
  }
  return "runs";
}

namespace {

/// True when every dim the inputs of N have is known, so that a null result
/// from a formula can only mean overflow.
bool inputsComplete(const ShapeInfo &SI, const Node &N) {
  for (ValueId In : N.Inputs) {
    if (In == kNoValue)
      continue;
    const TensorType &T = SI.Types[static_cast<size_t>(In)];
    if (!T.Dims)
      return false;
    for (Expr D : *T.Dims)
      if (!D)
        return false;
  }
  return true;
}

/// Sums of one run of a graph.
struct RunSum {
  Expr Exact, Min, Max, Known;
};

class Counter {
public:
  Counter(AnalysisManager &AM, MacCounts &R)
      : AM(AM), S(AM.sym()), R(R), Branch(AM.options().Branch) {}

  /// Counts one run of G (shape result SI), executed Mult times per model
  /// run, adding each node's contribution into graph GIdx's Nodes. Quiet: a
  /// branch that never runs (no diagnostics; unknown counts as nothing).
  RunSum addRun(const Graph &G, const ShapeInfo &SI, Expr Mult, size_t GIdx,
                const std::string &Path, bool Quiet) {
    // A result must describe this very graph; if it does not (found under
    // ASan on test_if_opt), the cost is unknown, never a read past the end.
    if (SI.Types.size() < G.Values.size() || SI.Nodes.size() < G.Nodes.size() ||
        llvm::any_of(SI.Order,
                     [&](NodeId Id) { return static_cast<size_t>(Id) >= G.Nodes.size(); }))
      return RunSum{};
    ExprSum Exact(S), Min(S), Max(S), Known(S);
    for (NodeId Id : SI.Order) {
      NodeCost C = costOf(G, SI, Id, Mult, GIdx, Path, Quiet);
      if (Quiet) // A branch not taken contributes nothing, known or not.
        C.Macs = C.MacsMin = C.MacsMax = S.constant(0);
      Exact.add(C.Macs);
      Min.add(C.MacsMin);
      Max.add(C.MacsMax);
      if (C.MacsMin)
        Known.add(C.MacsMin);
      accumulate(nodes(GIdx)[static_cast<size_t>(Id)], C);
    }
    return RunSum{Exact.get(), Min.get(), Max.get(), Known.get()};
  }

  std::vector<NodeCost> &nodes(size_t GIdx) {
    return GIdx == 0 ? R.Nodes : R.Subgraphs[GIdx - 1].Nodes;
  }

private:
  /// Adds a run's contribution; the first run initializes.
  void accumulate(NodeCost &Into, const NodeCost &C) {
    if (!Seen.insert(&Into).second) {
      Into.Macs = S.add(Into.Macs, C.Macs);
      Into.MacsMin = S.add(Into.MacsMin, C.MacsMin);
      Into.MacsMax = S.add(Into.MacsMax, C.MacsMax);
      Into.OutputElements = S.add(Into.OutputElements, C.OutputElements);
      Into.InputElements = S.add(Into.InputElements, C.InputElements);
      Into.Counted = Into.Counted && C.Counted;
      return;
    }
    Into = C;
  }

  /// The subgraph cost entry for (enclosing graph, node, attribute), created
  /// on the first run and shared by later iterations.
  size_t childIndex(size_t GIdx, NodeId Id, const SubgraphRun &SR, const std::string &Path,
                    const Graph &G, SubgraphRole Role) {
    auto Key = std::make_tuple(GIdx, Id, SR.Attr);
    auto It = Children.find(Key);
    if (It != Children.end())
      return It->second;
    GraphCost GC;
    GC.Path = subgraphPath(Path, G, G.node(Id), SR.Attr);
    GC.ParentGraph = GIdx;
    GC.ParentNode = Id;
    GC.Attr = SR.Attr;
    GC.G = SR.Body;
    GC.SI = SR.Runs.front().get();
    GC.Role = Role;
    GC.Nodes.resize(SR.Body->Nodes.size());
    R.Subgraphs.push_back(std::move(GC));
    size_t Idx = R.Subgraphs.size();
    Children[Key] = Idx;
    return Idx;
  }

  /// Counts every run of a subgraph, each executed Mult times.
  RunSum countChild(size_t GIdx, NodeId Id, const SubgraphRun &SR, const std::string &Path,
                    const Graph &G, SubgraphRole Role, Expr Mult, bool AllRuns) {
    RunSum Sum{S.constant(0), S.constant(0), S.constant(0), S.constant(0)};
    size_t N = AllRuns ? SR.Runs.size() : std::min<size_t>(SR.Runs.size(), 1);
    for (size_t K = 0; K < N; ++K) {
      size_t CIdx = childIndex(GIdx, Id, SR, Path, G, Role);
      std::string ChildPath = R.Subgraphs[CIdx - 1].Path;
      RunSum One =
          addRun(*SR.Body, *SR.Runs[K], Mult, CIdx, ChildPath, Role == SubgraphRole::NotTaken);
      Sum.Exact = S.add(Sum.Exact, One.Exact);
      Sum.Min = S.add(Sum.Min, One.Min);
      Sum.Max = S.add(Sum.Max, One.Max);
      Sum.Known = S.add(Sum.Known, One.Known);
    }
    return Sum;
  }

  void diag(bool Quiet, Severity Sev, std::string Node, std::string Msg, llvm::StringRef Code,
            const std::string &Path) {
    if (!Quiet)
      R.Diags.push_back({Sev, std::move(Node), std::move(Msg), Code.str(), Path});
  }

  NodeCost costOf(const Graph &G, const ShapeInfo &SI, NodeId Id, Expr Mult, size_t GIdx,
                  const std::string &Path, bool Quiet) {
    const Node &N = G.node(Id);
    const NodeResolution &Res = SI.Nodes[static_cast<size_t>(Id)];
    NodeCost C;
    const OpRule *Rule = Res.Rule;
    // An operator with a rule at another opset still has a known class.
    const OpRule *Classify = classifyingRule(&Res, N);
    C.Class = Classify ? Classify->Class : OpClass::Other;
    llvm::SmallVector<const TensorType *, 4> InTypes;
    llvm::SmallVector<const ConstValue *, 4> InValues;
    for (ValueId In : N.Inputs) {
      InTypes.push_back(In == kNoValue || static_cast<size_t>(In) >= SI.Types.size()
                            ? nullptr
                            : &SI.Types[static_cast<size_t>(In)]);
      InValues.push_back(In == kNoValue ? nullptr : SI.value(In));
    }
    InferContext Ctx(S, G, N, Res.Opset, InTypes, InValues);
    Expr Out = S.constant(0);
    for (size_t I = 0; I < N.Outputs.size(); ++I) {
      if (N.Outputs[I] == kNoValue)
        continue;
      Ctx.OutTypes[I] = SI.Types[static_cast<size_t>(N.Outputs[I])];
      Out = S.add(Out, numElements(S, Ctx.OutTypes[I]));
    }
    C.OutputElements = S.mul(Out, Mult);
    C.InputElements =
        InTypes.empty() || !InTypes[0] ? Expr() : S.mul(numElements(S, *InTypes[0]), Mult);
    if (C.Class == OpClass::Pool) {
      if (auto K = Ctx.attrInts("kernel_shape")) {
        Expr W = S.constant(1);
        for (int64_t X : *K)
          W = S.mul(W, S.constant(X));
        C.Window = W;
      } else if (const Shape *X = Ctx.inShape(0); X && X->size() > 2) {
        C.Window = numElements(S, llvm::ArrayRef<Expr>(*X).drop_front(2));
      }
    }
    auto Exact = [&](Expr E) {
      C.Macs = C.MacsMin = C.MacsMax = E;
      return C;
    };
    auto Unknown = [&](bool Uncounted) {
      C.Macs = C.MacsMin = C.MacsMax = Expr();
      if (!Quiet) {
        ++R.UnknownNodes;
        if (Uncounted)
          R.Uncounted.push_back(
              {Path, N.label(G), N.OpType.str(), N.Domain.str(), C.OutputElements});
      }
      return C;
    };
    auto It = SI.Subgraphs.find(Id);
    if (Res.Callee) {
      // An inlined function call costs what its body costs.
      C.MacClass = true;
      if (It == SI.Subgraphs.end() || It->second.empty())
        return Unknown(false);
      RunSum B = countChild(GIdx, Id, It->second.front(), Path, G, SubgraphRole::Always, Mult,
                            /*AllRuns=*/false);
      C.MacClass = B.Max != S.constant(0);
      C.Macs = B.Exact, C.MacsMin = B.Min, C.MacsMax = B.Max;
      if (!B.Min && !Quiet)
        ++R.UnknownNodes;
      return C;
    }
    if (!Rule && !Classify) {
      C.Counted = false;
      diag(Quiet, Severity::Warning, N.label(G),
           "not counted: no rule for " + (N.Domain.empty() ? "ai.onnx" : N.Domain.str()) + "::" +
               N.OpType.str() + ", so the MAC total is unknown (the known part is a lower bound)",
           "not-counted", Path);
      return Unknown(true);
    }
    if (C.Class == OpClass::Control) {
      C.MacClass = true;
      if (It == SI.Subgraphs.end())
        return Exact(S.constant(0));
      return controlCost(G, SI, Id, It->second, Mult, GIdx, Path, Quiet, C);
    }
    C.MacClass = Classify && Classify->Macs;
    if (!C.MacClass)
      return Exact(S.constant(0));
    if (!Rule) // A MAC-class operator at an opset without a rule: outputs were not inferred.
      return Unknown(false);
    Expr M = Rule->Macs(Ctx);
    if (!M || S.dependsOnFresh(M)) {
      // An operand left unknown by an earlier node is that node's diagnostic
      // (its root cause, which counts this node among its dependents).
      bool Explained = llvm::any_of(
          N.Inputs, [&](ValueId In) { return In != kNoValue && SI.UnknownCause.count(In); });
      if (Explained)
        return Unknown(false);
      if (M || !inputsComplete(SI, N) || Ctx.OutTypes.empty() || !Ctx.OutTypes[0].Dims)
        diag(Quiet, Severity::Warning, N.label(G),
             "MACs unknown because an operand shape is unknown", "macs-unknown", Path);
      else
        diag(Quiet, Severity::Error, N.label(G), "MAC count overflows 64 bits", "overflow", Path);
      return Unknown(false);
    }
    Expr Total = S.mul(M, Mult);
    if (!Total && Mult)
      diag(Quiet, Severity::Error, N.label(G), "MAC count overflows 64 bits", "overflow", Path);
    return Total ? Exact(Total) : Unknown(false);
  }

  NodeCost controlCost(const Graph &G, const ShapeInfo &SI, NodeId Id,
                       llvm::ArrayRef<SubgraphRun> Runs, Expr Mult, size_t GIdx,
                       const std::string &Path, bool Quiet, NodeCost C) {
    const Node &N = G.node(Id);
    const NodeResolution &Res = SI.Nodes[static_cast<size_t>(Id)];
    auto find = [&](llvm::StringRef A) -> const SubgraphRun * {
      for (const SubgraphRun &SR : Runs)
        if (SR.Attr == A && !SR.Runs.empty() && SR.Body)
          return &SR;
      return nullptr;
    };
    if (N.OpType == "If") {
      const SubgraphRun *Then = find("then_branch"), *Else = find("else_branch");
      if (!Then || !Else)
        return C.Macs = C.MacsMin = C.MacsMax = Expr(), C;
      std::optional<bool> Take = Res.Condition;
      if (!Take && Branch == AnalysisOptions::BranchChoice::Then)
        Take = true;
      if (!Take && Branch == AnalysisOptions::BranchChoice::Else)
        Take = false;
      if (Take) {
        RunSum T = countChild(GIdx, Id, *Then, Path, G,
                              *Take ? SubgraphRole::Taken : SubgraphRole::NotTaken, Mult, false);
        RunSum E = countChild(GIdx, Id, *Else, Path, G,
                              *Take ? SubgraphRole::NotTaken : SubgraphRole::Taken, Mult, false);
        const RunSum &B = *Take ? T : E;
        C.Macs = B.Exact, C.MacsMin = B.Min, C.MacsMax = B.Max;
        if (!B.Min && !Quiet)
          diag(Quiet, Severity::Warning, N.label(G),
               "MACs unknown because the taken branch's MACs are unknown", "macs-unknown", Path);
        return C;
      }
      RunSum T = countChild(GIdx, Id, *Then, Path, G, SubgraphRole::Conditional, Mult, false);
      RunSum E = countChild(GIdx, Id, *Else, Path, G, SubgraphRole::Conditional, Mult, false);
      C.MacsMin = T.Min && E.Min ? S.min(T.Min, E.Min) : Expr();
      C.MacsMax = T.Max && E.Max ? S.max(T.Max, E.Max) : Expr();
      if (T.Exact && T.Exact == E.Exact) {
        C.Macs = T.Exact; // Both branches cost the same: no range.
        return C;
      }
      if (Branch == AnalysisOptions::BranchChoice::Max) {
        C.Macs = C.MacsMax;
        C.MacsMin = C.MacsMax;
      } else {
        C.Macs = Expr();
      }
      diag(Quiet, Severity::Note, N.label(G),
           "the condition depends on the data: then branch " + T.Max.str() + " MACs, else branch " +
               E.Max.str() + " MACs; " +
               (Branch == AnalysisOptions::BranchChoice::Max
                    ? "counted the maximum (--branch max)"
                    : "the total is a range (choose one with --branch then|else|max)"),
           "if-range", Path);
      if (!C.MacsMin || !C.MacsMax) {
        C.Macs = C.MacsMin = C.MacsMax = Expr();
        if (!Quiet)
          ++R.UnknownNodes;
      }
      return C;
    }
    // Loop, Scan, SequenceMap: one body.
    const SubgraphRun *Body = find("body");
    if (!Body)
      return C.Macs = C.MacsMin = C.MacsMax = Expr(), C;
    Expr Trip;
    if (auto T = SI.TripCounts.find(Id); T != SI.TripCounts.end())
      Trip = T->second;
    else if (N.OpType == "SequenceMap")
      Trip = S.symbol("len_" + nodeName(G, N)); // One body run per sequence element.
    RunSum B;
    if (Res.PerIteration) {
      B = countChild(GIdx, Id, *Body, Path, G, SubgraphRole::Always, Mult, /*AllRuns=*/true);
    } else {
      Expr Runs = Trip && !S.dependsOnFresh(Trip) ? S.mul(Trip, Mult) : Expr();
      // With an unknown trip count the body is counted once, to tell a body
      // with no MACs (which costs nothing however often it runs) from one
      // whose total is then unknown; its rows keep the per-run figures.
      B = countChild(GIdx, Id, *Body, Path, G, SubgraphRole::Always, Runs ? Runs : Mult, false);
      if (!Runs && B.Max != S.constant(0))
        B = RunSum{};
    }
    C.Macs = B.Exact, C.MacsMin = B.Min, C.MacsMax = B.Max;
    auto Problem = SI.LoopProblems.find(Id);
    if (Problem != SI.LoopProblems.end() && B.Max != S.constant(0)) {
      C.Macs = C.MacsMin = C.MacsMax = Expr();
      diag(Quiet, Severity::Warning, N.label(G), "MACs unknown: " + Problem->second, "loop-unknown",
           Path);
    } else if (!C.MacsMin) {
      diag(Quiet, Severity::Warning, N.label(G),
           "MACs unknown because a subgraph's MACs or trip count is unknown", "macs-unknown", Path);
    }
    if (!C.MacsMin && !Quiet)
      ++R.UnknownNodes;
    return C;
  }

  AnalysisManager &AM;
  SymContext &S;
  MacCounts &R;
  AnalysisOptions::BranchChoice Branch;
  std::map<std::tuple<size_t, NodeId, std::string>, size_t> Children;
  llvm::DenseSet<const NodeCost *> Seen;
};

} // namespace

MacCounts MacCount::run(AnalysisManager &AM) {
  const ShapeInfo &SI = AM.get<ShapeInference>();
  const Graph &G = AM.model().Main;
  SymContext &S = AM.sym();
  MacCounts R;
  R.Nodes.resize(G.Nodes.size());
  Counter C(AM, R);
  RunSum Sum = C.addRun(G, SI, S.constant(1), 0, "", false);
  R.Total = Sum.Exact;
  R.Min = Sum.Min;
  R.Max = Sum.Max;
  R.Known = Sum.Known;
  // Overflow of the sum itself (every row known, the total not).
  if (!R.Total && R.UnknownNodes == 0 && Sum.Min == Sum.Max)
    R.Diags.push_back({Severity::Error, G.Name.empty() ? "" : "graph '" + G.Name + "'",
                       "total MAC count overflows 64 bits", "overflow"});
  ExprSum Volume(S);
  for (const NodeCost &NC : R.Nodes)
    Volume.add(NC.OutputElements);
  R.TensorVolume = Volume.get();
  return R;
}

} // namespace opaudit
