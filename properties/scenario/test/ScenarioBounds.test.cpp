// The parser reads nothing past the end of its input. Every prefix of lines
// that use each construct is parsed from a heap buffer of exactly its size
// (no '\n', no NUL after it), so under the asan preset a read one byte too
// far is a heap-buffer-overflow report, not a silent read of a terminator.
#include <gtest/gtest.h>

#include <memory>
#include <string_view>

#include "handlecheck/scenario/Scenario.h"

namespace hc::scenario {
namespace {

constexpr std::string_view kLines[] = {
    "create event inherit name=ev.1 as E => ok, count=1, inherit, type=Event  # first",
    "create mailslot demo-1 inherit as MS => ok",
    "create pipe inherit as R W => ok",
    "open mutex m_2 inherit as M => error=ERROR_FILE_NOT_FOUND",
    "spawn C1 inherit only E,MS process-inherit thread-inherit as H1 T1 => ok",
    "spawn C2 noinherit as H2 T2 => error=87",
    "C1: dup E to P0 inherit close-source as E2 => ok, same=E",
    "set #0x104 inherit=on protect=off => ok",
    "write W \"a \\\"quoted\\\" \\\\ text\" => ok",
    "write MS hello/world:1.2-3 => ok",
    "read R => data=\"x y\"",
    "query E => valid, noinherit, protect, noprotect, count>=2, already-exists",
    "exit 0xC0000005",
    "terminate H1 7 => ok",
    "wait H1 => exitcode=7",
    "close #0xFFFFFFFFFFFFFFFC => invalid",
    "  # a comment line",
    "query E => data=\"unterminated\\",
};

TEST(Bounds, EveryPrefixIsReadWithinItsBuffer) {
  for (const std::string_view line : kLines) {
    for (std::size_t n = 0; n <= line.size(); ++n) {
      const auto buffer = std::make_unique<char[]>(n);
      std::copy_n(line.data(), n, buffer.get());
      try {
        parse(std::string_view(buffer.get(), n), "prefix.hcs");
      } catch (const ParseError& e) {
        EXPECT_EQ(e.line, 1) << e.what();
        EXPECT_LE(e.column, static_cast<int>(n) + 1) << e.what();
      }
    }
  }
}

}  // namespace
}  // namespace hc::scenario
