#pragma once
// The Wine-style test writer (WineTest.cpp) behind writeWineTest.
#include <optional>
#include <string>

#include "handlecheck/engine/Reproducer.h"
#include "handlecheck/scenario/Scenario.h"

namespace hc::engine::detail {

// The test's text, or nothing when the scenario is outside its shape (a
// child that spawns, a `same=` expectation, a handle checked in a process
// other than P0 and the step's own).
std::optional<std::string> writeWineStyle(const scenario::Scenario&, const ReproOptions&);

}  // namespace hc::engine::detail
