// The input-shape options every command that analyses a model takes:
// --input NAME:D1xD2x... (a graph input's shape) and --dim NAME=VALUE (a
// symbolic dim's value), with one parser so they mean the same everywhere.
#pragma once

#include "ir/PassManager.h"

#include <CLI/CLI.hpp>

namespace opaudit::cli {

struct ShapeArgs {
  std::vector<std::string> Dims;
  std::vector<std::string> Inputs;
};

/// Declares --dim and --input on Sub.
void addShapeOptions(CLI::App &Sub, ShapeArgs &A);

/// Checks the values and fills O.Dims and O.InputShapes; a bad value is a usage error.
llvm::Error applyShapeArgs(const ShapeArgs &A, AnalysisOptions &O);

} // namespace opaudit::cli
