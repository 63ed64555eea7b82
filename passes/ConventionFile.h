// An operation-counting convention as data, and its loader. Tools and vendors
// disagree on what "an operation" is (1 or 2 per MAC, whether activations,
// pooling, normalization, bias adds count, and at what cost); a convention
// file states one answer with its source, so any published figure can be
// reproduced from the graph and two figures can be reconciled. The built-in
// conventions are the YAML files in samples/conventions/, embedded into the
// binary at build time; a user passes their own file by path. The schema is
// documented in docs/conventions.md.
#pragma once

#include "passes/OpRegistry.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <array>
#include <map>
#include <string>
#include <vector>

namespace opaudit {

/// A cost as a linear combination of per-node element counts. All weights are
/// integers so that every count stays exact.
struct CostSpec {
  int64_t Output = 0; ///< Per element of the node's outputs.
  int64_t Input = 0;  ///< Per element of the node's first input.
  int64_t Window = 0; ///< Per output element times the pooling window size.
  int64_t Rows = 0;   ///< Per row: elements of the first input before `axis` (default -1).
  bool isZero() const { return !Output && !Input && !Window && !Rows; }
  bool operator==(const CostSpec &) const = default;
};

constexpr size_t kNumOpClasses = static_cast<size_t>(OpClass::Other) + 1;

struct Convention {
  std::string Name;
  std::string Source;  ///< Where the rules come from (repository, file, commit, page).
  std::string Meaning; ///< One line: what one operation means under this convention.
  std::string Path;    ///< File it was read from; "builtin:NAME" for embedded ones.
  /// Operations per multiply-accumulate of a MAC-class operator.
  int64_t OpsPerMac = 1;
  /// Which classes of MAC-class operators contribute OpsPerMac per MAC.
  std::array<bool, kNumOpClasses> MacClasses{};
  /// Ops per output element when a Conv/Gemm-style node has a bias input, by class.
  std::array<int64_t, kNumOpClasses> Bias{};
  /// Cost of non-MAC nodes by class (overridden by Ops).
  std::array<CostSpec, kNumOpClasses> Classes{};
  /// Cost by op type. A key may carry one attribute qualifier, "Resize mode=linear",
  /// which is preferred when the node's attribute has that value. The `batchnorm`
  /// and `transcendental` sections of the file land here too.
  std::map<std::string, CostSpec, std::less<>> Ops;
  /// true: reports split operations into floating-point and integer ones.
  bool SplitPrecision = false;
};

/// Parses convention text (YAML). Errors name \p Path and the line.
llvm::Expected<Convention> parseConvention(llvm::StringRef Text, llvm::StringRef Path);
/// Loads a built-in convention by name, or a file by path (anything with a '/'
/// or a .yaml/.yml/.json suffix is a path).
llvm::Expected<Convention> loadConvention(llvm::StringRef NameOrPath);
/// Names of the built-in conventions, in reconcile order.
llvm::ArrayRef<llvm::StringRef> builtinConventionNames();
/// The embedded text of a built-in convention; empty when there is none.
llvm::StringRef builtinConventionText(llvm::StringRef Name);

} // namespace opaudit
