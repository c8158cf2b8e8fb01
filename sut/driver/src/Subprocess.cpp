// Subprocess: fork/exec in a new process group (POSIX), CreateProcess in a
// kill-on-close Job (Windows). Line I/O with a timeout on both.
#include "Subprocess.h"

#include <algorithm>
#include <cstring>

#include "handlecheck/sut/Backend.h"

#ifndef _WIN32

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <thread>

#include "Pin.h"

extern char** environ;

namespace hc::sut {
namespace {

constexpr std::size_t kTailBytes = 4096;

// The process groups alive right now. The signal handler reads them, so a
// fixed array of atomics (async-signal-safe), not a container.
std::atomic<pid_t> gGroups[64];

void onFatalSignal(int sig) {
  for (auto& g : gGroups) {
    const pid_t group = g.load();
    if (group > 0) ::kill(-group, SIGKILL);
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// Our handler only where the application kept the default: a CLI with its own
// handler is expected to destroy its backend (which kills the group) itself.
// SIGPIPE: a hub that died must give write() == false, not kill us.
void installSignalHandlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old {};
      if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) {
        struct sigaction act {};
        act.sa_handler = onFatalSignal;
        sigemptyset(&act.sa_mask);
        ::sigaction(sig, &act, nullptr);
      }
    }
    struct sigaction old {};
    if (::sigaction(SIGPIPE, nullptr, &old) == 0 && old.sa_handler == SIG_DFL)
      ::signal(SIGPIPE, SIG_IGN);
  });
}

void remember(pid_t group) {
  for (auto& g : gGroups) {
    pid_t empty = 0;
    if (g.compare_exchange_strong(empty, group)) return;
  }
}

void forget(pid_t group) {
  for (auto& g : gGroups) {
    pid_t mine = group;
    if (g.compare_exchange_strong(mine, 0)) return;
  }
}

std::string errnoText(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

}  // namespace

std::vector<std::string> environmentWith(const Subprocess::Environment& extra) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    const std::string_view kv(*e);
    const auto key = kv.substr(0, kv.find('='));
    bool overridden = false;
    for (const auto& [k, v] : extra) overridden = overridden || k == key;
    if (!overridden) out.emplace_back(kv);
  }
  for (const auto& [k, v] : extra) out.push_back(k + "=" + v);
  return out;
}

struct Subprocess::Impl {
  pid_t pid = -1;
  int in = -1, out = -1, err = -1;
  std::string pending;  // stdout bytes past the last line
  std::string tail;     // stderr, last kTailBytes
  bool reaped = false;
  int waitStatus = 0;

  // What is there now, at most 64 KiB a call (a child writing without pause
  // must not keep us reading).
  void drainStderr() {
    char buf[1024];
    for (int i = 0; i < 64; ++i) {
      const ssize_t n = ::read(err, buf, sizeof buf);
      if (n <= 0) return;
      tail.append(buf, static_cast<std::size_t>(n));
      if (tail.size() > kTailBytes) tail.erase(0, tail.size() - kTailBytes);
    }
  }
  bool reap(int flags) {
    if (reaped) return true;
    int st = 0;
    pid_t r;
    while ((r = ::waitpid(pid, &st, flags)) < 0 && errno == EINTR) {
    }
    if (r != pid) return false;
    reaped = true;
    waitStatus = st;
    return true;
  }
};

Subprocess::Subprocess(const std::vector<std::string>& argv, const Environment& extra, int cpu)
    : impl_(std::make_unique<Impl>()) {
  installSignalHandlers();
  // Everything the child needs is built before fork: after it, only
  // async-signal-safe calls.
  std::vector<std::string> envStrings = environmentWith(extra);
  std::vector<char*> envp, args;
  for (auto& s : envStrings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argvCopy = argv;
  for (auto& a : argvCopy) args.push_back(a.data());
  args.push_back(nullptr);
  const std::string cannot = "handlecheck: cannot execute " + argv.at(0) + "\n";

  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC))
    throw BackendFailure(errnoText("pipe2"));
  const pid_t pid = ::fork();
  if (pid < 0) throw BackendFailure(errnoText("fork"));
  if (pid == 0) {
    ::setpgid(0, 0);
    if (cpu >= 0) pinToCpu(0, cpu);
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::execve(args[0], args.data(), envp.data());
    [[maybe_unused]] const ssize_t ignored = ::write(2, cannot.data(), cannot.size());
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also here: no window in which kill(-pid) misses it
  remember(pid);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  impl_->pid = pid;
  impl_->in = in[1];
  impl_->out = out[0];
  impl_->err = err[0];
  ::fcntl(impl_->err, F_SETFL, O_NONBLOCK);
}

Subprocess::~Subprocess() {
  kill();
  for (int fd : {impl_->in, impl_->out, impl_->err})
    if (fd >= 0) ::close(fd);
}

