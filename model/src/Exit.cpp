// Process exit, termination and waits (SPEC 26-28).
#include <cassert>
#include <vector>

#include "Calls.h"
#include "handlecheck/model/Access.h"
#include "handlecheck/model/System.h"

namespace hc::model {

using detail::blocked;
using detail::fail;
using detail::succeed;
using detail::unsettled;

// SPEC 26: every handle closed (protected ones too), the process and its
// thread stop running (their usage count drops by one), exit code set.
void System::exitNow(ProcessId p, std::uint32_t code) {
  Process& process = processes_.at(p);
  assert(process.running && "model: a process exits once");
  std::vector<HandleValue> open;
  process.table.forEach([&](HandleValue value, const HandleEntry&) { open.push_back(value); });
  for (const HandleValue value : open) closeEntry(p, value);
  for (const ObjectId o : process.consoleHostCopies) {
    --objects_[o].handleCount;
    releaseIfUnused(o);
  }
  process.consoleHostCopies.clear();
  process.running = false;
  process.exitCode = code;
  for (const ObjectId o : {process.object, process.thread}) {
    objects_[o].running = false;
    releaseIfUnused(o);
  }
}

// Quirk new-console-host-inherits: once the process ends, its console
// host lets go of its copies at a moment no call of the scenario observes,
// so the model does not predict the end of such a process (a stand-in lets
// go at once, in exitNow).
Outcome System::consoleHostOutlives(ProcessId p) const {
  if (processes_[p].consoleHostCopies.empty() || profile_.standIn) return Outcome{.ok = true};
  return unsettled(RuleId::NewConsoleFreshStdHandles);
}

// SPEC 26: ExitProcess(code) in p. Always succeeds.
Outcome System::exitProcess(ProcessId p, std::uint32_t code) {
  runningProcess(p);
  if (const Outcome host = consoleHostOutlives(p); !host.ok) return host;
  exitNow(p, code);
  return succeed(RuleId::ExitClosesAllHandles);
}

// SPEC 28: TerminateProcess(hProcess, code); the harness waits for the exit,
// so the model applies it at once. 6 if hProcess is not an open handle to a
// process. A process that has exited: 5 once a wait on it has returned;
// before that the call may still succeed while the process is torn down,
// so the outcome is unsettled.
Outcome System::terminateProcess(ProcessId p, HandleValue hProcess, std::uint32_t code) {
  runningProcess(p);
  assert(hProcess != kCurrentProcess && "model: terminating oneself leaves nobody to reply");
  const HandleEntry* entry = processes_[p].table.lookup(hProcess);
  if (!entry || objects_[entry->object].kind != ObjectKind::Process)
    return fail(RuleId::TerminateIsAsynchronous, win32::kInvalidHandle);
  // SPEC 76: PROCESS_TERMINATE, checked before anything else.
  if (!(entry->access & access::kProcessTerminate))
    return fail(RuleId::OperationsCheckRights, win32::kAccessDenied);
  const ProcessId victim = objects_[entry->object].process;
  assert(victim != p && "model: terminating oneself leaves nobody to reply");
  if (!processes_[victim].running) {
    if (!processes_[victim].exitObserved) return unsettled(RuleId::TerminateIsAsynchronous);
    // Quirk terminate-exited-process-succeeds: TRUE, and the first exit code stays.
    if (profile_.has(QuirkId::TerminateExitedProcessSucceeds))
      return succeed(RuleId::TerminateIsAsynchronous);
    return fail(RuleId::TerminateIsAsynchronous, win32::kAccessDenied);
  }
  if (const Outcome host = consoleHostOutlives(victim); !host.ok) return host;
  exitNow(victim, code);
  return succeed(RuleId::TerminateIsAsynchronous);
}

// WaitForSingleObject.
// SPEC 27: a process or thread: ok with the exit code once it has exited (and
// the exit is then observed, SPEC 28), else it blocks.
// SPEC 4: the objects are created non-signalled (events: auto-reset, unset;
// semaphores: count 0; mutexes: unowned), so an event or semaphore blocks
// and a mutex is acquired: ok, the caller's thread owns it; owned by another
// live process: blocks; SPEC 26: its owner exited: abandoned, ok
// (WAIT_ABANDONED). Other kinds or invalid handles: 6 (SPEC 15).
Outcome System::waitForSingleObject(ProcessId p, HandleValue h) {
  runningProcess(p);
  const auto o = resolve(p, h);
  if (!o) return fail(RuleId::CloseNotOpenFails, win32::kInvalidHandle);
  KernelObject& object = objects_[*o];
  const HandleEntry* entry = processes_[p].table.lookup(h);  // nullptr for pseudo handles
  const std::uint32_t granted = entry ? entry->access : allAccess(object.kind);
  const bool waitable = object.kind == ObjectKind::Process || object.kind == ObjectKind::Thread ||
                        object.kind == ObjectKind::Mutex || object.kind == ObjectKind::Event ||
                        object.kind == ObjectKind::Semaphore;
  // SPEC 76: a wait needs SYNCHRONIZE (WAIT_FAILED, then 5).
  if (waitable && !(granted & access::kSynchronize))
    return fail(RuleId::OperationsCheckRights, win32::kAccessDenied);
  switch (object.kind) {
    case ObjectKind::Process:
    case ObjectKind::Thread: {
      Process& waited = processes_[object.process];
      if (waited.running) return blocked(RuleId::ProcessObjectOutlivesProcess);
      // The exit code is read by GetExitCodeProcess/Thread, which needs a
      // query right SPEC 76 does not settle for this call.
      const std::uint32_t query =
          object.kind == ObjectKind::Process
              ? access::kProcessQueryInformation | access::kProcessQueryLimited
              : access::kThreadQueryInformation | access::kThreadQueryLimited;
      if (!(granted & query)) return unsettled(RuleId::OperationsCheckRights);
      waited.exitObserved = true;
      Outcome out = succeed(RuleId::ProcessObjectOutlivesProcess);
      out.exitCode = waited.exitCode;
      return out;
    }
    case ObjectKind::Mutex: {
      const bool ownerRuns = object.owner != kNoProcess && processes_[object.owner].running;
      if (object.owner != p && ownerRuns) return blocked(RuleId::CreateMakesNewObject);
      const RuleId rule = object.owner != kNoProcess && !ownerRuns ? RuleId::ExitClosesAllHandles
                                                                   : RuleId::CreateMakesNewObject;
      object.recursion = object.owner == p ? object.recursion + 1 : 1;
      object.owner = p;  // the agent is single-threaded: its main thread owns it
      return succeed(rule);
    }
    case ObjectKind::Event:  // auto-reset: a wait that returns resets it
    case ObjectKind::Semaphore:
      if (object.signals == 0) return blocked(RuleId::CreateMakesNewObject);
      --object.signals;
      return succeed(RuleId::OperationsCheckRights);
    case ObjectKind::Console:  // SPEC 61: an object the model does not otherwise know
      return unsettled(RuleId::NewConsoleFreshStdHandles);
    default:
      return fail(RuleId::CloseNotOpenFails, win32::kInvalidHandle);
  }
}

}  // namespace hc::model
