// hc-repro-emit SCENARIO.hcs OUT.cpp: writes the scenario's reproducer, or
// with OUT.wine.c its Wine-style test (a test helper for the Repro::Wine
// tests). A line marked `<-- diverges` is the diverging line, as `check`
// writes a divergence: then only what departs there is checked beyond the
// calls. Exit 0, or 2 with a message.
#include <cstdio>
#include <exception>
#include <fstream>
#include <string>
#include <vector>

#include "handlecheck/engine/Reproducer.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: hc-repro-emit SCENARIO.hcs OUT.cpp|OUT.wine.c\n");
    return 2;
  }
  try {
    const hc::scenario::Scenario scenario = hc::scenario::parseFile(argv[1]);
    std::ofstream out(argv[2], std::ios::binary);
    const std::string path = argv[2];
    const bool wineTest = path.size() > 7 && path.compare(path.size() - 7, 7, ".wine.c") == 0;
    // The Wine-style test marks todo_wine what the wine profile (Wine's known
    // quirks) departs from, under the quirks whose corpus file this is.
    hc::engine::ReproOptions options;
    if (wineTest) {
      options.departures = hc::engine::departuresOn(scenario, hc::model::wineProfile());
      const std::string file = argv[1];
      std::vector<const hc::model::Quirk*> quirks;
      for (const hc::model::Quirk& q : hc::model::allQuirks())
        if (file.size() >= q.scenario.size() &&
            file.compare(file.size() - q.scenario.size(), q.scenario.size(), q.scenario) == 0)
          quirks.push_back(&q);
      options.departureNote = hc::engine::departureNote(quirks);
      std::ifstream in(file);
      std::string line;
      for (int number = 1; !options.divergingLine && std::getline(in, line); ++number)
        if (line.find("<-- diverges") != std::string::npos) options.divergingLine = number;
    }
    out << (wineTest ? hc::engine::writeWineTest(scenario, options)
                     : hc::engine::writeReproducer(scenario));
    if (!out.flush()) {
      std::fprintf(stderr, "hc-repro-emit: cannot write %s\n", argv[2]);
      return 2;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hc-repro-emit: %s\n", e.what());
    return 2;
  }
  return 0;
}
