// The multi-model runner behind `opaudit analyze a.onnx b.onnx dir/`: expands
// directories, analyzes every model in parallel on an llvm::ThreadPool and
// writes one summary row per model (reports/SummaryWriter.h). AnalyzeCmd.cpp
// dispatches here when it is given more than one model or a directory.
#pragma once

#include "ir/PassManager.h"

#include <string>
#include <vector>

namespace opaudit::cli {

struct ZooRequest {
  std::vector<std::string> Inputs; ///< Model files and directories, as given.
  AnalysisOptions Opts;            ///< Applied to every model.
  std::string Format = "table";    ///< A summary format (table, csv, json).
  std::string Output;              ///< Empty or "-": stdout.
  bool Quiet = false;
  unsigned MaxDiags = 20; ///< Diagnostics printed per model.
  unsigned Jobs = 0;      ///< Worker threads; 0: one per hardware thread.
  std::string Convention; ///< --convention NAME|FILE: an ops column; empty: none.
};

/// True when the inputs need the multi-model runner: several of them, or a directory.
bool isZooRun(const std::vector<std::string> &Inputs);

/// The model files of the inputs: directories are walked recursively for
/// `*.onnx` files (sorted by path); files are kept as given, in order.
std::vector<std::string> expandInputs(const std::vector<std::string> &Inputs);

/// Runs the zoo and returns the exit code documented in README.md: 0 when
/// every model was analyzed, 3 when at least one could not be read (its row
/// says failed; the others are still reported), 2 on usage errors.
int runZoo(const ZooRequest &Req);

} // namespace opaudit::cli
