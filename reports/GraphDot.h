// One generic Graphviz DOT emitter, customised per graph type through a
// traits struct, as LLVM does with DOTGraphTraits: the emitter owns the DOT
// syntax, the clustering and the escaping; the traits say what a node is
// called, how it looks, which nodes are hidden and which scope (cluster) each
// node sits in. A graph type G plugs in by specialising DotGraphTraits<G>.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace opaudit {

/// The customisation point. A specialisation provides (all static):
///   std::string graphName(const G &);
///   std::string graphAttributes(const G &);          // raw DOT `key=value;` list
///   size_t size(const G &);                          // nodes are 0..size-1
///   bool isHidden(const G &, size_t N);
///   std::string nodeLabel(const G &, size_t N);      // plain text, '\n' breaks lines
///   std::string nodeTooltip(const G &, size_t N);    // plain text
///   std::string nodeAttributes(const G &, size_t N); // raw DOT attributes, trusted
///   llvm::ArrayRef<std::string> clusterPath(const G &, size_t N); // enclosing scopes
///   std::string clusterLabel(const G &, llvm::ArrayRef<std::string> Path);
///   std::string clusterAttributes(const G &, llvm::ArrayRef<std::string> Path); // raw, trusted
///   std::vector<std::pair<size_t, size_t>> edges(const G &);
template <typename G> struct DotGraphTraits;

/// `S` as a DOT double-quoted string: `"` and `\` escaped, newlines as the
/// centred line break `\n`, other control characters dropped, so no name can
/// end the string or inject attributes.
inline std::string dotQuote(llvm::StringRef S) {
  std::string R = "\"";
  for (char C : S) {
    if (C == '"' || C == '\\') {
      R += '\\';
      R += C;
    } else if (C == '\n') {
      R += "\\n";
    } else if (static_cast<unsigned char>(C) >= 0x20) {
      R += C;
    }
  }
  return R + "\"";
}

/// Writes G as a DOT digraph. Clusters nest by path; a scope becomes a
/// cluster only when it holds at least two visible nodes or has a label of
/// its own, because one-node clusters cost layout time and add nothing.
template <typename G> void emitDot(const G &Graph, llvm::raw_ostream &OS) {
  using T = DotGraphTraits<G>;
  struct Scope {
    std::map<std::string, size_t> ChildIndex;
    // Names and scopes side by side: a pair<string, Scope> inside Scope would
    // need Scope complete, which clang (rightly) rejects.
    std::vector<std::string> ChildNames;
    std::vector<Scope> Children;
    std::vector<size_t> Nodes;
    size_t Count = 0;
  };
  Scope Root;
  size_t N = T::size(Graph);
  for (size_t I = 0; I < N; ++I) {
    if (T::isHidden(Graph, I))
      continue;
    Scope *S = &Root;
    ++S->Count;
    for (const std::string &P : T::clusterPath(Graph, I)) {
      auto [It, New] = S->ChildIndex.try_emplace(P, S->Children.size());
      if (New) {
        S->ChildNames.push_back(P);
        S->Children.emplace_back();
      }
      S = &S->Children[It->second];
      ++S->Count;
    }
    S->Nodes.push_back(I);
  }
  OS << "digraph " << dotQuote(T::graphName(Graph)) << " {\n" << T::graphAttributes(Graph);
  size_t ClusterId = 0;
  std::vector<std::string> Path;
  auto EmitNode = [&](size_t I, unsigned Indent) {
    OS.indent(Indent) << "n" << I << " [label=" << dotQuote(T::nodeLabel(Graph, I))
                      << ", tooltip=" << dotQuote(T::nodeTooltip(Graph, I));
    std::string A = T::nodeAttributes(Graph, I);
    if (!A.empty())
      OS << ", " << A;
    OS << "];\n";
  };
  std::function<void(const Scope &, unsigned)> Emit = [&](const Scope &S, unsigned Indent) {
    for (size_t I : S.Nodes)
      EmitNode(I, Indent);
    for (size_t K = 0; K < S.Children.size(); ++K) {
      const std::string &Name = S.ChildNames[K];
      const Scope &C = S.Children[K];
      Path.push_back(Name);
      std::string Label = T::clusterLabel(Graph, Path);
      if (C.Count >= 2 || Label != Name) {
        OS.indent(Indent) << "subgraph cluster_" << ClusterId++ << " {\n";
        OS.indent(Indent + 2) << "label=" << dotQuote(Label) << ";\n";
        if (std::string A = T::clusterAttributes(Graph, Path); !A.empty())
          OS.indent(Indent + 2) << A << ";\n";
        Emit(C, Indent + 2);
        OS.indent(Indent) << "}\n";
      } else {
        Emit(C, Indent);
      }
      Path.pop_back();
    }
  };
  Emit(Root, 2);
  for (auto [From, To] : T::edges(Graph))
    if (!T::isHidden(Graph, From) && !T::isHidden(Graph, To))
      OS << "  n" << From << " -> n" << To << ";\n";
  OS << "}\n";
}

} // namespace opaudit
