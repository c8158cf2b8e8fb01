#pragma once
// A scenario step as the Win32 call it stands for, for traces and for
// rc::state's show(): a shrunk counterexample reads like an API log.
#include <string>

#include "Protocol.h"
#include "handlecheck/scenario/Scenario.h"

namespace hc::props {

// e.g. `C1: DuplicateHandle(GetCurrentProcess(), H1, hP0, &H2, 0, TRUE, DUPLICATE_SAME_ACCESS)`
std::string win32Call(const scenario::Step&);

}  // namespace hc::props
