#include "SpawnAgent.h"

#include "Win32Text.h"

namespace hc::agent {
namespace {

std::wstring selfPath() {
  std::wstring path(MAX_PATH, L'\0');
  for (;;) {
    const DWORD n = GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
    if (n < path.size()) {
      path.resize(n);
      return path;
    }
    path.resize(path.size() * 2);
  }
}

// The agent image a child runs: a console child runs the console agent (this
// executable, unless this is the GUI one), a GUI child the GUI-subsystem
// agent hc-agent-gui.exe (HC_AGENT_GUI), which the build puts beside
// hc-agent.exe.
std::wstring agentPath(bool gui) {
#ifdef HC_AGENT_GUI
  constexpr bool selfIsGui = true;
#else
  constexpr bool selfIsGui = false;
#endif
  std::wstring path = selfPath();
  if (gui == selfIsGui) return path;
  const std::size_t slash = path.find_last_of(L"\\/");
  path.resize(slash == std::wstring::npos ? 0 : slash + 1);
  return path + (gui ? L"hc-agent-gui.exe" : L"hc-agent.exe");
}

}  // namespace

// The hub's pid, a counter and the performance counter: unique on the
// machine, and CreateNamedPipeW's FILE_FLAG_FIRST_PIPE_INSTANCE refuses a
// name in use anyway. No bcrypt: loading it (under Wine, with its crypto
// library) would cost every agent's start.
std::wstring freshPipeName(proto::AgentId id) {
  static unsigned counter = 0;
  LARGE_INTEGER now{};
  QueryPerformanceCounter(&now);
  return L"\\\\.\\pipe\\handlecheck-" + std::to_wstring(GetCurrentProcessId()) + L"-" +
         std::to_wstring(++counter) + L"-" +
         std::to_wstring(static_cast<unsigned long long>(now.QuadPart)) + L"-" +
         std::to_wstring(id);
}

// The protocol's table of console words holds winbase.h's values.
static_assert(proto::creationFlags(proto::kConsoleDetached) == DETACHED_PROCESS &&
              proto::creationFlags(proto::kConsoleNew) == CREATE_NEW_CONSOLE &&
              proto::creationFlags(proto::kConsoleNoWindow) == CREATE_NO_WINDOW);

hc_call spawnAgent(const SpawnSpec& spec) {
  const std::wstring exe = agentPath((spec.console & proto::kConsoleGui) != 0);
  std::wstring cmd =
      L"\"" + exe + L"\" --agent " + std::to_wstring(spec.id) + L" --pipe " + widen(spec.pipe);
  hc_spawn_args args{};
  args.exe = exe.c_str();
  args.command_line = cmd.data();
  args.inherit_handles = spec.inheritHandles;
  args.list_len = spec.useHandleList ? static_cast<int>(spec.handleList.size()) : -1;
  args.list = spec.handleList.data();
  args.process_inherit = spec.processInherit;
  args.thread_inherit = spec.threadInherit;
  args.console_given = proto::consoleGiven(spec.console);
  args.creation_flags = proto::creationFlags(spec.console);
  args.use_std = spec.useStdHandles;
  for (int i = 0; i < 3; ++i) args.std[i] = spec.std[i];
  args.use_parent = spec.useParent;
  args.parent = spec.parent;
  args.list_size = spec.listSize;
  args.parent_size = spec.parentSize;
  args.unknown_attribute = spec.unknownAttribute;
  hc_call c{};
  hc_spawn(&c, &args);
  for (int retry = 0; !c.succeeded && c.error == ERROR_INTERNAL_ERROR && retry < 2; ++retry) {
    Sleep(100);
    c = hc_call{};
    hc_spawn(&c, &args);
  }
  return c;
}

}  // namespace hc::agent
