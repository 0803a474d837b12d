#include "app/allocator_tuning.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace exosim::app {

// glibc's defaults (128 KiB trim and mmap thresholds, raised only as large blocks are freed) make
// a server that receives 100 KiB messages return the heap top to the kernel after nearly every
// message (madvise) and fault fresh zeroed pages in for the next one: about 6% of the CPU in the
// disk-capture benchmark (bench/, 10 sessions x 100 KiB). Buffers up to 16 MiB now come from the
// heap, and up to 64 MiB of free heap top stays mapped per arena. Messages larger than that are
// still mapped and unmapped on their own, so a burst of huge messages is not kept.
void keep_freed_memory_for_reuse() {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 16 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
}

}  // namespace exosim::app
