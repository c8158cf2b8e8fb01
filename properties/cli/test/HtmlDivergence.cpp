// hc_html_divergence SCENARIO OUT.html: the HTML report `handlecheck check`
// writes, for one fixed divergence found without Wine. The scenario's steps
// run through the check harness on the model (windows profile) against the
// model under the wine profile standing in for the real system; the first
// departure is reported as a campaign of one sequence would report it.
#include <fstream>
#include <iostream>
#include <sstream>

#include "handlecheck/model/Profile.h"
#include "handlecheck/model/Rules.h"
#include "handlecheck/props/Compare.h"
#include "html/Reports.h"

int main(int argc, char** argv) {
  using namespace hc;
  if (argc != 3) {
    std::cerr << "usage: hc_html_divergence SCENARIO OUT.html\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const scenario::Scenario sc = scenario::parse(text.str(), argv[1]);
  std::vector<props::CommandPtr> commands;
  for (scenario::Step step : sc.steps) {
    step.expects.clear();  // the harness compares the two sides, not the file's expectations
    commands.push_back(std::make_shared<props::StepCommand>(step));
  }
  const std::function<std::unique_ptr<sut::Backend>()> makeSut = [] {
    return std::make_unique<engine::ModelBackend>(model::standIn(model::wineProfile()));
  };
  props::Divergence d;
  d.shrunk = props::runSequence(commands, model::windowsProfile(), makeSut);
  if (!d.shrunk.diverged) {
    std::cerr << argv[1] << ": the two profiles agree on every step\n";
    return 1;
  }
  const props::RecordedStep& at = d.shrunk.trace.at(*d.shrunk.diverged);
  const model::Quirk* quirk = model::quirkByName("spawn-handles-ignore-security-attributes");
  d.rules = {quirk ? quirk->specRule : model::RuleId::ProcessInformationHandlesAreNew};
  d.description = model::cite(d.rules) + ": " + props::describe(at.step, at.differences);
  d.signature = props::signature(at.step, at.differences);

  props::CampaignResult campaign;
  campaign.sequences = 1;
  campaign.steps = static_cast<long>(d.shrunk.trace.size());
  campaign.divergences.push_back(d);
  cli::html::DivergencePictures pictures;
  props::tablesAround(d.shrunk, model::windowsProfile(), makeSut,
                      cli::html::recordPictures(pictures));
  cli::html::writeFile(argv[2], cli::html::checkPage("model (wine)", "windows", campaign,
                                                     {pictures}, {{argv[1], "(none)"}}));
  return 0;
}
