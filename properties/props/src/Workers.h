#pragma once
// A campaign's sequences on CampaignOptions::jobs real backends at once,
// with the campaign's result the same for every number of jobs. The
// campaign itself stays serial: RapidCheck generates each sequence, the
// campaign judges it in order. What runs in parallel is only the real run
// of sequences the campaign is about to ask for: at the start of a round,
// the sequences RapidCheck will generate when every one passes are planned
// (the same seed and parameters, generation only), helper threads run them
// ahead, each on its own kept backend, and the campaign takes a helper's
// result when it asks for exactly those commands; while it waits for one,
// the campaign's thread runs the next planned case on its own tree.
// Whatever was not planned (shrinking, a round cut short by a failure, the
// cases of a long round past the first 256 per job) runs on the campaign's
// thread.
// A sequence's run depends on its commands and the profile alone, so taking
// it from a helper changes nothing but the time.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "handlecheck/props/Campaign.h"
#include "handlecheck/sut/Reuse.h"

namespace hc::props {

// The commands one test case of a campaign round runs (the property's first pick).
rc::Gen<std::vector<CommandPtr>> genSequence(const model::Profile&, const GenConfig&);

class Workers {
 public:
  explicit Workers(const CampaignOptions&);  // starts jobs - 1 helpers
  ~Workers();                                // stops the helpers; their trees end with them
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  // A round is about to run `checkProperty` with these parameters: plan its
  // sequences for the helpers. Call outside any RapidCheck property.
  void startRound(std::uint64_t seed, int maxSuccess, int maxSize, const model::Profile&);
  // One sequence, as runSequence on a kept backend. Outside shrinking it is
  // the round's next test case, which a helper may have run already.
  SequenceResult run(const std::vector<CommandPtr>&, const model::Profile&, bool shrinking);

 private:
  enum class State { Pending, Running, Done };
  struct Slot {
    std::vector<CommandPtr> commands;
    std::string key;
    State state = State::Pending;
    SequenceResult result;
  };
  void help(int worker);
  bool pickable(std::size_t from, std::size_t& index) const;

  const CampaignOptions& options_;
  sut::BackendFactory own_;  // the campaign thread's kept backend
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Slot> slots_;  // the round's planned test cases, in order
  model::Profile profile_;   // the round's
  std::uint64_t round_ = 0;  // bumped by startRound: older results are dropped
  std::size_t next_ = 0;     // the test case the campaign asks for next
  bool quit_ = false;
  std::vector<std::thread> helpers_;
};

}  // namespace hc::props
