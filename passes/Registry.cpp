// The pass registry table: every analysis opaudit has, for `opaudit --list`.
#include "analyzer/PassManager.h"
#include "passes/MacCount.h"
#include "passes/Precision.h"
#include "passes/ShapeInference.h"
#include "passes/Weights.h"
#include "passes/ActivationMemory.h"
#include "passes/Roofline.h"
#include "passes/Traffic.h"

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
  };
  return Table;
}

} // namespace opaudit
