// The textbook picture as text: per process `handle | object` with names and
// flags, every live object with kind, name and usage count.
#include "handlecheck/engine/Diagram.h"

#include <gtest/gtest.h>

namespace hc::engine {
namespace {

std::string after(ModelBackend& backend, Bindings& b, std::string_view text) {
  for (const auto& step : scenario::parse(text).steps) runStep(backend, b, step);
  return modelDiagram(backend, b);
}

TEST(Diagram, TextbookPictureAfterInheritance) {
  ModelBackend backend;
  Bindings b;
  const std::string d =
      after(backend, b, "create mailslot demo inherit as MS\nspawn C1 inherit as HP HT\n");
  EXPECT_NE(d.find("P0 (running)"), std::string::npos) << d;
  EXPECT_NE(d.find("C1 (child of P0, running)"), std::string::npos) << d;
  EXPECT_NE(d.find("| handle | object |"), std::string::npos) << d;
  EXPECT_NE(d.find("|    0x4 | o2     |  MS    inherit"), std::string::npos)
      << d;  // in both tables
  EXPECT_NE(d.find("mailslot        demo       usage count 2  (HandleCount 2)"), std::string::npos)
      << d;
  EXPECT_NE(d.find("process         C1         usage count 2  (HandleCount 1, running)"),
            std::string::npos)
      << d;
}

TEST(Diagram, DestroyedObjectsLeaveThePicture) {
  ModelBackend backend;
  Bindings b;
  const std::string d = after(backend, b, "create event name=gone as E\nclose E\n");
  EXPECT_EQ(d.find("gone"), std::string::npos) << d;
  EXPECT_NE(d.find("(no handles)"), std::string::npos) << d;
}

TEST(Diagram, ExitedProcessShowsItsCode) {
  ModelBackend backend;
  Bindings b;
  const std::string d = after(backend, b, "spawn C1 as HP HT\nC1: exit 7\n");
  EXPECT_NE(d.find("C1 (child of P0, exited with code 7)"), std::string::npos) << d;
  EXPECT_NE(d.find("process         C1         usage count 1  (HandleCount 1)"), std::string::npos)
      << d;
}

TEST(Diagram, ObservedDiagramAsksTheBackend) {
  ModelBackend backend;
  Bindings b;
  after(backend, b, "create event inherit as E\nset E protect=on\n");
  const std::string d = observedDiagram(backend, b);
  EXPECT_NE(d.find("|    0x4 | Event  |  E     inherit protect, HandleCount 1"), std::string::npos)
      << d;
  EXPECT_NE(d.find("not observable one by one"), std::string::npos) << d;
}

}  // namespace
}  // namespace hc::engine
