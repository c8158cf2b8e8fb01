// The linearizability check of a parallel block (Linearize.h): Wing and
// Gong's search over the interleavings of the branches, each (model state,
// branch positions) explored once, and the model run as the system under test
// in one seeded interleaving.
#include "handlecheck/props/Linearize.h"

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <unordered_map>

#include "Ops.h"
#include "handlecheck/props/Compare.h"

namespace hc::props {
namespace {

using scenario::Step;

// A handle a step's Look still has to look at: the model's observation of
// it at the call, or (`modelHas` false) one the real step looked at and the
// model's call did not.
struct PendingLook {
  engine::NamedObservation atCall;
  bool modelHas = true;
  bool operator==(const PendingLook&) const = default;
};

// A point of the search: the model's world and names, how far each branch
// has come, and which branches have a spawn in progress (SPEC 86).
struct Node {
  engine::ModelBackend model;
  engine::Bindings bindings;
  std::vector<std::size_t> pos;
  std::vector<bool> held;
  // (process, name) of handles open before the block that a step of it has
  // closed while, or before, a spawn of that process ran (SPEC 87): what
  // their values hold afterwards is not contractual.
  std::set<std::pair<std::string, std::string>> unsettled;
  // Per branch, on a real system: the handles of its last step still to be
  // looked at, in the agent's order, each by its own Look move (empty: none
  // due).
  std::vector<std::vector<PendingLook>> looks;
  // Per branch holding a spawn: how many of the spawn's own handles another
  // thread's close of a freed value has closed (SPEC 87); the spawn's own
  // close of each at its end then closes whatever holds that value by then.
  std::vector<std::size_t> strays;
  bool operator==(const Node& o) const {
    return pos == o.pos && held == o.held && unsettled == o.unsettled && looks == o.looks &&
           strays == o.strays && model.sameState(o.model) && bindings == o.bindings;
  }
};

std::size_t hashOf(const Node& n) {
  std::size_t h = n.model.stateHash();
  for (std::size_t i = 0; i < n.pos.size(); ++i)
    h = (h ^ (n.pos[i] * 2 + (n.held[i] ? 1 : 0) + i * 64)) * 1099511628211ull;
  return h;
}

const std::set<std::string> kNone;

std::string threadOf(const Step& s) {
  return s.process + "." + s.thread;
}

// What one move did to the node: moved on, or could not (the message says why).
struct Outcome {
  bool moved = false;
  bool stepDone = false;  // a step completed (its report is `report`)
  engine::StepReport report;
  std::string error;  // the step could not run in this interleaving
};

// The end of a spawn whose entries were copied while other threads ran
// (SPEC 86): its request names the parent's handles open before the block,
// as a real block's request does, so the child is bound to each of them
// whose entry it holds, even one another thread has closed in the parent
// since it was copied.
engine::StepReport endSpawn(Node& n, const Step& step, const std::set<std::string>& openBefore) {
  std::set<std::string>& open = n.bindings.processes.at(step.process).open;
  const std::set<std::string> now = open;
  open.insert(openBefore.begin(), openBefore.end());
  engine::StepReport report = engine::runStep(n.model, n.bindings, step);
  for (const std::string& name : openBefore)
    if (!now.count(name)) open.erase(name);
  return report;
}

// Applies the next move of `branch` to `n` (SPEC 86 for a spawn: its start,
// one copy, or its end), in place; `openBefore`: the names of the step's
// process open before the block, where its requests were made then (a real
// system's block), else none.
Outcome advance(Node& n, std::size_t branch, const Step& step, bool perEntry,
                const std::set<std::string>& openBefore, Move& move) {
  Outcome out;
  move = Move{branch, n.pos[branch], Move::Kind::Step, {}};
  try {
    if (n.held[branch]) {
      if (n.model.copyNextEntry(branch)) {
        move.kind = Move::Kind::CopyEntry;
        out.moved = true;
        return out;
      }
      move.kind = Move::Kind::SpawnEnd;
      n.model.finishNextSpawn(branch);
      out.report = endSpawn(n, step, openBefore);
      n.held[branch] = false;
    } else if (step.op == proto::Op::Spawn && perEntry) {
      n.model.holdNextSpawn(branch);
      try {
        out.report = engine::runStep(n.model, n.bindings, step);
      } catch (const engine::SpawnHeld&) {
        move.kind = Move::Kind::SpawnStart;
        n.held[branch] = true;
        out.moved = true;
        return out;
      }
    } else {
      out.report = engine::runStep(n.model, n.bindings, step);
    }
  } catch (const std::exception& e) {
    out.error = e.what();
    return out;
  }
  ++n.pos[branch];
  out.moved = out.stepDone = true;
  return out;
}

bool sameValues(const engine::StepReport& model, const engine::StepReport& real) {
  return !model.reply.ok ||
         (model.reply.handle == real.reply.handle && model.reply.handle2 == real.reply.handle2);
}

std::string stateText(const engine::NamedObservation& o) {
  std::string t = o.handle + "@" + o.process;
  for (const auto& e : expectationsOf(o.observation)) t += " " + scenario::print(e);
  return t;
}

const engine::NamedObservation* find(const std::vector<engine::NamedObservation>& in,
                                     const engine::NamedObservation& o) {
  const auto it = std::find_if(in.begin(), in.end(), [&](const engine::NamedObservation& x) {
    return x.process == o.process && x.handle == o.handle;
  });
  return it == in.end() ? nullptr : &*it;
}

// How the state the model leaves differs from the state observed; empty when
// they agree. With exact values both sides observe the same names and every
// observation is equal. Without (a real system) the names' observations
// agree as a step's do (compareObservations: process and thread counts are
// lower bounds, SPEC 29). A real block's state observes every name the block
// may have left open (runBlockOnBackend, `superset`): each name the model
// has open must be observed as the model says, and every other must be
// closed or hold the value of a name the model has open (a value freed and
// taken again during the block).
std::string stateDifference(const std::vector<engine::NamedObservation>& model,
                            const std::vector<engine::NamedObservation>& real, bool exactValues,
                            bool superset) {
  for (const engine::NamedObservation& m : model) {
    const engine::NamedObservation* r = find(real, m);
    const bool same = r && (exactValues ? r->observation == m.observation
                                        : compareObservations(m, r->observation).empty());
    if (!same)
      return "model " + stateText(m) + (r ? ", observed " + stateText(*r) : ", observed none");
  }
  for (const engine::NamedObservation& r : real) {
    if (find(model, r)) continue;
    const bool taken = std::any_of(model.begin(), model.end(), [&](const auto& m) {
      const engine::NamedObservation* held = find(real, m);
      return m.process == r.process && held && held->observation.handle == r.observation.handle;
    });
    if (!superset || (r.observation.valid && !taken))
      return "observed " + stateText(r) + ", which the model has closed";
  }
  return "";
}

class Search {
 public:
  Search(const BlockHistory& h, const CheckOptions& options, bool matchObserved,
         const engine::Bindings& before)
      : h_(h), options_(options), match_(matchObserved), bound_(boundInBlock(h.branches)) {
    for (const auto& [label, p] : before.processes) openBefore_[label] = p.open;
  }

