// Parsing of --input and --dim (the same rules as `analyze`).
#include "cli/ShapeOptions.h"

namespace opaudit::cli {

void addShapeOptions(CLI::App &Sub, ShapeArgs &A) {
  Sub.add_option("--dim", A.Dims, "bind a symbolic dim: NAME=VALUE (repeatable)");
  Sub.add_option("--input", A.Inputs,
                 "set a graph input's shape: NAME:D1xD2x... (a dim may be a symbol; repeatable)");
}

llvm::Error applyShapeArgs(const ShapeArgs &A, AnalysisOptions &O) {
  for (llvm::StringRef D : A.Dims) {
    auto [K, V] = D.split('=');
    int64_t N;
    if (K.empty() || V.getAsInteger(10, N) || N < 0)
      return makeError(ErrorCategory::Usage,
                       "--dim expects NAME=VALUE with VALUE >= 0, got '" + D + "'");
    O.Dims[K] = N;
  }
  for (llvm::StringRef I : A.Inputs) {
    auto [K, V] = I.rsplit(':');
    if (K.empty() || V.empty())
      return makeError(ErrorCategory::Usage, "--input expects NAME:D1xD2x..., got '" + I + "'");
    llvm::SmallVector<llvm::StringRef, 6> Parts;
    V.split(Parts, 'x');
    std::vector<std::string> Dims;
    for (llvm::StringRef P : Parts) {
      int64_t N;
      if (P.empty() || (!P.getAsInteger(10, N) && N < 0))
        return makeError(ErrorCategory::Usage, "--input has a bad dim in '" + I + "'");
      Dims.push_back(P.str());
    }
    O.InputShapes[K] = std::move(Dims);
  }
  return llvm::Error::success();
}

} // namespace opaudit::cli
