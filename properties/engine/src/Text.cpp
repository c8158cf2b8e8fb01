#include "handlecheck/engine/Text.h"

#include <algorithm>

#include "Errors.h"

namespace hc::engine {

std::string errorText(std::uint32_t code) {
  const std::string_view name = proto::errorName(code);
  return name.empty() ? std::to_string(code) : std::string(name);
}

std::string outcomeText(const proto::Reply& r) {
  if (!r.ok) return "error=" + errorText(r.error);
  return r.alreadyExists ? "ok, already-exists" : "ok";
}

std::string sizingText(const proto::Reply& r) {
  if (!r.hasSizing) return "(none)";
  const std::string bytes = std::to_string(r.sizingBytes);
  if (r.sizingError == model::win32::kInsufficientBuffer) return "attribute-list-size=" + bytes;
  return "size " + bytes + " with " + (r.sizingError ? "error=" + errorText(r.sizingError) : "ok");
}

bool countIsLowerBound(const proto::Observation& o) {
  // SPEC 29; SPEC 61: the model gives a console handle no type.
  return o.type == "Process" || o.type == "Thread" || (o.valid && o.type.empty());
}

std::uint32_t leastHandleCount(const proto::Observation& o) {
  return o.handleCount - std::min(o.mayDrop, o.handleCount);
}

}  // namespace hc::engine
