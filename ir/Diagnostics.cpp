// Formatting of diagnostics and the mapping from error categories to exit codes.
#include "ir/Diagnostics.h"

namespace opaudit {

char OpauditError::ID = 0;

llvm::StringRef severityName(Severity S) {
  switch (S) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Note:
    return "note";
  }
  return "note";
}

std::string Diagnostic::str() const {
  std::string R = severityName(Level).str() + ": ";
  if (!Path.empty())
    R += Path + ": ";
  if (!Node.empty())
    R += Node + ": ";
  return R + Message;
}

int exitCodeFor(ErrorCategory C) {
  switch (C) {
  case ErrorCategory::Usage:
    return kExitUsage;
  case ErrorCategory::Load:
    return kExitLoad;
  case ErrorCategory::Internal:
    return kExitInternal;
  }
  return kExitInternal;
}

std::error_code OpauditError::convertToErrorCode() const {
  return std::make_error_code(std::errc::invalid_argument);
}

} // namespace opaudit
