// hc-wine: the Wine runner for ctest and for people.
//   hc-wine init            create the prefix once, start a persistent wineserver
//   hc-wine stop            shut that wineserver down
//   hc-wine run EXE [ARG]   run a Windows program under it; exit status is the program's
//   hc-wine where           print the loader, server and prefix in use
// Exit status: the program's (run), 0 (others), 2 usage, 3 Wine missing or broken
// (for run: also when Wine failed to start the program three times).
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "handlecheck/sut/WineRunner.h"

namespace {

constexpr const char* kUsage =
    "usage: hc-wine init | stop | where | run EXE [ARGS...]\n"
    "  init   create the Wine prefix (once) and start a persistent wineserver\n"
    "  stop   shut the wineserver of the prefix down\n"
    "  where  print the wine loader, wineserver and prefix that would be used\n"
    "  run    run a Windows executable under that Wine (exit status is its own)\n"
    "Environment: HANDLECHECK_WINE (wine loader), HANDLECHECK_WINESERVER,\n"
    "             HANDLECHECK_WINEPREFIX (default: <build>/wineprefix),\n"
    "             HANDLECHECK_WINEDEBUG (WINEDEBUG for run; default -all)\n"
    "Exit status: 0 ok, 2 usage, 3 Wine missing or broken.\n";

// Wine's loader sometimes cannot start a process at all: mapping the shared
// user data page at its fixed address collides with what Linux placed there
// (ntdll's virtual_alloc_first_teb, STATUS_CONFLICTING_ADDRESSES), and the
// process exits 1 before any code of the program ran. That is start-up of
// the machinery, not the program's outcome, so the run starts again, at most
// kStartAttempts times, each time with a warning. A run counts as never
// started when it exited 1, wrote nothing on stdout, and Wine's err+virtual
// channel said so (a process the program starts may fail the same way while
// the program itself runs on). The err:virtual lines are passed on only when
// HANDLECHECK_WINEDEBUG asks for them. At a terminal nothing is relayed nor
// started again.
constexpr const char* kStartFailure = "failed to map the shared user data";
constexpr int kStartAttempts = 3;

volatile sig_atomic_t runningChild = 0;

void forwardSignal(int sig) {
  if (runningChild > 0) ::kill(runningChild, sig);
}

struct Attempt {
  int status = 0;
  bool startFailed = false;  // Wine's start-up failure was reported
  bool wroteOutput = false;  // the program wrote on stdout
  bool neverStarted() const { return startFailed && status == 1 && !wroteOutput; }
};

// Copies the child's stdout to ours as it comes and its stderr line by line
// (out < 0: stdout is not relayed), until the child has exited and nothing
// more is waiting; the prefix's system processes may hold the pipes' write
// ends for as long as the wineserver lives, so end-of-file is never waited for.
Attempt relayUntilExit(pid_t pid, int out, int err, bool passVirtualErrors) {
  Attempt attempt;
  std::string pending;
  auto emit = [&](std::string_view line) {
    if (line.find(kStartFailure) != std::string_view::npos) attempt.startFailed = true;
    if (passVirtualErrors || line.find("err:virtual:") == std::string_view::npos)
      std::fwrite(line.data(), 1, line.size(), stderr);
  };
  pollfd fds[2] = {{err, POLLIN, 0}, {out, POLLIN, 0}};  // a negative fd is skipped
  bool exited = false;
  int status = 0;
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    for (pollfd& p : fds) p.revents = 0;
    if (::poll(fds, 2, exited ? 0 : 50) <= 0 && exited) break;
    for (pollfd& p : fds) {
      if (p.fd < 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      const ssize_t n = ::read(p.fd, buf, sizeof buf);
      if (n <= 0) {
        if (n == 0 || (errno != EINTR && errno != EAGAIN)) p.fd = -1;
      } else if (&p == &fds[1]) {
        attempt.wroteOutput = true;
        std::fwrite(buf, 1, static_cast<size_t>(n), stdout);
        std::fflush(stdout);
      } else {
        pending.append(buf, static_cast<size_t>(n));
        for (size_t eol; (eol = pending.find('\n')) != std::string::npos; pending.erase(0, eol + 1))
          emit(std::string_view(pending).substr(0, eol + 1));
      }
    }
    if (!exited) exited = ::waitpid(pid, &status, WNOHANG) == pid;
  }
  if (!pending.empty()) emit(pending);
  std::fflush(stderr);
  if (!exited)
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  attempt.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return attempt;
}

Attempt runOnce(std::vector<char*>& args, bool passVirtualErrors) {
  int err[2], out[2] = {-1, -1};
  const bool relayOutput = !::isatty(1);
  if (::pipe2(err, O_CLOEXEC) != 0 || (relayOutput && ::pipe2(out, O_CLOEXEC) != 0))
    throw hc::sut::WineError("pipe2 failed");
  const pid_t pid = ::fork();
  if (pid < 0) throw hc::sut::WineError("fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // killed with us, never orphaned
    ::dup2(err[1], 2);
    if (relayOutput) ::dup2(out[1], 1);
    ::execv(args[0], args.data());
    std::fprintf(stderr, "hc-wine: cannot execute %s\n", args[0]);
    ::_exit(127);
  }
  ::close(err[1]);
  if (relayOutput) ::close(out[1]);
  for (int fd : {err[0], out[0]})
    if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  runningChild = pid;
  Attempt attempt = relayUntilExit(pid, out[0], err[0], passVirtualErrors);
  runningChild = 0;
  ::close(err[0]);
  if (relayOutput)
    ::close(out[0]);
  else
    attempt.wroteOutput = true;  // unknown at a terminal: never started again
  return attempt;
}

int runUnderWine(const hc::sut::WineSetup& setup, std::vector<std::string> argv) {
  for (const auto& [k, v] : hc::sut::wineEnvironment(setup)) ::setenv(k.c_str(), v.c_str(), 1);
  // A test that wants Wine's own account of a failed run (its err: lines)
  // asks for them here; the default stays WINEDEBUG=-all.
  const char* asked = std::getenv("HANDLECHECK_WINEDEBUG");
  const std::string debug = asked ? asked : "-all";
  ::setenv("WINEDEBUG", (debug + ",err+virtual").c_str(), 1);
  const bool passVirtualErrors =
      debug.find("+all") != std::string::npos || debug.find("virtual") != std::string::npos;
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, forwardSignal);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  for (int attempt = 1;; ++attempt) {
    const Attempt run = runOnce(args, passVirtualErrors);
    if (!run.neverStarted()) return run.status;
    if (attempt == kStartAttempts) {
      std::fprintf(stderr, "hc-wine: Wine failed to start %s %d times (%s)\n", args[1],
                   kStartAttempts, kStartFailure);
      return 3;
    }
    std::fprintf(stderr, "hc-wine: warning: Wine failed to start %s (%s); starting it again\n",
                 args[1], kStartFailure);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string command = argv[1];
  if (command == "--help" || command == "-h") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  try {
    const auto setup = hc::sut::locateWine(hc::sut::executableDir());
    if (command == "where") {
      std::printf("wine: %s\nwineserver: %s\nprefix: %s\n", setup.wine.c_str(),
                  setup.wineserver.c_str(), setup.prefix.c_str());
      return 0;
    }
    if (command == "init") {
      hc::sut::checkWine(setup);
      hc::sut::initPrefix(setup);
      hc::sut::startServer(setup);
      std::printf("hc-wine: prefix %s ready, wineserver %s persistent\n", setup.prefix.c_str(),
                  setup.wineserver.c_str());
      return 0;
    }
    if (command == "stop") {
      hc::sut::stopServer(setup);
      std::printf("hc-wine: wineserver of %s stopped\n", setup.prefix.c_str());
      return 0;
    }
    if (command == "run" && argc >= 3) {
      hc::sut::initPrefix(setup);
      return runUnderWine(
          setup,
          hc::sut::wineCommand(setup, argv[2], std::vector<std::string>(argv + 3, argv + argc)));
    }
  } catch (const hc::sut::WineError& e) {
    std::fprintf(stderr, "hc-wine: %s\n", e.what());
    return 3;
  }
  std::fputs(kUsage, stderr);
  return 2;
}
