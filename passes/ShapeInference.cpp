// The shape inference driver: seeds types from initializers, graph inputs and
// the user's bindings, orders the nodes topologically, runs each node's rule,
// and falls back on the file's declared value_info only where a rule left a
// dim unknown. It never stops early: an unknown result is recorded, given a
// diagnostic, and the next node runs.
#include "passes/ShapeInference.h"
#include "passes/OpRegistry.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

namespace opaudit {

std::string nodeName(const Graph &G, const Node &N) {
  if (!N.Name.empty())
    return N.Name.str();
  for (ValueId O : N.Outputs)
    if (O != kNoValue)
      return G.value(O).Name.str();
  return N.OpType.str();
}

std::string subgraphPath(llvm::StringRef Enclosing, const Graph &G, const Node &N,
                         llvm::StringRef Attr) {
  std::string Name = nodeName(G, N);
  return Enclosing.str() + (llvm::StringRef(Name).startswith("/") ? "" : "/") + Name + "/" +
         Attr.str();
}

Expr numElements(SymContext &S, llvm::ArrayRef<Expr> Dims) {
  Expr N = S.constant(1);
  for (Expr D : Dims)
    N = S.mul(N, D);
  return N;
}

Expr numElements(SymContext &S, const TensorType &T) {
  return T.Dims ? numElements(S, *T.Dims) : Expr();
}

namespace {

class Driver {
public:
  Driver(AnalysisManager &AM, ShapeInfo &R)
      : AM(AM), S(AM.sym()), M(AM.model()), G(M.Main), Opts(AM.options()), R(R) {}
  /// A subgraph: formal inputs typed by the caller, free names from Outer.
  Driver(AnalysisManager &AM, ShapeInfo &R, const Graph &Body, const ShapeScope &Outer,
         llvm::ArrayRef<TensorType> SubInputs, llvm::ArrayRef<const ConstValue *> SubValues)
      : AM(AM), S(AM.sym()), M(AM.model()), G(Body), Opts(AM.options()), R(R), Outer(&Outer),
        SubInputs(SubInputs), SubValues(SubValues) {}

  /// A function body: arguments typed by the caller, bound by name.
  Driver(AnalysisManager &AM, ShapeInfo &R, const Function &Fn, const Node &CallSite,
         llvm::ArrayRef<TensorType> SubInputs, llvm::ArrayRef<const ConstValue *> SubValues)
      : AM(AM), S(AM.sym()), M(AM.model()), G(*Fn.Body), Opts(AM.options()), R(R), Fn(&Fn),
        CallSite(&CallSite), SubInputs(SubInputs), SubValues(SubValues) {}

  void run() {
    R.Types.resize(G.Values.size());
    R.Nodes.assign(G.Nodes.size(), NodeResolution{});
    seedInitializers();
    if (Fn)
      seedFunction();
    else if (Outer)
      seedSubgraph();
    else
      seedInputs();
    order();
    for (NodeId N : R.Order)
      visit(N);
    foldDependents();
    if (!Outer && !Fn)
      reportDeclaredMismatches();
  }

private:
  void diag(Severity Sev, std::string Node, std::string Msg, llvm::StringRef Code = "shapes") {
    R.Diags.push_back({Sev, std::move(Node), std::move(Msg), Code.str()});
  }

  Expr dimFromDeclared(const DeclaredDim &D) {
    if (D.Value) {
      if (*D.Value < 0)
        return S.fresh("unk");
      return S.constant(*D.Value);
    }
    if (!D.Param.empty()) {
      auto It = Opts.Dims.find(D.Param);
      if (It != Opts.Dims.end()) {
        R.BoundDims[D.Param] = It->second;
        UsedDims.insert(D.Param);
        return S.constant(It->second);
      }
      return S.symbol(D.Param);
    }
    return S.fresh("unk");
  }

  std::optional<TensorType> fromDeclared(const Boxed<DeclaredType> &D) {
    // Sequences and optionals are tracked as their element type (see the loader).
    if (!D || (!D->IsTensor && D->Elem == DType::Undefined))
      return std::nullopt;
    TensorType T;
    T.Elem = D->Elem;
    if (D->HasShape) {
      Shape Dims;
      for (const DeclaredDim &DD : D->Dims)
        Dims.push_back(dimFromDeclared(DD));
      T.Dims = std::move(Dims);
    }
    return T;
  }

