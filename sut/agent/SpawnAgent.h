#pragma once
// CreateProcessW of a child agent: this same executable with
// `--agent ID --pipe NAME`, through the call layer's hc_spawn. Used by the
// hub for P0 (nothing inherited) and by agents for the scenario's `spawn`
// (every CreateProcess knob of Request).
#include <string>
#include <vector>

#include "Calls.h"
#include "Protocol.h"
#include "Win32.h"

namespace hc::agent {

struct SpawnSpec {
  proto::AgentId id = 0;
  std::string pipe;
  bool inheritHandles = false;  // bInheritHandles (SPEC 22, 23)
  bool useHandleList = false;   // PROC_THREAD_ATTRIBUTE_HANDLE_LIST (SPEC 25)
  std::vector<HANDLE> handleList;
  bool processInherit = false;  // lpProcessAttributes->bInheritHandle (SPEC 24)
  bool threadInherit = false;   // lpThreadAttributes->bInheritHandle
  std::uint32_t console = 0;    // proto::kConsole* words; none: DETACHED_PROCESS (SPEC 54),
                                // kConsoleGui: hc-agent-gui.exe (SPEC 59)
  bool useStdHandles = false;   // STARTF_USESTDHANDLES with std (SPEC 55)
  HANDLE std[3] = {};
  bool useParent = false;  // PROC_THREAD_ATTRIBUTE_PARENT_PROCESS (SPEC 82-85)
  HANDLE parent = nullptr;
  int listSize = -1;              // SPEC 79: the list's cbSize in bytes; -1: the right one
  int parentSize = -1;            // the parent's cbSize; -1: sizeof(HANDLE)
  bool unknownAttribute = false;  // attribute 0xcafe added
};

// The call's outcome; handle/handle2 are pi.hProcess/hThread. Wine failing
// to start a process at all (ERROR_INTERNAL_ERROR, seen under load) is
// retried here, twice; still failing, the result carries that error and the
// caller reports a backend failure, never a Win32 outcome.
hc_call spawnAgent(const SpawnSpec&);

// A fresh pipe name: \\.\pipe\handlecheck-<hub pid>-<n>-<time>-<id>.
std::wstring freshPipeName(proto::AgentId);

}  // namespace hc::agent