  // Depth first from `n`; true when an interleaving ends where the search
  // wants it (matching: explains everything; expectations: breaks one).
  bool run(const Node& n, std::size_t done) {
    if (!visit(n)) return false;
    bool allDone = true;
    for (std::size_t b = 0; b < h_.branches.size(); ++b) {
      if (!n.looks[b].empty()) {
        allDone = false;
        if (look(n, b, done)) return true;
        continue;
      }
      if (n.pos[b] >= h_.branches[b].size()) continue;
      allDone = false;
      const Step& step = h_.branches[b][n.pos[b]];
      for (const std::optional<proto::Handle>& value : valuesOf(n, b, step)) {
        Node next = n;
        Move move;
        auto& names = next.bindings.processes.at(step.process).names;
        if (value) names[step.handle.name] = *value;
        const auto before = openBefore_.find(step.process);
        const bool madeBefore = options_.requestsBeforeBlock && before != openBefore_.end();
        const Outcome o = advance(next, b, step, options_.perEntryInheritance,
                                  madeBefore ? before->second : kNone, move);
        if (value)
          names[step.handle.name] =
              n.bindings.processes.at(step.process).names.at(step.handle.name);
        if (o.moved) markUnsettled(next);
        order_.push_back(move);
        if (move.kind == Move::Kind::SpawnEnd && o.moved && next.strays[b] > 0) {
          if (strayCloses(next, b, step, o, done)) return true;
        } else if (tryMove(next, step, o, done)) {
          return true;
        }
        order_.pop_back();
      }
      if (actsOnSpawnsOwn(n, b, step, done)) return true;
    }
    if (allDone && match_) return finish(n);
    return false;
  }

