// Hostile and broken models, one test per kind of damage listed in issue 8:
// each runs the real CLI and checks the exit code and the diagnostic text, and
// each must finish in bounded time and memory. Inputs the ONNX text syntax
// cannot express (deep nesting, lying length prefixes) are built byte by byte
// with the small protobuf wire encoder below.
#include "tests/TestUtil.h"

#include <chrono>
#include <cstdint>
#include <unistd.h>

using namespace opaudit;
using namespace opaudit::test;

namespace {

/// Minimal protobuf wire encoding: enough to build ModelProto bytes by hand.
std::string varint(uint64_t V) {
  std::string S;
  while (V >= 0x80) {
    S += static_cast<char>((V & 0x7f) | 0x80);
    V >>= 7;
  }
  S += static_cast<char>(V);
  return S;
}
std::string tag(uint32_t Field, uint32_t WireType) { return varint((Field << 3) | WireType); }
std::string lenField(uint32_t Field, const std::string &Payload) {
  return tag(Field, 2) + varint(Payload.size()) + Payload;
}
std::string intField(uint32_t Field, uint64_t V) { return tag(Field, 0) + varint(V); }

std::string opset17() { return lenField(8, lenField(1, "") + intField(2, 17)); }

/// Runs `opaudit analyze` on Bytes written to a fresh file; also checks that
/// stdout carries no diagnostics and that the run took bounded time.
CliResult analyzeBytes(const char *Name, const std::string &Bytes, const std::string &Extra = "") {
  std::string Path = writeTemp(Name, Bytes);
  auto T0 = std::chrono::steady_clock::now();
  CliResult R = runCli("analyze " + Path + " " + Extra);
  double Secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - T0).count();
  CHECK_MESSAGE(Secs < 20, Name << " took " << Secs << " s");
  CHECK(R.Out.find("error:") == std::string::npos);
  CHECK(R.Out.find("warning:") == std::string::npos);
  return R;
}

CliResult analyzeText(const char *Name, const char *Text, const std::string &Extra = "") {
  return analyzeBytes(Name, serializeText(Text), Extra);
}

bool has(const std::string &Haystack, const std::string &Needle) {
  return Haystack.find(Needle) != std::string::npos;
}

} // namespace

/// Checks that the run's stderr contains Text, showing the whole stderr when not.
#define CHECK_ERR(Run, Text) CHECK_MESSAGE(has((Run).Err, Text), (Run).Err)

TEST_CASE("Hostile: a graph cycle is reported and the rest is analyzed") {
  auto R = analyzeText("cycle.onnx", R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[2,3] X) => (float Y, float Z) {
  Z = Relu(X)
  A = Add(X, B)
  B = Relu(A)
  Y = Relu(B)
})");
  CHECK(R.Exit == 0);
  CHECK_ERR(R, "graph has a cycle through this node; 3 node(s) on or after the cycle are not "
               "analyzed");
}

TEST_CASE("Hostile: a dangling input names the node and the input") {
  auto R = analyzeText("dangling.onnx", R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[2,3] X) => (float Y) {
  Y = Add(X, Nowhere)
})");
  CHECK(R.Exit == 0);
  CHECK_ERR(R,
            "error: Add (output 'Y'): input 'Nowhere' is not produced by any node, graph input or "
            "initializer (dangling input)");
}

TEST_CASE("Hostile: two nodes producing the same output name") {
  auto R = analyzeText("dup.onnx", R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[2,3] X) => (float Y) {
  Y = Relu(X)
  Y = Sigmoid(X)
})");
  CHECK(R.Exit == 0);
  CHECK_ERR(R,
            "error: Sigmoid (unnamed): output 'Y' is also produced by Relu (output 'Y') (duplicate "
            "output name); this node's output is ignored");
}

TEST_CASE("Hostile: self-recursive and mutually recursive functions are marked, not expanded") {
  const char *Text = R"(<ir_version: 8, opset_import: ["" : 17, "local" : 1]>
g (float[2,3] X) => (float Y) {
  T = local.Loop1(X)
  Y = local.Ping(T)
}
<domain: "local", opset_import: ["" : 17, "local" : 1]>
Loop1 (x) => (y) {
  t = Relu(x)
  y = local.Loop1(t)
}
<domain: "local", opset_import: ["" : 17, "local" : 1]>
Ping (x) => (y) {
  y = local.Pong(x)
}
<domain: "local", opset_import: ["" : 17, "local" : 1]>
Pong (x) => (y) {
  y = local.Ping(x)
}
<domain: "local", opset_import: ["" : 17]>
Fine (x) => (y) {
  y = Relu(x)
})";
  auto M = parseModel(Text);
  REQUIRE(M->Functions.size() == 4);
  CHECK(M->Functions[0].Recursive);
  CHECK(M->Functions[1].Recursive);
  CHECK(M->Functions[2].Recursive);
  CHECK_FALSE(M->Functions[3].Recursive);
  auto R = analyzeText("recursive.onnx", Text);
  CHECK(R.Exit == 0);
  CHECK_ERR(R, "error: function local.Loop1 calls itself (local.Loop1 -> local.Loop1); it is "
               "never expanded");
  CHECK_ERR(R, "error: function local.Ping calls itself (local.Ping -> local.Pong -> "
               "local.Ping); it is never expanded");
}

