// The graph picture: which nodes of a model are drawn, how they are folded,
// what each box says, and the in-process rendering through Graphviz's libgvc.
// `opaudit graph` and the HTML report both draw through here.
//
// What is drawn: every node that computes on data reaching it from a graph
// input. Constants and the shape-computing subgraphs exporters emit around
// Reshape (Shape -> Gather -> Unsqueeze -> Concat) are hidden unless asked
// for. Nodes sit in clusters by name scope ("/layer1/layer1.0/conv1/Conv"
// is in layer1 > layer1.0 > conv1); --collapse-depth folds deep scopes into
// one box each, --collapse-repeats draws N identical sibling blocks once.
#pragma once

#include "ir/PassManager.h"
#include "reports/GraphDot.h"
#include "reports/Report.h"

#include "llvm/Support/Error.h"

namespace opaudit {

enum class ColorBy { Macs, Weights, Intensity };
std::optional<ColorBy> colorByFromName(llvm::StringRef S);

struct GraphOptions {
  ColorBy Color = ColorBy::Macs;
  int CollapseDepth = -1;       ///< Fold scopes deeper than this into one box; <0: never.
  bool CollapseRepeats = false; ///< Draw runs of identical sibling blocks once, marked xN.
  bool ShowConstants = false;   ///< Also draw constants and shape-computing nodes.
};

/// One box of the picture: a node, or a folded scope.
struct PictureNode {
  std::string Title;                ///< Op type, or the folded scope's name.
  std::string Tooltip;              ///< Full node name or scope path.
  std::vector<std::string> Lines;   ///< Annotations under the title.
  std::vector<std::string> Cluster; ///< Enclosing scopes, outermost first.
  double Heat = 0;                  ///< 0..1 under the chosen --color-by.
  size_t Members = 1;               ///< Model nodes this box stands for (one copy of a repeat).
  bool MacClass = false;
};

/// The picture after hiding and folding, ready for emitDot.
struct PictureGraph {
  std::string Name;
  std::vector<PictureNode> Nodes;
  std::vector<std::pair<size_t, size_t>> Edges;
  /// Scope path (joined with '/') -> repeat count, for clusters drawn once for N blocks.
  std::map<std::string, size_t> Repeats;
  size_t ModelNodes = 0;  ///< Nodes in the model's main graph.
  size_t HiddenNodes = 0; ///< Constants and shape computations left out.
  size_t FoldedNodes = 0; ///< Nodes drawn by another box (repeat copies, folded scopes).
};

/// Builds the picture from the analyses and the report's rows.
PictureGraph buildPicture(AnalysisManager &AM, const Report &R, const GraphOptions &O);

template <> struct DotGraphTraits<PictureGraph> {
  static std::string graphName(const PictureGraph &G) { return G.Name; }
  static std::string graphAttributes(const PictureGraph &G);
  static size_t size(const PictureGraph &G) { return G.Nodes.size(); }
  static bool isHidden(const PictureGraph &, size_t) { return false; }
  static std::string nodeLabel(const PictureGraph &G, size_t N);
  static std::string nodeTooltip(const PictureGraph &G, size_t N) { return G.Nodes[N].Tooltip; }
  static std::string nodeAttributes(const PictureGraph &G, size_t N);
  static llvm::ArrayRef<std::string> clusterPath(const PictureGraph &G, size_t N) {
    return G.Nodes[N].Cluster;
  }
  static std::string clusterLabel(const PictureGraph &G, llvm::ArrayRef<std::string> Path);
  static std::vector<std::pair<size_t, size_t>> edges(const PictureGraph &G) { return G.Edges; }
};

/// Lays out and renders DOT text in-process with libgvc. Format is "svg",
/// "png" or "dot" (DOT returned as given); the bytes come back in memory.
llvm::Expected<std::string> renderDot(const std::string &Dot, llvm::StringRef Format);

/// The output format implied by a file name's extension (svg, png, dot, gv), if any.
std::optional<std::string> graphFormatFor(llvm::StringRef Path);

/// Draws an analysed model whose report is \p R (built from \p A): the
/// library entry point behind `opaudit graph` and the HTML report's picture.
llvm::Expected<std::string> drawModel(Analysis &A, const Report &R, const GraphOptions &GOpts,
                                      llvm::StringRef Format);

} // namespace opaudit
