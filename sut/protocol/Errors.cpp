// The error-name table of Errors.h.
#include "Errors.h"

namespace hc::proto {
namespace {

// winerror.h values of the errors a handle scenario can meet (SPEC 5-28).
constexpr ErrorName kErrors[] = {
    {"ERROR_SUCCESS", 0},
    {"ERROR_FILE_NOT_FOUND", 2},
    {"ERROR_PATH_NOT_FOUND", 3},
    {"ERROR_ACCESS_DENIED", 5},
    {"ERROR_INVALID_HANDLE", 6},
    {"ERROR_NOT_ENOUGH_MEMORY", 8},
    {"ERROR_INVALID_ACCESS", 12},
    {"ERROR_SHARING_VIOLATION", 32},
    {"ERROR_HANDLE_EOF", 38},
    {"ERROR_NOT_SUPPORTED", 50},
    {"ERROR_FILE_EXISTS", 80},
    {"ERROR_INVALID_PARAMETER", 87},
    {"ERROR_BROKEN_PIPE", 109},
    {"ERROR_CALL_NOT_IMPLEMENTED", 120},
    {"ERROR_SEM_TIMEOUT", 121},
    {"ERROR_INSUFFICIENT_BUFFER", 122},
    {"ERROR_INVALID_NAME", 123},
    {"ERROR_ALREADY_EXISTS", 183},
    {"ERROR_BAD_PIPE", 230},
    {"ERROR_PIPE_BUSY", 231},
    {"ERROR_NO_DATA", 232},
    {"ERROR_PIPE_NOT_CONNECTED", 233},
    {"ERROR_MORE_DATA", 234},
    {"WAIT_TIMEOUT", 258},
    {"ERROR_NOT_OWNER", 288},
    {"ERROR_PARTIAL_COPY", 299},
    {"ERROR_NOACCESS", 998},
    {"ERROR_INVALID_FLAGS", 1004},
    {"ERROR_INTERNAL_ERROR", 1359},
};

}  // namespace

std::span<const ErrorName> errorNames() { return kErrors; }

std::string_view errorName(std::uint32_t code) {
  for (const ErrorName& e : kErrors)
    if (e.code == code) return e.name;
  return {};
}

std::optional<std::uint32_t> errorCode(std::string_view name) {
  for (const ErrorName& e : kErrors)
    if (e.name == name) return e.code;
  return std::nullopt;
}

}  // namespace hc::proto
