//===- SymTest.cpp - Tests for symbolic dimension expressions -------------===//
//
// Tests for analyzer/Sym.h: canonical polynomial forms (equality is pointer
// equality), golden str() output, checked overflow, Python division semantics,
// the floor/mod/min/max simplifications the shape rules rely on (Conv output
// sizes, Reshape -1), fresh symbols, determinism across contexts, soundness
// against direct evaluation on random expressions, and the speed and memory of
// long addition chains.
//
//===----------------------------------------------------------------------===//

#include "ir/Sym.h"

#include "llvm/ADT/DenseMap.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace opaudit;

namespace {

constexpr int64_t I64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t I64Min = std::numeric_limits<int64_t>::min();

/// Conv/Pool output size: floor((H + 2p - d*(k-1) - 1) / s) + 1.
Expr convOut(SymContext &C, Expr H, int64_t K, int64_t S, int64_t P, int64_t D) {
  Expr Num = C.sub(C.sub(C.add(H, C.constant(2 * P)), C.constant(D * (K - 1))), C.constant(1));
  return C.add(C.floorDiv(Num, C.constant(S)), C.constant(1));
}

int64_t pyFloorDiv(int64_t A, int64_t B) {
  int64_t Q = A / B;
  if (A % B != 0 && ((A % B < 0) != (B < 0)))
    --Q;
  return Q;
}

int64_t pyMod(int64_t A, int64_t B) { return A - B * pyFloorDiv(A, B); }

} // namespace

TEST_CASE("Sym: constants fold and polynomial identities hold") {
  SymContext C;
  Expr N = C.symbol("N"), M = C.symbol("M");
  CHECK(C.add(C.constant(2), C.constant(3)).asConst() == 5);
  CHECK(C.mul(C.constant(-4), C.constant(6)).asConst() == -24);
  CHECK(C.sub(C.constant(2), C.constant(9)).asConst() == -7);
  CHECK(C.add(N, C.constant(0)) == N);
  CHECK(C.mul(N, C.constant(1)) == N);
  CHECK(C.mul(N, C.constant(0)) == C.constant(0));
  CHECK(C.mul(N, C.constant(0)).asConst() == 0);
  CHECK(C.sub(N, N) == C.constant(0));
  CHECK(C.add(N, N) == C.mul(C.constant(2), N));
  CHECK(C.neg(C.neg(N)) == N);
  // (N + M)^2 = N^2 + 2NM + M^2, however it is built.
  Expr Sq = C.mul(C.add(N, M), C.add(M, N));
  Expr Expanded = C.add(C.add(C.mul(N, N), C.mul(C.constant(2), C.mul(M, N))), C.mul(M, M));
  CHECK(Sq == Expanded);
  CHECK(C.pow(C.add(N, M), 2) == Sq);
  CHECK(C.pow(N, 0) == C.constant(1));
  CHECK(Sq.str() == "M^2 + 2*M*N + N^2");
  // (N + 1)(N - 1) = N^2 - 1
  CHECK(C.mul(C.add(N, C.constant(1)), C.sub(N, C.constant(1))) ==
        C.sub(C.mul(N, N), C.constant(1)));
  CHECK(N.isSymbol());
  CHECK(N.symbolName() == "N");
  CHECK(!C.add(N, C.constant(1)).isSymbol());
  CHECK(!N.isConst());
  CHECK(!N.asConst());
  CHECK(C.symbol("N") == N);
  // Constants outside the inline range still round-trip and compare.
  CHECK(C.constant(I64Max).asConst() == I64Max);
  CHECK(C.constant(I64Min).asConst() == I64Min);
  CHECK(C.constant(I64Max) == C.constant(I64Max));
  CHECK(C.sub(C.constant(I64Max), C.constant(1)).asConst() == I64Max - 1);
  CHECK(C.product({N, M, C.constant(3)}) == C.mul(C.constant(3), C.mul(M, N)));
  CHECK(C.product({}) == C.constant(1));
  CHECK(C.sum({}) == C.constant(0));
}

