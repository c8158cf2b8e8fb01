#pragma once
// What the driver accepts from the agent hub. A reply line comes from a
// process that may have crashed, been killed mid-write or gone wrong under
// Wine: it is any string of bytes until proven a Reply to the request sent.
#include <cstddef>
#include <string>
#include <string_view>

#include "Protocol.h"

namespace hc::sut {

// Bytes from an agent as a message may show them: printable ASCII as is,
// anything else as \xNN, cut after `limit` bytes ("... (N bytes)"). Keeps a
// terminal, a log and a JSON report clean whatever the agent wrote.
std::string printable(std::string_view bytes, std::size_t limit = 160);

// Decodes `line` as the hub's answer to `asked` (nullptr: its hello). Returns
// "" and fills `out`, or what is wrong with the line (printable). A reply
// whose id is not `asked`'s (0 for the hello), or whose observations name
// other handles than `asked` listed, answers another request. `out.failure`
// is made printable: it goes into messages.
std::string acceptReply(std::string_view line, const proto::Request* asked, proto::Reply& out);

}  // namespace hc::sut
