// `opaudit llm MODEL [--hw NAME|FILE] ...`: the serving estimate of an
// exported decoder (analyzer/Llm.h): KV cache, prefill, decode and memory
// fit, as a table or JSON, and optionally an SVG against batch.
#include "analyzer/Llm.h"
#include "cli/Commands.h"
#include "cli/TrafficOptions.h"
#include "reports/LlmWriters.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace opaudit::cli {

namespace {

struct LlmArgs {
  std::string Model, Hw, Precision, OperatingPoint, KvDType, Svg, Format = "table";
  std::string Batches = "1";
  int64_t Prompt = 2048, Context = 4096, Devices = 1;
  bool NoFused = false;
};

int run(const LlmArgs &A) {
  LlmOptions O;
  O.Batches.clear();
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  llvm::StringRef(A.Batches).split(Parts, ',');
  for (llvm::StringRef P : Parts) {
    int64_t N;
    if (P.trim().getAsInteger(10, N) || N < 1)
      return reportError(
          makeError(ErrorCategory::Usage,
                    "--batch expects counts >= 1, comma-separated, got '" + A.Batches + "'"));
    O.Batches.push_back(N);
  }
  if (A.Format != "table" && A.Format != "json")
    return reportError(makeError(ErrorCategory::Usage, "--format must be table or json"));
  O.Prompt = A.Prompt;
  O.Context = A.Context;
  O.Devices = A.Devices;
  O.FusedAttention = !A.NoFused;
  O.Precision = A.Precision;
  O.OperatingPoint = A.OperatingPoint;
  if (!A.KvDType.empty()) {
    O.KvDType = dtypeFromString(A.KvDType);
    if (!O.KvDType || dtypeBits(*O.KvDType) == 0)
      return reportError(
          makeError(ErrorCategory::Usage, "--kv-dtype: unknown dtype '" + A.KvDType + "'"));
  }
  if (!A.Hw.empty()) {
    auto H = loadHardware(A.Hw);
    if (!H)
      return reportError(H.takeError());
    O.Hw = std::move(*H);
    O.HwName = A.Hw;
  }
  auto An = Analysis::open(A.Model);
  if (!An)
    return reportError(An.takeError());
  auto R = estimateLlm(**An, O);
  if (!R)
    return reportError(R.takeError());
  if (A.Format == "json")
    writeLlmJson(*R, llvm::outs());
  else
    writeLlmTable(*R, llvm::outs());
  llvm::outs().flush();
  if (!A.Svg.empty() && R->Decoder) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(A.Svg, EC, llvm::sys::fs::OF_None);
    if (EC) {
      llvm::errs() << "opaudit: error: cannot write '" << A.Svg << "': " << EC.message() << "\n";
      return kExitUsage;
    }
    writeLlmSvg(*R, OS);
  }
  return kExitOk;
}

} // namespace

RunFn setupLlm(CLI::App &Sub) {
  auto A = std::make_shared<LlmArgs>();
  Sub.add_option("model", A->Model, "ONNX decoder with a KV cache")->required();
  Sub.add_option("--hw", A->Hw,
                 "hardware profile: a catalog name (`opaudit hw list`) or a YAML file");
  addPrecisionOption(Sub, A->Precision, "peak used for compute (default: the cache's dtype)");
  Sub.add_option("--operating-point", A->OperatingPoint,
                 "the profile's operating point (default: first)");
  Sub.add_option("--batch", A->Batches, "sequences per batch, comma-separated: 1,8,32")
      ->capture_default_str();
  Sub.add_option("--prompt", A->Prompt, "prefill tokens per sequence")->capture_default_str();
  Sub.add_option("--context", A->Context, "positions a decode step attends to")
      ->capture_default_str();
  Sub.add_option("--kv-dtype", A->KvDType, "count the KV cache at this dtype (default: stored)");
  Sub.add_option("--devices", A->Devices, "tensor-parallel devices: weights and cache split evenly")
      ->capture_default_str();
  Sub.add_flag("--no-fused-attention", A->NoFused, "charge score matrices as activation traffic");
  Sub.add_option("--format", A->Format, "table|json")->capture_default_str();
  Sub.add_option("--svg", A->Svg, "plot tokens/s and per-sequence latency against batch to FILE");
  return [A] { return run(*A); };
}

} // namespace opaudit::cli
