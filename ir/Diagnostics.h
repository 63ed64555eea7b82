// Diagnostics and errors. A Diagnostic is a message about the model that does
// not stop the analysis (it goes to stderr or the JSON `diagnostics` array);
// an OpauditError stops one model and carries a category that maps to a
// documented exit code. Every message names the node it is about when there
// is one.
#pragma once

#include "llvm/Support/Error.h"

#include <string>

namespace opaudit {

enum class Severity { Error, Warning, Note };

llvm::StringRef severityName(Severity S);

struct Diagnostic {
  Diagnostic() = default;
  /// Most diagnostics give a severity, a node and a message; the code and
  /// path are filled in by the pass or the report when not given here.
  Diagnostic(Severity Level, std::string Node, std::string Message, std::string Code = {},
             std::string Path = {}, size_t Dependents = 0)
      : Level(Level), Node(std::move(Node)), Message(std::move(Message)), Code(std::move(Code)),
        Path(std::move(Path)), Dependents(Dependents) {}

  Severity Level = Severity::Warning;
  std::string Node; ///< Node label ("Conv 'conv1'"), empty when about the whole model.
  std::string Message;
  /// What kind of problem: "unsupported-op", "shape-partial", "macs-unknown",
  /// ... (docs/diagnostics.md lists them); a pass's name when nothing more
  /// specific was given (reports fill it in).
  std::string Code;
  /// The graph the node sits in: "" for the main graph, else a subgraph path
  /// such as "/If_0/then_branch".
  std::string Path;
  /// For a root cause: how many later nodes are unknown because of it (their
  /// own warnings are folded into this one).
  size_t Dependents = 0;

  bool operator==(const Diagnostic &) const = default;
  /// "warning: /If_0/then_branch: Conv 'conv1': message" (no trailing newline;
  /// the path only for a subgraph's node).
  std::string str() const;
};

/// Categories planned up front; each maps to one exit code.
enum class ErrorCategory {
  Usage,    ///< Bad command line or option value.
  Load,     ///< The model file cannot be read or is not ONNX.
  Internal, ///< A bug in opaudit.
};

/// Process exit codes, documented in README.md.
enum ExitCode : int {
  kExitOk = 0,       ///< A report was written, possibly partial.
  kExitUsage = 2,    ///< Usage error.
  kExitLoad = 3,     ///< A model could not be read.
  kExitInternal = 4, ///< Internal error.
};

int exitCodeFor(ErrorCategory C);

/// An error with a category and, where known, the file and node it is about.
class OpauditError : public llvm::ErrorInfo<OpauditError> {
public:
  static char ID;
  OpauditError(ErrorCategory Cat, std::string Msg) : Cat(Cat), Msg(std::move(Msg)) {}
  void log(llvm::raw_ostream &OS) const override { OS << Msg; }
  std::error_code convertToErrorCode() const override;
  ErrorCategory category() const { return Cat; }
  const std::string &text() const { return Msg; }

private:
  ErrorCategory Cat;
  std::string Msg;
};

inline llvm::Error makeError(ErrorCategory Cat, const llvm::Twine &Msg) {
  return llvm::make_error<OpauditError>(Cat, Msg.str());
}

} // namespace opaudit
