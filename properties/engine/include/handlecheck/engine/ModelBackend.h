#pragma once
// The reference model as a backend: each resolved Win32 call (proto::Request)
// becomes the model::System call of the same name under a profile, and its
// Outcome and observations become the proto::Reply a real agent would send.
// A plain value: copying it copies the whole world (trial runs, rc::state).
#include <map>
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

class ModelBackend : public sut::Backend {
 public:
  explicit ModelBackend(model::Profile profile = model::windowsProfile());

  std::string name() const override;  // "model (windows)"
  // Throws WouldBlock, Unsettled, or BackendFailure for a request no agent could run
  // (unknown or exited agent, a process terminating itself, an agent id reused).
  proto::Reply perform(const proto::Request&) override;
  bool real() const override { return false; }

  const model::System& system() const { return system_; }
  // The rule that decided the last call's outcome (model::Outcome::rule), None if none.
  model::RuleId lastRule() const { return lastRule_; }
  // The model process agent `id` runs as; model::kNoProcess when unknown.
  model::ProcessId processOf(proto::AgentId id) const;

 private:
  model::Outcome call(model::ProcessId self, const proto::Request&);

  model::System system_;
  model::RuleId lastRule_ = model::RuleId::None;
  std::map<proto::AgentId, model::ProcessId> processes_{{0, 0}};  // P0 is agent 0, process 0
};

// proto::Handle (64-bit, as the process sees it) <-> model value. The
// 64-bit pseudo handles map to the model's; other values above 32 bits can
// never be open, so they become 0 (SPEC 1: never valid).
model::HandleValue toModel(proto::Handle);

}  // namespace hc::engine
