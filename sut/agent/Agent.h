#pragma once
// Agent mode: one scenario process. Connects to the pipe the hub made for it,
// then performs one Request per line and answers with one Reply. The agent
// reports what Win32 said; it never knows the model.
#include <string>

#include "Protocol.h"

namespace hc::agent {

// Performs one request in this process (Exit and Quit are handled by the loop).
proto::Reply perform(const proto::Request&);

// `hc-agent.exe --agent ID --pipe NAME`; returns the process exit code.
int runAgent(proto::AgentId id, const std::string& pipe);

// Wait's and Terminate's wait when the request names none (the hub normally
// fills in half its command timeout).
inline constexpr unsigned kDefaultWaitMs = 5000;

}  // namespace hc::agent
