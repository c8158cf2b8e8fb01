#pragma once
// The reference model as a backend: each resolved Win32 call (proto::Request)
// becomes the model::System call of the same name under a profile, and its
// Outcome and observations become the proto::Reply a real agent would send.
// A plain value: copying it copies the whole world (trial runs, rc::state).
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include "Protocol.h"
#include "handlecheck/model/Profile.h"
#include "handlecheck/model/RuleId.h"
#include "handlecheck/model/System.h"
#include "handlecheck/sut/Backend.h"

namespace hc::engine {

// The model predicts that the call never returns (a read of an empty pipe,
// a wait on a live process): the backend cannot go on (exit status 3). The
// runner rewords it with the step: "line 4: read R would block forever".
struct WouldBlock : sut::BackendFailure {
  using sut::BackendFailure::BackendFailure;
};

// The model predicts nothing for this call: the rule that covers it leaves
// the outcome unsettled (a listed value that is not open, SPEC 25; a second
// TerminateProcess before any wait, SPEC 28). The runner reports the step as
// one the model cannot judge, naming the rule.
struct Unsettled : std::runtime_error {
  Unsettled(model::RuleId rule_, const std::string& message)
      : std::runtime_error(message), rule(rule_) {}
  model::RuleId rule;
};

// A spawn held after its start (ModelBackend::holdNextSpawn): the step
// stops there; the backend keeps the spawn in progress.
struct SpawnHeld : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ModelBackend : public sut::Backend {
 public:
  explicit ModelBackend(model::Profile profile = model::windowsProfile());

  std::string name() const override;  // "model (windows)"
  // Throws WouldBlock, Unsettled, or BackendFailure for a request no agent could run
  // (unknown or exited agent, a process terminating itself, an agent id reused).
  proto::Reply perform(const proto::Request&) override;
  bool real() const override { return false; }

  // Whether a `count=N` expectation holds anywhere in the range of a count
  // console hosts hold copies in (Observation::mayDrop): on when the model
  // judges what a real system observed (a quirk's attribution), off when
  // it checks a scenario's own expectations (exact).
  void judgeCountsAsRanges(bool on) { countRanges_ = on; }
  bool countsAsRanges() const { return countRanges_; }

  const model::System& system() const { return system_; }
  // The rule that decided the last call's outcome (model::Outcome::rule), None if none.
  model::RuleId lastRule() const { return lastRule_; }
  // The model process agent `id` runs as; model::kNoProcess when unknown.
  model::ProcessId processOf(proto::AgentId id) const;

  // SPEC 86: a spawn whose copies other calls may run between, kept under a
  // key of the caller's choosing (a branch of a parallel block). After
  // holdNextSpawn(key), the next Spawn request that the handle list lets
  // start makes the child and throws SpawnHeld (a refused or unsettled one
  // performs as usual); copyNextEntry(key) copies the parent's next table
  // index, false once the walk has passed the last slot in use; after
  // finishNextSpawn(key) the next Spawn request (the same step run again)
  // ends that spawn (SPEC 24).
  void holdNextSpawn(std::size_t key) { hold_ = key; }
  void finishNextSpawn(std::size_t key) { finish_ = key; }
  bool copyNextEntry(std::size_t key);

  // The whole world, spawns in progress included: for a search that meets
  // the same state twice.
  bool sameState(const ModelBackend& o) const {
    return system_ == o.system_ && processes_ == o.processes_ && pending_ == o.pending_;
  }
  std::size_t stateHash() const;

 private:
  bool countRanges_ = false;
  struct PendingSpawn {
    model::ProcessId parent = model::kNoProcess;
    model::ProcessId child = model::kNoProcess;
    model::SpawnOptions options;
    std::size_t next = 0;  // the next table index to copy
    bool operator==(const PendingSpawn&) const = default;
  };
  model::SpawnOptions spawnOptions(const proto::Request&) const;
  model::Outcome spawn(model::ProcessId self, const proto::Request&);

  model::Outcome call(model::ProcessId self, const proto::Request&);
  // call's operations that do more than call the model.
  model::Outcome duplicate(model::ProcessId self, const proto::Request&);
  model::Outcome terminate(model::ProcessId self, const proto::Request&);
  model::Outcome stdHandle(model::ProcessId self, const proto::Request&);

  model::System system_;
  model::RuleId lastRule_ = model::RuleId::None;
  std::map<proto::AgentId, model::ProcessId> processes_{{0, 0}};  // P0 is agent 0, process 0
  std::map<std::size_t, PendingSpawn> pending_;                   // by key
  std::optional<std::size_t> hold_, finish_;
};

// proto::Handle (64-bit, as the process sees it) <-> model value. The
// 64-bit pseudo handles map to the model's; other values above 32 bits can
// never be open, so they become 0 (SPEC 1: never valid).
model::HandleValue toModel(proto::Handle);

}  // namespace hc::engine
