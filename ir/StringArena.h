// Text that lives as long as its owner: strings saved once, or interned (one
// copy per distinct text), in a bump allocator. The model (ModelStrings) and
// a report's rows (ReportText) keep their text here instead of a heap block
// per string.
//
// Not llvm::StringSaver / UniqueStringSaver: those are compiled into the
// prebuilt LLVMSupport library, whose inline BumpPtrAllocator code does not
// tell AddressSanitizer about the space it hands out, while ours (compiled
// with the sanitizer) poisons each new slab. Mixing the two makes every save
// a false "use-after-poison" in sanitizer builds; here all of the allocator's
// code is compiled in our own files.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Allocator.h"

#include <cstring>
#include <new>
#include <type_traits>

namespace opaudit {

class StringArena {
public:
  StringArena() = default;
  StringArena(const StringArena &) = delete;
  StringArena &operator=(const StringArena &) = delete;

  /// A copy of S (NUL-terminated) that lives as long as the arena.
  llvm::StringRef save(llvm::StringRef S) {
    char *P = static_cast<char *>(Alloc.Allocate(S.size() + 1, llvm::Align(1)));
    if (!S.empty())
      std::memcpy(P, S.data(), S.size());
    P[S.size()] = '\0';
    return {P, S.size()};
  }
  /// The arena's one copy of S.
  llvm::StringRef intern(llvm::StringRef S) {
    auto It = Unique.find(S);
    if (It != Unique.end())
      return *It;
    llvm::StringRef Saved = save(S);
    Unique.insert(Saved);
    return Saved;
  }
  /// Room for N value-initialized objects of T (trivially destructible T only:
  /// the arena never runs destructors).
  template <class T> llvm::MutableArrayRef<T> allocate(size_t N) {
    static_assert(std::is_trivially_destructible_v<T>, "the arena never runs destructors");
    if (N == 0)
      return {};
    T *P = Alloc.Allocate<T>(N);
    for (size_t I = 0; I < N; ++I)
      new (P + I) T();
    return {P, N};
  }

private:
  llvm::BumpPtrAllocator Alloc;
  llvm::DenseSet<llvm::StringRef> Unique;
};

} // namespace opaudit
