#pragma once
// An flock on a file beside a prefix (POSIX): serialises making a prefix
// between processes (ctest -j), and marks a lane as taken while a backend
// uses it. The lock ends with the object, or with the process.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>

#include "handlecheck/sut/WineRunner.h"

namespace hc::sut {

class FileLock {
 public:
  enum class Mode { Wait, Try };
  // Wait: blocks until the lock is ours. Try: held() tells whether it is.
  // Throws WineError when the file cannot be made or locked.
  FileLock(const std::filesystem::path& file, Mode mode) {
    std::filesystem::create_directories(file.parent_path());
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw WineError("cannot open " + file.string() + ": " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | (mode == Mode::Try ? LOCK_NB : 0)) == 0) return;
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    if (mode == Mode::Wait || error != EWOULDBLOCK)
      throw WineError("cannot lock " + file.string() + ": " + std::strerror(error));
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool held() const { return fd_ >= 0; }
  // The descriptor, kept open by the caller from now on (closing it unlocks).
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_ = -1;
};

// A prefix's path without a trailing separator: its neighbours (locks,
// lane copies) are named after its last component.
inline std::filesystem::path prefixPath(const std::filesystem::path& prefix) {
  std::filesystem::path p = prefix.lexically_normal();
  return p.has_filename() ? p : p.parent_path();
}

// A file or directory beside the prefix: `<prefix><suffix>`.
inline std::filesystem::path besidePrefix(const std::filesystem::path& prefix,
                                          const std::string& suffix) {
  const std::filesystem::path p = prefixPath(prefix);
  return p.parent_path() / (p.filename().string() + suffix);
}

// The file whose presence says a prefix is made (wineboot writes it last).
inline std::filesystem::path prefixMarker(const std::filesystem::path& prefix) {
  return prefix / "system.reg";
}

// `<prefix>.lock`: held while the prefix is being made.
inline std::filesystem::path creationLock(const std::filesystem::path& prefix) {
  return besidePrefix(prefix, ".lock");
}

}  // namespace hc::sut
