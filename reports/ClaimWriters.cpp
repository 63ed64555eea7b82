// `opaudit claim -f json` as a writer: fixed names, one object, the
// utilization under every built-in convention and, for a claimed rate, the
// conventions under which it would fit the peak.
#include "reports/ClaimWriters.h"

#include "llvm/Support/JSON.h"

namespace opaudit {

void writeClaimJson(llvm::json::OStream &J, llvm::StringRef Model, llvm::StringRef Hardware,
                    const ClaimResult &R) {
  J.object([&] {
    J.attribute("schema_version", 1);
    J.attribute("model", Model);
    J.attributeObject("convention", [&] {
      J.attribute("name", R.ConventionName);
      J.attribute("meaning", R.ConventionMeaning);
      J.attribute("ops_per_mac", R.ConventionOpsPerMac);
    });
    J.attribute("peak_tops", R.QuotedTops);
    J.attribute("dense_tops", R.DenseTops);
    J.attribute("peak_basis", R.PeakBasis);
    if (!Hardware.empty())
      J.attribute("hardware", Hardware);
    J.attribute("sparsity", R.Sparse ? "2:4" : "none");
    J.attribute("batch", R.Batch);
    J.attribute("fps", R.Fps);
    J.attribute("fps_claimed", R.FpsClaimed);
    J.attribute("ops_per_image", R.OpsPerImage);
    J.attribute("ops_per_inference", R.OpsPerInference);
    J.attribute("macs_per_image", R.MacsPerImage);
    J.attribute("effective_tops", R.EffectiveTops);
    J.attribute("peak_macs_per_second", R.PeakMacsPerSecond);
    J.attribute("mac_utilization", R.MacUtilization);
    J.attribute("plausible", R.plausible());
    J.attribute("plausibility", plausibilityName(R.Grade));
    auto Need = [&](const ConventionNeed &C) {
      J.object([&] {
        J.attribute("name", C.Name);
        J.attribute("utilization", C.Utilization);
      });
    };
    J.attributeArray("conventions", [&] {
      for (const ConventionNeed &C : R.Conventions)
        Need(C);
    });
    if (R.FpsClaimed)
      J.attributeArray("consistent_conventions", [&] {
        for (const ConventionNeed &C : R.Conventions)
          if (C.Utilization <= 1.0)
            Need(C);
      });
    if (!R.Precision.empty()) {
      J.attribute("precision", R.Precision);
      J.attribute("precision_from_graph", R.PrecisionFromGraph);
      if (R.MacsAtPrecision)
        J.attribute("macs_at_precision", *R.MacsAtPrecision);
      else
        J.attribute("macs_at_precision", nullptr);
    }
    J.attributeObject("graph_macs_by_precision", [&] {
      for (const auto &[P, V] : R.GraphMacsByPrecision)
        if (V)
          J.attribute(P, *V);
        else
          J.attribute(P, nullptr);
    });
  });
}

void writeClaimJson(llvm::StringRef Model, llvm::StringRef Hardware, const ClaimResult &R,
                    llvm::raw_ostream &OS) {
  {
    llvm::json::OStream J(OS, 2);
    writeClaimJson(J, Model, Hardware, R);
  }
  OS << "\n";
}

} // namespace opaudit
