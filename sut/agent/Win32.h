#pragma once
// <windows.h> for the agent, minus the A/W macros that collide with
// proto::Op's names (Op::CreateEvent would become Op::CreateEventW). The
// agent calls the W functions by their full names.
#include <windows.h>

#undef CreateEvent
#undef CreateMutex
#undef CreateSemaphore
#undef CreateMailslot
#undef OpenEvent
#undef OpenMutex
#undef OpenSemaphore
#undef CreateNamedPipe
