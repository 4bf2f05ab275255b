#include "CProcessTuning.h"

#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/// Caps glibc's malloc arenas at two unless `MALLOC_ARENA_MAX` says otherwise.
///
/// glibc gives threads that contend for the allocator arenas of their own, up to eight per core, and fixes that
/// limit the first time a thread asks for one, which the runtime's threads do before `main`: hence a
/// constructor. The host does its work on one event loop per core; seven arenas held memory two can.
__attribute__((constructor)) static void contrail_limit_malloc_arenas(void) {
#if defined(__GLIBC__)
    if (getenv("MALLOC_ARENA_MAX") == NULL) {
        mallopt(M_ARENA_MAX, 2);
    }
#endif
}