  std::vector<Move> best;  // matching: the longest explained prefix
  std::size_t bestDone = 0;
  std::vector<Move> found;  // the interleaving that ended the search
  std::string failure;
  std::optional<Node> end;
  std::size_t explored = 0;

 private:
  bool tryMove(const Node& next, const Step& step, const Outcome& o, std::size_t done) {
    const std::size_t b = order_.back().branch;
    if (!o.moved) {
      if (!match_) return broke(o.error);
      mismatched(done, "then the model cannot run " + engine::describeStep(step) + ": " + o.error);
      return false;
    }
    if (!o.stepDone) return run(next, done);
    if (!match_) {
      if (!o.report.passed()) return broke(o.report.failures.front());
      return run(next, done + 1);
    }
    const engine::StepReport& seen = h_.observed[b][next.pos[b] - 1];
    engine::StepReport model = o.report;
    std::vector<Difference> diffs;
    if (options_.requestsBeforeBlock) {
      // The call's results now; its observations at its Look.
      dropBoundElsewhere(model, step, bound_);
      std::erase_if(model.observations,
                    [&](const auto& seenHere) { return lookedAfterBlock(step, seenHere); });
      engine::StepReport call = seen;
      call.observations.clear();
      Node later = next;
      later.looks[b] = inAgentOrder(model.observations, step, seen);
      model.observations.clear();
      diffs = compareSteps(model, call);
      if (diffs.empty() && (!options_.exactValues || sameValues(o.report, seen))) {
        if (!later.looks[b].empty()) return run(later, done);
        matched(done + 1);
        return run(later, done + 1);
      }
    } else {
      diffs = compareSteps(model, seen);
    }
    if (!diffs.empty() || (options_.exactValues && !sameValues(o.report, seen))) {
      mismatched(done, "then line " + std::to_string(step.line) + " " + engine::describeStep(step) +
                           (diffs.empty() ? ": model and observed bind different handle values"
                                          : ": " + describe(step, diffs)));
      return false;
    }
    matched(done + 1);
    return run(next, done + 1);
  }

  bool finish(const Node& n) {
    Node last = n;
    std::vector<engine::NamedObservation> state;
    try {
      state = observeState(last.model, last.bindings);
    } catch (const std::exception& e) {
      if (failure.empty())
        failure = std::string("the model's state cannot be observed: ") + e.what();
      return false;
    }
    const std::string differs =
        stateDifference(state, h_.after, options_.exactValues, options_.requestsBeforeBlock);
    if (!differs.empty()) {
      if (failure.empty()) {
        best = order_;
        failure = "every step matches, but the state after the block differs: " + differs;
      }
      return false;
    }
    found = order_;
    end = std::move(last);
    return true;
  }

  bool broke(const std::string& what) {
    found = order_;
    failure = what;
    return true;
  }

  // The longest prefix the model explains, and why it stops there.
  void matched(std::size_t done) {
    if (done <= bestDone) return;
    bestDone = done;
    best = order_;
    failure.clear();
  }
  void mismatched(std::size_t done, const std::string& why) {
    if (done < bestDone || !failure.empty()) return;
    best.assign(order_.begin(), order_.end() - 1);
    failure = why;
  }

  // On a real system a step's call observes handles of its own process
  // only; what it observes in another (a spawn's child, the target of
  // `dup ... to C`, the source of `dup ... from C`) is looked at once the
  // whole block has run (runBlockOnBackend), and the state after the block
  // judges it, not the step.
  static bool lookedAfterBlock(const Step& step, const engine::NamedObservation& o) {
    return o.process != step.process;
  }

