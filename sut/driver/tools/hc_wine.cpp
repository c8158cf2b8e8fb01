// hc-wine: the Wine runner for ctest and for people.
//   hc-wine init            create the prefix once, start a persistent wineserver
//   hc-wine stop            shut that wineserver down
//   hc-wine run EXE [ARG]   run a Windows program under it; exit status is the program's
//   hc-wine where           print the loader, server and prefix in use
// Exit status: the program's (run), 0 (others), 2 usage, 3 Wine missing or broken.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "handlecheck/sut/WineRunner.h"

namespace {

constexpr const char* kUsage =
    "usage: hc-wine init | stop | where | run EXE [ARGS...]\n"
    "  init   create the Wine prefix (once) and start a persistent wineserver\n"
    "  stop   shut the wineserver of the prefix down\n"
    "  where  print the wine loader, wineserver and prefix that would be used\n"
    "  run    run a Windows executable under that Wine (exit status is its own)\n"
    "Environment: HANDLECHECK_WINE (wine loader), HANDLECHECK_WINESERVER,\n"
    "             HANDLECHECK_WINEPREFIX (default: <build>/wineprefix),\n"
    "             HANDLECHECK_WINEDEBUG (WINEDEBUG for run; default -all)\n"
    "Exit status: 0 ok, 2 usage, 3 Wine missing or broken.\n";

int runUnderWine(const hc::sut::WineSetup& setup, std::vector<std::string> argv) {
  for (const auto& [k, v] : hc::sut::wineEnvironment(setup)) ::setenv(k.c_str(), v.c_str(), 1);
  // A test that wants Wine's own account of a failed run (its err: lines)
  // asks for them here; the default stays WINEDEBUG=-all.
  if (const char* debug = std::getenv("HANDLECHECK_WINEDEBUG")) ::setenv("WINEDEBUG", debug, 1);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  ::execv(args[0], args.data());
  std::fprintf(stderr, "hc-wine: cannot execute %s\n", args[0]);
  return 3;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string command = argv[1];
  if (command == "--help" || command == "-h") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  try {
    const auto setup = hc::sut::locateWine(hc::sut::executableDir());
    if (command == "where") {
      std::printf("wine: %s\nwineserver: %s\nprefix: %s\n", setup.wine.c_str(),
                  setup.wineserver.c_str(), setup.prefix.c_str());
      return 0;
    }
    if (command == "init") {
      hc::sut::checkWine(setup);
      hc::sut::initPrefix(setup);
      hc::sut::startServer(setup);
      std::printf("hc-wine: prefix %s ready, wineserver %s persistent\n", setup.prefix.c_str(),
                  setup.wineserver.c_str());
      return 0;
    }
    if (command == "stop") {
      hc::sut::stopServer(setup);
      std::printf("hc-wine: wineserver of %s stopped\n", setup.prefix.c_str());
      return 0;
    }
    if (command == "run" && argc >= 3) {
      hc::sut::initPrefix(setup);
      return runUnderWine(
          setup,
          hc::sut::wineCommand(setup, argv[2], std::vector<std::string>(argv + 3, argv + argc)));
    }
  } catch (const hc::sut::WineError& e) {
    std::fprintf(stderr, "hc-wine: %s\n", e.what());
    return 3;
  }
  std::fputs(kUsage, stderr);
  return 2;
}
