#pragma once
// A child process we talk to by lines: its stdin and stdout are pipes to us,
// its stderr is kept (the last few KiB, POSIX) for error messages. On POSIX it
// runs in its own process group, and kill() takes the whole group down; a
// SIGINT/SIGTERM/SIGHUP that reaches us kills every live group first (when
// the application left those signals at their default). On Windows it runs
// in a kill-on-close Job, so it dies with us.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hc::sut {

class Subprocess {
 public:
  using Environment = std::vector<std::pair<std::string, std::string>>;
  enum class Read { Line, Closed, Timeout, TooLong };
  // The longest line readLine() accepts: far above any reply (a 4 KiB read,
  // percent-encoded, and the observations), far below what hurts the host.
  static constexpr std::size_t kMaxLine = std::size_t{1} << 20;

  // Starts argv[0] (a path, not searched) with our environment plus `extra`.
  // Strings are UTF-8 (on Windows, paths reach CreateProcessW as UTF-16).
  // cpu >= 0 (POSIX): the child, and what it starts, runs on that CPU only.
  // Throws BackendFailure when it cannot be started.
  Subprocess(const std::vector<std::string>& argv, const Environment& extra, int cpu = -1);
  ~Subprocess();  // kill()
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  // false when the child no longer reads (it exited or closed stdin).
  bool write(std::string_view data);
  // One line without '\n'. Closed: the child closed stdout or exited.
  // TooLong: kMaxLine bytes came without a '\n' (the rest is not read).
  // A zero timeout still takes what is already there.
  Read readLine(std::string& line, std::chrono::milliseconds timeout);
  // Waits up to `timeout` for the child to exit by itself; true when it did.
  bool waitExit(std::chrono::milliseconds timeout);
  // Kills the child (and on POSIX its process group) and reaps it. Idempotent.
  void kill();

  long pid() const;
  // "exit code N" / "killed by signal N" / "still running".
  std::string status();
  std::string stderrTail();  // what the child wrote to stderr, last few KiB

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

#ifndef _WIN32
// Our environment with `extra` set over it, as "KEY=VALUE" strings, for an
// execve after fork (POSIX: the child of a threaded process may only make
// async-signal-safe calls, so everything it needs is made before fork).
std::vector<std::string> environmentWith(const Subprocess::Environment& extra);
#endif

}  // namespace hc::sut
