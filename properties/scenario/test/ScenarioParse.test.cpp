// The .hcs parser on every operation and expectation of properties/scenario/README.md, and the
// printer's canonical spelling of each.
#include <gtest/gtest.h>

#include "Ops.h"
#include "handlecheck/scenario/Scenario.h"

namespace hc::scenario {
namespace {

using K = Expect::Kind;
using proto::Op;

Step one(std::string_view line) {
  const Scenario sc = parse(line, "t.hcs");
  EXPECT_EQ(sc.steps.size(), 1u) << line;
  return sc.steps.empty() ? Step{} : sc.steps[0];
}

HandleRef name(std::string n) {
  return HandleRef{std::move(n), std::nullopt};
}
HandleRef raw(std::uint64_t v) {
  return HandleRef{"", v};
}

// The textbook example of properties/scenario/README.md, verbatim.
constexpr std::string_view kTextbook = R"(create mailslot demo inherit as MS => ok
P0: spawn C1 inherit as HP HT      => ok
query MS                           => count=2, inherit
C1: open mailslot demo as CL       => ok
C1: write CL hello                 => ok
read MS                            => data=hello
C1: exit 0
wait HP                            => exitcode=0
query MS                           => count=1
close MS                           => ok
close MS                           => error=ERROR_INVALID_HANDLE
)";

TEST(Parse, TextbookExample) {
  const Scenario sc = parse(kTextbook, "textbook.hcs");
  ASSERT_EQ(sc.steps.size(), 11u);
  EXPECT_EQ(sc.file, "textbook.hcs");
  EXPECT_EQ(sc.steps[0].op, Op::CreateMailslot);
  EXPECT_EQ(sc.steps[0].objectName, "demo");
  EXPECT_TRUE(sc.steps[0].inherit);
  EXPECT_EQ(sc.steps[0].as, std::vector<std::string>{"MS"});
  EXPECT_EQ(sc.steps[1].process, "P0");
  EXPECT_TRUE(sc.steps[1].processWritten);
  EXPECT_FALSE(sc.steps[0].processWritten);
  EXPECT_EQ(sc.steps[3].process, "C1");
  EXPECT_EQ(sc.steps[6].op, Op::Exit);
  EXPECT_EQ(sc.steps[6].code, 0u);
  EXPECT_EQ(sc.steps[10].expects, (std::vector<Expect>{{K::Error, 6, "ERROR_INVALID_HANDLE"}}));
  for (std::size_t i = 0; i < sc.steps.size(); ++i) EXPECT_EQ(sc.steps[i].line, int(i) + 1);
}

TEST(Parse, NamedPipeOperations) {
  const Step create =
      one("create namedpipe tests_pipe.c inbound type=message readmode=message nowait max=3 first "
          "inherit as S => ok");
  EXPECT_EQ(create.op, Op::CreateNamedPipe);
  EXPECT_EQ(create.objectName, "tests_pipe.c");
  EXPECT_EQ(create.direction, Step::Direction::Inbound);
  EXPECT_EQ(create.typeMessage, true);
  EXPECT_EQ(create.readModeMessage, true);
  EXPECT_TRUE(create.nowait);
  EXPECT_EQ(create.maxInstances, 3u);
  EXPECT_TRUE(create.first);
  EXPECT_TRUE(create.inherit);
  EXPECT_EQ(print(create),
            "create namedpipe tests_pipe.c inbound type=message readmode=message nowait max=3 "
            "first inherit as S => ok");
  const Step options = one("create namedpipe p inherit max=1 type=byte outbound as S");
  EXPECT_EQ(print(options), "create namedpipe p outbound type=byte max=1 inherit as S");
  const Step open = one("open namedpipe p access=write inherit as C");
  EXPECT_EQ(open.op, Op::OpenNamedPipe);
  EXPECT_EQ(open.access, Step::Access::Write);
  EXPECT_EQ(one("connect S => error=ERROR_PIPE_LISTENING").op, Op::ConnectNamedPipe);
  EXPECT_EQ(one("disconnect S").op, Op::DisconnectNamedPipe);
  const Step state = one("pipestate C => ok, instances=2");
  EXPECT_EQ(state.op, Op::PipeState);
  EXPECT_EQ(state.expects[1], (Expect{K::Instances, 2, {}}));
  EXPECT_THROW(parse("create namedpipe p duplex inbound as S", "t.hcs"), ParseError);
  EXPECT_THROW(parse("create namedpipe p type=stream as S", "t.hcs"), ParseError);
  EXPECT_THROW(parse("open namedpipe p access=none as C", "t.hcs"), ParseError);
}

TEST(Parse, BlankLinesAndCommentsAreSkippedAndLinesCounted) {
  const Scenario sc = parse("\n# heading\n   \n\tclose A  # why\r\n# end", "t.hcs");
  ASSERT_EQ(sc.steps.size(), 1u);
  EXPECT_EQ(sc.steps[0].line, 4);
  EXPECT_EQ(sc.steps[0].comment, "why");
  EXPECT_EQ(print(sc.steps[0]), "close A  # why");
}

TEST(Parse, CreateEachKind) {
  const Step ev = one("create event name=Ev1 inherit as E");
  EXPECT_EQ(ev.op, Op::CreateEvent);
  EXPECT_EQ(ev.objectName, "Ev1");
  EXPECT_TRUE(ev.inherit);
  EXPECT_EQ(one("create mutex as M").op, Op::CreateMutex);
  EXPECT_EQ(one("create semaphore name=s.1-x as S").objectName, "s.1-x");
  const Step map = one("create mapping as F");
  EXPECT_EQ(map.op, Op::CreateMapping);
  EXPECT_TRUE(map.objectName.empty());
  EXPECT_FALSE(map.inherit);
  const Step ms = one("create mailslot demo as MS");
  EXPECT_EQ(ms.op, Op::CreateMailslot);
  EXPECT_EQ(ms.objectName, "demo");
  const Step pipe = one("create pipe inherit as R W");
  EXPECT_EQ(pipe.op, Op::CreatePipe);
  EXPECT_EQ(pipe.as, (std::vector<std::string>{"R", "W"}));
}

TEST(Parse, CreateOptionsInAnyOrderPrintCanonically) {
  EXPECT_EQ(print(one("create   event inherit  name=x as E")), "create event name=x inherit as E");
}

TEST(Parse, OpenEachType) {
  for (auto [text, op] : {std::pair{"event", Op::OpenEvent},
                          {"mutex", Op::OpenMutex},
                          {"semaphore", Op::OpenSemaphore},
                          {"mapping", Op::OpenMapping},
                          {"mailslot", Op::OpenMailslot}}) {
    const Step st = one(std::string("open ") + text + " Name inherit as H");
    EXPECT_EQ(st.op, op);
    EXPECT_EQ(st.objectName, "Name");
    EXPECT_TRUE(st.inherit);
    EXPECT_EQ(st.as, std::vector<std::string>{"H"});
  }
}

// Each row of the table of operations with a scenario verb spells a line
// that parses back to its op: the table alone makes an op writable.
TEST(Parse, EveryOpOfTheTableByItsKeyword) {
  for (const proto::OpInfo& info : proto::ops()) {
    if (info.verb.empty()) continue;  // the harness's own ops
    Step st;
    st.op = info.op;
    if (proto::takes(info.op, proto::Arg::Name) || proto::takes(info.op, proto::Arg::NewName))
      st.objectName = "box";
    if (proto::takes(info.op, proto::Arg::Child)) st.child = "C1";
    if (proto::takes(info.op, proto::Arg::Operand)) st.handle = name("H");
    if (proto::takes(info.op, proto::Arg::Text)) st.text = "hello";
    for (std::size_t i = 0; i < info.grammar.binds; ++i) st.as.push_back("N" + std::to_string(i));
    const std::string line = print(st);
    EXPECT_EQ(line.substr(0, proto::keyword(info.op).size()), proto::keyword(info.op)) << line;
    EXPECT_EQ(one(line), st) << line;
  }
}

TEST(Parse, SpawnEveryOption) {
  const Step st = one("spawn C2 inherit only A,#0x1c, B process-inherit thread-inherit as HP HT");
  EXPECT_EQ(st.op, Op::Spawn);
  EXPECT_EQ(st.child, "C2");
  EXPECT_TRUE(st.inherit);
  EXPECT_FALSE(st.noinherit);
  ASSERT_TRUE(st.only);
  EXPECT_EQ(*st.only, (std::vector<HandleRef>{name("A"), raw(0x1c), name("B")}));
  EXPECT_TRUE(st.processInherit);
  EXPECT_TRUE(st.threadInherit);
  EXPECT_EQ(st.as, (std::vector<std::string>{"HP", "HT"}));
  EXPECT_EQ(print(st), "spawn C2 inherit only A,#0x1c,B process-inherit thread-inherit as HP HT");
}

TEST(Parse, SpawnDesignatedParent) {
  const Step st = one("spawn C2 inherit parent=PP only A as HP HT");
  ASSERT_TRUE(st.parent);
  EXPECT_EQ(*st.parent, name("PP"));
  EXPECT_EQ(print(st), "spawn C2 inherit only A parent=PP as HP HT");
  const Step raw0 = one("spawn C3 parent=#0x0 as HP HT");
  ASSERT_TRUE(raw0.parent);
  EXPECT_EQ(*raw0.parent, raw(0));
  EXPECT_FALSE(one("spawn C4 as HP HT").parent);
}

TEST(Parse, SpawnNoinheritIsKept) {
  const Step st = one("spawn C noinherit as HP HT");
  EXPECT_TRUE(st.noinherit);
  EXPECT_FALSE(st.inherit);
  EXPECT_EQ(print(st), "spawn C noinherit as HP HT");
  EXPECT_EQ(print(one("spawn C as HP HT")), "spawn C as HP HT");
}

TEST(Parse, CloseNameAndRawValue) {
  EXPECT_EQ(one("close MS").handle, name("MS"));
  const Step st = one("close #0x104");
  EXPECT_EQ(st.handle, raw(0x104));
  EXPECT_EQ(print(st), "close #0x104");
  EXPECT_EQ(one("close #0XFFFFFFFFFFFFFFFF").handle, raw(~std::uint64_t{0}));
}

TEST(Parse, DupEveryOption) {
  const Step st = one("C1: dup H close-source inherit to P0 as H2");
  EXPECT_EQ(st.process, "C1");
  EXPECT_EQ(st.handle, name("H"));
  EXPECT_EQ(st.target, "P0");
  EXPECT_TRUE(st.inherit);
  EXPECT_TRUE(st.closeSource);
  EXPECT_EQ(st.as, std::vector<std::string>{"H2"});
  EXPECT_EQ(print(st), "C1: dup H to P0 inherit close-source as H2");
  EXPECT_TRUE(one("dup H as H2").target.empty());
}

TEST(Parse, AccessMasksInHexOrNames) {
  const Step open = one("open event demo access=SYNCHRONIZE|EVENT_MODIFY_STATE inherit as S");
  EXPECT_EQ(open.desiredAccess, 0x100002u);
  EXPECT_EQ(print(open), "open event demo access=0x100002 inherit as S");
  const Step dup = one("dup H access=0 as H2 => ok, access=GENERIC_READ|0x4");
  EXPECT_EQ(dup.desiredAccess, 0u);
  ASSERT_EQ(dup.expects.size(), 2u);
  EXPECT_EQ(dup.expects[1].kind, Expect::Kind::Access);
  EXPECT_EQ(dup.expects[1].number, 0x80000004u);
  EXPECT_EQ(print(dup), "dup H access=0x0 as H2 => ok, access=0x80000004");
  EXPECT_FALSE(one("dup H as H2").desiredAccess) << "DUPLICATE_SAME_ACCESS";
  EXPECT_TRUE(one("map S write").mapWrite);
  EXPECT_EQ(one("signal E").op, proto::Op::Signal);
  EXPECT_THROW(parse("open event demo access=SYNCHRONISE as S"), ParseError);
}

TEST(Parse, SetFlags) {
  const Step st = one("set H protect=on inherit=off");
  EXPECT_EQ(st.setInherit, false);
  EXPECT_EQ(st.setProtect, true);
  EXPECT_EQ(print(st), "set H inherit=off protect=on");
  const Step none = one("set H");
  EXPECT_FALSE(none.setInherit);
  EXPECT_FALSE(none.setProtect);
}

TEST(Parse, WriteBareAndQuotedText) {
  EXPECT_EQ(one("write CL hello.world:8/x-y_z").text, "hello.world:8/x-y_z");
  const Step st = one(R"(write CL "say \"hi\" # not a comment \\ ok")");
  EXPECT_EQ(st.text, R"(say "hi" # not a comment \ ok)");
  EXPECT_TRUE(st.comment.empty());
  EXPECT_EQ(print(st), R"(write CL "say \"hi\" # not a comment \\ ok")");
  EXPECT_EQ(one(R"(write CL "")").text, "");
}

TEST(Parse, ReadQueryWaitTakeAHandle) {
  EXPECT_EQ(one("read MS").op, Op::Read);
  EXPECT_EQ(one("query MS").op, Op::Query);
  const Step w = one("wait HP");
  EXPECT_EQ(w.op, Op::Wait);
  EXPECT_EQ(w.handle, name("HP"));
}

TEST(Parse, PeekTakesAHandleAndExpectsAvail) {
  const Step p = one("peek R => ok, avail=5");
  EXPECT_EQ(p.op, Op::Peek);
  EXPECT_EQ(p.handle, name("R"));
  ASSERT_EQ(p.expects.size(), 2u);
  EXPECT_EQ(p.expects[1].kind, Expect::Kind::Avail);
  EXPECT_EQ(p.expects[1].number, 5u);
  EXPECT_EQ(print(p), "peek R => ok, avail=5");
}

TEST(Parse, SpawnExpectsTheAttributeListSize) {
  const Step p =
      one("spawn C1 inherit only A unknown-attribute as HP HT => "
          "error=ERROR_NOT_SUPPORTED, attribute-list-size=72");
  ASSERT_EQ(p.expects.size(), 2u);
  EXPECT_EQ(p.expects[1].kind, Expect::Kind::AttributeListSize);
  EXPECT_EQ(p.expects[1].number, 72u);
  EXPECT_EQ(print(p),
            "spawn C1 inherit only A unknown-attribute as HP HT => error=ERROR_NOT_SUPPORTED, "
            "attribute-list-size=72");
}

TEST(Parse, DupFromClosesInAnotherProcessAndBindsNothing) {
  const Step d = one("P0: dup W from C1 close-source => ok, invalid");
  EXPECT_EQ(d.op, Op::Dup);
  EXPECT_EQ(d.source, "C1");
  EXPECT_TRUE(d.closeSource);
  EXPECT_TRUE(d.target.empty());
  EXPECT_TRUE(d.as.empty());
  EXPECT_EQ(namesBound(d), 0u);
  EXPECT_EQ(print(d), "P0: dup W from C1 close-source => ok, invalid");
  EXPECT_EQ(namesBound(one("dup W close-source as W2")), 1u);
}

TEST(Parse, ExitAndTerminateWithAndWithoutCode) {
  EXPECT_FALSE(one("exit").code);
  EXPECT_EQ(one("C1: exit 3").code, 3u);
  EXPECT_EQ(one("exit 0xC0000005").code, 0xC0000005u);
  const Step t = one("terminate HP 7");
  EXPECT_EQ(t.handle, name("HP"));
  EXPECT_EQ(t.code, 7u);
  EXPECT_FALSE(one("terminate HP").code);
  EXPECT_EQ(print(one("exit 0x10")), "exit 16");
}

TEST(Parse, EveryExpectation) {
  const Step st =
      one("query H => ok, error=ERROR_ACCESS_DENIED, error=1234, already-exists, valid, invalid, "
          "inherit, noinherit, protect, noprotect, count=2, count>=1, type=Mutant, same=G, "
          "data=\"a b\", data=x, exitcode=259");
  const std::vector<Expect> want{{K::Ok, 0, ""},         {K::Error, 5, "ERROR_ACCESS_DENIED"},
                                 {K::Error, 1234, ""},   {K::AlreadyExists, 0, ""},
                                 {K::Valid, 0, ""},      {K::Invalid, 0, ""},
                                 {K::Inherit, 0, ""},    {K::NoInherit, 0, ""},
                                 {K::Protect, 0, ""},    {K::NoProtect, 0, ""},
                                 {K::Count, 2, ""},      {K::CountAtLeast, 1, ""},
                                 {K::Type, 0, "Mutant"}, {K::Same, 0, "G"},
                                 {K::Data, 0, "a b"},    {K::Data, 0, "x"},
                                 {K::ExitCode, 259, ""}};
  EXPECT_EQ(st.expects, want);
  EXPECT_EQ(print(st),
            "query H => ok, error=ERROR_ACCESS_DENIED, error=1234, already-exists, valid, "
            "invalid, inherit, noinherit, protect, noprotect, count=2, count>=1, type=Mutant, "
            "same=G, data=\"a b\", data=x, exitcode=259");
}

TEST(Parse, EveryKnownErrorNameRoundTrips) {
  for (std::uint32_t code : {0u, 2u, 5u, 6u, 87u, 109u, 121u, 183u, 232u, 233u}) {
    const std::string_view n = errorName(code);
    ASSERT_FALSE(n.empty()) << code;
    EXPECT_EQ(errorCode(n), code);
    EXPECT_EQ(one("close H => error=" + std::string(n)).expects[0].number, code);
  }
  EXPECT_EQ(errorName(424242), "");
  EXPECT_FALSE(errorCode("ERROR_NONSENSE"));
}

TEST(Parse, ExpectationsWithoutBlanks) {
  const Step st = one("create event as E=>ok,count=1#c");
  EXPECT_EQ(st.expects, (std::vector<Expect>{{K::Ok, 0, ""}, {K::Count, 1, ""}}));
  EXPECT_EQ(st.comment, "c");
}

// `gui` (SPEC 59) is a console word that is no creation flag: it goes with
// `inherit-console`, and prints after the others.
TEST(Parse, SpawnGuiChild) {
  const Step s = one("C1: spawn C2 gui inherit-console stdout=W as H T");
  EXPECT_EQ(s.op, Op::Spawn);
  EXPECT_EQ(s.console, proto::kConsoleInheritParent | proto::kConsoleGui);
  EXPECT_EQ(print(s), "C1: spawn C2 stdout=W inherit-console gui as H T");
  EXPECT_EQ(one("spawn C1 detached gui as H T").console,
            proto::kConsoleDetached | proto::kConsoleGui);
  EXPECT_EQ(one("spawn C1 gui as H T").console, proto::kConsoleGui);
  EXPECT_THROW(parse("spawn C1 gui gui as H T", "t.hcs"), ParseError);
  EXPECT_THROW(parse("spawn C1 gui inherit-console detached as H T", "t.hcs"), ParseError);
}

TEST(Parse, LabelsAndP0Prefix) {
  const Step st = one("_child_1: query H");
  EXPECT_EQ(st.process, "_child_1");
  const Step p0 = one("P0: query H");
  EXPECT_TRUE(p0.processWritten);
  EXPECT_EQ(print(p0), "P0: query H");
  EXPECT_EQ(print(one("query H")), "query H");
  // `P0:` written or not is kept, and compared.
  EXPECT_NE(p0, one("query H"));
}

TEST(Parse, StepEqualityIgnoresOnlyTheLine) {
  Step a = one("close A");
  Step b = a;
  b.line = 42;
  EXPECT_EQ(a, b);
  b.comment = "x";
  EXPECT_NE(a, b);
}

TEST(Parse, ScenarioPrintsOneLinePerStep) {
  const Scenario sc = parse(kTextbook, "t.hcs");
  const std::string printed = print(sc);
  EXPECT_EQ(std::count(printed.begin(), printed.end(), '\n'), 11);
  EXPECT_EQ(parse(printed, "t.hcs"), sc);
  EXPECT_EQ(printed.substr(0, printed.find('\n')), "create mailslot demo inherit as MS => ok");
}

TEST(Print, RefusesStepsNoLineCanSpell) {
  Step st;
  st.op = Op::Close;
  st.handle = name("not a name");
  EXPECT_THROW(print(st), std::invalid_argument);
  st.handle = name("H");
  st.as = {"X"};
  EXPECT_THROW(print(st), std::invalid_argument);  // close binds nothing
  st.as.clear();
  st.comment = "two\nlines";
  EXPECT_THROW(print(st), std::invalid_argument);
  st.comment.clear();
  st.expects = {{K::Error, 5, "ERROR_INVALID_HANDLE"}};
  EXPECT_THROW(print(st), std::invalid_argument);  // name and number disagree
}

TEST(ParseFile, UnreadableFileIsAParseErrorAtLineZero) {
  try {
    parseFile("/nonexistent/x.hcs");
    FAIL() << "no ParseError";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line, 0);
    EXPECT_EQ(e.file, "/nonexistent/x.hcs");
    EXPECT_EQ(std::string(e.what()).rfind("/nonexistent/x.hcs: cannot read", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace hc::scenario
