// Snapshots of every open handle around a divergence, for the check report.
#include "handlecheck/props/Tables.h"

#include <algorithm>
#include <map>

#include "handlecheck/engine/Observe.h"
#include "handlecheck/props/Compare.h"

namespace hc::props {
Tables snapshot(sut::Backend& backend, const engine::Bindings& bindings) {
  Tables out;
  for (const auto& [label, binding] : bindings.processes)
    for (auto& o : engine::observeOpen(backend, bindings, label))
      out.push_back({label, o.handle, binding.names.at(o.handle), o.observation});
  return out;
}

namespace {

std::string cell(const TableRow* row) {
  if (!row) return "-";
  const proto::Observation& o = row->observation;
  const std::string value = proto::hex(row->value);
  if (!o.valid) return value + " (invalid)";
  std::string text = value + " " + (o.type.empty() ? "?" : o.type);
  if (o.inherit) text += " inherit";
  if (o.protect) text += " protect";
  return text + " count=" + std::to_string(o.handleCount);
}

// Values differ between backends by design (SPEC 3): compare the rest.
bool sameButValue(const TableRow* a, const TableRow* b) {
  if (!a || !b) return false;
  return a->observation.valid == b->observation.valid &&
         a->observation.inherit == b->observation.inherit &&
         a->observation.protect == b->observation.protect &&
         a->observation.type == b->observation.type &&
         countAgrees(a->observation, b->observation.handleCount);
}

}  // namespace

TablesAround tablesAround(const SequenceResult& failed, const model::Profile& profile,
                          const std::function<std::unique_ptr<sut::Backend>()>& makeSut,
                          const AroundObserver& observe) {
  TablesAround out;
  if (!failed.diverged) return out;
  engine::ModelBackend model(profile);
  engine::Bindings modelNames, realNames;
  const std::unique_ptr<sut::Backend> real = makeSut();
  for (std::size_t i = 0; i <= *failed.diverged; ++i) {
    const scenario::Step& step = failed.trace[i].step;
    if (i == *failed.diverged) {
      out.modelBefore = snapshot(model, modelNames);
      out.realBefore = snapshot(*real, realNames);
      if (observe) observe(false, model, modelNames, *real, realNames);
    }
    engine::runStep(model, modelNames, step);
    engine::runStep(*real, realNames, step);
  }
  out.modelAfter = snapshot(model, modelNames);
  out.realAfter = snapshot(*real, realNames);
  if (observe) observe(true, model, modelNames, *real, realNames);
  return out;
}

std::string sideBySide(const Tables& model, const Tables& real, const std::string& indent) {
  std::map<std::pair<std::string, std::string>, std::pair<const TableRow*, const TableRow*>> rows;
  for (const auto& r : model) rows[{r.process, r.name}].first = &r;
  for (const auto& r : real) rows[{r.process, r.name}].second = &r;
  std::size_t width = 5;
  for (const auto& [key, pair] : rows) width = std::max(width, cell(pair.first).size());
  std::string out = indent + "  process handle | " + std::string("model") +
                    std::string(width - 5, ' ') + " | real\n";
  for (const auto& [key, pair] : rows) {
    std::string left = cell(pair.first);
    left.resize(width, ' ');
    std::string head = key.first + " " + key.second;
    if (head.size() < 14) head.resize(14, ' ');
    out += indent + (sameButValue(pair.first, pair.second) ? "  " : "* ") + head + " | " + left +
           " | " + cell(pair.second) + "\n";
  }
  if (rows.empty()) out += indent + "  (no open handles)\n";
  return out;
}

}  // namespace hc::props
