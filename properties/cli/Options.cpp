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
    real.wine = true;
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

namespace {

// The UTF-8 sequence at s[i]: how many bytes it takes and whether it is
// well-formed (the Unicode Standard, table 3-7: no overlong forms, no
// surrogates). An ill-formed one is its maximal subpart: the lead byte and
// the continuation bytes that still fit, at least one byte.
struct Utf8 {
  std::size_t length;
  bool valid;
};
Utf8 utf8At(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t need = 0;
  unsigned lo = 0x80, hi = 0xBF;  // the range of the first continuation byte
  if (c >= 0xC2 && c <= 0xDF) need = 1;
  else if (c == 0xE0) need = 2, lo = 0xA0;
  else if (c == 0xED) need = 2, hi = 0x9F;
  else if (c >= 0xE1 && c <= 0xEF) need = 2;
  else if (c == 0xF0) need = 3, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) need = 3;
  else if (c == 0xF4) need = 3, hi = 0x8F;
  else return {1, false};
  for (std::size_t k = 1; k <= need; ++k) {
    const unsigned b = i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u;
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return {k, false};
  }
  return {need + 1, true};
}

}  // namespace

// JSON text is UTF-8: an ill-formed sequence (a Latin-1 scenario file, an
// agent's garbage) becomes one U+FFFD, as nlohmann/json's replace mode does.
std::string jsonQuote(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      const Utf8 u = utf8At(s, i);
      if (u.valid) out += s.substr(i, u.length);
      else out += "\\ufffd";
      i += u.length - 1;
      continue;
    }
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
