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
#include <map>
#include <set>
#include <string>
#include <vector>

#include "handlecheck/model/Profile.h"
#include "handlecheck/scenario/Scenario.h"

namespace hc::engine {

struct ReproOptions {
  std::string title;               // first comment line; default names the scenario file
  std::vector<std::string> notes;  // more comment lines: seed, RapidCheck reproduce string, profile
  int divergingLine = 0;           // the line where the model and the system part (marked), 0: none
  unsigned stepTimeoutMs = 10000;  // a step (or a child's start) taking longer is harness trouble
  // A scenario with parallel blocks runs this many times (REPRO_RUNS in the
  // environment overrides it), each afresh, until a run departs.
  int blockRuns = 100;
  // The Wine-style test: its START_TEST name (default: the scenario file's
  // stem), and the expectations (expectText) the system is known not to
  // meet, by step line: each becomes a todo_wine ok(), under a comment of
  // departureNote's lines (the rule and its Windows evidence).
  std::string testName;
  std::map<int, std::set<std::string>> departures;
  std::vector<std::string> departureNote;
};

// The reproducer's source text. Throws std::invalid_argument for a scenario
// that cannot run as written (an unknown process label or handle name, a
// process label spawned twice, a step no scenario line can spell).
// The number a reproducer gives a step ("line N"): its line in the scenario
// file, else (a scenario made in memory) its 1-based position.
int reproLine(const scenario::Step&, std::size_t index);

std::string writeReproducer(const scenario::Scenario& scenario, const ReproOptions& options = {});

// The scenario as a test in the conventions of Wine's conformance tests (a
// `.wine.c`, C, `#include "wine/test.h"`, START_TEST(<testName>)): straight-line
// Win32 calls per process, one ok() per expectation, the known departures
// (ReproOptions::departures) todo_wine, children started as Wine's
// process.c starts them. A scenario outside that shape (WineTest.h) gets
// the runtime above with the test as its coordinator. Throws as
// writeReproducer does.
std::string writeWineTest(const scenario::Scenario& scenario, const ReproOptions& options = {});

// ReproOptions::departures of a scenario and the system's outcome of the
// same steps (`observed`, step for step): the expectations of `predicted`
// that `observed` does not share, by reproLine.
std::map<int, std::set<std::string>> departuresBetween(const scenario::Scenario& predicted,
                                                       const scenario::Scenario& observed);
// ReproOptions::departures of a scenario on a model profile (the wine
// profile: what Wine is known to do): the expectations it fails, by reproLine.
std::map<int, std::set<std::string>> departuresOn(const scenario::Scenario&, model::Profile);
// ReproOptions::departureNote for known quirks: each one's SPEC rule, what
// Wine does instead, and the evidence that Windows follows the rule.
std::vector<std::string> departureNote(const std::vector<const model::Quirk*>& quirks);

}  // namespace hc::engine
