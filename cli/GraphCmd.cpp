// `opaudit graph MODEL -o out.svg|png|dot`: draws the model with per-node
// figures through the library's buildPicture/renderPicture, in-process with
// libgvc (no `dot` binary needed). The format follows the extension. Shapes
// and hardware come from the same option helpers as `analyze`. With several
// models, -o names a folder and each picture is FOLDER/<model stem>.<format>.
#include "cli/Commands.h"
#include "cli/TrafficOptions.h"
#include "reports/Graph.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace opaudit::cli {

namespace {
struct GraphArgs {
  std::vector<std::string> Models;
  std::string Output;
  std::string Format;
  std::string ColorBy = "macs";
  std::string Scale = "log";
  std::string RankDir = "TB";
  unsigned MaxSize = 8192;
  std::string Parts = "auto";
  int CollapseDepth = -1;
  bool CollapseRepeats = false;
  bool ShowConstants = false;
  ShapeArgs Shapes;
  std::optional<int64_t> Batch;
  TrafficArgs Traffic;
};

int usage(const llvm::Twine &Msg) {
  llvm::errs() << "opaudit: error: " << Msg << "\n";
  return kExitUsage;
}

/// Draws one model; writes to -o, or into the -o folder when \p InFolder.
int drawOne(const GraphArgs &A, const std::string &Model, const AnalysisOptions &AO,
            const GraphOptions &O, const std::string &Format, bool InFolder) {
  auto An = openChecked(Model, AO);
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
  llvm::SmallString<256> Path(A.Output);
  if (InFolder)
    llvm::sys::path::append(Path, llvm::sys::path::stem(Model) + "." + Format);
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC, llvm::sys::fs::OF_None);
  if (EC)
    return usage("cannot write '" + Path + "': " + EC.message());
  OS << *Bytes;
  if (InFolder)
    llvm::errs() << "opaudit: wrote " << Path << "\n";
  return kExitOk;
}

int run(const GraphArgs &A) {
  GraphOptions O;
  auto C = colorByFromName(A.ColorBy);
  if (!C)
    return usage("unknown --color-by '" + A.ColorBy +
                 "' (known: macs, params, weights, bytes, intensity, bound, time)");
  O.Color = *C;
  auto S = colorScaleFromName(A.Scale);
  if (!S)
    return usage("unknown --scale '" + A.Scale + "' (known: linear, log, quantile)");
  O.Scale = *S;
  if (A.RankDir != "TB" && A.RankDir != "LR")
    return usage("--rankdir expects TB or LR, got '" + A.RankDir + "'");
  O.LeftToRight = A.RankDir == "LR";
  // Cairo cannot make a bitmap over 32,767 px a side; below 256 nothing is legible.
  if ((A.MaxSize != 0 && A.MaxSize < 256) || A.MaxSize > 32767)
    return usage("--max-size expects 0 (no bound, SVG and DOT only) or a pixel count from 256 to "
                 "32767, got " +
                 llvm::Twine(A.MaxSize));
  O.MaxPixels = A.MaxSize;
  O.Parts = 0;
  if (A.Parts != "auto") {
    unsigned N;
    if (llvm::StringRef(A.Parts).getAsInteger(10, N) || N < 1 || N > 64)
      return usage("--parts expects auto or a count from 1 to 64, got '" + A.Parts + "'");
    O.Parts = N;
  }
  if (A.CollapseDepth < -1 || A.CollapseDepth == 0)
    return usage("--collapse-depth expects a depth >= 1, got " + llvm::Twine(A.CollapseDepth));
  O.CollapseDepth = A.CollapseDepth;
  O.CollapseRepeats = A.CollapseRepeats;
  O.ShowConstants = A.ShowConstants;
  bool Many = A.Models.size() > 1;
  if (Many && A.Output == "-")
    return usage("-o - writes one picture; with several models give -o a folder");
  if (Many && llvm::sys::fs::exists(A.Output) && !llvm::sys::fs::is_directory(A.Output))
    return usage("with several models -o names a folder, and '" + A.Output + "' is a file");
  std::string Format = A.Format;
  if (Format.empty() && Many)
    Format = "svg";
  if (Format.empty()) {
    auto F = graphFormatFor(A.Output);
    if (!F)
      return usage("cannot tell the picture format from '" + A.Output +
                   "'; use a .svg, .png or .dot name, or --format");
    Format = *F;
  }
  if (Format != "svg" && Format != "png" && Format != "dot")
    return usage("unknown picture format '" + Format + "' (known: svg, png, dot)");
  if (A.MaxSize == 0 && Format == "png")
    return usage(
        "--max-size 0 (no bound) applies to SVG and DOT; a PNG is at most 32767 px a side");
  if ((O.Color == ColorBy::Bound || O.Color == ColorBy::Time) && A.Traffic.Hw.empty())
    return usage("--color-by " + A.ColorBy + " needs --hw PROFILE (the roofline gives it)");
  AnalysisOptions AO;
  if (llvm::Error E = applyShapeArgs(A.Shapes, AO))
    return reportError(std::move(E));
  AO.Batch = A.Batch;
  if (llvm::Error E = applyTrafficArgs(A.Traffic, AO))
    return reportError(std::move(E));
  if (Many)
    if (std::error_code EC = llvm::sys::fs::create_directories(A.Output))
      return usage("cannot create the folder '" + A.Output + "': " + EC.message());
  // Every model is drawn even when one fails; the exit code is the first failure's.
  int Code = kExitOk;
  for (const std::string &Model : A.Models) {
    int C = drawOne(A, Model, AO, O, Format, Many);
    if (Code == kExitOk)
      Code = C;
  }
  return Code;
}
} // namespace

