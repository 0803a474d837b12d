#pragma once

namespace exosim::app {

// Keeps memory that sessions free in the process for the next message instead of handing it back
// to the kernel on every free(). See allocator_tuning.cpp.
void keep_freed_memory_for_reuse();

}  // namespace exosim::app
