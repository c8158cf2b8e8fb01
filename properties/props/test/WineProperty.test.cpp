// The property against the real system: random sequences under the
// `wine` profile (windows + Wine's named quirks) must agree with Wine step
// by step. Seed, count and length come from ctest's environment (fixed);
// coverage is printed; a divergence prints the seed and the shrunk scenario
// and writes it to $HANDLECHECK_OUT.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "handlecheck/props/Campaign.h"
#include "handlecheck/sut/RealBackend.h"

namespace hc::props {
namespace {

std::string env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

TEST(Wine, WineProfileMatchesWine) {
  CampaignOptions o;
  // On Windows (HANDLECHECK_NATIVE=1) the same property runs natively
  // against the documented semantics.
  const bool native = env("HANDLECHECK_NATIVE", "0") == "1";
  o.profile = *model::profileByName(env("HANDLECHECK_PROFILE", native ? "windows" : "wine"));
  o.seed = std::stoull(env("HANDLECHECK_SEED", "20261125"));
  o.tests = std::stoi(env("HANDLECHECK_TESTS", "200"));
  o.maxSteps = std::stoi(env("HANDLECHECK_MAX_STEPS", "50"));
  o.makeSut = [native] {
    sut::RealBackendOptions ro;
    ro.wine = !native;
    return sut::makeRealBackend(ro);
  };
  o.progress = [](const CampaignProgress& p) {
    if (p.sequences % 20 == 0)
      std::cerr << "  " << p.sequences << " sequences, " << p.steps << " steps\n";
  };
  std::cout << "seed " << o.seed << ", " << o.tests << " sequences of up to " << o.maxSteps
            << " steps, profile " << o.profile.name << (native ? ", native" : ", under Wine")
            << "\n";
  const CampaignResult r = runCampaign(o);

  std::cout << "coverage (steps run, shrinking included):\n";
  for (const auto& [key, count] : r.coverage) std::cout << "  " << key << ": " << count << "\n";
  std::cout << r.sequences << " sequences, " << r.steps << " steps\n";

  const std::filesystem::path out = env("HANDLECHECK_OUT", "props-wine");
  for (std::size_t i = 0; i < r.divergences.size(); ++i) {
    const Divergence& d = r.divergences[i];
    const std::string text = scenario::print(observedScenario(d.shrunk));
    std::filesystem::create_directories(out);
    const auto file = out / ("divergence-" + std::to_string(i + 1) + ".hcs");
    std::ofstream(file) << "# " << d.description << "\n# handlecheck check --profile wine --seed "
                        << o.seed << "\n"
                        << text;
    ADD_FAILURE() << "seed " << o.seed << " (round seed " << d.seed << "): " << d.description
                  << "\nshrunk scenario (" << file.string() << "):\n"
                  << text;
  }
  ASSERT_EQ(r.backendFailure, "") << "seed " << o.seed;
  EXPECT_EQ(r.passed, o.tests);
  // Reach: every operation many times, deep trees,
  // two-generation inheritance and handle lists.
  for (const char* key :
       {"op:create", "op:open", "op:spawn", "op:close", "op:dup", "op:set", "op:write", "op:read",
        "op:query", "op:exit", "op:terminate", "op:wait", "depth:3", "spawn:inherit-from-inheritor",
        "spawn:handle-list", "dup:cross-process", "close:bad-handle"})
    EXPECT_GE(r.coverage.count(key) ? r.coverage.at(key) : 0, 10) << key;
}

}  // namespace
}  // namespace hc::props
