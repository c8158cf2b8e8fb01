#pragma once
// Win32 error names (winerror.h) of the errors a handle scenario can meet, as
// the protocol spells them: the model's error table (handlecheck/model/Errors.h),
// which the model predicts with and this header only brings into hc::proto.
#include <cstdint>
#include <span>

#include "handlecheck/model/Errors.h"

namespace hc::proto {

using model::win32::ErrorName;
// "ERROR_INVALID_HANDLE" for 6; "" for a code the table does not name.
using model::win32::errorCode;
using model::win32::errorName;

inline std::span<const ErrorName> errorNames() {
  return model::win32::kErrorNames;
}

}  // namespace hc::proto
