// Options and services shared by the subcommands.
#include <csignal>
#include <cstdio>
#include <cstdlib>

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

bool takeValue(int argc, char** argv, int& i, std::string_view name, std::string& value) {
  const std::string_view arg = argv[i];
  if (arg == name) {
    if (i + 1 >= argc) throw CommandLineError("option " + std::string(name) + " needs a value");
    value = argv[++i];
    return true;
  }
  if (arg.size() > name.size() && arg.starts_with(name) && arg[name.size()] == '=') {
    value = std::string(arg.substr(name.size() + 1));
    return true;
  }
  return false;
}

bool takeBackendOption(int argc, char** argv, int& i, BackendOptions& o) {
  std::string value;
  if (takeValue(argc, argv, i, "--backend", value)) {
    if (value != "model" && value != "wine" && value != "native")
      throw CommandLineError("unknown backend `" + value + "` (expected model, wine or native)");
    o.backend = value;
    return true;
  }
  if (takeValue(argc, argv, i, "--profile", value)) {
    const auto profile = model::profileByName(value);
    if (!profile) throw CommandLineError("unknown profile `" + value + "` (expected windows or wine)");
    o.profile = *profile;
    return true;
  }
  if (takeValue(argc, argv, i, "--timeout", value)) {
    char* end = nullptr;
    const double seconds = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || !(seconds > 0) || seconds > 86400)
      throw CommandLineError("bad --timeout `" + value + "` (seconds, > 0)");
    o.timeout = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
    return true;
  }
  return false;
}

std::unique_ptr<sut::Backend> makeBackend(const BackendOptions& o) {
  if (o.backend == "model") return std::make_unique<engine::ModelBackend>(o.profile);
  sut::RealBackendOptions real;
  real.timeout = o.timeout;
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

void installInterruptHandler() { std::signal(SIGINT, onInterrupt); }
bool interrupted() { return gInterrupted != 0; }

std::string jsonQuote(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + '"';
}

}  // namespace hc::cli
