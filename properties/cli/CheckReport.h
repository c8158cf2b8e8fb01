#pragma once
// What `handlecheck check` found, as one value, and its three writers: text
// (stdout), Markdown (--report, $GITHUB_STEP_SUMMARY) and JSON (--format
// json / --json, schema handlecheck-check/3). Each leads with the NEW
// divergences, then a row per catalogue quirk (seen, not reached, or in the
// profile), then coverage. Nothing in it depends on time, so the same seed
// gives the same report.
// A campaign is K slices (props::sliceOptions); mergeSlices makes the report
// of the whole campaign from its slices' results, for `check` (every slice in
// one process) and for `merge` (the slices of shard reports) alike.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace hc::cli {

struct DivergenceEntry {
  int number = 0;     // 1-based, in the order found
  std::string quirk;  // the catalogue quirk(s) that explain it ("A" or "A + B"); empty: NEW
  std::vector<std::string> quirks;  // the same, one name each
  std::string signature;
  std::string spec;         // the rules it departs from, cited ("SPEC 24 [D]")
  std::string description;  // one line, citing them
  int occurrences = 0, foundAfter = 0, steps = 0;
  bool shrinkCutShort = false;
  int replays = 0, reproduced = 0;  // confirmations on a fresh real backend
  std::string scenarioFile, reproducerFile;
  std::string
      wineTestFile;    // a test in Wine's conventions; empty when the scenario spans processes
  int markedStep = 0;  // 1-based step of the reproducer where model and system part
  // The quirks the model followed when the divergence was found (windows
  // plus these is the profile in use then): its scenario fails there.
  std::vector<std::string> modelQuirks;
  std::string scenario;  // the shrunk observed scenario, as written
  std::string tables;    // handle tables before/after the step, model | real
  // The three files' contents (not in the JSON): written under the entry's
  // number once the slices are merged (writeDivergenceFiles).
  std::string scenarioText, reproducerText, wineTestText;
};

struct QuirkRow {
  std::string name, spec, description;
  std::string status;  // "seen", "not reached" or "in profile"
  int divergence = 0;  // seen: the number of its DivergenceEntry
};

// One slice's own results, its divergences numbered and found after
// sequences on the slice's index; `ran` is false for a slice a stop before it
// (backend failure, Ctrl-C) left out.
struct SliceReport {
  int slice = 0;
  unsigned long long seed = 0;  // props::sliceSeed
  int tests = 0;                // props::sliceTests
  bool ran = true;
  int sequences = 0, passed = 0, explored = 0;  // explored: outside shrinking
  long steps = 0;
  bool interrupted = false;
  std::string backendFailure;
  std::map<std::string, long> coverage;
  std::vector<DivergenceEntry> divergences;
};

struct Shard {
  int index = 0, count = 1;  // --shard index/count: the slices k with k % count == index
};

// The campaign a report is of: what every shard of it must agree on, and
// which shard the report is.
struct Campaign {
  std::string backend, profile;
  std::vector<std::string> profileQuirks;  // the catalogue quirks the profile has
  unsigned long long seed = 0;
  int tests = 0, maxSteps = 0, maxDepth = 0;
  std::vector<std::string> ops;  // empty: every op
  int slices = 1;
  std::optional<Shard> shard;  // set: the report of this shard's slices only
};

// What the campaign found.
struct CheckReport : Campaign {
  int sequences = 0, passed = 0;
  long steps = 0;
  bool interrupted = false;
  std::string backendFailure;
  std::map<std::string, long> coverage;
  std::vector<DivergenceEntry> divergences;  // in the order found
  std::vector<QuirkRow> quirks;              // the whole catalogue, in its order
  // A shard's slices, each on its own (in the JSON of shard reports only,
  // for `merge`; their divergences there refer to `divergences`).
  std::vector<SliceReport> sliceReports;
  int newCount() const;
  // Catalogue quirks seen (a divergence a pair explains shows both).
  int seenQuirks() const;
};

// The report of `campaign`: the slices' results merged in
// slice order: divergences deduplicated by signature (the first slice's copy
// kept, occurrences summed) and numbered, found after sequences on the
// campaign's index (the earlier slices' explored sequences added), counts
// and coverage summed, a backend failure or an interruption ending the
// campaign there, as when it runs whole. The quirk rows follow.
CheckReport mergeSlices(const Campaign& campaign, std::vector<SliceReport> slices);

// The exit status of `check` for this report: 3 backend failure, 130
// interrupted, 1 divergences, else 0.
int reportStatus(const CheckReport&);

// "divergence-3-quirk-mailslot-single-client": the files' name before .hcs etc.
std::string divergenceBase(const DivergenceEntry&);
// Writes every entry's files into `dir` under its number and sets the *File paths.
void writeDivergenceFiles(CheckReport&, const std::string& dir);

// Where a finished report goes: Markdown to `markdown` (and appended to
// $GITHUB_STEP_SUMMARY when set), JSON to `json`, both when non-empty; stdout
// gets the text, or the JSON when `format` is "json".
struct ReportOutputs {
  std::string markdown, json, format = "text";
};
void publishReport(const CheckReport&, const ReportOutputs&);

std::string reportText(const CheckReport&);
std::string reportMarkdown(const CheckReport&);
nlohmann::ordered_json reportJson(const CheckReport&);
// The report a reportJson document holds; throws nlohmann::json::exception
// or std::runtime_error naming what is missing or wrong.
CheckReport reportFromJson(const nlohmann::json&);

}  // namespace hc::cli