TEST_CASE("Sym: Conv output size folds for a concrete H and is exact for a symbolic H") {
  SymContext C;
  // 7x7 stride-2 pad-3 conv (ResNet stem) on 224: (224 + 6 - 6 - 1) // 2 + 1 = 112.
  Expr Out = convOut(C, C.constant(224), 7, 2, 3, 1);
  REQUIRE(Out.isConst());
  CHECK(Out.asConst() == 112);

  Expr H = C.symbol("H");
  Expr Sym = convOut(C, H, 7, 2, 3, 1);
  CHECK(!Sym.isConst());
  // floor((H - 1)/2) + 1 = floor((H + 1)/2) exactly.
  CHECK(Sym == C.floorDiv(C.add(H, C.constant(1)), C.constant(2)));
  CHECK(Sym.str() == "floor((H + 1)/2)");
  CHECK(C.evaluate(Sym, {{"H", 224}}) == 112);
  Expr Bound =
      C.substitute(Sym, [&](llvm::StringRef S) { return S == "H" ? C.constant(224) : Expr(); });
  CHECK(Bound == C.constant(112));
  // H = 2*K: floor((2K + 1)/2) = K.
  Expr K = C.symbol("K");
  CHECK(C.substitute(Sym, [&](llvm::StringRef S) {
    return S == "H" ? C.mul(C.constant(2), K) : Expr();
  }) == K);
  // Against the direct formula, for many H and several conv shapes.
  struct Shape {
    int64_t K, S, P, D;
  };
  for (Shape Sh : {Shape{7, 2, 3, 1}, Shape{3, 1, 1, 1}, Shape{3, 2, 1, 1}, Shape{3, 1, 2, 2},
                   Shape{5, 3, 0, 1}, Shape{1, 1, 0, 1}}) {
    Expr E = convOut(C, H, Sh.K, Sh.S, Sh.P, Sh.D);
    for (int64_t V = Sh.D * (Sh.K - 1) + 1; V < 300; ++V) {
      int64_t Want = pyFloorDiv(V + 2 * Sh.P - Sh.D * (Sh.K - 1) - 1, Sh.S) + 1;
      CHECK(C.evaluate(E, {{"H", V}}) == Want);
      CHECK(convOut(C, C.constant(V), Sh.K, Sh.S, Sh.P, Sh.D).asConst() == Want);
    }
  }
  // Two stride-2 stages collapse to one floor: floor((floor((H+1)/2) + 1)/2) = floor((H+3)/4).
  Expr Twice = convOut(C, Sym, 3, 2, 1, 1);
  CHECK(Twice == C.floorDiv(C.add(H, C.constant(3)), C.constant(4)));
  CHECK(Twice.str() == "floor((H + 3)/4)");
}

TEST_CASE("Sym: BERT MAC polynomial is canonical and evaluates exactly") {
  const int64_t Hidden = 768, Layers = 12, Ffn = 3072;
  SymContext C;
  Expr Batch = C.symbol("batch"), Seq = C.symbol("seq");
  // As given: batch*(seq*12*12*768^2 + 12*2*768*seq^2).
  Expr Given = C.mul(Batch, C.add(C.mul(Seq, C.constant(12 * 12 * Hidden * Hidden)),
                                  C.mul(C.constant(12 * 2 * Hidden), C.mul(Seq, Seq))));
  // Built per layer from the ops: Q, K, V, O projections, two FFN matmuls, QK^T and AV.
  Expr Tokens = C.mul(Batch, Seq);
  Expr Chain = C.constant(0);
  std::vector<Expr> Pieces;
  for (int64_t L = 0; L < Layers; ++L) {
    for (int P = 0; P < 4; ++P)
      Pieces.push_back(C.mul(Tokens, C.constant(Hidden * Hidden)));
    Pieces.push_back(C.mul(C.mul(Tokens, C.constant(Hidden)), C.constant(Ffn)));
    Pieces.push_back(C.mul(C.mul(Tokens, C.constant(Ffn)), C.constant(Hidden)));
    Pieces.push_back(C.mul(C.mul(Batch, C.mul(Seq, Seq)), C.constant(Hidden))); // QK^T
    Pieces.push_back(C.mul(C.mul(Tokens, Seq), C.constant(Hidden)));            // AV
  }
  for (Expr P : Pieces)
    Chain = C.add(Chain, P);
  CHECK(Chain == Given);
  CHECK(C.sum(Pieces) == Given);
  CHECK(Given.str() == "18432*batch*seq^2 + 84934656*batch*seq");
  llvm::SmallVector<llvm::StringRef, 4> Syms;
  C.symbols(Given, Syms);
  REQUIRE(Syms.size() == 2);
  CHECK(Syms[0] == "batch");
  CHECK(Syms[1] == "seq");

  const int64_t B = 1, S = 128;
  const int64_t Want = B * (S * 12 * 12 * Hidden * Hidden + 12 * 2 * Hidden * S * S);
  CHECK(Want == 11173625856);
  CHECK(C.evaluate(Given, {{"batch", B}, {"seq", S}}) == Want);
  CHECK(C.evaluate(Given, {{"batch", 8}, {"seq", 512}}) ==
        8 * (512 * 12 * 12 * Hidden * Hidden + 12 * 2 * Hidden * 512 * 512));
  CHECK(!C.evaluate(Given, {{"batch", 1}})); // seq unbound
  Expr AtBatch1 = C.substitute(
      Given, [&](llvm::StringRef Name) { return Name == "batch" ? C.constant(1) : Expr(); });
  CHECK(AtBatch1.str() == "18432*seq^2 + 84934656*seq");
  CHECK(C.evaluate(AtBatch1, {{"seq", S}}) == Want);
}

