// Finding Wine, preparing its prefix once, and keeping one wineserver for a run.
#include "handlecheck/sut/WineRunner.h"

#include <cstdlib>
#include <string_view>

#ifdef _WIN32

#include "Win32Api.h"
#include "handlecheck/sut/WineLane.h"

namespace hc::sut {
namespace {
[[noreturn]] void notOnWindows() {
  throw WineError("Wine is not used on Windows: the agents run natively (--backend native)");
}
}  // namespace
// The module's own path: the CRT's _wpgmptr is set only for wmain programs
// (and MinGW's runtime has no _get_wpgmptr at all).
std::filesystem::path executableDir() {
  std::wstring self(MAX_PATH, L'\0');
  for (;;) {
    const DWORD n = GetModuleFileNameW(nullptr, self.data(), static_cast<DWORD>(self.size()));
    if (n == 0) return std::filesystem::current_path();
    if (n < self.size()) {
      self.resize(n);
      return std::filesystem::path(self).parent_path();
    }
    self.resize(self.size() * 2);  // truncated: a longer path
  }
}
WineSetup locateWine(const std::filesystem::path&) {
  notOnWindows();
}
std::vector<std::pair<std::string, std::string>> wineEnvironment(const WineSetup&) {
  notOnWindows();
}
void checkWine(const WineSetup&) {
  notOnWindows();
}
LaneClaim::LaneClaim(const std::filesystem::path&, int) {
  notOnWindows();
}
LaneClaim::~LaneClaim() = default;
WineLane::WineLane(const WineSetup& base, int worker, std::chrono::seconds)
    : claim_(base.prefix, worker) {}
std::vector<int> usableCpus() {
  return {};
}
void copyPrefix(const std::filesystem::path&, const std::filesystem::path&) {
  notOnWindows();
}
void initPrefix(const WineSetup&) {
  notOnWindows();
}
void startServer(const WineSetup&, std::optional<std::chrono::seconds>, int) {
  notOnWindows();
}
void keepServer(const WineSetup&, std::chrono::seconds, int) {
  notOnWindows();
}
void stopServer(const WineSetup&) {
  notOnWindows();
}
bool serverAlive(const WineSetup&) {
  return true;
}
std::vector<std::string> wineCommand(const WineSetup&, const std::filesystem::path&,
                                     const std::vector<std::string>&) {
  notOnWindows();
}
}  // namespace hc::sut

#else

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <mutex>
#include <set>

#include "FileLock.h"
#include "Pin.h"
#include "Subprocess.h"

namespace hc::sut {
namespace fs = std::filesystem;

namespace {

bool isExecutable(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

fs::path searchPath(std::string_view program) {
  const std::string path = env("PATH");
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    const fs::path candidate = fs::path(path.substr(start, end - start)) / program;
    if (end > start && isExecutable(candidate)) return candidate;
    start = end + 1;
  }
  return {};
}

// Debian's wine64 package puts its loader and server under /usr/lib/wine/.
constexpr const char* kLibDirs[] = {"/usr/lib/wine", "/usr/lib/x86_64-linux-gnu/wine",
                                    "/usr/lib64/wine", "/opt/wine-stable/bin"};

fs::path findServer(const fs::path& loader) {
  if (const std::string s = env("HANDLECHECK_WINESERVER"); !s.empty()) return s;
  // The server must match the loader: look beside it first.
  for (const char* name : {"wineserver", "wineserver64"}) {
    const fs::path sibling = loader.parent_path() / name;
    if (isExecutable(sibling)) return sibling;
  }
  for (const char* dir : kLibDirs)
    for (const char* name : {"wineserver", "wineserver64"})
      if (isExecutable(fs::path(dir) / name)) return fs::path(dir) / name;
  if (fs::path p = searchPath("wineserver"); !p.empty()) return p;
  return {};
}

// Runs argv with the Wine environment, waits, returns the exit status
// (128 + signal when killed). Output goes where ours goes unless quiet.
// cpu >= 0: the process (and what it starts) runs on that CPU only.
// Everything the child needs is made before fork: another thread (a worker
// starting its own backend) may hold the allocator's lock at that moment,
// and a child that allocates would wait for it forever.
int run(const WineSetup& setup, const std::vector<std::string>& argv, bool quiet, int cpu = -1) {
  std::vector<std::string> envStrings = environmentWith(wineEnvironment(setup));
  std::vector<std::string> argvCopy = argv;
  std::vector<char*> envp, args;
  for (auto& e : envStrings) envp.push_back(e.data());
  envp.push_back(nullptr);
  for (auto& a : argvCopy) args.push_back(a.data());
  args.push_back(nullptr);
  const std::string cannot = "handlecheck: cannot execute " + argv.at(0) + "\n";
  const int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);  // never wait on our stdin
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    if (devnull >= 0) ::close(devnull);
    throw WineError(std::string("fork failed: ") + std::strerror(error));
  }
  if (pid == 0) {
    if (cpu >= 0) pinToCpu(0, cpu);
    if (devnull >= 0) {
      ::dup2(devnull, 0);
      if (quiet) {
        ::dup2(devnull, 1);
        ::dup2(devnull, 2);
      }
    }
    ::execve(args[0], args.data(), envp.data());
    [[maybe_unused]] const ssize_t ignored = ::write(2, cannot.data(), cannot.size());
    ::_exit(127);
  }
  if (devnull >= 0) ::close(devnull);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

fs::path executableDir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : self.parent_path();
}

