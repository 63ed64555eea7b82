//===- Sym.cpp - Exact symbolic integer expressions -----------------------===//
//
// Implements the hash-consed canonical expressions declared in Sym.h. Every
// expression is a polynomial with int64 coefficients over monomials, a
// monomial being a sorted product of atom^power; atoms are symbols and opaque
// FloorDiv/Mod/Min/Max nodes whose operands are canonical themselves. Monomials,
// polynomials and atoms are interned in DenseSets and allocated in a bump
// allocator; small constants are packed into the Expr word. Term and atom
// order is structural (names, kinds, operands), never pointer order, so output
// is deterministic. The order is graded lexicographic, a monomial order, which
// makes exact multivariate division by a single polynomial work (Reshape -1).
// All coefficient arithmetic is checked and an overflow yields the null Expr.
//
//===----------------------------------------------------------------------===//

#include "ir/Sym.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <limits>
#include <new>
#include <numeric>
#include <ostream>
#include <unordered_map>
#include <utility>

using namespace llvm;

namespace opaudit {

namespace {

static_assert(sizeof(uintptr_t) == 8, "Expr packs 63-bit constants into a 64-bit word");

/// Constants in this range are stored inline in the Expr word as (V << 1) | 1.
constexpr int64_t InlineMin = -(int64_t(1) << 62);
constexpr int64_t InlineMax = (int64_t(1) << 62) - 1;
constexpr int64_t I64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t I64Max = std::numeric_limits<int64_t>::max();
/// Exact division gives up (keeps the opaque atom) after this many steps.
constexpr unsigned MaxDivisionSteps = 4096;

/// Node kinds; the order of the atom kinds is part of the canonical order.
enum class Kind : uint8_t { Symbol, FloorDiv, Mod, Min, Max, Mono, Poly, BigConst };

struct alignas(8) Node {
  Kind K;
  bool HasFresh = false; ///< mentions a fresh symbol
  bool NonNeg = false;   ///< atoms and monomials: provably >= 0
  unsigned Hash = 0;     ///< interning hash (pointer based, not stable across runs)
  explicit Node(Kind K) : K(K) {}
};

struct MonoNode;

struct AtomNode : Node {
  const MonoNode *Unit = nullptr; ///< the monomial atom^1
  using Node::Node;
};

struct SymbolNode : AtomNode {
  StringRef Name;
  bool Fresh = false;
  SymbolNode() : AtomNode(Kind::Symbol) {}
};

/// FloorDiv, Mod, Min or Max of two canonical Expr words.
struct BinNode : AtomNode {
  uintptr_t L = 0, R = 0;
  explicit BinNode(Kind K) : AtomNode(K) {}
};

struct Factor {
  const AtomNode *Atom;
  uint32_t Pow;
  bool operator==(const Factor &O) const { return Atom == O.Atom && Pow == O.Pow; }
};

/// A product of atom^power, factors sorted by atom order; followed in memory by
/// its factors. The constant monomial 1 is represented by nullptr.
struct MonoNode : Node {
  uint64_t Degree = 0;
  uint32_t NumFactors = 0;
  MonoNode() : Node(Kind::Mono) {}
  ArrayRef<Factor> factors() const {
    return {reinterpret_cast<const Factor *>(this + 1), NumFactors};
  }
};

struct Term {
  int64_t Coef;
  const MonoNode *Mono; ///< nullptr for the constant term
  bool operator==(const Term &O) const { return Coef == O.Coef && Mono == O.Mono; }
};

/// A canonical polynomial that is neither a constant nor a single atom;
/// followed in memory by its terms, sorted by monomial order, constant last.
struct PolyNode : Node {
  uint32_t NumTerms = 0;
  PolyNode() : Node(Kind::Poly) {}
  ArrayRef<Term> terms() const { return {reinterpret_cast<const Term *>(this + 1), NumTerms}; }
};

/// A constant outside the inline range.
struct BigConstNode : Node {
  int64_t Value;
  explicit BigConstNode(int64_t V) : Node(Kind::BigConst), Value(V) {}
};

static_assert(sizeof(MonoNode) % alignof(Factor) == 0, "factors follow the node");
static_assert(sizeof(PolyNode) % alignof(Term) == 0, "terms follow the node");

using TermVec = SmallVector<Term, 8>;

//===----------------------------------------------------------------------===//
// Expr words
//===----------------------------------------------------------------------===//

const Node *nodeOf(uintptr_t W) { return (W & 1) ? nullptr : reinterpret_cast<const Node *>(W); }
uintptr_t wordOf(const Node *N) { return reinterpret_cast<uintptr_t>(N); }

std::optional<int64_t> constOf(uintptr_t W) {
  if (!W)
    return std::nullopt;
  if (W & 1)
    return static_cast<int64_t>(W) >> 1;
  const Node *N = nodeOf(W);
  if (N->K == Kind::BigConst)
    return static_cast<const BigConstNode *>(N)->Value;
  return std::nullopt;
}

/// The terms of the non-null word \p W; \p Scratch backs single-term views.
ArrayRef<Term> view(uintptr_t W, Term &Scratch) {
  if (auto C = constOf(W)) {
    if (*C == 0)
      return {};
    Scratch = {*C, nullptr};
    return {&Scratch, 1};
  }
  const Node *N = nodeOf(W);
  if (N->K == Kind::Poly)
    return static_cast<const PolyNode *>(N)->terms();
  Scratch = {1, static_cast<const AtomNode *>(N)->Unit};
  return {&Scratch, 1};
}

const BinNode *asBin(const AtomNode *A) {
  return A->K == Kind::Symbol ? nullptr : static_cast<const BinNode *>(A);
}

//===----------------------------------------------------------------------===//
// Checked integer helpers (Python semantics for division)
//===----------------------------------------------------------------------===//

std::optional<int64_t> checkedNeg(int64_t A) {
  int64_t R;
  if (__builtin_sub_overflow(int64_t(0), A, &R))
    return std::nullopt;
  return R;
}

/// floor(A / B) for B != 0; nullopt on overflow (INT64_MIN / -1).
std::optional<int64_t> pyFloorDiv(int64_t A, int64_t B) {
  if (B == -1)
    return checkedNeg(A);
  int64_t Q = A / B;
  if (A % B != 0 && ((A % B < 0) != (B < 0)))
    --Q;
  return Q;
}

/// A mod B for B != 0, with the sign of B.
int64_t pyMod(int64_t A, int64_t B) {
  if (B == -1)
    return 0;
  int64_t R = A % B;
  if (R != 0 && ((R < 0) != (B < 0)))
    R += B;
  return R;
}

std::optional<int64_t> checkedPow(int64_t Base, uint64_t Exp) {
  int64_t Result = 1;
  while (Exp) {
    if ((Exp & 1) && __builtin_mul_overflow(Result, Base, &Result))
      return std::nullopt;
    Exp >>= 1;
    if (Exp && __builtin_mul_overflow(Base, Base, &Base))
      return std::nullopt;
  }
  return Result;
}

uint64_t absU(int64_t V) { return V < 0 ? uint64_t(0) - uint64_t(V) : uint64_t(V); }

bool fitsI64(__int128 V) { return V >= I64Min && V <= I64Max; }

//===----------------------------------------------------------------------===//
// Structural order
//===----------------------------------------------------------------------===//

int cmpWord(uintptr_t A, uintptr_t B);

/// Atom order: by kind, then symbols by name (named before fresh on a tie),
/// binary atoms by operands.
int cmpAtom(const AtomNode *A, const AtomNode *B) {
  if (A == B)
    return 0;
  if (A->K != B->K)
    return A->K < B->K ? -1 : 1;
  if (A->K == Kind::Symbol) {
    auto *SA = static_cast<const SymbolNode *>(A), *SB = static_cast<const SymbolNode *>(B);
    if (int C = SA->Name.compare(SB->Name))
      return C;
    return SA->Fresh == SB->Fresh ? 0 : (SA->Fresh ? 1 : -1);
  }
  auto *BA = static_cast<const BinNode *>(A), *BB = static_cast<const BinNode *>(B);
  if (int C = cmpWord(BA->L, BB->L))
    return C;
  return cmpWord(BA->R, BB->R);
}

/// Graded lexicographic monomial order: higher total degree first; then the
/// first differing factor decides (the smaller atom, or the same atom with a
/// higher power, comes first). This is compatible with multiplication.
int cmpMono(const MonoNode *A, const MonoNode *B) {
  if (A == B)
    return 0;
  uint64_t DA = A ? A->Degree : 0, DB = B ? B->Degree : 0;
  if (DA != DB)
    return DA > DB ? -1 : 1;
  ArrayRef<Factor> FA = A ? A->factors() : ArrayRef<Factor>();
  ArrayRef<Factor> FB = B ? B->factors() : ArrayRef<Factor>();
  for (size_t I = 0, E = std::min(FA.size(), FB.size()); I != E; ++I) {
    if (int C = cmpAtom(FA[I].Atom, FB[I].Atom))
      return C;
    if (FA[I].Pow != FB[I].Pow)
      return FA[I].Pow > FB[I].Pow ? -1 : 1;
  }
  if (FA.size() != FB.size())
    return FA.size() > FB.size() ? -1 : 1;
  return 0;
}

int cmpTerms(ArrayRef<Term> A, ArrayRef<Term> B) {
  for (size_t I = 0, E = std::min(A.size(), B.size()); I != E; ++I) {
    if (int C = cmpMono(A[I].Mono, B[I].Mono))
      return C;
    if (A[I].Coef != B[I].Coef)
      return A[I].Coef < B[I].Coef ? -1 : 1;
  }
  if (A.size() != B.size())
    return A.size() < B.size() ? -1 : 1;
  return 0;
}

int cmpWord(uintptr_t A, uintptr_t B) {
  if (A == B)
    return 0;
  if (!A || !B)
    return !A ? -1 : 1;
  Term SA, SB;
  return cmpTerms(view(A, SA), view(B, SB));
}

//===----------------------------------------------------------------------===//
// Facts
//===----------------------------------------------------------------------===//

bool hasFresh(uintptr_t W) {
  const Node *N = nodeOf(W);
  return W && N && N->HasFresh;
}

/// The polynomial is provably >= 0 (if \p Sign is 1) or <= 0 (if -1): every
/// coefficient has that sign and every monomial is >= 0 (symbols are
/// dimensions, so >= 0).
bool hasSign(ArrayRef<Term> Ts, int Sign) {
  for (const Term &T : Ts)
    if ((Sign > 0 ? T.Coef < 0 : T.Coef > 0) || (T.Mono && !T.Mono->NonNeg))
      return false;
  return true;
}

/// Provably >= 0.
bool nonNegWord(uintptr_t W) {
  if (!W)
    return false;
  Term S;
  return hasSign(view(W, S), 1);
}

//===----------------------------------------------------------------------===//
// Interning tables
//===----------------------------------------------------------------------===//

template <typename NodeT> struct PtrKeys {
  static NodeT *getEmptyKey() { return DenseMapInfo<NodeT *>::getEmptyKey(); }
  static NodeT *getTombstoneKey() { return DenseMapInfo<NodeT *>::getTombstoneKey(); }
  static bool isReal(const NodeT *N) { return N != getEmptyKey() && N != getTombstoneKey(); }
  static unsigned getHashValue(const NodeT *N) { return N->Hash; }
  static bool isEqual(const NodeT *A, const NodeT *B) { return A == B; }
};

struct MonoKey {
  ArrayRef<Factor> F;
  unsigned Hash;
};
struct MonoInfo : PtrKeys<MonoNode> {
  using PtrKeys<MonoNode>::getHashValue;
  using PtrKeys<MonoNode>::isEqual;
  static unsigned getHashValue(const MonoKey &K) { return K.Hash; }
  static bool isEqual(const MonoKey &K, const MonoNode *N) {
    return isReal(N) && K.F == N->factors();
  }
};

struct PolyKey {
  ArrayRef<Term> T;
  unsigned Hash;
};
struct PolyInfo : PtrKeys<PolyNode> {
  using PtrKeys<PolyNode>::getHashValue;
  using PtrKeys<PolyNode>::isEqual;
  static unsigned getHashValue(const PolyKey &K) { return K.Hash; }
  static bool isEqual(const PolyKey &K, const PolyNode *N) {
    return isReal(N) && K.T == N->terms();
  }
};

struct BinKey {
  Kind K;
  uintptr_t L, R;
  unsigned Hash;
};
struct BinInfo : PtrKeys<BinNode> {
  using PtrKeys<BinNode>::getHashValue;
  using PtrKeys<BinNode>::isEqual;
  static unsigned getHashValue(const BinKey &K) { return K.Hash; }
  static bool isEqual(const BinKey &K, const BinNode *N) {
    return isReal(N) && K.K == N->K && K.L == N->L && K.R == N->R;
  }
};

unsigned hashFactors(ArrayRef<Factor> F) {
  hash_code H = llvm::hash_value(F.size());
  for (const Factor &X : F)
    H = hash_combine(H, X.Atom, X.Pow);
  return unsigned(size_t(H));
}

unsigned hashTerms(ArrayRef<Term> T) {
  hash_code H = llvm::hash_value(T.size());
  for (const Term &X : T)
    H = hash_combine(H, X.Coef, X.Mono);
  return unsigned(size_t(H));
}

/// A term with a wide coefficient, for exact accumulation before the final
/// range check.
struct WideTerm {
  __int128 Coef;
  const MonoNode *Mono;
};

/// Sorts \p W by monomial order, adds up like terms and drops zeros into
/// \p Out. False if a coefficient does not fit in int64.
bool combineWide(SmallVectorImpl<WideTerm> &W, TermVec &Out) {
  std::sort(W.begin(), W.end(),
            [](const WideTerm &A, const WideTerm &B) { return cmpMono(A.Mono, B.Mono) < 0; });
  Out.clear();
  for (size_t I = 0; I != W.size();) {
    __int128 Acc = 0;
    const MonoNode *M = W[I].Mono;
    for (; I != W.size() && W[I].Mono == M; ++I)
      if (__builtin_add_overflow(Acc, W[I].Coef, &Acc))
        return false;
    if (Acc == 0)
      continue;
    if (!fitsI64(Acc))
      return false;
    Out.push_back({int64_t(Acc), M});
  }
  return true;
}

} // namespace

//===----------------------------------------------------------------------===//
// SymContext::Impl
//===----------------------------------------------------------------------===//

/// Works on raw Expr words (0 is null) so that it needs no access to Expr.
struct SymContext::Impl {
  BumpPtrAllocator Alloc;
  StringMap<SymbolNode *> Named;
  StringSet<> Names; ///< every symbol name in use, named or fresh
  unsigned FreshCounter = 0;
  DenseSet<MonoNode *, MonoInfo> Monos;
  DenseSet<PolyNode *, PolyInfo> Polys;
  DenseSet<BinNode *, BinInfo> Bins;
  std::unordered_map<int64_t, BigConstNode *> Bigs;
  DenseMap<std::pair<const MonoNode *, const MonoNode *>, const MonoNode *> MonoProducts;
  size_t NumNodes = 0;

