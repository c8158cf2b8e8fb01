#pragma once
// One protocol message a line over a pipe: the hub's stdin/stdout towards the
// driver, the hub's end of each agent pipe, and the agent's end of its pipe.
#include <string>

#include "Win32.h"

namespace hc::agent {

class Channel {
 public:
  enum class Status { Ok, Closed, Timeout, Error };

  // `overlapped`: both handles were opened with FILE_FLAG_OVERLAPPED, so reads
  // and writes honour their timeout. The channel does not own the handles.
  Channel(HANDLE read, HANDLE write, bool overlapped);
  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // Reads one line without its '\n'. Closed: end of file or broken pipe.
  Status readLine(std::string& line, DWORD timeoutMs = INFINITE);
  // Writes `line` as is (it ends with '\n').
  Status writeLine(const std::string& line, DWORD timeoutMs = INFINITE);
  // The Win32 error behind the last Closed or Error.
  DWORD lastError() const { return error_; }

 private:
  Status transfer(HANDLE h, bool write, char* buf, DWORD size, DWORD& done, DWORD timeoutMs);

  HANDLE read_;
  HANDLE write_;
  bool overlapped_;
  HANDLE event_ = nullptr;
  std::string buffer_;  // bytes read past the last line
  DWORD error_ = 0;
};

}  // namespace hc::agent
