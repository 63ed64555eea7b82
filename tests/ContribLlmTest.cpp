// The contrib and default-domain operators of onnxruntime-genai decoders:
// SimplifiedLayerNormalization in the default domain, GroupQueryAttention
// with seqlens_k, total_sequence_length and rotary caches, MatMulNBits.
// Figures from docs/llm.md (the ONNX Runtime MAC probe on the tiny models).
#include "TestUtil.h"
#include "analyzer/Analysis.h"
#include "passes/MacCount.h"
#include "passes/Weights.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

using namespace opaudit;

namespace {
std::string tinyDir() {
  static const std::string Dir = [] {
    std::string D = (std::filesystem::temp_directory_path() /
                     ("opaudit-contrib-llm-" + std::to_string(::getpid())))
                        .string();
    std::filesystem::create_directories(D);
    std::string Cmd = "/usr/bin/python3 " + std::string(OPAUDIT_SOURCE_DIR) +
                      "/samples/make_llama.py --all " + D +
                      " --only tiny_genai_int4_fp32,tiny_hf_fp16_sln >/dev/null";
    REQUIRE(std::system(Cmd.c_str()) == 0);
    return D;
  }();
  return Dir;
}

int64_t macsAt(llvm::StringRef Stem, int64_t B, int64_t N, int64_t P) {
  auto A = Analysis::open(tinyDir() + "/" + Stem.str() + ".onnx");
  REQUIRE(static_cast<bool>(A));
  const MacCounts &M = (*A)->get<MacCount>();
  REQUIRE(static_cast<bool>(M.Total));
  llvm::StringMap<int64_t> Binds{{"batch_size", B},
                                 {"sequence_length", N},
                                 {"past_sequence_length", P},
                                 {"total_sequence_length", P + N}};
  auto V = (*A)->evaluate(M.Total, Binds);
  REQUIRE(V.has_value());
  return *V;
}
} // namespace

TEST_CASE("SimplifiedLayerNormalization in the default domain no longer stops inference") {
  CHECK(macsAt("tiny_hf_fp16_sln", 2, 5, 0) == 1000960);
  CHECK(macsAt("tiny_hf_fp16_sln", 3, 1, 8) == 303360);
}

TEST_CASE("genai int4: GroupQueryAttention and MatMulNBits MACs equal the formula") {
  CHECK(macsAt("tiny_genai_int4_fp32", 2, 5, 0) == 1000960);
  CHECK(macsAt("tiny_genai_int4_fp32", 3, 1, 8) == 303360);
  CHECK(macsAt("tiny_genai_int4_fp32", 1, 4, 6) == 405504);
  auto A = Analysis::open(tinyDir() + "/tiny_genai_int4_fp32.onnx");
  REQUIRE(static_cast<bool>(A));
  CHECK((*A)->get<Weights>().TotalParams == 107328); // Logical, as the hf form.
}
