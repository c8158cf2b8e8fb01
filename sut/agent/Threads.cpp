#include "Threads.h"

#include <deque>
#include <map>
#include <memory>
#include <vector>

namespace hc::agent {
namespace {

using proto::Op;
using proto::Reply;
using proto::Request;

// Steps handed to threads, and what they gave. The main thread waits until
// every thread is done; the threads of a block wait for each other first.
struct Work {
  const Request* steps = nullptr;  // the block (its steps), or the one request
  bool block = false;
  std::vector<Reply> results;
  volatile LONG waiting = 0;  // threads not yet at the barrier
  SRWLOCK lock = SRWLOCK_INIT;
  CONDITION_VARIABLE done = CONDITION_VARIABLE_INIT;
  int running = 0;  // threads not yet done (under `lock`)
};

// What one thread is given: its steps of `work`, in order.
struct Job {
  Work* work = nullptr;
  std::vector<std::size_t> steps;
};

// A queue that holds no handle (SRW lock and condition variable).
class Queue {
 public:
  void push(Job job) {
    AcquireSRWLockExclusive(&lock_);
    jobs_.push_back(std::move(job));
    ReleaseSRWLockExclusive(&lock_);
    WakeConditionVariable(&ready_);
  }
  Job pop() {
    AcquireSRWLockExclusive(&lock_);
    while (jobs_.empty()) SleepConditionVariableSRW(&ready_, &lock_, INFINITE, 0);
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    ReleaseSRWLockExclusive(&lock_);
    return job;
  }

 private:
  SRWLOCK lock_ = SRWLOCK_INIT;
  CONDITION_VARIABLE ready_ = CONDITION_VARIABLE_INIT;
  std::deque<Job> jobs_;
};

std::uint64_t systemTime() {
  FILETIME ft;
  GetSystemTimePreciseAsFileTime(&ft);
  return (static_cast<std::uint64_t>(ft.dwHighDateTime) << 32) | ft.dwLowDateTime;
}

class Server {
 public:
  explicit Server(const Served& served) : served_(served) {}
  Reply serve(const Request& q);

 private:
  struct Worker {
    const Served* served;
    Queue queue;
  };
  static DWORD WINAPI workerMain(void* worker);
  static void runSteps(const Served&, const Job&);
  Queue* queueOf(std::uint32_t thread);
  Reply runOnThreads(const Request& q, bool block);

  const Served& served_;
  std::map<std::uint32_t, std::unique_ptr<Worker>> threads_;
};

// Thread `thread`'s queue, made with its thread the first time; null when
// CreateThread fails.
Queue* Server::queueOf(std::uint32_t thread) {
  auto& slot = threads_[thread];
  if (slot) return &slot->queue;
  auto worker = std::make_unique<Worker>();
  worker->served = &served_;
  const HANDLE h = CreateThread(nullptr, 0, workerMain, worker.get(), 0, nullptr);
  if (!h) {
    threads_.erase(thread);
    return nullptr;
  }
  CloseHandle(h);
  slot = std::move(worker);
  return &slot->queue;
}

DWORD WINAPI Server::workerMain(void* worker) {
  auto* w = static_cast<Worker*>(worker);
  for (;;) runSteps(*w->served, w->queue.pop());
}

// One thread's steps: for a block, wait until every thread of it is here
// (and its start time has come), then run them back to back.
void Server::runSteps(const Served& served, const Job& job) {
  Work& w = *job.work;
  if (w.block) {
    InterlockedDecrement(&w.waiting);
    while (InterlockedCompareExchange(&w.waiting, 0, 0) > 0) YieldProcessor();
    while (w.steps->startAt && systemTime() < w.steps->startAt) YieldProcessor();
  }
  for (const std::size_t i : job.steps) {
    const Request& step = w.block ? w.steps->steps[i] : *w.steps;
    w.results[i] = served.perform(step);
    w.results[i].id = step.id;
  }
  AcquireSRWLockExclusive(&w.lock);
  const bool last = --w.running == 0;
  ReleaseSRWLockExclusive(&w.lock);
  if (last) WakeAllConditionVariable(&w.done);
}

// A request on its thread, or a block on its threads; returns once all are done.
Reply Server::runOnThreads(const Request& q, bool block) {
  Work w;
  w.steps = &q;
  w.block = block;
  std::map<std::uint32_t, std::vector<std::size_t>> byThread;
  if (block) {
    for (std::size_t i = 0; i < q.steps.size(); ++i) byThread[q.steps[i].thread].push_back(i);
    if (byThread.count(0)) return served_.failure("a block step on the main thread");
  } else {
    byThread[q.thread].push_back(0);
  }
  w.results.resize(block ? q.steps.size() : 1);
  std::vector<std::pair<Queue*, std::vector<std::size_t>>> jobs;
  for (auto& [thread, steps] : byThread) {
    Queue* queue = queueOf(thread);
    if (!queue)
      return served_.failure("CreateThread failed with error " + std::to_string(GetLastError()));
    jobs.emplace_back(queue, std::move(steps));
  }
  if (block && served_.beforeBlock) served_.beforeBlock(q);
  w.waiting = static_cast<LONG>(jobs.size());
  w.running = static_cast<int>(jobs.size());
  for (auto& [queue, steps] : jobs) queue->push(Job{&w, std::move(steps)});
  AcquireSRWLockExclusive(&w.lock);
  while (w.running > 0) SleepConditionVariableSRW(&w.done, &w.lock, INFINITE, 0);
  ReleaseSRWLockExclusive(&w.lock);
  if (block && served_.afterBlock) served_.afterBlock();
  if (!block) return std::move(w.results[0]);
  Reply r;
  r.ok = true;
  r.results = std::move(w.results);
  return r;
}

Reply Server::serve(const Request& q) {
  if (q.op == Op::Block) return runOnThreads(q, true);
  if (q.thread != 0 && q.op != Op::Exit && q.op != Op::Quit) return runOnThreads(q, false);
  return served_.perform(q);
}

}  // namespace

int serveRequests(Channel& io, const Served& served) {
  Server server(served);
  std::string line;
  while (io.readLine(line) == Channel::Status::Ok) {
    Request q;
    std::string error;
    Reply r;
    if (!proto::decode(line, q, error)) {
      r = served.failure(error);
    } else {
      r = server.serve(q);
      r.id = q.id;
    }
    if (io.writeLine(proto::encode(r)) != Channel::Status::Ok) return 11;
    if (r.failure.empty() && q.op == Op::Exit) ExitProcess(q.code);
    if (r.failure.empty() && q.op == Op::Quit) return 0;
  }
  return 12;  // the hub went away
}

}  // namespace hc::agent
