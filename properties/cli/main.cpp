// handlecheck: the command line (CLI11). Each subcommand registers its
// options and runs from its callback; a usage error is exit status 2.
#include <algorithm>
#include <exception>
#include <iostream>
#include <string_view>

#include "Commands.h"

namespace {

constexpr const char* kFooter = R"(
Results go to stdout; progress notes and error messages to stderr.
Ctrl-C stops after the current step, tears every agent down and prints what ran
(a second Ctrl-C ends at once).

Exit status:
  0    every expectation held (replay, explain); no divergence (check, merge);
       every quirk present (quirks)
  1    an expectation or an automatic invariant failed; a departure from the
       profile in use (check, merge); a quirk fixed (quirks)
  2    malformed scenario or bad usage; the message names FILE:LINE:COL
  3    backend failure: Wine missing, an agent crashed or timed out, or a call
       that would block forever (the model says so; a real agent times out)
  130  interrupted by Ctrl-C
  With several files, the highest status wins.)";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "handlecheck - Win32 handle semantics: a reference model checked against the "
      "real system",
      "handlecheck"};
  app.footer(kFooter);
  // CLI11 reads `/x` as an option on Windows by default; a scenario path
  // such as /tmp/x.hcs (Wine, MSYS) is a file, so options are `--x` only.
  // Set before the subcommands are added: they copy it.
  app.allow_windows_style_options(false);
  app.require_subcommand(1);
  int status = hc::cli::kExitOk;
  hc::cli::addReplay(app, status);
  hc::cli::addCheck(app, status);
  hc::cli::addMerge(app, status);
  hc::cli::addExplain(app, status);
  hc::cli::addQuirks(app, status);
  hc::cli::addRules(app, status);

  // Named here rather than in CLI11's words, which would call either one
  // "arguments not expected".
  if (argc < 2 || std::string_view(argv[1]).empty()) {
    std::cerr << "handlecheck: missing command; see handlecheck --help\n";
    return hc::cli::kExitUsage;
  }
  const auto commands = app.get_subcommands([](const CLI::App*) { return true; });
  const bool known = std::any_of(commands.begin(), commands.end(),
                                 [&](const CLI::App* c) { return c->get_name() == argv[1]; });
  if (argv[1][0] != '-' && !known) {
    std::cerr << "handlecheck: unknown command `" << argv[1] << "`; see handlecheck --help\n";
    return hc::cli::kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "handlecheck: " << e.what() << "\n(handlecheck "
              << (argv[1][0] == '-' ? "" : std::string(argv[1]) + " ") << "--help)\n";
    return hc::cli::kExitUsage;
  } catch (const hc::cli::CommandLineError& e) {
    std::cerr << "handlecheck: " << e.what() << "\n";
    return hc::cli::kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "handlecheck: internal error: " << e.what() << "\n";
    return hc::cli::kExitBackend;
  }
  return status;
}
