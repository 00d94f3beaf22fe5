// __attribute__((packed)) and __attribute__((aligned(n))) on records, members and variables.
#include "test.h"

struct __attribute__((packed)) p1 { char c; int i; long l; };
struct p2 { char c; int i; } __attribute__((packed));
struct p3 { char c; int i __attribute__((packed)); char d; };
struct __attribute__((packed)) p4 { char c; unsigned a : 3; unsigned b : 7; unsigned d : 30; };
struct a1 { char c; } __attribute__((aligned(8)));
struct a2 { char c; int i __attribute__((aligned(16))); };
struct __attribute__((aligned(64))) a3 { int x; };
struct a4 { struct a1 inner; char c; };
struct a5 { char c; struct p1 p; };
typedef struct { long a; char b; } __attribute__((aligned(32))) t_aligned;
struct page { unsigned long entry[512]; } __attribute__((aligned(4096)));
struct hdr { unsigned char type; unsigned short len; unsigned int crc; } __attribute__((packed));

// Packed bit-fields that straddle their type's size (read through a wider unit).
struct __attribute__((packed)) straddle { char a : 5; unsigned char b : 8; signed char c : 7; unsigned long d : 59; short e : 9; };
static struct straddle g_straddle = {-3, 200, -60, 0x123456789abcdefUL, -200};

static int aligned_global __attribute__((aligned(32))) = 5;
static char after_global = 1;

static int depth_check(int n) {
  struct a3 local = {n};
  int ok = (unsigned long)&local % 64 == 0 && local.x == n;
  if (n > 0) ok &= depth_check(n - 1);
  return ok && local.x == n;
}
static long big_aligned(void) {
  struct page pg = {{1, 2, 3}};
  t_aligned t = {7, 8};
  long r = (unsigned long)&pg % 4096 + (unsigned long)&t % 32;
  pg.entry[511] = 5;
  return r * 1000 + pg.entry[0] + pg.entry[2] + pg.entry[511] + t.a + t.b + pg.entry[100];
}

int main(void) {
  ASSERT(13, sizeof(struct p1));
  ASSERT(1, _Alignof(struct p1));
  ASSERT(1, offsetof(struct p1, i));
  ASSERT(5, offsetof(struct p1, l));
  ASSERT(5, sizeof(struct p2));
  ASSERT(6, sizeof(struct p3));
  ASSERT(1, offsetof(struct p3, i));
  ASSERT(5, offsetof(struct p3, d));
  ASSERT(6, sizeof(struct p4));
  ASSERT(8, sizeof(struct a1));
  ASSERT(8, _Alignof(struct a1));
  ASSERT(32, sizeof(struct a2));
  ASSERT(16, offsetof(struct a2, i));
  ASSERT(16, _Alignof(struct a2));
  ASSERT(64, sizeof(struct a3));
  ASSERT(64, _Alignof(struct a3));
  ASSERT(16, sizeof(struct a4));
  ASSERT(8, offsetof(struct a4, c));
  ASSERT(14, sizeof(struct a5));
  ASSERT(32, sizeof(t_aligned));
  ASSERT(32, _Alignof(t_aligned));
  ASSERT(4096, sizeof(struct page));
  ASSERT(4096, _Alignof(struct page));
  ASSERT(7, sizeof(struct hdr));
  ASSERT(3, offsetof(struct hdr, crc));

  struct p1 v = {'a', 0x12345678, 0x1122334455667788L};
  ASSERT(0x12345678, v.i);
  ASSERT(0x1122334455667788L, v.l);
  v.i++;
  ASSERT(0x12345679, v.i);
  unsigned char *b = (unsigned char *)&v;
  ASSERT(0x79, b[1]);
  ASSERT(0x88, b[5]);
  struct p4 bits = {'z', 5, 100, 0x3fffffff};
  ASSERT(5, bits.a);
  ASSERT(100, bits.b);
  ASSERT(0x3fffffff, bits.d);
  bits.b = 127;
  ASSERT(5, bits.a);
  ASSERT(127, bits.b);
  ASSERT(0x3fffffff, bits.d);
  bits.d = 1;
  ASSERT(127, bits.b);
  ASSERT(1, bits.d);
  struct hdr h = {1, 0x203, 0x04050607};
  ASSERT(0x203, h.len);
  ASSERT(0x04050607, h.crc);
  struct hdr hs[2] = {{1, 2, 3}, {4, 5, 6}};
  ASSERT(6, hs[1].crc);
  ASSERT(14, sizeof(hs));
  struct a3 x3;
  ASSERT(0, (unsigned long)&x3 % 64);
  t_aligned ta;
  ASSERT(0, (unsigned long)&ta % 32);
  int local_aligned __attribute__((aligned(16))) = 3;
  ASSERT(0, (unsigned long)&local_aligned % 16);
  ASSERT(3, local_aligned);
  ASSERT(0, (unsigned long)&aligned_global % 32);
  ASSERT(5, aligned_global + after_global - 1);
  _Alignas(16) char buf[3];
  ASSERT(0, (unsigned long)buf % 16);
  ASSERT(16, _Alignof(struct a2));
  ASSERT(8, __alignof__(long));
  ASSERT(4, __alignof__(int));
  ASSERT(2, _Alignof(short));
  ASSERT(8, _Alignof(void *));
  ASSERT(8, _Alignof(long long));
  ASSERT(4, _Alignof(int[10]));
  ASSERT(11, sizeof(struct straddle));
  ASSERT(-3, g_straddle.a);
  ASSERT(200, g_straddle.b);
  ASSERT(-60, g_straddle.c);
  ASSERT(0x123456789abcdefL, g_straddle.d);
  ASSERT(-200, g_straddle.e);
  struct straddle ls = {5, 255, 63, 1, 255};
  ls.b -= 5;
  ls.c = -64;
  ls.d <<= 3;
  ASSERT(5, ls.a);
  ASSERT(250, ls.b);
  ASSERT(-64, ls.c);
  ASSERT(8, ls.d);
  ASSERT(255, ls.e);
  ls.e++;
  ASSERT(-256, ls.e);
  ASSERT(-64, ls.c);
  ASSERT(1, depth_check(5));
  ASSERT(24, big_aligned());
  t_aligned copy = ta;
  copy.a = 3;
  ta = copy;
  ASSERT(3, ta.a);
  t_aligned *tp = &(t_aligned){9, 10};
  ASSERT(0, (unsigned long)tp % 32);
  ASSERT(19, tp->a + tp->b);
  return DONE();
}
