#pragma once
// What `handlecheck check` found, as one value, and its three writers: text
// (stdout), Markdown (--report, $GITHUB_STEP_SUMMARY) and JSON (--format
// json, schema handlecheck-check/2). Each leads with the NEW divergences,
// then a row per catalogue quirk (seen, not reached, or in the profile),
// then coverage. Nothing in it depends on time, so the same seed gives the
// same report.
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace hc::cli {

struct DivergenceEntry {
  int number = 0;           // 1-based, in the order found
  std::string quirk;        // the catalogue quirk(s) that explain it ("A" or "A + B"); empty: NEW
  std::vector<std::string> quirks;  // the same, one name each
  std::string signature;
  std::string spec;         // the rules it departs from, cited ("SPEC 24 [D]")
  std::string description;  // one line, citing them
  int occurrences = 0, foundAfter = 0, steps = 0;
  bool shrinkCutShort = false;
  int replays = 0, reproduced = 0;  // confirmations on a fresh real backend
  std::string scenarioFile, reproducerFile;
  std::string wineTestFile;  // a test in Wine's conventions; empty when the scenario spans processes
  int markedStep = 0;  // 1-based step of the reproducer where model and system part
  // The quirks the model followed when the divergence was found (windows
  // plus these is the profile in use then): its scenario fails there.
  std::vector<std::string> modelQuirks;
  std::string scenario;  // the shrunk observed scenario, as written
  std::string tables;    // handle tables before/after the step, model | real
};

struct QuirkRow {
  std::string name, spec, description;
  std::string status;   // "seen", "not reached" or "in profile"
  int divergence = 0;   // seen: the number of its DivergenceEntry
};

struct CheckReport {
  std::string backend, profile;
  unsigned long long seed = 0;
  int sequences = 0, passed = 0;
  long steps = 0;
  bool interrupted = false;
  std::string backendFailure;
  std::map<std::string, long> coverage;
  std::vector<DivergenceEntry> divergences;  // in the order found
  std::vector<QuirkRow> quirks;              // the whole catalogue, in its order
  int newCount() const;
  // Catalogue quirks seen (a divergence a pair explains shows both).
  int seenQuirks() const;
};

std::string reportText(const CheckReport&);
std::string reportMarkdown(const CheckReport&);
nlohmann::ordered_json reportJson(const CheckReport&);

}  // namespace hc::cli
