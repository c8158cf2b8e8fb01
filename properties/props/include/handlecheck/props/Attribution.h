#pragma once
// Known from new: which catalogue quirk explains a divergence. A quirk
// explains it when the shrunk observed scenario (what the real system did,
// as expectations) holds on the model of the profile in use with that quirk
// switched on.
#include <functional>
#include <memory>
#include <vector>

#include "handlecheck/model/Profile.h"
#include "handlecheck/scenario/Scenario.h"
#include "handlecheck/sut/Backend.h"

namespace hc::props {

// Every step runs and every expectation holds on `backend` (fresh). A
// malformed step or a backend failure counts as not holding.
bool holds(const scenario::Scenario&, sut::Backend& backend);
// The same, but a backend failure is thrown (sut::BackendFailure): on a real
// backend it says nothing about whether the scenario holds.
bool holdsOrThrows(const scenario::Scenario&, sut::Backend& backend);

// The catalogue quirks outside `inUse` under which `observed` holds on the
// model: the first single quirk that does, else the first pair, else the
// first three (quirks meeting in one scenario); empty when none does (a NEW
// divergence).
std::vector<const model::Quirk*> explainingQuirks(const scenario::Scenario& observed,
                                                  const model::Profile& inUse);
// The same search for any check: the quirks outside `inUse` under which
// `holdsUnder` (given `inUse` plus them) holds, combining at most `most`.
std::vector<const model::Quirk*> explainingQuirks(
    const model::Profile& inUse, const std::function<bool(const model::Profile&)>& holdsUnder,
    std::size_t most = 3);

}  // namespace hc::props
