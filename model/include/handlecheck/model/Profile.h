#pragma once
// Profiles: `windows` is the documented semantics of the rule table (RULES.md); `wine` is
// `windows` plus named quirks. A quirk is data (name, one sentence, the SPEC
// rule it departs from, the scenario that shows it, the evidence for what
// Windows does) and a switch the model consults. Each quirk of the `wine`
// profile is backed by a scenario under properties/corpus/ and was
// confirmed on Wine 8.0 by a direct Win32 probe (sut/test/probe/).
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "handlecheck/model/RuleId.h"

namespace hc::model {

// Keep kQuirks (Profile.cpp) in the same order.
enum class QuirkId : std::uint8_t {
  SpawnHandlesIgnoreSecurityAttributes,  // SPEC 24
  MailslotServerNeverInheritable,        // SPEC 10
  MailslotSingleClient,                  // SPEC 11
  MailslotEmptyMessageBreaksRead,        // SPEC 11
  MailslotOutlivesServer,                // SPEC 12
  HandleListNeverRejected,               // SPEC 25
  TerminateExitedProcessSucceeds,        // SPEC 28
  HandleListNullInherits,                // SPEC 25
  HandleListWithoutInheritAccepted,      // SPEC 25
  MailslotMessageCount,                  // SPEC 11
  MailslotShareNoneRefused,              // SPEC 11
  DupSameAttributesIgnored,              // SPEC 18
  DupNullTargetCloseFails,               // SPEC 50
  FirstPipeInstanceIgnored,              // SPEC 41
  // Standard handles.
  NewConsoleWithDetachedAccepted,      // SPEC 54
  StdDupForcesInherit,                 // SPEC 57
  StdHandlesWithoutInheritDuplicated,  // SPEC 55
  UnresolvedStdValueNulled,            // SPEC 56
  HandleListStdNotDuplicated,          // SPEC 58
  HandleListInheritsUnlistedStd,       // SPEC 58
  NewConsoleHostInherits,              // SPEC 61
  StdSlotNotFileNulled,                // SPEC 56
  NoWindowChildGetsStdDuplicates,      // SPEC 61
  OpenZeroAccessSucceeds,              // SPEC 71
  OpenAcceptsInvalidAccessBits,        // SPEC 72
  DupKeepsInvalidAccessBits,           // SPEC 72 (candidate: kernel sources only)
  FileDupEscalationAllowed,            // SPEC 73 (candidate: kernel sources only)
  EmptyHandleListInheritsAll,          // SPEC 79
  GuiChildStdDuplicated,               // SPEC 59
  Count
};

// Where the Windows side of a quirk is known from.
struct QuirkEvidence {
  std::string_view source;     // repository path and test function, or the Microsoft document
  std::string_view assertion;  // the assertion or sentence, quoted
  bool todoWine = false;       // the Wine test marks that assertion todo_wine
};

struct Quirk {
  QuirkId id;
  std::string_view name;         // kebab-case, e.g. "mailslot-outlives-server"
  std::string_view description;  // one sentence: what Wine does instead
  RuleId specRule;               // the SPEC rule it departs from (see Rules.h)
  std::string_view scenario;     // corpus file that shows it, relative to properties/corpus/
  QuirkEvidence windows;         // what says Windows follows the rule
};

// Every known quirk, indexed by QuirkId.
std::span<const Quirk> allQuirks();
// The quirk of that name, if any.
const Quirk* quirkByName(std::string_view name);

struct Profile {
  // "windows" (Windows 8 and later), "windows7", "wine", or "custom" for an explicit set.
  std::string_view name = "windows";
  // The Windows 7 variants of the rules that name one (Rules.h Versions).
  bool windows7 = false;
  // The model standing in for the real system (a backend, not the reference):
  // where the real system settles at a moment no call observes (a console
  // host letting go of its copies), it takes the settled state at once
  // instead of predicting nothing.
  bool standIn = false;
  std::bitset<static_cast<std::size_t>(QuirkId::Count) + 1> quirks;
  bool has(QuirkId q) const { return quirks.test(static_cast<std::size_t>(q)); }
  Profile& with(QuirkId q) {
    quirks.set(static_cast<std::size_t>(q));
    return *this;
  }
  Profile& without(QuirkId q) {
    quirks.reset(static_cast<std::size_t>(q));
    return *this;
  }
  bool operator==(const Profile&) const = default;
};

Profile windowsProfile();                                // no quirks
Profile windows7Profile();                               // the Windows 7 variants, no quirks
Profile wineProfile();                                   // windows + every Wine quirk
Profile standIn(Profile);                                // the same, as a backend
std::optional<Profile> profileByName(std::string_view);  // "windows" | "windows7" | "wine"
// `windows` plus exactly the named quirks (profile name "custom"); nothing
// if a name is unknown. For `--quirks LIST`; `--without-quirk NAME` is
// wineProfile().without(quirkByName(NAME)->id).
std::optional<Profile> profileWithQuirks(std::span<const std::string_view> names);

}  // namespace hc::model
