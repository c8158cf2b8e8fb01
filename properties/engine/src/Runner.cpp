// One scenario step on one backend: resolve names to values, perform the call
// (observing the handles it touches in the same round trip), bind the names
// it introduces, then check its expectations and the automatic invariants.
//
// Round trips per step: one, plus a Query in the owning process when the step
// creates the handle its expectations talk about (its value is unknown before
// the call), plus an Observe in a spawned child of the handles it inherited.
#include "handlecheck/engine/Runner.h"

#include <algorithm>
#include <cstdio>
#include <iterator>

#include "handlecheck/engine/ModelBackend.h"

namespace hc::engine {
namespace {

using scenario::Expect;
using scenario::HandleRef;
using scenario::OpKind;
using scenario::Step;
using K = Expect::Kind;

std::string hex(proto::Handle h) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string refText(const HandleRef& h) { return h.raw ? "#" + hex(*h.raw) : h.name; }

std::string errorText(std::uint32_t code) {
  const std::string_view name = scenario::errorName(code);
  return "error=" + (name.empty() ? std::to_string(code) : std::string(name));
}

std::string outcomeText(const proto::Reply& r) {
  if (!r.ok) return errorText(r.error);
  return r.alreadyExists ? "ok, already-exists" : "ok";
}

bool isCountLowerBound(const sut::Backend& backend, const proto::Observation& o) {
  return backend.real() && (o.type == "Process" || o.type == "Thread");  // SPEC 29
}

proto::Op requestOp(const Step& s) {
  using proto::Op;
  using scenario::ObjectType;
  const bool create = s.op == OpKind::Create;
  switch (s.type) {
    case ObjectType::Event: return create ? Op::CreateEvent : Op::OpenEvent;
    case ObjectType::Mutex: return create ? Op::CreateMutex : Op::OpenMutex;
    case ObjectType::Semaphore: return create ? Op::CreateSemaphore : Op::OpenSemaphore;
    case ObjectType::Mapping: return create ? Op::CreateMapping : Op::OpenMapping;
    case ObjectType::Mailslot: return create ? Op::CreateMailslot : Op::OpenMailslot;
    case ObjectType::Pipe: return Op::CreatePipe;
  }
  return Op::Ping;
}

// What one runStep call works with.
class StepRun {
 public:
  StepRun(sut::Backend& backend, Bindings& bindings, const Step& step)
      : backend_(backend), b_(bindings), step_(step) {}

  StepReport run();

 private:
  [[noreturn]] void malformed(const std::string& message, const std::string& token = {}) const {
    throw ScenarioError(step_.line, message, token);
  }
  std::string where() const { return "line " + std::to_string(step_.line) + ": "; }

  ProcessBinding& process(const std::string& label) {
    const auto it = b_.processes.find(label);
    if (it == b_.processes.end()) malformed("unknown process `" + label + "`", label);
    return it->second;
  }
  ProcessBinding& runningProcess(const std::string& label) {
    ProcessBinding& p = process(label);
    if (!p.alive) malformed("process `" + label + "` has exited", label);
    return p;
  }
  proto::Handle resolve(const ProcessBinding& p, const std::string& label, const HandleRef& h) {
    if (h.raw) return *h.raw;
    const auto it = p.names.find(h.name);
    if (it == p.names.end() && p.notInherited.count(h.name))
      malformed("unknown handle `" + h.name + "` in " + label + " (" + label +
                    " did not inherit it: it was not inheritable in " + p.parent +
                    " or not listed when " + label + " was spawned)",
                h.name);
    if (it == p.names.end()) malformed("unknown handle `" + h.name + "` in " + label, h.name);
    return it->second;
  }