TEST_CASE("Sym: str golden strings") {
  SymContext C;
  Expr N = C.symbol("N"), M = C.symbol("M"), H = C.symbol("H"), W = C.symbol("W"),
       S = C.symbol("S");
  CHECK(Expr().str() == "?");
  CHECK(C.constant(0).str() == "0");
  CHECK(C.constant(-17).str() == "-17");
  CHECK(C.constant(I64Min).str() == "-9223372036854775808");
  CHECK(N.str() == "N");
  CHECK(C.mul(C.constant(4089184256), N).str() == "4089184256*N");
  CHECK(C.neg(N).str() == "-N");
  CHECK(C.sub(C.constant(3), N).str() == "-N + 3");
  CHECK(C.sub(C.mul(C.constant(2), C.mul(W, H)), C.constant(1)).str() == "2*H*W - 1");
  CHECK(C.sub(C.mul(N, N), C.mul(C.constant(3), N)).str() == "N^2 - 3*N");
  CHECK(C.floorDiv(N, C.constant(2)).str() == "floor(N/2)");
  CHECK(C.floorDiv(C.add(C.mul(C.constant(2), N), C.constant(3)), C.constant(4)).str() ==
        "floor((N + 1)/2)");
  CHECK(C.ceilDiv(H, C.constant(2)).str() == "H - floor(H/2)");
  CHECK(C.mod(N, C.constant(4)).str() == "mod(N, 4)");
  CHECK(C.mod(C.add(C.mul(C.constant(2), N), C.constant(3)), C.constant(4)).str() ==
        "2*mod(N + 1, 2) + 1");
  CHECK(C.min(N, M).str() == "min(M, N)");
  CHECK(C.max(C.sub(N, C.constant(1)), C.constant(0)).str() == "max(0, N - 1)");
  CHECK(C.floorDiv(C.add(C.mul(N, S), C.constant(3)), N).str() == "floor((N*S + 3)/N)");
  CHECK(C.floorDiv(H, C.mul(N, S)).str() == "floor(H/(N*S))");
  CHECK(C.mul(C.floorDiv(N, C.constant(2)), C.floorDiv(N, C.constant(2))).str() == "floor(N/2)^2");
  CHECK(C.add(C.mul(C.constant(3), C.floorDiv(H, C.constant(2))), H).str() == "H + 3*floor(H/2)");
  std::ostringstream OS;
  OS << C.add(N, C.constant(1));
  CHECK(OS.str() == "N + 1");
}

TEST_CASE("Sym: overflow yields the null Expr, never a wrapped number") {
  SymContext C;
  Expr N = C.symbol("N");
  Expr Big = C.constant(int64_t(1) << 62);
  CHECK(!C.mul(Big, C.constant(4)));
  CHECK(!C.mul(C.mul(Big, N), C.constant(4)));
  CHECK(C.mul(Big, C.constant(-2)).asConst() == I64Min); // exactly representable
  CHECK(!C.mul(Big, C.constant(2)));
  CHECK(!C.add(C.constant(I64Max), C.constant(1)));
  CHECK(!C.sub(C.constant(I64Min), C.constant(1)));
  CHECK(!C.neg(C.constant(I64Min)));
  CHECK(!C.add(C.mul(C.constant(I64Max), N), N));
  CHECK(!C.mul(C.add(N, C.constant(I64Max)), C.add(N, C.constant(2))));
  CHECK(!C.floorDiv(C.constant(I64Min), C.constant(-1)));
  CHECK(!C.pow(C.constant(2), 63));
  CHECK(C.pow(C.constant(2), 62).asConst() == int64_t(1) << 62);
  // Null propagates through every operation.
  Expr Null;
  CHECK(!Null);
  CHECK(!C.add(Null, N));
  CHECK(!C.mul(N, Null));
  CHECK(!C.floorDiv(Null, C.constant(2)));
  CHECK(!C.mod(N, Null));
  CHECK(!C.min(Null, N));
  CHECK(!C.max(N, Null));
  CHECK(!C.neg(Null));
  CHECK(!C.sum({N, Null}));
  CHECK(!C.evaluate(Null, {}));
  // Evaluation overflow is nullopt too.
  Expr Cube = C.pow(N, 3);
  CHECK(C.evaluate(Cube, {{"N", 2097151}}) == int64_t(2097151) * 2097151 * 2097151);
  CHECK(!C.evaluate(Cube, {{"N", int64_t(1) << 22}}));
  // A sum whose partial sums would overflow but whose total fits is exact.
  CHECK(C.sum({C.mul(C.constant(I64Max), N), N, C.neg(N)}) == C.mul(C.constant(I64Max), N));
}

