#pragma once
// Hub mode: the root of a run, between the host driver (stdin/stdout) and the
// scenario processes. It is not a scenario process itself: it starts P0, gives
// every agent its own named pipe, routes each Request by Request::process, and
// turns a hung or crashed agent into a Reply::failure within the timeout.
// All agents live in a kill-on-close Job, so they die with the hub.
namespace hc::agent {

// `hc-agent.exe --hub --timeout-ms N`; returns the process exit code.
int runHub(unsigned timeoutMs);

}  // namespace hc::agent
