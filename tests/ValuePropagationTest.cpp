// Value propagation through Split and the sequence operators (issue 11):
// tf2onnx builds Pad's pads as Concat(Split(const)) and Reshape targets via
// SplitToSequence/SequenceAt/ConcatFromSequence, and every shape after such
// a node was unknown. Each expected shape below is worked out by hand from
// the constants in the graph, not by running opaudit.
#include "tests/TestUtil.h"

using namespace opaudit;
using namespace opaudit::test;

using Dims = std::vector<std::string>;

namespace {

/// The known integer contents of a value, as text ("?" for an unknown
/// element); empty when nothing is known.
std::vector<std::string> valuesOf(AnalysisManager &AM, llvm::StringRef Name) {
  const ShapeInfo &SI = AM.get<ShapeInference>();
  ValueId V = AM.model().Main.lookup(Name);
  REQUIRE_MESSAGE(V != kNoValue, Name.str());
  std::vector<std::string> R;
  if (const ConstValue *CV = SI.value(V))
    for (Expr E : CV->Ints)
      R.push_back(E ? E.str() : "?");
  return R;
}

} // namespace

// pads = [1,2,0,0 | 0,0,3,4] once the four pieces [0,0] [1,2] [0,0] [3,4]
// are concatenated as p1,p0,p2,p3: begins (1,2,0,0), ends (0,0,3,4), so
// [1,3,8,8] becomes [1+1+0, 3+2+0, 8+0+3, 8+0+4]. A wrong piece order gives
// other dims.
TEST_CASE(
    "Values: Pad whose pads are Concat(Split(const)) has exact dims, split attribute (opset 11)") {
  auto M = parseModel(R"(<ir_version: 7, opset_import: ["" : 11]>
g (float[1,3,8,8] X) => (float Y) <int64[8] q = {0, 0, 1, 2, 0, 0, 3, 4}> {
  p0, p1, p2, p3 = Split <axis = 0, split = [2, 2, 2, 2]> (q)
  pads = Concat <axis = 0> (p1, p0, p2, p3)
  Y = Pad(X, pads)
})");
  AnalysisManager AM(*M);
  CHECK(valuesOf(AM, "p3") == Dims{"3", "4"});
  CHECK(dimsOf(AM, "Y") == Dims{"2", "5", "11", "12"});
}

TEST_CASE(
    "Values: Pad whose pads are Concat(Split(const)) has exact dims, split input (opset 13)") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[1,3,8,8] X) => (float Y) <int64[8] q = {0, 0, 1, 2, 0, 0, 3, 4}, int64[3] sp = {2, 4, 2}> {
  a, b, c = Split <axis = 0> (q, sp)
  pads = Concat <axis = 0> (b, a, c)
  Y = Pad(X, pads)
})");
  // a = [0,0], b = [1,2,0,0], c = [3,4]: pads = [1,2,0,0,0,0,3,4].
  AnalysisManager AM(*M);
  CHECK(dimsOf(AM, "Y") == Dims{"2", "5", "11", "12"});
}

TEST_CASE("Values: Split into equal parts without sizes (opset 13) and num_outputs (opset 18)") {
  auto M13 = parseModel(R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[1,3,8,8] X) => (float Y) <int64[8] q = {0, 0, 1, 2, 0, 0, 3, 4}> {
  h0, h1 = Split <axis = 0> (q)
  pads = Concat <axis = 0> (h1, h0)
  Y = Pad(X, pads)
})");
  // Halves swapped: begins (0,0,3,4), ends (0,0,1,2).
  AnalysisManager AM13(*M13);
  CHECK(dimsOf(AM13, "Y") == Dims{"1", "3", "12", "14"});

  // num_outputs = 2 on 5 elements: ceil(5/2) = 3, then the 2 left.
  auto M18 = parseModel(R"(<ir_version: 8, opset_import: ["" : 18]>
g (float[20] X, float[6] Z) => (float Y, float W) <int64[5] q = {1, 2, 3, 4, 5}> {
  a, b = Split <axis = 0, num_outputs = 2> (q)
  Y = Reshape(X, b)
  W = Reshape(Z, a)
})");
  AnalysisManager AM18(*M18);
  CHECK(dimsOf(AM18, "Y") == Dims{"4", "5"});
  CHECK(dimsOf(AM18, "W") == Dims{"1", "2", "3"});
}

TEST_CASE("Values: Split along axis 1 of a 2-D constant, then Reshape to 1-D") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[1,3,8,8] X) => (float Y) <int64[2,4] q = {0, 0, 1, 2, 0, 0, 3, 4}, int64[2] sp = {1, 3}, int64[1] flat = {-1}> {
  l, r = Split <axis = 1> (q, sp)
  rf = Reshape(r, flat)
  lf = Reshape(l, flat)
  pads = Concat <axis = 0> (rf, lf)
  Y = Pad(X, pads)
})");
  // Rows [0,0,1,2] and [0,0,3,4]: l = [[0],[0]], r = [[0,1,2],[0,3,4]];
  // pads = rf, lf = [0,1,2,0 | 3,4,0,0]: dims [1+0+3, 3+1+4, 8+2+0, 8+0+0].
  AnalysisManager AM(*M);
  CHECK(valuesOf(AM, "rf") == Dims{"0", "1", "2", "0", "3", "4"});
  CHECK(dimsOf(AM, "Y") == Dims{"4", "8", "10", "8"});
}

TEST_CASE("Values: Split keeps symbolic dims read by Shape") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[N,3,4] X) => (float Y) <int64[2] sp = {1, 2}> {
  s = Shape(X)
  first, rest = Split <axis = 0> (s, sp)
  t = Concat <axis = 0> (rest, first)
  Y = Reshape(X, t)
})");
  AnalysisManager AM(*M);
  CHECK(valuesOf(AM, "first") == Dims{"N"});
  CHECK(dimsOf(AM, "Y") == Dims{"3", "4", "N"});
}

