// Baseline for bench/: what a naive C++ reader of an ONNX file costs. It reads
// the whole file into memory and parses it with the generated ModelProto
// parser (ParseFromArray), which copies every weight into the message, then
// prints a few counts so the work cannot be optimized away.
#include "onnx/onnx_pb.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

int main(int Argc, char **Argv) {
  if (Argc != 2) {
    std::fprintf(stderr, "usage: naive_parse MODEL.onnx\n");
    return 2;
  }
  std::ifstream In(Argv[1], std::ios::binary);
  std::string Bytes((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
  if (!In.good() && !In.eof()) {
    std::fprintf(stderr, "naive_parse: cannot read %s\n", Argv[1]);
    return 3;
  }
  onnx::ModelProto M;
  if (!M.ParseFromArray(Bytes.data(), static_cast<int>(Bytes.size()))) {
    std::fprintf(stderr, "naive_parse: %s is not a ModelProto\n", Argv[1]);
    return 3;
  }
  std::printf("%d nodes, %d initializers\n", M.graph().node_size(), M.graph().initializer_size());
  return 0;
}
