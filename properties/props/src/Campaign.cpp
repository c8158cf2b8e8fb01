// Campaigns (issue 8) on top of RapidCheck: each round is one rc check with
// a seed derived from the campaign's; a failure whose signature is new is
// shrunk by RapidCheck and recorded, and the next round treats it as known,
// so every distinct divergence is reported once.
#include "handlecheck/props/Campaign.h"

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <optional>

namespace hc::props {
namespace {

std::uint64_t roundSeed(std::uint64_t seed, int round) {
  // splitmix64 of (seed, round): rounds never replay each other's sequences.
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ull * static_cast<std::uint64_t>(round + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

const scenario::Step* divergingStep(const SequenceResult& r) {
  if (r.diverged) return &r.trace.at(*r.diverged).step;
  return nullptr;
}

}  // namespace

std::string specRulesOf(const scenario::Step& step, const std::vector<Difference>& diffs) {
  using scenario::OpKind;
  if (step.op == OpKind::Spawn && !diffs.empty()) {
    // Which part of CreateProcess departed: the call's result (SPEC 25 for a
    // handle list), pi.hProcess / pi.hThread in the caller (SPEC 24), or the
    // copies in the child (SPEC 22-23).
    bool result = false, piHandles = true;
    for (const auto& d : diffs) {
      if (d.what == "result") result = true;
      const bool onPi = step.as.size() == 2 && (d.what.rfind(step.as[0] + "@" + step.process + " ", 0) == 0 ||
                                                d.what.rfind(step.as[1] + "@" + step.process + " ", 0) == 0);
      if (!onPi) piHandles = false;
    }
    if (result) return step.only ? "SPEC 25" : "SPEC 22-25";
    if (piHandles) return "SPEC 24";
    return "SPEC 22-23";
  }
  using scenario::ObjectType;
  switch (step.op) {
    case OpKind::Create:
      if (step.type == ObjectType::Mailslot) return "SPEC 10";
      if (step.type == ObjectType::Pipe) return "SPEC 13";
      return "SPEC 4-7";
    case OpKind::Open: return step.type == ObjectType::Mailslot ? "SPEC 11-12" : "SPEC 8-9";
    case OpKind::Spawn: return step.only ? "SPEC 25" : "SPEC 22-24";
    case OpKind::Close: return "SPEC 14-16";
    case OpKind::Dup: return "SPEC 18-21";
    case OpKind::Set: return "SPEC 17";
    case OpKind::Write:
    case OpKind::Read: return "SPEC 11, 13";
    case OpKind::Query: return "SPEC 29";
    case OpKind::Exit: return "SPEC 26";
    case OpKind::Terminate: return "SPEC 28";
    case OpKind::Wait: return "SPEC 27";
  }
  return "SPEC";
}

std::string divergenceSignature(const SequenceResult& r) {
  if (const auto* step = divergingStep(r)) return signature(*step, r.trace.at(*r.diverged).differences);
  if (!r.finalDifferences.empty()) {
    std::string sig = "end of sequence:";
    for (const auto& d : r.finalDifferences) {
      std::string field = d.what;
      const auto at = field.find('@');
      const auto space = field.find(' ', at == std::string::npos ? 0 : at);
      if (at != std::string::npos && space != std::string::npos) field = field.substr(space + 1);
      sig += " " + field;
    }
    return sig;
  }
  return r.backendFailure.empty() ? std::string() : "backend failure";
}

std::string divergenceDescription(const SequenceResult& r) {
  if (const auto* step = divergingStep(r))
    return specRulesOf(*step, r.trace.at(*r.diverged).differences) + ": " +
           describe(*step, r.trace.at(*r.diverged).differences);
  if (!r.finalDifferences.empty()) {
    std::string text = "SPEC 14-29, whole tables after the last step:";
    for (const auto& d : r.finalDifferences)
      text += " " + d.what + ": model " + d.model + ", real " + d.real + ";";
    text.pop_back();
    return text;
  }
  return r.backendFailure;
}

std::vector<std::string> coverageOf(const SequenceResult& r) {
  std::vector<std::string> out;
  std::map<std::string, int> depth{{"P0", 0}};
  std::set<std::string> receivedHandles;  // labels spawned with inheritance that succeeded
  for (std::size_t i = 0; i < r.trace.size(); ++i) {
    const RecordedStep& rec = r.trace[i];
    const scenario::Step& s = rec.step;
    out.push_back("op:" + std::string(scenario::opName(s.op)));
    if (s.op == scenario::OpKind::Create || s.op == scenario::OpKind::Open)
      out.push_back(std::string(scenario::opName(s.op)) + ":" + std::string(scenario::typeName(s.type)));
    if (s.op == scenario::OpKind::Close && !rec.model.reply.ok) out.push_back("close:bad-handle");
    if (s.op == scenario::OpKind::Dup && !s.target.empty()) out.push_back("dup:cross-process");
    if (s.op == scenario::OpKind::Spawn && rec.model.reply.ok) {
      depth[s.child] = depth[s.process] + 1;
      out.push_back("depth:" + std::to_string(depth[s.child]));
      if (s.inherit) {
        out.push_back(s.only ? "spawn:handle-list" : "spawn:inherit");
        receivedHandles.insert(s.child);
        if (receivedHandles.count(s.process)) out.push_back("spawn:inherit-from-inheritor");
      }
    }
    if (s.op == scenario::OpKind::Spawn && !rec.model.reply.ok) out.push_back("spawn:fails");
  }
  return out;
}

CampaignResult runCampaign(const CampaignOptions& o) {
  CampaignResult result;
  result.seed = o.seed;
  std::set<std::string> known;
  CampaignProgress progress;
  bool shrinking = false;
  std::optional<SequenceResult> lastFailure;
  auto stopped = [&] { return o.stop && o.stop(); };

  const auto property = [&]() {
    const auto commands = *rc::state::gen::commands(
        HarnessModel(o.profile), [&](const HarnessModel& m) { return genCommand(m, o.gen); });
    if (stopped() || !result.backendFailure.empty()) return;  // wind down quickly
    SequenceResult run = runSequence(commands, o.profile, o.makeSut);
    ++result.sequences;
    progress.sequences = result.sequences;
    progress.steps += static_cast<long>(run.trace.size());
    result.steps = progress.steps;
    progress.shrinking = shrinking;
    for (const auto& key : coverageOf(run)) ++result.coverage[key];
    if (!run.backendFailure.empty()) {
      result.backendFailure = run.backendFailure;
      return;
    }
    if (o.progress) o.progress(progress);
    if (!run.failed()) {
      if (!shrinking) ++result.passed;
      return;
    }
    const std::string sig = divergenceSignature(run);
    if (known.count(sig)) {
      for (auto& d : result.divergences)
        if (d.signature == sig && !shrinking) ++d.occurrences;
      return;
    }
    shrinking = true;  // RapidCheck shrinks from here on
    lastFailure = run;
    RC_FAIL(divergenceDescription(run));
  };

  int remaining = o.tests;
  for (int round = 0; remaining > 0 && !stopped() && result.backendFailure.empty(); ++round) {
    rc::detail::TestParams params;
    params.seed = roundSeed(o.seed, round);
    params.maxSuccess = remaining;
    params.maxSize = std::max(0, o.maxSteps - 1);  // commands() makes 1..maxSize+1 steps
    params.maxDiscardRatio = 10;
    rc::detail::TestMetadata metadata;
    metadata.id = "handlecheck check";
    shrinking = false;
    lastFailure.reset();
    const rc::detail::TestResult outcome =
        rc::detail::checkProperty(rc::detail::toProperty(property), metadata, params);
    rc::detail::FailureResult failure;
    if (outcome.match(failure) && lastFailure) {
      Divergence d;
      d.signature = divergenceSignature(*lastFailure);
      d.description = divergenceDescription(*lastFailure);
      if (const auto* step = divergingStep(*lastFailure))
        d.specRules = specRulesOf(*step, lastFailure->trace.at(*lastFailure->diverged).differences);
      d.seed = params.seed;
      d.shrunk = *lastFailure;
      known.insert(d.signature);
      result.divergences.push_back(std::move(d));
      progress.divergences = static_cast<int>(result.divergences.size());
      remaining -= failure.numSuccess + 1;
      continue;
    }
    rc::detail::GaveUpResult gaveUp;
    if (outcome.match(gaveUp) && result.backendFailure.empty() && !stopped())
      result.backendFailure = "RapidCheck gave up: " + gaveUp.description;
    rc::detail::Error error;
    if (outcome.match(error) && result.backendFailure.empty() && !stopped())
      result.backendFailure = "RapidCheck error: " + error.description;
    break;  // success (or gave up / stopped)
  }
  result.interrupted = stopped();
  return result;
}

}  // namespace hc::props