TEST_CASE("Sym: floor division and mod use Python semantics") {
  SymContext C;
  auto K = [&](int64_t V) { return C.constant(V); };
  CHECK(C.floorDiv(K(-7), K(2)).asConst() == -4);
  CHECK(C.mod(K(-7), K(2)).asConst() == 1);
  CHECK(C.mod(K(7), K(-2)).asConst() == -1);
  CHECK(C.floorDiv(K(7), K(-2)).asConst() == -4);
  CHECK(C.mod(K(-7), K(-2)).asConst() == -1);
  CHECK(C.floorDiv(K(-7), K(-2)).asConst() == 3);
  CHECK(C.floorDiv(K(7), K(2)).asConst() == 3);
  CHECK(C.ceilDiv(K(7), K(2)).asConst() == 4);
  CHECK(C.ceilDiv(K(-7), K(2)).asConst() == -3);
  CHECK(C.ceilDiv(K(8), K(2)).asConst() == 4);
  CHECK(C.mod(K(I64Min), K(-1)).asConst() == 0);
  CHECK(!C.floorDiv(K(5), K(0)));
  CHECK(!C.mod(K(5), K(0)));
  CHECK(!C.ceilDiv(K(5), K(0)));
  Expr N = C.symbol("N");
  CHECK(!C.floorDiv(N, K(0)));
  CHECK(!C.mod(N, K(0)));
  // Symbolic forms keep the semantics when evaluated.
  Expr FD = C.floorDiv(C.sub(N, K(7)), K(2));
  Expr MD = C.mod(C.sub(N, K(7)), K(2));
  Expr MNeg = C.mod(N, K(-2));
  Expr FNeg = C.floorDiv(N, K(-2));
  Expr CD = C.ceilDiv(C.sub(N, K(7)), K(3));
  for (int64_t V = 0; V < 40; ++V) {
    CHECK(C.evaluate(FD, {{"N", V}}) == pyFloorDiv(V - 7, 2));
    CHECK(C.evaluate(MD, {{"N", V}}) == pyMod(V - 7, 2));
    CHECK(C.evaluate(MNeg, {{"N", V}}) == pyMod(V, -2));
    CHECK(C.evaluate(FNeg, {{"N", V}}) == pyFloorDiv(V, -2));
    CHECK(C.evaluate(CD, {{"N", V}}) == -pyFloorDiv(-(V - 7), 3));
  }
  // A non-constant divisor that is 0 at evaluation time gives nullopt.
  CHECK(!C.evaluate(C.floorDiv(K(5), N), {{"N", 0}}));
  CHECK(C.evaluate(C.floorDiv(K(-5), N), {{"N", 2}}) == -3);
}

TEST_CASE("Sym: floorDiv and mod by a constant split off the divisible part") {
  SymContext C;
  Expr N = C.symbol("N"), M = C.symbol("M");
  auto K = [&](int64_t V) { return C.constant(V); };
  // floor((2N + 4)/2) = N + 2, exactly.
  CHECK(C.floorDiv(C.add(C.mul(K(2), N), K(4)), K(2)) == C.add(N, K(2)));
  CHECK(C.floorDiv(C.add(C.mul(K(2), N), K(5)), K(2)) == C.add(N, K(2)));
  CHECK(C.ceilDiv(C.add(C.mul(K(2), N), K(5)), K(2)) == C.add(N, K(3)));
  CHECK(C.floorDiv(C.mul(K(6), C.mul(N, M)), K(3)) == C.mul(K(2), C.mul(M, N)));
  CHECK(C.floorDiv(C.neg(C.mul(K(4), N)), K(-2)) == C.mul(K(2), N));
  CHECK(C.floorDiv(N, K(1)) == N);
  CHECK(C.floorDiv(N, K(-1)) == C.neg(N));
  // floor((4N + 3)/2) = 2N + 1.
  CHECK(C.floorDiv(C.add(C.mul(K(4), N), K(3)), K(2)) == C.add(C.mul(K(2), N), K(1)));
  // floor((3N + 1)/2) = N + floor((N + 1)/2).
  Expr F = C.floorDiv(C.add(C.mul(K(3), N), K(1)), K(2));
  CHECK(F == C.add(N, C.floorDiv(C.add(N, K(1)), K(2))));
  CHECK(F.str() == "N + floor((N + 1)/2)");
  // The gcd of the remainder and the divisor cancels: floor((2N + 1)/4) = floor(N/2).
  CHECK(C.floorDiv(C.add(C.mul(K(2), N), K(1)), K(4)) == C.floorDiv(N, K(2)));
  CHECK(C.mod(C.add(C.mul(K(2), N), K(1)), K(4)) == C.add(C.mul(K(2), C.mod(N, K(2))), K(1)));
  for (int64_t V = 0; V < 20; ++V) {
    CHECK(C.evaluate(C.floorDiv(C.add(C.mul(K(6), N), K(5)), K(4)), {{"N", V}}) == (6 * V + 5) / 4);
    CHECK(C.evaluate(C.mod(C.add(C.mul(K(6), N), K(5)), K(4)), {{"N", V}}) == (6 * V + 5) % 4);
  }
  // Nested floors by constants merge.
  CHECK(C.floorDiv(C.floorDiv(N, K(2)), K(3)) == C.floorDiv(N, K(6)));
  // Mod reduces the coefficients.
  CHECK(C.mod(C.add(C.mul(K(4), N), K(6)), K(2)) == K(0));
  CHECK(C.mod(C.add(C.mul(K(4), N), K(7)), K(2)) == K(1));
  CHECK(C.mod(C.add(C.mul(K(5), N), K(7)), K(2)) == C.mod(C.add(N, K(1)), K(2)));
  CHECK(C.mod(N, K(1)) == K(0));
  CHECK(C.mod(N, K(-1)) == K(0));
  // mod(P, P) = 0 and mod(N*M, N) = 0 (divisor assumed non-zero where evaluated).
  CHECK(C.mod(C.mul(N, M), N) == K(0));
  CHECK(C.mod(C.add(N, M), C.add(M, N)) == K(0));
  // Content and sign of a symbolic fraction are normalised.
  CHECK(C.floorDiv(C.mul(K(2), N), C.mul(K(2), M)) == C.floorDiv(N, M));
  CHECK(C.floorDiv(C.neg(N), C.neg(M)) == C.floorDiv(N, M));
  CHECK(C.mod(C.mul(K(3), N), C.mul(K(3), M)) == C.mul(K(3), C.mod(N, M)));
  CHECK(C.mod(N, C.neg(M)) == C.neg(C.mod(C.neg(N), M)));
}

