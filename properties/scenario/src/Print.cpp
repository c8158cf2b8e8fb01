// The .hcs printer: the inverse of parse(). Writes each step in its one
// canonical spelling (options in the order of properties/scenario/README.md, single blanks)
// and refuses a step that no line could spell (std::invalid_argument), so a
// shrunk counterexample always prints as a scenario that replays.
#include <algorithm>
#include <cstdio>
#include <optional>
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
    case K::Ok:
      return "ok";
    case K::Error:
      if (e.text.empty()) return "error=" + std::to_string(e.number);
      require(errorCode(e.text) == e.number,
              "error name `" + e.text + "` does not name code " + std::to_string(e.number));
      return "error=" + e.text;
    case K::AlreadyExists:
      return "already-exists";
    case K::Valid:
      return "valid";
    case K::Invalid:
      return "invalid";
    case K::Inherit:
      return "inherit";
    case K::NoInherit:
      return "noinherit";
    case K::Protect:
      return "protect";
    case K::NoProtect:
      return "noprotect";
    case K::Count:
      return "count=" + std::to_string(e.number);
    case K::CountAtLeast:
      return "count>=" + std::to_string(e.number);
    case K::Type:
      require(isNtType(e.text), "`" + e.text + "` is not an NT type name");
      return "type=" + e.text;
    case K::Same:
      return "same=" + identifier(e.text, "handle name");
    case K::Data:
      return "data=" + text(e.text);
    case K::ExitCode:
      return "exitcode=" + std::to_string(e.number);
    case K::Messages:
      return "messages=" + std::to_string(e.number);
    case K::Avail:
      return "avail=" + std::to_string(e.number);
    case K::Access:
      return "access=" + proto::hex(e.number);
    case K::Instances:
      return "instances=" + std::to_string(e.number);
    case K::AttributeListSize:
      return "attribute-list-size=" + std::to_string(e.number);
    case K::Value:
      require(!e.text.empty() && e.text.find_first_of(" \t,") == std::string::npos,
              "`value=` needs a handle name, LABEL.NAME or #0x value");
      return "value=" + e.text;
  }
  return "?";
}

