// The .hcs parser (the scenario language, properties/scenario/README.md): one Step per non-blank,
// non-comment line. Hand-written recursive descent over one line at a time; every error is a
// ParseError at the column of the offending token, saying what was expected
// there and what was found.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

#include "Lexical.h"
#include "handlecheck/model/Access.h"
#include "handlecheck/scenario/Scenario.h"

namespace hc::scenario {
namespace {

using namespace lexical;

std::string quoted(std::string_view s) {
  return "`" + std::string(s) + "`";
}

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
      if (isDigit(c))
        d = c - '0';
      else if (hex && c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
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

  // `PROC:` or `PROC.THREAD:`.
  void label(Step& st) {
    std::size_t e = pos_;
    while (e < s_.size() && isIdentChar(s_[e])) ++e;
    if (e == pos_ || !isIdentStart(peek()) || e >= s_.size()) return;
    std::size_t t = e;
    if (s_[e] == '.') {
      t = e + 1;
      if (t >= s_.size() || !isIdentStart(s_[t])) return;
      while (t < s_.size() && isIdentChar(s_[t])) ++t;
      if (t >= s_.size() || s_[t] != ':') return;
      st.thread = std::string(s_.substr(e + 1, t - e - 1));
    } else if (s_[e] != ':') {
      return;
    }
    st.process = std::string(s_.substr(pos_, e - pos_));
    st.processWritten = true;
    pos_ = t + 1;
    skipSpace();
  }

  // The op's keyword: its verb, then for a verb of several ops the object type.
  void operation(Step& st) {
    for (const proto::OpInfo& info : proto::ops()) {
      if (info.verb.empty() || !accept(info.verb)) continue;
      st.op = info.object.empty() ? info.op : objectType(info.verb);
      return;
    }
    if (atEnd()) fail(pos_, "expected an operation after " + quoted(st.process + ":"));
    std::vector<std::string_view> verbs;
    for (const proto::OpInfo& info : proto::ops())
      if (!info.verb.empty() && std::find(verbs.begin(), verbs.end(), info.verb) == verbs.end())
        verbs.push_back(info.verb);
    fail(pos_, "unknown operation " + got() + " (expected " + oneOf(verbs, " or ") + ")");
  }

  // "a, b or c" (last = " or ") / "a, b, c" (last = ", ").
  static std::string oneOf(const std::vector<std::string_view>& words, std::string_view last) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i)
      (out += i == 0 ? "" : i + 1 == words.size() ? last : ", ") += words[i];
    return out;
  }

  proto::Op objectType(std::string_view verb) {
    skipSpace();
    const std::size_t at = pos_;
    std::vector<std::string_view> objects;
    for (const proto::OpInfo& info : proto::ops()) {
      if (info.verb != verb) continue;
      if (accept(info.object)) return info.op;
      objects.push_back(info.object);
    }
    // An object that exists, but not for this verb: a pipe has no name to open.
    for (const proto::OpInfo& info : proto::ops())
      if (!info.object.empty() && accept(info.object))
        fail(at, "a " + std::string(info.object) + " has no name to " + std::string(verb) +
                     ": write `" + proto::keyword(info.op) + " as R W`");
    fail(pos_, "expected an object type after " + quoted(verb) + " (" + oneOf(objects, ", ") +
                   "), got " + got());
  }

  // One option keyword at most once.
  void once(bool& seen, std::size_t at, std::string_view kw) {
    if (seen) fail(at, quoted(kw) + " given twice");
    seen = true;
  }

  // The words after the keyword, as the op's row in the table of operations
  // spells them: positional words, options in any order, then `as` names.
  void arguments(Step& st) {
    const proto::Grammar& grammar = proto::opInfo(st.op).grammar;
    for (const proto::Arg a : grammar.words) word(st, a);
    for (;;) {
      skipSpace();
      const std::size_t at = pos_;
      const auto consumed = [&](proto::Arg a) { return option(st, a, at); };
      if (std::none_of(grammar.options.begin(), grammar.options.end(), consumed)) break;
      if (st.inherit && st.noinherit) fail(at, "`inherit` and `noinherit` exclude each other");
    }
    if (!st.source.empty()) fromForm(st);
    attributeSizes(st);
    if (namesBound(st)) return bindNames(st, namesBound(st), proto::keyword(st.op));
    skipSpace();
    if (accept("as"))
      fail(pos_ - 2, quoted(proto::opInfo(st.op).verb) + " binds no names (drop `as ...`)");
  }

