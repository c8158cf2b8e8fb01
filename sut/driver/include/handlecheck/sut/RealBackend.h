#pragma once
// The real backend: a tree of Win32 agents (sut/agent) reached through the
// root agent (the hub), started under Wine on Linux and directly on Windows.
#include <chrono>
#include <filesystem>
#include <memory>

#include "handlecheck/sut/Backend.h"

namespace hc::sut {

struct RealBackendOptions {
  bool wine = true;  // run the agents under Wine (Linux); false: natively (Windows)
  // Empty: $HANDLECHECK_AGENT when set (a test agent, e.g. hc-hostile-agent.exe),
  // else hc-agent.exe beside the running executable.
  std::filesystem::path agent;
  std::chrono::milliseconds timeout{10000};  // per command; a hung agent is a BackendFailure
  // Wine only: >= 0 runs the tree on a lane (WineLane.h) for this worker
  // index: a CPU, a prefix copy and a wineserver of its own. -1: the
  // prefix itself, on every CPU.
  int lane = -1;
};

// Starts the hub and the root process P0. Throws BackendFailure with a clear
// message (Wine missing or broken, agent missing, agent did not start).
// Destroying the backend kills every agent of the run (no orphans).
std::unique_ptr<Backend> makeRealBackend(const RealBackendOptions&);

}  // namespace hc::sut
