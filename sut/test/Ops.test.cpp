// The table of operations (sut/protocol/Ops.h): one row per op, wire names that
// decode back, call texts with every placeholder filled in, error names.
#include "Ops.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "Errors.h"

namespace hc::proto {
namespace {

TEST(Catalogue, OneRowPerOpInEnumOrder) {
  ASSERT_EQ(ops().size(), static_cast<std::size_t>(Op::Block) + 1);
  for (const OpInfo& info : ops()) {
    EXPECT_EQ(&opInfo(info.op), &info);
    EXPECT_EQ(opByName(info.name), &info) << info.name;
    EXPECT_EQ(opName(info.op), info.name);
  }
  EXPECT_EQ(opByName("teleport"), nullptr);
}

TEST(Catalogue, EveryScenarioOpNamesItsCallAndRules) {
  for (const OpInfo& info : ops()) {
    if (info.verb.empty()) continue;  // the harness's own ops
    EXPECT_FALSE(info.function.empty()) << info.name;
    EXPECT_EQ(info.call.substr(0, info.function.size()), info.function) << info.name;
    EXPECT_FALSE(info.rules.empty()) << info.name;
    for (std::size_t i = 1; i < info.rules.size(); ++i)
      EXPECT_LT(info.rules[i - 1], info.rules[i]) << info.name;
  }
}

TEST(CallText, EveryPlaceholderIsFilledIn) {
  for (const OpInfo& info : ops()) {
    Request q;
    q.op = info.op;
    EXPECT_EQ(callText(q).find('{'), std::string::npos) << callText(q);
  }
}

TEST(CallText, MailslotClientShowsNameShareAndSa) {
  Request q;
  q.op = Op::OpenMailslot;
  q.name = "demo";
  q.inherit = true;
  EXPECT_EQ(callText(q), R"(CreateFileW(L"\\.\mailslot\demo", GENERIC_WRITE, FILE_SHARE_READ, )"
                         "&sa{bInheritHandle=TRUE}, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL)");
  q.share = kShareRead | kShareWrite;
  EXPECT_NE(callText(q).find("FILE_SHARE_READ|FILE_SHARE_WRITE"), std::string::npos);
}

TEST(CallText, NamedPipeShowsModesAndAccess) {
  Request q;
  q.op = Op::CreateNamedPipe;
  q.name = "p";
  q.inherit = true;
  q.openMode = model::kPipeAccessInbound | model::kFileFlagFirstPipeInstance;
  q.pipeMode = model::kPipeTypeMessage | model::kPipeReadmodeMessage | model::kPipeNowait;
  q.maxInstances = 2;
  EXPECT_EQ(callText(q),
            R"(CreateNamedPipeW(L"\\.\pipe\p", PIPE_ACCESS_INBOUND|FILE_FLAG_FIRST_PIPE_INSTANCE, )"
            R"(PIPE_TYPE_MESSAGE|PIPE_READMODE_MESSAGE|PIPE_NOWAIT, 2, 4096, 4096, 0, )"
            R"(&sa{bInheritHandle=TRUE}))");
  q.openMode = model::kPipeAccessDuplex;
  q.pipeMode = 0;
  q.maxInstances = model::kPipeUnlimitedInstances;
  EXPECT_EQ(layerCallText(q, {.handle = "",
                              .target = "",
                              .list = "",
                              .name = "N",
                              .text = "",
                              .slot = "",
                              .source = ""}),
            "hc_create_named_pipe(&c, TRUE, N, PIPE_ACCESS_DUPLEX, "
            "PIPE_TYPE_BYTE|PIPE_READMODE_BYTE|PIPE_WAIT, PIPE_UNLIMITED_INSTANCES)");
  Request client;
  client.op = Op::OpenNamedPipe;
  client.name = "p";
  client.access = model::kGenericRead | model::kGenericWrite;
  EXPECT_EQ(callText(client),
            R"(CreateFileW(L"\\.\pipe\p", GENERIC_READ|GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, )"
            R"(NULL))");
}

TEST(CallText, SpawnShowsItsListAndDesignatedParent) {
  Request q;
  q.op = Op::Spawn;
  q.spawnInherit = true;
  q.useHandleList = true;
  q.handleList = {0x10, 0x14};
  EXPECT_EQ(callText(q),
            "CreateProcessW(agent, NULL, NULL, bInheritHandles=TRUE, HANDLE_LIST{0x10,0x14})");
  q.useHandleList = false;
  q.handleList.clear();
  q.hasParentProcess = true;
  q.parentProcess = 0x2c;
  EXPECT_EQ(callText(q),
            "CreateProcessW(agent, NULL, NULL, bInheritHandles=TRUE, no handle list, "
            "PARENT_PROCESS=0x2c)");
}

TEST(CallText, DupShowsOperandsAndOptions) {
  Request q;
  q.op = Op::Dup;
  q.handle = 0x104;
  q.target = 2;
  q.closeSource = true;
  q.sameAttributes = true;
  EXPECT_EQ(callText(q),
            "DuplicateHandle(GetCurrentProcess(), 0x104, hP2, &out, 0, FALSE, "
            "DUPLICATE_SAME_ACCESS|DUPLICATE_CLOSE_SOURCE|DUPLICATE_SAME_ATTRIBUTES)");
  EXPECT_EQ(callText(q, {.handle = "E",
                         .target = "hC1",
                         .list = "",
                         .name = "",
                         .text = "",
                         .slot = "",
                         .source = ""}),
            "DuplicateHandle(GetCurrentProcess(), E, hC1, &out, 0, FALSE, "
            "DUPLICATE_SAME_ACCESS|DUPLICATE_CLOSE_SOURCE|DUPLICATE_SAME_ATTRIBUTES)");
}

TEST(CallText, LayerCallIsTheCallLayersFunction) {
  Request q;
  q.op = Op::OpenMailslot;
  q.name = "box";
  q.inherit = true;
  q.share = kShareRead;
  EXPECT_EQ(layerCallText(q, {.handle = "",
                              .target = "",
                              .list = "",
                              .name = "object_name(\"box\")",
                              .text = "",
                              .slot = "",
                              .source = ""}),
            "hc_open_mailslot(&c, TRUE, object_name(\"box\"), FILE_SHARE_READ)");
  q = Request{};
  q.op = Op::Dup;
  q.handle = 0x104;
  EXPECT_EQ(layerCallText(q, {.handle = "h_E",
                              .target = "GetCurrentProcessId()",
                              .list = "",
                              .name = "",
                              .text = "",
                              .slot = "",
                              .source = ""}),
            "hc_duplicate(&c, h_E, GetCurrentProcessId(), FALSE, 0)");
  q.closeSource = true;
  EXPECT_EQ(layerCallText(q), "hc_duplicate(&c, 0x104, hP0, FALSE, DUPLICATE_CLOSE_SOURCE)");
  q = Request{};
  q.op = Op::Spawn;
  EXPECT_EQ(layerCallText(q), "");  // the reproducer's runtime spawns
}

TEST(CallText, DesiredAccessReplacesSameAccess) {
  Request q;
  q.op = Op::OpenEvent;
  q.name = "e";
  EXPECT_EQ(callText(q), "OpenEventW(EVENT_ALL_ACCESS, FALSE, L\"e\")");
  q.hasDesiredAccess = true;
  q.desiredAccess = 0x100000;
  EXPECT_EQ(layerCallText(q), "hc_open_event(&c, 0x100000, FALSE, L\"e\")");
  q = Request{};
  q.op = Op::Dup;
  q.handle = 0x104;
  q.hasDesiredAccess = true;
  q.closeSource = true;
  EXPECT_EQ(callText(q),
            "DuplicateHandle(GetCurrentProcess(), 0x104, hP0, &out, 0x0, FALSE, "
            "DUPLICATE_CLOSE_SOURCE)");
  EXPECT_EQ(layerCallText(q),
            "hc_duplicate_access(&c, 0x104, hP0, 0x0, FALSE, DUPLICATE_CLOSE_SOURCE)");
  q = Request{};
  q.op = Op::Map;
  q.handle = 0x8;
  q.mapWrite = true;
  EXPECT_EQ(layerCallText(q), "hc_map(&c, 0x8, FILE_MAP_WRITE)");
  q.op = Op::Signal;
  EXPECT_EQ(layerCallText(q), "hc_signal(&c, 0x8)");
}

TEST(CallText, ReproducerStatementIsTheRuntimesOrTheLayers) {
  Request q;
  q.op = Op::Dup;
  q.handle = 0x104;
  q.inherit = true;
  q.closeSource = true;
  CallOperands operands;
  operands.handle = "handle_of(3)";
  operands.target = "proc_C1";
  operands.slot = "4";
  // The same arguments as the layer's hc_duplicate, then the slot the copy binds.
  EXPECT_EQ(reproCallText(q, operands),
            "duplicate(&c, handle_of(3), proc_C1, TRUE, DUPLICATE_CLOSE_SOURCE, 4);");
  q = Request{};
  q.op = Op::Close;
  EXPECT_EQ(reproCallText(q, {.handle = "h",
                              .target = "",
                              .list = "",
                              .name = "",
                              .text = "",
                              .slot = "",
                              .source = ""}),
            "hc_close(&c, h);");
  q.op = Op::Exit;
  q.code = 3;
  EXPECT_EQ(reproCallText(q), "exit_process(3);");
}

TEST(CallText, PeekIsPeekNamedPipeWithOnlyTheCount) {
  Request q;
  q.op = Op::Peek;
  q.handle = 0x10c;
  EXPECT_EQ(callText(q), "PeekNamedPipe(0x10c, NULL, 0, NULL, &avail, NULL)");
  EXPECT_EQ(layerCallText(q), "hc_peek(&c, 0x10c)");
  EXPECT_EQ(opByName("peek")->op, Op::Peek);
}

TEST(CallText, DupFromHasNoTargetProcess) {
  Request q;
  q.op = Op::Dup;
  q.handle = 0x104;
  q.fromSource = true;
  q.source = 1;
  q.closeSource = true;
  EXPECT_TRUE(dupFrom(q));
  EXPECT_EQ(callText(q),
            "DuplicateHandle(hP1, 0x104, NULL, NULL, 0, FALSE, DUPLICATE_CLOSE_SOURCE)");
  CallOperands operands;
  operands.handle = "handle_of(2)";
  operands.source = "proc_C1";
  EXPECT_EQ(layerCallText(q, operands), "hc_duplicate_close_source(&c, proc_C1, handle_of(2))");
  EXPECT_EQ(reproCallText(q, operands), "close_source_in(&c, proc_C1, handle_of(2));");
  q.fromSource = false;
  EXPECT_FALSE(dupFrom(q));
}

TEST(Grammar, KeywordsAreDistinctAndOneVerbNamesItsObjects) {
  std::vector<std::string> seen;
  for (const OpInfo& info : ops()) {
    if (info.verb.empty()) {
      EXPECT_TRUE(info.object.empty()) << info.name;
      continue;
    }
    const std::string kw = keyword(info.op);
    EXPECT_EQ(std::count(seen.begin(), seen.end(), kw), 0) << kw;
    seen.push_back(kw);
    // A verb either stands alone or always takes an object word.
    for (const OpInfo& other : ops()) {
      if (other.verb == info.verb) {
        EXPECT_EQ(other.object.empty(), info.object.empty()) << kw;
      }
    }
  }
  EXPECT_EQ(keyword(Op::CreateMailslot), "create mailslot");
  EXPECT_EQ(keyword(Op::Dup), "dup");
  EXPECT_TRUE(takes(Op::Dup, Arg::To));
  EXPECT_FALSE(takes(Op::Close, Arg::To));
  EXPECT_EQ(opInfo(Op::CreatePipe).grammar.binds, 2u);
}

TEST(CallText, AValueIsNeverReadAsAPlaceholder) {
  Request q;
  q.op = Op::CreateEvent;
  q.name = "{sa}";
  EXPECT_EQ(callText(q), "CreateEventW(NULL, FALSE, FALSE, L\"{sa}\")");
}

TEST(CallText, FlagBitsByName) {
  EXPECT_EQ(handleFlagsText(0), "0");
  EXPECT_EQ(handleFlagsText(kFlagInherit | kFlagProtect),
            "HANDLE_FLAG_INHERIT|HANDLE_FLAG_PROTECT_FROM_CLOSE");
  EXPECT_EQ(shareText(0x9), "FILE_SHARE_READ|0x8");
  EXPECT_EQ(hex(0x104), "0x104");
}

TEST(Errors, NamesAndCodesAgree) {
  EXPECT_EQ(errorName(6), "ERROR_INVALID_HANDLE");
  EXPECT_EQ(errorName(424242), "");
  EXPECT_EQ(errorCode("ERROR_ALREADY_EXISTS"), 183u);
  EXPECT_FALSE(errorCode("ERROR_NONSENSE"));
  for (const ErrorName& e : errorNames()) EXPECT_EQ(errorCode(e.name), e.code);
}

}  // namespace
}  // namespace hc::proto