  // Branch b's next Look: one handle of its last step observed in the model
  // now, against what the real step observed of it after its call. The
  // agent looks at a step's handles one after another, so another thread's
  // move may come between two of them (looks[b] is in the agent's order).
  bool look(const Node& n, std::size_t b, std::size_t done) {
    Node next = n;
    const std::size_t at = next.pos[b] - 1;
    const Step& step = h_.branches[b][at];
    const engine::StepReport& seen = h_.observed[b][at];
    const PendingLook pending = next.looks[b].front();
    next.looks[b].erase(next.looks[b].begin());
    engine::NamedObservation o = pending.atCall;
    const engine::NamedObservation* real = find(seen.observations, o);
    engine::StepReport model, observed;
    if (real) observed.observations.push_back(*real);
    if (pending.modelHas) {
      const auto p = next.bindings.processes.find(o.process);
      if (p != next.bindings.processes.end() && p->second.alive) {
        proto::Request q;
        q.process = p->second.agent;
        q.op = proto::Op::Observe;
        q.observe.push_back(o.observation.handle);
        try {
          const proto::Reply r = next.model.perform(q);
          if (r.observations.size() == 1) o.observation = r.observations[0];
        } catch (const std::exception&) {
        }
      }
      // The agent's look at one handle is several calls: a handle closed
      // between them reads valid with no type. That is the handle valid at
      // the call and closed by the look.
      const proto::Observation& atCall = pending.atCall.observation;
      if (real && real->observation.valid && real->observation.type.empty() && atCall.valid &&
          !atCall.type.empty() && !o.observation.valid)
        o.observation = real->observation;
      model.observations.push_back(o);
    }
    std::vector<Difference> diffs = compareSteps(model, observed);
    std::erase_if(diffs, [&](const Difference& d) { return staleExplained(next, d, seen); });
    order_.push_back({b, at, Move::Kind::Look, o.handle});
    if (!diffs.empty()) {
      mismatched(done, "then line " + std::to_string(step.line) + " " + engine::describeStep(step) +
                           ", its look at " + o.handle + ": " + describe(step, diffs));
      order_.pop_back();
      return false;
    }
    matched(done + 1);
    if (run(next, done + 1)) return true;
    order_.pop_back();
    return false;
  }

  // What a step's Looks look at, in the order the agent looked: the real
  // step's own-process observations (in its order), each with the model's
  // observation at the call where it has one; then what only the model's
  // call observed.
  static std::vector<PendingLook> inAgentOrder(const std::vector<engine::NamedObservation>& model,
                                               const Step& step, const engine::StepReport& seen) {
    std::vector<PendingLook> out;
    for (const engine::NamedObservation& r : seen.observations) {
      if (lookedAfterBlock(step, r)) continue;
      const engine::NamedObservation* m = find(model, r);
      out.push_back(m ? PendingLook{*m, true} : PendingLook{r, false});
    }
    for (const engine::NamedObservation& m : model)
      if (!find(seen.observations, m)) out.push_back({m, true});
    return out;
  }

  // The values the operand of `step` may hold on the real system: its own
  // (nullopt); for a name closed in the block while a spawn of its process
  // ran (SPEC 87), also the value of each handle the block made there and a
  // value nothing holds.
  std::vector<std::optional<proto::Handle>> valuesOf(const Node& n, std::size_t b,
                                                     const Step& step) const {
    std::vector<std::optional<proto::Handle>> out{std::nullopt};
    if (!options_.requestsBeforeBlock || n.held[b] || step.handle.name.empty() ||
        !step.source.empty() || !n.unsettled.count({step.process, step.handle.name}))
      return out;
    const engine::ProcessBinding& p = n.bindings.processes.at(step.process);
    if (p.open.count(step.handle.name)) return out;
    proto::Handle highest = 0;
    for (const auto& [name, value] : p.names) {
      highest = std::max(highest, value);
      if (bound_.count(name) && p.open.count(name)) out.emplace_back(value);
    }
    out.emplace_back(highest + 0x1000);
    return out;
  }

