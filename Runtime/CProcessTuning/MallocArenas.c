#include "CProcessTuning.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void contrail_limit_malloc_arenas(int count) {
#if defined(__GLIBC__)
    mallopt(M_ARENA_MAX, count);
#else
    (void)count;
#endif
}
