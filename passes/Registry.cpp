// The pass registry table: every analysis opaudit has, for `opaudit --list`.
#include "ir/PassManager.h"
#include "passes/ActivationMemory.h"
#include "passes/KvCache.h"
#include "passes/MacCount.h"
#include "passes/Precision.h"
#include "passes/Roofline.h"
#include "passes/ShapeInference.h"
#include "passes/Traffic.h"
#include "passes/Weights.h"

namespace opaudit {

llvm::ArrayRef<PassInfo> registeredPasses() {
  static const PassInfo Table[] = {
      {ShapeInference::Name, ShapeInference::Description},
      {MacCount::Name, MacCount::Description},
      {Weights::Name, Weights::Description},
      {ActivationMemory::Name, ActivationMemory::Description},
      {Traffic::Name, Traffic::Description},
      {Roofline::Name, Roofline::Description},
      {Precision::Name, Precision::Description},
      {KvCache::Name, KvCache::Description},
  };
  return Table;
}

} // namespace opaudit
