// The JSON presentation of a ClaimResult (analyzer/Claim.h), with the names
// `opaudit claim -f json` prints. It lives here rather than in the command so
// that the Python module's `opaudit.claim(...).to_json()` is the same bytes.
#pragma once

#include "analyzer/Claim.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace opaudit {

/// The claim as JSON. \p Model is the path as given; \p Hardware is the --hw
/// argument (a catalog name or a profile file), empty when the peak was quoted.
void writeClaimJson(llvm::StringRef Model, llvm::StringRef Hardware, const ClaimResult &R,
                    llvm::raw_ostream &OS);
/// The same object on \p J (one element of an array of several models' claims).
void writeClaimJson(llvm::json::OStream &J, llvm::StringRef Model, llvm::StringRef Hardware,
                    const ClaimResult &R);

} // namespace opaudit
