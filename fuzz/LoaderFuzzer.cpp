// libFuzzer entry point covering everything a model file reaches: the
// streaming loader (from memory, no external files touched), shape inference,
// MAC counting, weight attribution, the presentation model and every report
// writer. Built only with -DOPAUDIT_FUZZ=ON and clang (see docs/fuzzing.md);
// a crash, hang, sanitizer report or leak here is a bug in opaudit.
#include "ir/Loader.h"
#include "reports/Report.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>

using namespace opaudit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Bytes(reinterpret_cast<const char *>(Data), Size);
  LoadOptions LO;
  // The fuzzer must never depend on the filesystem: external-data locations
  // are still validated as strings, but not resolved.
  LO.CheckExternalFiles = false;
  auto A = Analysis::fromBuffer(llvm::MemoryBuffer::getMemBufferCopy(Bytes, "fuzz.onnx"),
                                "fuzz/fuzz.onnx", {}, LO);
  if (!A) {
    llvm::consumeError(A.takeError());
    return 0;
  }
  Report R = buildReport(**A);
  for (const FormatInfo &F : formats()) {
    std::string Out;
    llvm::raw_string_ostream OS(Out);
    F.Write(R, OS);
  }
  return 0;
}
