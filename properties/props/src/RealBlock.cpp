// A parallel block on a backend with threads (Linearize.h,
// runBlockOnBackend): every step's request is made from the names bound
// before the block, the backend runs them all on their threads at once, and
// the steps are then taken through the runner one by one, each given the
// reply its request got, so that names are bound and expectations checked
// as for any step.
#include <algorithm>
#include <map>
#include <set>

#include "handlecheck/props/Linearize.h"

namespace hc::props {
namespace {

using scenario::Step;

// Thrown by Recorder once the runner has made a step's request.
struct Recorded {
  proto::Request request;
};

// The runner's backend while a step's request is made: it keeps the request
// and stops the step there.
class Recorder final : public sut::Backend {
 public:
  explicit Recorder(sut::Backend& real) : real_(real) {}
  std::string name() const override { return real_.name(); }
  proto::Reply perform(const proto::Request& q) override { throw Recorded{q}; }
  std::string objectName(std::string_view n) const override { return real_.objectName(n); }
  bool real() const override { return real_.real(); }

 private:
  sut::Backend& real_;
};

// The runner's backend while a step is taken through again: its request gets
// the reply the block gave it. A spawn's second look at the parent's
// handles (once the child runs) is the look the block took with the call:
// later, other branches' steps would have changed what it sees. Any other
// request (a look at a child's inherited handles, a follow-up query) goes to
// the real backend.
class Replayer final : public sut::Backend {
 public:
  Replayer(sut::Backend& real, const proto::Request& asked, const proto::Reply& got)
      : real_(real), asked_(asked), got_(got) {}
  std::string name() const override { return real_.name(); }
  proto::Reply perform(const proto::Request& q) override {
    if (!performed_) {
      performed_ = true;
      given_ = recorded(q);
      return given_;
    }
    if (asked_.op == proto::Op::Spawn && q.op == proto::Op::Observe) {
      proto::Reply r;
      r.ok = true;
      if (q.process == asked_.target && q.observe.empty()) return r;  // the child runs
      if (q.process == asked_.process && q.observe.size() == given_.observations.size()) {
        r.observations = given_.observations;
        return r;
      }
    }
    return real_.perform(q);
  }
  std::string objectName(std::string_view n) const override { return real_.objectName(n); }
  bool real() const override { return real_.real(); }
  // What the block's request observed of values the runner's request no
  // longer names (a step before it in branch order closed them).
  const std::vector<proto::Observation>& dropped() const { return dropped_; }

 private:
  proto::Reply recorded(const proto::Request& q);

