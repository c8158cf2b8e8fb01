#pragma once
// A scenario (.hcs): a sequence of Win32 handle operations with the expected
// outcome of each step (properties/scenario/README.md). Plain values; parse() and
// print() are exact inverses: parse(print(s)) == s for every valid s. Both
// read each op's keyword and grammar from the table of operations (Ops.h).
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "Protocol.h"

namespace hc::scenario {

// A handle operand: a name bound earlier in that process, or a raw value
// written `#0x104` (passed as is to every backend).
struct HandleRef {
  std::string name;  // empty when raw
  std::optional<std::uint64_t> raw;
  bool operator==(const HandleRef&) const = default;
};

struct Expect {
  enum class Kind : std::uint8_t {
    Ok,
    Error,
    AlreadyExists,
    Valid,
    Invalid,
    Inherit,
    NoInherit,
    Protect,
    NoProtect,
    Count,
    CountAtLeast,
    Type,
    Same,
    Data,
    ExitCode,
    Messages,
    Avail,      // PeekNamedPipe's *lpTotalBytesAvail
    Instances,  // GetNamedPipeHandleState's nCurInstances
    Value,      // `value=H`: std's slot value is H's value (a name, LABEL.NAME or #0x raw)
    Access,     // the handle's granted access (NtQueryObject GrantedAccess)
    // spawn: InitializeProcThreadAttributeList(NULL, n, 0, &size) failed with
    // ERROR_INSUFFICIENT_BUFFER and reported this size
    AttributeListSize
  };
  Kind kind = Kind::Ok;
  std::uint32_t number = 0;  // Error (code), Count, CountAtLeast, ExitCode, Messages, Avail,
                             // Instances, Access (the mask), AttributeListSize (bytes)
  std::string text;          // Error: the name as written ("ERROR_INVALID_HANDLE") or empty
                             // when written as a number; Type, Same (handle name), Data,
                             // Value (the operand as written: "W", "P0.W", "#0x0")
  bool operator==(const Expect&) const = default;
};

struct Step {
  int line = 0;                 // 1-based source line (0 when generated); not compared
  std::string process = "P0";   // PROC label
  bool processWritten = false;  // the line spelled `P0:` explicitly (kept for round trip)
  // The thread of PROC the step runs on, written `P0.T1:`; empty: the
  // process's main thread (every step outside a parallel block names none).
  std::string thread;
  // Parallel blocks: 0 outside any; 1, 2, ... numbers the blocks in file
  // order. `branch` is the step's branch in its block (0, 1, 2). A block's
  // steps are contiguous in Scenario::steps, branch by branch, each branch's
  // steps in their order.
  std::size_t block = 0;
  std::size_t branch = 0;
  // The operation, one row of the table of operations (sut/protocol/Ops.h),
  // which says how its line is spelled and which members below it uses.
  proto::Op op = proto::Op::Query;
  std::string objectName;                      // create: name=N (optional) / mailslot N; open: N
  bool inherit = false;                        // create/open/dup `inherit`; spawn `inherit`
  bool noinherit = false;                      // spawn `noinherit` written explicitly
  std::optional<std::vector<HandleRef>> only;  // spawn only H1,H2
  bool processInherit = false;                 // spawn process-inherit
  bool threadInherit = false;                  // spawn thread-inherit
  // spawn parent=HP: PROC_THREAD_ATTRIBUTE_PARENT_PROCESS, a process handle
  // of the caller's (SPEC 82-85); `only` then names the designated parent's handles.
  std::optional<HandleRef> parent;
  // spawn list-size=N / parent-size=N: that attribute's cbSize in bytes
  // instead of the right one; unknown-attribute: attribute 0xcafe added.
  // UpdateProcThreadAttribute's refusals (SPEC 79).
  std::optional<std::uint32_t> listSize, parentSize;
  bool unknownAttribute = false;
  std::string child;   // spawn: the new label
  std::string target;  // dup `to C` (empty: the caller)
  // dup `from C close-source`: the operand is C's handle, closed there by
  // DuplicateHandle with no target process (empty: the caller's own handle).
  std::string source;
  bool closeSource = false;     // dup close-source
  bool sameAttributes = false;  // dup same-attributes (DUPLICATE_SAME_ATTRIBUTES)
  // open mailslot share=read|read-write|none: CreateFileW's share mode
  // (FILE_SHARE_READ when not written).
  enum class Share : std::uint8_t { Read, ReadWrite, None };
  std::optional<Share> share;
  // create namedpipe: duplex|inbound|outbound (PIPE_ACCESS_DUPLEX when not
  // written), type=byte|message, readmode=byte|message (byte when not
  // written), nowait, max=N (PIPE_UNLIMITED_INSTANCES when not written), first.
  enum class Direction : std::uint8_t { Duplex, Inbound, Outbound };
  std::optional<Direction> direction;
  std::optional<bool> typeMessage, readModeMessage;
  bool nowait = false;
  std::optional<std::uint32_t> maxInstances;
  bool first = false;
  // open namedpipe access=read|write|read-write: the client's dwDesiredAccess
  // (GENERIC_READ | GENERIC_WRITE when not written).
  enum class Access : std::uint8_t { Read, Write, ReadWrite };
  std::optional<Access> access;
  // open event|mutex|semaphore|mapping, dup: access=MASK, dwDesiredAccess
  // (an open without it asks for the type's *_ALL_ACCESS, a dup without it
  // uses DUPLICATE_SAME_ACCESS).
  std::optional<std::uint32_t> desiredAccess;
  bool mapWrite = false;  // map H write: FILE_MAP_WRITE
  HandleRef handle;       // close/dup/set/write/read/query/terminate/wait operand
  std::optional<bool> setInherit, setProtect;  // set inherit=on|off protect=on|off
  std::string text;                            // write TEXT
  std::optional<std::uint32_t> code;           // exit [CODE], terminate HP [CODE]
  // std / setstd: the slot (`in`, `out`, `err`: proto::kStdInput...).
  std::uint32_t stdSlot = proto::kStdInput;
  // spawn stdin=H stdout=H stderr=H (STARTF_USESTDHANDLES; an omitted one is NULL).
  std::optional<HandleRef> stdInput, stdOutput, stdError;
  // spawn detached / new-console / no-window / inherit-console / gui (proto::kConsole* bits).
  std::uint32_t console = 0;
  std::vector<std::string> as;  // names bound by the step
  std::vector<Expect> expects;  // after `=>`
  std::string comment;          // trailing `# ...` comment, without the '#' and leading space
  bool operator==(const Step& o) const;  // everything but `line`
};

// A parallel block holds 2 or 3 branches of 1 to kMaxBranchSteps steps.
inline constexpr std::size_t kMinBranches = 2;
inline constexpr std::size_t kMaxBranches = 3;
inline constexpr std::size_t kMaxBranchSteps = 8;

struct Scenario {
  std::string file;  // for error messages
  std::vector<Step> steps;
  bool operator==(const Scenario& o) const { return steps == o.steps; }
};

// True when some step of the scenario is in a parallel block.
bool hasParallel(const Scenario&);

// One stretch of a scenario: a sequential step (`block` 0) or a whole
// parallel block, its steps split by branch. Indices into Scenario::steps.
struct Segment {
  std::size_t block = 0;                           // 0: one sequential step
  std::vector<std::vector<std::size_t>> branches;  // block: each branch's steps, in order
  std::size_t step = 0;                            // sequential: the step
};
// The scenario cut into sequential steps and blocks, in order.
std::vector<Segment> segments(const std::vector<Step>&);

// A malformed scenario: names file:line:col.
struct ParseError : std::runtime_error {
  ParseError(std::string file, int line, int column, const std::string& message);
  std::string file;
  int line;
  int column;
};

// How many names the step's `as` binds: its op's Grammar::binds, none for
// `dup ... from C` (which makes no copy).
std::size_t namesBound(const Step&);

Scenario parse(std::string_view text, std::string_view file = "<input>");  // throws ParseError
Scenario parseFile(
    const std::string& path);  // throws ParseError (also for unreadable files, line 0)
// One line per step, without a newline (Step) / with one after each (Scenario).
// Throws std::invalid_argument for a step no line can spell (a name outside
// its character class, `inherit` with `noinherit`, the wrong number of `as`
// names, ...): such a step would not replay as the same step.
std::string print(const Expect&);  // "count=3", "error=ERROR_INVALID_HANDLE"
std::string print(const Step&);
std::string print(const Scenario&);

// Known Win32 error names <-> codes ("ERROR_INVALID_HANDLE" <-> 6): the
// protocol's one table (sut/protocol/Errors.h).
std::optional<std::uint32_t> errorCode(std::string_view name);
std::string_view errorName(std::uint32_t code);  // empty when unknown

}  // namespace hc::scenario
