// rc::state plumbing shared by every command: preconditions on the model,
// running a step on both sides, and the end-of-sequence comparison.
#include "handlecheck/props/Harness.h"

#include <algorithm>
#include <ostream>

#include "handlecheck/props/Trace.h"

namespace hc::props {
namespace {

// rc::state preconditions, as a plain predicate (trial run on a copy).
bool canRun(const HarnessModel& m, const scenario::Step& step) {
  const auto proc = m.bindings.processes.find(step.process);
  if (proc == m.bindings.processes.end() || !proc->second.alive) return false;
  if (step.op == scenario::OpKind::Spawn && m.bindings.processes.count(step.child)) return false;
  const std::string& owner =
      step.op == scenario::OpKind::Dup && !step.target.empty() ? step.target : step.process;
  if (const auto o = m.bindings.processes.find(owner); o != m.bindings.processes.end()) {
    const std::size_t fresh = step.op == scenario::OpKind::Dup ? 1 : step.as.size();
    for (std::size_t i = 0; i < fresh && i < step.as.size(); ++i)
      if (o->second.names.count(step.as[i])) return false;  // names are bound once
  }
  if (step.op == scenario::OpKind::Spawn)
    for (const auto& n : step.as)
      if (proc->second.names.count(n)) return false;
  HarnessModel trial = m;
  try {
    engine::runStep(trial.backend, trial.bindings, step);
  } catch (const engine::ScenarioError&) {
    return false;  // refers to something that does not exist (any more)
  } catch (const sut::BackendFailure&) {
    return false;  // would block forever, or acts in an exited process
  }
  return true;
}

void trackAllocations(HarnessModel& m, const scenario::Step& step) {
  using scenario::OpKind;
  const auto& self = m.bindings.processes.at(step.process);
  auto closed = [&](const std::string& name) {
    if (!name.empty() && self.names.count(name) && !self.open.count(name))
      m.closedAt[{step.process, name}] = m.allocations[step.process];
  };
  switch (step.op) {
    case OpKind::Create:
    case OpKind::Open:
    case OpKind::Spawn: ++m.allocations[step.process]; break;
    case OpKind::Dup:
      closed(step.handle.name);  // close-source
      ++m.allocations[step.target.empty() ? step.process : step.target];
      break;
    case OpKind::Close: closed(step.handle.name); break;
    default: break;
  }
}

void advanceCounters(HarnessModel& m, const scenario::Step& step) {
  for (const auto& n : step.as)
    if (n.size() > 1 && n[0] == 'H') m.nextName = std::max(m.nextName, std::stoi(n.substr(1)) + 1);
  if (step.op == scenario::OpKind::Spawn) {
    if (step.child.size() > 1 && step.child[0] == 'C')
      m.nextChild = std::max(m.nextChild, std::stoi(step.child.substr(1)) + 1);
    m.depth[step.child] = m.depth[step.process] + 1;
  }
}

}  // namespace

void StepCommand::checkPreconditions(const HarnessModel& m) const {
  RC_PRE(canRun(m, step_));
}

void StepCommand::apply(HarnessModel& m) const {
  engine::runStep(m.backend, m.bindings, step_);
  if (m.bindings.processes.count(step_.process)) trackAllocations(m, step_);
  advanceCounters(m, step_);
}

bool HarnessModel::staleValueIsFree(const std::string& process, const std::string& name) const {
  const auto at = closedAt.find({process, name});
  const auto count = allocations.find(process);
  return at != closedAt.end() && at->second == (count == allocations.end() ? 0 : count->second);
}

void StepCommand::run(const HarnessModel& m, HarnessSut& s) const {
  HarnessModel predicted = m;
  RecordedStep rec{step_, engine::runStep(predicted.backend, predicted.bindings, step_), {}, {}};
  rec.real = engine::runStep(*s.backend, s.bindings, step_);  // BackendFailure propagates
  rec.differences = compareSteps(rec.model, rec.real);
  const bool diverged = !rec.differences.empty();
  const std::string message = diverged ? describe(step_, rec.differences) : std::string();
  s.trace.push_back(std::move(rec));
  RC_ASSERT_FALSE(diverged);  // message recorded in the trace; see SequenceResult
  (void)message;
}

void StepCommand::show(std::ostream& os) const {
  os << scenario::print(step_) << "    // " << win32Call(step_);
}

const model::Process& modelProcess(const HarnessModel& m, const std::string& label) {
  const auto& binding = m.bindings.processes.at(label);
  return m.backend.system().process(m.backend.processOf(binding.agent));
}

std::vector<std::string> runningProcesses(const HarnessModel& m) {
  std::vector<std::string> out;
  for (const auto& [label, binding] : m.bindings.processes)
    if (binding.alive && modelProcess(m, label).running) out.push_back(label);
  return out;
}

std::vector<HandleView> openHandles(const HarnessModel& m, const std::string& process) {
  std::vector<HandleView> out;
  const auto& binding = m.bindings.processes.at(process);
  const model::ProcessId pid = m.backend.processOf(binding.agent);
  for (const auto& name : binding.open) {
    const auto value = static_cast<model::HandleValue>(binding.names.at(name));
    const model::HandleInfo info = m.backend.system().handleInfo(pid, value);
    if (info.valid) out.push_back({process, name, info.kind, info.inherit, info.protect});
  }
  return out;
}

std::vector<std::string> closedNames(const HarnessModel& m, const std::string& process) {
  std::vector<std::string> out;
  const auto& binding = m.bindings.processes.at(process);
  for (const auto& [name, value] : binding.names)
    if (!binding.open.count(name)) out.push_back(name);
  return out;
}

namespace {

// SPEC 14-29 at the end of a sequence: every open name in every running
// process is observed on both sides and compared (flags, type, counts).
std::vector<Difference> compareTables(HarnessModel& m, HarnessSut& s) {
  std::vector<Difference> out;
  for (const auto& label : runningProcesses(m)) {
    const auto& mb = m.bindings.processes.at(label);
    const auto rbIt = s.bindings.processes.find(label);
    if (rbIt == s.bindings.processes.end() || !rbIt->second.alive) {
      out.push_back({label + " running", "1", "0"});
      continue;
    }
    const auto& rb = rbIt->second;
    proto::Request mq; mq.process = mb.agent; mq.op = proto::Op::Observe;
    proto::Request rq; rq.process = rb.agent; rq.op = proto::Op::Observe;
    std::vector<std::string> names(mb.open.begin(), mb.open.end());
    for (const auto& n : names) {
      mq.observe.push_back(mb.names.at(n));
      rq.observe.push_back(rb.names.count(n) ? rb.names.at(n) : 0);
    }
    if (names.empty()) continue;
    const proto::Reply mr = m.backend.perform(mq);
    const proto::Reply rr = s.backend->perform(rq);
    engine::StepReport ms, rs;
    for (std::size_t i = 0; i < names.size(); ++i) {
      ms.observations.push_back({label, names[i], mr.observations.at(i)});
      rs.observations.push_back({label, names[i], rr.observations.at(i)});
    }
    for (auto& d : compareSteps(ms, rs)) {
      d.what = "end of sequence: " + d.what;
      out.push_back(std::move(d));
    }
  }
  return out;
}

}  // namespace

SequenceResult runSequence(const std::vector<CommandPtr>& commands, const model::Profile& profile,
                           const std::function<std::unique_ptr<sut::Backend>()>& makeSut) {
  SequenceResult result;
  HarnessModel state(profile);
  HarnessSut sut;
  try {
    // Starting the tree is the harness's own business, not a step under
    // test: one retry absorbs a transient start failure (Wine under load
    // has failed CreateProcess of the root agent with error 1359); a second
    // failure is reported.
    try {
      sut.backend = makeSut();
    } catch (const sut::BackendFailure&) {
      sut.backend = makeSut();
    }
    for (const auto& command : commands) {
      command->checkPreconditions(state);  // throws rc's discard: generator bug if it fires
      try {
        command->run(state, sut);
      } catch (const sut::BackendFailure&) {
        throw;
      } catch (...) {
        // RC_ASSERT fired: the step diverged (recorded in the trace).
      }
      if (!sut.trace.empty() && !sut.trace.back().differences.empty()) {
        result.diverged = sut.trace.size() - 1;
        break;
      }
      command->apply(state);
    }
    if (!result.diverged) result.finalDifferences = compareTables(state, sut);
  } catch (const sut::BackendFailure& e) {
    result.backendFailure = e.what();
  }
  result.trace = std::move(sut.trace);
  return result;  // sut (and its process tree) is torn down here
}

namespace {

scenario::Scenario scenarioWith(const SequenceResult& r, bool observed) {
  scenario::Scenario out;
  out.file = observed ? "<observed>" : "<predicted>";
  for (std::size_t i = 0; i < r.trace.size(); ++i) {
    const RecordedStep& rec = r.trace[i];
    scenario::Step step = rec.step;
    step.line = 0;
    step.expects = expectationsOf(step, observed ? rec.real : rec.model);
    step.comment.clear();
    if (r.diverged && *r.diverged == i) {
      step.comment = "<-- diverges: " + describe(rec.step, rec.differences);
    }
    out.steps.push_back(std::move(step));
  }
  return out;
}

}  // namespace

scenario::Scenario observedScenario(const SequenceResult& r) { return scenarioWith(r, true); }
scenario::Scenario predictedScenario(const SequenceResult& r) { return scenarioWith(r, false); }

}  // namespace hc::props
