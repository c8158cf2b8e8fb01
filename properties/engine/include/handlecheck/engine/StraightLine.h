#pragma once
// Reproducers a person reads: a scenario whose every step runs in P0 and
// spawns nothing becomes straight-line Win32 calls, each followed by its
// expectations, in two flavours: a standalone C program (prints "line N:
// STEP: expected X, got Y", exits 1 on a departure) and a test in the
// conventions of Wine's conformance tests (#include "wine/test.h", ok(),
// START_TEST(handlecheck)). Scenarios that span processes keep the
// multi-process reproducer (Reproducer.h). `line N` is the step's number,
// reproLine (Reproducer.h), as there.
#include <optional>
#include <string>

#include "handlecheck/engine/Reproducer.h"
#include "handlecheck/scenario/Scenario.h"

namespace hc::engine {

enum class Flavour { Standalone, WineTest };

// The program's text, or nothing when the scenario spans processes (or
// uses a step only the multi-process runtime performs).
std::optional<std::string> writeStraightLine(const scenario::Scenario&, const ReproOptions&,
                                             Flavour);

}  // namespace hc::engine
