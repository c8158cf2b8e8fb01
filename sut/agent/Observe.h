#pragma once
// What a process can see about one of its handle values without changing it:
// GetHandleInformation (valid, inherit, protect) and NtQueryObject
// (HandleCount, NT type name). Used after every call that asks for it.
#include "Protocol.h"

namespace hc::agent {

proto::Observation observe(proto::Handle);

// CompareObjectHandles (Windows 10 1607+, kernelbase): 1 same object,
// 0 different (or either handle invalid), -1 when the function is absent.
int compareObjects(proto::Handle a, proto::Handle b);

}  // namespace hc::agent
