// Scenario steps printed as the Win32 calls the agent makes, in the
// table of operations' words (sut/protocol/Ops.h).
#include "handlecheck/props/Trace.h"

#include <cstdio>

#include "Ops.h"
#include "handlecheck/engine/Runner.h"

namespace hc::props {

namespace {

std::string ref(const scenario::HandleRef& h) {
  if (!h.raw) return h.name;
  char buf[32];
  std::snprintf(buf, sizeof buf, "(HANDLE)0x%llx", static_cast<unsigned long long>(*h.raw));
  return buf;
}

std::string call(const scenario::Step& s) {
  proto::CallOperands operands;
  operands.handle = ref(s.handle);
  operands.target = s.target.empty() ? "GetCurrentProcess()" : "h" + s.target;
  if (s.only)
    for (std::size_t i = 0; i < s.only->size(); ++i)
      operands.list += (i ? "," : "") + ref((*s.only)[i]);
  const std::string text = proto::callText(engine::callShape(s), operands);
  // The names the call binds: the handle it returns, or both pipe ends and pi.
  if (s.as.empty()) return text;
  std::string bound = s.as[0];
  for (std::size_t i = 1; i < s.as.size(); ++i) bound += ", " + s.as[i];
  return (s.as.size() > 1 ? text + " -> " + bound : bound + " = " + text);
}

}  // namespace

std::string win32Call(const scenario::Step& s) {
  return s.process + ": " + call(s);
}

}  // namespace hc::props
