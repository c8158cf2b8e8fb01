#pragma once
// Helpers for the Wine tests of the real backend: a private copy of the agent
// per test (so leftover processes of *this* test can be found by path even
// while other runs use Wine), request builders, and the no-orphan check.
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "Protocol.h"
#include "handlecheck/sut/RealBackend.h"
#include "handlecheck/sut/WineRunner.h"

namespace hc::sut::test {

// <tmp>/hc-wt-<pid>-<n>/hc-agent.exe: the directory name marks our processes
// (the wine loader shows it as a Unix path, the agents as Z:\...\).
class PrivateAgent {
 public:
  PrivateAgent() {
    static std::atomic<int> counter{0};
    token_ = "hc-wt-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    dir_ = std::filesystem::temp_directory_path() / token_;
    std::filesystem::create_directories(dir_);
    std::filesystem::copy_file(executableDir() / "hc-agent.exe", path(),
                               std::filesystem::copy_options::overwrite_existing);
  }
  ~PrivateAgent() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::filesystem::path path() const { return dir_ / "hc-agent.exe"; }
  const std::string& token() const { return token_; }

 private:
  std::string token_;
  std::filesystem::path dir_;
};

// The contents of a /proc file; "" when the process is gone (libstdc++'s
// filebuf throws when a read fails with ESRCH, so no ifstream here).
inline std::string procFile(const std::string& path) {
  std::string text;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return text;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
    text.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return text;
}

// Live (not zombie) processes whose command line mentions `token`.
inline std::vector<std::string> livingProcesses(const std::string& token) {
  std::vector<std::string> found;
  DIR* proc = ::opendir("/proc");
  if (!proc) return found;
  while (const dirent* e = ::readdir(proc)) {
    const std::string pid = e->d_name;
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmd = procFile("/proc/" + pid + "/cmdline");
    if (cmd.find(token) == std::string::npos) continue;
    const std::string stat = procFile("/proc/" + pid + "/stat");
    const auto close = stat.rfind(')');
    if (close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z') continue;
    for (char& c : cmd)
      if (c == '\0') c = ' ';
    found.push_back(pid + ": " + cmd);
  }
  ::closedir(proc);
  return found;
}

// Waits up to 5 s for every process of `token` to be gone; returns the rest.
inline std::vector<std::string> leftoverProcesses(const std::string& token) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::vector<std::string> left = livingProcesses(token);
  while (!left.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    left = livingProcesses(token);
  }
  return left;
}

inline std::unique_ptr<Backend> startWine(
    const PrivateAgent& agent, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  RealBackendOptions options;
  options.wine = true;
  options.agent = agent.path();
  options.timeout = timeout;
  return makeRealBackend(options);
}

inline proto::Request request(proto::AgentId process, proto::Op op) {
  proto::Request q;
  q.process = process;
  q.op = op;
  return q;
}

inline proto::Request onHandle(proto::AgentId process, proto::Op op, proto::Handle h) {
  proto::Request q = request(process, op);
  q.handle = h;
  q.observe = {h};
  return q;
}

inline proto::Request spawn(proto::AgentId parent, proto::AgentId child, bool inherit) {
  proto::Request q = request(parent, proto::Op::Spawn);
  q.target = child;
  q.spawnInherit = inherit;
  return q;
}

}  // namespace hc::sut::test
