#pragma once
// A standalone C++ reproducer for a scenario: one self-contained
// .cpp that needs only <windows.h> (and <stdio.h>, <string.h>), builds with
// MinGW-w64 (`x86_64-w64-mingw32-g++ -static repro.cpp -o repro.exe`) and with
// MSVC (`cl /EHsc repro.cpp`), performs the scenario's steps for real across
// real processes and checks every expectation, the way a Wine conformance test
// would. It is the file one attaches to a Wine bug.
//
// The program prints one line per step, "line N: <step>: ok" or
// "line N: <step>: expected X, got Y", and exits 0 when every expectation
// holds, 1 when the system departs from one, 2 on harness trouble (a process
// that does not start or answer, a call that would block).
#include <string>
#include <vector>

#include "handlecheck/scenario/Scenario.h"

namespace hc::engine {

struct ReproOptions {
  std::string title;               // first comment line; default names the scenario file
  std::vector<std::string> notes;  // more comment lines: seed, RapidCheck reproduce string, profile
  int divergingLine = 0;           // the line where the model and the system part (marked), 0: none
  unsigned stepTimeoutMs = 10000;  // a step (or a child's start) taking longer is harness trouble
};

// The reproducer's source text. Throws std::invalid_argument for a scenario
// that cannot run as written (an unknown process label or handle name, a
// process label spawned twice, a step no scenario line can spell).
// The number a reproducer gives a step ("line N"): its line in the scenario
// file, else (a scenario made in memory) its 1-based position.
int reproLine(const scenario::Step&, std::size_t index);

std::string writeReproducer(const scenario::Scenario& scenario, const ReproOptions& options = {});

// The scenario as a test in the conventions of Wine's conformance tests (a
// `.wine.c`, C, `#include "wine/test.h"`, START_TEST(handlecheck)): the
// straight-line flavour (StraightLine.h) when the scenario stays in one
// process, else the runtime above with the test as its coordinator, each
// scenario process the test started again, and one ok() per step in the
// test. Throws as writeReproducer does.
std::string writeWineTest(const scenario::Scenario& scenario, const ReproOptions& options = {});

}  // namespace hc::engine
