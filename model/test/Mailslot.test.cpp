// SPEC 10-12: mailslots (server, clients, messages, deletion).
#include <optional>

#include "Outcomes.h"

namespace hc::model::test {
namespace {

TEST(Spec10, CreateMailslotReturnsTheServerHandle) {
  System system;
  const Outcome out = system.createMailslot(P0, "slot", true);
  ASSERT_TRUE(succeeded(out)) << "CreateMailslot";
  const HandleInfo info = system.handleInfo(P0, out.handle);
  EXPECT_EQ(info.kind, ObjectKind::MailslotServer);
  EXPECT_EQ(typeName(info.kind), "File");
  EXPECT_EQ(info.handleCount, 1u);
  EXPECT_TRUE(info.inherit) << "CreateMailslot(sa.bInheritHandle=TRUE)";
}

TEST(Spec10, ExistingNameFailsWithAlreadyExists) {
  System system;
  system.createMailslot(P0, "slot", false);
  const System before = system;
  EXPECT_TRUE(failedWith(system.createMailslot(P0, "slot", false), win32::kAlreadyExists))
      << "CreateMailslot(existing name) returns INVALID_HANDLE_VALUE";
  EXPECT_EQ(system, before);
}

TEST(Spec10, MailslotNamesAreFileNamesAndIgnoreCase) {
  System system;
  system.createMailslot(P0, "Slot", false);
  EXPECT_TRUE(failedWith(system.createMailslot(P0, "SLOT", false), win32::kAlreadyExists))
      << "CreateMailslot(SLOT) after CreateMailslot(Slot)";
  EXPECT_TRUE(succeeded(system.openMailslot(P0, "slot", false)))
      << "CreateFile(\\\\.\\mailslot\\slot)";
}

TEST(Spec10, MailslotNamesAreApartFromObjectNames) {
  System system;
  system.createEvent(P0, "both", false);
  EXPECT_TRUE(succeeded(system.createMailslot(P0, "both", false)))
      << "CreateMailslot(name of an event): another namespace";
  EXPECT_TRUE(failedWith(system.openEvent(P0, "nothing", false), win32::kFileNotFound));
}

TEST(Spec11, OpeningAMissingMailslotFailsWithFileNotFound) {
  System system;
  EXPECT_TRUE(failedWith(system.openMailslot(P0, "none", false), win32::kFileNotFound))
      << "CreateFile(\\\\.\\mailslot\\none, OPEN_EXISTING)";
}

TEST(Spec11, EachClientIsItsOwnObject) {
  System system;
  const HandleValue server = system.createMailslot(P0, "slot", false).handle;
  const Outcome a = system.openMailslot(P0, "slot", false);
  const Outcome b = system.openMailslot(P0, "slot", true);
  ASSERT_TRUE(succeeded(a));
  ASSERT_TRUE(succeeded(b));
  EXPECT_FALSE(system.sameObject(P0, a.handle, b.handle));
  EXPECT_EQ(system.handleInfo(P0, a.handle).handleCount, 1u) << "CreateFile: a new client object";
  EXPECT_EQ(system.handleInfo(P0, server).handleCount, 1u) << "clients do not count on the server";
  EXPECT_TRUE(system.handleInfo(P0, b.handle).inherit);
  EXPECT_EQ(system.handleInfo(P0, b.handle).kind, ObjectKind::MailslotClient);
}

TEST(Spec11, MessagesArriveInOrder) {
  System system;
  const HandleValue server = system.createMailslot(P0, "slot", false).handle;
  const HandleValue client = system.openMailslot(P0, "slot", false).handle;
  ASSERT_TRUE(succeeded(system.writeFile(P0, client, "one"))) << "WriteFile(client)";
  ASSERT_TRUE(succeeded(system.writeFile(P0, client, ""))) << "WriteFile(client, 0 bytes)";
  ASSERT_TRUE(succeeded(system.writeFile(P0, client, "three")));
  EXPECT_EQ(system.readFile(P0, server).data, "one") << "ReadFile(server): oldest message first";
  EXPECT_EQ(system.readFile(P0, server).data, "") << "ReadFile(server): a zero-length message";
  EXPECT_EQ(system.readFile(P0, server).data, "three");
}

TEST(Spec11, GetMailslotInfoCountsWaitingMessagesZeroLengthOnesToo) {
  System system;
  const HandleValue server = system.createMailslot(P0, "slot", false).handle;
  const HandleValue client = system.openMailslot(P0, "slot", false).handle;
  EXPECT_EQ(system.handleInfo(P0, server).messages, 0u);
  EXPECT_EQ(system.handleInfo(P0, client).messages, std::nullopt) << "only a server has a count";
  system.writeFile(P0, client, "a");
  system.writeFile(P0, client, "bc");
  system.writeFile(P0, client, "");
  EXPECT_EQ(system.handleInfo(P0, server).messages, 3u);
  system.readFile(P0, server);
  system.readFile(P0, server);
  EXPECT_EQ(system.handleInfo(P0, server).messages, 1u) << "the zero-length message waits";
  const Outcome empty = system.readFile(P0, server);
  EXPECT_TRUE(succeeded(empty)) << "ReadFile of a zero-length message: TRUE";
  EXPECT_EQ(empty.data, "") << "0 bytes";
  EXPECT_EQ(system.handleInfo(P0, server).messages, 0u);
}

TEST(Spec11, WineCountsOneWhileAnyByteWaits) {
  System system(wineProfile());
  const HandleValue server = system.createMailslot(P0, "slot", false).handle;
  const HandleValue client = system.openMailslot(P0, "slot", false).handle;
  system.writeFile(P0, client, "a");
  system.writeFile(P0, client, "bc");
  system.writeFile(P0, client, "");
  EXPECT_EQ(system.handleInfo(P0, server).messages, 1u) << "mailslot-message-count";
  system.readFile(P0, server);
  system.readFile(P0, server);
  EXPECT_EQ(system.handleInfo(P0, server).messages, 0u) << "a lone zero-length message is not seen";
}

TEST(Spec11, SeveralClientsInAnyShareMode) {
  System system;
  system.createMailslot(P0, "slot", false);
  for (const MailslotShare share :
       {MailslotShare::Read, MailslotShare::ReadWrite, MailslotShare::None}) {
    const Outcome client = system.openMailslot(P0, "slot", false, share);
    EXPECT_TRUE(succeeded(client))
        << "CreateFile(GENERIC_WRITE, share " << static_cast<int>(share) << ")";
    EXPECT_EQ(client.rule, RuleId::MailslotClientsWriteMessages);
  }
}

TEST(Spec11, WineWantsShareReadAndSharedWriters) {
  System system(wineProfile());
  system.createMailslot(P0, "slot", false);
  EXPECT_TRUE(failedWith(system.openMailslot(P0, "slot", false, MailslotShare::None),
                         win32::kSharingViolation))
      << "mailslot-share-none-refused";
  ASSERT_TRUE(succeeded(system.openMailslot(P0, "slot", false, MailslotShare::ReadWrite)));
  EXPECT_TRUE(succeeded(system.openMailslot(P0, "slot", false, MailslotShare::ReadWrite)))
      << "two writers that both share write";
  EXPECT_TRUE(failedWith(system.openMailslot(P0, "slot", false, MailslotShare::Read),
                         win32::kSharingViolation))
      << "mailslot-single-client";
}

TEST(Spec11, ReadingAnEmptyMailslotTimesOut) {
  System system;
  const HandleValue server = system.createMailslot(P0, "slot", false).handle;
  EXPECT_TRUE(failedWith(system.readFile(P0, server), win32::kSemTimeout))
      << "ReadFile(empty mailslot, read timeout 0)";
}

TEST(Spec11, WrongDirectionIsAccessDenied) {
  System system;
  const HandleValue server = system.createMailslot(P0, "slot", false).handle;
  const HandleValue client = system.openMailslot(P0, "slot", false).handle;
  const Outcome write = system.writeFile(P0, server, "x");
  EXPECT_TRUE(failedWith(write, win32::kAccessDenied)) << "WriteFile(server handle)";
  EXPECT_EQ(write.rule, RuleId::MailslotClientsWriteMessages);
  EXPECT_TRUE(failedWith(system.readFile(P0, client), win32::kAccessDenied))
      << "ReadFile(client handle)";
}

TEST(Spec11, IoOnNonFilesOrInvalidHandlesFails) {
  System system;
  const HandleValue event = system.createEvent(P0, "", false).handle;
  EXPECT_TRUE(failedWith(system.writeFile(P0, event, "x"), win32::kInvalidHandle))
      << "WriteFile(event)";
  EXPECT_TRUE(failedWith(system.readFile(P0, 0x400), win32::kInvalidHandle))
      << "ReadFile(never opened)";
}

TEST(Spec11, ClientsInOtherProcessesWrite) {
  System system;
  const HandleValue server = system.createMailslot(P0, "slot", false).handle;
  const ProcessId child = system.spawn(P0, {}).child;
  const HandleValue client = system.openMailslot(child, "slot", false).handle;
  ASSERT_TRUE(succeeded(system.writeFile(child, client, "hello"))) << "WriteFile in the child";
  EXPECT_EQ(system.readFile(P0, server).data, "hello");
}

TEST(Spec12, ClosingEveryServerHandleDeletesTheMailslot) {
  System system;
  const HandleValue server = system.createMailslot(P0, "slot", false).handle;
  const HandleValue copy = system.duplicateHandle(P0, server, P0, false, false).handle;
  const HandleValue client = system.openMailslot(P0, "slot", false).handle;
  system.closeHandle(P0, server);
  EXPECT_TRUE(succeeded(system.openMailslot(P0, "slot", false))) << "one server handle is left";
  system.closeHandle(P0, copy);
  EXPECT_FALSE(system.lookupMailslot("slot").has_value());
  EXPECT_TRUE(failedWith(system.openMailslot(P0, "slot", false), win32::kFileNotFound))
      << "CreateFile after every server handle closed, clients still open";
  EXPECT_TRUE(system.handleInfo(P0, client).valid) << "the client handle itself stays open";
  EXPECT_TRUE(succeeded(system.createMailslot(P0, "slot", false))) << "the name is free again";
}

TEST(Spec12, WritingAfterTheMailslotIsDeletedFails) {
  System system;
  const HandleValue server = system.createMailslot(P0, "slot", false).handle;
  const HandleValue client = system.openMailslot(P0, "slot", false).handle;
  system.writeFile(P0, client, "unread");
  system.closeHandle(P0, server);
  EXPECT_TRUE(failedWith(system.writeFile(P0, client, "late"), win32::kHandleEof))
      << "WriteFile(client) after the mailslot is deleted";
  const HandleValue fresh = system.createMailslot(P0, "slot", false).handle;
  EXPECT_TRUE(failedWith(system.writeFile(P0, client, "late"), win32::kHandleEof))
      << "an old client never reaches a new mailslot of the same name";
  EXPECT_TRUE(failedWith(system.readFile(P0, fresh), win32::kSemTimeout))
      << "unread messages die with the old mailslot";
  EXPECT_TRUE(succeeded(system.closeHandle(P0, client)));
}

}  // namespace
}  // namespace hc::model::test
