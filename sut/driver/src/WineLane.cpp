// Lanes: a CPU, a copy of the prefix and its own wineserver per worker
// (POSIX; WineRunner.cpp has the Windows stand-ins).
#include "handlecheck/sut/WineLane.h"

#include <sched.h>

#include "FileLock.h"

namespace hc::sut {
namespace fs = std::filesystem;

namespace {

fs::path lanePrefix(const fs::path& prefix, int cpu) {
  return besidePrefix(prefix, "-cpu" + std::to_string(cpu));
}

// `<lane prefix>.in-use`: held by the backend that runs on the lane.
fs::path useLock(const fs::path& lane) {
  return besidePrefix(lane, ".in-use");
}

}  // namespace

std::vector<int> usableCpus() {
  static const std::vector<int> cpus = [] {
    std::vector<int> out;
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) == 0)
      for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
        if (CPU_ISSET(cpu, &set)) out.push_back(cpu);
    if (out.empty()) out.push_back(0);
    return out;
  }();
  return cpus;
}

void copyPrefix(const fs::path& from, const fs::path& to) {
  if (fs::exists(prefixMarker(to))) return;
  const FileLock lock(creationLock(to), FileLock::Mode::Wait);
  if (fs::exists(prefixMarker(to))) return;  // another process made it while we waited
  const fs::path partial = besidePrefix(to, ".partial");
  std::error_code ec;
  fs::remove_all(partial, ec);
  fs::copy(from, partial,
           fs::copy_options::recursive | fs::copy_options::copy_symlinks |
               fs::copy_options::create_hard_links,
           ec);
  // The server rewrites the registry files of its own prefix: each copy gets
  // files of its own, never a link to the original's.
  if (!ec)
    for (const auto& entry : fs::directory_iterator(from, ec)) {
      if (!entry.is_regular_file()) continue;
      const fs::path mine = partial / entry.path().filename();
      fs::remove(mine, ec);
      if (ec || !fs::copy_file(entry.path(), mine, ec)) break;
    }
  if (!ec) fs::rename(partial, to, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove_all(partial, ignored);
    throw WineError("cannot copy the Wine prefix " + from.string() + " to " + to.string() + ": " +
                    ec.message());
  }
}

LaneClaim::LaneClaim(const fs::path& prefix, int worker) {
  const std::vector<int> cpus = usableCpus();
  const std::size_t own = static_cast<std::size_t>(worker) % cpus.size();
  for (std::size_t i = 0; i < cpus.size() && held_ < 0; ++i) {
    FileLock lock(useLock(lanePrefix(prefix, cpus[(own + i) % cpus.size()])), FileLock::Mode::Try);
    if (!lock.held()) continue;
    cpu_ = cpus[(own + i) % cpus.size()];
    held_ = lock.release();
  }
  if (held_ < 0) cpu_ = cpus[own];
  prefix_ = lanePrefix(prefix, cpu_);
}

LaneClaim::~LaneClaim() {
  if (held_ >= 0) ::close(held_);
}

WineLane::WineLane(const WineSetup& base, int worker, std::chrono::seconds linger)
    : claim_(base.prefix, worker), setup_(base) {
  setup_.prefix = claim_.prefix();
  copyPrefix(base.prefix, setup_.prefix);
  keepServer(setup_, linger, claim_.cpu());
}

}  // namespace hc::sut
