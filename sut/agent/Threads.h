#pragma once
// The agent's threads. The main thread reads the requests and performs
// those that name no thread; thread N, made with CreateThread the first
// time a request names it, performs those naming N. A block (Op::Block)
// hands each thread it names its whole list of steps at once: the threads
// wait at a barrier, start together, run their steps back to back, and the
// block answers with one reply per step, each tagged with its step's id.
//
// The main thread reads no new line while a call runs: under Wine a pending
// read holds a handle of its own in the process's table (the server's wait
// handle of the asynchronous I/O), which would take a value a call is due to
// get. The harness's threads hold no handle either: each thread handle is
// closed as soon as the thread runs.
#include <functional>

#include "Channel.h"
#include "Protocol.h"

namespace hc::agent {

struct Served {
  // Performs one request (any thread may call it).
  std::function<proto::Reply(const proto::Request&)> perform;
  // The reply to a line that does not decode, or a thread that cannot be made.
  std::function<proto::Reply(const std::string& error)> failure;
  // Called on the main thread before a block's threads start and after they
  // have all ended (may be empty).
  std::function<void(const proto::Request& block)> beforeBlock;
  std::function<void()> afterBlock;
};

// Serves the requests read from `io` until Quit or Exit, or until the hub
// goes away. Returns the process exit code.
int serveRequests(Channel& io, const Served&);

}  // namespace hc::agent
