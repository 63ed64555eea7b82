// Reads an ONNX file into the IR without copying weight payloads. The file is
// memory-mapped and walked with protobuf's CodedInputStream; tensor payloads
// are recorded as spans and skipped, so weight pages are never touched. Small
// sub-messages (value infos, opset ids, types) go to the generated parsers.
#pragma once

#include "ir/IR.h"

#include "llvm/Support/Error.h"

#include <memory>

namespace opaudit {

struct LoadOptions {
  /// Check that external-data files exist (stat only; never opened).
  bool CheckExternalFiles = true;
  /// Deepest nesting of subgraphs accepted (If/Loop/Scan bodies).
  unsigned MaxGraphDepth = 64;
};

/// Loads the model at Path. Errors are OpauditError with category Load and a
/// one-line message that names the file.
llvm::Expected<std::unique_ptr<Model>> loadModel(llvm::StringRef Path,
                                                 const LoadOptions &Opts = {});

/// Loads from an in-memory buffer (tests); Path is used in messages and to
/// resolve external data.
llvm::Expected<std::unique_ptr<Model>> loadModel(std::unique_ptr<llvm::MemoryBuffer> Buffer,
                                                 llvm::StringRef Path,
                                                 const LoadOptions &Opts = {});

} // namespace opaudit
