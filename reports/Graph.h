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
//
// How it looks: each box shows the op type, a short name, the output shape
// and its figures, filled by the chosen metric on a scale whose bounds come
// from the data, with a legend; boxes whose metric is unknown are grey and
// dashed. How big it gets: a picture longer than it is wide is wrapped into
// parts side by side (cut where few edges cross), and the whole is held under
// a maximum pixel size by scaling down no further than a legibility floor.
#pragma once

#include "ir/PassManager.h"
#include "reports/GraphDot.h"
#include "reports/Report.h"

#include "llvm/Support/Error.h"

namespace opaudit {

/// What fills the boxes. Bound and Time need a hardware profile (the roofline).
enum class ColorBy { Macs, Params, Weights, Bytes, Intensity, Bound, Time };
std::optional<ColorBy> colorByFromName(llvm::StringRef S);
/// How a metric maps to a shade; bounds always come from the drawn boxes.
enum class ColorScale { Linear, Log, Quantile };
std::optional<ColorScale> colorScaleFromName(llvm::StringRef S);

/// The pixels per inch the picture is measured in: PNG output is rendered at
/// this resolution, and an SVG viewer shows 1 pt as 96/72 px, so one --max-size
/// means the same on screen for both.
constexpr double kGraphDpi = 96;
/// Scaling down to fit --max-size stops here: below it the 9 pt labels would
/// be smaller than about 8 px, which nobody reads at 100%.
constexpr double kGraphMinScale = 0.7;

struct GraphOptions {
  ColorBy Color = ColorBy::Macs;
  ColorScale Scale = ColorScale::Log;
  bool LeftToRight = false; ///< --rankdir LR: data flows left to right.
  /// Neither side of a rendered picture exceeds this many pixels (at kGraphDpi);
  /// 0: no bound. The library's default draws as before (the HTML report
  /// embeds a picture the browser scrolls); `opaudit graph` bounds it at 8192.
  unsigned MaxPixels = 0;
  /// Parts the picture is wrapped into; 0: chosen from the layout (a long
  /// narrow picture is wrapped towards a 16:10 page), 1: never wrapped.
  unsigned Parts = 1;
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
  /// The metric is unknown (open dims, unknown op): drawn grey, not as 0.
  bool Unknown = false;
  size_t Members = 1; ///< Model nodes this box stands for (one copy of a repeat).
  bool MacClass = false;
  /// A wrap connector ("to part 2", "from part 1"), not a model node.
  bool Connector = false;
  double Metric = 0; ///< The --color-by value (unused when Unknown).
  std::string Fill;  ///< Its colour ("#rrggbb"), from Heat or the bound.
};

/// One entry of the colour legend: a fill and what it means.
struct LegendEntry {
  std::string Fill;  ///< Graphviz colour ("#rrggbb").
  std::string Label; ///< What the colour stands for.
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
  /// What the fills mean: a title and the entries, drawn as the picture's label.
  std::string LegendTitle;
  std::vector<LegendEntry> Legend;
  bool LeftToRight = false;
  /// Parts the picture is wrapped into (1: not wrapped). Each part is an outer
  /// cluster; edges between parts go through Connector boxes.
  unsigned Parts = 1;
  /// The Graphviz `size` (inches) the renderer may not exceed; 0: none.
  double MaxInches = 0;
};

/// Builds the picture from the analyses and the report's rows. Bound and
/// Time colours read the rows' roofline (the analysis needs --hw); without
/// it every box is unknown.
PictureGraph buildPicture(AnalysisManager &AM, const Report &R, const GraphOptions &O);

/// P wrapped into \p Parts parts: boxes are split by their longest-path level
/// into ranges of about equal length, cut where the fewest edges cross, and
/// every edge between parts goes through a "to part N" and a "from part M"
/// connector. Parts = 1 returns P unchanged.
PictureGraph wrapPicture(const PictureGraph &P, unsigned Parts);

/// The picture as DOT text.
std::string pictureDot(const PictureGraph &P);

/// Renders P as "svg", "png" or "dot" under O's --rankdir, --max-size and
/// wrapping. A picture that would need scaling below kGraphMinScale, or any
/// Graphviz error, is an OpauditError (Graphviz's messages are in its text,
/// never on stderr).
llvm::Expected<std::string> renderPicture(const PictureGraph &P, const GraphOptions &O,
                                          llvm::StringRef Format);

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
  static std::string clusterAttributes(const PictureGraph &G, llvm::ArrayRef<std::string> Path);
  static std::vector<std::pair<size_t, size_t>> edges(const PictureGraph &G) { return G.Edges; }
};

/// Lays out and renders DOT text in-process with libgvc. Format is "svg",
/// "png" or "dot" (DOT returned as given); the bytes come back in memory.
/// Graphviz's warnings and errors are captured: an error (or a failed
/// layout or render) is an Internal OpauditError carrying its text.
llvm::Expected<std::string> renderDot(const std::string &Dot, llvm::StringRef Format);

/// Width and height in pixels of a PNG (from its IHDR chunk); nullopt if not a PNG.
std::optional<std::pair<unsigned, unsigned>> pngSize(llvm::StringRef Png);

/// The output format implied by a file name's extension (svg, png, dot, gv), if any.
std::optional<std::string> graphFormatFor(llvm::StringRef Path);

/// Draws an analysed model whose report is \p R (built from \p A): the
/// library entry point behind `opaudit graph` and the HTML report's picture.
llvm::Expected<std::string> drawModel(Analysis &A, const Report &R, const GraphOptions &GOpts,
                                      llvm::StringRef Format);

} // namespace opaudit