namespace {

// One positional word of the op's grammar, with its leading blank.
std::string word(const Step& s, proto::Arg a) {
  using A = proto::Arg;
  switch (a) {
    case A::Name:
    case A::NewName:
      return ' ' + objectName(s.objectName);
    case A::Child:
      return ' ' + identifier(s.child, "process label");
    case A::Operand:
      return ' ' + handle(s.handle);
    case A::Text:
      return ' ' + text(s.text);
    case A::Code:
      return s.code ? ' ' + std::to_string(*s.code) : "";
    case A::StdSlot:
      for (const auto& [w, slot] : kStdSlotWords)
        if (s.stdSlot == slot) return ' ' + std::string(w);
      require(false, "std slot " + std::to_string(s.stdSlot) + " is not in, out or err");
      return "";
    default:
      return "";
  }
}

std::string onOff(std::string_view kw, const std::optional<bool>& value) {
  if (!value) return "";
  return ' ' + std::string(kw) + (*value ? "on" : "off");
}

// The option `kw` when `on`, with its leading blank.
std::string flag(std::string_view kw, bool on) {
  return on ? ' ' + std::string(kw) : std::string();
}

// The options of creates, opens, dup and set, when the step has them.
std::string handleOption(const Step& s, proto::Arg a) {
  using A = proto::Arg;
  const std::string kw(optionWord(a));
  switch (a) {
    case A::NameOption:
      return s.objectName.empty() ? "" : ' ' + kw + objectName(s.objectName);
    case A::Inherit:
      return flag(kw, s.inherit);
    case A::CloseSource:
      return flag(kw, s.closeSource);
    case A::SameAttributes:
      return flag(kw, s.sameAttributes);
    case A::To:
      if (s.target.empty()) return "";
      return ' ' + kw + ' ' + identifier(s.target, "process label");
    case A::From:
      if (s.source.empty()) return "";
      require(s.closeSource && s.target.empty() && !s.inherit && !s.sameAttributes,
              "`from` without `close-source`, or with `to`, `inherit` or `same-attributes`");
      return ' ' + kw + ' ' + identifier(s.source, "process label");
    case A::Share:
      for (const auto& [value, mode] : kShareWords)
        if (s.share == mode) return ' ' + kw + std::string(value);
      return "";
    case A::SetInherit:
      return onOff(kw, s.setInherit);
    case A::SetProtect:
      return onOff(kw, s.setProtect);
    case A::DesiredAccess:
      return s.desiredAccess ? ' ' + kw + proto::hex(*s.desiredAccess) : "";
    case A::MapWrite:
      return flag(kw, s.mapWrite);
    default:
      return "";
  }
}

// A spawn's `only` list.
std::string onlyList(const Step& s, const std::string& kw) {
  if (!s.only) return "";
  require(!s.only->empty(), "an empty `only` list");
  std::string out = ' ' + kw + ' ';
  for (std::size_t i = 0; i < s.only->size(); ++i) {
    require((*s.only)[i].name != "as", "a handle named `as` in an `only` list");
    out += (i ? "," : "") + handle((*s.only)[i]);
  }
  return out;
}

// A spawn's inheritance and attribute list options (SPEC 22-25, 78-85).
std::string spawnOption(const Step& s, proto::Arg a) {
  using A = proto::Arg;
  const std::string kw(optionWord(a));
  switch (a) {
    case A::InheritHandles:
      return flag(kw, s.inherit);
    case A::NoInherit:
      require(!(s.inherit && s.noinherit), "`inherit` and `noinherit` together");
      return flag(kw, s.noinherit);
    case A::ProcessInherit:
      return flag(kw, s.processInherit);
    case A::ThreadInherit:
      return flag(kw, s.threadInherit);
    case A::Only:
      return onlyList(s, kw);
    case A::ListSize:
      return s.listSize ? ' ' + kw + std::to_string(*s.listSize) : "";
    case A::ParentSize:
      return s.parentSize ? ' ' + kw + std::to_string(*s.parentSize) : "";
    case A::UnknownAttr:
      return flag(kw, s.unknownAttribute);
    case A::ParentProcess:
      if (!s.parent) return "";
      require(s.parent->name != "as", "a designated parent named `as`");
      return ' ' + kw + handle(*s.parent);
    default:
      return "";
  }
}

// A spawn's STARTUPINFO std fields and console words (SPEC 51-66).
std::string stdOption(const Step& s, proto::Arg a) {
  using A = proto::Arg;
  const std::string kw(optionWord(a));
  switch (a) {
    case A::StdInput:
      return s.stdInput ? ' ' + kw + handle(*s.stdInput) : "";
    case A::StdOutput:
      return s.stdOutput ? ' ' + kw + handle(*s.stdOutput) : "";
    case A::StdError:
      return s.stdError ? ' ' + kw + handle(*s.stdError) : "";
    case A::Detached:
    case A::NewConsole:
    case A::NoWindow:
    case A::InheritConsole:
    case A::Gui:
      require(!(s.console & proto::kConsoleInheritParent) ||
                  proto::consoleFlagWords(s.console) == proto::kConsoleInheritParent,
              "`inherit-console` with another console word");
      return flag(kw, (s.console & consoleBit(a)) != 0);
    default:
      return "";
  }
}

// The options of CreateNamedPipeW and of a client's open (SPEC 40-43).
std::string pipeOption(const Step& s, proto::Arg a) {
  using A = proto::Arg;
  const std::string kw(optionWord(a));
  switch (a) {
    case A::Direction:
      for (const auto& [value, direction] : kDirectionWords)
        if (s.direction == direction) return ' ' + std::string(value);
      return "";
    case A::PipeType:
    case A::ReadMode: {
      const std::optional<bool>& message = a == A::PipeType ? s.typeMessage : s.readModeMessage;
      if (!message) return "";
      return ' ' + kw + (*message ? "message" : "byte");
    }
    case A::NoWait:
      return flag(kw, s.nowait);
    case A::FirstInstance:
      return flag(kw, s.first);
    case A::MaxInstances:
      return s.maxInstances ? ' ' + kw + std::to_string(*s.maxInstances) : "";
    case A::Access:
      for (const auto& [value, access] : kAccessWords)
        if (s.access == access) return ' ' + kw + std::string(value);
      return "";
    default:
      return "";
  }
}

// One option of the op's grammar when the step has it, with its leading
// blank: its family prints it, the others print nothing for it.
std::string option(const Step& s, proto::Arg a) {
  return handleOption(s, a) + spawnOption(s, a) + stdOption(s, a) + pipeOption(s, a);
}

// The expectations after `=>` and the trailing comment, with their blanks.
std::string tail(const Step& s) {
  std::string out;
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

}  // namespace

// The op's keyword and words as its row in the table of operations spells
// them, options in the row's order.
std::string print(const Step& s) {
  std::string out;
  if (!s.thread.empty())
    out +=
        identifier(s.process, "process label") + "." + identifier(s.thread, "thread label") + ": ";
  else if (s.processWritten || s.process != "P0")
    out += identifier(s.process, "process label") + ": ";
  const proto::OpInfo& info = proto::opInfo(s.op);
  require(!info.verb.empty(), "`" + std::string(info.name) + "` is no scenario operation");
  out += proto::keyword(s.op);
  const proto::Grammar& grammar = info.grammar;
  for (const proto::Arg a : grammar.words) out += word(s, a);
  for (const proto::Arg a : grammar.options) out += option(s, a);
  const bool named = proto::takes(s.op, proto::Arg::Name) ||
                     proto::takes(s.op, proto::Arg::NewName) ||
                     proto::takes(s.op, proto::Arg::NameOption);
  if (!info.object.empty()) {
    require(named || s.objectName.empty(), "a " + std::string(info.object) + " has no name");
    require(!s.share || proto::takes(s.op, proto::Arg::Share),
            "a share mode on " + proto::keyword(s.op));
  }
  const std::size_t names = namesBound(s);
  require(s.as.size() == names, std::string(info.verb) + " binds " + std::to_string(names) +
                                    " names, the step has " + std::to_string(s.as.size()));
  if (names) {
    out += " as";
    for (const auto& n : s.as) out += ' ' + identifier(n, "handle name");
  }
  return out + tail(s);
}

// Sequential steps one per line; a parallel block as `parallel`, each branch
// after a `branch` line, `end`, its steps indented. Throws for a block that
// would not parse back as the same block (Scenario.h).
std::string print(const Scenario& sc) {
  std::string out;
  std::size_t lastBlock = 0;
  for (const Segment& seg : segments(sc.steps)) {
    if (seg.block == 0) {
      out += print(sc.steps[seg.step]) + '\n';
      continue;
    }
    require(seg.block == lastBlock + 1, "parallel block " + std::to_string(seg.block) +
                                            " is split or out of order (blocks count from 1)");
    lastBlock = seg.block;
    std::size_t next = seg.branches.front().empty() ? 0 : seg.branches.front().front();
    for (const auto& branch : seg.branches)
      for (const std::size_t i : branch)
        require(i == next++, "a parallel block's steps are not grouped branch by branch");
    require(seg.branches.size() >= kMinBranches && seg.branches.size() <= kMaxBranches,
            "a parallel block of " + std::to_string(seg.branches.size()) + " branches");
    out += "parallel\n";
    std::vector<std::string> threads;
    for (const auto& branch : seg.branches) {
      require(!branch.empty() && branch.size() <= kMaxBranchSteps,
              "a parallel branch of " + std::to_string(branch.size()) + " steps");
      const Step& first = sc.steps[branch.front()];
      const std::string thread = first.process + "." + first.thread;
      require(std::find(threads.begin(), threads.end(), thread) == threads.end(),
              "two branches on thread " + thread);
      threads.push_back(thread);
      out += "  branch\n";
      for (const std::size_t i : branch) {
        const Step& st = sc.steps[i];
        require(!st.thread.empty() && st.process + "." + st.thread == thread,
                "a branch's steps run on one named thread");
        out += "    " + print(st) + '\n';
      }
    }
    out += "end\n";
  }
  return out;
}

}  // namespace hc::scenario
