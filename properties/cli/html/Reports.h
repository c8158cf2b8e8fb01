#pragma once
// The HTML reports of explain (the picture after each step), replay (the
// picture at each failing line) and check (per divergence, the picture
// before and after the diverging step, model and real side by side).
#include <optional>
#include <string>
#include <vector>

#include "Page.h"
#include "Picture.h"
#include "ScenarioRun.h"
#include "handlecheck/props/Campaign.h"
#include "handlecheck/props/Tables.h"

namespace hc::cli::html {

// The picture after one step; on a real backend the model's beside it.
struct StepPicture {
  std::size_t step = 0;  // index into FileResult::steps
  Picture shown;         // what the backend holds
  std::optional<Picture> model;
};

// Draws pictures while runFile runs: after every step (explain) or after
// failing ones (replay). On a real backend every step also runs on a model
// under `profile`: it pairs the observed handles with objects.
class StepPictures {
 public:
  StepPictures(model::Profile profile, bool failingOnly);
  AfterStep hook();
  const std::vector<StepPicture>& pictures() const { return pictures_; }

 private:
  void after(sut::Backend&, const engine::Bindings&, const StepResult&);

  bool failingOnly_;
  std::size_t steps_ = 0;
  std::optional<engine::ModelBackend> shadow_;  // real backends; empty once it cannot follow
  engine::Bindings shadowBindings_;
  std::optional<Picture> previous_;
  std::vector<StepPicture> pictures_;
};

std::string explainPage(const FileResult&, const std::vector<StepPicture>&);
std::string replayPage(const std::vector<FileResult>&,
                       const std::vector<std::vector<StepPicture>>&);

// Around one divergence: filled by the observer tablesAround calls.
struct DivergencePictures {
  std::optional<Picture> modelBefore, realBefore, modelAfter, realAfter;
};
props::AroundObserver recordPictures(DivergencePictures&);

struct CheckFiles {
  std::string scenario, reproducer;
};
std::string checkPage(const std::string& backend, const std::string& profile,
                      const props::CampaignResult&, const std::vector<DivergencePictures>&,
                      const std::vector<CheckFiles>&);

// "SPEC 18-21: text" -> "SPEC 18-21 [T][D]: text", the evidence from the
// model's rule table; text without a leading rule list is returned as is.

}  // namespace hc::cli::html
