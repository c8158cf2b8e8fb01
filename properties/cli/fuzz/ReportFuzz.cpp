// libFuzzer target: the JSON report of `replay --format json` for any bytes
// as a scenario file, run on the model (diagrams on). The document must be
// JSON that nlohmann/json reads back, with every string as the run produced
// it: file, status, error, each step's text, outcome, failures and diagram.
// A sanitizer report, an exception or a string that comes back different is
// a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "Render.h"
#include "ScenarioRun.h"

namespace {

using nlohmann::json;

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "report fuzz: %s\n", what.c_str());
  std::abort();
}

// `expected` as a JSON string carries it: ill-formed UTF-8 replaced the way
// nlohmann/json's replace mode does (one U+FFFD per maximal subpart).
std::string carried(const std::string& expected) {
  return json::parse(json(expected).dump(-1, ' ', false, json::error_handler_t::replace))
      .get<std::string>();
}

void same(const json& value, const std::string& expected, const std::string& where) {
  if (!value.is_string() || value.get<std::string>() != carried(expected))
    finding(where + ": the report says " +
            value.dump(-1, ' ', true, json::error_handler_t::replace) + ", the run " +
            json(expected).dump(-1, ' ', true, json::error_handler_t::replace));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = (std::filesystem::temp_directory_path() /
                                   ("hc-fuzz-report-" + std::to_string(::getpid()) + ".hcs"))
                                      .string();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  const hc::cli::BackendOptions model;  // the model, windows profile
  const hc::cli::FileResult run = hc::cli::runFile(path, model, true);
  const std::string doc =
      hc::cli::fileJson(run, true).dump(2, ' ', false, json::error_handler_t::replace);
  json j;
  try {
    j = json::parse(doc);
  } catch (const json::exception& e) {
    finding(std::string("the report is not JSON: ") + e.what());
  }
  same(j.at("file"), run.file, "file");
  same(j.at("status"), std::string(hc::cli::statusName(run.status)), "status");
  if (j.at("exit") != hc::cli::exitStatus(run.status)) finding("exit differs");
  if (!run.error.empty()) same(j.at("error").at("message"), run.error, "error");
  if (j.at("steps").size() != run.steps.size()) finding("step count differs");
  for (std::size_t i = 0; i < run.steps.size(); ++i) {
    const json& s = j.at("steps").at(i);
    const hc::cli::StepResult& r = run.steps[i];
    const std::string at = "step " + std::to_string(i + 1);
    same(s.at("text"), hc::scenario::print(r.step), at + " text");
    same(s.at("outcome"), hc::cli::outcomeSummary(r), at + " outcome");
    same(s.at("diagram"), r.diagram, at + " diagram");
    if (s.at("failures").size() != r.report.failures.size())
      finding(at + ": failure count differs");
    for (std::size_t k = 0; k < r.report.failures.size(); ++k)
      same(s.at("failures").at(k).at("message"), r.report.failures[k], at + " failure");
  }
  return 0;
}
