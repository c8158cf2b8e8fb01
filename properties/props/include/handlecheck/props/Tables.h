#pragma once
// Handle tables around a divergence, model and real side by side, in the
// textbook's shape (SPEC "The picture"): per process, handle | object.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "handlecheck/props/Harness.h"

namespace hc::props {

struct TableRow {
  std::string process;  // label
  std::string name;     // handle name
  proto::Handle value = 0;
  proto::Observation observation;
  bool operator==(const TableRow&) const = default;
};
using Tables = std::vector<TableRow>;

struct TablesAround {
  Tables modelBefore, realBefore, modelAfter, realAfter;
};

// Every open handle of every running process, observed now (one Observe
// round trip per process). Throws sut::BackendFailure.
Tables snapshot(sut::Backend&, const engine::Bindings&);

// Sees both sides just before (after=false) and just after the diverging step.
using AroundObserver =
    std::function<void(bool after, const engine::ModelBackend& model, const engine::Bindings&,
                       sut::Backend& real, const engine::Bindings&)>;

// Re-runs a failed sequence up to its diverging step on a fresh model and a
// fresh real backend, observing every open handle of every running process
// just before and just after that step (and showing both to `observe`, when
// given). Throws sut::BackendFailure.
TablesAround tablesAround(const SequenceResult&, const model::Profile&,
                          const std::function<std::unique_ptr<sut::Backend>()>& makeSut,
                          const AroundObserver& observe = {});

// Two columns: `P0  H1  | 0x4 Event inherit count=2 | 0x44 Event inherit count=2`,
// rows that differ marked with `*`.
std::string sideBySide(const Tables& model, const Tables& real, const std::string& indent = "");

}  // namespace hc::props