TEST_CASE("Hostile: subgraphs nested beyond protobuf's recursion limit") {
  // An If whose then_branch holds an If whose then_branch ..., 500 levels deep:
  // five times protobuf's default recursion limit of 100.
  std::string G = lenField(2, "leaf");
  for (int I = 0; I < 500; ++I) {
    std::string Attr = lenField(1, "then_branch") + intField(20, 5) + lenField(6, G);
    std::string Node = lenField(1, "c") + lenField(2, "y") + lenField(4, "If") + lenField(5, Attr);
    G = lenField(1, Node) + lenField(2, "g" + std::to_string(I));
  }
  std::string Model = intField(1, 8) + opset17() + lenField(7, G);
  auto R = analyzeBytes("deep.onnx", Model);
  CHECK(R.Exit == 3);
  CHECK(R.Out.empty());
  CHECK_ERR(R, "deep.onnx: subgraphs nested deeper than 64 levels");
}

TEST_CASE("Hostile: absurd dims in an initializer and in a declared input") {
  SUBCASE("initializer whose element count overflows 64 bits") {
    // dims 2^40 x 2^40 floats, no payload.
    std::string T = intField(1, 1ull << 40) + intField(1, 1ull << 40) + intField(2, 1) +
                    lenField(8, "W") + lenField(9, "");
    std::string Node = lenField(1, "X") + lenField(1, "W") + lenField(2, "Y") + lenField(4, "Add");
    std::string In = lenField(1, "X");
    std::string Out = lenField(1, "Y");
    std::string G = lenField(1, Node) + lenField(5, T) + lenField(11, In) + lenField(12, Out);
    auto R = analyzeBytes("hugeinit.onnx", intField(1, 8) + opset17() + lenField(7, G));
    // No file can hold 2^80 elements: the model is corrupt, never "0 params".
    CHECK(R.Exit == 3);
    CHECK(R.Out.empty());
    CHECK_ERR(R, "hugeinit.onnx: tensor 'W' has dims 1099511627776x1099511627776 whose element "
                 "count overflows 64 bits");
  }
  SUBCASE("initializer of 2^40 floats with an empty raw_data") {
    std::string T = intField(1, 1ull << 40) + intField(2, 1) + lenField(8, "W") + lenField(9, "");
    std::string Node = lenField(1, "X") + lenField(1, "W") + lenField(2, "Y") + lenField(4, "Add");
    std::string G = lenField(1, Node) + lenField(5, T) + lenField(11, lenField(1, "X")) +
                    lenField(12, lenField(1, "Y"));
    auto R = analyzeBytes("hugeraw.onnx", intField(1, 8) + opset17() + lenField(7, G));
    CHECK(R.Exit == 0);
    CHECK_ERR(R, "error: tensor 'W': raw_data has 0 bytes but dims and dtype float need "
                 "4398046511104; values are not used");
  }
  SUBCASE("declared input whose Conv MAC count overflows 64 bits: a per-node diagnostic") {
    auto R = analyzeText("hugeconv.onnx", R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1099511627776,3,1099511627776,8] X, float[4,3,3,3] W) => (float Y, float Z) {
  Y = Conv(X, W)
  Z = Relu(X)
})",
                         "--format json");
    CHECK(R.Exit == 0);
    CHECK_ERR(R, "error: Conv (output 'Y'): MAC count overflows 64 bits");
    // Never a wrapped number: the Conv row and the total are unknown (null).
    CHECK(has(R.Out, "\"macs\": null"));
    CHECK_FALSE(has(R.Out, "-9223372036854775808"));
  }
  SUBCASE("2^62-sized input: element counts fit, but byte counts need 128-bit intermediates") {
    // 2^60 float elements are 2^62 bytes: representable, though elements * 32 bits is not.
    TensorData T;
    T.Type = DType::Float;
    T.Dims = {int64_t(1) << 30, int64_t(1) << 30};
    CHECK(T.numElements() == (int64_t(1) << 60));
    CHECK(T.numBytes() == (int64_t(1) << 62));
    T.Type = DType::Int4;
    T.Dims = {(int64_t(1) << 62) + 1};
    CHECK(T.numBytes() == (int64_t(1) << 61) + 1);
    // A zero dim after an overflowing prefix: the product is exactly 0.
    T.Dims = {int64_t(1) << 40, int64_t(1) << 40, 0};
    CHECK(T.numElements() == 0);
    CHECK(T.numBytes() == 0);
  }
}

