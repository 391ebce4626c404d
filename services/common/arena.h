/* Bump allocator with a hard byte cap, used to unpack protobuf frames: one
 * arena per decoded message, freed in one go, so a hostile frame can never
 * make a decoder allocate more than its cap. Individual frees are no-ops. */
#ifndef COURANT_ARENA_H
#define COURANT_ARENA_H

#include <stddef.h>
#include <protobuf-c/protobuf-c.h>

typedef struct cr_arena cr_arena;

/* New arena that will hand out at most `cap` bytes in total; NULL on ENOMEM. */
cr_arena *cr_arena_new(size_t cap);
void cr_arena_destroy(cr_arena **a);

/* 16-byte aligned allocation; NULL once the cap is reached. */
void *cr_arena_alloc(cr_arena *a, size_t n);

/* The first byte handed out by this arena (NULL before any allocation). */
void *cr_arena_first(const cr_arena *a);

/* A protobuf-c allocator drawing from `a`; valid while `a` lives. */
void cr_arena_pb_allocator(cr_arena *a, ProtobufCAllocator *out);

/* Process-wide malloc settings for the services, called first thing in
 * main: buffers under 4 MiB (batch frames of ~100-300 KB, articles) come
 * from the heap and freed memory is kept up to 32 MiB, instead of glibc's
 * default of mmap/munmap (or trimming the heap) around every such buffer,
 * which made each one cost page faults: -80 % page faults in the workers,
 * about +5 % end to end (BENCHMARKS.md). Bigger buffers still go back to
 * the system at once. */
void cr_malloc_tune(void);

#endif
