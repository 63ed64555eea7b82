// The CLI side of symbolic shapes: formulas in JSON and in the table when
// dims are unbound, --input-data reading a TensorProto file, and
// --trip-count parsing.
#include "tests/TestUtil.h"

#include "onnx/onnx_pb.h"

using namespace opaudit;
using namespace opaudit::test;

TEST_CASE("ShapeCli: unbound dims give null macs and the formula in JSON and the table") {
  auto J = runCli("analyze " + samplePath("bert_base.onnx") + " --format json -q");
  REQUIRE(J.Exit == 0);
  CHECK(J.Out.find("\"totals\": {\n    \"macs\": null,\n    \"macs_expr\": "
                   "\"18432*batch*seq^2 + 84934656*batch*seq + 589824*batch\"") !=
        std::string::npos);
  auto T = runCli("analyze " + samplePath("bert_base.onnx") + " -q");
  REQUIRE(T.Exit == 0);
  CHECK(T.Out.find("MACs:        18432*batch*seq^2 + 84934656*batch*seq + 589824*batch") !=
        std::string::npos);
  CHECK(T.Out.find("589824*batch*seq") != std::string::npos); // per-layer formula
  auto B = runCli("analyze " + samplePath("bert_base.onnx") + " -q --dim batch=1 --dim seq=128");
  CHECK(B.Out.find("11,174,215,680") != std::string::npos);
}

TEST_CASE("ShapeCli: --input-data gives a Reshape its target from a TensorProto file") {
  std::string Model =
      writeTemp("reshape.onnx", serializeText(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[2,3,4] X, int64[2] T, float[12,5] W) => (float Y) {
  R = Reshape(X, T)
  Y = MatMul(R, W)
})"));
  onnx::TensorProto TP;
  TP.set_data_type(onnx::TensorProto::INT64);
  TP.add_dims(2);
  TP.add_int64_data(2);
  TP.add_int64_data(12);
  std::string Bytes;
  REQUIRE(TP.SerializeToString(&Bytes));
  std::string Pb = writeTemp("target.pb", Bytes);
  auto C = runCli("analyze " + Model + " -q --format json --input-data T=" + Pb);
  REQUIRE(C.Exit == 0);
  // [2,12] x [12,5]: 2*5*12 MACs.
  CHECK(C.Out.find("\"totals\": {\n    \"macs\": 120,") != std::string::npos);
  auto Missing = runCli("analyze " + Model + " --input-data T=/nonexistent.pb");
  CHECK(Missing.Exit == 2);
  CHECK(Missing.Err.find("--input-data: cannot read '/nonexistent.pb'") != std::string::npos);
  auto BadTrip = runCli("analyze " + Model + " --trip-count loop");
  CHECK(BadTrip.Exit == 2);
  CHECK(BadTrip.Err.find("--trip-count expects NODE=K") != std::string::npos);
}