TEST_CASE("Sym: Reshape -1 divides the element count exactly") {
  SymContext C;
  Expr N = C.symbol("N"), S = C.symbol("S");
  auto K = [&](int64_t V) { return C.constant(V); };
  Expr Total = C.mul(C.mul(N, K(197)), K(768));
  CHECK(C.floorDiv(Total, C.mul(N, K(197))) == K(768));
  CHECK(C.floorDiv(Total, C.mul(N, K(197))).asConst() == 768);
  CHECK(C.floorDiv(C.product({N, S, K(768)}), C.mul(N, S)) == K(768));
  CHECK(C.floorDiv(C.product({N, S, K(768)}), N) == C.mul(S, K(768)));
  CHECK(C.floorDiv(C.product({N, S, K(768)}), K(768)) == C.mul(N, S));
  // [N, S, 12, 64] -> [N, S, -1]
  Expr Elems = C.product({N, S, K(12), K(64)});
  CHECK(C.floorDiv(Elems, C.product({N, S})) == K(768));
  // Multi-term divisors divide exactly too: (N*S + N) / (S + 1) = N.
  CHECK(C.floorDiv(C.add(C.mul(N, S), N), C.add(S, K(1))) == N);
  CHECK(C.floorDiv(C.mul(C.add(N, K(2)), C.add(S, K(3))), C.add(K(3), S)) == C.add(N, K(2)));
  // Not divisible: stays an opaque, still exact, floor.
  Expr Odd = C.floorDiv(C.add(Total, K(1)), C.mul(N, K(197)));
  CHECK(!Odd.isConst());
  CHECK(C.evaluate(Odd, {{"N", 3}}) == (3 * 197 * 768 + 1) / (3 * 197));
  CHECK(!C.floorDiv(C.mul(N, K(5)), C.mul(N, K(2))).isConst());
  CHECK(C.evaluate(C.floorDiv(C.mul(N, K(5)), C.mul(N, K(2))), {{"N", 7}}) == 2);
}

TEST_CASE("Sym: fresh symbols are distinct and tracked") {
  SymContext C;
  Expr N = C.symbol("N");
  C.symbol("unk__2"); // a dim_param that looks like a fresh name is skipped
  Expr F1 = C.fresh(), F2 = C.fresh(), F3 = C.fresh("batch");
  CHECK(F1 != F2);
  CHECK(F1 != F3);
  CHECK(F1.isSymbol());
  CHECK(F1.symbolName() == "unk__1");
  CHECK(F2.symbolName() == "unk__3");
  CHECK(F3.symbolName() == "batch__4");
  CHECK(C.fresh("").symbolName() == "unk__5");
  CHECK(C.isFresh(F1));
  CHECK(C.isFresh(F3));
  CHECK(!C.isFresh(N));
  CHECK(!C.isFresh(C.symbol("unk__2")));
  CHECK(!C.isFresh(C.add(F1, C.constant(1))));
  CHECK(C.symbol("unk__1") != F1); // a named symbol never aliases a fresh one
  CHECK(C.dependsOnFresh(F1));
  CHECK(C.dependsOnFresh(C.add(N, C.mul(F1, C.constant(2)))));
  CHECK(C.dependsOnFresh(C.floorDiv(N, F2)));
  CHECK(C.dependsOnFresh(C.min(N, F2)));
  CHECK(!C.dependsOnFresh(C.mul(N, N)));
  CHECK(!C.dependsOnFresh(C.constant(3)));
  CHECK(!C.dependsOnFresh(Expr()));
  CHECK(C.sub(F1, F1) == C.constant(0));
  Expr Bound = C.substitute(C.add(N, C.mul(F1, C.constant(2))), [&](llvm::StringRef S) {
    return S == "unk__1" ? C.constant(64) : Expr();
  });
  CHECK(Bound == C.add(N, C.constant(128)));
  CHECK(!C.dependsOnFresh(Bound));
}

