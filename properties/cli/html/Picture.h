#pragma once
// The textbook picture (SPEC "The picture") as plain data, for the HTML
// report: per process its handle table (value, names, flags, the object each
// entry refers to), and the kernel objects with type, name and usage count.
// Built from the model's whole truth or from what a real backend shows;
// the SVG (Svg.h) only draws it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/engine/Runner.h"
#include "handlecheck/props/Tables.h"

namespace hc::cli::html {

struct Entry {
  proto::Handle value = 0;
  std::string names;  // scenario names bound to the value ("MS", "H1/H3"), "-" when none
  bool inherit = false;
  bool protect = false;
  std::string object;      // Picture::objects key; empty when unknown
  bool inherited = false;  // the child's copy of its parent's entry (SPEC 22)
  bool differs = false;    // model and real disagree about this entry
  std::string differsIn;   // what differs, short: "inherit", "inherit, protect", "missing"
  std::string note;        // why it differs ("inherit: model 1, real 0"), for the tooltip
  // A handle to the pipe end a blocked read waits on (StepReport::peerHolders):
  // it keeps the read from seeing end-of-file. `origin` says which step gave it.
  bool holder = false;
  std::optional<engine::Origin> origin;  // empty when no step bound it
  bool operator==(const Entry&) const = default;
};

struct Process {
  std::string label;   // P0, C1, ...
  std::string parent;  // label; empty for P0
  bool running = true;
  std::optional<std::uint32_t> exitCode;
  std::vector<Entry> entries;  // in value order
  bool collapsed = false;      // drawn as one line: unchanged since the picture before
  bool differs = false;        // present on one side only
  bool operator==(const Process&) const = default;
};

struct Object {
  std::string key;     // "o2" (the model's object id) or a real-side key
  std::string kind;    // "mailslot", "event", ... (or the NT type when only that is known)
  std::string ntType;  // "File", "Event", ... (NtQueryObject)
  std::string name;    // object name, or the process label for process/thread objects
  std::uint32_t handleCount = 0;
  std::optional<std::uint32_t> usageCount;  // known on the model only
  bool lowerBound = false;  // process/thread: the real HandleCount is a lower bound (SPEC 29)
  bool differs = false;     // its count differs between model and real
  bool held = false;        // the pipe end whose holders (Entry::holder) a read waits on
  std::string note;
  bool operator==(const Object&) const = default;
};

struct Picture {
  std::string side;  // "model (windows)", "wine": the heading above the drawing
  std::vector<Process> processes;
  std::vector<Object> objects;       // those some drawn entry refers to
  std::vector<std::string> undrawn;  // live objects with no handle, one line each
  const Object* object(const std::string& key) const;
  bool operator==(const Picture&) const = default;
};

// The model's whole truth after a step.
Picture modelPicture(const engine::ModelBackend&, const engine::Bindings&);

// What a real backend shows: `rows` observed with `names` bound. Object
// identity is not observable across processes, so each entry is drawn to the
// object that `pairing` (the model, run on the same steps) gives the same
// name in the same process; entries whose observed type or HandleCount
// contradicts that pairing get an object of their own.
Picture observedPicture(std::string side, const props::Tables& rows, const engine::Bindings& names,
                        const Picture* pairing, const engine::Bindings* pairingNames);

// Marks the entries (by process and name) and objects (by pairing) where
// model and real disagree, with the lower bound of SPEC 29 for process and
// thread counts. Returns how many marks it set.
int markDifferences(Picture& model, Picture& real);

// Pictures past the size a reader takes in (8 processes, 60 entries): every
// process whose table equals its table in `before` and carries no mark is
// collapsed to one line, and objects only such processes refer to go.
void collapseUnchanged(Picture&, const Picture& before);

}  // namespace hc::cli::html
