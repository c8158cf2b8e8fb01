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
