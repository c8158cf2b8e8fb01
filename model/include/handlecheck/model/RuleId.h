#pragma once
// The names of the SPEC rules: code cites a rule by name, people by number
// ("SPEC 22" in RULES.md, `handlecheck rules` and every message). Each name
// says the rule's statement in short; the statement itself and its evidence
// are the rule table's (Rules.h), which checks at compile time that its rows
// follow these numbers. Dependency-free, so the table of operations can include it.
#include <cstdint>

namespace hc::model {

enum class RuleId : std::uint8_t {
  None = 0,  // no rule (an outcome nothing decided yet)
  HandleValuesPerProcess = 1,
  OpenHandlesHaveDistinctValues = 2,
  NewHandleValueNotContractual = 3,
  CreateMakesNewObject = 4,
  CreateExistingNameOpensIt = 5,
  NameOfOtherTypeFails = 6,
  NamesAreCaseSensitive = 7,
  OpenAddsHandle = 8,
  NamedObjectDiesWithLastHandle = 9,
  CreateMailslotReturnsServer = 10,
  MailslotClientsWriteMessages = 11,
  LastServerHandleDeletesMailslot = 12,
  CreatePipeMakesTwoEnds = 13,
  CloseRemovesEntry = 14,
  CloseNotOpenFails = 15,
  ProtectedHandleStaysOpen = 16,
  SetHandleInformationMasksFlags = 17,
  DuplicateAddsHandle = 18,
  CloseSourceClosesEvenOnFailure = 19,
  PseudoSourceGivesRealHandle = 20,
  DuplicateIntoExitedProcessFails = 21,
  InheritCopiesEntry = 22,
  OnlyInheritableHandlesInherited = 23,
  ProcessInformationHandlesAreNew = 24,
  HandleListLimitsInheritance = 25,
  ExitClosesAllHandles = 26,
  ProcessObjectOutlivesProcess = 27,
  TerminateIsAsynchronous = 28,
  ProcessCountIsLowerBound = 29,
  // Anonymous pipes (SPEC 30-39), named pipes (SPEC 40-49) and closing a
  // handle in another process (SPEC 50).
  CreatePipeMakesTwoObjects = 30,
  NamedPipeEndsAreSeparateObjects = 31,
  PipeEndClosesWithLastHandle = 32,
  PeekWhilePeerOpenSucceeds = 33,
  BufferedDataOutlivesWriter = 34,
  PipeEndOfFile = 35,
  EofIffPeerClosedAndBufferEmpty = 36,
  WriteWithoutReaderFails = 37,
  AnonymousEndsAreOneWay = 38,
  DyingWritersPendingDataDropped = 39,
  NewNamedPipeHasOneInstance = 40,
  NamedPipeInstanceChecks = 41,
  NamedPipeInvalidParameters = 42,
  ClientConnectsToListeningInstance = 43,
  NamedPipeInstanceStates = 44,
  ConnectNamedPipeNowait = 45,
  InstancesCountServerEnds = 46,
  PipeNameLivesWithServerEnd = 47,
  MessageModeReadsOneMessage = 48,
  NamedPipeEndsInherited = 49,
  CloseSourceInAnotherProcess = 50,
  // Standard handles (SPEC 51-66).
  StdSlotIsPlainValue = 51,
  UnknownStdSlotIdFails = 52,
  CloseHandleOnStdSlotId = 53,
  ConsoleCreationMode = 54,
  ChildStdSlotRule = 55,
  VerbatimStdValueIsNotAGrant = 56,
  DuplicatedStdSlotKeepsFlags = 57,
  HandleListStillDuplicatesStd = 58,
  GuiChildStdSlots = 59,
  DetachedChildStdNull = 60,
  NewConsoleFreshStdHandles = 61,
  InvalidStdValueInParent = 62,
  FreeConsoleKeepsStdSlots = 63,
  AllocConsoleFillsStdSlots = 64,
  StartupInfoStdFields = 65,
  TraditionalConsoleHandles = 66,
  // Access (SPEC 67-77).
  AccessLivesInEntry = 67,
  GenericRightsMappedByType = 68,
  CreateGrantsAccess = 69,
  OpenGrantsRequestedAccess = 70,
  OpenWithZeroAccessFails = 71,
  OpenMutexRefusesInvalidRights = 72,
  DuplicateSetsAccess = 73,
  DuplicateNeedsProcessDupHandle = 74,
  InheritanceCopiesAccess = 75,
  OperationsCheckRights = 76,
  QueryRightsImplyLimited = 77,
  // Attribute lists and the designated parent (SPEC 78-85).
  AttributeListSizing = 78,
  UpdateProcThreadAttributeChecks = 79,
  CreateProcessValidatesHandleList = 80,
  HandleListInheritsListedOnly = 81,
  DesignatedParentTableInherited = 82,
  ProcessInformationGoesToCaller = 83,
  DesignatedParentHandleChecked = 84,
  HandleListInDesignatedParent = 85,
  // Races: what another thread may see of a call in progress.
  InheritCopiesEachEntryAlone = 86,
  SpawnHoldsHandlesWhileItRuns = 87,
};

// The highest rule number. The table's numbers ascend but need not be
// contiguous: SPEC numbers its rules by subject and the model follows only
// some of them.
inline constexpr RuleId kLastRule = RuleId::SpawnHoldsHandlesWhileItRuns;

// The rule's number, as SPEC.md and every message print it.
constexpr int number(RuleId id) {
  return static_cast<int>(id);
}

}  // namespace hc::model
