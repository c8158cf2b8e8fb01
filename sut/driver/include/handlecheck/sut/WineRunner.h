#pragma once
// Finding and running Wine: one private prefix inside the build tree, one
// persistent wineserver for a whole test run, WINEDEBUG=-all. Overridable by
// HANDLECHECK_WINE (the wine loader) and HANDLECHECK_WINEPREFIX.
#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace hc::sut {

// Wine is missing or broken: the message says what was tried and how to fix it.
struct WineError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct WineSetup {
  std::filesystem::path wine;        // the loader (wine64 or wine)
  std::filesystem::path wineserver;  // the matching server
  std::filesystem::path prefix;      // WINEPREFIX
};

// Where Wine is: $HANDLECHECK_WINE, else `wine64`/`wine` on PATH, else Debian's
// /usr/lib/wine/wine64 (and multiarch dirs). The prefix is
// $HANDLECHECK_WINEPREFIX, else <binDir>/../wineprefix. Throws WineError.
WineSetup locateWine(const std::filesystem::path& binDir);

// The environment every Wine process of ours gets (WINEPREFIX, WINESERVER,
// WINEDEBUG=-all, WINEDLLOVERRIDES without mono/gecko dialogs, a TZ Wine
// resolves at once).
std::vector<std::pair<std::string, std::string>> wineEnvironment(const WineSetup&);

// Runs `wine --version`; throws WineError when the loader does not work.
void checkWine(const WineSetup&);
// Creates the prefix once (wineboot -i under a lock); a no-op when it exists.
void initPrefix(const WineSetup&);
// Keeps one wineserver alive for the whole run (wineserver -p), with the
// prefix's system processes started on /dev/null (never on a caller's pipe).
// With `linger`, the server (and those processes) end that long after the
// last Wine process of the prefix instead of never. With `cpu` >= 0, the
// server and those processes run on that CPU only. A no-op when a server
// already runs for the prefix.
void startServer(const WineSetup&, std::optional<std::chrono::seconds> linger = std::nullopt,
                 int cpu = -1);
// startServer once per prefix and process: a server this process started
// lingers between its backends, so later calls for that prefix return at
// once. Throws as startServer; a start that failed is tried again.
void keepServer(const WineSetup&, std::chrono::seconds linger, int cpu = -1);
// Shuts that server down (wineserver -k) and waits for it, then kills every
// Wine process left in the prefix or in its lanes' copies (`prefix`-cpuN):
// the loader's and the server's processes whose WINEPREFIX names one.
void stopServer(const WineSetup&);
// Whether a wineserver serves the prefix now: a wineserver process whose
// WINEPREFIX is the prefix (every server of ours is started with it). A
// server that died (an assertion, a kill) is gone. True when it cannot tell
// (no /proc).
bool serverAlive(const WineSetup&);

// argv that runs a Windows exe under this Wine.
std::vector<std::string> wineCommand(const WineSetup&, const std::filesystem::path& exe,
                                     const std::vector<std::string>& args);

// Directory of the running executable (for finding hc-agent.exe and the prefix).
std::filesystem::path executableDir();

}  // namespace hc::sut
