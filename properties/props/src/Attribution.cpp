#include "handlecheck/props/Attribution.h"

#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/engine/Runner.h"

namespace hc::props {

bool holds(const scenario::Scenario& s, sut::Backend& backend) {
  engine::Bindings bindings;
  try {
    for (const scenario::Step& step : s.steps)
      if (!engine::runStep(backend, bindings, step).passed()) return false;
  } catch (const engine::ScenarioError&) {
    return false;
  } catch (const sut::BackendFailure&) {
    return false;
  }
  return true;
}

const model::Quirk* explainingQuirk(const scenario::Scenario& observed,
                                    const model::Profile& inUse) {
  for (const model::Quirk& quirk : model::allQuirks()) {
    if (inUse.has(quirk.id)) continue;
    model::Profile with = inUse;
    engine::ModelBackend candidate(with.with(quirk.id));
    if (holds(observed, candidate)) return &quirk;
  }
  return nullptr;
}

}  // namespace hc::props
