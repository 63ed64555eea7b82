// Tests of reports/Escape.h: the exact bytes of each escaping, and that what
// the writers produce from a hostile name parses back to that name, with an
// XML parser (standalone SVG), Python's HTML parser (pages) and Graphviz
// (HTML-like labels). Each parse check is paired with one on the unescaped
// text, which must fail, so the check itself can fail.
#include "tests/TestUtil.h"

#include "analyzer/Analysis.h"
#include "analyzer/Llm.h"
#include "reports/Diff.h"
#include "reports/Escape.h"
#include "reports/Graph.h"
#include "reports/GraphDot.h"
#include "reports/LlmWriters.h"
#include "reports/SummaryWriter.h"
#include "reports/Sweep.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cstdlib>
#include <optional>

using namespace opaudit;
using namespace opaudit::test;

namespace {
/// Every markup-special character, a C0 control, and a UTF-8 multibyte name.
const std::string kName = "x<y>&\"'\x01z conv/\xCE\xB2";
/// kName as a parser reads it back: the control became U+FFFD.
const std::string kRead = "x<y>&\"'\xEF\xBF\xBDz conv/\xCE\xB2";
/// kName escaped, for every context.
const std::string kEscaped = "x&lt;y&gt;&amp;&quot;&apos;\xEF\xBF\xBDz conv/\xCE\xB2";

const char *kParser = R"(import sys, json, html.parser, xml.etree.ElementTree as E
kind, path, tag = sys.argv[1:4]
doc = open(path, encoding='utf-8', errors='strict').read()
out = []
if kind == 'xml':
    for e in E.fromstring(doc).iter():
        if e.tag.split('}')[-1] == tag:
            out.append(''.join(e.itertext()))
else:
    class P(html.parser.HTMLParser):
        depth = 0
        def handle_starttag(self, t, a):
            if t == tag:
                self.depth += 1
                out.append('')
        def handle_endtag(self, t):
            if t == tag:
                self.depth -= 1
        def handle_data(self, d):
            if self.depth:
                out[-1] += d
    p = P(convert_charrefs=True)
    p.feed(doc)
    p.close()
sys.stdout.write(json.dumps(out))
)";

/// The text of every `Tag` element of Doc, read by Python's XML parser
/// (Kind "xml") or HTML parser (Kind "html"); nullopt when it does not parse.
std::optional<std::vector<std::string>> texts(const std::string &Doc, const char *Kind,
                                              const char *Tag) {
  static const std::string Script = writeTemp("escape_parse.py", kParser);
  std::string Path = writeTemp("escape_doc", Doc);
  std::string Out = Path + ".json";
  std::string Cmd = "/usr/bin/python3 " + Script + " " + Kind + " " + Path + " " + Tag + " > " +
                    Out + " 2>/dev/null";
  if (std::system(Cmd.c_str()) != 0)
    return std::nullopt;
  auto Buf = llvm::MemoryBuffer::getFile(Out);
  REQUIRE(Buf);
  auto J = llvm::json::parse((*Buf)->getBuffer());
  REQUIRE(bool(J));
  std::vector<std::string> R;
  for (const llvm::json::Value &V : *J->getAsArray())
    R.push_back(V.getAsString()->str());
  return R;
}

bool has(const std::optional<std::vector<std::string>> &Texts, const std::string &Want) {
  return Texts && std::find(Texts->begin(), Texts->end(), Want) != Texts->end();
}

std::string svgWith(const std::string &Text) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>" + Text + "</text></svg>\n";
}

std::string pageWith(const std::string &Text) {
  return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + Text +
         "</title></head><body><p>" + Text + "</p></body></html>\n";
}

std::string labelDot(const std::string &Text) {
  return "digraph { n [label=<<table><tr><td>" + Text + "</td></tr></table>>]; }\n";
}

template <typename T, typename W> std::string render(const T &Value, W Writer) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  Writer(Value, OS);
  return OS.str();
}
} // namespace

TEST_CASE("Escape: markup and Graphviz label bytes") {
  CHECK(escapeMarkup(kName) == kEscaped);
  CHECK(escapeGraphvizLabel(kName) == kEscaped);
  CHECK(escapeMarkup("plain conv/\xCE\xB2 \xF0\x9F\x98\x80") ==
        "plain conv/\xCE\xB2 \xF0\x9F\x98\x80");
  CHECK(escapeMarkup("") == "");
  // Whitespace: a newline keeps a row on one line of markup; Graphviz would
  // drop all three, joining the words.
  CHECK(escapeMarkup("a\nb\tc\rd") == "a&#10;b\tc\rd");
  CHECK(escapeGraphvizLabel("a\nb\tc\rd") == "a b c d");
  // What neither HTML5 nor XML 1.0 carries: NUL, the other C0 controls, DEL,
  // C1 controls (U+0085), U+FFFF, and bytes outside well-formed UTF-8 (a
  // stray continuation byte, a truncated sequence, an overlong '/', a UTF-16
  // surrogate, 0xFF).
  const std::string R = "\xEF\xBF\xBD";
  CHECK(escapeMarkup(std::string("a\0b", 3)) == "a" + R + "b");
  CHECK(escapeMarkup("\x1f\x7f|\xC2\x85|\xEF\xBF\xBF") == R + R + "|" + R + "|" + R);
  CHECK(escapeMarkup("\x80|\xCE|\xC0\xAF|\xED\xA0\x80|\xFF<") ==
        R + "|" + R + "|" + R + R + "|" + R + R + R + "|" + R + "&lt;");
  CHECK(escapeGraphvizLabel("\x0c\xCE") == R + R);
}

