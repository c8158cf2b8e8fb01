// hc-hostile-agent.exe: an agent hub that goes wrong on purpose, for the
// driver's tests. It starts the real hub (hc-agent.exe beside it) as its
// child, relays its lines faithfully, and spoils one reply the way a crashed
// or broken agent under Wine might; the driver must end the run with a
// backend failure that names the agent, and leave no process behind.
//   HANDLECHECK_HOSTILE=MODE[:N]   spoil the reply after N good lines
//                                  (default 2: the hello and one reply)
// MODE:
//   garbage    400 bytes of every value (NUL, 0xff, '\r', ...) and a '\n'
//   truncated  the first half of the reply, then exit (no '\n')
//   oversized  a 4 MiB line
//   foreign-observations  the reply with observations of handles nobody asked about
//   duplicate  the reply twice: the second answers no request
//   stale      the reply before again (the previous request's id) in place
//              of this one, which the driver never sees
//   silent     nothing, ever (the real hub keeps running)
//   early-exit       exit 1 before the hello, writing nothing, every time
//   early-exit-once  the same when the file hc-hostile-early-exit.marker is
//                    not in the working directory (it is then made), else a
//                    faithful relay that removes the file: a Wine start-up
//                    that fails once
// The driver is pointed at it with HANDLECHECK_AGENT (RealBackend.h).
#include <windows.h>

#include <cstdlib>
#include <string>

#include "Protocol.h"

namespace {

std::string variable(const char* name) {
  char buf[256];
  const DWORD n = GetEnvironmentVariableA(name, buf, sizeof buf);
  return n > 0 && n < sizeof buf ? std::string(buf, n) : std::string();
}

bool writeAll(HANDLE h, const std::string& s) {
  for (std::size_t at = 0; at < s.size();) {
    DWORD put = 0;
    if (!WriteFile(h, s.data() + at, static_cast<DWORD>(s.size() - at), &put, nullptr))
      return false;
    at += put;
  }
  return true;
}

// One line without its '\n'; false at the end of the stream.
class LineReader {
 public:
  explicit LineReader(HANDLE h) : h_(h) {}
  bool next(std::string& line) {
    for (;;) {
      if (const auto nl = pending_.find('\n'); nl != std::string::npos) {
        line = pending_.substr(0, nl);
        pending_.erase(0, nl + 1);
        return true;
      }
      char buf[4096];
      DWORD got = 0;
      if (!ReadFile(h_, buf, sizeof buf, &got, nullptr) || got == 0) return false;
      pending_.append(buf, got);
    }
  }

 private:
  HANDLE h_;
  std::string pending_;
};

// The real hub as a child, on pipes of its own: our stdin and stdout stay
// ours, so when we exit the driver sees its pipe close.
struct Child {
  HANDLE process = nullptr, in = nullptr, out = nullptr;
};

bool startRealHub(int argc, wchar_t** argv, Child& child) {
  wchar_t self[MAX_PATH];
  const DWORD n = GetModuleFileNameW(nullptr, self, MAX_PATH);
  if (n == 0 || n == MAX_PATH) return false;
  std::wstring exe(self, n);
  exe = exe.substr(0, exe.find_last_of(L"\\/") + 1) + L"hc-agent.exe";
  std::wstring cmd = L"\"" + exe + L"\"";
  for (int i = 1; i < argc; ++i) cmd += L" " + std::wstring(argv[i]);

  SECURITY_ATTRIBUTES sa{sizeof sa, nullptr, TRUE};
  HANDLE childIn = nullptr, childOut = nullptr;
  if (!CreatePipe(&childIn, &child.in, &sa, 0) || !CreatePipe(&child.out, &childOut, &sa, 0))
    return false;
  SetHandleInformation(child.in, HANDLE_FLAG_INHERIT, 0);
  SetHandleInformation(child.out, HANDLE_FLAG_INHERIT, 0);
  STARTUPINFOW si{};
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = childIn;
  si.hStdOutput = childOut;
  si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
  PROCESS_INFORMATION pi{};
  const BOOL ok = CreateProcessW(exe.c_str(), cmd.data(), nullptr, nullptr, TRUE, 0, nullptr,
                                 nullptr, &si, &pi);
  CloseHandle(childIn);
  CloseHandle(childOut);
  if (!ok) return false;
  CloseHandle(pi.hThread);
  child.process = pi.hProcess;
  return true;
}

// The reply with observations of handles no request named.
std::string wrongId(const std::string& line) {
  hc::proto::Reply r;
  std::string error;
  if (!hc::proto::decode(line, r, error)) return line;
  if (r.observations.empty()) r.observations.push_back({});
  for (auto& o : r.observations) o.handle += 0x10000;
  std::string out = hc::proto::encode(r);
  out.pop_back();  // encode ends with '\n'
  return out;
}

}  // namespace

int wmain(int argc, wchar_t** argv) {
  const std::string setting = variable("HANDLECHECK_HOSTILE");
  const std::string mode = setting.substr(0, setting.find(':'));
  const int good = setting.find(':') == std::string::npos
                       ? 2
                       : std::atoi(setting.c_str() + setting.find(':') + 1);
  if (mode == "early-exit") return 1;
  if (mode == "early-exit-once") {
    const char marker[] = "hc-hostile-early-exit.marker";
    if (!DeleteFileA(marker)) {
      CloseHandle(CreateFileA(marker, GENERIC_WRITE, 0, nullptr, CREATE_NEW, 0, nullptr));
      return 1;
    }
  }
  const HANDLE in = GetStdHandle(STD_INPUT_HANDLE), out = GetStdHandle(STD_OUTPUT_HANDLE);
  SetHandleInformation(in, HANDLE_FLAG_INHERIT, 0);
  SetHandleInformation(out, HANDLE_FLAG_INHERIT, 0);
  Child child;
  if (!startRealHub(argc, argv, child)) {
    writeAll(GetStdHandle(STD_ERROR_HANDLE),
             "hc-hostile-agent: cannot start hc-agent.exe beside it\n");
    return 1;
  }
  LineReader driver(in), hub(child.out);
  std::string line, previous;
  // Line 0 is the hello; each request read from the driver brings line 1, 2, ...
  for (int sent = 0;; previous = line, ++sent) {
    if (sent > 0) {
      if (!driver.next(line)) break;
      if (!writeAll(child.in, line + "\n")) break;
    }
    if (!hub.next(line)) break;
    if (sent < good) {
      writeAll(out, line + "\n");
      continue;
    }
    if (mode == "garbage") {
      std::string bytes;
      for (int i = 0; i < 400; ++i)
        bytes += static_cast<char>((i * 97 + 13) % 256 == '\n' ? 0 : (i * 97 + 13) % 256);
      writeAll(out, bytes + "\n");
    } else if (mode == "truncated") {
      writeAll(out, line.substr(0, line.size() / 2));
      ExitProcess(3);
    } else if (mode == "oversized") {
      const std::string block(1 << 16, 'x');
      for (int i = 0; i < 64; ++i)
        if (!writeAll(out, block)) break;
      writeAll(out, "\n");
    } else if (mode == "foreign-observations") {
      writeAll(out, wrongId(line) + "\n");
    } else if (mode == "duplicate") {
      writeAll(out, line + "\n" + line + "\n");
    } else if (mode == "stale") {
      writeAll(out, previous + "\n");
    } else if (mode == "silent") {
      Sleep(INFINITE);
    } else {
      writeAll(out, line + "\n");  // no (known) mode: a faithful relay
    }
  }
  CloseHandle(child.in);
  WaitForSingleObject(child.process, 5000);
  return 0;
}
