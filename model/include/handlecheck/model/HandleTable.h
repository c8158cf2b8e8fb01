#pragma once
// A process handle table in the textbook's shape: value -> entry. Stored the
// way Wine's server/handle.c does it: a flat array indexed by value / 4 - 1,
// with a hint to the lowest free slot. Lookup is O(1).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "handlecheck/model/Types.h"

namespace hc::model {

struct alignas(8) HandleEntry {  // 16 bytes: size() and indexing are shifts
  ObjectId object = kNoObject;   // kNoObject: the slot is free
  std::uint32_t access = 0;      // granted access (opaque to the model: "same access")
  bool inherit = false;          // HANDLE_FLAG_INHERIT
  bool protect = false;          // HANDLE_FLAG_PROTECT_FROM_CLOSE
  bool used() const { return object != kNoObject; }
  bool operator==(const HandleEntry&) const = default;
};

class HandleTable {
 public:
  // SPEC 1: values are multiples of 4 and never 0; the low two bits are ignored.
  static constexpr std::size_t indexOf(HandleValue v) { return std::uint32_t((v >> 2) - 1u); }
  static constexpr HandleValue valueOf(std::size_t index) {
    return static_cast<HandleValue>((index + 1) << 2);
  }

  // The entry at v, or nullptr when v is not open here (0, pseudo, free, out of range).
  // One unsigned compare covers 0-3 too: their index wraps to 0xFFFFFFFF.
  const HandleEntry* lookup(HandleValue v) const {
    const std::size_t i = indexOf(v);
    if (i >= entries_.size()) return nullptr;
    const HandleEntry* e = entries_.data() + i;
    return e->used() ? e : nullptr;
  }
  HandleEntry* lookup(HandleValue v) {
    return const_cast<HandleEntry*>(static_cast<const HandleTable&>(*this).lookup(v));
  }

  // SPEC 2-3: a new entry at some free value (the model picks the lowest free
  // one; the real system's choice is not contractual).
  HandleValue add(const HandleEntry& e);
  // SPEC 22: an inherited entry at the parent's value. False if v is taken.
  bool addAt(HandleValue v, const HandleEntry& e);
  // Frees v; returns the entry that was there.
  HandleEntry remove(HandleValue v);

  std::size_t size() const { return count_; }  // entries in use
  // Slots from index 0 to the highest one in use: the indices a walk of the
  // table visits (SPEC 86).
  std::size_t slots() const { return entries_.size(); }
  // Every used value in increasing order, calling f(value, entry).
  template <class F>
  void forEach(F&& f) const {
    for (std::size_t i = 0; i < entries_.size(); ++i)
      if (entries_[i].used()) f(valueOf(i), entries_[i]);
  }

  bool operator==(const HandleTable&) const = default;

 private:
  // Canonical form, so that == compares contents, not history: no trailing
  // free slots, and freeHint_ is exactly the lowest free index (or size()).
  std::vector<HandleEntry> entries_;
  std::size_t freeHint_ = 0;  // no free slot below this index
  std::size_t count_ = 0;
};

}  // namespace hc::model