bool Subprocess::write(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(impl_->in, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

Subprocess::Read Subprocess::readLine(std::string& line, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (const auto nl = impl_->pending.find('\n'); nl != std::string::npos && nl <= kMaxLine) {
      line.assign(impl_->pending, 0, nl);
      impl_->pending.erase(0, nl + 1);
      return Read::Line;
    }
    if (impl_->pending.size() > kMaxLine) return Read::TooLong;
    const auto left = std::max(std::chrono::milliseconds(0),
                               std::chrono::duration_cast<std::chrono::milliseconds>(
                                   deadline - std::chrono::steady_clock::now()));
    pollfd fds[2] = {{impl_->out, POLLIN, 0}, {impl_->err, POLLIN, 0}};
    const int n = ::poll(fds, impl_->err >= 0 ? 2 : 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Read::Closed;
    if (n == 0) return Read::Timeout;
    // Past the deadline only stdout keeps us here (bounded by kMaxLine), never
    // a child that floods its stderr.
    if (left.count() == 0 && !(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) return Read::Timeout;
    if (fds[1].revents & (POLLIN | POLLHUP)) {
      impl_->drainStderr();
      if (fds[1].revents & POLLHUP && !(fds[1].revents & POLLIN)) {
        ::close(impl_->err);
        impl_->err = -1;
      }
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[4096];
      const ssize_t got = ::read(impl_->out, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return Read::Closed;
      impl_->pending.append(buf, static_cast<std::size_t>(got));
    }
  }
}

bool Subprocess::waitExit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!impl_->reap(WNOHANG)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

void Subprocess::kill() {
  if (impl_->pid <= 0) return;
  ::kill(-impl_->pid, SIGKILL);  // the group: wine's loader and whatever it forked
  impl_->reap(0);
  forget(impl_->pid);
}

long Subprocess::pid() const {
  return impl_->pid;
}

std::string Subprocess::status() {
  if (!impl_->reap(WNOHANG)) return "still running";
  const int st = impl_->waitStatus;
  if (WIFEXITED(st)) return "exit code " + std::to_string(WEXITSTATUS(st));
  return "killed by signal " + std::to_string(WTERMSIG(st));
}

std::string Subprocess::stderrTail() {
  if (impl_->err >= 0) impl_->drainStderr();
  return impl_->tail;
}

}  // namespace hc::sut

#else  // _WIN32

#include <thread>

#include "Win32Api.h"

namespace hc::sut {
namespace {

std::string lastError(const char* what) {
  return std::string(what) + " failed with error " + std::to_string(GetLastError());
}

// Our strings are UTF-8 (paths from path::u8string); Win32 wants UTF-16.
std::wstring wide(const std::string& s) {
  if (s.empty()) return {};
  const int n = MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
  std::wstring w(static_cast<std::size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), w.data(), n);
  return w;
}

// argv -> one command line (MSDN "Parsing C++ command-line arguments" rules).
std::wstring quote(const std::string& arg) {
  const std::wstring w = wide(arg);
  if (!w.empty() && w.find_first_of(L" \t\"") == std::wstring::npos) return w;
  std::wstring out = L"\"";
  std::size_t slashes = 0;
  for (wchar_t c : w) {
    if (c == L'\\') {
      ++slashes;
    } else {
      if (c == L'"') out.append(slashes + 1, L'\\');
      slashes = 0;
    }
    out += c;
  }
  out.append(slashes, L'\\');
  return out + L"\"";
}

}  // namespace

struct Subprocess::Impl {
  HANDLE process = nullptr, job = nullptr, in = nullptr, out = nullptr;
  DWORD pid = 0;
  std::string pending;
};

// The child's ends are the only inheritable handles and the only ones in its
// handle list; stderr goes to NUL (nobody would drain a pipe). The Job makes
// the hub (and its own Job, the agents) die with us, Ctrl-C included.
Subprocess::Subprocess(const std::vector<std::string>& argv, const Environment& extra, int)
    : impl_(std::make_unique<Impl>()) {
  for (const auto& [k, v] : extra) SetEnvironmentVariableA(k.c_str(), v.c_str());
  SECURITY_ATTRIBUTES sa{sizeof sa, nullptr, TRUE};
  HANDLE childIn = nullptr, childOut = nullptr;
  if (!CreatePipe(&childIn, &impl_->in, &sa, 0) || !CreatePipe(&impl_->out, &childOut, &sa, 0))
    throw BackendFailure(lastError("CreatePipe"));
  SetHandleInformation(impl_->in, HANDLE_FLAG_INHERIT, 0);
  SetHandleInformation(impl_->out, HANDLE_FLAG_INHERIT, 0);
  HANDLE nul = CreateFileW(L"NUL", GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                           OPEN_EXISTING, 0, nullptr);

  HANDLE list[3] = {childIn, childOut, nul};
  SIZE_T size = 0;
  InitializeProcThreadAttributeList(nullptr, 1, 0, &size);
  std::vector<unsigned char> storage(size);
  auto* attrs = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(storage.data());
  InitializeProcThreadAttributeList(attrs, 1, 0, &size);
  UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, list, sizeof list, nullptr,
                            nullptr);
  STARTUPINFOEXW si{};
  si.StartupInfo.cb = sizeof si;
  si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  si.StartupInfo.hStdInput = childIn;
  si.StartupInfo.hStdOutput = childOut;
  si.StartupInfo.hStdError = nul;
  si.lpAttributeList = attrs;

  std::wstring cmd;
  for (const auto& a : argv) cmd += (cmd.empty() ? L"" : L" ") + quote(a);
  const std::wstring exe = wide(argv.at(0));
  PROCESS_INFORMATION pi{};
  const BOOL ok = CreateProcessW(exe.c_str(), cmd.data(), nullptr, nullptr, TRUE,
                                 CREATE_SUSPENDED | CREATE_NO_WINDOW | EXTENDED_STARTUPINFO_PRESENT,
                                 nullptr, nullptr, &si.StartupInfo, &pi);
  const std::string failure =
      ok ? std::string() : lastError(("CreateProcess of " + argv[0]).c_str());
  DeleteProcThreadAttributeList(attrs);
  CloseHandle(childIn);
  CloseHandle(childOut);
  if (nul != INVALID_HANDLE_VALUE) CloseHandle(nul);
  if (!ok) throw BackendFailure(failure);
  impl_->job = CreateJobObjectW(nullptr, nullptr);
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
  limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  if (impl_->job)
    SetInformationJobObject(impl_->job, JobObjectExtendedLimitInformation, &limits, sizeof limits);
  if (impl_->job) AssignProcessToJobObject(impl_->job, pi.hProcess);
  ResumeThread(pi.hThread);
  CloseHandle(pi.hThread);
  impl_->process = pi.hProcess;
  impl_->pid = pi.dwProcessId;
}

Subprocess::~Subprocess() {
  kill();
  for (HANDLE h : {impl_->in, impl_->out, impl_->process, impl_->job})
    if (h) CloseHandle(h);
}

bool Subprocess::write(std::string_view data) {
  while (!data.empty()) {
    DWORD put = 0;
    if (!WriteFile(impl_->in, data.data(), static_cast<DWORD>(data.size()), &put, nullptr))
      return false;
    data.remove_prefix(put);
  }
  return true;
}

// Anonymous pipes have no overlapped I/O: PeekNamedPipe, then a read of what
// is there, so a hung hub cannot block us past the timeout.
Subprocess::Read Subprocess::readLine(std::string& line, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (int idle = 0;; ++idle) {
    if (const auto nl = impl_->pending.find('\n'); nl != std::string::npos && nl <= kMaxLine) {
      line.assign(impl_->pending, 0, nl);
      impl_->pending.erase(0, nl + 1);
      return Read::Line;
    }
    if (impl_->pending.size() > kMaxLine) return Read::TooLong;
    DWORD avail = 0;
    if (!PeekNamedPipe(impl_->out, nullptr, 0, nullptr, &avail, nullptr)) return Read::Closed;
    if (avail == 0) {
      if (std::chrono::steady_clock::now() >= deadline) return Read::Timeout;
      if (idle < 1000)
        std::this_thread::yield();
      else
        Sleep(1);
      continue;
    }
    char buf[4096];
    DWORD got = 0;
    const DWORD want = avail < sizeof buf ? avail : static_cast<DWORD>(sizeof buf);
    if (!ReadFile(impl_->out, buf, want, &got, nullptr) || got == 0) return Read::Closed;
    impl_->pending.append(buf, got);
    idle = 0;
  }
}

bool Subprocess::waitExit(std::chrono::milliseconds timeout) {
  return WaitForSingleObject(impl_->process, static_cast<DWORD>(timeout.count())) == WAIT_OBJECT_0;
}

void Subprocess::kill() {
  if (impl_->job) TerminateJobObject(impl_->job, 1);
  if (impl_->process) {
    TerminateProcess(impl_->process, 1);
    WaitForSingleObject(impl_->process, 5000);
  }
}

long Subprocess::pid() const {
  return static_cast<long>(impl_->pid);
}

std::string Subprocess::status() {
  DWORD code = 0;
  if (!GetExitCodeProcess(impl_->process, &code) || code == STILL_ACTIVE) return "still running";
  return "exit code " + std::to_string(code);
}

std::string Subprocess::stderrTail() {
  return {};
}

}  // namespace hc::sut

#endif
