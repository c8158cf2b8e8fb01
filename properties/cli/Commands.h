#pragma once
// The `handlecheck` subcommands. Each one registers itself on the CLI11 app
// (its options, help and a callback that runs it and stores its exit
// status); main() parses and returns that status.
//   0  every expectation held / no divergence
//   1  an expectation failed / a divergence was found
//   2  malformed scenario or bad usage (the message names file:line:col)
//   3  backend failure (Wine missing, agent crash or timeout, a call that would block forever)
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "handlecheck/model/Profile.h"
#include "handlecheck/sut/Backend.h"
#include "handlecheck/sut/RealBackend.h"

namespace hc::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitBackend = 3;
inline constexpr int kExitInterrupted = 130;

// Each adds its subcommand to `app`; running it sets `status`.
void addReplay(CLI::App& app, int& status);   // handlecheck replay FILE... (Replay.cpp)
void addExplain(CLI::App& app, int& status);  // handlecheck explain FILE (Explain.cpp)
void addCheck(CLI::App& app, int& status);    // handlecheck check (Check.cpp)
void addRules(CLI::App& app, int& status);    // handlecheck rules (Rules.cpp)
void addQuirks(CLI::App& app, int& status);   // handlecheck quirks (Quirks.cpp)
void addMerge(CLI::App& app, int& status);    // handlecheck merge REPORT... (Merge.cpp)

// Bad usage found after parsing: exit status 2, the message goes to stderr
// after "handlecheck: ".
struct CommandLineError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The options every command that runs scenarios shares.
struct BackendOptions {
  std::string backend = "model";                     // model | wine | native
  model::Profile profile = model::windowsProfile();  // for the model
  std::uint64_t scheduleSeed = 1;  // the model: the interleaving of each parallel block
  // Per command, real backends: the driver's own default.
  std::chrono::milliseconds timeout = sut::RealBackendOptions{}.timeout;
};

// What the shared options parse into before they become BackendOptions.
struct BackendArgs {
  std::string backend = "model";
  std::string profile = "windows";
  std::vector<std::string> quirks;        // --quirks: windows plus exactly these
  std::vector<std::string> withoutQuirk;  // --without-quirk: the profile minus these
  std::uint64_t scheduleSeed = 1;         // --schedule-seed
  double timeout = std::chrono::duration<double>(BackendOptions{}.timeout).count();
  // The options as BackendOptions; throws CommandLineError for a
  // combination no single option can refuse (--quirks with --profile).
  BackendOptions resolve() const;
};

// --backend, --timeout, and (unless `backendOnly`) --profile, --quirks and
// --without-quirk, with their checks and help.
void addBackendOptions(CLI::App& command, BackendArgs&, bool backendOnly = false);
// --profile, --quirks and --without-quirk only (explain: always the model).
void addProfileOptions(CLI::App& command, BackendArgs&);
// --format text|json (or the given choices) into `format`.
void addFormatOption(CLI::App& command, std::string& format,
                     std::vector<std::string> choices = {"text", "json"});

// CLI11 checks whose messages name the value: "unknown backend `x`
// (expected model, wine or native)", "unknown quirk `x`".
CLI::Validator oneOf(std::string what, std::vector<std::string> choices);
CLI::Validator quirkName();

// The real system here: "native" on Windows, "wine" elsewhere.
std::string realBackend();

// A fresh world: the model under the profile, or a real process tree.
// Throws CommandLineError (native backend off Windows) or sut::BackendFailure.
// `lane` >= 0: a campaign worker's backend; under Wine it runs on a lane of
// its own (sut/WineLane.h).
std::unique_ptr<sut::Backend> makeBackend(const BackendOptions&, int lane = -1);

// Ctrl-C: the first one asks the running command to stop after the current
// step (it tears the process tree down and prints what it has); the second
// one kills the host at once.
void installInterruptHandler();
bool interrupted();

// Where the corpus lives when no --corpus is given (the source tree's).
std::string defaultCorpusDir();

}  // namespace hc::cli
