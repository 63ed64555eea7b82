// `opaudit ledger`: the embedded ledger parses, and every evaluated row is
// checked against the hand-computed table of docs/hardware.md (rate x 2 x
// the bundled model's MACs over the catalog part's dense peak).
#include "tests/TestUtil.h"

#include "analyzer/Ledger.h"

#include "llvm/Support/JSON.h"

using namespace opaudit;
using namespace opaudit::test;

TEST_CASE("Ledger: utilizations match the hand-computed table") {
  auto L = builtinLedger();
  REQUIRE_MESSAGE(static_cast<bool>(L), llvm::toString(L.takeError()));
  CHECK(L->Entries.size() >= 12);
  auto Rows = evaluateLedger(*L, sampleMacsUnder(OPAUDIT_SOURCE_DIR));
  auto Util = [&](llvm::StringRef Id) -> std::optional<double> {
    for (const LedgerRow &R : Rows)
      if (R.Entry->Id == Id)
        return R.Utilization;
    FAIL("no ledger entry " << Id.str());
    return std::nullopt;
  };
  constexpr double RN = 4'089'184'256.0, MB2 = 300'774'272.0;
  // docs/hardware.md, "Quoted TOPS, delivered TOPS, utilization".
  CHECK(*Util("mlperf-v0.7-t4-resnet50-offline") == doctest::Approx(6035.57 * 2 * RN / 130e12));
  CHECK(*Util("mlperf-v0.7-t4-resnet50-singlestream") ==
        doctest::Approx(1000 / 1.086217 * 2 * RN / 130e12));
  CHECK(*Util("mlperf-v3.1-h100-sxm-resnet50-offline") ==
        doctest::Approx(88526 * 2 * RN / 1979e12));
  CHECK(*Util("hailo-zoo-hailo-8-mobilenet_v2_1.0-b1") == doctest::Approx(2597 * 2 * MB2 / 26e12));
  // Cloud AI 100: 8 cards, 375 TOPS each.
  CHECK(*Util("mlperf-v3.1-qualcomm-cloud-ai-100-pro-resnet50-offline") ==
        doctest::Approx(169969.0 / 8 * 2 * RN / 375e12));
  size_t Evaluated = 0;
  for (const LedgerRow &R : Rows) {
    if (R.evaluated()) {
      ++Evaluated;
      CHECK(*R.Utilization < 1.0);
      CHECK(R.Source);
    } else {
      CHECK_FALSE(R.Reason.empty());
    }
  }
  CHECK(Evaluated >= 12);
}

TEST_CASE("Ledger: the CLI prints the table and JSON") {
  auto T = runCli("ledger");
  REQUIRE_MESSAGE(T.Exit == 0, T.Err);
  CHECK(T.Out.find("quoted TOPS  delivered TOPS  utilization") != std::string::npos);
  CHECK(T.Out.find("not evaluated:") != std::string::npos);
  auto J = runCli("ledger --format json");
  REQUIRE(J.Exit == 0);
  auto V = llvm::json::parse(J.Out);
  REQUIRE(static_cast<bool>(V));
  CHECK(V->getAsObject()->getArray("results")->size() >= 40);
  CHECK(runCli("ledger --format csv").Exit == 2);
}
