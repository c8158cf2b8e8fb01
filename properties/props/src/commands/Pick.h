#pragma once
// Shared draws for the command constructors (inside rc generation).
#include <rapidcheck.h>

#include <string>
#include <vector>

#include "handlecheck/props/Harness.h"

namespace hc::props::pick {

// One draw, uniform whatever the current size: rapidcheck scales inRange /
// elementOf with the size, which would starve late choices in short sequences.
template <class T>
T draw(rc::Gen<T> gen) {
  return *rc::gen::resize(rc::kNominalSize, std::move(gen));
}

inline std::string freshName(const HarnessModel& m, int offset = 0) {
  return "H" + std::to_string(m.nextName + offset);
}
inline std::string process(const HarnessModel& m) {
  return pick::draw(rc::gen::elementOf(runningProcesses(m)));
}
// A process that holds at least one open handle satisfying `want`.
template <class Pred>
std::vector<HandleView> handlesWhere(const HarnessModel& m, Pred want) {
  std::vector<HandleView> out;
  for (const auto& p : runningProcesses(m))
    for (auto& h : openHandles(m, p))
      if (want(h)) out.push_back(std::move(h));
  return out;
}
inline HandleView anyOf(const std::vector<HandleView>& hs) {
  return pick::draw(rc::gen::elementOf(hs));
}
// Object names from a small pool so that names are reused across processes
// (SPEC 5-9) and differ only by case (SPEC 7).
inline std::string objectName() {
  return pick::draw(rc::gen::element<std::string>("a", "b", "A"));
}
inline std::string mailslotName() {
  return pick::draw(rc::gen::element<std::string>("m", "n", "M"));
}
// Shrinks towards false (rapidcheck shrinks the draw towards 0).
inline bool coin(int percentTrue) {
  return pick::draw(rc::gen::inRange(0, 100)) >= 100 - percentTrue;
}

inline bool isKind(const HandleView& h, std::initializer_list<model::ObjectKind> kinds) {
  for (auto k : kinds)
    if (h.kind == k) return true;
  return false;
}

}  // namespace hc::props::pick
