#include "handlecheck/engine/Observe.h"

namespace hc::engine {

std::vector<NamedObservation> observeNames(sut::Backend& backend, const Bindings& bindings,
                                           const std::string& process,
                                           const std::vector<std::string>& names) {
  std::vector<NamedObservation> out;
  const ProcessBinding& binding = bindings.processes.at(process);
  if (!binding.alive || names.empty()) return out;
  proto::Request look;
  look.process = binding.agent;
  look.op = proto::Op::Observe;
  for (const std::string& n : names) {
    const auto value = binding.names.find(n);
    look.observe.push_back(value == binding.names.end() ? 0 : value->second);
  }
  const proto::Reply seen = backend.perform(look);
  for (std::size_t i = 0; i < names.size() && i < seen.observations.size(); ++i)
    out.push_back({process, names[i], seen.observations[i]});
  return out;
}

std::vector<NamedObservation> observeOpen(sut::Backend& backend, const Bindings& bindings,
                                          const std::string& process) {
  const ProcessBinding& binding = bindings.processes.at(process);
  return observeNames(backend, bindings, process,
                      std::vector<std::string>(binding.open.begin(), binding.open.end()));
}

}  // namespace hc::engine
