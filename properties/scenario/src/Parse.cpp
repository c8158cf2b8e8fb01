// The .hcs parser (the scenario language, properties/scenario/README.md): one Step per non-blank, non-comment line.
// Hand-written recursive descent over one line at a time; every error is a
// ParseError at the column of the offending token, saying what was expected
// there and what was found.
#include <cctype>
#include <cerrno>
#include <system_error>
#include <fstream>
#include <sstream>

#include "Lexical.h"
#include "handlecheck/scenario/Scenario.h"

namespace hc::scenario {
namespace {

using namespace lexical;

constexpr OpKind kOps[] = {OpKind::Create, OpKind::Open,  OpKind::Spawn,     OpKind::Close,
                           OpKind::Dup,    OpKind::Set,   OpKind::Write,     OpKind::Read,
                           OpKind::Query,  OpKind::Exit,  OpKind::Terminate, OpKind::Wait};
constexpr ObjectType kTypes[] = {ObjectType::Event,   ObjectType::Mutex,    ObjectType::Semaphore,
                                 ObjectType::Mapping, ObjectType::Mailslot, ObjectType::Pipe};

std::string quoted(std::string_view s) { return "`" + std::string(s) + "`"; }

class LineParser {
 public:
  LineParser(std::string_view text, std::string_view file, int line)
      : s_(text), file_(file), line_(line) {}

  // The step on this line, or nothing for a blank or comment line.
  std::optional<Step> parse() {
    skipSpace();
    if (atEnd() || peek() == '#') return std::nullopt;
    Step st;
    st.line = line_;
    label(st);
    operation(st);
    arguments(st);
    tail(st);
    return st;
  }

 private:
  [[noreturn]] void fail(std::size_t at, const std::string& message) const {
    throw ParseError(std::string(file_), line_, static_cast<int>(at) + 1, message);
  }

  bool atEnd() const { return pos_ >= s_.size(); }
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0';
  }
  void skipSpace() {
    while (!atEnd() && isSpace(peek())) ++pos_;
  }
  bool startsWith(std::string_view p) const { return s_.substr(pos_).starts_with(p); }

  // What stands at the cursor, for "got ..." in messages.
  std::string got() const {
    if (atEnd()) return "end of line";
    if (isSpace(peek())) return "a blank";
    std::size_t e = pos_;
    while (e < s_.size() && !isSpace(s_[e])) ++e;
    return quoted(s_.substr(pos_, e - pos_));
  }

  // Consumes the keyword `kw` when it stands alone (a blank, ',' or the end follows).
  bool accept(std::string_view kw) {
    if (!startsWith(kw)) return false;
    const char next = peek(kw.size());
    if (next != '\0' && !isSpace(next) && next != ',') return false;
    pos_ += kw.size();
    return true;
  }
  // Consumes the literal `p` ("name=", "count>=").
  bool acceptLiteral(std::string_view p) {
    if (!startsWith(p)) return false;
    pos_ += p.size();
    return true;
  }

  std::string identifier(std::string_view what) {
    const std::size_t at = pos_;
    if (!isIdentStart(peek())) fail(at, "expected " + std::string(what) + ", got " + got());
    while (!atEnd() && isIdentChar(peek())) ++pos_;
    return std::string(s_.substr(at, pos_ - at));
  }

  std::string objectName(std::string_view what) {
    const std::size_t at = pos_;
    while (!atEnd() && isObjectNameChar(peek())) ++pos_;
    if (pos_ == at) fail(at, "expected " + std::string(what) + ", got " + got());
    if (!atEnd() && !isSpace(peek()))
      fail(pos_, "invalid character " + quoted(s_.substr(pos_, 1)) +
                     " in object name (names are [A-Za-z0-9_.-]+)");
    return std::string(s_.substr(at, pos_ - at));
  }

