// hc-agent.exe: the Win32 side of handlecheck. Dependency-free (kernel32
// only), UNICODE, static runtime.
//   hc-agent.exe --hub [--timeout-ms N]     the root the driver starts (stdin/stdout)
//   hc-agent.exe --agent ID --pipe NAME     one scenario process (started by the hub or an agent)
// hc-agent-gui.exe is the same program as a GUI-subsystem image, started only
// with --agent (its channel is the pipe, it needs no console).
#include <cwchar>
#include <string>

#include "Agent.h"
#include "Hub.h"
#include "Win32.h"
#include "Win32Text.h"

namespace {

bool parseNumber(const wchar_t* s, unsigned& out) {
  wchar_t* end = nullptr;
  const unsigned long v = std::wcstoul(s, &end, 10);
  if (end == s || *end != L'\0') return false;
  out = static_cast<unsigned>(v);
  return true;
}

int usage() {
  const char text[] =
      "usage: hc-agent.exe --hub [--timeout-ms N]\n"
      "       hc-agent.exe --agent ID --pipe NAME\n";
  DWORD put = 0;
  WriteFile(GetStdHandle(STD_ERROR_HANDLE), text, sizeof text - 1, &put, nullptr);
  return 2;
}

}  // namespace

int wmain(int argc, wchar_t** argv) {
  bool hub = false, agent = false;
  unsigned timeoutMs = 10000, id = 0;
  std::wstring pipe;
  for (int i = 1; i < argc; ++i) {
    const std::wstring arg = argv[i];
    const bool hasValue = i + 1 < argc;
    if (arg == L"--hub") {
      hub = true;
    } else if (arg == L"--timeout-ms" && hasValue) {
      if (!parseNumber(argv[++i], timeoutMs) || timeoutMs == 0) return usage();
    } else if (arg == L"--agent" && hasValue) {
      agent = true;
      if (!parseNumber(argv[++i], id)) return usage();
    } else if (arg == L"--pipe" && hasValue) {
      pipe = argv[++i];
    } else {
      return usage();
    }
  }
  if (hub && !agent) return hc::agent::runHub(timeoutMs);
  if (agent && !hub && !pipe.empty()) return hc::agent::runAgent(id, hc::agent::narrow(pipe));
  return usage();
}
