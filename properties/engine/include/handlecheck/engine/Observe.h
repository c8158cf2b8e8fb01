#pragma once
// Observing named handles of one process outside any step (end-of-sequence
// comparisons, tables around a divergence): one Observe round trip.
#include <string>
#include <vector>

#include "handlecheck/engine/Runner.h"

namespace hc::engine {

// GetHandleInformation + NtQueryObject of each name's value in `process`
// (0 for a name that process never bound); nothing when the process has
// exited. Throws sut::BackendFailure.
std::vector<NamedObservation> observeNames(sut::Backend&, const Bindings&,
                                           const std::string& process,
                                           const std::vector<std::string>& names);
// Every name `process` holds open, as far as the bindings know.
std::vector<NamedObservation> observeOpen(sut::Backend&, const Bindings&,
                                          const std::string& process);

}  // namespace hc::engine
