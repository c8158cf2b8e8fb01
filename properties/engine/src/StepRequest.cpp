// Building the one request a step makes, and performing it.
#include "Ops.h"
#include "StepRun.h"
#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/model/Rules.h"

namespace hc::engine {

std::uint32_t shareMode(const scenario::Step& step) {
  if (!step.share || *step.share == scenario::Step::Share::Read) return proto::kShareRead;
  return *step.share == scenario::Step::Share::None ? 0 : proto::kShareRead | proto::kShareWrite;
}

namespace {

// The Request members one word of the step's grammar (proto::Arg) fills;
// handles and process labels are resolved by StepRun::request.
void fill(proto::Request& q, const scenario::Step& step, proto::Arg a) {
  using A = proto::Arg;
  switch (a) {
    case A::Name:
    case A::NewName:
    case A::NameOption:
      q.name = step.objectName;
      break;
    case A::Inherit:
      q.inherit = step.inherit;
      break;
    case A::InheritHandles:
      q.spawnInherit = step.inherit;
      break;
    case A::Only:
      q.useHandleList = step.only.has_value();
      break;
    case A::ProcessInherit:
      q.processInherit = step.processInherit;
      break;
    case A::ThreadInherit:
      q.threadInherit = step.threadInherit;
      break;
    case A::CloseSource:
      q.closeSource = step.closeSource;
      break;
    case A::SameAttributes:
      q.sameAttributes = step.sameAttributes;
      break;
    case A::Share:
      q.share = shareMode(step);
      break;
    case A::Text:
      q.text = step.text;
      break;
    case A::Code:
      q.code = step.code.value_or(0);
      break;
    // SPEC 17: the mask names the flags the step sets; flags holds their new values.
    case A::SetInherit:
      if (step.setInherit) q.setMask |= proto::kFlagInherit;
      if (step.setInherit.value_or(false)) q.setFlags |= proto::kFlagInherit;
      break;
    case A::SetProtect:
      if (step.setProtect) q.setMask |= proto::kFlagProtect;
      if (step.setProtect.value_or(false)) q.setFlags |= proto::kFlagProtect;
      break;
    case A::StdSlot:
      q.stdSlot = step.stdSlot;
      break;
    case A::StdInput:
    case A::StdOutput:
    case A::StdError:  // the values are the parent's names: StepRun::request
      q.useStdHandles = q.useStdHandles || step.stdInput || step.stdOutput || step.stdError;
      break;
    case A::Detached:
    case A::NewConsole:
    case A::NoWindow:
    case A::InheritConsole:
      q.console = step.console;
      break;
    default:
      break;
  }
}

}  // namespace

proto::Request callShape(const scenario::Step& step) {
  proto::Request q;
  q.op = step.op;
  const proto::Grammar& grammar = proto::opInfo(step.op).grammar;
  for (const proto::Arg a : grammar.words) fill(q, step, a);
  for (const proto::Arg a : grammar.options) fill(q, step, a);
  return q;
}

namespace detail {

proto::Request StepRun::request() {
  ProcessBinding& self = runningProcess(step_.process);
  proto::Request q = callShape(step_);
  q.process = self.agent;
  if (!q.name.empty()) q.name = backend_.objectName(step_.objectName);
  if (proto::takes(step_.op, proto::Arg::Child)) {
    if (b_.processes.count(step_.child))
      malformed("process label `" + step_.child + "` is already in use", step_.child);
    q.target = b_.nextAgent++;
    if (step_.only)
      for (const HandleRef& h : *step_.only)
        q.handleList.push_back(resolve(self, step_.process, h));
    if (step_.stdInput) q.stdInput = resolve(self, step_.process, *step_.stdInput);
    if (step_.stdOutput) q.stdOutput = resolve(self, step_.process, *step_.stdOutput);
    if (step_.stdError) q.stdError = resolve(self, step_.process, *step_.stdError);
    // The parent's flags decide what the child inherits (SPEC 22-23); the
    // call does not change them, so observing after it is observing before.
    for (const std::string& name : self.open) observed_.emplace_back(name, self.names.at(name));
  }
  if (proto::takes(step_.op, proto::Arg::To))
    q.target = step_.target.empty() ? self.agent : process(step_.target).agent;
  if (proto::takes(step_.op, proto::Arg::Operand)) {
    // The operand: observed after the call, first (the subject unless the step binds one).
    q.handle = resolve(self, step_.process, step_.handle);
    observed_.insert(observed_.begin(), {refText(step_.handle), q.handle});
  }
  // A step that makes handles in its own process has them observed in the
  // same round trip (and compared for `same=`): one command per step.
  q.observeNew = proto::opInfo(step_.op).grammar.binds > 0 &&
                 (step_.target.empty() || step_.target == step_.process);
  if (step_.op == proto::Op::Query || (q.observeNew && !step_.as.empty()))
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
    malformed("the model predicts nothing for " + describeStep(step_) + ": " + model::cite(e.rule) +
              " leaves this case unsettled");
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
  return model::cite(proto::opInfo(q.op).rules);
}

}  // namespace detail
}  // namespace hc::engine
