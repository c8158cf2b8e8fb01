#include "CheckReport.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "Commands.h"
#include "handlecheck/model/Profile.h"
#include "handlecheck/model/Rules.h"

namespace hc::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// " (2 slices)", " (shard 1/2: slices 1, 3 of 4)"; empty for a campaign of one slice.
std::string slicesNote(const CheckReport& r) {
  if (r.shard) {
    std::string list;
    for (const SliceReport& s : r.sliceReports)
      list += (list.empty() ? "" : ", ") + std::to_string(s.slice);
    return " (shard " + std::to_string(r.shard->index) + "/" + std::to_string(r.shard->count) +
           ": slice" + (r.sliceReports.size() == 1 ? " " : "s ") + list + " of " +
           std::to_string(r.slices) + ")";
  }
  return r.slices == 1 ? "" : " (" + std::to_string(r.slices) + " slices)";
}

std::vector<QuirkRow> quirkRows(const CheckReport& r) {
  std::vector<QuirkRow> rows;
  for (const model::Quirk& q : model::allQuirks()) {
    const bool inProfile =
        std::find(r.profileQuirks.begin(), r.profileQuirks.end(), q.name) != r.profileQuirks.end();
    QuirkRow row{std::string(q.name), model::cite(q.specRule), std::string(q.description),
                 inProfile ? "in profile" : "not reached", 0};
    for (const auto& e : r.divergences)
      if (std::find(e.quirks.begin(), e.quirks.end(), q.name) != e.quirks.end() &&
          !row.divergence) {
        row.status = "seen";
        row.divergence = e.number;
      }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string confirmation(const DivergenceEntry& d) {
  std::string text;
  if (d.replays > 0)
    text = d.reproduced == d.replays
               ? "reproduced " + std::to_string(d.reproduced) + "/" + std::to_string(d.replays)
               : "FLAKY " + std::to_string(d.reproduced) + "/" + std::to_string(d.replays);
  if (d.shrinkCutShort) text += (text.empty() ? "" : ", ") + std::string("shrinking cut short");
  return text;
}

// Steps per operation, then the access steps (SPEC 67-77: restricted opens
// and copies, refused rights, inherited restricted handles) by their keys.
std::string opsCoverage(const CheckReport& r) {
  std::string text;
  for (const auto& [k, n] : r.coverage)
    if (k.rfind("op:", 0) == 0) text += " " + k.substr(3) + "=" + std::to_string(n);
  // Access (SPEC 67-77), attribute lists (SPEC 79) and designated parents (SPEC 82-85).
  for (const std::string_view area : {"access:", "attribute:", "parent:"})
    for (const auto& [k, n] : r.coverage)
      if (k.rfind(area, 0) == 0) text += " " + k + "=" + std::to_string(n);
  return text;
}

const DivergenceEntry& entry(const CheckReport& r, int number) {
  return r.divergences.at(static_cast<std::size_t>(number - 1));
}

}  // namespace

int CheckReport::seenQuirks() const {
  int n = 0;
  for (const auto& q : quirks) n += q.status == "seen" ? 1 : 0;
  return n;
}

int CheckReport::newCount() const {
  int n = 0;
  for (const auto& d : divergences) n += d.quirk.empty() ? 1 : 0;
  return n;
}

CheckReport mergeSlices(const Campaign& campaign, std::vector<SliceReport> slices) {
  CheckReport r;
  static_cast<Campaign&>(r) = campaign;
  std::sort(slices.begin(), slices.end(),
            [](const SliceReport& a, const SliceReport& b) { return a.slice < b.slice; });
  int before = 0;  // sequences the earlier slices explored
  for (SliceReport& s : slices) {
    if (!s.ran) continue;
    r.sequences += s.sequences;
    r.passed += s.passed;
    r.steps += s.steps;
    for (const auto& [key, n] : s.coverage) r.coverage[key] += n;
    for (DivergenceEntry& d : s.divergences) {
      const auto same =
          std::find_if(r.divergences.begin(), r.divergences.end(),
                       [&](const DivergenceEntry& e) { return e.signature == d.signature; });
      if (same != r.divergences.end()) {
        same->occurrences += d.occurrences;
        continue;
      }
      d.foundAfter += before;
      d.number = static_cast<int>(r.divergences.size()) + 1;
      r.divergences.push_back(std::move(d));
    }
    before += s.explored;
    if (!s.backendFailure.empty() || s.interrupted) {  // the campaign stops here
      r.backendFailure = s.backendFailure;
      r.interrupted = s.interrupted;
      break;
    }
  }
  r.quirks = quirkRows(r);
  return r;
}

int reportStatus(const CheckReport& r) {
  if (!r.backendFailure.empty()) return kExitBackend;
  if (r.interrupted) return kExitInterrupted;
  return r.divergences.empty() ? kExitOk : kExitFailed;
}

std::string divergenceBase(const DivergenceEntry& e) {
  std::string s = "divergence-" + std::to_string(e.number) + "-";
  for (const char c : e.quirk.empty() ? e.signature : e.quirk) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      s += static_cast<char>(std::tolower(c));
    else if (s.back() != '-')
      s += '-';
    if (s.size() > 60) break;
  }
  while (s.back() == '-') s.pop_back();
  return s;
}

