#pragma once
// The textbook picture (SPEC "The picture") as text: per process its handle
// table, `handle | object`, then every kernel object with its kind, name and
// usage count. For `replay --diagram` and `explain` (divergence reports align model and
// real rows with props::sideBySide, handlecheck/props/Tables.h).
#include <string>
#include <string_view>

#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/engine/Runner.h"

namespace hc::engine {

// The whole truth, from the model: every table entry (named by the scenario
// name bound to it, if any) and every live object.
std::string modelDiagram(const ModelBackend&, const Bindings&);

// What a real backend shows: the named open handles of each running process,
// observed now (one Observe round trip per process), with type, flags and
// HandleCount. Object identity across processes is not observable there, so
// the object column names the type. Throws BackendFailure.
std::string observedDiagram(sut::Backend&, const Bindings&);

}  // namespace hc::engine
