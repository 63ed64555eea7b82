// Escaping for the markup the writers produce: HTML pages, standalone SVG
// files, and the HTML-like labels of Graphviz pictures. Model names are
// hostile input (any bytes protobuf will carry), so every model-provided
// string a writer puts into markup goes through one of these two functions;
// writers never escape by hand.
#ifndef OPAUDIT_REPORTS_ESCAPE_H
#define OPAUDIT_REPORTS_ESCAPE_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace opaudit {

/// Text or an attribute value in an HTML5 page or an XML 1.0 document (SVG).
/// `& < > " '` are escaped by llvm::printHTMLEscaped (`'` as `&apos;`, which
/// both HTML5 and XML define). One escaping serves both: a page's inline SVG
/// is read by the HTML parser, a standalone SVG by an XML parser, and a
/// character either one rejects is replaced by U+FFFD: C0 controls other than
/// tab, newline and carriage return (XML 1.0 forbids them even as `&#1;`,
/// HTML5 makes them parse errors), DEL and C1 controls (HTML5 parse errors),
/// the noncharacters U+FFFE/U+FFFF, and every byte that is not part of
/// well-formed UTF-8 (an XML parser stops at it). A newline is written
/// `&#10;`: the same text, but a table row of the page stays on one line.
std::string escapeMarkup(llvm::StringRef S);

/// Text in a Graphviz HTML-like label (`label=<...>`). Graphviz parses these
/// with expat, as XML 1.0, and fails the render on a character XML forbids,
/// so the replacements are those of escapeMarkup. Tab, newline and carriage
/// return become a space: Graphviz drops them from label text (checked with
/// libgvc 2.42), which would join the words on either side; a line break in
/// a label is markup (`<br/>`), never text.
std::string escapeGraphvizLabel(llvm::StringRef S);

} // namespace opaudit

#endif
