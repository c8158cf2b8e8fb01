#pragma once
// Runs scenario steps on a backend: resolves process labels and handle names
// to that backend's agents and values, performs the call (one round trip, with
// the observations the step needs batched into it), binds the names the step
// introduces, and checks the step's expectations and the automatic invariants
// (properties/scenario/README.md "Expectations"; SPEC 1-3, 22).
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "Protocol.h"
#include "handlecheck/scenario/Scenario.h"
#include "handlecheck/sut/Backend.h"

namespace hc::engine {

// A step that cannot run as written (unknown process label or handle name,
// label reused): a malformed scenario, exit status 2. Names the line.
struct ScenarioError : std::runtime_error {
  ScenarioError(int line, const std::string& message, std::string token = {});
  int line;
  std::string message;  // without "line N: "
  std::string token;    // the offending label or name as written (for a column), if any
};

// How a handle came to be open in a process: the step (its scenario line)
// whose call made the entry there. Kept per open value; what a person asks
// of a pipe that never reaches end-of-file is where every copy of its other
// end came from (holdersText, Holders.h).
struct Origin {
  int line = 0;
  proto::Op op{};          // the call that made the entry; Spawn for an inherited copy
  bool inherited = false;  // the child's copy of its parent's entry (SPEC 22)
  std::string from;        // inherited from / duplicated from another process: its label
  bool operator==(const Origin&) const = default;
};

struct ProcessBinding {
  proto::AgentId agent = 0;
  std::string parent;  // label of the spawner; empty for P0
  bool alive = true;
  std::uint32_t pid = 0;                       // real backends: the process id
  std::map<std::string, proto::Handle> names;  // handle name -> value in this process
  std::set<std::string> open;                  // names whose handle is open as far as we know
  std::map<std::string, std::string>
      processHandles;  // handle name -> label of the process it names
  std::set<std::string>
      notInherited;  // parent's open names this child did not inherit (for messages)
  // handle name -> the rule of the call that made it ("SPEC 10 [T]"): what a
  // later observation of the handle departs from.
  std::map<std::string, std::string> rules;
  std::map<proto::Handle, Origin> origins;  // open handle value -> the step that made it
  bool operator==(const ProcessBinding&) const = default;
};

struct Bindings {
  std::map<std::string, ProcessBinding> processes{{"P0", ProcessBinding{}}};
  proto::AgentId nextAgent = 1;
  bool operator==(const Bindings&) const = default;
};

struct NamedObservation {
  std::string process;  // label
  std::string handle;   // name (or "#0x..." for a raw value)
  proto::Observation observation;
  bool operator==(const NamedObservation&) const = default;
};

// One failed expectation or invariant, structured (for JSON reports).
struct Mismatch {
  std::string expected;  // "count=3" / the invariant's rule ("SPEC 2: unique values")
  std::string got;       // "count=2" / what broke it
  // The rule the call follows, with its evidence tags: "SPEC 10 [T]". A [D]
  // rule is documented for Windows, not tested there.
  std::string rule;
  bool operator==(const Mismatch&) const = default;
};

// One open handle to an object: in which process, at which value, under
// which scenario names, and the step that gave it (none for an entry no
// step bound).
struct Holder {
  std::string process;  // label
  proto::Handle value = 0;
  std::string names;  // "W", "W/W2"; "-" when unnamed
  std::optional<Origin> origin;
  bool operator==(const Holder&) const = default;
};

struct StepReport {
  proto::Reply reply;                          // what the call returned
  std::vector<NamedObservation> observations;  // the step's subject first (see subjectOf)
  std::vector<std::string> failures;           // one sentence per failed expectation / invariant
  std::vector<Mismatch> mismatches;            // the same failures, structured, in the same order
  // A read of a pipe end whose other end is still open (SPEC 13; the read
  // blocks, reply.blocks): every handle to that other end, in every process,
  // with the step that gave it. On the model only (StepRun::notePeerHolders).
  std::vector<Holder> peerHolders;
  bool passed() const { return failures.empty(); }
};

// A step that never returns: the model predicts it blocks forever (a read
// of an empty pipe whose writer lives, a wait on a live process), or a real
// agent timed out waiting. The scenario cannot go on (exit status 3).
// Carries the step's report, reply.blocks set, and on the model for a pipe
// read the holders of the write end; what() names the line and them.
struct StepBlocks : sut::BackendFailure {
  StepBlocks(const std::string& message, StepReport report_)
      : sut::BackendFailure(message), report(std::move(report_)) {}
  StepReport report;
};

// The handle the step's `valid/inherit/count/type/same` expectations refer
// to: the first `as` name when the step binds one, else its operand.
std::optional<scenario::HandleRef> subjectOf(const scenario::Step&);

// Runs one step. Throws ScenarioError (malformed) or sut::BackendFailure
// (the message starts with "line N: " and names the step; StepBlocks for a
// step the model predicts to block).
StepReport runStep(sut::Backend&, Bindings&, const scenario::Step&);

// "C1: open mailslot demo", "query MS", "dup H to C1": how failure sentences
// name a step ("line 3: query MS: expected count=3, got count=2").
std::string describeStep(const scenario::Step&);
// CreateFileW's dwShareMode for a mailslot client open (`share=`; FILE_SHARE_READ
// when not written).
std::uint32_t shareMode(const scenario::Step&);
// The request a step makes, apart from what its bindings decide (the agent,
// handle values, the target process, the handle list's values, the object
// name's per-run prefix): the one place a step becomes call parameters, read
// by the runner, traces and reproducers.
proto::Request callShape(const scenario::Step&);
// One expectation as written in a scenario ("count=3", "error=ERROR_INVALID_HANDLE").
std::string expectText(const scenario::Expect&);

}  // namespace hc::engine
