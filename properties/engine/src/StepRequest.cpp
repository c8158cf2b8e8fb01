// Building the one request a step makes, and performing it.
#include "StepRun.h"

#include "Ops.h"
#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/model/Rules.h"

namespace hc::engine {

std::uint32_t shareMode(const scenario::Step& step) {
  if (!step.share || *step.share == scenario::Step::Share::Read) return proto::kShareRead;
  return *step.share == scenario::Step::Share::None ? 0 : proto::kShareRead | proto::kShareWrite;
}

namespace {

proto::Op requestOp(const scenario::Step& s) {
  using proto::Op;
  using scenario::ObjectType;
  const bool create = s.op == scenario::OpKind::Create;
  switch (s.type) {
    case ObjectType::Event: return create ? Op::CreateEvent : Op::OpenEvent;
    case ObjectType::Mutex: return create ? Op::CreateMutex : Op::OpenMutex;
    case ObjectType::Semaphore: return create ? Op::CreateSemaphore : Op::OpenSemaphore;
    case ObjectType::Mapping: return create ? Op::CreateMapping : Op::OpenMapping;
    case ObjectType::Mailslot: return create ? Op::CreateMailslot : Op::OpenMailslot;
    case ObjectType::Pipe: return Op::CreatePipe;
  }
  return Op::Ping;
}

}  // namespace

proto::Request callShape(const scenario::Step& step) {
  using scenario::OpKind;
  proto::Request q;
  switch (step.op) {
    case OpKind::Create:
    case OpKind::Open:
      q.op = requestOp(step);
      q.name = step.objectName;
      q.inherit = step.inherit;
      q.share = shareMode(step);
      break;
    case OpKind::Spawn:
      q.op = proto::Op::Spawn;
      q.spawnInherit = step.inherit;
      q.useHandleList = step.only.has_value();
      q.processInherit = step.processInherit;
      q.threadInherit = step.threadInherit;
      break;
    case OpKind::Close: q.op = proto::Op::Close; break;
    case OpKind::Dup:
      q.op = proto::Op::Dup;
      q.inherit = step.inherit;
      q.closeSource = step.closeSource;
      q.sameAttributes = step.sameAttributes;
      break;
    case OpKind::Set:
      q.op = proto::Op::Set;
      // SPEC 17: the mask names the flags the step sets; flags holds their new values.
      if (step.setInherit) {
        q.setMask |= proto::kFlagInherit;
        if (*step.setInherit) q.setFlags |= proto::kFlagInherit;
      }
      if (step.setProtect) {
        q.setMask |= proto::kFlagProtect;
        if (*step.setProtect) q.setFlags |= proto::kFlagProtect;
      }
      break;
    case OpKind::Write:
      q.op = proto::Op::Write;
      q.text = step.text;
      break;
    case OpKind::Read: q.op = proto::Op::Read; break;
    case OpKind::Query: q.op = proto::Op::Query; break;
    case OpKind::Exit:
      q.op = proto::Op::Exit;
      q.code = step.code.value_or(0);
      break;
    case OpKind::Terminate:
      q.op = proto::Op::Terminate;
      q.code = step.code.value_or(0);
      break;
    case OpKind::Wait: q.op = proto::Op::Wait; break;
  }
  return q;
}

namespace detail {

proto::Request StepRun::request() {
  ProcessBinding& self = runningProcess(step_.process);
  proto::Request q = callShape(step_);
  q.process = self.agent;
  switch (step_.op) {
    case OpKind::Create:
    case OpKind::Open:
      if (!step_.objectName.empty()) q.name = backend_.objectName(step_.objectName);
      break;
    case OpKind::Spawn:
      if (b_.processes.count(step_.child))
        malformed("process label `" + step_.child + "` is already in use", step_.child);
      q.target = b_.nextAgent++;
      if (step_.only)
        for (const HandleRef& h : *step_.only) q.handleList.push_back(resolve(self, step_.process, h));
      // The parent's flags decide what the child inherits (SPEC 22-23); the
      // call does not change them, so observing after it is observing before.
      for (const std::string& name : self.open) observed_.emplace_back(name, self.names.at(name));
      break;
    case OpKind::Dup: q.target = step_.target.empty() ? self.agent : process(step_.target).agent; break;
    default: break;
  }
  const bool hasOperand = step_.op != OpKind::Create && step_.op != OpKind::Open &&
                          step_.op != OpKind::Spawn && step_.op != OpKind::Exit;
  if (hasOperand) {
    // The operand: observed after the call, first (the subject unless the step binds one).
    q.handle = resolve(self, step_.process, step_.handle);
    observed_.insert(observed_.begin(), {refText(step_.handle), q.handle});
  }
  // A step that makes handles in its own process has them observed in the
  // same round trip (and compared for `same=`): one command per step.
  q.observeNew = step_.op == OpKind::Create || step_.op == OpKind::Open ||
                 step_.op == OpKind::Spawn ||
                 (step_.op == OpKind::Dup && (step_.target.empty() || step_.target == step_.process));
  if (step_.op == OpKind::Query || (q.observeNew && !step_.as.empty()))
    for (const Expect& e : step_.expects)
      if (e.kind == K::Same) q.compareWith = resolve(self, step_.process, HandleRef{e.text, {}});
  for (const auto& [name, value] : observed_) q.observe.push_back(value);
  return q;
}

proto::Reply StepRun::perform(const proto::Request& q) {
  proto::Reply r;
  try {
    r = backend_.perform(q);
  } catch (const WouldBlock&) {
    throw sut::BackendFailure(where() + describeStep(step_) + " would block forever");
  } catch (const Unsettled& e) {
    malformed("the model predicts nothing for " + describeStep(step_) + ": " +
              model::cite(e.rule) + " leaves this case unsettled");
  } catch (const sut::BackendFailure& e) {
    throw sut::BackendFailure(where() + describeStep(step_) + ": " + e.what());
  }
  if (r.blocks)
    throw sut::BackendFailure(where() + describeStep(step_) +
                              " did not return (the agent timed out waiting)");
  return r;
}

std::string StepRun::ruleOf(const proto::Request& q) const {
  if (const auto* m = dynamic_cast<const ModelBackend*>(&backend_);
      m && m->lastRule() != model::RuleId::None)
    return model::cite(m->lastRule());
  return model::cite(model::ruleIds(proto::opInfo(q.op).rules));
}

}  // namespace detail
}  // namespace hc::engine
