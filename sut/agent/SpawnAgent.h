#pragma once
// CreateProcessW of a child agent: this same executable with
// `--agent ID --pipe NAME`. Used by the hub for P0 (nothing inherited) and by
// agents for the scenario's `spawn` (every CreateProcess knob of Request).
#include "Win32.h"

#include <string>
#include <vector>

#include "Protocol.h"

namespace hc::agent {

struct SpawnSpec {
  proto::AgentId id = 0;
  std::string pipe;
  bool inheritHandles = false;  // bInheritHandles (SPEC 22, 23)
  bool useHandleList = false;   // PROC_THREAD_ATTRIBUTE_HANDLE_LIST (SPEC 25)
  std::vector<HANDLE> handleList;
  bool processInherit = false;  // lpProcessAttributes->bInheritHandle (SPEC 24)
  bool threadInherit = false;   // lpThreadAttributes->bInheritHandle
};

struct SpawnResult {
  bool ok = false;
  DWORD error = 0;  // GetLastError() of the failing call
  PROCESS_INFORMATION pi{};
};

SpawnResult spawnAgent(const SpawnSpec&);

// A fresh pipe name: \\.\pipe\handlecheck-<128 random bits>-<id>.
std::wstring freshPipeName(proto::AgentId);

}  // namespace hc::agent
