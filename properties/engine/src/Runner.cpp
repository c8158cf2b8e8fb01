// One scenario step on one backend: resolve names to values, perform the call
// (observing the handles it touches in the same round trip), bind the names
// it introduces, then check its expectations and the automatic invariants.
//
// Round trips per step: one, plus a Query in the owning process when the step
// creates the handle its expectations talk about and the call could not
// observe it itself, plus an Observe in a spawned child of the handles it
// inherited.
#include "handlecheck/engine/Runner.h"

#include <algorithm>
#include <iterator>

#include "StepRun.h"

namespace hc::engine {
namespace detail {

std::string refText(const HandleRef& h) {
  return h.raw ? "#" + proto::hex(*h.raw) : h.name;
}

StepReport StepRun::run() {
  const proto::Request q = request();
  proto::Reply r = perform(q);
  if (step_.op == proto::Op::Spawn && r.ok && backend_.real() && !r.observations.empty())
    r.observations = observeOnceChildRuns(q, r);
  rule_ = ruleOf(q);
  report_.reply = r;
  // A peek that sees the pipe still open names who keeps its other end open.
  if (step_.op == proto::Op::Peek && r.ok) notePeerHolders(q);
  std::vector<NamedObservation> mainObservations = noteObservations(r);
  bindResults(q, r);
  noteExits(r);
  int same = r.same;
  std::vector<NamedObservation> subjectFirst = observeSubject(q, r, same);
  report_.reply.same = same;

  // Subject first, then the rest of what was observed.
  std::vector<NamedObservation> all = std::move(subjectFirst);
  all.insert(all.end(), mainObservations.begin(), mainObservations.end());
  all.insert(all.end(), report_.observations.begin(), report_.observations.end());
  report_.observations = std::move(all);
  std::optional<proto::Observation> subject;
  if (subjectOf(step_) && !report_.observations.empty())
    subject = report_.observations.front().observation;
  checkExpectations(subject, same);
  return std::move(report_);
}

std::vector<NamedObservation> StepRun::noteObservations(const proto::Reply& r) {
  ProcessBinding& self = b_.processes.at(step_.process);
  std::vector<NamedObservation> out;
  for (std::size_t i = 0; i < observed_.size() && i < r.observations.size(); ++i) {
    const proto::Observation& o = r.observations[i];
    out.push_back({step_.process, observed_[i].first, o});
    // Whatever closed it (close, close-source, a raw value): those names are closed now.
    if (!o.valid) {
      for (auto it = self.open.begin(); it != self.open.end();)
        it = self.names.at(*it) == o.handle ? self.open.erase(it) : std::next(it);
      self.origins.erase(o.handle);
    }
  }
  return out;
}

std::string StepRun::ownerLabel() const {
  return step_.target.empty() || !proto::takes(step_.op, proto::Arg::To) ? step_.process
                                                                         : step_.target;
}

// A real spawn's look at the parent's handles, taken again once the child
// answers: what the child does while it starts is part of the call (Wine's
// no-window child starts its console host then, which inherits its handles).
std::vector<proto::Observation> StepRun::observeOnceChildRuns(const proto::Request& spawn,
                                                              const proto::Reply& r) {
  proto::Request child;
  child.process = spawn.target;
  child.op = proto::Op::Observe;
  perform(child);
  proto::Request parent;
  parent.process = spawn.process;
  parent.op = proto::Op::Observe;
  for (const proto::Observation& o : r.observations) parent.observe.push_back(o.handle);
  return perform(parent).observations;
}

void StepRun::bindResults(const proto::Request& q, const proto::Reply& r) {
  ProcessBinding& self = b_.processes.at(step_.process);
  const std::string owned = ownerLabel();
  if (step_.op == proto::Op::Dup && !fromSource()) checkCloseSource(q, r);
  ProcessBinding& owner = process(owned);
  const proto::Handle values[] = {r.handle, r.handle2};
  for (std::size_t i = 0; i < step_.as.size() && i < std::size(values); ++i)
    bind(owner, owned, step_.as[i], values[i], r.ok);
  if (r.ok && step_.op == proto::Op::Spawn) {
    self.processHandles[step_.as.at(0)] = step_.child;
    inherit(q, r);
  }
  if (step_.as.empty()) return;  // `dup ... from C` makes no copy (SPEC 50)
  if (r.ok && step_.op == proto::Op::Dup && !step_.handle.raw) {
    const auto ph = self.processHandles.find(step_.handle.name);
    if (ph != self.processHandles.end()) owner.processHandles[step_.as.at(0)] = ph->second;
  }
  if (r.ok && step_.handle.raw && *step_.handle.raw == proto::kCurrentProcess &&
      step_.op == proto::Op::Dup)
    owner.processHandles[step_.as.at(0)] = step_.process;  // GetCurrentProcess() (SPEC 20)
}

// DUPLICATE_CLOSE_SOURCE within one process.
void StepRun::checkCloseSource(const proto::Request& q, const proto::Reply& r) {
  if (!r.ok || !step_.closeSource || ownerLabel() != step_.process) return;
  const proto::Handle source = q.handle;
  // A pseudo source is never in the table (SPEC 1, 20): the copy is a new handle.
  if (!observed_.empty() && !r.observations.empty() && !r.observations[0].valid &&
      r.handle != source && !proto::isPseudoHandle(source))
    invariant("DUPLICATE_CLOSE_SOURCE in one process gave " + proto::hex(r.handle) +
                  ", the source was " + proto::hex(source),
              RuleId::NewHandleValueNotContractual);
  // SPEC 3, 19: the source's entry now is the new handle; its name is closed.
  if (r.handle == source && !step_.handle.raw)
    b_.processes.at(step_.process).open.erase(step_.handle.name);
}

// SPEC 26: an exited process holds nothing and runs nothing.
void StepRun::noteExits(const proto::Reply& r) {
  const auto exited = [&](const std::string& label) {
    ProcessBinding& p = b_.processes.at(label);
    p.alive = false;
    p.open.clear();
    p.origins.clear();
  };
  if (r.ok && step_.op == proto::Op::Exit) exited(step_.process);
  if (r.ok && step_.op == proto::Op::Terminate && !step_.handle.raw) {
    const ProcessBinding& self = b_.processes.at(step_.process);
    const auto ph = self.processHandles.find(step_.handle.name);
    if (ph != self.processHandles.end()) exited(ph->second);
  }
}

// The subject: observed in the main request (the operand), or created by
// the step and observed now in the process that owns it. Sets `same` when
// a follow-up Query answers it.
std::vector<NamedObservation> StepRun::observeSubject(const proto::Request& q,
                                                      const proto::Reply& r, int& same) {
  const auto subj = subjectOf(step_);
  const bool newSubject = subj && !step_.as.empty() && *subj == HandleRef{step_.as[0], {}};
  const bool wantsSame = std::any_of(step_.expects.begin(), step_.expects.end(),
                                     [](const Expect& e) { return e.kind == K::Same; });
  const std::string owned = ownerLabel();
  std::vector<NamedObservation> out;
  if (fromSource()) return observeInSource(q);
  if (!newSubject) {
    const ProcessBinding& self = b_.processes.at(step_.process);
    if (subj && wantsSame && step_.op != proto::Op::Query && self.alive)
      same = query(self, step_.process, q.handle, {}).same;
    return out;
  }
  const ProcessBinding& o = b_.processes.at(owned);
  if (r.ok && o.alive && q.observeNew) {
    // Observed in the main round trip, after the `observe` list.
    const std::size_t first = observed_.size();
    for (std::size_t i = 0; i < step_.as.size() && first + i < r.observations.size(); ++i)
      out.push_back({owned, step_.as[i], r.observations[first + i]});
  } else if (r.ok && o.alive) {
    std::vector<proto::Handle> names;
    for (const std::string& name : step_.as) names.push_back(o.names.at(name));
    const proto::Reply seen = query(o, owned, o.names.at(step_.as[0]), std::move(names));
    same = seen.same;
    for (std::size_t i = 0; i < step_.as.size() && i < seen.observations.size(); ++i)
      out.push_back({owned, step_.as[i], seen.observations[i]});
  } else {
    // A failed call bound NULL, which is never valid (SPEC 1): nothing to ask.
    for (const std::string& name : step_.as) out.push_back({owned, name, {}});
  }
  return out;
}

// SPEC 50: the operand of `dup H from C`, observed in C (while C runs); a
// closed H is no longer open there.
std::vector<NamedObservation> StepRun::observeInSource(const proto::Request& q) {
  ProcessBinding& source = b_.processes.at(step_.source);
  if (!source.alive) return {};
  const proto::Reply seen = query(source, step_.source, q.handle, {q.handle});
  if (seen.observations.empty()) return {};
  const proto::Observation& o = seen.observations.front();
  if (!o.valid)
    for (auto it = source.open.begin(); it != source.open.end();)
      it = source.names.at(*it) == o.handle ? source.open.erase(it) : std::next(it);
  return {{step_.source, refText(step_.handle), o}};
}

proto::Reply StepRun::query(const ProcessBinding& p, const std::string& label, proto::Handle h,
                            std::vector<proto::Handle> observe) {
  proto::Request look;
  look.process = p.agent;
  look.op = proto::Op::Query;
  look.handle = h;
  for (const Expect& e : step_.expects)
    if (e.kind == K::Same) look.compareWith = resolve(p, label, HandleRef{e.text, {}});
  look.observe = std::move(observe);
  return perform(look);
}

}  // namespace detail

using detail::HandleRef;
using detail::Step;

ScenarioError::ScenarioError(int line_, const std::string& message_, std::string token_)
    : std::runtime_error("line " + std::to_string(line_) + ": " + message_),
      line(line_),
      message(message_),
      token(std::move(token_)) {}

std::optional<HandleRef> subjectOf(const Step& s) {
  if (!s.as.empty()) return HandleRef{s.as[0], {}};
  if (proto::takes(s.op, proto::Arg::Operand)) return s.handle;
  return std::nullopt;
}

// The keyword, then the words that say what the step acts on.
std::string describeStep(const Step& s) {
  using proto::Arg;
  std::string out;
  if (s.process != "P0") out += s.process + ": ";
  out += proto::keyword(s.op);
  if (!s.objectName.empty()) out += ' ' + s.objectName;
  if (proto::takes(s.op, Arg::Child)) out += ' ' + s.child;
  if (proto::takes(s.op, Arg::Operand)) out += ' ' + detail::refText(s.handle);
  if (proto::takes(s.op, Arg::From) && !s.source.empty()) out += " from " + s.source;
  if (proto::takes(s.op, Arg::To) && !s.target.empty()) out += " to " + s.target;
  return out;
}

StepReport runStep(sut::Backend& backend, Bindings& bindings, const Step& step) {
  return detail::StepRun(backend, bindings, step).run();
}

}  // namespace hc::engine