WineSetup locateWine(const fs::path& binDir) {
  WineSetup setup;
  if (const std::string forced = env("HANDLECHECK_WINE"); !forced.empty()) {
    setup.wine = forced;
    if (!isExecutable(setup.wine))
      throw WineError("HANDLECHECK_WINE=" + forced + " is not an executable file");
  } else {
    for (const char* name : {"wine64", "wine"})
      if (setup.wine = searchPath(name); !setup.wine.empty()) break;
    if (setup.wine.empty())
      for (const char* dir : kLibDirs)
        if (isExecutable(fs::path(dir) / "wine64")) {
          setup.wine = fs::path(dir) / "wine64";
          break;
        }
    if (setup.wine.empty())
      throw WineError(
          "Wine not found: no wine64/wine on PATH nor in /usr/lib/wine. Install it with "
          "ci/setup.sh (Debian package wine64) or point HANDLECHECK_WINE at the wine loader");
  }
  setup.wineserver = findServer(setup.wine);
  const std::string prefix = env("HANDLECHECK_WINEPREFIX");
  setup.prefix =
      prefix.empty() ? (binDir / ".." / "wineprefix").lexically_normal() : fs::path(prefix);
  return setup;
}

std::vector<std::pair<std::string, std::string>> wineEnvironment(const WineSetup& setup) {
  std::vector<std::pair<std::string, std::string>> vars = {
      {"WINEPREFIX", setup.prefix.string()},
      {"WINEDEBUG", "-all"},
      // No Mono/Gecko install dialogs: the agent needs neither.
      {"WINEDLLOVERRIDES", "mscoree,mshtml="},
      // Every Wine process starts by matching the Unix time zone against the
      // prefix's list of Windows zones, key by key in order (about 5 ms for
      // UTC, the most of an agent's start after the exe is mapped). No handle
      // rule involves the clock: a fixed zone that matches the list's first
      // key (AUS Central Standard Time, +9:30, no daylight saving) takes 1 ms.
      {"TZ", "ACST-9:30"},
  };
  if (!setup.wineserver.empty()) vars.emplace_back("WINESERVER", setup.wineserver.string());
  return vars;
}

void checkWine(const WineSetup& setup) {
  const int status = run(setup, {setup.wine.string(), "--version"}, true);
  if (status != 0)
    throw WineError("Wine is broken: `" + setup.wine.string() + " --version` exited with " +
                    std::to_string(status) + " (set HANDLECHECK_WINE to a working wine loader)");
}

void initPrefix(const WineSetup& setup) {
  const fs::path marker = prefixMarker(setup.prefix);
  if (fs::exists(marker)) return;
  const FileLock lock(creationLock(setup.prefix), FileLock::Mode::Wait);
  if (fs::exists(marker)) return;  // another process made it while we waited
  std::fprintf(stderr, "handlecheck: creating Wine prefix %s (once; takes ~15 s)\n",
               setup.prefix.c_str());
  int status = run(setup, {setup.wine.string(), "wineboot", "-i"}, true);
  // The registry reaches disk when the (temporary) server exits: wait for it.
  if (status == 0 && !setup.wineserver.empty())
    status = run(setup, {setup.wineserver.string(), "-w"}, true);
  if (status != 0 || !fs::exists(marker))
    throw WineError("Wine is broken: `" + setup.wine.string() + " wineboot -i` exited with " +
                    std::to_string(status) + " and left no " + marker.string() +
                    " (set HANDLECHECK_WINE to a working wine loader)");
}

