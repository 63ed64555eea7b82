// `opaudit graph MODEL -o out.svg|png|dot`: draws the model with per-node
// figures through the library's buildPicture/emitDot/renderDot, in-process
// with libgvc (no `dot` binary needed). The format follows the extension.
#include "cli/Commands.h"
#include "cli/TrafficOptions.h"
#include "reports/Graph.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace opaudit::cli {

namespace {
struct GraphArgs {
  std::string Model;
  std::string Output;
  std::string Format;
  std::string ColorBy = "macs";
  int CollapseDepth = -1;
  bool CollapseRepeats = false;
  bool ShowConstants = false;
  std::vector<std::string> Dims;
};

int run(const GraphArgs &A) {
  GraphOptions O;
  auto C = colorByFromName(A.ColorBy);
  if (!C) {
    llvm::errs() << "opaudit: error: unknown --color-by '" << A.ColorBy
                 << "' (known: macs, weights, intensity)\n";
    return kExitUsage;
  }
  O.Color = *C;
  O.CollapseDepth = A.CollapseDepth;
  O.CollapseRepeats = A.CollapseRepeats;
  O.ShowConstants = A.ShowConstants;
  std::string Format = A.Format;
  if (Format.empty()) {
    auto F = graphFormatFor(A.Output);
    if (!F) {
      llvm::errs() << "opaudit: error: cannot tell the picture format from '" << A.Output
                   << "'; use a .svg, .png or .dot name, or --format\n";
      return kExitUsage;
    }
    Format = *F;
  }
  if (Format != "svg" && Format != "png" && Format != "dot") {
    llvm::errs() << "opaudit: error: unknown picture format '" << Format
                 << "' (known: svg, png, dot)\n";
    return kExitUsage;
  }
  AnalysisOptions AO;
  for (llvm::StringRef D : A.Dims) {
    auto [K, V] = D.split('=');
    int64_t N;
    if (K.empty() || V.getAsInteger(10, N) || N < 0) {
      llvm::errs() << "opaudit: error: --dim expects NAME=VALUE with VALUE >= 0, got '" << D
                   << "'\n";
      return kExitUsage;
    }
    AO.Dims[K] = N;
  }
  auto An = openChecked(A.Model, AO);
  if (!An)
    return reportError(An.takeError());
  Report R = buildReport(**An);
  auto Bytes = drawModel(**An, R, O, Format);
  if (!Bytes)
    return reportError(Bytes.takeError());
  if (A.Output == "-") {
    llvm::outs() << *Bytes;
    llvm::outs().flush();
    return kExitOk;
  }
  std::error_code EC;
  llvm::raw_fd_ostream OS(A.Output, EC, llvm::sys::fs::OF_None);
  if (EC) {
    llvm::errs() << "opaudit: error: cannot write '" << A.Output << "': " << EC.message() << "\n";
    return kExitUsage;
  }
  OS << *Bytes;
  return kExitOk;
}
} // namespace

RunFn setupGraph(CLI::App &Sub) {
  auto A = std::make_shared<GraphArgs>();
  Sub.add_option("model", A->Model, "ONNX model file")->required();
  Sub.add_option("-o,--output", A->Output, "picture file: .svg, .png or .dot ('-' for stdout)")
      ->required();
  Sub.add_option("-f,--format", A->Format, "svg, png or dot (default: from the -o extension)");
  Sub.add_option("--color-by", A->ColorBy,
                 "fill nodes by macs, weights (weight bytes) or intensity (MACs per byte moved)")
      ->capture_default_str();
  Sub.add_option("--collapse-depth", A->CollapseDepth,
                 "fold every name scope at depth N into one box (1 = top-level scopes)")
      ->check(countAtLeast("--collapse-depth", 1));
  Sub.add_flag(
      "--collapse-repeats", A->CollapseRepeats,
      "draw runs of identical sibling blocks (e.g. 12 transformer layers) once, marked xN");
  Sub.add_option("--dim", A->Dims, "bind a symbolic dim: NAME=VALUE (repeatable)");
  Sub.add_flag("--show-constants", A->ShowConstants,
               "also draw constants and shape-computing subgraphs (hidden by default)");
  return [A] { return run(*A); };
}

} // namespace opaudit::cli