  void seedInitializers() {
    for (size_t I = 0; I < G.Values.size(); ++I) {
      const Value &V = G.Values[I];
      if (V.Initializer < 0)
        continue;
      const TensorData &T = G.Initializers[static_cast<size_t>(V.Initializer)];
      R.Types[I] = TensorType{T.Type, constShape(S, T.Dims)};
      if (auto CV = valueOfTensor(S, T))
        R.Values[static_cast<ValueId>(I)] = std::move(*CV);
    }
  }

  void seedInputs() {
    llvm::StringSet<> Overridden;
    for (ValueId V : G.Inputs) {
      const Value &Val = G.value(V);
      auto Over = Opts.InputShapes.find(Val.Name);
      if (Over != Opts.InputShapes.end()) {
        Overridden.insert(Val.Name);
        Shape Dims;
        for (const std::string &D : Over->second) {
          int64_t N;
          if (!llvm::StringRef(D).getAsInteger(10, N))
            Dims.push_back(S.constant(N));
          else if (Opts.Dims.count(D))
            Dims.push_back(S.constant(Opts.Dims.lookup(D))), R.BoundDims[D] = Opts.Dims.lookup(D),
                                                             UsedDims.insert(D);
          else
            Dims.push_back(S.symbol(D));
        }
        DType Elem = Val.Declared ? Val.Declared->Elem
                     : Val.Initializer >= 0
                         ? G.Initializers[static_cast<size_t>(Val.Initializer)].Type
                         : DType::Float;
        R.Types[static_cast<size_t>(V)] = TensorType{Elem, std::move(Dims)};
        R.Values.erase(V);
      } else if (Val.Initializer < 0) {
        if (auto T = fromDeclared(Val.Declared))
          R.Types[static_cast<size_t>(V)] = std::move(*T);
        else
          diag(Severity::Warning, "", "graph input '" + Val.Name.str() + "' has no tensor type",
               "input-untyped");
      }
      auto IV = Opts.InputValues.find(Val.Name);
      if (IV != Opts.InputValues.end()) {
        ConstValue CV;
        const TensorType &T = R.Types[static_cast<size_t>(V)];
        CV.Elem = T.Elem == DType::Undefined ? DType::Float : T.Elem;
        CV.Dims.push_back(static_cast<int64_t>(IV->second.size()));
        for (double X : IV->second) {
          if (CV.isReal())
            CV.Reals.push_back(X);
          else
            CV.Ints.push_back(S.constant(static_cast<int64_t>(X)));
        }
        if (!T.Dims)
          R.Types[static_cast<size_t>(V)].Dims = constShape(S, CV.Dims);
        R.Values[V] = std::move(CV);
      }
    }
    for (const auto &E : Opts.InputShapes)
      if (!Overridden.count(E.first()))
        diag(Severity::Warning, "",
             "--input names '" + E.first().str() + "', which is not a graph input");
    for (const auto &E : Opts.InputValues)
      if (G.lookup(E.first()) == kNoValue || !G.value(G.lookup(E.first())).IsGraphInput)
        diag(Severity::Warning, "",
             "--input-value names '" + E.first().str() + "', which is not a graph input");
    // Dims bound on the command line but named nowhere are most likely typos.
    llvm::StringSet<> Declared;
    for (const Value &V : G.Values)
      if (V.Declared)
        for (const DeclaredDim &D : V.Declared->Dims)
          if (!D.Param.empty())
            Declared.insert(D.Param);
    for (const auto &E : Opts.Dims)
      if (!Declared.count(E.first()) && !UsedDims.count(E.first()))
        diag(Severity::Warning, "",
             "--dim names '" + E.first().str() + "', which no input or value of the model uses");
  }

