// Writers for `opaudit llm` (analyzer/Llm.h): a table for people, JSON with
// fixed names for scripts (issue 12), and an SVG of tokens/s and
// per-sequence latency against batch.
#pragma once

#include "analyzer/Llm.h"

#include "llvm/Support/raw_ostream.h"

namespace opaudit {

void writeLlmTable(const LlmResult &R, llvm::raw_ostream &OS);
void writeLlmJson(const LlmResult &R, llvm::raw_ostream &OS);
void writeLlmSvg(const LlmResult &R, llvm::raw_ostream &OS);

} // namespace opaudit
