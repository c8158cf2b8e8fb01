// hc_model_rules: prints the rule table as Markdown (model/RULES.md) or, with
// --text, as plain lines. The only I/O around the model's rule table.
#include <cstdio>
#include <string_view>

#include "handlecheck/model/Rules.h"

int main(int argc, char** argv) {
  const bool text = argc == 2 && std::string_view(argv[1]) == "--text";
  const std::string out = text ? hc::model::rulesText() : hc::model::rulesMarkdown();
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