TEST_CASE("Hostile: negative dims in an initializer and in a declared input") {
  SUBCASE("initializer") {
    std::string T = intField(1, static_cast<uint64_t>(-3)) + intField(2, 1) + lenField(8, "W");
    std::string G =
        lenField(5, T) + lenField(11, lenField(1, "X")) + lenField(12, lenField(1, "W"));
    auto R = analyzeBytes("negdim.onnx", intField(1, 8) + opset17() + lenField(7, G));
    CHECK(R.Exit == 3);
    CHECK(R.Out.empty());
    CHECK_ERR(R, "negdim.onnx: tensor 'W' has negative dim -3");
  }
  SUBCASE("declared input shape") {
    // The text syntax cannot write a negative dim, so the value_info is built by hand.
    std::string To = intField(1, static_cast<uint64_t>(-5));
    std::string Dim1 = lenField(1, intField(1, 1));
    std::string DimNeg = lenField(1, To);
    std::string Shape = Dim1 + DimNeg;
    std::string Type = lenField(1, intField(1, 1) + lenField(2, Shape));
    std::string VI = lenField(1, "X") + lenField(2, Type);
    std::string Node = lenField(1, "X") + lenField(2, "Y") + lenField(4, "Relu");
    std::string G = lenField(1, Node) + lenField(11, VI) + lenField(12, lenField(1, "Y"));
    auto N = analyzeBytes("neginput.onnx", intField(1, 8) + opset17() + lenField(7, G));
    CHECK(N.Exit == 0);
    CHECK_ERR(N, "error: graph input 'X': dim 1 is negative (-5); treated as unknown");
    CHECK(has(N.Out, "?"));
  }
}

TEST_CASE("Hostile: raw_data whose length contradicts the dims") {
  std::string T = intField(1, 2) + intField(1, 3) + intField(2, 1) + lenField(8, "W") +
                  lenField(9, std::string(20, '\0'));
  std::string Node = lenField(1, "X") + lenField(1, "W") + lenField(2, "Y") + lenField(4, "MatMul");
  std::string Type = lenField(
      1, intField(1, 1) + lenField(2, lenField(1, intField(1, 4)) + lenField(1, intField(1, 2))));
  std::string G = lenField(1, Node) + lenField(5, T) +
                  lenField(11, lenField(1, "X") + lenField(2, Type)) +
                  lenField(12, lenField(1, "Y"));
  auto R = analyzeBytes("rawlen.onnx", intField(1, 8) + opset17() + lenField(7, G));
  CHECK(R.Exit == 0);
  CHECK_ERR(R, "error: tensor 'W': raw_data has 20 bytes but dims and dtype float need 24; "
               "values are not used");
}

TEST_CASE("Hostile: a missing opset_import") {
  std::string Node = lenField(1, "X") + lenField(2, "Y") + lenField(4, "Relu");
  std::string G =
      lenField(1, Node) + lenField(11, lenField(1, "X")) + lenField(12, lenField(1, "Y"));
  auto R = analyzeBytes("noopset.onnx", intField(1, 8) + lenField(7, G));
  CHECK(R.Exit == 0);
  CHECK_ERR(R, "warning: model has no opset_import; assuming default-domain opset 1");
}

TEST_CASE("Hostile: truncated, empty, random and text files") {
  std::string Good = serializeText(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,3] X) => (float Y) { Y = Relu(X) })");
  struct Case {
    const char *Name;
    std::string Bytes;
    const char *Want;
  } Cases[] = {
      {"empty.onnx", "", "empty.onnx: empty file, not an ONNX model"},
      {"truncated.onnx", Good.substr(0, Good.size() - 3), "(truncated or not an ONNX file)"},
      {"random.onnx", std::string("\x8f\x13\xff\xfe\x00\x01\x99\x42\x17\x08", 10),
       "random.onnx: malformed protobuf at byte "},
      {"text.onnx", "ir_version: 8\ngraph { node { op_type: \"Relu\" } }\n",
       "text.onnx: not an ONNX model"},
  };
  for (const Case &C : Cases) {
    CAPTURE(C.Name);
    auto R = analyzeBytes(C.Name, C.Bytes);
    CHECK(R.Exit == 3);
    CHECK(R.Out.empty());
    CHECK(std::count(R.Err.begin(), R.Err.end(), '\n') == 1);
    CHECK_MESSAGE(has(R.Err, C.Want), R.Err);
  }
}

