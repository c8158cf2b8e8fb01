#pragma once
// UTF-8 (wire) <-> UTF-16 (Win32 W functions), and proto::Handle <-> HANDLE.
#include <cstdint>
#include <string>
#include <string_view>

#include "Protocol.h"
#include "Win32.h"

namespace hc::agent {

inline std::wstring widen(std::string_view utf8) {
  if (utf8.empty()) return {};
  const int n =
      MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
  std::wstring out(static_cast<std::size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), out.data(), n);
  return out;
}

inline std::string narrow(std::wstring_view utf16) {
  if (utf16.empty()) return {};
  const int n = WideCharToMultiByte(CP_UTF8, 0, utf16.data(), static_cast<int>(utf16.size()),
                                    nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<std::size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, utf16.data(), static_cast<int>(utf16.size()), out.data(), n,
                      nullptr, nullptr);
  return out;
}

inline HANDLE toHandle(proto::Handle h) {
  return reinterpret_cast<HANDLE>(static_cast<std::uintptr_t>(h));
}
inline proto::Handle fromHandle(HANDLE h) {
  return static_cast<proto::Handle>(reinterpret_cast<std::uintptr_t>(h));
}

}  // namespace hc::agent
