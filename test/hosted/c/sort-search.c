/* qsort and bsearch, printed for comparison with glibc: integers, strings,
   structs sorted on one key (glibc's qsort is a stable merge sort, and so is
   ours, so equal keys keep their order), and rand() driving the data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_ints(const void *a, const void *b) {
    int x = *(const int *) a;
    int y = *(const int *) b;
    return (x > y) - (x < y);
}

static int compare_strings(const void *a, const void *b) {
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

struct person {
    char name[12];
    int age;
};

static int by_age(const void *a, const void *b) {
    return ((const struct person *) a)->age - ((const struct person *) b)->age;
}

static unsigned long seed = 12345;
static int next_value(void) {
    seed = seed * 6364136223846793005UL + 1442695040888963407UL;
    return (int) (seed >> 33) % 1000;
}

int main(void) {
    int values[200];
    int n = (int) (sizeof values / sizeof values[0]);
    for (int i = 0; i < n; i++) values[i] = next_value();
    qsort(values, (size_t) n, sizeof values[0], compare_ints);
    int sorted = 1;
    for (int i = 1; i < n; i++) sorted &= values[i - 1] <= values[i];
    printf("sorted %d:", sorted);
    for (int i = 0; i < n; i += 10) printf(" %d", values[i]);
    printf("\n");
    for (int key = -1; key < 1001; key += 77) {
        int *found = bsearch(&key, values, (size_t) n, sizeof values[0], compare_ints);
        printf("bsearch %d: %s\n", key, found ? "found" : "absent");
    }
    int present = values[137];
    int *hit = bsearch(&present, values, (size_t) n, sizeof values[0], compare_ints);
    printf("bsearch present: %d\n", hit != NULL && *hit == present);

    const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "apple", "date", "elderberry", "grape", ""};
    size_t nw = sizeof words / sizeof words[0];
    qsort(words, nw, sizeof words[0], compare_strings);
    for (size_t i = 0; i < nw; i++) printf("[%s]", words[i]);
    printf("\n");

    struct person people[] = {{"ann", 30}, {"bob", 25}, {"cyd", 30}, {"dee", 25}, {"eve", 40}, {"fay", 30}, {"gus", 25}, {"hal", 20}};
    size_t np = sizeof people / sizeof people[0];
    qsort(people, np, sizeof people[0], by_age);
    for (size_t i = 0; i < np; i++) printf("%s:%d ", people[i].name, people[i].age);
    printf("\n");

    /* Degenerate sizes. */
    qsort(values, 0, sizeof values[0], compare_ints);
    qsort(values, 1, sizeof values[0], compare_ints);
    int two[2] = {2, 1};
    qsort(two, 2, sizeof two[0], compare_ints);
    printf("two: %d %d\n", two[0], two[1]);
    printf("bsearch empty: %p\n", bsearch(&two[0], two, 0, sizeof two[0], compare_ints));

    /* Already sorted and reversed input. */
    int ramp[100];
    for (int i = 0; i < 100; i++) ramp[i] = 100 - i;
    qsort(ramp, 100, sizeof ramp[0], compare_ints);
    printf("ramp: %d %d %d\n", ramp[0], ramp[50], ramp[99]);
    return 0;
}