  // The spawn of `b`: which may hold the value of a handle its own close
  // at the end closes (one per stray): each handle of its process the block
  // made, or none (the value is free then).
  bool strayCloses(const Node& n, std::size_t b, const Step& step, const Outcome& o,
                   std::size_t done) {
    const engine::ProcessBinding& p = n.bindings.processes.at(step.process);
    std::vector<std::optional<proto::Handle>> values{std::nullopt};
    for (const auto& [name, value] : p.names)
      if (bound_.count(name) && p.open.count(name)) values.emplace_back(value);
    for (const auto& value : values) {
      Node next = n;
      --next.strays[b];
      if (value) {
        proto::Request q;
        q.process = p.agent;
        q.op = proto::Op::Close;
        q.handle = *value;
        try {
          next.model.perform(q);
        } catch (const std::exception&) {
          continue;
        }
      }
      if (tryMove(next, step, o, done)) return true;
    }
    return false;
  }

  // A close or a set of a value freed while a spawn of its process runs
  // (SPEC 87) may act on one of the spawn's own handles: it succeeds and
  // changes nothing the model holds; a close's effect comes when the spawn
  // ends (strays). A set that turns protect on is not explained: the
  // spawn's own close of that handle would then fail and leave it open.
  bool actsOnSpawnsOwn(const Node& n, std::size_t b, const Step& step, std::size_t done) {
    const bool close = step.op == proto::Op::Close;
    const bool set = step.op == proto::Op::Set && step.setProtect != std::optional<bool>(true);
    if (!match_ || !options_.requestsBeforeBlock || !(close || set) || n.held[b] ||
        step.handle.name.empty() || !n.unsettled.count({step.process, step.handle.name}) ||
        n.bindings.processes.at(step.process).open.count(step.handle.name))
      return false;
    const engine::StepReport& seen = h_.observed[b][n.pos[b]];
    if (!seen.reply.ok) return false;
    for (std::size_t sb = 0; sb < n.held.size(); ++sb) {
      if (!n.held[sb] || h_.branches[sb][n.pos[sb]].process != step.process) continue;
      Node next = n;
      if (close) ++next.strays[sb];
      Outcome o;
      o.moved = o.stepDone = true;
      o.report.reply = seen.reply;
      for (const engine::NamedObservation& x : seen.observations) {
        const auto q = next.bindings.processes.find(x.process);
        if (q == next.bindings.processes.end() || !q->second.names.count(x.handle)) continue;
        engine::NamedObservation mine = x;
        mine.observation.handle = q->second.names.at(x.handle);
        o.report.observations.push_back(std::move(mine));
      }
      ++next.pos[b];
      order_.push_back({b, n.pos[b], Move::Kind::Step, {}});
      if (tryMove(next, step, o, done)) return true;
      order_.pop_back();
    }
    return false;
  }

  // SPEC 87: while a spawn of a process is in progress, every handle of it
  // that was open before the block and is closed now is unsettled.
  void markUnsettled(Node& n) const {
    for (std::size_t b = 0; b < n.held.size(); ++b) {
      if (!n.held[b]) continue;
      const std::string& label = h_.branches[b][n.pos[b]].process;
      const auto before = openBefore_.find(label);
      if (before == openBefore_.end()) continue;
      const std::set<std::string>& open = n.bindings.processes.at(label).open;
      for (const std::string& name : before->second)
        if (!open.count(name)) n.unsettled.insert({label, name});
    }
  }

  // A real step's request was made before the block, so it may observe a
  // handle the model has closed by now (this step or another closed it):
  // the value is then judged, not the name. The model's look at the value must agree;
  // where SPEC 87 unsettles it, the value may instead be free, hold a handle
  // the block made in that process, or (a spawn of that process still
  // running) one of the spawn's own.
  bool staleExplained(const Node& n, const Difference& d, const engine::StepReport& seen) const {
    if (d.process.empty() || (d.field == "observed" && d.model != "no")) return false;
    const auto p = n.bindings.processes.find(d.process);
    const auto before = openBefore_.find(d.process);
    if (p == n.bindings.processes.end() || !p->second.alive || p->second.open.count(d.handle) ||
        before == openBefore_.end() || !before->second.count(d.handle))
      return false;
    const auto real = std::find_if(seen.observations.begin(), seen.observations.end(),
                                   [&](const engine::NamedObservation& o) {
                                     return o.process == d.process && o.handle == d.handle;
                                   });
    if (real == seen.observations.end()) return false;
    engine::ModelBackend look = n.model;
    proto::Request q;
    q.process = p->second.agent;
    q.op = proto::Op::Observe;
    q.observe.push_back(p->second.names.at(d.handle));
    proto::Reply r;
    try {
      r = look.perform(q);
    } catch (const std::exception&) {
      return false;
    }
    if (r.observations.size() == 1 &&
        compareObservations({d.process, d.handle, r.observations[0]}, real->observation).empty())
      return true;
    if (!n.unsettled.count({d.process, d.handle})) return false;
    const proto::Observation& o = real->observation;
    if (!o.valid) return true;
    for (std::size_t b = 0; b < h_.branches.size(); ++b) {
      for (std::size_t i = 0; i < h_.branches[b].size() && i < h_.observed[b].size(); ++i) {
        const Step& s = h_.branches[b][i];
        const proto::Reply& made = h_.observed[b][i].reply;
        const std::string owner =
            s.target.empty() || !proto::takes(s.op, proto::Arg::To) ? s.process : s.target;
        if (made.ok && owner == d.process && !s.as.empty() &&
            (made.handle == o.handle || (s.as.size() > 1 && made.handle2 == o.handle)))
          return true;
      }
      if (n.held[b] && h_.branches[b][n.pos[b]].process == d.process) return true;
    }
    return false;
  }

