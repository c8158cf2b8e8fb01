// What the driver accepts from the hub (sut/driver/src/HubReply.h): a reply
// to the request sent, or a printable reason why the line is not one.
#include "HubReply.h"

#include <gtest/gtest.h>

namespace hc::sut {
namespace {

using proto::Observation;
using proto::Reply;
using proto::Request;

std::string line(const Reply& r) {
  std::string s = proto::encode(r);
  s.pop_back();  // the '\n' readLine takes off
  return s;
}

Observation of(proto::Handle h) {
  Observation o;
  o.handle = h;
  return o;
}

Request observing(std::vector<proto::Handle> handles, bool observeNew) {
  Request q;
  q.op = proto::Op::CreateEvent;
  q.observe = std::move(handles);
  q.observeNew = observeNew;
  return q;
}

TEST(Printable, KeepsPrintableAsciiAndEscapesTheRest) {
  EXPECT_EQ(printable(std::string("ok \x00\x1b\xff~", 7)), "ok \\x00\\x1b\\xff~");
  EXPECT_EQ(printable(std::string(10, 'a'), 4), "aaaa... (10 bytes)");
}

TEST(AcceptReply, GarbageIsABadReplyInPrintableWords) {
  Reply r;
  const std::string problem = acceptReply(std::string("\xfe\x00garbage", 9), nullptr, r);
  EXPECT_NE(problem.find("bad reply: expected version tag 'hc1'"), std::string::npos) << problem;
  EXPECT_NE(problem.find("\\xfe\\x00garbage"), std::string::npos) << problem;
}

TEST(AcceptReply, ObservationsOfTheAskedHandlesThenTheNewOnesAreTheAnswer) {
  Reply sent;
  sent.ok = true;
  sent.handle = 0x10c;
  sent.observations = {of(0x104), of(0x108), of(0x10c)};
  const Request q = observing({0x104, 0x108}, true);
  Reply r;
  EXPECT_EQ(acceptReply(line(sent), &q, r), "");
  EXPECT_EQ(r, sent);
}

TEST(AcceptReply, ObservationsOfOtherHandlesAnswerAnotherRequest) {
  Reply sent;
  sent.ok = true;
  sent.observations = {of(0x204)};
  const Request q = observing({0x104}, false);
  Reply r;
  EXPECT_EQ(acceptReply(line(sent), &q, r),
            "reply to another request: it observes 1 handle(s) from 0x204 on; the request asked "
            "about 1 from 0x104 on");
}

// A stale reply: the answer to the request before, with nothing in it that
// could tell it from the answer to this one but its id.
TEST(AcceptReply, AReplyWithTheIdOfAnotherRequestAnswersAnotherRequest) {
  Reply sent;
  sent.id = 6;
  sent.ok = true;
  Request q = observing({}, false);
  q.id = 7;
  Reply r;
  EXPECT_EQ(acceptReply(line(sent), &q, r),
            "reply to another request: its id is 6, the request's 7");
  sent.id = 7;
  EXPECT_EQ(acceptReply(line(sent), &q, r), "");
  EXPECT_EQ(r, sent);
}

TEST(AcceptReply, AFailureWithAnotherIdIsQuoted) {  // the hub could not read the request
  Reply sent;
  sent.failure = "hub: bad request";
  Request q = observing({}, false);
  q.id = 3;
  Reply r;
  EXPECT_EQ(acceptReply(line(sent), &q, r),
            "reply to another request: its id is 0, the request's 3; it says: hub: bad request");
}

TEST(AcceptReply, TheHelloHasIdZero) {
  Reply sent;
  sent.ok = true;
  Reply r;
  EXPECT_EQ(acceptReply(line(sent), nullptr, r), "");
  sent.id = 1;
  EXPECT_EQ(acceptReply(line(sent), nullptr, r),
            "reply to another request: its id is 1, a hello's 0");
}

TEST(AcceptReply, NoObservationsAtAllIsAnAnswer) {  // e.g. an agent that terminated itself
  Reply sent;
  sent.ok = true;
  const Request q = observing({0x104}, true);
  Reply r;
  EXPECT_EQ(acceptReply(line(sent), &q, r), "");
}

TEST(AcceptReply, TheFailureTextIsMadePrintable) {
  Reply sent;
  sent.failure = "agent 1 said \x07\xff";
  Reply r;
  EXPECT_EQ(acceptReply(line(sent), nullptr, r), "");
  EXPECT_EQ(r.failure, "agent 1 said \\x07\\xff");
}

}  // namespace
}  // namespace hc::sut
