// Running hc-bench-probe.exe and parsing its lines (see Probe.h).
#include "Probe.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <utility>

#include "handlecheck/sut/WineRunner.h"

#ifndef _WIN32
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#endif

namespace hc::bench {
namespace fs = std::filesystem;

namespace {

fs::path probePath() {
  const fs::path exe = sut::executableDir() / "hc-bench-probe.exe";
  if (!fs::exists(exe))
    throw ProbeError("no " + exe.string() + ": build it (the win32 target, sut/agent)");
  return exe;
}

std::string joined(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) s += (s.empty() ? "" : " ") + a;
  return s;
}

std::vector<std::string> splitLines(std::istream& in) {
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// The probe's own `error CALL CODE` line, if it printed one.
std::string errorLine(const std::vector<std::string>& lines) {
  for (const auto& l : lines)
    if (l.rfind("error ", 0) == 0) return l;
  return {};
}

#ifdef _WIN32

// Natively: the probe is an ordinary executable beside this one.
std::pair<int, std::vector<std::string>> execute(const std::vector<std::string>& args) {
  std::string command = "\"\"" + probePath().string() + "\" " + joined(args) + "\"";
  FILE* pipe = _popen(command.c_str(), "r");
  if (pipe == nullptr) throw ProbeError("cannot run " + command);
  std::string out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  const int status = _pclose(pipe);
  std::istringstream in(out);
  return {status, splitLines(in)};
}

#else

const sut::WineSetup& wine() {
  static const sut::WineSetup setup = [] {
    sut::WineSetup s = sut::locateWine(sut::executableDir());
    sut::checkWine(s);
    sut::initPrefix(s);
    sut::startServer(s);
    return s;
  }();
  return setup;
}

// Under Wine. Output goes to a file, not a pipe: a Wine helper process
// (services.exe, explorer.exe) started by the first run may keep a pipe's
// write end open long after the probe exits.
std::pair<int, std::vector<std::string>> execute(const std::vector<std::string>& args) {
  const sut::WineSetup& setup = wine();
  const std::vector<std::string> argv = sut::wineCommand(setup, probePath(), args);
  static int counter = 0;
  const fs::path outFile =
      fs::temp_directory_path() /
      ("hc-bench-probe-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".out");
  const pid_t pid = ::fork();
  if (pid < 0) throw ProbeError(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    for (const auto& [k, v] : sut::wineEnvironment(setup)) ::setenv(k.c_str(), v.c_str(), 1);
    const int out = ::open(outFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int in = ::open("/dev/null", O_RDONLY);
    if (out < 0 || in < 0) ::_exit(126);
    ::dup2(out, 1);
    ::dup2(in, 0);
    std::vector<char*> cargs;
    for (const auto& a : argv) cargs.push_back(const_cast<char*>(a.c_str()));
    cargs.push_back(nullptr);
    ::execv(cargs[0], cargs.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::ifstream in(outFile);
  std::vector<std::string> lines = splitLines(in);
  in.close();
  std::error_code ec;
  fs::remove(outFile, ec);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), std::move(lines)};
}

#endif

}  // namespace

std::vector<std::string> runProbe(const std::vector<std::string>& args) {
  auto [status, lines] = execute(args);
  if (status != 0) {
    const std::string error = errorLine(lines);
    throw ProbeError("hc-bench-probe " + joined(args) + " exited with " + std::to_string(status) +
                     (error.empty() ? "" : ": " + error));
  }
  return lines;
}

ProbeSamples::ProbeSamples(std::vector<std::string> args, std::size_t batch)
    : args_(std::move(args)), batch_(batch) {}

void ProbeSamples::refill() {
  std::vector<std::string> args = args_;
  args.push_back(std::to_string(batch_));
  for (const std::string& line : runProbe(args)) {
    if (line.rfind("check ", 0) == 0) {
      checks_.push_back(line);
      continue;
    }
    // "<tag words> <N> <ns>"
    const std::size_t lastSpace = line.rfind(' ');
    const std::size_t nSpace =
        lastSpace == std::string::npos ? lastSpace : line.rfind(' ', lastSpace - 1);
    if (nSpace == std::string::npos) throw ProbeError("hc-bench-probe: unreadable line: " + line);
    samples_[line.substr(0, nSpace)].push_back(std::stod(line.substr(lastSpace + 1)));
  }
}

std::vector<double> ProbeSamples::take(const std::string& tag, std::size_t count) {
  for (int attempt = 0; samples_[tag].size() - next_[tag] < count; ++attempt) {
    if (attempt == 3)
      throw ProbeError("hc-bench-probe " + joined(args_) + " printed no `" + tag + "` lines");
    refill();
  }
  const auto& all = samples_[tag];
  const auto first = all.begin() + static_cast<std::ptrdiff_t>(next_[tag]);
  next_[tag] += count;
  return {first, first + static_cast<std::ptrdiff_t>(count)};
}

ProbeSamples& probeSamples(const std::vector<std::string>& args, std::size_t batch) {
  static std::mutex mutex;
  static std::map<std::vector<std::string>, std::unique_ptr<ProbeSamples>> cache;
  const std::lock_guard<std::mutex> lock(mutex);
  auto& slot = cache[args];
  if (!slot) slot = std::make_unique<ProbeSamples>(args, batch);
  return *slot;
}

void ProbeFixture::SetUp(benchmark::State& state) {
  ns_.clear();
  try {
    ProbeSamples& samples = probeSamples(probeArgs(state), batch());
    ns_ = samples.take(tag(), static_cast<std::size_t>(state.max_iterations));
    checks_ = &samples.checks();
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

void ProbeFixture::run(benchmark::State& state) {
  std::size_t k = 0;
  for (auto _ : state) state.SetIterationTime(ns_[k++] * 1e-9);
  state.SetItemsProcessed(state.iterations());
  // The fastest sample: what the call costs when the machine's load does not
  // delay the wineserver round trip (the time is the mean, load included).
  if (!ns_.empty()) state.counters["min_ns"] = *std::min_element(ns_.begin(), ns_.end());
}

}  // namespace hc::bench
