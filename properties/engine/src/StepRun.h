#pragma once
// The engine's private view of one step on one backend (see Runner.h).
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "Ops.h"
#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/engine/Runner.h"
#include "handlecheck/engine/Text.h"
#include "handlecheck/model/Rules.h"

namespace hc::engine::detail {

using scenario::Expect;
using scenario::HandleRef;
using scenario::Step;
using K = Expect::Kind;
using model::RuleId;

// "#0x104" for a raw value, else the name as written.
std::string refText(const HandleRef&);
// SPEC 29 on a real system: the observed HandleCount is a lower bound
// (countIsLowerBound, Text.h); the model's counts are exact.
inline bool isCountLowerBound(const sut::Backend& backend, const proto::Observation& o) {
  return backend.real() && countIsLowerBound(o);
}
// The least count a `count=N` on `o` may name: on a model that judges counts
// as ranges, less the copies console hosts may have let go of unobserved
// (quirk new-console-host-inherits); else the count itself.
inline std::uint32_t leastCount(const sut::Backend& backend, const proto::Observation& o) {
  const auto* model = dynamic_cast<const ModelBackend*>(&backend);
  if (!model || !model->countsAsRanges()) return o.handleCount;
  return leastHandleCount(o);
}

// What one runStep call works with. Its members live in StepRequest.cpp
// (building and performing the call), StepBind.cpp (names and inheritance),
// StepCheck.cpp (expectations) and Runner.cpp (the step as a whole).
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

  // `dup H from C close-source`: H is C's handle (SPEC 50).
  bool fromSource() const {
    return proto::takes(step_.op, proto::Arg::From) && !step_.source.empty();
  }
  std::vector<NamedObservation> observeInSource(const proto::Request&);

  proto::Request request();
  proto::Reply perform(const proto::Request&);
  // On the model: report_.peerHolders for the pipe end q.handle, everyone who
  // holds its other end (Holders.h). For a read that blocks; a call that
  // sees the writer alive without blocking (a peek) may name them too.
  void notePeerHolders(const proto::Request& q);
  void bind(ProcessBinding& owner, const std::string& label, const std::string& name,
            proto::Handle value, bool ok);
  void inherit(const proto::Request& q, const proto::Reply& r);
  // The names the child may inherit, with their values, and their
  // observations in the process they come from (SPEC 82: the designated parent's).
  std::vector<std::pair<std::string, proto::Handle>> inheritable(
      const proto::Reply& r, std::vector<proto::Observation>& seen);
  void inheritAlongside(const proto::Request& q);
  // The parts of run(), in order (Runner.cpp).
  std::vector<NamedObservation> noteObservations(const proto::Reply&);
  std::string ownerLabel() const;  // the process that holds the names the step binds
  std::vector<proto::Observation> observeOnceChildRuns(const proto::Request& spawn,
                                                       const proto::Reply& r);
  void bindResults(const proto::Request&, const proto::Reply&);
  void checkCloseSource(const proto::Request&, const proto::Reply&);
  void noteExits(const proto::Reply&);
  std::vector<NamedObservation> observeSubject(const proto::Request&, const proto::Reply&,
                                               int& same);
  // A Query of `h` in process p, comparing it with the step's `same=` handle.
  proto::Reply query(const ProcessBinding& p, const std::string& label, proto::Handle h,
                     std::vector<proto::Handle> observe);
  void checkExpectations(const std::optional<proto::Observation>& subject, int same);
  // `value=`: what the std call returned, when it is not the value expected.
  std::optional<std::string> valueDeparture(const Expect&);
  // An automatic invariant broke: `got` says how, `rule` (and `gloss`, what
  // of it) which rule: "... (SPEC 22: one object)".
  void invariant(const std::string& got, RuleId rule, const std::string& gloss = {}) {
    const std::string broken = model::spec(rule) + (gloss.empty() ? "" : ": " + gloss);
    const std::string said = got + " (" + broken + ")";
    report_.failures.push_back(where() + describeStep(step_) + ": " + said);
    report_.mismatches.push_back({broken + " invariant", said, rule_});
  }

  // The rule the departed call follows: the model's own Outcome::rule on the
  // model, else the table of operations' rules for the call.
  std::string ruleOf(const proto::Request&) const;
  // What a failed expectation departs from: for an observation of a handle
  // made by an earlier step, the rule of the call that made it (SPEC 29 for
  // the count of a process or thread); else the rule of this step's call.
  std::string ruleOfExpectation(const Expect&) const;

  sut::Backend& backend_;
  Bindings& b_;
  const Step& step_;
  StepReport report_;
  std::vector<std::pair<std::string, proto::Handle>> observed_;  // main request: name -> value
  std::string rule_;  // ruleOf the main request, once performed
  // A spawn: the process the child inherits from, the caller or the
  // designated parent (SPEC 82) when `parent=` names a process handle.
  std::string designated_;
};

}  // namespace hc::engine::detail
