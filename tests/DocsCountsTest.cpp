// The README's operator counts agree with `opaudit --list` and `opaudit ops`
// (issue 14: `--list` said 321 rules while `ops` printed 227 rows). Both now
// name what they count, and this test fails when a rule is added without the
// README following.
#include "tests/TestUtil.h"

#include <fstream>
#include <regex>
#include <sstream>

using namespace opaudit::test;

TEST_CASE("Docs: README, --list and ops agree on the operator counts") {
  CliResult L = runCli("--list");
  REQUIRE(L.Exit == 0);
  std::smatch M;
  REQUIRE(std::regex_search(
      L.Out, M, std::regex("operators: ([0-9]+) operator types \\(([0-9]+) versioned rules\\)")));
  size_t Types = std::stoul(M[1]), Rules = std::stoul(M[2]);

  CliResult Ops = runCli("ops");
  REQUIRE(Ops.Exit == 0);
  std::istringstream In(Ops.Out);
  std::string Line;
  std::getline(In, Line); // header
  size_t Rows = 0, Versions = 0;
  while (std::getline(In, Line)) {
    ++Rows;
    std::string Cell = Line.substr(0, Line.rfind('\t'));
    Cell = Cell.substr(0, Cell.rfind('\t'));
    Cell = Cell.substr(Cell.rfind('\t') + 1); // since_versions: "1,6,13"
    Versions += 1 + std::count(Cell.begin(), Cell.end(), ',');
  }
  CHECK(Rows == Types);
  CHECK(Versions == Rules);

  std::ifstream R(std::string(OPAUDIT_SOURCE_DIR) + "/README.md");
  std::stringstream SS;
  SS << R.rdbuf();
  std::string Readme = SS.str();
  REQUIRE(std::regex_search(Readme, M,
                            std::regex("([0-9]+) operator types, ([0-9]+) versioned rules")));
  CHECK(std::stoul(M[1]) == Types);
  CHECK(std::stoul(M[2]) == Rules);
}
