/* Struct updates: a particle system with integer physics. */
#include <stdio.h>
#ifndef N
#define N 256
#endif
#ifndef STEPS
#define STEPS 2000
#endif
struct particle { int x, y; short vx, vy; unsigned char alive, hits; };
static struct particle ps[N];
int main(void) {
    for (int i = 0; i < N; i++) {
        ps[i].x = i * 37 % 1000; ps[i].y = i * 91 % 1000;
        ps[i].vx = (short)(i % 7 - 3); ps[i].vy = (short)(i % 5 - 2);
        ps[i].alive = 1; ps[i].hits = 0;
    }
    for (int s = 0; s < STEPS; s++) {
        for (int i = 0; i < N; i++) {
            struct particle *p = &ps[i];
            if (!p->alive) continue;
            p->x += p->vx; p->y += p->vy;
            if (p->x < 0 || p->x >= 1000) { p->vx = (short)-p->vx; p->hits++; }
            if (p->y < 0 || p->y >= 1000) { p->vy = (short)-p->vy; p->hits++; }
            if (p->hits > 200) p->alive = 0;
        }
    }
    long sx = 0, sy = 0, alive = 0;
    for (int i = 0; i < N; i++) { sx += ps[i].x; sy += ps[i].y; alive += ps[i].alive; }
    printf("%ld %ld %ld\n", sx, sy, alive);
    return 0;
}
