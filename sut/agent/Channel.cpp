#include "Channel.h"

namespace hc::agent {
namespace {

bool isClosed(DWORD error) {
  return error == ERROR_BROKEN_PIPE || error == ERROR_NO_DATA ||
         error == ERROR_PIPE_NOT_CONNECTED || error == ERROR_HANDLE_EOF;
}

DWORD remaining(ULONGLONG deadline) {
  if (deadline == ~0ULL) return INFINITE;
  const ULONGLONG now = GetTickCount64();
  return now >= deadline ? 0 : static_cast<DWORD>(deadline - now);
}

}  // namespace

Channel::Channel(HANDLE read, HANDLE write, bool overlapped)
    : read_(read), write_(write), overlapped_(overlapped) {
  if (overlapped_) event_ = CreateEventW(nullptr, TRUE, FALSE, nullptr);
}

Channel::~Channel() {
  if (event_) CloseHandle(event_);
}

// One ReadFile/WriteFile. Overlapped: waits at most timeoutMs, then cancels
// the I/O and waits for the cancellation so the buffer is free again.
Channel::Status Channel::transfer(HANDLE h, bool write, char* buf, DWORD size, DWORD& done,
                                  DWORD timeoutMs) {
  done = 0;
  if (!overlapped_) {
    const BOOL ok =
        write ? WriteFile(h, buf, size, &done, nullptr) : ReadFile(h, buf, size, &done, nullptr);
    if (ok) return Status::Ok;
    error_ = GetLastError();
    return isClosed(error_) ? Status::Closed : Status::Error;
  }
  // No ResetEvent: ReadFile/WriteFile reset ov.hEvent when the I/O starts.
  // GetOverlappedResultEx waits and collects in one call (each call is a
  // wineserver round trip under Wine, and this is the hub's hot path).
  OVERLAPPED ov{};
  ov.hEvent = event_;
  const BOOL started =
      write ? WriteFile(h, buf, size, nullptr, &ov) : ReadFile(h, buf, size, nullptr, &ov);
  if (!started && GetLastError() != ERROR_IO_PENDING) {
    error_ = GetLastError();
    return isClosed(error_) ? Status::Closed : Status::Error;
  }
  if (!GetOverlappedResultEx(h, &ov, &done, started ? 0 : timeoutMs, FALSE)) {
    const DWORD error = GetLastError();
    if (error == WAIT_TIMEOUT) {
      CancelIoEx(h, &ov);
      GetOverlappedResult(h, &ov, &done, TRUE);  // the buffer is ours again only once cancelled
      return Status::Timeout;
    }
    error_ = error;
    return isClosed(error_) ? Status::Closed : Status::Error;
  }
  return Status::Ok;
}

Channel::Status Channel::readLine(std::string& line, DWORD timeoutMs) {
  const ULONGLONG deadline = timeoutMs == INFINITE ? ~0ULL : GetTickCount64() + timeoutMs;
  for (;;) {
    if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
      line.assign(buffer_, 0, nl);
      buffer_.erase(0, nl + 1);
      return Status::Ok;
    }
    char chunk[4096];
    DWORD got = 0;
    const Status s = transfer(read_, false, chunk, sizeof chunk, got, remaining(deadline));
    if (s != Status::Ok) return s;
    if (got == 0) {  // end of file on an anonymous pipe or a file
      error_ = ERROR_HANDLE_EOF;
      return Status::Closed;
    }
    buffer_.append(chunk, got);
  }
}

Channel::Status Channel::writeLine(const std::string& line, DWORD timeoutMs) {
  const ULONGLONG deadline = timeoutMs == INFINITE ? ~0ULL : GetTickCount64() + timeoutMs;
  std::string rest = line;
  while (!rest.empty()) {
    DWORD put = 0;
    const Status s = transfer(write_, true, rest.data(), static_cast<DWORD>(rest.size()), put,
                              remaining(deadline));
    if (s != Status::Ok) return s;
    rest.erase(0, put);
  }
  return Status::Ok;
}

}  // namespace hc::agent
