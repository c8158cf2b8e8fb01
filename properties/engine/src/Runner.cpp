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

std::string refText(const HandleRef& h) { return h.raw ? "#" + proto::hex(*h.raw) : h.name; }

StepReport StepRun::run() {
  const proto::Request q = request();
  const proto::Reply r = perform(q);
  rule_ = ruleOf(q);
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
      // A pseudo source is never in the table (SPEC 1, 20): the copy is a new handle.
      if (r.ok && step_.closeSource && ownerLabel == step_.process && !observed_.empty() &&
          !r.observations.empty() && !r.observations[0].valid && r.handle != source &&
          !proto::isPseudoHandle(source))
        invariant("DUPLICATE_CLOSE_SOURCE in one process gave " + proto::hex(r.handle) +
                      ", the source was " + proto::hex(source),
                  RuleId::NewHandleValueNotContractual);
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
  if (r.ok && step_.handle.raw && *step_.handle.raw == proto::kCurrentProcess &&
      step_.op == OpKind::Dup)
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

}  // namespace detail

using detail::HandleRef;
using detail::OpKind;
using detail::Step;

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
      out += ' ' + detail::refText(s.handle);
      if (!s.target.empty()) out += " to " + s.target;
      break;
    default: out += ' ' + detail::refText(s.handle); break;
  }
  return out;
}

StepReport runStep(sut::Backend& backend, Bindings& bindings, const Step& step) {
  return detail::StepRun(backend, bindings, step).run();
}

}  // namespace hc::engine
