#pragma once
// A backend performs resolved Win32 calls (proto::Request) in one world: the
// model under a profile, or real processes (Wine, native Windows). Part of
// the protocol library, so that the model adapter and the driver depend on
// the protocol alone.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "Protocol.h"

namespace hc::sut {

// The backend itself failed (agent crashed or hung, Wine missing, protocol
// error, a call that would block forever): exit status 3.
struct BackendFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;  // "model (windows)", "wine", "native"
  // One round trip. Throws BackendFailure; never returns a Reply with `failure` set.
  virtual proto::Reply perform(const proto::Request&) = 0;
  // The object/mailslot name the backend uses for a scenario name. Real
  // backends add a per-run prefix so concurrent runs never share objects; the
  // mapping is injective and keeps case (SPEC 7).
  virtual std::string objectName(std::string_view scenarioName) const {
    return std::string(scenarioName);
  }
  // A parallel block: `steps` are its branches' requests, each naming its
  // process and thread (Request::thread, never 0 here). Every thread waits
  // at a barrier, all start together and each runs its steps back to back;
  // one reply per step, in the order of `steps`. Throws BackendFailure (a
  // backend without threads says so).
  virtual std::vector<proto::Reply> performBlock(const std::vector<proto::Request>& steps) {
    (void)steps;
    throw BackendFailure(name() + " does not run parallel blocks on threads");
  }
  // Process and thread HandleCounts are lower bounds here (SPEC 29).
  virtual bool real() const = 0;
  // Returns the backend to the state it had when it was made, without
  // making it again: every process but the root ended, every handle the root
  // acquired closed. false: this backend cannot (make a new one). Throws
  // BackendFailure when it could not.
  virtual bool reset() { return false; }
};

}  // namespace hc::sut
