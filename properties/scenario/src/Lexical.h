#pragma once
// The character classes of the .hcs format (the scenario language, properties/scenario/README.md),
// shared by the parser and the printer so that what one writes the other reads.
#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

#include "Ops.h"
#include "handlecheck/scenario/Scenario.h"

namespace hc::scenario::lexical {

// How an option of the table of operations' grammar (proto::Arg) is spelled;
// "" for a positional word.
constexpr std::string_view optionWord(proto::Arg a) {
  using A = proto::Arg;
  switch (a) {
    case A::NameOption:
      return "name=";
    case A::Inherit:
    case A::InheritHandles:
      return "inherit";
    case A::NoInherit:
      return "noinherit";
    case A::Only:
      return "only";
    case A::ProcessInherit:
      return "process-inherit";
    case A::ThreadInherit:
      return "thread-inherit";
    case A::To:
      return "to";
    case A::From:
      return "from";
    case A::CloseSource:
      return "close-source";
    case A::SameAttributes:
      return "same-attributes";
    case A::Share:
      return "share=";
    case A::SetInherit:
      return "inherit=";
    case A::SetProtect:
      return "protect=";
    case A::PipeType:
      return "type=";
    case A::ReadMode:
      return "readmode=";
    case A::NoWait:
      return "nowait";
    case A::MaxInstances:
      return "max=";
    case A::FirstInstance:
      return "first";
    case A::Access:
    case A::DesiredAccess:
      return "access=";
    case A::StdInput:
      return "stdin=";
    case A::StdOutput:
      return "stdout=";
    case A::StdError:
      return "stderr=";
    case A::Detached:
      return "detached";
    case A::NewConsole:
      return "new-console";
    case A::NoWindow:
      return "no-window";
    case A::InheritConsole:
      return "inherit-console";
    case A::MapWrite:
      return "write";
    case A::ParentProcess:
      return "parent=";
    case A::ListSize:
      return "list-size=";
    case A::ParentSize:
      return "parent-size=";
    case A::UnknownAttr:
      return "unknown-attribute";
    case A::Gui:
      return "gui";
    default:
      return "";
  }
}

// The std slot words of `std` and `setstd`.
inline constexpr std::pair<std::string_view, std::uint32_t> kStdSlotWords[] = {
    {"in", proto::kStdInput}, {"out", proto::kStdOutput}, {"err", proto::kStdError}};

// A spawn's console word's bit (proto::kConsole*), 0 for another Arg.
constexpr std::uint32_t consoleBit(proto::Arg a) {
  using A = proto::Arg;
  switch (a) {
    case A::Detached:
      return proto::kConsoleDetached;
    case A::NewConsole:
      return proto::kConsoleNew;
    case A::NoWindow:
      return proto::kConsoleNoWindow;
    case A::InheritConsole:
      return proto::kConsoleInheritParent;
    case A::Gui:
      return proto::kConsoleGui;
    default:
      return 0;
  }
}

// The values of `share=`, longest first (`read` is a prefix of `read-write`).
inline constexpr std::pair<std::string_view, Step::Share> kShareWords[] = {
    {"read-write", Step::Share::ReadWrite},
    {"read", Step::Share::Read},
    {"none", Step::Share::None}};

// The words of a named pipe's direction, and the values of `access=`
// (longest first: `read` is a prefix of `read-write`).
inline constexpr std::pair<std::string_view, Step::Direction> kDirectionWords[] = {
    {"duplex", Step::Direction::Duplex},
    {"inbound", Step::Direction::Inbound},
    {"outbound", Step::Direction::Outbound}};
inline constexpr std::pair<std::string_view, Step::Access> kAccessWords[] = {
    {"read-write", Step::Access::ReadWrite},
    {"read", Step::Access::Read},
    {"write", Step::Access::Write}};

inline bool isAlpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
inline bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
inline bool isSpace(char c) {
  return c == ' ' || c == '\t';
}

// Labels and handle names: [A-Za-z_][A-Za-z0-9_]*.
inline bool isIdentStart(char c) {
  return isAlpha(c) || c == '_';
}
inline bool isIdentChar(char c) {
  return isIdentStart(c) || isDigit(c);
}
inline bool isIdentifier(std::string_view s) {
  return !s.empty() && isIdentStart(s[0]) && std::all_of(s.begin() + 1, s.end(), isIdentChar);
}

// TEXT written bare: [A-Za-z0-9_.:/-]+ (anything else is double-quoted).
inline bool isBareChar(char c) {
  return isIdentChar(c) || c == '.' || c == ':' || c == '/' || c == '-';
}
inline bool isBareText(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), isBareChar);
}
// What a double-quoted TEXT may hold: one line.
inline bool isQuotableText(std::string_view s) {
  return s.find_first_of("\r\n") == std::string_view::npos;
}

// Object and mailslot names: [A-Za-z0-9_.-]+ (no '\': that is the namespace
// separator of \BaseNamedObjects).
inline bool isObjectNameChar(char c) {
  return isIdentChar(c) || c == '.' || c == '-';
}
inline bool isObjectName(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), isObjectNameChar);
}

// NT type names `type=` accepts (ObjectTypeInformation.TypeName). A console
// handle is a File on Windows 8 and later and a Device under Wine; an observed
// scenario prints what the system said.
inline constexpr std::array<std::string_view, 8> kNtTypes{
    "Event", "Mutant", "Semaphore", "Section", "File", "Process", "Thread", "Device"};
inline bool isNtType(std::string_view s) {
  return std::find(kNtTypes.begin(), kNtTypes.end(), s) != kNtTypes.end();
}

// A trailing comment as stored in Step::comment: one line, no surrounding blanks.
inline bool isComment(std::string_view s) {
  return isQuotableText(s) && (s.empty() || (!isSpace(s.front()) && !isSpace(s.back())));
}

}  // namespace hc::scenario::lexical
