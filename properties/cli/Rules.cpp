// handlecheck rules [--format text|markdown]: the model's rule table, the
// text model/RULES.md holds.
#include "handlecheck/model/Rules.h"

#include <iostream>
#include <memory>

#include "Commands.h"

namespace hc::cli {

void addRules(CLI::App& app, int& status) {
  auto format = std::make_shared<std::string>("text");
  CLI::App* rules = app.add_subcommand(
      "rules", "Print the rule table the model follows: every SPEC rule with its evidence tags.");
  addFormatOption(*rules, *format, {"text", "markdown"});
  rules->callback([format, &status] {
    std::cout << (*format == "markdown" ? model::rulesMarkdown() : model::rulesText());
    status = kExitOk;
  });
}

}  // namespace hc::cli
