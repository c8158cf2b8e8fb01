// The wire format of Protocol.h: "hc1 key=value ...", one message a line.
// Built by both the host (g++/MSVC) and the agent (MinGW/MSVC): standard C++
// only, no exceptions thrown (the agent must never die on a bad line).
#include "Protocol.h"

#include <charconv>
#include <set>
#include <span>
#include <utility>

#include "Ops.h"

namespace hc::proto {
namespace {

// Bytes that travel unescaped (Protocol.h): [A-Za-z0-9_.\-\\].
bool plain(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-' || c == '\\';
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// ---- encoding -------------------------------------------------------------

std::string percent(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (plain(c)) {
      out += c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xf];
    }
  }
  return out;
}

std::string hexList(const std::vector<Handle>& hs) {
  std::string out;
  for (std::size_t i = 0; i < hs.size(); ++i) {
    if (i) out += ',';
    out += hex(hs[i]);
  }
  return out;
}

class Writer {
 public:
  Writer() : out_(kVersionTag) {}
  void raw(std::string_view key, std::string_view value) {
    out_ += ' ';
    out_ += key;
    out_ += '=';
    out_ += value;
  }
  void str(std::string_view key, const std::string& v) {
    if (!v.empty()) raw(key, percent(v));
  }
  void flag(std::string_view key, bool v) {
    if (v) raw(key, "1");
  }
  void num(std::string_view key, std::uint32_t v) {
    if (v) raw(key, std::to_string(v));
  }
  void handle(std::string_view key, Handle v) {
    if (v) raw(key, hex(v));
  }
  std::string done() { return std::move(out_) + '\n'; }

 private:
  std::string out_;
};

// ---- decoding -------------------------------------------------------------

bool unpercent(std::string_view s, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return false;
      const int hi = hexDigit(s[i + 1]), lo = hexDigit(s[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (plain(s[i])) {
      out += s[i];
    } else {
      return false;
    }
  }
  return true;
}

bool parseU32(std::string_view s, std::uint32_t& out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 10);
  return ec == std::errc{} && end == s.data() + s.size();
}

bool parseHandle(std::string_view s, Handle& out) {
  if (s.size() < 3 || s[0] != '0' || s[1] != 'x') return false;
  auto [end, ec] = std::from_chars(s.data() + 2, s.data() + s.size(), out, 16);
  return ec == std::errc{} && end == s.data() + s.size();
}

bool parseBool(std::string_view s, bool& out) {
  if (s != "0" && s != "1") return false;
  out = s == "1";
  return true;
}

// Splits on `sep`; an empty string is an empty list.
std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  if (s.empty()) return parts;
  for (;;) {
    const auto at = s.find(sep);
    parts.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return parts;
    s.remove_prefix(at + 1);
  }
}

bool parseHandleList(std::string_view s, std::vector<Handle>& out) {
  out.clear();
  for (auto part : split(s, ',')) {
    Handle h = 0;
    if (!parseHandle(part, h)) return false;
    out.push_back(h);
  }
  return true;
}

// Six fields, or seven with a mailslot server's waiting-message count, or
// eight with the granted access (the seventh then may be empty).
bool parseObservation(std::string_view s, Observation& o) {
  const auto f = split(s, ':');
  if (f.size() != 6 && f.size() != 7 && f.size() != 8) return false;
  if (f.size() == 8) {
    Handle access = 0;
    if (!parseHandle(f[7], access) || access > 0xffffffffu) return false;
    o.hasAccess = true;
    o.access = static_cast<std::uint32_t>(access);
  }
  std::uint32_t messages = 0;
  if (f.size() >= 7 && !f[6].empty()) {
    if (!parseU32(f[6], messages) || messages > 0x7fffffff) return false;
    o.messages = static_cast<int>(messages);
  }
  return parseHandle(f[0], o.handle) && parseBool(f[1], o.valid) && parseBool(f[2], o.inherit) &&
         parseBool(f[3], o.protect) && parseU32(f[4], o.handleCount) && unpercent(f[5], o.type);
}

bool parseOp(std::string_view s, Op& out) {
  const OpInfo* info = opByName(s);
  if (info) out = info->op;
  return info != nullptr;
}