  // `dup H from C close-source`: DuplicateHandle with no target process,
  // which can only close the source (SPEC 50).
  void fromForm(const Step& st) {
    if (!st.closeSource) fail(pos_, "`from` needs `close-source` (no target process)");
    if (!st.target.empty() || st.inherit || st.sameAttributes)
      fail(pos_, "`from` makes no copy: no `to`, `inherit` or `same-attributes`");
  }

  // SPEC 79: a size belongs to an attribute the step has; a handle list's
  // cbSize never goes past its entries (UpdateProcThreadAttribute would read
  // beyond the array).
  void attributeSizes(const Step& st) {
    if (st.listSize && !st.only) fail(pos_, "`list-size=` needs an `only` list");
    if (st.parentSize && !st.parent) fail(pos_, "`parent-size=` needs `parent=`");
    if (st.listSize && *st.listSize > st.only->size() * 8)
      fail(pos_, "`list-size=" + std::to_string(*st.listSize) + "` is more than the " +
                     std::to_string(st.only->size() * 8) + " bytes the list holds");
    if (st.parentSize && *st.parentSize > 8)
      fail(pos_, "`parent-size=` is more than the 8 bytes of a handle");
  }

  // One positional word.
  void word(Step& st, proto::Arg a) {
    using A = proto::Arg;
    const std::string keyword = proto::keyword(st.op);
    skipSpace();
    switch (a) {
      case A::Name:
        st.objectName = objectName("a name after " + quoted(keyword));
        break;
      case A::NewName:
        st.objectName = objectName("a " + std::string(proto::opInfo(st.op).object) +
                                   " name after " + quoted(keyword));
        break;
      case A::Child:
        st.child = identifier("a process label after " + quoted(keyword));
        break;
      case A::Operand:
        st.handle = handleRef(proto::opInfo(st.op).verb);
        break;
      case A::Text:
        st.text = text("the text to write after " + quoted(keyword + " " + handleText(st.handle)));
        break;
      case A::Code:
        if (isDigit(peek())) st.code = number("an exit code");
        break;
      case A::StdSlot:
        stdSlot(st, keyword);
        break;
      default:
        break;
    }
  }

  void stdSlot(Step& st, const std::string& keyword) {
    for (const auto& [w, slot] : kStdSlotWords)
      if (accept(w)) {
        st.stdSlot = slot;
        return;
      }
    fail(pos_, "expected in, out or err after " + quoted(keyword) + ", got " + got());
  }

  bool stdField(std::string_view kw, std::optional<HandleRef>& field, std::size_t at) {
    if (!acceptLiteral(kw)) return false;
    if (field) fail(at, quoted(kw) + " given twice");
    field = handleRef(kw);
    return true;
  }

  bool consoleWord(std::string_view kw, std::uint32_t bit, Step& st, std::size_t at) {
    if (!accept(kw)) return false;
    if (st.console & bit) fail(at, quoted(kw) + " given twice");
    const std::uint32_t flags = proto::consoleFlagWords(st.console);
    if (bit != proto::kConsoleGui &&
        ((bit == proto::kConsoleInheritParent && flags) || (flags & proto::kConsoleInheritParent)))
      fail(at, "`inherit-console` (no console flag) excludes the other console words");
    st.console |= bit;
    return true;
  }

  // One option at the cursor, when it is `a`: false when it is not. Each
  // family answers false for another family's words.
  bool option(Step& st, proto::Arg a, std::size_t at) {
    return handleOption(st, a, at) || spawnOption(st, a, at) || stdOption(st, a, at) ||
           pipeOption(st, a, at);
  }

