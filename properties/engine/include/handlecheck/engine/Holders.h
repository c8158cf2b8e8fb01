#pragma once
// Who holds a handle to an object, and how each got it: the answer to a
// reader that never sees end-of-file. A pipe's read end reaches EOF only
// when the last handle to its write end closes, in whatever process it
// lives (SPEC 13), so a hanging reader needs every process that still
// holds one, with the step that gave it there.
#include <string>
#include <vector>

#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/engine/Runner.h"

namespace hc::engine {

// Every open handle to `object` in every model process, processes in the
// order they were made, values ascending; each with its scenario names and
// Origin from the bindings.
std::vector<Holder> holdersOf(const ModelBackend&, const Bindings&, model::ObjectId object);

// The holders of the other end of the pipe end `handle` open in agent
// `process`: for a read end, everyone who can still write. Empty when the
// handle is no pipe end or the other end has closed.
std::vector<Holder> peerHolders(const ModelBackend&, const Bindings&, proto::AgentId process,
                                proto::Handle handle);

// The end whose holders keep a blocked call waiting: "write end" for a
// read (or peek) of a read end, "read end" for a write into a full pipe.
std::string otherEndName(proto::Op);

// "created at line 1", "inherited from P0 at line 4", "duplicated from P0
// at line 5"; "made by spawn at line 2" for a call with no verb of its own.
std::string originText(const Origin&);

// "P0 as W (created at line 1), C2 as W (inherited from P0 at line 4) and
// G1 as W (inherited from C1 at line 6)"; empty for no holders.
std::string holdersText(const std::vector<Holder>&);

}  // namespace hc::engine
