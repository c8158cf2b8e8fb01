// Mailslots (SPEC 10-12): the server made by CreateMailslot, clients opened
// with CreateFile. Their I/O is in ReadWrite.cpp.
#include <algorithm>
#include <cassert>
#include <string>

#include "Calls.h"
#include "handlecheck/model/System.h"

namespace hc::model {

using detail::fail;
using detail::succeed;

// SPEC 10: mailslot names are file names, compared case-insensitively (ASCII fold).
std::string System::mailslotKey(std::string_view name) {
  std::string key(name);
  for (char& c : key)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return key;
}

// SPEC 10, 12: the live mailslot of that name; none once its last server handle closed.
std::optional<ObjectId> System::lookupMailslot(std::string_view name) const {
  const auto it = mailslots_.find(mailslotKey(name));
  if (it == mailslots_.end()) return std::nullopt;
  return it->second;
}

// SPEC 11: client objects of mailslot server `server` still open somewhere
// (the quirks mailslot-outlives-server and mailslot-single-client consult it).
std::size_t System::liveClients(ObjectId server) const {
  return static_cast<std::size_t>(
      std::count_if(objects_.begin(), objects_.end(), [&](const KernelObject& k) {
        return k.kind == ObjectKind::MailslotClient && k.peer == server && !k.destroyed;
      }));
}

// SPEC 11: the open client of `server` opened last (objects are numbered in
// creation order); quirk mailslot-single-client compares share modes with it.
std::optional<ObjectId> System::newestClient(ObjectId server) const {
  for (auto o = static_cast<ObjectId>(objects_.size()); o-- > 0;) {
    const KernelObject& k = objects_[o];
    if (k.kind == ObjectKind::MailslotClient && k.peer == server && !k.destroyed) return o;
  }
  return std::nullopt;
}

// SPEC 10: CreateMailslotW(\\.\mailslot\NAME): the server handle, or 183 when
// a live mailslot holds the name (file names: case-insensitive).
Outcome System::createMailslot(ProcessId p, std::string_view name, bool inherit) {
  runningProcess(p);
  assert(!name.empty() && "model: a mailslot always has a name (scenario grammar)");
  if (lookupMailslot(name)) return fail(RuleId::CreateMailslotReturnsServer, win32::kAlreadyExists);
  const ObjectId o =
      newObject(KernelObject{.kind = ObjectKind::MailslotServer, .name = std::string(name)});
  mailslots_.emplace(mailslotKey(name), o);
  Outcome out = succeed(RuleId::CreateMailslotReturnsServer);
  // Quirk mailslot-server-never-inheritable: Wine drops sa.bInheritHandle.
  out.handle = addHandle(p, o, inherit && !profile_.has(QuirkId::MailslotServerNeverInheritable));
  return out;
}

// SPEC 11-12: CreateFileW(name, GENERIC_WRITE, share, sa, OPEN_EXISTING): a
// new client object (HandleCount 1) on the live mailslot, whatever the share
// mode and however many clients are open; 2 when no mailslot has the name
// (SPEC 12: none once every server handle closed).
Outcome System::openMailslot(ProcessId p, std::string_view name, bool inherit,
                             MailslotShare share) {
  runningProcess(p);
  const auto server = lookupMailslot(name);
  if (!server) return fail(RuleId::MailslotClientsWriteMessages, win32::kFileNotFound);
  // Quirk mailslot-share-none-refused: Wine wants FILE_SHARE_READ of every client.
  if (share == MailslotShare::None && profile_.has(QuirkId::MailslotShareNoneRefused))
    return fail(RuleId::MailslotClientsWriteMessages, win32::kSharingViolation);
  // Quirk mailslot-single-client: a second writer opens only if it and the
  // last writer opened both share write (XP's rule, kept by Wine).
  const bool shareWrite = share == MailslotShare::ReadWrite;
  if (profile_.has(QuirkId::MailslotSingleClient)) {
    if (const auto last = newestClient(*server);
        last && !(shareWrite && objects_[*last].shareWrite))
      return fail(RuleId::MailslotClientsWriteMessages, win32::kSharingViolation);
  }
  const ObjectId o = newObject(
      KernelObject{.kind = ObjectKind::MailslotClient, .peer = *server, .shareWrite = shareWrite});
  Outcome out = succeed(RuleId::MailslotClientsWriteMessages);
  out.handle = addHandle(p, o, inherit);
  return out;
}

}  // namespace hc::model