  // The options of creates, opens, dup and set.
  bool handleOption(Step& st, proto::Arg a, std::size_t at) {
    using A = proto::Arg;
    const std::string_view kw = optionWord(a);
    switch (a) {
      case A::NameOption:
        if (!acceptLiteral(kw)) return false;
        if (!st.objectName.empty()) fail(at, quoted(kw) + " given twice");
        st.objectName = objectName("an object name after `name=`");
        return true;
      case A::Inherit:
        return flag(kw, st.inherit, at);
      case A::CloseSource:
        return flag(kw, st.closeSource, at);
      case A::SameAttributes:
        return flag(kw, st.sameAttributes, at);
      case A::To:
      case A::From: {
        if (!accept(kw)) return false;
        std::string& label = a == A::To ? st.target : st.source;
        if (!label.empty()) fail(at, quoted(kw) + " given twice");
        skipSpace();
        label = identifier("a process label after " + quoted(kw));
        return true;
      }
      case A::Share:
        return acceptLiteral(kw) && (share(st, at), true);
      case A::SetInherit:
        return onOffOption(kw, st.setInherit, at);
      case A::SetProtect:
        return onOffOption(kw, st.setProtect, at);
      case A::DesiredAccess:
        if (!acceptLiteral(kw)) return false;
        if (st.desiredAccess) fail(at, "`access=` given twice");
        st.desiredAccess = accessMask("an access mask after `access=`");
        return true;
      case A::MapWrite:
        return flag(kw, st.mapWrite, at);
      default:
        return false;
    }
  }

  // A spawn's options: inheritance and the attribute list (SPEC 22-25, 78-85).
  bool spawnOption(Step& st, proto::Arg a, std::size_t at) {
    using A = proto::Arg;
    const std::string_view kw = optionWord(a);
    switch (a) {
      case A::InheritHandles:
        return flag(kw, st.inherit, at);
      case A::NoInherit:
        return flag(kw, st.noinherit, at);
      case A::ProcessInherit:
        return flag(kw, st.processInherit, at);
      case A::ThreadInherit:
        return flag(kw, st.threadInherit, at);
      case A::Only:
        if (!accept(kw)) return false;
        if (st.only) fail(at, quoted(kw) + " given twice");
        st.only = handleList();
        return true;
      case A::ParentProcess:
        if (!acceptLiteral(kw)) return false;
        if (st.parent) fail(at, "`parent=` given twice");
        st.parent = listedHandle("parent=");
        return true;
      case A::ListSize:
      case A::ParentSize: {
        if (!acceptLiteral(kw)) return false;
        std::optional<std::uint32_t>& size = a == A::ListSize ? st.listSize : st.parentSize;
        if (size) fail(at, quoted(kw) + " given twice");
        size = number("a size in bytes after " + quoted(kw));
        return true;
      }
      case A::UnknownAttr:
        return flag(kw, st.unknownAttribute, at);
      default:
        return false;
    }
  }

  // A spawn's STARTUPINFO std fields and console words (SPEC 51-66).
  bool stdOption(Step& st, proto::Arg a, std::size_t at) {
    using A = proto::Arg;
    const std::string_view kw = optionWord(a);
    switch (a) {
      case A::StdInput:
        return stdField(kw, st.stdInput, at);
      case A::StdOutput:
        return stdField(kw, st.stdOutput, at);
      case A::StdError:
        return stdField(kw, st.stdError, at);
      case A::Detached:
      case A::NewConsole:
      case A::NoWindow:
      case A::InheritConsole:
      case A::Gui:
        return consoleWord(kw, consoleBit(a), st, at);
      default:
        return false;
    }
  }

  // The options of CreateNamedPipeW and of a client's open (SPEC 40-43).
  bool pipeOption(Step& st, proto::Arg a, std::size_t at) {
    using A = proto::Arg;
    const std::string_view kw = optionWord(a);
    switch (a) {
      case A::Direction:
        return oneWord(kDirectionWords, st.direction, "a direction", at);
      case A::PipeType:
        return acceptLiteral(kw) && (byteOrMessage(kw, st.typeMessage, at), true);
      case A::ReadMode:
        return acceptLiteral(kw) && (byteOrMessage(kw, st.readModeMessage, at), true);
      case A::NoWait:
        return flag(kw, st.nowait, at);
      case A::FirstInstance:
        return flag(kw, st.first, at);
      case A::MaxInstances:
        if (!acceptLiteral(kw)) return false;
        if (st.maxInstances) fail(at, "`max=` given twice");
        st.maxInstances = number("an instance count after `max=`");
        return true;
      case A::Access:
        if (!acceptLiteral(kw)) return false;
        if (st.access) fail(at, "`access=` given twice");
        if (!oneWord(kAccessWords, st.access, "", at))
          fail(pos_, "expected read, write or read-write after `access=`, got " + got());
        return true;
      default:
        return false;
    }
  }

