#pragma once
// One backend kept for many sequences: starting a tree of Wine processes
// costs far more than a sequence's steps, so a worker keeps its hub and root
// agent and resets them (Backend::reset) between sequences instead.
#include <functional>
#include <memory>

#include "handlecheck/sut/Backend.h"

namespace hc::sut {

using BackendFactory = std::function<std::unique_ptr<Backend>()>;

// A factory whose backends are one kept backend made by `fresh`, reset
// before each use after the first. A backend that cannot reset, or fails
// to, is replaced by a fresh one. Asked again while its backend is still
// out, it hands out a fresh backend of its own. For one thread.
BackendFactory reusing(BackendFactory fresh);

}  // namespace hc::sut
