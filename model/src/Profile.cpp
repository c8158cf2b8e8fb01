#include "handlecheck/model/Profile.h"

#include <array>

namespace hc::model {

namespace {
// Indexed by QuirkId. Each one was found by `handlecheck check --profile
// windows` against Wine, confirmed with a direct Win32 program, and is shown
// by its corpus scenario on every ctest run (properties/corpus/).
constexpr std::array<Quirk, static_cast<std::size_t>(QuirkId::Count)> kQuirks{{
    {QuirkId::SpawnHandlesIgnoreSecurityAttributes, "spawn-handles-ignore-security-attributes",
     "CreateProcess ignores bInheritHandle of lpProcessAttributes and lpThreadAttributes: "
     "pi.hProcess and pi.hThread are never inheritable.",
     24, "spawn-handles-ignore-security-attributes.hcs"},
    {QuirkId::MailslotServerNeverInheritable, "mailslot-server-never-inheritable",
     "CreateMailslot ignores sa.bInheritHandle: the server handle is never inheritable.", 10,
     "mailslot-server-never-inheritable.hcs"},
    {QuirkId::MailslotSingleClient, "mailslot-single-client",
     "A second client CreateFile(GENERIC_WRITE, FILE_SHARE_READ) on a mailslot fails with "
     "ERROR_SHARING_VIOLATION while another client handle is open.",
     11, "mailslot-single-client.hcs"},
    {QuirkId::MailslotEmptyMessageBreaksRead, "mailslot-empty-message-breaks-read",
     "A zero-length message is queued, but ReadFile of it fails with ERROR_BROKEN_PIPE instead "
     "of returning 0 bytes.",
     11, "mailslot-empty-message-breaks-read.hcs"},
    {QuirkId::MailslotOutlivesServer, "mailslot-outlives-server",
     "The mailslot survives its last server handle while a client is open: its name stays "
     "taken (CreateMailslot fails with ERROR_ALREADY_EXISTS) and clients can still write.",
     12, "mailslot-outlives-server.hcs"},
    {QuirkId::HandleListNeverRejected, "handle-list-never-rejected",
     "CreateProcess never fails with ERROR_INVALID_PARAMETER because of "
     "PROC_THREAD_ATTRIBUTE_HANDLE_LIST: entries that are NULL, not open or not inheritable are "
     "skipped, the listed inheritable handles are inherited.",
     25, "handle-list-never-rejected.hcs"},
    {QuirkId::TerminateExitedProcessSucceeds, "terminate-exited-process-succeeds",
     "TerminateProcess on a process that has already exited returns TRUE (Windows: "
     "ERROR_ACCESS_DENIED); the exit code stays the first one.",
     28, "terminate-exited-process-succeeds.hcs"},
    {QuirkId::InheritedHandleKeepsProtect, "inherited-handle-keeps-protect",
     "An inherited handle keeps HANDLE_FLAG_PROTECT_FROM_CLOSE in the child (the windows "
     "profile gives the copy only `inherit`, as DuplicateHandle does; not yet checked on "
     "Windows itself).",
     22, "inherited-handle-keeps-protect.hcs"},
}};
}  // namespace

std::span<const Quirk> allQuirks() { return kQuirks; }

// The documented semantics of SPEC.md, no quirk.
Profile windowsProfile() { return Profile{}; }

// `windows` plus every known Wine quirk.
Profile wineProfile() {
  Profile profile;
  profile.name = "wine";
  for (const Quirk& quirk : allQuirks()) profile.quirks.set(static_cast<std::size_t>(quirk.id));
  return profile;
}

// "windows" | "wine"; nothing for any other name.
std::optional<Profile> profileByName(std::string_view name) {
  if (name == "windows") return windowsProfile();
  if (name == "wine") return wineProfile();
  return std::nullopt;
}

}  // namespace hc::model
