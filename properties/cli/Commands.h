#pragma once
// The `handlecheck` subcommands. Each takes the arguments after its name and
// returns the exit status; main() only dispatches (and prints --help).
//   0  every expectation held / no divergence
//   1  an expectation failed / a divergence was found
//   2  malformed scenario or bad usage (the message names file:line:col)
//   3  backend failure (Wine missing, agent crash or timeout, a call that would block forever)
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "handlecheck/model/Profile.h"
#include "handlecheck/sut/Backend.h"

namespace hc::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitBackend = 3;
inline constexpr int kExitInterrupted = 130;

int runReplay(int argc, char** argv);   // handlecheck replay FILE... [options]
int runExplain(int argc, char** argv);  // handlecheck explain FILE [--profile P]
int runCheck(int argc, char** argv);    // handlecheck check [options] (Check.cpp)

// Bad usage: exit status 2, the message goes to stderr after "handlecheck: ".
struct CommandLineError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The options every command that runs scenarios shares.
struct BackendOptions {
  std::string backend = "model";             // model | wine | native
  model::Profile profile = model::windowsProfile();  // for the model
  std::chrono::milliseconds timeout{10000};  // per command, real backends
};

// Consumes argv[i] (and its value) when it is --backend, --profile or
// --timeout (also written --opt=value); returns false for anything else.
// Throws CommandLineError for an unknown backend or profile or a bad timeout.
bool takeBackendOption(int argc, char** argv, int& i, BackendOptions&);
// The value of option `name` at argv[i] ("--format json" or "--format=json"),
// advancing i past it; nullopt-like empty when argv[i] is not that option.
bool takeValue(int argc, char** argv, int& i, std::string_view name, std::string& value);

// A fresh world: the model under the profile, or a real process tree.
// Throws CommandLineError (native backend off Windows) or sut::BackendFailure.
std::unique_ptr<sut::Backend> makeBackend(const BackendOptions&);

// Ctrl-C: the first one asks the running command to stop after the current
// step (it tears the process tree down and prints what it has); the second
// one kills the host at once.
void installInterruptHandler();
bool interrupted();

// JSON string literal with escapes.
std::string jsonQuote(std::string_view);

}  // namespace hc::cli