TEST_CASE("Sym: min and max fold what is provable and nothing else") {
  SymContext C;
  Expr N = C.symbol("N"), M = C.symbol("M");
  auto K = [&](int64_t V) { return C.constant(V); };
  CHECK(C.min(K(3), K(5)) == K(3));
  CHECK(C.max(K(3), K(-5)) == K(3));
  CHECK(C.min(N, N) == N);
  CHECK(C.max(K(0), N) == N);
  CHECK(C.min(K(0), N) == K(0));
  CHECK(C.min(N, K(0)) == K(0));
  CHECK(C.max(C.mul(N, M), K(0)) == C.mul(N, M));
  CHECK(C.max(N, C.add(N, K(1))) == C.add(N, K(1)));
  CHECK(C.min(N, C.add(N, K(1))) == N);
  CHECK(C.min(C.mul(K(2), N), N) == N);
  CHECK(C.max(C.floorDiv(N, K(2)), K(0)) == C.floorDiv(N, K(2)));
  CHECK(C.max(C.mod(N, K(5)), K(0)) == C.mod(N, K(5)));
  // Commutative: one canonical atom.
  CHECK(C.min(N, M) == C.min(M, N));
  CHECK(C.max(C.add(N, K(1)), M) == C.max(M, C.add(N, K(1))));
  // Not provable: stays opaque and evaluates correctly.
  Expr Clamp = C.max(C.sub(N, K(1)), K(0));
  CHECK(!Clamp.isConst());
  CHECK(C.evaluate(Clamp, {{"N", 0}}) == 0);
  CHECK(C.evaluate(Clamp, {{"N", 5}}) == 4);
  Expr MinNK = C.min(N, K(7));
  CHECK(C.evaluate(MinNK, {{"N", 3}}) == 3);
  CHECK(C.evaluate(MinNK, {{"N", 30}}) == 7);
  CHECK(C.substitute(MinNK, [&](llvm::StringRef) { return K(10); }) == K(7));
  // A negative-coefficient difference is not provably signed: N - M.
  CHECK(C.min(N, M) != N);
  CHECK(C.min(N, M) != M);
  // Nested clamps built by Slice stay exact.
  Expr Slice = C.min(C.max(C.add(N, K(-3)), K(0)), N);
  for (int64_t V = 0; V < 10; ++V)
    CHECK(C.evaluate(Slice, {{"N", V}}) == std::min(std::max(V - 3, int64_t(0)), V));
  CHECK(C.isKnownNonNegative(Slice));
  CHECK(!C.isKnownNonNegative(C.sub(N, K(1))));
}

TEST_CASE("Sym: str and structure do not depend on creation order") {
  auto Build = [](SymContext &C, bool Reverse) {
    Expr A, B, D;
    if (Reverse) {
      D = C.symbol("width");
      B = C.symbol("seq");
      A = C.symbol("batch");
    } else {
      A = C.symbol("batch");
      B = C.symbol("seq");
      D = C.symbol("width");
    }
    Expr Terms[] = {C.mul(A, C.mul(B, B)),
                    C.mul(C.constant(7), D),
                    C.floorDiv(C.add(D, C.constant(1)), C.constant(2)),
                    C.min(A, D),
                    C.mod(B, C.constant(8)),
                    C.mul(C.constant(-3), C.mul(A, D)),
                    C.constant(11)};
    Expr Sum = C.constant(0);
    if (Reverse)
      for (int I = 6; I >= 0; --I)
        Sum = C.add(Terms[I], Sum);
    else
      for (Expr T : Terms)
        Sum = C.add(Sum, T);
    return Sum;
  };
  SymContext C1, C2;
  std::string S1 = Build(C1, false).str(), S2 = Build(C2, true).str();
  CHECK(S1 == S2);
  CHECK(S1 == "batch*seq^2 - 3*batch*width + 7*width + floor((width + 1)/2) + mod(seq, 8) + "
              "min(batch, width) + 11");
}