  /// Formal inputs from the caller; names the subgraph does not define come
  /// from the innermost enclosing graph that has them.
  void seedSubgraph() {
    for (size_t I = 0; I < G.Inputs.size(); ++I) {
      ValueId V = G.Inputs[I];
      TensorType &T = R.Types[static_cast<size_t>(V)];
      if (I < SubInputs.size())
        T = SubInputs[I];
      if (!T.Dims || T.Elem == DType::Undefined)
        if (auto D = fromDeclared(G.value(V).Declared)) {
          if (T.Elem == DType::Undefined)
            T.Elem = D->Elem;
          if (!T.Dims)
            T.Dims = D->Dims;
        }
      if (I < SubValues.size() && SubValues[I])
        R.Values[V] = *SubValues[I];
    }
    for (size_t I = 0; I < G.Values.size(); ++I) {
      const Value &V = G.Values[I];
      if (!V.FromOuterScope)
        continue;
      for (const ShapeScope *Sc = Outer; Sc; Sc = Sc->Parent) {
        ValueId O = Sc->G->lookup(V.Name);
        if (O == kNoValue || static_cast<size_t>(O) >= Sc->Info->Types.size())
          continue;
        R.Types[I] = Sc->Info->Types[static_cast<size_t>(O)];
        if (const ConstValue *CV = Sc->Info->value(O))
          R.Values[static_cast<ValueId>(I)] = *CV;
        break;
      }
    }
  }

  void seedFunction() {
    for (size_t I = 0; I < Fn->Inputs.size() && I < SubInputs.size(); ++I) {
      ValueId V = G.lookup(Fn->Inputs[I]);
      if (V == kNoValue)
        continue;
      R.Types[static_cast<size_t>(V)] = SubInputs[I];
      if (I < SubValues.size() && SubValues[I])
        R.Values[V] = *SubValues[I];
    }
  }

  /// Names a subgraph (or one nested in it) reads from enclosing graphs.
  static void outerNames(const Graph &Sub, llvm::StringSet<> &Out) {
    for (const Value &V : Sub.Values)
      if (V.FromOuterScope)
        Out.insert(V.Name);
    for (const Node &N : Sub.Nodes)
      for (const Attribute &A : N.Attrs)
        for (const auto &SG : A.graphs())
          if (SG)
            outerNames(*SG, Out);
  }

  /// Kahn's algorithm in file order; nodes on a cycle are left out and reported.
  void order() {
    size_t NN = G.Nodes.size();
    std::vector<uint32_t> Pending(NN, 0);
    // A subgraph's reads of this graph's values are dependencies too.
    std::vector<llvm::SmallVector<NodeId, 2>> Extra(NN);
    for (size_t I = 0; I < NN; ++I) {
      llvm::StringSet<> Names;
      for (const Attribute &A : G.Nodes[I].Attrs)
        for (const auto &SG : A.graphs())
          if (SG)
            outerNames(*SG, Names);
      for (const auto &E : Names) {
        ValueId V = G.lookup(E.first());
        if (V == kNoValue || G.value(V).Producer == kNoNode ||
            G.value(V).Producer == static_cast<NodeId>(I))
          continue;
        Extra[static_cast<size_t>(G.value(V).Producer)].push_back(static_cast<NodeId>(I));
        ++Pending[I];
      }
    }
    for (size_t I = 0; I < NN; ++I)
      for (ValueId In : G.Nodes[I].Inputs)
        if (In != kNoValue && G.value(In).Producer != kNoNode)
          ++Pending[I];
    std::vector<NodeId> Ready;
    for (size_t I = NN; I-- > 0;)
      if (Pending[I] == 0)
        Ready.push_back(static_cast<NodeId>(I));
    R.Order.reserve(NN);
    // A min-heap on node index would keep file order exactly; a stack of ready
    // nodes processed in file order is enough for files already sorted.
    while (!Ready.empty()) {
      NodeId N = Ready.back();
      Ready.pop_back();
      R.Order.push_back(N);
      llvm::SmallVector<NodeId, 8> Next;
      for (ValueId Out : G.node(N).Outputs) {
        if (Out == kNoValue)
          continue;
        // Consumers lists a node once per input slot, as Pending counts them;
        // rescanning each consumer's inputs instead was quadratic for a
        // Concat of many values.
        for (NodeId C : G.value(Out).Consumers)
          if (--Pending[static_cast<size_t>(C)] == 0)
            Next.push_back(C);
      }
      for (NodeId C : Extra[static_cast<size_t>(N)])
        if (--Pending[static_cast<size_t>(C)] == 0)
          Next.push_back(C);
      llvm::sort(Next, std::greater<NodeId>());
      Ready.insert(Ready.end(), Next.begin(), Next.end());
    }
    if (R.Order.size() != NN) {
      for (size_t I = 0; I < NN; ++I)
        if (Pending[I] != 0) {
          diag(Severity::Error, G.Nodes[I].label(G),
               "graph has a cycle through this node; " + std::to_string(NN - R.Order.size()) +
                   " node(s) on or after the cycle are not analyzed",
               "cycle");
          break;
        }
    }
  }