  // One of `words` at the cursor, into `field` (once): false when none stands there.
  template <typename T, std::size_t N>
  bool oneWord(const std::pair<std::string_view, T> (&words)[N], std::optional<T>& field,
               std::string_view what, std::size_t at) {
    for (const auto& [word, value] : words) {
      if (!accept(word)) continue;
      if (field) fail(at, std::string(what) + " given twice");
      field = value;
      return true;
    }
    return false;
  }

  // The value after `type=` or `readmode=`.
  void byteOrMessage(std::string_view kw, std::optional<bool>& field, std::size_t at) {
    if (field) fail(at, quoted(kw) + " given twice");
    if (accept("byte"))
      field = false;
    else if (accept("message"))
      field = true;
    else
      fail(pos_, "expected byte or message after " + quoted(kw) + ", got " + got());
  }

  bool flag(std::string_view kw, bool& field, std::size_t at) {
    if (!accept(kw)) return false;
    once(field, at, kw);
    return true;
  }

  bool onOffOption(std::string_view kw, std::optional<bool>& field, std::size_t at) {
    if (!acceptLiteral(kw)) return false;
    if (field) fail(at, quoted(kw) + " given twice");
    field = onOff(kw);
    return true;
  }

  // MASK: hex (0x1f0003), decimal, or access-right names joined by `|`
  // (SYNCHRONIZE|EVENT_MODIFY_STATE).
  std::uint32_t accessMask(std::string_view what) {
    const std::size_t at = pos_;
    while (!atEnd() && (isIdentChar(peek()) || peek() == '|')) ++pos_;
    const std::string_view word = s_.substr(at, pos_ - at);
    if (word.empty()) fail(at, "expected " + std::string(what) + ", got " + got());
    const auto mask = model::parseAccessMask(word);
    if (!mask)
      fail(at, "malformed access mask " + quoted(word) +
                   " (write hex such as 0x1f0003 or names such as SYNCHRONIZE|EVENT_MODIFY_STATE)");
    return *mask;
  }

