//===- Sym.h - Exact symbolic integer expressions ---------------*- C++ -*-===//
//
// Defines Expr and SymContext: exact, hash-consed integer expressions over the
// model's dim_param names (and fresh symbols for unknown dims). Tensor shapes
// and cost formulas (MACs, parameters, bytes) are built from them, so that a
// model with an unbound batch size still gets an exact answer such as
// "4089184256*N" instead of a guess. Expressions are kept as canonical
// polynomials whose atoms are symbols or opaque floor/mod/min/max nodes; equal
// expressions are the same interned node, so equality is a word compare and a
// large graph shares all repeated sub-expressions. Coefficient arithmetic is
// checked: an overflow yields the null Expr, never a wrapped number.
//
//===----------------------------------------------------------------------===//

#ifndef OPAUDIT_ANALYZER_SYM_H
#define OPAUDIT_ANALYZER_SYM_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMapInfo.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace opaudit {

class SymContext;

/// Handle to an interned, canonical integer expression owned by a SymContext.
///
/// An Expr is one machine word: either a pointer to an interned node or, for
/// constants in [-2^62, 2^62), the value itself (so constants cost no memory).
/// Because every expression is canonical and interned, two Exprs from the same
/// context are equal iff they are structurally equal, and that is a word
/// compare. A default-constructed Expr is the null Expr, meaning "unknown" (or
/// "the computation overflowed"); every operation on a null operand returns
/// null.
///
/// Text format of str() (deterministic, independent of creation order):
///  - a polynomial prints as its terms joined by " + " / " - ", highest total
///    degree first, then by atom order (symbols by name, then floor, mod, min,
///    max); the constant term is last: "18432*batch*seq^2 + 84934656*batch*seq",
///    "-N + 3", "2*H*W - 1";
///  - a term prints as coefficient, "*", then its factors joined by "*"; a
///    coefficient of 1 is omitted and -1 prints as a leading "-"; powers print
///    as "seq^2";
///  - atoms print as "name", "floor(P/Q)", "mod(P, Q)", "min(P, Q)",
///    "max(P, Q)"; a multi-term dividend and a divisor that is not a single
///    symbol or constant are parenthesised: "floor((H + 1)/2)",
///    "floor(X/(N*S))";
///  - ceiling division has no atom of its own: ceil(a/b) is stored as
///    -floor(-a/b), which canonicalises e.g. ceil(H/2) to "H - floor(H/2)";
///  - the null Expr prints as "?".
class Expr {
public:
  /// The null Expr: unknown, or the result of an overflow.
  Expr() = default;

  /// True for every Expr except the null one.
  explicit operator bool() const { return V != 0; }

  /// True if this is an integer constant.
  bool isConst() const;
  /// The value of a constant Expr; nullopt for anything else (including null).
  std::optional<int64_t> asConst() const;

  /// True if this is exactly one symbol (named or fresh).
  bool isSymbol() const;
  /// The symbol's name; empty if !isSymbol().
  llvm::StringRef symbolName() const;

  /// Canonical text (see the class comment for the format); null prints "?".
  std::string str() const;

  /// Structural equality (a word compare; both operands from one context).
  bool operator==(const Expr &O) const { return V == O.V; }
  bool operator!=(const Expr &O) const { return V != O.V; }

  /// Hash of the handle, consistent with operator==. Not stable across runs.
  size_t hash() const;

  /// A unique pointer-sized key for this Expr (e.g. for DenseMap<const void*, T>).
  /// Never equal to DenseMapInfo<const void*>'s empty or tombstone keys.
  const void *opaque() const { return reinterpret_cast<const void *>(V); }
  /// The Expr whose opaque() is \p P.
  static Expr fromOpaque(const void *P) { return Expr(reinterpret_cast<uintptr_t>(P)); }

private:
  friend class SymContext;
  explicit Expr(uintptr_t V) : V(V) {}
  uintptr_t V = 0;
};

/// Prints E.str().
llvm::raw_ostream &operator<<(llvm::raw_ostream &OS, Expr E);
/// Prints E.str() (lets doctest show Exprs in failed checks).
std::ostream &operator<<(std::ostream &OS, Expr E);

/// Owns and interns all expression nodes of one analyzed model.
///
/// Nodes live in a bump allocator and are hash-consed, so building an
/// expression that already exists allocates nothing. Not thread-safe; create
/// one per analyzed model. Exprs from different contexts must not be mixed.
///
/// Assumptions used by the simplifier (all simplifications are exact under
/// them, and no other simplification is ever made):
///  - every symbol stands for an integer >= 0 (it is a tensor dimension);
///  - a division or mod by a non-constant expression is only ever evaluated
///    where the divisor is non-zero (so e.g. floor(N*S*768 / (N*S)) = 768).
/// Division or mod by the constant 0 gives the null Expr.
class SymContext {
public:
  SymContext();
  ~SymContext();
  SymContext(const SymContext &) = delete;
  SymContext &operator=(const SymContext &) = delete;