TEST_CASE("Escape: escaped text parses back as SVG, HTML and a Graphviz label") {
  // XML 1.0 (a standalone SVG).
  CHECK(has(texts(svgWith(escapeMarkup(kName)), "xml", "text"), kRead));
  CHECK_FALSE(texts(svgWith(kName), "xml", "text"));
  CHECK_FALSE(texts(svgWith("a\xFF"), "xml", "text"));
  CHECK(has(texts(svgWith(escapeMarkup("a\nb")), "xml", "text"), "a\nb"));
  // HTML5: the title and the paragraph read back as the name.
  auto Page = texts(pageWith(escapeMarkup(kName)), "html", "title");
  CHECK(has(Page, kRead));
  CHECK(has(texts(pageWith(escapeMarkup(kName)), "html", "p"), kRead));
  CHECK_FALSE(has(texts(pageWith("x<y>"), "html", "p"), "x<y>"));
  // Graphviz reads the label (an error fails renderDot) and writes it into
  // its SVG, which parses back to the name.
  auto Svg = renderDot(labelDot(escapeGraphvizLabel(kName)), "svg");
  REQUIRE(bool(Svg));
  CHECK(has(texts(*Svg, "xml", "text"), kRead));
  auto Raw = renderDot(labelDot("a\x01z"), "svg");
  CHECK_FALSE(bool(Raw));
  llvm::consumeError(Raw.takeError());
  CHECK(has(texts(*renderDot(labelDot(escapeGraphvizLabel("a\nb")), "svg"), "xml", "text"), "a b"));
}

TEST_CASE("Escape: every markup writer escapes a hostile name") {
  SUBCASE("sweep SVG") {
    SweepResult S;
    S.Model = kName;
    S.Hardware = "hw";
    S.Points = {{1, 10.0, 10.0, 0.1, 100, 100.0, 200, 50, "memory"}};
    std::string Svg = render(S, writeSweepSvg);
    CHECK(Svg.find(kEscaped + " on hw") != std::string::npos);
    CHECK(has(texts(Svg, "xml", "text"), kRead + " on hw"));
  }
  SUBCASE("LLM SVG") {
    LlmResult L;
    L.Model = kName;
    L.Hardware = "hw";
    L.Context = 128;
    std::string Svg = render(L, writeLlmSvg);
    CHECK(Svg.find(kEscaped + ": decode at context 128 on hw") != std::string::npos);
    CHECK(has(texts(Svg, "xml", "text"), kRead + ": decode at context 128 on hw"));
  }
  SUBCASE("HTML report") {
    Report R = reportOf(parseModel(R"(
      <ir_version: 8, opset_import: ["" : 17]>
      agraph (float[1,4] X) => (float[1,4] Y) { Y = Relu(X) })"));
    R.Path = kName;
    std::string Html = render(R, writeHtml);
    CHECK(Html.find("<title>opaudit: " + kEscaped + "</title>") != std::string::npos);
    CHECK(has(texts(Html, "html", "title"), "opaudit: " + kRead));
  }
  SUBCASE("diff HTML") {
    DiffReport D;
    D.OldPath = kName;
    D.NewPath = "new";
    std::string Html = render(D, writeDiffHtml);
    CHECK(Html.find("<h1>" + kEscaped + " \xe2\x86\x92 new</h1>") != std::string::npos);
    CHECK(has(texts(Html, "html", "h1"), kRead + " \xe2\x86\x92 new"));
  }
  SUBCASE("summary HTML") {
    ModelSummary M;
    M.Path = kName;
    M.Ok = true;
    std::vector<ModelSummary> Rows = {M};
    std::string Html = render(llvm::ArrayRef<ModelSummary>(Rows), writeSummaryHtml);
    // The summary's cells show a control character as '?' before escaping.
    const std::string Cell = "x&lt;y&gt;&amp;&quot;&apos;?z conv/\xCE\xB2";
    CHECK(Html.find("<td>" + Cell + "</td>") != std::string::npos);
    CHECK(has(texts(Html, "html", "td"), "x<y>&\"'?z conv/\xCE\xB2"));
  }
  SUBCASE("graph legend") {
    auto A = Analysis::fromModel(parseModel(R"(
      <ir_version: 8, opset_import: ["" : 17]>
      agraph (float[1,3,8,8] X, float[4,3,3,3] W) => (float[1,4,6,6] Y) { Y = Conv(X, W) })"));
    Report R = buildReport(*A);
    PictureGraph P = buildPicture(A->manager(), R, {});
    REQUIRE(!P.Legend.empty());
    P.LegendTitle = kName;
    P.Legend[0].Label = "a\nb";
    std::string Dot = pictureDot(P);
    CHECK(Dot.find(">" + kEscaped + "; box: op type") != std::string::npos);
    auto Svg = renderDot(Dot, "svg");
    REQUIRE(bool(Svg));
    auto Text = texts(*Svg, "xml", "text");
    REQUIRE(Text);
    CHECK(std::any_of(Text->begin(), Text->end(), [](const std::string &T) {
      return llvm::StringRef(T).startswith(kRead + "; box: op type");
    }));
    CHECK(has(Text, "a b"));
  }
}