  // The value after `share=`.
  void share(Step& st, std::size_t at) {
    if (st.share) fail(at, "`share=` given twice");
    for (const auto& [word, mode] : kShareWords)
      if (accept(word)) {
        st.share = mode;
        return;
      }
    fail(pos_, "expected read, read-write or none after `share=`, got " + got());
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

  // `as` ends a spawn's options, so it is never a listed handle's name, nor
  // the designated parent's.
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

  // After `value=`: NAME, LABEL.NAME or #0x raw, as written.
  std::string valueOperand() {
    const std::size_t at = pos_;
    if (peek() == '#') return handleText(handleRef("value="));
    std::string out = identifier("a handle name, LABEL.NAME or #0x value after `value=`");
    if (peek() == '.') {
      ++pos_;
      out += "." + identifier("a handle name after " + quoted(out + "."));
    }
    (void)at;
    return out;
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
    if (!atEnd())
      fail(pos_, "unexpected " + got() + " (expected `=>`, `#` or the end of the line)");
  }

  // One expectation after `=>`: a flag word or `word=value`.
  Expect expectation() {
    const std::size_t at = pos_;
    while (!atEnd() && (isIdentChar(peek()) || peek() == '-')) ++pos_;
    const std::string_view word = s_.substr(at, pos_ - at);
    if (word.empty()) {
      fail(at, "expected an expectation (ok, error=N, count=N, ...), got " + got());
    }
    if (const auto e = flagExpectation(word)) return *e;
    if (word == "count") return countExpectation();
    if (const auto e = valueExpectation(word)) return *e;
    fail(at, "unknown expectation " + quoted(word) +
                 " (expected ok, error=, already-exists, valid, invalid, inherit, noinherit, "
                 "protect, noprotect, count=, count>=, type=, same=, data=, exitcode=, messages=, "
                 "avail=, instances=, value=, access= or attribute-list-size=)");
  }

  // ok, already-exists, valid, ...: a word without a value.
  std::optional<Expect> flagExpectation(std::string_view word) {
    using K = Expect::Kind;
    static constexpr std::pair<std::string_view, K> kFlags[] = {
        {"ok", K::Ok},           {"already-exists", K::AlreadyExists},
        {"valid", K::Valid},     {"invalid", K::Invalid},
        {"inherit", K::Inherit}, {"noinherit", K::NoInherit},
        {"protect", K::Protect}, {"noprotect", K::NoProtect}};
    for (const auto& [name, kind] : kFlags) {
      if (word != name) continue;
      if (peek() == '=' || peek() == '>') fail(pos_, quoted(word) + " takes no value");
      Expect e;
      e.kind = kind;
      return e;
    }
    return std::nullopt;
  }

  // count=N or count>=N.
  Expect countExpectation() {
    Expect e;
    if (acceptLiteral(">="))
      e.kind = Expect::Kind::CountAtLeast;
    else if (acceptLiteral("="))
      e.kind = Expect::Kind::Count;
    else
      fail(pos_, "expected `=` or `>=` after `count`, got " + got());
    e.number = number("a handle count");
    return e;
  }

  // error=, type=, same=, data=, messages=, exitcode=, avail=, instances=, access=,
  // attribute-list-size=; nothing for another word.
  std::optional<Expect> valueExpectation(std::string_view word) {
    using K = Expect::Kind;
    static constexpr std::pair<std::string_view, K> kValued[] = {
        {"error", K::Error},
        {"type", K::Type},
        {"same", K::Same},
        {"data", K::Data},
        {"messages", K::Messages},
        {"exitcode", K::ExitCode},
        {"avail", K::Avail},
        {"instances", K::Instances},
        {"value", K::Value},
        {"access", K::Access},
        {"attribute-list-size", K::AttributeListSize}};
    const auto it = std::find_if(std::begin(kValued), std::end(kValued),
                                 [&](const auto& v) { return v.first == word; });
    if (it == std::end(kValued)) return std::nullopt;
    if (!acceptLiteral("=")) fail(pos_, "expected `=` after " + quoted(word) + ", got " + got());
    Expect e;
    e.kind = it->second;
    switch (e.kind) {
      case K::Error:
        errorValue(e);
        break;
      case K::Type:
        typeValue(e);
        break;
      case K::Same:
        e.text = identifier("a handle name after `same=`");
        break;
      case K::Value:
        e.text = valueOperand();
        break;
      case K::Data:
        e.text = text("the expected message after `data=`");
        break;
      case K::Messages:
        e.number = number("a message count after `messages=`");
        break;
      case K::Avail:
        e.number = number("a byte count after `avail=`");
        break;
      case K::Instances:
        e.number = number("an instance count after `instances=`");
        break;
      case K::Access:
        e.number = accessMask("an access mask after `access=`");
        break;
      case K::AttributeListSize:
        e.number = number("a byte count after `attribute-list-size=`");
        break;
      default:
        e.number = number("an exit code after `exitcode=`");
        break;
    }
    return e;
  }

  // error=N or error=NAME.
  void errorValue(Expect& e) {
    if (isDigit(peek())) {
      e.number = number("an error code");
      return;
    }
    const std::size_t nameAt = pos_;
    e.text = identifier("an error name or number after `error=`");
    const auto code = errorCode(e.text);
    if (!code)
      fail(nameAt, "unknown error name " + quoted(e.text) + " (write its number: error=N)");
    e.number = *code;
  }

  void typeValue(Expect& e) {
    const std::size_t typeAt = pos_;
    e.text = identifier("an NT type name after `type=`");
    if (!isNtType(e.text))
      fail(typeAt, "unknown NT type " + quoted(e.text) +
                       " (expected Event, Mutant, Semaphore, Section, File, Process or Thread)");
  }

  std::string_view s_;
  std::string_view file_;
  int line_;
  std::size_t pos_ = 0;
};

// A line that is one keyword alone (a trailing comment allowed): `parallel`,
// `branch`, `end`.
bool keywordLine(std::string_view line, std::string_view kw) {
  while (!line.empty() && isSpace(line.front())) line.remove_prefix(1);
  if (!line.starts_with(kw)) return false;
  line.remove_prefix(kw.size());
  while (!line.empty() && isSpace(line.front())) line.remove_prefix(1);
  return line.empty() || line.front() == '#';
}

// The parallel blocks: which lines open, split and close them, and what a
// block may hold (Scenario.h: 2-3 branches of 1-kMaxBranchSteps steps, each
// branch on one thread of its own, named on every step).
class BlockParser {
 public:
  explicit BlockParser(std::string_view file) : file_(file) {}