void writeDivergenceFiles(CheckReport& r, const std::string& dir) {
  for (DivergenceEntry& e : r.divergences) {
    fs::create_directories(dir);
    const std::string base = divergenceBase(e);
    e.scenarioFile = (fs::path(dir) / (base + ".hcs")).string();
    std::ofstream(e.scenarioFile) << e.scenarioText;
    e.reproducerFile = (fs::path(dir) / (base + ".cpp")).string();
    std::ofstream(e.reproducerFile) << e.reproducerText;
    e.wineTestFile.clear();
    if (!e.wineTestText.empty()) {
      e.wineTestFile = (fs::path(dir) / (base + ".wine.c")).string();
      std::ofstream(e.wineTestFile) << e.wineTestText;
    }
  }
}

void publishReport(const CheckReport& r, const ReportOutputs& to) {
  const auto writable = [](const std::string& file) {
    if (const fs::path path(file); path.has_parent_path())
      fs::create_directories(path.parent_path());
    return std::ofstream(file);
  };
  const std::string md = reportMarkdown(r);
  if (!to.markdown.empty()) writable(to.markdown) << md;
  if (const char* summary = std::getenv("GITHUB_STEP_SUMMARY"); summary && *summary)
    std::ofstream(summary, std::ios::app) << md << "\n";
  const auto json = [&] {
    return reportJson(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  };
  if (!to.json.empty()) writable(to.json) << json();
  std::cout << (to.format == "json" ? json() : reportText(r));
}

std::string reportText(const CheckReport& r) {
  std::ostringstream out;
  out << "seed " << r.seed << slicesNote(r) << ": " << r.sequences << " sequences (" << r.passed
      << " agreed), " << r.steps << " steps" << (r.interrupted ? ", interrupted" : "") << "\n"
      << r.newCount() << " NEW divergence(s), " << r.seenQuirks() << " of " << r.quirks.size()
      << " catalogue quirk(s) seen, against the " << r.profile << " profile\n";
  for (const auto& d : r.divergences) {
    if (!d.quirk.empty()) continue;
    out << "\nNEW " << d.number << ". " << d.description << "\n   " << d.steps << " steps, seen "
        << d.occurrences << "x, found after " << d.foundAfter << " sequences; " << confirmation(d)
        << "\n   scenario:   " << d.scenarioFile << "\n   reproducer: " << d.reproducerFile << "\n"
        << d.scenario << d.tables;
  }
  out << "\nquirks of the catalogue:\n";
  for (const auto& q : r.quirks) {
    out << "  " << q.status << std::string(q.status.size() < 12 ? 12 - q.status.size() : 1, ' ')
        << q.name << " (" << q.spec << ")";
    if (q.divergence) {
      const DivergenceEntry& d = entry(r, q.divergence);
      out << ": seen " << d.occurrences << "x, first after " << d.foundAfter << " sequences, "
          << d.steps << " steps, " << confirmation(d) << "\n      " << d.scenarioFile;
    }
    out << "\n";
  }
  out << "coverage (steps):" << opsCoverage(r) << "\n";
  return out.str();
}

std::string reportMarkdown(const CheckReport& r) {
  std::ostringstream md;
  md << "## handlecheck check: " << r.backend << " against the `" << r.profile << "` profile\n\n"
     << "Seed " << r.seed << slicesNote(r) << "; " << r.sequences << " sequences (" << r.passed
     << " agreed), " << r.steps << " steps" << (r.interrupted ? "; **interrupted**" : "")
     << ".\n\n";
  if (!r.backendFailure.empty()) md << "**Backend failure:** " << r.backendFailure << "\n\n";
  md << "### NEW divergences (" << r.newCount() << ")\n\n";
  for (const auto& d : r.divergences) {
    if (!d.quirk.empty()) continue;
    md << d.number << ". " << d.description << "  \n   signature `" << d.signature << "`, seen "
       << d.occurrences << "x, " << confirmation(d) << "; scenario `" << d.scenarioFile
       << "`, reproducer `" << d.reproducerFile << "`\n\n```\n"
       << d.scenario << "```\n\n```\n"
       << d.tables << "```\n\n";
  }
  md << "### Quirks of the catalogue\n\n| quirk | SPEC | status | seen | first after | scenario |\n"
     << "|---|---|---|---|---|---|\n";
  for (const auto& q : r.quirks) {
    md << "| `" << q.name << "` | " << q.spec << " | " << q.status << " | ";
    if (q.divergence) {
      const DivergenceEntry& d = entry(r, q.divergence);
      md << d.occurrences << "x | " << d.foundAfter << " sequences | `" << d.scenarioFile << "` ("
         << d.steps << " steps, " << confirmation(d) << ")";
    } else {
      md << " | | ";
    }
    md << " |\n";
  }
  md << "\n### Coverage (steps per operation)\n\n| what | steps |\n|---|---|\n";
  for (const auto& [k, n] : r.coverage) md << "| `" << k << "` | " << n << " |\n";
  return md.str();
}

nlohmann::ordered_json reportJson(const CheckReport& r) {
  Json doc{{"schema", "handlecheck-check/3"},
           {"backend", r.backend},
           {"profile", r.profile},
           {"seed", r.seed},
           {"tests", r.tests},
           {"max_steps", r.maxSteps},
           {"max_depth", r.maxDepth},
           {"ops", r.ops},
           {"slices", r.slices},
           {"shard", r.shard ? Json{{"index", r.shard->index}, {"count", r.shard->count}} : Json()},
           {"sequences", r.sequences},
           {"passed", r.passed},
           {"steps", r.steps},
           {"interrupted", r.interrupted},
           {"backend_failure", r.backendFailure.empty() ? Json() : Json(r.backendFailure)},
           {"new", r.newCount()},
           {"divergences", Json::array()},
           {"quirks", Json::array()},
           {"coverage", r.coverage}};
  for (const auto& d : r.divergences)
    doc["divergences"].push_back(
        {{"number", d.number},
         {"quirk", d.quirk.empty() ? Json() : Json(d.quirk)},
         {"signature", d.signature},
         {"spec", d.spec},
         {"description", d.description},
         {"occurrences", d.occurrences},
         {"found_after", d.foundAfter},
         {"steps", d.steps},
         {"shrink_cut_short", d.shrinkCutShort},
         {"replays", d.replays},
         {"reproduced", d.reproduced},
         {"scenario_file", d.scenarioFile},
         {"reproducer_file", d.reproducerFile},
         {"wine_test_file", d.wineTestFile.empty() ? Json() : Json(d.wineTestFile)},
         {"marked_step", d.markedStep},
         {"model_quirks", d.modelQuirks},
         {"scenario", d.scenario},
         {"tables", d.tables}});
  for (const auto& q : r.quirks)
    doc["quirks"].push_back({{"quirk", q.name},
                             {"spec", q.spec},
                             {"status", q.status},
                             {"divergence", q.divergence ? Json(q.divergence) : Json()}});
  if (!r.shard) return doc;
  // A shard's slices, each on its own; a divergence is the entry above with
  // its signature, with the slice's own count and index.
  doc["shard_slices"] = Json::array();
  for (const SliceReport& s : r.sliceReports) {
    Json slice{{"slice", s.slice},
               {"seed", s.seed},
               {"tests", s.tests},
               {"ran", s.ran},
               {"sequences", s.sequences},
               {"passed", s.passed},
               {"explored", s.explored},
               {"steps", s.steps},
               {"interrupted", s.interrupted},
               {"backend_failure", s.backendFailure.empty() ? Json() : Json(s.backendFailure)},
               {"coverage", s.coverage},
               {"divergences", Json::array()}};
    for (const DivergenceEntry& d : s.divergences)
      slice["divergences"].push_back({{"signature", d.signature},
                                      {"occurrences", d.occurrences},
                                      {"found_after", d.foundAfter}});
    doc["shard_slices"].push_back(std::move(slice));
  }
  return doc;
}

namespace {

std::string optionalString(const nlohmann::json& j, const char* key) {
  const nlohmann::json& v = j.at(key);
  return v.is_null() ? std::string() : v.get<std::string>();
}

DivergenceEntry divergenceFromJson(const nlohmann::json& j) {
  DivergenceEntry d;
  d.number = j.at("number").get<int>();
  d.quirk = optionalString(j, "quirk");
  for (std::size_t from = 0; !d.quirk.empty();) {  // "A + B" -> {A, B}
    const std::size_t at = d.quirk.find(" + ", from);
    d.quirks.push_back(d.quirk.substr(from, at == std::string::npos ? at : at - from));
    if (at == std::string::npos) break;
    from = at + 3;
  }
  d.signature = j.at("signature").get<std::string>();
  d.spec = j.at("spec").get<std::string>();
  d.description = j.at("description").get<std::string>();
  d.occurrences = j.at("occurrences").get<int>();
  d.foundAfter = j.at("found_after").get<int>();
  d.steps = j.at("steps").get<int>();
  d.shrinkCutShort = j.at("shrink_cut_short").get<bool>();
  d.replays = j.at("replays").get<int>();
  d.reproduced = j.at("reproduced").get<int>();
  d.scenarioFile = j.at("scenario_file").get<std::string>();
  d.reproducerFile = j.at("reproducer_file").get<std::string>();
  d.wineTestFile = optionalString(j, "wine_test_file");
  d.markedStep = j.at("marked_step").get<int>();
  d.modelQuirks = j.at("model_quirks").get<std::vector<std::string>>();
  d.scenario = j.at("scenario").get<std::string>();
  d.tables = j.at("tables").get<std::string>();
  return d;
}

}  // namespace

CheckReport reportFromJson(const nlohmann::json& doc) {
  const std::string schema = doc.at("schema").get<std::string>();
  if (schema != "handlecheck-check/3")
    throw std::runtime_error("schema `" + schema + "`, not handlecheck-check/3");
  CheckReport r;
  r.backend = doc.at("backend").get<std::string>();
  r.profile = doc.at("profile").get<std::string>();
  r.seed = doc.at("seed").get<unsigned long long>();
  r.tests = doc.at("tests").get<int>();
  r.maxSteps = doc.at("max_steps").get<int>();
  r.maxDepth = doc.at("max_depth").get<int>();
  r.ops = doc.at("ops").get<std::vector<std::string>>();
  r.slices = doc.at("slices").get<int>();
  if (const nlohmann::json& shard = doc.at("shard"); !shard.is_null())
    r.shard = Shard{shard.at("index").get<int>(), shard.at("count").get<int>()};
  r.sequences = doc.at("sequences").get<int>();
  r.passed = doc.at("passed").get<int>();
  r.steps = doc.at("steps").get<long>();
  r.interrupted = doc.at("interrupted").get<bool>();
  r.backendFailure = optionalString(doc, "backend_failure");
  r.coverage = doc.at("coverage").get<std::map<std::string, long>>();
  for (const auto& d : doc.at("divergences")) r.divergences.push_back(divergenceFromJson(d));
  for (const auto& q : doc.at("quirks")) {
    QuirkRow row{q.at("quirk").get<std::string>(), q.at("spec").get<std::string>(), "",
                 q.at("status").get<std::string>(),
                 q.at("divergence").is_null() ? 0 : q.at("divergence").get<int>()};
    if (row.status == "in profile") r.profileQuirks.push_back(row.name);
    r.quirks.push_back(std::move(row));
  }
  if (!r.shard) return r;
  for (const auto& j : doc.at("shard_slices")) {
    SliceReport s;
    s.slice = j.at("slice").get<int>();
    s.seed = j.at("seed").get<unsigned long long>();
    s.tests = j.at("tests").get<int>();
    s.ran = j.at("ran").get<bool>();
    s.sequences = j.at("sequences").get<int>();
    s.passed = j.at("passed").get<int>();
    s.explored = j.at("explored").get<int>();
    s.steps = j.at("steps").get<long>();
    s.interrupted = j.at("interrupted").get<bool>();
    s.backendFailure = optionalString(j, "backend_failure");
    s.coverage = j.at("coverage").get<std::map<std::string, long>>();
    for (const auto& ref : j.at("divergences")) {
      const std::string signature = ref.at("signature").get<std::string>();
      const auto entry =
          std::find_if(r.divergences.begin(), r.divergences.end(),
                       [&](const DivergenceEntry& e) { return e.signature == signature; });
      if (entry == r.divergences.end())
        throw std::runtime_error("slice " + std::to_string(s.slice) + " names divergence `" +
                                 signature + "`, which the report does not list");
      DivergenceEntry d = *entry;
      d.occurrences = ref.at("occurrences").get<int>();
      d.foundAfter = ref.at("found_after").get<int>();
      s.divergences.push_back(std::move(d));
    }
    r.sliceReports.push_back(std::move(s));
  }
  return r;
}

}  // namespace hc::cli