  void visit(NodeId Id) {
    const Node &N = G.node(Id);
    llvm::SmallVector<const TensorType *, 4> InTypes;
    llvm::SmallVector<const ConstValue *, 4> InValues;
    for (ValueId In : N.Inputs) {
      if (In == kNoValue) {
        InTypes.push_back(nullptr);
        InValues.push_back(nullptr);
        continue;
      }
      InTypes.push_back(&R.Types[static_cast<size_t>(In)]);
      InValues.push_back(R.value(In));
    }
    // A function body imports its own opsets.
    int64_t Opset =
        Fn && Fn->Opsets.count(N.Domain) ? Fn->Opsets.lookup(N.Domain) : M.opset(N.Domain);
    const OpRule *Rule = findRule(N.Domain, N.OpType, Opset);
    NodeResolution &Res = R.Nodes[static_cast<size_t>(Id)];
    size_t DiagStart = R.Diags.size();
    Res.Rule = Rule;
    Res.Opset = Opset;
    InferContext Ctx(S, G, N, Opset, InTypes, InValues);
    Ctx.CallSite = CallSite;
    NodeStatus St = NodeStatus::Inferred;
    const Function *Callee = Rule ? nullptr : findFunction(M, N);
    // Subgraph diagnostics are merged after the rule ran, so that a branch
    // that never runs (an If with a known condition) does not report.
    llvm::SmallVector<SubgraphRun, 2> Runs;
    if (Callee) {
      Res.Callee = Callee;
      // Inlined: the body runs with this call's argument types.
      llvm::SmallVector<TensorType, 4> Args;
      for (const TensorType *T : InTypes)
        Args.push_back(T ? *T : TensorType{});
      auto Body = inferFunction(AM, *Callee, N, Args, InValues);
      for (size_t I = 0; I < N.Outputs.size() && I < Callee->Outputs.size(); ++I) {
        ValueId O = Callee->Body->lookup(Callee->Outputs[I]);
        if (O == kNoValue)
          continue;
        Ctx.OutTypes[I] = Body->Types[static_cast<size_t>(O)];
        if (const ConstValue *CV = Body->value(O))
          Ctx.OutValues[I] = *CV;
      }
      Runs.push_back({Callee->Name, Callee->Body.get(), {std::move(Body)}});
    } else if (!Rule) {
      St = NodeStatus::Unsupported;
      const OpRule *Any = findAnyRule(N.Domain, N.OpType);
      std::string Dom = N.Domain.empty() ? "ai.onnx" : N.Domain.str();
      if (Any)
        diag(Severity::Warning, N.label(G),
             "no rule for " + Dom + "::" + N.OpType.str() + " at opset " + std::to_string(Opset) +
                 "; its outputs are unknown",
             "no-rule-at-opset");
      else
        diag(Severity::Warning, N.label(G),
             "unsupported operator " + Dom + "::" + N.OpType.str() + "; its outputs are unknown",
             "unsupported-op");
    } else {
      ShapeScope Here{&G, &R, Outer};
      Ctx.RunSubgraph = [&](llvm::StringRef Attr, const Graph &Body, llvm::ArrayRef<TensorType> In,
                            llvm::ArrayRef<const ConstValue *> InV) -> const ShapeInfo * {
        auto Sub = inferSubgraph(AM, Body, In, InV, Here);
        auto It = llvm::find_if(Runs, [&](const SubgraphRun &SR) { return SR.Attr == Attr; });
        if (It == Runs.end()) {
          Runs.push_back({Attr.str(), &Body, {}});
          It = Runs.end() - 1;
        }
        It->Runs.push_back(Sub);
        return Sub.get();
      };
      auto TC = Opts.TripCounts.find(loopKey(G, N));
      if (TC != Opts.TripCounts.end())
        Ctx.UserTripCount = TC->second;
      Rule->Infer(Ctx);
      if (Ctx.TripCount)
        R.TripCounts[Id] = Ctx.TripCount;
      Res.Condition = Ctx.Condition;
      Res.PerIteration = Ctx.PerIteration;
      if (!Ctx.LoopProblem.empty())
        R.LoopProblems[Id] = std::move(Ctx.LoopProblem);
    }
    for (const SubgraphRun &SR : Runs) {
      if (Res.Condition && SR.Attr == (*Res.Condition ? "else_branch" : "then_branch"))
        continue; // Never runs: its problems are not the model's.
      // Per-iteration runs repeat the same problems; the first run's are enough.
      if (SR.Runs.empty())
        continue;
      std::string Here = subgraphPath("", G, N, SR.Attr);
      for (Diagnostic D : SR.Runs.front()->Diags) {
        D.Path = Here + D.Path;
        R.Diags.push_back(std::move(D));
      }
    }
    if (!Runs.empty())
      R.Subgraphs[Id] = std::move(Runs);
    // An input left unknown by an earlier node: that node is the root cause,
    // and what this node's rule could not do follows from it (folded there).
    NodeId InCause = kNoNode;
    for (ValueId In : N.Inputs)
      if (In != kNoValue)
        if (auto C = R.UnknownCause.find(In); C != R.UnknownCause.end()) {
          InCause = C->second;
          break;
        }
    bool Folded = InCause != kNoNode && St != NodeStatus::Unsupported;
    for (Diagnostic &D : Ctx.Problems) {
      if (Folded && D.Level != Severity::Error)
        continue;
      D.Node = N.label(G);
      if (D.Code.empty())
        D.Code = "inference-failed";
      R.Diags.push_back(std::move(D));
    }
    // Downstream of a shape conflict nothing is trusted: dims become unknown
    // (ranks stay), so no wrong number is ever derived from them.
    bool Taint = Ctx.Conflict || llvm::any_of(N.Inputs, [&](ValueId In) {
                   return In != kNoValue && Tainted.count(In);
                 });
    if (Taint)
      for (size_t I = 0; I < N.Outputs.size(); ++I) {
        if (N.Outputs[I] == kNoValue)
          continue;
        Tainted.insert(N.Outputs[I]);
        TensorType &T = Ctx.OutTypes[I];
        if (T.Dims)
          for (Expr &D : *T.Dims)
            D = Expr();
        Ctx.OutValues[I].reset();
      }
    for (size_t I = 0; I < N.Outputs.size(); ++I) {
      ValueId Out = N.Outputs[I];
      if (Out == kNoValue)
        continue;
      TensorType T = std::move(Ctx.OutTypes[I]);
      if (!Taint) // The file's value_info describes the export, not the conflict.
        mergeDeclared(T, G.value(Out));
      bool Complete = T.Dims && llvm::all_of(*T.Dims, [](Expr D) { return bool(D); });
      if (!Complete && St == NodeStatus::Inferred)
        St = NodeStatus::Partial;
      R.Types[static_cast<size_t>(Out)] = std::move(T);
      if (Ctx.OutValues[I])
        R.Values[Out] = std::move(*Ctx.OutValues[I]);
    }
    // Root causes: a node whose own rule failed (or that has none) is the cause
    // of its unknown outputs; a node unknown only because an input was carries
    // that input's cause on, and its warning is folded into the cause's.
    if (St != NodeStatus::Inferred) {
      bool Own = St == NodeStatus::Unsupported || Ctx.Conflict ||
                 (!Ctx.Problems.empty() && InCause == kNoNode);
      NodeId Cause = Own ? kNoNode : InCause;
      if (Cause == kNoNode) {
        Cause = Id;
        if (!Own && !Taint)
          diag(Severity::Warning, N.label(G), "output shape could not be fully inferred",
               "shape-partial");
        for (size_t D = DiagStart; D < R.Diags.size(); ++D)
          if (R.Diags[D].Node == N.label(G) && R.Diags[D].Path.empty()) {
            RootDiag.try_emplace(Id, D);
            break;
          }
      } else {
        ++Dependents[Cause];
      }
      for (ValueId Out : N.Outputs)
        if (Out != kNoValue)
          R.UnknownCause[Out] = Cause;
    }
    Res.Status = St;
  }

