#include "handlecheck/model/Rules.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <iterator>
#include <vector>

namespace hc::model {

namespace {

constexpr Evidence T = Evidence::Tested;
constexpr Evidence K = Evidence::Kernel;
constexpr Evidence D = Evidence::Documented;

// One line per rule, in rule order. Rule 19 rests on the kernel for closing
// the source on failure and on tests for the protected-source exception; rule
// 22 on both.
constexpr Versions W8 = Versions::Windows8Plus;

constexpr std::array kRules = std::to_array<Rule>({
    {RuleId::HandleValuesPerProcess,
     "Handle values belong to one process, are multiples of 4 (the low two bits are ignored) "
     "and never 0; (HANDLE)-1 and (HANDLE)-2 are the pseudo handles of the current process and "
     "thread and are never in a table.",
     T},
    {RuleId::OpenHandlesHaveDistinctValues,
     "Two handles open in the same process never have the same value.", T},
    {RuleId::NewHandleValueNotContractual,
     "Which free value a new handle gets is not contractual, except that an inherited copy "
     "keeps the parent's value and a same-process DuplicateHandle with close-source returns "
     "the source's value (unless the source is protected).",
     T},
    {RuleId::CreateMakesNewObject,
     "CreateEvent, CreateMutex, CreateSemaphore and CreateFileMapping make a new object with "
     "HandleCount 1; the handle is inheritable only if the security attributes ask for it.",
     D},
    {RuleId::CreateExistingNameOpensIt,
     "Creating a name that an object of the same type holds opens that object: a new handle, "
     "ERROR_ALREADY_EXISTS, HandleCount + 1, inherit taken from this call.",
     T},
    {RuleId::NameOfOtherTypeFails,
     "Creating or opening a name that an object of another type holds fails with "
     "ERROR_INVALID_HANDLE.",
     T},
    {RuleId::NamesAreCaseSensitive, "Object names are compared case-sensitively.", T},
    {RuleId::OpenAddsHandle,
     "Opening a named object adds a handle to it (HandleCount + 1), or fails with "
     "ERROR_FILE_NOT_FOUND (no such name) or ERROR_INVALID_HANDLE (another type).",
     T},
    {RuleId::NamedObjectDiesWithLastHandle,
     "A named object disappears with its last handle: its name can be opened no more and a "
     "new create makes a fresh object.",
     K},
    {RuleId::CreateMailslotReturnsServer,
     "CreateMailslot returns the server (read) handle, inheritable per the security "
     "attributes; a name already in use fails with ERROR_ALREADY_EXISTS.",
     T},
    {RuleId::MailslotClientsWriteMessages,
     "Mailslot clients open with CreateFile (several at once; ERROR_FILE_NOT_FOUND without a "
     "mailslot); every client write is one message, empty ones too, read back in order (an "
     "empty one as 0 bytes) and counted by GetMailslotInfo; an empty mailslot reads "
     "ERROR_SEM_TIMEOUT and the server cannot write (ERROR_ACCESS_DENIED).",
     T},
    {RuleId::LastServerHandleDeletesMailslot,
     "Closing the last server handle deletes the mailslot even while clients are open.", D},
    {RuleId::CreatePipeMakesTwoEnds,
     "CreatePipe makes a read end and a write end, inheritable per the security attributes; "
     "bytes written before the write end closes are still read, then reads fail with "
     "ERROR_BROKEN_PIPE; writes after the read end closes fail with ERROR_NO_DATA.",
     T},
    {RuleId::CloseRemovesEntry,
     "CloseHandle on an open handle succeeds, removes the entry and lowers HandleCount by "
     "one.",
     T},
    {RuleId::CloseNotOpenFails,
     "CloseHandle on NULL or on a value that is not open fails with ERROR_INVALID_HANDLE and "
     "changes nothing; on a pseudo handle it succeeds and changes nothing.",
     T},
    {RuleId::ProtectedHandleStaysOpen,
     "A protected handle cannot be closed: CloseHandle fails with ERROR_INVALID_HANDLE and "
     "the handle stays open.",
     K},
    {RuleId::SetHandleInformationMasksFlags,
     "SetHandleInformation changes exactly the flag bits in its mask and GetHandleInformation "
     "reads them; a value that is not open fails with ERROR_INVALID_HANDLE.",
     T},
    {RuleId::DuplicateAddsHandle,
     "DuplicateHandle adds a handle to the same object in the target process (HandleCount + "
     "1); its inherit flag comes from bInheritHandle and protect is dropped, unless "
     "DUPLICATE_SAME_ATTRIBUTES copies both flags of the source.",
     T},
    {RuleId::CloseSourceClosesEvenOnFailure,
     "DUPLICATE_CLOSE_SOURCE closes the source even when the duplication fails; a protected "
     "source is the exception: the copy is made, the call succeeds and the source stays open "
     "and protected.",
     K | T},
    {RuleId::PseudoSourceGivesRealHandle,
     "A pseudo handle as the source of DuplicateHandle gives a real handle to the current "
     "process or thread object.",
     T},
    {RuleId::DuplicateIntoExitedProcessFails,
     "DuplicateHandle into a process that has exited fails with ERROR_ACCESS_DENIED.", K},
    {RuleId::InheritCopiesEntry,
     "With bInheritHandles every inheritable handle of the parent is copied whole into the "
     "child, at the same value, to the same object with the same access, keeping inherit and "
     "protect; each copy adds one to HandleCount.",
     T | K},
    {RuleId::OnlyInheritableHandlesInherited,
     "Handles without inherit are never copied into a child, and with bInheritHandles FALSE "
     "nothing is.",
     T},
    {RuleId::ProcessInformationHandlesAreNew,
     "pi.hProcess and pi.hThread are new handles in the parent whose inherit flags come from "
     "the process and thread security attributes.",
     D},
    {RuleId::HandleListLimitsInheritance,
     "A handle list limits inheritance to the listed handles; a non-inheritable or pseudo "
     "entry, or a list without bInheritHandles, fails with ERROR_INVALID_PARAMETER and "
     "creates no process; a NULL entry means inherit nothing; an entry that is not open is "
     "unsettled.",
     T},
    {RuleId::ExitClosesAllHandles,
     "When a process exits, every handle in its table is closed, protected ones included.", K},
    {RuleId::ProcessObjectOutlivesProcess,
     "A process object outlives its process: handles to it stay valid, waits return and the "
     "exit code can be read.",
     T},
    {RuleId::TerminateIsAsynchronous,
     "TerminateProcess is asynchronous; once a wait has seen the process exit it fails with "
     "ERROR_ACCESS_DENIED, and a second call before that wait is unsettled.",
     D},
    {RuleId::ProcessCountIsLowerBound,
     "HandleCount is exact for every object but processes and threads, for which it is a "
     "lower bound.",
     D},
    {RuleId::CreatePipeMakesTwoObjects,
     "CreatePipe makes two File objects, the read end (the server end of a one-instance pipe, "
     "read access only) and the write end (its client end, write access only), each with "
     "HandleCount 1; a duplicate or an inherited copy adds to the count of the end it copies "
     "only.",
     T | K},
    {RuleId::NamedPipeEndsAreSeparateObjects,
     "Every CreateNamedPipe makes a new instance and a new File object (its server end), every "
     "client CreateFile another (a client end); opening one end never adds to the other's "
     "HandleCount.",
     T | K},
    {RuleId::PipeEndClosesWithLastHandle,
     "A pipe end closes when the last handle to its object closes, in whatever process, by "
     "CloseHandle, DuplicateHandle with DUPLICATE_CLOSE_SOURCE, or the holder's exit or "
     "termination; closing one handle while another remains changes only the count.",
     K | T},
    {RuleId::PeekWhilePeerOpenSucceeds,
     "PeekNamedPipe on a read end whose peer end is open returns TRUE at once with avail = the "
     "bytes buffered (0 when empty).",
     T | D},
    {RuleId::BufferedDataOutlivesWriter,
     "Bytes written before the peer end closed stay readable: PeekNamedPipe reports them in "
     "avail and ReadFile returns them.",
     T},
    {RuleId::PipeEndOfFile,
     "Once the peer end has closed and the buffer is empty, PeekNamedPipe and ReadFile fail "
     "with ERROR_BROKEN_PIPE, every time.",
     T},
    {RuleId::EofIffPeerClosedAndBufferEmpty,
     "A read end is at end of file iff its peer end's HandleCount is 0 and its buffer is empty: "
     "every handle to the peer end, in any process (inherited copies, duplicates), counts until "
     "it is closed or its process ends.",
     T},
    {RuleId::WriteWithoutReaderFails,
     "WriteFile to a pipe whose read end has closed fails with ERROR_NO_DATA, every time.", T},
    {RuleId::AnonymousEndsAreOneWay,
     "PeekNamedPipe and ReadFile on an anonymous pipe's write end, and WriteFile on its read "
     "end, fail with ERROR_ACCESS_DENIED.",
     K | D},
    {RuleId::DyingWritersPendingDataDropped,
     "Bytes of a write that had not completed when its process died are dropped; completed "
     "writes stay (the model writes less than the pipe buffer, so every write completes).",
     T},
    {RuleId::NewNamedPipeHasOneInstance,
     "CreateNamedPipe on a name no pipe holds creates the pipe and its first instance, which "
     "listens at once; GetNamedPipeHandleState reports one instance.",
     T},
    {RuleId::NamedPipeInstanceChecks,
     "CreateNamedPipe on an existing pipe fails with ERROR_PIPE_BUSY once the first "
     "instance's nMaxInstances are open, then with ERROR_ACCESS_DENIED for "
     "FILE_FLAG_FIRST_PIPE_INSTANCE or another direction; otherwise it adds a listening "
     "instance.",
     T | K | D},
    {RuleId::NamedPipeInvalidParameters,
     "CreateNamedPipe with PIPE_TYPE_BYTE | PIPE_READMODE_MESSAGE fails with "
     "ERROR_INVALID_PARAMETER; pipe names compare case-insensitively; an nMaxInstances "
     "outside 1-255 is unsettled.",
     T | D},
    {RuleId::ClientConnectsToListeningInstance,
     "A client's CreateFile on a pipe fails with ERROR_FILE_NOT_FOUND when no server end is "
     "open and with ERROR_PIPE_BUSY when no instance listens; otherwise it connects to the "
     "instance listening longest. An access the pipe's direction refuses is unsettled.",
     T},
    {RuleId::NamedPipeInstanceStates,
     "An instance is listening, connected, closing (one end's HandleCount reached 0) or "
     "disconnected (DisconnectNamedPipe, which drops queued data): I/O on a listening server "
     "fails with ERROR_PIPE_LISTENING, on a disconnected end with ERROR_PIPE_NOT_CONNECTED; a "
     "closing end reads what is buffered, then ERROR_BROKEN_PIPE, and writes fail with "
     "ERROR_NO_DATA.",
     T | K},
    {RuleId::ConnectNamedPipeNowait,
     "ConnectNamedPipe on a PIPE_NOWAIT server fails with ERROR_PIPE_LISTENING while "
     "listening, ERROR_PIPE_CONNECTED while connected, ERROR_NO_DATA once the client closed, "
     "and ERROR_PIPE_LISTENING when disconnected, which makes it listen again; on a client "
     "end, with ERROR_INVALID_FUNCTION.",
     T | K},
    {RuleId::InstancesCountServerEnds,
     "GetNamedPipeHandleState counts the pipe's instances whose server end is open, from "
     "either end; on a disconnected client it fails with ERROR_PIPE_NOT_CONNECTED.",
     T},
    {RuleId::PipeNameLivesWithServerEnd,
     "A pipe's name lives while one of its server ends is open: after the last one closes a "
     "client open fails with ERROR_FILE_NOT_FOUND and CreateNamedPipe makes a fresh pipe.",
     T | K},
    {RuleId::MessageModeReadsOneMessage,
     "On a message-type pipe a handle in message read mode reads one message per ReadFile; "
     "in byte read mode, what every client starts in, reads run across messages.",
     T},
    {RuleId::NamedPipeEndsInherited,
     "Named pipe ends are inherited like any handle, and an end counts as open until every "
     "process's copy of it is closed.",
     T},
    {RuleId::CloseSourceInAnotherProcess,
     "DuplicateHandle(hProcess, h, NULL, NULL, 0, FALSE, DUPLICATE_CLOSE_SOURCE) closes h in "
     "the process hProcess names and returns TRUE.",
     K | D},
    // Standard handles. Windows 7 variants: the windows7 profile (Profile.h).
    {RuleId::StdSlotIsPlainValue,
     "A std slot is a plain value: SetStdHandle stores any value (NULL, INVALID_HANDLE_VALUE, a "
     "value not open) and GetStdHandle returns it; neither validates, duplicates or closes "
     "anything, and two slots may hold one value.",
     T},
    {RuleId::UnknownStdSlotIdFails,
     "GetStdHandle of an id other than STD_INPUT/OUTPUT/ERROR_HANDLE returns "
     "INVALID_HANDLE_VALUE with ERROR_INVALID_HANDLE; SetStdHandle of one fails with it and "
     "changes nothing.",
     T},
    {RuleId::CloseHandleOnStdSlotId,
     "CloseHandle accepts the slot ids (HANDLE)-10, -11, -12 and the slot reads NULL after "
     "it; its return value and whether the slot's handle is closed are unsettled.",
     T},
    {RuleId::ConsoleCreationMode,
     "The creation flags choose a console child's mode: DETACHED_PROCESS -> Detach, "
     "CREATE_NEW_CONSOLE -> NewConsole, CREATE_NO_WINDOW alone -> NewConsoleNoWindow, none -> "
     "the parent's console (a new one when it has none: unsettled here); CREATE_NEW_CONSOLE "
     "with DETACHED_PROCESS fails with ERROR_INVALID_PARAMETER.",
     T | D},
    {RuleId::ChildStdSlotRule,
     "Each slot of a console child is the first that applies of: STARTF_USESTDHANDLES, "
     "bInheritHandles and a non-NULL field -> the field; a new console -> a fresh console "
     "handle; Detach -> NULL; STARTF_USESTDHANDLES -> NULL; bInheritHandles without a handle "
     "list -> the parent's value; else a duplicate of the parent's handle (NULL if none). "
     "Windows 7: the field whenever STARTF_USESTDHANDLES, the parent's value whenever "
     "bInheritHandles.",
     T, W8},
    {RuleId::VerbatimStdValueIsNotAGrant,
     "A slot value passed on verbatim is a number, not a grant: the handle behind it is not "
     "made inheritable, and in the child it names the parent's object only if that entry was "
     "inherited; what it names otherwise is unsettled.",
     T},
    {RuleId::DuplicatedStdSlotKeepsFlags,
     "A duplicated slot is a new entry per slot for the parent's object, with the parent "
     "entry's access, inherit and protect (two slots sharing a value get two entries); NULL, "
     "a value not open and INVALID_HANDLE_VALUE give NULL and no entry.",
     T | K},
    {RuleId::HandleListStillDuplicatesStd,
     "With a handle list and no STARTF_USESTDHANDLES a console child in the parent's console "
     "still gets duplicated slots, listed or not, also for the list {NULL}; with "
     "STARTF_USESTDHANDLES the fields arrive verbatim and only listed handles are inherited. "
     "Windows 7: the parent's values verbatim.",
     T, W8},
    {RuleId::GuiChildStdSlots,
     "A GUI child has no console; its slots follow the verbatim lines of the slot rule, and "
     "where a console child would get a duplicate it gets NULL.",
     T | K | D},
    {RuleId::DetachedChildStdNull,
     "A DETACHED_PROCESS child's slots are NULL unless STARTF_USESTDHANDLES, bInheritHandles "
     "and a non-NULL field give it the field; inheritance of entries is unaffected. Windows "
     "7: the field whenever STARTF_USESTDHANDLES.",
     T, W8},
    {RuleId::NewConsoleFreshStdHandles,
     "A child with a new console gets fresh inheritable console handles in every slot the "
     "field rule does not fill (output and error: two handles to one object); the parent's "
     "std handles are neither copied nor duplicated into the slots. Windows 7: the values "
     "0x3, 0x7, 0xb.",
     T, W8},
    {RuleId::InvalidStdValueInParent,
     "INVALID_HANDLE_VALUE in a parent slot passes through verbatim; where the slot would be "
     "duplicated the child's slot is NULL (Windows 8.1 and later). Windows 7: a new handle to "
     "the parent process.",
     T, W8},
    {RuleId::FreeConsoleKeepsStdSlots,
     "FreeConsole never changes a slot; it closes the console handles made for the process "
     "when its console was set up, and no other.",
     T, W8},
    {RuleId::AllocConsoleFillsStdSlots,
     "AllocConsole and AttachConsole give all three slots fresh console handles for a process "
     "started without STARTF_USESTDHANDLES, else only the slots that are NULL.",
     T | D, W8},
    {RuleId::StartupInfoStdFields,
     "GetStartupInfo's hStd fields are the child's initial slot values when it was started "
     "with STARTF_USESTDHANDLES, and mean nothing otherwise.",
     T | D},
    {RuleId::TraditionalConsoleHandles,
     "Windows 7 console handles are not kernel handles: values 3 mod 4, no HandleCount, not "
     "duplicable into another process; an attached child gets the parent's inheritable ones "
     "whatever bInheritHandles says.",
     T, Versions::Windows7Only},
    {RuleId::AccessLivesInEntry,
     "Each handle-table entry carries its own granted-access mask, fixed when the entry is "
     "made (NtQueryObject's GrantedAccess reads it); two handles to one object may carry "
     "different masks. Closing, reading the flags or the mask, SetHandleInformation and "
     "DuplicateHandle with DUPLICATE_SAME_ACCESS need no right.",
     T},
    {RuleId::GenericRightsMappedByType,
     "GENERIC_READ/WRITE/EXECUTE/ALL in a requested mask are replaced by the object type's "
     "mapping before the mask is stored (event GENERIC_READ is 0x20001, without SYNCHRONIZE; "
     "mutex GENERIC_WRITE is READ_CONTROL only); for processes and threads only the core bits "
     "are settled, and MAXIMUM_ALLOWED is unsettled.",
     T},
    {RuleId::CreateGrantsAccess,
     "Creation grants all access: an event or semaphore 0x1F0003, a mutex 0x1F0001, a process "
     "or thread 0x1FFFFF, pipe ends 0x120189 (read) and 0x120196 (write); a file mapping's mask "
     "follows its page protection (PAGE_READWRITE 0xF0007). A mailslot's or named pipe's mask "
     "is unsettled.",
     T},
    {RuleId::OpenGrantsRequestedAccess,
     "OpenEvent, OpenMutex, OpenSemaphore and OpenFileMapping with a non-zero access grant "
     "exactly that access, generic rights mapped (an object made with default security grants "
     "its creator's user everything); OpenFileMapping(FILE_MAP_COPY) grants SECTION_MAP_READ.",
     T},
    {RuleId::OpenWithZeroAccessFails,
     "Opening an existing object with access 0 fails with ERROR_ACCESS_DENIED and adds no "
     "handle (a missing name is ERROR_FILE_NOT_FOUND first); DuplicateHandle with access 0 "
     "succeeds and stores 0.",
     T},
    {RuleId::OpenMutexRefusesInvalidRights,
     "OpenMutex with a right that is not a mutex's (bits 1-15, 21-23, 26-27) fails with "
     "ERROR_ACCESS_DENIED, with ACCESS_SYSTEM_SECURITY with ERROR_PRIVILEGE_NOT_HELD; such bits "
     "on the other Open* calls are unsettled; DuplicateHandle drops them from the copy's mask.",
     T | K},
    {RuleId::DuplicateSetsAccess,
     "DuplicateHandle with DUPLICATE_SAME_ACCESS copies the source's mask, 0 included; without "
     "it the copy gets the requested access, generic rights mapped, not intersected with the "
     "source's (under default security a right the source lacks is granted); a file object's "
     "copy asking for more than its source holds fails with ERROR_ACCESS_DENIED.",
     T | K | D},
    {RuleId::DuplicateNeedsProcessDupHandle,
     "DuplicateHandle's source and target process handles need PROCESS_DUP_HANDLE, else "
     "ERROR_ACCESS_DENIED and no copy.",
     K | D},
    {RuleId::InheritanceCopiesAccess,
     "An inherited handle has the parent's value and the parent's mask, through bInheritHandles, "
     "a handle list or a designated parent alike.",
     K | D},
    {RuleId::OperationsCheckRights,
     "A call on a handle without the right it needs fails with ERROR_ACCESS_DENIED and changes "
     "nothing: SetEvent needs EVENT_MODIFY_STATE, ReleaseSemaphore SEMAPHORE_MODIFY_STATE, a "
     "wait SYNCHRONIZE, MapViewOfFile SECTION_MAP_READ / SECTION_MAP_WRITE, ReadFile and "
     "WriteFile FILE_READ_DATA / FILE_WRITE_DATA, TerminateProcess PROCESS_TERMINATE; "
     "ReleaseMutex needs none (only ownership).",
     T | D},
    {RuleId::QueryRightsImplyLimited,
     "PROCESS_QUERY_INFORMATION brings PROCESS_QUERY_LIMITED_INFORMATION with it (0x400 -> "
     "0x1400), THREAD_QUERY_INFORMATION brings THREAD_QUERY_LIMITED_INFORMATION (0x40 -> 0x840).",
     T},
    // Wine dlls/kernel32/tests/process.c test_ProcThreadAttributeList:
    // needed = FIELD_OFFSET(struct _PROC_THREAD_ATTRIBUTE_LIST, attrs[i]);
    // ok(GetLastError() == ERROR_INSUFFICIENT_BUFFER, ...); ok(size == needed, ...).
    {RuleId::AttributeListSizing,
     "InitializeProcThreadAttributeList(NULL, n, 0, &size) returns FALSE with "
     "ERROR_INSUFFICIENT_BUFFER and sets size to the bytes a list of n attributes needs: "
     "24 + 24 * n on 64-bit Windows.",
     T},
    {RuleId::UpdateProcThreadAttributeChecks,
     "UpdateProcThreadAttribute refuses before CreateProcess runs: an unknown attribute with "
     "ERROR_NOT_SUPPORTED, a handle list whose size is 0 or not a multiple of sizeof(HANDLE) "
     "and a parent process whose size is not sizeof(HANDLE) with ERROR_BAD_LENGTH; the values "
     "themselves are not checked there.",
     T},
    // rprichard/win32-console-docs src/HandleTests/CreateProcess_InheritList.cc
    // Test_CreateProcess_InheritList: testSetup(p, {true}, {phNI.value()}),
    // {GetCurrentProcess()} and testSetup(p, {false}, {ph1.value()}) each
    // CHECK_EQ(failure.errCode, (DWORD)ERROR_INVALID_PARAMETER); {NULL},
    // {NULL, ph2}, {ph1, NULL} each CHECK(c.valid()) and inherit nothing.
    {RuleId::CreateProcessValidatesHandleList,
     "CreateProcess refuses a handle list holding a handle that is not inheritable or a pseudo "
     "handle, and any handle list with bInheritHandles FALSE, with ERROR_INVALID_PARAMETER and "
     "no process; a NULL entry anywhere makes it succeed and inherit nothing; a listed value "
     "that is not open, or listed twice, is unsettled.",
     T},
    // Wine dlls/kernel32/tests/process.c test_handle_list_attribute, child:
    // ok(flags == HANDLE_FLAG_INHERIT, "Unexpected flags %#lx.\n", flags);
    // unlisted pipe[1]: ok(!(flags & HANDLE_FLAG_INHERIT), "Parent's handle
    // shouldn't have been inherited\n") or ERROR_INVALID_HANDLE.
    {RuleId::HandleListInheritsListedOnly,
     "A handle list inherits only the listed handles, each a copy of the parent's entry at the "
     "same value, to the same object with the same access: a listed handle without protect "
     "arrives with flags exactly HANDLE_FLAG_INHERIT. Each copy adds one to HandleCount.",
     T},
    {RuleId::DesignatedParentTableInherited,
     "With PROC_THREAD_ATTRIBUTE_PARENT_PROCESS the child inherits from the designated parent's "
     "table, never the caller's: with bInheritHandles every inheritable entry of that process "
     "is copied whole (same value, object, access and flags), without it none; the child's "
     "parent is the designated process.",
     T | D},
    {RuleId::ProcessInformationGoesToCaller,
     "pi.hProcess and pi.hThread are new handles in the caller's table, not the designated "
     "parent's, with full access.",
     T},
    {RuleId::DesignatedParentHandleChecked,
     "The designated parent is a process handle of the caller's holding PROCESS_CREATE_PROCESS "
     "(that right alone is enough): without it CreateProcess fails with ERROR_ACCESS_DENIED, and "
     "a NULL, invalid or non-process handle fails with ERROR_INVALID_HANDLE, with no process "
     "made; GetCurrentProcess() and a parent that has exited are unsettled.",
     D | K | T},
    {RuleId::HandleListInDesignatedParent,
     "With a designated parent, the values of a handle list name handles of the designated "
     "parent, which must be inheritable there; a listed value not open there or not "
     "inheritable there is unsettled.",
     D},
    // ReactOS ntoskrnl/ex/handle.c ExDupHandleTable (as the WRK's
    // base/ntos/ex/handle.c): the walk locks each old entry with
    // ExpLockHandleTableEntry, copies it, and moves to the next; the table
    // itself is never locked.
    {RuleId::InheritCopiesEachEntryAlone,
     "CreateProcess copies the parent's inheritable entries one at a time in index order, each "
     "under its own lock and not the table's: a thread that sets, adds or closes an entry while "
     "the call runs may find its change in the child's copy or not, entry by entry, so the "
     "child's inherited set need not match the parent's table at any single instant.",
     K},
    // ReactOS dll/win32/kernel32/client/proc.c CreateProcessInternalW (as
    // the WRK's kernel32 of Server 2003): NtOpenFile(&FileHandle),
    // NtCreateSection(&SectionHandle, SEC_IMAGE, FileHandle) and an IFEO
    // NtOpenKey all make handles in the caller's table before
    // NtCreateProcessEx, closed at Quickie; Wine's NtCreateUserProcess
    // (dlls/ntdll/unix/process.c) likewise holds file_handle, the section of
    // get_pe_file_info and process_info until it returns.
    {RuleId::SpawnHoldsHandlesWhileItRuns,
     "While CreateProcess runs it holds handles of its own in the caller's table (the image "
     "file, its section) and closes them before it returns: a value another thread of that "
     "process frees meanwhile may stay taken until the call ends, so which value a handle made "
     "in that process while a spawn runs gets, hProcess and hThread included, and what a value "
     "freed then holds afterwards, are not contractual; it is still free or a handle made in "
     "that process, never an open handle's value (SPEC 2). A close of such a freed value may "
     "close one of the call's own handles, and the call's own close of it then closes "
     "whatever handle of the process holds that value by then; SetHandleInformation on "
     "such a value may likewise succeed on one of the call's own handles, which the call "
     "then closes.",
     K},
});

// The rows ascend by number, none twice, and the last is kLastRule.
constexpr bool rowsAscend() {
  for (std::size_t i = 1; i < kRules.size(); ++i)
    if (number(kRules[i].id) <= number(kRules[i - 1].id)) return false;
  return kRules.front().id == RuleId::HandleValuesPerProcess && kRules.back().id == kLastRule;
}
static_assert(rowsAscend(), "kRules: rows ascend by number, up to kLastRule");

const Rule* find(RuleId id) {
  const auto it = std::lower_bound(kRules.begin(), kRules.end(), id,
                                   [](const Rule& r, RuleId v) { return r.id < v; });
  return it != kRules.end() && it->id == id ? &*it : nullptr;
}

void appendRange(std::string& out, int first, int last) {
  out += std::to_string(first);
  if (last != first) out += "-" + std::to_string(last);
}

}  // namespace

std::string evidenceTags(Evidence set) {
  std::string tags;
  if (hasEvidence(set, Evidence::Tested)) tags += "[T]";
  if (hasEvidence(set, Evidence::Kernel)) tags += "[K]";
  if (hasEvidence(set, Evidence::Documented)) tags += "[D]";
  return tags;
}

std::span<const Rule> rules() {
  return kRules;
}

bool isRule(RuleId id) {
  return id != RuleId::None && find(id) != nullptr;
}

const Rule& rule(RuleId id) {
  const Rule* r = find(id);
  assert(r && "model: no SPEC rule with that name");
  return *r;
}

std::string_view versionsText(Versions v) {
  switch (v) {
    case Versions::All:
      return "all";
    case Versions::Windows8Plus:
      return "windows (windows7 differs)";
    case Versions::Windows7Only:
      return "windows7";
  }
  return "all";
}

std::string spec(RuleId id) {
  return "SPEC " + std::to_string(rule(id).number());
}

std::string cite(RuleId id) {
  return spec(id) + " " + evidenceTags(rule(id).evidence);
}

std::string cite(std::span<const RuleId> ids) {
  std::vector<RuleId> sorted(ids.begin(), ids.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  if (sorted.empty()) return "";
  std::string out = "SPEC ";
  Evidence tags = Evidence::None;
  std::size_t i = 0;
  while (i < sorted.size()) {
    std::size_t j = i;
    while (j + 1 < sorted.size() && number(sorted[j + 1]) == number(sorted[j]) + 1) ++j;
    if (i != 0) out += ", ";
    appendRange(out, number(sorted[i]), number(sorted[j]));
    for (std::size_t k = i; k <= j; ++k) tags = tags | rule(sorted[k]).evidence;
    i = j + 1;
  }
  return out + " " + evidenceTags(tags);
}

std::string rulesMarkdown() {
  std::string out =
      "# The rules handlecheck's model follows\n"
      "\n"
      "Generated from `model/src/Rules.cpp` (`handlecheck rules --format markdown > "
      "model/RULES.md`); do not edit.\n"
      "Each rule carries the strongest evidence found for it: **[T]** asserted by conformance\n"
      "tests that run on Windows, **[K]** read from the kernel's sources, **[D]** Microsoft's\n"
      "documentation only. What a rule calls unsettled the model does not predict.\n"
      "\n"
      "The profiles column says which Windows a rule is about: `windows` is Windows 8 and\n"
      "later, `windows7` follows the Windows 7 variant a statement names.\n"
      "\n"
      "| Rule | Evidence | Profiles | Statement |\n"
      "|-----:|----------|----------|-----------|\n";
  for (const Rule& r : rules())
    out += "| " + std::to_string(r.number()) + " | " + evidenceTags(r.evidence) + " | " +
           std::string(versionsText(r.versions)) + " | " + std::string(r.statement) + " |\n";
  return out;
}

std::string rulesText() {
  std::string out;
  for (const Rule& r : rules()) out += cite(r.id) + " " + std::string(r.statement) + "\n";
  return out;
}

}  // namespace hc::model
