#include "CheckReport.h"

#include <sstream>

namespace hc::cli {
namespace {

std::string confirmation(const DivergenceEntry& d) {
  std::string text;
  if (d.replays > 0)
    text = d.reproduced == d.replays
               ? "reproduced " + std::to_string(d.reproduced) + "/" + std::to_string(d.replays)
               : "FLAKY " + std::to_string(d.reproduced) + "/" + std::to_string(d.replays);
  if (d.shrinkCutShort) text += (text.empty() ? "" : ", ") + std::string("shrinking cut short");
  return text;
}

std::string opsCoverage(const CheckReport& r) {
  std::string text;
  for (const auto& [k, n] : r.coverage)
    if (k.rfind("op:", 0) == 0) text += " " + k.substr(3) + "=" + std::to_string(n);
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

std::string reportText(const CheckReport& r) {
  std::ostringstream out;
  out << "seed " << r.seed << ": " << r.sequences << " sequences (" << r.passed << " agreed), "
      << r.steps << " steps" << (r.interrupted ? ", interrupted" : "") << "\n"
      << r.newCount() << " NEW divergence(s), " << r.seenQuirks() << " of " << r.quirks.size()
      << " catalogue quirk(s) seen, against the " << r.profile << " profile\n";
  for (const auto& d : r.divergences) {
    if (!d.quirk.empty()) continue;
    out << "\nNEW " << d.number << ". " << d.description << "\n   " << d.steps << " steps, seen "
        << d.occurrences << "x, found after " << d.foundAfter << " sequences; "
        << confirmation(d) << "\n   scenario:   " << d.scenarioFile
        << "\n   reproducer: " << d.reproducerFile << "\n"
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
     << "Seed " << r.seed << "; " << r.sequences << " sequences (" << r.passed << " agreed), "
     << r.steps << " steps" << (r.interrupted ? "; **interrupted**" : "") << ".\n\n";
  if (!r.backendFailure.empty()) md << "**Backend failure:** " << r.backendFailure << "\n\n";
  md << "### NEW divergences (" << r.newCount() << ")\n\n";
  for (const auto& d : r.divergences) {
    if (!d.quirk.empty()) continue;
    md << d.number << ". " << d.description << "  \n   signature `" << d.signature << "`, seen "
       << d.occurrences << "x, " << confirmation(d) << "; scenario `" << d.scenarioFile
       << "`, reproducer `" << d.reproducerFile << "`\n\n```\n"
       << d.scenario << "```\n\n```\n" << d.tables << "```\n\n";
  }
  md << "### Quirks of the catalogue\n\n| quirk | SPEC | status | seen | first after | scenario |\n"
     << "|---|---|---|---|---|---|\n";
  for (const auto& q : r.quirks) {
    md << "| `" << q.name << "` | " << q.spec << " | " << q.status << " | ";
    if (q.divergence) {
      const DivergenceEntry& d = entry(r, q.divergence);
      md << d.occurrences << "x | " << d.foundAfter << " sequences | `" << d.scenarioFile << "` (" << d.steps << " steps, "
         << confirmation(d) << ")";
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
  using Json = nlohmann::ordered_json;
  Json doc{{"schema", "handlecheck-check/2"},
           {"backend", r.backend},
           {"profile", r.profile},
           {"seed", r.seed},
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
    doc["divergences"].push_back({{"number", d.number},
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
  return doc;
}

}  // namespace hc::cli