  /// Fills what a rule left unknown from the file's declared type, and counts
  /// disagreements (reported once at the end) where both are known.
  void mergeDeclared(TensorType &T, const Value &V) {
    if (!V.Declared || !V.Declared->IsTensor)
      return;
    bool TrustFile = Opts.InputShapes.empty();
    if (T.Elem == DType::Undefined)
      T.Elem = V.Declared->Elem;
    if (!V.Declared->HasShape)
      return;
    if (!T.Dims) {
      if (!TrustFile)
        return;
      if (auto D = fromDeclared(V.Declared))
        T.Dims = std::move(D->Dims);
      return;
    }
    if (T.Dims->size() != V.Declared->Dims.size()) {
      ++Mismatches;
      if (FirstMismatch.empty())
        FirstMismatch = "'" + V.Name.str() + "' (rank " + std::to_string(T.Dims->size()) +
                        " inferred, " + std::to_string(V.Declared->Dims.size()) + " declared)";
      return;
    }
    for (size_t I = 0; I < T.Dims->size(); ++I) {
      Expr &D = (*T.Dims)[I];
      const DeclaredDim &DD = V.Declared->Dims[I];
      if (!D) {
        if (TrustFile)
          D = dimFromDeclared(DD);
        continue;
      }
      if (DD.Value && D.isConst() && *D.asConst() != *DD.Value && TrustFile) {
        ++Mismatches;
        if (FirstMismatch.empty())
          FirstMismatch = "'" + V.Name.str() + "' dim " + std::to_string(I) + " (" + D.str() +
                          " inferred, " + std::to_string(*DD.Value) + " declared)";
      }
    }
  }

