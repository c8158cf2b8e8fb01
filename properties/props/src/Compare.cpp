// Model versus real, field by field (issue 6). The comparison is exact; the
// only asymmetry is the documented one: process and thread HandleCounts are
// lower bounds on the real side (SPEC 29).
#include "handlecheck/props/Compare.h"

#include <map>
#include <set>
#include <string_view>

namespace hc::props {
namespace {

using engine::NamedObservation;
using engine::StepReport;

std::string errorText(std::uint32_t code) {
  const std::string_view name = scenario::errorName(code);
  return name.empty() ? std::to_string(code) : std::string(name);
}

std::string outcomeText(const proto::Reply& r) {
  if (!r.ok) return errorText(r.error);
  return r.alreadyExists ? "ok (already-exists)" : "ok";
}

bool lowerBoundCount(const proto::Observation& o) {
  return o.type == "Process" || o.type == "Thread";  // SPEC 29
}

std::string key(const NamedObservation& o) { return o.handle + "@" + o.process; }

void compareObservation(const std::string& k, const proto::Observation& m,
                        const proto::Observation& r, std::vector<Difference>& out) {
  auto flag = [](bool b) { return std::string(b ? "1" : "0"); };
  if (m.valid != r.valid) {
    out.push_back({k + " valid", flag(m.valid), flag(r.valid)});
    return;  // nothing else is comparable for a handle only one side has
  }
  if (!m.valid) return;
  if (m.inherit != r.inherit) out.push_back({k + " inherit", flag(m.inherit), flag(r.inherit)});
  if (m.protect != r.protect) out.push_back({k + " protect", flag(m.protect), flag(r.protect)});
  if (m.type != r.type) out.push_back({k + " type", m.type, r.type});
  const bool countOk = lowerBoundCount(m) ? r.handleCount >= m.handleCount
                                          : r.handleCount == m.handleCount;
  if (!countOk)
    out.push_back({k + " count", (lowerBoundCount(m) ? ">=" : "") + std::to_string(m.handleCount),
                   std::to_string(r.handleCount)});
}

}  // namespace

std::vector<Difference> compareSteps(const StepReport& model, const StepReport& real) {
  std::vector<Difference> out;
  const proto::Reply& m = model.reply;
  const proto::Reply& r = real.reply;
  if (m.ok != r.ok || (!m.ok && m.error != r.error) || m.alreadyExists != r.alreadyExists)
    out.push_back({"result", outcomeText(m), outcomeText(r)});
  if (m.hasData != r.hasData || m.data != r.data)
    out.push_back({"data", m.hasData ? "\"" + m.data + "\"" : "(none)",
                   r.hasData ? "\"" + r.data + "\"" : "(none)"});
  if (m.hasExitCode != r.hasExitCode || m.exitCode != r.exitCode)
    out.push_back({"exit code", m.hasExitCode ? std::to_string(m.exitCode) : "(none)",
                   r.hasExitCode ? std::to_string(r.exitCode) : "(none)"});
  // CompareObjectHandles may be missing on the real side (-1): then unknown, not different.
  if (m.same != -1 && r.same != -1 && m.same != r.same)
    out.push_back({"same", std::to_string(m.same), std::to_string(r.same)});

  std::map<std::string, const proto::Observation*> realByKey;
  for (const auto& o : real.observations) realByKey[key(o)] = &o.observation;
  std::set<std::string> seen;
  for (const auto& o : model.observations) {
    const std::string k = key(o);
    seen.insert(k);
    const auto it = realByKey.find(k);
    if (it == realByKey.end()) {
      out.push_back({k + " observed", "yes", "no"});
      continue;
    }
    compareObservation(k, o.observation, *it->second, out);
  }
  for (const auto& o : real.observations)
    if (!seen.count(key(o))) out.push_back({key(o) + " observed", "no", "yes"});
  return out;
}

std::string describe(const scenario::Step& step, const std::vector<Difference>& diffs) {
  std::string text = std::string(scenario::opName(step.op)) + " in " + step.process + ":";
  for (const auto& d : diffs) text += " " + d.what + ": model " + d.model + ", real " + d.real + ";";
  if (!diffs.empty()) text.pop_back();
  return text;
}

std::string signature(const scenario::Step& step, const std::vector<Difference>& diffs) {
  std::string sig(scenario::opName(step.op));
  if (step.op == scenario::OpKind::Create || step.op == scenario::OpKind::Open)
    sig += " " + std::string(scenario::typeName(step.type));
  // The handle list is its own code path (SPEC 25); bInheritHandles is not:
  // a departure in pi.hProcess shows with and without it.
  if (step.op == scenario::OpKind::Spawn && step.only) sig += " only";
  if (step.op == scenario::OpKind::Dup) {
    if (!step.target.empty() && step.target != step.process) sig += " to-other";
    if (step.closeSource) sig += " close-source";
  }
  sig += ":";
  std::set<std::string> fields;  // each kind of difference once, in a stable order
  for (const auto& d : diffs) {
    // Field names without the handle/process they were seen on, so the same
    // departure on other handles deduplicates; results keep both values.
    std::string field = d.what;
    if (const auto at = field.find(' '); at != std::string::npos && field.find('@') < at)
      field = "handle" + field.substr(at);
    if (field == "result" || field == "handle valid") field += "(" + d.model + "->" + d.real + ")";
    fields.insert(field);
  }
  for (const auto& f : fields) sig += " " + f;
  return sig;
}

std::vector<scenario::Expect> expectationsOf(const scenario::Step& step,
                                             const StepReport& report) {
  using K = scenario::Expect::Kind;
  std::vector<scenario::Expect> out;
  const proto::Reply& r = report.reply;
  if (!r.ok) {
    const std::string_view name = scenario::errorName(r.error);
    out.push_back({K::Error, r.error, std::string(name)});
  } else {
    out.push_back({r.alreadyExists ? K::AlreadyExists : K::Ok, 0, {}});
  }
  if (r.hasData) out.push_back({K::Data, 0, r.data});
  if (r.hasExitCode) out.push_back({K::ExitCode, r.exitCode, {}});
  // The format can only say `same=H2`, not "different": keep it when it held.
  for (const auto& e : step.expects)
    if (e.kind == K::Same && r.same == 1) out.push_back(e);
  if (!report.observations.empty() && step.op != scenario::OpKind::Exit) {
    const proto::Observation& o = report.observations.front().observation;  // the subject
    if (!o.valid) {
      out.push_back({K::Invalid, 0, {}});
    } else {
      out.push_back({K::Valid, 0, {}});
      out.push_back({o.inherit ? K::Inherit : K::NoInherit, 0, {}});
      out.push_back({o.protect ? K::Protect : K::NoProtect, 0, {}});
      out.push_back({lowerBoundCount(o) ? K::CountAtLeast : K::Count, o.handleCount, {}});
      if (!o.type.empty()) out.push_back({K::Type, 0, o.type});
    }
  }
  return out;
}

}  // namespace hc::props
