#ifndef CONTRAIL_PROCESS_TUNING_H
#define CONTRAIL_PROCESS_TUNING_H

#include <stdbool.h>

/// Sets the Swift runtime's `swift_task_enqueueGlobal_hook` to `hook` if no hook is set yet; returns whether it did.
///
/// SwiftNIO finds the hook with `dlsym`, which cannot see it in a binary linked with `--static-swift-stdlib`:
/// the static standard library is linked with `--exclude-libs ALL`. A reference resolved by the linker finds it
/// in both kinds of build.
bool contrail_install_enqueue_global_hook(const void *_Nonnull hook);

#endif
