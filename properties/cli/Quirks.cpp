// handlecheck quirks [--backend wine|native]: replays each catalogue quirk's
// corpus scenario (written with the documented expectations) on the real
// system. A scenario that fails there shows the quirk is present; one that
// holds shows it is fixed, which exits 1 so CI notices when a new Wine
// version changes behaviour. `--format markdown` replays nothing: it prints
// the catalogue itself, the text docs/quirks.md holds.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "Commands.h"
#include "ScenarioRun.h"
#include "handlecheck/model/Rules.h"

namespace hc::cli {
namespace {

struct QuirksArgs {
  BackendArgs backend;
  std::string corpus = defaultCorpusDir();
  std::string format = "text";
  std::vector<std::string> only;  // --quirk: just these
};

// present | fixed | one of the file statuses that say neither.
std::string verdict(const FileResult& f) {
  if (f.status == FileResult::Status::Failed) return "present";
  if (f.status == FileResult::Status::Passed) return "fixed";
  return std::string(statusName(f.status));
}

// A table cell: a '|' would end it.
std::string cell(std::string_view text) {
  std::string out;
  for (const char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

// One quirk's section: what Wine does, the rule, the scenario, the evidence.
std::string quirkSection(const model::Quirk& q) {
  const std::string scenario = "properties/corpus/" + std::string(q.scenario);
  std::string out = "\n## `" + std::string(q.name) + "`\n\n" + std::string(q.description) +
                    "\n\n- Departs from " + model::cite(q.specRule) + ": " +
                    std::string(model::rule(q.specRule).statement) + "\n- Scenario: [`" + scenario +
                    "`](../" + scenario +
                    ")\n- Windows evidence: " + std::string(q.windows.source) + "\n\n  > " +
                    std::string(q.windows.assertion) + "\n";
  if (q.windows.todoWine) out += "\n  Wine's test marks this assertion `todo_wine`.\n";
  return out;
}

// The catalogue as a Markdown document: docs/quirks.md is this text.
std::string quirksMarkdown() {
  std::string out =
      "# Wine's quirks\n"
      "\n"
      "Generated from `model/src/Profile.cpp` (`handlecheck quirks --format markdown > "
      "docs/quirks.md`); do not edit.\n"
      "A quirk is a named way Wine departs from a rule of the model's rule table\n"
      "([`model/RULES.md`](../model/RULES.md)). The `wine` profile is `windows` plus every quirk\n"
      "below. Each has a minimal scenario in `properties/corpus/`, written with the documented\n"
      "expectations; [evidence.md](evidence.md) says how ctest keeps each one honest.\n"
      "\n"
      "| Quirk | Rule | What Wine does |\n"
      "|-------|------|----------------|\n";
  for (const model::Quirk& q : model::allQuirks())
    out += "| [`" + std::string(q.name) + "`](#" + std::string(q.name) + ") | " +
           model::cite(q.specRule) + " | " + cell(q.description) + " |\n";
  for (const model::Quirk& q : model::allQuirks()) out += quirkSection(q);
  return out;
}

int runQuirks(const QuirksArgs& args) {
  if (args.format == "markdown") {
    std::cout << quirksMarkdown();
    return kExitOk;
  }
  const BackendOptions options = args.backend.resolve();
  nlohmann::ordered_json doc{{"handlecheck", "quirks"},
                             {"schema", 1},
                             {"backend", options.backend},
                             {"quirks", nlohmann::ordered_json::array()}};
  int status = kExitOk;
  for (const model::Quirk& q : model::allQuirks()) {
    if (interrupted()) return kExitInterrupted;
    if (!args.only.empty() &&
        std::find(args.only.begin(), args.only.end(), q.name) == args.only.end())
      continue;
    const std::string file = (std::filesystem::path(args.corpus) / q.scenario).string();
    const FileResult f = runFile(file, options, false);
    const std::string v = verdict(f);
    std::string detail;
    for (const StepResult& s : f.steps)
      if (!s.report.failures.empty() && detail.empty()) detail = s.report.failures.front();
    if (!f.error.empty()) detail = f.error;
    status = std::max(status, v == "fixed"     ? kExitFailed
                              : v == "present" ? kExitOk
                                               : exitStatus(f.status));
    doc["quirks"].push_back({{"quirk", q.name},
                             {"spec", model::cite(q.specRule)},
                             {"scenario", file},
                             {"verdict", v},
                             {"detail", detail}});
    if (args.format == "text")
      std::cout << v << std::string(v.size() < 9 ? 9 - v.size() : 1, ' ') << q.name << " ("
                << model::cite(q.specRule) << ")" << (detail.empty() ? "" : ": " + detail) << "\n";
  }
  if (args.format == "json")
    std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return status;
}

}  // namespace

void addQuirks(CLI::App& app, int& status) {
  auto args = std::make_shared<QuirksArgs>();
  args->backend.backend = realBackend();
  CLI::App* quirks = app.add_subcommand(
      "quirks",
      "Replay each catalogue quirk's corpus scenario (documented expectations) on the backend "
      "and print, per quirk, present (the scenario fails there) or fixed (it holds).");
  addBackendOptions(*quirks, args->backend);
  quirks->add_option("--corpus", args->corpus,
                     "where the quirks' scenarios are (default the "
                     "source tree's properties/corpus)");
  quirks->add_option("--quirk", args->only, "replay only this quirk's scenario (repeatable)")
      ->check(quirkName());
  addFormatOption(*quirks, args->format, {"text", "json", "markdown"});
  quirks->footer(
      "\n--format markdown replays nothing: it prints the catalogue (docs/quirks.md).\n"
      "\nExit status: 0 every quirk present, 1 a quirk fixed, 2 a scenario that "
      "cannot be replayed, 3 backend failure.");
  quirks->callback([args, &status] { status = runQuirks(*args); });
}

}  // namespace hc::cli
