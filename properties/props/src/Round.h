#pragma once
// One RapidCheck round: a property checked with a given seed until it has
// passed maxSuccess times or failed (and been shrunk). The only code that
// uses rc::detail (Round.cpp), because the campaign needs what rc::check
// does not offer: a seed per round, the size limit, the count of passes
// before a failure, and a silent listener, so RapidCheck prints nothing of
// its own (no configuration line, no reproduction banner at exit).
#include <cstdint>
#include <functional>
#include <string>

namespace hc::props {

struct RoundOutcome {
  enum class Kind { Passed, Failed, GaveUp, Error } kind = Kind::Passed;
  int passes = 0;           // successful runs before the failure (or in all)
  std::string description;  // GaveUp / Error: RapidCheck's reason
};

// `property` fails with RC_FAIL / RC_ASSERT and discards with RC_PRE.
RoundOutcome checkRound(const std::function<void()>& property, std::uint64_t seed, int maxSuccess,
                        int maxSize);

}  // namespace hc::props
