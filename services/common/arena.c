/* Capped bump allocator. Blocks grow geometrically; the first allocation sits
 * right after the arena header so that a pointer to it finds its arena (the
 * codec relies on this to free a decoded message from the message alone). */
#include "common/arena.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>

#define ALIGN 16u
#define FIRST_BLOCK 4096u

typedef struct block {
	struct block *next;
	size_t cap, used;
	_Alignas(16) unsigned char data[];
} block;

struct cr_arena {
	block *head;     /* current block (chain of older ones via next) */
	size_t cap, given;
	void *first;
};

static size_t round_up(size_t n)
{
	return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

static block *block_new(size_t cap)
{
	block *b = malloc(sizeof *b + cap);
	if (!b)
		return NULL;
	b->next = NULL;
	b->cap = cap;
	b->used = 0;
	return b;
}

cr_arena *cr_arena_new(size_t cap)
{
	cr_arena *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->cap = cap;
	return a;
}

void cr_arena_destroy(cr_arena **pa)
{
	cr_arena *a = pa ? *pa : NULL;
	if (!a)
		return;
	for (block *b = a->head, *n; b; b = n) {
		n = b->next;
		free(b);
	}
	free(a);
	*pa = NULL;
}

void *cr_arena_alloc(cr_arena *a, size_t n)
{
	void *p;
	n = round_up(n ? n : 1);
	if (n > a->cap - a->given || n < ALIGN)
		return NULL;
	if (!a->head || a->head->cap - a->head->used < n) {
		size_t want = a->head ? a->head->cap * 2 : FIRST_BLOCK;
		block *b;
		if (want < n)
			want = round_up(n);
		if (want > a->cap - a->given && n <= a->cap - a->given)
			want = n > FIRST_BLOCK ? n : FIRST_BLOCK;
		b = block_new(want);
		if (!b)
			return NULL;
		b->next = a->head;
		a->head = b;
	}
	p = a->head->data + a->head->used;
	a->head->used += n;
	a->given += n;
	if (!a->first)
		a->first = p;
	return p;
}

void *cr_arena_first(const cr_arena *a)
{
	return a->first;
}

static void *pb_alloc(void *data, size_t size)
{
	return cr_arena_alloc(data, size);
}

static void pb_free(void *data, void *p)
{
	(void)data;
	(void)p;
}

void cr_arena_pb_allocator(cr_arena *a, ProtobufCAllocator *out)
{
	out->alloc = pb_alloc;
	out->free = pb_free;
	out->allocator_data = a;
}

void cr_malloc_tune(void)
{
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	mallopt(M_TRIM_THRESHOLD, 32 << 20);
}
