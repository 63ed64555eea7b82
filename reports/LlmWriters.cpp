// The three presentations of an LlmResult. Each owns its escaping: JSON
// through llvm::json, SVG text through escapeMarkup (reports/Escape.h).
#include "reports/LlmWriters.h"
#include "reports/Escape.h"
#include "reports/Report.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <cmath>

namespace opaudit {

namespace {

std::string num(std::optional<int64_t> V) { return V ? groupDigits(*V) : "?"; }

std::string fixed(std::optional<double> V, int Digits = 1) {
  if (!V)
    return "?";
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << llvm::format(("%." + std::to_string(Digits) + "f").c_str(), *V);
  return S;
}

std::string gb(std::optional<int64_t> V) {
  return V ? fixed(static_cast<double>(*V) / 1e9, 2) + " GB" : "?";
}

std::string ms(std::optional<double> S) { return S ? fixed(*S * 1e3, 3) + " ms" : "?"; }

} // namespace

void writeLlmTable(const LlmResult &R, llvm::raw_ostream &OS) {
  if (!R.Decoder) {
    OS << R.Model << ": " << R.Reason << "\n";
    return;
  }
  OS << "model:       " << R.Model << "\n";
  OS << "decoder:     " << R.Layers << " layers, " << R.Pairs << " KV-cache tensors; dims: batch "
     << R.BatchDim << ", new tokens " << R.SeqDim << " (" << R.SeqFrom << "), past " << R.PastDim;
  if (!R.TotalDims.empty())
    OS << ", total " << R.TotalDims;
  OS << "\n";
  OS << "weights:     " << groupDigits(R.WeightBytes) << " bytes as stored ("
     << groupDigits(R.Params) << " parameters); embedding table " << groupDigits(R.EmbeddingBytes)
     << " bytes\n";
  OS << "KV cache:    " << groupDigits(R.KvBytesPerToken) << " bytes per token per sequence ("
     << R.KvDType << "); " << R.Formulas.KvBytes << " bytes\n";
  OS << "formulas (batch, prompt, context):\n";
  OS << "  prefill MACs   " << R.Formulas.PrefillMacs << "\n";
  OS << "  prefill bytes  " << R.Formulas.PrefillBytes << "\n";
  OS << "  decode MACs    " << R.Formulas.DecodeMacs << "  (per step)\n";
  OS << "  decode bytes   " << R.Formulas.DecodeBytes << "  (per step)\n";
  OS << "  memory         " << R.Formulas.MemoryBytes << "\n";
  if (!R.HasHardware) {
    for (const LlmPoint &P : R.Points)
      OS << "at batch " << P.Batch << ", context " << R.Context << ": KV cache "
         << groupDigits(P.KvBytes) << " bytes (" << gb(P.KvBytes) << ")\n";
    OS << "(give --hw PROFILE for prefill and decode times and the memory fit)\n";
    return;
  }
  OS << "hardware:    " << R.Hardware << ", " << R.OperatingPoint << "; "
     << fixed(R.BandwidthBytesPerSecond / 1e12, 2) << " TB/s, " << fixed(R.MacsPerSecond / 1e12, 1)
     << " T MAC/s at " << R.Precision;
  if (R.Devices > 1)
    OS << "; " << R.Devices << " devices, tensor parallel";
  OS << "\n\n";
  OS << "prefill (" << R.Prompt << " tokens per sequence"
     << (R.FusedAttention ? ", fused attention" : ", unfused attention") << ")\n";
  OS << llvm::format("  %6s  %26s  %22s  %12s  %8s\n", (const char *)"batch", (const char *)"MACs",
                     (const char *)"bytes", (const char *)"TTFT", (const char *)"bound");
  for (const LlmPoint &P : R.Points)
    OS << llvm::format("  %6lld  %26s  %22s  %12s  %8s\n", (long long)P.Batch,
                       num(P.Prefill.Macs).c_str(), num(P.Prefill.Bytes).c_str(),
                       ms(P.Prefill.LatencySeconds).c_str(), P.Prefill.Bound.c_str());
  OS << "\ndecode (one token per sequence at context " << R.Context << ")\n";
  OS << llvm::format("  %6s  %18s  %22s  %12s  %10s  %10s  %8s\n", (const char *)"batch",
                     (const char *)"MACs/token", (const char *)"bytes/step", (const char *)"step",
                     (const char *)"tokens/s", (const char *)"per seq", (const char *)"bound");
  for (const LlmPoint &P : R.Points)
    OS << llvm::format("  %6lld  %18s  %22s  %12s  %10s  %10s  %8s\n", (long long)P.Batch,
                       num(P.Decode.MacsPerToken).c_str(), num(P.Decode.BytesPerStep).c_str(),
                       ms(P.Decode.LatencySeconds).c_str(), fixed(P.Decode.TokensPerSecond).c_str(),
                       fixed(P.Decode.TokensPerSecondPerSequence).c_str(), P.Decode.Bound.c_str());
  OS << "\nmemory per device (" << (R.Devices > 1 ? "weights and cache split evenly" : "one device")
     << ")\n";
  OS << llvm::format("  %6s  %10s  %10s  %12s  %10s  %10s  %5s\n", (const char *)"batch",
                     (const char *)"weights", (const char *)"KV cache", (const char *)"activations",
                     (const char *)"total", (const char *)"capacity", (const char *)"fits");
  for (const LlmPoint &P : R.Points)
    OS << llvm::format("  %6lld  %10s  %10s  %12s  %10s  %10s  %5s\n", (long long)P.Batch,
                       gb(P.Memory.WeightsBytes).c_str(), gb(P.Memory.KvCacheBytes).c_str(),
                       gb(P.Memory.ActivationBytes).c_str(), gb(P.Memory.TotalBytes).c_str(),
                       gb(P.Memory.DramBytes).c_str(),
                       !P.Memory.Fits   ? "?"
                       : *P.Memory.Fits ? "yes"
                                        : "NO");
  if (!R.Points.empty() && R.Points.front().Memory.MaxBatch)
    OS << "largest batch that fits at context " << R.Context << ": "
       << *R.Points.front().Memory.MaxBatch << "\n";
  if (R.ComputeBoundBatch)
    OS << "decode turns compute-bound at batch " << *R.ComputeBoundBatch << " (context "
       << R.Context << ")\n";
  else
    OS << "decode stays memory-bound at every batch at context " << R.Context
       << ": one sequence's cache read outlasts its compute\n";
  OS << "assumptions:\n";
  for (const std::string &A : R.Assumptions)
    OS << "  - " << A << "\n";
}

void writeLlmJson(const LlmResult &R, llvm::raw_ostream &OS) {
  llvm::json::OStream J(OS, 1);
  auto Int = [&](llvm::StringRef K, std::optional<int64_t> V) {
    if (V)
      J.attribute(K, *V);
    else
      J.attribute(K, nullptr);
  };
  auto Num = [&](llvm::StringRef K, std::optional<double> V) {
    if (V)
      J.attribute(K, *V);
    else
      J.attribute(K, nullptr);
  };
  auto Point = [&](const LlmPoint &P) {
    J.attributeObject("kv_cache", [&] {
      J.attribute("bytes_per_token", R.KvBytesPerToken);
      J.attribute("bytes", P.KvBytes);
      J.attribute("bytes_expr", R.Formulas.KvBytes);
      J.attribute("dtype", R.KvDType);
    });
    J.attributeObject("prefill", [&] {
      J.attribute("tokens", P.Prefill.Tokens);
      Int("macs", P.Prefill.Macs);
      J.attribute("macs_expr", R.Formulas.PrefillMacs);
      Int("bytes", P.Prefill.Bytes);
      J.attribute("bytes_expr", R.Formulas.PrefillBytes);
      Num("latency_seconds", P.Prefill.LatencySeconds);
      J.attribute("bound", P.Prefill.Bound);
    });
    J.attributeObject("decode", [&] {
      J.attribute("context", P.Decode.Context);
      Int("macs_per_token", P.Decode.MacsPerToken);
      J.attribute("macs_per_step_expr", R.Formulas.DecodeMacs);
      Int("bytes_per_step", P.Decode.BytesPerStep);
      J.attribute("bytes_per_step_expr", R.Formulas.DecodeBytes);
      Num("latency_seconds", P.Decode.LatencySeconds);
      Num("tokens_per_second", P.Decode.TokensPerSecond);
      Num("tokens_per_second_per_sequence", P.Decode.TokensPerSecondPerSequence);
      J.attribute("bound", P.Decode.Bound);
    });
    J.attributeObject("memory", [&] {
      J.attribute("weights_bytes", P.Memory.WeightsBytes);
      J.attribute("kv_cache_bytes", P.Memory.KvCacheBytes);
      Int("activation_bytes", P.Memory.ActivationBytes);
      Int("total_bytes", P.Memory.TotalBytes);
      J.attribute("total_bytes_expr", R.Formulas.MemoryBytes);
      Int("dram_bytes", P.Memory.DramBytes);
      if (P.Memory.Fits)
        J.attribute("fits", *P.Memory.Fits);
      else
        J.attribute("fits", nullptr);
      Int("max_batch", P.Memory.MaxBatch);
    });
    J.attributeObject("conditions", [&] {
      J.attribute("batch", P.Batch);
      J.attribute("prompt", R.Prompt);
      J.attribute("context", R.Context);
      J.attribute("devices", R.Devices);
      J.attribute("parallelism", R.Devices > 1 ? "tensor" : "none");
      J.attribute("fused_attention", R.FusedAttention);
      if (R.HasHardware) {
        J.attribute("hardware", R.Hardware);
        J.attribute("operating_point", R.OperatingPoint);
        J.attribute("precision", R.Precision);
        J.attribute("bandwidth_bytes_per_second", R.BandwidthBytesPerSecond);
        J.attribute("macs_per_second", R.MacsPerSecond);
      } else {
        J.attribute("hardware", nullptr);
      }
      J.attributeObject("dims", [&] {
        J.attribute("batch", R.BatchDim);
        J.attribute("sequence", R.SeqDim);
        J.attribute("past", R.PastDim);
        J.attribute("total", R.TotalDims);
      });
    });
    J.attributeArray("assumptions", [&] {
      for (const std::string &A : R.Assumptions)
        J.value(A);
    });
  };
  J.object([&] {
    J.attribute("model", R.Model);
    J.attribute("decoder", R.Decoder);
    if (!R.Decoder) {
      J.attribute("reason", R.Reason);
      return;
    }
    J.attribute("layers", R.Layers);
    J.attribute("weights_bytes", R.WeightBytes);
    J.attribute("params", R.Params);
    Int("compute_bound_batch", R.ComputeBoundBatch);
    if (R.Points.size() == 1) {
      Point(R.Points.front());
      return;
    }
    J.attributeArray("points", [&] {
      for (const LlmPoint &P : R.Points)
        J.object([&] { Point(P); });
    });
  });
  OS << "\n";
}

void writeLlmSvg(const LlmResult &R, llvm::raw_ostream &OS) {
  // Two panels side by side: total tokens/s and per-sequence step latency,
  // both against batch on a log2 axis.
  const int W = 360, H = 240, Pad = 50;
  std::vector<double> Bs, Tps, Lat;
  for (const LlmPoint &P : R.Points)
    if (P.Decode.TokensPerSecond && P.Decode.LatencySeconds) {
      Bs.push_back(std::log2(static_cast<double>(P.Batch)));
      Tps.push_back(*P.Decode.TokensPerSecond);
      Lat.push_back(*P.Decode.LatencySeconds * 1e3);
    }
  OS << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << 2 * W << "\" height=\"" << H + 40
     << "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  OS << "<text x=\"10\" y=\"16\">" << escapeMarkup(R.Model) << ": decode at context " << R.Context
     << " on " << escapeMarkup(R.Hardware) << "</text>\n";
  auto Panel = [&](int X0, const std::vector<double> &Y, llvm::StringRef Label) {
    double XMax = Bs.empty() ? 1 : std::max(1.0, *std::max_element(Bs.begin(), Bs.end()));
    double YMax = Y.empty() ? 1 : *std::max_element(Y.begin(), Y.end()) * 1.1;
    auto PX = [&](double X) { return X0 + Pad + X / XMax * (W - 2 * Pad); };
    auto PY = [&](double V) { return 30 + (H - Pad) - V / YMax * (H - Pad - 10); };
    OS << "<line x1=\"" << X0 + Pad << "\" y1=\"" << 30 + H - Pad << "\" x2=\"" << X0 + W - Pad
       << "\" y2=\"" << 30 + H - Pad << "\" stroke=\"black\"/>\n";
    OS << "<line x1=\"" << X0 + Pad << "\" y1=\"40\" x2=\"" << X0 + Pad << "\" y2=\""
       << 30 + H - Pad << "\" stroke=\"black\"/>\n";
    OS << "<text x=\"" << X0 + Pad << "\" y=\"" << H + 30 << "\">" << escapeMarkup(Label)
       << " (max " << fixed(YMax / 1.1) << ") against batch (log2)</text>\n";
    OS << "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"";
    for (size_t I = 0; I < Y.size(); ++I)
      OS << fixed(PX(Bs[I])) << "," << fixed(PY(Y[I])) << " ";
    OS << "\"/>\n";
    for (size_t I = 0; I < Y.size(); ++I)
      OS << "<circle cx=\"" << fixed(PX(Bs[I])) << "\" cy=\"" << fixed(PY(Y[I]))
         << "\" r=\"3\" fill=\"#1f77b4\"><title>batch " << R.Points[I].Batch << ": " << fixed(Y[I])
         << "</title></circle>\n";
  };
  Panel(0, Tps, "tokens/s");
  Panel(W, Lat, "per-sequence step latency, ms");
  OS << "</svg>\n";
}

} // namespace opaudit
