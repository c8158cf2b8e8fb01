// The three HTML reports, each a Page of facts and pictures.
#include "Reports.h"

#include <algorithm>
#include <cctype>

#include "Render.h"
#include "handlecheck/engine/Holders.h"
#include "handlecheck/model/Rules.h"

namespace hc::cli::html {
namespace {

std::string lineText(const scenario::Step& s) {
  return "line " + std::to_string(s.line) + ": " + scenario::print(s);
}

std::string callText(const StepResult& s) {
  return (s.step.process == "P0" ? std::string() : s.step.process + " calls ") +
         std::string(win32Name(s.step)) + " -> " + outcomeSummary(s);
}

std::string passedText(const StepResult& s) {
  if (!s.report.passed()) return "FAILED";
  return s.step.expects.empty() ? "no expectations; invariants hold" : "expectations hold";
}

// The rule a failed expectation names (with its evidence), else the rule
// the step exercises.
std::string ruleText(const StepResult& s) {
  for (const engine::Mismatch& m : s.report.mismatches)
    if (!m.rule.empty()) return m.rule;
  return ruleNote(s);
}

// The pictures of one step: the model's beside the backend's when both exist.
void stepFigures(Page& page, const StepPicture& p) {
  if (p.model)
    page.figures({{"model", "model: " + p.model->side, &*p.model},
                  {"real", "real: " + p.shown.side, &p.shown}});
  else
    page.figures({{"model", p.shown.side, &p.shown}});
}

// A failing step's subject (the handle its expectations name) is marked
// the way a difference is: its entry, and its object when a count failed.
void markFailure(Picture& p, const StepResult& s) {
  const auto subject = engine::subjectOf(s.step);
  if (!subject || subject->name.empty() || s.report.mismatches.empty()) return;
  std::string expected, why;
  bool count = false;
  for (const engine::Mismatch& m : s.report.mismatches) {
    expected += (expected.empty() ? "" : ", ") + m.expected;
    why += (why.empty() ? "" : "; ") + ("expected " + m.expected + ", got " + m.got);
    count |= m.expected.starts_with("count");
  }
  for (Process& proc : p.processes) {
    if (proc.label != s.step.process) continue;
    for (Entry& e : proc.entries) {
      if (("/" + e.names + "/").find("/" + subject->name + "/") == std::string::npos) continue;
      e.differs = true;
      e.differsIn = expected;
      e.note = why;
      for (Object& o : p.objects)
        if (count && o.key == e.object) o.differs = true, o.note = why;
    }
  }
}

// A step whose pipe's other end is still open: every entry that holds that
// end is marked with the step that gave it, and so is the end itself.
void markHolders(Picture& p, const StepResult& s) {
  for (const engine::Holder& h : s.report.peerHolders)
    for (Process& proc : p.processes) {
      if (proc.label != h.process) continue;
      for (Entry& e : proc.entries) {
        if (e.value != h.value) continue;
        e.holder = true;
        e.origin = h.origin;
        e.note += (e.note.empty() ? "" : "; ") +
                  ("keeps the pipe's " + engine::otherEndName(s.step.op) +
                   " open: " + (h.origin ? engine::originText(*h.origin) : "origin unknown"));
        for (Object& o : p.objects)
          if (o.key == e.object) {
            o.held = true;
            o.note = "the pipe's " + engine::otherEndName(s.step.op) + ": " +
                     engine::describeStep(s.step) + " waits until its last handle closes";
          }
      }
    }
}

// The facts of a step: its call, rule, who holds the pipe's other end.
std::vector<std::pair<std::string, std::string>> stepFacts(const StepResult& s) {
  std::vector<std::pair<std::string, std::string>> facts{{"Win32 call", callText(s)},
                                                         {"rule", ruleText(s)}};
  if (!s.report.peerHolders.empty())
    facts.push_back({"still open", "the pipe's " + engine::otherEndName(s.step.op) + " in " +
                                       engine::holdersText(s.report.peerHolders)});
  return facts;
}

}  // namespace

StepPictures::StepPictures(model::Profile profile, bool failingOnly)
    : failingOnly_(failingOnly), shadow_(std::in_place, profile) {}

AfterStep StepPictures::hook() {
  return [this](sut::Backend& b, const engine::Bindings& names, const StepResult& s) {
    after(b, names, s);
  };
}

void StepPictures::after(sut::Backend& backend, const engine::Bindings& names,
                         const StepResult& s) {
  const std::size_t index = steps_++;
  const auto* model = dynamic_cast<const engine::ModelBackend*>(&backend);
  if (!model && shadow_) {
    // The model follows the same steps; where it cannot (a step it predicts
    // to block, a name it never bound), pairing stops and objects stay apart.
    try {
      engine::runStep(*shadow_, shadowBindings_, s.step);
    } catch (const std::exception&) {
      shadow_.reset();
    }
  }
  if (failingOnly_ && s.report.passed() && !s.report.reply.blocks) return;
  StepPicture p;
  p.step = index;
  if (model) {
    p.shown = modelPicture(*model, names);
  } else {
    std::optional<Picture> paired;
    if (shadow_) paired = modelPicture(*shadow_, shadowBindings_);
    p.shown = observedPicture(backend.name(), props::snapshot(backend, names), names,
                              paired ? &*paired : nullptr, shadow_ ? &shadowBindings_ : nullptr);
    if (paired) {
      markDifferences(*paired, p.shown);
      p.model = std::move(paired);
    }
  }
  if (!s.report.passed()) markFailure(p.shown, s);
  markHolders(p.shown, s);
  if (previous_) {
    const Picture whole = p.shown;
    collapseUnchanged(p.shown, *previous_);
    previous_ = whole;
  } else {
    previous_ = p.shown;
  }
  pictures_.push_back(std::move(p));
}

std::string explainPage(const FileResult& f, const std::vector<StepPicture>& pictures) {
  Page page("handlecheck explain " + f.file);
  page.paragraph("Walk-through of " + f.file + " on " +
                     (f.backend.empty() ? std::string("the model") : f.backend) +
                     ". Each step: the scenario line, the Win32 call it makes and what it "
                     "returned, the rule it follows, then every process's handle table and "
                     "the kernel objects its entries point to, with their usage counts.",
                 "meta");
  page.legend(f.blocked && !f.blocked->report.peerHolders.empty());
  std::size_t next = 0;
  const std::size_t count = f.steps.size() + (f.blocked ? 1 : 0);
  for (std::size_t i = 0; i < count; ++i) {
    const StepResult& s = i < f.steps.size() ? f.steps[i] : *f.blocked;
    const bool blocked = i == f.steps.size();
    page.heading("[" + std::to_string(i + 1) + "] " + lineText(s.step), 2,
                 s.report.passed() && !blocked ? "" : "failed");
    std::vector<std::pair<std::string, std::string>> facts = stepFacts(s);
    facts.push_back({"expectations", blocked ? "the scenario cannot go on" : passedText(s)});
    for (const std::string& failure : s.report.failures) facts.push_back({"FAILED", failure});
    page.facts(facts);
    while (next < pictures.size() && pictures[next].step < i) ++next;
    if (next < pictures.size() && pictures[next].step == i) stepFigures(page, pictures[next]);
  }
  std::string ending;
  switch (f.status) {
    case FileResult::Status::Passed:
      ending = f.file + ": every expectation holds (" + std::to_string(f.stepCount) + " steps)";
      break;
    case FileResult::Status::Failed:
      ending = f.file + ": " + std::to_string(f.failedSteps()) + " step(s) FAILED";
      break;
    default:
      ending = f.file + ": stopped after " + std::to_string(f.steps.size()) + " of " +
               std::to_string(f.stepCount) + " steps: " + f.error;
  }
  page.heading(ending, 2, f.status == FileResult::Status::Passed ? "" : "failed");
  return page.html();
}

std::string replayPage(const std::vector<FileResult>& files,
                       const std::vector<std::vector<StepPicture>>& pictures) {
  Page page("handlecheck replay");
  page.paragraph(
      "Each scenario file ran in a fresh world. At each failing line: the line, the "
      "Win32 call and what it returned, what was expected, and the picture after "
      "the step (on a real backend beside the model's, run on the same steps).",
      "meta");
  page.legend(std::any_of(files.begin(), files.end(), [](const FileResult& f) {
    return f.blocked && !f.blocked->report.peerHolders.empty();
  }));
  for (std::size_t k = 0; k < files.size(); ++k) {
    const FileResult& f = files[k];
    page.heading(f.file + ": " + std::string(statusName(f.status)) + " (" +
                     std::to_string(f.failedSteps()) + " of " + std::to_string(f.stepCount) +
                     " steps failed on " + (f.backend.empty() ? "?" : f.backend) + ")",
                 2, f.status == FileResult::Status::Passed ? "" : "failed");
    if (!f.error.empty()) page.paragraph(f.error, "failed");
    for (const StepPicture& p : k < pictures.size() ? pictures[k] : std::vector<StepPicture>{}) {
      const StepResult& s = p.step < f.steps.size() ? f.steps[p.step] : f.blocked.value();
      page.heading(lineText(s.step), 3, "failed");
      std::vector<std::pair<std::string, std::string>> facts = stepFacts(s);
      for (const std::string& failure : s.report.failures) facts.push_back({"FAILED", failure});
      page.facts(facts);
      stepFigures(page, p);
    }
  }
  return page.html();
}

props::AroundObserver recordPictures(DivergencePictures& out) {
  return [&out](bool after, const engine::ModelBackend& model, const engine::Bindings& modelNames,
                sut::Backend& real, const engine::Bindings& realNames) {
    Picture m = modelPicture(model, modelNames);
    Picture r =
        observedPicture(real.name(), props::snapshot(real, realNames), realNames, &m, &modelNames);
    markDifferences(m, r);
    if (after) {
      out.modelAfter = std::move(m);
      out.realAfter = std::move(r);
    } else {
      out.modelBefore = std::move(m);
      out.realBefore = std::move(r);
    }
  };
}

std::string checkPage(const std::string& backend, const std::string& profile,
                      const props::CampaignResult& r,
                      const std::vector<DivergencePictures>& pictures,
                      const std::vector<CheckFiles>& files) {
  Page page("handlecheck check: " + backend + " against the " + profile + " profile");
  page.paragraph("Seed " + std::to_string(r.seed) + "; " + std::to_string(r.sequences) +
                     " sequences (" + std::to_string(r.passed) + " agreed), " +
                     std::to_string(r.steps) + " steps" + (r.interrupted ? "; interrupted" : "") +
                     "; " + std::to_string(r.divergences.size()) + " distinct divergence(s).",
                 "meta");
  if (!r.backendFailure.empty()) page.paragraph("Backend failure: " + r.backendFailure, "failed");
  if (!r.divergences.empty()) page.legend();
  for (std::size_t i = 0; i < r.divergences.size(); ++i) {
    const props::Divergence& d = r.divergences[i];
    page.heading(std::to_string(i + 1) + ". " + d.description, 2, "failed");
    std::vector<std::pair<std::string, std::string>> facts;
    if (d.shrunk.diverged) {
      const props::RecordedStep& step = d.shrunk.trace.at(*d.shrunk.diverged);
      scenario::Step numbered = step.step;
      numbered.line = static_cast<int>(*d.shrunk.diverged) + 1;
      facts.push_back({"diverging step", lineText(numbered)});
      facts.push_back({"model", callText({step.step, step.model, {}})});
      facts.push_back({backend, callText({step.step, step.real, {}})});
    }
    facts.push_back({"rule", model::cite(d.rules)});
    facts.push_back({"seen", std::to_string(d.occurrences) + "x; signature " + d.signature});
    if (i < files.size()) {
      facts.push_back({"scenario", files[i].scenario});
      facts.push_back({"reproducer", files[i].reproducer});
    }
    page.facts(facts);
    page.code(scenario::print(props::observedScenario(d.shrunk)));
    const DivergencePictures* p = i < pictures.size() ? &pictures[i] : nullptr;
    if (!p || !p->modelBefore || !p->realBefore || !p->modelAfter || !p->realAfter) {
      page.paragraph(
          "(no pictures: the divergence is not at one step, or the backend failed "
          "while the sequence re-ran)",
          "note");
      continue;
    }
    Picture modelBefore = *p->modelBefore, realBefore = *p->realBefore;
    Picture modelAfter = *p->modelAfter, realAfter = *p->realAfter;
    collapseUnchanged(modelBefore, *p->modelAfter);
    collapseUnchanged(realBefore, *p->realAfter);
    collapseUnchanged(modelAfter, *p->modelBefore);
    collapseUnchanged(realAfter, *p->realBefore);
    page.heading("before the step", 3);
    page.figures({{"before-model", "model: " + modelBefore.side, &modelBefore},
                  {"before-real", "real: " + realBefore.side, &realBefore}});
    page.heading("after the step", 3);
    page.figures({{"after-model", "model: " + modelAfter.side, &modelAfter},
                  {"after-real", "real: " + realAfter.side, &realAfter}});
  }
  return page.html();
}

}  // namespace hc::cli::html
