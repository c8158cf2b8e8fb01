// The .hcs printer: the inverse of parse(). Writes each step in its one
// canonical spelling (options in the order of properties/scenario/README.md, single blanks)
// and refuses a step that no line could spell (std::invalid_argument), so a
// shrunk counterexample always prints as a scenario that replays.
#include <cstdio>
#include <stdexcept>

#include "Lexical.h"
#include "handlecheck/scenario/Scenario.h"

namespace hc::scenario {
namespace {

using namespace lexical;

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("scenario step cannot be printed: " + what);
}

std::string identifier(const std::string& s, std::string_view what) {
  require(isIdentifier(s), std::string(what) + " `" + s + "` is not [A-Za-z_][A-Za-z0-9_]*");
  return s;
}

std::string objectName(const std::string& s) {
  require(isObjectName(s), "object name `" + s + "` is not [A-Za-z0-9_.-]+");
  return s;
}

std::string handle(const HandleRef& h) {
  if (!h.raw) return identifier(h.name, "handle name");
  require(h.name.empty(), "a handle is both a name and a raw value");
  char buf[24];
  std::snprintf(buf, sizeof buf, "#0x%llx", static_cast<unsigned long long>(*h.raw));
  return buf;
}

// TEXT: bare when it can be, else a "string" escaping " and \.
std::string text(const std::string& s) {
  if (isBareText(s)) return s;
  require(isQuotableText(s), "text spans lines");
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

}  // namespace

std::string print(const Expect& e) {
  using K = Expect::Kind;
  switch (e.kind) {
    case K::Ok: return "ok";
    case K::Error:
      if (e.text.empty()) return "error=" + std::to_string(e.number);
      require(errorCode(e.text) == e.number, "error name `" + e.text + "` does not name code " +
                                                 std::to_string(e.number));
      return "error=" + e.text;
    case K::AlreadyExists: return "already-exists";
    case K::Valid: return "valid";
    case K::Invalid: return "invalid";
    case K::Inherit: return "inherit";
    case K::NoInherit: return "noinherit";
    case K::Protect: return "protect";
    case K::NoProtect: return "noprotect";
    case K::Count: return "count=" + std::to_string(e.number);
    case K::CountAtLeast: return "count>=" + std::to_string(e.number);
    case K::Type:
      require(isNtType(e.text), "`" + e.text + "` is not an NT type name");
      return "type=" + e.text;
    case K::Same: return "same=" + identifier(e.text, "handle name");
    case K::Data: return "data=" + text(e.text);
    case K::ExitCode: return "exitcode=" + std::to_string(e.number);
    case K::Messages: return "messages=" + std::to_string(e.number);
  }
  return "?";
}

std::string print(const Step& s) {
  std::string out;
  if (s.processWritten || s.process != "P0") out += identifier(s.process, "process label") + ": ";
  out += opName(s.op);
  const auto flag = [&](bool on, std::string_view kw) {
    if (on) (out += ' ') += kw;
  };
  std::size_t names = 0;  // how many `as` names the operation binds
  switch (s.op) {
    case OpKind::Create:
      (out += ' ') += typeName(s.type);
      if (s.type == ObjectType::Mailslot) {
        out += ' ' + objectName(s.objectName);
      } else if (s.type == ObjectType::Pipe) {
        require(s.objectName.empty(), "a pipe has no name");
      } else if (!s.objectName.empty()) {
        out += " name=" + objectName(s.objectName);
      }
      flag(s.inherit, "inherit");
      names = s.type == ObjectType::Pipe ? 2 : 1;
      break;
    case OpKind::Open:
      require(s.type != ObjectType::Pipe, "a pipe cannot be opened by name");
      (out += ' ') += typeName(s.type);
      out += ' ' + objectName(s.objectName);
      flag(s.inherit, "inherit");
      if (s.share) {
        require(s.type == ObjectType::Mailslot, "a share mode on a non-mailslot open");
        out += *s.share == Step::Share::Read        ? " share=read"
               : *s.share == Step::Share::ReadWrite ? " share=read-write"
                                                    : " share=none";
      }
      names = 1;
      break;
    case OpKind::Spawn:
      require(!(s.inherit && s.noinherit), "`inherit` and `noinherit` together");
      out += ' ' + identifier(s.child, "process label");
      flag(s.inherit, "inherit");
      flag(s.noinherit, "noinherit");
      if (s.only) {
        require(!s.only->empty(), "an empty `only` list");
        out += " only ";
        for (std::size_t i = 0; i < s.only->size(); ++i) {
          require((*s.only)[i].name != "as", "a handle named `as` in an `only` list");
          out += (i ? "," : "") + handle((*s.only)[i]);
        }
      }
      flag(s.processInherit, "process-inherit");
      flag(s.threadInherit, "thread-inherit");
      names = 2;
      break;
    case OpKind::Dup:
      out += ' ' + handle(s.handle);
      if (!s.target.empty()) out += " to " + identifier(s.target, "process label");
      flag(s.inherit, "inherit");
      flag(s.closeSource, "close-source");
      flag(s.sameAttributes, "same-attributes");
      names = 1;
      break;
    case OpKind::Set:
      out += ' ' + handle(s.handle);
      if (s.setInherit) out += *s.setInherit ? " inherit=on" : " inherit=off";
      if (s.setProtect) out += *s.setProtect ? " protect=on" : " protect=off";
      break;
    case OpKind::Write:
      out += ' ' + handle(s.handle) + ' ' + text(s.text);
      break;
    case OpKind::Close:
    case OpKind::Read:
    case OpKind::Query:
    case OpKind::Wait:
      out += ' ' + handle(s.handle);
      break;
    case OpKind::Terminate:
      out += ' ' + handle(s.handle);
      [[fallthrough]];
    case OpKind::Exit:
      if (s.code) out += ' ' + std::to_string(*s.code);
      break;
  }
  require(s.as.size() == names, std::string(opName(s.op)) + " binds " + std::to_string(names) +
                                    " names, the step has " + std::to_string(s.as.size()));
  if (names) {
    out += " as";
    for (const auto& n : s.as) out += ' ' + identifier(n, "handle name");
  }
  if (!s.expects.empty()) {
    out += " =>";
    for (std::size_t i = 0; i < s.expects.size(); ++i)
      out += (i ? ", " : " ") + print(s.expects[i]);
  }
  if (!s.comment.empty()) {
    require(isComment(s.comment), "comment spans lines or has surrounding blanks");
    out += "  # " + s.comment;
  }
  return out;
}

std::string print(const Scenario& sc) {
  std::string out;
  for (const auto& s : sc.steps) out += print(s) + '\n';
  return out;
}

}  // namespace hc::scenario
