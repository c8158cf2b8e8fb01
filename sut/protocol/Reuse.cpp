#include "handlecheck/sut/Reuse.h"

namespace hc::sut {
namespace {

struct Kept {
  BackendFactory fresh;
  std::unique_ptr<Backend> backend;
  bool used = false;  // has been lent: reset before the next loan
  bool lent = false;
};

// The kept backend on loan: forwards every call, gives it back when destroyed.
class Loan final : public Backend {
 public:
  explicit Loan(std::shared_ptr<Kept> kept) : kept_(std::move(kept)) { kept_->lent = true; }
  ~Loan() override { kept_->lent = false; }
  std::string name() const override { return kept_->backend->name(); }
  proto::Reply perform(const proto::Request& q) override { return kept_->backend->perform(q); }
  std::string objectName(std::string_view n) const override {
    return kept_->backend->objectName(n);
  }
  bool real() const override { return kept_->backend->real(); }
  bool reset() override { return kept_->backend->reset(); }

 private:
  std::shared_ptr<Kept> kept_;
};

bool resetOrDrop(Kept& k) {
  try {
    if (k.backend->reset()) return true;
  } catch (const BackendFailure&) {
  }
  k.backend.reset();  // its tree dies here
  return false;
}

}  // namespace

BackendFactory reusing(BackendFactory fresh) {
  auto kept = std::make_shared<Kept>();
  kept->fresh = std::move(fresh);
  return [kept]() -> std::unique_ptr<Backend> {
    if (kept->lent) return kept->fresh();
    if (kept->backend && kept->used && !resetOrDrop(*kept)) kept->used = false;
    if (!kept->backend) kept->backend = kept->fresh();
    kept->used = true;
    return std::make_unique<Loan>(kept);
  };
}

}  // namespace hc::sut
