// libFuzzer target: any bytes as the agent hub's reply line (a Wine crash can
// write anything to the pipe). The driver either accepts a Reply -- which then
// survives encode/decode unchanged, its failure text printable -- or names
// the problem in a printable message, which the backend throws as a
// BackendFailure. Anything else (a sanitizer report, an exception) is a
// finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "HubReply.h"

namespace {

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "hub reply fuzz: %s\n", what.c_str());
  std::abort();
}

bool isPrintable(std::string_view s) {
  for (const char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

hc::proto::Request observing() {
  hc::proto::Request q;
  q.op = hc::proto::Op::Query;
  q.handle = 0x104;
  q.observe = {0x104, 0x108};
  q.observeNew = true;
  return q;
}

void check(std::string_view line, const hc::proto::Request* asked) {
  hc::proto::Reply r;
  const std::string problem = hc::sut::acceptReply(line, asked, r);
  if (!isPrintable(problem)) finding("message not printable: " + problem);
  if (!problem.empty()) return;
  if (!isPrintable(r.failure)) finding("failure not printable: " + r.failure);
  hc::proto::Reply again;
  std::string error;
  if (!hc::proto::decode(hc::proto::encode(r), again, error))
    finding("an accepted reply does not re-decode: " + error);
  if (!(again == r)) finding("encode/decode changes an accepted reply: " + hc::proto::encode(r));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  static const hc::proto::Request kPing{}, kQuery = observing();
  check(line, nullptr);  // the hello
  check(line, &kPing);
  check(line, &kQuery);
  // The agent side decodes requests with the same code.
  hc::proto::Request q;
  std::string error;
  if (hc::proto::decode(line, q, error)) {
    hc::proto::Request again;
    if (!hc::proto::decode(hc::proto::encode(q), again, error) || !(again == q))
      finding("encode/decode changes a request: " + hc::proto::encode(q));
  }
  return 0;
}
