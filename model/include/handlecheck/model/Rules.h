#pragma once
// The rule table: every numbered rule the model follows (RuleId.h names
// them), in the project's own words, with the evidence it rests on.
// Everything that names a rule (model comments, Outcome::rule, divergence
// reports, quirks, RULES.md) reads it from here. Pure text, no I/O.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "handlecheck/model/RuleId.h"

namespace hc::model {

// How a rule is known (SPEC "How each rule is known"); a rule may carry several.
enum class Evidence : std::uint8_t {
  None = 0,
  Tested = 1,      // [T] asserted by conformance tests that run on Windows
  Kernel = 2,      // [K] read from the kernel's sources, not observed
  Documented = 4,  // [D] Microsoft's documentation only
};
constexpr Evidence operator|(Evidence a, Evidence b) {
  return static_cast<Evidence>(static_cast<std::uint8_t>(a) | static_cast<std::uint8_t>(b));
}
constexpr bool hasEvidence(Evidence set, Evidence tag) {
  return (static_cast<std::uint8_t>(set) & static_cast<std::uint8_t>(tag)) != 0;
}
// "[T][K]": the tags of `set` in the order T, K, D.
std::string evidenceTags(Evidence set);

// Which Windows a rule's statement is about: the `windows` profile is
// Windows 8 and later (10/11 where the evidence says so), `windows7` is
// Windows 7 (rules and quirks that differ there; Profile.h).
enum class Versions : std::uint8_t {
  All,           // every profile
  Windows8Plus,  // `windows`; the `windows7` profile follows the rule's Windows 7 variant
  Windows7Only,  // `windows7` only
};
std::string_view versionsText(Versions);  // "all", "windows (7: differs)", "windows7"

struct Rule {
  RuleId id = RuleId::None;
  std::string_view statement;  // one line
  Evidence evidence = Evidence::None;
  Versions versions = Versions::All;

  int number() const { return model::number(id); }
};

// Every rule, in ascending order of number (SPEC's numbers; not every number
// is a rule of the model).
std::span<const Rule> rules();
// The rule named `id`; RuleId::None is a caller bug (assert).
const Rule& rule(RuleId id);
// A rule of the table (not RuleId::None).
bool isRule(RuleId id);

// "SPEC 22": the number as people cite it, without evidence.
std::string spec(RuleId id);
// "SPEC 22 [T][K]".
std::string cite(RuleId id);
// Several rules: runs of consecutive numbers collapse, tags are the union:
// {4,5,6,7} -> "SPEC 4-7 [T][D]", {11,13} -> "SPEC 11, 13 [T]". Empty: "".
std::string cite(std::span<const RuleId> ids);

// The whole table as a Markdown document (model/RULES.md is this text) and
// as plain lines "SPEC n [tags] statement".
std::string rulesMarkdown();
std::string rulesText();

}  // namespace hc::model
