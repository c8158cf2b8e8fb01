#pragma once
// Standard handles (SPEC 51-62): GetStdHandle and SetStdHandle on a slot, and
// CreateProcessW with STARTF_USESTDHANDLES fields and console flags. Only
// what the rules settle: a slot is read once its value is known (P0's are
// not until set), and a child shares its parent's console only when the
// parent has one of its own making; the model refuses the rest (canRun).
#include "Pick.h"

namespace hc::props {

namespace pick {
// (process, slot) for every slot whose value the model knows.
inline std::vector<std::pair<std::string, std::uint32_t>> knownStdSlots(const HarnessModel& m) {
  std::vector<std::pair<std::string, std::uint32_t>> out;
  for (const auto& p : runningProcesses(m))
    for (std::uint32_t i = 0; i < model::kStdSlots; ++i)
      if (modelProcess(m, p).std[i].known) out.emplace_back(p, i);
  return out;
}
// Whether one of `process`'s slots holds the handle bound to `name`.
inline bool inStdSlot(const HarnessModel& m, const std::string& process, const std::string& name) {
  const auto& names = m.bindings.processes.at(process).names;
  const auto value = names.find(name);
  if (value == names.end()) return false;
  for (const model::StdSlot& slot : modelProcess(m, process).std)
    if (slot.known && slot.value != 0 && slot.value == value->second) return true;
  return false;
}
// Whether a slot of `process` names one of its entries that is no console
// handle: what a child's copy of it (SPEC 55 line 6, or Wine's extra one)
// adds to is a count the model follows.
inline bool slotNamesEntry(const HarnessModel& m, const std::string& process) {
  for (const auto& h : openHandles(m, process))
    if (h.kind != model::ObjectKind::Console && inStdSlot(m, process, h.name)) return true;
  return false;
}
}  // namespace pick

// A process with a console of its own making (P0's is the harness's).
inline bool hasConsole(const HarnessModel& m, const std::string& p) {
  return modelProcess(m, p).console == model::ConsoleState::Attached;
}

// `std in|out|err as H`: the slot's value, a plain number (SPEC 51), bound
// and observed (a duplicated slot is an entry of its own, SPEC 57).
struct GetStdHandle : StepCommand {
  explicit GetStdHandle(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    // Mostly a slot of the child spawned last, while it runs: what its
    // spawn put there (a verbatim value, a duplicate, NULL) is what departs.
    const auto slots = pick::knownStdSlots(m);
    const std::string last = "C" + std::to_string(m.nextChild - 1);
    std::vector<std::pair<std::string, std::uint32_t>> newest;
    for (const auto& s : slots)
      if (s.first == last) newest.push_back(s);
    const auto [process, slot] =
        pick::draw(rc::gen::elementOf(!newest.empty() && pick::coin(64) ? newest : slots));
    scenario::Step s;
    s.op = proto::Op::GetStd;
    s.process = process;
    s.stdSlot = slot;
    s.as = {pick::freshName(m)};
    return s;
  }
};

// `setstd in|out|err H`: an open handle of the caller, mostly a pipe end, or
// NULL / INVALID_HANDLE_VALUE (SPEC 51: any value is stored).
struct SetStdHandle : StepCommand {
  explicit SetStdHandle(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s;
    s.op = proto::Op::SetStd;
    // Mostly a process with a console: the slots its console children get
    // from it (SPEC 55, 58) are the ones that differ between systems.
    std::vector<std::string> consoles;
    for (const auto& p : runningProcesses(m))
      if (hasConsole(m, p)) consoles.push_back(p);
    s.process = !consoles.empty() && pick::coin(60) ? pick::draw(rc::gen::elementOf(consoles))
                                                    : pick::process(m);
    s.stdSlot = static_cast<std::uint32_t>(pick::draw(rc::gen::inRange(0, 3)));
    const auto handles = openHandles(m, s.process);
    std::vector<HandleView> pipes, noinherit, inSlots;
    for (const auto& h : handles) {
      if (pick::isKind(h, {model::ObjectKind::PipeRead, model::ObjectKind::PipeWrite}))
        pipes.push_back(h);
      if (!h.inherit) noinherit.push_back(h);
      if (pick::inStdSlot(m, s.process, h.name)) inSlots.push_back(h);
    }
    // A handle already in another slot: a child's duplicates are one entry
    // per slot (SPEC 57), an inherited value one entry for both. A
    // non-inheritable one: a child's duplicate of it is its only copy.
    if (!inSlots.empty() && pick::coin(30))
      s.handle = {pick::anyOf(inSlots).name, {}};
    else if (!noinherit.empty() && pick::coin(25))
      s.handle = {pick::anyOf(noinherit).name, {}};
    else if (!pipes.empty() && pick::coin(70))
      s.handle = {pick::anyOf(pipes).name, {}};
    else if (!handles.empty() && pick::coin(80))
      s.handle = {pick::anyOf(handles).name, {}};
    else
      s.handle = {{}, pick::coin(60) ? 0 : ~proto::Handle{0}};
    return s;
  }
};

// CreateProcessW with std fields and console words (SPEC 54-62): pipe ends
// as std handles, one handle in two slots, non-inheritable and protected
// ones, values that name nothing, objects that are no files, a handle list
// with and without stdin=..., detached and no-window children (bare ones
// of a parent whose slot names a handle), GUI children, a console shared
// with a parent that has one.
// With `shareConsole` the parent is one with a console and the child shares
// it: the slots then come from the parent's (SPEC 55, 58), where Wine departs.
struct CreateProcessStd : StepCommand {
  CreateProcessStd(const HarnessModel& m, const GenConfig& c, bool shareConsole = false)
      : StepCommand(make(m, c, shareConsole)) {}
  static scenario::Step make(const HarnessModel& m, const GenConfig& c, bool shareConsole) {
    std::vector<std::string> parents;
    for (const auto& p : runningProcesses(m))
      if (m.depth.at(p) < c.maxDepth && (!shareConsole || hasConsole(m, p))) parents.push_back(p);
    if (parents.empty()) parents = runningProcesses(m);  // genCommand avoids this
    scenario::Step s;
    s.op = proto::Op::Spawn;
    s.process = pick::draw(rc::gen::elementOf(parents));
    s.child = "C" + std::to_string(m.nextChild);
    // A parent whose slot names one of its entries, often: a no-window
    // child started without bInheritHandles and without fields gets fresh
    // console handles and nothing of the parent's (SPEC 61), where Wine
    // also copies the slot's handle into it.
    const bool bareNoWindow = !shareConsole && pick::slotNamesEntry(m, s.process) && pick::coin(55);
    s.inherit = !bareNoWindow && pick::coin(70);
    // The console: its own, none, or its parent's when the parent has one.
    const bool parentConsole = hasConsole(m, s.process);
    // A parent with a console shares it often: the only way a child's slots
    // come from its parent's (SPEC 55 lines 5-6).
    const int console = bareNoWindow ? 2
                        : parentConsole && (shareConsole || pick::coin(40))
                            ? 5
                            : pick::draw(rc::gen::inRange(0, 5));
    s.console = console == 0   ? 0
                : console == 1 ? proto::kConsoleDetached
                : console == 2 ? proto::kConsoleNoWindow
                : console == 3 ? proto::kConsoleNew
                : console == 4 ? (pick::coin(30) ? proto::kConsoleNew | proto::kConsoleDetached
                                                 : proto::kConsoleNoWindow)
                               : proto::kConsoleInheritParent;
    // A GUI child (SPEC 59) where it has no console either way: NULL where a
    // console child sharing its parent's console would get duplicates.
    if ((console <= 1 || console == 5) && pick::coin(console == 5 ? 45 : 15))
      s.console |= proto::kConsoleGui;
    const auto handles = openHandles(m, s.process);
    std::vector<HandleView> pipes;
    for (const auto& h : handles)
      if (pick::isKind(h, {model::ObjectKind::PipeRead, model::ObjectKind::PipeWrite}))
        pipes.push_back(h);
    std::vector<HandleView> noinherit, notFiles;
    for (const auto& h : handles) {
      if (!h.inherit)
        noinherit.push_back(h);
      else if (pick::isKind(h, {model::ObjectKind::Event, model::ObjectKind::Mutex,
                                model::ObjectKind::Semaphore, model::ObjectKind::Process,
                                model::ObjectKind::Thread}))
        notFiles.push_back(h);
    }
    const auto any = [&]() -> std::optional<scenario::HandleRef> {
      // With bInheritHandles a non-inheritable field is a value the child
      // does not hold (SPEC 56): a handle it makes later may land on it.
      if (s.inherit && !noinherit.empty() && pick::coin(35))
        return scenario::HandleRef{pick::anyOf(noinherit).name, {}};
      // So is a value that names nothing in the parent either.
      if (s.inherit && pick::coin(17)) return scenario::HandleRef{{}, 0x10000};
      // An inheritable handle to an object that is no file: the child's
      // slot names its copy all the same (SPEC 56).
      if (s.inherit && !notFiles.empty() && pick::coin(26))
        return scenario::HandleRef{pick::anyOf(notFiles).name, {}};
      if (!pipes.empty() && pick::coin(70)) return scenario::HandleRef{pick::anyOf(pipes).name, {}};
      if (!handles.empty() && pick::coin(85))
        return scenario::HandleRef{pick::anyOf(handles).name, {}};
      return std::nullopt;  // NULL
    };
    // Without fields a console child's slots come from its parent's (SPEC 55
    // lines 5-6), and a no-window child's from Wine's copies of them.
    const std::uint32_t flags = proto::consoleFlagWords(s.console);
    const bool slotsFromParent =
        flags == proto::kConsoleInheritParent || flags == proto::kConsoleNoWindow;
    // A parent whose slot names an entry: mostly no fields, so that the
    // child's slots come from it, and often a handle list (SPEC 58).
    const bool parentSlots = slotsFromParent && pick::slotNamesEntry(m, s.process);
    if (!bareNoWindow && !handles.empty() &&
        pick::coin(parentSlots       ? 21
                   : slotsFromParent ? 40
                                     : 75)) {
      s.stdInput = any();
      s.stdOutput = any();
      s.stdError = pick::coin(40) ? s.stdOutput : any();  // one handle in two slots
      if (!s.stdInput && !s.stdOutput && !s.stdError) s.stdOutput = {pick::anyOf(handles).name, {}};
    }
    // A handle list (with bInheritHandles), listing the inheritable ones or
    // only NULL, with and without std fields; often for a child sharing its
    // parent's console, whose slots the list does not limit (SPEC 58).
    if (s.inherit && pick::coin(parentSlots                             ? 55
                                : flags == proto::kConsoleInheritParent ? 60
                                                                        : 30)) {
      std::vector<scenario::HandleRef> list;
      // Often without the std fields' handles: an unlisted std handle (SPEC 58).
      const bool unlistStd = pick::coin(50);
      const auto isField = [&](const std::string& name) {
        for (const auto* f : {&s.stdInput, &s.stdOutput, &s.stdError})
          if (*f && (*f)->name == name) return true;
        return false;
      };
      for (const auto& h : handles)
        if (h.inherit && !(unlistStd && isField(h.name)) && pick::coin(50))
          list.push_back({h.name, {}});
      if (list.empty() || pick::coin(20)) list.push_back({{}, 0});
      s.only = list;
    }
    s.as = {pick::freshName(m), pick::freshName(m, 1)};
    return s;
  }
};

}  // namespace hc::props
