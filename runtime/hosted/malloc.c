/* malloc, free, calloc and realloc: a first-fit allocator over a free list
   kept in address order, so that neighbouring free blocks merge. The heap
   runs from the end of the program (the linker's `end`) up to a fixed
   reserve below the stack; when nothing fits, malloc returns NULL.
   Every block starts with a 16-byte header (its size and a magic word), so
   payloads are 16-aligned as on x86-64 glibc, and free can say when it is
   given a pointer malloc did not return, or one already freed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

extern char end[];

#define ALIGNMENT 16
#define MAGIC_USED 0x5553454459534e57UL /* "WNSYDESU" */
#define MAGIC_FREE 0x4545524659534e57UL /* "WNSYFREE" */

typedef struct header {
    size_t size; /* payload bytes, a multiple of ALIGNMENT */
    size_t magic;
} header;

static char *heap_start;
static char *heap_top;   /* the end of the last block */
static char *heap_high;  /* the highest heap_top so far: freed blocks may lie up to here */
static char *heap_limit; /* the heap may not grow past this */
/* Free blocks in address order; a free block's payload holds the next one. */
static header *free_list;

static header **next_free(header *b) {
    return (header **) (b + 1);
}

static char *payload_end(header *b) {
    return (char *) (b + 1) + b->size;
}

void __weensy_heap_init(unsigned long stack_top) {
    heap_start = (char *) (((unsigned long) end + ALIGNMENT - 1) & ~(unsigned long) (ALIGNMENT - 1));
    heap_top = heap_start;
    heap_high = heap_start;
    heap_limit = (char *) ((stack_top - WEENSY_STACK_RESERVE) & ~(unsigned long) (ALIGNMENT - 1));
    if (heap_limit < heap_start) heap_limit = heap_start;
    free_list = NULL;
}

/* A pointer free or realloc cannot have been given by malloc: say so, as
   glibc does, and abort. */
static void heap_error(const char *who, const char *what, void *ptr) {
    fprintf(stderr, "%s: %s (%p)\n", who, what, ptr);
    abort();
}

/* The header of a block malloc returned and that is still in use. */
static header *checked_header(const char *who, void *ptr) {
    header *b = (header *) ptr - 1;
    if ((char *) ptr < heap_start + sizeof(header) || (char *) ptr >= heap_high || ((unsigned long) ptr & (ALIGNMENT - 1)) != 0) {
        heap_error(who, "invalid pointer", ptr);
    }
    if (b->magic == MAGIC_FREE) heap_error(who, "double free detected", ptr);
    if (b->magic != MAGIC_USED) heap_error(who, "invalid pointer", ptr);
    return b;
}

void *malloc(size_t size) {
    if (size > (size_t) (heap_limit - heap_start)) return NULL;
    size_t need = size == 0 ? ALIGNMENT : (size + ALIGNMENT - 1) & ~(size_t) (ALIGNMENT - 1);
    header **link = &free_list;
    for (header *b = free_list; b != NULL; b = *link) {
        if (b->size >= need) {
            if (b->size >= need + sizeof(header) + ALIGNMENT) {
                /* Split: the tail stays free, in b's place in the list. */
                header *rest = (header *) ((char *) (b + 1) + need);
                rest->size = b->size - need - sizeof(header);
                rest->magic = MAGIC_FREE;
                *next_free(rest) = *next_free(b);
                *link = rest;
                b->size = need;
            } else {
                *link = *next_free(b);
            }
            b->magic = MAGIC_USED;
            return b + 1;
        }
        link = next_free(b);
    }
    if ((size_t) (heap_limit - heap_top) < need + sizeof(header)) return NULL;
    header *b = (header *) heap_top;
    heap_top += sizeof(header) + need;
    if (heap_top > heap_high) heap_high = heap_top;
    b->size = need;
    b->magic = MAGIC_USED;
    return b + 1;
}

void free(void *ptr) {
    if (ptr == NULL) return;
    header *b = checked_header("free()", ptr);
    b->magic = MAGIC_FREE;
    header *prev = NULL;
    header *next = free_list;
    while (next != NULL && next < b) {
        prev = next;
        next = *next_free(next);
    }
    *next_free(b) = next;
    if (prev != NULL)
        *next_free(prev) = b;
    else
        free_list = b;
    if (next != NULL && payload_end(b) == (char *) next) {
        b->size += sizeof(header) + next->size;
        *next_free(b) = *next_free(next);
    }
    if (prev != NULL && payload_end(prev) == (char *) b) {
        prev->size += sizeof(header) + b->size;
        *next_free(prev) = *next_free(b);
        b = prev;
    }
    /* The last block goes back to the unused top of the heap. */
    if (payload_end(b) == heap_top) {
        if (free_list == b) {
            free_list = NULL;
        } else {
            header *p = free_list;
            while (*next_free(p) != b) p = *next_free(p);
            *next_free(p) = NULL;
        }
        heap_top = (char *) b;
    }
}

void *calloc(size_t nmemb, size_t size) {
    if (size != 0 && nmemb > (size_t) -1 / size) return NULL;
    void *p = malloc(nmemb * size);
    if (p != NULL) memset(p, 0, nmemb * size);
    return p;
}

void *realloc(void *ptr, size_t size) {
    if (ptr == NULL) return malloc(size);
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    header *b = checked_header("realloc()", ptr);
    if (b->size >= size) return ptr;
    if (size > (size_t) (heap_limit - heap_start)) return NULL;
    size_t need = (size + ALIGNMENT - 1) & ~(size_t) (ALIGNMENT - 1);
    if (payload_end(b) == heap_top && (size_t) (heap_limit - (char *) (b + 1)) >= need) {
        /* The last block grows in place. */
        heap_top = (char *) (b + 1) + need;
        if (heap_top > heap_high) heap_high = heap_top;
        b->size = need;
        return ptr;
    }
    void *bigger = malloc(size);
    if (bigger == NULL) return NULL;
    memcpy(bigger, ptr, b->size);
    free(ptr);
    return bigger;
}
