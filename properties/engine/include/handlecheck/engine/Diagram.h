#pragma once
// The textbook picture (SPEC "The picture") as text: per process its handle
// table, `handle | object`, then every kernel object with its kind, name and
// usage count. For `replay --diagram` and `explain` (divergence reports align model and
// real rows with props::sideBySide, handlecheck/props/Tables.h).
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/engine/Runner.h"

namespace hc::engine {

// The whole truth, from the model: every table entry (named by the scenario
// name bound to it, if any) and every live object.
std::string modelDiagram(const ModelBackend&, const Bindings&);

// Who is who in a model picture (the text one here, the HTML one in the
// CLI): the scenario label of each process the bindings know ("process N"
// for any other) and the name each object goes by.
class ModelNames {
 public:
  ModelNames(const ModelBackend&, const Bindings&);
  std::string label(model::ProcessId) const;
  // Its own name; a process or thread object goes by its process's label, a
  // mailslot client by its mailslot's name. Empty when unnamed.
  std::string objectName(model::ObjectId) const;

 private:
  const model::System& system_;
  std::map<model::ProcessId, std::string> labels_;
};

// The scenario names bound to `value` and open in the process, "/"-joined;
// "-" when none.
std::string namesAt(const ProcessBinding&, proto::Handle value);

// The bound processes in the order they were made: P0 first, then by agent id.
std::vector<std::pair<std::string, const ProcessBinding*>> inCreationOrder(const Bindings&);

// What a real backend shows: the named open handles of each running process,
// observed now (one Observe round trip per process), with type, flags and
// HandleCount. Object identity across processes is not observable there, so
// the object column names the type. Throws BackendFailure.
std::string observedDiagram(sut::Backend&, const Bindings&);

}  // namespace hc::engine
