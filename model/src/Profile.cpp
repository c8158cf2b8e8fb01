#include "handlecheck/model/Profile.h"

#include <array>

namespace hc::model {

namespace {

constexpr std::string_view kMailslotTest =
    "wine-mirror/wine dlls/kernel32/tests/mailslot.c @0bf6066b (Wine 8 era), mailslot_test";
constexpr std::string_view kStdInheritanceTest =
    "wine-mirror/wine dlls/kernel32/tests/process.c @626b2f18, test_StdHandleInheritance";
constexpr std::string_view kInheritListTest =
    "rprichard/win32-console-docs src/HandleTests/CreateProcess_InheritList.cc, "
    "Test_CreateProcess_InheritList (run on Windows Vista to 10)";

// Indexed by QuirkId. Each was found by the harness against Wine, confirmed
// on Wine 8.0 by a direct Win32 program (sut/test/probe/WineDivergences.cpp,
// ctest Wine::Probe::*), and is shown by its corpus scenario.
constexpr std::array<Quirk, static_cast<std::size_t>(QuirkId::Count)> kQuirks{{
    {QuirkId::SpawnHandlesIgnoreSecurityAttributes,
     "spawn-handles-ignore-security-attributes",
     "CreateProcess ignores bInheritHandle of lpProcessAttributes and lpThreadAttributes: "
     "pi.hProcess and pi.hThread are never inheritable.",
     RuleId::ProcessInformationHandlesAreNew,
     "spawn-handles-ignore-security-attributes.hcs",
     {"Microsoft Docs, CreateProcessW, lpProcessAttributes "
      "(MicrosoftDocs/sdk-api nf-processthreadsapi-createprocessw.md)",
      "\"A pointer to a SECURITY_ATTRIBUTES structure that determines whether the returned "
      "handle to the new process object can be inherited by child processes.\""}},
    {QuirkId::MailslotServerNeverInheritable,
     "mailslot-server-never-inheritable",
     "CreateMailslot ignores sa.bInheritHandle: the server handle is never inheritable.",
     RuleId::CreateMailslotReturnsServer,
     "mailslot-server-never-inheritable.hcs",
     {"Microsoft Docs, Creating a Mailslot (learn.microsoft.com ipc/creating-a-mailslot)",
      "\"To create a mailslot that can be inherited by child processes, an application should "
      "change the SECURITY_ATTRIBUTES structure passed as the last parameter of CreateMailslot. "
      "To do this, the application sets the bInheritHandle member of this structure to TRUE\""}},
    {QuirkId::MailslotSingleClient,
     "mailslot-single-client",
     "A second mailslot client fails with ERROR_SHARING_VIOLATION while another is open, "
     "unless both it and the last client opened with FILE_SHARE_WRITE.",
     RuleId::MailslotClientsWriteMessages,
     "mailslot-single-client.hcs",
     {kMailslotTest,
      "no assertion: a second CreateFileA(szmspath, GENERIC_WRITE, FILE_SHARE_READ, ...) is "
      "followed by the comment \"/* succeeds on vista, don't test */\""}},
    {QuirkId::MailslotEmptyMessageBreaksRead,
     "mailslot-empty-message-breaks-read",
     "A zero-length message is queued, but ReadFile of it fails with ERROR_BROKEN_PIPE instead "
     "of returning 0 bytes.",
     RuleId::MailslotClientsWriteMessages,
     "mailslot-empty-message-breaks-read.hcs",
     {kMailslotTest,
      "todo_wine { ok( ReadFile( hSlot, buffer, sizeof buffer, &count, NULL), "
      "\"3rd slot read failed\\n\"); } ok( count == 0, \"failed to get 3rd message\\n\");",
      true}},
    {QuirkId::MailslotOutlivesServer,
     "mailslot-outlives-server",
     "The mailslot survives its last server handle while a client is open: its name stays "
     "taken (CreateMailslot fails with ERROR_ALREADY_EXISTS) and clients can still write.",
     RuleId::LastServerHandleDeletesMailslot,
     "mailslot-outlives-server.hcs",
     {"Microsoft Docs, Reading from a Mailslot (learn.microsoft.com ipc/reading-from-a-mailslot)",
      "\"A mailslot exists until the CloseHandle function is called for all open server handles "
      "or until all server processes that own a mailslot handle exit. In both cases, any unread "
      "messages are deleted from the mailslot, all client handles to the mailslot are closed, "
      "and the mailslot itself is deleted from memory.\""}},
    {QuirkId::HandleListNeverRejected,
     "handle-list-never-rejected",
     "CreateProcess accepts a PROC_THREAD_ATTRIBUTE_HANDLE_LIST holding a non-inheritable handle "
     "or a pseudo handle: it skips those entries and inherits the listed inheritable ones.",
     RuleId::CreateProcessValidatesHandleList,
     "handle-list-never-rejected.hcs",
     {kInheritListTest,
      "testSetup(p, {true}, {phNI.value()}) and testSetup(p, {true}, {GetCurrentProcess()}): "
      "CHECK(!c.valid()); CHECK_EQ(failure.errCode, (DWORD)ERROR_INVALID_PARAMETER);"}},
    {QuirkId::TerminateExitedProcessSucceeds,
     "terminate-exited-process-succeeds",
     "TerminateProcess on a process whose exit a wait has already seen returns TRUE; the exit "
     "code stays the first one.",
     RuleId::TerminateIsAsynchronous,
     "terminate-exited-process-succeeds.hcs",
     {"Microsoft Docs, TerminateProcess "
      "(MicrosoftDocs/sdk-api nf-processthreadsapi-terminateprocess.md)",
      "\"After a process has terminated, call to TerminateProcess with open handles to the "
      "process fails with ERROR_ACCESS_DENIED (5) error code.\""}},
    {QuirkId::HandleListNullInherits,
     "handle-list-null-inherits",
     "A NULL entry in PROC_THREAD_ATTRIBUTE_HANDLE_LIST is skipped: the other listed "
     "inheritable handles are still inherited.",
     RuleId::CreateProcessValidatesHandleList,
     "handle-list-null-inherits.hcs",
     {kInheritListTest,
      "testSetup(p, {true}, {ph1.value(), NULL}): CHECK(c.valid()); "
      "CHECK(!snap.eq(ph1, ch1(c))); (\"Apparently a NULL anywhere in the list means "
      "'inherit nothing'\")"}},
    {QuirkId::HandleListWithoutInheritAccepted,
     "handle-list-without-inherit-accepted",
     "CreateProcess with a handle list and bInheritHandles = FALSE succeeds (the list is "
     "ignored, nothing is inherited) instead of failing with ERROR_INVALID_PARAMETER.",
     RuleId::CreateProcessValidatesHandleList,
     "handle-list-without-inherit-accepted.hcs",
     {kInheritListTest,
      "testSetup(p, {false}, {ph1.value()}): CHECK(!c.valid()); "
      "CHECK_EQ(failure.errCode, (DWORD)ERROR_INVALID_PARAMETER);"}},
    {QuirkId::MailslotMessageCount,
     "mailslot-message-count",
     "GetMailslotInfo reports 1 waiting message when the oldest queued message is non-empty, "
     "however many there are, and 0 when it is zero-length (ntdll peeks at the next message "
     "only: MessagesAvailable = recv(MSG_PEEK) > 0, dlls/ntdll/unix/file.c).",
     RuleId::MailslotClientsWriteMessages,
     "mailslot-message-count.hcs",
     {kMailslotTest,
      "after two writes: todo_wine { ok( dwMsgCount == 2, \"dwMsgCount incorrect\\n\"); } "
      "and after a third, zero-length one: todo_wine ok( dwMsgCount == 3, ...);",
      true}},
    {QuirkId::MailslotShareNoneRefused,
     "mailslot-share-none-refused",
     "A mailslot client opened without FILE_SHARE_READ (share mode 0) fails with "
     "ERROR_SHARING_VIOLATION.",
     RuleId::MailslotClientsWriteMessages,
     "mailslot-share-none-refused.hcs",
     {kMailslotTest,
      "hWriter = CreateFileA(szmspath, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL); "
      "ok( hWriter != INVALID_HANDLE_VALUE /* vista */ || GetLastError() == "
      "ERROR_SHARING_VIOLATION, ...); (either passes: Vista and later open the client)"}},
    {QuirkId::DupSameAttributesIgnored,
     "dup-same-attributes-ignored",
     "DuplicateHandle ignores DUPLICATE_SAME_ATTRIBUTES: the copy's inherit flag comes from "
     "bInheritHandle and it is never protected.",
     RuleId::DuplicateAddsHandle,
     "dup-same-attributes-ignored.hcs",
     {"wine-mirror/wine dlls/kernel32/tests/process.c @626b2f18, test_DuplicateHandle "
      "(\"Test DUPLICATE_SAME_ATTRIBUTES\")",
      "ok(r && info == (HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE), \"Unexpected info "
      "%lx\\n\", info); and, for a source without flags and bInheritHandle = TRUE, "
      "ok(r && info == 0, ...) (plain ok(): holds on Windows; Wine 8.0 predates it)"}},
    {QuirkId::DupNullTargetCloseFails,
     "dup-null-target-close-fails",
     "DuplicateHandle with a NULL target process and DUPLICATE_CLOSE_SOURCE fails with "
     "ERROR_INVALID_HANDLE; a handle of another process stays open (one of the caller's own "
     "is closed anyway).",
     RuleId::CloseSourceInAnotherProcess,
     "dup-null-target-close-fails.hcs",
     {"Microsoft Docs, DuplicateHandle (MicrosoftDocs/sdk-api nf-handleapi-duplicatehandle.md), "
      "and the Windows Research Kernel base/ntos/ob/obhandle.c, NtDuplicateObject",
      "\"hTargetProcessHandle: A handle to the process that is to receive the duplicated handle. "
      "[...] This parameter is optional and can be specified as NULL if the "
      "DUPLICATE_CLOSE_SOURCE flag is set in Options.\"; NtDuplicateObject: \"If no "
      "TargetProcessHandle, then only possible option is to close the source handle in the "
      "context of the source process.\""}},
    {QuirkId::FirstPipeInstanceIgnored,
     "first-pipe-instance-ignored",
     "CreateNamedPipe ignores FILE_FLAG_FIRST_PIPE_INSTANCE: on a pipe that exists and has a "
     "free instance it adds an instance instead of failing with ERROR_ACCESS_DENIED "
     "(kernelbase passes FILE_OPEN_IF to NtCreateNamedPipeFile whatever the flag).",
     RuleId::NamedPipeInstanceChecks,
     "first-pipe-instance-ignored.hcs",
     {"Microsoft Docs, CreateNamedPipeW, dwOpenMode "
      "(MicrosoftDocs/sdk-api nf-winbase-createnamedpipew.md)",
      "FILE_FLAG_FIRST_PIPE_INSTANCE: \"If you attempt to create multiple instances of a pipe "
      "with this flag, creation of the first instance succeeds, but creation of the next "
      "instance fails with ERROR_ACCESS_DENIED.\""}},
    {QuirkId::NewConsoleWithDetachedAccepted,
     "new-console-with-detached-accepted",
     "CreateProcess with CREATE_NEW_CONSOLE | DETACHED_PROCESS succeeds and gives the child a "
     "new console instead of failing with ERROR_INVALID_PARAMETER.",
     RuleId::ConsoleCreationMode,
     "new-console-with-detached-accepted.hcs",
     {"rprichard/win32-console-docs src/HandleTests/CreateProcess.cc, "
      "Test_CreateProcess_ModeCombos (run on Windows XP to 10)",
      "CHECK_EQ(failure.errCode, (DWORD)ERROR_INVALID_PARAMETER); for CREATE_NEW_CONSOLE | "
      "DETACHED_PROCESS"}},
    {QuirkId::StdDupForcesInherit,
     "std-dup-forces-inherit",
     "A slot duplicated into a console child (no bInheritHandles, no STARTF_USESTDHANDLES) is "
     "always inheritable and never protected, whatever the parent's entry had.",
     RuleId::DuplicatedStdSlotKeepsFlags,
     "std-dup-forces-inherit.hcs",
     {kStdInheritanceTest,
      "nothing_cui row 5 (non-inheritable disk handle, bInheritHandles FALSE) expects "
      "HATTR_TYPE | FILE_TYPE_DISK without HATTR_INHERIT, row 7 HATTR_TYPE | HATTR_PROTECT | "
      "FILE_TYPE_DISK (plain ok(), no is_todo)"}},
    {QuirkId::StdHandlesWithoutInheritDuplicated,
     "stdhandles-without-inherit-duplicated",
     "With STARTF_USESTDHANDLES and bInheritHandles = FALSE each non-NULL STARTUPINFO handle is "
     "duplicated into the child (a new inheritable entry per slot) instead of the slot being "
     "NULL.",
     RuleId::ChildStdSlotRule,
     "stdhandles-without-inherit-duplicated.hcs",
     {kStdInheritanceTest,
      "nothing_cui row 2 (ARG_STD, bInheritHandles FALSE) expects HATTR_NULL; detached_cui row "
      "2 likewise (is_todo = 7 on row 2 in older Wine)"}},
    {QuirkId::UnresolvedStdValueNulled,
     "unresolved-std-value-nulled",
     "A slot value passed on verbatim (bInheritHandles, with or without STARTF_USESTDHANDLES) "
     "reads NULL in the child unless it names a handle the child inherited: 0x10000, "
     "INVALID_HANDLE_VALUE and non-inheritable handles are dropped.",
     RuleId::VerbatimStdValueIsNotAGrant,
     "unresolved-std-value-nulled.hcs",
     {"rprichard/win32-console-docs src/HandleTests/CreateProcess_InheritAllHandles.cc (run on "
      "Windows XP to 10)",
      "\"We can pass arbitrary values through\": slots {0, 0x10000, INVALID_HANDLE_VALUE}, "
      "CHECK(hv(stdHandles(c)) == hv(stdHandles(p)))"}},
    {QuirkId::HandleListStdNotDuplicated,
     "handle-list-std-not-duplicated",
     "With a handle list and no STARTF_USESTDHANDLES the slots are not duplicated: an "
     "inheritable std handle is inherited at the parent's value (listed or not, also with "
     "{NULL}) and a non-inheritable one gives a NULL slot.",
     RuleId::HandleListStillDuplicatesStd,
     "handle-list-std-not-duplicated.hcs",
     {kInheritListTest,
      "Test_CreateProcess_InheritList_ModernDuplication: CHECK(snap.eq(rh, c.getStdin())); "
      "CHECK(!h.inheritable()); and for the {NULL} list on Windows 8: "
      "CHECK(c.getStdout().value() != c.getStderr().value())"}},
    {QuirkId::HandleListInheritsUnlistedStd,
     "handle-list-inherits-unlisted-std",
     "With STARTF_USESTDHANDLES, bInheritHandles and a handle list, inheritable STARTUPINFO "
     "handles are inherited even when the list does not name them (or is {NULL}).",
     RuleId::HandleListStillDuplicatesStd,
     "handle-list-inherits-unlisted-std.hcs",
     {kInheritListTest,
      "Test_CreateProcess_InheritList_StdHandles: CHECK(!snap.eq(rh, c.getStdin())); "
      "CHECK(snap.eq(wh, c.getStdout()));"}},
    {QuirkId::NewConsoleHostInherits,
     "new-console-host-inherits",
     "A child given a new console (CREATE_NEW_CONSOLE or CREATE_NO_WINDOW) allocates it itself "
     "and starts a conhost.exe with bInheritHandles, which inherits every inheritable entry of "
     "the child: "
     "each of those objects counts one more handle while the host lives, so a pipe's write end "
     "held that way never lets its reader see end of file. A host may let go of its copies while "
     "the child runs, at a moment no call observes: such a count is predicted as a range, and "
     "the end of such a child, or end of file through such a copy, is not predicted.",
     RuleId::NewConsoleFreshStdHandles,
     "new-console-host-inherits.hcs",
     {"Microsoft Docs, Creation of a Console (learn.microsoft.com/windows/console/"
      "creation-of-a-console), and SPEC 9's HandleCount: the handles of all processes",
      "\"The system creates a new console when it starts a console process\": the console "
      "belongs to the system, no process of the child's making inherits the child's handles"}},
    {QuirkId::StdSlotNotFileNulled,
     "std-slot-not-file-nulled",
     "A child's std slot that names an object with no file behind it in Wine's server (an "
     "event, a semaphore, a mutex, a process, a thread; not a section) reads NULL, whether it "
     "was passed verbatim or duplicated; the inherited or duplicated entry stays in the "
     "child's table.",
     RuleId::VerbatimStdValueIsNotAGrant,
     "std-slot-not-file-nulled.hcs",
     {"rprichard/win32-console-docs src/HandleTests/CreateProcess_InheritAllHandles.cc (run on "
      "Windows XP to 10)",
      "\"We can pass arbitrary values through\": slots {0, 0x10000, INVALID_HANDLE_VALUE}, "
      "CHECK(hv(stdHandles(c)) == hv(stdHandles(p))) (a slot is a value, whatever it names)"}},
    {QuirkId::NoWindowChildGetsStdDuplicates,
     "no-window-child-gets-std-duplicates",
     "With CREATE_NO_WINDOW and neither bInheritHandles nor STARTF_USESTDHANDLES the parent's "
     "std handles are still duplicated into the child, inheritable, in no slot (the slots get "
     "fresh console handles), where Windows duplicates nothing.",
     RuleId::NewConsoleFreshStdHandles,
     "no-window-child-gets-std-duplicates.hcs",
     {"rprichard/win32-console-docs src/HandleTests/CreateProcess_NewConsole.cc (run on "
      "Windows XP to 10)",
      "checkModernConsoleHandleInit(c, true, true, true) without bInheritHandles: the child's "
      "handles are the three fresh console handles, none of the parent's"}},
    {QuirkId::OpenZeroAccessSucceeds,
     "open-zero-access-succeeds",
     "OpenEvent, OpenMutex, OpenSemaphore and OpenFileMapping with dwDesiredAccess 0 on an "
     "existing object succeed and return a handle whose granted access is 0, instead of "
     "failing with ERROR_ACCESS_DENIED.",
     RuleId::OpenWithZeroAccessFails,
     "open-zero-access-succeeds.hcs",
     {"wine-mirror/wine dlls/kernel32/tests/sync.c test_mutex",
      "hOpened = OpenMutexA(0, FALSE, \"WineTestMutex\"); todo_wine ok(hOpened == NULL, "
      "\"OpenMutex succeeded\\n\"); todo_wine ok(GetLastError() == ERROR_ACCESS_DENIED, "
      "\"wrong error %u\\n\", GetLastError());",
      true}},
    {QuirkId::OpenAcceptsInvalidAccessBits,
     "open-accepts-invalid-access-bits",
     "OpenMutex with a right a mutex does not have (any of bits 1-15, 21-23, 26-27, or "
     "ACCESS_SYSTEM_SECURITY) succeeds and the handle keeps the bogus bit, instead of failing "
     "with ERROR_ACCESS_DENIED (ERROR_PRIVILEGE_NOT_HELD for ACCESS_SYSTEM_SECURITY).",
     RuleId::OpenMutexRefusesInvalidRights,
     "open-accepts-invalid-access-bits.hcs",
     {"wine-mirror/wine dlls/kernel32/tests/sync.c test_mutex",
      "for (i = 0; i < 32; i++) { hOpened = OpenMutexA(0x1 << i, FALSE, \"WineTestMutex\"); "
      "... todo_wine ok(GetLastError() == ERROR_ACCESS_DENIED, ...) } todo_wine ok( failed == "
      "0x0de0fffe, \"open succeeded when it shouldn't: %x\\n\", failed);",
      true}},
    {QuirkId::DupKeepsInvalidAccessBits,
     "dup-keeps-invalid-access-bits",
     "Candidate (the Windows side rests on kernel sources only, unconfirmed on Windows): "
     "DuplicateHandle with a desired access holding bits the object's type does not have "
     "stores them in the copy's mask, where the kernel drops them.",
     RuleId::OpenMutexRefusesInvalidRights,
     "dup-keeps-invalid-access-bits.hcs",
     {"Windows Research Kernel base/ntos/ob/obhandle.c ObDuplicateObject",
      "TargetAccess = DesiredAccess & (ObjectType->TypeInfo.ValidAccessMask | "
      "ACCESS_SYSTEM_SECURITY);"}},
    {QuirkId::FileDupEscalationAllowed,
     "file-dup-escalation-allowed",
     "Candidate (the Windows side rests on kernel sources only, unconfirmed on Windows): "
     "DuplicateHandle of a pipe end asking for rights its source handle lacks succeeds and "
     "grants them, where the kernel refuses any superset for file objects with "
     "ERROR_ACCESS_DENIED.",
     RuleId::DuplicateSetsAccess,
     "file-dup-escalation-allowed.hcs",
     {"Windows Research Kernel base/ntos/ob/obhandle.c ObDuplicateObject",
      "\"Do not allow superset access if object type has a private security method, as there "
      "is no means to call them in this case to do the access check.\" ... if (TargetAccess & "
      "~SourceAccess) { if (ObjectType->TypeInfo.SecurityProcedure == SeDefaultObjectMethod) "
      "{ ... } else { Status = STATUS_ACCESS_DENIED; } }"}},
    {QuirkId::EmptyHandleListInheritsAll,
     "empty-handle-list-inherits-all",
     "UpdateProcThreadAttribute accepts a PROC_THREAD_ATTRIBUTE_HANDLE_LIST of 0 bytes instead "
     "of failing with ERROR_BAD_LENGTH, and CreateProcess then treats the list as absent: the "
     "child inherits every inheritable handle.",
     RuleId::UpdateProcThreadAttributeChecks,
     "empty-handle-list-inherits-all.hcs",
     {kInheritListTest,
      "testSetup(p, {true}, {}): CHECK_EQ(failure.kind, SpawnFailure::UpdateProcThreadAttribute); "
      "CHECK_EQ(failure.errCode, (DWORD)ERROR_BAD_LENGTH);"}},
    {QuirkId::GuiChildStdDuplicated,
     "gui-child-std-duplicated",
     "A GUI child created without bInheritHandles and without STARTF_USESTDHANDLES gets "
     "duplicates of the parent's std handles in its slots, and the parent's console, as a "
     "console child does, where Windows gives a GUI child NULL slots and no console.",
     RuleId::GuiChildStdSlots,
     "gui-child-std-duplicated.hcs",
     {"wine-mirror/wine dlls/kernel32/tests/process.c @626b2f18, test_StdHandleInheritance, "
      "table nothing_gui (a GUI-subsystem child)",
      "row 9: {ARG_STD | ARG_HANDLE_INHERIT | H_DISK, HATTR_NULL} with bInheritHandles FALSE "
      "and no STARTF_USESTDHANDLES: the child's slot is NULL (no is_todo in the row)"}},
}};

}  // namespace

Profile standIn(Profile p) {
  p.standIn = true;
  return p;
}

std::span<const Quirk> allQuirks() {
  return kQuirks;
}

const Quirk* quirkByName(std::string_view name) {
  for (const Quirk& quirk : kQuirks)
    if (quirk.name == name) return &quirk;
  return nullptr;
}

// The documented semantics of the rule table, no quirk.
Profile windowsProfile() {
  return Profile{};
}

// The rules' Windows 7 variants (SPEC 55, 58, 60-62, 66), no quirk.
Profile windows7Profile() {
  Profile profile;
  profile.name = "windows7";
  profile.windows7 = true;
  return profile;
}

// `windows` plus every known Wine quirk.
Profile wineProfile() {
  Profile profile;
  profile.name = "wine";
  for (const Quirk& quirk : allQuirks()) profile.with(quirk.id);
  return profile;
}

// "windows" | "windows7" | "wine"; nothing for any other name.
std::optional<Profile> profileByName(std::string_view name) {
  if (name == "windows") return windowsProfile();
  if (name == "windows7") return windows7Profile();
  if (name == "wine") return wineProfile();
  return std::nullopt;
}

std::optional<Profile> profileWithQuirks(std::span<const std::string_view> names) {
  Profile profile;
  profile.name = "custom";
  for (const std::string_view name : names) {
    const Quirk* quirk = quirkByName(name);
    if (!quirk) return std::nullopt;
    profile.with(quirk->id);
  }
  return profile;
}

}  // namespace hc::model
