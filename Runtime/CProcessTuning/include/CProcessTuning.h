#ifndef CONTRAIL_PROCESS_TUNING_H
#define CONTRAIL_PROCESS_TUNING_H

// Nothing to call: MallocArenas.c acts from a constructor, before `main`. SwiftPM needs a public header to build
// the target.

#endif
