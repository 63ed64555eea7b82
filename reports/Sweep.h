// Writers for the batch sweep (analyzer/Sweep.h computes it): a console
// table, JSON, CSV and a hand-written SVG plot (throughput with its compute
// ceiling, latency and weight traffic per inference against batch). The SVG
// is plain XML with every text escaped, so that any model or profile name
// gives a file an XML parser reads.
#pragma once

#include "analyzer/Sweep.h"

#include "llvm/Support/raw_ostream.h"

namespace opaudit {

void writeSweepTable(const SweepResult &S, llvm::raw_ostream &OS);
/// Exact figures: integers for bytes, seconds and inferences/s as reals, null when unknown.
void writeSweepJson(const SweepResult &S, llvm::raw_ostream &OS);
/// One row per batch, the same fields as the JSON points; an unknown is an empty cell.
void writeSweepCsv(const SweepResult &S, llvm::raw_ostream &OS);
void writeSweepSvg(const SweepResult &S, llvm::raw_ostream &OS);

/// 1234567 -> "1.23 MB": SI prefixes, three significant digits; below 1 kB a
/// whole number of bytes (rounded), never a fraction of a byte.
std::string sweepBytesText(double Bytes);

} // namespace opaudit