// Walks "hc1 k=v k=v": checks the tag, rejects repeated keys, hands each pair
// to `field`, which returns false for an unknown key or a malformed value.
template <typename Field>
bool parseLine(std::string_view line, const char* what, std::string& error, Field field) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  const auto words = split(line, ' ');
  if (words.empty() || words[0] != kVersionTag) {
    error = std::string("bad ") + what + ": expected version tag '" + std::string(kVersionTag) +
            "' at the start of '" + std::string(line.substr(0, 60)) + "'";
    return false;
  }
  std::set<std::string_view> seen;
  for (auto word : std::span(words).subspan(1)) {
    const auto eq = word.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      error = std::string("bad ") + what + ": '" + std::string(word) + "' is not key=value";
      return false;
    }
    const auto key = word.substr(0, eq), value = word.substr(eq + 1);
    if (!seen.insert(key).second) {
      error = std::string("bad ") + what + ": key '" + std::string(key) + "' repeated";
      return false;
    }
    bool known = true;
    if (!field(key, value, known)) {
      error =
          std::string("bad ") + what + ": " +
          (known ? "malformed value '" + std::string(value) + "' for key '" + std::string(key) + "'"
                 : "unknown key '" + std::string(key) + "'");
      return false;
    }
  }
  return true;
}

}  // namespace

std::string hex(std::uint64_t v) {
  char buf[2 + 16];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, 16);
  (void)ec;  // 16 hex digits always fit
  return "0x" + std::string(buf, end);
}

std::string creationFlagsText(std::uint32_t console) {
  std::string out;
  for (const ConsoleFlag& f : kConsoleFlags)
    if (console & f.word) out += (out.empty() ? "" : " | ") + std::string(f.name);
  return out.empty() ? "0" : out;
}

