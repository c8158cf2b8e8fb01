// Model versus real, field by field. The comparison is exact; the only
// asymmetry is the documented one: SPEC 29's lower bound on the real side.
#include "handlecheck/props/Compare.h"

#include <algorithm>
#include <map>
#include <set>

#include "Ops.h"
#include "handlecheck/engine/Text.h"
#include "handlecheck/model/Errors.h"

namespace hc::props {
namespace {

using engine::NamedObservation;
using engine::StepReport;

std::string flag(bool b) {
  return b ? "1" : "0";
}

void compareObservation(const NamedObservation& at, const proto::Observation& m,
                        const proto::Observation& r, std::vector<Difference>& out) {
  auto add = [&](const char* field, std::string model, std::string real) {
    out.push_back({at.process, at.handle, field, std::move(model), std::move(real)});
  };
  if (m.valid != r.valid) {
    add("valid", flag(m.valid), flag(r.valid));
    return;  // nothing else is comparable for a handle only one side has
  }
  if (!m.valid) return;
  if (m.inherit != r.inherit) add("inherit", flag(m.inherit), flag(r.inherit));
  if (m.protect != r.protect) add("protect", flag(m.protect), flag(r.protect));
  if (!m.type.empty() && m.type != r.type) add("type", m.type, r.type);  // empty: SPEC 61
  if (m.messages != r.messages)
    add("messages", std::to_string(m.messages), std::to_string(r.messages));
  // SPEC 67: compared where the model settles the mask and the real side read it.
  if (m.hasAccess && r.hasAccess && m.access != r.access)
    add("access", proto::hex(m.access), proto::hex(r.access));
  const bool lowerBound = engine::countIsLowerBound(m);
  const std::uint32_t least = engine::leastHandleCount(m);
  if (!countAgrees(m, r.handleCount))
    add("count",
        lowerBound  ? ">=" + std::to_string(least)
        : m.mayDrop ? std::to_string(least) + ".." + std::to_string(m.handleCount)
                    : std::to_string(m.handleCount),
        std::to_string(r.handleCount));
}

std::string quoted(bool has, const std::string& data) {
  return has ? "\"" + data + "\"" : "(none)";
}

}  // namespace

std::vector<Difference> compareObservations(const NamedObservation& model,
                                            const proto::Observation& real) {
  std::vector<Difference> out;
  compareObservation(model, model.observation, real, out);
  return out;
}

bool countAgrees(const proto::Observation& m, std::uint32_t real) {
  // Handles a console host holds may be gone already (quirk new-console-host-inherits).
  const std::uint32_t least = engine::leastHandleCount(m);
  if (engine::countIsLowerBound(m)) return real >= least;
  return real <= m.handleCount && real >= least;
}

std::string Difference::where() const {
  if (handle.empty()) return process.empty() ? field : process + " " + field;
  return handle + "@" + process + " " + field;
}

std::vector<Difference> compareSteps(const StepReport& model, const StepReport& real) {
  std::vector<Difference> out;
  const proto::Reply& m = model.reply;
  const proto::Reply& r = real.reply;
  if (m.ok != r.ok || (!m.ok && m.error != r.error) || m.alreadyExists != r.alreadyExists)
    out.push_back({{}, {}, "result", engine::outcomeText(m), engine::outcomeText(r)});
  if (m.hasData != r.hasData || m.data != r.data)
    out.push_back({{}, {}, "data", quoted(m.hasData, m.data), quoted(r.hasData, r.data)});
  if (m.hasExitCode != r.hasExitCode || m.exitCode != r.exitCode)
    out.push_back({{},
                   {},
                   "exit code",
                   m.hasExitCode ? std::to_string(m.exitCode) : "(none)",
                   r.hasExitCode ? std::to_string(r.exitCode) : "(none)"});
  if (m.hasAvail != r.hasAvail || m.avail != r.avail)
    out.push_back({{},
                   {},
                   "avail",
                   m.hasAvail ? std::to_string(m.avail) : "(none)",
                   r.hasAvail ? std::to_string(r.avail) : "(none)"});
  if (m.instances != r.instances)
    out.push_back({{},
                   {},
                   "instances",
                   m.instances >= 0 ? std::to_string(m.instances) : "(none)",
                   r.instances >= 0 ? std::to_string(r.instances) : "(none)"});
  if (m.hasSizing != r.hasSizing || m.sizingError != r.sizingError ||
      m.sizingBytes != r.sizingBytes)
    out.push_back({{}, {}, "sizing", engine::sizingText(m), engine::sizingText(r)});
  // CompareObjectHandles may be missing on the real side (-1): then unknown, not different.
  if (m.same != -1 && r.same != -1 && m.same != r.same)
    out.push_back({{}, {}, "same", std::to_string(m.same), std::to_string(r.same)});

  std::map<std::pair<std::string, std::string>, const proto::Observation*> realAt;
  for (const auto& o : real.observations) realAt[{o.process, o.handle}] = &o.observation;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& o : model.observations) {
    seen.insert({o.process, o.handle});
    const auto it = realAt.find({o.process, o.handle});
    if (it == realAt.end())
      out.push_back({o.process, o.handle, "observed", "yes", "no"});
    else
      compareObservation(o, o.observation, *it->second, out);
  }
  for (const auto& o : real.observations)
    if (!seen.count({o.process, o.handle}))
      out.push_back({o.process, o.handle, "observed", "no", "yes"});
  return out;
}