  // A decimal or 0x-hexadecimal number of 32 bits.
  std::uint32_t number(std::string_view what) {
    const std::size_t at = pos_;
    const bool hex = startsWith("0x") || startsWith("0X");
    if (hex) pos_ += 2;
    const std::size_t digits = pos_;
    std::uint64_t value = 0;
    bool overflow = false;
    for (;;) {
      const char c = peek();
      int d = -1;
      if (isDigit(c)) d = c - '0';
      else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
      if (d < 0) break;
      value = value * (hex ? 16 : 10) + static_cast<std::uint64_t>(d);
      overflow = overflow || value > 0xFFFFFFFFull;
      ++pos_;
    }
    if (pos_ == digits) {
      pos_ = at;
      fail(at, "expected " + std::string(what) + ", got " + got());
    }
    if (isIdentChar(peek())) {
      pos_ = at;
      fail(at, "invalid number " + got());
    }
    if (overflow)
      fail(at, "number " + quoted(s_.substr(at, pos_ - at)) + " does not fit in 32 bits");
    return static_cast<std::uint32_t>(value);
  }

  // A handle operand: a name, or a raw value `#0x104`.
  HandleRef handleRef(std::string_view after) {
    const std::size_t at = pos_;
    const std::string what = "a handle name or #0x value after " + quoted(after);
    HandleRef ref;
    if (isIdentStart(peek())) {
      ref.name = identifier(what);
      return ref;
    }
    if (!startsWith("#0x") && !startsWith("#0X")) fail(at, "expected " + what + ", got " + got());
    pos_ += 3;
    const std::size_t digits = pos_;
    std::uint64_t value = 0;
    while (std::isxdigit(static_cast<unsigned char>(peek()))) {
      if (pos_ - digits == 16) {
        pos_ = at;
        fail(at, "handle value " + got() + " does not fit in 64 bits");
      }
      const char c = peek();
      value = value * 16 + static_cast<std::uint64_t>(isDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
      ++pos_;
    }
    if (pos_ == digits || isIdentChar(peek())) {
      pos_ = at;
      fail(at, "invalid handle value " + got() + " (write #0x and hex digits)");
    }
    ref.raw = value;
    return ref;
  }

  // TEXT: a bare word [A-Za-z0-9_.:/-]+ or a "string" with \" and \\ escapes.
  std::string text(std::string_view what) {
    const std::size_t at = pos_;
    if (peek() == '"') {
      std::string out;
      ++pos_;
      for (;;) {
        if (atEnd()) fail(at, "unterminated string (a closing \" is missing)");
        const char c = peek();
        if (c == '"') {
          ++pos_;
          return out;
        }
        if (c == '\\') {
          const char e = peek(1);
          if (e != '"' && e != '\\')
            fail(pos_, "unknown escape " + quoted(s_.substr(pos_, 2)) +
                           " in string (only \\\" and \\\\)");
          out += e;
          pos_ += 2;
          continue;
        }
        out += c;
        ++pos_;
      }
    }
    while (!atEnd() && isBareChar(peek())) ++pos_;
    if (pos_ == at)
      fail(at, "expected " + std::string(what) +
                   " (a word of [A-Za-z0-9_.:/-] or a \"quoted string\"), got " + got());
    return std::string(s_.substr(at, pos_ - at));
  }

  void label(Step& st) {
    std::size_t e = pos_;
    while (e < s_.size() && isIdentChar(s_[e])) ++e;
    if (e == pos_ || !isIdentStart(peek()) || e >= s_.size() || s_[e] != ':') return;
    st.process = std::string(s_.substr(pos_, e - pos_));
    st.processWritten = true;
    pos_ = e + 1;
    skipSpace();
  }

  void operation(Step& st) {
    for (OpKind op : kOps) {
      if (accept(opName(op))) {
        st.op = op;
        return;
      }
    }
    if (atEnd()) fail(pos_, "expected an operation after " + quoted(st.process + ":"));
    fail(pos_, "unknown operation " + got() +
                   " (expected create, open, spawn, close, dup, set, write, read, query, exit, "
                   "terminate or wait)");
  }

  ObjectType objectType(std::string_view after, bool pipeAllowed) {
    skipSpace();
    for (ObjectType t : kTypes) {
      if (accept(typeName(t))) {
        if (t == ObjectType::Pipe && !pipeAllowed)
          fail(pos_ - 4, "a pipe has no name to open: write `create pipe as R W`");
        return t;
      }
    }
    fail(pos_, "expected an object type after " + quoted(after) +
                   " (event, mutex, semaphore, mapping, mailslot" +
                   (pipeAllowed ? ", pipe" : "") + "), got " + got());
  }

  // One option keyword at most once.
  void once(bool& seen, std::size_t at, std::string_view kw) {
    if (seen) fail(at, quoted(kw) + " given twice");
    seen = true;
  }

  void arguments(Step& st) {
    const std::string op(opName(st.op));
    switch (st.op) {
      case OpKind::Create: {
        st.type = objectType(op, true);
        if (st.type == ObjectType::Mailslot) {
          skipSpace();
          st.objectName = objectName("a mailslot name after `create mailslot`");
        }
        bool named = false;
        for (;;) {
          skipSpace();
          const std::size_t at = pos_;
          if (accept("inherit")) {
            once(st.inherit, at, "inherit");
          } else if (st.type != ObjectType::Mailslot && st.type != ObjectType::Pipe &&
                     acceptLiteral("name=")) {
            once(named, at, "name=");
            st.objectName = objectName("an object name after `name=`");
          } else {
            break;
          }
        }
        bindNames(st, st.type == ObjectType::Pipe ? 2 : 1,
                  "create " + std::string(typeName(st.type)));
        return;
      }
      case OpKind::Open: {
        st.type = objectType(op, false);
        skipSpace();
        st.objectName =
            objectName("a name after `open " + std::string(typeName(st.type)) + "`");
        for (;;) {
          skipSpace();
          const std::size_t at = pos_;
          if (accept("inherit")) {
            once(st.inherit, at, "inherit");
          } else if (st.type == ObjectType::Mailslot && acceptLiteral("share=")) {
            if (st.share) fail(at, "`share=` given twice");
            const std::size_t valueAt = pos_;
            if (accept("read-write")) st.share = Step::Share::ReadWrite;
            else if (accept("read")) st.share = Step::Share::Read;
            else if (accept("none")) st.share = Step::Share::None;
            else fail(valueAt, "expected read, read-write or none after `share=`, got " + got());
          } else {
            break;
          }
        }
        bindNames(st, 1, "open " + std::string(typeName(st.type)));
        return;
      }
      case OpKind::Spawn: {
        skipSpace();
        st.child = identifier("a process label after `spawn`");
        for (;;) {
          skipSpace();
          const std::size_t at = pos_;
          if (accept("inherit")) {
            once(st.inherit, at, "inherit");
          } else if (accept("noinherit")) {
            once(st.noinherit, at, "noinherit");
          } else if (accept("only")) {
            if (st.only) fail(at, "`only` given twice");
            st.only = handleList();
          } else if (accept("process-inherit")) {
            once(st.processInherit, at, "process-inherit");
          } else if (accept("thread-inherit")) {
            once(st.threadInherit, at, "thread-inherit");
          } else {
            break;
          }
          if (st.inherit && st.noinherit) fail(at, "`inherit` and `noinherit` exclude each other");
        }
        bindNames(st, 2, "spawn");
        return;
      }
      case OpKind::Dup: {
        skipSpace();
        st.handle = handleRef(op);
        bool to = false;
        for (;;) {
          skipSpace();
          const std::size_t at = pos_;
          if (accept("to")) {
            once(to, at, "to");
            skipSpace();
            st.target = identifier("a process label after `to`");
          } else if (accept("inherit")) {
            once(st.inherit, at, "inherit");
          } else if (accept("close-source")) {
            once(st.closeSource, at, "close-source");
          } else if (accept("same-attributes")) {
            once(st.sameAttributes, at, "same-attributes");
          } else {
            break;
          }
        }
        bindNames(st, 1, "dup");
        return;
      }
      case OpKind::Set: {
        skipSpace();
        st.handle = handleRef(op);
        for (;;) {
          skipSpace();
          const std::size_t at = pos_;
          if (acceptLiteral("inherit=")) {
            if (st.setInherit) fail(at, "`inherit=` given twice");
            st.setInherit = onOff("inherit=");
          } else if (acceptLiteral("protect=")) {
            if (st.setProtect) fail(at, "`protect=` given twice");
            st.setProtect = onOff("protect=");
          } else {
            break;
          }
        }
        break;
      }
      case OpKind::Write:
        skipSpace();
        st.handle = handleRef(op);
        skipSpace();
        st.text = text("the text to write after `write " + handleText(st.handle) + "`");
        break;
      case OpKind::Close:
      case OpKind::Read:
      case OpKind::Query:
      case OpKind::Wait:
        skipSpace();
        st.handle = handleRef(op);
        break;
      case OpKind::Terminate:
        skipSpace();
        st.handle = handleRef(op);
        [[fallthrough]];
      case OpKind::Exit:
        skipSpace();
        if (isDigit(peek())) st.code = number("an exit code");
        break;
    }
    // The operations that bind nothing.
    skipSpace();
    if (accept("as")) fail(pos_ - 2, quoted(op) + " binds no names (drop `as ...`)");
  }

  static std::string handleText(const HandleRef& h) {
    if (!h.raw) return h.name;
    std::ostringstream os;
    os << "#0x" << std::hex << *h.raw;
    return os.str();
  }

  bool onOff(std::string_view key) {
    if (accept("on")) return true;
    if (accept("off")) return false;
    fail(pos_, "expected `on` or `off` after " + quoted(key) + ", got " + got());
  }

  // `as` ends a spawn's options, so it is never a listed handle's name.
  HandleRef listedHandle(std::string_view after) {
    if (startsWith("as") && (peek(2) == '\0' || isSpace(peek(2))))
      fail(pos_, "expected a handle name or #0x value after " + quoted(after) + ", got `as`");
    return handleRef(after);
  }

  std::vector<HandleRef> handleList() {
    std::vector<HandleRef> list;
    skipSpace();
    list.push_back(listedHandle("only"));
    for (;;) {
      const std::size_t save = pos_;
      skipSpace();
      if (peek() != ',') {
        pos_ = save;
        return list;
      }
      ++pos_;
      skipSpace();
      list.push_back(listedHandle(","));
    }
  }

  // `as NAME...` with exactly n names.
  void bindNames(Step& st, std::size_t n, const std::string& what) {
    const std::string expected = "expected `as` and " + std::to_string(n) +
                                 (n == 1 ? " name" : " names") + " after " + what + ", got ";
    skipSpace();
    if (!accept("as")) fail(pos_, expected + got());
    for (std::size_t i = 0; i < n; ++i) {
      skipSpace();
      if (!isIdentStart(peek())) fail(pos_, expected + got());
      st.as.push_back(identifier("a handle name"));
    }
    const std::size_t save = pos_;
    skipSpace();
    if (isIdentStart(peek()))
      fail(pos_, what + " binds " + std::to_string(n) + (n == 1 ? " name" : " names") +
                     "; unexpected " + got());
    pos_ = save;
  }

  void tail(Step& st) {
    skipSpace();
    if (acceptLiteral("=>")) {
      do {
        skipSpace();
        st.expects.push_back(expectation());
        skipSpace();
      } while (!atEnd() && peek() == ',' && ++pos_);
    }
    skipSpace();
    if (peek() == '#') {
      std::string_view c = s_.substr(pos_ + 1);
      while (!c.empty() && isSpace(c.front())) c.remove_prefix(1);
      while (!c.empty() && isSpace(c.back())) c.remove_suffix(1);
      st.comment = std::string(c);
      pos_ = s_.size();
    }
    if (!atEnd()) fail(pos_, "unexpected " + got() + " (expected `=>`, `#` or the end of the line)");
  }

  Expect expectation() {
    using K = Expect::Kind;
    const std::size_t at = pos_;
    while (!atEnd() && (isIdentChar(peek()) || peek() == '-')) ++pos_;
    const std::string_view word = s_.substr(at, pos_ - at);
    if (word.empty()) {
      fail(at, "expected an expectation (ok, error=N, count=N, ...), got " + got());
    }
    Expect e;
    static constexpr std::pair<std::string_view, K> kFlags[] = {
        {"ok", K::Ok},           {"already-exists", K::AlreadyExists},
        {"valid", K::Valid},     {"invalid", K::Invalid},
        {"inherit", K::Inherit}, {"noinherit", K::NoInherit},
        {"protect", K::Protect}, {"noprotect", K::NoProtect}};
    for (const auto& [name, kind] : kFlags) {
      if (word == name) {
        if (peek() == '=' || peek() == '>') fail(pos_, quoted(word) + " takes no value");
        e.kind = kind;
        return e;
      }
    }
    if (word == "count") {
      if (acceptLiteral(">=")) e.kind = K::CountAtLeast;
      else if (acceptLiteral("=")) e.kind = K::Count;
      else fail(pos_, "expected `=` or `>=` after `count`, got " + got());
      e.number = number("a handle count");
      return e;
    }
    const auto valueAfter = [&](std::string_view key) {
      if (!acceptLiteral("=")) fail(pos_, "expected `=` after " + quoted(key) + ", got " + got());
    };
    if (word == "error") {
      valueAfter(word);
      e.kind = K::Error;
      if (isDigit(peek())) {
        e.number = number("an error code");
        return e;
      }
      const std::size_t nameAt = pos_;
      e.text = identifier("an error name or number after `error=`");
      const auto code = errorCode(e.text);
      if (!code) fail(nameAt, "unknown error name " + quoted(e.text) + " (write its number: error=N)");
      e.number = *code;
      return e;
    }
    if (word == "type") {
      valueAfter(word);
      e.kind = K::Type;
      const std::size_t typeAt = pos_;
      e.text = identifier("an NT type name after `type=`");
      if (!isNtType(e.text))
        fail(typeAt, "unknown NT type " + quoted(e.text) +
                         " (expected Event, Mutant, Semaphore, Section, File, Process or Thread)");
      return e;
    }
    if (word == "same") {
      valueAfter(word);
      e.kind = K::Same;
      e.text = identifier("a handle name after `same=`");
      return e;
    }
    if (word == "data") {
      valueAfter(word);
      e.kind = K::Data;
      e.text = text("the expected message after `data=`");
      return e;
    }
    if (word == "messages") {
      valueAfter(word);
      e.kind = K::Messages;
      e.number = number("a message count after `messages=`");
      return e;
    }
    if (word == "exitcode") {
      valueAfter(word);
      e.kind = K::ExitCode;
      e.number = number("an exit code after `exitcode=`");
      return e;
    }
    fail(at, "unknown expectation " + quoted(word) +
                 " (expected ok, error=, already-exists, valid, invalid, inherit, noinherit, "
                 "protect, noprotect, count=, count>=, type=, same=, data=, exitcode= or messages=)");
  }

  std::string_view s_;
  std::string_view file_;
  int line_;
  std::size_t pos_ = 0;
};

}  // namespace

Scenario parse(std::string_view text, std::string_view file) {
  Scenario sc;
  sc.file = std::string(file);
  int lineNo = 0;
  while (!text.empty()) {
    ++lineNo;
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // A step is one line: the printer can write no other (Lexical.h).
    if (const std::size_t cr = line.find('\r'); cr != std::string_view::npos)
      throw ParseError(std::string(file), lineNo, static_cast<int>(cr) + 1,
                       "carriage return inside the line (a line ends with \\n or \\r\\n)");
    if (auto step = LineParser(line, file, lineNo).parse()) sc.steps.push_back(std::move(*step));
  }
  return sc;
}

Scenario parseFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ParseError(path, 0, 0, "cannot read: " + std::generic_category().message(errno));
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw ParseError(path, 0, 0, "read error");
  return parse(buf.str(), path);
}

}  // namespace hc::scenario
