#pragma once
// How a Win32 result and a HandleCount read in every message, report and
// scenario line: one definition each (handle values: proto::hex; error
// names: proto::errorName).
#include <cstdint>
#include <string>

#include "Protocol.h"

namespace hc::engine {

// "ERROR_INVALID_HANDLE", or the decimal code when the name is unknown.
std::string errorText(std::uint32_t code);
// "ok", "ok, already-exists" or "error=ERROR_INVALID_HANDLE".
std::string outcomeText(const proto::Reply&);
// SPEC 78: what a spawn's sizing call said, "attribute-list-size=48" when it
// failed with ERROR_INSUFFICIENT_BUFFER, else "size 48 with ok" / "size 0
// with error=ERROR_INVALID_PARAMETER"; "(none)" when no sizing call was made.
std::string sizingText(const proto::Reply&);
// SPEC 29: a real process or thread object's HandleCount includes handles
// the system holds itself, so it is only a lower bound for the model's.
bool countIsLowerBound(const proto::Observation&);
// The least HandleCount the model's observation allows: its count less the
// copies console hosts may have let go of unobserved (Observation::mayDrop).
std::uint32_t leastHandleCount(const proto::Observation&);

}  // namespace hc::engine
