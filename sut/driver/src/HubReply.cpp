// The driver's check of one line from the hub (HubReply.h).
#include "HubReply.h"

namespace hc::sut {

std::string printable(std::string_view bytes, std::size_t limit) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes.size() && i < limit; ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    if (b >= 0x20 && b < 0x7f) {
      out += static_cast<char>(b);
    } else {
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0xf];
    }
  }
  if (bytes.size() > limit) out += "... (" + std::to_string(bytes.size()) + " bytes)";
  return out;
}

namespace {

// Whether `out` answers `asked` (nullptr: the hello): "" or what is wrong.
std::string answers(const proto::Reply& out, const proto::Request* asked) {
  // The hello answers no request and carries id 0; a reply echoes its
  // request's id, and one with another id is a stale answer to an earlier
  // request (or to none), whatever else it holds.
  const proto::RequestId id = asked ? asked->id : 0;
  if (out.id != id)
    return "reply to another request: its id is " + std::to_string(out.id) +
           (asked ? ", the request's " : ", a hello's ") + std::to_string(id) +
           (out.failure.empty() ? std::string() : "; it says: " + out.failure);
  // An agent observes the handles it was asked about first, in order, then
  // those the call made (Protocol.h); a reply with observations of other
  // handles belongs to another request. A failure carries none.
  if (asked && out.failure.empty() && !out.observations.empty()) {
    const auto& want = asked->observe;
    const std::size_t most = want.size() + (asked->observeNew ? 2 : 0);
    bool matches = out.observations.size() >= want.size() && out.observations.size() <= most;
    for (std::size_t i = 0; matches && i < want.size(); ++i)
      matches = out.observations[i].handle == want[i];
    if (!matches)
      return "reply to another request: it observes " + std::to_string(out.observations.size()) +
             " handle(s) from " + proto::hex(out.observations.front().handle) +
             " on; the request asked about " + std::to_string(want.size()) +
             (want.empty() ? std::string() : " from " + proto::hex(want.front()) + " on");
  }
  // A block's reply holds one answer per step, in order, each its step's.
  if (asked && out.failure.empty() && asked->op == proto::Op::Block) {
    if (out.results.size() != asked->steps.size())
      return "block reply with " + std::to_string(out.results.size()) + " results for " +
             std::to_string(asked->steps.size()) + " steps";
    for (std::size_t i = 0; i < out.results.size(); ++i)
      if (std::string wrong = answers(out.results[i], &asked->steps[i]); !wrong.empty())
        return "block reply, step " + std::to_string(i + 1) + ": " + wrong;
  } else if (!out.results.empty()) {
    return "reply with results to a request that is not a block";
  }
  return "";
}

}  // namespace

std::string acceptReply(std::string_view line, const proto::Request* asked, proto::Reply& out) {
  out = proto::Reply{};
  std::string error;
  if (!proto::decode(line, out, error)) return printable(error, 400);
  out.failure = printable(out.failure, 4096);
  for (proto::Reply& r : out.results) r.failure = printable(r.failure, 4096);
  return answers(out, asked);
}

}  // namespace hc::sut
