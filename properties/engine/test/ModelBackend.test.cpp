// ModelBackend: proto::Request in, the Reply an agent would send out, from
// the model::System call of the same name.
#include "handlecheck/engine/ModelBackend.h"

#include <gtest/gtest.h>

namespace hc::engine {
namespace {

proto::Request req(proto::Op op, proto::AgentId agent = 0) {
  proto::Request q;
  q.op = op;
  q.process = agent;
  return q;
}

TEST(ModelBackend, CreateReturnsHandleAndObservesIt) {
  ModelBackend m;
  proto::Request q = req(proto::Op::CreateEvent);
  q.name = "e";
  q.inherit = true;
  const proto::Reply r = m.perform(q);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.handle % 4, 0u);
  EXPECT_NE(r.handle, 0u);
  proto::Request look = req(proto::Op::Observe);
  look.observe = {r.handle, 0x7777};
  const proto::Reply seen = m.perform(look);
  ASSERT_EQ(seen.observations.size(), 2u);
  EXPECT_EQ(seen.observations[0],
            (proto::Observation{r.handle, true, true, false, 1, "Event", -1, true, 0x1F0003}));
  EXPECT_EQ(seen.observations[1], (proto::Observation{0x7777, false, false, false, 0, ""}));
  EXPECT_EQ(m.name(), "model (windows)");
  EXPECT_FALSE(m.real());
}

TEST(ModelBackend, AlreadyExistsCarriesError183) {
  ModelBackend m;
  proto::Request q = req(proto::Op::CreateMutex);
  q.name = "m";
  m.perform(q);
  const proto::Reply r = m.perform(q);
  EXPECT_TRUE(r.ok);
  EXPECT_TRUE(r.alreadyExists);
  EXPECT_EQ(r.error, 183u);
}

TEST(ModelBackend, SpawnMapsTheAgentIdToTheChildProcess) {
  ModelBackend m;
  proto::Request q = req(proto::Op::Spawn);
  q.target = 5;
  const proto::Reply r = m.perform(q);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(m.processOf(5), 1u);
  EXPECT_EQ(m.processOf(6), model::kNoProcess);
  EXPECT_EQ(m.system().processes().size(), 2u);
  EXPECT_TRUE(m.perform(req(proto::Op::Ping, 5)).ok);
  EXPECT_THROW(m.perform(q), sut::BackendFailure);  // agent id reused
}

TEST(ModelBackend, CompareWithAnswersSame) {
  ModelBackend m;
  const proto::Reply e = m.perform(req(proto::Op::CreateEvent));
  proto::Request d = req(proto::Op::Dup);
  d.handle = e.handle;
  const proto::Reply e2 = m.perform(d);
  proto::Request q = req(proto::Op::Query);
  q.handle = e.handle;
  q.compareWith = e2.handle;
  EXPECT_EQ(m.perform(q).same, 1);
  q.compareWith = m.perform(req(proto::Op::CreateEvent)).handle;
  EXPECT_EQ(m.perform(q).same, 0);
}

TEST(ModelBackend, BlockingIsWouldBlock) {
  ModelBackend m;
  const proto::Reply p = m.perform(req(proto::Op::CreatePipe));
  proto::Request read = req(proto::Op::Read);
  read.handle = p.handle;
  EXPECT_THROW(m.perform(read), WouldBlock);
}

TEST(ModelBackend, RequestsNoAgentCouldRunAreBackendFailures) {
  ModelBackend m;
  EXPECT_THROW(m.perform(req(proto::Op::Ping, 3)), sut::BackendFailure);  // no such agent
  proto::Request self = req(proto::Op::Terminate);
  self.handle = ~proto::Handle{0};  // GetCurrentProcess()
  EXPECT_THROW(m.perform(self), sut::BackendFailure);
  proto::Request spawn = req(proto::Op::Spawn);
  spawn.target = 1;
  m.perform(spawn);
  m.perform(req(proto::Op::Exit, 1));
  EXPECT_THROW(m.perform(req(proto::Op::Ping, 1)), sut::BackendFailure);  // exited
}

TEST(ModelBackend, CopiesAreIndependentWorlds) {
  ModelBackend a;
  ModelBackend b = a;
  b.perform(req(proto::Op::CreateEvent));
  EXPECT_EQ(a.system().objects().size() + 1, b.system().objects().size());
}

TEST(ModelBackend, WideValuesMapToPseudoHandlesOrNothing) {
  EXPECT_EQ(toModel(~proto::Handle{0}), model::kCurrentProcess);
  EXPECT_EQ(toModel(~proto::Handle{0} - 1), model::kCurrentThread);
  EXPECT_EQ(toModel(0x100000004ull), 0u);
  EXPECT_EQ(toModel(0x104), 0x104u);
}

TEST(ModelBackend, WineProfileNamesItself) {
  EXPECT_EQ(ModelBackend(model::wineProfile()).name(), "model (wine)");
}

}  // namespace
}  // namespace hc::engine
