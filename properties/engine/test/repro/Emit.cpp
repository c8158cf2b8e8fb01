// hc-repro-emit SCENARIO.hcs OUT.cpp: writes the scenario's reproducer (a
// test helper for the Repro::Wine tests). Exit 0, or 2 with a message.
#include <cstdio>
#include <exception>
#include <fstream>

#include "handlecheck/engine/Reproducer.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: hc-repro-emit SCENARIO.hcs OUT.cpp\n");
    return 2;
  }
  try {
    const hc::scenario::Scenario scenario = hc::scenario::parseFile(argv[1]);
    std::ofstream out(argv[2], std::ios::binary);
    out << hc::engine::writeReproducer(scenario, {});
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
