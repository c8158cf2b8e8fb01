#pragma once
// The table of operations: for each proto::Op, one row holding everything
// about it that is only data: its name on the wire, its spelling and
// argument grammar in the scenario language, the Win32 call it makes (as a
// trace or a reproducer shows it) and the SPEC rules it follows (by name:
// the rule text is the model's, model/include/handlecheck/model/Rules.h).
// Pure C++20, no OS headers; read by the codec, the agent, the scenario
// parser and printer, traces, reproducers and the generator alike.
// docs/adding-an-operation.md lists what else a new operation needs.
#include <span>
#include <string>
#include <string_view>

#include "Protocol.h"
#include "handlecheck/model/RuleId.h"

namespace hc::proto {

using model::RuleId;

// One word of a scenario line after the op's keyword, and the Step and
// Request members it fills (properties/scenario/README.md has the grammar).
enum class Arg : std::uint8_t {
  // Positional, in the row's order:
  Name,     // the name of the object to open: `open event N` -> Request::name
  NewName,  // the name of the object made: `create mailslot N` -> Request::name
  Child,    // the new process label: `spawn C1` -> Request::target (a fresh agent)
  Operand,  // the operand: `close H` or `close #0x104` -> Request::handle
  Text,     // `write H TEXT` -> Request::text
  Code,     // an optional exit code: `exit [CODE]` -> Request::code
  // Options, in any order when parsed, printed in the row's order:
  NameOption,      // `name=N` -> Request::name
  Inherit,         // `inherit` -> Request::inherit
  InheritHandles,  // `inherit` -> Request::spawnInherit (bInheritHandles)
  NoInherit,       // `noinherit`, the default of InheritHandles written out
  Only,            // `only H1,H2` -> Request::useHandleList, handleList
  ProcessInherit,  // `process-inherit` -> Request::processInherit
  ThreadInherit,   // `thread-inherit` -> Request::threadInherit
  To,              // `to LABEL` -> Request::target
  CloseSource,     // `close-source` -> Request::closeSource
  SameAttributes,  // `same-attributes` -> Request::sameAttributes
  Share,           // `share=read|read-write|none` -> Request::share
  SetInherit,      // `inherit=on|off` -> Request::setMask, setFlags
  SetProtect,      // `protect=on|off` -> Request::setMask, setFlags
  From,            // `from LABEL` -> Request::fromSource, source (the operand lives there)
  Direction,       // `duplex|inbound|outbound` -> Request::openMode (PIPE_ACCESS_*)
  PipeType,        // `type=byte|message` -> Request::pipeMode (PIPE_TYPE_*)
  ReadMode,        // `readmode=byte|message` -> Request::pipeMode (PIPE_READMODE_*)
  NoWait,          // `nowait` -> Request::pipeMode (PIPE_NOWAIT)
  MaxInstances,    // `max=N` -> Request::maxInstances (PIPE_UNLIMITED_INSTANCES when absent)
  FirstInstance,   // `first` -> Request::openMode (FILE_FLAG_FIRST_PIPE_INSTANCE)
  Access,          // `access=read|write|read-write` -> Request::access (GENERIC_*)
  // Standard handles (SPEC 51-66).
  StdSlot,         // positional `in|out|err`: `std out as O` -> Request::stdSlot
  StdInput,        // `stdin=H` -> Request::useStdHandles, stdInput
  StdOutput,       // `stdout=H` -> Request::useStdHandles, stdOutput
  StdError,        // `stderr=H` -> Request::useStdHandles, stdError
  Detached,        // `detached` -> Request::console kConsoleDetached
  NewConsole,      // `new-console` -> kConsoleNew
  NoWindow,        // `no-window` -> kConsoleNoWindow
  InheritConsole,  // `inherit-console` -> kConsoleInheritParent (no console flag)
  DesiredAccess,   // `access=MASK` (hex or names joined by |) -> Request::desiredAccess
  MapWrite,        // `write` -> Request::mapWrite (FILE_MAP_WRITE)
  ParentProcess,   // `parent=HP` -> Request::hasParentProcess, parentProcess
  ListSize,        // `list-size=N` -> Request::listSize (the handle list's cbSize)
  ParentSize,      // `parent-size=N` -> Request::parentSize (the parent's cbSize)
  UnknownAttr,     // `unknown-attribute` -> Request::unknownAttribute (attribute 0xcafe)
  Gui,             // `gui` -> Request::console kConsoleGui (the GUI-subsystem child, SPEC 59)
};

// How an op is written in a scenario: `<verb> [<object>] <words> <options>
// [as <binds names>]`.
struct Grammar {
  std::span<const Arg> words;    // positional
  std::span<const Arg> options;  // in printed order
  std::size_t binds = 0;         // how many names `as` binds (none with `from`: no copy is made)
};

struct OpInfo {
  Op op;
  std::string_view name;      // on the wire: "create-mailslot"
  std::string_view verb;      // in a scenario: "create"; "" for the harness's own ops
  std::string_view object;    // the object type word after the verb: "mailslot"; "" when none
  Grammar grammar;            // the scenario words after the verb and object
  std::string_view function;  // the Win32 function: "CreateEventW"
  // The call as traces and reproducers show it. Placeholders, filled in by
  // callText: {name} (object name), {mailslot} (\\.\mailslot\ path), {sa}
  // (NULL or &sa), {inherit} (TRUE/FALSE), {h} (operand), {target} (target
  // process), {mask}, {flags}, {options}, {share}, {text}, {code}, and for
  // spawn {process-sa}, {thread-sa}, {spawn-inherit}, {list}, {parent}; for named
  // pipes {pipe} (\\.\pipe\ path), {open-mode}, {pipe-mode}, {max}, {access}.
  // A Dup with `from` (Request::fromSource) has its own call texts, with {source};
  // so has a Dup with `access=` (Request::hasDesiredAccess). {desired} is
  // dwDesiredAccess, the hex mask; {desired:DEFAULT} the same, or DEFAULT when
  // the request gives none (an open's *_ALL_ACCESS); {map-access}
  // FILE_MAP_READ or FILE_MAP_WRITE.
  // spawn {process-sa}, {thread-sa}, {spawn-inherit}, {list}, {spawn-std}
  // (", " and the creation flags and STARTUPINFO fields a std-handle spawn
  // sets; "" for the harness's own spawn), and {std-id} (STD_OUTPUT_HANDLE).
  std::string_view call;
  // The same call through the Win32 call layer (sut/win32/Calls.h), as a
  // generated reproducer makes it on `struct hc_call c`; "" for the ops a
  // reproducer's runtime performs itself (spawn, exit, terminate, wait).
  // More placeholders: {layer-options} (the DUPLICATE_* options besides
  // DUPLICATE_SAME_ACCESS, which the layer adds), {length} (of {text}).
  std::string_view layer;
  // The statement a generated reproducer makes instead of the layer call,
  // through its own runtime (sut/win32/ReproRuntime.h); "" when it makes the
  // layer call. More placeholders: {slot} (the name's slot the result binds).
  std::string_view repro;
  std::span<const RuleId> rules;  // in rule order
};

// Every op, in enum order (the enum's value indexes the span).
std::span<const OpInfo> ops();
const OpInfo& opInfo(Op);
// The op a wire name stands for; nullptr for an unknown name.
const OpInfo* opByName(std::string_view wireName);
// The op's scenario keyword: "create event", "close"; "" for the harness's own ops.
std::string keyword(Op);
// Whether the op's scenario line has the word or option `arg`.
bool takes(Op, Arg);

// How callText names the handle operands; empty fields fall back to the
// Request's hex values ("0x104").
struct CallOperands {
  std::string handle;  // Request::handle
  std::string target;  // the target process (Dup); default "hP<target>"
  std::string list;    // the spawn's handle list, comma-separated
  std::string name;    // the object name; default L"<Request::name>" (NULL when empty)
  std::string text;    // Write's data; default "<Request::text>" unescaped
  std::string slot;    // the reproducer's slot for the result ({slot})
  std::string source;  // the source process (Dup `from`); default "hP<source>"
};

// A Dup with `from`: DuplicateHandle with no target process (SPEC 50).
bool dupFrom(const Request&);
// A Dup with `access=`: DuplicateHandle without DUPLICATE_SAME_ACCESS (SPEC 73).
bool dupWithAccess(const Request&);

// The call a Request makes, its placeholders filled in:
//   CreateEventW(&sa{bInheritHandle=TRUE}, FALSE, FALSE, L"demo")
std::string callText(const Request&, const CallOperands& = {});
// The call through the call layer, e.g. hc_create_event(&c, TRUE, L"demo");
// "" for an op without one.
std::string layerCallText(const Request&, const CallOperands& = {});
// The statement a generated reproducer makes, ';' included: the row's
// `repro` text, else the layer call.
std::string reproCallText(const Request&, const CallOperands& = {});

// The DUPLICATE_* options of a Dup request, as a C expression:
// "DUPLICATE_SAME_ACCESS|DUPLICATE_CLOSE_SOURCE".
std::string dupOptionsText(const Request&);
// The same without DUPLICATE_SAME_ACCESS (which the call layer adds), "0"
// when none: "DUPLICATE_CLOSE_SOURCE".
std::string dupExtraOptionsText(const Request&);
// The FILE_SHARE_* bits of a mailslot client open: "FILE_SHARE_READ", "0".
std::string shareText(std::uint32_t share);
// CreateNamedPipeW's dwOpenMode and dwPipeMode, and a pipe client's
// dwDesiredAccess, as C expressions: "PIPE_ACCESS_DUPLEX|FILE_FLAG_FIRST_PIPE_INSTANCE",
// "PIPE_TYPE_BYTE|PIPE_READMODE_BYTE|PIPE_WAIT", "GENERIC_READ|GENERIC_WRITE".
std::string pipeOpenModeText(std::uint32_t openMode);
std::string pipeModeText(std::uint32_t pipeMode);
std::string pipeAccessText(std::uint32_t access);
// A spawn's creation flags and STARTUPINFO std fields, after ", ":
// ", CREATE_NO_WINDOW, STARTF_USESTDHANDLES{0x0,0x108,0x108}"; "" when the
// request is the harness's own spawn without std words.
std::string spawnStdText(const Request&);
// The HANDLE_FLAG_* bits of a mask: "HANDLE_FLAG_INHERIT|HANDLE_FLAG_PROTECT_FROM_CLOSE", "0".
std::string handleFlagsText(std::uint32_t flags);

}  // namespace hc::proto
