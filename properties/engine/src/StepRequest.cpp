// Building the one request a step makes, and performing it.
#include "Ops.h"
#include "StepRun.h"
#include "handlecheck/engine/Holders.h"
#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/model/Rules.h"

namespace hc::engine {

std::uint32_t shareMode(const scenario::Step& step) {
  if (!step.share || *step.share == scenario::Step::Share::Read) return proto::kShareRead;
  return *step.share == scenario::Step::Share::None ? 0 : proto::kShareRead | proto::kShareWrite;
}

namespace {

// The Request members the options of creates, opens, dup, set, write and
// exit fill.
void fillHandleArg(proto::Request& q, const scenario::Step& step, proto::Arg a) {
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
    case A::CloseSource:
      q.closeSource = step.closeSource;
      break;
    case A::From:
      q.fromSource = !step.source.empty();
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
    // SPEC 70, 73: dwDesiredAccess, when the step gives one.
    case A::DesiredAccess:
      q.hasDesiredAccess = step.desiredAccess.has_value();
      q.desiredAccess = step.desiredAccess.value_or(0);
      break;
    case A::MapWrite:
      q.mapWrite = step.mapWrite;
      break;
    default:
      break;
  }
}

// A spawn's inheritance and attribute list (SPEC 22-25, 78-85).
void fillSpawnArg(proto::Request& q, const scenario::Step& step, proto::Arg a) {
  using A = proto::Arg;
  switch (a) {
    case A::InheritHandles:
      q.spawnInherit = step.inherit;
      break;
    case A::Only:
      q.useHandleList = step.only.has_value();
      break;
    case A::ParentProcess:
      q.hasParentProcess = step.parent.has_value();
      break;
    case A::ListSize:
      q.listSize = step.listSize ? std::int64_t{*step.listSize} : -1;
      break;
    case A::ParentSize:
      q.parentSize = step.parentSize ? std::int64_t{*step.parentSize} : -1;
      break;
    case A::UnknownAttr:
      q.unknownAttribute = step.unknownAttribute;
      break;
    case A::ProcessInherit:
      q.processInherit = step.processInherit;
      break;
    case A::ThreadInherit:
      q.threadInherit = step.threadInherit;
      break;
    default:
      break;
  }
}

// The std slot, a spawn's STARTUPINFO std fields and console words (SPEC 51-66).
void fillStdArg(proto::Request& q, const scenario::Step& step, proto::Arg a) {
  using A = proto::Arg;
  switch (a) {
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
    case A::Gui:
      q.console = step.console;
      break;
    default:
      break;
  }
}

// SPEC 40-43: CreateNamedPipeW's modes and the client's access, as Win32 bits.
void fillPipeArg(proto::Request& q, const scenario::Step& step, proto::Arg a) {
  using A = proto::Arg;
  switch (a) {
    case A::Direction: {
      using D = scenario::Step::Direction;
      const D d = step.direction.value_or(D::Duplex);
      q.openMode |= d == D::Inbound    ? model::kPipeAccessInbound
                    : d == D::Outbound ? model::kPipeAccessOutbound
                                       : model::kPipeAccessDuplex;
      break;
    }
    case A::FirstInstance:
      if (step.first) q.openMode |= model::kFileFlagFirstPipeInstance;
      break;
    case A::PipeType:
      if (step.typeMessage.value_or(false)) q.pipeMode |= model::kPipeTypeMessage;
      break;
    case A::ReadMode:
      if (step.readModeMessage.value_or(false)) q.pipeMode |= model::kPipeReadmodeMessage;
      break;
    case A::NoWait:
      if (step.nowait) q.pipeMode |= model::kPipeNowait;
      break;
    case A::MaxInstances:
      q.maxInstances = step.maxInstances.value_or(model::kPipeUnlimitedInstances);
      break;
    case A::Access: {
      using Access = scenario::Step::Access;
      const Access access = step.access.value_or(Access::ReadWrite);
      if (access != Access::Write) q.access |= model::kGenericRead;
      if (access != Access::Read) q.access |= model::kGenericWrite;
      break;
    }
    default:
      break;
  }
}

// The Request members one word of the step's grammar (proto::Arg) fills,
// through its family (the others fill nothing for it); handles and process
// labels are resolved by StepRun::request.
void fill(proto::Request& q, const scenario::Step& step, proto::Arg a) {
  fillHandleArg(q, step, a);
  fillSpawnArg(q, step, a);
  fillStdArg(q, step, a);
  fillPipeArg(q, step, a);
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
    // SPEC 82, 85: with a designated parent, the child inherits from that
    // process and the listed values are its handles, named as it knows them.
    // A parent that names no known process (a raw value, another object):
    // the list's names are the caller's, and the child knows no names.
    designated_ = step_.process;
    if (step_.parent) {
      q.parentProcess = resolve(self, step_.process, *step_.parent);
      const auto ph = self.processHandles.find(step_.parent->name);
      designated_ = !step_.parent->raw && ph != self.processHandles.end() ? ph->second : "";
    }
    const std::string& listerLabel = designated_.empty() ? step_.process : designated_;
    const ProcessBinding& lister = process(listerLabel);
    if (step_.only)
      for (const HandleRef& h : *step_.only)
        q.handleList.push_back(resolve(lister, listerLabel, h));
    if (step_.stdInput) q.stdInput = resolve(self, step_.process, *step_.stdInput);
    if (step_.stdOutput) q.stdOutput = resolve(self, step_.process, *step_.stdOutput);
    if (step_.stdError) q.stdError = resolve(self, step_.process, *step_.stdError);
    // The parent's flags decide what the child inherits (SPEC 22-23); the
    // call does not change them, so observing after it is observing before.
    for (const std::string& name : self.open) observed_.emplace_back(name, self.names.at(name));
  }
  if (proto::takes(step_.op, proto::Arg::To))
    q.target = step_.target.empty() ? self.agent : process(step_.target).agent;
  if (fromSource()) {
    // SPEC 50: the operand lives in the source process, observed there after the call.
    const ProcessBinding& source = process(step_.source);
    q.fromSource = true;
    q.source = source.agent;
    q.handle = resolve(source, step_.source, step_.handle);
  } else if (proto::takes(step_.op, proto::Arg::Operand)) {
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
    // SPEC 13: a read end sees EOF only once every handle to the write end
    // has closed, in whatever process; name who still holds one.
    report_.reply.blocks = true;
    notePeerHolders(q);
    const std::string held = holdersText(report_.peerHolders);
    throw StepBlocks(
        where() + describeStep(step_) + " would block forever" +
            (held.empty() ? ""
                          : ": the pipe's " + otherEndName(step_.op) + " is still open in " + held),
        report_);
  } catch (const Unsettled& e) {
    malformed("the model predicts nothing for " + describeStep(step_) + ": " + model::cite(e.rule) +
              " leaves this case unsettled");
  } catch (const sut::BackendFailure& e) {
    throw sut::BackendFailure(where() + describeStep(step_) + ": " + e.what());
  }
  if (r.blocks) {
    report_.reply.blocks = true;
    throw StepBlocks(
        where() + describeStep(step_) + " did not return (the agent timed out waiting)", report_);
  }
  return r;
}

void StepRun::notePeerHolders(const proto::Request& q) {
  if (const auto* m = dynamic_cast<const ModelBackend*>(&backend_))
    report_.peerHolders = peerHolders(*m, b_, q.process, q.handle);
}

std::string StepRun::ruleOf(const proto::Request& q) const {
  if (const auto* m = dynamic_cast<const ModelBackend*>(&backend_);
      m && m->lastRule() != model::RuleId::None)
    return model::cite(m->lastRule());
  return model::cite(proto::opInfo(q.op).rules);
}

}  // namespace detail
}  // namespace hc::engine
