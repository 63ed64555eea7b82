// Writers of reconcile's result (analyzer/Reconcile.h): the console table and
// the JSON object, shared by `opaudit reconcile` and the Python module.
#pragma once

#include "analyzer/Reconcile.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace opaudit {

/// One model's reconciliation as a JSON object on \p J.
void writeReconcileJson(llvm::json::OStream &J, const ReconcileResult &R);

/// The console table: one row per convention, one column per operator class.
void writeReconcileTable(const ReconcileResult &R, llvm::raw_ostream &OS);

} // namespace opaudit
