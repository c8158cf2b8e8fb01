#pragma once
// Pinning a process (and what it starts) to one CPU (Linux).
#include <sched.h>
#include <sys/types.h>

namespace hc::sut {

// Runs thread or process `tid` (0: the caller) on `cpu` only; false when
// the system refuses. Async-signal-safe (a child between fork and exec).
inline bool pinToCpu(pid_t tid, int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return ::sched_setaffinity(tid, sizeof set, &set) == 0;
}

}  // namespace hc::sut
