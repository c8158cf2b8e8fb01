// handlecheck: the command line. Dispatches to the subcommands (Commands.h)
// and turns CommandLineError into exit status 2.
#include <cstring>
#include <exception>
#include <iostream>
#include <string_view>

#include "Commands.h"

namespace {

constexpr std::string_view kHelp = R"(handlecheck - Win32 handle semantics: a reference model checked against the real system

Usage:
  handlecheck replay FILE... [--backend model|wine|native] [--profile windows|wine]
                             [--format text|json] [--diagram] [--timeout S] [--html FILE]
  handlecheck explain FILE [--profile windows|wine] [--html FILE]
  handlecheck check [--backend wine|native|model] [--profile windows|wine] [--seed S]
                    [--tests N] [--max-steps K] [--max-depth D] [--ops LIST]
                    [--timeout S] [--report FILE.md] [--format text|json] [--out DIR]
                    [--html FILE]
  handlecheck --help

Commands:
  replay    Run each scenario file (.hcs: properties/scenario/README.md) in a fresh world on
            the backend, check every expectation and the automatic invariants
            (handle values non-zero multiples of 4, unique within a process,
            inherited handles open in the child at the parent's value), and
            print per failing step: the line, what was expected, what happened.
  check     The main job: random sequences of create, open, spawn, dup, set,
            close, write/read, exit, terminate and wait across a process tree,
            run on the model (--profile) and on the backend side by side. Every
            distinct divergence is shrunk to a minimal sequence and written to
            --out as a scenario (.hcs, the observed outcomes as expectations,
            the diverging line marked) and a standalone C++ reproducer (.cpp,
            only <windows.h>). `handlecheck check --help` lists its options and
            defaults; --profile windows against Wine is discovery, --profile
            wine is conformance.
  explain   Walk through a scenario on the model: each step, the Win32 call it
            makes, its outcome, and the textbook picture after it.

Options:
  --backend B    model (default): the reference model under --profile;
                 wine: real Win32 agent processes under Wine (Linux);
                 native: real Win32 agent processes (Windows only).
  --profile P    windows (default): the documented semantics (model/RULES.md);
                 wine: windows plus Wine's known quirks. Used by the model only.
  --format F     text (default) or json (schema below), on stdout.
  --diagram      After each step print the handle tables in the textbook style:
                 per process `handle | object` (with the scenario name and the
                 inherit/protect flags), then each kernel object with its kind,
                 name and usage count. On real backends only the named handles
                 are shown, with their NT type and HandleCount.
  --html FILE    Also write one self-contained HTML page (inline CSS and SVG, no
                 script) with the textbook picture drawn: explain after each step,
                 replay at each failing line, check before and after each
                 diverging step, model | real. Differences are marked in red.
  --timeout S    Seconds a real agent may take for one command (default 10);
                 a hung or crashed agent is a backend failure.
  -h, --help     This text.

Results go to stdout; progress notes and error messages to stderr.
Ctrl-C stops after the current step, tears every agent down and prints what ran
(a second Ctrl-C ends at once).

Exit status:
  0    every expectation held (replay, explain); no divergence (check)
  1    an expectation or an automatic invariant failed; divergences found (check)
  2    malformed scenario or bad usage; the message names FILE:LINE:COL
  3    backend failure: Wine missing, an agent crashed or timed out, or a call
       that would block forever (the model says so; a real agent times out)
  130  interrupted by Ctrl-C
  With several files, the highest status wins.

JSON (replay --format json), schema 1:
  { "handlecheck": "replay", "schema": 1, "passed": bool, "exit": int,
    "files": [ { "file": str, "backend": str,
                 "status": "passed"|"failed"|"malformed"|"backend-failure"|"interrupted",
                 "passed": bool, "exit": int,
                 "error": null | {"message": str, "line": int, "column": int},
                 "step_count": int, "failed_steps": int,
                 "steps": [ { "line": int, "process": str, "text": str (the step as a
                              scenario line), "call": str (Win32 function), "ok": bool,
                              "error": int (GetLastError), "outcome": str, "passed": bool,
                              "failures": [ {"message": str, "expected": str, "got": str} ],
                              "observations": [ {"process": str, "handle": str, "value": str,
                                                 "valid": bool, "inherit": bool, "protect": bool,
                                                 "count": int, "type": str} ],
                              "diagram": str (with --diagram only) } ] } ] }
  "steps" lists the steps that ran; the first observation is the step's subject.
)";

struct Command {
  std::string_view name;
  int (*run)(int, char**);
};

// The subcommands (check: properties/cli/Check.cpp adds itself here).
constexpr Command kCommands[] = {
    {"replay", hc::cli::runReplay},
    {"explain", hc::cli::runExplain},
    {"check", hc::cli::runCheck},
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "handlecheck: missing command (replay or explain); see handlecheck --help\n";
    return hc::cli::kExitUsage;
  }
  const std::string_view command = argv[1];
  for (int i = 1; i < argc && command != "check"; ++i) {  // check has its own --help
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::cout << kHelp;
      return hc::cli::kExitOk;
    }
  }
  try {
    for (const Command& c : kCommands)
      if (c.name == command) return c.run(argc - 2, argv + 2);
    std::cerr << "handlecheck: unknown command `" << command << "`; see handlecheck --help\n";
    return hc::cli::kExitUsage;
  } catch (const hc::cli::CommandLineError& e) {
    std::cerr << "handlecheck: " << e.what() << "\n";
    return hc::cli::kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "handlecheck: internal error: " << e.what() << "\n";
    return hc::cli::kExitBackend;
  }
}
