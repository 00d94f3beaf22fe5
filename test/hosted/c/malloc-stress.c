/* malloc, free, calloc and realloc under a deterministic random workload:
   every block is filled with a pattern derived from its slot and checked
   before it is freed or resized, so overlapping blocks or a corrupted free
   list show up as a mismatch. Then the heap is exhausted (malloc must
   return NULL, not crash), everything is freed, and one block nearly the
   size of the whole heap must fit again: freed neighbours merge. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 300

static unsigned long state = 2463534242UL;
static unsigned long next_random(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static unsigned char *blocks[SLOTS];
static size_t sizes[SLOTS];
static unsigned char tags[SLOTS];
static int errors;

static void fill(int i) {
    for (size_t k = 0; k < sizes[i]; k++) blocks[i][k] = (unsigned char) (tags[i] + k * 7);
}

static void check(int i, size_t n) {
    for (size_t k = 0; k < n; k++)
        if (blocks[i][k] != (unsigned char) (tags[i] + k * 7)) {
            if (errors++ < 5) printf("slot %d corrupted at byte %zu\n", i, k);
            return;
        }
}

int main(void) {
    unsigned long checksum = 0;
    int misaligned = 0;
    for (int step = 0; step < 1500; step++) {
        int i = (int) (next_random() % SLOTS);
        unsigned long r = next_random();
        if (blocks[i] != NULL) {
            check(i, sizes[i]);
            if (r % 3 == 0) {
                size_t n = (size_t) (next_random() % 600) + 1;
                unsigned char *p = realloc(blocks[i], n);
                if (p == NULL) {
                    printf("realloc failed\n");
                    return 1;
                }
                blocks[i] = p;
                check(i, n < sizes[i] ? n : sizes[i]);
                sizes[i] = n;
                fill(i);
            } else {
                free(blocks[i]);
                blocks[i] = NULL;
            }
        } else {
            size_t n = (size_t) (r % 400);
            blocks[i] = r % 5 == 0 ? calloc(n, 1) : malloc(n);
            if (blocks[i] == NULL) {
                printf("malloc(%zu) failed\n", n);
                return 1;
            }
            if (r % 5 == 0)
                for (size_t k = 0; k < n; k++)
                    if (blocks[i][k] != 0) errors++;
            misaligned += ((uintptr_t) blocks[i] & 15) != 0;
            sizes[i] = n;
            tags[i] = (unsigned char) r;
            fill(i);
        }
        checksum = checksum * 33 + sizes[i];
    }
    for (int i = 0; i < SLOTS; i++) {
        if (blocks[i] != NULL) check(i, sizes[i]);
        free(blocks[i]);
        blocks[i] = NULL;
    }
    printf("workload: checksum %lx, errors %d, misaligned %d\n", checksum, errors, misaligned);

    /* Exhaustion: 64 KiB at a time until malloc says no. */
    void *chunks[1024];
    int count = 0;
    while (count < 1024 && (chunks[count] = malloc(64 * 1024)) != NULL) {
        memset(chunks[count], count, 4096);
        count++;
    }
    printf("exhausted after %d chunks of 64 KiB; more than 5 MiB: %d\n", count, count * 64 > 5 * 1024);
    printf("malloc(huge) is NULL: %d; calloc overflow is NULL: %d\n", malloc((size_t) -1 / 2) == NULL, calloc((size_t) 1 << 40, (size_t) 1 << 40) == NULL);
    for (int i = 0; i < count; i++) free(chunks[i]);
    void *big = malloc((size_t) (count - 1) * 64 * 1024);
    printf("one block of %d chunks after freeing all: %s\n", count - 1, big != NULL ? "fits" : "does not fit");
    free(big);
    printf("realloc(NULL) %d, realloc to 0 gives NULL %d\n", realloc(NULL, 10) != NULL, realloc(malloc(10), 0) == NULL);
    return errors != 0;
}