  // Consumes a block line; false for any other line.
  bool line(std::string_view text, int lineNo) {
    const auto column = [&] {
      std::size_t c = 0;
      while (c < text.size() && isSpace(text[c])) ++c;
      return static_cast<int>(c) + 1;
    };
    if (keywordLine(text, "parallel")) {
      if (open_) fail(lineNo, column(), "`parallel` inside a parallel block (blocks do not nest)");
      open_ = true;
      openedAt_ = lineNo;
      ++block_;
      branches_ = 0;
      return true;
    }
    if (keywordLine(text, "branch")) {
      if (!open_) fail(lineNo, column(), "`branch` outside a parallel block");
      closeBranch(lineNo, column());
      if (branches_ == kMaxBranches)
        fail(lineNo, column(),
             "a parallel block has at most " + std::to_string(kMaxBranches) + " branches");
      ++branches_;
      steps_ = 0;
      thread_.clear();
      return true;
    }
    if (keywordLine(text, "end")) {
      if (!open_) fail(lineNo, column(), "`end` outside a parallel block");
      closeBranch(lineNo, column());
      if (branches_ < kMinBranches)
        fail(lineNo, column(),
             "a parallel block has at least " + std::to_string(kMinBranches) + " branches");
      open_ = false;
      return true;
    }
    return false;
  }

  // Places a parsed step: in the open branch, if any.
  void step(Step& st) {
    if (!open_) return;
    if (branches_ == 0) fail(st.line, 1, "a step of a parallel block before its first `branch`");
    if (st.thread.empty())
      fail(st.line, 1, "a step of a parallel branch names its thread (`P0.T1: ...`)");
    const std::string thread = st.process + "." + st.thread;
    if (steps_ == 0) {
      for (const std::string& other : threads_)
        if (other == thread)
          fail(st.line, 1, "thread " + thread + " runs another branch of this block");
      threads_.push_back(thread);
      thread_ = thread;
    } else if (thread != thread_) {
      fail(st.line, 1, "a branch runs on one thread: " + thread_ + ", not " + thread);
    }
    if (++steps_ > kMaxBranchSteps)
      fail(st.line, 1,
           "a parallel branch has at most " + std::to_string(kMaxBranchSteps) + " steps");
    st.block = block_;
    st.branch = branches_ - 1;
  }

  void finish(int lastLine) const {
    if (open_)
      fail(lastLine, 1,
           "the parallel block opened on line " + std::to_string(openedAt_) + " has no `end`");
  }

 private:
  void closeBranch(int lineNo, int column) {
    if (branches_ > 0 && steps_ == 0) fail(lineNo, column, "an empty parallel branch");
    if (branches_ == 0) threads_.clear();
  }
  [[noreturn]] void fail(int lineNo, int column, const std::string& message) const {
    throw ParseError(std::string(file_), lineNo, column, message);
  }

  std::string_view file_;
  bool open_ = false;
  int openedAt_ = 0;
  std::size_t block_ = 0, branches_ = 0, steps_ = 0;
  std::string thread_;
  std::vector<std::string> threads_;
};

}  // namespace

Scenario parse(std::string_view text, std::string_view file) {
  Scenario sc;
  sc.file = std::string(file);
  BlockParser blocks(file);
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
    if (blocks.line(line, lineNo)) continue;
    if (auto step = LineParser(line, file, lineNo).parse()) {
      blocks.step(*step);
      sc.steps.push_back(std::move(*step));
    }
  }
  blocks.finish(lineNo);
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