std::string describe(const scenario::Step& step, const std::vector<Difference>& diffs) {
  std::string text = std::string(proto::opInfo(step.op).verb) + " in " + step.process + ":";
  for (const auto& d : diffs)
    text += " " + d.where() + ": model " + d.model + ", real " + d.real + ";";
  if (!diffs.empty()) text.pop_back();
  return text;
}

std::string signature(const scenario::Step& step, const std::vector<Difference>& diffs) {
  std::string sig = proto::keyword(step.op);
  // The handle list is its own code path (SPEC 25); bInheritHandles is not:
  // a departure in pi.hProcess shows with and without it.
  if (step.op == proto::Op::Spawn && step.only) sig += " only";
  if (step.op == proto::Op::Dup) {
    if (!step.target.empty() && step.target != step.process) sig += " to-other";
    if (step.closeSource) sig += " close-source";
  }
  sig += ":";
  // Each kind of difference once, in a stable order, without the handle it
  // was seen on, so the same departure on other handles deduplicates;
  // results and validity keep both values.
  std::set<std::string> fields;
  for (const auto& d : diffs) {
    std::string field = d.handle.empty() ? d.field : "handle " + d.field;
    if (d.field == "result" || (d.field == "valid" && !d.handle.empty()))
      field += "(" + d.model + "->" + d.real + ")";
    fields.insert(field);
  }
  for (const auto& f : fields) sig += " " + f;
  return sig;
}

std::vector<scenario::Expect> expectationsOf(const proto::Observation& o) {
  using K = scenario::Expect::Kind;
  if (!o.valid) return {{K::Invalid, 0, {}}};
  std::vector<scenario::Expect> out{
      {K::Valid, 0, {}},
      {o.inherit ? K::Inherit : K::NoInherit, 0, {}},
      {o.protect ? K::Protect : K::NoProtect, 0, {}},
      {engine::countIsLowerBound(o) ? K::CountAtLeast : K::Count, o.handleCount, {}}};
  if (!o.type.empty()) out.push_back({K::Type, 0, o.type});
  if (o.messages >= 0) out.push_back({K::Messages, static_cast<std::uint32_t>(o.messages), {}});
  if (o.hasAccess) out.push_back({K::Access, o.access, {}});
  return out;
}

std::vector<scenario::Expect> expectationsOf(const scenario::Step& step, const StepReport& report) {
  using K = scenario::Expect::Kind;
  std::vector<scenario::Expect> out;
  const proto::Reply& r = report.reply;
  if (!r.ok) {
    out.push_back({K::Error, r.error, std::string(scenario::errorName(r.error))});
  } else {
    out.push_back({r.alreadyExists ? K::AlreadyExists : K::Ok, 0, {}});
  }
  if (r.hasData) out.push_back({K::Data, 0, r.data});
  if (r.hasExitCode) out.push_back({K::ExitCode, r.exitCode, {}});
  if (r.hasAvail) out.push_back({K::Avail, r.avail, {}});
  if (r.instances >= 0) out.push_back({K::Instances, static_cast<std::uint32_t>(r.instances), {}});
  // A sizing call that departs from SPEC 78 has no expectation to say so.
  if (r.hasSizing && r.sizingError == model::win32::kInsufficientBuffer)
    out.push_back({K::AttributeListSize, r.sizingBytes, {}});
  // A std slot that reads NULL says so: a slot's value is a plain number
  // (SPEC 51), and NULL is the one both sides spell alike, whatever values
  // the processes' handles have.
  if (r.ok && step.op == proto::Op::GetStd && r.handle == 0) out.push_back({K::Value, 0, "#0x0"});
  // The format can only say `same=H2`, not "different": keep it when it held.
  for (const auto& e : step.expects)
    if (e.kind == K::Same && r.same == 1) out.push_back(e);
  if (!report.observations.empty() && step.op != proto::Op::Exit)
    for (auto& e : expectationsOf(report.observations.front().observation))  // the subject
      out.push_back(std::move(e));
  return out;
}

}  // namespace hc::props
