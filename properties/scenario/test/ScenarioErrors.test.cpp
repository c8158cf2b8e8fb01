// Every way a line can be malformed: a ParseError naming file:line:col of the
// offending token and saying what was expected there.
#include <gtest/gtest.h>

#include "handlecheck/scenario/Scenario.h"

namespace hc::scenario {
namespace {

struct Case {
  std::string_view name;  // the ctest name
  std::string_view text;  // the whole file; the error is on its last line
  int line;
  int column;
  std::string_view message;  // the full message after "file:line:col: "
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.text;
}

class Errors : public testing::TestWithParam<Case> {};

TEST_P(Errors, NameFileLineColumnAndWhatWasExpected) {
  const Case& c = GetParam();
  try {
    parse(c.text, "bad.hcs");
    FAIL() << "parsed without error: " << c.text;
  } catch (const ParseError& e) {
    EXPECT_EQ(e.file, "bad.hcs");
    EXPECT_EQ(e.line, c.line);
    EXPECT_EQ(e.column, c.column);
    EXPECT_EQ(std::string(e.what()), "bad.hcs:" + std::to_string(c.line) + ":" +
                                         std::to_string(c.column) + ": " + std::string(c.message));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Parse, Errors,
    testing::Values(
        // operations
        Case{"UnknownOperation", "creat event as E", 1, 1,
             "unknown operation `creat` (expected create, open, spawn, close, dup, set, write, "
             "read, query, exit, terminate, wait, peek, connect, disconnect, pipestate, std, "
             "setstd, signal or map)"},
        Case{"LabelWithoutOperation", "close A\nC1:", 2, 4, "expected an operation after `C1:`"},
        Case{"UnknownObjectType", "create thing as E", 1, 8,
             "expected an object type after `create` (event, mutex, semaphore, mapping, mailslot, "
             "pipe, namedpipe), got `thing`"},
        Case{"OpenPipe", "open pipe p as R", 1, 6,
             "a pipe has no name to open: write `create pipe as R W`"},
        Case{"OpenWithoutName", "open event as E", 1, 15,
             "expected `as` and 1 name after open event, got `E`"},
        Case{"OpenMailslotWithoutName", "open mailslot", 1, 14,
             "expected a name after `open mailslot`, got end of line"},
        Case{"CreateMailslotWithoutName", "create mailslot as MS", 1, 20,
             "expected `as` and 1 name after create mailslot, got `MS`"},
        Case{"BackslashInObjectName", "create mailslot a\\b as MS", 1, 18,
             "invalid character `\\` in object name (names are [A-Za-z0-9_.-]+)"},
        Case{"EmptyNameOption", "create event name= as E", 1, 19,
             "expected an object name after `name=`, got a blank"},
        Case{"NameTwice", "create event name=x name=y as E", 1, 21, "`name=` given twice"},
        Case{"InheritTwice", "create event inherit inherit as E", 1, 22, "`inherit` given twice"},
        Case{"MisspelledOption", "create event inherti as E", 1, 14,
             "expected `as` and 1 name after create event, got `inherti`"},
        Case{"PipeNeedsTwoNames", "create pipe as R", 1, 17,
             "expected `as` and 2 names after create pipe, got end of line"},
        Case{"TooManyNames", "create event as E F", 1, 19,
             "create event binds 1 name; unexpected `F`"},
        Case{"NameNotIdentifier", "create event as 9", 1, 17,
             "expected `as` and 1 name after create event, got `9`"},
        Case{"SpawnOneName", "spawn C1 inherit as HP", 1, 23,
             "expected `as` and 2 names after spawn, got end of line"},
        Case{"SpawnWithoutAs", "spawn C1 inherit", 1, 17,
             "expected `as` and 2 names after spawn, got end of line"},
        Case{"SpawnWithoutLabel", "spawn as HP HT", 1, 10,
             "expected `as` and 2 names after spawn, got `HP`"},
        Case{"SpawnLabelNotIdentifier", "spawn 1C as HP HT", 1, 7,
             "expected a process label after `spawn`, got `1C`"},
        Case{"InheritAndNoinherit", "spawn C inherit noinherit as HP HT", 1, 17,
             "`inherit` and `noinherit` exclude each other"},
        Case{"OnlyWithoutHandles", "spawn C only as HP HT", 1, 14,
             "expected a handle name or #0x value after `only`, got `as`"},
        Case{"OnlyTrailingComma", "spawn C only A, as HP HT", 1, 17,
             "expected a handle name or #0x value after `,`, got `as`"},
        Case{"OnlyDoubleComma", "spawn C only A, , as HP HT", 1, 17,
             "expected a handle name or #0x value after `,`, got `,`"},
        Case{"OnlyTwice", "spawn C only A only B as HP HT", 1, 16, "`only` given twice"},
        Case{"ParentWithoutHandle", "spawn C parent=as HP HT", 1, 16,
             "expected a handle name or #0x value after `parent=`, got `as`"},
        Case{"ParentTwice", "spawn C parent=A parent=B as HP HT", 1, 18, "`parent=` given twice"},
        Case{"CloseWithoutHandle", "close", 1, 6,
             "expected a handle name or #0x value after `close`, got end of line"},
        Case{"CloseComment", "close # oops", 1, 7,
             "expected a handle name or #0x value after `close`, got `#`"},
        Case{"RawValueWithoutHex", "close #104", 1, 7,
             "expected a handle name or #0x value after `close`, got `#104`"},
        Case{"RawValueBadHex", "close #0xg", 1, 7,
             "invalid handle value `#0xg` (write #0x and hex digits)"},
        Case{"RawValueTooLong", "close #0x12345678123456789", 1, 7,
             "handle value `#0x12345678123456789` does not fit in 64 bits"},
        Case{"CloseBindsNothing", "close A as B", 1, 9, "`close` binds no names (drop `as ...`)"},
        Case{"TrailingToken", "close A B", 1, 9,
             "unexpected `B` (expected `=>`, `#` or the end of the line)"},
        Case{"DupToWithoutLabel", "dup H to as H2", 1, 13,
             "expected `as` and 1 name after dup, got `H2`"},
        Case{"DupToNotLabel", "dup H to 5 as H2", 1, 10,
             "expected a process label after `to`, got `5`"},
        Case{"CloseSourceTwice", "dup H close-source close-source as H2", 1, 20,
             "`close-source` given twice"},
        Case{"DupFromWithoutCloseSource", "dup H from C1 as H2", 1, 15,
             "`from` needs `close-source` (no target process)"},
        Case{"DupFromBindsNoName", "dup H from C1 close-source as H2", 1, 28,
             "`dup` binds no names (drop `as ...`)"},
        Case{"DupFromWithTo", "dup H from C1 to C2 close-source", 1, 33,
             "`from` makes no copy: no `to`, `inherit` or `same-attributes`"},
        Case{"DupFromTwice", "dup H from C1 from C2 close-source", 1, 15, "`from` given twice"},
        Case{"AvailNotNumber", "peek R => avail=x", 1, 17,
             "expected a byte count after `avail=`, got `x`"},
        Case{"SetNotOnOff", "set H inherit=yes", 1, 15,
             "expected `on` or `off` after `inherit=`, got `yes`"},
        Case{"ProtectTwice", "set H protect=on protect=off", 1, 18, "`protect=` given twice"},
        Case{"WriteWithoutText", "write CL", 1, 9,
             "expected the text to write after `write CL` (a word of [A-Za-z0-9_.:/-] or a "
             "\"quoted string\"), got end of line"},
        Case{"UnterminatedString", "write CL \"abc", 1, 10,
             "unterminated string (a closing \" is missing)"},
        Case{"UnknownEscape", "write CL \"a\\nb\"", 1, 12,
             "unknown escape `\\n` in string (only \\\" and \\\\)"},
        Case{"InvalidNumber", "exit 12a", 1, 6, "invalid number `12a`"},
        Case{"NumberTooLarge", "exit 4294967296", 1, 6,
             "number `4294967296` does not fit in 32 bits"},
        Case{"HexPrefixOnly", "terminate HP 0x", 1, 14, "expected an exit code, got `0x`"},
        // expectations
        Case{"UnknownExpectation", "query MS => cnt=1", 1, 13,
             "unknown expectation `cnt` (expected ok, error=, already-exists, valid, invalid, "
             "inherit, noinherit, protect, noprotect, count=, count>=, type=, same=, data=, "
             "exitcode=, messages=, avail=, instances=, value=, access= or "
             "attribute-list-size=)"},
        Case{"BadShareMode", "open mailslot box share=write as CL", 1, 25,
             "expected read, read-write or none after `share=`, got `write`"},
        Case{"ShareTwice", "open mailslot box share=read share=none as CL", 1, 30,
             "`share=` given twice"},
        Case{"ArrowWithoutExpectation", "query MS =>", 1, 12,
             "expected an expectation (ok, error=N, count=N, ...), got end of line"},
        Case{"TrailingComma", "query MS => ok,", 1, 16,
             "expected an expectation (ok, error=N, count=N, ...), got end of line"},
        Case{"MissingComma", "query MS => ok count=1", 1, 16,
             "unexpected `count=1` (expected `=>`, `#` or the end of the line)"},
        Case{"FlagWithValue", "query MS => ok=1", 1, 15, "`ok` takes no value"},
        Case{"CountComparison", "query MS => count<2", 1, 18,
             "expected `=` or `>=` after `count`, got `<2`"},
        Case{"CountNotNumber", "query MS => count=x", 1, 19, "expected a handle count, got `x`"},
        Case{"UnknownErrorName", "close MS => error=ERROR_BOGUS", 1, 19,
             "unknown error name `ERROR_BOGUS` (write its number: error=N)"},
        Case{"ErrorWithoutValue", "close MS => error", 1, 18,
             "expected `=` after `error`, got end of line"},
        Case{"NegativeError", "close MS => error=-1", 1, 19,
             "expected an error name or number after `error=`, got `-1`"},
        Case{"UnknownNtType", "query MS => type=Mutex", 1, 18,
             "unknown NT type `Mutex` (expected Event, Mutant, Semaphore, Section, File, Process "
             "or Thread)"},
        Case{"SameWithoutName", "query MS => same=", 1, 18,
             "expected a handle name after `same=`, got end of line"},
        Case{"DataWithoutText", "read MS => data=", 1, 17,
             "expected the expected message after `data=` (a word of [A-Za-z0-9_.:/-] or a "
             "\"quoted string\"), got end of line"},
        Case{"ExitcodeNotNumber", "wait HP => exitcode=abc", 1, 21,
             "expected an exit code after `exitcode=`, got `abc`"},
        // a step is one line: the printer could not write these back
        Case{"CarriageReturnInComment", "close E # a\rb\r\n", 1, 12,
             "carriage return inside the line (a line ends with \\n or \\r\\n)"},
        Case{"CarriageReturnInText", "write W \"a\rb\"", 1, 11,
             "carriage return inside the line (a line ends with \\n or \\r\\n)"}),
    [](const testing::TestParamInfo<Case>& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace hc::scenario
