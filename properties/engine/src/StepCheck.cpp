// A step's expectations against what the call returned and what was observed.
#include "StepRun.h"
#include "handlecheck/model/Rules.h"

namespace hc::engine {
namespace detail {

namespace {

bool aboutTheCall(const Expect& e) {
  return e.kind == K::Ok || e.kind == K::Value || e.kind == K::Error ||
         e.kind == K::AlreadyExists || e.kind == K::Data || e.kind == K::ExitCode ||
         e.kind == K::Avail || e.kind == K::Instances || e.kind == K::AttributeListSize;
}

// What the call returned, when it departs from an expectation aboutTheCall.
std::optional<std::string> callDeparture(const Expect& e, const proto::Reply& r) {
  switch (e.kind) {
    case K::Ok:
      if (!r.ok) return outcomeText(r);
      break;
    case K::Error:
      if (r.ok || r.error != e.number) return outcomeText(r);
      break;
    case K::AlreadyExists:
      if (!r.ok || !r.alreadyExists) return outcomeText(r);
      break;
    case K::Data:
      if (!r.hasData) return "no data (" + outcomeText(r) + ")";
      if (r.data != e.text) return "data=" + r.data;
      break;
    case K::ExitCode:
      if (!r.hasExitCode) return "no exit code (" + outcomeText(r) + ")";
      if (r.exitCode != e.number) return "exitcode=" + std::to_string(r.exitCode);
      break;
    case K::Avail:
      if (!r.hasAvail) return "no avail (" + outcomeText(r) + ")";
      if (r.avail != e.number) return "avail=" + std::to_string(r.avail);
      break;
    case K::Instances:
      if (r.instances < 0) return "no instance count (" + outcomeText(r) + ")";
      if (static_cast<std::uint32_t>(r.instances) != e.number)
        return "instances=" + std::to_string(r.instances);
      break;
    case K::AttributeListSize:
      if (!r.hasSizing) return "no sizing call (" + outcomeText(r) + ")";
      if (r.sizingError != model::win32::kInsufficientBuffer || r.sizingBytes != e.number)
        return sizingText(r);
      break;
    default:
      break;
  }
  return std::nullopt;
}

// What was observed of the subject `o`, when it departs from an expectation
// about a handle; `lowerBound`: o's HandleCount is only a lower bound;
// `least`: the least count `count=N` may name (leastCount).
std::optional<std::string> handleDeparture(const Expect& e, const proto::Observation& o, int same,
                                           bool lowerBound, std::uint32_t least) {
  if (e.kind == K::Same) {
    if (same == 0) return "a different object";
    if (same < 0) return "no answer (CompareObjectHandles unavailable or handle invalid)";
    return std::nullopt;
  }
  if (e.kind == K::Valid) return o.valid ? std::nullopt : std::optional<std::string>("invalid");
  if (e.kind == K::Invalid) return o.valid ? std::optional<std::string>("valid") : std::nullopt;
  if (!o.valid) return "invalid";
  switch (e.kind) {
    case K::Inherit:
    case K::NoInherit:
    case K::Protect:
    case K::NoProtect: {
      const bool wantOn = e.kind == K::Inherit || e.kind == K::Protect;
      const bool isInherit = e.kind == K::Inherit || e.kind == K::NoInherit;
      const bool on = isInherit ? o.inherit : o.protect;
      if (on != wantOn) return std::string(on ? "" : "no") + (isInherit ? "inherit" : "protect");
      break;
    }
    case K::Count:
    case K::CountAtLeast: {
      const std::string got =
          "count=" + (least < o.handleCount ? std::to_string(least) + ".." : "") +
          std::to_string(o.handleCount);
      if (e.kind == K::CountAtLeast || lowerBound ? o.handleCount < e.number
                                                  : e.number < least || e.number > o.handleCount)
        return got;
      break;
    }
    case K::Type:
      if (o.type != e.text) return "type=" + o.type;
      break;
    case K::Access:
      if (!o.hasAccess) return "no access mask (unsettled for this handle)";
      if (o.access != e.number) return "access=" + proto::hex(o.access);
      break;
    case K::Messages:
      if (o.messages < 0) return "no message count (not a mailslot server)";
      if (static_cast<std::uint32_t>(o.messages) != e.number)
        return "messages=" + std::to_string(o.messages);
      break;
    default:
      break;
  }
  return std::nullopt;
}

// Whether the step's own rule says what mask a handle carries (SPEC 67-77).
bool aboutAccess(const std::string& citation) {
  for (int n = 67; n <= 77; ++n)
    if (citation.rfind("SPEC " + std::to_string(n) + " ", 0) == 0) return true;
  return false;
}

}  // namespace

void StepRun::checkExpectations(const std::optional<proto::Observation>& subject, int same) {
  for (const Expect& e : step_.expects) {
    std::optional<std::string> got;  // set when the expectation fails
    if (e.kind == K::Value) {
      got = valueDeparture(e);
    } else if (aboutTheCall(e)) {
      got = callDeparture(e, report_.reply);
    } else {
      if (!subject)
        malformed("`" + expectText(e) + "` needs a handle, and " +
                  std::string(proto::opInfo(step_.op).verb) + " has none");
      got = handleDeparture(e, *subject, same, isCountLowerBound(backend_, *subject),
                            leastCount(backend_, *subject));
    }
    if (got) {
      report_.failures.push_back(where() + describeStep(step_) + ": expected " + expectText(e) +
                                 ", got " + *got);
      report_.mismatches.push_back({expectText(e), *got, ruleOfExpectation(e)});
    }
  }
}

// SPEC 51: `value=W` (W's value in this process), `value=P0.W` (W's value
// in P0: a verbatim copy of a value the child does not know, SPEC 56) or
// `value=#0x0` (a raw value).
std::optional<std::string> StepRun::valueDeparture(const Expect& e) {
  if (step_.op != proto::Op::GetStd) malformed("`value=` is an expectation of `std` only");
  if (!report_.reply.ok) return outcomeText(report_.reply);
  proto::Handle want = 0;
  if (e.text.starts_with("#")) {
    want = std::stoull(e.text.substr(3), nullptr, 16);
  } else {
    const auto dot = e.text.find('.');
    const std::string label = dot == std::string::npos ? step_.process : e.text.substr(0, dot);
    const std::string name = dot == std::string::npos ? e.text : e.text.substr(dot + 1);
    want = resolve(process(label), label, HandleRef{name, {}});
  }
  if (report_.reply.handle == want) return std::nullopt;
  return "value=" + proto::hex(report_.reply.handle) + " (not " + proto::hex(want) + ")";
}

std::string StepRun::ruleOfExpectation(const Expect& e) const {
  if (e.kind == K::AttributeListSize)  // the sizing call, not CreateProcess
    return model::cite(RuleId::AttributeListSizing);
  const auto subject = subjectOf(step_);
  if (aboutTheCall(e) || !subject || subject->raw || fromSource()) return rule_;
  if (e.kind == K::Messages)  // GetMailslotInfo's count
    return model::cite(RuleId::MailslotClientsWriteMessages);
  if (e.kind == K::Access) {  // the mask a step makes, or one an entry keeps
    if (aboutAccess(rule_)) return rule_;
    constexpr RuleId kMaskRules[] = {RuleId::AccessLivesInEntry, RuleId::CreateGrantsAccess,
                                     RuleId::InheritanceCopiesAccess};
    return model::cite(kMaskRules);
  }
  const bool madeHere = !step_.as.empty() && subject->name == step_.as[0];
  const std::string owner = madeHere && !step_.target.empty() ? step_.target : step_.process;
  const auto p = b_.processes.find(owner);
  if (p == b_.processes.end()) return rule_;
  if ((e.kind == K::Count || e.kind == K::CountAtLeast) &&
      p->second.processHandles.count(subject->name))
    return model::cite(RuleId::ProcessCountIsLowerBound);
  const auto r = p->second.rules.find(subject->name);
  if (r == p->second.rules.end() || r->second.empty()) return rule_;
  return r->second;
}

}  // namespace detail

using detail::Expect;
using detail::K;

std::string expectText(const Expect& e) {
  return scenario::print(e);
}

}  // namespace hc::engine
