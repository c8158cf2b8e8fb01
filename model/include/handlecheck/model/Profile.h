#pragma once
// Profiles: `windows` is the documented semantics of SPEC.md; `wine` is
// `windows` plus named quirks. A quirk is data (name, one sentence, the SPEC
// rule it departs from) and a switch the model consults. Each quirk of the
// `wine` profile is backed by a scenario under properties/corpus/ that shows
// it against Wine.
#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace hc::model {

enum class QuirkId : std::uint8_t {
  // Added as the real backend finds them (issue 6). Keep kQuirks in sync.
  SpawnHandlesIgnoreSecurityAttributes,  // SPEC 24
  MailslotServerNeverInheritable,        // SPEC 10
  MailslotSingleClient,                  // SPEC 11
  MailslotEmptyMessageBreaksRead,        // SPEC 11
  MailslotOutlivesServer,                // SPEC 12
  HandleListNeverRejected,       // SPEC 25
  TerminateExitedProcessSucceeds,        // SPEC 28
  InheritedHandleKeepsProtect,           // SPEC 22
  Count
};

struct Quirk {
  QuirkId id;
  std::string_view name;         // kebab-case, e.g. "mailslot-survives-server-close"
  std::string_view description;  // one sentence
  int specRule;                  // the SPEC rule it departs from
  std::string_view scenario;     // corpus file that shows it, relative to properties/corpus/
};

// Every known quirk, indexed by QuirkId.
std::span<const Quirk> allQuirks();

struct Profile {
  std::string_view name = "windows";
  std::bitset<static_cast<std::size_t>(QuirkId::Count) + 1> quirks;
  bool has(QuirkId q) const { return quirks.test(static_cast<std::size_t>(q)); }
  bool operator==(const Profile&) const = default;
};

Profile windowsProfile();                                   // no quirks
Profile wineProfile();                                      // windows + every Wine quirk
std::optional<Profile> profileByName(std::string_view);  // "windows" | "wine"

}  // namespace hc::model
