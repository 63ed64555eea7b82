// Helpers shared by the tests: build a model from ONNX's text syntax and load
// it through the real loader, locate samples, and run the built CLI.
#pragma once

#include "ir/Loader.h"
#include "passes/MacCount.h"
#include "passes/ShapeInference.h"
#include "passes/Weights.h"
#include "reports/Report.h"

#include <doctest/doctest.h>

#include <string>

namespace opaudit::test {

/// Serializes the model written in ONNX text syntax; fails the test on a parse error.
std::string serializeText(const char *Text);

/// Loads a model written in ONNX text syntax through loadModel.
std::unique_ptr<Model> parseModel(const char *Text);

/// Path of a file under samples/models.
std::string samplePath(const std::string &Name);

struct CliResult {
  int Exit = -1;
  std::string Out;
  std::string Err;
};

/// Runs build/opaudit with Args (shell-quoted by the caller where needed).
CliResult runCli(const std::string &Args);

/// Writes Bytes to a fresh temporary file and returns its path.
std::string writeTemp(const std::string &Name, const std::string &Bytes);

/// Opens the model at Path as an Analysis and builds its report.
llvm::Expected<Report> analyzeFile(llvm::StringRef Path, const AnalysisOptions &Opts = {},
                                   const Convention *C = nullptr);
/// The report of an already loaded model.
Report reportOf(std::unique_ptr<Model> M, AnalysisOptions Opts = {});

/// Dims of a value's inferred type as text ("?" for unknown dims).
std::vector<std::string> dimsOf(AnalysisManager &AM, llvm::StringRef Value);

} // namespace opaudit::test