  sut::Backend& real_;
  proto::Request asked_;
  proto::Reply got_;
  proto::Reply given_;  // what the runner was given for the request
  bool performed_ = false;
  std::vector<proto::Observation> dropped_;
};

// The step's request as the runner makes it now may observe more than when
// it was made: names other steps of the block bound since. Those are
// observed now (the runner needs an observation of each), the rest is what
// the block gave. It may also observe less: names steps before it in branch
// order closed; what the block saw of those is kept apart (dropped()).
proto::Reply Replayer::recorded(const proto::Request& q) {
  proto::Request a = asked_, b = q;
  a.observe.clear();
  b.observe.clear();
  std::vector<std::size_t> at;  // q.observe index -> asked_.observe index, or npos
  std::vector<bool> used(asked_.observe.size(), false);
  for (const proto::Handle h : q.observe) {
    std::size_t found = std::string::npos;
    for (std::size_t i = 0; i < asked_.observe.size() && found == std::string::npos; ++i)
      if (!used[i] && asked_.observe[i] == h) found = i;
    if (found != std::string::npos) used[found] = true;
    at.push_back(found);
  }
  for (std::size_t i = 0; i < used.size(); ++i)
    if (!used[i] && i < got_.observations.size()) dropped_.push_back(got_.observations[i]);
  if (!(a == b))
    throw sut::BackendFailure(
        "a block step's request changed between making it and taking its "
        "reply (" +
        std::string(proto::opName(q.op)) + ")");
  if (q.observe == asked_.observe) return got_;
  proto::Request look;
  look.process = q.process;
  look.op = proto::Op::Observe;
  for (std::size_t i = 0; i < at.size(); ++i)
    if (at[i] == std::string::npos) look.observe.push_back(q.observe[i]);
  const proto::Reply now = real_.perform(look);
  proto::Reply r = got_;
  r.observations.clear();
  std::size_t fresh = 0;
  for (std::size_t i = 0; i < at.size(); ++i)
    r.observations.push_back(at[i] == std::string::npos ? now.observations.at(fresh++)
                                                        : got_.observations.at(at[i]));
  for (std::size_t i = asked_.observe.size(); i < got_.observations.size(); ++i)
    r.observations.push_back(got_.observations[i]);  // what the call made
  return r;
}

}  // namespace

std::set<std::string> boundInBlock(const std::vector<std::vector<Step>>& branches) {
  std::set<std::string> out;
  for (const auto& branch : branches)
    for (const Step& s : branch) {
      out.insert(s.as.begin(), s.as.end());
      if (!s.child.empty()) out.insert(s.child);
    }
  return out;
}

void dropBoundElsewhere(engine::StepReport& report, const Step& step,
                        const std::set<std::string>& bound) {
  auto& obs = report.observations;
  obs.erase(std::remove_if(obs.begin(), obs.end(),
                           [&](const engine::NamedObservation& o) {
                             return bound.count(o.handle) &&
                                    std::find(step.as.begin(), step.as.end(), o.handle) ==
                                        step.as.end();
                           }),
            obs.end());
}

namespace {

// Each step's request, made as the runner makes it (object names, agent
// ids of children in branch order), with its thread: threads of one
// process are numbered 1, 2, ... in the order the block names them.
std::vector<proto::Request> blockRequests(sut::Backend& backend, const engine::Bindings& bindings,
                                          const std::vector<std::vector<Step>>& branches) {
  engine::Bindings scratch = bindings;
  Recorder recorder(backend);
  const std::set<std::string> bound = boundInBlock(branches);
  std::map<std::pair<std::string, std::string>, std::uint32_t> threads;
  std::map<std::string, std::uint32_t> perProcess;
  std::vector<proto::Request> out;
  for (const auto& branch : branches)
    for (const Step& step : branch) {
      try {
        engine::runStep(recorder, scratch, step);
        throw sut::BackendFailure("line " + std::to_string(step.line) + ": " +
                                  engine::describeStep(step) + " made no request");
      } catch (const Recorded& r) {
        out.push_back(r.request);
      } catch (const engine::ScenarioError& e) {
        if (!bound.count(e.token)) throw;
        throw sut::BackendFailure(
            e.what() + std::string(": on ") + backend.name() +
            " a block's requests are all made before it runs, so a step of a block cannot use `" +
            e.token + "`, which the block itself binds (run such a block on the model backend)");
      }
      auto [it, fresh] = threads.try_emplace({step.process, step.thread}, 0);
      if (fresh) it->second = ++perProcess[step.process];
      out.back().thread = it->second;
    }
  return out;
}

// Takes one step of the block through the runner with `replayer`. Its
// request was made from the names open before the block (`before`), so it
// is taken through with its process's names as they were then, whatever
// other steps closed or bound since: what it observes, and the handles a
// spawn's child may have inherited, are those names' and no others'. Then
// what it closed and opened applies to the names as they are now; the names
// it opened, in any process, join `made`.
engine::StepReport takeThrough(const Step& step, Replayer& replayer, const engine::Bindings& before,
                               engine::Bindings& bindings,
                               std::set<std::pair<std::string, std::string>>& made) {
  const std::set<std::string> now = bindings.processes.at(step.process).open;
  bindings.processes.at(step.process).open = before.processes.at(step.process).open;
  const engine::Bindings taken = bindings;
  engine::StepReport report = engine::runStep(replayer, bindings, step);
  for (const auto& [label, p] : bindings.processes) {
    const auto was = taken.processes.find(label);
    for (const std::string& name : p.open)
      if (was == taken.processes.end() || !was->second.open.count(name)) made.insert({label, name});
  }
  engine::ProcessBinding& self = bindings.processes.at(step.process);
  std::set<std::string> merged = self.alive ? now : std::set<std::string>{};
  for (const std::string& name : taken.processes.at(step.process).open)
    if (!self.open.count(name)) merged.erase(name);
  for (const std::string& name : self.open) merged.insert(name);
  self.open = std::move(merged);
  return report;
}

// A spawn's child is looked at once the whole block has run (its take
// through binds the parent's names open before the block that the child
// holds): by then a value the child inherited may be named in the parent by
// a handle another step of the block made there, once the value was freed
// and taken again. Each name the block made in the parent whose value holds
// an inheritable handle in the child joins the child's names, as one more
// name it may hold.
void lookAgainInChildren(sut::Backend& backend, const std::vector<std::vector<Step>>& branches,
                         engine::Bindings& bindings,
                         std::set<std::pair<std::string, std::string>>& made) {
  for (const auto& branch : branches)
    for (const Step& step : branch) {
      if (step.op != proto::Op::Spawn || !step.inherit || step.parent) continue;
      const auto child = bindings.processes.find(step.child);
      if (child == bindings.processes.end() || !child->second.alive) continue;
      const engine::ProcessBinding& parent = bindings.processes.at(step.process);
      proto::Request look;
      look.process = child->second.agent;
      look.op = proto::Op::Observe;
      std::vector<std::string> names;
      for (const auto& [label, name] : made)
        if (label == step.process && !child->second.names.count(name)) {
          names.push_back(name);
          look.observe.push_back(parent.names.at(name));
        }
      if (names.empty()) continue;
      const proto::Reply seen = backend.perform(look);
      for (std::size_t i = 0; i < names.size() && i < seen.observations.size(); ++i) {
        if (!seen.observations[i].valid || !seen.observations[i].inherit) continue;
        child->second.names[names[i]] = look.observe[i];
        child->second.open.insert(names[i]);
        made.insert({step.child, names[i]});
      }
    }
}

// Every name the block may have left open: each name open before it or
// bound by one of its steps (`made`), whatever a step's look said of its
// value. A look was taken when its step's call returned, before or after
// another step closed the value or a new handle took it again; which of
// these names are open is for the interleaving that explains the block to
// say (Linearize.h).
engine::Bindings mayBeOpen(const engine::Bindings& before, const engine::Bindings& after,
                           const std::set<std::pair<std::string, std::string>>& made) {
  engine::Bindings out = after;
  for (auto& [label, p] : out.processes)
    if (const auto was = before.processes.find(label); was != before.processes.end())
      p.open.insert(was->second.open.begin(), was->second.open.end());
  for (const auto& [label, name] : made) out.processes.at(label).open.insert(name);
  return out;
}

// The agent looks at a step's handles one after another, in its reply's
// order; the step's observations of its own process take that order, which
// the checker's Looks follow.
void inLookOrder(engine::StepReport& report, const Step& step, const proto::Reply& got) {
  const auto rank = [&](const engine::NamedObservation& o) {
    if (o.process != step.process) return got.observations.size() + 1;
    std::size_t i = 0;
    while (i < got.observations.size() && got.observations[i].handle != o.observation.handle) ++i;
    return i;
  };
  std::stable_sort(report.observations.begin(), report.observations.end(),
                   [&](const auto& x, const auto& y) { return rank(x) < rank(y); });
}

}  // namespace

BlockHistory runBlockOnBackend(sut::Backend& backend, engine::Bindings& bindings,
                               const std::vector<std::vector<Step>>& branches) {
  const std::vector<proto::Request> requests = blockRequests(backend, bindings, branches);
  const std::vector<proto::Reply> replies = backend.performBlock(requests);
  if (replies.size() != requests.size())
    throw sut::BackendFailure(backend.name() + " answered a block of " +
                              std::to_string(requests.size()) + " steps with " +
                              std::to_string(replies.size()) + " replies");
  const std::set<std::string> bound = boundInBlock(branches);
  const engine::Bindings before = bindings;
  BlockHistory h;
  h.branches = branches;
  h.observed.resize(branches.size());
  h.schedule = {"the real system's, not observed"};
  std::size_t k = 0;
  std::set<std::pair<std::string, std::string>> madeInBlock;
  for (std::size_t b = 0; b < branches.size(); ++b)
    for (const Step& step : branches[b]) {
      proto::Request asked = requests[k];
      asked.thread = 0;  // the runner's request names no thread
      Replayer replayer(backend, asked, replies[k]);
      engine::StepReport report = takeThrough(step, replayer, before, bindings, madeInBlock);
      for (const proto::Observation& o : replayer.dropped())
        for (const auto& [label, p] : before.processes)
          if (p.agent == asked.process)
            for (const std::string& name : p.open)
              if (p.names.at(name) == o.handle) report.observations.push_back({label, name, o});
      dropBoundElsewhere(report, step, bound);
      inLookOrder(report, step, replies[k++]);
      h.observed[b].push_back(std::move(report));
    }
  lookAgainInChildren(backend, branches, bindings, madeInBlock);
  h.after = observeState(backend, mayBeOpen(before, bindings, madeInBlock));
  return h;
}

}  // namespace hc::props
