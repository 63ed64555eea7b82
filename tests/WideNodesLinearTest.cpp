// Regression tests for very wide nodes and values. The topological sort once
// rescanned each consumer's input list for every value it released, and the
// weight attribution checked each tensor against the node's list so far, and
// activation lifetimes each reader against a value's readers: all
// quadratic in a node's inputs (a Concat of 100,000 values took minutes).
// Results are checked exactly; the time bounds are loose (seconds against the
// old minutes) so that a loaded machine cannot fail them.
#include "passes/ActivationMemory.h"
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

TEST_CASE("Weights: a Concat of 100,000 stored tensors is attributed in linear time") {
  // Weights once checked each tensor against the node's list so far.
  constexpr int N = 100000;
  onnx::ModelProto MP;
  MP.set_ir_version(8);
  MP.add_opset_import()->set_version(17);
  onnx::GraphProto *G = MP.mutable_graph();
  onnx::NodeProto *Cat = G->add_node();
  Cat->set_op_type("Concat");
  Cat->add_output("Y");
  auto *Axis = Cat->add_attribute();
  Axis->set_name("axis");
  Axis->set_type(onnx::AttributeProto::INT);
  Axis->set_i(0);
  for (int I = 0; I < N; ++I) {
    onnx::TensorProto *T = G->add_initializer();
    T->set_name("w" + std::to_string(I));
    T->set_data_type(onnx::TensorProto::FLOAT);
    T->add_dims(3);
    T->set_raw_data(std::string(12, '\0'));
    Cat->add_input(T->name());
  }
  Cat->add_input("w7"); // Counted once.
  G->add_output()->set_name("Y");
  std::string Bytes;
  REQUIRE(MP.SerializeToString(&Bytes));
  auto Start = std::chrono::steady_clock::now();
  auto M = loadModel(llvm::MemoryBuffer::getMemBufferCopy(Bytes, "wide.onnx"), "wide.onnx");
  REQUIRE(bool(M));
  AnalysisManager AM(**M);
  const WeightInfo &WI = AM.get<Weights>();
  double Secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  CHECK(WI.TotalParams == 3 * N);
  CHECK(WI.TotalBytes == 12 * N);
  CHECK(WI.Nodes[0].Tensors.size() == static_cast<size_t>(N));
  CHECK(Secs < 10.0);
}

TEST_CASE("Activations: a value read by 100,000 nodes is scanned in linear time") {
  // Activation lifetimes once checked each reader against the list so far.
  constexpr int N = 100000;
  onnx::ModelProto MP;
  MP.set_ir_version(8);
  MP.add_opset_import()->set_version(17);
  onnx::GraphProto *G = MP.mutable_graph();
  auto *X = G->add_input();
  X->set_name("X");
  auto *TT = X->mutable_type()->mutable_tensor_type();
  TT->set_elem_type(onnx::TensorProto::FLOAT);
  TT->mutable_shape()->add_dim()->set_dim_value(4);
  for (int I = 0; I < N; ++I) {
    onnx::NodeProto *R = G->add_node();
    R->set_op_type("Relu");
    R->add_input("X");
    R->add_output("r" + std::to_string(I));
    G->add_output()->set_name("r" + std::to_string(I));
  }
  std::string Bytes;
  REQUIRE(MP.SerializeToString(&Bytes));
  auto Start = std::chrono::steady_clock::now();
  auto M = loadModel(llvm::MemoryBuffer::getMemBufferCopy(Bytes, "fan.onnx"), "fan.onnx");
  REQUIRE(bool(M));
  AnalysisOptions O;
  O.Batch = 1;
  AnalysisManager AM(**M, O);
  const ActivationInfo &AI = AM.get<ActivationMemory>();
  double Secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  const ActivationValue *In = nullptr;
  for (const ActivationValue &V : AI.Values)
    if (V.GraphInput)
      In = &V;
  REQUIRE(In);
  CHECK(In->Readers.size() == static_cast<size_t>(N));
  CHECK(Secs < 10.0);
}