namespace {

// A block's steps or results (Protocol.h): whole messages, each
// percent-encoded, comma-separated. A message inside one holds no list.
template <class Message>
std::string messageList(const std::vector<Message>& ms) {
  std::string out;
  for (std::size_t i = 0; i < ms.size(); ++i) out += (i ? "," : "") + percent(encode(ms[i]));
  return out;
}

template <class Message>
bool parseMessages(std::string_view s, std::vector<Message>& out) {
  for (auto part : split(s, ',')) {
    std::string line, error;
    Message m;
    if (!unpercent(part, line) || !decode(line, m, error)) return false;
    if (nested(m)) return false;
    out.push_back(std::move(m));
  }
  return true;
}

bool parseU64(std::string_view s, std::uint64_t& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

}  // namespace

bool nested(const Request& r) {
  return !r.steps.empty();
}
bool nested(const Reply& r) {
  return !r.results.empty();
}

std::string encode(const Request& r) {
  Writer w;
  w.num("id", r.id);
  w.raw("process", std::to_string(r.process));
  w.raw("op", opName(r.op));
  w.str("name", r.name);
  w.flag("inherit", r.inherit);
  w.handle("handle", r.handle);
  w.handle("compare-with", r.compareWith);
  w.num("target", r.target);
  w.num("target-pid", r.targetPid);
  w.flag("close-source", r.closeSource);
  w.flag("same-attributes", r.sameAttributes);
  w.flag("from-source", r.fromSource);
  w.num("source", r.source);
  w.num("source-pid", r.sourcePid);
  if (r.share != kShareRead) w.raw("share", std::to_string(r.share));
  w.flag("spawn-inherit", r.spawnInherit);
  w.flag("use-handle-list", r.useHandleList);
  if (!r.handleList.empty()) w.raw("handle-list", hexList(r.handleList));
  w.flag("process-inherit", r.processInherit);
  w.flag("thread-inherit", r.threadInherit);
  w.flag("use-std-handles", r.useStdHandles);
  w.handle("std-input", r.stdInput);
  w.handle("std-output", r.stdOutput);
  w.handle("std-error", r.stdError);
  w.num("console", r.console);
  w.num("std-slot", r.stdSlot);
  if (r.hasParentProcess) w.raw("parent-process", hex(r.parentProcess));
  if (r.listSize >= 0) w.raw("list-size", std::to_string(r.listSize));
  if (r.parentSize >= 0) w.raw("parent-size", std::to_string(r.parentSize));
  w.flag("unknown-attribute", r.unknownAttribute);
  w.num("set-mask", r.setMask);
  w.num("set-flags", r.setFlags);
  w.str("text", r.text);
  w.num("code", r.code);
  if (!r.observe.empty()) w.raw("observe", hexList(r.observe));
  w.flag("observe-new", r.observeNew);
  w.num("open-mode", r.openMode);
  w.num("pipe-mode", r.pipeMode);
  w.num("max-instances", r.maxInstances);
  w.num("access", r.access);
  w.num("timeout-ms", r.timeoutMs);
  if (r.hasDesiredAccess) w.raw("desired-access", hex(r.desiredAccess));
  w.flag("map-write", r.mapWrite);
  w.str("pipe", r.pipe);
  w.num("thread", r.thread);
  if (!r.steps.empty()) w.raw("steps", messageList(r.steps));
  if (r.startAt) w.raw("start-at", std::to_string(r.startAt));
  return w.done();
}

std::string encode(const Reply& r) {
  Writer w;
  w.num("id", r.id);
  w.raw("ok", r.ok ? "1" : "0");
  w.num("error", r.error);
  w.flag("already-exists", r.alreadyExists);
  w.handle("handle", r.handle);
  w.handle("handle2", r.handle2);
  w.num("child-pid", r.childPid);
  if (r.hasData) w.raw("data", percent(r.data));
  if (r.hasExitCode) w.raw("exit-code", std::to_string(r.exitCode));
  if (r.hasAvail) w.raw("avail", std::to_string(r.avail));
  if (r.same != -1) w.raw("same", std::to_string(r.same));
  if (r.instances >= 0) w.raw("instances", std::to_string(r.instances));
  if (r.hasSizing)
    w.raw("sizing", std::to_string(r.sizingError) + ':' + std::to_string(r.sizingBytes));
  w.flag("blocks", r.blocks);
  if (!r.observations.empty()) {
    std::string obs;
    for (const auto& o : r.observations) {
      if (!obs.empty()) obs += ',';
      obs += hex(o.handle) + ':' + (o.valid ? '1' : '0') + ':' + (o.inherit ? '1' : '0') + ':' +
             (o.protect ? '1' : '0') + ':' + std::to_string(o.handleCount) + ':' + percent(o.type);
      if (o.messages >= 0 || o.hasAccess)
        obs += ':' + (o.messages >= 0 ? std::to_string(o.messages) : std::string());
      if (o.hasAccess) obs += ':' + hex(o.access);
    }
    w.raw("obs", obs);
  }
  if (!r.results.empty()) w.raw("results", messageList(r.results));
  w.str("failure", r.failure);
  return w.done();
}

bool decode(std::string_view line, Request& out, std::string& error) {
  Request r;
  bool sawOp = false;
  const bool ok =
      parseLine(line, "request", error, [&](std::string_view k, std::string_view v, bool& known) {
        if (k == "id") return parseU32(v, r.id);
        if (k == "process") return parseU32(v, r.process);
        if (k == "op") return sawOp = parseOp(v, r.op);
        if (k == "name") return unpercent(v, r.name);
        if (k == "inherit") return parseBool(v, r.inherit);
        if (k == "handle") return parseHandle(v, r.handle);
        if (k == "compare-with") return parseHandle(v, r.compareWith);
        if (k == "target") return parseU32(v, r.target);
        if (k == "target-pid") return parseU32(v, r.targetPid);
        if (k == "close-source") return parseBool(v, r.closeSource);
        if (k == "same-attributes") return parseBool(v, r.sameAttributes);
        if (k == "from-source") return parseBool(v, r.fromSource);
        if (k == "source") return parseU32(v, r.source);
        if (k == "source-pid") return parseU32(v, r.sourcePid);
        if (k == "share") return parseU32(v, r.share);
        if (k == "spawn-inherit") return parseBool(v, r.spawnInherit);
        if (k == "use-handle-list") return parseBool(v, r.useHandleList);
        if (k == "handle-list") return parseHandleList(v, r.handleList);
        if (k == "process-inherit") return parseBool(v, r.processInherit);
        if (k == "thread-inherit") return parseBool(v, r.threadInherit);
        if (k == "use-std-handles") return parseBool(v, r.useStdHandles);
        if (k == "std-input") return parseHandle(v, r.stdInput);
        if (k == "std-output") return parseHandle(v, r.stdOutput);
        if (k == "std-error") return parseHandle(v, r.stdError);
        if (k == "console") return parseU32(v, r.console);
        if (k == "std-slot") return parseU32(v, r.stdSlot);
        if (k == "parent-process") return r.hasParentProcess = parseHandle(v, r.parentProcess);
        if (k == "list-size" || k == "parent-size") {
          std::uint32_t size = 0;
          if (!parseU32(v, size)) return false;
          (k == "list-size" ? r.listSize : r.parentSize) = size;
          return true;
        }
        if (k == "unknown-attribute") return parseBool(v, r.unknownAttribute);
        if (k == "set-mask") return parseU32(v, r.setMask);
        if (k == "set-flags") return parseU32(v, r.setFlags);
        if (k == "text") return unpercent(v, r.text);
        if (k == "code") return parseU32(v, r.code);
        if (k == "observe") return parseHandleList(v, r.observe);
        if (k == "observe-new") return parseBool(v, r.observeNew);
        if (k == "open-mode") return parseU32(v, r.openMode);
        if (k == "pipe-mode") return parseU32(v, r.pipeMode);
        if (k == "max-instances") return parseU32(v, r.maxInstances);
        if (k == "access") return parseU32(v, r.access);
        if (k == "timeout-ms") return parseU32(v, r.timeoutMs);
        if (k == "desired-access") {
          Handle mask = 0;
          if (!parseHandle(v, mask) || mask > 0xffffffffu) return false;
          r.desiredAccess = static_cast<std::uint32_t>(mask);
          return r.hasDesiredAccess = true;
        }
        if (k == "map-write") return parseBool(v, r.mapWrite);
        if (k == "pipe") return unpercent(v, r.pipe);
        if (k == "thread") return parseU32(v, r.thread);
        if (k == "steps") return parseMessages(v, r.steps);
        if (k == "start-at") return parseU64(v, r.startAt);
        known = false;
        return false;
      });
  if (!ok) return false;
  if (!sawOp) {
    error = "bad request: no 'op' key";
    return false;
  }
  out = std::move(r);
  return true;
}

bool decode(std::string_view line, Reply& out, std::string& error) {
  Reply r;
  const bool ok =
      parseLine(line, "reply", error, [&](std::string_view k, std::string_view v, bool& known) {
        if (k == "id") return parseU32(v, r.id);
        if (k == "ok") return parseBool(v, r.ok);
        if (k == "error") return parseU32(v, r.error);
        if (k == "already-exists") return parseBool(v, r.alreadyExists);
        if (k == "handle") return parseHandle(v, r.handle);
        if (k == "handle2") return parseHandle(v, r.handle2);
        if (k == "child-pid") return parseU32(v, r.childPid);
        if (k == "data") return r.hasData = unpercent(v, r.data);
        if (k == "exit-code") return r.hasExitCode = parseU32(v, r.exitCode);
        if (k == "avail") return r.hasAvail = parseU32(v, r.avail);
        if (k == "same") {
          if (v != "-1" && v != "0" && v != "1") return false;
          r.same = v == "1" ? 1 : v == "0" ? 0 : -1;
          return true;
        }
        if (k == "instances") {
          std::uint32_t n = 0;
          if (!parseU32(v, n) || n > 0x7fffffff) return false;
          r.instances = static_cast<int>(n);
          return true;
        }
        if (k == "sizing") {
          const auto colon = v.find(':');
          if (colon == std::string_view::npos) return false;
          return r.hasSizing = parseU32(v.substr(0, colon), r.sizingError) &&
                               parseU32(v.substr(colon + 1), r.sizingBytes);
        }
        if (k == "blocks") return parseBool(v, r.blocks);
        if (k == "obs") {
          for (auto part : split(v, ',')) {
            Observation o;
            if (!parseObservation(part, o)) return false;
            r.observations.push_back(std::move(o));
          }
          return true;
        }
        if (k == "results") return parseMessages(v, r.results);
        if (k == "failure") return unpercent(v, r.failure);
        known = false;
        return false;
      });
  if (!ok) return false;
  out = std::move(r);
  return true;
}

}  // namespace hc::proto
