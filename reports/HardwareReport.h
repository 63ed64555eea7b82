// Writers for `opaudit hw list` and `opaudit hw show`: the catalog as one row
// per part, and one profile in full (dense peaks per precision at an
// operating point, memory, sources, notes and the consistency findings), as a
// table or JSON. They only serialize; the figures come from ir/Hardware.h.
#pragma once

#include "ir/Hardware.h"

#include "llvm/Support/raw_ostream.h"

namespace opaudit {

/// One row per profile: name, kind, dense int8 TOPS at the nominal point,
/// DRAM bandwidth and capacity, on-chip bytes, title.
void writeHardwareList(llvm::ArrayRef<HardwareProfile> Profiles, bool Json, llvm::raw_ostream &OS);

/// One profile at one of its operating points. Issues are the consistency
/// findings (empty when it passes).
void writeHardwareShow(const HardwareProfile &H, const OperatingPoint &P,
                       llvm::ArrayRef<HwIssue> Issues, bool Json, llvm::raw_ostream &OS);

} // namespace opaudit
