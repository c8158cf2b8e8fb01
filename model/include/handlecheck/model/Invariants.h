#pragma once
// The model's own invariants (SPEC "The picture"), checked after every step
// by the model properties and usable by any harness that drives a System.
#include <optional>
#include <string>

#include "handlecheck/model/System.h"

namespace hc::model {

// The first broken invariant, described in one line, or nothing:
//  - every object's HandleCount equals the table entries that refer to it;
//  - no entry refers to a destroyed (or unknown) object;
//  - an object is destroyed iff its usage count is 0;
//  - a named object is reachable by its name iff it is alive (mailslots by
//    their case-folded name, server objects only);
//  - a process, its process object and its thread object agree on running,
//    and a process that has exited has an empty table;
//  - peers are well-formed (client -> server, pipe ends pointing at each other).
std::optional<std::string> brokenInvariant(const System& system);

}  // namespace hc::model
