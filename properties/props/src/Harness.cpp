// rc::state plumbing shared by every command: preconditions on the model,
// running a step on both sides, and the end-of-sequence comparison.
#include "handlecheck/props/Harness.h"

#include <algorithm>
#include <cassert>
#include <ostream>
#include <set>

#include "Ops.h"
#include "handlecheck/engine/Observe.h"
#include "handlecheck/props/Trace.h"

namespace hc::props {
namespace {

// rc::state preconditions, as a plain predicate (trial run on a copy).
bool canRun(const HarnessModel& m, const scenario::Step& step) {
  const auto proc = m.bindings.processes.find(step.process);
  if (proc == m.bindings.processes.end() || !proc->second.alive) return false;
  if (step.op == proto::Op::Spawn && m.bindings.processes.count(step.child)) return false;
  const std::string& owner =
      step.op == proto::Op::Dup && !step.target.empty() ? step.target : step.process;
  if (const auto o = m.bindings.processes.find(owner); o != m.bindings.processes.end()) {
    const std::size_t fresh = step.op == proto::Op::Dup ? 1 : step.as.size();
    for (std::size_t i = 0; i < fresh && i < step.as.size(); ++i)
      if (o->second.names.count(step.as[i])) return false;  // names are bound once
  }
  if (step.op == proto::Op::Spawn)
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
  // `dup H from C` closes C's H (SPEC 50) and makes nothing.
  const std::string& holder = step.source.empty() ? step.process : step.source;
  const auto& self = m.bindings.processes.at(holder);
  auto closed = [&](const std::string& name) {
    if (!name.empty() && self.names.count(name) && !self.open.count(name))
      m.closedAt[{holder, name}] = m.allocations[holder];
  };
  if (step.op == proto::Op::Close || step.op == proto::Op::Dup)
    closed(step.handle.name);  // close, or dup's close-source
  if (scenario::namesBound(step) > 0)
    ++m.allocations[step.target.empty() ? step.process : step.target];
}

void advanceCounters(HarnessModel& m, const scenario::Step& step) {
  for (const auto& n : step.as)
    if (n.size() > 1 && n[0] == 'H') m.nextName = std::max(m.nextName, std::stoi(n.substr(1)) + 1);
  if (step.op == proto::Op::Spawn) {
    if (step.child.size() > 1 && step.child[0] == 'C')
      m.nextChild = std::max(m.nextChild, std::stoi(step.child.substr(1)) + 1);
    // SPEC 82: a designated parent is the child's parent in the tree.
    const auto child = m.bindings.processes.find(step.child);
    const std::string& parent =
        child != m.bindings.processes.end() ? child->second.parent : step.process;
    m.depth[step.child] = m.depth[parent] + 1;
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

const RecordedStep& StepCommand::record(const HarnessModel& m, HarnessSut& s) const {
  HarnessModel predicted = m;
  RecordedStep rec{step_,
                   engine::runStep(predicted.backend, predicted.bindings, step_),
                   {},
                   {},
                   predicted.backend.lastRule()};
  rec.real = engine::runStep(*s.backend, s.bindings, step_);  // BackendFailure propagates
  rec.differences = compareSteps(rec.model, rec.real);
  s.trace.push_back(std::move(rec));
  return s.trace.back();
}

void StepCommand::run(const HarnessModel& m, HarnessSut& s) const {
  const RecordedStep& rec = record(m, s);
  if (!rec.differences.empty()) RC_FAIL(describe(step_, rec.differences));
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
  out.reserve(binding.open.size());
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

const proto::Observation* findObservation(const engine::StepReport& r, const std::string& process,
                                          const std::string& handle) {
  for (const auto& o : r.observations)
    if (o.process == process && o.handle == handle) return &o.observation;
  return nullptr;
}

// SPEC 14-29 at the end of a sequence: every name the model holds open in
// every running process is observed on both sides and compared (flags,
// type, counts).
std::vector<Difference> compareTables(HarnessModel& m, HarnessSut& s,
                                      SequenceResult::ObservationPairs& seen) {
  std::vector<Difference> out;
  for (const auto& label : runningProcesses(m)) {
    const auto rb = s.bindings.processes.find(label);
    if (rb == s.bindings.processes.end() || !rb->second.alive) {
      out.push_back({label, {}, "running", "1", "0"});
      continue;
    }
    const auto& open = m.bindings.processes.at(label).open;
    const std::vector<std::string> names(open.begin(), open.end());
    engine::StepReport model, real;
    model.observations = engine::observeNames(m.backend, m.bindings, label, names);
    real.observations = engine::observeNames(*s.backend, s.bindings, label, names);
    for (auto& d : compareSteps(model, real)) {
      if (const auto* mo = findObservation(model, d.process, d.handle))
        if (const auto* ro = findObservation(real, d.process, d.handle))
          seen[{d.process, d.handle}] = {*mo, *ro};
      out.push_back(std::move(d));
    }
  }
  return out;
}

}  // namespace

std::unique_ptr<sut::Backend> startBackend(
    const std::function<std::unique_ptr<sut::Backend>()>& makeSut) {
  try {
    return makeSut();
  } catch (const sut::BackendFailure&) {
    return makeSut();
  }
}

SequenceResult runSequence(const std::vector<CommandPtr>& commands, const model::Profile& profile,
                           const std::function<std::unique_ptr<sut::Backend>()>& makeSut) {
  SequenceResult result;
  HarnessModel state(profile);
  HarnessSut sut;
  try {
    sut.backend = startBackend(makeSut);
    for (const auto& command : commands) {
      command->checkPreconditions(state);  // throws rc's discard: generator bug if it fires
      const auto* step = dynamic_cast<const StepCommand*>(command.get());
      assert(step && "every harness command is a StepCommand");
      if (!step->record(state, sut).differences.empty()) {
        result.diverged = sut.trace.size() - 1;
        break;
      }
      command->apply(state);
    }
    if (!result.diverged)
      result.finalDifferences = compareTables(state, sut, result.finalObservations);
  } catch (const sut::BackendFailure& e) {
    result.backendFailure = e.what();
  }
  result.trace = std::move(sut.trace);
  return result;  // sut (and its process tree) is torn down here
}

namespace {

// One line of the written counterexample: a recorded step, or a query
// added where a difference was seen that no line of the sequence expresses.
struct Line {
  scenario::Step step;
  std::vector<scenario::Expect> observed, predicted;
  std::string note;  // the differences the line shows, for the marked one
};

scenario::Step queryOf(const std::string& process, const std::string& handle) {
  scenario::Step q;
  q.process = process;
  q.processWritten = process != "P0";
  q.op = proto::Op::Query;
  if (!handle.empty() && handle[0] == '#')
    q.handle.raw = std::stoull(handle.substr(1), nullptr, 16);
  else
    q.handle.name = handle;
  return q;
}

// SPEC 61: a console handle's type name and HandleCount are not contractual;
// the model gives one no type and its count as a lower bound (Compare does
// the same). A real handle is taken for a console handle where the model
// predicts it without a type, or predicts no handle and the real type is
// one the model never names (Wine's console handles are Devices): its type
// is then no expectation, and its count a lower bound like the model's.
void reconcileConsoleHandle(Line& line) {
  using K = scenario::Expect::Kind;
  const auto has = [](const std::vector<scenario::Expect>& es, K kind) {
    return std::any_of(es.begin(), es.end(),
                       [&](const scenario::Expect& e) { return e.kind == kind; });
  };
  const auto type = std::find_if(line.observed.begin(), line.observed.end(),
                                 [](const scenario::Expect& e) { return e.kind == K::Type; });
  if (type == line.observed.end()) return;
  bool modelNames = false;
  for (int k = 0; k < static_cast<int>(model::ObjectKind::Console); ++k)
    modelNames = modelNames || model::typeName(static_cast<model::ObjectKind>(k)) == type->text;
  const bool console = has(line.predicted, K::Valid) ? !has(line.predicted, K::Type) : !modelNames;
  if (!console) return;
  line.observed.erase(type);
  for (auto& seen : line.observed)
    if (seen.kind == K::Count) seen.kind = K::CountAtLeast;
}

// SPEC 29's lower bound, both ways: `count>=N` must hold on the real system
// and, where the counts agreed, on the model too, so the observed line takes
// the model's smaller N; a real count below the model's is an exact one.
// Where the model predicts no count (it has the handle closed), the real
// count says only that the handle is open: count>=1, which a quirk that
// keeps it open can meet whatever else holds the object.
void reconcileLowerBounds(Line& line) {
  using K = scenario::Expect::Kind;
  reconcileConsoleHandle(line);
  const bool predictsCount =
      std::any_of(line.predicted.begin(), line.predicted.end(),
                  [](const scenario::Expect& e) { return e.kind == K::CountAtLeast; });
  for (auto& seen : line.observed) {
    if (seen.kind != K::CountAtLeast) continue;
    if (!predictsCount) seen.number = std::min<std::uint32_t>(seen.number, 1);
    for (const auto& predicted : line.predicted)
      if (predicted.kind == K::CountAtLeast) {
        if (predicted.number <= seen.number)
          seen.number = predicted.number;
        else
          seen.kind = K::Count;
      }
  }
  // SPEC 67-69: the real side always reads a mask; where the model settles
  // none (a mailslot's, a named pipe end's), it is no expectation.
  const bool predictsAccess =
      std::any_of(line.predicted.begin(), line.predicted.end(),
                  [](const scenario::Expect& e) { return e.kind == K::Access; });
  if (!predictsAccess)
    line.observed.erase(
        std::remove_if(line.observed.begin(), line.observed.end(),
                       [](const scenario::Expect& e) { return e.kind == K::Access; }),
        line.observed.end());
}

// Queries for differences on handles other than the line's subject, one per
// handle, with each side's observation as its expectations.
void addQueries(std::vector<Line>& lines, const std::vector<Difference>& diffs,
                const engine::StepReport& model, const engine::StepReport& real,
                const engine::NamedObservation* subject) {
  std::set<std::pair<std::string, std::string>> done;
  for (const auto& d : diffs) {
    if (d.handle.empty() || d.field == "observed") continue;
    // A handle the step binds only on one side is the step's result, which
    // its own line already expects; the other side has no name to query.
    if (d.field == "valid" && d.process == lines.back().step.process &&
        std::find(lines.back().step.as.begin(), lines.back().step.as.end(), d.handle) !=
            lines.back().step.as.end())
      continue;
    if (subject && subject->process == d.process && subject->handle == d.handle) continue;
    if (!done.insert({d.process, d.handle}).second) continue;
    const proto::Observation* m = findObservation(model, d.process, d.handle);
    const proto::Observation* r = findObservation(real, d.process, d.handle);
    if (!m || !r) continue;
    std::vector<Difference> here;
    for (const auto& e : diffs)
      if (e.process == d.process && e.handle == d.handle) here.push_back(e);
    Line query{queryOf(d.process, d.handle), expectationsOf(*r), expectationsOf(*m), {}};
    query.note = describe(lines.back().step, here);
    reconcileLowerBounds(query);
    lines.push_back(std::move(query));
  }
}

std::vector<Line> linesOf(const SequenceResult& r) {
  std::vector<Line> lines;
  for (std::size_t i = 0; i < r.trace.size(); ++i) {
    const RecordedStep& rec = r.trace[i];
    scenario::Step step = rec.step;
    step.line = 0;
    step.comment.clear();
    Line line{step, expectationsOf(rec.step, rec.real), expectationsOf(rec.step, rec.model), {}};
    reconcileLowerBounds(line);
    if (line.observed != line.predicted) line.note = describe(rec.step, rec.differences);
    lines.push_back(std::move(line));
    if (r.diverged && *r.diverged == i) {
      const auto* subject = rec.model.observations.empty() || rec.step.op == proto::Op::Exit
                                ? nullptr
                                : &rec.model.observations.front();
      addQueries(lines, rec.differences, rec.model, rec.real, subject);
    }
  }
  if (!r.finalDifferences.empty()) {
    // The end-of-sequence comparison: one query per differing handle.
    std::set<std::pair<std::string, std::string>> done;
    for (const auto& d : r.finalDifferences) {
      if (d.handle.empty() || !done.insert({d.process, d.handle}).second) continue;
      std::vector<Difference> here;
      for (const auto& e : r.finalDifferences)
        if (e.process == d.process && e.handle == d.handle) here.push_back(e);
      const auto& [m, real] = r.finalObservations.at({d.process, d.handle});
      Line query{queryOf(d.process, d.handle), expectationsOf(real), expectationsOf(m), {}};
      query.note = "end of sequence: " + describe(query.step, here);
      reconcileLowerBounds(query);
      lines.push_back(std::move(query));
    }
  }
  return lines;
}

std::optional<std::size_t> markedIn(const std::vector<Line>& lines) {
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (lines[i].observed != lines[i].predicted) return i;
  return std::nullopt;
}

scenario::Scenario scenarioWith(const SequenceResult& r, bool observed) {
  scenario::Scenario out;
  out.file = observed ? "<observed>" : "<predicted>";
  const std::vector<Line> lines = linesOf(r);
  const auto marked = markedIn(lines);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    scenario::Step step = lines[i].step;
    step.expects = observed ? lines[i].observed : lines[i].predicted;
    if (marked && *marked == i) step.comment = "<-- diverges: " + lines[i].note;
    out.steps.push_back(std::move(step));
  }
  return out;
}

}  // namespace

scenario::Scenario observedScenario(const SequenceResult& r) {
  return scenarioWith(r, true);
}
scenario::Scenario predictedScenario(const SequenceResult& r) {
  return scenarioWith(r, false);
}
std::optional<std::size_t> markedStep(const SequenceResult& r) {
  return markedIn(linesOf(r));
}

}  // namespace hc::props