  proto::Request request();
  proto::Reply perform(const proto::Request&);
  void bind(ProcessBinding& owner, const std::string& label, const std::string& name,
            proto::Handle value, bool ok);
  void inherit(const proto::Request& q, const proto::Reply& r);
  void checkExpectations(const std::optional<proto::Observation>& subject, int same);
  // An automatic invariant broke: `got` says how, ending with "(SPEC n...)".
  void invariant(const std::string& got) {
    report_.failures.push_back(where() + describeStep(step_) + ": " + got);
    const std::size_t spec = got.rfind("(SPEC ");
    report_.mismatches.push_back(
        {spec == std::string::npos ? "invariant" : got.substr(spec + 1, got.size() - spec - 2) + " invariant",
         got});
  }

  sut::Backend& backend_;
  Bindings& b_;
  const Step& step_;
  StepReport report_;
  std::vector<std::pair<std::string, proto::Handle>> observed_;  // main request: name -> value
};

proto::Request StepRun::request() {
  ProcessBinding& self = runningProcess(step_.process);
  proto::Request q;
  q.process = self.agent;
  switch (step_.op) {
    case OpKind::Create:
    case OpKind::Open:
      q.op = requestOp(step_);
      if (!step_.objectName.empty()) q.name = backend_.objectName(step_.objectName);
      q.inherit = step_.inherit;
      break;
    case OpKind::Spawn:
      q.op = proto::Op::Spawn;
      if (b_.processes.count(step_.child))
        malformed("process label `" + step_.child + "` is already in use", step_.child);
      q.target = b_.nextAgent++;
      q.spawnInherit = step_.inherit;
      if (step_.only) {
        q.useHandleList = true;
        for (const HandleRef& h : *step_.only) q.handleList.push_back(resolve(self, step_.process, h));
      }
      q.processInherit = step_.processInherit;
      q.threadInherit = step_.threadInherit;
      // The parent's flags decide what the child inherits (SPEC 22-23); the
      // call does not change them, so observing after it is observing before.
      for (const std::string& name : self.open) observed_.emplace_back(name, self.names.at(name));
      break;
    case OpKind::Close: q.op = proto::Op::Close; break;
    case OpKind::Dup:
      q.op = proto::Op::Dup;
      q.target = step_.target.empty() ? self.agent : process(step_.target).agent;
      q.inherit = step_.inherit;
      q.closeSource = step_.closeSource;
      break;
    case OpKind::Set:
      q.op = proto::Op::Set;
      if (step_.setInherit) {
        q.setMask |= proto::kFlagInherit;
        if (*step_.setInherit) q.setFlags |= proto::kFlagInherit;
      }
      if (step_.setProtect) {
        q.setMask |= proto::kFlagProtect;
        if (*step_.setProtect) q.setFlags |= proto::kFlagProtect;
      }
      break;
    case OpKind::Write:
      q.op = proto::Op::Write;
      q.text = step_.text;
      break;
    case OpKind::Read: q.op = proto::Op::Read; break;
    case OpKind::Query: q.op = proto::Op::Query; break;
    case OpKind::Exit:
      q.op = proto::Op::Exit;
      q.code = step_.code.value_or(0);
      break;
    case OpKind::Terminate:
      q.op = proto::Op::Terminate;
      q.code = step_.code.value_or(0);
      break;
    case OpKind::Wait: q.op = proto::Op::Wait; break;
  }
  const bool hasOperand = step_.op != OpKind::Create && step_.op != OpKind::Open &&
                          step_.op != OpKind::Spawn && step_.op != OpKind::Exit;
  if (hasOperand) {
    // The operand: observed after the call, first (the subject unless the step binds one).
    q.handle = resolve(self, step_.process, step_.handle);
    observed_.insert(observed_.begin(), {refText(step_.handle), q.handle});
  }
  // A step that makes handles in its own process has them observed in the
  // same round trip (and compared for `same=`): one command per step.
  q.observeNew = step_.op == OpKind::Create || step_.op == OpKind::Open ||
                 step_.op == OpKind::Spawn ||
                 (step_.op == OpKind::Dup && (step_.target.empty() || step_.target == step_.process));
  if (step_.op == OpKind::Query || (q.observeNew && !step_.as.empty()))
    for (const Expect& e : step_.expects)
      if (e.kind == K::Same) q.compareWith = resolve(self, step_.process, HandleRef{e.text, {}});
  for (const auto& [name, value] : observed_) q.observe.push_back(value);
  return q;
}

proto::Reply StepRun::perform(const proto::Request& q) {
  proto::Reply r;
  try {
    r = backend_.perform(q);
  } catch (const WouldBlock&) {
    throw sut::BackendFailure(where() + describeStep(step_) + " would block forever");
  } catch (const sut::BackendFailure& e) {
    throw sut::BackendFailure(where() + describeStep(step_) + ": " + e.what());
  }
  if (r.blocks)
    throw sut::BackendFailure(where() + describeStep(step_) +
                              " did not return (the agent timed out waiting)");
  return r;
}

// A name the step introduces. New handles obey SPEC 1-2 as far as the bound
// names show: non-zero, a multiple of 4, not the value of another open name.
void StepRun::bind(ProcessBinding& owner, const std::string& label, const std::string& name,
                   proto::Handle value, bool ok) {
  owner.open.erase(name);
  owner.processHandles.erase(name);
  owner.names[name] = ok ? value : 0;  // a failed call binds NULL: never valid (SPEC 1)
  if (!ok) return;
  if (value == 0 || value % 4 != 0)
    invariant("new handle " + name + " = " + hex(value) + " is not a non-zero multiple of 4 (SPEC 1)");
  for (const std::string& other : owner.open)
    if (owner.names.at(other) == value)
      invariant("new handle " + name + " = " + hex(value) + " has the value of open handle " +
                other + " in " + label + " (SPEC 2)");
  owner.open.insert(name);
}

// SPEC 22-23, 25: the child knows every inherited handle under the parent's
// name at the parent's value; it is checked there (open, inheritable, same
// type and HandleCount as in the parent).
void StepRun::inherit(const proto::Request& q, const proto::Reply& r) {
  ProcessBinding& parent = b_.processes.at(step_.process);
  ProcessBinding child;
  child.agent = q.target;
  child.parent = step_.process;
  child.pid = r.childPid;
  std::vector<std::pair<std::string, proto::Observation>> inherited;
  if (!q.spawnInherit)
    for (const auto& entry : observed_) child.notInherited.insert(entry.first);
  if (q.spawnInherit) {
    for (std::size_t i = 0; i < observed_.size(); ++i) {
      const auto& [name, value] = observed_[i];
      const proto::Observation& o = r.observations.at(i);
      const bool listed = !q.useHandleList || std::find(q.handleList.begin(), q.handleList.end(),
                                                        value) != q.handleList.end();
      if (!o.valid || !o.inherit || !listed) {
        child.notInherited.insert(name);
        continue;
      }
      child.names[name] = value;
      child.open.insert(name);
      if (const auto ph = parent.processHandles.find(name); ph != parent.processHandles.end())
        child.processHandles[name] = ph->second;
      inherited.emplace_back(name, o);
    }
  }
  b_.processes[step_.child] = child;
  if (inherited.empty()) return;
  proto::Request look;
  look.process = child.agent;
  look.op = proto::Op::Observe;
  for (const auto& entry : inherited) look.observe.push_back(entry.second.handle);
  const proto::Reply seen = perform(look);
  for (std::size_t i = 0; i < inherited.size(); ++i) {
    const auto& [name, inParent] = inherited[i];
    const proto::Observation& o = seen.observations.at(i);
    report_.observations.push_back({step_.child, name, o});
    const std::string h = name + " (" + hex(o.handle) + ")";
    if (!o.valid) {
      invariant("inherited " + h + " is not open in " + step_.child + " (SPEC 22)");
      b_.processes[step_.child].open.erase(name);
      continue;
    }
    if (!o.inherit) invariant("inherited " + h + " lost its inherit flag in " + step_.child + " (SPEC 22)");
    if (o.type != inParent.type)
      invariant("inherited " + h + " is a " + o.type + " in " + step_.child + ", a " +
                inParent.type + " in " + step_.process + " (SPEC 22)");
    else if (!isCountLowerBound(backend_, o) && o.handleCount != inParent.handleCount)
      invariant("inherited " + h + " has count=" + std::to_string(o.handleCount) + " in " +
                step_.child + ", count=" + std::to_string(inParent.handleCount) + " in " +
                step_.process + " (SPEC 22: one object)");
  }
}

StepReport StepRun::run() {
  const proto::Request q = request();
  const proto::Reply r = perform(q);
  report_.reply = r;
  ProcessBinding& self = b_.processes.at(step_.process);

  std::vector<NamedObservation> mainObservations;
  for (std::size_t i = 0; i < observed_.size() && i < r.observations.size(); ++i) {
    const proto::Observation& o = r.observations[i];
    mainObservations.push_back({step_.process, observed_[i].first, o});
    // Whatever closed it (close, close-source, a raw value): those names are closed now.
    if (!o.valid)
      for (auto it = self.open.begin(); it != self.open.end();)
        it = self.names.at(*it) == o.handle ? self.open.erase(it) : std::next(it);
  }

  // The names the step binds, in the process that owns them.
  const std::string ownerLabel =
      step_.op == OpKind::Dup && !step_.target.empty() ? step_.target : step_.process;
  std::vector<proto::Handle> values;
  switch (step_.op) {
    case OpKind::Create:
    case OpKind::Open:
      values = {r.handle, r.handle2};
      break;
    case OpKind::Spawn: values = {r.handle, r.handle2}; break;
    case OpKind::Dup: {
      values = {r.handle};
      const proto::Handle source = q.handle;
      if (r.ok && step_.closeSource && ownerLabel == step_.process && !observed_.empty() &&
          !r.observations.empty() && !r.observations[0].valid && r.handle != source)
        invariant("DUPLICATE_CLOSE_SOURCE in one process gave " + hex(r.handle) +
                  ", the source was " + hex(source) + " (SPEC 3)");
      // SPEC 3, 19: the source's entry now is the new handle; its name is closed.
      if (r.ok && step_.closeSource && ownerLabel == step_.process && r.handle == source &&
          !step_.handle.raw)
        self.open.erase(step_.handle.name);
      break;
    }
    default: break;
  }
  ProcessBinding& owner = process(ownerLabel);
  for (std::size_t i = 0; i < step_.as.size() && i < values.size(); ++i)
    bind(owner, ownerLabel, step_.as[i], values[i], r.ok);
  if (r.ok && step_.op == OpKind::Spawn) {
    self.processHandles[step_.as.at(0)] = step_.child;
    inherit(q, r);
  }
  if (r.ok && step_.op == OpKind::Dup && !step_.handle.raw) {
    const auto ph = self.processHandles.find(step_.handle.name);
    if (ph != self.processHandles.end()) owner.processHandles[step_.as.at(0)] = ph->second;
  }
  if (r.ok && step_.handle.raw && *step_.handle.raw == ~proto::Handle{0} && step_.op == OpKind::Dup)
    owner.processHandles[step_.as.at(0)] = step_.process;  // GetCurrentProcess() (SPEC 20)

  // SPEC 26: an exited process holds nothing and runs nothing.
  const auto exited = [&](const std::string& label) {
    ProcessBinding& p = b_.processes.at(label);
    p.alive = false;
    p.open.clear();
  };
  if (r.ok && step_.op == OpKind::Exit) exited(step_.process);
  if (r.ok && step_.op == OpKind::Terminate && !step_.handle.raw) {
    const auto ph = self.processHandles.find(step_.handle.name);
    if (ph != self.processHandles.end()) exited(ph->second);
  }

  // The subject: observed in the main request (the operand), or created by
  // the step and observed now in the process that owns it.
  std::optional<proto::Observation> subject;
  int same = r.same;
  const auto subj = subjectOf(step_);
  const bool newSubject = subj && !step_.as.empty() && *subj == HandleRef{step_.as[0], {}};
  const bool wantsSame = std::any_of(step_.expects.begin(), step_.expects.end(),
                                     [](const Expect& e) { return e.kind == K::Same; });
  std::vector<NamedObservation> followUp;
  if (newSubject) {
    ProcessBinding& o = b_.processes.at(ownerLabel);
    if (r.ok && o.alive && q.observeNew) {
      // Observed in the main round trip, after the `observe` list.
      same = r.same;
      for (std::size_t i = 0; i < step_.as.size() && observed_.size() + i < r.observations.size(); ++i)
        followUp.push_back({ownerLabel, step_.as[i], r.observations[observed_.size() + i]});
    } else if (r.ok && o.alive) {
      proto::Request look;
      look.process = o.agent;
      look.op = proto::Op::Query;
      look.handle = o.names.at(step_.as[0]);
      for (const Expect& e : step_.expects)
        if (e.kind == K::Same) look.compareWith = resolve(o, ownerLabel, HandleRef{e.text, {}});
      for (const std::string& name : step_.as) look.observe.push_back(o.names.at(name));
      const proto::Reply seen = perform(look);
      same = seen.same;
      for (std::size_t i = 0; i < step_.as.size() && i < seen.observations.size(); ++i)
        followUp.push_back({ownerLabel, step_.as[i], seen.observations[i]});
    } else {
      // A failed call bound NULL, which is never valid (SPEC 1): nothing to ask.
      for (const std::string& name : step_.as) followUp.push_back({ownerLabel, name, {}});
    }
  } else if (subj && wantsSame && step_.op != OpKind::Query && self.alive) {
    proto::Request look;
    look.process = self.agent;
    look.op = proto::Op::Query;
    look.handle = q.handle;
    for (const Expect& e : step_.expects)
      if (e.kind == K::Same) look.compareWith = resolve(self, step_.process, HandleRef{e.text, {}});
    same = perform(look).same;
  }
  report_.reply.same = same;

  // Subject first, then the rest of what was observed.
  std::vector<NamedObservation> all = std::move(followUp);
  all.insert(all.end(), mainObservations.begin(), mainObservations.end());
  all.insert(all.end(), report_.observations.begin(), report_.observations.end());
  report_.observations = std::move(all);
  if (subj && !report_.observations.empty()) subject = report_.observations.front().observation;
  checkExpectations(subject, same);
  return std::move(report_);
}

void StepRun::checkExpectations(const std::optional<proto::Observation>& subject, int same) {
  const proto::Reply& r = report_.reply;
  for (const Expect& e : step_.expects) {
    std::optional<std::string> got;  // set when the expectation fails
    const auto needSubject = [&]() -> const proto::Observation& {
      if (!subject)
        malformed("`" + expectText(e) + "` needs a handle, and " +
                  std::string(scenario::opName(step_.op)) + " has none");
      return *subject;
    };
    switch (e.kind) {
      case K::Ok:
        if (!r.ok) got = outcomeText(r);
        break;
      case K::Error:
        if (r.ok || r.error != e.number) got = outcomeText(r);
        break;
      case K::AlreadyExists:
        if (!r.ok || !r.alreadyExists) got = outcomeText(r);
        break;
      case K::Valid:
        if (!needSubject().valid) got = "invalid";
        break;
      case K::Invalid:
        if (needSubject().valid) got = "valid";
        break;
      case K::Inherit:
      case K::NoInherit:
      case K::Protect:
      case K::NoProtect: {
        const proto::Observation& o = needSubject();
        const bool wantOn = e.kind == K::Inherit || e.kind == K::Protect;
        const bool isInherit = e.kind == K::Inherit || e.kind == K::NoInherit;
        const bool on = isInherit ? o.inherit : o.protect;
        if (!o.valid) got = "invalid";
        else if (on != wantOn) got = std::string(on ? "" : "no") + (isInherit ? "inherit" : "protect");
        break;
      }
      case K::Count:
      case K::CountAtLeast: {
        const proto::Observation& o = needSubject();
        const bool atLeast = e.kind == K::CountAtLeast || isCountLowerBound(backend_, o);
        if (!o.valid) got = "invalid";
        else if (atLeast ? o.handleCount < e.number : o.handleCount != e.number)
          got = "count=" + std::to_string(o.handleCount);
        break;
      }
      case K::Type: {
        const proto::Observation& o = needSubject();
        if (!o.valid) got = "invalid";
        else if (o.type != e.text) got = "type=" + o.type;
        break;
      }
      case K::Same:
        needSubject();
        if (same == 0) got = "a different object";
        else if (same < 0) got = "no answer (CompareObjectHandles unavailable or handle invalid)";
        break;
      case K::Data:
        if (!r.hasData) got = "no data (" + outcomeText(r) + ")";
        else if (r.data != e.text) got = "data=" + r.data;
        break;
      case K::ExitCode:
        if (!r.hasExitCode) got = "no exit code (" + outcomeText(r) + ")";
        else if (r.exitCode != e.number) got = "exitcode=" + std::to_string(r.exitCode);
        break;
    }
    if (got) {
      report_.failures.push_back(where() + describeStep(step_) + ": expected " + expectText(e) +
                                 ", got " + *got);
      report_.mismatches.push_back({expectText(e), *got});
    }
  }
}

}  // namespace

ScenarioError::ScenarioError(int line_, const std::string& message_, std::string token_)
    : std::runtime_error("line " + std::to_string(line_) + ": " + message_),
      line(line_),
      message(message_),
      token(std::move(token_)) {}

std::optional<HandleRef> subjectOf(const Step& s) {
  if (!s.as.empty()) return HandleRef{s.as[0], {}};
  switch (s.op) {
    case OpKind::Close:
    case OpKind::Dup:
    case OpKind::Set:
    case OpKind::Write:
    case OpKind::Read:
    case OpKind::Query:
    case OpKind::Terminate:
    case OpKind::Wait: return s.handle;
    default: return std::nullopt;
  }
}

std::string describeStep(const Step& s) {
  std::string out;
  if (s.process != "P0") out += s.process + ": ";
  out += scenario::opName(s.op);
  switch (s.op) {
    case OpKind::Create:
    case OpKind::Open:
      (out += ' ') += scenario::typeName(s.type);
      if (!s.objectName.empty()) out += ' ' + s.objectName;
      break;
    case OpKind::Spawn: out += ' ' + s.child; break;
    case OpKind::Exit: break;
    case OpKind::Dup:
      out += ' ' + refText(s.handle);
      if (!s.target.empty()) out += " to " + s.target;
      break;
    default: out += ' ' + refText(s.handle); break;
  }
  return out;
}

std::string expectText(const Expect& e) {
  switch (e.kind) {
    case K::Ok: return "ok";
    case K::Error: return e.text.empty() ? "error=" + std::to_string(e.number) : "error=" + e.text;
    case K::AlreadyExists: return "already-exists";
    case K::Valid: return "valid";
    case K::Invalid: return "invalid";
    case K::Inherit: return "inherit";
    case K::NoInherit: return "noinherit";
    case K::Protect: return "protect";
    case K::NoProtect: return "noprotect";
    case K::Count: return "count=" + std::to_string(e.number);
    case K::CountAtLeast: return "count>=" + std::to_string(e.number);
    case K::Type: return "type=" + e.text;
    case K::Same: return "same=" + e.text;
    case K::Data: return "data=" + e.text;
    case K::ExitCode: return "exitcode=" + std::to_string(e.number);
  }
  return "?";
}

StepReport runStep(sut::Backend& backend, Bindings& bindings, const Step& step) {
  return StepRun(backend, bindings, step).run();
}

}  // namespace hc::engine