TEST_CASE("Sym: random expressions agree with direct evaluation") {
  // Reference trees evaluated with plain Python-semantics integer arithmetic;
  // nullopt means undefined (a zero divisor), where no agreement is required.
  struct Ref {
    int Op; // 0 const, 1 symbol, 2 add, 3 sub, 4 mul, 5 floordiv, 6 ceildiv, 7 mod, 8 min, 9 max,
            // 10 neg
    int64_t Val;
    std::unique_ptr<Ref> L, R;
  };
  std::mt19937_64 Rng(12345);
  auto Rand = [&](int Lo, int Hi) { return int64_t(Rng() % uint64_t(Hi - Lo + 1)) + Lo; };
  std::function<std::unique_ptr<Ref>(int)> Gen = [&](int Depth) {
    auto R = std::make_unique<Ref>();
    if (Depth == 0 || Rand(0, 3) == 0) {
      R->Op = Rand(0, 1);
      R->Val = R->Op == 0 ? Rand(-6, 6) : Rand(0, 2);
      return R;
    }
    R->Op = int(Rand(2, 10));
    R->L = Gen(Depth - 1);
    if (R->Op != 10)
      R->R = Gen(Depth - 1);
    return R;
  };
  const char *Names[] = {"a", "b", "c"};
  std::function<Expr(SymContext &, const Ref &)> Build = [&](SymContext &C, const Ref &R) {
    switch (R.Op) {
    case 0:
      return C.constant(R.Val);
    case 1:
      return C.symbol(Names[R.Val]);
    case 10:
      return C.neg(Build(C, *R.L));
    }
    Expr L = Build(C, *R.L), Rt = Build(C, *R.R);
    switch (R.Op) {
    case 2:
      return C.add(L, Rt);
    case 3:
      return C.sub(L, Rt);
    case 4:
      return C.mul(L, Rt);
    case 5:
      return C.floorDiv(L, Rt);
    case 6:
      return C.ceilDiv(L, Rt);
    case 7:
      return C.mod(L, Rt);
    case 8:
      return C.min(L, Rt);
    default:
      return C.max(L, Rt);
    }
  };
  std::function<std::optional<int64_t>(const Ref &, const int64_t *)> Eval =
      [&](const Ref &R, const int64_t *Vals) -> std::optional<int64_t> {
    if (R.Op == 0)
      return R.Val;
    if (R.Op == 1)
      return Vals[R.Val];
    auto L = Eval(*R.L, Vals);
    if (!L)
      return std::nullopt;
    if (R.Op == 10)
      return -*L;
    auto Rt = Eval(*R.R, Vals);
    if (!Rt)
      return std::nullopt;
    switch (R.Op) {
    case 2:
      return *L + *Rt;
    case 3:
      return *L - *Rt;
    case 4:
      return *L * *Rt;
    case 5:
      return *Rt == 0 ? std::nullopt : std::optional<int64_t>(pyFloorDiv(*L, *Rt));
    case 6:
      return *Rt == 0 ? std::nullopt : std::optional<int64_t>(-pyFloorDiv(-*L, *Rt));
    case 7:
      return *Rt == 0 ? std::nullopt : std::optional<int64_t>(pyMod(*L, *Rt));
    case 8:
      return std::min(*L, *Rt);
    default:
      return std::max(*L, *Rt);
    }
  };

  SymContext C;
  int Checked = 0, Mismatches = 0;
  for (int Trial = 0; Trial < 1500; ++Trial) {
    auto R = Gen(4);
    Expr E = Build(C, *R);
    // Substituting a := 3 must agree with binding a = 3.
    Expr EA3 =
        C.substitute(E, [&](llvm::StringRef S) { return S == "a" ? C.constant(3) : Expr(); });
    for (int64_t A = 0; A <= 5; ++A)
      for (int64_t B = 0; B <= 5; ++B)
        for (int64_t D = 0; D <= 5; ++D) {
          int64_t Vals[] = {A, B, D};
          auto Want = Eval(*R, Vals);
          if (!Want)
            continue;
          ++Checked;
          auto Got = C.evaluate(E, {{"a", A}, {"b", B}, {"c", D}});
          if (Got != Want) {
            if (++Mismatches < 5)
              FAIL_CHECK("mismatch for " << E.str() << " at a=" << A << " b=" << B << " c=" << D
                                         << ": got " << (Got ? std::to_string(*Got) : "nullopt")
                                         << ", want " << *Want);
          }
          if (A == 3) {
            auto GotSub = C.evaluate(EA3, {{"b", B}, {"c", D}});
            if (GotSub != Want && ++Mismatches < 5)
              FAIL_CHECK("substitute mismatch for " << E.str() << " -> " << EA3.str());
          }
        }
    // Canonical form is stable: rebuilding gives the same node.
    CHECK(Build(C, *R) == E);
  }
  CHECK(Mismatches == 0);
  CHECK(Checked > 100000);
}

TEST_CASE("Sym: long addition chains are fast and constants cost no nodes") {
  SymContext C;
  Expr N = C.symbol("N");
  size_t Base = C.numNodes();
  for (int64_t I = -100000; I < 100000; ++I)
    CHECK_FALSE(!C.constant(I));
  CHECK(C.numNodes() == Base); // constants below 2^62 are packed into the handle

  auto Start = std::chrono::steady_clock::now();
  Expr Sum = C.constant(0);
  for (int64_t I = 0; I < 100000; ++I)
    Sum = C.add(Sum, C.add(C.mul(C.constant(I), N), C.constant(I)));
  double Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  const int64_t Tri = int64_t(99999) * 100000 / 2;
  CHECK(Sum == C.mul(C.constant(Tri), C.add(N, C.constant(1))));
  CHECK(Sum.str() == "4999950000*N + 4999950000");
  CHECK(Seconds < 1.0);
  MESSAGE("100k-step addition chain: " << Seconds << " s, " << C.numNodes() - Base << " nodes");
  // Each step interns only the distinct values it produces (i*N, i*N + i and
  // the partial sum); no node is spent on a constant.
  size_t ChainNodes = C.numNodes() - Base;
  CHECK(ChainNodes <= 3 * 100000);
  // Rebuilding the same chain allocates nothing: everything is hash-consed.
  Expr Again = C.constant(0);
  for (int64_t I = 0; I < 100000; ++I)
    Again = C.add(Again, C.add(C.mul(C.constant(I), N), C.constant(I)));
  CHECK(Again == Sum);
  CHECK(C.numNodes() - Base == ChainNodes);

  // sum() keeps only the result: accumulating the per-node costs of a
  // 100k-node graph made of repeated layers costs O(distinct layers + result).
  SymContext D;
  Expr B = D.symbol("batch"), S = D.symbol("seq");
  std::vector<Expr> Costs;
  for (int64_t I = 0; I < 100000; ++I)
    Costs.push_back(D.add(D.mul(D.constant(I % 16 + 1), D.mul(B, S)), D.constant(I % 7)));
  size_t Before = D.numNodes();
  Expr Total = D.sum(Costs);
  CHECK(D.numNodes() - Before <= 1);
  CHECK(Before < 200);
  int64_t CoefSum = 0, ConstSum = 0;
  for (int64_t I = 0; I < 100000; ++I)
    CoefSum += I % 16 + 1, ConstSum += I % 7;
  CHECK(Total == D.add(D.mul(D.constant(CoefSum), D.mul(B, S)), D.constant(ConstSum)));
}