  // Construction and interning.
  uintptr_t constant(int64_t V);
  const MonoNode *internMono(ArrayRef<Factor> F);
  uintptr_t newSymbol(StringRef Name, bool Fresh);
  uintptr_t internBin(Kind K, uintptr_t L, uintptr_t R);
  uintptr_t make(ArrayRef<Term> T);

  // Polynomial arithmetic on canonical term lists.
  bool mulMono(const MonoNode *A, const MonoNode *B, const MonoNode *&Out);
  bool divMono(const MonoNode *A, const MonoNode *B, const MonoNode *&Out);
  bool addScaled(ArrayRef<Term> A, ArrayRef<Term> B, int64_t S, TermVec &Out);
  bool mulTerms(ArrayRef<Term> A, ArrayRef<Term> B, TermVec &Out);
  bool divExact(ArrayRef<Term> P, ArrayRef<Term> Q, TermVec &Out);

  // Operations on words.
  uintptr_t add(uintptr_t A, uintptr_t B, int64_t S = 1);
  uintptr_t mul(uintptr_t A, uintptr_t B);
  uintptr_t neg(uintptr_t A) { return A ? add(constant(0), A, -1) : 0; }
  uintptr_t pow(uintptr_t A, uint64_t N);
  uintptr_t sum(ArrayRef<uintptr_t> Ws);
  uintptr_t floorDiv(uintptr_t A, uintptr_t B);
  uintptr_t floorDivConst(uintptr_t A, int64_t C);
  uintptr_t mod(uintptr_t A, uintptr_t B);
  uintptr_t modConst(uintptr_t A, int64_t C);
  uintptr_t minMax(Kind K, uintptr_t A, uintptr_t B);
  uintptr_t applyBin(Kind K, uintptr_t A, uintptr_t B);
  bool normalizeFraction(TermVec &P, TermVec &Q, int64_t &Sign, int64_t &Gcd);

