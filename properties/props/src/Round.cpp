#include "Round.h"

#include <rapidcheck.h>
#include <rapidcheck/detail/TestListenerAdapter.h>

#include <unordered_map>

namespace hc::props {

RoundOutcome checkRound(const std::function<void()>& property, std::uint64_t seed, int maxSuccess,
                        int maxSize) {
  rc::detail::TestParams params;
  params.seed = seed;
  params.maxSuccess = maxSuccess;
  params.maxSize = maxSize;
  params.maxDiscardRatio = 10;
  rc::detail::TestMetadata metadata;
  metadata.id = "handlecheck check";
  rc::detail::TestListenerAdapter silent;
  // An explicit (empty) reproduce map: the other overloads read RapidCheck's
  // global configuration, which announces itself on stderr.
  const std::unordered_map<std::string, rc::detail::Reproduce> noReproduce;
  const rc::detail::TestResult result = rc::detail::checkProperty(
      rc::detail::toProperty(property), metadata, params, silent, noReproduce);
  RoundOutcome out;
  rc::detail::SuccessResult success;
  rc::detail::FailureResult failure;
  rc::detail::GaveUpResult gaveUp;
  rc::detail::Error error;
  if (result.match(success)) {
    out.passes = success.numSuccess;
  } else if (result.match(failure)) {
    out.kind = RoundOutcome::Kind::Failed;
    out.passes = failure.numSuccess;
    out.description = failure.description;
  } else if (result.match(gaveUp)) {
    out.kind = RoundOutcome::Kind::GaveUp;
    out.passes = gaveUp.numSuccess;
    out.description = gaveUp.description;
  } else if (result.match(error)) {
    out.kind = RoundOutcome::Kind::Error;
    out.description = error.description;
  }
  return out;
}

}  // namespace hc::props
