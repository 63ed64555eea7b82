// Acceptance tests of `opaudit llm` (issue 12) on the decoders that
// samples/make_llama.py builds: the figures asserted are those of
// docs/llm.md and samples/llm_formulas.py, which do not use the C++.
#include "analyzer/Llm.h"
#include "TestUtil.h"
#include "passes/KvCache.h"
#include "passes/MacCount.h"
#include "passes/Weights.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

using namespace opaudit;
using opaudit::test::runCli;

namespace {

/// Builds the standard decoders once per test run (sparse weights: no disk).
const std::string &decoderDir() {
  static const std::string Dir = [] {
    std::string D =
        (std::filesystem::temp_directory_path() / ("opaudit-llm-" + std::to_string(::getpid())))
            .string();
    std::filesystem::create_directories(D);
    std::string Cmd = "/usr/bin/python3 " + std::string(OPAUDIT_SOURCE_DIR) +
                      "/samples/make_llama.py --all " + D +
                      " --only llama2_7b_hf_fp16,llama2_7b_genai_int4_fp16,llama2_70b_hf_fp16,"
                      "tiny_genai_int4_fp32,tiny_hf_fp16_sln,tiny_mha_hf_fp32 >/dev/null";
    REQUIRE(std::system(Cmd.c_str()) == 0);
    return D;
  }();
  return Dir;
}

std::unique_ptr<Analysis> openDecoder(llvm::StringRef Stem) {
  auto A = Analysis::open(decoderDir() + "/" + Stem.str() + ".onnx");
  REQUIRE(static_cast<bool>(A));
  return std::move(*A);
}

LlmResult estimate(Analysis &A, LlmOptions O) {
  auto R = estimateLlm(A, O);
  REQUIRE(static_cast<bool>(R));
  return std::move(*R);
}

LlmOptions h100(std::vector<int64_t> Batches = {1}) {
  LlmOptions O;
  auto H = loadHardware("h100-sxm");
  REQUIRE(static_cast<bool>(H));
  O.Hw = std::move(*H);
  O.Batches = std::move(Batches);
  O.Prompt = 2048;
  O.Context = 4096;
  return O;
}

} // namespace

TEST_CASE("Llama-2-7B fp16 decoder: KV cache, MACs and decode bytes equal docs/llm.md") {
  auto A = openDecoder("llama2_7b_hf_fp16");
  const KvCacheInfo &KV = A->get<KvCache>();
  REQUIRE(KV.Decoder);
  CHECK(KV.Pairs.size() == 64);
  CHECK(KV.BatchDim == "batch_size");
  CHECK(KV.SeqDim == "sequence_length");
  CHECK(KV.PastDim == "past_sequence_length");
  CHECK(KV.BytesPerToken == 524288);
  LlmResult R = estimate(*A, h100({1, 32}));
  const LlmPoint &P = R.Points[0];
  CHECK(R.Params == 6738415616);
  CHECK(P.KvBytes == 2147483648);
  CHECK(P.Prefill.Macs == 14630806093824);
  CHECK(P.Decode.MacsPerToken == 7680819200);
  CHECK(P.Decode.BytesPerStep == 15362179072);
  // Memory-bound: tokens/s = bandwidth / bytes per step.
  CHECK(P.Decode.Bound == "memory");
  CHECK(*P.Decode.TokensPerSecond == doctest::Approx(3.35e12 / 15362179072.0).epsilon(1e-12));
  // Compute-bound prefill: TTFT = MACs / peak MAC rate.
  CHECK(P.Prefill.Bound == "compute");
  CHECK(*P.Prefill.LatencySeconds ==
        doctest::Approx(14630806093824.0 / R.MacsPerSecond).epsilon(1e-12));
  CHECK(R.MacsPerSecond == doctest::Approx(494.7e12));
  CHECK(P.Prefill.Bytes == 14305206272);
  CHECK(P.Memory.MaxBatch == 30);
  CHECK(R.Points[1].Memory.Fits == false);
  CHECK(R.Points[1].Decode.TokensPerSecond.value() == doctest::Approx(1308.4).epsilon(1e-4));
  CHECK(!R.ComputeBoundBatch);
  CHECK(R.Formulas.DecodeBytes == "524288*batch*context + 8192*batch + 13214687232");
}

TEST_CASE("Llama-2-70B GQA decoder: KV bytes per token, decode MACs and bytes, two devices") {
  auto A = openDecoder("llama2_70b_hf_fp16");
  LlmOptions O = h100();
  O.Devices = 2;
  LlmResult R = estimate(*A, O);
  const LlmPoint &P = R.Points[0];
  CHECK(R.KvBytesPerToken == 327680);
  CHECK(P.Prefill.Macs == 146222161592320);
  CHECK(P.Decode.MacsPerToken == 74081894400);
  CHECK(P.Decode.BytesPerStep == 138771202048);
  CHECK(*P.Decode.TokensPerSecond == doctest::Approx(48.3).epsilon(1e-3));
  CHECK(P.Memory.MaxBatch == 16);
}

TEST_CASE("Llama-2-7B genai int4 form: MACs, logical parameters and int4 decode bytes") {
  auto A = openDecoder("llama2_7b_genai_int4_fp16");
  const WeightInfo &W = A->get<Weights>();
  CHECK(W.TotalParams == 6738415616); // Logical N*K weights, not 3.64 G stored elements.
  CHECK(W.TotalBytes == 3979157504);  // As stored, scales included, rotary caches not.
  REQUIRE(A->get<KvCache>().Decoder);
  LlmResult R = estimate(*A, h100());
  const LlmPoint &P = R.Points[0];
  CHECK(P.Prefill.Macs == 14630806093824);
  CHECK(P.Decode.MacsPerToken == 7680819200);
  CHECK(P.Decode.BytesPerStep == 5864505344);
  CHECK(*P.Decode.TokensPerSecond == doctest::Approx(571.2).epsilon(1e-4));
}

TEST_CASE("opaudit llm: JSON names, formulas without --hw, and the not-a-decoder line") {
  auto J =
      runCli("llm " + decoderDir() + "/llama2_7b_genai_int4_fp16.onnx --hw h100-sxm --format json");
  CHECK(J.Exit == 0);
  CHECK(J.Out.find("\"bytes_per_step\": 5864505344") != std::string::npos);
  CHECK(J.Out.find("\"bytes_per_token\": 524288") != std::string::npos);
  CHECK(J.Out.find("\"tokens_per_second_per_sequence\"") != std::string::npos);
  CHECK(J.Out.find("\"max_batch\"") != std::string::npos);
  auto F = runCli("llm " + decoderDir() + "/llama2_7b_hf_fp16.onnx");
  CHECK(F.Exit == 0);
  CHECK(F.Out.find("524288*batch*context bytes") != std::string::npos);
  auto Multi = runCli("llm " + decoderDir() +
                      "/tiny_mha_hf_fp32.onnx --hw h100-sxm --batch 1,2 --format json");
  CHECK(Multi.Out.find("\"points\"") != std::string::npos);
  auto N = runCli("llm " + std::string(OPAUDIT_SOURCE_DIR) + "/samples/models/resnet50.onnx");
  CHECK(N.Exit == 0);
  CHECK(N.Out.find("not a decoder") != std::string::npos);
  CHECK(std::count(N.Out.begin(), N.Out.end(), '\n') == 1);
}
