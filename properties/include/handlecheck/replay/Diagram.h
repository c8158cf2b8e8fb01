#pragma once
// The textbook picture (SPEC "The picture") as text: per process its handle
// table, `handle | object`, then every kernel object with its kind, name and
// usage count. For `replay --diagram`, `explain` and divergence reports.
#include <string>
#include <string_view>

#include "handlecheck/replay/ModelBackend.h"
#include "handlecheck/replay/Runner.h"

namespace hc::replay {

// The whole truth, from the model: every table entry (named by the scenario
// name bound to it, if any) and every live object.
std::string modelDiagram(const ModelBackend&, const Bindings&);

// What a real backend shows: the named open handles of each running process,
// observed now (one Observe round trip per process), with type, flags and
// HandleCount. Object identity across processes is not observable there, so
// the object column names the type. Throws BackendFailure.
std::string observedDiagram(sut::Backend&, const Bindings&);

// Two diagrams in columns ("model" | "real"), each under its title, for
// divergence reports; lines are padded to the left column's widest line.
std::string sideBySide(const std::string& left, const std::string& right,
                       std::string_view leftTitle, std::string_view rightTitle);

}  // namespace hc::replay
