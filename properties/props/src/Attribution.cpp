#include "handlecheck/props/Attribution.h"

#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/engine/Runner.h"

namespace hc::props {

bool holdsOrThrows(const scenario::Scenario& s, sut::Backend& backend) {
  engine::Bindings bindings;
  try {
    for (const scenario::Step& step : s.steps)
      if (!engine::runStep(backend, bindings, step).passed()) return false;
  } catch (const engine::ScenarioError&) {
    return false;
  }
  return true;
}

bool holds(const scenario::Scenario& s, sut::Backend& backend) {
  try {
    return holdsOrThrows(s, backend);
  } catch (const sut::BackendFailure&) {
    return false;
  }
}

std::vector<const model::Quirk*> explainingQuirks(
    const model::Profile& inUse, const std::function<bool(const model::Profile&)>& holdsUnder,
    std::size_t most) {
  std::vector<const model::Quirk*> outside;
  for (const model::Quirk& quirk : model::allQuirks())
    if (!inUse.has(quirk.id)) outside.push_back(&quirk);
  const auto holdsWith = [&](std::initializer_list<const model::Quirk*> quirks) {
    model::Profile with = inUse;
    for (const model::Quirk* q : quirks) with.with(q->id);
    return holdsUnder(with);
  };
  // A departure the scenario cannot show (it holds without any quirk) is
  // no quirk's: each would "explain" it.
  if (holdsWith({})) return {};
  for (const model::Quirk* q : outside)
    if (holdsWith({q})) return {q};
  if (most < 2) return {};
  for (std::size_t i = 0; i < outside.size(); ++i)
    for (std::size_t j = i + 1; j < outside.size(); ++j)
      if (holdsWith({outside[i], outside[j]})) return {outside[i], outside[j]};
  if (most < 3) return {};
  // Three: under Wine a std field is duplicated into the child, the copy is
  // made inheritable, and the child's console host then inherits it.
  for (std::size_t i = 0; i < outside.size(); ++i)
    for (std::size_t j = i + 1; j < outside.size(); ++j)
      for (std::size_t k = j + 1; k < outside.size(); ++k)
        if (holdsWith({outside[i], outside[j], outside[k]}))
          return {outside[i], outside[j], outside[k]};
  return {};
}

std::vector<const model::Quirk*> explainingQuirks(const scenario::Scenario& observed,
                                                  const model::Profile& inUse) {
  return explainingQuirks(inUse, [&](const model::Profile& with) {
    // The observed counts are a real system's: one a console host's copy
    // may be missing from is judged against the model's range.
    engine::ModelBackend candidate(with);
    candidate.judgeCountsAsRanges(true);
    if (holds(observed, candidate)) return true;
    // Where the quirk leaves a step open (a slot Wine may refill by a value's
    // coincidence), its stand-in settles it as Wine's server does.
    engine::ModelBackend settled(model::standIn(with));
    settled.judgeCountsAsRanges(true);
    return holds(observed, settled);
  });
}

}  // namespace hc::props
