// goto: forward and backward jumps, jumping out of nested loops and blocks, labels at block end.
#include "test.h"

static int count_to(int n) {
  int i = 0;
again:
  if (i < n) {
    i++;
    goto again;
  }
  return i;
}
static int find_pair(int target) {
  int found = -1;
  for (int i = 0; i < 10; i++)
    for (int j = 0; j < 10; j++)
      if (i * j == target) {
        found = i * 10 + j;
        goto done;
      }
done:
  return found;
}
static int cleanup(int fail_at) {
  int steps = 0;
  if (fail_at == 1) goto fail1;
  steps |= 1;
  if (fail_at == 2) goto fail2;
  steps |= 2;
  if (fail_at == 3) goto fail3;
  steps |= 4;
  return steps;
fail3:
  steps |= 0x40;
fail2:
  steps |= 0x20;
fail1:
  steps |= 0x10;
  return steps;
}
static int into_block(int x) {
  int r = 0;
  if (x) goto inside;
  r = 100;
  {
  inside:
    r += 1;
  }
  return r;
}
static int label_at_end(int x) {
  int r = 0;
  {
    if (x) goto end;
    r = 5;
  end:;
  }
  return r;
}
static int loop_with_goto_continue(void) {
  int sum = 0;
  for (int i = 0; i < 10; i++) {
    if (i % 3 == 0) goto next;
    sum += i;
  next:;
  }
  return sum;
}
static int state_machine(const char *s) {
  int count = 0;
  const char *p = s;
start:
  if (!*p) goto end;
  if (*p == 'a') goto in_a;
  p++;
  goto start;
in_a:
  count++;
  while (*p == 'a') p++;
  goto start;
end:
  return count;
}

int main(void) {
  ASSERT(7, count_to(7));
  ASSERT(0, count_to(0));
  ASSERT(27, find_pair(14));
  ASSERT(-1, find_pair(97));
  ASSERT(0x10, cleanup(1));
  ASSERT(0x31, cleanup(2));
  ASSERT(0x73, cleanup(3));
  ASSERT(7, cleanup(4));
  ASSERT(1, into_block(1));
  ASSERT(101, into_block(0));
  ASSERT(0, label_at_end(1));
  ASSERT(5, label_at_end(0));
  ASSERT(27, loop_with_goto_continue());
  ASSERT(3, state_machine("xaayabaaa"));
  ASSERT(0, state_machine("xyz"));
  int n = 0;
  goto skip;
  n = 100;
skip:
  n++;
  ASSERT(1, n);
  return DONE();
}
