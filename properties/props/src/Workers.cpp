#include "Workers.h"

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <algorithm>

#include "Round.h"

namespace hc::props {
namespace {

// Commands compare by their scenario lines: the same lines, the same run.
std::string keyOf(const std::vector<CommandPtr>& commands) {
  std::string key;
  for (const auto& c : commands) {
    const auto* step = dynamic_cast<const StepCommand*>(c.get());
    key += step ? scenario::print(step->step()) : std::string("?");
    key += '\n';
  }
  return key;
}

// How far helpers run ahead of the campaign, in test cases per job: a round
// cut short by a failure wastes at most this much.
constexpr std::size_t kAheadPerJob = 2;
// Test cases planned per round and job. Planning is generation on the
// campaign's thread before the round (RapidCheck cannot generate on two
// threads), so it is bounded; later cases of a long round run serially.
constexpr std::size_t kPlannedPerJob = 256;

struct PlanFull {};  // thrown before any pick: the case has nothing to shrink

// Worker `worker`'s kept backend.
sut::BackendFactory keptFor(const CampaignOptions& o, int worker) {
  if (!o.makeWorkerSut) return sut::reusing(o.makeSut);
  return sut::reusing([make = o.makeWorkerSut, worker] { return make(worker); });
}

}  // namespace

rc::Gen<std::vector<CommandPtr>> genSequence(const model::Profile& profile, const GenConfig& gen) {
  return rc::state::gen::commands(HarnessModel(profile),
                                  [gen](const HarnessModel& m) { return genCommand(m, gen); });
}

Workers::Workers(const CampaignOptions& o) : options_(o), own_(keptFor(o, 0)), profile_(o.profile) {
  for (int i = 1; i < o.jobs; ++i) helpers_.emplace_back([this, i] { help(i); });
}

Workers::~Workers() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  changed_.notify_all();
  for (auto& t : helpers_) t.join();
}

void Workers::startRound(std::uint64_t seed, int maxSuccess, int maxSize,
                         const model::Profile& profile) {
  std::vector<Slot> planned;
  if (!helpers_.empty()) {
    // The round's own parameters (Round.h); every case passes, so RapidCheck
    // walks the cases the round runs until its first failure.
    const std::size_t limit = kPlannedPerJob * static_cast<std::size_t>(options_.jobs);
    const auto plan = [&] {
      if (planned.size() >= limit) throw PlanFull{};
      Slot slot;
      slot.commands = *genSequence(profile, options_.gen);
      slot.key = keyOf(slot.commands);
      planned.push_back(std::move(slot));
    };
    checkRound(plan, seed, maxSuccess, maxSize);
  }
  {
    std::lock_guard lock(mutex_);
    slots_ = std::move(planned);
    profile_ = profile;
    ++round_;
    next_ = 0;
  }
  changed_.notify_all();
}

// The earliest pending case from `from` up to the end of the window ahead
// of the campaign. Helpers look from past the case the campaign asks for
// next (a helper that took it would leave that thread waiting, one tree
// idle); the campaign's thread, waiting for a helper, from that case on.
bool Workers::pickable(std::size_t from, std::size_t& index) const {
  if (options_.stop && options_.stop()) return false;
  const std::size_t end =
      std::min(slots_.size(), next_ + kAheadPerJob * static_cast<std::size_t>(options_.jobs));
  for (index = from; index < end; ++index)
    if (slots_[index].state == State::Pending) return true;
  return false;
}

// A helper: its own kept backend, the earliest planned case past the
// campaign's next that nobody runs yet.
void Workers::help(int worker) {
  const sut::BackendFactory backend = keptFor(options_, worker);
  std::unique_lock lock(mutex_);
  for (;;) {
    std::size_t index = 0;
    changed_.wait(lock, [&] { return quit_ || pickable(next_ + 1, index); });
    if (quit_) return;
    Slot& slot = slots_[index];
    slot.state = State::Running;
    const std::uint64_t round = round_;
    const std::vector<CommandPtr> commands = slot.commands;
    const model::Profile profile = profile_;
    lock.unlock();
    SequenceResult result = runSequence(commands, profile, backend);
    lock.lock();
    if (round == round_) {
      slots_[index].result = std::move(result);
      slots_[index].state = State::Done;
    }
    changed_.notify_all();
  }
}

SequenceResult Workers::run(const std::vector<CommandPtr>& commands, const model::Profile& profile,
                            bool shrinking) {
  std::unique_lock lock(mutex_);
  if (shrinking || !(profile == profile_) || next_ >= slots_.size() ||
      slots_[next_].key != keyOf(commands)) {
    lock.unlock();
    return runSequence(commands, profile, own_);
  }
  const std::size_t index = next_++;
  changed_.notify_all();  // the helpers' window moves on
  // While a helper runs the case asked for, this thread runs the next
  // pending one of the window on its own tree, instead of waiting idle.
  for (;;) {
    if (slots_[index].state == State::Done) return std::move(slots_[index].result);
    std::size_t pick = index;
    if (slots_[index].state != State::Pending && !pickable(next_, pick)) {
      changed_.wait(lock);
      continue;
    }
    Slot& slot = slots_[pick];
    slot.state = State::Running;
    const std::vector<CommandPtr> picked = slot.commands;
    const model::Profile roundProfile = profile_;
    lock.unlock();
    SequenceResult result = runSequence(picked, roundProfile, own_);
    lock.lock();
    slots_[pick].result = std::move(result);
    slots_[pick].state = State::Done;
    changed_.notify_all();
  }
}

}  // namespace hc::props
