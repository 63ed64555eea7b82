// The writers' one escaping routine (see Escape.h): runs of ordinary text go
// to llvm::printHTMLEscaped; this file only decides what happens to the
// characters a markup context cannot carry.
#include "reports/Escape.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

namespace opaudit {

namespace {
/// U+FFFD REPLACEMENT CHARACTER, for a character the context cannot carry.
/// Not `?`: in a report `?` means an unknown figure.
constexpr llvm::StringLiteral kReplacement = "\xEF\xBF\xBD";

enum class Context { Markup, GraphvizLabel };

/// Length of the well-formed UTF-8 sequence at S[I] (a byte >= 0x80), or 0.
size_t utf8Length(llvm::StringRef S, size_t I) {
  auto *P = reinterpret_cast<const llvm::UTF8 *>(S.data()) + I;
  unsigned N = llvm::getNumBytesForUTF8(*P);
  return N <= S.size() - I && llvm::isLegalUTF8Sequence(P, P + N) ? N : 0;
}

/// Whether the well-formed sequence S[I, I + N) is a character HTML5 or
/// XML 1.0 rejects: a C1 control (U+0080..U+009F) or U+FFFE/U+FFFF.
bool rejected(llvm::StringRef S, size_t I, size_t N) {
  llvm::StringRef C = S.substr(I, N);
  return (N == 2 && C[0] == '\xC2' && static_cast<unsigned char>(C[1]) < 0xA0) ||
         C == "\xEF\xBF\xBE" || C == "\xEF\xBF\xBF";
}

void printEscaped(llvm::StringRef S, Context C, llvm::raw_ostream &OS) {
  size_t Run = 0; // Start of the ordinary text not yet written.
  size_t I = 0;
  while (I < S.size()) {
    unsigned char B = static_cast<unsigned char>(S[I]);
    size_t Len = 1; // Bytes of the character at S[I].
    if (B >= 0x80) {
      size_t N = utf8Length(S, I);
      if (N && !rejected(S, I, N)) {
        I += N;
        continue;
      }
      Len = std::max<size_t>(N, 1); // One U+FFFD per character, or per stray byte.
    } else if ((B >= 0x20 && B != 0x7F) || (C == Context::Markup && (B == '\t' || B == '\r'))) {
      ++I;
      continue;
    }
    // S[I] cannot be written as it is.
    llvm::printHTMLEscaped(S.slice(Run, I), OS);
    if (B == '\n' && C == Context::Markup)
      OS << "&#10;";
    else if (B == '\t' || B == '\n' || B == '\r')
      OS << ' ';
    else
      OS << kReplacement;
    I += Len;
    Run = I;
  }
  llvm::printHTMLEscaped(S.slice(Run, I), OS);
}
} // namespace

std::string escapeMarkup(llvm::StringRef S) {
  std::string R;
  llvm::raw_string_ostream OS(R);
  printEscaped(S, Context::Markup, OS);
  return OS.str();
}

std::string escapeGraphvizLabel(llvm::StringRef S) {
  std::string R;
  llvm::raw_string_ostream OS(R);
  printEscaped(S, Context::GraphvizLabel, OS);
  return OS.str();
}

} // namespace opaudit