void startServer(const WineSetup& setup, std::optional<std::chrono::seconds> linger, int cpu) {
  if (setup.wineserver.empty())
    throw WineError("wineserver not found beside " + setup.wine.string() +
                    " nor in /usr/lib/wine; set HANDLECHECK_WINESERVER");
  // -p: stay alive after the last client so each test does not pay a start-up.
  const std::string persist = linger ? "-p" + std::to_string(linger->count()) : "-p";
  const int status = run(setup, {setup.wineserver.string(), persist}, true, cpu);
  // Status 2: another server holds the prefix's lock, i.e. one already runs
  // (wine's server/request.c); a second `init` is then a no-op.
  if (status != 0 && status != 2)
    throw WineError("`" + setup.wineserver.string() + " -p` exited with " + std::to_string(status));
  // The prefix's system processes (services.exe, explorer) start with the
  // first Wine process and live as long as the server, holding that
  // process's stdio: started by a test, they would keep ctest's output pipe
  // open and ctest would wait for it forever. Start them here, on /dev/null.
  if (status == 0) run(setup, {setup.wine.string(), "wineboot"}, true, cpu);
}

void keepServer(const WineSetup& setup, std::chrono::seconds linger, int cpu) {
  static std::mutex mutex;
  static std::set<fs::path> started;
  const std::lock_guard lock(mutex);
  if (started.count(setup.prefix)) return;
  startServer(setup, linger, cpu);
  started.insert(setup.prefix);
}

// Calls `each(pid, name)` for every process of ours whose executable's name
// starts with "wine" (the loader, its preloader, the server; `name` is that
// name) and whose environment holds one of `prefixes` as WINEPREFIX.
template <typename Each>
void forEachWineProcess(const std::vector<fs::path>& prefixes, Each each) {
  std::error_code ec;
  std::set<std::string> wanted;
  for (const fs::path& p : prefixes) wanted.insert("WINEPREFIX=" + p.string());
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc", ec)) {
    const std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string name = fs::read_symlink(entry.path() / "exe", ec).filename().string();
    if (ec || name.rfind("wine", 0) != 0) continue;
    std::ifstream environ(entry.path() / "environ", std::ios::binary);
    for (std::string var; std::getline(environ, var, '\0');)
      if (wanted.count(var)) {
        each(static_cast<pid_t>(std::stol(pid)), name);
        break;
      }
  }
}

void stopServer(const WineSetup& setup) {
  if (setup.wineserver.empty()) return;
  run(setup, {setup.wineserver.string(), "-k"}, true);  // fails when none runs: fine
  run(setup, {setup.wineserver.string(), "-w"}, true);
  // What the server's end left running in the prefix or its lanes' copies
  // (`prefix`-cpuN, whose servers linger on their own): a process Wine
  // started on demand (the desktop's explorer.exe) can outlive its server.
  std::vector<fs::path> prefixes{setup.prefix};
  std::error_code ec;
  const std::string lane = setup.prefix.filename().string() + "-cpu";
  for (const fs::directory_entry& e : fs::directory_iterator(setup.prefix.parent_path(), ec))
    if (e.path().filename().string().rfind(lane, 0) == 0) prefixes.push_back(e.path());
  forEachWineProcess(prefixes, [](pid_t pid, const std::string&) {
    if (pid != ::getpid()) ::kill(pid, SIGKILL);
  });
}

bool serverAlive(const WineSetup& setup) {
  if (!fs::is_directory("/proc")) return true;
  bool alive = false;
  forEachWineProcess({setup.prefix}, [&](pid_t, const std::string& name) {
    alive = alive || name.rfind("wineserver", 0) == 0;
  });
  return alive;
}

std::vector<std::string> wineCommand(const WineSetup& setup, const fs::path& exe,
                                     const std::vector<std::string>& args) {
  std::vector<std::string> argv{setup.wine.string(), exe.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace hc::sut

#endif
