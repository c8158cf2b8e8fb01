// The wire format (sut/protocol): encode and decode are exact inverses, and a
// malformed line is rejected with a message naming the key.
#include "Protocol.h"

#include <gtest/gtest.h>

namespace hc::proto {
namespace {

Request roundTrip(const Request& q) {
  Request back;
  std::string error;
  EXPECT_TRUE(decode(encode(q), back, error)) << error;
  return back;
}

Reply roundTrip(const Reply& r) {
  Reply back;
  std::string error;
  EXPECT_TRUE(decode(encode(r), back, error)) << error;
  return back;
}

TEST(RoundTrip, DefaultRequest) {
  EXPECT_EQ(roundTrip(Request{}), Request{});
}

TEST(RoundTrip, EveryRequestField) {
  Request q;
  q.id = 4000000000u;
  q.process = 7;
  q.op = Op::Spawn;
  q.name = "hc123x4_Demo name%=,:";
  q.inherit = true;
  q.handle = 0x104;
  q.compareWith = 0xfffffffffffffffcULL;
  q.target = 3;
  q.targetPid = 4242;
  q.closeSource = true;
  q.sameAttributes = true;
  q.fromSource = true;
  q.source = 2;
  q.sourcePid = 4343;
  q.share = kShareRead | kShareWrite;
  q.spawnInherit = true;
  q.useHandleList = true;
  q.handleList = {0x44, 0x48};
  q.processInherit = true;
  q.threadInherit = true;
  q.hasParentProcess = true;
  q.parentProcess = 0x0;  // NULL is a value to send, not an absent attribute
  q.setMask = 3;
  q.setFlags = 2;
  q.text = "hello world\n\xff";
  q.code = 0xC0000005u;
  q.observe = {0x4, 0x8, 0xc};
  q.timeoutMs = 1500;
  q.pipe = R"(\\.\pipe\handlecheck-abc-1)";
  EXPECT_EQ(roundTrip(q), q);
}

TEST(RoundTrip, EveryOpName) {
  for (int i = 0; i <= static_cast<int>(Op::Block); ++i) {
    Request q;
    q.op = static_cast<Op>(i);
    EXPECT_NE(opName(q.op), "unknown-op") << i;
    EXPECT_EQ(roundTrip(q), q) << opName(q.op);
  }
}

// A block carries whole requests (each on its thread) and its reply whole
// replies; they travel percent-encoded, so their spaces and commas do not
// split the outer line.
TEST(RoundTrip, ABlockAndItsResults) {
  Request a;
  a.id = 8;
  a.op = Op::Spawn;
  a.thread = 2;
  a.spawnInherit = true;
  a.handleList = {0x4, 0x8};
  a.observe = {0x4, 0xc};
  Request b;
  b.id = 9;
  b.process = 1;
  b.op = Op::Set;
  b.thread = 1;
  b.handle = 0x10;
  b.setMask = 1;
  b.setFlags = 1;
  b.name = "a b,c";
  Request block;
  block.id = 7;
  block.op = Op::Block;
  block.steps = {a, b};
  block.startAt = 133000000000000000ull;
  EXPECT_EQ(roundTrip(block), block);
  Reply ra;
  ra.id = 8;
  ra.ok = true;
  ra.handle = 0x20;
  ra.observations = {Observation{0x4, true, true, false, 1, "File"}};
  Reply rb;
  rb.id = 9;
  rb.error = 6;
  rb.data = "x y,z";
  rb.hasData = true;
  Reply r;
  r.id = 7;
  r.ok = true;
  r.results = {ra, rb};
  EXPECT_EQ(roundTrip(r), r);
}

TEST(Decode, ABlockInsideABlockIsRejected) {
  Request inner;
  inner.op = Op::Block;
  inner.steps = {Request{}};
  Request outer;
  outer.op = Op::Block;
  outer.steps = {inner};
  Request out;
  std::string error;
  EXPECT_FALSE(decode(encode(outer), out, error));
  EXPECT_NE(error.find("'steps'"), std::string::npos) << error;
}

TEST(RoundTrip, EveryReplyField) {
  Reply r;
  r.id = 4000000000u;
  r.ok = true;
  r.error = 183;
  r.alreadyExists = true;
  r.handle = 0x50;
  r.handle2 = 0x54;
  r.childPid = 316;
  r.hasData = true;
  r.data = "";  // an empty message is still data
  r.hasExitCode = true;
  r.exitCode = 0;  // exit code 0 is still an exit code
  r.hasAvail = true;
  r.avail = 0;  // an empty pipe still reports its count
  r.same = 0;
  r.hasSizing = true;
  r.sizingError = 122;
  r.sizingBytes = 48;
  r.blocks = true;
  r.observations = {{0x44, true, true, false, 3, "Event"},
                    {0x48, false, false, false, 0, ""},
                    {0x4c, true, false, false, 1, "File", 2}};
  r.failure = "agent 1 (pid 316) did not answer wait within 10000 ms";
  EXPECT_EQ(roundTrip(r), r);
}

// SPEC 78: the sizing call's error and size travel as one key; a TRUE
// return (error 0) is still a sizing.
TEST(RoundTrip, ReplySizingIsErrorThenBytes) {
  Reply r;
  r.hasSizing = true;
  r.sizingError = 122;
  r.sizingBytes = 72;
  EXPECT_EQ(encode(r), "hc1 ok=0 sizing=122:72\n");
  r.sizingError = 0;
  EXPECT_EQ(roundTrip(r), r);
  Reply bad;
  std::string error;
  EXPECT_FALSE(decode("hc1 ok=0 sizing=122", bad, error));
  EXPECT_FALSE(decode("hc1 ok=0 sizing=122:", bad, error));
}

TEST(RoundTrip, ReplySameUnknownIsTheDefault) {
  Reply r;
  r.same = 1;
  EXPECT_EQ(roundTrip(r).same, 1);
  r.same = -1;
  EXPECT_EQ(encode(r), "hc1 ok=0\n");
}

// A reply echoes its request's id; id 0 (the hub's hello) is no key at all.
TEST(RoundTrip, TheIdLeadsTheLine) {
  Request q;
  q.id = 7;
  q.process = 1;
  q.op = Op::Close;
  q.handle = 0x104;
  EXPECT_EQ(encode(q), "hc1 id=7 process=1 op=close handle=0x104\n");
  Reply r;
  r.id = 7;
  r.ok = true;
  EXPECT_EQ(encode(r), "hc1 id=7 ok=1\n");
  r.id = 0;
  EXPECT_EQ(encode(r), "hc1 ok=1\n");
  std::string error;
  EXPECT_FALSE(decode("hc1 id=-1 ok=1", r, error));
  EXPECT_NE(error.find("key 'id'"), std::string::npos) << error;
}

TEST(RoundTrip, ShareReadIsTheDefaultAndZeroIsSent) {
  Request q;
  q.op = Op::OpenMailslot;
  EXPECT_EQ(encode(q).find("share="), std::string::npos);
  q.share = 0;
  EXPECT_NE(encode(q).find(" share=0"), std::string::npos);
  EXPECT_EQ(roundTrip(q).share, 0u);
}

TEST(Decode, ObservationWithoutMessageCountIsNotAMailslotServer) {
  Reply r;
  std::string error;
  ASSERT_TRUE(decode("hc1 ok=1 obs=0x4:1:1:0:2:Event,0x8:1:0:0:1:File:3", r, error)) << error;
  ASSERT_EQ(r.observations.size(), 2u);
  EXPECT_EQ(r.observations[0].messages, -1);
  EXPECT_EQ(r.observations[1].messages, 3);
  EXPECT_EQ(encode(r), "hc1 ok=1 obs=0x4:1:1:0:2:Event,0x8:1:0:0:1:File:3\n");
}

TEST(Decode, ObservationWithAccessHasAnEmptyCountWhenNoMailslot) {
  Reply r;
  std::string error;
  ASSERT_TRUE(
      decode("hc1 ok=1 obs=0x4:1:1:0:2:Event::0x1f0003,0x8:1:0:0:1:File:3:0x120089", r, error))
      << error;
  ASSERT_EQ(r.observations.size(), 2u);
  EXPECT_EQ(r.observations[0].messages, -1);
  EXPECT_TRUE(r.observations[0].hasAccess);
  EXPECT_EQ(r.observations[0].access, 0x1F0003u);
  EXPECT_EQ(r.observations[1].messages, 3);
  EXPECT_EQ(r.observations[1].access, 0x120089u);
  EXPECT_EQ(encode(r), "hc1 ok=1 obs=0x4:1:1:0:2:Event::0x1f0003,0x8:1:0:0:1:File:3:0x120089\n");
  Request q;
  q.op = Op::Dup;
  q.hasDesiredAccess = true;
  Request back;
  ASSERT_TRUE(decode(encode(q), back, error)) << error;
  EXPECT_EQ(back, q) << "access 0 is sent when asked for";
}

TEST(Decode, RejectsWrongVersion) {
  Request q;
  std::string error;
  EXPECT_FALSE(decode("hc2 process=0 op=ping", q, error));
  EXPECT_NE(error.find("version tag"), std::string::npos) << error;
}

TEST(Decode, RejectsUnknownKey) {
  Request q;
  std::string error;
  EXPECT_FALSE(decode("hc1 process=0 op=ping colour=red", q, error));
  EXPECT_NE(error.find("unknown key 'colour'"), std::string::npos) << error;
}

TEST(Decode, RejectsRepeatedKey) {
  Reply r;
  std::string error;
  EXPECT_FALSE(decode("hc1 ok=1 ok=0", r, error));
  EXPECT_NE(error.find("'ok' repeated"), std::string::npos) << error;
}

TEST(Decode, RejectsMalformedValues) {
  Request q;
  std::string error;
  EXPECT_FALSE(decode("hc1 op=close handle=260", q, error));  // handles are hex with 0x
  EXPECT_NE(error.find("key 'handle'"), std::string::npos) << error;
  EXPECT_FALSE(decode("hc1 op=ping name=a%zz", q, error));
  EXPECT_FALSE(decode("hc1 op=ping name=a b", q, error));
  EXPECT_FALSE(decode("hc1 op=teleport", q, error));
  Reply r;
  EXPECT_FALSE(decode("hc1 ok=1 obs=0x4:1:1:0", r, error));
  EXPECT_FALSE(decode("hc1 ok=1 obs=0x4:1:1:0:1:File:-1", r, error));
  EXPECT_FALSE(decode("hc1 ok=1 obs=0x4:1:1:0:1:File:1:2", r, error));
  EXPECT_FALSE(decode("hc1 ok=2", r, error));
}

TEST(Decode, RequestNeedsAnOp) {
  Request q;
  std::string error;
  EXPECT_FALSE(decode("hc1 process=1", q, error));
  EXPECT_NE(error.find("'op'"), std::string::npos) << error;
}

TEST(Encode, OneLinePrintableAscii) {
  Request q;
  q.op = Op::Write;
  q.text = "line one\nline two\r\t\x01 \x7f";
  const std::string line = encode(q);
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  for (std::size_t i = 0; i + 1 < line.size(); ++i)
    EXPECT_TRUE(line[i] >= ' ' && line[i] < 0x7f) << "byte " << i;
  EXPECT_EQ(line.find('\n'), line.size() - 1);
}

}  // namespace
}  // namespace hc::proto
