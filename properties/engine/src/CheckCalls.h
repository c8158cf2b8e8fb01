#pragma once
// A scenario expectation as a call of the reproducers' check library
// (sut/win32/ReproChecks.h), one line of C each: what both reproducer
// generators (Reproducer.cpp, StraightLine.cpp) write for it.
#include <string>

#include "handlecheck/scenario/Scenario.h"

namespace hc::engine::detail {

// A check of what the call returned (`struct hc_call c`): ok, error=,
// already-exists, data=, exitcode=, avail=, instances=, attribute-list-size=; "" for any other
// expectation.
std::string callCheck(const scenario::Expect&);

// `value=`: the std slot's value the call returned (c.handle) is `want`, a
// C expression the generator resolves from the expectation's text.
std::string valueCheck(const scenario::Expect&, const std::string& want);

// A check of the handle `subject` (a C expression): valid, invalid, the
// flags, count=, count>=, type=, messages=; "" for any other expectation
// (same= needs the generator's own name for the other handle).
std::string handleCheck(const scenario::Expect&, const std::string& subject);

}  // namespace hc::engine::detail
