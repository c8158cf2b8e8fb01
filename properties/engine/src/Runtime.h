#pragma once
// The fixed C text of every reproducer (Runtime.cpp), around the generated
// scenario part (Reproducer.cpp).
namespace hc::engine {
extern const char* const kRuntimeHelpers;  // after the shape, before the step functions
extern const char* const kRuntimeDriver;   // after the step functions and parts[]
}  // namespace hc::engine