  // Traversals.
  using SubstMemo = DenseMap<const Node *, uintptr_t>;
  uintptr_t substWord(uintptr_t W, function_ref<uintptr_t(StringRef)> Bind, SubstMemo &Memo);
  uintptr_t substAtom(const AtomNode *A, function_ref<uintptr_t(StringRef)> Bind, SubstMemo &Memo);
  using EvalMemo = DenseMap<const Node *, std::optional<int64_t>>;
  std::optional<int64_t> evalWord(uintptr_t W, const StringMap<int64_t> &Binds, EvalMemo &Memo);
  std::optional<int64_t> evalAtom(const AtomNode *A, const StringMap<int64_t> &Binds,
                                  EvalMemo &Memo);
};

uintptr_t SymContext::Impl::constant(int64_t V) {
  if (V >= InlineMin && V <= InlineMax)
    return (uint64_t(V) << 1) | 1;
  auto [It, Inserted] = Bigs.try_emplace(V, nullptr);
  if (Inserted) {
    It->second = new (Alloc.Allocate<BigConstNode>()) BigConstNode(V);
    ++NumNodes;
  }
  return wordOf(It->second);
}

const MonoNode *SymContext::Impl::internMono(ArrayRef<Factor> F) {
  if (F.empty())
    return nullptr;
  MonoKey Key{F, hashFactors(F)};
  auto It = Monos.find_as(Key);
  if (It != Monos.end())
    return *It;
  void *Mem = Alloc.Allocate(sizeof(MonoNode) + F.size() * sizeof(Factor), alignof(MonoNode));
  auto *M = new (Mem) MonoNode();
  M->NumFactors = uint32_t(F.size());
  M->Hash = Key.Hash;
  M->NonNeg = true;
  std::uninitialized_copy(F.begin(), F.end(), reinterpret_cast<Factor *>(M + 1));
  for (const Factor &X : F) {
    M->Degree += X.Pow;
    M->HasFresh |= X.Atom->HasFresh;
    if (X.Pow % 2 != 0 && !X.Atom->NonNeg)
      M->NonNeg = false;
  }
  Monos.insert(M);
  ++NumNodes;
  return M;
}

uintptr_t SymContext::Impl::newSymbol(StringRef Name, bool Fresh) {
  char *Buf = Alloc.Allocate<char>(Name.size() + 1);
  std::copy(Name.begin(), Name.end(), Buf);
  Buf[Name.size()] = '\0';
  auto *S = new (Alloc.Allocate<SymbolNode>()) SymbolNode();
  S->Name = StringRef(Buf, Name.size());
  S->Fresh = Fresh;
  S->HasFresh = Fresh;
  S->NonNeg = true; // a dimension
  ++NumNodes;
  S->Unit = internMono(Factor{S, 1});
  Names.insert(Name);
  return wordOf(S);
}

uintptr_t SymContext::Impl::internBin(Kind K, uintptr_t L, uintptr_t R) {
  BinKey Key{K, L, R, unsigned(size_t(hash_combine(uint8_t(K), L, R)))};
  auto It = Bins.find_as(Key);
  if (It != Bins.end())
    return wordOf(*It);
  auto *B = new (Alloc.Allocate<BinNode>()) BinNode(K);
  B->L = L;
  B->R = R;
  B->Hash = Key.Hash;
  B->HasFresh = hasFresh(L) || hasFresh(R);
  switch (K) {
  case Kind::FloorDiv: // a defined floor(P/Q) with P >= 0, Q >= 0 has Q > 0
    B->NonNeg = nonNegWord(L) && nonNegWord(R);
    break;
  case Kind::Mod: // the result has the sign of the divisor
    B->NonNeg = nonNegWord(R);
    break;
  case Kind::Min:
    B->NonNeg = nonNegWord(L) && nonNegWord(R);
    break;
  case Kind::Max:
    B->NonNeg = nonNegWord(L) || nonNegWord(R);
    break;
  default:
    llvm_unreachable("not a binary atom");
  }
  Bins.insert(B);
  ++NumNodes;
  B->Unit = internMono(Factor{B, 1});
  return wordOf(B);
}

/// Interns the canonical term list \p T (sorted, combined, no zero coefs).
uintptr_t SymContext::Impl::make(ArrayRef<Term> T) {
  if (T.empty())
    return constant(0);
  if (T.size() == 1) {
    if (!T[0].Mono)
      return constant(T[0].Coef);
    ArrayRef<Factor> F = T[0].Mono->factors();
    if (T[0].Coef == 1 && F.size() == 1 && F[0].Pow == 1)
      return wordOf(F[0].Atom);
  }
  PolyKey Key{T, hashTerms(T)};
  auto It = Polys.find_as(Key);
  if (It != Polys.end())
    return wordOf(*It);
  void *Mem = Alloc.Allocate(sizeof(PolyNode) + T.size() * sizeof(Term), alignof(PolyNode));
  auto *P = new (Mem) PolyNode();
  P->NumTerms = uint32_t(T.size());
  P->Hash = Key.Hash;
  std::uninitialized_copy(T.begin(), T.end(), reinterpret_cast<Term *>(P + 1));
  for (const Term &X : T)
    P->HasFresh |= X.Mono && X.Mono->HasFresh;
  Polys.insert(P);
  ++NumNodes;
  return wordOf(P);
}

//===----------------------------------------------------------------------===//
// Polynomial arithmetic
//===----------------------------------------------------------------------===//

bool SymContext::Impl::mulMono(const MonoNode *A, const MonoNode *B, const MonoNode *&Out) {
  if (!A || !B) {
    Out = A ? A : B;
    return true;
  }
  auto Key = A < B ? std::make_pair(A, B) : std::make_pair(B, A);
  auto It = MonoProducts.find(Key);
  if (It != MonoProducts.end()) {
    Out = It->second;
    return true;
  }
  SmallVector<Factor, 8> F;
  ArrayRef<Factor> FA = A->factors(), FB = B->factors();
  size_t I = 0, J = 0;
  while (I != FA.size() || J != FB.size()) {
    int C = I == FA.size() ? 1 : J == FB.size() ? -1 : cmpAtom(FA[I].Atom, FB[J].Atom);
    if (C < 0) {
      F.push_back(FA[I++]);
    } else if (C > 0) {
      F.push_back(FB[J++]);
    } else {
      uint32_t P;
      if (__builtin_add_overflow(FA[I].Pow, FB[J].Pow, &P))
        return false;
      F.push_back({FA[I].Atom, P});
      ++I, ++J;
    }
  }
  Out = internMono(F);
  MonoProducts[Key] = Out;
  return true;
}

/// Out = A / B if B divides A as a monomial.
bool SymContext::Impl::divMono(const MonoNode *A, const MonoNode *B, const MonoNode *&Out) {
  if (!B) {
    Out = A;
    return true;
  }
  if (!A || A->Degree < B->Degree)
    return false;
  SmallVector<Factor, 8> F;
  ArrayRef<Factor> FA = A->factors(), FB = B->factors();
  size_t J = 0;
  for (const Factor &X : FA) {
    if (J != FB.size() && FB[J].Atom == X.Atom) {
      if (FB[J].Pow > X.Pow)
        return false;
      if (X.Pow != FB[J].Pow)
        F.push_back({X.Atom, X.Pow - FB[J].Pow});
      ++J;
    } else {
      F.push_back(X);
    }
  }
  if (J != FB.size())
    return false;
  Out = internMono(F);
  return true;
}

/// Out = A + S*B.
bool SymContext::Impl::addScaled(ArrayRef<Term> A, ArrayRef<Term> B, int64_t S, TermVec &Out) {
  Out.clear();
  Out.reserve(A.size() + B.size());
  size_t I = 0, J = 0;
  while (I != A.size() || J != B.size()) {
    int C = I == A.size() ? 1 : J == B.size() ? -1 : cmpMono(A[I].Mono, B[J].Mono);
    int64_t V;
    const MonoNode *M;
    if (C < 0) {
      V = A[I].Coef;
      M = A[I++].Mono;
    } else {
      __int128 Wide = __int128(S) * B[J].Coef; // exact: |S|, |Coef| <= 2^63
      if (C == 0 && __builtin_add_overflow(Wide, __int128(A[I++].Coef), &Wide))
        return false;
      M = B[J++].Mono;
      if (!fitsI64(Wide))
        return false;
      V = int64_t(Wide);
    }
    if (V != 0)
      Out.push_back({V, M});
  }
  return true;
}

bool SymContext::Impl::mulTerms(ArrayRef<Term> A, ArrayRef<Term> B, TermVec &Out) {
  Out.clear();
  if (A.empty() || B.empty())
    return true;
  if (A.size() == 1 && !A[0].Mono)
    std::swap(A, B);
  if (B.size() == 1 && !B[0].Mono) { // scaling keeps the order
    for (const Term &T : A) {
      int64_t V;
      if (__builtin_mul_overflow(T.Coef, B[0].Coef, &V))
        return false;
      Out.push_back({V, T.Mono});
    }
    return true;
  }
  SmallVector<WideTerm, 16> W;
  W.reserve(A.size() * B.size());
  for (const Term &X : A)
    for (const Term &Y : B) {
      const MonoNode *M;
      if (!mulMono(X.Mono, Y.Mono, M))
        return false;
      W.push_back({__int128(X.Coef) * Y.Coef, M});
    }
  return combineWide(W, Out);
}

/// Exact polynomial division: Out = P / Q if Q divides P with an integer
/// quotient. Since the term order is a monomial order, repeatedly dividing the
/// leading term finds the quotient whenever one exists.
bool SymContext::Impl::divExact(ArrayRef<Term> P, ArrayRef<Term> Q, TermVec &Out) {
  Out.clear();
  if (Q.empty())
    return false;
  TermVec Rem(P.begin(), P.end()), Prod, Next;
  const Term &Lead = Q.front();
  for (unsigned Steps = 0; !Rem.empty(); ++Steps) {
    if (Steps == MaxDivisionSteps)
      return false;
    const MonoNode *M;
    if (!divMono(Rem.front().Mono, Lead.Mono, M))
      return false;
    if (Rem.front().Coef % Lead.Coef != 0)
      return false;
    std::optional<int64_t> C = pyFloorDiv(Rem.front().Coef, Lead.Coef);
    if (!C)
      return false;
    Out.push_back({*C, M}); // leading terms strictly decrease, so Out stays sorted
    Prod.clear();
    for (const Term &T : Q) { // multiplying by a term keeps the order
      int64_t V;
      const MonoNode *PM;
      if (__builtin_mul_overflow(T.Coef, *C, &V) || !mulMono(T.Mono, M, PM))
        return false;
      Prod.push_back({V, PM});
    }
    if (!addScaled(Rem, Prod, -1, Next))
      return false;
    std::swap(Rem, Next);
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Operations on words
//===----------------------------------------------------------------------===//

uintptr_t SymContext::Impl::add(uintptr_t A, uintptr_t B, int64_t S) {
  if (!A || !B)
    return 0;
  auto CA = constOf(A), CB = constOf(B);
  if (CA && CB) {
    __int128 R = __int128(*CB) * S; // exact
    if (__builtin_add_overflow(R, __int128(*CA), &R) || !fitsI64(R))
      return 0;
    return constant(int64_t(R));
  }
  Term SA, SB;
  TermVec Out;
  if (!addScaled(view(A, SA), view(B, SB), S, Out))
    return 0;
  return make(Out);
}

uintptr_t SymContext::Impl::mul(uintptr_t A, uintptr_t B) {
  if (!A || !B)
    return 0;
  auto CA = constOf(A), CB = constOf(B);
  if (CA && CB) {
    int64_t R;
    if (__builtin_mul_overflow(*CA, *CB, &R))
      return 0;
    return constant(R);
  }
  Term SA, SB;
  TermVec Out;
  if (!mulTerms(view(A, SA), view(B, SB), Out))
    return 0;
  return make(Out);
}

uintptr_t SymContext::Impl::pow(uintptr_t A, uint64_t N) {
  if (!A)
    return 0;
  uintptr_t Result = constant(1);
  while (N) {
    if (N & 1)
      Result = mul(Result, A);
    N >>= 1;
    if (N)
      A = mul(A, A);
    if (!Result || !A)
      return 0;
  }
  return Result;
}

uintptr_t SymContext::Impl::sum(ArrayRef<uintptr_t> Ws) {
  SmallVector<WideTerm, 16> W;
  for (uintptr_t X : Ws) {
    if (!X)
      return 0;
    Term S;
    for (const Term &T : view(X, S))
      W.push_back({T.Coef, T.Mono});
  }
  TermVec Out;
  if (!combineWide(W, Out))
    return 0;
  return make(Out);
}

/// Divides P and Q by the gcd of all their coefficients and makes Q's leading
/// coefficient positive; Sign * Gcd is the factor taken out of both.
bool SymContext::Impl::normalizeFraction(TermVec &P, TermVec &Q, int64_t &Sign, int64_t &Gcd) {
  uint64_t G = 0;
  for (const Term &T : P)
    G = std::gcd(G, absU(T.Coef));
  for (const Term &T : Q)
    G = std::gcd(G, absU(T.Coef));
  Gcd = 1;
  if (G > 1 && G <= uint64_t(I64Max)) {
    Gcd = int64_t(G);
    for (Term &T : P)
      T.Coef /= Gcd;
    for (Term &T : Q)
      T.Coef /= Gcd;
  }
  Sign = 1;
  if (!Q.empty() && Q.front().Coef < 0) {
    Sign = -1;
    for (TermVec *V : {&P, &Q})
      for (Term &T : *V) {
        auto N = checkedNeg(T.Coef);
        if (!N)
          return false;
        T.Coef = *N;
      }
  }
  return true;
}

uintptr_t SymContext::Impl::floorDiv(uintptr_t A, uintptr_t B) {
  if (!A || !B)
    return 0;
  if (auto CB = constOf(B)) {
    if (*CB == 0)
      return 0;
    if (auto CA = constOf(A)) {
      auto Q = pyFloorDiv(*CA, *CB);
      return Q ? constant(*Q) : 0;
    }
    return floorDivConst(A, *CB);
  }
  Term SA, SB;
  ArrayRef<Term> P = view(A, SA), Q = view(B, SB);
  TermVec X;
  if (divExact(P, Q, X)) // assumes the divisor is non-zero where evaluated
    return make(X);
  TermVec P2(P.begin(), P.end()), Q2(Q.begin(), Q.end());
  int64_t Sign, Gcd;
  if (!normalizeFraction(P2, Q2, Sign, Gcd)) // floor(gP/gQ) = floor(P/Q)
    return 0;
  return internBin(Kind::FloorDiv, make(P2), make(Q2));
}

/// floor(A / C) for a non-constant A and a constant C != 0.
uintptr_t SymContext::Impl::floorDivConst(uintptr_t A, int64_t C) {
  Term S;
  ArrayRef<Term> PA = view(A, S);
  TermVec P(PA.begin(), PA.end());
  if (C < 0) { // floor(P / C) = floor(-P / -C)
    auto NC = checkedNeg(C);
    if (!NC)
      return 0;
    C = *NC;
    for (Term &T : P) {
      auto N = checkedNeg(T.Coef);
      if (!N)
        return 0;
      T.Coef = *N;
    }
  }
  if (C == 1)
    return make(P);
  // P = C*Q + R with every coefficient of R in [0, C). All atoms are integers,
  // so floor(P / C) = Q + floor(R / C).
  TermVec Q, R;
  for (const Term &T : P) {
    int64_t Qc = T.Coef / C, Rc = T.Coef % C;
    if (Rc < 0)
      --Qc, Rc += C;
    if (Qc)
      Q.push_back({Qc, T.Mono});
    if (Rc)
      R.push_back({Rc, T.Mono});
  }
  if (R.empty() || (R.size() == 1 && !R[0].Mono)) // floor(r / C) = 0
    return make(Q);
  // floor((g*X + r) / (g*c)) = floor((X + floor(r/g)) / c).
  uint64_t G = uint64_t(C);
  for (const Term &T : R)
    if (T.Mono)
      G = std::gcd(G, uint64_t(T.Coef));
  if (G > 1) {
    for (Term &T : R)
      T.Coef /= int64_t(G);
    if (!R.back().Mono && R.back().Coef == 0)
      R.pop_back();
    C /= int64_t(G);
  }
  uintptr_t Result = 0;
  // floor((floor(X/a) + k) / C) = floor((X + a*k) / (a*C)) for a > 0.
  if (R.size() <= 2 && R[0].Coef == 1 && R[0].Mono->NumFactors == 1 &&
      R[0].Mono->factors()[0].Pow == 1 && (R.size() == 1 || !R[1].Mono)) {
    const BinNode *Inner = asBin(R[0].Mono->factors()[0].Atom);
    std::optional<int64_t> InnerC = Inner ? constOf(Inner->R) : std::nullopt;
    int64_t K = R.size() == 2 ? R[1].Coef : 0, AK, AC;
    if (Inner && Inner->K == Kind::FloorDiv && InnerC && !__builtin_mul_overflow(*InnerC, K, &AK) &&
        !__builtin_mul_overflow(*InnerC, C, &AC))
      if (uintptr_t X = add(Inner->L, constant(AK)))
        Result = floorDiv(X, constant(AC));
  }
  if (!Result)
    Result = internBin(Kind::FloorDiv, make(R), constant(C));
  Term SR;
  TermVec Out;
  if (!addScaled(Q, view(Result, SR), 1, Out))
    return 0;
  return make(Out);
}

uintptr_t SymContext::Impl::mod(uintptr_t A, uintptr_t B) {
  if (!A || !B)
    return 0;
  if (auto CB = constOf(B)) {
    if (*CB == 0)
      return 0;
    if (auto CA = constOf(A))
      return constant(pyMod(*CA, *CB));
    if (*CB == 1 || *CB == -1)
      return constant(0);
    if (*CB < 0) { // mod(P, C) = -mod(-P, -C)
      auto NC = checkedNeg(*CB);
      if (!NC)
        return 0;
      uintptr_t NA = neg(A);
      return NA ? neg(modConst(NA, *NC)) : 0;
    }
    return modConst(A, *CB);
  }
  Term SA, SB;
  ArrayRef<Term> P = view(A, SA), Q = view(B, SB);
  TermVec X;
  if (divExact(P, Q, X)) // assumes the divisor is non-zero where evaluated
    return constant(0);
  TermVec P2(P.begin(), P.end()), Q2(Q.begin(), Q.end());
  int64_t Sign, Gcd;
  if (!normalizeFraction(P2, Q2, Sign, Gcd)) // mod(s*g*P, s*g*Q) = s*g*mod(P, Q)
    return 0;
  return mul(internBin(Kind::Mod, make(P2), make(Q2)), constant(Sign * Gcd));
}

/// A mod C for a non-null A and a constant C >= 2.
uintptr_t SymContext::Impl::modConst(uintptr_t A, int64_t C) {
  if (!A)
    return 0;
  if (auto CA = constOf(A))
    return constant(pyMod(*CA, C));
  // P = C*Q + R with R's coefficients in [0, C), so P mod C = R mod C.
  Term S;
  TermVec R;
  for (const Term &T : view(A, S))
    if (int64_t Rc = pyMod(T.Coef, C))
      R.push_back({Rc, T.Mono});
  if (R.empty())
    return constant(0);
  if (R.size() == 1 && !R[0].Mono)
    return constant(R[0].Coef);
  // mod(g*Y + r, g*c) = g*mod(Y + floor(r/g), c) + r mod g.
  uint64_t G = uint64_t(C);
  for (const Term &T : R)
    if (T.Mono)
      G = std::gcd(G, uint64_t(T.Coef));
  if (G == 1)
    return internBin(Kind::Mod, make(R), constant(C));
  int64_t Gs = int64_t(G), Rest = 0;
  for (Term &T : R) {
    if (!T.Mono)
      Rest = T.Coef % Gs;
    T.Coef /= Gs;
  }
  if (!R.back().Mono && R.back().Coef == 0)
    R.pop_back();
  uintptr_t Inner = internBin(Kind::Mod, make(R), constant(C / Gs));
  return add(mul(Inner, constant(Gs)), constant(Rest));
}

uintptr_t SymContext::Impl::minMax(Kind K, uintptr_t A, uintptr_t B) {
  if (!A || !B)
    return 0;
  if (A == B)
    return A;
  bool IsMax = K == Kind::Max;
  auto CA = constOf(A), CB = constOf(B);
  if (CA && CB)
    return constant(IsMax ? std::max(*CA, *CB) : std::min(*CA, *CB));
  Term SA, SB;
  TermVec D; // A - B, not interned
  if (addScaled(view(A, SA), view(B, SB), -1, D)) {
    if (hasSign(D, 1)) // A >= B
      return IsMax ? A : B;
    if (hasSign(D, -1)) // A <= B
      return IsMax ? B : A;
  }
  if (cmpWord(A, B) > 0) // commutative: canonical operand order
    std::swap(A, B);
  return internBin(K, A, B);
}

uintptr_t SymContext::Impl::applyBin(Kind K, uintptr_t A, uintptr_t B) {
  switch (K) {
  case Kind::FloorDiv:
    return floorDiv(A, B);
  case Kind::Mod:
    return mod(A, B);
  case Kind::Min:
  case Kind::Max:
    return minMax(K, A, B);
  default:
    llvm_unreachable("not a binary atom");
  }
}

//===----------------------------------------------------------------------===//
// Traversals
//===----------------------------------------------------------------------===//

uintptr_t SymContext::Impl::substAtom(const AtomNode *A, function_ref<uintptr_t(StringRef)> Bind,
                                      SubstMemo &Memo) {
  auto It = Memo.find(A);
  if (It != Memo.end())
    return It->second;
  uintptr_t Result = wordOf(A);
  if (A->K == Kind::Symbol) {
    if (uintptr_t B = Bind(static_cast<const SymbolNode *>(A)->Name))
      Result = B;
  } else {
    const BinNode *B = asBin(A);
    uintptr_t L = substWord(B->L, Bind, Memo), R = substWord(B->R, Bind, Memo);
    if (!L || !R)
      Result = 0;
    else if (L != B->L || R != B->R)
      Result = applyBin(B->K, L, R);
  }
  Memo[A] = Result;
  return Result;
}

uintptr_t SymContext::Impl::substWord(uintptr_t W, function_ref<uintptr_t(StringRef)> Bind,
                                      SubstMemo &Memo) {
  if (!W || constOf(W))
    return W;
  const Node *N = nodeOf(W);
  if (N->K != Kind::Poly)
    return substAtom(static_cast<const AtomNode *>(N), Bind, Memo);
  auto It = Memo.find(N);
  if (It != Memo.end())
    return It->second;
  ArrayRef<Term> Ts = static_cast<const PolyNode *>(N)->terms();
  SmallVector<uintptr_t, 16> Vals;
  bool Changed = false;
  for (const Term &T : Ts)
    if (T.Mono)
      for (const Factor &F : T.Mono->factors()) {
        uintptr_t V = substAtom(F.Atom, Bind, Memo);
        if (!V)
          return Memo[N] = 0;
        Changed |= V != wordOf(F.Atom);
        Vals.push_back(V);
      }
  uintptr_t Result = W;
  if (Changed) {
    SmallVector<uintptr_t, 8> Parts;
    size_t Next = 0;
    for (const Term &T : Ts) {
      uintptr_t Part = constant(T.Coef);
      if (T.Mono)
        for (const Factor &F : T.Mono->factors())
          Part = mul(Part, pow(Vals[Next++], F.Pow));
      Parts.push_back(Part);
    }
    Result = sum(Parts);
  }
  return Memo[N] = Result;
}

std::optional<int64_t> SymContext::Impl::evalAtom(const AtomNode *A,
                                                  const StringMap<int64_t> &Binds, EvalMemo &Memo) {
  auto It = Memo.find(A);
  if (It != Memo.end())
    return It->second;
  std::optional<int64_t> Result;
  if (A->K == Kind::Symbol) {
    auto BI = Binds.find(static_cast<const SymbolNode *>(A)->Name);
    if (BI != Binds.end())
      Result = BI->second;
  } else {
    const BinNode *B = asBin(A);
    auto L = evalWord(B->L, Binds, Memo), R = evalWord(B->R, Binds, Memo);
    if (L && R) {
      switch (B->K) {
      case Kind::FloorDiv:
        if (*R != 0)
          Result = pyFloorDiv(*L, *R);
        break;
      case Kind::Mod:
        if (*R != 0)
          Result = pyMod(*L, *R);
        break;
      case Kind::Min:
        Result = std::min(*L, *R);
        break;
      case Kind::Max:
        Result = std::max(*L, *R);
        break;
      default:
        llvm_unreachable("not a binary atom");
      }
    }
  }
  Memo[A] = Result;
  return Result;
}

std::optional<int64_t> SymContext::Impl::evalWord(uintptr_t W, const StringMap<int64_t> &Binds,
                                                  EvalMemo &Memo) {
  if (!W)
    return std::nullopt;
  if (auto C = constOf(W))
    return C;
  Term S;
  int64_t Acc = 0;
  for (const Term &T : view(W, S)) {
    int64_t V = T.Coef;
    if (T.Mono)
      for (const Factor &F : T.Mono->factors()) {
        auto X = evalAtom(F.Atom, Binds, Memo);
        if (!X)
          return std::nullopt;
        auto P = checkedPow(*X, F.Pow);
        if (!P || __builtin_mul_overflow(V, *P, &V))
          return std::nullopt;
      }
    if (__builtin_add_overflow(Acc, V, &Acc))
      return std::nullopt;
  }
  return Acc;
}

//===----------------------------------------------------------------------===//
// Printing
//===----------------------------------------------------------------------===//

namespace {

void printWord(raw_ostream &OS, uintptr_t W);

bool isMultiTerm(uintptr_t W) {
  const Node *N = nodeOf(W);
  return W && N && N->K == Kind::Poly && static_cast<const PolyNode *>(N)->NumTerms > 1;
}

void printAtom(raw_ostream &OS, const AtomNode *A) {
  if (A->K == Kind::Symbol) {
    OS << static_cast<const SymbolNode *>(A)->Name;
    return;
  }
  const BinNode *B = asBin(A);
  if (B->K == Kind::FloorDiv) {
    OS << "floor(";
    bool ParenL = isMultiTerm(B->L);
    OS << (ParenL ? "(" : "");
    printWord(OS, B->L);
    OS << (ParenL ? ")/" : "/");
    // A divisor prints bare only if it is a non-negative constant or an atom.
    auto C = constOf(B->R);
    const Node *RN = nodeOf(B->R);
    bool ParenR = C ? *C < 0 : (RN->K == Kind::Poly);
    OS << (ParenR ? "(" : "");
    printWord(OS, B->R);
    OS << (ParenR ? "))" : ")");
    return;
  }
  OS << (B->K == Kind::Mod ? "mod(" : B->K == Kind::Min ? "min(" : "max(");
  printWord(OS, B->L);
  OS << ", ";
  printWord(OS, B->R);
  OS << ")";
}

void printMono(raw_ostream &OS, const MonoNode *M) {
  bool First = true;
  for (const Factor &F : M->factors()) {
    if (!First)
      OS << "*";
    First = false;
    printAtom(OS, F.Atom);
    if (F.Pow != 1)
      OS << "^" << F.Pow;
  }
}

void printWord(raw_ostream &OS, uintptr_t W) {
  if (!W) {
    OS << "?";
    return;
  }
  Term S;
  ArrayRef<Term> Ts = view(W, S);
  if (Ts.empty()) {
    OS << "0";
    return;
  }
  for (size_t I = 0; I != Ts.size(); ++I) {
    const Term &T = Ts[I];
    bool Neg = T.Coef < 0;
    uint64_t Mag = absU(T.Coef);
    if (I == 0)
      OS << (Neg ? "-" : "");
    else
      OS << (Neg ? " - " : " + ");
    if (!T.Mono) {
      OS << Mag;
      continue;
    }
    if (Mag != 1)
      OS << Mag << "*";
    printMono(OS, T.Mono);
  }
}

} // namespace

//===----------------------------------------------------------------------===//
// Expr
//===----------------------------------------------------------------------===//

bool Expr::isConst() const { return constOf(V).has_value(); }

std::optional<int64_t> Expr::asConst() const { return constOf(V); }

bool Expr::isSymbol() const {
  const Node *N = nodeOf(V);
  return V && N && N->K == Kind::Symbol;
}

StringRef Expr::symbolName() const {
  if (!isSymbol())
    return {};
  return static_cast<const SymbolNode *>(nodeOf(V))->Name;
}

std::string Expr::str() const {
  std::string S;
  raw_string_ostream OS(S);
  printWord(OS, V);
  OS.flush();
  return S;
}

size_t Expr::hash() const { return size_t(llvm::hash_value(V)); }

raw_ostream &operator<<(raw_ostream &OS, Expr E) { return OS << E.str(); }

std::ostream &operator<<(std::ostream &OS, Expr E) { return OS << E.str(); }

//===----------------------------------------------------------------------===//
// SymContext
//===----------------------------------------------------------------------===//

SymContext::SymContext() : I(std::make_unique<Impl>()) {}
SymContext::~SymContext() = default;

Expr SymContext::constant(int64_t V) { return Expr(I->constant(V)); }

Expr SymContext::symbol(StringRef Name) {
  auto [It, Inserted] = I->Named.try_emplace(Name, nullptr);
  if (!Inserted)
    return Expr(wordOf(It->second));
  uintptr_t W = I->newSymbol(Name, /*Fresh=*/false);
  It->second = static_cast<SymbolNode *>(const_cast<Node *>(nodeOf(W)));
  return Expr(W);
}

Expr SymContext::fresh(StringRef Hint) {
  if (Hint.empty())
    Hint = "unk";
  std::string Name;
  do
    Name = (Twine(Hint) + "__" + Twine(++I->FreshCounter)).str();
  while (I->Names.contains(Name));
  return Expr(I->newSymbol(Name, /*Fresh=*/true));
}

bool SymContext::isFresh(Expr E) const {
  return E.isSymbol() && static_cast<const SymbolNode *>(nodeOf(E.V))->Fresh;
}

Expr SymContext::add(Expr A, Expr B) { return Expr(I->add(A.V, B.V)); }
Expr SymContext::sub(Expr A, Expr B) { return Expr(I->add(A.V, B.V, -1)); }
Expr SymContext::mul(Expr A, Expr B) { return Expr(I->mul(A.V, B.V)); }
Expr SymContext::neg(Expr A) { return Expr(I->neg(A.V)); }
Expr SymContext::pow(Expr A, unsigned N) { return Expr(I->pow(A.V, N)); }

Expr SymContext::sum(ArrayRef<Expr> Es) {
  SmallVector<uintptr_t, 16> Ws;
  for (Expr E : Es)
    Ws.push_back(E.V);
  return Expr(I->sum(Ws));
}

Expr SymContext::product(ArrayRef<Expr> Es) {
  uintptr_t Acc = I->constant(1);
  for (Expr E : Es)
    Acc = I->mul(Acc, E.V);
  return Expr(Acc);
}

Expr SymContext::floorDiv(Expr A, Expr B) { return Expr(I->floorDiv(A.V, B.V)); }
Expr SymContext::ceilDiv(Expr A, Expr B) { return Expr(I->neg(I->floorDiv(I->neg(A.V), B.V))); }
Expr SymContext::mod(Expr A, Expr B) { return Expr(I->mod(A.V, B.V)); }
Expr SymContext::min(Expr A, Expr B) { return Expr(I->minMax(Kind::Min, A.V, B.V)); }
Expr SymContext::max(Expr A, Expr B) { return Expr(I->minMax(Kind::Max, A.V, B.V)); }

Expr SymContext::substitute(Expr E, function_ref<Expr(StringRef Symbol)> Binding) {
  Impl::SubstMemo Memo;
  auto Bind = [&](StringRef Name) { return Binding(Name).V; };
  return Expr(I->substWord(E.V, Bind, Memo));
}

std::optional<int64_t> SymContext::evaluate(Expr E, const StringMap<int64_t> &Binds) {
  Impl::EvalMemo Memo;
  return I->evalWord(E.V, Binds, Memo);
}

void SymContext::symbols(Expr E, SmallVectorImpl<StringRef> &Out) {
  SmallPtrSet<const Node *, 32> Seen;
  SmallVector<uintptr_t, 16> Work{E.V};
  while (!Work.empty()) {
    uintptr_t W = Work.pop_back_val();
    if (!W || constOf(W) || !Seen.insert(nodeOf(W)).second)
      continue;
    const Node *N = nodeOf(W);
    if (N->K == Kind::Poly) {
      for (const Term &T : static_cast<const PolyNode *>(N)->terms())
        if (T.Mono)
          for (const Factor &F : T.Mono->factors())
            Work.push_back(wordOf(F.Atom));
    } else if (N->K == Kind::Symbol) {
      Out.push_back(static_cast<const SymbolNode *>(N)->Name);
    } else {
      const BinNode *B = asBin(static_cast<const AtomNode *>(N));
      Work.push_back(B->L);
      Work.push_back(B->R);
    }
  }
  llvm::sort(Out);
  Out.erase(std::unique(Out.begin(), Out.end()), Out.end());
}

bool SymContext::dependsOnFresh(Expr E) { return hasFresh(E.V); }

bool SymContext::isKnownNonNegative(Expr E) const { return nonNegWord(E.V); }

int SymContext::compare(Expr A, Expr B) { return cmpWord(A.V, B.V); }

size_t SymContext::numNodes() const { return I->NumNodes; }

} // namespace opaudit