  /// The integer constant \p V (no node is allocated for |V| < 2^62).
  Expr constant(int64_t V);
  /// The named dimension \p Name (an ONNX dim_param); same name -> same Expr.
  Expr symbol(llvm::StringRef Name);
  /// A new symbol distinct from every other, for a dimension that is unknown.
  /// It is named "<Hint>__<k>" (e.g. "unk__1"), avoiding names already in use.
  /// A later symbol() with the same name is still a different symbol (though
  /// it prints the same and evaluate() binds both by that name).
  Expr fresh(llvm::StringRef Hint = "unk");
  /// True if \p E is a symbol created by fresh().
  bool isFresh(Expr E) const;

  /// A + B.
  Expr add(Expr A, Expr B);
  /// A - B.
  Expr sub(Expr A, Expr B);
  /// A * B (polynomial product).
  Expr mul(Expr A, Expr B);
  /// -A.
  Expr neg(Expr A);
  /// A^N for N >= 0 (A^0 = 1).
  Expr pow(Expr A, unsigned N);
  /// Sum of all \p Es, interning only the result (use this rather than a chain
  /// of add() to accumulate many terms without keeping every partial sum).
  Expr sum(llvm::ArrayRef<Expr> Es);
  /// Product of all \p Es (1 for an empty list).
  Expr product(llvm::ArrayRef<Expr> Es);

  /// floor(A / B), Python semantics (rounds toward -infinity).
  Expr floorDiv(Expr A, Expr B);
  /// ceil(A / B) (rounds toward +infinity); represented as -floor(-A / B).
  Expr ceilDiv(Expr A, Expr B);
  /// A mod B, Python semantics: the result has the sign of B (7 mod -2 = -1).
  Expr mod(Expr A, Expr B);
  /// min(A, B).
  Expr min(Expr A, Expr B);
  /// max(A, B).
  Expr max(Expr A, Expr B);

  /// Replaces every symbol s in \p E by Binding(name of s), or keeps s when
  /// Binding returns the null Expr, and re-simplifies. Returns null if the
  /// result overflows or divides by the constant 0. Binding's results must
  /// come from this context.
  Expr substitute(Expr E, llvm::function_ref<Expr(llvm::StringRef Symbol)> Binding);
  /// The value of \p E with symbols bound by name from \p Binds; nullopt if E
  /// is null, a symbol is unbound, a divisor is 0 or the arithmetic overflows.
  /// Bindings should respect the context's assumptions (values >= 0).
  std::optional<int64_t> evaluate(Expr E, const llvm::StringMap<int64_t> &Binds);
  /// Appends the names of the symbols \p E mentions to \p Out, then sorts
  /// \p Out and removes duplicates.
  void symbols(Expr E, llvm::SmallVectorImpl<llvm::StringRef> &Out);
  /// True if \p E mentions a symbol made by fresh().
  bool dependsOnFresh(Expr E);
  /// True if \p E is provably >= 0 under the context's assumptions.
  bool isKnownNonNegative(Expr E) const;

  /// Deterministic structural total order on Exprs (the order str() uses):
  /// negative, zero or positive as A sorts before, equal to or after B. The
  /// null Expr sorts first.
  static int compare(Expr A, Expr B);

  /// Number of interned nodes allocated so far (constants below 2^62 are free).
  size_t numNodes() const;

private:
  struct Impl;
  std::unique_ptr<Impl> I;
};

/// A sum of many Exprs built up one at a time. A chain of add() interns every
/// partial sum, one node per term: on a 100k-node model the MAC total's
/// partial sums were half of the context's memory. This interns one partial
/// sum per kBatch terms. The result equals the chain's (null when a term is
/// null or the sum overflows).
class ExprSum {
public:
  explicit ExprSum(SymContext &S) : S(S) {}
  void add(Expr E) {
    if (Pending.size() == kBatch)
      flush();
    Pending.push_back(E);
  }
  /// The sum so far (0 for no terms).
  Expr get() {
    flush();
    return Pending.front();
  }

private:
  static constexpr size_t kBatch = 512;
  void flush() {
    Expr Sum = Pending.empty() ? S.constant(0) : S.sum(Pending);
    Pending.clear();
    Pending.push_back(Sum);
  }
  SymContext &S;
  llvm::SmallVector<Expr, 16> Pending;
};

inline llvm::hash_code hash_value(Expr E) { return E.hash(); }

} // namespace opaudit

namespace llvm {
/// Lets opaudit::Expr be a DenseMap / DenseSet key directly.
template <> struct DenseMapInfo<opaudit::Expr> {
  static opaudit::Expr getEmptyKey() {
    return opaudit::Expr::fromOpaque(DenseMapInfo<const void *>::getEmptyKey());
  }
  static opaudit::Expr getTombstoneKey() {
    return opaudit::Expr::fromOpaque(DenseMapInfo<const void *>::getTombstoneKey());
  }
  static unsigned getHashValue(const opaudit::Expr &E) { return unsigned(E.hash()); }
  static bool isEqual(const opaudit::Expr &A, const opaudit::Expr &B) { return A == B; }
};
} // namespace llvm

template <> struct std::hash<opaudit::Expr> {
  size_t operator()(const opaudit::Expr &E) const { return E.hash(); }
};

#endif // OPAUDIT_ANALYZER_SYM_H
