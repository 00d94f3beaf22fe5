/* Pointer chasing through a shuffled singly linked list. */
#include <stdio.h>
#include <stdlib.h>
#ifndef N
#define N 4096
#endif
#ifndef ROUNDS
#define ROUNDS 200
#endif
struct node { struct node *next; long value; };
int main(void) {
    struct node *nodes = malloc(N * sizeof *nodes);
    int *order = malloc(N * sizeof *order);
    unsigned seed = 12345;
    for (int i = 0; i < N; i++) order[i] = i;
    for (int i = N - 1; i > 0; i--) {
        seed = seed * 1103515245u + 12345u;
        int j = (int)((seed >> 8) % (unsigned)(i + 1));
        int t = order[i]; order[i] = order[j]; order[j] = t;
    }
    for (int i = 0; i < N; i++) {
        nodes[order[i]].next = &nodes[order[(i + 1) % N]];
        nodes[order[i]].value = i;
    }
    long sum = 0;
    struct node *p = &nodes[order[0]];
    for (long k = 0; k < (long)N * ROUNDS; k++) {
        sum += p->value;
        p = p->next;
    }
    printf("%ld\n", sum);
    free(order);
    free(nodes);
    return 0;
}
