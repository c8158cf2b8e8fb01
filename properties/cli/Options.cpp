// Options and services shared by the subcommands.
#include <csignal>
#include <sstream>

#include "Commands.h"
#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/sut/RealBackend.h"

namespace hc::cli {
namespace {

volatile std::sig_atomic_t gInterrupted = 0;

extern "C" void onInterrupt(int) {
  gInterrupted = 1;
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the host at once
}

}  // namespace

CLI::Validator oneOf(std::string what, std::vector<std::string> choices) {
  std::string list;
  for (std::size_t i = 0; i < choices.size(); ++i)
    list += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
  return CLI::Validator(
      [what, choices, list](std::string& v) -> std::string {
        for (const auto& c : choices)
          if (v == c) return {};
        return "unknown " + what + " `" + v + "` (expected " + list + ")";
      },
      list);
}

CLI::Validator quirkName() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        return model::quirkByName(v) ? std::string() : "unknown quirk `" + v + "`";
      },
      "QUIRK");
}

void addFormatOption(CLI::App& command, std::string& format, std::vector<std::string> choices) {
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : "|") + c;
  command.add_option("--format", format, "output format: " + list)
      ->capture_default_str()
      ->check(oneOf("format", choices));
}

void addProfileOptions(CLI::App& command, BackendArgs& args) {
  command
      .add_option("--profile", args.profile,
                  "model profile: windows = the documented semantics of Windows 8 and later "
                  "(model/RULES.md), windows7 = the rules' Windows 7 variants, "
                  "wine = windows plus every quirk of Wine's catalogue")
      ->capture_default_str()
      ->check(oneOf("profile", {"windows", "windows7", "wine"}));
  command
      .add_option("--quirks", args.quirks,
                  "windows plus exactly these catalogue quirks (comma-separated names)")
      ->delimiter(',')
      ->check(quirkName());
  command
      .add_option("--without-quirk", args.withoutQuirk,
                  "the profile minus this quirk (repeatable), e.g. --profile wine "
                  "--without-quirk mailslot-single-client")
      ->check(quirkName());
}

void addBackendOptions(CLI::App& command, BackendArgs& args, bool backendOnly) {
  command
      .add_option("--backend", args.backend,
                  "model: the reference model under the profile; wine: real Win32 agent "
                  "processes under Wine; native: real agents (Windows only)")
      ->capture_default_str()
      ->check(oneOf("backend", {"model", "wine", "native"}));
  if (!backendOnly) addProfileOptions(command, args);
  command.add_option("--timeout", args.timeout, "seconds a real agent may take for one command")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](std::string& v) -> std::string {
            std::istringstream in(v);
            double s = 0;
            char rest = 0;
            if ((in >> s) && !(in >> rest) && s > 0 && s <= 86400) return {};
            return "bad --timeout `" + v + "` (seconds, > 0)";
          },
          "SECONDS"));
}

BackendOptions BackendArgs::resolve() const {
  BackendOptions o;
  o.backend = backend;
  o.scheduleSeed = scheduleSeed;
  o.timeout = std::chrono::milliseconds(static_cast<long long>(timeout * 1000));
  if (!quirks.empty()) {
    if (profile != "windows")
      throw CommandLineError("--quirks starts from the windows profile; drop --profile " + profile);
    const std::vector<std::string_view> names(quirks.begin(), quirks.end());
    o.profile = *model::profileWithQuirks(names);
  } else {
    o.profile = *model::profileByName(profile);
  }
  for (const auto& name : withoutQuirk) {
    o.profile.without(model::quirkByName(name)->id);
    o.profile.name = "custom";
  }
  return o;
}

std::string realBackend() {
#ifdef _WIN32
  return "native";
#else
  return "wine";
#endif
}

std::unique_ptr<sut::Backend> makeBackend(const BackendOptions& o, int lane) {
  if (o.backend == "model")
    return std::make_unique<engine::ModelBackend>(model::standIn(o.profile));
  sut::RealBackendOptions real;
  real.timeout = o.timeout;
  real.lane = lane;  // used under Wine only
  if (o.backend == "wine") {
#ifdef _WIN32
    throw CommandLineError("the wine backend runs on Linux only (use --backend native here)");
#else
    real.wine = true;
#endif
  } else {
#ifndef _WIN32
    throw CommandLineError("the native backend runs on Windows only (use --backend wine here)");
#endif
    real.wine = false;
  }
  return sut::makeRealBackend(real);
}

void installInterruptHandler() {
  std::signal(SIGINT, onInterrupt);
}
bool interrupted() {
  return gInterrupted != 0;
}

std::string defaultCorpusDir() {
  return HC_CORPUS_DIR;
}

}  // namespace hc::cli
