#pragma once
// What the model's call files share (private to model/src): the Outcome
// builders (every outcome names the SPEC rule that decided it), the
// access a new handle is granted and the bytes a pipe end holds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "handlecheck/model/System.h"

namespace hc::model::detail {

inline Outcome fail(RuleId rule, std::uint32_t error) {
  return Outcome{.ok = false, .error = error, .rule = rule};
}

inline Outcome succeed(RuleId rule) {
  return Outcome{.ok = true, .rule = rule};
}

// The real call would block forever (the harness never makes it).
inline Outcome blocked(RuleId rule) {
  return Outcome{.blocks = true, .rule = rule};
}

// SPEC leaves this case open: no prediction, and the state is unchanged.
inline Outcome unsettled(RuleId rule) {
  return Outcome{.rule = rule, .unsettled = true};
}

// SPEC 69: what creating an object of that kind grants (Access.h allAccess).
std::uint32_t grantedAccess(ObjectKind kind);

// The bytes written to a pipe end (anonymous or named) and not yet read.
inline std::size_t bufferedBytes(const KernelObject& end) {
  std::size_t n = 0;
  for (const std::string& chunk : end.messages) n += chunk.size();
  return n;
}

}  // namespace hc::model::detail