RunFn setupGraph(CLI::App &Sub) {
  auto A = std::make_shared<GraphArgs>();
  Sub.add_option("model", A->Models, "ONNX model file(s)")->required();
  Sub.add_option("-o,--output", A->Output,
                 "picture file: .svg, .png or .dot ('-' for stdout); with several models, a "
                 "folder that gets MODEL.svg (or --format) for each")
      ->required();
  Sub.add_option("-f,--format", A->Format, "svg, png or dot (default: from the -o extension)");
  Sub.add_option("--color-by", A->ColorBy,
                 "fill boxes by macs, params, weights (weight bytes), bytes (read and written), "
                 "intensity (MACs per byte), or with --hw bound (compute/memory) or time")
      ->capture_default_str();
  Sub.add_option("--scale", A->Scale,
                 "colour scale: linear, log or quantile; bounds come from the drawn boxes")
      ->capture_default_str();
  Sub.add_option("--rankdir", A->RankDir, "TB (top to bottom) or LR (left to right)")
      ->capture_default_str();
  Sub.add_option("--max-size", A->MaxSize,
                 "longest side in pixels (PNG at 96 dpi; SVG as a browser shows it at 100%); 0: no "
                 "bound (SVG, DOT)")
      ->capture_default_str();
  Sub.add_option("--parts", A->Parts,
                 "wrap the flow into N parts side by side (auto: long narrow pictures)")
      ->capture_default_str();
  Sub.add_option("--collapse-depth", A->CollapseDepth,
                 "fold every name scope at depth N into one box (1 = top-level scopes)")
      ->check(countAtLeast("--collapse-depth", 1));
  Sub.add_flag(
      "--collapse-repeats", A->CollapseRepeats,
      "draw runs of identical sibling blocks (e.g. 12 transformer layers) once, marked xN");
  addShapeOptions(Sub, A->Shapes);
  addBatchOption(Sub, A->Batch, "bind the symbolic batch dim of every input");
  addTrafficOptions(Sub, A->Traffic);
  Sub.add_flag("--show-constants", A->ShowConstants,
               "also draw constants and shape-computing subgraphs (hidden by default)");
  return [A] { return run(*A); };
}

} // namespace opaudit::cli
