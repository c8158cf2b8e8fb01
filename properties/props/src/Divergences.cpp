// What a failed sequence says about the departure: its dedup key, the rules
// it departs from, its one-line description; and what a sequence covered.
#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "Ops.h"
#include "handlecheck/model/Rules.h"
#include "handlecheck/props/Campaign.h"

namespace hc::props {

const Divergence* CampaignResult::divergenceOf(const model::Quirk& quirk) const {
  for (const Divergence& d : divergences)
    for (const model::Quirk* q : d.quirks)
      if (q == &quirk) return &d;
  return nullptr;
}

std::string divergenceSignature(const SequenceResult& r) {
  if (r.diverged)
    return signature(r.trace.at(*r.diverged).step, r.trace.at(*r.diverged).differences);
  if (!r.finalDifferences.empty()) {
    std::set<std::string> fields;
    for (const auto& d : r.finalDifferences) fields.insert(d.field);
    std::string sig = "end of sequence:";
    for (const auto& f : fields) sig += " " + f;
    return sig;
  }
  return r.backendFailure.empty() ? std::string() : "backend failure";
}

std::vector<model::RuleId> divergenceRules(const SequenceResult& r) {
  if (!r.diverged) return {};
  const RecordedStep& rec = r.trace.at(*r.diverged);
  // A spawn whose only difference is its sizing call departs from SPEC 78.
  if (!rec.differences.empty() &&
      std::all_of(rec.differences.begin(), rec.differences.end(),
                  [](const Difference& d) { return d.field == "sizing"; }))
    return {model::RuleId::AttributeListSizing};
  if (rec.rule != model::RuleId::None) return {rec.rule};
  const auto rules = proto::opInfo(rec.step.op).rules;  // the table of operations'
  return {rules.begin(), rules.end()};
}

std::string divergenceDescription(const SequenceResult& r,
                                  const std::vector<model::RuleId>& rules) {
  const std::string cited = rules.empty() ? std::string() : model::cite(rules) + ": ";
  if (r.diverged)
    return cited + describe(r.trace.at(*r.diverged).step, r.trace.at(*r.diverged).differences);
  if (!r.finalDifferences.empty()) {
    std::string text = cited + "whole tables after the last step:";
    for (const auto& d : r.finalDifferences)
      text += " " + d.where() + ": model " + d.model + ", real " + d.real + ";";
    text.pop_back();
    return text;
  }
  return r.backendFailure;
}

std::vector<std::string> coverageOf(const SequenceResult& r) {
  std::vector<std::string> out;
  std::map<std::string, int> depth{{"P0", 0}};
  std::set<std::string> receivedHandles;        // labels spawned with inheritance that succeeded
  std::set<std::string> restrictedInheritable;  // labels that made an inheritable restricted handle
  // (label, handle name) -> the label of the process it is a handle to, so
  // that a designated parent (SPEC 82) is the child's parent in the tree.
  std::map<std::pair<std::string, std::string>, std::string> processOf;
  for (const RecordedStep& rec : r.trace) {
    const scenario::Step& s = rec.step;
    if (rec.model.reply.ok && s.op == proto::Op::Dup && s.source.empty() && !s.as.empty()) {
      const std::string& owner = s.target.empty() ? s.process : s.target;
      const auto named =
          s.handle.raw ? processOf.end() : processOf.find({s.process, s.handle.name});
      if (s.handle.raw && *s.handle.raw == proto::kCurrentProcess)
        processOf[{owner, s.as[0]}] = s.process;
      else if (named != processOf.end())
        processOf[{owner, s.as[0]}] = named->second;
    }
    const proto::OpInfo& info = proto::opInfo(s.op);
    out.push_back("op:" + std::string(info.verb));
    if (!info.object.empty())
      out.push_back(std::string(info.verb) + ":" + std::string(info.object));
    if (s.op == proto::Op::Close && !rec.model.reply.ok) out.push_back("close:bad-handle");
    if (s.op == proto::Op::Dup && !s.target.empty()) out.push_back("dup:cross-process");
    if (s.op == proto::Op::Dup && !s.source.empty()) out.push_back("op:dup-from");
    if (s.op == proto::Op::Spawn && rec.model.reply.ok) {
      std::string parent = s.process;
      if (s.parent && !s.parent->raw)
        if (const auto it = processOf.find({s.process, s.parent->name}); it != processOf.end())
          parent = it->second;
      if (!s.as.empty()) processOf[{s.process, s.as[0]}] = s.child;
      depth[s.child] = depth[parent] + 1;
      out.push_back("depth:" + std::to_string(depth[s.child]));
      if (s.inherit) {
        out.push_back(s.only ? "spawn:handle-list" : "spawn:inherit");
        receivedHandles.insert(s.child);
        if (receivedHandles.count(parent)) out.push_back("spawn:inherit-from-inheritor");
      }
    }
    if (s.op == proto::Op::Spawn && !rec.model.reply.ok) out.push_back("spawn:fails");
    if (s.op == proto::Op::Spawn && (s.stdInput || s.stdOutput || s.stdError || s.console))
      out.push_back("op:spawn-std");
    // The designated parent (SPEC 82-85): a child of another process's, and
    // the parent handles CreateProcess refuses.
    if (s.op == proto::Op::Spawn && s.parent)
      out.push_back(rec.model.reply.ok ? "parent:designated" : "parent:refused");
    // UpdateProcThreadAttribute's refusals (SPEC 79), before CreateProcess runs.
    if (s.op == proto::Op::Spawn && (s.listSize || s.parentSize || s.unknownAttribute))
      out.push_back(rec.model.reply.ok ? "attribute:list-size" : "attribute:refused");
    // Access (SPEC 67-77): restricted opens and copies, a right refused, and
    // a spawn that inherits from a process that made a restricted
    // inheritable handle.
    if (s.desiredAccess) {
      out.push_back("access:" + std::string(info.verb));
      if (s.inherit && rec.model.reply.ok)
        restrictedInheritable.insert(s.target.empty() ? s.process : s.target);
    }
    // Only SPEC 76's rights make these calls fail with ERROR_ACCESS_DENIED.
    const bool checksRight =
        s.op == proto::Op::Signal || s.op == proto::Op::Map || s.op == proto::Op::Wait;
    if (checksRight && !rec.model.reply.ok && rec.model.reply.error == model::win32::kAccessDenied)
      out.push_back("access:denied");
    if (s.op == proto::Op::Spawn && rec.model.reply.ok && s.inherit &&
        restrictedInheritable.count(s.process))
      out.push_back("access:inherited");
  }
  return out;
}

}  // namespace hc::props
