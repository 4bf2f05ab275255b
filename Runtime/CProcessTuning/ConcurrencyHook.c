#include "CProcessTuning.h"

extern const void *swift_task_enqueueGlobal_hook;

bool contrail_install_enqueue_global_hook(const void *hook) {
    const void *expected = 0;
    return __atomic_compare_exchange_n(
        &swift_task_enqueueGlobal_hook, &expected, hook, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
