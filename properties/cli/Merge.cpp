// `handlecheck merge`: the shards' JSON reports (`check --shard I/N`) joined
// into the report of the whole campaign, by the function `check` itself
// merges its slices with (mergeSlices), so a sharded campaign reports what
// `check --slices K` reports in one place: the same JSON, Markdown and text,
// the divergence files under the same numbers, the same exit status.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "CheckReport.h"
#include "Commands.h"

namespace hc::cli {
namespace {

namespace fs = std::filesystem;

struct MergeArgs {
  std::vector<std::string> reports;
  std::string out = "handlecheck-out";
  std::string markdown, json, format = "text";
};

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw CommandLineError(path + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

CheckReport readShard(const std::string& path) {
  CheckReport r;
  try {
    r = reportFromJson(nlohmann::json::parse(readFile(path)));
  } catch (const CommandLineError&) {
    throw;
  } catch (const std::exception& e) {
    throw CommandLineError(path + ": not a report of handlecheck check: " + e.what());
  }
  if (!r.shard)
    throw CommandLineError(path +
                           ": the report of a whole campaign, not of a shard (check --shard I/N)");
  return r;
}

// A shard's file as its report names it, else beside the report (where a CI
// job that moved the shard's --out with its report finds it).
std::string located(const std::string& file, const std::string& report) {
  if (file.empty() || fs::exists(file)) return file;
  const fs::path beside = fs::path(report).parent_path() / fs::path(file).filename();
  return fs::exists(beside) ? beside.string() : file;
}

// The first difference between two shards' campaigns, or "".
std::string otherCampaign(const Campaign& a, const Campaign& b) {
  const auto differs = [](const std::string& what, const auto& x, const auto& y) -> std::string {
    if (x == y) return {};
    std::ostringstream text;
    text << what << " differs";
    if constexpr (requires { text << x; }) text << " (" << y << ", not " << x << ")";
    return text.str();
  };
  for (const std::string& d :
       {differs("the backend", a.backend, b.backend), differs("the profile", a.profile, b.profile),
        differs("the profile's quirks", a.profileQuirks, b.profileQuirks),
        differs("the seed", a.seed, b.seed), differs("--tests", a.tests, b.tests),
        differs("--max-steps", a.maxSteps, b.maxSteps),
        differs("--max-depth", a.maxDepth, b.maxDepth), differs("--ops", a.ops, b.ops),
        differs("--slices", a.slices, b.slices)})
    if (!d.empty()) return d;
  return {};
}

int runMerge(const MergeArgs& a) {
  std::vector<CheckReport> shards;
  std::map<int, std::string> sliceFrom;  // slice -> the report that has it
  std::vector<SliceReport> slices;
  for (const std::string& path : a.reports) {
    CheckReport r = readShard(path);
    if (!shards.empty())
      if (const std::string d = otherCampaign(shards.front(), r); !d.empty())
        throw CommandLineError(path + " is a shard of another campaign than " + a.reports.front() +
                               ": " + d);
    for (SliceReport& s : r.sliceReports) {
      if (s.slice < 0 || s.slice >= r.slices)
        throw CommandLineError(path + ": slice " + std::to_string(s.slice) + " of a campaign of " +
                               std::to_string(r.slices) + " slices");
      if (const auto [at, fresh] = sliceFrom.emplace(s.slice, path); !fresh)
        throw CommandLineError("slice " + std::to_string(s.slice) + " is in both " + at->second +
                               " and " + path + " (a shard given twice?)");
      for (DivergenceEntry& d : s.divergences) {
        d.scenarioFile = located(d.scenarioFile, path);
        d.reproducerFile = located(d.reproducerFile, path);
        d.wineTestFile = located(d.wineTestFile, path);
      }
      slices.push_back(std::move(s));
    }
    r.sliceReports.clear();
    shards.push_back(std::move(r));
  }
  Campaign campaign = shards.front();
  for (int k = 0; k < campaign.slices; ++k)
    if (!sliceFrom.count(k))
      throw CommandLineError("slice " + std::to_string(k) + " of " +
                             std::to_string(campaign.slices) + " is missing: no report of shard " +
                             std::to_string(k % campaign.shard->count) + "/" +
                             std::to_string(campaign.shard->count) + " among them");
  campaign.shard.reset();

  CheckReport report = mergeSlices(campaign, std::move(slices));
  const auto shardFile = [](const std::string& path) {
    if (!fs::exists(path))
      throw CommandLineError(path +
                             ": a shard's divergence file, neither where its report names "
                             "it nor beside the report");
    return readFile(path);
  };
  for (DivergenceEntry& d : report.divergences) {
    d.scenarioText = shardFile(d.scenarioFile);
    d.reproducerText = shardFile(d.reproducerFile);
    if (!d.wineTestFile.empty()) d.wineTestText = shardFile(d.wineTestFile);
  }
  writeDivergenceFiles(report, a.out);
  publishReport(report, {a.markdown, a.json, a.format});
  if (!report.backendFailure.empty())
    std::cerr << "handlecheck merge: backend failure: " << report.backendFailure << "\n";
  return reportStatus(report);
}

}  // namespace

void addMerge(CLI::App& app, int& status) {
  auto a = std::make_shared<MergeArgs>();
  CLI::App* merge = app.add_subcommand(
      "merge",
      "Join the JSON reports of a sharded campaign (check --shard I/N --json FILE, one per "
      "shard) into the report of the whole campaign: the same JSON, Markdown and text as "
      "`check --slices K` writes for it, each divergence's files (.hcs, .cpp, .wine.c) copied "
      "from the shards' --out into --out under the whole campaign's numbering.");
  merge->add_option("reports", a->reports, "the shards' JSON reports, in any order")
      ->required()
      ->check(CLI::ExistingFile);
  merge->add_option("--out", a->out, "where the divergences' files go")->capture_default_str();
  merge->add_option("--report", a->markdown,
                    "Markdown report (also appended to $GITHUB_STEP_SUMMARY when set)");
  merge->add_option("--json", a->json, "write the JSON report to this file");
  addFormatOption(*merge, a->format);
  merge->footer(
      "\nThe reports must be of one campaign (the same backend, profile, seed, --tests,\n"
      "--max-steps, --max-depth, --ops and --slices) and hold every slice exactly once.\n"
      "A shard's files are read where its report names them, else beside the report.\n"
      "\nExit status as the whole campaign's: 0 no divergence, 1 divergences found,\n"
      "3 backend failure, 130 interrupted; 2 reports that do not make one campaign.");
  merge->callback([a, &status] { status = runMerge(*a); });
}

}  // namespace hc::cli
