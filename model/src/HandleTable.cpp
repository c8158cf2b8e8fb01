// The handle table as Wine's server/handle.c keeps it: a flat array, a free
// hint, the lowest free slot first.
#include "handlecheck/model/HandleTable.h"

#include <algorithm>
#include <cassert>

namespace hc::model {

// SPEC 2-3: stores e at the lowest free value; returns that value.
HandleValue HandleTable::add(const HandleEntry& e) {
  assert(e.used() && "HandleTable::add: an entry must name an object");
  const std::size_t i = freeHint_;
  if (i == entries_.size()) {
    entries_.push_back(e);
  } else {
    assert(!entries_[i].used() && "HandleTable: free hint points at a used slot");
    entries_[i] = e;
  }
  ++count_;
  freeHint_ = i + 1;
  while (freeHint_ < entries_.size() && entries_[freeHint_].used()) ++freeHint_;
  return valueOf(i);
}

// SPEC 22: stores e at exactly v (an inherited handle); false if v is taken.
bool HandleTable::addAt(HandleValue v, const HandleEntry& e) {
  assert(e.used() && "HandleTable::addAt: an entry must name an object");
  assert(v >= 4 && !isPseudoHandle(v) && "HandleTable::addAt: not a real handle value");
  const std::size_t i = indexOf(v);
  if (i < entries_.size() && entries_[i].used()) return false;
  if (i >= entries_.size()) entries_.resize(i + 1);
  entries_[i] = e;
  ++count_;
  if (i == freeHint_) {
    while (freeHint_ < entries_.size() && entries_[freeHint_].used()) ++freeHint_;
  }
  return true;
}

// SPEC 14: frees v (which must be open) and returns its entry.
HandleEntry HandleTable::remove(HandleValue v) {
  HandleEntry* slot = lookup(v);
  assert(slot && "HandleTable::remove: value is not open");
  const HandleEntry old = *slot;
  *slot = HandleEntry{};
  --count_;
  freeHint_ = std::min(freeHint_, indexOf(v));
  while (!entries_.empty() && !entries_.back().used()) entries_.pop_back();
  return old;
}

}  // namespace hc::model
