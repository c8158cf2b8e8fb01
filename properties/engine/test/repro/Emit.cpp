// hc-repro-emit SCENARIO.hcs OUT.cpp: writes the scenario's reproducer, or
// with OUT.wine.c its Wine-style test (a test helper for the Repro::Wine
// tests). Exit 0, or 2 with a message.
#include <cstdio>
#include <exception>
#include <fstream>
#include <string>

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
    out << (wineTest ? hc::engine::writeWineTest(scenario) : hc::engine::writeReproducer(scenario));
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