TEST_CASE("Hostile: a length prefix that claims gigabytes") {
  SUBCASE("top-level graph field") {
    std::string Model = intField(1, 8) + opset17() + tag(7, 2) + varint(3'000'000'000ull) + "abc";
    auto R = analyzeBytes("liar.onnx", Model);
    CHECK(R.Exit == 3);
    CHECK_ERR(R, "liar.onnx: malformed protobuf at byte ");
    CHECK_ERR(R, "field 7 claims 3000000000 bytes but only 3 remain");
  }
  SUBCASE("raw_data inside an initializer") {
    std::string T = intField(1, 4) + intField(2, 1) + lenField(8, "W") + tag(9, 2) +
                    varint(1ull << 40) + std::string(16, '\0');
    std::string G = lenField(5, T) + lenField(12, lenField(1, "W"));
    auto R = analyzeBytes("liar2.onnx", intField(1, 8) + opset17() + lenField(7, G));
    CHECK(R.Exit == 3);
    CHECK_ERR(R, "field 9 claims 1099511627776 bytes but only 16 remain");
    CHECK_ERR(R, "in tensor 'W'");
  }
  SUBCASE("a varint length beyond 64 bits") {
    std::string Model = intField(1, 8) + tag(7, 2) + std::string(11, '\xff') + "x";
    auto R = analyzeBytes("liar3.onnx", Model);
    CHECK(R.Exit == 3);
    CHECK_ERR(R, "liar3.onnx: malformed protobuf at byte ");
  }
}

TEST_CASE("Hostile: a file over protobuf's 2 GiB limit is refused without reading it") {
  // A sparse 3 GiB file: nothing is written to disk, and nothing may be read.
  std::string Path = writeTemp("huge.onnx", intField(1, 8));
  REQUIRE(::truncate(Path.c_str(), 3ll << 30) == 0);
  auto R = runCli("analyze " + Path);
  CHECK(R.Exit == 3);
  CHECK(R.Out.empty());
  CHECK_ERR(R, "huge.onnx: file is larger than protobuf's 2 GiB message limit");
  ::unlink(Path.c_str());
}

TEST_CASE("Hostile: rows that fit in 64 bits whose total does not: total unknown, never wrapped") {
  // Each MatMul is 2^21 * 2^21 * 2^20 = 2^62 MACs; two of them make 2^63 > INT64_MAX.
  auto R = analyzeText("hugetotal.onnx", R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[2097152,2097152] A, float[2097152,1048576] B) => (float Y, float Z) {
  Y = MatMul(A, B)
  Z = MatMul(A, B)
})",
                       "--format json");
  CHECK(R.Exit == 0);
  CHECK_ERR(R, "error: graph 'g': total MAC count overflows 64 bits");
  CHECK(has(R.Out, "\"macs\": 4611686018427387904"));
  CHECK(has(R.Out, "\"totals\": {\n    \"macs\": null"));
  CHECK_FALSE(has(R.Out, "-9223372036854775808"));
}

TEST_CASE("Hostile: an initializer with dims but no data at all") {
  std::string T = intField(1, 2) + intField(1, 3) + intField(2, 1) + lenField(8, "W");
  std::string Node = lenField(1, "X") + lenField(1, "W") + lenField(2, "Y") + lenField(4, "MatMul");
  std::string Type = lenField(
      1, intField(1, 1) + lenField(2, lenField(1, intField(1, 4)) + lenField(1, intField(1, 2))));
  std::string G = lenField(1, Node) + lenField(5, T) +
                  lenField(11, lenField(1, "X") + lenField(2, Type)) +
                  lenField(12, lenField(1, "Y"));
  auto R =
      analyzeBytes("nodata.onnx", intField(1, 8) + opset17() + lenField(7, G), "--format json");
  CHECK(R.Exit == 0);
  CHECK_ERR(R, "warning: tensor 'W': has 6 element(s) but no data (no raw_data, typed values or "
               "external data); only its dims are used");
  // Its dims still define the MatMul: 4x2 @ 2x3 = 24 MACs and 6 parameters.
  CHECK(has(R.Out, "\"totals\": {\n    \"macs\": 24,"));
  CHECK(has(R.Out, "\"params\": 6,"));
}
