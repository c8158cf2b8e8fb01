// A step's expectations against what the call returned and what was observed.
#include "StepRun.h"
#include "handlecheck/model/Rules.h"

namespace hc::engine {
namespace detail {

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
      case K::Messages: {
        const proto::Observation& o = needSubject();
        if (!o.valid) got = "invalid";
        else if (o.messages < 0) got = "no message count (not a mailslot server)";
        else if (static_cast<std::uint32_t>(o.messages) != e.number)
          got = "messages=" + std::to_string(o.messages);
        break;
      }
    }
    if (got) {
      report_.failures.push_back(where() + describeStep(step_) + ": expected " + expectText(e) +
                                 ", got " + *got);
      report_.mismatches.push_back({expectText(e), *got, ruleOfExpectation(e)});
    }
  }
}

std::string StepRun::ruleOfExpectation(const Expect& e) const {
  const bool aboutTheCall = e.kind == K::Ok || e.kind == K::Error || e.kind == K::AlreadyExists ||
                            e.kind == K::Data || e.kind == K::ExitCode;
  const auto subject = subjectOf(step_);
  if (aboutTheCall || !subject || subject->raw) return rule_;
  if (e.kind == K::Messages) return model::cite(11);  // GetMailslotInfo's count
  const bool madeHere = !step_.as.empty() && subject->name == step_.as[0];
  const std::string owner = madeHere && !step_.target.empty() ? step_.target : step_.process;
  const auto p = b_.processes.find(owner);
  if (p == b_.processes.end()) return rule_;
  if ((e.kind == K::Count || e.kind == K::CountAtLeast) && p->second.processHandles.count(subject->name))
    return model::cite(29);
  const auto r = p->second.rules.find(subject->name);
  if (r == p->second.rules.end() || r->second.empty()) return rule_;
  return r->second;
}

}  // namespace detail

using detail::Expect;
using detail::K;

std::string expectText(const Expect& e) { return scenario::print(e); }

}  // namespace hc::engine
