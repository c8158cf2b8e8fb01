#pragma once
// A lane: where one worker of a campaign runs its Wine processes. A
// wineserver is one thread that serves every process of its prefix, and
// every Wine call that reaches the kernel is a round trip to it. Two trees
// on one server wake each other across CPUs for every call: on two cores
// that costs more than the second core gives. A lane has a CPU of its own,
// a copy of the prefix and that copy's own wineserver; the server and every
// process of the tree run on the lane's CPU. The copy is the prefix's
// configuration at the time it was made: delete `<prefix>-cpu<N>` to make
// it again.
#include <filesystem>
#include <vector>

#include "handlecheck/sut/WineRunner.h"

namespace hc::sut {

// A worker's claim on a lane's CPU, without its prefix or server: the first
// CPU, counting on from the worker's own (its index modulo the CPUs this
// process may use), whose lane nobody else claims (an flock on
// `<lane prefix>.in-use`, also across processes); when every lane is
// claimed, the worker's own, shared.
class LaneClaim {
 public:
  LaneClaim(const std::filesystem::path& prefix, int worker);  // throws WineError
  ~LaneClaim();                                                // gives the lane up
  LaneClaim(const LaneClaim&) = delete;
  LaneClaim& operator=(const LaneClaim&) = delete;

  int cpu() const { return cpu_; }
  bool shared() const { return held_ < 0; }
  const std::filesystem::path& prefix() const { return prefix_; }  // `<prefix>-cpu<N>`

 private:
  int cpu_ = -1;
  int held_ = -1;  // the lock's descriptor
  std::filesystem::path prefix_;
};

class WineLane {
 public:
  // Worker `worker`'s lane (LaneClaim). The prefix copy is made once from
  // `base.prefix` (which must exist; copyPrefix), and the lane's server is
  // started on its CPU, lingering `linger` after its last process. Throws
  // WineError.
  WineLane(const WineSetup& base, int worker, std::chrono::seconds linger);

  const WineSetup& setup() const { return setup_; }  // WINEPREFIX: the lane's copy
  int cpu() const { return claim_.cpu(); }

 private:
  LaneClaim claim_;
  WineSetup setup_;
};

// The CPUs this process may run on (its affinity when first asked), in order.
std::vector<int> usableCpus();

// Copies the prefix `from` to `to` once (hard links, registry files and
// other top-level files copied), under `to`'s lock; a no-op when `to` is a
// prefix already. Throws WineError.
void copyPrefix(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace hc::sut