TEST_CASE("Sym: Exprs work as hash keys and sort deterministically") {
  SymContext C;
  Expr N = C.symbol("N"), M = C.symbol("M");
  llvm::DenseMap<Expr, int> Map;
  Map[N] = 1;
  Map[C.add(N, C.constant(1))] = 2;
  Map[C.constant(5)] = 3;
  Map[C.constant(I64Max)] = 4;
  CHECK(Map.lookup(C.add(C.constant(0), N)) == 1);
  CHECK(Map.lookup(C.add(C.constant(1), N)) == 2);
  CHECK(Map.lookup(C.add(C.constant(2), C.constant(3))) == 3);
  CHECK(Map.lookup(C.constant(I64Max)) == 4);
  CHECK(Map.lookup(M) == 0);
  llvm::DenseMap<const void *, int> ByPtr;
  ByPtr[C.mul(N, M).opaque()] = 7;
  CHECK(ByPtr.lookup(C.mul(M, N).opaque()) == 7);
  CHECK(Expr::fromOpaque(C.mul(N, M).opaque()) == C.mul(M, N));
  CHECK(C.add(N, M).hash() == C.add(M, N).hash());
  CHECK(std::hash<Expr>()(N) == N.hash());
  CHECK(SymContext::compare(M, N) < 0);
  CHECK(SymContext::compare(N, M) > 0);
  CHECK(SymContext::compare(N, N) == 0);
  CHECK(SymContext::compare(Expr(), N) < 0);
  CHECK(SymContext::compare(C.mul(N, N), N) < 0); // higher degree first
  llvm::SmallVector<llvm::StringRef, 4> Syms;
  C.symbols(C.floorDiv(C.add(C.mul(N, C.symbol("S")), C.symbol("H")), C.symbol("W")), Syms);
  REQUIRE(Syms.size() == 4);
  CHECK(Syms[0] == "H");
  CHECK(Syms[1] == "N");
  CHECK(Syms[2] == "S");
  CHECK(Syms[3] == "W");
}

TEST_CASE("ExprSum: equals a chain of add() while interning one partial sum per batch") {
  // 3,000 terms of a transformer-like total: i*N*S + 7*N (a MAC formula per
  // node). The closed form is N*S*(0 + 1 + ... + 2999) + 3000*7*N.
  SymContext Chain, Batched;
  auto term = [](SymContext &C, int64_t I) {
    Expr N = C.symbol("N"), S = C.symbol("S");
    return C.add(C.mul(C.constant(I), C.mul(N, S)), C.mul(C.constant(7), N));
  };
  std::vector<Expr> ChainTerms, BatchedTerms;
  for (int64_t I = 0; I < 3000; ++I) {
    ChainTerms.push_back(term(Chain, I));
    BatchedTerms.push_back(term(Batched, I));
  }
  size_t ChainBefore = Chain.numNodes(), BatchedBefore = Batched.numNodes();
  Expr ByAdd = Chain.constant(0);
  for (Expr T : ChainTerms)
    ByAdd = Chain.add(ByAdd, T);
  ExprSum Sum(Batched);
  for (Expr T : BatchedTerms)
    Sum.add(T);
  Expr Total = Sum.get();
  CHECK(Total.str() == "4498500*N*S + 21000*N");
  CHECK(ByAdd.str() == Total.str());
  // The chain interns each of its 2,999 partial sums (a new polynomial each
  // time); the batches one per 512 terms (3,000 / 512 -> 6) and the total.
  CHECK(Chain.numNodes() - ChainBefore >= 2999);
  CHECK(Batched.numNodes() - BatchedBefore <= 8);

  SUBCASE("no terms is 0, and get() can be called again") {
    ExprSum Empty(Batched);
    CHECK(Empty.get().asConst() == 0);
    Empty.add(Batched.constant(5));
    CHECK(Empty.get().asConst() == 5);
    Empty.add(Batched.constant(6));
    CHECK(Empty.get().asConst() == 11);
  }
  SUBCASE("an unknown term, even in an earlier batch, makes the sum unknown") {
    ExprSum WithUnknown(Batched);
    for (int I = 0; I < 2000; ++I)
      WithUnknown.add(I == 700 ? Expr() : Batched.constant(1));
    CHECK(!WithUnknown.get());
  }
  SUBCASE("overflow is unknown, as with add()") {
    ExprSum Big(Batched);
    Big.add(Batched.constant(std::numeric_limits<int64_t>::max() - 1));
    Big.add(Batched.constant(2));
    CHECK(!Big.get());
    CHECK(!Batched.add(Batched.constant(std::numeric_limits<int64_t>::max() - 1),
                       Batched.constant(2)));
  }
}
