// Regression test for the topological sort: it once rescanned every
// consumer's input list for each value it released, which is quadratic for a
// node with many inputs (a Concat of 100,000 values took minutes). Node order,
// duplicate input slots and the result are checked; the time bound is loose
// (seconds against the old minutes) so a loaded machine cannot fail it.
#include "tests/TestUtil.h"

#include "onnx/onnx_pb.h"

#include "llvm/Support/MemoryBuffer.h"

#include <chrono>

using namespace opaudit;
using namespace opaudit::test;

TEST_CASE("Shapes: topological order of a 100,000-input Concat is linear") {
  constexpr int N = 100000;
  onnx::ModelProto MP;
  MP.set_ir_version(8);
  MP.add_opset_import()->set_version(17);
  onnx::GraphProto *G = MP.mutable_graph();
  G->set_name("wide");
  auto *X = G->add_input();
  X->set_name("X");
  auto *TT = X->mutable_type()->mutable_tensor_type();
  TT->set_elem_type(onnx::TensorProto::FLOAT);
  TT->mutable_shape()->add_dim()->set_dim_param("B");
  TT->mutable_shape()->add_dim()->set_dim_value(2);
  // The Concat comes first in the file, so sorting must move it to the end.
  onnx::NodeProto *Cat = G->add_node();
  Cat->set_op_type("Concat");
  Cat->set_name("cat");
  Cat->add_output("Y");
  auto *Axis = Cat->add_attribute();
  Axis->set_name("axis");
  Axis->set_type(onnx::AttributeProto::INT);
  Axis->set_i(1);
  for (int I = 0; I < N; ++I) {
    onnx::NodeProto *R = G->add_node();
    R->set_op_type("Relu");
    R->add_input("X");
    R->add_output("r" + std::to_string(I));
    Cat->add_input("r" + std::to_string(I));
  }
  Cat->add_input("r0"); // The same value in two slots.
  G->add_output()->set_name("Y");
  std::string Bytes;
  REQUIRE(MP.SerializeToString(&Bytes));

  auto Start = std::chrono::steady_clock::now();
  auto M = loadModel(llvm::MemoryBuffer::getMemBufferCopy(Bytes, "wide.onnx"), "wide.onnx");
  REQUIRE(bool(M));
  AnalysisManager AM(**M);
  const ShapeInfo &SI = AM.get<ShapeInference>();
  double Secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  REQUIRE(SI.Order.size() == static_cast<size_t>(N + 1));
  CHECK(SI.Order.back() == 0);
  CHECK(SI.Order.front() == 1);
  CHECK(dimsOf(AM, "Y") == std::vector<std::string>{"B", std::to_string(2 * (N + 1))});
  CHECK(Secs < 10.0);
}