  /// Notes on each root cause how many later nodes it left unknown.
  void foldDependents() {
    for (const auto &[Root, Count] : Dependents) {
      auto It = RootDiag.find(Root);
      if (It == RootDiag.end())
        continue;
      Diagnostic &D = R.Diags[It->second];
      D.Dependents = Count;
      D.Message += "; " + std::to_string(Count) + " later node" + (Count == 1 ? "" : "s") +
                   " unknown because of this";
    }
  }

  void reportDeclaredMismatches() {
    if (Mismatches)
      diag(Severity::Warning, "",
           std::to_string(Mismatches) +
               " inferred shape(s) disagree with the file's value_info, first " + FirstMismatch +
               "; the inferred shapes are used");
  }

  AnalysisManager &AM;
  SymContext &S;
  const Model &M;
  const Graph &G;
  const AnalysisOptions &Opts;
  ShapeInfo &R;
  const ShapeScope *Outer = nullptr;
  const Function *Fn = nullptr;
  const Node *CallSite = nullptr; ///< Resolves a function body's attribute references.
  llvm::ArrayRef<TensorType> SubInputs;
  llvm::ArrayRef<const ConstValue *> SubValues;
  llvm::StringSet<> UsedDims;
  llvm::DenseSet<ValueId> Tainted;           ///< Values computed from a shape conflict.
  llvm::DenseMap<NodeId, size_t> Dependents; ///< Root cause -> nodes unknown because of it.
  llvm::DenseMap<NodeId, size_t> RootDiag;   ///< Root cause -> index of its diagnostic.
  size_t Mismatches = 0;
  std::string FirstMismatch;
};

} // namespace

std::shared_ptr<ShapeInfo> inferSubgraph(AnalysisManager &AM, const Graph &Body,
                                         llvm::ArrayRef<TensorType> Inputs,
                                         llvm::ArrayRef<const ConstValue *> InputValues,
                                         const ShapeScope &Outer) {
  auto R = std::make_shared<ShapeInfo>();
  Driver(AM, *R, Body, Outer, Inputs, InputValues).run();
  return R;
}

const Function *findFunction(const Model &M, const Node &N) {
  // A recursive function (marked by the loader) would expand forever: it is
  // left unexpanded, so the call is an unsupported operator.
  for (const Function &F : M.Functions)
    if (F.Name == N.OpType && F.Domain == N.Domain && F.Body && !F.Recursive)
      return &F;
  return nullptr;
}

std::shared_ptr<ShapeInfo> inferFunction(AnalysisManager &AM, const Function &Fn,
                                         const Node &CallSite, llvm::ArrayRef<TensorType> Inputs,
                                         llvm::ArrayRef<const ConstValue *> InputValues) {
  auto R = std::make_shared<ShapeInfo>();
  Driver(AM, *R, Fn, CallSite, Inputs, InputValues).run();
  return R;
}

ShapeInfo ShapeInference::run(AnalysisManager &AM) {
  ShapeInfo R;
  Driver(AM, R).run();
  return R;
}

} // namespace opaudit
