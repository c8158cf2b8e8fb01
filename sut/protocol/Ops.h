#pragma once
// The op catalogue: for each proto::Op, its name on the wire, its spelling
// in the scenario language, the Win32 call it makes (as a trace or a
// reproducer shows it) and the SPEC rules it follows (numbers only: the rule
// text is the model's, model/include/handlecheck/model/Rules.h). Pure C++20,
// no OS headers; read by the codec, the agent, traces and reproducers alike.
#include <span>
#include <string>
#include <string_view>

#include "Protocol.h"

namespace hc::proto {

struct OpInfo {
  Op op;
  std::string_view name;      // on the wire: "create-mailslot"
  std::string_view scenario;  // in a scenario: "create mailslot"; "" for the harness's own ops
  std::string_view function;  // the Win32 function: "CreateEventW"
  // The call as traces and reproducers show it. Placeholders, filled in by
  // callText: {name} (object name), {mailslot} (\\.\mailslot\ path), {sa}
  // (NULL or &sa), {inherit} (TRUE/FALSE), {h} (operand), {target} (target
  // process), {mask}, {flags}, {options}, {share}, {text}, {code}, and for
  // spawn {process-sa}, {thread-sa}, {spawn-inherit}, {list}.
  std::string_view call;
  // The same call through the Win32 call layer (sut/win32/Calls.h), as a
  // generated reproducer makes it on `struct hc_call c`; "" for the ops a
  // reproducer's runtime performs itself (spawn, exit, terminate, wait).
  // More placeholders: {layer-options} (the DUPLICATE_* options besides
  // DUPLICATE_SAME_ACCESS, which the layer adds), {length} (of {text}).
  std::string_view layer;
  std::span<const int> rules;  // SPEC rule numbers, ascending
};

// Every op, in enum order (the enum's value indexes the span).
std::span<const OpInfo> ops();
const OpInfo& opInfo(Op);
// The op a wire name stands for; nullptr for an unknown name.
const OpInfo* opByName(std::string_view wireName);

// How callText names the handle operands; empty fields fall back to the
// Request's hex values ("0x104").
struct CallOperands {
  std::string handle;  // Request::handle
  std::string target;  // the target process (Dup); default "hP<target>"
  std::string list;    // the spawn's handle list, comma-separated
  std::string name;    // the object name; default L"<Request::name>" (NULL when empty)
  std::string text;    // Write's data; default "<Request::text>" unescaped
};

// The call a Request makes, its placeholders filled in:
//   CreateEventW(&sa{bInheritHandle=TRUE}, FALSE, FALSE, L"demo")
std::string callText(const Request&, const CallOperands& = {});
// The call through the call layer, e.g. hc_create_event(&c, TRUE, L"demo");
// "" for an op without one.
std::string layerCallText(const Request&, const CallOperands& = {});

// The DUPLICATE_* options of a Dup request, as a C expression:
// "DUPLICATE_SAME_ACCESS|DUPLICATE_CLOSE_SOURCE".
std::string dupOptionsText(const Request&);
// The same without DUPLICATE_SAME_ACCESS (which the call layer adds), "0"
// when none: "DUPLICATE_CLOSE_SOURCE".
std::string dupExtraOptionsText(const Request&);
// The FILE_SHARE_* bits of a mailslot client open: "FILE_SHARE_READ", "0".
std::string shareText(std::uint32_t share);
// The HANDLE_FLAG_* bits of a mask: "HANDLE_FLAG_INHERIT|HANDLE_FLAG_PROTECT_FROM_CLOSE", "0".
std::string handleFlagsText(std::uint32_t flags);

}  // namespace hc::proto