  // False when this node was explored before (Wing and Gong's memo).
  bool visit(const Node& n) {
    auto& bucket = seen_[hashOf(n)];
    for (const Node& other : bucket)
      if (other == n) return false;
    bucket.push_back(n);
    ++explored;
    return true;
  }

  const BlockHistory& h_;
  CheckOptions options_;
  bool match_;
  std::set<std::string> bound_;
  std::map<std::string, std::set<std::string>> openBefore_;  // label -> names open before
  std::vector<Move> order_;
  std::unordered_map<std::size_t, std::vector<Node>> seen_;
};

std::string moveText(const BlockHistory& h, const Move& m) {
  const Step& s = h.branches[m.branch][m.step];
  std::string out = threadOf(s) + " line " + std::to_string(s.line) + " " + engine::describeStep(s);
  switch (m.kind) {
    case Move::Kind::SpawnStart:
      return out + " (starts: the child exists, nothing copied yet)";
    case Move::Kind::CopyEntry:
      return out + " (copies the next table entry, SPEC 86)";
    case Move::Kind::SpawnEnd:
      return out + " (ends: hProcess and hThread)";
    case Move::Kind::Look:
      return out + " (looks at " + m.handle + ")";
    default:
      return out;
  }
}

}  // namespace

std::vector<engine::NamedObservation> observeState(sut::Backend& backend,
                                                   const engine::Bindings& bindings) {
  std::vector<engine::NamedObservation> out;
  for (const auto& [label, p] : bindings.processes) {
    if (!p.alive || p.open.empty()) continue;
    proto::Request look;
    look.process = p.agent;
    look.op = proto::Op::Observe;
    for (const std::string& name : p.open) look.observe.push_back(p.names.at(name));
    const proto::Reply seen = backend.perform(look);
    std::size_t i = 0;
    for (const std::string& name : p.open)
      out.push_back({label, name,
                     i < seen.observations.size() ? seen.observations[i++] : proto::Observation{}});
  }
  return out;
}

Verdict checkBlock(const engine::ModelBackend& model, const engine::Bindings& bindings,
                   const BlockHistory& history, const CheckOptions& options) {
  const std::size_t n = history.branches.size();
  const Node start{model,
                   bindings,
                   std::vector<std::size_t>(n, 0),
                   std::vector<bool>(n, false),
                   {},
                   std::vector<std::vector<PendingLook>>(n),
                   std::vector<std::size_t>(n, 0)};
  Verdict v;
  // Explicit expectations must hold in every interleaving the model allows
  // (a block without any needs no such search).
  bool expects = false;
  for (const auto& branch : history.branches)
    for (const Step& s : branch) expects = expects || !s.expects.empty();
  Search every(history, options, false, bindings);
  if (expects && every.run(start, 0)) {
    v.expectationBroken = true;
    v.order = every.found;
    v.failure = every.failure;
    v.explored = every.explored;
    return v;
  }
  Search match(history, options, true, bindings);
  const bool ok = match.run(start, 0);
  v.explored = every.explored + match.explored;
  if (ok) {
    v.linearizable = true;
    v.order = match.found;
    v.model = std::move(match.end->model);
    v.bindings = std::move(match.end->bindings);
    return v;
  }
  v.order = match.best;
  v.failure = match.failure.empty() ? "no interleaving of the branches explains what was observed"
                                    : match.failure;
  return v;
}

BlockHistory runBlockOnModel(engine::ModelBackend& sut, engine::Bindings& bindings,
                             const std::vector<std::vector<Step>>& branches, std::uint64_t seed) {
  BlockHistory h;
  h.branches = branches;
  h.observed.resize(branches.size());
  std::mt19937_64 rng(seed);
  std::vector<std::size_t> pos(branches.size(), 0);
  std::vector<bool> held(branches.size(), false);
  for (;;) {
    std::vector<std::size_t> ready;
    for (std::size_t b = 0; b < branches.size(); ++b)
      if (pos[b] < branches[b].size()) ready.push_back(b);
    if (ready.empty()) break;
    const std::size_t b =
        ready[std::uniform_int_distribution<std::size_t>(0, ready.size() - 1)(rng)];
    const Step& step = branches[b][pos[b]];
    if (held[b]) {
      if (sut.copyNextEntry(b)) continue;
      sut.finishNextSpawn(b);
      held[b] = false;
    } else if (step.op == proto::Op::Spawn && rng() % 2 == 0) {
      sut.holdNextSpawn(b);
      try {
        h.observed[b].push_back(engine::runStep(sut, bindings, step));
        ++pos[b];
        h.schedule.push_back(threadOf(step) + " line " + std::to_string(step.line));
      } catch (const engine::SpawnHeld&) {
        held[b] = true;
        h.schedule.push_back(threadOf(step) + " line " + std::to_string(step.line) + " starts");
      }
      continue;
    }
    h.observed[b].push_back(engine::runStep(sut, bindings, step));
    ++pos[b];
    h.schedule.push_back(threadOf(step) + " line " + std::to_string(step.line));
  }
  h.after = observeState(sut, bindings);
  return h;
}

std::vector<std::vector<Step>> branchesOf(const std::vector<Step>& steps,
                                          const scenario::Segment& block) {
  std::vector<std::vector<Step>> out;
  for (const auto& branch : block.branches) {
    out.emplace_back();
    for (const std::size_t i : branch) out.back().push_back(steps[i]);
  }
  return out;
}

std::string describe(const BlockHistory& h, const Verdict& v) {
  std::string out =
      v.linearizable ? "parallel block: linearizable\n" : "parallel block: not linearizable\n";
  out += "  observed (run in the order ";
  for (std::size_t i = 0; i < h.schedule.size(); ++i) out += (i ? ", " : "") + h.schedule[i];
  out += "):\n";
  for (std::size_t b = 0; b < h.branches.size(); ++b) {
    out += "    branch " + std::to_string(b + 1) + " (" + threadOf(h.branches[b].front()) + "):\n";
    for (std::size_t i = 0; i < h.branches[b].size(); ++i) {
      const Step& s = h.branches[b][i];
      out += "      line " + std::to_string(s.line) + " " + engine::describeStep(s);
      if (i < h.observed[b].size()) {
        std::string got;
        for (const auto& e : expectationsOf(s, h.observed[b][i]))
          got += (got.empty() ? "" : ", ") + scenario::print(e);
        out += " => " + got;
      }
      out += "\n";
    }
  }
  out += v.linearizable        ? "  explained by the interleaving:\n"
         : v.expectationBroken ? "  an expectation breaks in the interleaving:\n"
                               : "  the model explains at most this prefix:\n";
  // A run of copies by one spawn is one line: "copies 3 table entries".
  for (std::size_t i = 0; i < v.order.size(); ++i) {
    const Move& m = v.order[i];
    std::size_t copies = 1;
    while (m.kind == Move::Kind::CopyEntry && i + copies < v.order.size() &&
           v.order[i + copies] == m)
      ++copies;
    std::string line = moveText(h, m);
    if (copies > 1)
      line.replace(line.find("copies the next table entry"), 27,
                   "copies the next " + std::to_string(copies) + " table entries");
    out += "    " + line + "\n";
    i += copies - 1;
  }
  if (!v.failure.empty()) out += "  " + v.failure + "\n";
  return out;
}

}  // namespace hc::props