TEST_CASE("Values: a Reshape target built by SplitToSequence -> SequenceAt -> Concat") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[2,3,4] X) => (float Y) <int64[4] c = {3, 8, 1, 0}, int64 i1 = {1}, int64 im4 = {-4}> {
  seq = SplitToSequence <axis = 0> (c)
  e1 = SequenceAt(seq, i1)
  e0 = SequenceAt(seq, im4)
  t = Concat <axis = 0> (e1, e0)
  Y = Reshape(X, t)
})");
  // No split: pieces of 1 ([3] [8] [1] [0]); position -4 is the first.
  AnalysisManager AM(*M);
  CHECK(dimsOf(AM, "e1") == Dims{"1"});
  CHECK(dimsOf(AM, "Y") == Dims{"8", "3"});
}

TEST_CASE("Values: SplitToSequence with uneven sizes gives each element its own shape") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[24] X) => (float Y) <int64[5] c = {9, 2, 3, 4, 7}, int64[3] sp = {1, 3, 1}, int64 i1 = {1}> {
  seq = SplitToSequence <axis = 0> (c, sp)
  mid = SequenceAt(seq, i1)
  Y = Reshape(X, mid)
})");
  // Pieces [9] [2,3,4] [7]: the element type they share has an unknown length,
  // but the element at 1 is exactly [2,3,4].
  AnalysisManager AM(*M);
  CHECK(dimsOf(AM, "seq") == Dims{"?"});
  CHECK(dimsOf(AM, "mid") == Dims{"3"});
  CHECK(dimsOf(AM, "Y") == Dims{"2", "3", "4"});
}

TEST_CASE("Values: SplitToSequence with a scalar split leaves a shorter last piece") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[5] X) => (float Y) <int64[5] c = {1, 1, 1, 5, 7}, int64 two = {2}, int64 i1 = {1}, int64 last = {-1}> {
  seq = SplitToSequence <axis = 0> (c, two)
  mid = SequenceAt(seq, i1)
  tail = SequenceAt(seq, last)
  n = SequenceLength(seq)
  Y = Reshape(X, mid)
})");
  // Pieces of 2: [1,1] [1,5] [7].
  AnalysisManager AM(*M);
  CHECK(dimsOf(AM, "Y") == Dims{"1", "5"});
  CHECK(valuesOf(AM, "tail") == Dims{"7"});
  CHECK(dimsOf(AM, "tail") == Dims{"1"});
  CHECK(valuesOf(AM, "n") == Dims{"3"});
}

TEST_CASE(
    "Values: ConcatFromSequence of a sequence built with SequenceConstruct and SequenceInsert") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[N,3,4] X) => (float Y) <int64[2] sp = {1, 2}, int64 i0 = {0}, int64 i1 = {1}> {
  s = Shape(X)
  seq = SplitToSequence <axis = 0> (s, sp)
  first = SequenceAt(seq, i0)
  rest = SequenceAt(seq, i1)
  one = SequenceConstruct(rest)
  two = SequenceInsert(one, first)
  t = ConcatFromSequence <axis = 0> (two)
  Y = Reshape(X, t)
})");
  // two = [[3,4], [N]] (insert appends): t = [3,4,N], kept symbolic.
  AnalysisManager AM(*M);
  CHECK(valuesOf(AM, "t") == Dims{"3", "4", "N"});
  CHECK(dimsOf(AM, "t") == Dims{"3"});
  CHECK(dimsOf(AM, "Y") == Dims{"3", "4", "N"});
}

TEST_CASE("Values: ConcatFromSequence with new_axis stacks the elements") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[6,35] X) => (float Y) <int64[2] a = {2, 3}, int64[2] b = {5, 7}, int64[1] flat = {-1}> {
  seq = SequenceConstruct(a, b)
  st = ConcatFromSequence <axis = 1, new_axis = 1> (seq)
  t = Reshape(st, flat)
  Y = Reshape(X, t)
})");
  // Stacked along a new axis 1: [[2,5],[3,7]], flattened [2,5,3,7].
  AnalysisManager AM(*M);
  CHECK(dimsOf(AM, "st") == Dims{"2", "2"});
  CHECK(dimsOf(AM, "Y") == Dims{"2", "5", "3", "7"});
}

TEST_CASE("Values: SequenceEmpty, SequenceInsert at a position, SequenceErase and SequenceLength") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[2,12] X) => (float Y) <int64[1] a = {4}, int64[1] b = {3}, int64[1] c = {99}, int64 i0 = {0}, int64[1] ax = {0}> {
  e = SequenceEmpty <dtype = 7> ()
  s1 = SequenceInsert(e, a)
  s2 = SequenceInsert(s1, b, i0)
  s3 = SequenceInsert(s2, c)
  s4 = SequenceErase(s3)
  n = SequenceLength(s4)
  nu = Unsqueeze(n, ax)
  flat = ConcatFromSequence <axis = 0> (s4)
  t = Concat <axis = 0> (nu, flat)
  Y = Reshape(X, t)
})");
  // s1 = [[4]], s2 inserts [3] at 0: [[3],[4]]; s3 appends [99]; the erase
  // drops the last: s4 = [[3],[4]], length 2, so t = [2,3,4].
  AnalysisManager AM(*M);
  CHECK(valuesOf(AM, "n") == Dims{"2"});
  CHECK(valuesOf(AM, "flat") == Dims{"3", "4"});
  CHECK(dimsOf(AM, "Y") == Dims{"2", "3", "4"});
}
